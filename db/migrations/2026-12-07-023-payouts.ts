import { sql, type Kysely } from 'kysely';

// Paying producers by SEPA credit transfer (issue 21, item 5): a payout gathers the statements a manager
// selected into one pain.001 file for the bank. The file is kept as made; the statements are marked paid when
// the manager confirms the file went to the bank, and freed again if the payout is cancelled before that.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('payouts')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('msg_id', 'text', (c) => c.notNull().unique())
    .addColumn('execution_date', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending','confirmed','cancelled')`))
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('total_cents', 'integer', (c) => c.notNull().check(sql`total_cents > 0`))
    .addColumn('xml', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('settled_at', 'text')
    .addColumn('settled_by', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema
    .createTable('payout_items')
    .addColumn('payout_id', 'integer', (c) => c.notNull().references('payouts.id'))
    .addColumn('statement_id', 'integer', (c) => c.notNull().references('statements.id'))
    .addColumn('amount_cents', 'integer', (c) => c.notNull().check(sql`amount_cents > 0`))
    .addColumn('iban', 'text', (c) => c.notNull())
    .addColumn('end_to_end_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('payout_items_pk', ['payout_id', 'statement_id'])
    .execute();
  await db.schema.createIndex('payout_items_statement').on('payout_items').column('statement_id').execute();
}
