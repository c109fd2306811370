/**
 * The stock domain's services as the HTTP routes use them: each takes the database, the acting identity and
 * its input, opens the transaction a write needs and calls the ledger (`ledger.ts`), whose write functions
 * take that transaction. No request, no response.
 */
import type { Kysely } from 'kysely';
import type { CountBody, CountResult, LossBody, SlipBody, SlipView } from '../../shared/api/stock.ts';
import type { KitchenUseBody } from '../../shared/api/settlement.ts';
import type { Database, Db, SlipKind } from '../../db/schema.ts';
import { producerScope, requireUser, type Actor } from '../auth/access.ts';
import { slipPdfOf } from '../settlement/slip.ts';
import { recordCount, recordKitchenUse, recordLosses, recordSlip } from './ledger.ts';

/** A deposit slip (bon de dépôt) or a return slip (reprise), numbered in its own sequence. */
export const takeSlip = (db: Kysely<Database>, actor: Actor, kind: SlipKind, input: SlipBody, now: Date): Promise<SlipView> =>
  db.transaction().execute((trx) => recordSlip(trx, kind, input, requireUser(actor).id, now));

export const writeOffLosses = (db: Kysely<Database>, actor: Actor, input: LossBody, now: Date) =>
  db.transaction().execute((trx) => recordLosses(trx, input, requireUser(actor).id, now));

export const takeForKitchen = (db: Kysely<Database>, actor: Actor, input: KitchenUseBody, now: Date, timeZone?: string) =>
  db.transaction().execute((trx) => recordKitchenUse(trx, input, requireUser(actor).id, now, timeZone));

export const countStock = (db: Kysely<Database>, actor: Actor, input: CountBody, now: Date): Promise<CountResult> =>
  db.transaction().execute((trx) => recordCount(trx, input, requireUser(actor).id, now));

/** A slip as a printable PDF: managers any, a producer only their own. */
export const slipDocument = (db: Db, actor: Actor, id: number) => slipPdfOf(db, id, producerScope(actor));
