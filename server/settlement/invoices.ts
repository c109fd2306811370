/**
 * Commission invoices (issue 21, item 3). Selling in the producers' name (mandataire), the shop invoices each
 * of them its commission on the sales it made for them: with every statement issued, an invoice — or a credit
 * note when refunds made the commission negative, never an edit — numbered in one continuous sequence per
 * year (F-2026-000001…), with both parties' identities and VAT numbers, the date, the due date and the
 * mentions of article L441-9 of the Code de commerce. Frozen as canonical JSON (hash kept); the PDF is
 * typeset from that frozen record, the same bytes every time.
 */
import crypto from 'node:crypto';
import type { Db, Trx } from '../../db/schema.ts';
import type { ShopIdentity } from '../../shared/api/settings.ts';
import { vatRegimeMention } from '../../shared/banking.ts';
import { formatRate, type BasisPoints } from '../../shared/money.ts';
import type { StatementTotals } from '../../shared/settlement.ts';
import { businessDay, frDay } from '../../shared/time.ts';
import type { Scope } from '../auth/identity.ts';
import { A4Document, pdfEuros } from '../documents/a4.ts';
import { NotFound } from '../errors.ts';
import { canonicalJson } from '../journal/canonical.ts';
import { recordEvent } from '../journal/events.ts';
import { isDemo } from '../settings/settings.ts';
import type { StatementProducer } from './statements.ts';

export interface InvoiceData {
  kind: 'commission' | 'credit_note';
  code: string;
  issuedOn: string;
  dueOn: string;
  seller: Pick<ShopIdentity, 'name' | 'legalName' | 'legalForm' | 'address' | 'postalCode' | 'city' | 'siret' | 'vatNumber'>;
  buyer: Pick<StatementProducer, 'name' | 'legalName' | 'address' | 'siret' | 'vatStatus'> & { vatNumber: string };
  statement: { code: string; from: string; to: string };
  lines: { label: string; baseCents: number; rateBp: number; netCents: number }[];
  netCents: number;
  vatRateBp: number;
  vatCents: number;
  grossCents: number;
}

export const invoiceCode = (year: number, number: number) => `F-${year}-${String(number).padStart(6, '0')}`;

/** With a statement being written: its commission invoiced (or credited), in the same transaction. */
export async function issueCommissionInvoice(
  trx: Trx,
  input: {
    statementId: number;
    statementCode: string;
    issuedAt: string;
    shop: ShopIdentity;
    producer: StatementProducer;
    period: { from: string; to: string };
    totals: StatementTotals;
    userId: number;
    timeZone?: string;
  },
): Promise<number | null> {
  const t = input.totals;
  if (t.commissionGrossCents === 0) return null;
  const issuedOn = businessDay(input.issuedAt, input.timeZone ?? 'Europe/Paris');
  const year = Number(issuedOn.slice(0, 4));
  const last = await trx
    .selectFrom('invoices')
    .select((eb) => eb.fn.max('number').as('n'))
    .where('year', '=', year)
    .executeTakeFirst();
  const number = Number(last?.n ?? 0) + 1;
  const kind = t.commissionGrossCents > 0 ? 'commission' : 'credit_note';
  const s = input.shop;
  const data: InvoiceData = {
    kind,
    code: invoiceCode(year, number),
    issuedOn,
    // Settled at once: the commission is taken from the sales the shop collected for the producer.
    dueOn: issuedOn,
    seller: {
      name: s.name,
      legalName: s.legalName,
      legalForm: s.legalForm,
      address: s.address,
      postalCode: s.postalCode,
      city: s.city,
      siret: s.siret,
      vatNumber: s.vatNumber,
    },
    buyer: {
      name: input.producer.name,
      legalName: input.producer.legalName,
      address: input.producer.address,
      siret: input.producer.siret,
      vatStatus: input.producer.vatStatus,
      vatNumber: input.producer.vatNumber ?? '',
    },
    statement: { code: input.statementCode, ...input.period },
    lines: t.commission.map((c) => ({
      label: `Commission de dépôt-vente ${formatRate(c.rateBp as BasisPoints)} sur ${pdfEuros(c.baseCents)} de ventes TTC`,
      baseCents: c.baseCents,
      rateBp: c.rateBp,
      netCents: c.commissionCents,
    })),
    netCents: t.commissionNetCents,
    vatRateBp: t.commissionVatRateBp,
    vatCents: t.commissionVatCents,
    grossCents: t.commissionGrossCents,
  };
  const json = canonicalJson(data);
  const sha256 = crypto.createHash('sha256').update(json).digest('hex');
  const { id } = await trx
    .insertInto('invoices')
    .values({
      year,
      number,
      kind,
      statement_id: input.statementId,
      producer_id: input.producer.id,
      issued_at: input.issuedAt,
      data: json,
      net_cents: data.netCents,
      vat_cents: data.vatCents,
      gross_cents: data.grossCents,
      sha256,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordEvent(trx, {
    kind: 'invoice.issued',
    userId: input.userId,
    subject: `invoice:${id}`,
    data: { code: data.code, kind, statement: input.statementCode, grossCents: data.grossCents, sha256 },
    at: input.issuedAt,
  });
  return id;
}

export interface InvoiceSummary {
  id: number;
  code: string;
  kind: 'commission' | 'credit_note';
  issuedOn: string;
  producerId: number;
  producerName: string;
  statementCode: string;
  netCents: number;
  vatCents: number;
  grossCents: number;
}

export async function listInvoices(db: Db, scope: Scope, query: { producerId?: number | undefined; year?: number | undefined }) {
  let q = db.selectFrom('invoices').select(['id', 'data', 'producer_id']).orderBy('year', 'desc').orderBy('number', 'desc').limit(500);
  if (scope.producerId !== null) q = q.where('producer_id', '=', scope.producerId);
  if (query.producerId !== undefined) q = q.where('producer_id', '=', query.producerId);
  if (query.year !== undefined) q = q.where('year', '=', query.year);
  return (await q.execute()).map((r): InvoiceSummary => {
    const d = JSON.parse(r.data) as InvoiceData;
    return {
      id: r.id,
      code: d.code,
      kind: d.kind,
      issuedOn: d.issuedOn,
      producerId: r.producer_id,
      producerName: d.buyer.name,
      statementCode: d.statement.code,
      netCents: d.netCents,
      vatCents: d.vatCents,
      grossCents: d.grossCents,
    };
  });
}

export async function invoicePdfFor(db: Db, scope: Scope, id: number): Promise<{ pdf: Buffer; filename: string }> {
  let q = db.selectFrom('invoices').select(['data', 'sha256']).where('id', '=', id);
  if (scope.producerId !== null) q = q.where('producer_id', '=', scope.producerId);
  const row = await q.executeTakeFirst();
  if (!row) throw new NotFound('Facture');
  const data = JSON.parse(row.data) as InvoiceData;
  return { pdf: await invoicePdf(data, { demo: await isDemo(db), sha256: row.sha256 }), filename: `${data.code}.pdf` };
}

export function invoicePdf(d: InvoiceData, ctx: { demo: boolean; sha256: string }): Promise<Buffer> {
  const credit = d.kind === 'credit_note';
  const title = `${credit ? 'Facture d’avoir' : 'Facture'} n° ${d.code}`;
  const doc = new A4Document({ title, footer: `${d.seller.name} · ${title}`, demo: ctx.demo, date: new Date(`${d.issuedOn}T12:00:00Z`) });
  doc.parties(
    {
      label: 'Émetteur',
      lines: [
        `${d.seller.legalName}${d.seller.legalForm ? ` (${d.seller.legalForm})` : ''}`,
        d.seller.address,
        `${d.seller.postalCode} ${d.seller.city}`,
        `SIRET ${d.seller.siret} · TVA ${d.seller.vatNumber}`,
      ],
    },
    {
      label: 'Client (déposant)',
      lines: [
        d.buyer.legalName || d.buyer.name,
        d.buyer.address,
        `SIRET ${d.buyer.siret}`,
        vatRegimeMention(d.buyer.vatStatus, d.buyer.vatNumber),
      ].filter(Boolean),
    },
  );
  doc.heading(
    title,
    `Émise le ${frDay(d.issuedOn)} · relevé de dépôt-vente ${d.statement.code} du ${frDay(d.statement.from)} au ${frDay(d.statement.to)}`,
  );
  if (credit)
    doc.paragraph(
      `Avoir sur les commissions facturées : des ventes déjà réglées ont été remboursées pendant la période du relevé ${d.statement.code}.`,
    );
  doc.table(
    [
      { header: 'Désignation', width: 0.6 },
      { header: 'Taux', width: 0.12, align: 'right' },
      { header: 'Montant HT', width: 0.28, align: 'right' },
    ],
    d.lines.map((l) => ({ cells: [l.label, formatRate(l.rateBp as BasisPoints), pdfEuros(l.netCents)] })),
  );
  doc.summary([
    { label: 'Total HT', value: pdfEuros(d.netCents) },
    { label: `TVA ${formatRate(d.vatRateBp as BasisPoints)}`, value: pdfEuros(d.vatCents) },
    { label: credit ? 'Total TTC à déduire' : 'Total TTC', value: pdfEuros(d.grossCents), strong: true },
  ]);
  doc.paragraph(
    `Échéance : ${frDay(d.dueOn)}. Réglée par compensation : retenue sur les ventes encaissées pour votre compte, au relevé ${d.statement.code}. Pas d’escompte pour paiement anticipé.`,
  );
  doc.paragraph(
    'En cas de retard de paiement, pénalités au taux d’intérêt appliqué par la Banque centrale européenne à son opération de refinancement la plus récente majoré de 10 points, et indemnité forfaitaire pour frais de recouvrement de 40 € (art. L441-10 et D441-5 du Code de commerce).',
    { muted: true, size: 8 },
  );
  doc.paragraph(`Facture figée à l’émission : empreinte SHA-256 ${ctx.sha256}.`, { muted: true, size: 7 });
  return doc.finish();
}
