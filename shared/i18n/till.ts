/**
 * The words of the till, the waiter's phone and the kitchen screen, without the back office's and the portal's
 * (`index.ts` has every key): what those bundles load, so the tablet opens at once (scripts/bundle-budget.ts).
 */
import { en } from './en.ts';
import { fill } from './fill.ts';
import { fr, type TillMessageKey } from './fr.ts';
import type { Lang } from './index.ts';

export type { TillMessageKey };
const catalogues = { fr, en } as const;

/** `t('till.total')`: French first; placeholders in braces. */
export function translateTill(lang: Lang, key: TillMessageKey, vars: Record<string, string | number> = {}): string {
  return fill(lang, catalogues[lang][key] as string, vars);
}
