/**
 * Self-billing mandates (issue 21, item 3). Under the commissionnaire model the shop writes each producer's
 * invoice itself (autofacturation, art. 289 I-2° CGI), which it may only do under a prior mandate from the
 * producer: the terms are printed from here (`mandateTemplatePdf`), signed by both, and the signed PDF is
 * recorded with its SHA-256, kept as signed; a mandate ends by a dated revocation, never an edit. Without one
 * in force on the day a statement is issued, the statement (and its self-billed invoice) is refused.
 */
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/schema.ts';
import type { ShopIdentity } from '../../shared/api/settings.ts';
import { vatRegimeMention } from '../../shared/banking.ts';
import { frDay } from '../../shared/time.ts';
import type { Scope } from '../auth/identity.ts';
import { A4Document } from '../documents/a4.ts';
import { Invalid, NotFound, Unprocessable } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';
import { isDemo, shopIdentity } from '../settings/settings.ts';

export const MAX_MANDATE_BYTES = 8 * 1024 * 1024;

export interface MandateView {
  id: number;
  producerId: number;
  signedOn: string;
  validFrom: string;
  revokedOn: string | null;
  recordedAt: string;
  pdfSha256: string;
  pdfBytes: number;
}

interface ProducerIdentity {
  name: string;
  legal_name: string;
  address: string;
  siret: string;
  vat_status: 'subject' | 'franchise' | 'flat_rate';
  vat_number: string;
}

async function producerIdentity(db: Db, producerId: number): Promise<ProducerIdentity> {
  const p = await db
    .selectFrom('producers')
    .select(['name', 'legal_name', 'address', 'siret', 'vat_status', 'vat_number'])
    .where('id', '=', producerId)
    .executeTakeFirst();
  if (!p) throw new NotFound('Producteur');
  return p;
}

/** The mandate's terms, as printed for signature and frozen with the signed copy. */
export function mandateTerms(shop: ShopIdentity, p: ProducerIdentity): string[] {
  const shopName = `${shop.legalName}${shop.legalForm ? ` (${shop.legalForm})` : ''}, SIRET ${shop.siret}, ${shop.address}, ${shop.postalCode} ${shop.city}`;
  const producerName = `${p.legal_name || p.name}, SIRET ${p.siret}, ${p.address}`;
  return [
    `Entre ${producerName} (« le fournisseur »), et ${shopName} (« l’acquéreur »).`,
    '1. Objet. Le fournisseur confie à l’acquéreur, qui l’accepte, l’établissement en son nom et pour son compte des factures de ses livraisons de produits en dépôt-vente, vendus par l’acquéreur en son nom propre (commissionnaire, art. 256 V du CGI), conformément à l’article 289 I-2° du Code général des impôts.',
    '2. Factures. Une facture est établie à chaque relevé de dépôt-vente, pour le prix de vente des produits diminué de la commission convenue, avec la mention « Autofacturation », une numérotation continue propre (série AF), les mentions de l’article 242 nonies A de l’annexe II au CGI et, selon le régime du fournisseur, la TVA due ou la mention de son exonération.',
    `3. Régime de TVA déclaré par le fournisseur : ${vatRegimeMention(p.vat_status, p.vat_number)}. Le fournisseur informe l’acquéreur sans délai de tout changement ; il reste redevable de la TVA mentionnée sur les factures émises en son nom.`,
    '4. Acceptation. Chaque facture est mise à la disposition du fournisseur sur son espace producteur le jour de son émission. Il dispose de quinze jours pour la contester ; passé ce délai, elle est réputée acceptée. Une correction se fait par une facture d’avoir, jamais par une modification.',
    '5. Durée. Le mandat prend effet à la date indiquée ci-dessous, pour une durée indéterminée ; chaque partie peut y mettre fin par écrit, sans effet sur les factures déjà émises.',
  ];
}

/** The mandate to print and sign, with the producer's and the shop's identities filled in. */
export async function mandateTemplatePdf(db: Db, producerId: number): Promise<{ pdf: Buffer; filename: string }> {
  const [shop, p, demo] = await Promise.all([shopIdentity(db), producerIdentity(db, producerId), isDemo(db)]);
  const title = 'Mandat de facturation (autofacturation)';
  const doc = new A4Document({ title, footer: `${shop.name} · ${title} · ${p.name}`, demo });
  doc.heading(title, 'Article 289 I-2° du Code général des impôts');
  for (const line of mandateTerms(shop, p)) doc.paragraph(line);
  doc.paragraph('Date de prise d’effet : ____ / ____ / ________        Fait à ______________________, le ____ / ____ / ________');
  doc.signatures([`Le fournisseur : ${p.legal_name || p.name}`, `L’acquéreur : ${shop.legalName}`]);
  return { pdf: await doc.finish(), filename: `mandat-autofacturation-${p.name.replace(/[^\p{L}\p{N}]+/gu, '-').toLowerCase()}.pdf` };
}

const view = (r: {
  id: number;
  producer_id: number;
  signed_on: string;
  valid_from: string;
  revoked_on: string | null;
  recorded_at: string;
  pdf_sha256: string;
  bytes: number | bigint;
}): MandateView => ({
  id: r.id,
  producerId: r.producer_id,
  signedOn: r.signed_on,
  validFrom: r.valid_from,
  revokedOn: r.revoked_on,
  recordedAt: r.recorded_at,
  pdfSha256: r.pdf_sha256,
  pdfBytes: Number(r.bytes),
});

export async function listMandates(db: Db, scope: Scope, producerId: number): Promise<MandateView[]> {
  if (scope.producerId !== null && scope.producerId !== producerId) throw new NotFound('Producteur');
  await producerIdentity(db, producerId);
  const rows = await db
    .selectFrom('self_billing_mandates')
    .select((eb) => [
      'id',
      'producer_id',
      'signed_on',
      'valid_from',
      'revoked_on',
      'recorded_at',
      'pdf_sha256',
      eb.fn('length', ['pdf']).as('bytes'),
    ])
    .where('producer_id', '=', producerId)
    .orderBy('valid_from', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => view(r as Parameters<typeof view>[0]));
}

/** Records a signed mandate (the signed PDF, as scanned), in force from `validFrom`. */
export async function recordMandate(
  db: Kysely<Database>,
  input: { producerId: number; signedOn: string; validFrom: string; pdf: Buffer },
  userId: number,
  now: Date,
  today: string,
): Promise<MandateView> {
  const problems: { field: string; reason: string }[] = [];
  if (input.pdf.length === 0) problems.push({ field: 'body', reason: 'le mandat signé manque (un fichier PDF)' });
  else if (input.pdf.subarray(0, 5).toString('latin1') !== '%PDF-')
    problems.push({ field: 'body', reason: 'le mandat signé doit être un fichier PDF (il commence par « %PDF- »)' });
  if (input.signedOn > today) problems.push({ field: 'signedOn', reason: 'un mandat ne peut pas être signé dans le futur' });
  if (input.validFrom < input.signedOn)
    problems.push({ field: 'validFrom', reason: 'le mandat prend effet au plus tôt le jour de sa signature' });
  if (problems.length) throw new Invalid(problems);
  return db.transaction().execute(async (trx) => {
    const [shop, p] = await Promise.all([shopIdentity(trx), producerIdentity(trx, input.producerId)]);
    const sha = crypto.createHash('sha256').update(input.pdf).digest('hex');
    const { id } = await trx
      .insertInto('self_billing_mandates')
      .values({
        producer_id: input.producerId,
        signed_on: input.signedOn,
        valid_from: input.validFrom,
        terms: mandateTerms(shop, p).join('\n'),
        pdf: input.pdf,
        pdf_sha256: sha,
        recorded_at: now.toISOString(),
        recorded_by: userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordEvent(trx, {
      kind: 'mandate.recorded',
      userId,
      subject: `producer:${input.producerId}`,
      data: { mandateId: id, signedOn: input.signedOn, validFrom: input.validFrom, pdfSha256: sha },
      at: now.toISOString(),
    });
    return (await listMandates(trx, { producerId: null }, input.producerId)).find((m) => m.id === id)!;
  });
}

/** Ends a mandate from a day on: self-billed invoices are refused from then on. */
export async function revokeMandate(db: Kysely<Database>, id: number, on: string, userId: number, now: Date): Promise<MandateView> {
  return db.transaction().execute(async (trx) => {
    const m = await trx
      .selectFrom('self_billing_mandates')
      .select(['producer_id', 'valid_from', 'revoked_on'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!m) throw new NotFound('Mandat');
    if (m.revoked_on)
      throw new Unprocessable(`Ce mandat a déjà pris fin le ${frDay(m.revoked_on)}.`, [{ field: 'on', reason: 'déjà révoqué' }]);
    if (on < m.valid_from)
      throw new Invalid({ field: 'on', reason: `le mandat a pris effet le ${frDay(m.valid_from)} : il prend fin après` });
    await trx.updateTable('self_billing_mandates').set({ revoked_on: on }).where('id', '=', id).execute();
    await recordEvent(trx, {
      kind: 'mandate.revoked',
      userId,
      subject: `producer:${m.producer_id}`,
      data: { mandateId: id, on },
      at: now.toISOString(),
    });
    return (await listMandates(trx, { producerId: null }, m.producer_id)).find((x) => x.id === id)!;
  });
}

export async function mandatePdf(db: Db, scope: Scope, id: number): Promise<{ pdf: Buffer; filename: string }> {
  let q = db.selectFrom('self_billing_mandates').select(['pdf', 'signed_on', 'producer_id']).where('id', '=', id);
  if (scope.producerId !== null) q = q.where('producer_id', '=', scope.producerId);
  const row = await q.executeTakeFirst();
  if (!row) throw new NotFound('Mandat');
  return { pdf: Buffer.from(row.pdf), filename: `mandat-${row.producer_id}-${row.signed_on}.pdf` };
}

/** The mandate in force on a day (the latest to have taken effect, not revoked by then), if any. */
export async function mandateInForce(db: Db, producerId: number, day: string): Promise<{ id: number; signedOn: string } | null> {
  const row = await db
    .selectFrom('self_billing_mandates')
    .select(['id', 'signed_on'])
    .where('producer_id', '=', producerId)
    .where('valid_from', '<=', day)
    .where((eb) => eb.or([eb('revoked_on', 'is', null), eb('revoked_on', '>', day)]))
    .orderBy('valid_from', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row ? { id: row.id, signedOn: row.signed_on } : null;
}
