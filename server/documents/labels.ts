/**
 * Shelf labels on A4 sticker sheets (3 × 7 labels of 63.5 × 38.1 mm, the common "L7160" layout): the
 * product, its producer (short-circuit transparency), the price incl. VAT, the price per kilogram for
 * goods sold by weight (the unit price the Code de la consommation requires), and the product's EAN
 * barcode drawn by bwip-js when it has one.
 */
import bwipjs from 'bwip-js/node';
import PDFDocument from 'pdfkit';
import { unitPricePer1000, type Cents } from '../../shared/money.ts';
import { pdfEuros, pdfText } from './a4.ts';
import { installFonts } from './fonts.ts';

const MM = 72 / 25.4;
const SHEET = { cols: 3, rows: 7, width: 63.5 * MM, height: 38.1 * MM, left: 7.2 * MM, top: 15.15 * MM, gapX: 2.5 * MM, gapY: 0 };
export const LABELS_PER_SHEET = SHEET.cols * SHEET.rows;

export interface LabelProduct {
  name: string;
  producerName: string | null;
  unit: 'piece' | 'kg';
  priceCents: number;
  barcode: string | null;
  /** Net quantity of a prepacked piece: the label then shows its price per kg or per litre. */
  net: { quantity: number; unit: 'g' | 'ml' } | null;
}

/** The line under the price: "le kilo", or "500 g · 19,00 € le kg" for a prepacked piece, or "la pièce". */
export function unitLine(l: LabelProduct, euros: (c: number) => string): string {
  if (l.unit === 'kg') return 'le kilo (prix au kg)';
  if (!l.net) return 'TTC la pièce';
  const per = euros(unitPricePer1000(l.priceCents as Cents, l.net.quantity));
  return `${netText(l.net)} · ${per} ${l.net.unit === 'g' ? 'le kg' : 'le litre'}`;
}

/** 500 g, 1,5 kg, 75 cl, 1 l: as shoppers read quantities. */
export function netText(net: { quantity: number; unit: 'g' | 'ml' }): string {
  const fmt = (n: number) => String(n).replace('.', ',');
  if (net.unit === 'g') return net.quantity >= 1000 ? `${fmt(net.quantity / 1000)} kg` : `${net.quantity} g`;
  if (net.quantity >= 1000) return `${fmt(net.quantity / 1000)} l`;
  return net.quantity % 10 === 0 ? `${net.quantity / 10} cl` : `${net.quantity} ml`;
}

async function barcodePng(code: string): Promise<Buffer | null> {
  // EAN-13/8 for goods that carry one; Code 128 for the shop's own codes (a ressourcerie item R…, a variant V…).
  const bcid = /^\d{13}$/.test(code) ? 'ean13' : /^\d{8}$/.test(code) ? 'ean8' : /^[A-Za-z0-9.-]{3,32}$/.test(code) ? 'code128' : null;
  if (!bcid) return null;
  try {
    return await bwipjs.toBuffer({ bcid, text: code, scale: 4, height: 9, includetext: true, textsize: 9 } as Parameters<
      typeof bwipjs.toBuffer
    >[0]);
  } catch {
    return null;
  }
}

const TAG = { width: 54 * MM, height: 86 * MM };

/**
 * Hang-tags for the label printer (issue 22): one 54 × 86 mm tag per page, as a roll printer takes them: the
 * article (a textile variant: model, colour and size), its maker, the price, the barcode to scan.
 */
export async function tagsPdf(labels: readonly LabelProduct[], opts: { demo?: boolean } = {}): Promise<Buffer> {
  const doc = installFonts(
    new PDFDocument({
      size: [TAG.width, TAG.height],
      margin: 0,
      autoFirstPage: false,
      info: { Title: 'Étiquettes volantes', Creator: 'Comptoir' },
    }),
  );
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const pad = 4 * MM;
  const w = TAG.width - 2 * pad;
  for (const l of labels) {
    doc.addPage({ size: [TAG.width, TAG.height], margin: 0 });
    // The hole for the tag's string.
    doc
      .circle(TAG.width / 2, 6 * MM, 1.8 * MM)
      .lineWidth(0.5)
      .strokeColor('#888888')
      .stroke();
    doc
      .font('Sans-Bold')
      .fontSize(11)
      .fillColor('#111111')
      .text(pdfText(l.name), pad, 12 * MM, { width: w, height: 40, ellipsis: true, align: 'center' });
    if (l.producerName)
      doc
        .font('Sans')
        .fontSize(8)
        .fillColor('#444444')
        .text(pdfText(l.producerName), pad, 12 * MM + 42, { width: w, align: 'center', lineBreak: false });
    doc
      .font('Sans-Bold')
      .fontSize(22)
      .fillColor('#111111')
      .text(pdfEuros(l.priceCents), pad, 12 * MM + 62, { width: w, align: 'center', lineBreak: false });
    doc
      .font('Sans')
      .fontSize(7.5)
      .fillColor('#444444')
      .text(pdfText(unitLine(l, pdfEuros)), pad, 12 * MM + 90, { width: w, align: 'center', lineBreak: false });
    const png = l.barcode ? await barcodePng(l.barcode) : null;
    if (png) doc.image(png, pad, TAG.height - pad - 22 * MM, { fit: [w, 22 * MM], align: 'center', valign: 'bottom' });
    if (opts.demo)
      doc
        .font('Sans-Bold')
        .fontSize(6)
        .fillColor('#b3261e')
        .text('DEMO', pad, 2 * MM, { width: w, align: 'right', lineBreak: false });
  }
  if (!labels.length) {
    doc.addPage({ size: [TAG.width, TAG.height], margin: 0 });
    doc.font('Sans').fontSize(9).text('Aucune étiquette.', pad, 20);
  }
  doc.end();
  return done;
}

/** One label per entry (repeat an entry for copies); as many sheets as needed; `skip` leaves used stickers. */
export async function labelsPdf(labels: readonly LabelProduct[], opts: { skip?: number; demo?: boolean } = {}): Promise<Buffer> {
  const doc = installFonts(new PDFDocument({ size: 'A4', margin: 0, info: { Title: 'Étiquettes', Creator: 'Comptoir' } }));
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const pngs = new Map<string, Buffer | null>();
  const skip = opts.skip ?? 0;
  for (let i = 0; i < labels.length; i++) {
    const slot = (i + skip) % LABELS_PER_SHEET;
    if (i > 0 && slot === 0) doc.addPage({ size: 'A4', margin: 0 });
    const l = labels[i]!;
    const x = SHEET.left + (slot % SHEET.cols) * (SHEET.width + SHEET.gapX);
    const y = SHEET.top + Math.floor(slot / SHEET.cols) * (SHEET.height + SHEET.gapY);
    const pad = 3 * MM;
    const w = SHEET.width - 2 * pad;
    doc.save();
    doc.rect(x, y, SHEET.width, SHEET.height).clip();
    doc
      .font('Sans-Bold')
      .fontSize(10.5)
      .fillColor('#111111')
      .text(pdfText(l.name), x + pad, y + pad, { width: w, height: 26, ellipsis: true });
    if (l.producerName)
      doc
        .font('Sans')
        .fontSize(7.5)
        .fillColor('#444444')
        .text(pdfText(l.producerName), x + pad, y + pad + 25, { width: w, height: 10, ellipsis: true, lineBreak: false });
    const priceY = y + SHEET.height - pad - 24;
    // The price never wraps: a long one ("1 234,50 €") is set smaller to keep its column.
    const price = pdfEuros(l.priceCents);
    doc.font('Sans-Bold').fontSize(19);
    const priceSize = Math.min(19, (19 * w * 0.46) / doc.widthOfString(price));
    doc
      .fontSize(priceSize)
      .fillColor('#111111')
      .text(price, x + pad, priceY + (19 - priceSize) * 0.7, { width: w * 0.46, lineBreak: false });
    // A prepacked piece's unit price may be longer than the price column: it gets the width under the barcode too.
    doc
      .font('Sans')
      .fontSize(7.5)
      .fillColor('#444444')
      .text(pdfText(unitLine(l, pdfEuros)), x + pad, priceY + 20, { width: l.net ? w : w * 0.46, lineBreak: false });
    if (l.barcode) {
      if (!pngs.has(l.barcode)) pngs.set(l.barcode, await barcodePng(l.barcode));
      const png = pngs.get(l.barcode);
      if (png)
        doc.image(png, x + pad + w * 0.47, y + SHEET.height - pad - (l.net ? 40 : 30), {
          fit: [w * 0.53, l.net ? 28 : 30],
          align: 'right',
          valign: 'bottom',
        });
    }
    if (opts.demo)
      doc
        .font('Sans-Bold')
        .fontSize(6)
        .fillColor('#b3261e')
        .text('DEMO', x + SHEET.width - pad - 30, y + 2, { width: 30, align: 'right', lineBreak: false });
    doc.restore();
  }
  if (!labels.length) doc.font('Sans').fontSize(11).text('Aucune étiquette.', 60, 60);
  doc.end();
  return done;
}
