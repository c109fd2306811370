/**
 * The accountant's exports and the accounts they post to, as services: each export is an event in the log
 * (who took which period's figures), each change of the plan too.
 */
import type { Kysely } from 'kysely';
import type { AccountPlan } from '../../shared/api/accounting.ts';
import type { Database } from '../../db/schema.ts';
import { requireUser, type Actor } from '../auth/access.ts';
import { recordEvent } from '../journal/events.ts';
import { readSetting, writeSetting } from '../settings/settings.ts';
import { fecFile, salesJournalCsv } from './fec.ts';

type Period = { from: string; to: string };

async function logExport(db: Kysely<Database>, actor: Actor, now: Date, data: Record<string, unknown>) {
  const userId = requireUser(actor).id;
  await db.transaction().execute((trx) => recordEvent(trx, { kind: 'accounting.exported', userId, data, at: now.toISOString() }));
}

/** The FEC of a period (every day that sold must be closed), logged as an export. */
export async function exportFec(db: Kysely<Database>, actor: Actor, period: Period, { now, timeZone }: { now: Date; timeZone: string }) {
  const fec = await fecFile(db, period, timeZone);
  await logExport(db, actor, now, { format: 'fec', ...period, entries: fec.entries });
  return { content: fec.content, filename: fec.filename };
}

/** The sales journal of a period as CSV, logged as an export. */
export async function exportSalesJournal(db: Kysely<Database>, actor: Actor, period: Period, now: Date) {
  const csv = await salesJournalCsv(db, period);
  await logExport(db, actor, now, { format: 'sales-journal', ...period });
  return { csv, filename: `journal-des-ventes-${period.from}-${period.to}.csv` };
}

/** Sets the accounts the exports post to; the change (before and after) is an event. */
export async function changeAccountPlan(db: Kysely<Database>, { userId, now }: { userId: number; now: Date }, plan: AccountPlan) {
  return db.transaction().execute(async (trx) => {
    const before = await readSetting(trx, 'accounting.plan');
    await writeSetting(trx, 'accounting.plan', plan, now);
    await recordEvent(trx, {
      kind: 'settings.changed',
      userId,
      subject: 'accounting.plan',
      data: { before: before ?? null, after: plan },
      at: now.toISOString(),
    });
    return plan;
  });
}
