/**
 * Consignment statements (relevés de dépôt-vente), DESIGN decision 6: derived from the sale lines of a
 * producer's goods and the restaurant's kitchen use, then frozen when issued (number, figures, PDF, and
 * the list of what it settled). A line that arrives after its period was settled (a till that was
 * offline, a refund of a settled sale) is not in any statement yet: the next one carries it.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { canonicalJson } from '../journal/canonical.ts';
import { statementCode, statementTotals, type StatementItem, type StatementTotals } from '../../shared/settlement.ts';
import { businessDay } from '../../shared/time.ts';
import { weighedPrice, type Cents, type Grams } from '../../shared/money.ts';
import { Conflict, Invalid, NotFound } from '../errors.ts';
import { recordEvent } from '../events/event-log.ts';
import type { Db } from '../../db/schema.ts';
import { isDemo, readSetting, shopIdentity } from '../settings/settings.ts';
import type { Scope } from '../auth/identity.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { inThreadRenderer, type PdfRenderer } from '../documents/pdf-pool.ts';
import { statementPdf, type StatementDocument } from './statement-pdf.ts';

export const DEFAULT_COMMISSION_VAT_BP = 2000;

export interface CommissionTerms {
  producerId: number;
  defaultBp: number;
  byCategory: { categoryId: number; categoryName: string; commissionBp: number }[];
  commissionVatRateBp: number;
}

export interface StatementProducer {
  id: number;
  name: string;
  legalName: string;
  address: string;
  siret: string;
  vatStatus: 'subject' | 'franchise';
  email: string;
}

export interface StatementView {
  id: number | null;
  number: number | null;
  code: string | null;
  status: 'draft' | 'issued' | 'paid';
  producer: StatementProducer;
  period: { from: string; to: string };
  issuedAt: string | null;
  payment: { paidOn: string; method: string; reference: string | null } | null;
  terms: CommissionTerms;
  items: StatementItem[];
  totals: StatementTotals;
  pdfSha256: string | null;
}

function scoped(producerId: number, scope: Scope) {
  // Another producer's id looks exactly like an unknown one: 404, nothing named.
  if (scope.producerId !== null && scope.producerId !== producerId) throw new NotFound('Producteur');
}

async function producerOf(db: Db, producerId: number, scope: Scope): Promise<StatementProducer> {
  scoped(producerId, scope);
  const p = await db
    .selectFrom('producers')
    .select(['id', 'name', 'legal_name', 'address', 'siret', 'vat_status', 'email'])
    .where('id', '=', producerId)
    .executeTakeFirst();
  if (!p) throw new NotFound('Producteur');
  return { id: p.id, name: p.name, legalName: p.legal_name, address: p.address, siret: p.siret, vatStatus: p.vat_status, email: p.email };
}

export async function commissionTerms(db: Db, producerId: number, scope: Scope): Promise<CommissionTerms> {
  scoped(producerId, scope);
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

export async function setCommissionTerms(
  db: Db,
  producerId: number,
  input: { defaultBp: number; byCategory: { categoryId: number; commissionBp: number }[] },
  userId: number,
  now: Date,
) {
  const before = await commissionTerms(db, producerId, { producerId: null });
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
  return commissionTerms(db, producerId, { producerId: null });
}

const shiftDay = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

interface LineRow {
  sale_id: string;
  line_no: number;
  product_id: number;
  name: string;
  unit: 'piece' | 'kg';
  quantity: number;
  unit_price_cents: number;
  total_cents: number;
  vat_rate_bp: number;
  kind: 'sale' | 'refund';
  business_day: string;
  number: number;
  created_at: string;
  till_name: string;
  category_id: number | null;
}

const lineSelect = sql`l.sale_id, l.line_no, l.product_id, l.name, l.unit, l.quantity, l.unit_price_cents, l.total_cents, l.vat_rate_bp,
  s.kind, s.business_day, s.number, s.created_at, t.name as till_name, p.category_id`;

/** A producer's unsettled lines of the given sales: each sale probes the (producer_id, sale_id) index once. */
async function linesOfSales(db: Db, producerId: number, sales: ReturnType<typeof sql>): Promise<LineRow[]> {
  const { rows } = await sql<LineRow>`select ${lineSelect}
    from sales s cross join sale_lines l on l.producer_id = ${producerId} and l.sale_id = s.id
    join tills t on t.id = s.till_id
    join products p on p.id = l.product_id
    left join statement_items si on si.sale_id = l.sale_id and si.line_no = l.line_no
    where ${sales} and s.training = 0 and si.statement_id is null`.execute(db);
  return rows;
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
): Promise<{ items: StatementItem[]; watermark: number }> {
  // Read first: a sale written after this read has a higher rowid, so the next statement sees it.
  const mark = await sql<{ m: number | null }>`select max(rowid) as m from sales`.execute(db);
  const watermark = mark.rows[0]?.m ?? 0;
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
  const outlets = (await db.selectFrom('outlets').select('id').execute()).map((o) => o.id);
  const byDay = (a: string, b: string) =>
    sql`s.outlet_id in (${sql.join(outlets.length ? outlets : [0])}) and s.business_day >= ${a} and s.business_day <= ${b}`;
  // Days after the last statement (gap days before `from` included): every sale of those days.
  const freshFrom = last && last.period_to >= start ? shiftDay(last.period_to, 1) : start;
  const rows = await linesOfSales(db, producerId, byDay(freshFrom, to));
  if (last && last.period_to >= start) {
    if (last.sales_watermark !== null) {
      // Days the last statement covered: only sales written after it can hold unsettled lines.
      rows.push(
        ...(await linesOfSales(
          db,
          producerId,
          sql`s.rowid > ${last.sales_watermark} and s.business_day >= ${start} and s.business_day <= ${last.period_to}`,
        )),
      );
    } else {
      // A statement from before the watermark: the producer's lines of those days, the long way.
      const { rows: old } = await sql<LineRow>`select ${lineSelect}
        from sale_lines l join sales s on s.id = l.sale_id
        join tills t on t.id = s.till_id
        join products p on p.id = l.product_id
        left join statement_items si on si.sale_id = l.sale_id and si.line_no = l.line_no
        where l.producer_id = ${producerId} and s.training = 0 and s.business_day >= ${start} and s.business_day <= ${last.period_to} and si.statement_id is null`.execute(
        db,
      );
      rows.push(...old);
    }
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
  const rateOf = new Map(terms.byCategory.map((c) => [c.categoryId, c.commissionBp]));
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
    vatRateBp: l.vat_rate_bp,
    commissionBp: (l.category_id !== null ? rateOf.get(l.category_id) : undefined) ?? terms.defaultBp,
    carried: l.business_day < from,
  }));
  // Kitchen movements carry an instant; their business day is that instant in the shop's zone.
  const kitchen = await db
    .selectFrom('stock_movements as m')
    .innerJoin('products as p', 'p.id', 'm.product_id')
    .leftJoin('statement_items as si', 'si.movement_id', 'm.id')
    .select([
      'm.id',
      'm.at',
      'm.quantity',
      'm.unit_price_cents',
      'p.id as product_id',
      'p.name',
      'p.unit',
      'p.price_cents',
      'p.vat_rate_bp',
    ])
    .where('m.kind', '=', 'kitchen')
    .where('p.producer_id', '=', producerId)
    .where('m.at', '>=', `${shiftDay(start, -1)}T00:00:00.000Z`)
    .where('m.at', '<', `${shiftDay(to, 1)}T23:59:59.999Z`)
    .where('si.statement_id', 'is', null)
    .orderBy('m.at')
    .execute();
  for (const m of kitchen) {
    const day = businessDay(m.at, timeZone);
    if (day < start || day > to) continue;
    const quantity = -m.quantity;
    const price = m.unit_price_cents ?? m.price_cents;
    items.push({
      kind: 'kitchen',
      day,
      reference: 'Restaurant',
      saleId: null,
      lineNo: null,
      movementId: m.id,
      productId: m.product_id,
      name: m.name,
      unit: m.unit,
      quantity,
      unitPriceCents: price,
      amountCents: m.unit === 'kg' ? weighedPrice(price as Cents, quantity as Grams) : price * quantity,
      vatRateBp: m.vat_rate_bp,
      commissionBp: 0,
      carried: day < from,
    });
  }
  return { items, watermark };
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
  producerId: number,
  period: { from: string; to: string },
  scope: Scope,
  timeZone: string,
): Promise<StatementView> {
  const producer = await producerOf(db, producerId, scope);
  const issued = await db
    .selectFrom('statements')
    .select(statementColumns)
    .where('producer_id', '=', producerId)
    .where('period_from', '=', period.from)
    .where('period_to', '=', period.to)
    .executeTakeFirst();
  if (issued) return viewOfRow(issued);
  const terms = await commissionTerms(db, producerId, { producerId: null });
  const { items } = await unsettledItems(db, producerId, period.from, period.to, terms, timeZone);
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
    totals: statementTotals(items, terms.commissionVatRateBp),
    pdfSha256: null,
  };
}

export async function getStatement(db: Db, id: number, scope: Scope): Promise<StatementView> {
  let q = db.selectFrom('statements').select(statementColumns).where('id', '=', id);
  if (scope.producerId !== null) q = q.where('producer_id', '=', scope.producerId);
  const row = await q.executeTakeFirst();
  if (!row) throw new NotFound('Relevé');
  return viewOfRow(row);
}

export async function getStatementPdf(db: Db, id: number, scope: Scope): Promise<{ pdf: Buffer; filename: string }> {
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

export interface StatementSummary {
  id: number;
  number: number;
  code: string;
  producerId: number;
  producerName: string;
  from: string;
  to: string;
  issuedAt: string;
  salesCents: number;
  commissionCents: number;
  netCents: number;
  paidOn: string | null;
  paidMethod: string | null;
}

export async function listStatements(
  db: Db,
  query: {
    producerId?: number | undefined;
    from?: string | undefined;
    to?: string | undefined;
    unpaid?: boolean | undefined;
    limit: number;
  },
  scope: Scope,
): Promise<StatementSummary[]> {
  let q = db
    .selectFrom('statements as st')
    .innerJoin('producers as p', 'p.id', 'st.producer_id')
    .select([
      'st.id',
      'st.number',
      'st.producer_id',
      'p.name',
      'st.period_from',
      'st.period_to',
      'st.issued_at',
      'st.sales_cents',
      'st.commission_cents',
      'st.net_cents',
      'st.paid_on',
      'st.paid_method',
    ]);
  if (scope.producerId !== null) q = q.where('st.producer_id', '=', scope.producerId);
  if (query.producerId !== undefined) q = q.where('st.producer_id', '=', query.producerId);
  // A statement belongs to a range when its period overlaps it.
  if (query.from) q = q.where('st.period_to', '>=', query.from);
  if (query.to) q = q.where('st.period_from', '<=', query.to);
  if (query.unpaid) q = q.where('st.paid_on', 'is', null);
  const rows = await q.orderBy('st.number', 'desc').limit(query.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    code: statementCode(r.number),
    producerId: r.producer_id,
    producerName: r.name,
    from: r.period_from,
    to: r.period_to,
    issuedAt: r.issued_at,
    salesCents: r.sales_cents,
    commissionCents: r.commission_cents,
    netCents: r.net_cents,
    paidOn: r.paid_on,
    paidMethod: r.paid_method,
  }));
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
  db: Db,
  producerId: number,
  period: { from: string; to: string },
  now: Date,
  timeZone: string,
  numberAtLeast = 0,
): Promise<PreparedStatement> {
  if (period.from > period.to) throw new Invalid({ field: 'from', reason: 'la période commence après sa fin' });
  const today = businessDay(now, timeZone);
  if (period.to >= today)
    throw new Invalid({ field: 'to', reason: `la période doit être terminée (au plus tard hier, le ${shiftDay(today, -1)})` });
  const producer = await producerOf(db, producerId, { producerId: null });
  await checkNoOverlap(db, producerId, period);
  const terms = await commissionTerms(db, producerId, { producerId: null });
  const { items, watermark } = await unsettledItems(db, producerId, period.from, period.to, terms, timeZone);
  const totals = statementTotals(items, terms.commissionVatRateBp);
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
  };
  return { producerId, period, number, issuedAt, doc, salesWatermark: watermark };
}

/** Writes a prepared statement and its PDF: the row, the settled items, the event. Inside a transaction. */
async function writeStatement(trx: Db, s: PreparedStatement, pdf: Buffer, userId: number): Promise<StatementView> {
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
  return getStatement(trx, row.id, { producerId: null });
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
  db: Kysely<Database>,
  prepared: PreparedStatement,
  pdf: Promise<Buffer>,
  userId: number,
  timeZone: string,
  renderer: PdfRenderer,
): Promise<StatementView> {
  const now = new Date(prepared.issuedAt);
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
    current = await prepareStatement(db, current.producerId, current.period, now, timeZone);
    rendered = renderer.render('statement', current.doc);
  }
  return db.transaction().execute(async (trx) => {
    const again = await prepareStatement(trx, current.producerId, current.period, now, timeZone);
    return writeStatement(trx, again, await statementPdf(again.doc), userId);
  });
}

/**
 * Issue (freeze) a producer's statement for a finished period: numbered in one sequence for the shop,
 * figures and PDF stored, every settled line and movement recorded so it is never settled again.
 * Manages its own transactions: the PDF is typeset outside them.
 */
export async function issueStatement(
  db: Kysely<Database>,
  producerId: number,
  period: { from: string; to: string },
  userId: number,
  now: Date,
  timeZone: string,
  renderer: PdfRenderer = inThreadRenderer,
): Promise<StatementView> {
  const prepared = await prepareStatement(db, producerId, period, now, timeZone);
  return commitStatement(db, prepared, renderer.render('statement', prepared.doc), userId, timeZone, renderer);
}

export async function markStatementPaid(
  db: Db,
  id: number,
  payment: { paidOn: string; method: string; reference?: string | undefined },
  userId: number,
  now: Date,
): Promise<StatementView> {
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
  return getStatement(db, id, { producerId: null });
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
            .innerJoin('sales as s', 's.id', 'l.sale_id')
            .select(sql`1`.as('x'))
            .whereRef('l.producer_id', '=', 'p.id')
            .where('s.training', '=', 0)
            .where('s.business_day', '<=', period.to)
            .where('s.business_day', '>=', period.from),
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
