import { execFileSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';

/**
 * Before the PostgreSQL run of the suite: the server the tests use. `TEST_DATABASE_URL` when given (CI sets
 * it), else this machine's PostgreSQL started by scripts/test-postgres.sh. It must answer: a run that
 * cannot reach PostgreSQL fails here, loudly, rather than passing without it. Databases left behind by a run
 * that was killed are dropped (never those of a run still going).
 */
export default async function setup() {
  if (!process.env.TEST_DATABASE_URL) {
    const script = path.resolve(import.meta.dirname, '../../scripts/test-postgres.sh');
    try {
      process.env.TEST_DATABASE_URL = execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
    } catch (e) {
      throw new Error(
        `Les tests sur PostgreSQL n'ont pas de serveur : TEST_DATABASE_URL n'est pas donnée et scripts/test-postgres.sh a échoué (${(e as Error).message}).`,
      );
    }
  }
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      `select datname from pg_database where datname like 'comptoir\\_t%' and datname <> current_database()`,
    );
    // Each name carries the pid of the test process that made it: only those of processes gone are left
    // behind (another run on the same server may be using its own right now).
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch (e) {
        return (e as NodeJS.ErrnoException).code === 'EPERM';
      }
    };
    for (const { datname } of rows) {
      const pid = Number(/^comptoir_t(\d+)_/.exec(datname)?.[1]);
      if (pid && !alive(pid)) await client.query(`drop database if exists "${datname}" with (force)`);
    }
  } finally {
    await client.end();
  }
}
