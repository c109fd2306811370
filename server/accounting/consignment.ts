/**
 * The shop's consignment model (issue 21, item 1), dated: `mandataire` unless the shop chose otherwise.
 * Free to change until the first sale; after it, a change applies from the first day of a month that no
 * statement has settled yet, so that every period is kept in one model from the receipt to the FEC.
 */
import { cachedRows, marks } from '../../db/raw.ts';
import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/schema.ts';
import type { ConsignmentModel, ConsignmentSetting } from '../../shared/api/accounting.ts';
import { frDay } from '../../shared/time.ts';
import { Invalid } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';
import { readSetting, writeSetting } from '../settings/settings.ts';

const ALWAYS: ConsignmentSetting = { changes: [{ model: 'mandataire', from: '2000-01-01' }] };

export async function consignmentSetting(db: Db): Promise<ConsignmentSetting> {
  return (await readSetting(db, 'consignment.model')) ?? ALWAYS;
}

/** The model in force on a business day. */
export function modelOn(setting: ConsignmentSetting, day: string): ConsignmentModel {
  let model = setting.changes[0]!.model;
  for (const c of setting.changes) if (c.from <= day) model = c.model;
  return model;
}

async function hasSold(db: Db) {
  return Boolean(await db.selectFrom('sales').select('id').where('training', '=', 0).limit(1).executeTakeFirst());
}

export async function consignmentView(db: Db, today: string) {
  const setting = await consignmentSetting(db);
  return { model: modelOn(setting, today), changes: setting.changes, free: !(await hasSold(db)) };
}

export async function setConsignmentModel(
  db: Kysely<Database>,
  input: { model: ConsignmentModel; from?: string | undefined },
  userId: number,
  now: Date,
  today: string,
) {
  return db.transaction().execute(async (trx) => {
    const before = await consignmentSetting(trx);
    let after: ConsignmentSetting;
    if (!(await hasSold(trx))) after = { changes: [{ model: input.model, from: '2000-01-01' }] };
    else {
      if (!input.from)
        throw new Invalid({ field: 'from', reason: 'la boutique a déjà vendu : dites à partir de quel mois le nouveau modèle s’applique' });
      if (!input.from.endsWith('-01')) throw new Invalid({ field: 'from', reason: 'le premier jour d’un mois' });
      const settled = await trx
        .selectFrom('statements')
        .select((eb) => eb.fn.max('period_to').as('to'))
        .executeTakeFirst();
      if (settled?.to && String(settled.to) >= input.from)
        throw new Invalid({
          field: 'from',
          reason: `des relevés ont réglé les ventes jusqu’au ${frDay(String(settled.to))} : le modèle change au plus tôt le mois suivant`,
        });
      if (input.from < `${today.slice(0, 7)}-01`) throw new Invalid({ field: 'from', reason: 'un mois passé ne change plus de modèle' });
      if (modelOn(before, input.from) === input.model) return consignmentView(trx, today);
      after = { changes: [...before.changes.filter((c) => c.from < input.from!), { model: input.model, from: input.from }] };
    }
    await writeSetting(trx, 'consignment.model', after, now);
    await recordEvent(trx, {
      kind: 'settings.changed',
      userId,
      subject: 'consignment.model',
      data: { before, after },
      at: now.toISOString(),
    });
    return consignmentView(trx, today);
  });
}

/**
 * Producers whose goods carry no VAT on the receipt on `day`: selling in their name (mandataire), the shop
 * charges no VAT for a producer who charges none (franchise en base, art. 293 B; agricultural flat rate,
 * art. 298 quater). Under the commissionnaire model the shop sells in its own name: every line has its rate.
 */
export async function producersWithoutVat(db: Db, day: string, among?: readonly number[]): Promise<Set<number>> {
  // A ticket of the shop's own goods only (the restaurant's, mostly) asks nothing of the database.
  if (among && !among.length) return new Set();
  if (modelOn(await consignmentSetting(db), day) !== 'mandataire') return new Set();
  // Asked for every ticket under the mandate model: written in SQL once (db/raw.ts).
  const ids = among ? [...new Set(among)] : [];
  const rows = await cachedRows<{ id: number }>(
    db,
    `select "id" from "producers" where "vat_status" in ('franchise', 'flat_rate')${among ? ` and "id" in (${marks(ids.length)})` : ''}`,
    ids,
  );
  return new Set(rows.map((r) => r.id));
}
