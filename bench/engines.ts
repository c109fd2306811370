/**
 * Issue 23: ticket throughput on SQLite (one process) and on PostgreSQL (1 and 4 processes) in the same run,
 * at 10 and 40 tills (`npx tsx bench/engines.ts`; `npm run bench` runs the PostgreSQL part after the SQLite one).
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
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

/**
 * Tickets on PostgreSQL at 10 and 40 tills, on 1 and on 4 server processes (`WORKERS=4`), and how throughput
 * grows from one to the other. Every process serializes its writes on one advisory lock (db/engine.ts), so
 * what more processes bring is the work done outside it (HTTP, JSON, validation, the reads before the lock)
 * spread over more cores; on this 2-core machine the 4 processes, PostgreSQL and the bench's own clients
 * share 2 cores.
 */
export async function benchProcesses(postgres: string): Promise<string[]> {
  const lines: string[] = [];
  const rate = new Map<string, number>();
  for (const processes of [1, 4]) {
    for (const line of await benchTickets([10, 40], 2000, [], { postgres, processes })) {
      if (line.startsWith('TLS handshake')) continue;
      lines.push(line);
      const m = /(\d+) concurrent till\(s\).*?:\s+(\d+) tickets\/s/.exec(line);
      if (m) rate.set(`${processes}:${m[1]}`, Number(m[2]));
    }
  }
  for (const tills of [10, 40]) {
    const one = rate.get(`1:${tills}`);
    const four = rate.get(`4:${tills}`);
    if (one && four)
      lines.push(
        `PostgreSQL, ${tills} tills: 4 processes give ×${(four / one).toFixed(2)} the throughput of 1 (${one}/s → ${four}/s, ${os.cpus().length} cores here)`,
      );
  }
  return lines;
}

if (process.argv[1]?.endsWith('engines.ts')) {
  const postgres = postgresForBench();
  for (const line of await benchTickets([10, 40], 2000, [])) console.log(line);
  if (postgres) for (const line of await benchProcesses(postgres)) console.log(line);
  else console.log('PostgreSQL: no server (BENCH_DATABASE_URL, or scripts/test-postgres.sh)');
}
