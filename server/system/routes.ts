import fs from 'node:fs';
import { systemApi } from '../../shared/api/system.ts';
import { backupPath, listBackups, pruneBackups } from '../backup/backup.ts';
import { listEvents } from '../journal/events.ts';
import { requireUser } from '../auth/access.ts';
import { MANAGERS } from '../http/access.ts';
import { Reply, serve } from '../http/route.ts';
import { verifyAll } from '../journal/verify.ts';
import { backupNow, health } from './system.ts';
import { recordVerify } from './jet.ts';

export const systemRoutes = [
  serve(systemApi.health, {
    access: 'public',
    tag: 'system',
    summary: 'Liveness: `{ ok: true, version }`',
    handler: async (_, ctx) => health(ctx.db, ctx.services.config.PUBLIC_URL ?? null),
  }),
  serve(systemApi.events, {
    access: MANAGERS,
    network: true,
    tag: 'system',
    summary: 'The event log (who did what sensitive thing when), newest first',
    handler: async ({ query }, ctx) => listEvents(ctx.db, query),
  }),
  serve(systemApi.verify, {
    access: MANAGERS,
    network: true,
    tag: 'system',
    summary: 'Re-walk every chain (events, and tickets and closings once recorded) and re-sum the stock ledger',
    handler: async (_, ctx) => {
      // What was committed a moment ago witnessed and under a signed head first: a tail not yet signed is not
      // mistaken for one left unsigned (older heads and the witness still name any rewrite or cut).
      await ctx.services.fiscal?.flush({ all: true });
      const report = await verifyAll(ctx.db, { file: ctx.services.config.dbTarget, dataDir: ctx.services.config.DATA_DIR });
      // Each run and its result is an event (after the walk, so the walk does not cover its own trace).
      await recordVerify(ctx.db, report, { userId: requireUser(ctx).id, via: 'route' }, ctx.services.now());
      return report;
    },
  }),
  serve(systemApi.backups, {
    access: MANAGERS,
    network: true,
    tag: 'system',
    summary: 'Backups kept on the server, newest first',
    handler: async (_, ctx) => listBackups(ctx.services.config.backupDir),
  }),
  serve(systemApi.backupNow, {
    access: MANAGERS,
    network: true,
    tag: 'system',
    summary: 'Take a backup now (SQLite online backup, integrity-checked; pg_dump on PostgreSQL)',
    handler: async (_, ctx) => {
      const config = ctx.services.config;
      const backup = await backupNow(ctx.db, ctx.services.database, config.backupDir, requireUser(ctx).id, ctx.services.now());
      // Kept as the nightly ones are (BACKUP_KEEP, newest first): backups taken again and again no longer fill
      // the disk (found by a security probe).
      pruneBackups(config.backupDir, config.BACKUP_KEEP);
      return Reply.created(backup);
    },
  }),
  serve(systemApi.backup, {
    access: ['admin'],
    network: true,
    tag: 'system',
    summary: 'Download a backup (admins only: it holds every account and sale)',
    handler: async ({ params }, ctx) => {
      const file = backupPath(ctx.services.config.backupDir, params.name);
      return Reply.file(
        fs.readFileSync(file),
        params.name.endsWith('.sqlite') ? 'application/vnd.sqlite3' : 'application/octet-stream',
        params.name,
      );
    },
  }),
];
