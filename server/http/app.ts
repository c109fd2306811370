import crypto from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import querystring from 'node:querystring';
import { isConstraintViolation } from '../../db/engine.ts';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Kysely } from 'kysely';
import { TooDeep } from './depth.ts';
import { foreignOrigin, linkOrigin } from './origin.ts';
import { boundToDevice, deviceOf } from '../auth/identity.ts';
import { applySecurityHeaders } from './headers.ts';
import { rateLimit, rateLimitGate, RateLimiter, SharedRateLimiter } from './rate-limit.ts';
import { z } from 'zod';
import type { Database } from '../../db/schema.ts';
import { DEVICE_COOKIE, resolveDevice, resolveSession, SESSION_COOKIE } from '../auth/sessions.ts';
import { SITE_COOKIE, SITE_HEADER } from '../../shared/api/common.ts';
import { DomainError, Forbidden, Invalid, TooManyAttempts, Unauthorized } from '../errors.ts';
import type { AppServices } from '../services.ts';
import type { SessionUser } from '../auth/identity.ts';
import { isSchema } from '../../shared/api/contract.ts';
import { admits, Reply, type RequestContext, type RouteDef } from './route.ts';
import { RouteTable, type RouteMatch } from './route-table.ts';
import { NETWORK_ONLY } from './access.ts';
import { transportGate, transportPolicy } from './transport.ts';
import {
  absoluteTarget,
  bodyType,
  clientIp,
  protocolOf,
  readJsonBody,
  sendBody,
  sendJson,
  setCookie,
  splitUrl,
  type TrustFn,
} from './plain.ts';
import { issueProblems, problemSentence, requestLang } from './validation.ts';
import type { Lang } from '../../shared/i18n/index.ts';
import { insecurePage } from './pages.ts';

z.config(z.locales.fr());

/**
 * Why a handler's result does not match what its endpoint promises (null when it does): JSON that its
 * schema accepts once serialised (every object strict: nothing more than declared), a file for a download,
 * nothing for a 204.
 */
export function responseProblem(def: RouteDef, result: unknown): string | null {
  const spec = def.response;
  const reply = result instanceof Reply ? result : null;
  if (!isSchema(spec)) {
    if (spec.kind === 'none') return reply?.status === 204 ? null : 'réponse 204 attendue';
    return reply?.contentType ? null : `fichier ${spec.contentType} attendu`;
  }
  if (reply?.contentType || reply?.status === 204) return 'JSON attendu';
  const body: unknown = reply ? reply.body : result;
  const parsed = spec.safeParse(body === undefined ? undefined : JSON.parse(JSON.stringify(body)));
  if (parsed.success) return null;
  return parsed.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(racine)'} : ${i.message}`)
    .join(' ; ');
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const key = part.slice(0, i).trim();
    try {
      out[key] = decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      /* a malformed cookie is ignored, like a missing one */
    }
  }
  return out;
}

function zodToInvalid(error: z.ZodError, where: 'body' | 'query' | 'params', input: unknown, lang: Lang, routePath: string): Invalid {
  const { problems, sentences } = issueProblems(error.issues, where, input, lang, routePath);
  return new Invalid(problems, sentences.join(' '));
}

function sendError(res: ServerResponse, err: DomainError, lang: Lang = 'fr', routePath = '') {
  if (err instanceof TooManyAttempts) res.setHeader('retry-after', String(err.retryAfterSeconds));
  // A domain's refusal made of fields is said in the reader's language, without the fields' paths.
  const message =
    err instanceof Invalid && !err.explicit ? err.fields.map((f) => problemSentence(f, lang, routePath)).join(' ') : err.message;
  sendJson(res, err.status, { error: { code: err.code, message, fields: err.fields } });
}

/** What a request carries from the gates before its route to the route (express kept it in `res.locals`). */
interface Locals {
  requestId: string;
  /** `https` or `http`, as express's `req.protocol` says (plain.ts). */
  protocol: string;
  routePath?: string;
  userId?: number | undefined;
  remote?: boolean;
}

/** One request of the API as app.ts serves it: node's request and response, and what was found of them. */
interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  /** Before the query string, not decoded (express's `req.path`). */
  path: string;
  search: string;
  params: Record<string, string>;
  locals: Locals;
}

export interface AppOptions {
  db: Kysely<Database>;
  services: AppServices;
  routes: readonly RouteDef[];
  /** Pages and files served before the API (the enrolment page). */
  pages?: express.Router;
  /** Built client to serve (`client/dist`); absent in API-only tests. */
  clientDir?: string;
}

/**
 * Through the public proxy (`PROXY_ACCESS=portal`) only producers' sessions count: public routes (but not
 * pairing a till), and for a producer their own routes and session (who am I, log out, password).
 */
function reachableFromOutside(def: RouteDef, user: SessionUser | null): boolean {
  if (def.needsDevice || def.path === '/api/devices/pair') return false;
  if (def.access === 'public') return true;
  return user?.role === 'producer' && (def.access === 'authenticated' || def.access.includes('producer'));
}

/** The API's paths (as express's `app.use('/api')` matched them: whatever the case). */
const API_PATH = /^\/api(\/|$)/i;

/** Routes without parameters or query string accept none (built once: a zod schema is costly to make). */
const NOTHING = z.object({}).strict();

/** The server's request handler: the API on node's own objects, the pages and files through express. */
export interface App {
  handle: (req: IncomingMessage, res: ServerResponse) => void;
  /** express's compiled `TRUST_PROXY`: which hops' forwarded headers are believed. */
  trust: TrustFn;
}

export function createApp({ db, services, routes, clientDir, pages }: AppOptions): App {
  const app = express();
  app.disable('x-powered-by');
  // No ETag on API replies: they are never cached, and hashing each body costs every ticket.
  app.set('etag', false);
  // Forwarded headers are believed only from the proxies named in TRUST_PROXY (none by default): anyone
  // else could claim to be HTTPS or another address.
  app.set('trust proxy', services.config.TRUST_PROXY.length ? services.config.TRUST_PROXY : false);
  const trust = app.get('trust proxy fn') as TrustFn;

  // Request ids for the logs: a random prefix per process and a counter (no random bytes per request).
  const idPrefix = crypto.randomBytes(4).toString('hex');
  let requestCount = 0;
  /** A stopping server answers 503 (a till retries later); else the request gets its id, logged when answered. */
  const begin = (req: IncomingMessage, res: ServerResponse, path: string, locals: Locals | Record<string, unknown>): boolean => {
    if (services.stopping?.()) {
      res.setHeader('connection', 'close');
      res.setHeader('retry-after', '5');
      sendJson(res, 503, { error: { code: 'stopping', message: 'Le serveur s’arrête : réessayez dans un instant.', fields: [] } });
      return false;
    }
    const requestId = `${idPrefix}-${(++requestCount).toString(36)}`;
    locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'same-origin');
    if (path.startsWith('/api/')) {
      const started = process.hrtime.bigint();
      res.on('finish', () => {
        services.log.info('http', {
          requestId,
          method: req.method,
          path: (locals.routePath as string | undefined) ?? path,
          status: res.statusCode,
          ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
          userId: locals.userId ?? null,
        });
      });
    }
    applySecurityHeaders(res);
    return true;
  };

  // Guessers stopped per address before anything is looked up (logins, PINs, pairing, invitations, receipts).
  // Several processes on PostgreSQL count an address once, in the database they share.
  const limiter =
    services.config.RATE_LIMIT === 'on'
      ? services.database.engine === 'postgres'
        ? new SharedRateLimiter(services.database.db)
        : new RateLimiter()
      : null;
  const onLimited = (group: string, ip: string) => services.log.warn('rate limited', { group, ip });
  const limitGate = limiter ? rateLimitGate(limiter, onLimited) : null;
  const insecure = (req: IncomingMessage, path: string) => insecurePage(req, path, db);
  const httpsActive = () => services.tls?.httpsActive ?? false;
  const transport = transportGate(services.config, httpsActive, trust, insecure);

  /** Nothing that changes state is done for a page that is not ours (a form on another port of this host). */
  const foreign = (req: IncomingMessage, res: ServerResponse, path: string): boolean => {
    const why = foreignOrigin(req.headers, req.method ?? 'GET', req.headers.host, protocolOf(req, trust), {
      publicUrl: services.config.PUBLIC_URL,
    });
    if (!why) return false;
    services.log.warn('foreign origin refused', { method: req.method, path, origin: req.headers.origin ?? null });
    sendJson(res, 403, {
      error: {
        code: 'foreign_origin',
        message: 'Demande refusée : elle ne vient pas d’une page de la boutique. Rechargez la page et recommencez.',
        fields: [{ field: 'origin', reason: why }],
      },
    });
    return true;
  };

  /** Any failure of a request, answered as its kind says (a domain's refusal, a bad body, a conflict, or a 500). */
  const answerError = (err: unknown, req: IncomingMessage, res: ServerResponse, path: string, locals: Locals | Record<string, unknown>) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (err instanceof DomainError)
      return sendError(res, err, requestLang(req.headers['accept-language']), String(locals.routePath ?? path));
    const e = err as { type?: string; status?: number; message?: string };
    // A unique or foreign-key rule caught by the database itself (a race the domain checks could not see):
    // the transaction rolled back, so nothing was written.
    if (isConstraintViolation(err)) {
      return sendJson(res, 409, {
        error: { code: 'conflict', message: 'Conflit avec des données existantes : rien n’a été enregistré.', fields: [] },
      });
    }
    if (e.type === 'entity.parse.failed') return sendError(res, new Invalid({ field: 'body', reason: 'JSON mal formé' }));
    if (e.type === 'entity.not.utf8')
      return sendError(res, new Invalid({ field: 'body', reason: 'octets qui ne sont pas de l’UTF-8 valide' }));
    if (err instanceof TooDeep || e.type === 'entity.too.deep' || (err as { cause?: unknown })?.cause instanceof TooDeep)
      return sendError(res, new Invalid({ field: 'body', reason: new TooDeep().message }));
    if (e.type === 'entity.too.large')
      return sendJson(res, 413, {
        error: { code: 'too_large', message: 'Requête trop volumineuse.', fields: [{ field: 'body', reason: 'trop volumineux' }] },
      });
    if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported')
      return sendJson(res, 415, {
        error: {
          code: 'unsupported_media_type',
          message: 'Corps non pris en charge : envoyez du JSON en UTF-8, non compressé.',
          fields: [{ field: 'body', reason: e.message ?? '' }],
        },
      });
    if (e.type === 'param.undecodable')
      return sendError(res, new Invalid({ field: 'path', reason: 'adresse mal encodée (un %xx qui ne se lit pas)' }));
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      return sendJson(res, e.status, { error: { code: 'bad_request', message: e.message ?? 'Requête invalide.', fields: [] } });
    }
    services.log.error('unhandled', { requestId: locals.requestId, error: (err as Error)?.stack ?? String(err) });
    // The event log keeps it too (at most one event per message a minute); its own failure is only logged.
    services.errors
      ?.report((err as Error)?.message ?? String(err), {
        route: `${req.method} ${path}`,
        status: 500,
        requestId: locals.requestId as string,
      })
      .catch((e: Error) => services.log.error('error event not recorded', { error: e.message }));
    sendJson(res, 500, { error: { code: 'internal', message: 'Erreur interne : rien n’a été enregistré. Réessayez.', fields: [] } });
  };

  const text = express.text({ type: ['text/csv', 'application/csv'], limit: '5mb' });
  // A signed document, scanned (a self-billing mandate): the PDF's bytes as the body.
  const pdf = express.raw({ type: 'application/pdf', limit: '8mb' });
  /** A CSV or PDF body, read by body-parser (it works on node's own request). */
  const readParsed = (parser: typeof text, req: IncomingMessage, res: ServerResponse) =>
    new Promise<unknown>((resolve, reject) =>
      parser(req as Request, res as Response, (err?: unknown) => (err ? reject(err) : resolve((req as Request).body))),
    );

  const serve = async (def: RouteDef, { req, res, search, params: rawParams, locals }: Exchange) => {
    const now = services.now();
    const lang = requestLang(req.headers['accept-language']);
    const cookies = parseCookies(req.headers.cookie);
    const remote = locals.remote === true;
    const [session, tablet] = await Promise.all([
      resolveSession(db, cookies[SESSION_COOKIE], now),
      remote ? null : resolveDevice(db, cookies[DEVICE_COOKIE], now),
    ]);
    // A PIN session is the tablet's it was opened on: with another tablet's cookie (or none) it is nobody.
    const user = session && boundToDevice(session, tablet) ? session : null;
    const device = deviceOf(user, tablet);
    locals.userId = user?.id;
    if (remote && !reachableFromOutside(def, user))
      return sendError(
        res,
        new Forbidden('Réservé au réseau de la boutique : seul l’espace des producteurs est ouvert depuis l’extérieur.'),
      );
    const verdict = admits(def.access, user, device, def.needsDevice, def.network);
    if (verdict === 'unauthenticated') return sendError(res, new Unauthorized());
    if (verdict === 'forbidden') return sendError(res, new Forbidden());
    if (verdict === 'network') return sendError(res, new Forbidden(NETWORK_ONLY));

    const params = (def.params ?? NOTHING).safeParse(rawParams);
    if (!params.success) return sendError(res, zodToInvalid(params.error, 'params', rawParams, lang, def.path), lang, def.path);
    // As express's default (« simple ») query parser reads it.
    const rawQuery = search ? { ...querystring.parse(search) } : {};
    const query = (def.query ?? NOTHING).safeParse(rawQuery);
    if (!query.success) return sendError(res, zodToInvalid(query.error, 'query', rawQuery, lang, def.path), lang, def.path);
    let body: unknown = undefined;
    if (def.bodyKind === 'json') {
      const raw = await readJsonBody(req);
      if (bodyType(req) !== 'application/json') {
        return sendError(
          res,
          new Invalid({ field: 'body', reason: 'corps JSON attendu (Content-Type: application/json)' }),
          lang,
          def.path,
        );
      }
      const parsed = def.body!.safeParse(raw);
      if (!parsed.success) return sendError(res, zodToInvalid(parsed.error, 'body', raw, lang, def.path), lang, def.path);
      body = parsed.data;
    } else if (def.bodyKind === 'pdf') {
      const raw = await readParsed(pdf, req, res);
      if (!Buffer.isBuffer(raw)) {
        return sendError(
          res,
          new Invalid({ field: 'body', reason: 'fichier PDF attendu (Content-Type: application/pdf)' }),
          lang,
          def.path,
        );
      }
      body = raw;
    } else if (def.bodyKind === 'text') {
      const raw = await readParsed(text, req, res);
      if (typeof raw !== 'string') {
        return sendError(res, new Invalid({ field: 'body', reason: 'fichier CSV attendu (Content-Type: text/csv)' }), lang, def.path);
      }
      const parsed = def.body!.safeParse(raw);
      if (!parsed.success) return sendError(res, zodToInvalid(parsed.error, 'body', raw, lang, def.path), lang, def.path);
      body = parsed.data;
    }

    // A download link carries no header: the back office's cookie says the site then (a network manager's only).
    const header = req.headers[SITE_HEADER.toLowerCase()];
    const siteHeader = (Array.isArray(header) ? header[0] : header) ?? (user && user.siteId === null ? cookies[SITE_COOKIE] : undefined);
    const askedSite = siteHeader === undefined || siteHeader === '' ? null : Number(siteHeader);
    if (askedSite !== null && !(Number.isInteger(askedSite) && askedSite > 0 && askedSite < 2 ** 31))
      return sendError(res, new Invalid({ field: SITE_HEADER, reason: 'identifiant de site attendu (un entier positif)' }), lang, def.path);
    const { protocol } = locals;
    const secure = protocol === 'https';
    const ctx: RequestContext = {
      db,
      services,
      user,
      device,
      requestId: locals.requestId,
      ip: clientIp(req, trust),
      remote,
      userAgent: String(req.headers['user-agent'] ?? ''),
      askedSite,
      // What a customer's phone can open: the shop's public address when set, else the one the tablet used.
      origin: linkOrigin(services.config, protocol, req.headers.host),
      setCookie: (name, value, options = {}) => setCookie(res, name, value, { secure, maxAgeSeconds: options.maxAgeSeconds }),
      clearCookie: (name) => setCookie(res, name, null, { secure }),
    };
    const result = await def.handler({ params: params.data, query: query.data, body }, ctx);
    if (services.config.checkResponses) {
      const broken = responseProblem(def, result);
      if (broken) {
        services.log.error('response breaks its schema', { route: `${def.method.toUpperCase()} ${def.path}`, broken });
        return sendJson(res, 500, { error: { code: 'response_schema', message: `Réponse hors schéma : ${broken}`, fields: [] } });
      }
    }
    if (result instanceof Reply) {
      for (const [k, v] of Object.entries(result.headers)) res.setHeader(k, v);
      if (result.body === undefined) {
        res.statusCode = result.status;
        return void res.end();
      }
      if (result.contentType) return sendBody(res, result.status, result.contentType, result.body as string | Buffer);
      return sendJson(res, result.status, result.body);
    }
    sendJson(res, 200, result);
  };

  // Each request of the API (and the digital receipt's pages, /r/…) finds its route in one lookup (see
  // route-table.ts) and is served on node's own request and response, through the same gates as a page.
  const table = new RouteTable(routes);
  const serveApi = async (
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    search: string,
    found: RouteMatch | null,
    lookup: unknown,
  ) => {
    const locals: Locals = { requestId: '', protocol: protocolOf(req, trust) };
    try {
      if (!begin(req, res, path, locals)) return;
      if (limitGate) {
        const limited = limitGate(req.method ?? 'GET', path, clientIp(req, trust), res);
        if (limited === true || (limited !== false && (await limited))) return;
      }
      const verdict = transport({ req, res, path, secure: locals.protocol === 'https' });
      if (verdict === null) return;
      if (verdict instanceof Promise) return await verdict;
      if (verdict.remote) locals.remote = true;
      if (API_PATH.test(path) && foreign(req, res, path)) return;
      if (lookup) throw lookup;
      if (!found) {
        return sendJson(res, 404, {
          error: { code: 'not_found', message: `Route inconnue : ${req.method} ${path}`, fields: [] },
        });
      }
      locals.routePath = found.def.path;
      await serve(found.def, { req, res, path, search, params: found.params, locals });
    } catch (err) {
      answerError(err, req, res, path, locals);
    }
  };

  // The pages and files: express, behind the same gates.
  app.use((req, res, next) => (begin(req, res, req.path, res.locals) ? next() : undefined));
  if (limiter) app.use(rateLimit(limiter, onLimited));
  app.use(transportPolicy(services.config, httpsActive, trust, insecure));
  if (pages) app.use(pages);

  if (clientDir && fs.existsSync(path.join(clientDir, 'index.html'))) {
    app.use(
      express.static(clientDir, {
        index: 'index.html',
        // Hashed assets never change; pages and the till's service worker must be checked on every load.
        setHeaders: (res, file) =>
          res.setHeader('cache-control', /[\\/]assets[\\/]/.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache'),
      }),
    );
    const tillPage = path.join(clientDir, 'caisse', 'index.html');
    app.get(/^\/caisse(\/.*)?$/, (_req, res) => res.setHeader('cache-control', 'no-cache').sendFile(tillPage));
    // The waiter's phone and the kitchen screen: their own pages, their routes drawn in the browser.
    for (const page of ['salle', 'cuisine'])
      app.get(new RegExp(`^/${page}(/.*)?$`), (_req, res) =>
        res.setHeader('cache-control', 'no-cache').sendFile(path.join(clientDir, page, 'index.html')),
      );
    app.get(/^\/(?!api\/).*/, (_req, res) => res.setHeader('cache-control', 'no-cache').sendFile(path.join(clientDir, 'index.html')));
  }

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => answerError(err, req, res, req.path, res.locals));

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    let url = req.url ?? '/';
    if (url[0] !== '/') {
      // A request line in absolute form (`GET http://host/…`): served as its origin form, the host it names
      // standing for the Host header, as HTTP says; any other form (`*`) goes to express.
      const target = absoluteTarget(url);
      if (!target) return void app(req as Request, res as Response);
      req.url = url = target.url;
      req.headers.host = target.host;
    }
    const { path, search } = splitUrl(url);
    let found: RouteMatch | null = null;
    let lookup: unknown = null;
    try {
      found = table.find(req.method ?? 'GET', path);
    } catch (err) {
      // A parameter that does not decode: answered 400 once the request has passed the gates.
      lookup = err;
    }
    if (found || lookup || API_PATH.test(path)) void serveApi(req, res, path, search, found, lookup);
    else app(req as Request, res as Response);
  };
  return { handle, trust };
}
