import type { Kysely } from 'kysely';

// A bill paid in shares (N equal parts, a custom amount) and tips on card:
// - `order_payments.amount_cents`: what a share ticket paid of an order's line, in cents (its `quantity`
//   is then 0). Null on a line paid by item: it paid `quantity` × the line's unit price.
// - `sale_payments.tip_cents`: a tip added on a card payment, charged with it, outside the ticket's total.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('order_payments').addColumn('amount_cents', 'integer').execute();
  await db.schema
    .alterTable('sale_payments')
    .addColumn('tip_cents', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
