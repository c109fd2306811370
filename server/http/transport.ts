import { inlinePagePolicy } from './headers.ts';
import net from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { redirect, sendBody, type TrustFn } from './plain.ts';
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
export function isLocalTool(req: IncomingMessage): boolean {
  return isLoopbackAddress(req.socket.remoteAddress) && LOOPBACK_NAMES.has(hostName(req.headers.host));
}

/** The request came through the trusted proxy (its forwarded headers were believed). */
export function viaProxy(req: IncomingMessage, trust: TrustFn): boolean {
  if (req.headers['x-forwarded-for'] === undefined) return false;
  return !!req.socket.remoteAddress && trust(req.socket.remoteAddress, 0);
}

/** Paths only the shop's own network may reach when `PROXY_ACCESS=portal`, besides API routes not for producers. */
const LAN_ONLY_PAGES = /^\/(caisse|salle|cuisine|enrol)(\/|$)/i;

/**
 * The path as the static files and the router will read it: decoded (`/%63aisse/` is `/caisse/`) and with
 * its slashes run together (`//caisse/`), letters in any case (the router ignores it). Undecodable: as sent.
 */
function pathAsServed(path: string): string {
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // A malformed escape: the router answers 400 for it; the raw path is tested.
  }
  return decoded.replace(/[\\/]+/g, '/');
}

export const HSTS_MAX_AGE_SECONDS = 7 * 24 * 3600;

/** A person opening a page (not a script calling the API): they get a page that explains. */
const isPageVisit = (req: IncomingMessage, path: string) =>
  (req.method === 'GET' || req.method === 'HEAD') &&
  !/^\/(api|socket\.io|assets)\//.test(path) &&
  (req.headers.accept ?? '').includes('text/html');

/** What the transport policy is told of a request besides the request itself: its path and its scheme. */
export interface Transported {
  req: IncomingMessage;
  res: ServerResponse;
  /** Before the query string, not decoded (express's `req.path`). */
  path: string;
  secure: boolean;
}

/**
 * The policy for one request: `{ remote }` when it may go on (`remote`: it came through the public proxy),
 * null when it was answered (a redirect, a refusal), or a promise of the page that explains plain HTTP.
 */
export type TransportVerdict = { remote: boolean } | null | Promise<void>;

export function transportGate(
  config: Config,
  httpsActive: () => boolean,
  trust: TrustFn,
  insecurePage?: (req: IncomingMessage, path: string) => Promise<string>,
) {
  return ({ req, res, path, secure }: Transported): TransportVerdict => {
    if (!secure && httpsActive() && !isLocalTool(req) && !path.startsWith('/enrol')) {
      const host = req.headers.host;
      if (!host) {
        sendBody(res, 400, 'text/plain', 'En-tête Host manquant.');
        return null;
      }
      res.setHeader('cache-control', 'no-store');
      // A browser gets a page that says why and moves on to HTTPS once it trusts the shop (see enrol.ts);
      // anything else a plain redirect (308 keeps the method and the body).
      if (insecurePage && isPageVisit(req, path)) {
        return insecurePage(req, path).then((html) => {
          res.setHeader('content-security-policy', inlinePagePolicy(html, ['https:']));
          sendBody(res, 200, 'text/html; charset=utf-8', html);
        });
      }
      redirect(res, 308, `https://${host}${req.url ?? '/'}`);
      return null;
    }
    const name = hostName(req.headers.host);
    // A short max-age: a shop that replaces its certificate authority must not lock its tablets out for long.
    if (secure && !net.isIP(name.replace(/^\[|\]$/g, '')) && !LOOPBACK_NAMES.has(name)) {
      res.setHeader('strict-transport-security', `max-age=${HSTS_MAX_AGE_SECONDS}`);
    }
    if (config.PROXY_ACCESS === 'portal' && viaProxy(req, trust)) {
      if (LAN_ONLY_PAGES.test(pathAsServed(path))) {
        sendBody(res, 403, 'text/plain; charset=utf-8', 'Réservé au réseau de la boutique.');
        return null;
      }
      return { remote: true };
    }
    return { remote: false };
  };
}

/** The same policy for the pages express serves. */
export function transportPolicy(
  config: Config,
  httpsActive: () => boolean,
  trust: TrustFn,
  insecurePage?: (req: IncomingMessage, path: string) => Promise<string>,
) {
  const gate = transportGate(config, httpsActive, trust, insecurePage);
  return (req: Request, res: Response, next: NextFunction) => {
    const verdict = gate({ req, res, path: req.path, secure: req.secure });
    if (verdict === null) return;
    if (verdict instanceof Promise) return void verdict.catch(next);
    if (verdict.remote) res.locals.remote = true;
    next();
  };
}
