import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isConstraintViolation } from '../../db/engine.ts';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Kysely } from 'kysely';
import { checkJsonDepth, TooDeep } from './depth.ts';
import { foreignOrigin } from './origin.ts';
import { boundToDevice } from '../auth/identity.ts';
import { securityHeaders } from './headers.ts';
import { rateLimit, RateLimiter, SharedRateLimiter } from './rate-limit.ts';
import { z } from 'zod';
import type { Database } from '../../db/schema.ts';
import { DEVICE_COOKIE, resolveDevice, resolveSession, SESSION_COOKIE } from '../auth/sessions.ts';
import { SITE_COOKIE, SITE_HEADER } from '../../shared/api/common.ts';
import { DomainError, Forbidden, Invalid, TooManyAttempts, Unauthorized } from '../errors.ts';
import type { AppServices } from '../services.ts';
import type { SessionUser } from '../auth/identity.ts';
import { isSchema } from '../../shared/api/contract.ts';
import { admits, Reply, type RequestContext, type RouteDef } from './route.ts';
import { RouteTable } from './route-table.ts';
import { NETWORK_ONLY } from './access.ts';
import { transportPolicy } from './transport.ts';
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

function sendError(res: Response, err: DomainError, lang: Lang = 'fr', routePath = '') {
  if (err instanceof TooManyAttempts) res.setHeader('retry-after', String(err.retryAfterSeconds));
  // A domain's refusal made of fields is said in the reader's language, without the fields' paths.
  const message =
    err instanceof Invalid && !err.explicit ? err.fields.map((f) => problemSentence(f, lang, routePath)).join(' ') : err.message;
  res.status(err.status).json({ error: { code: err.code, message, fields: err.fields } });
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

/** Routes without parameters or query string accept none (built once: a zod schema is costly to make). */
const NOTHING = z.object({}).strict();

export function createApp({ db, services, routes, clientDir, pages }: AppOptions) {
  const app = express();
  app.disable('x-powered-by');
  // No ETag on API replies: they are never cached, and hashing each body costs every ticket.
  app.set('etag', false);
  // Forwarded headers are believed only from the proxies named in TRUST_PROXY (none by default): anyone
  // else could claim to be HTTPS or another address.
  app.set('trust proxy', services.config.TRUST_PROXY.length ? services.config.TRUST_PROXY : false);

  // Request ids for the logs: a random prefix per process and a counter (no random bytes per request).
  const idPrefix = crypto.randomBytes(4).toString('hex');
  let requestCount = 0;
  app.use((_req, res, next) => {
    if (!services.stopping?.()) return next();
    res.setHeader('connection', 'close');
    res.setHeader('retry-after', '5');
    res.status(503).json({ error: { code: 'stopping', message: 'Le serveur s’arrête : réessayez dans un instant.', fields: [] } });
  });
  app.use((req, res, next) => {
    const requestId = `${idPrefix}-${(++requestCount).toString(36)}`;
    res.locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'same-origin');
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      if (!req.path.startsWith('/api/')) return;
      services.log.info('http', {
        requestId,
        method: req.method,
        path: (res.locals.routePath as string | undefined) ?? req.path,
        status: res.statusCode,
        ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        userId: res.locals.userId ?? null,
      });
    });
    next();
  });

  app.use(securityHeaders);
  // Guessers stopped per address before anything is looked up (logins, PINs, pairing, invitations, receipts).
  if (services.config.RATE_LIMIT === 'on') {
    // Several processes on PostgreSQL count an address once, in the database they share.
    const limiter = services.database.engine === 'postgres' ? new SharedRateLimiter(services.database.db) : new RateLimiter();
    app.use(rateLimit(limiter, (group, ip) => services.log.warn('rate limited', { group, ip })));
  }
  app.use(
    transportPolicy(
      services.config,
      () => services.tls?.httpsActive ?? false,
      (req) => insecurePage(req, db),
    ),
  );
  if (pages) app.use(pages);

  // Nothing that changes state is done for a page that is not ours (a form on another port of this host).
  app.use('/api', (req, res, next) => {
    const why = foreignOrigin(req.headers, req.method, req.get('host'), { publicUrl: services.config.PUBLIC_URL });
    if (!why) return next();
    services.log.warn('foreign origin refused', { method: req.method, path: req.path, origin: req.headers.origin ?? null });
    res.status(403).json({
      error: {
        code: 'foreign_origin',
        message: 'Demande refusée : elle ne vient pas d’une page de la boutique. Rechargez la page et recommencez.',
        fields: [{ field: 'origin', reason: why }],
      },
    });
  });

  const json = express.json({ limit: '1mb', strict: false, verify: (_req, _res, buf) => checkJsonDepth(buf) });
  // CSV imports with their real type only: `text/plain` is what a form on another page can send without asking.
  const text = express.text({ type: ['text/csv', 'application/csv'], limit: '5mb' });
  // A signed document, scanned (a self-billing mandate): the PDF's bytes as the body.
  const pdf = express.raw({ type: 'application/pdf', limit: '8mb' });

  const serve = async (def: RouteDef, req: Request, res: Response) => {
    const now = services.now();
    const lang = requestLang(req.headers['accept-language']);
    const cookies = parseCookies(req.headers.cookie);
    const remote = res.locals.remote === true;
    const [session, device] = await Promise.all([
      resolveSession(db, cookies[SESSION_COOKIE], now),
      remote ? null : resolveDevice(db, cookies[DEVICE_COOKIE], now),
    ]);
    // A PIN session is the tablet's it was opened on: with another tablet's cookie (or none) it is nobody.
    const user = session && boundToDevice(session, device) ? session : null;
    res.locals.userId = user?.id;
    if (remote && !reachableFromOutside(def, user))
      return sendError(
        res,
        new Forbidden('Réservé au réseau de la boutique : seul l’espace des producteurs est ouvert depuis l’extérieur.'),
      );
    const verdict = admits(def.access, user, device, def.needsDevice, def.network);
    if (verdict === 'unauthenticated') return sendError(res, new Unauthorized());
    if (verdict === 'forbidden') return sendError(res, new Forbidden());
    if (verdict === 'network') return sendError(res, new Forbidden(NETWORK_ONLY));

    const params = (def.params ?? NOTHING).safeParse(req.params);
    if (!params.success) return sendError(res, zodToInvalid(params.error, 'params', req.params, lang, def.path), lang, def.path);
    const query = (def.query ?? NOTHING).safeParse({ ...(req.query as object) });
    if (!query.success) return sendError(res, zodToInvalid(query.error, 'query', req.query, lang, def.path), lang, def.path);
    let body: unknown = undefined;
    if (def.bodyKind === 'json') {
      if (!req.is('application/json')) {
        return sendError(
          res,
          new Invalid({ field: 'body', reason: 'corps JSON attendu (Content-Type: application/json)' }),
          lang,
          def.path,
        );
      }
      const parsed = def.body!.safeParse(req.body);
      if (!parsed.success) return sendError(res, zodToInvalid(parsed.error, 'body', req.body, lang, def.path), lang, def.path);
      body = parsed.data;
    } else if (def.bodyKind === 'pdf') {
      if (!Buffer.isBuffer(req.body)) {
        return sendError(
          res,
          new Invalid({ field: 'body', reason: 'fichier PDF attendu (Content-Type: application/pdf)' }),
          lang,
          def.path,
        );
      }
      body = req.body;
    } else if (def.bodyKind === 'text') {
      if (typeof req.body !== 'string') {
        return sendError(res, new Invalid({ field: 'body', reason: 'fichier CSV attendu (Content-Type: text/csv)' }), lang, def.path);
      }
      const parsed = def.body!.safeParse(req.body);
      if (!parsed.success) return sendError(res, zodToInvalid(parsed.error, 'body', req.body, lang, def.path), lang, def.path);
      body = parsed.data;
    }

    // A download link carries no header: the back office's cookie says the site then (a network manager's only).
    const siteHeader = req.get(SITE_HEADER) ?? (user && user.siteId === null ? cookies[SITE_COOKIE] : undefined);
    const askedSite = siteHeader === undefined || siteHeader === '' ? null : Number(siteHeader);
    if (askedSite !== null && !(Number.isInteger(askedSite) && askedSite > 0 && askedSite < 2 ** 31))
      return sendError(res, new Invalid({ field: SITE_HEADER, reason: 'identifiant de site attendu (un entier positif)' }), lang, def.path);
    const ctx: RequestContext = {
      db,
      services,
      user,
      device,
      requestId: res.locals.requestId as string,
      ip: req.ip ?? '',
      remote,
      userAgent: String(req.headers['user-agent'] ?? ''),
      askedSite,
      // What a customer's phone can open: the shop's public address when set, else the one the tablet used.
      origin: services.config.PUBLIC_URL ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`,
      setCookie: (name, value, options = {}) =>
        res.cookie(name, value, {
          httpOnly: true,
          sameSite: 'strict',
          secure: req.secure,
          path: '/',
          ...(options.maxAgeSeconds ? { maxAge: options.maxAgeSeconds * 1000 } : {}),
        }),
      clearCookie: (name) => res.clearCookie(name, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' }),
    };
    const result = await def.handler({ params: params.data, query: query.data, body }, ctx);
    if (services.config.checkResponses) {
      const broken = responseProblem(def, result);
      if (broken) {
        services.log.error('response breaks its schema', { route: `${def.method.toUpperCase()} ${def.path}`, broken });
        return res.status(500).json({ error: { code: 'response_schema', message: `Réponse hors schéma : ${broken}`, fields: [] } });
      }
    }
    if (result instanceof Reply) {
      for (const [k, v] of Object.entries(result.headers)) res.setHeader(k, v);
      res.status(result.status);
      if (result.body === undefined) return res.end();
      if (result.contentType) return res.type(result.contentType).send(result.body);
      return res.json(result.body);
    }
    res.json(result);
  };
  // Each request of the API (and the digital receipt's pages, /r/…) finds its route in one lookup (see
  // route-table.ts), then reads its body as the route says.
  const table = new RouteTable(routes);
  app.use((req, res, next) => {
    const found = table.find(req.method, req.path);
    if (!found) return next();
    req.params = found.params;
    res.locals.routePath = found.def.path;
    const { def } = found;
    (def.bodyKind === 'text' ? text : def.bodyKind === 'pdf' ? pdf : json)(req, res, (err?: unknown) => {
      if (err) return next(err);
      serve(def, req, res).catch(next);
    });
  });

  app.use('/api', (req, res) => {
    res
      .status(404)
      .json({ error: { code: 'not_found', message: `Route inconnue : ${req.method} ${req.originalUrl.split('?')[0]}`, fields: [] } });
  });

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

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof DomainError)
      return sendError(res, err, requestLang(req.headers['accept-language']), String(res.locals.routePath ?? req.path));
    const e = err as { type?: string; status?: number; message?: string };
    // A unique or foreign-key rule caught by the database itself (a race the domain checks could not see):
    // the transaction rolled back, so nothing was written.
    if (isConstraintViolation(err)) {
      return res
        .status(409)
        .json({ error: { code: 'conflict', message: 'Conflit avec des données existantes : rien n’a été enregistré.', fields: [] } });
    }
    if (e.type === 'entity.parse.failed') return sendError(res, new Invalid({ field: 'body', reason: 'JSON mal formé' }));
    if (err instanceof TooDeep || e.type === 'entity.too.deep' || (err as { cause?: unknown })?.cause instanceof TooDeep)
      return sendError(res, new Invalid({ field: 'body', reason: new TooDeep().message }));
    if (e.type === 'entity.too.large')
      return res.status(413).json({
        error: { code: 'too_large', message: 'Requête trop volumineuse.', fields: [{ field: 'body', reason: 'trop volumineux' }] },
      });
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      return res.status(e.status).json({ error: { code: 'bad_request', message: e.message ?? 'Requête invalide.', fields: [] } });
    }
    services.log.error('unhandled', { requestId: res.locals.requestId, error: (err as Error)?.stack ?? String(err) });
    // The event log keeps it too (at most one event per message a minute); its own failure is only logged.
    services.errors
      ?.report((err as Error)?.message ?? String(err), { route: `${req.method} ${req.path}`, status: 500, requestId: res.locals.requestId })
      .catch((e: Error) => services.log.error('error event not recorded', { error: e.message }));
    res.status(500).json({ error: { code: 'internal', message: 'Erreur interne : rien n’a été enregistré. Réessayez.', fields: [] } });
  });

  return app;
}
