/**
 * Consignment statements (relevés de dépôt-vente), DESIGN decision 6: derived from the sale lines of a
 * producer's goods and the restaurant's kitchen use, then frozen when issued (number, figures, PDF, and
 * the list of what it settled). A line that arrives after its period was settled (a till that was
 * offline, a refund of a settled sale) is not in any statement yet: the next one carries it.
 */
import { invoiceCode, issueStatementInvoice } from './invoices.ts';
import { mandateInForce } from './mandates.ts';
import { consignmentSetting, modelOn, producersWithoutVat } from '../accounting/consignment.ts';
import type { NextRunView } from '../../shared/api/settlement.ts';
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { canonicalJson } from '../journal/canonical.ts';
import type { CommissionTermsView, StatementSummary, StatementView } from '../../shared/api/settlement.ts';
import { modelTotals, statementCode, type StatementItem, type StatementTotals } from '../../shared/settlement.ts';
import { businessDay, shiftDay } from '../../shared/time.ts';
import { weighedPrice, type Cents, type Grams } from '../../shared/money.ts';
import { Conflict, Invalid, NotFound, Unprocessable } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';
import type { Kysely } from 'kysely';
import type { Database, Db, Trx } from '../../db/schema.ts';
import { isDemo, readSetting, shopIdentity } from '../settings/settings.ts';
import { producerScope, requireAccess, requireUser, type Actor } from '../auth/access.ts';
import { renderInThread, type StatementRenderer } from './documents.ts';
import { statementsCsv } from './portal.ts';
import { appendCommissionTerms, commissionHistory, rateAt, type TermsVersion } from './commission-history.ts';
import { salesWatermark, unsettledKitchenUse, unsettledLines, type UnsettledLine } from './queries.ts';
import { statementPdf, type StatementDocument } from './statement-pdf.ts';

export const DEFAULT_COMMISSION_VAT_BP = 2000;

/** The shapes the API answers with (`shared/api/settlement.ts`): what a statement holds, frozen or drafted. */
export type CommissionTerms = CommissionTermsView;
export type StatementProducer = StatementView['producer'];
export type { StatementSummary, StatementView } from '../../shared/api/settlement.ts';

async function producerOf(db: Db, producerId: number): Promise<StatementProducer> {
  const p = await db
    .selectFrom('producers')
    .select(['id', 'name', 'legal_name', 'address', 'siret', 'vat_status', 'vat_number', 'email'])
    .where('id', '=', producerId)
    .executeTakeFirst();
  if (!p) throw new NotFound('Producteur');
  return {
    id: p.id,
    name: p.name,
    legalName: p.legal_name,
    address: p.address,
    siret: p.siret,
    vatStatus: p.vat_status,
    vatNumber: p.vat_number,
    email: p.email,
  };
}

/**
 * The totals in the model of the period (`server/accounting/consignment.ts`): the mandataire's account of sales
 * and commission, or the commissionnaire's purchase from the producer under their VAT regime.
 */
async function totalsFor(
  db: Db,
  producerId: number,
  period: { to: string },
  items: StatementItem[],
  commissionVatRateBp: number,
): Promise<StatementTotals> {
  const model = modelOn(await consignmentSetting(db), period.to);
  if (model === 'mandataire') return modelTotals(items, commissionVatRateBp, model, { vatStatus: 'subject' });
  const p = await db
    .selectFrom('producers')
    .select(['vat_status', 'flat_rate_compensation_bp'])
    .where('id', '=', producerId)
    .executeTakeFirstOrThrow();
  return modelTotals(items, commissionVatRateBp, model, { vatStatus: p.vat_status, flatRateBp: p.flat_rate_compensation_bp });
}

/** A producer's terms as the actor may see them (another producer's id reads as unknown: 404, nothing named). */
export async function producerTerms(db: Db, actor: Actor, producerId: number): Promise<CommissionTerms> {
  await requireAccess(db, actor, { producer: producerId });
  return commissionTerms(db, producerId);
}

/**
 * The terms a statement states: those in force at the end of its period (each line bears its own rate, of its
 * day of sale: a business probe found an issued statement stating the rates changed after its period).
 */
async function termsOfPeriodEnd(
  db: Db,
  current: CommissionTerms,
  history: readonly TermsVersion[],
  to: string,
  timeZone: string,
): Promise<CommissionTerms> {
  const inForce = history.filter((v) => businessDay(v.validFrom, timeZone) <= to).at(-1) ?? history[0];
  if (!inForce) return current;
  const ids = [...inForce.byCategory.keys()];
  const names = ids.length ? await db.selectFrom('categories').select(['id', 'name', 'sort_order']).where('id', 'in', ids).execute() : [];
  names.sort((a, b) => a.sort_order - b.sort_order || a.name.localeCompare(b.name, 'fr'));
  return {
    ...current,
    defaultBp: inForce.defaultBp,
    byCategory: names.map((c) => ({ categoryId: c.id, categoryName: c.name, commissionBp: inForce.byCategory.get(c.id)! })),
  };
}

export async function commissionTerms(db: Db, producerId: number): Promise<CommissionTerms> {
  const p = await db.selectFrom('producers').select('commission_bp').where('id', '=', producerId).executeTakeFirst();
  if (!p) throw new NotFound('Producteur');
  const byCategory = await db
    .selectFrom('producer_commissions as pc')
    .innerJoin('categories as c', 'c.id', 'pc.category_id')
    .select(['pc.category_id', 'c.name', 'pc.commission_bp'])
    .where('pc.producer_id', '=', producerId)
    .orderBy('c.sort_order')
    .orderBy('c.name')
    .execute();
  return {
    producerId,
    defaultBp: p.commission_bp,
    byCategory: byCategory.map((r) => ({ categoryId: r.category_id, categoryName: r.name, commissionBp: r.commission_bp })),
    commissionVatRateBp: (await readSetting(db, 'settlement.commissionVatBp')) ?? DEFAULT_COMMISSION_VAT_BP,
  };
}

/** Who changes something, and when. */
export interface Change {
  userId: number;
  now: Date;
}

export interface TermsInput {
  defaultBp: number;
  byCategory: { categoryId: number; commissionBp: number }[];
}

/** Sets a producer's commission terms, in a transaction of its own. */
export async function changeCommissionTerms(db: Kysely<Database>, change: Change, producerId: number, input: TermsInput) {
  return db.transaction().execute((trx) => setCommissionTerms(trx, change, producerId, input));
}

export async function setCommissionTerms(db: Trx, { userId, now }: Change, producerId: number, input: TermsInput) {
  const before = await commissionTerms(db, producerId);
  const seen = new Set<number>();
  const problems: { field: string; reason: string }[] = [];
  input.byCategory.forEach((c, i) => {
    if (seen.has(c.categoryId)) problems.push({ field: `byCategory.${i}.categoryId`, reason: 'catégorie en double' });
    seen.add(c.categoryId);
  });
  if (input.byCategory.length) {
    const known = await db
      .selectFrom('categories')
      .select('id')
      .where('id', 'in', [...seen])
      .execute();
    input.byCategory.forEach((c, i) => {
      if (!known.some((k) => k.id === c.categoryId)) problems.push({ field: `byCategory.${i}.categoryId`, reason: 'catégorie inconnue' });
    });
  }
  if (problems.length) throw new Invalid(problems);
  await db
    .updateTable('producers')
    .set({ commission_bp: input.defaultBp, updated_at: now.toISOString() })
    .where('id', '=', producerId)
    .execute();
  await db.deleteFrom('producer_commissions').where('producer_id', '=', producerId).execute();
  if (input.byCategory.length) {
    await db
      .insertInto('producer_commissions')
      .values(input.byCategory.map((c) => ({ producer_id: producerId, category_id: c.categoryId, commission_bp: c.commissionBp })))
      .execute();
  }
  await appendCommissionTerms(db, producerId, input, userId, now.toISOString());
  await recordEvent(db, {
    kind: 'producer.terms_changed',
    userId,
    subject: `producer:${producerId}`,
    data: {
      before: { defaultBp: before.defaultBp, byCategory: before.byCategory.map((c) => [c.categoryId, c.commissionBp]) },
      after: { defaultBp: input.defaultBp, byCategory: input.byCategory.map((c) => [c.categoryId, c.commissionBp]) },
    },
    at: now.toISOString(),
  });
  return commissionTerms(db, producerId);
}

/**
 * Everything of this producer not yet settled, dated up to `to`: the period's lines, and older ones that
 * arrived late. Settlement starts with the producer's first statement: nothing before it is owed here.
 * The work does not grow with the years: days after the last statement are read through the sales of
 * those days; days it covered only through the sales written after it (its watermark), since whatever
 * was written before was settled by it or by an earlier one.
 */
async function unsettledItems(
  db: Db,
  producerId: number,
  from: string,
  to: string,
  terms: CommissionTerms,
  timeZone: string,
): Promise<{ items: StatementItem[]; watermark: number; history: TermsVersion[] }> {
  // Read first: a sale written after this read is above the mark, so the next statement sees it.
  const watermark = await salesWatermark(db);
  const first = await db
    .selectFrom('statements')
    .select((eb) => eb.fn.min('period_from').as('first'))
    .where('producer_id', '=', producerId)
    .executeTakeFirst();
  const start = first?.first && first.first < from ? first.first : from;
  const last = await db
    .selectFrom('statements')
    .select(['period_to', 'sales_watermark'])
    .where('producer_id', '=', producerId)
    .orderBy('period_to', 'desc')
    .executeTakeFirst();
  const outlets = await db
    .selectFrom('outlets')
    .innerJoin('sites', 'sites.id', 'outlets.site_id')
    .select(['outlets.id', 'sites.id as site_id', 'sites.name as site_name'])
    .execute();
  const outletIds = outlets.map((o) => o.id);
  // A network of sites: each item says where (one site: nothing, the statement reads as it always did).
  const siteCount = new Set(outlets.map((o) => o.site_id)).size;
  const siteOfOutlet = new Map(outlets.map((o) => [o.id, o.site_name]));
  const siteName = new Map(outlets.map((o) => [o.site_id, o.site_name]));
  // Days after the last statement (gap days before `from` included): every sale of those days.
  const freshFrom = last && last.period_to >= start ? shiftDay(last.period_to, 1) : start;
  const rows: UnsettledLine[] = await unsettledLines(db, producerId, { outletIds, from: freshFrom, to });
  if (last && last.period_to >= start) {
    rows.push(
      ...(await unsettledLines(
        db,
        producerId,
        last.sales_watermark !== null
          ? // Days the last statement covered: only sales written after it can hold unsettled lines.
            { writtenAfter: last.sales_watermark, from: start, to: last.period_to }
          : // A statement from before the watermark: the producer's lines of those days, the long way.
            { from: start, to: last.period_to },
      )),
    );
  }
  const lines = rows.sort((x, y) =>
    x.business_day < y.business_day
      ? -1
      : x.business_day > y.business_day
        ? 1
        : x.created_at < y.created_at
          ? -1
          : x.created_at > y.created_at
            ? 1
            : x.sale_id < y.sale_id
              ? -1
              : x.sale_id > y.sale_id
                ? 1
                : x.line_no - y.line_no,
  );
  // Each line at the terms in force when it was sold (a refund: when the sale it gives back was sold).
  const history = await commissionHistory(db, producerId);
  const current = {
    validFrom: '',
    defaultBp: terms.defaultBp,
    byCategory: new Map(terms.byCategory.map((c) => [c.categoryId, c.commissionBp])),
  };
  const items: StatementItem[] = lines.map((l) => ({
    kind: l.kind === 'refund' ? 'refund' : 'sale',
    day: l.business_day,
    reference: `${l.till_name} · n° ${l.number}`,
    saleId: l.sale_id,
    lineNo: l.line_no,
    movementId: null,
    productId: l.product_id,
    name: l.name,
    unit: l.unit,
    quantity: l.quantity,
    unitPriceCents: l.unit_price_cents,
    amountCents: l.total_cents,
    ...(l.gross_cents !== l.total_cents ? { discountCents: l.gross_cents - l.total_cents } : {}),
    vatRateBp: l.vat_rate_bp,
    commissionBp: rateAt(history, current, l.category_id, l.sold_at),
    carried: l.business_day < from,
    ...(siteCount > 1 ? { site: siteOfOutlet.get(l.outlet_id) ?? '' } : {}),
  }));
  // Kitchen movements carry an instant; their business day is that instant in the shop's zone.
  const kitchen = await unsettledKitchenUse(db, producerId, {
    from: `${shiftDay(start, -1)}T00:00:00.000Z`,
    to: `${shiftDay(to, 1)}T23:59:59.999Z`,
  });
  // The goods carry the VAT their sale would have on that day: none under the mandate for a producer who
  // charges none (franchise, agricultural flat rate), as on the receipts (`producersWithoutVat`).
  const exemptOn = new Map<string, boolean>();
  for (const m of kitchen) {
    const day = businessDay(m.at, timeZone);
    if (day < start || day > to) continue;
    if (!exemptOn.has(day)) exemptOn.set(day, (await producersWithoutVat(db, day, [producerId])).has(producerId));
    const quantity = -m.quantity;
    const price = m.unit_price_cents ?? m.price_cents;
    items.push({
      kind: 'kitchen',
      day,
      // A dish sold with its recipe names its ticket and dish ("Bar · n° 12 · Omelette × 2", server/catalog/recipes.ts).
      reference: m.sale_id !== null && m.note ? m.note : 'Restaurant',
      saleId: null,
      lineNo: null,
      movementId: m.id,
      productId: m.product_id,
      name: m.name,
      unit: m.unit,
      quantity,
      unitPriceCents: price,
      amountCents: m.unit === 'kg' ? weighedPrice(price as Cents, quantity as Grams) : price * quantity,
      vatRateBp: exemptOn.get(day) ? 0 : m.vat_rate_bp,
      commissionBp: 0,
      carried: day < from,
      ...(siteCount > 1 ? { site: siteName.get(m.site_id) ?? '' } : {}),
    });
  }
  // Textile variants: the model each was made as, for the statement to group its sales by model.
  const ids = [...new Set(items.map((i) => i.productId))];
  if (ids.length) {
    const models = await db
      .selectFrom('products as p')
      .innerJoin('product_models as m', 'm.id', 'p.model_id')
      .select(['p.id', 'm.name'])
      .where('p.id', 'in', ids)
      .execute();
    if (models.length) {
      const modelOf = new Map(models.map((m) => [m.id, m.name]));
      for (const i of items) {
        const m = modelOf.get(i.productId);
        if (m) i.model = m;
      }
    }
  }
  return { items, watermark, history };
}

/**
 * A section per site, from the items' `site` (issue 23): what was sold, refunded and taken by the kitchen at
 * each place. Absent when every item is of one site.
 */
export function siteSections(items: readonly StatementItem[]): { sites?: NonNullable<StatementView['sites']> } {
  const names = [...new Set(items.flatMap((i) => (i.site === undefined ? [] : [i.site])))].sort((a, b) => a.localeCompare(b, 'fr'));
  if (!names.length) return {};
  return {
    sites: names.map((name) => {
      const own = items.filter((i) => i.site === name);
      const sum = (kind: StatementItem['kind']) => own.filter((i) => i.kind === kind).reduce((a, i) => a + i.amountCents, 0);
      const salesCents = sum('sale');
      const refundsCents = sum('refund');
      const kitchenCents = sum('kitchen');
      return { name, salesCents, refundsCents, kitchenCents, grossCents: salesCents + refundsCents + kitchenCents, lines: own.length };
    }),
  };
}

function viewOfRow(row: {
  id: number;
  number: number;
  figures: string;
  issued_at: string;
  paid_on: string | null;
  paid_method: string | null;
  paid_reference: string | null;
  pdf_sha256: string;
}): StatementView {
  const frozen = JSON.parse(row.figures) as Omit<StatementView, 'id' | 'number' | 'code' | 'status' | 'issuedAt' | 'payment' | 'pdfSha256'>;
  return {
    ...frozen,
    ...siteSections(frozen.items),
    id: row.id,
    number: row.number,
    code: statementCode(row.number),
    status: row.paid_on ? 'paid' : 'issued',
    issuedAt: row.issued_at,
    payment: row.paid_on ? { paidOn: row.paid_on, method: row.paid_method!, reference: row.paid_reference } : null,
    pdfSha256: row.pdf_sha256,
  };
}

const statementColumns = ['id', 'number', 'figures', 'issued_at', 'paid_on', 'paid_method', 'paid_reference', 'pdf_sha256'] as const;

/**
 * The statement of a period: the issued one if this exact period was issued, otherwise a draft of what
 * issuing it now would settle.
 */
export async function statementFor(
  db: Db,
  actor: Actor,
  producerId: number,
  period: { from: string; to: string },
  timeZone: string,
): Promise<StatementView> {
  await requireAccess(db, actor, { producer: producerId });
  const producer = await producerOf(db, producerId);
  const issued = await db
    .selectFrom('statements')
    .select(statementColumns)
    .where('producer_id', '=', producerId)
    .where('period_from', '=', period.from)
    .where('period_to', '=', period.to)
    .executeTakeFirst();
  if (issued) return viewOfRow(issued);
  const current = await commissionTerms(db, producerId);
  const { items, history } = await unsettledItems(db, producerId, period.from, period.to, current, timeZone);
  const terms = await termsOfPeriodEnd(db, current, history, period.to, timeZone);
  return {
    id: null,
    number: null,
    code: null,
    status: 'draft',
    producer,
    period,
    issuedAt: null,
    payment: null,
    terms,
    items,
    totals: await totalsFor(db, producerId, period, items, terms.commissionVatRateBp),
    ...siteSections(items),
    pdfSha256: null,
  };
}

/** The statement of a period as a PDF: the stored one if issued, otherwise a draft marked as such. */
export async function statementPdfFor(
  db: Db,
  actor: Actor,
  producerId: number,
  period: { from: string; to: string },
  { now, timeZone, renderer = renderInThread }: { now: Date; timeZone: string; renderer?: StatementRenderer | undefined },
): Promise<{ pdf: Buffer; filename: string }> {
  const s = await statementFor(db, actor, producerId, period, timeZone);
  if (s.id !== null) return getStatementPdf(db, actor, s.id);
  const pdf = await renderer.render('statement', {
    ...s,
    code: 'PROJET',
    issuedAt: now.toISOString(),
    shop: await shopIdentity(db),
    demo: await isDemo(db),
    draft: true,
  });
  return { pdf, filename: `projet-releve-${s.producer.id}-${period.from}-${period.to}.pdf` };
}

export async function getStatement(db: Db, actor: Actor, id: number): Promise<StatementView> {
  const scope = producerScope(actor);
  let q = db.selectFrom('statements').select(statementColumns).where('id', '=', id);
  if (scope.producerId !== null) q = q.where('producer_id', '=', scope.producerId);
  const row = await q.executeTakeFirst();
  if (!row) throw new NotFound('Relevé');
  return viewOfRow(row);
}

export async function getStatementPdf(db: Db, actor: Actor, id: number): Promise<{ pdf: Buffer; filename: string }> {
  const scope = producerScope(actor);
  let q = db
    .selectFrom('statements')
    .innerJoin('producers', 'producers.id', 'statements.producer_id')
    .select(['statements.pdf', 'statements.number', 'producers.slug'])
    .where('statements.id', '=', id);
  if (scope.producerId !== null) q = q.where('statements.producer_id', '=', scope.producerId);
  const row = await q.executeTakeFirst();
  if (!row) throw new NotFound('Relevé');
  return { pdf: row.pdf, filename: `${statementCode(row.number)}-${row.slug}.pdf` };
}

export async function listStatements(
  db: Db,
  actor: Actor,
  query: {
    producerId?: number | undefined;
    from?: string | undefined;
    to?: string | undefined;
    unpaid?: boolean | undefined;
    limit: number;
  },
): Promise<StatementSummary[]> {
  const scope = producerScope(actor);
  let q = db
    .selectFrom('statements as st')
    .innerJoin('producers as p', 'p.id', 'st.producer_id')
    .leftJoin('invoices as inv', 'inv.statement_id', 'st.id')
    .select([
      'inv.id as invoice_id',
      'inv.year as invoice_year',
      'inv.number as invoice_number',
      'inv.kind as invoice_kind',
      'inv.series as invoice_series',
      'st.id',
      'st.number',
      'st.producer_id',
      'p.name',
      'st.period_from',
      'st.period_to',
      'st.issued_at',
      'st.sales_cents',
      'st.figures',
      'st.commission_cents',
      'st.net_cents',
      'st.paid_on',
      'st.paid_method',
      'st.paid_reference',
    ]);
  if (scope.producerId !== null) q = q.where('st.producer_id', '=', scope.producerId);
  if (query.producerId !== undefined) q = q.where('st.producer_id', '=', query.producerId);
  // A statement belongs to a range when its period overlaps it.
  if (query.from) q = q.where('st.period_to', '>=', query.from);
  if (query.to) q = q.where('st.period_from', '<=', query.to);
  if (query.unpaid) q = q.where('st.paid_on', 'is', null);
  const rows = await q.orderBy('st.number', 'desc').limit(query.limit).execute();
  return rows.map((r) => {
    // The frozen figures of the statement hold the split (sales, refunds, kitchen use) of what it settles.
    const totals = (JSON.parse(r.figures) as { totals: { salesCents: number; refundsCents: number; kitchenCents: number } }).totals;
    return {
      id: r.id,
      number: r.number,
      code: statementCode(r.number),
      producerId: r.producer_id,
      producerName: r.name,
      from: r.period_from,
      to: r.period_to,
      issuedAt: r.issued_at,
      salesCents: totals.salesCents,
      refundsCents: totals.refundsCents,
      kitchenCents: totals.kitchenCents,
      grossCents: r.sales_cents,
      commissionCents: r.commission_cents,
      netCents: r.net_cents,
      paidOn: r.paid_on,
      paidMethod: r.paid_method,
      paidReference: r.paid_reference,
      invoice:
        r.invoice_id !== null
          ? { id: r.invoice_id, code: invoiceCode(r.invoice_year!, r.invoice_number!, r.invoice_series!), kind: r.invoice_kind! }
          : null,
    };
  });
}

/** Every statement of a period as CSV for French spreadsheets; the export is an event. */
export async function exportStatementsCsv(
  db: Kysely<Database>,
  actor: Actor,
  period: { from: string; to: string },
  now: Date,
): Promise<{ csv: string; filename: string }> {
  const list = await listStatements(db, actor, { ...period, limit: 100_000 });
  await db.transaction().execute((trx) =>
    recordEvent(trx, {
      kind: 'statement.exported',
      userId: requireUser(actor).id,
      data: { ...period, statements: list.length },
      at: now.toISOString(),
    }),
  );
  return { csv: statementsCsv(list), filename: `releves-${period.from}-${period.to}.csv` };
}

const statementById = (db: Db, id: number) => getStatement(db, { user: null, device: null }, id);

/** What a statement is worked out with: the database (or a transaction), its issue time and the shop's zone. */
export interface PrepareContext {
  db: Db;
  now: Date;
  timeZone: string;
}

/** What writing a statement takes: it opens its own transactions; `renderer` typesets its PDF (this thread by default). */
export interface CommitContext {
  db: Kysely<Database>;
  userId: number;
  timeZone: string;
  renderer?: StatementRenderer | undefined;
}

export type IssueContext = CommitContext & { now: Date };

export interface StatementInput {
  producerId: number;
  period: { from: string; to: string };
}

/** Everything a statement will be, worked out before it is written: figures, number, and what its PDF shows. */
export interface PreparedStatement {
  producerId: number;
  period: { from: string; to: string };
  number: number;
  issuedAt: string;
  doc: StatementDocument;
  /** Highest sales rowid when the items were read (see migration 006). */
  salesWatermark: number;
  /** Commissionnaire: the self-billing mandate the invoice is written under. */
  mandate: { id: number; signedOn: string } | null;
}

/** The producer's statements must not reach into the period (checked when preparing and again when writing). */
async function checkNoOverlap(db: Db, producerId: number, period: { from: string; to: string }) {
  const last = await db
    .selectFrom('statements')
    .select(['number', 'period_from', 'period_to'])
    .where('producer_id', '=', producerId)
    .orderBy('period_to', 'desc')
    .executeTakeFirst();
  if (last && period.from <= last.period_to) {
    throw new Conflict(
      `La période chevauche le relevé ${statementCode(last.number)} (du ${last.period_from} au ${last.period_to}) : commencez après le ${last.period_to}.`,
      'from',
    );
  }
}

const nextStatementNumber = async (db: Db) =>
  ((
    await db
      .selectFrom('statements')
      .select((eb) => eb.fn.max('number').as('n'))
      .executeTakeFirst()
  )?.n ?? 0) + 1;

/**
 * Works out a statement without writing anything: the checks, the unsettled items as they stand at
 * `now` (its issue time), the totals, the next number. `numberAtLeast` lets a run number the statements
 * it prepares ahead of writing them.
 */
export async function prepareStatement(
  { db, now, timeZone }: PrepareContext,
  { producerId, period, numberAtLeast = 0 }: StatementInput & { numberAtLeast?: number },
): Promise<PreparedStatement> {
  if (period.from > period.to) throw new Invalid({ field: 'from', reason: 'la période commence après sa fin' });
  const today = businessDay(now, timeZone);
  if (period.to >= today)
    throw new Invalid({ field: 'to', reason: `la période doit être terminée (au plus tard hier, le ${shiftDay(today, -1)})` });
  const producer = await producerOf(db, producerId);
  await checkNoOverlap(db, producerId, period);
  const current = await commissionTerms(db, producerId);
  const { items, watermark, history } = await unsettledItems(db, producerId, period.from, period.to, current, timeZone);
  const terms = await termsOfPeriodEnd(db, current, history, period.to, timeZone);
  const totals = await totalsFor(db, producerId, period, items, terms.commissionVatRateBp);
  // Commissionnaire: the statement is the producer's self-billed invoice, which needs their mandate.
  let mandate: PreparedStatement['mandate'] = null;
  if (totals.purchase) {
    mandate = await mandateInForce(db, producerId, today);
    if (!mandate)
      throw new Unprocessable(
        `Pas de mandat d’autofacturation en vigueur pour ${producer.name} : la boutique vend en son nom (commissionnaire) et ne peut établir sa facture qu’avec son mandat signé. Enregistrez-le sur sa fiche.`,
        [{ field: 'producerId', reason: 'mandat d’autofacturation manquant' }],
      );
  }
  const number = Math.max(await nextStatementNumber(db), numberAtLeast);
  const issuedAt = now.toISOString();
  const doc: StatementDocument = {
    code: statementCode(number),
    issuedAt,
    shop: await shopIdentity(db),
    demo: await isDemo(db),
    producer,
    period,
    terms,
    items,
    totals,
    ...siteSections(items),
  };
  return { producerId, period, number, issuedAt, doc, salesWatermark: watermark, mandate };
}

/** Writes a prepared statement and its PDF: the row, the settled items, the event. Inside a transaction. */
async function writeStatement(trx: Trx, s: PreparedStatement, pdf: Buffer, userId: number): Promise<StatementView> {
  const { producer, period, terms, items, totals } = s.doc;
  const sha = crypto.createHash('sha256').update(pdf).digest('hex');
  const row = await trx
    .insertInto('statements')
    .values({
      number: s.number,
      producer_id: s.producerId,
      period_from: period.from,
      period_to: period.to,
      issued_at: s.issuedAt,
      issued_by: userId,
      figures: canonicalJson({ producer, period, terms, items, totals }),
      sales_cents: totals.grossCents,
      commission_cents: totals.commissionGrossCents,
      net_cents: totals.netOwedCents,
      pdf,
      pdf_sha256: sha,
      sales_watermark: s.salesWatermark,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // Chunks keep each statement under SQLite's bound-parameter limit however many lines it settles.
  for (let i = 0; i < items.length; i += 200) {
    await trx
      .insertInto('statement_items')
      .values(
        items.slice(i, i + 200).map((it) => ({ statement_id: row.id, sale_id: it.saleId, line_no: it.lineNo, movement_id: it.movementId })),
      )
      .execute();
  }
  // Its invoice (issue 21, item 3): the commission invoice (mandataire), or the self-billed purchase (commissionnaire).
  await issueStatementInvoice(
    trx,
    {
      statementId: row.id,
      statementCode: statementCode(s.number),
      issuedAt: s.issuedAt,
      shop: s.doc.shop,
      producer,
      period,
      totals,
      userId,
    },
    s.mandate ?? undefined,
  );
  await recordEvent(trx, {
    kind: 'statement.issued',
    userId,
    subject: `statement:${row.id}`,
    data: {
      number: s.number,
      producerId: s.producerId,
      from: period.from,
      to: period.to,
      items: items.length,
      netCents: totals.netOwedCents,
      pdfSha256: sha,
    },
    at: s.issuedAt,
  });
  return statementById(trx, row.id);
}

/**
 * Freezes a prepared statement whose PDF was typeset outside any transaction (on a worker, while tickets
 * kept being written). The statement is what was unsettled at its issue time: a line recorded between
 * then and the write is simply not in it and lands in the next one, like any late line, and no line can
 * be settled twice (statement_items is unique on it). What must still hold when writing is checked in the
 * write transaction: no statement of this producer reached into the period meanwhile (409), and the
 * number is still the next one. If another statement took the number, the statement is prepared and
 * typeset again; after two such misses the last try typesets inside the transaction, so a busy shop
 * cannot starve an issue.
 */
export async function commitStatement(
  { db, userId, timeZone, renderer = renderInThread }: CommitContext,
  { prepared, pdf }: { prepared: PreparedStatement; pdf: Promise<Buffer> },
): Promise<StatementView> {
  const now = new Date(prepared.issuedAt);
  const input = (s: PreparedStatement) => ({ producerId: s.producerId, period: s.period });
  let current = prepared;
  let rendered = pdf;
  for (let attempt = 0; attempt < 2; attempt++) {
    const bytes = await rendered;
    const expected = current;
    const view = await db.transaction().execute(async (trx) => {
      await checkNoOverlap(trx, expected.producerId, expected.period);
      if ((await nextStatementNumber(trx)) !== expected.number) return null;
      return writeStatement(trx, expected, bytes, userId);
    });
    if (view) return view;
    current = await prepareStatement({ db, now, timeZone }, input(current));
    rendered = renderer.render('statement', current.doc);
  }
  return db.transaction().execute(async (trx) => {
    const again = await prepareStatement({ db: trx, now, timeZone }, input(current));
    return writeStatement(trx, again, await statementPdf(again.doc), userId);
  });
}

/**
 * Issue (freeze) a producer's statement for a finished period: numbered in one sequence for the shop,
 * figures and PDF stored, every settled line and movement recorded so it is never settled again.
 * Manages its own transactions: the PDF is typeset outside them.
 */
export async function issueStatement(ctx: IssueContext, input: StatementInput): Promise<StatementView> {
  const prepared = await prepareStatement(ctx, input);
  const renderer = ctx.renderer ?? renderInThread;
  return commitStatement({ ...ctx, renderer }, { prepared, pdf: renderer.render('statement', prepared.doc) });
}

export interface Payment {
  paidOn: string;
  method: string;
  reference?: string | undefined;
}

/** Marks an issued statement paid, in a transaction of its own. */
export async function markStatementPaid(db: Kysely<Database>, change: Change, id: number, payment: Payment): Promise<StatementView> {
  return db.transaction().execute(async (trx) => {
    // A statement in a SEPA file not yet confirmed or cancelled would be paid twice.
    const pending = await trx
      .selectFrom('payout_items as i')
      .innerJoin('payouts as p', 'p.id', 'i.payout_id')
      .select('p.msg_id')
      .where('i.statement_id', '=', id)
      .where('p.status', '=', 'pending')
      .executeTakeFirst();
    // Named as the back office lists it (its file's reference), not by a number shown nowhere.
    if (pending)
      throw new Conflict(`Ce relevé est dans le virement ${pending.msg_id}, en attente : confirmez-le ou annulez-le d’abord.`, 'paidOn');
    return writePayment(trx, change, id, payment);
  });
}

/** Records a statement's payment inside the caller's transaction (by hand, or a confirmed SEPA payout). */
export async function writePayment(db: Trx, { userId, now }: Change, id: number, payment: Payment): Promise<StatementView> {
  const row = await db.selectFrom('statements').select(['id', 'paid_on', 'issued_at', 'net_cents']).where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFound('Relevé');
  if (row.paid_on) throw new Conflict(`Ce relevé est déjà marqué payé (le ${row.paid_on}).`, 'paidOn');
  if (payment.paidOn < row.issued_at.slice(0, 10))
    throw new Invalid({ field: 'paidOn', reason: 'le paiement ne peut précéder l’émission du relevé' });
  await db
    .updateTable('statements')
    .set({
      paid_on: payment.paidOn,
      paid_method: payment.method,
      paid_reference: payment.reference ?? null,
      paid_by: userId,
      paid_at: now.toISOString(),
    })
    .where('id', '=', id)
    .where('paid_on', 'is', null)
    .execute();
  await recordEvent(db, {
    kind: 'statement.paid',
    userId,
    subject: `statement:${id}`,
    data: { ...payment, netCents: row.net_cents },
    at: now.toISOString(),
  });
  return statementById(db, id);
}

/** Producers who have something to settle in the period (for the month's batch). */
export async function producersToSettle(db: Db, period: { from: string; to: string }): Promise<{ id: number; name: string }[]> {
  const rows = await db
    .selectFrom('producers as p')
    .select(['p.id', 'p.name'])
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('sale_lines as l')
            .select(sql`1`.as('x'))
            .whereRef('l.producer_id', '=', 'p.id')
            // The line's own day and training flag (migration 033): its index finds the period's first line at once.
            .where('l.business_day', '<=', period.to)
            .where('l.business_day', '>=', period.from)
            .where('l.training', '=', 0),
        ),
        eb.exists(
          eb
            .selectFrom('stock_movements as m')
            .innerJoin('products as pr', 'pr.id', 'm.product_id')
            .select(sql`1`.as('x'))
            .whereRef('pr.producer_id', '=', 'p.id')
            .where('m.kind', '=', 'kitchen')
            .where('m.at', '>=', `${shiftDay(period.from, -1)}T00:00:00.000Z`)
            .where('m.at', '<', `${shiftDay(period.to, 1)}T23:59:59.999Z`),
        ),
      ]),
    )
    .orderBy('p.name')
    .execute();
  return rows;
}

/** See `nextRunView`: the oldest finished month (of the last twelve) that a producer is still owed a statement for. */
export async function nextRunPeriod(db: Db, today: string): Promise<NextRunView> {
  const monthOf = (day: string) => day.slice(0, 7);
  const lastDayOf = (month: string) => shiftDay(`${monthOf(shiftDay(`${month}-28`, 4))}-01`, -1);
  const current = monthOf(today);
  const previous = monthOf(shiftDay(`${current}-01`, -1));
  // Back at most a year, and never before the first statement the shop issued: the months before it were
  // settled some other way (a shop that starts with Comptoir), and a shop that has issued none starts with
  // the last finished month.
  let month = previous;
  for (let i = 0; i < 11; i++) month = monthOf(shiftDay(`${month}-01`, -1));
  const first = await db
    .selectFrom('statements')
    .select((eb) => eb.fn.min('period_from').as('from'))
    .executeTakeFirst();
  const firstMonth = first?.from ? monthOf(String(first.from)) : previous;
  if (firstMonth > month) month = firstMonth;
  for (; month <= previous; month = monthOf(shiftDay(lastDayOf(month), 1))) {
    const period = { from: `${month}-01`, to: lastDayOf(month) };
    const producers = await producersToSettle(db, period);
    if (!producers.length) continue;
    const settled = await db
      .selectFrom('statements')
      .select('producer_id')
      .distinct()
      .where('period_from', '<=', period.to)
      .where('period_to', '>=', period.from)
      .execute();
    const done = new Set(settled.map((r) => r.producer_id));
    const pending = producers.filter((p) => !done.has(p.id)).length;
    if (pending) return { month, ...period, pending, finished: true };
  }
  return { month: current, from: `${current}-01`, to: lastDayOf(current), pending: 0, finished: false };
}
