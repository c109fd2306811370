import { en } from './en.ts';
import { fr, type Catalogue, type MessageKey } from './fr.ts';

export type Lang = 'fr' | 'en';
export const catalogues: Record<Lang, Catalogue> = { fr, en };

/** `t('home.hello', { name })`: French first; placeholders in braces. */
export function translate(lang: Lang, key: MessageKey, vars: Record<string, string | number> = {}): string {
  return catalogues[lang][key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`));
}
export type { MessageKey };
