/**
 * Commission invoices (issue 21, item 3). Selling in the producers' name (mandataire), the shop invoices each
 * of them its commission on the sales it made for them: with every statement issued, an invoice — or a credit
 * note when refunds made the commission negative, never an edit — numbered in one continuous sequence per
 * year (F-2026-000001…), with both parties' identities and VAT numbers, the date, the due date and the
 * mentions of article L441-9 of the Code de commerce. Frozen as canonical JSON (hash kept); the PDF is
 * typeset from that frozen record, the same bytes every time.
 */
import { ofName } from '../../shared/text.ts';
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
import { FACTURX_XMP, facturXml } from './facturx.ts';
import { canonicalJson } from '../journal/canonical.ts';
import { recordEvent } from '../journal/events.ts';
import { isDemo } from '../settings/settings.ts';
import type { StatementProducer } from './statements.ts';

/** Either party of an invoice as frozen into it. */
export interface InvoiceParty {
  name: string;
  legalName: string;
  legalForm?: string;
  /** One line, or the street with its postal code and city apart (the shop's identity). */
  address: string;
  postalCode?: string;
  city?: string;
  siret: string;
  vatNumber: string;
  vatStatus: 'subject' | 'franchise' | 'flat_rate';
}

export type InvoiceKind = 'commission' | 'credit_note' | 'self_billed' | 'self_billed_credit';

export interface InvoiceData {
  kind: InvoiceKind;
  code: string;
  issuedOn: string;
  dueOn: string;
  /** Who sells: the shop for its commission, the producer on a self-billed invoice (the shop writes it). */
  seller: InvoiceParty;
  buyer: InvoiceParty;
  statement: { code: string; from: string; to: string };
  /** Commission: one line per commission rate (`rateBp`), at the commission's VAT rate. Self-billed: one per VAT rate of the goods. */
  lines: { label: string; baseCents: number; rateBp: number; netCents: number; vatRateBp?: number; vatCents?: number }[];
  netCents: number;
  /** The commission's VAT rate; on a self-billed invoice the VAT is per line (`vat`). */
  vatRateBp: number;
  vatCents: number;
  grossCents: number;
  /** VAT per rate (self-billed invoices; a commission has the one rate). */
  vat?: { rateBp: number; netCents: number; vatCents: number }[];
  /** Self-billed: the mandate it is written under, and what the producer's regime prints. */
  selfBilling?: {
    mandateId: number;
    mandateSignedOn: string;
    compensation: { rateBp: number; baseCents: number; amountCents: number } | null;
  };
}

const SERIES = { commission: 'F', credit_note: 'F', self_billed: 'AF', self_billed_credit: 'AF' } as const;
export const invoiceCode = (year: number, number: number, series: 'F' | 'AF' = 'F') =>
  `${series}-${year}-${String(number).padStart(6, '0')}`;

/** Invoices frozen on 2026-12-07 gave no VAT status for the shop (always assujetti): read them too. */
function normalize(d: InvoiceData): InvoiceData {
  const seller = d.seller as Omit<InvoiceParty, 'vatStatus'> & Partial<Pick<InvoiceParty, 'vatStatus'>>;
  return { ...d, seller: { ...seller, vatStatus: seller.vatStatus ?? 'subject' } };
}

const shopParty = (s: ShopIdentity): InvoiceParty => ({
  name: s.name,
  legalName: s.legalName,
  legalForm: s.legalForm,
  address: s.address,
  postalCode: s.postalCode,
  city: s.city,
  siret: s.siret,
  vatNumber: s.vatNumber,
  vatStatus: 'subject',
});

const producerParty = (p: StatementProducer): InvoiceParty => ({
  name: p.name,
  legalName: p.legalName,
  address: p.address,
  siret: p.siret,
  vatNumber: p.vatNumber ?? '',
  vatStatus: p.vatStatus,
});

interface IssueInput {
  statementId: number;
  statementCode: string;
  issuedAt: string;
  shop: ShopIdentity;
  producer: StatementProducer;
  period: { from: string; to: string };
  totals: StatementTotals;
  userId: number;
  timeZone?: string;
}

/**
 * With a statement being written, in the same transaction, its invoice. Mandataire: the shop's commission
 * invoice to the producer (or credit note). Commissionnaire: the self-billed purchase invoice the shop writes
 * in the producer's name under their mandate (or its credit note).
 */
export async function issueStatementInvoice(
  trx: Trx,
  input: IssueInput,
  mandate?: { id: number; signedOn: string },
): Promise<number | null> {
  const t = input.totals;
  const p = t.purchase;
  const gross = p ? p.grossCents : t.commissionGrossCents;
  if (gross === 0) return null;
  const kind: InvoiceKind = p ? (gross > 0 ? 'self_billed' : 'self_billed_credit') : gross > 0 ? 'commission' : 'credit_note';
  const series = SERIES[kind];
  const issuedOn = businessDay(input.issuedAt, input.timeZone ?? 'Europe/Paris');
  const year = Number(issuedOn.slice(0, 4));
  const last = await trx
    .selectFrom('invoices')
    .select((eb) => eb.fn.max('number').as('n'))
    .where('series', '=', series)
    .where('year', '=', year)
    .executeTakeFirst();
  const number = Number(last?.n ?? 0) + 1;
  const base = {
    kind,
    code: invoiceCode(year, number, series),
    issuedOn,
    // Settled at once: the commission is taken from the sales the shop collected for the producer, and the
    // self-billed purchase is paid with the statement.
    dueOn: issuedOn,
    statement: { code: input.statementCode, ...input.period },
  };
  let data: InvoiceData;
  if (p) {
    if (!mandate) throw new Error('a self-billed invoice needs a mandate');
    const period = `du ${frDay(input.period.from)} au ${frDay(input.period.to)}`;
    data = {
      ...base,
      seller: producerParty(input.producer),
      buyer: shopParty(input.shop),
      lines: p.vat.map((v) => ({
        // One line per VAT rate (its net is the rate's taxable base), saying what makes its price.
        label: `Produits en dépôt-vente ${period}${p.regime === 'subject' ? '' : ` (vendus au taux de ${formatRate(v.vatRateBp as BasisPoints)})`} : ${p.lines
          .filter((l) => l.vatRateBp === v.vatRateBp)
          .map((l) =>
            l.commissionBp
              ? `ventes ${pdfEuros(l.baseCents)} − commission ${formatRate(l.commissionBp as BasisPoints)} ${pdfEuros(l.marginCents)}`
              : `${pdfEuros(l.baseCents)} sans commission (restaurant)`,
          )
          .join(' ; ')}`,
        baseCents: v.grossCents,
        rateBp: p.regime === 'subject' ? v.vatRateBp : 0,
        netCents: v.netCents,
        vatRateBp: p.regime === 'subject' ? v.vatRateBp : 0,
        vatCents: v.vatCents,
      })),
      netCents: p.netCents,
      vatRateBp: 0,
      vatCents: p.vatCents,
      grossCents: p.grossCents,
      vat:
        p.regime === 'subject'
          ? p.vat.map((v) => ({ rateBp: v.vatRateBp, netCents: v.netCents, vatCents: v.vatCents }))
          : [{ rateBp: 0, netCents: p.netCents, vatCents: 0 }],
      selfBilling: { mandateId: mandate.id, mandateSignedOn: mandate.signedOn, compensation: p.compensation },
    };
  } else {
    data = {
      ...base,
      seller: shopParty(input.shop),
      buyer: producerParty(input.producer),
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
  }
  const json = canonicalJson(data);
  const sha256 = crypto.createHash('sha256').update(json).digest('hex');
  const { id } = await trx
    .insertInto('invoices')
    .values({
      series,
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
  kind: InvoiceKind;
  issuedOn: string;
  producerId: number;
  producerName: string;
  statementCode: string;
  netCents: number;
  vatCents: number;
  grossCents: number;
}

export async function listInvoices(db: Db, scope: Scope, query: { producerId?: number | undefined; year?: number | undefined }) {
  let q = db.selectFrom('invoices').select(['id', 'data', 'producer_id']).orderBy('issued_at', 'desc').orderBy('id', 'desc').limit(500);
  if (scope.producerId !== null) q = q.where('producer_id', '=', scope.producerId);
  if (query.producerId !== undefined) q = q.where('producer_id', '=', query.producerId);
  if (query.year !== undefined) q = q.where('year', '=', query.year);
  return (await q.execute()).map((r): InvoiceSummary => {
    const d = normalize(JSON.parse(r.data) as InvoiceData);
    const producer = d.kind === 'self_billed' || d.kind === 'self_billed_credit' ? d.seller : d.buyer;
    return {
      id: r.id,
      code: d.code,
      kind: d.kind,
      issuedOn: d.issuedOn,
      producerId: r.producer_id,
      producerName: producer.name,
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
  const data = normalize(JSON.parse(row.data) as InvoiceData);
  return { pdf: await invoicePdf(data, { demo: await isDemo(db), sha256: row.sha256 }), filename: `${data.code}.pdf` };
}

const partyLines = (p: InvoiceParty) =>
  [
    `${p.legalName || p.name}${p.legalForm ? ` (${p.legalForm})` : ''}`,
    p.legalName && p.name !== p.legalName ? p.name : '',
    p.address,
    p.postalCode ? `${p.postalCode} ${p.city ?? ''}` : '',
    `SIRET ${p.siret}`,
    vatRegimeMention(p.vatStatus, p.vatNumber),
  ].filter(Boolean);

const TITLES: Record<InvoiceKind, string> = {
  commission: 'Facture',
  credit_note: 'Facture d’avoir',
  self_billed: 'Facture (autofacturation)',
  self_billed_credit: 'Facture d’avoir (autofacturation)',
};

/** The invoice as a Factur-X PDF: readable, PDF/A-3b, its CII XML (EN 16931) embedded as `factur-x.xml`. */
export function invoicePdf(d: InvoiceData, ctx: { demo: boolean; sha256: string }): Promise<Buffer> {
  const selfBilled = d.kind === 'self_billed' || d.kind === 'self_billed_credit';
  const credit = d.kind === 'credit_note' || d.kind === 'self_billed_credit';
  const title = `${TITLES[d.kind]} n° ${d.code}`;
  const doc = new A4Document({
    title,
    footer: `${d.seller.name} · ${title}`,
    demo: ctx.demo,
    date: new Date(`${d.issuedOn}T12:00:00Z`),
    embedded: {
      name: 'factur-x.xml',
      xml: facturXml(d),
      // Factur-X: the XML is the invoice's alternative representation for the EN 16931 profile.
      relationship: 'Alternative',
      xmp: FACTURX_XMP,
      description: `Factur-X (EN 16931) ${d.code}`,
    },
  });
  doc.parties(
    { label: selfBilled ? 'Fournisseur (déposant)' : 'Émetteur', lines: partyLines(d.seller) },
    { label: selfBilled ? 'Acquéreur, émetteur de la facture' : 'Client (déposant)', lines: partyLines(d.buyer) },
  );
  doc.heading(
    title,
    `Émise le ${frDay(d.issuedOn)} · relevé de dépôt-vente ${d.statement.code} du ${frDay(d.statement.from)} au ${frDay(d.statement.to)}`,
  );
  if (selfBilled)
    doc.paragraph(
      `Autofacturation : facture établie par ${d.buyer.legalName} au nom et pour le compte ${ofName(d.seller.legalName)}, en vertu du mandat de facturation signé le ${frDay(d.selfBilling!.mandateSignedOn)} (art. 289 I-2° du CGI). ${d.buyer.name} a vendu ces produits en son nom propre (art. 256 V du CGI) ; le prix d’achat est le prix de vente diminué de sa commission.`,
    );
  if (credit)
    doc.paragraph(
      selfBilled
        ? `Avoir : des ventes déjà réglées ont été remboursées pendant la période du relevé ${d.statement.code} ; le montant est dû par le fournisseur.`
        : `Avoir sur les commissions facturées : des ventes déjà réglées ont été remboursées pendant la période du relevé ${d.statement.code}.`,
    );
  if (selfBilled)
    doc.table(
      [
        { header: 'Désignation', width: 0.52 },
        { header: 'TVA', width: 0.1, align: 'right' },
        { header: 'Montant HT', width: 0.19, align: 'right' },
        { header: 'TVA', width: 0.19, align: 'right' },
      ],
      d.lines.map((l) => ({
        cells: [
          l.label,
          d.seller.vatStatus === 'subject' ? formatRate(l.vatRateBp as BasisPoints) : '—',
          pdfEuros(l.netCents),
          pdfEuros(l.vatCents ?? 0),
        ],
      })),
    );
  else
    doc.table(
      [
        { header: 'Désignation', width: 0.55 },
        // The commission's rate (the VAT's is in the totals below): said so, next to « Montant HT ».
        { header: 'Commission', width: 0.2, align: 'right' },
        { header: 'Montant HT', width: 0.25, align: 'right' },
      ],
      d.lines.map((l) => ({ cells: [l.label, formatRate(l.rateBp as BasisPoints), pdfEuros(l.netCents)] })),
    );
  const vatRows = selfBilled
    ? d.seller.vatStatus === 'subject'
      ? (d.vat ?? []).map((v) => ({
          label: `TVA ${formatRate(v.rateBp as BasisPoints)} sur ${pdfEuros(v.netCents)}`,
          value: pdfEuros(v.vatCents),
        }))
      : [{ label: 'TVA', value: pdfEuros(0) }]
    : [{ label: `TVA ${formatRate(d.vatRateBp as BasisPoints)}`, value: pdfEuros(d.vatCents) }];
  doc.summary([
    { label: 'Total HT', value: pdfEuros(d.netCents) },
    ...vatRows,
    { label: credit ? 'Total TTC à déduire' : 'Total TTC', value: pdfEuros(d.grossCents), strong: true },
  ]);
  if (d.seller.vatStatus !== 'subject') doc.paragraph(vatRegimeMention(d.seller.vatStatus));
  const comp = d.selfBilling?.compensation;
  if (comp)
    doc.paragraph(
      `Remboursement forfaitaire agricole (art. 298 quater du CGI) : ${formatRate(comp.rateBp as BasisPoints)} de ${pdfEuros(comp.baseCents)}, soit ${pdfEuros(comp.amountCents)}, à demander par le producteur à l’administration fiscale ; il n’est pas déductible par l’acquéreur.`,
    );
  doc.paragraph(
    selfBilled
      ? `Échéance : ${frDay(d.dueOn)}. Payée avec le relevé ${d.statement.code}. Pas d’escompte pour paiement anticipé.`
      : `Échéance : ${frDay(d.dueOn)}. Réglée par compensation : retenue sur les ventes encaissées pour votre compte, au relevé ${d.statement.code}. Pas d’escompte pour paiement anticipé.`,
  );
  doc.paragraph(
    'En cas de retard de paiement, pénalités au taux d’intérêt appliqué par la Banque centrale européenne à son opération de refinancement la plus récente majoré de 10 points, et indemnité forfaitaire pour frais de recouvrement de 40 € (art. L441-10 et D441-5 du Code de commerce).',
    { muted: true, size: 8 },
  );
  doc.paragraph(
    `Facture électronique Factur-X (profil EN 16931) : ses données structurées sont jointes à ce PDF (factur-x.xml). Figée à l’émission : empreinte SHA-256 ${ctx.sha256}.`,
    { muted: true, size: 7 },
  );
  return doc.finish();
}
