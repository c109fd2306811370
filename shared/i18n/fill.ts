type Lang = 'fr' | 'en';

/**
 * A message with its placeholders filled: `{name}` takes the value; `{n|article|articles}` the word that goes with
 * the number `n` (French: 0 and 1 take the singular, « 0 article »; English: 1 only). No « article(s) ».
 */
export function fill(lang: Lang, text: string, vars: Record<string, string | number>): string {
  return text
    .replace(/\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/g, (whole, k: string, one: string, many: string) => {
      if (!(k in vars)) return whole;
      const n = Math.abs(Number(vars[k]));
      return (lang === 'fr' ? n < 2 : n === 1) ? one : many;
    })
    .replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`));
}
