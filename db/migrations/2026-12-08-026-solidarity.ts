import { sql, type Kysely } from 'kysely';

// Solidarity prices (issue 22, item 1): households referred by the épicerie solidaire's social workers pay a
// share of the public price, per category; the rest is paid by the solidarity fund, a payment method
// (`solidarity`) with its funders' contributions as its budget.
// - `households`: as little as the till needs, and no name: a number, a card code (QR/barcode), the
//   household's size, validity dates, the monthly allowance (what the fund may pay for it in a month) and the
//   referring partner (a structure, not a person). Erased on request or after the retention time: the row goes,
//   its tickets stay, anonymous (`sale_households.household_id` set to null).
// - `sale_households`: which ticket was sold at solidarity prices, and how it was shared (public price, the
//   household's share, the fund's share). Not part of the chained ticket, so erasing a household changes no
//   ticket hash.
// - `solidarity_shares`: the household's share per category (basis points of the public price).
// - `solidarity_funders`, `solidarity_contributions`: who funds, how much and when (the fund's budget).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('households')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('number', 'integer', (c) => c.notNull().unique())
    .addColumn('card_code', 'text', (c) => c.notNull().unique())
    .addColumn('size', 'integer', (c) => c.notNull().check(sql`size between 1 and 20`))
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text', (c) => c.notNull())
    .addColumn('monthly_allowance_cents', 'integer', (c) => c.notNull().check(sql`monthly_allowance_cents >= 0`))
    .addColumn('partner', 'text', (c) => c.notNull().defaultTo(''))
    // A random reference the household's tickets carry: once the household is erased it links to nothing,
    // yet the funders' report still counts the households served.
    .addColumn('anon_ref', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('sale_households')
    .addColumn('sale_id', 'text', (c) => c.primaryKey().references('sales.id'))
    .addColumn('household_id', 'integer', (c) => c.references('households.id').onDelete('set null'))
    .addColumn('household_ref', 'text', (c) => c.notNull())
    .addColumn('business_day', 'text', (c) => c.notNull())
    .addColumn('public_cents', 'integer', (c) => c.notNull())
    .addColumn('household_cents', 'integer', (c) => c.notNull())
    .addColumn('fund_cents', 'integer', (c) => c.notNull())
    // Per category, as charged: [{ categoryId, items, publicCents, householdCents }] (the funders' report).
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await sql`create index sale_households_household on sale_households (household_id, business_day)`.execute(db);
  await sql`create index sale_households_day on sale_households (business_day)`.execute(db);
  await db.schema
    .createTable('solidarity_shares')
    .addColumn('category_id', 'integer', (c) => c.primaryKey().references('categories.id'))
    .addColumn('household_share_bp', 'integer', (c) => c.notNull().check(sql`household_share_bp between 0 and 10000`))
    .execute();
  await db.schema
    .createTable('solidarity_funders')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('solidarity_contributions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('funder_id', 'integer', (c) => c.notNull().references('solidarity_funders.id'))
    .addColumn('amount_cents', 'integer', (c) => c.notNull().check(sql`amount_cents > 0`))
    .addColumn('received_on', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .execute();
}
