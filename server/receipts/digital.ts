import { consignmentSetting, modelOn } from '../accounting/consignment.ts';
import { ofName } from '../../shared/text.ts';
import { vatRegimeMention } from '../../shared/banking.ts';
import { installFonts } from '../documents/fonts.ts';
import PDFDocument from 'pdfkit';
import bwipjs from 'bwip-js/node';
import type { ShopIdentity } from '../../shared/api/settings.ts';
import { formatEuros, formatRate, type BasisPoints, type Cents } from '../../shared/money.ts';
import type { Db } from '../../db/schema.ts';
import { NotFound } from '../errors.ts';
import { getSale, type SaleView } from '../sales/view.ts';
import { vatCode } from '../../shared/payment-rules.ts';
import { shopIdentity } from '../settings/settings.ts';

/** Everything a receipt shows, on paper, on a phone or in a PDF. */
export interface ReceiptData {
  sale: SaleView;
  shop: ShopIdentity;
  tillName: string;
  cashierName: string;
  producerNames: Record<number, string>;
  units: Record<number, 'piece' | 'kg'>;
  /** Lines sold at a manual price, by line number: the catalogue's price then. */
  manualPrices?: Record<number, { cataloguePriceCents: number | null }>;
  /**
   * Mandataire (issue 21): the producers' goods are sold in their name (« pour le compte de »), and those of a
   * producer who charges no VAT are explained (franchise 293 B, agricultural flat rate 298 quater).
   */
  onBehalf?: boolean;
  producerRegimes?: Record<number, 'subject' | 'franchise' | 'flat_rate'>;
  /** A restaurant bill's ticket (or a part of it): its table as it stands (null to take away) and covers. */
  order?: { table: string | null; covers: number } | null;
}

export async function receiptData(db: Db, saleId: string): Promise<ReceiptData> {
  const sale = await getSale(db, saleId);
  const [shop, till, cashier, lines, order] = await Promise.all([
    shopIdentity(db),
    db.selectFrom('tills').select('name').where('id', '=', sale.tillId).executeTakeFirst(),
    db.selectFrom('users').select('display_name').where('id', '=', sale.cashierId).executeTakeFirst(),
    db
      .selectFrom('sale_lines')
      .leftJoin('producers', 'producers.id', 'sale_lines.producer_id')
      .select([
        'sale_lines.line_no',
        'sale_lines.unit',
        'sale_lines.price_source',
        'sale_lines.catalogue_price_cents',
        'producers.id',
        'producers.name',
        'producers.vat_status',
      ])
      .where('sale_lines.sale_id', '=', saleId)
      .execute(),
    // The order a restaurant ticket paid (all or part of): the table the guests ask about.
    db
      .selectFrom('order_payments')
      .innerJoin('order_lines', 'order_lines.id', 'order_payments.line_id')
      .innerJoin('orders', 'orders.id', 'order_lines.order_id')
      .leftJoin('dining_tables', 'dining_tables.id', 'orders.table_id')
      .select(['dining_tables.name as table', 'orders.covers'])
      .where('order_payments.sale_id', '=', saleId)
      .limit(1)
      .executeTakeFirst(),
  ]);
  const producerNames: Record<number, string> = {};
  const units: Record<number, 'piece' | 'kg'> = {};
  const manualPrices: Record<number, { cataloguePriceCents: number | null }> = {};
  const producerRegimes: Record<number, 'subject' | 'franchise' | 'flat_rate'> = {};
  for (const l of lines) {
    if (l.id !== null && l.name !== null) producerNames[l.id] = l.name;
    if (l.id !== null && l.vat_status !== null) producerRegimes[l.id] = l.vat_status;
    units[l.line_no] = l.unit;
    if (l.price_source === 'manual') manualPrices[l.line_no] = { cataloguePriceCents: l.catalogue_price_cents };
  }
  return {
    sale,
    shop,
    tillName: till?.name ?? `Caisse ${sale.tillId}`,
    cashierName: cashier?.display_name ?? '',
    producerNames,
    units,
    manualPrices,
    onBehalf: modelOn(await consignmentSetting(db), sale.businessDay) === 'mandataire',
    producerRegimes,
    order: order ? { table: order.table, covers: order.covers } : null,
  };
}

/** The ticket a digital-receipt token opens, and nothing else. */
export async function saleIdByToken(db: Db, token: string): Promise<string> {
  const row = await db.selectFrom('sales').select('id').where('receipt_token', '=', token).executeTakeFirst();
  if (!row) throw new NotFound('Ticket');
  return row.id;
}

/** The receipt a token opens, as the customer's phone shows it (HTML). */
export async function receiptPageOf(db: Db, token: string): Promise<string> {
  return receiptHtml(await receiptData(db, await saleIdByToken(db, token)), token);
}

/** The receipt a token opens, as a PDF. */
export async function receiptPdfOf(db: Db, token: string): Promise<{ pdf: Buffer; filename: string }> {
  const data = await receiptData(db, await saleIdByToken(db, token));
  return { pdf: await receiptPdf(data), filename: `ticket-${data.sale.number}.pdf` };
}

/** The QR code of a valid token's receipt page (`origin`: the address the till reached the server at). */
export async function receiptQrOf(db: Db, token: string, origin: string): Promise<string> {
  await saleIdByToken(db, token);
  return receiptQrSvg(`${origin}/r/${token}`);
}

const eur = (c: number) => formatEuros(c as Cents);
const dateTime = (iso: string) =>
  new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));
const kgFormat = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 3, maximumFractionDigits: 3 });
const kg = (g: number) => `${kgFormat.format(g / 1000)} kg`;
const methodNames: Record<string, string> = {
  cash: 'Espèces',
  card: 'Carte bancaire',
  cheque: 'Chèque',
  meal_voucher: 'Titre-restaurant',
  solidarity: 'Fonds de solidarité',
};
export const methodName = (m: string) => methodNames[m] ?? m.replace(/^other:/, '').replace(/[_-]/g, ' ');

const wholeEuros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });

/**
 * The seller as the law names it on a receipt (art. R123-237 Code de commerce): legal form and legal name,
 * the share capital when set, SIRET and VAT number.
 */
export function legalMentions(shop: ShopIdentity): { legal: string; capital: string | null; ids: string } {
  return {
    legal: [shop.legalForm, shop.legalName].filter(Boolean).join(' '),
    capital:
      shop.shareCapitalCents != null
        ? `au capital de ${shop.shareCapitalCents % 100 ? eur(shop.shareCapitalCents) : wholeEuros.format(shop.shareCapitalCents / 100)}`
        : null,
    ids: `SIRET ${shop.siret} — TVA ${shop.vatNumber}`,
  };
}

function noVatMentions(d: ReceiptData): string[] {
  const out: string[] = [];
  for (const id of new Set(d.sale.lines.filter((l) => l.vatRateBp === 0 && l.producerId !== null).map((l) => l.producerId!))) {
    const regime = d.producerRegimes?.[id];
    if (regime === 'franchise' || regime === 'flat_rate') out.push(`${d.producerNames[id] ?? ''} : ${vatRegimeMention(regime)}`);
  }
  return out;
}

/** The receipt's lines as text rows: shared by the web page, the PDF and the paper, so all say the same. */
export function receiptRows(d: ReceiptData) {
  const { sale } = d;
  return {
    legal: legalMentions(d.shop),
    title: sale.kind === 'refund' ? 'Remboursement' : 'Ticket de caisse',
    number: `Ticket n° ${sale.number} — ${d.tillName}`,
    when: `${dateTime(sale.createdAt)} — ${d.cashierName}`,
    /** « Table 6 — 4 couverts », « À emporter — 1 couvert » on a restaurant bill's ticket. */
    place: d.order
      ? `${d.order.table !== null ? `Table ${d.order.table}` : 'À emporter'} — ${d.order.covers} couvert${d.order.covers > 1 ? 's' : ''}`
      : null,
    /**
     * « Articles : 5 »: the pieces sold (3 × Café are 3), a line sold by weight one; none on a share of a bill,
     * which carries money, not pieces (it said « Articles : 6 » for a third of 6 dishes).
     */
    articles: sale.lines.reduce((n, l) => n + (l.quantity === 0 ? 0 : d.units[l.lineNo] === 'kg' ? 1 : Math.abs(l.quantity)), 0),
    training: sale.training,
    lines: sale.lines.map((l) => ({
      name: l.name,
      // A share of a restaurant bill carries money, not pieces (restaurant/payments.ts).
      detail:
        l.quantity === 0
          ? `part de l'addition (${eur(l.unitPriceCents)} l'unité)`
          : d.units[l.lineNo] === 'kg'
            ? `${kg(l.quantity)} × ${eur(l.unitPriceCents)}/kg`
            : `${l.quantity} × ${eur(l.unitPriceCents)}`,
      producer:
        l.producerId !== null && d.producerNames[l.producerId]
          ? d.onBehalf
            ? `pour le compte ${ofName(d.producerNames[l.producerId]!)}`
            : d.producerNames[l.producerId]!
          : null,
      discount: l.lineDiscountCents ? `Remise -${eur(l.lineDiscountCents)}` : null,
      // A price other than the catalogue's is said so on the receipt (issue 20, item 7).
      manualPrice: d.manualPrices?.[l.lineNo]
        ? `Prix manuel${d.manualPrices[l.lineNo]!.cataloguePriceCents !== null ? ` (catalogue ${eur(d.manualPrices[l.lineNo]!.cataloguePriceCents!)})` : ''}`
        : null,
      amount: eur(l.grossCents - l.lineDiscountCents),
      /** The line's VAT code, printed at its end and explained by the VAT table (A 5,5 %, B 10 %, C 20 %…). */
      code: vatCode(l.vatRateBp),
    })),
    /**
     * The ticket's discount in the amounts' column, after the lines' sub-total it comes off (it was a line of text
     * with no sub-total, the amounts not adding up at a glance: found by a walk).
     */
    ticketDiscount: sale.discountCents
      ? { subtotal: eur(sale.subtotalCents), label: 'Remise sur le ticket', amount: `-${eur(sale.discountCents)}` }
      : null,
    total: eur(sale.totalCents),
    /** The total excluding VAT: the sum of the VAT table's HT column. */
    totalNet: eur(sale.vat.reduce((x, v) => x + v.netCents, 0)),
    totalVat: eur(sale.vat.reduce((x, v) => x + v.vatCents, 0)),
    vat: sale.vat.map((v) => ({
      code: vatCode(v.vatRateBp),
      rate: formatRate(v.vatRateBp as BasisPoints),
      net: eur(v.netCents),
      vat: eur(v.vatCents),
      gross: eur(v.grossCents),
    })),
    payments: sale.payments.map((p) => ({
      method: methodName(p.method),
      amount: eur(p.amountCents),
      tip: p.tipCents ? eur(p.tipCents) : null,
      /** A meal voucher worth more than it paid: its value, and the excess the shop keeps (no change on a voucher). */
      voucher: p.excessCents ? { value: eur(p.amountCents + p.excessCents), excess: eur(p.excessCents) } : null,
    })),
    change: sale.changeCents ? eur(sale.changeCents) : null,
    /** Sold at solidarity prices (issue 22): the public price, what the household paid, what the fund paid. */
    solidarity: solidarityOf(sale),
    /** Why some lines carry no VAT: the producers they were sold for charge none (mandataire). */
    vatMentions: d.onBehalf ? noVatMentions(d) : [],
    /** Tips added on card: shown apart, outside the total. */
    tip: sale.tipCents ? eur(sale.tipCents) : null,
  };
}

function solidarityOf(sale: ReceiptData['sale']) {
  const fund = sale.payments.filter((p) => p.method === 'solidarity').reduce((s, p) => s + p.amountCents, 0);
  if (!fund) return null;
  return { public: eur(sale.totalCents), household: eur(sale.totalCents - fund), fund: eur(fund) };
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The digital receipt as a phone shows it. */
export function receiptHtml(d: ReceiptData, token: string): string {
  const r = receiptRows(d);
  const shop = d.shop;
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(r.title)} — ${esc(shop.name)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f6f4ef;color:#1f2421}
main{max-width:480px;margin:0 auto;padding:16px;background:#fff;min-height:100vh}
h1{font-size:1.3rem;margin:0}.muted{color:#66706a;font-size:.9rem}
table{width:100%;border-collapse:collapse;margin:12px 0}td{padding:4px 0;vertical-align:top}td.r{text-align:right;white-space:nowrap}
.total{font-size:1.4rem;font-weight:700;border-top:2px solid #1f2421}.training{background:#7b3fa0;color:#fff;padding:6px;text-align:center;font-weight:700}
.vat td,.vat th{font-size:.85rem;text-align:right}.vat th:first-child,.vat td:first-child{text-align:left}
a.pdf{display:inline-block;margin-top:12px;padding:12px 16px;background:#2f4f3a;color:#fff;border-radius:10px;text-decoration:none}
</style></head><body><main>
${r.training ? '<div class="training">MODE FORMATION — ticket sans valeur</div>' : ''}
<h1>${esc(shop.name)}</h1>
<div class="muted">${esc(r.legal.legal)}${r.legal.capital ? ` ${esc(r.legal.capital)}` : ''}<br>${esc(shop.address)}, ${esc(shop.postalCode)} ${esc(shop.city)}<br>${esc(r.legal.ids)}</div>
<h2>${esc(r.title)}</h2>
<div class="muted">${esc(r.number)}<br>${esc(r.when)}${r.place ? `<br>${esc(r.place)}` : ''}</div>
<table>${r.lines
    .map(
      (l) =>
        `<tr><td>${esc(l.name)}<div class="muted">${esc(l.detail)}${l.producer ? ` · ${esc(l.producer)}` : ''}${l.manualPrice ? ` · ${esc(l.manualPrice)}` : ''}${l.discount ? ` · ${esc(l.discount)}` : ''}</div></td><td class="r">${esc(l.amount)} <abbr title="code TVA">${esc(l.code)}</abbr></td></tr>`,
    )
    .join('')}
${r.ticketDiscount ? `<tr><td>Sous-total</td><td class="r">${esc(r.ticketDiscount.subtotal)}</td></tr><tr><td>${esc(r.ticketDiscount.label)}</td><td class="r">${esc(r.ticketDiscount.amount)}</td></tr>` : ''}
<tr class="total"><td>Total TTC</td><td class="r">${esc(r.total)}</td></tr>
<tr><td>Total HT</td><td class="r">${esc(r.totalNet)}</td></tr></table>
<table class="vat"><tr><th>Code</th><th>Taux</th><th>HT</th><th>TVA</th><th>TTC</th></tr>${r.vat.map((v) => `<tr><td>${esc(v.code)}</td><td>${esc(v.rate)}</td><td>${esc(v.net)}</td><td>${esc(v.vat)}</td><td>${esc(v.gross)}</td></tr>`).join('')}</table>${r.vatMentions.map((m) => `<p class="mention">${esc(m)}</p>`).join('')}
<table>${r.payments.map((p) => `<tr><td>${esc(p.method)}${p.voucher ? ` (valeur ${esc(p.voucher.value)})` : ''}</td><td class="r">${esc(p.amount)}</td></tr>${p.voucher ? `<tr><td>Non rendu (titre-restaurant)</td><td class="r">${esc(p.voucher.excess)}</td></tr>` : ''}${p.tip ? `<tr><td>Pourboire (hors total)</td><td class="r">${esc(p.tip)}</td></tr>` : ''}`).join('')}${r.change ? `<tr><td>Rendu</td><td class="r">${esc(r.change)}</td></tr>` : ''}</table>
${r.solidarity ? `<p><strong>Tarif solidaire</strong> : prix public ${esc(r.solidarity.public)}, vous avez payé ${esc(r.solidarity.household)}, le fonds de solidarité ${esc(r.solidarity.fund)}.</p>` : ''}
${shop.receiptFooter ? `<p>${esc(shop.receiptFooter)}</p>` : ''}
<a class="pdf" href="/r/${esc(token)}/pdf">Télécharger en PDF</a>
</main></body></html>`;
}

/** The same receipt as a PDF (pdfkit, in the embedded fonts of `documents/fonts.ts`). */
export function receiptPdf(d: ReceiptData): Promise<Buffer> {
  const r = receiptRows(d);
  const shop = d.shop;
  // A till roll's width (80 mm), as long as the ticket.
  const height =
    280 +
    d.sale.lines.length * 24 +
    d.sale.vat.length * 10 +
    (d.sale.payments.length + d.sale.payments.filter((p) => p.tipCents).length + d.sale.payments.filter((p) => p.excessCents).length) * 12 +
    (d.shop.receiptFooter ? 20 : 0) +
    (r.training ? 14 : 0);
  const doc = installFonts(
    new PDFDocument({
      size: [226, height],
      margin: 14,
      info: { Title: `${r.title} ${d.sale.number} — ${shop.name}`, Author: shop.name },
    }),
  );
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const width = 198;
  const row = (left: string, right: string, opts: { bold?: boolean; size?: number } = {}) => {
    doc.font(opts.bold ? 'Sans-Bold' : 'Sans').fontSize(opts.size ?? 8);
    const y = doc.y;
    doc.text(left, 14, y, { width: width - 60 });
    const after = doc.y;
    doc.text(right, 14 + width - 60, y, { width: 60, align: 'right' });
    doc.y = Math.max(after, doc.y);
  };
  if (r.training) doc.font('Sans-Bold').fontSize(9).text('MODE FORMATION — ticket sans valeur', { align: 'center' });
  doc.font('Sans-Bold').fontSize(11).text(shop.name, { align: 'center' });
  doc.font('Sans').fontSize(7);
  doc.text([r.legal.legal, r.legal.capital].filter(Boolean).join(' '), { align: 'center' });
  doc.text(`${shop.address}, ${shop.postalCode} ${shop.city}`, { align: 'center' });
  doc.text(r.legal.ids, { align: 'center' });
  doc.moveDown(0.5).font('Sans-Bold').fontSize(9).text(r.title, { align: 'center' });
  doc.font('Sans').fontSize(7).text(r.number, { align: 'center' }).text(r.when, { align: 'center' });
  if (r.place) doc.text(r.place, { align: 'center' });
  doc.moveDown(0.5);
  for (const l of r.lines) {
    row(l.name, `${l.amount} ${l.code}`);
    doc
      .font('Sans')
      .fontSize(6.5)
      .fillColor('#555')
      .text([l.detail, l.producer, l.manualPrice, l.discount].filter(Boolean).join(' · '), 14, doc.y, { width });
    doc.fillColor('#000');
  }
  if (r.ticketDiscount) {
    row('Sous-total', r.ticketDiscount.subtotal);
    row(r.ticketDiscount.label, r.ticketDiscount.amount);
  }
  doc.moveDown(0.3);
  row('TOTAL TTC', r.total, { bold: true, size: 11 });
  row('Total HT', r.totalNet);
  doc.moveDown(0.5);
  const vatRow = (cells: string[], bold = false) => {
    doc.font(bold ? 'Sans-Bold' : 'Sans').fontSize(7);
    const y = doc.y;
    const xs = [14, 40, 76, 116, 156];
    const ws = [24, 34, 40, 40, 56];
    cells.forEach((c, i) => doc.text(c, xs[i]!, y, { width: ws[i]!, align: i < 2 ? 'left' : 'right', lineBreak: false }));
    doc.y = y + 10;
  };
  vatRow(['Code', 'Taux', 'HT', 'TVA', 'TTC'], true);
  for (const v of r.vat) vatRow([v.code, v.rate, v.net, v.vat, v.gross]);
  for (const m of r.vatMentions) doc.font('Sans').fontSize(7).text(m, 14, doc.y, { width: 198 });
  doc.moveDown(0.5);
  for (const p of r.payments) {
    row(p.voucher ? `${p.method} (valeur ${p.voucher.value})` : p.method, p.amount);
    if (p.voucher) row('Non rendu (titre-restaurant)', p.voucher.excess);
    if (p.tip) row('Pourboire (hors total)', p.tip);
  }
  if (r.change) row('Rendu', r.change);
  if (r.solidarity) {
    row('Tarif solidaire : prix public', r.solidarity.public);
    row('Payé par vous', r.solidarity.household);
    row('Payé par le fonds de solidarité', r.solidarity.fund);
  }
  if (shop.receiptFooter) doc.moveDown(0.5).font('Sans').fontSize(7).text(shop.receiptFooter, 14, doc.y, { width, align: 'center' });
  doc.end();
  return done;
}

/** The QR code the till shows (and the paper receipt prints) for the digital receipt. */
export function receiptQrSvg(url: string): string {
  return bwipjs.toSVG({ bcid: 'qrcode', text: url, eclevel: 'M', scale: 3, paddingwidth: 2, paddingheight: 2 } as Parameters<
    typeof bwipjs.toSVG
  >[0]);
}
