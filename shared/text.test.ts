import { describe, expect, it } from 'vitest';
import { normalizeForSearch, searchTerms, slugify } from './text.ts';

describe('search text', () => {
  it('lets `pate` find `Pâté` and ignores case, accents, ligatures and punctuation', () => {
    expect(normalizeForSearch('Pâté de Campagne')).toBe('pate de campagne');
    expect(normalizeForSearch("Crème d'Ail")).toBe('creme d ail');
    expect(normalizeForSearch('Œufs  BIO — Cœur')).toBe('oeufs bio coeur');
    expect(normalizeForSearch('Écharpe en laine')).toContain('echarpe');
  });
  it('splits a query into distinct terms', () => {
    expect(searchTerms('  Pâté pate PIMENT ')).toEqual(['pate', 'piment']);
    expect(searchTerms('')).toEqual([]);
  });
  it('makes slugs for logins and URLs', () => {
    expect(slugify('Ferme du Sidobre')).toBe('ferme-du-sidobre');
    expect(slugify('Les Jardins d’Anglès')).toBe('les-jardins-d-angles');
  });
});
