import { describe, expect, it } from 'vitest';
import { eventDetails } from '../client/backoffice/event-details.ts';

/** The spaces Intl puts in numbers and amounts (no-break, narrow no-break) as plain ones, for reading. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const fr = (data: unknown) => plain(eventDetails(data, 'fr'));

describe('an event’s details in the back office’s log', () => {
  it('says each detail in French words with its value as people write it, never the record’s keys', () => {
    // 1250 cents are 12,50 €; a boolean is oui/non; a tablet by its number.
    expect(fr({ amountCents: 1250, deviceId: 3, training: false })).toBe('Montant : 12,50 € · Tablette n° : 3 · Formation : non');
    // 1500 basis points are 15 %; a role by its French name.
    expect(fr({ commissionBp: 1500, role: 'cashier', login: 'lea' })).toBe('Commission : 15 % · Rôle : caissier · Identifiant : lea');
    // 14:30 UTC on 7 December is 15:30 in Paris (winter, UTC+1); a day as « 7 déc. 2026 ».
    expect(fr({ expiresAt: '2026-12-07T14:30:00.000Z', day: '2026-12-07' })).toBe('Expire le : 07/12/2026 15:30 · Jour : 7 déc. 2026');
    // 1 234 567 bytes: 1,2 Mo (powers of 1000, as a disk says it).
    expect(fr({ bytes: 1_234_567 })).toBe('Taille : 1,2 Mo');
    // A list of lines, each in words; a list of codes, six then how many more (8 − 6 = 2).
    expect(fr({ lines: [{ lineNo: 1, quantity: 2 }] })).toBe('Lignes : (Ligne n° : 1, Quantité : 2)');
    expect(fr({ statements: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] })).toBe('Relevés : a, b, c, d, e, f, … et 2 de plus');
    // Codes in words: a payment method, a product sold by weight.
    expect(fr({ method: 'cash', unit: 'kg' })).toBe('Moyen : Espèces · Vente : au poids');
    // A key no catalogue knows yet: its code, so that nothing is hidden.
    expect(fr({ zzz: 1, nothing: null })).toBe('Zzz : 1 · Nothing : —');
  });

  it('says a change as what changed only, before → after', () => {
    const data = {
      before: { name: 'Miel', lowStockThreshold: 5, active: true },
      after: { name: 'Miel', lowStockThreshold: 8, active: false },
    };
    expect(fr(data)).toBe('Seuil de stock bas : 5 → 8 · Actif : oui → non');
    // What was set for the first time, beside the rest of the details.
    expect(fr({ outletId: 2, before: {}, after: { priceCents: 450 } })).toBe('Point de vente n° : 2 · Prix : — → 4,50 €');
  });

  it('is said in English on an English page', () => {
    expect(plain(eventDetails({ training: true, amountCents: 99 }, 'en'))).toBe('Training : yes · Amount : €0.99');
  });
});
