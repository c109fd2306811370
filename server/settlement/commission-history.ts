import type { Db } from '../../db/schema.ts';

/**
 * A producer's commission terms through time (table `commission_terms`, migration 039): every change of the
 * default rate or of a category's rate is a new row, in force from its instant. A sale is commissioned at
 * the terms in force when it was rung, and its refund at the same terms as the sale it gives back.
 */
export interface TermsVersion {
  validFrom: string;
  defaultBp: number;
  byCategory: ReadonlyMap<number, number>;
}

export async function appendCommissionTerms(
  db: Db,
  producerId: number,
  terms: { defaultBp: number; byCategory: readonly { categoryId: number; commissionBp: number }[] },
  setBy: number | null,
  at: string,
): Promise<void> {
  await db
    .insertInto('commission_terms')
    .values({
      producer_id: producerId,
      default_bp: terms.defaultBp,
      by_category: JSON.stringify(Object.fromEntries(terms.byCategory.map((c) => [String(c.categoryId), c.commissionBp]))),
      valid_from: at,
      set_by: setBy,
    })
    .execute();
}

/** The producer's terms, oldest first (two changes in one millisecond: in the order they were written). */
export async function commissionHistory(db: Db, producerId: number): Promise<TermsVersion[]> {
  const rows = await db
    .selectFrom('commission_terms')
    .select(['default_bp', 'by_category', 'valid_from'])
    .where('producer_id', '=', producerId)
    .orderBy('valid_from')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    validFrom: r.valid_from,
    defaultBp: r.default_bp,
    byCategory: new Map(Object.entries(JSON.parse(r.by_category) as Record<string, number>).map(([k, v]) => [Number(k), v])),
  }));
}

/**
 * The rate of a line of `categoryId` sold at `at` (an ISO instant): the terms in force then; before the first
 * known terms, the first; without any history (a producer written straight into the table), `current`.
 */
export function rateAt(history: readonly TermsVersion[], current: TermsVersion, categoryId: number | null, at: string): number {
  let terms = history[0] ?? current;
  for (const v of history) {
    if (v.validFrom > at) break;
    terms = v;
  }
  return (categoryId !== null ? terms.byCategory.get(categoryId) : undefined) ?? terms.defaultBp;
}
