import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, openSqlite, type OpenDatabase } from '../../db/database.ts';
import type { Db } from '../../db/schema.ts';
import { WriteQueue } from './write-queue.ts';
import { rawRows, rawRun } from '../../db/raw.ts';

let dir: string;
let database: OpenDatabase;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-wq-'));
  database = await openDatabase(path.join(dir, 'x.sqlite'));
});
afterEach(async () => {
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const addCategory = (trx: Db, slug: string) =>
  trx.insertInto('categories').values({ slug, name: slug, color: '#000000', sort_order: 0 }).execute();
const slugs = async () => (await database.db.selectFrom('categories').select('slug').orderBy('slug').execute()).map((r) => r.slug);

describe('group commit', () => {
  it('writes the jobs that arrive together in one transaction and lets a job refused before writing fail alone', async () => {
    const queue = new WriteQueue(database.db);
    const job = (slug: string, fail = false) =>
      queue.run(async (trx) => {
        if (fail) throw new Error(`refused ${slug}`);
        await addCategory(trx, slug);
        return slug;
      });
    const results = await Promise.allSettled([job('a'), job('b', true), job('c'), job('d')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('refused b');
    expect(await slugs()).toEqual(['a', 'c', 'd']);
  });

  it('rolls back a job that failed halfway and runs the others again, so that only it is lost', async () => {
    const queue = new WriteQueue(database.db);
    let attemptsOfC = 0;
    const results = await Promise.allSettled([
      queue.run((trx) => addCategory(trx, 'a')),
      queue.run(async (trx) => {
        attemptsOfC++;
        await addCategory(trx, 'c');
      }),
      queue.run(async (trx) => {
        await addCategory(trx, 'b1');
        throw new Error('failed after its first row');
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((results[2] as PromiseRejectedResult).reason.message).toBe('failed after its first row');
    // b1 was written then rolled back with the whole batch; a and c were written again, once each.
    expect(await slugs()).toEqual(['a', 'c']);
    expect(attemptsOfC).toBe(2);
  });

  it('gathers the jobs that arrive in the same turn of the event loop into one transaction', async () => {
    const queue = new WriteQueue(database.db);
    const other = openSqlite(database.file);
    let seenByAnotherConnection = -1;
    await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((s) =>
        queue.run(async (trx) => {
          await addCategory(trx, s);
          // From another connection, nothing of the batch is visible before its single commit.
          if (s === 'e') seenByAnotherConnection = (other.prepare('select count(*) as n from categories').get() as { n: number }).n;
        }),
      ),
    );
    other.close();
    expect(seenByAnotherConnection).toBe(0);
    expect(await slugs()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe('statements run directly on SQLite (db/raw.ts)', () => {
  const insertRaw = (db: Db, slug: string) =>
    rawRun(db, 'insert into "categories" ("slug", "name", "color", "sort_order") values (?, ?, \'#000000\', 0)', [slug, slug]);

  it('inside the queue’s transaction: a raw write is part of it, rolled back with it when its job fails halfway', async () => {
    const queue = new WriteQueue(database.db);
    const results = await Promise.allSettled([
      queue.run(async (trx) => {
        await insertRaw(trx, 'kept');
        // Its own write is seen by its next read, on the same connection and transaction.
        return (await rawRows<{ n: number }>(trx, 'select count(*) as n from "categories" where "slug" = ?', ['kept']))[0]!.n;
      }),
      queue.run(async (trx) => {
        await insertRaw(trx, 'half');
        throw new Error('failed after writing');
      }),
    ]);
    expect(results[0]).toEqual({ status: 'fulfilled', value: 1 });
    expect(results[1]!.status).toBe('rejected');
    // Had the raw write gone around the transaction, "half" would have stayed.
    expect(await slugs()).toEqual(['kept']);
  });

  it('outside a transaction: a read waits while one is open, and never sees its rows before they are committed', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let begun!: () => void;
    const inside = new Promise<void>((resolve) => (begun = resolve));
    const open = database.db.transaction().execute(async (trx) => {
      await addCategory(trx, 'pending');
      begun();
      await held;
    });
    await inside;
    let answered: { slug: string }[] | null = null;
    const read = rawRows<{ slug: string }>(database.db, 'select "slug" from "categories"', []).then((rows) => (answered = rows));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Still waiting for the connection: run at once, it would have read the uncommitted row.
    expect(answered).toBeNull();
    release();
    await open;
    expect(await read).toEqual([{ slug: 'pending' }]);
    // With no transaction open, it runs at once (and reads what is committed).
    expect(await rawRows(database.db, 'select "slug" from "categories"', [])).toEqual([{ slug: 'pending' }]);
  });
});
