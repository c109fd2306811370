import type { Kysely } from 'kysely';

// A manager's approval is good once (found by an adversarial probe: one approval given for a 40 € discount
// took 1 700 € out of the drawer in three movements, each recorded as approved). Each approval used is kept
// here by its signature, with what it approved (`sale:<id>`, `drawer:<id>`, `void:<id>`): the same
// operation sent again (a till's retry) finds it; any other is refused.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('approval_uses')
    .addColumn('mac', 'text', (c) => c.primaryKey())
    .addColumn('manager_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text', (c) => c.notNull())
    .execute();
}
