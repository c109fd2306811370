/** What every printed document shares: euros, the shop's clock, the shop's header. */
import type { ShopIdentity } from '../../shared/api/settings.ts';
import { formatEuros, type Cents } from '../../shared/money.ts';
import type { EscPos } from './escpos.ts';

export const eur = (c: number) => formatEuros(c as Cents);
export const paris = (iso: string) =>
  new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));

const wholeEuros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
const capital = (c: number) => (c % 100 ? eur(c) : wholeEuros.format(c / 100));

export function header(p: EscPos, shop: ShopIdentity) {
  // Double height only: the name keeps the paper's whole width.
  p.align('center').bold(true).size(1, 2).line(shop.name).size(1, 1).bold(false);
  p.line(shop.address).line(`${shop.postalCode} ${shop.city}`);
  if (shop.phone) p.line(`Tél. ${shop.phone}`);
  // The seller as the law names it (art. R123-237 Code de commerce): legal form, legal name, share capital.
  p.line([shop.legalForm, shop.legalName].filter(Boolean).join(' '));
  if (shop.shareCapitalCents != null) p.line(`au capital de ${capital(shop.shareCapitalCents)}`);
  p.line(`SIRET ${shop.siret}`).line(`TVA ${shop.vatNumber}`).align('left');
}
