/**
 * The ressourcerie (issue 22, item 3). Donations are weighed by stream at intake (a receipt for the donor when
 * asked); each item put on sale is priced there and becomes its own article (quantity 1, sold once) with a
 * label to print (`R0000042`, a Code 128 on the shelf labels). Unsold, it is marked down after some weeks, then
 * sent to recycling by its weight. The month's tonnage per stream — collected, sold for reuse, recycled,
 * discarded — is what the eco-organisms and the funders ask for.
 *
 * Sold once: the ticket that sells an item marks it sold and takes it off the catalogue; another ticket with it
 * is refused (« déjà vendu »), and its label scanned again says so at the till.
 */
import { cachedRows, marks } from '../../db/raw.ts';
import type { Kysely, Selectable } from 'kysely';
import type { Database, Db, ReuseStream, Trx } from '../../db/schema.ts';
import { percentOf, type BasisPoints, type Cents } from '../../shared/money.ts';
import { frDay, frMonth, shiftDay } from '../../shared/time.ts';
import { REUSE_STREAMS, STREAM_NAMES, type TonnageReport } from '../../shared/api/ressourcerie.ts';
import { A4Document } from '../documents/a4.ts';
import { Invalid, NotFound, Unprocessable } from '../errors.ts';
import { toCsv } from '../exports/csv.ts';
import { recordEvent } from '../journal/events.ts';
import { createProduct, updateProduct } from '../catalog/products.ts';
import { isDemo, readSetting, shopIdentity } from '../settings/settings.ts';
import { outletAt } from '../sites/sites.ts';

export const DEFAULT_AGING = { markdownWeeks: 4, markdownBp: 5000, recycleWeeks: 8 };
const itemCode = (id: number) => `R${String(id).padStart(7, '0')}`;
const kg = (g: number) => (g / 1000).toLocaleString('fr-FR', { minimumFractionDigits: 3, maximumFractionDigits: 3 });

export interface IntakeInput {
  lines: { stream: ReuseStream; grams: number }[];
  donor?: string | undefined;
  items: { name: string; stream: ReuseStream; grams: number; priceCents: number }[];
}

async function agingOf(db: Db) {
  return (await readSetting(db, 'ressourcerie.aging')) ?? DEFAULT_AGING;
}

async function addItem(
  trx: Trx,
  input: { name: string; stream: ReuseStream; grams: number; priceCents: number; intakeId: number | null },
  siteId: number,
  userId: number,
  now: Date,
  day: string,
) {
  const product = await createProduct(
    trx,
    {
      name: input.name,
      producerId: null,
      categoryId: null,
      unit: 'piece',
      priceCents: input.priceCents,
      vatRateBp: 2000,
      plu: null,
      stockTracked: false,
      lowStockThreshold: null,
      outlets: ['ressourcerie'],
      barcodes: [],
      net: null,
      course: null,
      takeawayVatRateBp: null,
      mealVoucherEligible: false,
    },
    userId,
    now,
    undefined,
    // The object is where it was given: on sale at this site's ressourcerie, not at every site's.
    siteId,
  );
  const { id } = await trx
    .insertInto('reuse_items')
    .values({
      site_id: siteId,
      product_id: product.id,
      code: `pending-${product.id}`,
      intake_id: input.intakeId,
      stream: input.stream,
      grams: input.grams,
      price_cents: input.priceCents,
      priced_on: day,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const code = itemCode(id);
  await trx.updateTable('reuse_items').set({ code }).where('id', '=', id).execute();
  await trx.insertInto('barcodes').values({ product_id: product.id, code, created_at: now.toISOString() }).execute();
  return { id, productId: product.id, code, name: input.name, stream: input.stream, grams: input.grams, priceCents: input.priceCents };
}

/**
 * A donation weighed by stream at a site's ressourcerie, and the items priced from it (each its own article,
 * on sale there, its label to print). A site without a ressourcerie takes no donation.
 */
export async function recordIntake(db: Kysely<Database>, input: IntakeInput, userId: number, now: Date, day: string, siteId: number) {
  const streams = input.lines.map((l) => l.stream);
  if (new Set(streams).size !== streams.length)
    throw new Invalid({ field: 'lines', reason: 'un flux pesé deux fois : additionnez les pesées' });
  // A site without a ressourcerie takes no donation (refused, naming the outlet).
  await outletAt(db, 'ressourcerie', siteId);
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('reuse_intakes')
      .values({ site_id: siteId, at: now.toISOString(), business_day: day, donor: input.donor?.trim() || null, created_by: userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    // The weighing of a stream takes its objects in: objects heavier than what was weighed of their stream (or
    // of a stream not weighed at all) raise it to their weight. A 7,2 kg bicycle put on sale was on no receipt
    // and in no « collecté », then « vendu en réemploi » outweighed it (found by a walk).
    const weighed = new Map(input.lines.map((l) => [l.stream, l.grams]));
    for (const it of input.items) {
      const ofStream = input.items.filter((x) => x.stream === it.stream).reduce((g, x) => g + x.grams, 0);
      if ((weighed.get(it.stream) ?? 0) < ofStream) weighed.set(it.stream, ofStream);
    }
    const lines = [...weighed].map(([stream, grams]) => ({ stream, grams }));
    if (lines.length)
      await trx
        .insertInto('reuse_intake_lines')
        .values(lines.map((l) => ({ intake_id: id, stream: l.stream, grams: l.grams })))
        .execute();
    const items = [];
    for (const it of input.items) items.push(await addItem(trx, { ...it, intakeId: id }, siteId, userId, now, day));
    await recordEvent(trx, {
      kind: 'reuse.intake',
      userId,
      subject: `intake:${id}`,
      data: { lines, items: items.map((i) => i.code), siteId },
      at: now.toISOString(),
    });
    return { id, day, lines, items };
  });
}

/** An object by its label; `siteId`: that site's only (another's is "not found"). */
export async function getItemByCode(db: Db, code: string, siteId: number | null = null) {
  const r = await db
    .selectFrom('reuse_items as i')
    .innerJoin('products as p', 'p.id', 'i.product_id')
    .select([
      'i.id',
      'i.code',
      'i.product_id',
      'p.name',
      'i.stream',
      'i.grams',
      'i.price_cents',
      'p.price_cents as current_cents',
      'i.status',
      'i.status_day',
      'i.priced_on',
      'i.marked_down_on',
      'i.site_id',
    ])
    .where('i.code', '=', code.trim().toUpperCase())
    .executeTakeFirst();
  if (!r || (siteId !== null && r.site_id !== siteId)) throw new NotFound('Objet');
  return {
    id: r.id,
    code: r.code,
    productId: r.product_id,
    name: r.name,
    stream: r.stream,
    grams: r.grams,
    priceCents: r.current_cents,
    initialPriceCents: r.price_cents,
    status: r.status,
    statusDay: r.status_day,
    pricedOn: r.priced_on,
    markedDownOn: r.marked_down_on,
  };
}

/** A site's objects, newest first. */
export async function listItems(db: Kysely<Database>, status: 'on_sale' | 'sold' | 'recycled' | 'discarded' | undefined, siteId: number) {
  let q = db
    .selectFrom('reuse_items as i')
    .innerJoin('products as p', 'p.id', 'i.product_id')
    .select(['i.code'])
    .where('i.site_id', '=', siteId)
    .orderBy('i.id', 'desc')
    .limit(500);
  if (status) q = q.where('i.status', '=', status);
  return Promise.all((await q.execute()).map((r) => getItemByCode(db, r.code, siteId)));
}

/**
 * Unsold items age: marked down once after `markdownWeeks` (the price falls by `markdownBp`, through the catalogue
 * so the till's price check follows), sent to recycling by weight after `recycleWeeks`. Idempotent: run by the
 * ressourcerie's day closing (`server/closing/routes.ts`), by the list, and on demand.
 */
export async function applyAging(db: Kysely<Database>, today: string, userId: number, now: Date, siteId: number) {
  const a = await agingOf(db);
  const markdownBefore = shiftDay(today, -7 * a.markdownWeeks);
  const recycleBefore = shiftDay(today, -7 * a.recycleWeeks);
  let markedDown = 0;
  let recycled = 0;
  await db.transaction().execute(async (trx) => {
    const toRecycle = await trx
      .selectFrom('reuse_items')
      .selectAll()
      .where('site_id', '=', siteId)
      .where('status', '=', 'on_sale')
      .where('priced_on', '<=', recycleBefore)
      .execute();
    for (const it of toRecycle) {
      await trx.updateTable('reuse_items').set({ status: 'recycled', status_day: today }).where('id', '=', it.id).execute();
      await trx.updateTable('products').set({ active: 0, updated_at: now.toISOString() }).where('id', '=', it.product_id).execute();
      await trx
        .insertInto('reuse_outflows')
        .values({
          site_id: siteId,
          business_day: today,
          stream: it.stream,
          grams: it.grams,
          kind: 'recycled',
          item_id: it.id,
          note: `${it.code} invendu`,
          created_at: now.toISOString(),
        })
        .execute();
      recycled++;
    }
    const toMark = await trx
      .selectFrom('reuse_items')
      .selectAll()
      .where('site_id', '=', siteId)
      .where('status', '=', 'on_sale')
      .where('marked_down_on', 'is', null)
      .where('priced_on', '<=', markdownBefore)
      .execute();
    for (const it of toMark) {
      const price = it.price_cents - percentOf(it.price_cents as Cents, a.markdownBp as BasisPoints);
      await updateProduct(trx, it.product_id, { priceCents: price }, userId, now);
      await trx.updateTable('reuse_items').set({ marked_down_on: today }).where('id', '=', it.id).execute();
      markedDown++;
    }
    if (markedDown || recycled)
      await recordEvent(trx, { kind: 'reuse.aging', userId, data: { markedDown, recycled, day: today, siteId }, at: now.toISOString() });
  });
  return { markedDown, recycled };
}

/** Weight sent out without being sold item by item (bulk textile to the sorter, broken tableware…). */
export async function recordOutflow(
  db: Kysely<Database>,
  input: { stream: ReuseStream; grams: number; kind: 'recycled' | 'discarded'; note: string },
  userId: number,
  now: Date,
  day: string,
  siteId: number,
) {
  await db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('reuse_outflows')
      .values({
        site_id: siteId,
        business_day: day,
        stream: input.stream,
        grams: input.grams,
        kind: input.kind,
        item_id: null,
        note: input.note,
        created_at: now.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordEvent(trx, { kind: 'reuse.outflow', userId, subject: `outflow:${id}`, data: { ...input, siteId }, at: now.toISOString() });
  });
}

const BACK_ON_SALE_GRACE_MS = 2 * 60_000;

/**
 * Inside the ticket's transaction: a one-off item sells once, one piece. Returns the items to mark sold once the
 * ticket is written.
 */
export async function checkReuseItems(
  trx: Trx,
  lines: readonly { productId: number; quantity: number | undefined; refund: boolean }[],
  /** When the ticket was written at the till: before the item came back on sale, it is not sold by it. */
  createdAt?: Date,
) {
  const ids = [...new Set(lines.map((l) => l.productId))];
  if (!ids.length) return [];
  // Asked for every ticket: written in SQL once (db/raw.ts).
  const items = await cachedRows<Selectable<Database['reuse_items']>>(
    trx,
    `select * from "reuse_items" where "product_id" in (${marks(ids.length)})`,
    ids,
  );
  if (!items.length) return [];
  const byProduct = new Map(items.map((i) => [i.product_id, i]));
  const problems: { field: string; reason: string }[] = [];
  const seen = new Set<number>();
  lines.forEach((l, i) => {
    const it = byProduct.get(l.productId);
    if (!it || l.refund) return;
    if (it.status !== 'on_sale')
      problems.push({
        field: `lines.${i}.productId`,
        reason:
          it.status === 'sold'
            ? `${it.code} déjà vendu${it.status_day ? ` le ${frDay(it.status_day)}` : ''}`
            : `${it.code} parti au recyclage`,
      });
    // Written while the object was sold to someone else, and sent once it was back on the shelf (a refused ticket
    // sent again): the object left with the other customer's ticket, not with this one.
    // The ticket's time is the tablet's clock, the return's the server's: two minutes' grace for a tablet a
    // little slow (a sale right after the object came back), as a refused ticket sent again comes much later.
    else if (createdAt && it.back_on_sale_at && createdAt.getTime() < Date.parse(it.back_on_sale_at) - BACK_ON_SALE_GRACE_MS)
      problems.push({
        field: `lines.${i}.productId`,
        reason: `${it.code} était vendu quand ce ticket a été fait (il n’est revenu en vente qu’après) : ce ticket ne peut pas le vendre`,
      });
    else if ((l.quantity ?? 1) !== 1 || seen.has(l.productId))
      problems.push({ field: `lines.${i}.quantity`, reason: `${it.code} est un objet unique : une seule pièce` });
    seen.add(l.productId);
  });
  if (problems.length) throw new Unprocessable(`Ticket refusé : ${problems.map((p) => p.reason).join(' ; ')}.`, problems);
  return items.filter((it) => lines.some((l) => l.productId === it.product_id && !l.refund));
}

/** The ticket is written: its items are sold, off the catalogue. */
export async function markReuseItemsSold(trx: Trx, saleId: string, items: readonly { id: number; product_id: number }[], now: Date) {
  if (!items.length) return;
  const sale = await trx.selectFrom('sales').select(['business_day', 'training']).where('id', '=', saleId).executeTakeFirstOrThrow();
  // A training ticket sells nothing.
  if (sale.training) return;
  for (const it of items) {
    await trx
      .updateTable('reuse_items')
      .set({ status: 'sold', status_day: sale.business_day, sale_id: saleId })
      .where('id', '=', it.id)
      .execute();
    await trx.updateTable('products').set({ active: 0, updated_at: now.toISOString() }).where('id', '=', it.product_id).execute();
  }
}

/**
 * A refund of a one-off item (inside its transaction): back on the shelf, it is on sale again, in the catalogue
 * again; not back (broken, kept by the customer), it is discarded on the refund's day. Found by an
 * independent check: a refunded item stayed « déjà vendu » at every till and counted as reused in the tonnage.
 */
export async function returnReuseItems(
  trx: Trx,
  originalSaleId: string,
  lines: readonly { productId: number; restock: boolean }[],
  refundDay: string,
  now: Date,
): Promise<number[]> {
  const back: number[] = [];
  for (const l of lines) {
    const item = await trx
      .selectFrom('reuse_items')
      .select(['id'])
      .where('product_id', '=', l.productId)
      .where('sale_id', '=', originalSaleId)
      .where('status', '=', 'sold')
      .executeTakeFirst();
    if (!item) continue;
    await trx
      .updateTable('reuse_items')
      .set(
        l.restock
          ? { status: 'on_sale', status_day: null, sale_id: null, back_on_sale_at: now.toISOString() }
          : { status: 'discarded', status_day: refundDay },
      )
      .where('id', '=', item.id)
      .execute();
    if (l.restock)
      await trx.updateTable('products').set({ active: 1, updated_at: now.toISOString() }).where('id', '=', l.productId).execute();
    back.push(l.productId);
  }
  return back;
}

/** A site's tonnage for the month, per stream: collected (intake), sold for reuse (items sold), recycled, discarded. */
export async function tonnage(db: Db, month: string, siteId: number): Promise<TonnageReport> {
  const from = `${month}-01`;
  const to = `${month}-31`;
  const collected = await db
    .selectFrom('reuse_intake_lines as l')
    .innerJoin('reuse_intakes as i', 'i.id', 'l.intake_id')
    .select((eb) => ['l.stream', eb.fn.sum<number>('l.grams').as('g')])
    .where('i.site_id', '=', siteId)
    .where('i.business_day', '>=', from)
    .where('i.business_day', '<=', to)
    .groupBy('l.stream')
    .execute();
  const sold = await db
    .selectFrom('reuse_items')
    .select((eb) => [
      'stream',
      eb.fn.sum<number>('grams').as('g'),
      eb.fn.count<number>('id').as('n'),
      eb.fn.sum<number>('price_cents').as('initial'),
    ])
    .where('site_id', '=', siteId)
    .where('status', '=', 'sold')
    .where('status_day', '>=', from)
    .where('status_day', '<=', to)
    .groupBy('stream')
    .execute();
  const out = await db
    .selectFrom('reuse_outflows')
    .select((eb) => ['stream', 'kind', eb.fn.sum<number>('grams').as('g')])
    .where('site_id', '=', siteId)
    .where('business_day', '>=', from)
    .where('business_day', '<=', to)
    .groupBy(['stream', 'kind'])
    .execute();
  const rows = REUSE_STREAMS.map((stream) => ({
    stream,
    name: STREAM_NAMES[stream],
    collectedGrams: Number(collected.find((c) => c.stream === stream)?.g ?? 0),
    reusedGrams: Number(sold.find((c) => c.stream === stream)?.g ?? 0),
    itemsSold: Number(sold.find((c) => c.stream === stream)?.n ?? 0),
    recycledGrams: Number(out.find((c) => c.stream === stream && c.kind === 'recycled')?.g ?? 0),
    discardedGrams: Number(out.find((c) => c.stream === stream && c.kind === 'discarded')?.g ?? 0),
  })).filter((r) => r.collectedGrams || r.reusedGrams || r.recycledGrams || r.discardedGrams);
  const sum = (k: 'collectedGrams' | 'reusedGrams' | 'recycledGrams' | 'discardedGrams' | 'itemsSold') =>
    rows.reduce((s, r) => s + r[k], 0);
  const site = await db.selectFrom('sites').select('name').where('id', '=', siteId).executeTakeFirst();
  return {
    month,
    site: site?.name ?? '',
    streams: rows,
    collectedGrams: sum('collectedGrams'),
    reusedGrams: sum('reusedGrams'),
    itemsSold: sum('itemsSold'),
    recycledGrams: sum('recycledGrams'),
    discardedGrams: sum('discardedGrams'),
  };
}

export function tonnageCsv(r: TonnageReport): string {
  return toCsv(
    ['Flux', 'Collecté (kg)', 'Vendu en réemploi (kg)', 'Objets vendus', 'Recyclé (kg)', 'Éliminé (kg)'],
    [
      ...r.streams.map((s) => [s.name, kg(s.collectedGrams), kg(s.reusedGrams), s.itemsSold, kg(s.recycledGrams), kg(s.discardedGrams)]),
      ['Total', kg(r.collectedGrams), kg(r.reusedGrams), r.itemsSold, kg(r.recycledGrams), kg(r.discardedGrams)],
    ],
  );
}

export async function tonnagePdf(db: Db, r: TonnageReport): Promise<Buffer> {
  const shop = await shopIdentity(db);
  const title = `Ressourcerie — tonnages de ${frMonth(r.month)}`;
  const doc = new A4Document({ title, footer: `${shop.name} · ${title}`, demo: await isDemo(db) });
  doc.heading(title, `${shop.legalName} · ${r.site} · SIRET ${shop.siret} · en kilogrammes`);
  doc.table(
    [
      { header: 'Flux', width: 0.28 },
      { header: 'Collecté', width: 0.15, align: 'right' },
      { header: 'Réemploi', width: 0.15, align: 'right' },
      { header: 'Objets', width: 0.12, align: 'right' },
      { header: 'Recyclé', width: 0.15, align: 'right' },
      { header: 'Éliminé', width: 0.15, align: 'right' },
    ],
    [
      ...r.streams.map((s) => ({
        cells: [s.name, kg(s.collectedGrams), kg(s.reusedGrams), String(s.itemsSold), kg(s.recycledGrams), kg(s.discardedGrams)],
      })),
      {
        cells: ['Total', kg(r.collectedGrams), kg(r.reusedGrams), String(r.itemsSold), kg(r.recycledGrams), kg(r.discardedGrams)],
        bold: true,
      },
    ],
  );
  doc.paragraph(
    'Collecté : les dons pesés à l’entrée, par flux. Réemploi : le poids des objets vendus dans le mois. Recyclé : les invendus et les lots remis aux filières de recyclage. Éliminé : ce qui n’a pu être ni vendu ni recyclé.',
    { muted: true, size: 8 },
  );
  return doc.finish();
}

/** The donor's receipt (reçu de don en nature): what was given, by stream and weight; no value. */
export async function donorReceiptPdf(db: Db, intakeId: number): Promise<{ pdf: Buffer; filename: string }> {
  const intake = await db.selectFrom('reuse_intakes').selectAll().where('id', '=', intakeId).executeTakeFirst();
  if (!intake) throw new NotFound('Don');
  const lines = await db.selectFrom('reuse_intake_lines').selectAll().where('intake_id', '=', intakeId).execute();
  const shop = await shopIdentity(db);
  const title = `Reçu de don n° ${intakeId}`;
  const doc = new A4Document({ title, footer: `${shop.name} · ${title}`, demo: await isDemo(db) });
  doc.parties(
    { label: 'Ressourcerie', lines: [shop.legalName, shop.address, `${shop.postalCode} ${shop.city}`, `SIRET ${shop.siret}`] },
    { label: 'Donateur', lines: [intake.donor ?? 'Donateur anonyme'] },
  );
  doc.heading(title, `Reçu le ${frDay(intake.business_day)}`);
  doc.table(
    [
      { header: 'Flux', width: 0.6 },
      { header: 'Poids', width: 0.4, align: 'right' },
    ],
    lines.map((l) => ({ cells: [STREAM_NAMES[l.stream], `${kg(l.grams)} kg`] })),
  );
  doc.paragraph(
    'Don en nature d’objets destinés au réemploi ou au recyclage. Ce reçu atteste le don et son poids ; il n’ouvre pas droit, à lui seul, à une réduction d’impôt.',
    { muted: true, size: 8 },
  );
  doc.signatures(['Pour la ressourcerie']);
  return { pdf: await doc.finish(), filename: `recu-don-${intakeId}.pdf` };
}
