import { z } from 'zod';
import { labelsBody } from './catalog.ts';
import { outletCodeSchema, trimmed, withoutDefaults, urlInt } from './common.ts';
import { endpoint, noContent } from './contract.ts';

/** file:DIR, tcp://host:port, usb:VVVV:PPPP (the server checks the same forms). */
export const printerUriSchema = z
  .string()
  .trim()
  .max(300)
  .regex(
    /^(file:.+|tcp:\/\/([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):\d{1,5}|usb:[0-9a-fA-F]{4}:[0-9a-fA-F]{4})$/,
    'adresse attendue : file:DOSSIER, tcp://hôte:9100 ou usb:VVVV:PPPP',
  );

export const printerBody = z
  .object({
    name: trimmed(1, 60),
    /** The outlet it serves (shop or restaurant); null for both. */
    outlet: outletCodeSchema.nullable().default(null),
    role: z.enum(['receipt', 'kitchen']),
    uri: printerUriSchema,
    /** 48 columns on 80 mm paper, 32 on 58 mm. */
    columns: z.union([z.literal(48), z.literal(32)]).default(48),
    codePage: z.enum(['pc858', 'wpc1252']).default('pc858'),
    /** A cash drawer is wired to it. */
    drawer: z.boolean().default(false),
    active: z.boolean().default(true),
  })
  .strict();

export const printerPatch = z.object(withoutDefaults(printerBody.shape)).partial().strict();

export const printJobsQuery = z
  .object({
    status: z.enum(['queued', 'printing', 'done', 'failed', 'cancelled', 'unconfirmed', 'expired']).optional(),
    printerId: urlInt((n) => n.positive()).optional(),
    limit: urlInt((n) => n.min(1).max(500)).default(100),
  })
  .strict();

export type PrinterBody = z.infer<typeof printerBody>;

// ——— Responses ———

const int = z.number().int();
const idParams = z.object({ id: urlInt((n) => n.positive()) }).strict();

/** Print on this printer; without it, on the shop's first receipt printer that is switched on. */
const printOn = z.object({ printerId: z.number().int().positive().optional() }).strict();

export const printerStateSchema = z.enum(['ready', 'paper-out', 'cover-open', 'offline', 'error', 'unknown']);
export const printJobStatusSchema = z.enum(['queued', 'printing', 'done', 'failed', 'cancelled', 'unconfirmed', 'expired']);

/** A printer as configured in the back office. */
export const printerView = z.strictObject({
  id: int,
  name: z.string(),
  outlet: outletCodeSchema.nullable(),
  role: z.enum(['receipt', 'kitchen']),
  uri: z.string(),
  columns: z.union([z.literal(48), z.literal(32)]),
  codePage: z.enum(['pc858', 'wpc1252']),
  drawer: z.boolean(),
  active: z.boolean(),
});
export type PrinterView = z.infer<typeof printerView>;

/** What the queue knows of a printer: its last state, the jobs waiting and those someone must look at. */
export const printerStatusView = z.strictObject({
  printerId: int,
  name: z.string(),
  state: printerStateSchema,
  waiting: int,
  attention: int,
  lastError: z.string().nullable(),
  at: z.string(),
});

export const printerWithStatus = printerView.extend({ status: printerStatusView.nullable() });
export type PrinterWithStatus = z.infer<typeof printerWithStatus>;

/** One job of the print queue, as the back office lists it. */
export const printJobView = z.strictObject({
  id: int,
  printerId: int,
  printer: z.string(),
  kind: z.string(),
  subject: z.string().nullable(),
  status: printJobStatusSchema,
  attempts: int,
  lastError: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  doneAt: z.string().nullable(),
  /** How staff settled a failed or unconfirmed job, and when. */
  resolution: z.enum(['confirmed', 'reprinted', 'dismissed', 'retried']).nullable(),
  resolvedAt: z.string().nullable(),
});
export type PrintJobView = z.infer<typeof printJobView>;

/** A job someone must look at: given up after its retries, or taken whole without the printer's word. */
export const printJobToCheck = z.strictObject({
  id: int,
  kind: z.string(),
  subject: z.string().nullable(),
  status: z.enum(['failed', 'unconfirmed']),
  attempts: int,
  lastError: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PrintJobToCheck = z.infer<typeof printJobToCheck>;

const queued = z.strictObject({ jobId: int });

export const printingApi = {
  printX: endpoint({
    method: 'post',
    path: '/api/closings/x/print',
    body: printOn.extend({ outlet: outletCodeSchema, day: z.iso.date().optional() }),
    response: queued,
  }),
  printClosing: endpoint({ method: 'post', path: '/api/closings/:id/print', params: idParams, body: printOn, response: queued }),
  printSlip: endpoint({ method: 'post', path: '/api/stock/slips/:id/print', params: idParams, body: printOn, response: queued }),
  printLabels: endpoint({
    method: 'post',
    path: '/api/labels/print',
    body: labelsBody.omit({ skip: true }).extend({ printerId: z.number().int().positive().optional() }).strict(),
    response: z.strictObject({ jobId: int, labels: int }),
  }),
  list: endpoint({ method: 'get', path: '/api/printers', response: z.array(printerWithStatus) }),
  create: endpoint({ method: 'post', path: '/api/printers', body: printerBody, response: printerView }),
  update: endpoint({ method: 'patch', path: '/api/printers/:id', params: idParams, body: printerPatch, response: printerView }),
  testPage: endpoint({ method: 'post', path: '/api/printers/:id/test', params: idParams, response: queued }),
  openDrawer: endpoint({ method: 'post', path: '/api/printers/:id/drawer', params: idParams, response: queued }),
  jobs: endpoint({ method: 'get', path: '/api/print-jobs', query: printJobsQuery, response: z.array(printJobView) }),
  retry: endpoint({ method: 'post', path: '/api/print-jobs/:id/retry', params: idParams, response: noContent }),
  cancel: endpoint({ method: 'post', path: '/api/print-jobs/:id/cancel', params: idParams, response: noContent }),
  attention: endpoint({ method: 'get', path: '/api/printers/:id/attention', params: idParams, response: z.array(printJobToCheck) }),
  reprint: endpoint({ method: 'post', path: '/api/print-jobs/:id/reprint', params: idParams, response: queued }),
  confirm: endpoint({ method: 'post', path: '/api/print-jobs/:id/confirm', params: idParams, response: noContent }),
  dismiss: endpoint({ method: 'post', path: '/api/print-jobs/:id/dismiss', params: idParams, response: noContent }),
};
