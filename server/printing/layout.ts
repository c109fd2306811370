/** What every printed document shares: euros, the shop's clock, the shop's header. */
import type { ShopIdentity } from '../../shared/api/settings.ts';
import { formatEuros, type Cents } from '../../shared/money.ts';
import type { EscPos } from './escpos.ts';

export const eur = (c: number) => formatEuros(c as Cents);
export const paris = (iso: string) =>
  new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));

export function header(p: EscPos, shop: ShopIdentity) {
  // Double height only: the name keeps the paper's whole width.
  p.align('center').bold(true).size(1, 2).line(shop.name).size(1, 1).bold(false);
  p.line(shop.address).line(`${shop.postalCode} ${shop.city}`);
  if (shop.phone) p.line(`Tél. ${shop.phone}`);
  p.line(`SIRET ${shop.siret}`).line(`TVA ${shop.vatNumber}`).align('left');
}
