/**
 * Paying producers (issue 21, item 5): the statements a manager selects, each owed to a producer with an
 * IBAN, become one SEPA credit transfer file (pain.001.001.03, the version every French bank takes) for the
 * shop's bank. The file is kept as made; confirming that it went to the bank marks every statement paid
 * (by transfer, on the execution date, referenced by its end-to-end id); a payout cancelled before that frees
 * its statements. Built with `sepa` (sepa.js), checked against the ISO 20022 schema in the tests.
 */
import { Document as SepaDocument } from 'sepa';
import type { Kysely } from 'kysely';
import type { Database, Db, Trx } from '../../db/schema.ts';
import type { PayoutView } from '../../shared/api/payouts.ts';
import { isBankDay, maskIban, nextBankDay } from '../../shared/banking.ts';
import { formatEuros, type Cents } from '../../shared/money.ts';
import { statementCode } from '../../shared/settlement.ts';
import { businessDay, frDay, zonedDateTime } from '../../shared/time.ts';
import { Conflict, Invalid, NotFound } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';
import { shopIdentity } from '../settings/settings.ts';
import { writePayment } from './statements.ts';

type Change = { userId: number; now: Date };

/**
 * SEPA's character set is a basic Latin one (EPC guidelines): accents taken off, anything else a space,
 * cut to the field's length. « Élevage de Vabre & fils » → « Elevage de Vabre fils ».
 */
export function sepaText(s: string, max: number): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’‘]/g, "'")
    .replace(/[^A-Za-z0-9/?:().,'+ -]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max)
    .trim();
}

async function payoutView(db: Db, id: number): Promise<PayoutView> {
  const p = await db.selectFrom('payouts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!p) throw new NotFound('Virement');
  const items = await db
    .selectFrom('payout_items as i')
    .innerJoin('statements as st', 'st.id', 'i.statement_id')
    .innerJoin('producers as pr', 'pr.id', 'st.producer_id')
    .select(['i.statement_id', 'i.amount_cents', 'i.iban', 'i.end_to_end_id', 'st.number', 'pr.name'])
    .where('i.payout_id', '=', id)
    .orderBy('st.number')
    .execute();
  return {
    id: p.id,
    msgId: p.msg_id,
    executionDate: p.execution_date,
    status: p.status,
    count: p.count,
    totalCents: p.total_cents,
    createdAt: p.created_at,
    settledAt: p.settled_at,
    items: items.map((i) => ({
      statementId: i.statement_id,
      code: statementCode(i.number),
      producerName: i.name,
      amountCents: i.amount_cents,
      iban: maskIban(i.iban),
      endToEndId: i.end_to_end_id,
    })),
  };
}

export const getPayout = (db: Db, id: number) => payoutView(db, id);

export async function listPayouts(db: Db): Promise<PayoutView[]> {
  const rows = await db.selectFrom('payouts').select('id').orderBy('id', 'desc').limit(50).execute();
  const out: PayoutView[] = [];
  for (const r of rows) out.push(await payoutView(db, r.id));
  return out;
}

export async function payoutXml(db: Db, id: number): Promise<{ xml: string; filename: string }> {
  const p = await db.selectFrom('payouts').select(['xml', 'msg_id']).where('id', '=', id).executeTakeFirst();
  if (!p) throw new NotFound('Virement');
  return { xml: p.xml, filename: `virements-${p.msg_id}.xml` };
}

/** Prepares the file: every statement checked first, and all that is wrong said at once. */
export async function createPayout(
  db: Kysely<Database>,
  { userId, now }: Change,
  input: { statementIds: number[]; executionDate: string },
  timeZone: string,
): Promise<PayoutView> {
  return db.transaction().execute(async (trx) => {
    const today = businessDay(now, timeZone);
    if (input.executionDate < today)
      throw new Invalid({ field: 'executionDate', reason: 'date passée : la banque exécute un virement au plus tôt aujourd’hui' });
    // A Sunday's file was offered by default (a newcomer's walk): banks execute on TARGET2 days only.
    if (!isBankDay(input.executionDate))
      throw new Invalid({
        field: 'executionDate',
        reason: `pas de virement ce jour-là (week-end ou jour férié bancaire) : le prochain jour possible est le ${frDay(nextBankDay(input.executionDate))}`,
      });
    const shop = await shopIdentity(trx);
    if (!shop.iban)
      throw new Conflict(
        'Renseignez d’abord l’IBAN de la boutique (Caisses et réglages) : c’est le compte débité par le virement.',
        'iban',
      );
    const problems: { field: string; reason: string }[] = [];
    const seen = new Set<number>();
    input.statementIds.forEach((id, i) => {
      if (seen.has(id)) problems.push({ field: `statementIds.${i}`, reason: 'relevé choisi deux fois' });
      seen.add(id);
    });
    const rows = await trx
      .selectFrom('statements as st')
      .innerJoin('producers as pr', 'pr.id', 'st.producer_id')
      .select([
        'st.id',
        'st.number',
        'st.period_from',
        'st.period_to',
        'st.net_cents',
        'st.paid_on',
        'pr.name',
        'pr.legal_name',
        'pr.iban',
        'pr.bic',
      ])
      .where('st.id', 'in', [...seen])
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const pending = await trx
      .selectFrom('payout_items as i')
      .innerJoin('payouts as p', 'p.id', 'i.payout_id')
      .select(['i.statement_id', 'p.msg_id'])
      .where('p.status', '=', 'pending')
      .where('i.statement_id', 'in', [...seen])
      .execute();
    const inPending = new Map(pending.map((r) => [r.statement_id, r.msg_id]));
    input.statementIds.forEach((id, i) => {
      const s = byId.get(id);
      const field = `statementIds.${i}`;
      if (!s) return problems.push({ field, reason: `relevé ${id} inconnu` });
      const code = statementCode(s.number);
      if (s.paid_on) problems.push({ field, reason: `${code} (${s.name}) est déjà payé, le ${frDay(s.paid_on)}` });
      else if (s.net_cents <= 0)
        problems.push({ field, reason: `${code} (${s.name}) : rien à verser, le producteur doit ${formatEuros(-s.net_cents as Cents)}` });
      else if (!s.iban) problems.push({ field, reason: `${s.name} n’a pas d’IBAN : renseignez-le dans sa fiche producteur` });
      else if (inPending.has(id)) problems.push({ field, reason: `${code} est déjà dans le virement ${inPending.get(id)} en attente` });
      return undefined;
    });
    if (problems.length) throw new Invalid(problems);

    const chosen = input.statementIds.map((id) => byId.get(id)!);
    const last = await trx
      .selectFrom('payouts')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirst();
    const number = Number(last?.id ?? 0) + 1;
    const msgId = `CPT-${today.replaceAll('-', '')}-${String(number).padStart(4, '0')}`;

    const doc = new SepaDocument('pain.001.001.03');
    doc.grpHdr.id = msgId;
    doc.grpHdr.created = now;
    doc.grpHdr.initiatorName = sepaText(shop.legalName, 70);
    const info = doc.createPaymentInfo();
    // Noon, server time: the library writes the date in the server's zone.
    info.requestedExecutionDate = new Date(`${input.executionDate}T12:00:00`);
    info.debtorName = sepaText(shop.legalName, 70);
    info.debtorIBAN = shop.iban;
    info.debtorBIC = shop.bic;
    doc.addPaymentInfo(info);
    const items = chosen.map((s) => {
      const code = statementCode(s.number);
      const tx = info.createTransaction();
      tx.creditorName = sepaText(s.legal_name || s.name, 70);
      tx.creditorIBAN = s.iban!;
      tx.creditorBIC = s.bic ?? '';
      // Cents to euros for the file only: the amounts of record stay integers.
      tx.amount = s.net_cents / 100;
      tx.end2endId = code;
      tx.remittanceInfo = sepaText(`Releve ${code} depot-vente du ${frDay(s.period_from)} au ${frDay(s.period_to)}`, 140);
      info.addTransaction(tx);
      return { statementId: s.id, amountCents: s.net_cents, iban: s.iban!, endToEndId: code };
    });
    let xml: string;
    try {
      // Its creation time as the shop's clock reads it, with the offset (the library writes the server's clock,
      // UTC on a hosted server, with no zone: read an hour early; found by a walk).
      xml = doc.toString().replace(/<CreDtTm>[^<]*<\/CreDtTm>/, `<CreDtTm>${zonedDateTime(now, timeZone)}</CreDtTm>`);
    } catch (e) {
      // The library's own checks (a BIC of another country than its IBAN…): said, not a 500.
      throw new Invalid({ field: 'statementIds', reason: `fichier SEPA refusé : ${(e as Error).message}` });
    }
    const totalCents = items.reduce((s, i) => s + i.amountCents, 0);
    const at = now.toISOString();
    const { id } = await trx
      .insertInto('payouts')
      .values({
        msg_id: msgId,
        execution_date: input.executionDate,
        status: 'pending',
        count: items.length,
        total_cents: totalCents,
        xml,
        created_at: at,
        created_by: userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('payout_items')
      .values(
        items.map((i) => ({
          payout_id: id,
          statement_id: i.statementId,
          amount_cents: i.amountCents,
          iban: i.iban,
          end_to_end_id: i.endToEndId,
        })),
      )
      .execute();
    await recordEvent(trx, {
      kind: 'payout.created',
      userId,
      subject: `payout:${id}`,
      data: { msgId, executionDate: input.executionDate, count: items.length, totalCents, statements: items.map((i) => i.endToEndId) },
      at,
    });
    return payoutView(trx, id);
  });
}

async function pendingPayout(trx: Trx, id: number) {
  const p = await trx.selectFrom('payouts').select(['id', 'status', 'execution_date', 'msg_id']).where('id', '=', id).executeTakeFirst();
  if (!p) throw new NotFound('Virement');
  if (p.status !== 'pending') throw new Conflict(`Ce virement est déjà ${p.status === 'confirmed' ? 'confirmé' : 'annulé'}.`, 'status');
  return p;
}

/** The file went to the bank: each statement paid by transfer on the execution date, referenced. */
export async function confirmPayout(db: Kysely<Database>, change: Change, id: number): Promise<PayoutView> {
  return db.transaction().execute(async (trx) => {
    const p = await pendingPayout(trx, id);
    const items = await trx.selectFrom('payout_items').select(['statement_id', 'end_to_end_id']).where('payout_id', '=', id).execute();
    for (const i of items)
      await writePayment(trx, change, i.statement_id, {
        paidOn: p.execution_date,
        method: 'transfer',
        reference: `${p.msg_id} ${i.end_to_end_id}`,
      });
    await trx
      .updateTable('payouts')
      .set({ status: 'confirmed', settled_at: change.now.toISOString(), settled_by: change.userId })
      .where('id', '=', id)
      .execute();
    await recordEvent(trx, {
      kind: 'payout.confirmed',
      userId: change.userId,
      subject: `payout:${id}`,
      data: { msgId: p.msg_id },
      at: change.now.toISOString(),
    });
    return payoutView(trx, id);
  });
}

/** Not sent after all: the statements are free for another payout or another way of paying. */
export async function cancelPayout(db: Kysely<Database>, change: Change, id: number): Promise<PayoutView> {
  return db.transaction().execute(async (trx) => {
    const p = await pendingPayout(trx, id);
    await trx
      .updateTable('payouts')
      .set({ status: 'cancelled', settled_at: change.now.toISOString(), settled_by: change.userId })
      .where('id', '=', id)
      .execute();
    await recordEvent(trx, {
      kind: 'payout.cancelled',
      userId: change.userId,
      subject: `payout:${id}`,
      data: { msgId: p.msg_id },
      at: change.now.toISOString(),
    });
    return payoutView(trx, id);
  });
}
