import { z } from 'zod';
import { endpoint, fileResponse } from './contract.ts';

const int = z.number().int();

export const archiveBody = z.object({ year: z.string().regex(/^\d{4}$/, 'année attendue au format AAAA') }).strict();

export const archiveCreated = z.strictObject({
  name: z.string(),
  bytes: int,
  sha256: z.string(),
  counts: z.strictObject({ tickets: int, closings: int, events: int }),
});

/** A fiscal archive kept on the server (`.tar.gz`). */
export const archiveEntry = z.strictObject({ name: z.string(), bytes: int });
export type ArchiveEntry = z.infer<typeof archiveEntry>;

export const archiveApi = {
  create: endpoint({ method: 'post', path: '/api/archives', body: archiveBody, response: archiveCreated }),
  list: endpoint({ method: 'get', path: '/api/archives', response: z.array(archiveEntry) }),
  download: endpoint({
    method: 'get',
    path: '/api/archives/:name',
    params: z.object({ name: z.string().max(80) }).strict(),
    response: fileResponse('application/gzip'),
  }),
};
