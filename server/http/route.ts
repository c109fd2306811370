import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database, Role } from '../../db/schema.ts';
import type { AppServices } from '../services.ts';
import type { DeviceIdentity, SessionUser } from '../auth/identity.ts';
import type { Endpoint, HandlerOutput, Method, ResponseSpec } from '../../shared/api/contract.ts';

/** Who may call a route. `device` is a paired till (its device cookie), with or without a cashier logged in. */
export type Principal = Role | 'device';
export type Access = 'public' | 'authenticated' | readonly Principal[];

export interface CookieOptions {
  maxAgeSeconds?: number;
}

export interface RequestContext {
  db: Kysely<Database>;
  services: AppServices;
  user: SessionUser | null;
  device: DeviceIdentity | null;
  requestId: string;
  ip: string;
  /** Came through the public reverse proxy with `PROXY_ACCESS=portal`: only the producers' side is open. */
  remote: boolean;
  userAgent: string;
  /**
   * The site a network-wide manager asked for (the `Comptoir-Site` header, a site id): where outlets named by
   * their kind are looked up. A manager tied to one site, or a till, always works at its own (server/sites).
   */
  askedSite: number | null;
  /** `http://host:port` as the caller reached us: for links printed or shown (the digital receipt's QR code). */
  origin: string;
  setCookie(name: string, value: string, options?: CookieOptions): void;
  clearCookie(name: string): void;
}

/** A reply other than `200 application/json`: its body typed as the endpoint's response (`never` for files and 204). */
export class Reply<T = unknown> {
  constructor(
    readonly status: number,
    readonly body: T,
    readonly contentType?: string,
    readonly headers: Record<string, string> = {},
  ) {}
  static created<T>(body: T): Reply<T> {
    return new Reply(201, body);
  }
  static noContent(): Reply<never> {
    return new Reply(204, undefined as never);
  }
  static file(body: Buffer | string, contentType: string, filename?: string): Reply<never> {
    return new Reply(200, body as never, contentType, filename ? { 'content-disposition': attachment(filename) } : {});
  }
}

/**
 * A download's name, any letters in it (« Œufs Łukasz », a producer's name): plain ASCII for every browser
 * (accents dropped, anything else `_`), and the name itself UTF-8 encoded (RFC 6266) for those that read it.
 * A header may only carry Latin-1: a name with « Œ » answered 500.
 */
const LATIN: Record<string, string> = { œ: 'oe', Œ: 'OE', æ: 'ae', Æ: 'AE', ł: 'l', Ł: 'L', ø: 'o', Ø: 'O', ß: 'ss', đ: 'd', Đ: 'D' };

export function attachment(filename: string): string {
  const plain = filename
    .replace(/[œæłøßđ]/gi, (c) => LATIN[c] ?? '_')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return plain === filename ? `attachment; filename="${filename}"` : `attachment; filename="${plain}"; filename*=UTF-8''${encoded}`;
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
}

export interface RouteDef {
  method: Method;
  path: string;
  access: Access;
  /** Also requires a paired till (device cookie): what a cashier rings must come from a till. */
  needsDevice?: boolean;
  /**
   * The network's business as a whole (its accounts, statements, archives, settings, event log): a manager
   * tied to one site is refused it, whatever the route's roles say.
   */
  network?: boolean;
  summary: string;
  tag: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** `text` accepts `text/csv` or `text/plain` bodies (CSV imports), parsed by the handler. */
  bodyKind: 'json' | 'text' | 'pdf' | 'none';
  /** What it answers (`shared/api`): every route has one, checked under the tests. */
  response: ResponseSpec;
  handler: (input: RouteInput<any, any, any>, ctx: RequestContext) => Promise<unknown>;
}

type Out<S, Otherwise> = S extends z.ZodType ? z.output<S> : Otherwise;

/** What a route adds to its endpoint: who may call it, how it is described, what it does. */
export interface RouteSpec<E extends Endpoint> {
  access: Access;
  needsDevice?: boolean;
  network?: boolean;
  summary: string;
  tag: string;
  handler: (
    input: RouteInput<Out<E['params'], Record<string, never>>, Out<E['query'], Record<string, never>>, Out<E['body'], undefined>>,
    ctx: RequestContext,
  ) => Promise<HandlerOutput<E> | Reply<HandlerOutput<E>>>;
}

/** A route over a shared endpoint (`shared/api`): its handler must return what the endpoint's response schema describes. */
export function serve<E extends Endpoint>(endpoint: E, spec: RouteSpec<E>): RouteDef {
  return { ...endpoint, ...spec, bodyKind: endpoint.bodyKind ?? (endpoint.body ? 'json' : 'none') } as RouteDef;
}

export function admits(
  access: Access,
  user: SessionUser | null,
  device: DeviceIdentity | null,
  needsDevice = false,
  network = false,
): 'yes' | 'unauthenticated' | 'forbidden' | 'network' {
  if (needsDevice && !device) return user ? 'forbidden' : 'unauthenticated';
  // A manager tied to a site works at that site: the network's own business is for its managers.
  if (network && user && (user.role === 'admin' || user.role === 'manager') && user.siteId !== null) return 'network';
  if (access === 'public') return 'yes';
  if (access === 'authenticated') return user ? 'yes' : 'unauthenticated';
  if (user && access.includes(user.role)) return 'yes';
  if (device && access.includes('device')) return 'yes';
  return user || device ? 'forbidden' : 'unauthenticated';
}
