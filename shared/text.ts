/**
 * Search text: lower-case, no accents, no punctuation, so `pate` finds `Pâté`. The server stores products
 * normalised by this function and normalises the query with it too; the till does the same offline, so
 * both sides must keep using this one function.
 */

// Letters that Unicode does not decompose into a base letter and a mark, but that people type without
// their stroke or as two letters. Œ/Æ are French; the others turn up in imported producer names.
const LETTERS: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };

export function normalizeForSearch(s: string): string {
  return (
    s
      // NFKD also unfolds compatibility forms a copy-paste brings in: "ﬁ" ligatures, "²", full-width letters;
      // lower-casing after it catches the capitals some of them unfold to ("№" -> "No").
      .normalize('NFKD')
      .toLowerCase()
      .replace(/\p{M}+/gu, '')
      .replace(/[œæßøłđðþı]/g, (ch) => LETTERS[ch] ?? ch)
      // Only letters and digits survive, so a term can never carry a LIKE wildcard (% or _) to the database.
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
  );
}

const MAX_TERMS = 8;

/** Distinct words of a query, at most eight: more never narrows a shop's catalogue and each costs a LIKE. */
export function searchTerms(query: string): string[] {
  return [...new Set(normalizeForSearch(query).split(' ').filter(Boolean))].slice(0, MAX_TERMS);
}

/** 'Ferme du Sidobre' -> 'ferme-du-sidobre': ASCII only, as it ends up in logins and URLs. */
export function slugify(s: string): string {
  return normalizeForSearch(s)
    .replace(/[^a-z0-9 ]+/g, ' ')
    .trim()
    .replace(/ +/g, '-');
}

/**
 * A text made to fit `max` characters for a place that has no more room (a note, a one-line label): cut
 * at the last space and ended with "…", never in the middle of a word — unless a single word takes more
 * than half the room, which is then cut whole characters at a time (never half an emoji).
 */
export function shortenAtWord(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const room = chars.slice(0, Math.max(0, max - 1));
  const space = room.lastIndexOf(' ');
  const kept = space >= room.length / 2 ? room.slice(0, space) : room;
  return kept.join('').trimEnd() + '…';
}

/** « Burger (À point, Supplément fromage) »: a dish named with its options, as the ticket, the bill and the till say it. */
export function withOptions(name: string, chosen: readonly { name: string }[]): string {
  return chosen.length ? `${name} (${chosen.map((m) => m.name).join(', ')})` : name;
}

/**
 * An option as a cook reads it: « + Frites » adds, « - SANS oignons » takes away (an option named « Sans … »,
 * « No … » or « Without … »: printed « + Sans oignons », it read as onions more; found by a restaurant walk).
 * `sign` is ASCII for the printers' code page; the kitchen screen may draw its own.
 */
export function optionForKitchen(name: string): { removes: boolean; sign: '+' | '-'; text: string } {
  const m = /^(sans|no|without)\s+(.*)$/iu.exec(name.trim());
  if (!m) return { removes: false, sign: '+', text: name };
  return { removes: true, sign: '-', text: `${m[1]!.toUpperCase()} ${m[2]}` };
}

/**
 * « de » before a name, as French says it: « du Moulin de Viviers », « des Volailles du Sor », « de la Ferme »,
 * « de l’Abeille », « d’Aline Roux », « de Jean Petit » (« pour le compte de Le Moulin » read wrong: a walk).
 * A name starting with a capital vowel elides; an « h » and anything else are left as they are.
 */
export function ofName(name: string): string {
  const n = name.trim();
  const m = /^(?:(le|la|les)\s+|(l)['’]\s*)(.+)$/i.exec(n);
  if (m) {
    const article = (m[1] ?? m[2]!).toLowerCase();
    const rest = m[3]!;
    if (article === 'le') return `du ${rest}`;
    if (article === 'les') return `des ${rest}`;
    if (article === 'la') return `de la ${rest}`;
    return `de l’${rest}`;
  }
  if (/^[AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒ]/.test(n)) return `d’${n}`;
  return `de ${n}`;
}
