/**
 * The settlement's reads of the sales journal and the stock ledger: what a statement has not settled yet.
 * Portable SQL through kysely, except the sales watermark (marked `SQLite:` below).
 */
import { sql } from 'kysely';
import type { Db } from '../../db/schema.ts';
import { salesWriteOrder } from '../../db/engine.ts';

export interface UnsettledLine {
  sale_id: string;
  line_no: number;
  product_id: number;
  name: string;
  unit: 'piece' | 'kg';
  quantity: number;
  unit_price_cents: number;
  total_cents: number;
  vat_rate_bp: number;
  kind: 'sale' | 'refund';
  business_day: string;
  number: number;
  created_at: string;
  till_name: string;
  category_id: number | null;
  outlet_id: number;
}

/** Which sales to look in, by business day (`from`…`to`, inclusive). */
export type SalesOf =
  /** Every sale of those days in these outlets (the days index: the month's tickets, whatever the history). */
  | { outletIds: number[]; from: string; to: string }
  /** The sales of those days written after a watermark (`salesWatermark`). */
  | { writtenAfter: number; from: string; to: string }
  /** The producer's lines of those days, the long way (statements from before the watermark existed). */
  | { from: string; to: string };

/**
 * The highest write position in the sales table: a sale written after this read has a higher one.
 * SQLite: `rowid` is the order tickets were written in (SQLite writes one transaction at a time). PostgreSQL:
 * `write_seq` (migration 030), taken inside transactions serialized by one lock, so in commit order too.
 */
export async function salesWatermark(db: Db): Promise<number> {
  const { rows } = await sql<{ m: number | null }>`select max(${salesWriteOrder(db)}) as m from sales`.execute(db);
  return rows[0]?.m ?? 0;
}

/** A producer's lines of the given sales that no statement has settled (training tickets never count). */
export async function unsettledLines(db: Db, producerId: number, of: SalesOf): Promise<UnsettledLine[]> {
  // A cross join with its condition in `where` (standard SQL): to SQLite it also says "sales first", each sale
  // probing the (producer_id, business_day, sale_id) index once (the line carries its ticket's day, migration
  // 033), so the work follows the sales of the days or past the watermark. Joined the other way round, SQLite's planner reads the producer's whole history through that
  // index instead (it does for the watermark's range): slower every year. PostgreSQL plans the same join from
  // its statistics either way.
  let q = db
    .selectFrom('sales as s')
    .crossJoin('sale_lines as l')
    .innerJoin('tills as t', 't.id', 's.till_id')
    .innerJoin('products as p', 'p.id', 'l.product_id')
    .leftJoin('statement_items as si', (j) => j.onRef('si.sale_id', '=', 'l.sale_id').onRef('si.line_no', '=', 'l.line_no'))
    .select([
      'l.sale_id',
      'l.line_no',
      'l.product_id',
      'l.name',
      'l.unit',
      'l.quantity',
      'l.unit_price_cents',
      'l.total_cents',
      'l.vat_rate_bp',
      's.kind',
      's.business_day',
      's.number',
      's.created_at',
      't.name as till_name',
      'p.category_id',
      's.outlet_id',
    ])
    .whereRef('l.sale_id', '=', 's.id')
    .whereRef('l.business_day', '=', 's.business_day')
    .where('l.producer_id', '=', producerId)
    .where('s.training', '=', 0)
    .where('s.business_day', '>=', of.from)
    .where('s.business_day', '<=', of.to)
    .where('si.statement_id', 'is', null);
  if ('outletIds' in of) q = q.where('s.outlet_id', 'in', of.outletIds.length ? of.outletIds : [0]);
  // See salesWatermark.
  if ('writtenAfter' in of) q = q.where(sql<number>`${salesWriteOrder(db, 's')}`, '>', of.writtenAfter);
  return (await q.execute()) as UnsettledLine[];
}

/**
 * The restaurant's use of a producer's goods not settled yet, between two instants (UTC ISO strings,
 * `from` inclusive, `to` exclusive), oldest first.
 */
export async function unsettledKitchenUse(db: Db, producerId: number, between: { from: string; to: string }) {
  return db
    .selectFrom('stock_movements as m')
    .innerJoin('products as p', 'p.id', 'm.product_id')
    .leftJoin('statement_items as si', 'si.movement_id', 'm.id')
    .select([
      'm.id',
      'm.at',
      'm.quantity',
      'm.unit_price_cents',
      'm.sale_id',
      'm.note',
      'm.site_id',
      'p.id as product_id',
      'p.name',
      'p.unit',
      'p.price_cents',
      'p.vat_rate_bp',
    ])
    .where('m.kind', '=', 'kitchen')
    .where('p.producer_id', '=', producerId)
    .where('m.at', '>=', between.from)
    .where('m.at', '<', between.to)
    .where('si.statement_id', 'is', null)
    .orderBy('m.at')
    .execute();
}
