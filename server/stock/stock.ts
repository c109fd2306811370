/**
 * The stock domain's services as the HTTP routes use them: each takes the database, the acting identity and
 * its input, opens the transaction a write needs and calls the ledger (`ledger.ts`), whose write functions
 * take that transaction. No request, no response.
 */
import type { Kysely } from 'kysely';
import type { CountBody, CountResult, LossBody, SlipBody, SlipView, TransferBody } from '../../shared/api/stock.ts';
import type { KitchenUseBody } from '../../shared/api/settlement.ts';
import type { Database, Db } from '../../db/schema.ts';
import { producerScope, requireUser, type Actor } from '../auth/access.ts';
import { slipPdfOf } from '../settlement/slip.ts';
import { siteOf, siteScope, type SiteAsker } from '../sites/sites.ts';
import { recordCount, recordKitchenUse, recordLosses, recordSlip, recordTransfer } from './ledger.ts';

// Each write happens at the site of the request (server/sites): the manager's, or the one they chose.

/** A deposit slip (bon de dépôt) or a return slip (reprise), numbered in its own sequence. */
export async function takeSlip(
  db: Kysely<Database>,
  actor: SiteAsker,
  kind: 'deposit' | 'return',
  input: SlipBody,
  now: Date,
): Promise<SlipView> {
  const siteId = await siteOf(actor);
  return db.transaction().execute((trx) => recordSlip(trx, kind, input, requireUser(actor).id, now, siteId));
}

/**
 * A transfer slip (bon de transfert): a producer's goods sent from the site the request works at to another.
 * A manager tied to a site sends from theirs (the goods are on its shelves) to any site of the network.
 */
export async function sendToSite(db: Kysely<Database>, actor: SiteAsker, input: TransferBody, now: Date): Promise<SlipView> {
  const siteId = await siteOf(actor);
  return db.transaction().execute((trx) => recordTransfer(trx, input, requireUser(actor).id, now, siteId));
}

export async function writeOffLosses(db: Kysely<Database>, actor: SiteAsker, input: LossBody, now: Date) {
  const siteId = await siteOf(actor);
  return db.transaction().execute((trx) => recordLosses(trx, input, requireUser(actor).id, now, siteId));
}

export async function takeForKitchen(db: Kysely<Database>, actor: SiteAsker, input: KitchenUseBody, now: Date, timeZone?: string) {
  const siteId = await siteOf(actor);
  return db.transaction().execute((trx) => recordKitchenUse(trx, input, requireUser(actor).id, now, siteId, timeZone));
}

export async function countStock(db: Kysely<Database>, actor: SiteAsker, input: CountBody, now: Date): Promise<CountResult> {
  const siteId = await siteOf(actor);
  return db.transaction().execute((trx) => recordCount(trx, input, requireUser(actor).id, now, siteId));
}

/** A slip as a printable PDF: managers any, a producer only their own. */
export const slipDocument = (db: Db, actor: Actor, id: number) => slipPdfOf(db, id, producerScope(actor), siteScope(actor));
