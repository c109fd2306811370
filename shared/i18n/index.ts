import { en } from './en.ts';
import { fill } from './fill.ts';
import { enPages } from './en-pages.ts';
import { fr, type TillMessageKey } from './fr.ts';
import { frPages, type PagesMessageKey } from './fr-pages.ts';

export type Lang = 'fr' | 'en';
/** Every key: the till's side (`fr.ts`) and the pages' and server's (`fr-pages.ts`). */
export type MessageKey = TillMessageKey | PagesMessageKey;
export type Catalogue = Record<MessageKey, string>;
export const catalogues: Record<Lang, Catalogue> = { fr: { ...fr, ...frPages }, en: { ...en, ...enPages } };

/** `t('home.hello', { name })`: French first; placeholders in braces. */
export function translate(lang: Lang, key: MessageKey, vars: Record<string, string | number> = {}): string {
  return fill(lang, catalogues[lang][key], vars);
}
