import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyEventChain } from '../server/journal/events.ts';
import { PrintQueue } from '../server/printing/queue.ts';
import { ErrorLog, runningMarker } from '../server/system/jet.ts';
import { version } from '../server/system/version.ts';
import { ADMIN, startTestShop, type TestShop } from './support/harness.ts';
import { shopSql } from './support/shop-sql.ts';

// The JET (issue 20 item 4): each technical and administrative event, read back from the chained log.
let now = new Date('2026-12-04T09:00:00Z');

describe('the event log records start, stop, errors, verify runs, prints, settings, users and tills', () => {
  let shop: TestShop;
  /** The log, oldest first, of one kind (the route answers newest first). */
  const events = async (kind: string) =>
    ((await shop.admin.get(`/api/events?kind=${kind}&limit=200`)).body as { kind: string; subject: string | null; data: any }[])
      .filter((e) => e.kind === kind)
      .reverse();
  const relogin = async () => expect((await shop.admin.post('/api/auth/login', ADMIN)).status).toBe(200);

  beforeAll(async () => {
    shop = await startTestShop({ now: () => now, env: { PRINTERS_LOCAL: 'on' } });
  });
  afterAll(async () => shop?.close());

  it('logs each start with the version and whether the last stop was clean (marker file or a start without a stop)', async () => {
    // First start of this file: no earlier run to judge (null).
    expect((await events('system.started')).map((e) => e.data)).toEqual([{ version, pid: process.pid, previousStopClean: null }]);
    expect(fs.existsSync(runningMarker(shop.dataDir))).toBe(true);
    await shop.restart();
    await relogin();
    expect((await events('system.stopped')).map((e) => e.data)).toEqual([{ version, reason: 'close' }]);
    expect((await events('system.started')).map((e) => e.data.previousStopClean)).toEqual([null, true]);

    // A crash: the process ends without its clean stop, so its marker stays (written back as it was).
    const marker = fs.readFileSync(runningMarker(shop.dataDir));
    await shop.stop();
    expect(fs.existsSync(runningMarker(shop.dataDir))).toBe(false);
    fs.writeFileSync(runningMarker(shop.dataDir), marker);
    await shop.restart();
    await relogin();
    expect((await events('system.started')).map((e) => e.data.previousStopClean)).toEqual([null, true, false]);
  });

  it('logs a route that answered 500, at most once a minute per message, with the count', async () => {
    // A table gone from under the server: listing categories fails with "no such table".
    const q = await shopSql(shop);
    await q.run('alter table categories rename to categories_gone');
    try {
      for (let i = 0; i < 3; i++) expect((await shop.admin.get('/api/categories')).status).toBe(500);
      // Written beside the answer, not before it: waited for.
      await expect.poll(async () => (await events('system.error')).length).toBe(1);
      const errors = await events('system.error');
      expect(errors[0]!.data).toMatchObject({ message: expect.stringMatching(/no such table|does not exist/), count: 1, status: 500 });
      // A minute later: the next one is written, counting the two held back and itself (2 + 1 = 3).
      now = new Date(now.getTime() + 61_000);
      expect((await shop.admin.get('/api/categories')).status).toBe(500);
      await expect.poll(async () => (await events('system.error')).map((e) => e.data.count)).toEqual([1, 3]);
    } finally {
      await q.run('alter table categories_gone rename to categories');
      await q.close();
    }
  });

  it('on PostgreSQL, keeps the minute across processes: a message another process logged is held, then counted', async () => {
    // Two processes' error logs on the same database (on SQLite one process holds the database: nothing to share).
    if (shop.server.database.engine !== 'postgres') return;
    const message = `panne partagée ${Date.now()}`;
    const first = new ErrorLog(shop.server.database.db, () => now);
    const second = new ErrorLog(shop.server.database.db, () => now);
    expect(await first.report(message, { route: 'GET /a' })).toBe(true);
    expect(await second.report(message, { route: 'GET /b' })).toBe(false);
    // A minute after the first process logged it, the second writes its own with what it held (1 + 1 = 2).
    now = new Date(now.getTime() + 61_000);
    expect(await second.report(message, { route: 'GET /b' })).toBe(true);
    const logged = (await events('system.error')).filter((e) => e.data.message === message);
    expect(logged.map((e) => [e.data.route, e.data.count])).toEqual([
      ['GET /a', 1],
      ['GET /b', 2],
    ]);
  });

  it('logs settings changes with before and after, user and till changes, training mode on and off', async () => {
    const options = (await shop.admin.get('/api/settings')).body.till;
    expect((await shop.admin.put('/api/settings/till', { ...options, autoLockSeconds: 60 })).status).toBe(200);
    const [changed] = (await events('settings.changed')).slice(-1);
    expect(changed!.subject).toBe('till.options');
    expect(changed!.data.before.autoLockSeconds).toBe(options.autoLockSeconds);
    expect(changed!.data.after.autoLockSeconds).toBe(60);

    const user = await shop.admin.post('/api/users', { displayName: 'Lucie', role: 'cashier', pin: '4826' });
    expect(user.status).toBe(201);
    expect((await shop.admin.patch(`/api/users/${user.body.id}`, { active: false })).status).toBe(200);
    expect((await shop.admin.patch(`/api/users/${user.body.id}`, { active: true })).status).toBe(200);
    expect((await events('user.deactivated')).map((e) => e.subject)).toEqual([`user:${user.body.id}`]);
    expect((await events('user.reactivated')).map((e) => e.subject)).toEqual([`user:${user.body.id}`]);
    expect((await events('user.updated'))[0]!.data).toMatchObject({ before: { active: true }, after: { active: false } });

    expect((await shop.admin.patch('/api/tills/1', { trainingMode: true })).status).toBe(200);
    expect((await shop.admin.patch('/api/tills/1', { trainingMode: false })).status).toBe(200);
    expect((await shop.admin.patch('/api/tills/1', { active: false })).status).toBe(200);
    expect((await events('till.training_on')).map((e) => e.subject)).toEqual(['till:1']);
    expect((await events('till.training_off')).map((e) => e.subject)).toEqual(['till:1']);
    expect((await events('till.deactivated')).map((e) => e.subject)).toEqual(['till:1']);
    expect((await events('till.updated'))[0]!.data).toMatchObject({ before: { trainingMode: false }, after: { trainingMode: true } });
    expect((await shop.admin.patch('/api/tills/1', { active: true })).status).toBe(200);
  });

  it('logs a print job’s automatic retry and its cancellation by hand', async () => {
    // A printer nobody answers on (port 9 of the loopback: closed): the first attempt fails.
    const printer = await shop.admin.post('/api/printers', {
      name: 'Absente',
      role: 'receipt',
      uri: 'tcp://127.0.0.1:9',
      columns: 48,
      codePage: 'pc858',
      drawer: false,
    });
    expect(printer.status).toBe(201);
    const jobId = await PrintQueue.add(
      shop.server.database.db,
      { printerId: printer.body.id, kind: 'receipt', subject: 'test', bytes: new Uint8Array([0x41, 0x0a]), createdBy: null },
      now,
    );
    shop.server.services.prints!.kick();
    let retried: any[] = [];
    for (let i = 0; i < 100 && !retried.length; i++) {
      await new Promise((r) => setTimeout(r, 100));
      retried = await events('print.retried');
    }
    expect(retried[0]).toMatchObject({ subject: `print_job:${jobId}`, data: { automatic: true, attempts: 1 } });
    expect((await shop.admin.post(`/api/print-jobs/${jobId}/cancel`)).status).toBe(204);
    expect((await events('print.cancelled')).map((e) => e.subject)).toEqual([`print_job:${jobId}`]);
  });

  it('logs each verify run and its result, and the whole log still verifies as a chain', async () => {
    const report = await shop.admin.get('/api/journal/verify');
    expect(report.body.ok).toBe(true);
    expect((await events('journal.verified')).map((e) => e.data)).toEqual([
      { ok: true, problems: 0, tickets: 0, events: report.body.events, closings: 0, via: 'route' },
    ]);
    const chain = await verifyEventChain(shop.server.database.db);
    expect(chain.problems).toEqual([]);
    const q = await shopSql(shop);
    const kinds = new Set((await q.all<{ kind: string }>('select kind from events')).map((r) => r.kind));
    await q.close();
    for (const k of [
      'system.started',
      'system.stopped',
      'system.error',
      'settings.changed',
      'user.deactivated',
      'till.training_on',
      'print.retried',
      'print.cancelled',
      'journal.verified',
    ])
      expect(kinds.has(k), k).toBe(true);
  });
});
