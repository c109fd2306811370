import { sql } from 'kysely';
import type { ProducerCreate, ProducerUpdate, ProducerView } from '../../shared/api/catalog.ts';
import { normalizeForSearch, searchTerms, slugify } from '../../shared/text.ts';
import type { ProducerRow } from '../../db/schema.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../errors.ts';
import { maskIban, vatNumberProblem } from '../../shared/banking.ts';
import { recordEvent } from '../journal/events.ts';
import type { Db, Trx } from '../../db/schema.ts';
import { refreshProductSearchText } from './products.ts';
import { appendCommissionTerms } from '../settlement/commission-history.ts';

export function producerView(p: ProducerRow): ProducerView {
  return {
    id: p.id,
    slug: p.slug,
    name: p.name,
    legalName: p.legal_name,
    contactName: p.contact_name,
    email: p.email,
    phone: p.phone,
    address: p.address,
    siret: p.siret,
    vatStatus: p.vat_status,
    commissionBp: p.commission_bp,
    active: p.active === 1,
    vatNumber: p.vat_number,
    iban: p.iban,
    bic: p.bic,
    flatRateCompensationBp: p.flat_rate_compensation_bp,
  };
}

/** A French VAT number must be the SIRET's SIREN (the key itself is checked by the body's schema). */
function checkVatNumber(vatNumber: string, siret: string) {
  const problem = vatNumber ? vatNumberProblem(vatNumber, siret) : null;
  if (problem) throw new Invalid({ field: 'vatNumber', reason: problem });
}

/** Bank details in the event log: enough to see they changed, not the account itself. */
const maskedIban = (iban: string | null) => (iban ? maskIban(iban) : null);
export type { ProducerView };

const producerSearchText = (p: { name: string; legal_name: string; slug: string; contact_name: string }) =>
  normalizeForSearch([p.name, p.legal_name, p.slug, p.contact_name].join(' '));

export async function createProducer(db: Trx, input: ProducerCreate, userId: number, now: Date): Promise<ProducerView> {
  const slug = input.slug ?? slugify(input.name);
  const taken = await db.selectFrom('producers').select('id').where('slug', '=', slug).executeTakeFirst();
  if (taken) throw new Conflict(`L’identifiant « ${slug} » est déjà pris par un autre producteur.`, 'slug');
  const at = now.toISOString();
  const values = {
    slug,
    name: input.name,
    legal_name: input.legalName,
    contact_name: input.contactName,
    email: input.email,
    phone: input.phone,
    address: input.address,
    siret: input.siret,
    vat_status: input.vatStatus,
    commission_bp: input.commissionBp,
    vat_number: input.vatNumber,
    iban: input.iban,
    bic: input.bic,
    flat_rate_compensation_bp: input.flatRateCompensationBp,
    created_at: at,
    updated_at: at,
  };
  checkVatNumber(input.vatNumber, input.siret);
  const row = await db
    .insertInto('producers')
    .values({ ...values, search_text: producerSearchText(values) })
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendCommissionTerms(db, row.id, { defaultBp: row.commission_bp, byCategory: [] }, userId, at);
  await recordEvent(db, {
    kind: 'producer.created',
    userId,
    subject: `producer:${row.id}`,
    data: { slug, name: row.name, commissionBp: row.commission_bp },
    at,
  });
  return producerView(row);
}

export async function getProducer(db: Db, id: number): Promise<ProducerView> {
  const row = await db.selectFrom('producers').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFound('Producteur');
  return producerView(row);
}

export async function listProducers(
  db: Db,
  query: { q?: string | undefined; active?: boolean | undefined; limit: number; offset: number },
) {
  let q = db.selectFrom('producers').selectAll();
  for (const term of searchTerms(query.q ?? '')) q = q.where(sql<boolean>`search_text like ${'%' + term + '%'}`);
  if (query.active !== undefined) q = q.where('active', '=', query.active ? 1 : 0);
  const rows = await q.orderBy('name').orderBy('id').limit(query.limit).offset(query.offset).execute();
  return rows.map(producerView);
}

/** What a producer is paid and how: set by the network's managers only (`moneyOnly`: refuse a change of them). */
const PAYMENT_TERMS = ['vat_status', 'commission_bp', 'vat_number', 'iban', 'bic', 'flat_rate_compensation_bp'] as const;
const PAYMENT_FIELDS: Record<(typeof PAYMENT_TERMS)[number], string> = {
  vat_status: 'vatStatus',
  commission_bp: 'commissionBp',
  vat_number: 'vatNumber',
  iban: 'iban',
  bic: 'bic',
  flat_rate_compensation_bp: 'flatRateCompensationBp',
};

export async function updateProducer(
  db: Trx,
  id: number,
  patch: ProducerUpdate,
  userId: number,
  now: Date,
  /** The editor is a manager tied to a site: the payment terms must stay as they are. */
  termsLocked = false,
): Promise<ProducerView> {
  const before = await db.selectFrom('producers').selectAll().where('id', '=', id).executeTakeFirst();
  if (!before) throw new NotFound('Producteur');
  const next = {
    name: patch.name ?? before.name,
    legal_name: patch.legalName ?? before.legal_name,
    contact_name: patch.contactName ?? before.contact_name,
    email: patch.email ?? before.email,
    phone: patch.phone ?? before.phone,
    address: patch.address ?? before.address,
    siret: patch.siret ?? before.siret,
    vat_status: patch.vatStatus ?? before.vat_status,
    commission_bp: patch.commissionBp ?? before.commission_bp,
    active: patch.active === undefined ? before.active : patch.active ? (1 as const) : (0 as const),
    vat_number: patch.vatNumber ?? before.vat_number,
    iban: patch.iban === undefined ? before.iban : patch.iban,
    bic: patch.bic === undefined ? before.bic : patch.bic,
    flat_rate_compensation_bp: patch.flatRateCompensationBp ?? before.flat_rate_compensation_bp,
  };
  if (termsLocked) {
    const changed = PAYMENT_TERMS.filter((k) => next[k] !== before[k]);
    if (changed.length)
      throw new Forbidden(
        `La commission, la TVA et le compte bancaire d’un producteur sont réglés par la gestion du réseau (${changed.map((k) => PAYMENT_FIELDS[k]).join(', ')}).`,
      );
  }
  checkVatNumber(next.vat_number, next.siret);
  const row = await db
    .updateTable('producers')
    .set({ ...next, search_text: producerSearchText({ ...next, slug: before.slug }), updated_at: now.toISOString() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (next.commission_bp !== before.commission_bp) {
    // The default rate is part of the terms: a new version, the categories' rates as they stand.
    const byCategory = await db
      .selectFrom('producer_commissions')
      .select(['category_id as categoryId', 'commission_bp as commissionBp'])
      .where('producer_id', '=', id)
      .execute();
    await appendCommissionTerms(db, id, { defaultBp: next.commission_bp, byCategory }, userId, now.toISOString());
  }
  const changed = Object.fromEntries(
    Object.entries(next)
      .filter(([k, v]) => (before as Record<string, unknown>)[k] !== v)
      .map(([k, v]) =>
        k === 'iban'
          ? [k, { before: maskedIban(before.iban), after: maskedIban(v as string | null) }]
          : [k, { before: (before as Record<string, unknown>)[k], after: v }],
      ),
  );
  if (Object.keys(changed).length) {
    const kind = patch.active === false && before.active === 1 ? 'producer.deactivated' : 'producer.updated';
    await recordEvent(db, { kind, userId, subject: `producer:${id}`, data: changed, at: now.toISOString() });
  }
  if (next.name !== before.name) await refreshProductSearchText(db, { producerId: id });
  return producerView(row);
}
