import type { Kysely } from 'kysely';

// Meal vouchers (titres-restaurant, art. R3262-4 ff. of the Code du travail): only food may be paid with
// them, so each product says whether it is eligible (none is until a manager ticks it: the stricter reading
// for a shop that had no flag). A voucher worth more than what it pays is not given change: the excess the
// shop keeps (« non rendu ») is recorded on the payment, hashed with the ticket when it is not zero.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('products')
    .addColumn('meal_voucher_eligible', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('sale_payments')
    .addColumn('excess_cents', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
