/**
 * The restaurant's note (l'addition): numbered per outlet, printed on the till printer of the phone asking
 * for it. Asked again with nothing changed, it is the same note printed as DUPLICATA n° 1, 2… (counted);
 * once the order changed, the next note is a new number.
 */
import type { Trx } from '../../db/schema.ts';
import { vatBreakdown, type BasisPoints, type Cents } from '../../shared/money.ts';
import { sha256Hex } from '../auth/secrets.ts';
import { Unprocessable } from '../errors.ts';
import { canonicalJson } from '../journal/canonical.ts';
import { recordEvent } from '../journal/events.ts';
import { getPrinter } from '../printing/printers.ts';
import { PrintQueue } from '../printing/queue.ts';
import { restaurantNote } from '../printing/restaurant-note.ts';
import { shopIdentity } from '../settings/settings.ts';

/** From 25 € TTC a note is due to every customer (arrêté du 8 juin 1967, as amended): it is produced by itself. */
export const NOTE_REQUIRED_CENTS = 2500;

export async function printNote(
  trx: Trx,
  order: { id: string; outlet_id: number; table_id: number | null; covers: number },
  ask: {
    customerName: string | null;
    tillId: number | null;
    userId: number;
    now: Date;
    /** Produced by itself as the bill is settled: only for 25 € and more, and only if that note was not printed already. */
    auto?: boolean;
  },
): Promise<void> {
  const last = await trx
    .selectFrom('order_notes')
    .select(['number', 'copy', 'content_hash', 'customer_name'])
    .where('order_id', '=', order.id)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const customerName = ask.auto ? (last?.customer_name ?? null) : ask.customerName;
  const lines = await trx
    .selectFrom('order_lines')
    .select(['name', 'quantity', 'unit_price_cents', 'vat_rate_bp', 'modifiers'])
    .where('order_id', '=', order.id)
    .where('status', '!=', 'voided')
    .orderBy('position')
    .execute();
  if (!lines.length) {
    if (ask.auto) return;
    throw new Unprocessable('Rien à mettre sur la note.', [{ field: 'kind', reason: 'commande vide' }]);
  }
  // The same dish with the same options at the same price is one line of the note.
  type Item = {
    quantity: number;
    name: string;
    modifiers?: { name: string; priceCents: number }[];
    unitPriceCents: number;
    vatRateBp: number;
  };
  const items = new Map<string, Item>();
  for (const l of lines) {
    const modifiers = (JSON.parse(l.modifiers) as { name: string; priceCents: number }[]).map((m) => ({
      name: m.name,
      priceCents: m.priceCents,
    }));
    const key = `${l.name}\u0000${l.unit_price_cents}\u0000${l.vat_rate_bp}\u0000${JSON.stringify(modifiers)}`;
    // No options: the item as notes had it before there were any (its content hash unchanged).
    const item = items.get(key) ?? {
      quantity: 0,
      name: l.name,
      ...(modifiers.length ? { modifiers } : {}),
      unitPriceCents: l.unit_price_cents,
      vatRateBp: l.vat_rate_bp,
    };
    item.quantity += l.quantity;
    items.set(key, item);
  }
  const list = [...items.values()].map((i) => ({ ...i, totalCents: i.quantity * i.unitPriceCents }));
  const totalCents = list.reduce((s, i) => s + i.totalCents, 0);
  const vat = vatBreakdown(list.map((i) => ({ gross: i.totalCents as Cents, vatRate: i.vatRateBp as BasisPoints }))).map((v) => ({
    vatRateBp: v.vatRate,
    grossCents: v.gross,
    netCents: v.net,
    vatCents: v.vat,
  }));
  const contentHash = sha256Hex(canonicalJson({ list, customerName }));
  if (ask.auto && (totalCents < NOTE_REQUIRED_CENTS || last?.content_hash === contentHash)) return;
  let number: number;
  let copy = 0;
  if (last && last.content_hash === contentHash) {
    number = last.number;
    copy = last.copy + 1;
  } else {
    const highest = await trx
      .selectFrom('order_notes')
      .select((eb) => eb.fn.max('number').as('n'))
      .where('outlet_id', '=', order.outlet_id)
      .executeTakeFirst();
    number = Number(highest?.n ?? 0) + 1;
  }
  const at = ask.now.toISOString();
  const row = await trx
    .insertInto('order_notes')
    .values({
      order_id: order.id,
      outlet_id: order.outlet_id,
      number,
      copy,
      content_hash: contentHash,
      total_cents: totalCents,
      customer_name: customerName,
      created_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const till = ask.tillId ? await trx.selectFrom('tills').select('printer_id').where('id', '=', ask.tillId).executeTakeFirst() : undefined;
  if (till?.printer_id) {
    const printer = await getPrinter(trx, till.printer_id);
    const outlet = await trx.selectFrom('outlets').select('name').where('id', '=', order.outlet_id).executeTakeFirstOrThrow();
    const table = order.table_id
      ? await trx.selectFrom('dining_tables').select('name').where('id', '=', order.table_id).executeTakeFirst()
      : undefined;
    const bytes = restaurantNote(
      {
        shop: await shopIdentity(trx),
        number,
        copy,
        at,
        place: outlet.name,
        table: table?.name ?? null,
        covers: order.covers,
        items: list,
        vat,
        totalCents,
        customerName,
      },
      printer,
    );
    const jobId = await PrintQueue.add(
      trx,
      { printerId: printer.id, kind: 'note', subject: `note:${row.id}`, bytes, createdBy: ask.userId },
      ask.now,
    );
    await trx.updateTable('order_notes').set({ print_job_id: jobId }).where('id', '=', row.id).execute();
  }
  await recordEvent(trx, {
    kind: 'order.note_printed',
    userId: ask.userId,
    subject: `order:${order.id}`,
    data: { number, copy, totalCents, auto: Boolean(ask.auto) },
    at,
  });
}
