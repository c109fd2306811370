/** The interface's words for the pages at `/` (the till has its own in caisse/ui.tsx): one catalogue per language. */
import { translate, type Lang, type MessageKey } from '../shared/i18n/index.ts';

/** A translation function bound to the page's language, handed to every screen. */
export type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

export const translatorFor =
  (lang: Lang): T =>
  (key, vars) =>
    translate(lang, key, vars);
