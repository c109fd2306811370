import { sql, type Kysely } from 'kysely';

// The building's other counters (issue 22): the épicerie solidaire, the textile shop and the ressourcerie
// become outlets like the shop and the restaurant (their own tills, numbering, chain and Z). A shop created
// before has only the first two.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const exists = await sql<{ n: number }>`select count(*) as n from outlets`.execute(db);
  // An empty database (a shop not created yet) gets its outlets when it is created.
  if (Number(exists.rows[0]?.n ?? 0) === 0) return;
  for (const [code, name] of [
    ['epicerie', 'Épicerie solidaire'],
    ['textile', 'Boutique textile'],
    ['ressourcerie', 'Ressourcerie'],
  ])
    await sql`insert into outlets (code, name) select ${code}, ${name} where not exists (select 1 from outlets where code = ${code})`.execute(
      db,
    );
}
