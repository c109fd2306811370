/**
 * The restaurant's note on paper. Apart from the receipts so that the restaurant's services can print it
 * without depending on the sale's receipt code.
 */
import type { ShopIdentity } from '../../shared/api/settings.ts';
import { formatRate, type BasisPoints } from '../../shared/money.ts';
import { EscPos, type PrinterProfile } from './escpos.ts';
import { eur, header, paris } from './layout.ts';
import { optionForKitchen } from '../../shared/text.ts';

/** The restaurant's note (l'addition), with what the law asks a note to say. */
export interface RestaurantNoteData {
  shop: ShopIdentity;
  number: number;
  /** 0: the note; 1, 2…: DUPLICATA. */
  copy: number;
  at: string;
  place: string;
  table: string | null;
  covers: number;
  /** `unitPriceCents`: the dish with its options; `modifiers`: the options chosen, with their own prices. */
  items: {
    quantity: number;
    name: string;
    modifiers?: { name: string; priceCents: number }[];
    unitPriceCents: number;
    totalCents: number;
  }[];
  vat: { vatRateBp: number; netCents: number; vatCents: number; grossCents: number }[];
  totalCents: number;
  customerName: string | null;
}

/**
 * The note as French law frames it (arrêté du 8 juin 1967 and its 1983 text): the establishment, the date and
 * place of service, the table and covers, each item with its quantity and unit price, the totals HT, the VAT
 * by rate and the TTC, and the customer's name when they give it. A reprint of the same note says DUPLICATA.
 */
export function restaurantNote(n: RestaurantNoteData, profile: PrinterProfile): Uint8Array {
  const p = new EscPos(profile).init();
  header(p, n.shop);
  p.rule().align('center').bold(true).size(1, 2).line(`NOTE n° ${n.number}`).size(1, 1).bold(false);
  if (n.copy) p.bold(true).line(`DUPLICATA n° ${n.copy}`).bold(false);
  p.align('left').line(`${paris(n.at)} — ${n.place}`);
  p.line(`${n.table ? `Table ${n.table} — ` : ''}${n.covers} couvert${n.covers > 1 ? 's' : ''}`);
  if (n.customerName) p.line(`Client : ${n.customerName}`);
  p.rule();
  for (const i of n.items) {
    p.pair(`${i.quantity} x ${i.name}`, eur(i.totalCents));
    for (const m of i.modifiers ?? []) {
      const o = optionForKitchen(m.name);
      p.line(`   ${o.sign} ${o.text}${m.priceCents ? ` (+${eur(m.priceCents)})` : ''}`);
    }
    p.line(`   ${eur(i.unitPriceCents)} l'unité`);
  }
  p.rule();
  const net = n.vat.reduce((s, v) => s + v.netCents, 0);
  p.pair('Total HT', eur(net));
  for (const v of n.vat) p.pair(`TVA ${formatRate(v.vatRateBp as BasisPoints)} sur ${eur(v.netCents)}`, eur(v.vatCents));
  p.bold(true).size(2, 2).pair('TOTAL TTC', eur(n.totalCents)).size(1, 1).bold(false);
  p.feed().align('center').line('Service compris').align('left').cut();
  return p.bytes();
}
