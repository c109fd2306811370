import fs from 'node:fs';
import { z } from 'zod';
import { eventsQuery } from '../../shared/api/admin.ts';
import { backupPath, createBackup, listBackups } from '../backup/backup.ts';
import { recordEvent } from '../events/event-log.ts';
import { MANAGERS, requireUser } from '../http/access.ts';
import { Reply, route } from '../http/route.ts';
import { isDemo } from '../settings/settings.ts';
import { verifyAll } from './verify.ts';
import { version } from './version.ts';

export const systemRoutes = [
  route({
    method: 'get',
    path: '/api/health',
    access: 'public',
    tag: 'system',
    summary: 'Liveness: `{ ok: true, version }`',
    handler: async (_, ctx) => {
      await ctx.db.selectFrom('settings').select('key').limit(1).execute();
      return { ok: true, version, demo: await isDemo(ctx.db) };
    },
  }),
  route({
    method: 'get',
    path: '/api/events',
    access: MANAGERS,
    tag: 'system',
    summary: 'The event log (who did what sensitive thing when), newest first',
    query: eventsQuery,
    handler: async ({ query }, ctx) => {
      let q = ctx.db
        .selectFrom('events')
        .leftJoin('users', 'users.id', 'events.user_id')
        .select(['events.id', 'events.at', 'events.kind', 'events.subject', 'events.data', 'events.user_id', 'users.display_name']);
      if (query.kind) q = q.where('events.kind', 'like', `${query.kind}%`);
      if (query.beforeId) q = q.where('events.id', '<', query.beforeId);
      const rows = await q.orderBy('events.id', 'desc').limit(query.limit).execute();
      return rows.map((r) => ({
        id: r.id,
        at: r.at,
        kind: r.kind,
        subject: r.subject,
        userId: r.user_id,
        by: r.display_name,
        data: JSON.parse(r.data),
      }));
    },
  }),
  route({
    method: 'get',
    path: '/api/journal/verify',
    access: MANAGERS,
    tag: 'system',
    summary: 'Re-walk every chain (events, and tickets and closings once recorded) and re-sum the stock ledger',
    handler: async (_, ctx) => verifyAll(ctx.db, { file: ctx.services.config.dbFile }),
  }),
  route({
    method: 'get',
    path: '/api/backups',
    access: MANAGERS,
    tag: 'system',
    summary: 'Backups kept on the server, newest first',
    handler: async (_, ctx) => listBackups(ctx.services.config.backupDir),
  }),
  route({
    method: 'post',
    path: '/api/backups',
    access: MANAGERS,
    tag: 'system',
    summary: 'Take a backup now (SQLite online backup, integrity-checked)',
    handler: async (_, ctx) => {
      const now = ctx.services.now();
      const backup = await createBackup(ctx.services.sqlite, ctx.services.config.backupDir, now);
      await recordEvent(ctx.db, {
        kind: 'backup.created',
        userId: requireUser(ctx).id,
        subject: backup.name,
        data: { bytes: backup.bytes },
        at: now.toISOString(),
      });
      return Reply.created({ name: backup.name, bytes: backup.bytes });
    },
  }),
  route({
    method: 'get',
    path: '/api/backups/:name',
    access: ['admin'],
    tag: 'system',
    summary: 'Download a backup (admins only: it holds every account and sale)',
    params: z.object({ name: z.string().max(80) }).strict(),
    handler: async ({ params }, ctx) => {
      const file = backupPath(ctx.services.config.backupDir, params.name);
      return Reply.file(fs.readFileSync(file), 'application/vnd.sqlite3', params.name);
    },
  }),
];
