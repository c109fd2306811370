/** Solidarity prices (issue 22): the split of a ticket, the same on the till and on the server. */
import { percentOf, type BasisPoints, type Cents } from './money.ts';

/**
 * The split of a ticket sold at solidarity prices: each line's household share rounded half-up (the household
 * pays that), the fund the rest. Pure, so the till shows exactly what the server will check.
 */
export interface SplitDetail {
  categoryId: number | null;
  items: number;
  publicCents: number;
  householdCents: number;
}

export function solidaritySplit(
  lines: readonly { categoryId: number | null; items: number; totalCents: number }[],
  shares: { defaultShareBp: number; byCategory: ReadonlyMap<number, number> },
): { publicCents: number; householdCents: number; fundCents: number; detail: SplitDetail[] } {
  const byCategory = new Map<number | null, SplitDetail>();
  for (const l of lines) {
    const bp = (l.categoryId !== null ? shares.byCategory.get(l.categoryId) : undefined) ?? shares.defaultShareBp;
    const d = byCategory.get(l.categoryId) ?? { categoryId: l.categoryId, items: 0, publicCents: 0, householdCents: 0 };
    d.items += l.items;
    d.publicCents += l.totalCents;
    d.householdCents += percentOf(l.totalCents as Cents, bp as BasisPoints);
    byCategory.set(l.categoryId, d);
  }
  const detail = [...byCategory.values()];
  const publicCents = detail.reduce((s, d) => s + d.publicCents, 0);
  const householdCents = detail.reduce((s, d) => s + d.householdCents, 0);
  return { publicCents, householdCents, fundCents: publicCents - householdCents, detail };
}
