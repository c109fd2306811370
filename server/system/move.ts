/**
 * Moving a shop from its SQLite file to PostgreSQL (`npm run cli -- migrate --to postgres://…`): every row of
 * every table copied as it is (ids, hashes, signatures, timestamps), in one PostgreSQL transaction, into a
 * database that holds no shop yet. Then both sides are compared table by table (a digest of every row) and
 * verified (chains, signatures, closings, stock, witness): the move is only said done when they agree.
 */
import crypto from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { OpenDatabase, SqliteDatabase } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { verifyAll } from '../journal/verify.ts';

type VerifyReport = Awaited<ReturnType<typeof verifyAll>>;

/** Kysely's own bookkeeping: each side keeps its own (both ran the same migrations). */
const SKIPPED = new Set(['kysely_migration', 'kysely_migration_lock']);
const BATCH = 500;

interface Table {
  name: string;
  columns: string[];
  /** Read in this order: SQLite's rowid (the order written), or the primary key of a table without one. */
  order: string;
}

/** The shop's tables, each after the tables it refers to (a row's parent is copied before it). */
function tablesInOrder(source: SqliteDatabase): Table[] {
  const sqlite = source.sqlite;
  const names = (
    sqlite.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`).all() as {
      name: string;
    }[]
  )
    .map((r) => r.name)
    .filter((n) => !SKIPPED.has(n));
  const parents = new Map(
    names.map((n) => [
      n,
      new Set(
        (sqlite.prepare(`select "table" as t from pragma_foreign_key_list(?)`).all(n) as { t: string }[])
          .map((r) => r.t)
          .filter((t) => t !== n),
      ),
    ]),
  );
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < names.length) {
    const ready = names.filter((n) => !placed.has(n) && [...parents.get(n)!].every((p) => placed.has(p) || !parents.has(p)));
    if (!ready.length) throw new Error(`circular references between ${names.filter((n) => !placed.has(n)).join(', ')}`);
    for (const n of ready) {
      ordered.push(n);
      placed.add(n);
    }
  }
  return ordered.map((name) => {
    const info = sqlite.prepare(`select name, pk from pragma_table_info(?) order by cid`).all(name) as { name: string; pk: number }[];
    const withoutRowid = /without rowid\s*$/i.test(
      (sqlite.prepare(`select sql from sqlite_master where type = 'table' and name = ?`).get(name) as { sql: string }).sql,
    );
    const pk = info
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => `"${c.name}"`);
    return { name, columns: info.map((c) => c.name), order: withoutRowid ? pk.join(', ') : 'rowid' };
  });
}

/** One digest per table over every row, in primary-key order, values written the same way on both engines. */
export async function tableDigests(
  db: Kysely<Database>,
  tables: readonly Table[],
): Promise<Record<string, { rows: number; sha256: string }>> {
  const out: Record<string, { rows: number; sha256: string }> = {};
  for (const t of tables) {
    const hash = crypto.createHash('sha256');
    const cols = t.columns.map((c) => sql.ref(c));
    // Every column, nulls first (SQLite's default, PostgreSQL's when asked): the same order on both sides.
    const order = sql.join(t.columns.map((c) => sql`${sql.ref(c)} nulls first`));
    const { rows } = await sql<Record<string, unknown>>`select ${sql.join(cols)} from ${sql.table(t.name)} order by ${order}`.execute(db);
    for (const row of rows)
      hash.update(
        JSON.stringify(t.columns.map((c) => (Buffer.isBuffer(row[c]) ? `b64:${(row[c] as Buffer).toString('base64')}` : row[c]))) + '\n',
      );
    out[t.name] = { rows: rows.length, sha256: hash.digest('hex') };
  }
  return out;
}

export interface MoveReport {
  tables: number;
  rows: number;
  /** Tables whose rows differ between the two sides after the copy (none when the move is good). */
  differing: string[];
  source: Pick<VerifyReport, 'ok' | 'tickets' | 'closings' | 'grandTotalCents' | 'events'> & { problems: number };
  target: Pick<VerifyReport, 'ok' | 'tickets' | 'closings' | 'grandTotalCents' | 'events'> & { problems: number };
}

const summary = (r: VerifyReport) => ({
  ok: r.ok,
  tickets: r.tickets,
  closings: r.closings,
  grandTotalCents: r.grandTotalCents,
  events: r.events,
  problems: r.problems.length,
});

export class MoveRefused extends Error {}

/**
 * Copies the SQLite shop `source` into the PostgreSQL database `target` (migrated, holding no shop), then
 * compares and verifies both. `dataDir` holds the signing keys and the witness both sides are checked with.
 */
export async function moveShop(
  source: SqliteDatabase,
  target: OpenDatabase,
  options: { dataDir: string; targetUrl: string; sourceFile: string },
): Promise<MoveReport> {
  if (target.engine !== 'postgres') throw new MoveRefused('la destination doit être une base PostgreSQL');
  const held = await sql<{ n: number }>`select (select count(*) from settings) + (select count(*) from events) as n`.execute(target.db);
  if (Number(held.rows[0]!.n) > 0) throw new MoveRefused('la base PostgreSQL contient déjà une boutique : rien n’a été copié');
  const tables = tablesInOrder(source);
  let rows = 0;
  await target.db.transaction().execute(async (trx) => {
    for (const t of tables) {
      // PostgreSQL's sales carry their write order in a column of their own, numbered by the inserts below
      // in SQLite's rowid order: the same order.
      const select = source.sqlite.prepare(`select ${t.columns.map((c) => `"${c}"`).join(', ')} from "${t.name}" order by ${t.order}`);
      let batch: Record<string, unknown>[] = [];
      const flush = async () => {
        if (!batch.length) return;
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        await trx
          .insertInto(t.name as any)
          .values(batch as any)
          .execute();
        rows += batch.length;
        batch = [];
      };
      for (const row of select.iterate() as Iterable<Record<string, unknown>>) {
        batch.push(row);
        if (batch.length >= BATCH) await flush();
      }
      await flush();
    }
    // Identity columns continue after the ids copied.
    const identities = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
       where table_schema = current_schema() and is_identity = 'YES' and identity_generation = 'BY DEFAULT'`.execute(trx);
    for (const { table_name, column_name } of identities.rows)
      await sql`select setval(pg_get_serial_sequence(${table_name}, ${column_name}),
        coalesce((select max(${sql.ref(column_name)}) from ${sql.table(table_name)}), 0) + 1, false)`.execute(trx);
  });
  // The copied tables' statistics and visibility map, as autovacuum would leave them in time: the planner
  // knows their sizes from the first request, and an index that holds what a query reads (a producer's lines
  // by day, migration 033) is read without the table.
  await sql`vacuum (analyze)`.execute(target.db);
  const before = await tableDigests(source.db, tables);
  const after = await tableDigests(target.db, tables);
  const differing = tables.map((t) => t.name).filter((n) => before[n]!.sha256 !== after[n]!.sha256);
  const sourceReport = await verifyAll(source.db, { file: options.sourceFile, dataDir: options.dataDir });
  const targetReport = await verifyAll(target.db, { file: options.targetUrl, dataDir: options.dataDir });
  return { tables: tables.length, rows, differing, source: summary(sourceReport), target: summary(targetReport) };
}
