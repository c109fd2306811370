import type { Kysely } from 'kysely';

// An order merged into a table that was itself merged later named the middle order (A → B → C): the kitchen's
// tickets read one step only and said B's table. Every merged order now names the one it ended in; the merge
// keeps it so (server/restaurant/orders.ts). Chains are walked one step at a time, at most as long as they are.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (let step = 0; step < 1000; step++) {
    const chained = await db
      .selectFrom('orders as o')
      .innerJoin('orders as m', 'm.id', 'o.merged_into')
      .select(['o.id', 'm.merged_into as last'])
      .where('m.merged_into', 'is not', null)
      .execute();
    if (!chained.length) return;
    for (const o of chained) await db.updateTable('orders').set({ merged_into: o.last }).where('id', '=', o.id).execute();
  }
}
