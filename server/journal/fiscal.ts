/**
 * Signed chain heads and the witness, kept up to date while the server runs (issue 20, items 1–2).
 *
 * After the tickets of a write-queue batch, in the same transaction, the records committed since the last
 * look (tickets by rowid, events and closings by id) are read; a chain whose last signed head is
 * `everyRecords` records or `everyMs` old gets a new signed head (a row of `chain_heads`), and a closing its
 * signature. The head is committed with the records it attests, or not at all. Once the COMMIT is on disk
 * the same records are appended to the witness file (one write, one fdatasync per batch): the witness never
 * holds a record the database did not commit.
 *
 * NF525 practice signs each ticket; the law (CGI art. 286 I 3° bis) asks only that no record can be altered
 * or removed unseen. Read strictly, a signed head every ≤ 50 records or 10 s, every closing signed, and every
 * record in the fsync'd witness leave no record unprotected: an edit under a head breaks its signature, a
 * change or cut in the unsigned tail disagrees with the witness and with the tablets' reported heads.
 */
import path from 'node:path';
import { sql } from 'kysely';
import type { Db, Trx } from '../../db/schema.ts';
import { engineOf, salesWriteOrder } from '../../db/engine.ts';
import { rawRows } from '../../db/raw.ts';
import type { Logger } from '../log.ts';
import type { WriteQueue } from '../sales/write-queue.ts';
import { recordEvent } from './events.ts';
import {
  closingChain,
  ensureSigningKey,
  EVENTS_CHAIN,
  headMessage,
  sign,
  signUnsignedClosings,
  tillChain,
  type SigningKey,
} from './keys.ts';
import type { FiscalDuties } from '../services.ts';
import { readWitness, witnessFile, WitnessWriter, type WitnessLine } from './witness.ts';

export const SIGN_EVERY_RECORDS = 50;
export const SIGN_EVERY_MS = 10_000;

interface Cursors {
  salesRowid: number;
  eventId: number;
  closingId: number;
}

interface Staged {
  lines: WitnessLine[];
  cursors: Cursors;
  latest: Map<string, { position: number; hash: string }>;
  signed: Map<string, { position: number; at: number }>;
}

export interface FiscalOptions {
  enabled?: boolean;
  everyRecords?: number;
  everyMs?: number;
}

export class FiscalJournal {
  private cursors: Cursors = { salesRowid: 0, eventId: 0, closingId: 0 };
  /** The last committed record of each chain. */
  private latest = new Map<string, { position: number; hash: string }>();
  /** The last signed head of each chain, and when it was signed (ms). */
  private signed = new Map<string, { position: number; at: number }>();
  private forced = new Set<string>();
  private forceAll = false;
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;

  private constructor(
    private readonly db: Db,
    readonly key: SigningKey,
    private readonly witness: WitnessWriter,
    private readonly writes: WriteQueue,
    private readonly now: () => Date,
    private readonly log: Logger,
    private readonly everyRecords: number,
    private readonly everyMs: number,
  ) {}

  /**
   * Loads (or makes) the key, brings the witness up to what the database holds, signs every chain's head,
   * and hooks into the write queue. A witness that holds more than the database (a tail deleted, an older
   * copy restored) is recorded as an alert event at once; `verify` names the records.
   */
  static async open(
    db: Db,
    dataDir: string,
    writes: WriteQueue,
    now: () => Date,
    log: Logger,
    options: FiscalOptions = {},
  ): Promise<FiscalJournal> {
    const { keysDir, witnessPath } = fiscalPaths(dataDir);
    const witnessed = readWitness(witnessPath);
    const key = await db.transaction().execute(async (trx) => {
      const k = await ensureSigningKey(trx, keysDir, now());
      await signUnsignedClosings(trx, k);
      return k;
    });
    const fiscal = new FiscalJournal(
      db,
      key,
      new WitnessWriter(witnessPath),
      writes,
      now,
      log,
      options.everyRecords ?? SIGN_EVERY_RECORDS,
      options.everyMs ?? SIGN_EVERY_MS,
    );
    // Where the next batches' look begins, read before the catch-up below: a record another connection
    // commits meanwhile (the server thread, while a writer thread starts again) is beyond these cursors, so
    // the next batch witnesses it; one the catch-up also finds is written twice, which is harmless.
    const maxRowid = await sql<{ n: number | null }>`select max(${salesWriteOrder(db)}) as n from sales`.execute(db);
    const maxEvent = await db
      .selectFrom('events')
      .select((eb) => eb.fn.max('id').as('n'))
      .executeTakeFirst();
    const maxClosing = await db
      .selectFrom('closings')
      .select((eb) => eb.fn.max('id').as('n'))
      .executeTakeFirst();
    fiscal.cursors = {
      salesRowid: Number(maxRowid.rows[0]?.n ?? 0),
      eventId: Number(maxEvent?.n ?? 0),
      closingId: Number(maxClosing?.n ?? 0),
    };
    // What the database holds beyond the witness (a crash between a COMMIT and its witness line, or a shop
    // whose witness starts today), and what the witness holds beyond the database.
    const ahead: { chain: string; witnessed: number; database: number }[] = [];
    const lines: WitnessLine[] = [];
    const lastOf = (chain: string) => {
      const m = witnessed?.chains.get(chain);
      return m ? Math.max(0, ...m.keys()) : 0;
    };
    const tills = await db
      .selectFrom('sales')
      .select((eb) => ['till_id', 'training', eb.fn.max('chain_seq').as('seq')])
      .groupBy(['till_id', 'training'])
      .execute();
    for (const t of tills) {
      const chain = tillChain(t.till_id, t.training);
      const from = lastOf(chain);
      const rows = await db
        .selectFrom('sales')
        .select(['chain_seq', 'hash'])
        .where('till_id', '=', t.till_id)
        .where('training', '=', t.training)
        .where('chain_seq', '>', from)
        .orderBy('chain_seq')
        .execute();
      for (const r of rows) lines.push({ chain, position: r.chain_seq, hash: r.hash });
    }
    const events = await db.selectFrom('events').select(['id', 'hash']).where('id', '>', lastOf(EVENTS_CHAIN)).orderBy('id').execute();
    for (const e of events) lines.push({ chain: EVENTS_CHAIN, position: e.id, hash: e.hash });
    const closings = await db.selectFrom('closings').select(['outlet_id', 'seq', 'hash']).orderBy('id').execute();
    for (const c of closings)
      if (c.seq > lastOf(closingChain(c.outlet_id))) lines.push({ chain: closingChain(c.outlet_id), position: c.seq, hash: c.hash });
    fiscal.witness.append(lines);

    for (const t of tills) {
      const chain = tillChain(t.till_id, t.training);
      const last = await db
        .selectFrom('sales')
        .select(['chain_seq', 'hash'])
        .where('till_id', '=', t.till_id)
        .where('training', '=', t.training)
        .orderBy('chain_seq', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      fiscal.latest.set(chain, { position: last.chain_seq, hash: last.hash });
    }
    const lastEvent = await db.selectFrom('events').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
    if (lastEvent) fiscal.latest.set(EVENTS_CHAIN, { position: lastEvent.id, hash: lastEvent.hash });
    for (const c of closings) fiscal.latest.set(closingChain(c.outlet_id), { position: c.seq, hash: c.hash });
    const heads = await db
      .selectFrom('chain_heads')
      .select((eb) => ['chain', eb.fn.max('position').as('position'), eb.fn.max('signed_at').as('at')])
      .groupBy('chain')
      .execute();
    for (const h of heads) fiscal.signed.set(h.chain, { position: Number(h.position), at: Date.parse(String(h.at)) });

    if (witnessed)
      for (const [chain, positions] of witnessed.chains) {
        const w = Math.max(0, ...positions.keys());
        const d = fiscal.latest.get(chain)?.position ?? 0;
        if (w > d) ahead.push({ chain, witnessed: w, database: d });
      }
    if (ahead.length) {
      log.error('the witness holds records the database lacks', { chains: ahead });
      // Recorded through the write queue so that it is witnessed and signed like any other event.
      await writes.run((trx) => recordEvent(trx, { kind: 'journal.witness_ahead', userId: null, data: { chains: ahead } }));
    }
    writes.hooks = { inBatch: (trx) => fiscal.inBatch(trx), afterCommit: (s) => fiscal.afterCommit(s as Staged | null) };
    // Every chain's head signed now: a crash may have left an unsigned tail.
    await fiscal.flush({ all: true });
    fiscal.timer = setInterval(() => void fiscal.tick(), 1000);
    fiscal.timer.unref();
    return fiscal;
  }

  /** Inside a batch's transaction, after its tickets: what was committed since the last look, heads due. */
  private async inBatch(trx: Trx): Promise<Staged | null> {
    try {
      const lines: WitnessLine[] = [];
      const latest = new Map<string, { position: number; hash: string }>();
      const cursors = { ...this.cursors };
      // Read after every batch of tickets: written in SQL once (db/raw.ts). The order tickets were written in
      // is SQLite's rowid, PostgreSQL's write_seq (migration 030).
      const order = engineOf(trx) === 'sqlite' ? 'rowid' : 'write_seq';
      const sales = await rawRows<{ rowid: number; till_id: number; training: number; chain_seq: number; hash: string }>(
        trx,
        `select ${order} as rowid, till_id, training, chain_seq, hash from sales where ${order} > ? order by ${order}`,
        [cursors.salesRowid],
      );
      for (const s of sales) {
        const chain = tillChain(s.till_id, s.training);
        lines.push({ chain, position: s.chain_seq, hash: s.hash });
        latest.set(chain, { position: s.chain_seq, hash: s.hash });
        cursors.salesRowid = s.rowid;
      }
      const events = await rawRows<{ id: number; hash: string }>(trx, 'select "id", "hash" from "events" where "id" > ? order by "id"', [
        cursors.eventId,
      ]);
      for (const e of events) {
        lines.push({ chain: EVENTS_CHAIN, position: e.id, hash: e.hash });
        latest.set(EVENTS_CHAIN, { position: e.id, hash: e.hash });
        cursors.eventId = e.id;
      }
      const closings = await rawRows<{ id: number; outlet_id: number; seq: number; hash: string; signature: string | null }>(
        trx,
        'select "id", "outlet_id", "seq", "hash", "signature" from "closings" where "id" > ? order by "id"',
        [cursors.closingId],
      );
      const signedAt = this.now();
      for (const c of closings) {
        const chain = closingChain(c.outlet_id);
        lines.push({ chain, position: c.seq, hash: c.hash });
        latest.set(chain, { position: c.seq, hash: c.hash });
        cursors.closingId = c.id;
        if (c.signature === null)
          await trx
            .updateTable('closings')
            .set({ signature: sign(this.key, headMessage(chain, c.seq, c.hash)), key_id: this.key.id })
            .where('id', '=', c.id)
            .execute();
        // Every closing is a head of its chain, signed at once.
        this.forced.add(chain);
      }
      const signed = new Map<string, { position: number; at: number }>();
      const heads = new Map(this.latest);
      for (const [chain, head] of latest) heads.set(chain, head);
      for (const [chain, head] of heads) {
        const last = this.signed.get(chain);
        if (last && last.position >= head.position) continue;
        const due =
          this.forceAll ||
          this.forced.has(chain) ||
          !last ||
          head.position - last.position >= this.everyRecords ||
          signedAt.getTime() - last.at >= this.everyMs;
        if (!due) continue;
        await trx
          .insertInto('chain_heads')
          .values({
            chain,
            position: head.position,
            hash: head.hash,
            signed_at: signedAt.toISOString(),
            signature: sign(this.key, headMessage(chain, head.position, head.hash)),
            key_id: this.key.id,
          })
          .execute();
        signed.set(chain, { position: head.position, at: signedAt.getTime() });
      }
      return { lines, cursors, latest, signed };
    } catch (e) {
      // The tickets of the batch are not held back by a head that could not be signed: the next batch retries.
      this.log.error('chain heads not signed', { error: (e as Error).message });
      return null;
    }
  }

  private afterCommit(staged: Staged | null): void {
    // A batch under way when the duties were lost (detach): the new owner witnesses its records as it opens.
    if (!staged || this.detached) return;
    try {
      this.witness.append(staged.lines);
    } catch (e) {
      // Not moved forward: the next batch writes these lines again.
      this.log.error('witness not written', { error: (e as Error).message });
      return;
    }
    this.cursors = staged.cursors;
    for (const [chain, head] of staged.latest) this.latest.set(chain, head);
    for (const [chain, s] of staged.signed) {
      this.signed.set(chain, s);
      this.forced.delete(chain);
    }
  }

  /** Witnesses what was committed outside the write queue and signs the heads now (closings, a till's sync, stop). */
  async flush(options: { all?: boolean; chains?: string[] } = {}): Promise<void> {
    if (options.all) this.forceAll = true;
    for (const c of options.chains ?? []) this.forced.add(c);
    try {
      await this.writes.run(async () => undefined);
    } finally {
      if (options.all) this.forceAll = false;
    }
  }

  /** Once a second: records committed outside the write queue (events of a login, a closing), heads grown old. */
  private async tick() {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const now = this.now().getTime();
      const stale = [...this.latest].some(([chain, head]) => {
        const s = this.signed.get(chain);
        return !s || (s.position < head.position && now - s.at >= this.everyMs);
      });
      const lastEvent = await this.db
        .selectFrom('events')
        .select((eb) => eb.fn.max('id').as('n'))
        .executeTakeFirst();
      const lastClosing = await this.db
        .selectFrom('closings')
        .select((eb) => eb.fn.max('id').as('n'))
        .executeTakeFirst();
      const lastSale = await sql<{ n: number | null }>`select max(${salesWriteOrder(this.db)}) as n from sales`.execute(this.db);
      const behind =
        Number(lastEvent?.n ?? 0) > this.cursors.eventId ||
        Number(lastClosing?.n ?? 0) > this.cursors.closingId ||
        Number(lastSale.rows[0]?.n ?? 0) > this.cursors.salesRowid;
      if (stale || behind) await this.flush();
    } catch (e) {
      this.log.warn('fiscal tick failed', { error: (e as Error).message });
    } finally {
      this.ticking = false;
    }
  }

  /** The witness file's descriptor (a writer thread that dies leaves it open in the process: server/sales/ticket-writer.ts). */
  get witnessDescriptor(): number {
    return this.witness.descriptor;
  }

  /** The last record of a chain the server holds (a till's reported head is compared with it). */
  headOf(chain: string) {
    return this.latest.get(chain);
  }

  /** The duties went to another process: a batch still under way writes nothing more (`afterCommit`). */
  private detached = false;

  /** At a clean stop, after the last ticket: every head signed, the witness closed. */
  /**
   * Stops without signing (this process lost the duties to another, server/system/owner.ts): the new owner
   * catches the witness up and signs every head as it opens.
   */
  detach(): void {
    this.detached = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.writes.hooks?.inBatch) this.writes.hooks = null;
    this.witness.close();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush({ all: true });
    this.writes.hooks = null;
    this.witness.close();
  }
}

/**
 * Signs and witnesses now what was just written (a closing: signed before it is answered). In the process
 * that holds the duties, its journal does it; in another (several processes, server/system/owner.ts), the
 * owner's journal signs within its next second: this waits until no closing is left unsigned, 5 s at most.
 */
export async function flushJournal(
  services: { fiscal?: FiscalDuties; database: { db: Db; engine: string } },
  options: { all?: boolean; chains?: string[] } = {},
): Promise<void> {
  if (services.fiscal) return services.fiscal.flush(options);
  if (services.database.engine !== 'postgres') return;
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const unsigned = await services.database.db
      .selectFrom('closings')
      .select('id')
      .where('signature', 'is', null)
      .limit(1)
      .executeTakeFirst();
    if (!unsigned) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const fiscalPaths = (dataDir: string) => ({
  keysDir: path.join(dataDir, 'keys'),
  witnessPath: witnessFile(dataDir),
});
