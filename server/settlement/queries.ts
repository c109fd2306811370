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
  /** Quantity × unit price, before the line's discount and its share of the ticket's. */
  gross_cents: number;
  total_cents: number;
  vat_rate_bp: number;
  kind: 'sale' | 'refund';
  business_day: string;
  number: number;
  created_at: string;
  /** When the goods were sold: the ticket's time, or for a refund the time of the sale it refunds. */
  sold_at: string;
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
  const columns = [
    'l.sale_id',
    'l.line_no',
    'l.product_id',
    'l.name',
    'l.unit',
    'l.quantity',
    'l.unit_price_cents',
    'l.gross_cents',
    'l.total_cents',
    'l.vat_rate_bp',
    'l.kind',
    'l.business_day',
    's.number',
    's.created_at',
    't.name as till_name',
    // The category the line was sold in (migration 040), not the product's of today.
    'l.category_id',
    'l.outlet_id',
  ] as const;
  if ('writtenAfter' in of) {
    // The tickets written after the watermark (late ones), few, each probing its own lines by their key: a
    // cross join with its condition in `where` says "tickets first" to SQLite (from the lines, the range of
    // days since the producer's first statement would be their whole history). PostgreSQL plans it from its
    // statistics either way.
    const rows = await db
      .selectFrom('sales as s')
      .crossJoin('sale_lines as l')
      .innerJoin('tills as t', 't.id', 's.till_id')
      .leftJoin('statement_items as si', (j) => j.onRef('si.sale_id', '=', 'l.sale_id').onRef('si.line_no', '=', 'l.line_no'))
      .leftJoin('sales as o', 'o.id', 's.refund_of')
      .select([...columns])
      .select((eb) => eb.fn.coalesce('o.created_at', 's.created_at').as('sold_at'))
      .whereRef('l.sale_id', '=', 's.id')
      .where(sql<number>`${salesWriteOrder(db, 's')}`, '>', of.writtenAfter)
      .where('s.training', '=', 0)
      .where('s.business_day', '>=', of.from)
      .where('s.business_day', '<=', of.to)
      .where('l.producer_id', '=', producerId)
      .where('si.statement_id', 'is', null)
      .execute();
    return rows as UnsettledLine[];
  }
  // The days' lines of the producer (their index by day, migration 033), each joined to its ticket.
  let q = db
    .selectFrom('sale_lines as l')
    .innerJoin('sales as s', 's.id', 'l.sale_id')
    .innerJoin('tills as t', 't.id', 's.till_id')
    .leftJoin('statement_items as si', (j) => j.onRef('si.sale_id', '=', 'l.sale_id').onRef('si.line_no', '=', 'l.line_no'))
    .leftJoin('sales as o', 'o.id', 's.refund_of')
    .select([...columns])
    .select((eb) => eb.fn.coalesce('o.created_at', 's.created_at').as('sold_at'))
    .where('l.producer_id', '=', producerId)
    .where('l.business_day', '>=', of.from)
    .where('l.business_day', '<=', of.to)
    .where('l.training', '=', 0)
    .where('si.statement_id', 'is', null);
  if ('outletIds' in of) q = q.where('l.outlet_id', 'in', of.outletIds.length ? of.outletIds : [0]);
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
