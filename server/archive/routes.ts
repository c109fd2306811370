import { archiveApi } from '../../shared/api/archive.ts';
import { requireUser } from '../auth/access.ts';
import { MANAGERS } from '../http/access.ts';
import { Reply, serve } from '../http/route.ts';
import { archiveYear, listArchives, readArchive } from './archive.ts';

export const archiveRoutes = [
  serve(archiveApi.create, {
    access: MANAGERS,
    network: true,
    tag: 'closings',
    summary: 'Write the fiscal archive of a closed year (tickets, closings, events, manifest of SHA-256 sums and chain heads)',
    handler: async ({ body }, ctx) =>
      Reply.created(
        await archiveYear(ctx.db, { dir: ctx.services.config.archiveDir, userId: requireUser(ctx).id, now: ctx.services.now() }, body.year),
      ),
  }),
  serve(archiveApi.list, {
    access: MANAGERS,
    network: true,
    tag: 'closings',
    summary: 'Fiscal archives kept on the server',
    handler: async (_, ctx) => listArchives(ctx.services.config.archiveDir),
  }),
  serve(archiveApi.download, {
    access: MANAGERS,
    network: true,
    tag: 'closings',
    summary: 'Download a fiscal archive (.tar.gz), for the accountant or a tax audit',
    handler: async ({ params }, ctx) =>
      Reply.file(readArchive(ctx.services.config.archiveDir, params.name), 'application/gzip', params.name),
  }),
];
