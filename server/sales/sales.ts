/**
 * The sales domain's services beyond recording (`record.ts`) and refunding (`refund.ts`): who rang a ticket,
 * looking tickets up, printing their receipt. Each takes the database (or a transaction), the acting
 * identity and its input; no request, no response.
 */
import type { z } from 'zod';
import type { saleListQuery, SaleView } from '../../shared/api/sales.ts';
import type { Db } from '../../db/schema.ts';
import { requireAccess, ticketScope, type Actor } from '../auth/access.ts';
import { Unprocessable } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';
import { addDuplicateJob, addReceiptJob } from '../printing/documents.ts';
import { printerOfTill } from '../printing/printers.ts';
import { loadTicketRecords } from '../journal/tickets.ts';
import { saleIdsFor, receiptJobOf, tillStaff } from './queries.ts';
import { getSale, saleView } from './record.ts';
import { amountsOf, refundedOf, refundRowsOf } from './refund.ts';
import { refundableOf, refundPart } from '../../shared/sales.ts';
import { refundSolidaritySplit } from '../solidarity/solidarity.ts';

const RANK: Record<string, number> = { waiter: 1, cashier: 1, manager: 2, admin: 3 };

/**
 * The cashier a ticket is booked to: the person logged in on the tablet that sends it. A ticket rung
 * offline and sent later under another person's session may name who rang it, but never someone above
 * the sender (a cashier naming a manager borrowed the manager's discount limit and name on the
 * inalterable ticket, issue 19 item 2): such a name is ignored and the ticket booked to the sender.
 * Approvals are never inferred from the name: they are separate, verified acts (approval tokens).
 */
export async function ringingCashier(
  db: Db,
  loggedIn: { id: number; role: string },
  named: number | undefined,
  tillId: number,
): Promise<{ id: number; role: string }> {
  if (named === undefined || named === loggedIn.id) return loggedIn;
  const staff = await tillStaff(db, named, tillId);
  if (!staff)
    throw new Unprocessable('Ticket refusé : le caissier indiqué n’est pas du personnel de cette caisse.', [
      { field: 'cashierId', reason: 'caissier inconnu, inactif ou d’une autre caisse' },
    ]);
  if ((RANK[staff.role] ?? 9) > (RANK[loggedIn.role] ?? 0)) return loggedIn;
  return staff;
}

/** One ticket, if the actor may see it (any till of its outlet). */
export async function viewSale(db: Db, actor: Actor, id: string): Promise<SaleView> {
  await requireAccess(db, actor, { sale: id, as: 'outlet' });
  return getSale(db, id);
}

/** What a ticket's refunds have given back so far, line by line, and what is left to refund of each. */
export async function refundedLines(db: Db, actor: Actor, id: string) {
  await requireAccess(db, actor, { sale: id, as: 'outlet' });
  const lines = await db
    .selectFrom('sale_lines')
    .select(['line_no', 'quantity', 'gross_cents', 'line_discount_cents', 'ticket_discount_cents'])
    .where('sale_id', '=', id)
    .orderBy('line_no')
    .execute();
  const refunds = await refundRowsOf(db, id);
  return lines.map((l) => {
    const back = refundedOf(refunds, l.line_no);
    return { lineNo: l.line_no, refundable: refundableOf(amountsOf(l), back), ...back };
  });
}

/** Tickets, newest first, within what the actor may see. */
export async function listSales(db: Db, actor: Actor, query: z.output<typeof saleListQuery>): Promise<SaleView[]> {
  const ids = await saleIdsFor(db, await ticketScope(db, actor), query);
  if (!ids.length) return [];
  const byId = new Map((await loadTicketRecords(db, { ids })).map((r) => [r.row.id, r]));
  return ids.map((id) => saleView(byId.get(id)!));
}

/**
 * What refunding these lines of a ticket gives back to the solidarity fund and to the household, worked out as
 * the refund will be checked (server/solidarity); null when the ticket was not sold at solidarity prices. A
 * quantity beyond what is left of a line counts what is left (the refund itself is refused, naming it).
 */
export async function refundSplit(
  db: Db,
  actor: Actor,
  id: string,
  wanted: readonly { lineNo: number; quantity?: number | undefined; grams?: number | undefined }[],
) {
  await requireAccess(db, actor, { sale: id, as: 'outlet' });
  const lines = await db.selectFrom('sale_lines').selectAll().where('sale_id', '=', id).execute();
  const refunds = await refundRowsOf(db, id);
  const parts = wanted.flatMap((w) => {
    const o = lines.find((l) => l.line_no === w.lineNo);
    if (!o) return [];
    const line = amountsOf(o);
    const before = refundedOf(refunds, o.line_no);
    const q = Math.min(refundableOf(line, before), o.quantity === 0 ? 1 : ((o.unit === 'kg' ? w.grams : w.quantity) ?? 0));
    if (q <= 0) return [];
    const part = refundPart(line, before, q);
    return [{ categoryId: o.category_id ?? null, items: o.unit === 'kg' ? -1 : -part.quantity, totalCents: -part.totalCents }];
  });
  const found = await refundSolidaritySplit(db, id, parts);
  return found ? { fundCents: found.split.fundCents, householdCents: found.split.householdCents } : null;
}

export interface PrintRequest {
  actor: Actor;
  /** Where the receipt's QR code points (the address the till reached us at). */
  origin: string;
  now: Date;
}

/** The customer asked for the first printed copy: queued once on the ticket's till's printer, logged either way. */
export async function requestReceipt(db: Db, saleId: string, { actor, origin, now }: PrintRequest) {
  await requireAccess(db, actor, { sale: saleId, as: 'till' });
  const sale = await getSale(db, saleId);
  const printer = await printerOfTill(db, sale.tillId);
  const userId = actor.user?.id ?? null;
  const jobId = await db.transaction().execute(async (trx) => {
    const already = await receiptJobOf(trx, sale.id);
    await recordEvent(trx, {
      kind: 'sale.receipt_requested',
      userId,
      subject: `sale:${sale.id}`,
      data: { tillId: sale.tillId, number: sale.number, printerId: printer?.id ?? null },
      at: now.toISOString(),
    });
    if (already) return already.id;
    return printer ? addReceiptJob(trx, sale.id, printer, { origin, userId, now }) : null;
  });
  return { printerId: printer?.id ?? null, jobId };
}

/** A duplicate on the printer of the till asking (or the ticket's own): logged, marked DUPLICATA with its number. */
export async function reprintSale(db: Db, saleId: string, { actor, origin, now }: PrintRequest) {
  const sale = await viewSale(db, actor, saleId);
  const tillId = actor.device?.tillId ?? null;
  const printer = await printerOfTill(db, tillId ?? sale.tillId);
  const { copy, jobId } = await db
    .transaction()
    .execute((trx) => addDuplicateJob(trx, sale, printer, { origin, userId: actor.user?.id ?? null, tillId, now }));
  return { duplicata: true as const, copy, jobId, printerId: printer?.id ?? null, sale };
}
