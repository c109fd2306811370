import fs from 'node:fs';
import { z } from 'zod';
import { MANAGERS, requireUser } from '../http/access.ts';
import { Reply, route } from '../http/route.ts';
import { archivePath, createArchive, listArchives } from './archive.ts';

export const archiveRoutes = [
  route({
    method: 'post',
    path: '/api/archives',
    access: MANAGERS,
    tag: 'closings',
    summary: 'Write the fiscal archive of a closed year (tickets, closings, events, manifest of SHA-256 sums and chain heads)',
    body: z.object({ year: z.string().regex(/^\d{4}$/, 'année attendue au format AAAA') }).strict(),
    handler: async ({ body }, ctx) => {
      const archive = await createArchive(ctx.db, body.year, ctx.services.config.archiveDir, requireUser(ctx).id, ctx.services.now());
      return Reply.created({ name: archive.name, bytes: archive.bytes, sha256: archive.sha256, counts: archive.counts });
    },
  }),
  route({
    method: 'get',
    path: '/api/archives',
    access: MANAGERS,
    tag: 'closings',
    summary: 'Fiscal archives kept on the server',
    handler: async (_, ctx) => listArchives(ctx.services.config.archiveDir),
  }),
  route({
    method: 'get',
    path: '/api/archives/:name',
    access: MANAGERS,
    tag: 'closings',
    summary: 'Download a fiscal archive (.tar.gz), for the accountant or a tax audit',
    params: z.object({ name: z.string().max(80) }).strict(),
    handler: async ({ params }, ctx) =>
      Reply.file(fs.readFileSync(archivePath(ctx.services.config.archiveDir, params.name)), 'application/gzip', params.name),
  }),
];
