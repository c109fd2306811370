/**
 * The print jobs the shop asks for, from what it knows: the printer's profile picks the width and code
 * page, receipt.ts lays the document out, the queue sends it.
 */
import { recordEvent } from '../journal/events.ts';
import type { Db } from '../../db/schema.ts';
import { receiptData } from '../receipts/digital.ts';
import { EscPos } from './escpos.ts';
import type { PrinterRowView } from './printers.ts';
import { PrintQueue } from './queue.ts';
import { customerReceipt, testPage } from './receipt.ts';

export function drawerBytes(): Uint8Array {
  return new EscPos({ columns: 48, codePage: 'pc858' }).drawer().bytes();
}

export function testPageBytes(printer: PrinterRowView): Uint8Array {
  return testPage({ columns: printer.columns, codePage: printer.codePage }, printer.name);
}

/**
 * Queues a customer receipt (or, with `copy`, a DUPLICATA) of a stored ticket on a printer, inside the
 * caller's transaction. The QR code leads to the digital receipt.
 */
export async function addReceiptJob(
  db: Db,
  saleId: string,
  printer: PrinterRowView,
  opts: { origin: string; copy?: number | null; userId: number | null; now: Date },
): Promise<number> {
  const bytes = await receiptBytes(db, saleId, printer, opts);
  return PrintQueue.add(
    db,
    { printerId: printer.id, kind: opts.copy ? 'duplicate' : 'receipt', subject: `sale:${saleId}`, bytes, createdBy: opts.userId },
    opts.now,
  );
}

async function receiptBytes(
  db: Db,
  saleId: string,
  printer: Pick<PrinterRowView, 'columns' | 'codePage'>,
  opts: { origin: string; copy?: number | null },
) {
  const data = await receiptData(db, saleId);
  return customerReceipt(
    data,
    { columns: printer.columns, codePage: printer.codePage },
    { qrUrl: `${opts.origin}/r/${data.sale.receiptToken}`, copy: opts.copy ?? null },
  );
}

/**
 * A receipt printed again: copy n of the ticket, marked DUPLICATA with its number, and logged
 * (`sale.reprinted`), inside the caller's transaction.
 */
export async function addDuplicateJob(
  db: Db,
  sale: { id: string; number: number },
  printer: PrinterRowView | null,
  opts: { origin: string; userId: number | null; tillId: number | null; now: Date },
) {
  const copy = await nextDuplicate(db, sale, printer, opts);
  const jobId = printer
    ? await addReceiptJob(db, sale.id, printer, { origin: opts.origin, copy, userId: opts.userId, now: opts.now })
    : null;
  return { copy, jobId };
}

/** The bytes of the next DUPLICATA of a ticket, logged, for the queue to send in place of a job. */
export async function duplicateBytes(
  db: Db,
  sale: { id: string; number: number },
  printer: PrinterRowView,
  opts: { origin: string; userId: number | null; tillId: number | null; now: Date },
) {
  const copy = await nextDuplicate(db, sale, printer, opts);
  return receiptBytes(db, sale.id, printer, { origin: opts.origin, copy });
}

async function nextDuplicate(
  db: Db,
  sale: { id: string; number: number },
  printer: PrinterRowView | null,
  opts: { userId: number | null; tillId: number | null; now: Date },
): Promise<number> {
  const before = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('kind', '=', 'sale.reprinted')
    .where('subject', '=', `sale:${sale.id}`)
    .executeTakeFirst();
  const copy = Number(before?.n ?? 0) + 1;
  await recordEvent(db, {
    kind: 'sale.reprinted',
    userId: opts.userId,
    subject: `sale:${sale.id}`,
    data: { tillId: opts.tillId, number: sale.number, copy, printerId: printer?.id ?? null },
    at: opts.now.toISOString(),
  });
  return copy;
}

/** Any other job printed again: the same bytes under a banner that says it is a reprint. */
export function reprintBytes(bytes: Uint8Array, printer: Pick<PrinterRowView, 'columns' | 'codePage'>): Uint8Array {
  const banner = new EscPos({ columns: printer.columns, codePage: printer.codePage })
    .init()
    .align('center')
    .bold(true)
    .line('*** RÉIMPRESSION ***')
    .bold(false)
    .bytes();
  return Buffer.concat([Buffer.from(banner), Buffer.from(bytes)]);
}
