/**
 * Solidarity prices (issue 22, item 1). A household referred by the épicerie solidaire's social workers shows
 * its card at any till; it pays its share of each line's public price (per category, e.g. 30 %), and the
 * solidarity fund — a payment method (`solidarity`) whose budget is its funders' contributions — pays the rest.
 * The ticket's lines stay at the public price, so the producer's statement is paid in full.
 *
 * Checked on the server whatever the till showed: the card is valid that day, the fund's share is exactly the
 * sum of each line's public price less the household's share (rounded half-up per line), it fits within the
 * household's monthly allowance (what the fund pays for it in a calendar month) and within the fund's balance.
 *
 * Privacy: no name is kept; a household is a number, a card code, its size, validity dates, allowance and the
 * referring structure. Erased on request (or once its validity ended longer ago than the retention time): the
 * row goes, its tickets stay whole and anonymous. The link between a ticket and a household lives outside the
 * chained ticket (`sale_households`), so erasing it changes no hash.
 */
import crypto from 'node:crypto';
import bwipjs from 'bwip-js/node';
import PDFDocument from 'pdfkit';
import { sql, type Kysely } from 'kysely';
import type { Database, Db, Trx } from '../../db/schema.ts';
import { solidaritySplit, type SplitDetail } from '../../shared/solidarity.ts';
import type { CardView, HouseholdView, SolidarityReport } from '../../shared/api/solidarity.ts';
import { frDay, frMonth, shiftDay } from '../../shared/time.ts';
import { A4Document, pdfEuros } from '../documents/a4.ts';
import { installFonts } from '../documents/fonts.ts';
import { Conflict, Invalid, NotFound, Unprocessable } from '../errors.ts';
import { toCsv, csvCents } from '../exports/csv.ts';
import { recordEvent } from '../journal/events.ts';
import { isDemo, readSetting, shopIdentity, writeSetting } from '../settings/settings.ts';

export const SOLIDARITY = 'solidarity';
export const DEFAULT_SHARE_BP = 3000;
export const DEFAULT_RETENTION_MONTHS = 12;

/** Euros in an error sentence: plain spaces, as the API's other messages. */
const msgEuros = (c: number) => `${(c / 100).toFixed(2).replace('.', ',')} €`;
const householdCode = (n: number) => `M-${String(n).padStart(4, '0')}`;
const monthOf = (day: string) => day.slice(0, 7);
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** A card code nobody can guess from another: 10 characters drawn at random (no I or O to misread). */
function newCardCode(): string {
  const bytes = crypto.randomBytes(10);
  return [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('');
}

interface Settings {
  defaultShareBp: number;
  retentionMonths: number;
}
async function settingsOf(db: Db): Promise<Settings> {
  return (await readSetting(db, 'solidarity.settings')) ?? { defaultShareBp: DEFAULT_SHARE_BP, retentionMonths: DEFAULT_RETENTION_MONTHS };
}

async function usedInMonth(db: Db, householdId: number, month: string): Promise<number> {
  const r = await db
    .selectFrom('sale_households')
    .select((eb) => eb.fn.sum<number>('fund_cents').as('n'))
    .where('household_id', '=', householdId)
    // What the fund paid on sales: a refund gives the fund its money back, not the household more allowance.
    .where('fund_cents', '>', 0)
    .where('business_day', '>=', `${month}-01`)
    .where('business_day', '<=', `${month}-31`)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** The fund's money on a day: the contributions received by then, less what it paid. */
async function fundBalance(db: Db, day = '9999-12-31'): Promise<{ contributed: number; spent: number }> {
  const c = await db
    .selectFrom('solidarity_contributions')
    .select((eb) => eb.fn.sum<number>('amount_cents').as('n'))
    .where('received_on', '<=', day)
    .executeTakeFirst();
  const s = await db
    .selectFrom('sale_households')
    .select((eb) => eb.fn.sum<number>('fund_cents').as('n'))
    .executeTakeFirst();
  return { contributed: Number(c?.n ?? 0), spent: Number(s?.n ?? 0) };
}

type HouseholdRow = Awaited<ReturnType<typeof householdRow>>;
async function householdRow(db: Db, id: number) {
  const h = await db.selectFrom('households').selectAll().where('id', '=', id).executeTakeFirst();
  if (!h) throw new NotFound('Foyer');
  return h;
}

async function view(db: Db, h: NonNullable<HouseholdRow>, today: string): Promise<HouseholdView> {
  const used = await usedInMonth(db, h.id, monthOf(today));
  return {
    id: h.id,
    number: h.number,
    code: householdCode(h.number),
    cardCode: h.card_code,
    size: h.size,
    validFrom: h.valid_from,
    validTo: h.valid_to,
    monthlyAllowanceCents: h.monthly_allowance_cents,
    partner: h.partner,
    usedThisMonthCents: used,
    remainingCents: Math.max(0, h.monthly_allowance_cents - used),
  };
}

/** Households whose validity ended longer ago than the retention time: erased, their tickets kept anonymous. */
export async function purgeExpiredHouseholds(db: Kysely<Database>, today: string, now: Date): Promise<number> {
  const { retentionMonths } = await settingsOf(db);
  // `retentionMonths` before today, the day clamped to the month's end (31 March − 1 month = 28/29 February).
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 - retentionMonths, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  const before = `${first.toISOString().slice(0, 8)}${String(Math.min(d, last)).padStart(2, '0')}`;
  const old = await db.selectFrom('households').select(['id', 'number']).where('valid_to', '<', before).execute();
  for (const h of old) await erase(db, h.id, null, now, 'retention');
  return old.length;
}

export async function listHouseholds(db: Kysely<Database>, today: string, now: Date): Promise<HouseholdView[]> {
  await purgeExpiredHouseholds(db, today, now);
  const rows = await db.selectFrom('households').selectAll().orderBy('number', 'desc').execute();
  return Promise.all(rows.map((h) => view(db, h, today)));
}

export async function createHousehold(
  db: Kysely<Database>,
  input: { size: number; validFrom: string; validTo: string; monthlyAllowanceCents: number; partner: string },
  userId: number,
  now: Date,
  today: string,
): Promise<HouseholdView> {
  return db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom('households')
      .select((eb) => eb.fn.max('number').as('n'))
      .executeTakeFirst();
    // Numbers are never reused, even after erasures: the highest ever given, erased ones included.
    const erased = await trx.selectFrom('events').select('data').where('kind', '=', 'household.erased').execute();
    const erasedNumber = Math.max(0, ...erased.map((e) => Number((JSON.parse(e.data) as { number?: number }).number ?? 0)));
    const number = Math.max(Number(last?.n ?? 0), erasedNumber) + 1;
    const at = now.toISOString();
    const { id } = await trx
      .insertInto('households')
      .values({
        number,
        card_code: newCardCode(),
        size: input.size,
        valid_from: input.validFrom,
        valid_to: input.validTo,
        monthly_allowance_cents: input.monthlyAllowanceCents,
        partner: input.partner,
        anon_ref: crypto.randomBytes(12).toString('hex'),
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordEvent(trx, { kind: 'household.created', userId, subject: `household:${id}`, data: { number }, at });
    return view(trx, await householdRow(trx, id), today);
  });
}

export async function updateHousehold(
  db: Kysely<Database>,
  id: number,
  patch: {
    size?: number | undefined;
    validFrom?: string | undefined;
    validTo?: string | undefined;
    monthlyAllowanceCents?: number | undefined;
    partner?: string | undefined;
  },
  userId: number,
  now: Date,
  today: string,
): Promise<HouseholdView> {
  return db.transaction().execute(async (trx) => {
    const h = await householdRow(trx, id);
    const next = {
      size: patch.size ?? h.size,
      valid_from: patch.validFrom ?? h.valid_from,
      valid_to: patch.validTo ?? h.valid_to,
      monthly_allowance_cents: patch.monthlyAllowanceCents ?? h.monthly_allowance_cents,
      partner: patch.partner ?? h.partner,
    };
    if (next.valid_from > next.valid_to) throw new Invalid({ field: 'validTo', reason: 'la fin de validité précède son début' });
    await trx
      .updateTable('households')
      .set({ ...next, updated_at: now.toISOString() })
      .where('id', '=', id)
      .execute();
    await recordEvent(trx, {
      kind: 'household.updated',
      userId,
      subject: `household:${id}`,
      data: { number: h.number },
      at: now.toISOString(),
    });
    return view(trx, await householdRow(trx, id), today);
  });
}

/** The right of access: everything kept about a household. */
export async function exportHousehold(db: Db, id: number, today: string) {
  const h = await householdRow(db, id);
  const tickets = await db
    .selectFrom('sale_households')
    .select(['sale_id', 'business_day', 'public_cents', 'household_cents', 'fund_cents'])
    .where('household_id', '=', id)
    .orderBy('business_day')
    .execute();
  return {
    household: await view(db, h, today),
    tickets: tickets.map((t) => ({
      saleId: t.sale_id,
      day: t.business_day,
      publicCents: t.public_cents,
      householdCents: t.household_cents,
      fundCents: t.fund_cents,
    })),
  };
}

async function erase(db: Kysely<Database>, id: number, userId: number | null, now: Date, why: 'request' | 'retention') {
  await db.transaction().execute(async (trx) => {
    const h = await householdRow(trx, id);
    // The tickets stay, whole: only their link to the household goes. Their shared reference is drawn again for
    // each month, so the month's report still counts the household once, and nothing ties one month to another.
    const months = await trx
      .selectFrom('sale_households')
      .select(sql<string>`substr(business_day, 1, 7)`.as('month'))
      .where('household_id', '=', id)
      .groupBy(sql`substr(business_day, 1, 7)`)
      .execute();
    for (const m of months)
      await trx
        .updateTable('sale_households')
        .set({ household_ref: crypto.randomBytes(12).toString('hex') })
        .where('household_id', '=', id)
        .where('business_day', 'like', `${m.month}%`)
        .execute();
    await trx.updateTable('sale_households').set({ household_id: null }).where('household_id', '=', id).execute();
    await trx.deleteFrom('households').where('id', '=', id).execute();
    await recordEvent(trx, {
      kind: 'household.erased',
      userId,
      subject: `household:${id}`,
      data: { number: h.number, why },
      at: now.toISOString(),
    });
  });
}

export const eraseHousehold = (db: Kysely<Database>, id: number, userId: number, now: Date) => erase(db, id, userId, now, 'request');

/** A household's card, credit-card sized: its number and its code as a QR code (no name). */
export async function householdCardPdf(db: Db, id: number): Promise<{ pdf: Buffer; filename: string }> {
  const h = await householdRow(db, id);
  const shop = await shopIdentity(db);
  const qr = await bwipjs.toBuffer({ bcid: 'qrcode', text: h.card_code, scale: 4, eclevel: 'M' } as Parameters<typeof bwipjs.toBuffer>[0]);
  const doc = installFonts(
    new PDFDocument({
      size: [242.65, 153.07],
      margin: 12,
      info: { Title: `Carte solidaire ${householdCode(h.number)}`, Creator: 'Comptoir' },
    }),
  );
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.font('Sans-Bold').fontSize(9).text(shop.name, 12, 12, { width: 140, height: 24, ellipsis: true });
  doc.font('Sans').fontSize(8).text('Carte tarif solidaire', 12, 38, { width: 140 });
  doc.font('Sans-Bold').fontSize(16).text(householdCode(h.number), 12, 58, { width: 140 });
  doc
    .font('Sans')
    .fontSize(8)
    .text(`Valable jusqu’au ${frDay(h.valid_to)}`, 12, 84, { width: 140 });
  doc.font('Sans').fontSize(9).text(h.card_code, 12, 120, { width: 140, characterSpacing: 1 });
  doc.image(qr, 160, 40, { width: 70 });
  if (await isDemo(db)) doc.font('Sans-Bold').fontSize(7).fillColor('#b3261e').text('DEMO', 200, 12);
  doc.end();
  return { pdf: await done, filename: `carte-${householdCode(h.number)}.pdf` };
}

async function sharesOf(db: Db): Promise<{ defaultShareBp: number; byCategory: Map<number, number> }> {
  const s = await settingsOf(db);
  const rows = await db.selectFrom('solidarity_shares').selectAll().execute();
  return { defaultShareBp: s.defaultShareBp, byCategory: new Map(rows.map((r) => [r.category_id, r.household_share_bp])) };
}

export async function sharesView(db: Db) {
  const s = await settingsOf(db);
  const rows = await db
    .selectFrom('solidarity_shares as s')
    .innerJoin('categories as c', 'c.id', 's.category_id')
    .select(['s.category_id', 'c.name', 's.household_share_bp'])
    .orderBy('c.sort_order')
    .execute();
  return {
    defaultShareBp: s.defaultShareBp,
    byCategory: rows.map((r) => ({ categoryId: r.category_id, categoryName: r.name, householdShareBp: r.household_share_bp })),
    retentionMonths: s.retentionMonths,
  };
}

export async function setShares(
  db: Kysely<Database>,
  input: { defaultShareBp: number; byCategory: { categoryId: number; householdShareBp: number }[]; retentionMonths: number },
  userId: number,
  now: Date,
) {
  return db.transaction().execute(async (trx) => {
    const ids = input.byCategory.map((c) => c.categoryId);
    if (new Set(ids).size !== ids.length) throw new Invalid({ field: 'byCategory', reason: 'catégorie en double' });
    if (ids.length) {
      const known = new Set((await trx.selectFrom('categories').select('id').where('id', 'in', ids).execute()).map((r) => r.id));
      const i = ids.findIndex((id) => !known.has(id));
      if (i >= 0) throw new Invalid({ field: `byCategory.${i}.categoryId`, reason: 'catégorie inconnue' });
    }
    const before = await sharesView(trx);
    await writeSetting(trx, 'solidarity.settings', { defaultShareBp: input.defaultShareBp, retentionMonths: input.retentionMonths }, now);
    await trx.deleteFrom('solidarity_shares').execute();
    if (input.byCategory.length)
      await trx
        .insertInto('solidarity_shares')
        .values(input.byCategory.map((c) => ({ category_id: c.categoryId, household_share_bp: c.householdShareBp })))
        .execute();
    const after = await sharesView(trx);
    await recordEvent(trx, {
      kind: 'settings.changed',
      userId,
      subject: 'solidarity.shares',
      data: { before, after },
      at: now.toISOString(),
    });
    return after;
  });
}

export async function fundView(db: Db) {
  const funders = await db
    .selectFrom('solidarity_funders as f')
    .leftJoin('solidarity_contributions as c', 'c.funder_id', 'f.id')
    .select((eb) => ['f.id', 'f.name', eb.fn.coalesce(eb.fn.sum<number>('c.amount_cents'), eb.val(0)).as('total')])
    .groupBy(['f.id', 'f.name'])
    .orderBy('f.name')
    .execute();
  const { contributed, spent } = await fundBalance(db);
  return {
    funders: funders.map((f) => ({ id: f.id, name: f.name, contributedCents: Number(f.total) })),
    contributedCents: contributed,
    spentCents: spent,
    balanceCents: contributed - spent,
  };
}

export async function addFunder(db: Kysely<Database>, name: string, userId: number, now: Date) {
  const taken = await db.selectFrom('solidarity_funders').select('id').where('name', '=', name).executeTakeFirst();
  if (taken) throw new Conflict(`Le financeur « ${name} » existe déjà.`, 'name');
  await db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('solidarity_funders')
      .values({ name, created_at: now.toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordEvent(trx, { kind: 'solidarity.funder_added', userId, subject: `funder:${id}`, data: { name }, at: now.toISOString() });
  });
  return fundView(db);
}

export async function contribute(
  db: Kysely<Database>,
  input: { funderId: number; amountCents: number; receivedOn: string; note: string },
  userId: number,
  now: Date,
) {
  const funder = await db.selectFrom('solidarity_funders').select('id').where('id', '=', input.funderId).executeTakeFirst();
  if (!funder) throw new Invalid({ field: 'funderId', reason: 'financeur inconnu' });
  await db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('solidarity_contributions')
      .values({
        funder_id: input.funderId,
        amount_cents: input.amountCents,
        received_on: input.receivedOn,
        note: input.note,
        created_at: now.toISOString(),
        created_by: userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordEvent(trx, {
      kind: 'solidarity.contribution',
      userId,
      subject: `funder:${input.funderId}`,
      data: { contributionId: id, amountCents: input.amountCents, receivedOn: input.receivedOn },
      at: now.toISOString(),
    });
  });
  return fundView(db);
}

/** What a till learns from a card, or why it cannot be used today. */
export async function lookupCard(db: Db, code: string, today: string): Promise<CardView> {
  const h = await db.selectFrom('households').selectAll().where('card_code', '=', code).executeTakeFirst();
  if (!h) throw new NotFound('Carte solidaire');
  if (today < h.valid_from || today > h.valid_to)
    throw new Unprocessable(
      `Carte ${householdCode(h.number)} valable du ${frDay(h.valid_from)} au ${frDay(h.valid_to)} : pas aujourd’hui.`,
      [{ field: 'code', reason: 'carte hors de sa période de validité' }],
    );
  const used = await usedInMonth(db, h.id, monthOf(today));
  const shares = await sharesOf(db);
  const { contributed, spent } = await fundBalance(db, today);
  return {
    code: householdCode(h.number),
    size: h.size,
    validTo: h.valid_to,
    remainingCents: Math.max(0, h.monthly_allowance_cents - used),
    defaultShareBp: shares.defaultShareBp,
    shares: [...shares.byCategory.entries()].map(([categoryId, householdShareBp]) => ({ categoryId, householdShareBp })),
    fundBalanceCents: contributed - spent,
  };
}

/**
 * Inside the ticket's transaction, before it is written: a ticket paid (in part) by the solidarity fund must
 * name a household valid that day, and pay exactly the fund's share within its allowance and the fund's balance.
 * Returns what to link once the ticket is written (null for an ordinary ticket).
 */
export async function checkSolidarity(
  trx: Trx,
  t: {
    household: string | undefined;
    /** Each line as priced: its product, how many items it counts (pieces; 1 for a weighed line), its total. */
    lines: readonly { productId: number; items: number; totalCents: number }[];
    payments: readonly { method: string; amountCents: number }[];
    /** The day it was sold: the card must be valid then. */
    day: string;
    /** The day it is booked on (server/sales/record.ts `firstOpenDay`): its month's allowance and the fund then. */
    bookedOn: string;
    training: boolean;
    /** The till's counter and site: the fund pays at the épicerie's site, never at a restaurant. */
    till: { kind: string; siteId: number };
  },
): Promise<SolidarityLink | null> {
  const at = t.payments.findIndex((p) => p.method === SOLIDARITY);
  if (at < 0 && !t.household) return null;
  if (!t.household)
    throw new Unprocessable('Le fonds de solidarité ne paie que pour un foyer : scannez sa carte.', [
      { field: 'household', reason: 'carte solidaire requise' },
    ]);
  // The till never offers the card at the restaurant; the server says so too (a waiter's phone charged meals
  // and drinks to the fund, and a site without an épicerie spent it: found by an independent check).
  if (t.till.kind === 'restaurant')
    throw new Unprocessable('Le tarif solidaire ne s’applique pas au restaurant.', [{ field: 'household', reason: 'pas au restaurant' }]);
  const epicerie = await trx
    .selectFrom('outlets')
    .select('id')
    .where('site_id', '=', t.till.siteId)
    .where('kind', '=', 'epicerie')
    .executeTakeFirst();
  if (!epicerie)
    throw new Unprocessable('Le tarif solidaire s’applique au site de l’épicerie solidaire : ce site n’en a pas.', [
      { field: 'household', reason: 'site sans épicerie solidaire' },
    ]);
  const h = await trx.selectFrom('households').selectAll().where('card_code', '=', t.household).executeTakeFirst();
  if (!h) throw new Unprocessable('Carte solidaire inconnue.', [{ field: 'household', reason: 'carte inconnue' }]);
  if (t.day < h.valid_from || t.day > h.valid_to)
    throw new Unprocessable(`Carte ${householdCode(h.number)} valable du ${frDay(h.valid_from)} au ${frDay(h.valid_to)}.`, [
      { field: 'household', reason: 'carte hors de sa période de validité' },
    ]);
  const ids = [...new Set(t.lines.map((l) => l.productId))];
  const categories = new Map(
    (ids.length ? await trx.selectFrom('products').select(['id', 'category_id']).where('id', 'in', ids).execute() : []).map((p) => [
      p.id,
      p.category_id,
    ]),
  );
  const split = solidaritySplit(
    t.lines.map((l) => ({ categoryId: categories.get(l.productId) ?? null, items: l.items, totalCents: l.totalCents })),
    await sharesOf(trx),
  );
  const paid = t.payments.filter((p) => p.method === SOLIDARITY).reduce((s, p) => s + p.amountCents, 0);
  if (paid !== split.fundCents)
    throw new Unprocessable(
      `Tarif solidaire : le fonds paie ${msgEuros(split.fundCents)} de ce ticket (le foyer ${msgEuros(split.householdCents)}).`,
      [{ field: at >= 0 ? `payments.${at}.amountCents` : 'payments', reason: `part du fonds attendue : ${split.fundCents} centimes` }],
    );
  if (!t.training) {
    const used = await usedInMonth(trx, h.id, monthOf(t.bookedOn));
    const left = h.monthly_allowance_cents - used;
    if (split.fundCents > left)
      throw new Unprocessable(
        `Plafond mensuel du foyer ${householdCode(h.number)} : il reste ${msgEuros(Math.max(0, left))} ce mois-ci, ce ticket en demande ${msgEuros(split.fundCents)}.`,
        [{ field: 'household', reason: 'plafond mensuel atteint' }],
      );
    const { contributed, spent } = await fundBalance(trx, t.bookedOn);
    if (split.fundCents > contributed - spent)
      throw new Unprocessable(
        `Le fonds de solidarité n’a plus que ${msgEuros(Math.max(0, contributed - spent))} : ce ticket en demande ${msgEuros(split.fundCents)}.`,
        [{ field: 'payments', reason: 'budget du fonds épuisé' }],
      );
  }
  return { householdId: h.id, householdRef: h.anon_ref, ...split };
}

export interface SolidarityLink {
  householdId: number;
  householdRef: string;
  publicCents: number;
  householdCents: number;
  fundCents: number;
  detail: SplitDetail[];
}

/** Links a ticket just written to its household (training tickets are not counted against anything). */
export async function linkSolidaritySale(trx: Trx, saleId: string, link: SolidarityLink) {
  const sale = await trx.selectFrom('sales').select(['business_day', 'training']).where('id', '=', saleId).executeTakeFirstOrThrow();
  if (sale.training) return;
  await trx
    .insertInto('sale_households')
    .values({
      sale_id: saleId,
      household_id: link.householdId,
      household_ref: link.householdRef,
      business_day: sale.business_day,
      public_cents: link.publicCents,
      household_cents: link.householdCents,
      fund_cents: link.fundCents,
      detail: JSON.stringify(link.detail),
    })
    .execute();
}

/** The funders' month: anonymous figures (households counted, never listed). */
export async function solidarityReport(db: Db, month: string): Promise<SolidarityReport> {
  const from = `${month}-01`;
  const to = `${month}-31`;
  const rows = await db
    .selectFrom('sale_households')
    .select('detail')
    .where('business_day', '>=', from)
    .where('business_day', '<=', to)
    .execute();
  const names = new Map((await db.selectFrom('categories').select(['id', 'name']).execute()).map((c) => [c.id, c.name]));
  const byCategory = new Map<string, { items: number; publicCents: number; householdCents: number }>();
  for (const r of rows)
    for (const d of JSON.parse(r.detail) as SplitDetail[]) {
      const name = (d.categoryId !== null ? names.get(d.categoryId) : undefined) ?? 'Sans catégorie';
      const c = byCategory.get(name) ?? { items: 0, publicCents: 0, householdCents: 0 };
      c.items += d.items;
      c.publicCents += d.publicCents;
      c.householdCents += d.householdCents;
      byCategory.set(name, c);
    }
  const tickets = await db
    .selectFrom('sale_households')
    .select((eb) => [
      // Tickets and households served: sales (refunds, negative, are in the amounts, not in the counts).
      eb.fn.sum<number>(sql<number>`case when public_cents > 0 then 1 else 0 end`).as('n'),
      // Counted by their anonymous reference: an erased household still counts as served.
      eb.fn
        .count<number>(sql<string>`case when public_cents > 0 then household_ref end`)
        .distinct()
        .as('households'),
      eb.fn.coalesce(eb.fn.sum<number>('public_cents'), eb.val(0)).as('pub'),
      eb.fn.coalesce(eb.fn.sum<number>('household_cents'), eb.val(0)).as('hh'),
      eb.fn.coalesce(eb.fn.sum<number>('fund_cents'), eb.val(0)).as('fund'),
    ])
    .where('business_day', '>=', from)
    .where('business_day', '<=', to)
    .executeTakeFirstOrThrow();
  const sum = async (
    table: 'solidarity_contributions' | 'sale_households',
    column: 'amount_cents' | 'fund_cents',
    dayColumn: 'received_on' | 'business_day',
    upTo: string,
    after?: string,
  ) => {
    let q = db
      .selectFrom(table as 'solidarity_contributions')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>(column as 'amount_cents'), eb.val(0)).as('n'))
      .where(dayColumn as 'received_on', '<=', upTo);
    if (after) q = q.where(dayColumn as 'received_on', '>=', after);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };
  const dayBefore = shiftDay(from, -1);
  const balanceStart =
    (await sum('solidarity_contributions', 'amount_cents', 'received_on', dayBefore)) -
    (await sum('sale_households', 'fund_cents', 'business_day', dayBefore));
  const contributions = await sum('solidarity_contributions', 'amount_cents', 'received_on', to, from);
  // Per category, the household's share is each line's (as charged); the fund's the rest of the public price.
  const categories = [...byCategory.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'fr'))
    .map(([category, c]) => ({
      category,
      items: c.items,
      publicCents: c.publicCents,
      householdCents: c.householdCents,
      fundCents: c.publicCents - c.householdCents,
    }));
  return {
    month,
    households: Number(tickets.households),
    tickets: Number(tickets.n),
    byCategory: categories,
    publicCents: Number(tickets.pub),
    householdCents: Number(tickets.hh),
    fundCents: Number(tickets.fund),
    contributionsCents: contributions,
    balanceStartCents: balanceStart,
    balanceEndCents: balanceStart + contributions - Number(tickets.fund),
  };
}

export function solidarityReportCsv(r: SolidarityReport): string {
  return toCsv(
    ['Catégorie', 'Articles', 'Prix public TTC', 'Part des foyers', 'Part du fonds'],
    [
      ...r.byCategory.map((c) => [c.category, c.items, csvCents(c.publicCents), csvCents(c.householdCents), csvCents(c.fundCents)]),
      ['Total', r.byCategory.reduce((s, c) => s + c.items, 0), csvCents(r.publicCents), csvCents(r.householdCents), csvCents(r.fundCents)],
      [],
      ['Foyers servis', r.households],
      ['Tickets', r.tickets],
      ['Solde du fonds au début du mois', csvCents(r.balanceStartCents)],
      ['Contributions reçues', csvCents(r.contributionsCents)],
      ['Payé par le fonds', csvCents(r.fundCents)],
      ['Solde du fonds à la fin du mois', csvCents(r.balanceEndCents)],
    ],
  );
}

export async function solidarityReportPdf(db: Db, r: SolidarityReport): Promise<Buffer> {
  const shop = await shopIdentity(db);
  const title = `Tarif solidaire — ${frMonth(r.month)}`;
  const doc = new A4Document({ title, footer: `${shop.name} · ${title}`, demo: await isDemo(db) });
  doc.heading(title, `${shop.name} · rapport anonyme pour les financeurs du fonds de solidarité`);
  doc.summary([
    { label: 'Foyers servis', value: String(r.households) },
    { label: 'Tickets au tarif solidaire', value: String(r.tickets) },
  ]);
  doc.section('Par catégorie');
  doc.table(
    [
      { header: 'Catégorie', width: 0.32 },
      { header: 'Articles', width: 0.12, align: 'right' },
      { header: 'Prix public', width: 0.19, align: 'right' },
      { header: 'Part des foyers', width: 0.19, align: 'right' },
      { header: 'Part du fonds', width: 0.18, align: 'right' },
    ],
    [
      ...r.byCategory.map((c) => ({
        cells: [c.category, String(c.items), pdfEuros(c.publicCents), pdfEuros(c.householdCents), pdfEuros(c.fundCents)],
      })),
      {
        cells: [
          'Total',
          String(r.byCategory.reduce((s, c) => s + c.items, 0)),
          pdfEuros(r.publicCents),
          pdfEuros(r.householdCents),
          pdfEuros(r.fundCents),
        ],
        bold: true,
      },
    ],
  );
  doc.section('Le fonds de solidarité');
  doc.summary([
    { label: 'Solde au début du mois', value: pdfEuros(r.balanceStartCents) },
    { label: 'Contributions reçues', value: pdfEuros(r.contributionsCents) },
    { label: 'Payé par le fonds', value: pdfEuros(-r.fundCents) },
    { label: 'Solde à la fin du mois', value: pdfEuros(r.balanceEndCents), strong: true },
  ]);
  doc.paragraph('Aucune donnée personnelle : les foyers sont comptés, jamais nommés ni listés.', { muted: true, size: 8 });
  return doc.finish();
}

/**
 * A refund of a ticket sold at solidarity prices gives the fund back its share of the lines refunded (the same
 * split as the sale: `solidarity` payment, negative, exact) and the household its own; a refund of any other
 * ticket takes nothing from the fund. Checked before the refund is written; returns what to link after.
 */
export async function checkSolidarityRefund(
  trx: Trx,
  t: {
    refundOf: string;
    /** Each line refunded, in the category it was sold in (sale_lines.category_id). */
    lines: readonly { categoryId: number | null; items: number; totalCents: number }[];
    payments: readonly { method: string; amountCents: number }[];
  },
): Promise<SolidarityLink | null> {
  const at = t.payments.findIndex((p) => p.method === SOLIDARITY);
  const found = await refundSolidaritySplit(trx, t.refundOf, t.lines);
  if (!found) {
    if (at >= 0)
      throw new Unprocessable('Ce ticket n’a pas été payé par le fonds de solidarité.', [
        { field: `payments.${at}.method`, reason: 'ticket hors tarif solidaire' },
      ]);
    return null;
  }
  const { original, split } = found;
  const paid = t.payments.filter((p) => p.method === SOLIDARITY).reduce((s, p) => s + p.amountCents, 0);
  if (paid !== split.fundCents)
    throw new Unprocessable(
      `Tarif solidaire : le fonds reprend ${msgEuros(-split.fundCents)} de ce remboursement, le foyer ${msgEuros(-split.householdCents)}.`,
      [
        {
          field: at >= 0 ? `payments.${at}.amountCents` : 'payments',
          reason: `le fonds de solidarité reprend ${msgEuros(-split.fundCents)}`,
        },
      ],
    );
  return { householdId: original.household_id ?? 0, householdRef: original.household_ref, ...split };
}

/**
 * What a refund of these lines of a ticket sold at solidarity prices gives back to the fund and to the
 * household (null: the ticket was not). The till asks it before the refund (`POST /api/sales/:id/refund-split`),
 * the refund is checked against it.
 */
export async function refundSolidaritySplit(
  trx: Db,
  refundOf: string,
  lines: readonly { categoryId: number | null; items: number; totalCents: number }[],
) {
  const original = await trx.selectFrom('sale_households').selectAll().where('sale_id', '=', refundOf).executeTakeFirst();
  if (!original) return null;
  // The shares as charged at the sale (per category), less what earlier refunds of the ticket took back: a
  // change of shares since does not move them, and the last refund of a category takes exactly what is left.
  const left = new Map<number | null, { publicCents: number; householdCents: number }>();
  const add = (d: SplitDetail) => {
    const l = left.get(d.categoryId) ?? { publicCents: 0, householdCents: 0 };
    left.set(d.categoryId, { publicCents: l.publicCents + d.publicCents, householdCents: l.householdCents + d.householdCents });
  };
  for (const d of JSON.parse(original.detail) as SplitDetail[]) add(d);
  const prior = await trx
    .selectFrom('sale_households as sh')
    .innerJoin('sales as s', 's.id', 'sh.sale_id')
    .select('sh.detail')
    .where('s.refund_of', '=', refundOf)
    .execute();
  for (const r of prior) for (const d of JSON.parse(r.detail) as SplitDetail[]) add(d);
  const refunded = new Map<number | null, { items: number; publicCents: number }>();
  for (const l of lines) {
    const c = l.categoryId;
    const r = refunded.get(c) ?? { items: 0, publicCents: 0 };
    refunded.set(c, { items: r.items + l.items, publicCents: r.publicCents + l.totalCents });
  }
  const detail: SplitDetail[] = [...refunded.entries()].map(([categoryId, r]) => {
    const l = left.get(categoryId) ?? { publicCents: 0, householdCents: 0 };
    const back = -r.publicCents;
    const household =
      back >= l.publicCents || l.publicCents <= 0
        ? l.householdCents
        : Math.floor((l.householdCents * back * 2 + l.publicCents) / (2 * l.publicCents));
    return { categoryId, items: r.items, publicCents: r.publicCents, householdCents: -household };
  });
  const publicCents = detail.reduce((x, d) => x + d.publicCents, 0);
  const householdCents = detail.reduce((x, d) => x + d.householdCents, 0);
  return { original, split: { publicCents, householdCents, fundCents: publicCents - householdCents, detail } };
}

/** Links a refund to the household its ticket was sold to (or to nobody, when it was erased since). */
export async function linkSolidarityRefund(trx: Trx, saleId: string, link: SolidarityLink) {
  const sale = await trx.selectFrom('sales').select(['business_day', 'training']).where('id', '=', saleId).executeTakeFirstOrThrow();
  if (sale.training) return;
  await trx
    .insertInto('sale_households')
    .values({
      sale_id: saleId,
      household_id: link.householdId || null,
      household_ref: link.householdRef,
      business_day: sale.business_day,
      public_cents: link.publicCents,
      household_cents: link.householdCents,
      fund_cents: link.fundCents,
      detail: JSON.stringify(link.detail),
    })
    .execute();
}
