import { z } from 'zod';
import { endpoint, fileResponse } from './contract.ts';
import { eventsQuery } from './admin.ts';

const int = z.number().int();

/** One entry of the event log: who did what sensitive thing, when (its data as recorded). */
export const eventView = z.strictObject({
  id: int,
  at: z.string(),
  kind: z.string(),
  subject: z.string().nullable(),
  userId: int.nullable(),
  by: z.string().nullable(),
  data: z.unknown(),
});
export type EventView = z.infer<typeof eventView>;

/** What re-walking every chain found: counts, and each problem with the record it is about. */
export const verifyReport = z.strictObject({
  ok: z.boolean(),
  tickets: int,
  closings: int,
  grandTotalCents: int,
  events: int,
  /** Worker threads used (0: in the server's own thread). */
  threads: int,
  /** The public keys the journal was signed with (old ones kept), the active key's fingerprint, what was checked. */
  signing: z.strictObject({
    keys: z.array(z.strictObject({ id: int, fingerprint: z.string(), createdAt: z.string(), retiredAt: z.string().nullable() })),
    fingerprint: z.string().nullable(),
    heads: int,
    closingSignatures: int,
  }),
  /** Lines read from the witness file (DATA_DIR/witness/journal.log); null when there is none. */
  witness: z
    .strictObject({
      lines: int,
      /**
       * Restores made with `cli restore`, each with its `backup.restored` event and the records it took back
       * (witnessed, then gone with the restore): logged and explained, so not problems.
       */
      restores: z.array(
        z.strictObject({
          eventId: int,
          at: z.string(),
          backup: z.string().nullable(),
          takenBack: z.array(z.strictObject({ chain: z.string(), label: z.string(), from: int, to: int, count: int })),
        }),
      ),
    })
    .nullable(),
  problems: z.array(z.strictObject({ record: z.string(), fault: z.string(), detail: z.string() })),
});

export const backupView = z.strictObject({ name: z.string(), bytes: int, createdAt: z.string() });

export const systemApi = {
  health: endpoint({
    method: 'get',
    path: '/api/health',
    response: z.strictObject({
      ok: z.literal(true),
      version: z.string(),
      demo: z.boolean(),
      /** The address printed in receipts' QR codes (PUBLIC_URL); null: the one each tablet used. */
      publicUrl: z.string().nullable(),
    }),
  }),
  events: endpoint({ method: 'get', path: '/api/events', query: eventsQuery, response: z.array(eventView) }),
  verify: endpoint({ method: 'get', path: '/api/journal/verify', response: verifyReport }),
  backups: endpoint({ method: 'get', path: '/api/backups', response: z.array(backupView) }),
  backupNow: endpoint({
    method: 'post',
    path: '/api/backups',
    response: z.strictObject({ name: z.string(), bytes: int }),
  }),
  backup: endpoint({
    method: 'get',
    path: '/api/backups/:name',
    params: z.object({ name: z.string().max(80) }).strict(),
    response: fileResponse('application/vnd.sqlite3'),
  }),
  openApi: endpoint({ method: 'get', path: '/api/openapi.json', response: z.record(z.string(), z.unknown()) }),
};
