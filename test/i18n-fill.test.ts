import { describe, expect, it } from 'vitest';
import { fill } from '../shared/i18n/fill.ts';
import { translate } from '../shared/i18n/index.ts';

// Plurals said, not « article(s) » (found by a walk): French takes the singular for 0 and 1, English for 1 only.
describe('a message’s placeholders', () => {
  it('picks the word that goes with the number, in each language', () => {
    const text = '{n} {n|article|articles}';
    expect([0, 1, 2, 12].map((n) => fill('fr', text, { n }))).toEqual(['0 article', '1 article', '2 articles', '12 articles']);
    expect([0, 1, 2].map((n) => fill('en', '{n} {n|item|items}', { n }))).toEqual(['0 items', '1 item', '2 items']);
  });

  it('leaves a choice whose number is not given as written, and fills the plain placeholders around it', () => {
    expect(fill('fr', '{a} {n|x|y} {b}', { a: 'A', b: 'B' })).toBe('A {n|x|y} B');
  });

  it('says the bill’s unsent and unfired dishes with their plurals', () => {
    expect(translate('fr', 'salle.bill.unfired', { n: 1 })).toBe(
      '1 article envoyé mais pas encore demandé (Suite) : la cuisine ne le prépare pas.',
    );
    expect(translate('fr', 'salle.bill.unfired', { n: 3 })).toBe(
      '3 articles envoyés mais pas encore demandés (Suite) : la cuisine ne les prépare pas.',
    );
    expect(translate('en', 'salle.bill.unsent', { n: 2 })).toBe('2 items not sent to the kitchen yet.');
  });
});
