import { headLabel } from '../journal/heads.ts';
import type { ShopIdentity } from '../../shared/api/settings.ts';
import { formatRate, type BasisPoints } from '../../shared/money.ts';
import { ownSalesCents, type ClosingFigures, type Figures } from '../closing/figures.ts';
import { methodName, receiptRows, type ReceiptData } from '../receipts/digital.ts';
import { unitLine, type LabelProduct } from '../documents/labels.ts';
import { EscPos, type PrinterProfile } from './escpos.ts';

import { eur, header, paris } from './layout.ts';
import { frDay } from '../../shared/time.ts';
import { optionForKitchen } from '../../shared/text.ts';

export interface ReceiptOptions {
  /** The digital receipt's address, printed as a QR code. */
  qrUrl?: string | null;
  /** A reprint: DUPLICATA and its copy number. */
  copy?: number | null;
  /** Pulse the cash drawer after the receipt (a cash sale). */
  openDrawer?: boolean;
  /** The shop's logo, 1 bit per dot (1 = black), rows packed MSB first, at most the paper's dot width. */
  logo?: { width: number; height: number; bits: Uint8Array } | null;
}

/** The customer's receipt: shop, ticket, lines with their producers, total, VAT table, payments, legal mentions. */
export function customerReceipt(d: ReceiptData, profile: PrinterProfile, opts: ReceiptOptions = {}): Uint8Array {
  const r = receiptRows(d);
  const p = new EscPos(profile).init();
  const wide = profile.columns === 48;
  if (r.training) p.align('center').bold(true).line('*** MODE FORMATION ***').line('ticket sans valeur').bold(false).align('left');
  if (opts.copy)
    p.align('center').bold(true).size(2, 1).line('DUPLICATA').size(1, 1).line(`copie n° ${opts.copy}`).bold(false).align('left');
  if (opts.logo) p.align('center').raster(opts.logo.width, opts.logo.height, opts.logo.bits).align('left');
  header(p, d.shop);
  p.feed(1)
    .align('center')
    .bold(true)
    .line(d.sale.kind === 'refund' ? 'REMBOURSEMENT' : 'TICKET DE CAISSE')
    .bold(false)
    .align('left');
  p.line(r.number).line(r.when);
  if (r.place) p.line(r.place);
  p.rule();
  // Each line ends with its VAT code, explained by the table below (A 5,5 %, B 10 %, C 20 %, D 2,1 %, E 0 %).
  for (const l of r.lines) {
    p.pair(l.name, `${l.amount} ${l.code}`);
    p.line(`  ${l.detail}`);
    if (l.producer) p.line(`  ${l.producer}`);
    if (l.manualPrice) p.line(`  ${l.manualPrice}`);
    if (l.discount) p.line(`  ${l.discount}`);
  }
  if (r.ticketDiscount) p.pair('Sous-total', r.ticketDiscount.subtotal).pair(r.ticketDiscount.label, r.ticketDiscount.amount);
  p.rule().bold(true).size(2, 2).pair('TOTAL', r.total).size(1, 1).bold(false);
  p.pair('Total HT', r.totalNet).pair('Total TVA', r.totalVat);
  p.line('Prix en euros TTC').feed(1);
  const widths = wide ? [5, 7, 12, 12, 12] : [2, 6, 8, 8, 8];
  p.bold(true)
    .columnsRow([wide ? 'Code' : 'C', 'Taux', 'HT', 'TVA', 'TTC'], widths)
    .bold(false);
  for (const v of r.vat) p.columnsRow([v.code, v.rate, v.net, v.vat, v.gross], widths);
  for (const m of r.vatMentions) p.line(m);
  p.rule();
  for (const pay of r.payments) {
    p.pair(pay.voucher ? `${pay.method} (valeur ${pay.voucher.value})` : pay.method, pay.amount);
    // No change on a meal voucher: what it was worth beyond the ticket stays with the shop.
    if (pay.voucher) p.pair('Non rendu (titre-restaurant)', pay.voucher.excess);
    if (pay.tip) p.pair('Pourboire (carte)', pay.tip);
  }
  if (r.change) p.bold(true).pair('Rendu', r.change).bold(false);
  if (r.solidarity) {
    // The household sees the public price and what it paid itself (issue 22).
    p.feed(1).bold(true).line('Tarif solidaire').bold(false);
    p.pair('Prix public', r.solidarity.public);
    p.pair('Payé par vous', r.solidarity.household);
    p.pair('Payé par le fonds de solidarité', r.solidarity.fund);
  }
  if (r.tip) p.line('Pourboire hors total, non soumis à TVA');
  if (r.articles) p.feed(1).line(`Articles : ${r.articles}`);
  if (r.training) p.bold(true).line('MODE FORMATION - ticket sans valeur').bold(false);
  if (opts.copy) p.bold(true).line(`DUPLICATA - copie n° ${opts.copy}`).bold(false);
  if (opts.qrUrl)
    p.feed(1)
      .align('center')
      .line('Votre ticket sur votre téléphone :')
      .qr(opts.qrUrl, wide ? 6 : 4)
      .feed(1)
      .align('left');
  if (d.shop.receiptFooter) p.align('center').line(d.shop.receiptFooter).align('left');
  p.cut();
  if (opts.openDrawer) p.drawer();
  return p.bytes();
}

/** Every accented letter a French shop prints, €, the code page and a ruler of the width. */
export function testPage(profile: PrinterProfile, printerName: string): Uint8Array {
  const p = new EscPos(profile).init();
  p.align('center').bold(true).size(2, 2).line('Comptoir').size(1, 1).line("Page d'essai").bold(false).align('left');
  p.line(`Imprimante : ${printerName}`)
    .line(`Largeur : ${profile.columns} colonnes`)
    .line(`Page de codes : ${profile.codePage === 'pc858' ? 'PC858' : 'WPC1252'}`)
    .rule();
  p.line('àâäçéèêëîïôöùûüÿ').line('ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ').line('œ Œ æ « » ° € 12,50 €');
  const ruler = Array.from({ length: profile.columns }, (_, i) => String((i + 1) % 10)).join('');
  p.rule().line(ruler).rule().bold(true).line('Gras').bold(false).size(2, 2).line('Double').size(1, 1).cut();
  return p.bytes();
}

/** X (not closed) or Z (closing) report: totals by payment method, VAT rate and producer, cash expected vs counted. */
export function closingReport(
  kind: 'X' | 'Z',
  f: Figures,
  info: {
    shop: ShopIdentity;
    period: string;
    outletName: string;
    at: string;
    counted?: number | null;
    grandTotalCents?: number | null;
    seq?: number | null;
    /** A Z: its own hash, the key that signed it and the tills' names for its chain heads. */
    hash?: string | null;
    signedWith?: string | null;
    tillNames?: Map<number, string>;
  },
  profile: PrinterProfile,
): Uint8Array {
  const p = new EscPos(profile).init();
  header(p, info.shop);
  p.feed(1)
    .align('center')
    .bold(true)
    .size(2, 2)
    .line(kind === 'Z' ? `Z ${info.seq ?? ''}`.trim() : 'X')
    .size(1, 1)
    .line(kind === 'Z' ? 'Clôture de journée' : 'Lecture (non clôturée)')
    .bold(false)
    .align('left');
  // A day as the French read it (« 07/12/2026 »; a walk read « 2026-12-07 »); a month or a year as it is.
  p.line(`${info.outletName} — ${/^\d{4}-\d{2}-\d{2}$/.test(info.period) ? frDay(info.period) : info.period}`)
    .line(`Édité le ${paris(info.at)}`)
    .rule();
  // Counts said as what they count, and the discounts apart from the sum they are already taken off (a walk
  // read « Ventes / Remboursé / Remises / TOTAL » as a sum that did not add up, and « Tickets 6 » against the
  // Z's « 7 tickets » of the till, its refund included).
  p.pair('Tickets de vente', String(f.tickets))
    .pair('Remboursements', String(f.refunds))
    .pair('Ventes', eur(f.salesCents))
    .pair('Remboursé', eur(f.refundsCents));
  p.bold(true).pair('TOTAL TTC', eur(f.totalCents)).bold(false);
  if (f.discountsCents) p.pair('Remises (déjà déduites)', eur(f.discountsCents));
  p.rule();
  p.bold(true).line('Par moyen de paiement').bold(false);
  for (const m of f.byPayment) p.pair(methodName(m.method), eur(m.amountCents));
  if (f.tipsCents) p.pair('  dont pourboires (CB)', eur(f.tipsCents));
  if (f.voucherExcessCents) p.pair('Titres-restaurant non rendus', eur(f.voucherExcessCents));
  p.pair('Rendu', eur(-f.changeCents)).rule();
  if (f.tipsCents) p.pair('Pourboires, hors CA', eur(f.tipsCents)).rule();
  const widths = profile.columns === 48 ? [12, 12, 12, 12] : [8, 8, 8, 8];
  p.bold(true).columnsRow(['TVA', 'HT', 'TVA', 'TTC'], widths).bold(false);
  for (const v of f.byVat)
    p.columnsRow([formatRate(v.vatRateBp as BasisPoints), eur(v.netCents), eur(v.vatCents), eur(v.grossCents)], widths);
  p.rule().bold(true).line('Par producteur').bold(false);
  for (const pr of f.byProducer) p.pair(pr.name, eur(pr.totalCents));
  // The shop's own sales apart from those made for the producers (mandataire: in their name).
  p.pair('Ventes de la boutique', eur(ownSalesCents(f))).pair('Pour compte des producteurs', eur(f.totalCents - ownSalesCents(f)));
  // A Z since the drawer's movements: the float and cash in/out count in what the drawer should hold.
  const drawer = (f as ClosingFigures).drawer;
  p.rule();
  if (drawer)
    p.pair('Fond de caisse', eur(drawer.floatCents))
      .pair('Espèces encaissées', eur(drawer.cashSalesCents))
      .pair('Monnaie rendue', eur(-drawer.changeCents))
      .pair("Entrées d'espèces", eur(drawer.cashInCents))
      .pair("Sorties d'espèces", eur(-drawer.cashOutCents));
  const expected = drawer?.expectedCents ?? f.cashExpectedCents;
  p.pair('Espèces attendues', eur(expected));
  if (info.counted != null)
    p.pair('Espèces comptées', eur(info.counted))
      .bold(true)
      .pair('Écart', eur(info.counted - expected))
      .bold(false);
  if (info.grandTotalCents != null) p.pair('Grand total perpétuel', eur(info.grandTotalCents));
  // Closings since 2026-12-06: the perpetual totals at the day's end, per till, outlet and establishment.
  const totals = (f as ClosingFigures).grandTotals;
  if (totals) {
    p.rule().bold(true).line('Totaux perpétuels').bold(false);
    // Named as the PDF of the Z names them (« Caisse 3 » on paper was « Bar » there: found by a walk).
    for (const t of totals.tills) p.pair(`  ${info.tillNames?.get(t.tillId) ?? `Caisse ${t.tillId}`}`, eur(t.grandTotalCents));
    p.pair('  Point de vente', eur(totals.outletCents)).pair('  Établissement', eur(totals.establishmentCents));
  }
  // Closed with tables still open: each, with what it still owed (in no figure above).
  const open = (f as ClosingFigures).openTables;
  if (open?.length) {
    p.rule().bold(true).line('Tables encore ouvertes').bold(false);
    for (const t of open) p.pair(`  ${t.table === null ? 'À emporter' : `Table ${t.table}`}`, eur(t.leftCents ?? t.totalCents));
    p.pair('  Reste à régler', eur(open.reduce((s, t) => s + (t.leftCents ?? t.totalCents), 0)));
  }
  if (f.lateTickets) p.line(`Dont ${f.lateTickets} ticket(s) d'un jour déjà clôturé`);
  // The chains this Z anchors (issue 20, item 2): each till's last ticket and the last event, by position and
  // the start of its hash (the PDF of the Z carries the whole hashes), then the Z's own hash and signature.
  const heads = (f as ClosingFigures).chainHeads;
  if (kind === 'Z' && (heads?.length || info.hash)) {
    p.rule().bold(true).line('Chaînage').bold(false);
    for (const h of heads ?? []) p.pair(headLabel(h.chain, info.tillNames), `n° ${h.position}`).line(`  ${h.hash.slice(0, 24)}`);
    if (info.hash) {
      p.line('Empreinte du Z');
      const width = profile.columns - 2;
      for (let i = 0; i < info.hash.length; i += width) p.line(`  ${info.hash.slice(i, i + width)}`);
    }
    if (info.signedWith) p.line('Signé avec la clé').line(info.signedWith);
  }
  p.cut();
  return p.bytes();
}

/** The producer's deposit slip: what they left on the shelves, with room for both signatures. */
export function depositSlip(
  slip: {
    number: number;
    kind: 'deposit' | 'return' | 'transfer';
    at: string;
    producerName: string;
    lines: { name: string; quantity: number; unit: 'piece' | 'kg' }[];
    /** A transfer: the sites the goods left and went to. */
    siteName?: string;
    toSiteName?: string | null;
  },
  shop: ShopIdentity,
  profile: PrinterProfile,
): Uint8Array {
  const p = new EscPos(profile).init();
  header(p, shop);
  const title = { deposit: 'BON DE DÉPÔT', return: 'BON DE REPRISE', transfer: 'BON DE TRANSFERT' }[slip.kind];
  p.feed(1).align('center').bold(true).line(`${title} n° ${slip.number}`).bold(false).align('left');
  p.line(`Producteur : ${slip.producerName}`);
  if (slip.kind === 'transfer') p.line(`De : ${slip.siteName ?? ''}`).line(`Vers : ${slip.toSiteName ?? ''}`);
  p.line(`Le ${paris(slip.at)}`).rule();
  for (const l of slip.lines)
    p.pair(l.name, l.unit === 'kg' ? `${(l.quantity / 1000).toFixed(3).replace('.', ',')} kg` : `× ${l.quantity}`);
  p.rule().feed(1);
  if (slip.kind === 'transfer') p.line('Signature au départ :').feed(3).line('Signature à l’arrivée :').feed(3).cut();
  else p.line('Signature du producteur :').feed(3).line('Signature du magasin :').feed(3).cut();
  return p.bytes();
}

/** The drawer's movements as the slip names them (`shared/api/drawer.ts` reasons). */
const CASH_REASONS: Record<string, string> = {
  float: 'Fond de caisse compté',
  change_supply: 'Apport de monnaie',
  petty_purchase: 'Petite dépense',
  producer_payment: 'Paiement d’un producteur',
  bank_deposit: 'Dépôt en banque',
  correction: 'Correction d’une erreur',
  other: 'Autre',
};

/**
 * The slip of a drawer movement, for the receipt box: what was counted, put in or taken out, why, by whom and
 * who approved it, with room to sign. A float lists its count by note and coin, as the Z will carry it.
 */
export function cashSlip(
  m: {
    id: string;
    kind: 'float' | 'in' | 'out';
    reason: string;
    amountCents: number;
    note: string | null;
    producerName: string | null;
    denominations: Record<string, number> | null;
    by: string;
    approvedBy: string | null;
    tillName: string | null;
    createdAt: string;
  },
  shopName: string,
  profile: PrinterProfile,
): Uint8Array {
  const p = new EscPos(profile).init();
  p.align('center').bold(true).line(shopName).bold(false);
  const title = { float: 'FOND DE CAISSE', in: 'ENTRÉE D’ESPÈCES', out: 'SORTIE D’ESPÈCES' }[m.kind];
  p.feed(1).bold(true).size(1, 2).line(title).size(1, 1).bold(false).align('left');
  if (m.tillName) p.line(`Caisse : ${m.tillName}`);
  p.line(`Le ${paris(m.createdAt)}`).rule();
  if (m.kind !== 'float') p.line(`Motif : ${CASH_REASONS[m.reason] ?? m.reason}`);
  if (m.producerName) p.line(`Producteur : ${m.producerName}`);
  if (m.note) p.line(`Note : ${m.note}`);
  if (m.denominations) {
    const counted = Object.entries(m.denominations)
      .filter(([, n]) => n > 0)
      .sort(([a], [b]) => Number(b) - Number(a));
    for (const [cents, n] of counted) p.pair(`${n} × ${eur(Number(cents))}`, eur(Number(cents) * n));
  }
  p.rule().bold(true).size(2, 2).pair('MONTANT', eur(m.amountCents)).size(1, 1).bold(false);
  p.feed(1).line(`Par : ${m.by}`);
  if (m.approvedBy) p.line(`Accord : ${m.approvedBy}`);
  p.line(`Réf. ${m.id}`).feed(1);
  p.line(m.kind === 'out' ? 'Signature de qui reçoit :' : 'Signature :')
    .feed(3)
    .cut();
  return p.bytes();
}

/** One kitchen ticket: what a station is told to prepare, to hold, or to stop (ANNULÉ), for one table. */
export interface KitchenTicketData {
  kind: 'send' | 'fire' | 'void';
  table: string;
  covers: number;
  /** An order to take away: the kitchen packs it. */
  takeaway?: boolean;
  waiter: string;
  at: string;
  /** The course asked for (Suite). */
  course?: string | null;
  /** Why a line was cancelled. */
  reason?: string | null;
  /** A copy the kitchen asked for again. */
  reprint?: boolean;
  /** Sold at a till (the bar's counter sale): its till and ticket number instead of a table. */
  counter?: { till: string; number: number } | null;
  /** Grouped by course, in serving order; `waiting`: prepare when asked (Suite). */
  groups: {
    course: string;
    waiting: boolean;
    items: { quantity: number; name: string; modifiers?: string[]; seat: number | null; note: string | null }[];
  }[];
}

/**
 * A word to a station about tickets it already printed: a table changed, two tables brought together, dishes
 * moved to another table (the paper on the pass said the old table: found by a walk).
 */
export function kitchenNotice(
  n: { title: string; lines: readonly string[]; items?: readonly { quantity: number; name: string }[]; waiter: string; at: string },
  profile: PrinterProfile,
): Uint8Array {
  const p = new EscPos(profile).init();
  p.align('center').bold(true).size(2, 2).line(n.title).size(1, 1).bold(false).align('left');
  p.bold(true).size(2, 2);
  for (const l of n.lines) p.line(l);
  p.size(1, 1).bold(false);
  for (const i of n.items ?? []) p.line(`${i.quantity} x ${i.name}`);
  p.line(`${paris(n.at)} — ${n.waiter}`);
  p.cut();
  return p.bytes();
}

/**
 * A kitchen ticket in large type: the table, covers, waiter and time, then only the items this send (or
 * cancellation) is about, by course, each with its seat and note. Read across a hot kitchen.
 */
export function kitchenTicket(t: KitchenTicketData, profile: PrinterProfile): Uint8Array {
  const p = new EscPos(profile).init();
  if (t.reprint) p.align('center').bold(true).line('*** RÉIMPRESSION ***').bold(false).align('left');
  if (t.kind === 'void') p.align('center').bold(true).size(2, 2).line('*** ANNULÉ ***').size(1, 1).bold(false).align('left');
  if (t.kind === 'fire')
    p.align('center')
      .bold(true)
      .size(2, 2)
      .line(`SUITE : ${t.course ?? ''}`)
      .size(1, 1)
      .bold(false)
      .align('left');
  if (t.counter)
    // A counter sale (sold at a till): no table, no covers; the ticket's number is what the customer holds.
    p.bold(true)
      .size(2, 2)
      .line(`Comptoir n° ${t.counter.number}`)
      .size(1, 1)
      .line(/^caisse\b/i.test(t.counter.till) ? t.counter.till : `Caisse ${t.counter.till}`)
      .bold(false);
  else
    p.bold(true)
      .size(2, 2)
      .line(`Table ${t.table}`)
      .size(1, 1)
      .line(`${t.covers} couvert${t.covers > 1 ? 's' : ''}`)
      .bold(false);
  if (t.takeaway) p.bold(true).size(2, 1).line('À EMPORTER').size(1, 1).bold(false);
  p.line(`${paris(t.at)} — ${t.waiter}`).rule();
  for (const g of t.groups) {
    p.bold(true)
      .line(g.waiting ? `${g.course} - À SUIVRE` : g.course)
      .bold(false);
    p.size(2, 2);
    for (const i of g.items) {
      p.line(`${i.quantity} x ${i.name}`);
      p.size(1, 1);
      // What was chosen is part of the dish: in bold, before the seat and the waiter's note.
      for (const m of i.modifiers ?? []) {
        const o = optionForKitchen(m);
        p.bold(true).line(`   ${o.sign} ${o.text}`).bold(false);
      }
      if (i.seat !== null) p.line(`   place ${i.seat}`);
      if (i.note) p.line(`   > ${i.note}`);
      p.size(2, 2);
    }
    p.size(1, 1);
  }
  if (t.kind === 'void' && t.reason) p.rule().line(`Motif : ${t.reason}`);
  p.cut();
  return p.bytes();
}

/**
 * Shelf labels on the receipt printer, one after the other with a cut between them: name, producer, the
 * price large, the unit line (per kg for weighed goods, per kg or litre for a prepacked piece) and the
 * EAN barcode to stick on the shelf edge or on goods.
 */
export function thermalLabels(labels: readonly LabelProduct[], profile: PrinterProfile, opts: { demo?: boolean } = {}): Uint8Array {
  const p = new EscPos(profile).init();
  for (const l of labels) {
    p.align('center');
    if (opts.demo) p.line('DEMO');
    p.bold(true).line(l.name).bold(false);
    if (l.producerName) p.line(l.producerName);
    p.size(2, 2).bold(true).line(eur(l.priceCents)).bold(false).size(1, 1);
    p.line(unitLine(l, eur));
    if (l.barcode && /^(\d{8}|\d{13})$/.test(l.barcode)) p.ean(l.barcode);
    p.align('left').cut(2);
  }
  return p.bytes();
}
