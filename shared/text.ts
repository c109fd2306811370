/**
 * Search text: lower-case, no accents, no punctuation, so `pate` finds `Pâté`. The server stores products
 * normalised by this function and normalises the query with it too; the till does the same offline.
 */
export function normalizeForSearch(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9°]+/g, ' ')
    .trim();
}

export function searchTerms(query: string): string[] {
  return [...new Set(normalizeForSearch(query).split(' ').filter(Boolean))].slice(0, 8);
}

export function slugify(s: string): string {
  return normalizeForSearch(s).replace(/°/g, '').trim().replace(/\s+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
}
