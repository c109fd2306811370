import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { sendJson } from './plain.ts';
import { withoutTrailingSlash } from './route-table.ts';
import { sql, type Kysely } from 'kysely';

/**
 * A limit per client address on the routes a guesser hammers (issue 19, item 4): logins, PINs, approvals,
 * unlocks, pairing, invitations and the digital receipts. It is the outer fence; the per-person and
 * per-tablet counts (server/auth/limiter.ts) are the inner one.
 *
 * A token bucket per address and group: `burst` requests at once, refilled at `perMinute`. A shop's rush
 * never meets it: each tablet has its own address, and a cashier logs in a few times an hour (the numbers
 * are ten times what a busy tablet does; `test/rate-limit.test.ts` runs ten tablets logging in and selling).
 * Over the limit: 429 with `Retry-After` in seconds, a French sentence, and nothing done.
 */
export interface Bucket {
  burst: number;
  perMinute: number;
}

export const RATE_GROUPS: { name: string; test: (method: string, path: string) => boolean; bucket: Bucket }[] = [
  {
    name: 'auth',
    test: (m, p) => m === 'POST' && /^\/api\/(auth\/(login|pin|approve|unlock)|devices\/pair)$/.test(p),
    bucket: { burst: 30, perMinute: 30 },
  },
  { name: 'invitation', test: (_m, p) => /^\/api\/invitations\//.test(p), bucket: { burst: 20, perMinute: 10 } },
  { name: 'receipt', test: (_m, p) => /^\/r\//.test(p), bucket: { burst: 60, perMinute: 60 } },
];

interface State {
  tokens: number;
  at: number;
}

/** Seconds to wait (0: the request may go), counted in this process or in the database several share. */
export interface Limiter {
  take(key: string, bucket: Bucket): number | Promise<number>;
}

export class RateLimiter implements Limiter {
  private readonly buckets = new Map<string, State>();
  private sweptAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Seconds to wait, or 0 when the request may go. */
  take(key: string, bucket: Bucket): number {
    const t = this.now();
    this.sweep(t);
    const rate = bucket.perMinute / 60_000;
    const s = this.buckets.get(key) ?? { tokens: bucket.burst, at: t };
    s.tokens = Math.min(bucket.burst, s.tokens + (t - s.at) * rate);
    s.at = t;
    this.buckets.set(key, s);
    if (s.tokens >= 1) {
      s.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - s.tokens) / rate / 1000));
  }

  /** Full buckets are forgotten (every ten minutes): the map holds only addresses seen lately. */
  private sweep(t: number) {
    if (t - this.sweptAt < 600_000) return;
    this.sweptAt = t;
    for (const [k, s] of this.buckets) if (t - s.at > 600_000) this.buckets.delete(k);
  }
}

/**
 * The same buckets in the PostgreSQL database several server processes share (an address's guesses are
 * counted once, whatever process each request reaches): one atomic upsert per request on the guarded routes.
 * A request refused takes no token (hammering does not push the wait further). Should the database not
 * answer, this process's own buckets count meanwhile.
 */
export class SharedRateLimiter implements Limiter {
  private readonly local: RateLimiter;
  private sweptAt = 0;
  constructor(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    private readonly db: Kysely<any>,
    private readonly now: () => number = Date.now,
  ) {
    this.local = new RateLimiter(now);
  }

  async take(key: string, bucket: Bucket): Promise<number> {
    const t = this.now();
    const rate = bucket.perMinute / 60_000;
    try {
      const fresh = sql`least(${bucket.burst}::float8, rate_buckets.tokens + (${t}::int8 - rate_buckets.at) * ${rate}::float8)`;
      const row = (
        await sql<{ tokens: number; ok: boolean }>`
          insert into rate_buckets (key, tokens, at, ok) values (${key}, ${bucket.burst - 1}::float8, ${t}::int8, true)
          on conflict (key) do update set
            tokens = case when ${fresh} >= 1 then ${fresh} - 1 else ${fresh} end,
            ok = ${fresh} >= 1,
            at = ${t}::int8
          returning tokens, ok`.execute(this.db)
      ).rows[0]!;
      if (t - this.sweptAt > 600_000) {
        this.sweptAt = t;
        await sql`delete from rate_buckets where at < ${t - 600_000}::int8`.execute(this.db);
      }
      if (row.ok) return 0;
      return Math.max(1, Math.ceil((1 - Number(row.tokens)) / rate / 1000));
    } catch {
      return this.local.take(key, bucket);
    }
  }
}

/**
 * The fence for one request: false when it may go on, true when it was answered 429 (or a promise of either,
 * when the count is in the database).
 */
export function rateLimitGate(limiter: Limiter, onLimited?: (group: string, ip: string) => void) {
  return (method: string, path: string, ip: string, res: ServerResponse): boolean | Promise<boolean> => {
    // Judged on the path as the routes are found (server/http/route-table.ts): whatever its case, with or
    // without one trailing slash. `/API/auth/login/` is the login route, and counts as one.
    const key = withoutTrailingSlash(path).toLowerCase();
    const group = RATE_GROUPS.find((g) => g.test(method, key));
    if (!group) return false;
    const wait = limiter.take(`${group.name}:${ip}`, group.bucket);
    const answer = (wait: number) => {
      if (!wait) return false;
      onLimited?.(group.name, ip);
      res.setHeader('retry-after', String(wait));
      sendJson(res, 429, {
        error: {
          code: 'rate_limited',
          message: `Trop de demandes depuis cet appareil : réessayez dans ${wait} s.`,
          fields: [{ field: 'address', reason: `plus de ${group.bucket.perMinute} demandes par minute` }],
        },
      });
      return true;
    };
    return typeof wait === 'number' ? answer(wait) : wait.then(answer);
  };
}

/** The same fence for the pages express serves. */
export function rateLimit(limiter: Limiter, onLimited?: (group: string, ip: string) => void) {
  const gate = rateLimitGate(limiter, onLimited);
  return (req: Request, res: Response, next: NextFunction) => {
    const answered = gate(req.method, req.path, req.ip ?? req.socket.remoteAddress ?? '', res);
    if (answered === false) return next();
    if (answered !== true) answered.then((done) => (done ? undefined : next()), next);
  };
}
