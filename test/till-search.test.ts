import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CatalogIndex, type CatalogData, type Product } from '../client/caisse/catalog.ts';
import { normalizeForSearch, searchTerms } from '../shared/text.ts';

// The till's search narrows from the last query's matches as the cashier types: whatever the order of
// the queries, it must answer exactly what a fresh index answers.

const names = [
  'Tomme de brebis',
  'Tomme de vache',
  'Miel de châtaignier',
  'Miel de bruyère',
  'Bière blonde',
  'Bière brune',
  'Savon à la lavande',
  'Confiture de figues',
  'Écharpe en laine',
  'Pâté de campagne',
  'Terrine au poivre',
  'Brebis frais',
];

function catalog(list: readonly string[] = names): CatalogData {
  const products = list.map((name, i) => ({
    id: i + 1,
    name,
    active: true,
    barcodes: [],
    plu: null,
    producerName: i % 2 ? 'Ferme du Sidobre' : 'Rucher de Brassac',
  }));
  return { products, categories: [], producers: [], inStoreLayouts: [] } as unknown as CatalogData;
}

const ids = (ps: Product[]) => ps.map((p) => p.id);

describe('till search', () => {
  it('ranks names starting with the first word first, then the others, each in alphabetical order', () => {
    const index = new CatalogIndex(catalog());
    // "brebis": "Brebis frais" (12) starts with it; "Tomme de brebis" (1) only contains it.
    expect(ids(index.search('brebis'))).toEqual([12, 1]);
    // Typing on narrows. Producers alternate: odd ids (index even) are the Rucher de Brassac, even ids the
    // Ferme du Sidobre. "tomme" → 1, 2; "tomme br" → 1 (brebis, Brassac) and 2 (Sidobre holds "br");
    // "tomme breb" → 1 alone.
    expect(ids(index.search('tomme'))).toEqual([1, 2]);
    expect(ids(index.search('tomme br'))).toEqual([1, 2]);
    expect(ids(index.search('tomme breb'))).toEqual([1]);
    // Back to a wider query: not narrowed from the last one.
    // "Miel de bruyère" (4) before "Miel de châtaignier" (3): b before c, whatever the catalogue's order.
    expect(ids(index.search('miel'))).toEqual([4, 3]);
    expect(ids(index.search('mie'))).toEqual([4, 3]);
    // "bi": Bière blonde and brune start with it; Brebis frais (12) and Tomme de brebis (1) contain it.
    expect(ids(index.search('bi'))).toEqual([5, 6, 12, 1]);
  });

  it('answers every sequence of queries as a fresh index does', () => {
    const letters = fc.constantFrom(...'abeimorstu é'.split(''));
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: letters, maxLength: 8 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 5 }),
        (queries, limit) => {
          const typing = new CatalogIndex(catalog());
          for (const q of queries) expect(ids(typing.search(q, limit))).toEqual(ids(new CatalogIndex(catalog()).search(q, limit)));
        },
      ),
    );
  });

  it('answers as the rule written out plainly, on any catalogue and any typing', () => {
    // The rule: every word of the query within the product's name or producer (accents and case aside);
    // names starting with the first word first, then the others, each in alphabetical order of the searched
    // text (name, producer; accents and case aside), equal texts in catalogue order; at most `limit`.
    const reference = (data: CatalogData, query: string, limit: number) => {
      const terms = searchTerms(query);
      if (!terms.length) return [];
      const key = (p: (typeof data.products)[number]) => normalizeForSearch(`${p.name} ${p.producerName ?? ''}`);
      const sorted = data.products
        .map((p, i) => ({ p, i, k: key(p) }))
        .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i))
        .map((x) => x.p);
      const texts = sorted.map(key);
      const all = sorted.filter((_, i) => terms.every((t) => texts[i]!.includes(t)));
      const starts = all.filter((p) => normalizeForSearch(p.name).startsWith(terms[0]!));
      return ids([...starts, ...all.filter((p) => !starts.includes(p))].slice(0, limit));
    };
    const letters = fc.constantFrom(...'abeimorst Éé'.split(''));
    fc.assert(
      fc.property(
        // A name is never blank (the catalogue refuses it).
        fc.array(
          fc.string({ unit: letters, minLength: 1, maxLength: 10 }).filter((name) => normalizeForSearch(name) !== ''),
          { minLength: 1, maxLength: 40 },
        ),
        fc.array(fc.string({ unit: letters, maxLength: 6 }), { minLength: 1, maxLength: 15 }),
        fc.integer({ min: 1, max: 8 }),
        (list, queries, limit) => {
          const data = catalog(list);
          const typing = new CatalogIndex(data);
          for (const q of queries) expect(ids(typing.search(q, limit))).toEqual(reference(data, q, limit));
        },
      ),
      { numRuns: 500 },
    );
  });
});
