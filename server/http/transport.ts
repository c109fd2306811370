import { inlinePagePolicy } from './headers.ts';
import net from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { Application, NextFunction, Request, Response } from 'express';
import type { Config } from '../config.ts';
import { hostName, isLoopbackAddress, LOOPBACK_NAMES } from '../tls/addresses.ts';

/**
 * Which transport a request may use, decided before any route runs:
 * - plain HTTP on the shop's network is redirected to the same address in HTTPS (308 keeps the method),
 *   except the enrolment page, which must be reachable before a tablet trusts the shop's certificate;
 * - `localhost` over plain HTTP stays usable for tools on the server itself (curl, the CLI, tests);
 * - HSTS once a page came over HTTPS by name (browsers ignore it for IP addresses);
 * - through the trusted reverse proxy (the producers' access from home), `PROXY_ACCESS=portal` keeps the
 *   till, the waiter app, the kitchen screen, the back office and enrolment on the shop's network.
 */

/** A tool on the server itself: connected from the loopback and naming it. */
export function isLocalTool(req: Request): boolean {
  return isLoopbackAddress(req.socket.remoteAddress) && LOOPBACK_NAMES.has(hostName(req.headers.host));
}

/** The request came through the trusted proxy (its forwarded headers were believed). */
export function viaProxy(req: IncomingMessage, app: Application): boolean {
  if (req.headers['x-forwarded-for'] === undefined) return false;
  const trust = app.get('trust proxy fn') as ((addr: string, i: number) => boolean) | undefined;
  return !!trust && !!req.socket.remoteAddress && trust(req.socket.remoteAddress, 0);
}

/** Paths only the shop's own network may reach when `PROXY_ACCESS=portal`, besides API routes not for producers. */
const LAN_ONLY_PAGES = /^\/(caisse|salle|cuisine|enrol)(\/|$)/;

export const HSTS_MAX_AGE_SECONDS = 7 * 24 * 3600;

/** A person opening a page (not a script calling the API): they get a page that explains. */
const isPageVisit = (req: Request) =>
  (req.method === 'GET' || req.method === 'HEAD') &&
  !/^\/(api|socket\.io|assets)\//.test(req.path) &&
  (req.headers.accept ?? '').includes('text/html');

export function transportPolicy(config: Config, httpsActive: () => boolean, insecurePage?: (req: Request) => Promise<string>) {
  return (req: Request, res: Response, next: NextFunction) => {
    const secure = req.secure;
    if (!secure && httpsActive() && !isLocalTool(req) && !req.path.startsWith('/enrol')) {
      const host = req.headers.host;
      if (!host) return res.status(400).type('text/plain').send('En-tête Host manquant.');
      res.setHeader('cache-control', 'no-store');
      // A browser gets a page that says why and moves on to HTTPS once it trusts the shop (see enrol.ts);
      // anything else a plain redirect (308 keeps the method and the body).
      if (insecurePage && isPageVisit(req)) {
        return void insecurePage(req).then(
          (html) =>
            res
              .status(200)
              .setHeader('content-security-policy', inlinePagePolicy(html, ['https:']))
              .type('text/html; charset=utf-8')
              .send(html),
          next,
        );
      }
      return res.redirect(308, `https://${host}${req.originalUrl}`);
    }
    const name = hostName(req.headers.host);
    // A short max-age: a shop that replaces its certificate authority must not lock its tablets out for long.
    if (secure && !net.isIP(name.replace(/^\[|\]$/g, '')) && !LOOPBACK_NAMES.has(name)) {
      res.setHeader('strict-transport-security', `max-age=${HSTS_MAX_AGE_SECONDS}`);
    }
    if (config.PROXY_ACCESS === 'portal' && viaProxy(req, req.app)) {
      res.locals.remote = true;
      if (LAN_ONLY_PAGES.test(req.path)) return res.status(403).type('text/plain; charset=utf-8').send('Réservé au réseau de la boutique.');
    }
    next();
  };
}
