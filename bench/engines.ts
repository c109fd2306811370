/**
 * Issue 23: ticket throughput on SQLite and on PostgreSQL in the same run, one server process each, at 10 and
 * 40 tills (`npx tsx bench/engines.ts`; `npm run bench` runs the PostgreSQL part after the SQLite one).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { benchTickets } from './tickets.ts';

/** The PostgreSQL server to bench on: BENCH_DATABASE_URL, or this machine's (scripts/test-postgres.sh); null if none. */
export function postgresForBench(): string | null {
  if (process.env.BENCH_DATABASE_URL) return process.env.BENCH_DATABASE_URL;
  try {
    return execFileSync('bash', [path.resolve(import.meta.dirname, '../scripts/test-postgres.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

if (process.argv[1]?.endsWith('engines.ts')) {
  const postgres = postgresForBench();
  for (const line of await benchTickets([10, 40], 2000, [])) console.log(line);
  if (postgres) for (const line of await benchTickets([10, 40], 2000, [], { postgres })) console.log(line);
  else console.log('PostgreSQL: no server (BENCH_DATABASE_URL, or scripts/test-postgres.sh)');
}
