import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, openSqlite, type OpenDatabase } from '../../db/database.ts';
import type { Db } from '../../db/schema.ts';
import { WriteQueue } from './write-queue.ts';

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
