/**
 * The print jobs the shop asks for, from what it knows: the printer's profile picks the width and code
 * page, receipt.ts lays the document out, the queue sends it.
 */
import type { Db } from '../events/event-log.ts';
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
export async function addReceiptJob(db: Db, saleId: string, printer: PrinterRowView, opts: { origin: string; copy?: number | null; userId: number | null; now: Date }): Promise<number> {
  const data = await receiptData(db, saleId);
  const bytes = customerReceipt(data, { columns: printer.columns, codePage: printer.codePage }, { qrUrl: `${opts.origin}/r/${data.sale.receiptToken}`, copy: opts.copy ?? null });
  return PrintQueue.add(db, { printerId: printer.id, kind: opts.copy ? 'duplicate' : 'receipt', subject: `sale:${saleId}`, bytes, createdBy: opts.userId }, opts.now);
}
