import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeForSearch, ofName, optionForKitchen, searchTerms, shortenAtWord, slugify } from './text.ts';

describe('searching the catalogue as people type', () => {
  it('lets "pate" find "Pâté de Campagne"', () => {
    expect(normalizeForSearch('Pâté de Campagne')).toBe('pate de campagne');
    expect(normalizeForSearch('Pâté de Campagne')).toContain(normalizeForSearch('pate'));
    expect(normalizeForSearch('PÂTÉ')).toBe('pate');
  });
  it('turns apostrophes and hyphens into spaces, straight or curly', () => {
    expect(normalizeForSearch("Crème d'Ail")).toBe('creme d ail');
    expect(normalizeForSearch('Crème d’Ail')).toBe('creme d ail');
    expect(normalizeForSearch('Saint-Félix-Lauragais')).toBe('saint felix lauragais');
  });
  it('spells ligatures out, so "oeufs" finds "Œufs" and "coeur" finds "cœur"', () => {
    expect(normalizeForSearch('Œufs  BIO — Cœur de Bœuf')).toBe('oeufs bio coeur de boeuf');
    expect(normalizeForSearch('Nævus')).toBe('naevus');
    expect(normalizeForSearch('Weißbier')).toBe('weissbier');
    // A copy-pasted typographic ligature: "ﬁ" is one character, NFKD unfolds it.
    expect(normalizeForSearch('Conﬁture de ﬁgues')).toBe('confiture de figues');
  });
  it('keeps digits and drops the rest of the punctuation', () => {
    expect(normalizeForSearch('Miel (500 g) — 12,50 € !')).toBe('miel 500 g 12 50');
    expect(normalizeForSearch('Cidre 5,5°')).toBe('cidre 5 5');
    expect(normalizeForSearch('50%_off')).toBe('50 off');
  });
  it('strips every accent French uses, and a few from imported names', () => {
    expect(normalizeForSearch('àâäéèêëïîôöùûüÿç')).toBe('aaaeeeeiioouuuyc');
    expect(normalizeForSearch('Søren Łukasz')).toBe('soren lukasz');
  });
  it('collapses runs of spaces, tabs and no-break spaces, and trims', () => {
    expect(normalizeForSearch('  Tomme\u00a0\u00a0de\tBrebis \n')).toBe('tomme de brebis');
    expect(normalizeForSearch('')).toBe('');
    expect(normalizeForSearch(' — ')).toBe('');
  });
  it('is idempotent and leaves only lower-case letters, digits and single spaces (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        const n = normalizeForSearch(s);
        expect(normalizeForSearch(n)).toBe(n);
        expect(n).toBe(n.trim());
        expect(n).not.toMatch(/ {2}|[%_'’-]/);
        expect(n).toBe(n.toLowerCase());
      }),
      { numRuns: 1000 },
    );
  });
});

describe('search terms from a query', () => {
  it('splits a query into distinct normalised terms', () => {
    expect(searchTerms('  Pâté pate PIMENT ')).toEqual(['pate', 'piment']);
    expect(searchTerms("Crème d'Ail")).toEqual(['creme', 'd', 'ail']);
    expect(searchTerms('')).toEqual([]);
    expect(searchTerms(' ,;- ')).toEqual([]);
  });
  it('keeps at most eight terms', () => {
    expect(searchTerms('un deux trois quatre cinq six sept huit neuf dix')).toEqual([
      'un',
      'deux',
      'trois',
      'quatre',
      'cinq',
      'six',
      'sept',
      'huit',
    ]);
  });
});

describe('slugs for logins and addresses', () => {
  it('makes producer slugs', () => {
    expect(slugify('Ferme du Sidobre')).toBe('ferme-du-sidobre');
    expect(slugify('Les Jardins d’Anglès')).toBe('les-jardins-d-angles');
    expect(slugify('  GAEC « Le Cœur » — Lacaune  ')).toBe('gaec-le-coeur-lacaune');
  });
  it('never starts or ends with a hyphen, and may come out empty', () => {
    expect(slugify('-- Miel & Cie --')).toBe('miel-cie');
    expect(slugify('!!!')).toBe('');
  });
  it('is always lower-case ASCII words joined by single hyphens (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        expect(slugify(s)).toMatch(/^(?:[a-z0-9]+(?:-[a-z0-9]+)*)?$/);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('shortening a text that has no more room', () => {
  it('keeps what fits, cuts at the last space and ends with an ellipsis', () => {
    // 30 characters of room: "Caisse 1 · n° 12 · Confiture" is 28, the next word would not fit with "…".
    expect(shortenAtWord('Caisse 1 · n° 12 · Confiture de figues × 2', 30)).toBe('Caisse 1 · n° 12 · Confiture…');
    expect(shortenAtWord('Miel', 30)).toBe('Miel');
    // One word longer than the room: cut by whole characters, the emoji kept whole or left out.
    expect(shortenAtWord('Anticonstitutionnellement🍯', 10)).toBe('Anticonst…');
    expect(shortenAtWord('Flan 🍮🍮🍮 maison', 7)).toBe('Flan…');
  });

  it('never returns more than the room, and is what the text began with (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.integer({ min: 2, max: 60 }), (text, max) => {
        const out = shortenAtWord(text, max);
        expect([...out].length).toBeLessThanOrEqual(max);
        if (out !== text) {
          expect(out.endsWith('…')).toBe(true);
          expect(text.startsWith(out.slice(0, -1))).toBe(true);
        }
      }),
    );
  });
});

describe('optionForKitchen', () => {
  it('says what an option takes away apart from what it adds', () => {
    expect(optionForKitchen('Sans oignons')).toEqual({ removes: true, sign: '-', text: 'SANS oignons' });
    expect(optionForKitchen('sans  gluten')).toEqual({ removes: true, sign: '-', text: 'SANS gluten' });
    expect(optionForKitchen('No onions')).toEqual({ removes: true, sign: '-', text: 'NO onions' });
    expect(optionForKitchen('Supplément fromage')).toEqual({ removes: false, sign: '+', text: 'Supplément fromage' });
    // « Sanson » is a name, not « sans » + a word.
    expect(optionForKitchen('Sansonnet')).toEqual({ removes: false, sign: '+', text: 'Sansonnet' });
    expect(optionForKitchen('Sans')).toEqual({ removes: false, sign: '+', text: 'Sans' });
  });
});

describe('« de » before a name', () => {
  it('contracts the article and elides before a vowel', () => {
    expect(ofName('Le Moulin de Viviers')).toBe('du Moulin de Viviers');
    expect(ofName('Les Volailles du Sor')).toBe('des Volailles du Sor');
    expect(ofName('La Ferme des Aulnes')).toBe('de la Ferme des Aulnes');
    expect(ofName("L'Abeille noire")).toBe('de l’Abeille noire');
    expect(ofName('Aline Roux')).toBe('d’Aline Roux');
    expect(ofName('EARL du Sidobre')).toBe('d’EARL du Sidobre');
    expect(ofName('Ferme du Sidobre')).toBe('de Ferme du Sidobre');
    expect(ofName('Lentilles et Cie')).toBe('de Lentilles et Cie');
    expect(ofName('Héloïse')).toBe('de Héloïse');
  });
});
