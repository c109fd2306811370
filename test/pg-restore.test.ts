import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aProducer,
  aProduct,
  aTestDatabase,
  aUser,
  dropTestDatabase,
  shopEnv,
  startTestShop,
  testEngine,
  type TestShop,
} from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

async function cli(env: Record<string, string>, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(tsx, ['server/cli.ts', ...args], { cwd: root, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/**
 * PostgreSQL: a backup restored with pg_restore (as docs/postgresql.md says) is recorded with
 * `cli record-restore`, as `cli restore` records one on SQLite. A probe found a correct recovery read as
 * tampering for good: verify named the tickets after the backup « truncated », and nothing could say why.
 * Till 1 sells n° 1, the backup is taken, it sells n° 2 and 3; the backup is restored into a new database.
 */
describe.skipIf(testEngine !== 'postgres')('a PostgreSQL restore, recorded', () => {
  let shop: TestShop;
  const other = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-restored-'));

  beforeAll(async () => {
    shop = await startTestShop();
  });
  afterAll(async () => {
    await shop.close();
    await dropTestDatabase(other);
    fs.rmSync(other, { recursive: true, force: true });
  });

  it('names what the backup lacked under the restore, and verifies', async () => {
    const ferme = await aProducer(shop.admin);
    const productId = (await aProduct(shop.admin, { name: 'Miel', producerId: ferme.id, priceCents: 900 })).id;
    await shop.admin.post('/api/stock/deposits', { producerId: ferme.id, lines: [{ productId, quantity: 10 }] });
    const till = (await aUser(shop, 'cashier')).client;
    const sell = async (number: number) =>
      expect(
        (
          await till.post('/api/sales', {
            id: uuidv7(),
            tillId: 1,
            number,
            createdAt: new Date().toISOString(),
            lines: [{ productId, quantity: 1, unitPriceCents: 900 }],
            payments: [{ method: 'card', amountCents: 900 }],
            totalCents: 900,
          })
        ).status,
      ).toBe(201);
    await sell(1);
    const env = shopEnv(shop.dataDir);
    expect((await cli(env, 'backup')).code).toBe(0);
    const dir = path.join(shop.dataDir, 'backups');
    const file = path.join(
      dir,
      fs.readdirSync(dir).find((f) => f.endsWith('.pgdump'))!,
    );
    await sell(2);
    await sell(3);
    await shop.stop();

    // Restored as the documentation says: pg_restore into an empty database, the same DATA_DIR (keys, witness).
    const url = await aTestDatabase(other);
    await run('pg_restore', ['--no-owner', `--dbname=${url}`, file]);
    const restoredEnv = { DATA_DIR: shop.dataDir, DATABASE_URL: url };
    const before = await cli(restoredEnv, 'verify');
    expect(before.code).toBe(2);
    expect((JSON.parse(before.stdout) as { problems: { fault: string }[] }).problems.map((p) => p.fault)).toContain('truncated');

    const recorded = await cli(restoredEnv, 'record-restore', file);
    expect(recorded.code, recorded.stderr).toBe(0);
    // Tickets 2 and 3 of till 1: seen by the witness, not in the backup.
    expect(recorded.stdout).toContain('2 ticket(s) que le témoin avait vus ne sont pas dans la base restaurée');
    const after = await cli(restoredEnv, 'verify');
    const report = JSON.parse(after.stdout) as {
      ok: boolean;
      problems: unknown[];
      witness: { restores: { backup: string; takenBack: { chain: string; from: number; to: number }[] }[] };
    };
    expect(report.problems).toEqual([]);
    expect(after.code).toBe(0);
    expect(report.witness.restores.at(-1)!.backup).toBe(path.basename(file));
    expect(report.witness.restores.at(-1)!.takenBack).toContainEqual(expect.objectContaining({ chain: 'till:1', from: 2, to: 3 }));
    // On SQLite, `restore` does it itself: the command says so.
    expect((await cli({ DATA_DIR: other }, 'record-restore', file)).code).toBe(1);
  }, 180_000);
});
