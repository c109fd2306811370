import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { splitUrl } from './plain.ts';
import express, { type Request } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { isDemo } from '../settings/settings.ts';
import { inlinePagePolicy } from './headers.ts';
import { enrolPageHtml, enrolQrSvg, enrolUrl, insecurePageHtml, langOf, publicHost, safeNext } from '../tls/enrol.ts';
import type { TlsService } from '../tls/tls-service.ts';

/**
 * The pages served outside the API: the enrolment page and its files (`/enrol…`, reachable in plain HTTP),
 * and the page a browser gets when it opens the shop in plain HTTP by a network name.
 */
export function enrolPages(db: Kysely<Database>, tls: () => TlsService | undefined): express.Router {
  const router = express.Router();
  const hostOf = (req: Request) => publicHost(req.headers.host, req.socket.remoteAddress);

  router.get('/enrol/info.json', (req, res) => {
    const service = tls();
    const ca = service?.status.ca;
    const host = hostOf(req);
    res.setHeader('cache-control', 'no-store');
    res.json({
      https: service?.httpsActive ?? false,
      httpsOrigin: service?.httpsActive ? `https://${host}` : null,
      enrolUrl: enrolUrl(host, safeNext(req.query.next)),
      ca: ca ? { fingerprint: ca.fingerprint, notAfter: ca.notAfter.toISOString() } : null,
    });
  });

  // The CA certificate in DER, the form every system's installer takes.
  router.get(['/enrol/comptoir-ca.crt', '/enrol/ca.crt'], (_req, res) => {
    const ca = tls()?.status.ca;
    if (!ca)
      return res.status(404).type('text/plain; charset=utf-8').send('Cette boutique utilise son propre certificat : rien à installer.');
    res.setHeader('content-type', 'application/x-x509-ca-cert');
    res.setHeader('content-disposition', 'attachment; filename="comptoir-ca.crt"');
    res.setHeader('cache-control', 'no-cache');
    res.send(new crypto.X509Certificate(ca.certPem).raw);
  });

  router.get('/enrol/qr.svg', (req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.type('image/svg+xml').send(enrolQrSvg(enrolUrl(hostOf(req), safeNext(req.query.next))));
  });

  // Answered over HTTPS to the page's check: reachable means the device trusts the certificate.
  router.get('/enrol/check', (req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.setHeader('access-control-allow-origin', '*');
    res.json({ ok: true, secure: req.secure });
  });

  router.get(['/enrol', '/enrol/'], async (req, res) => {
    const service = tls();
    const html = enrolPageHtml({
      lang: langOf(req.query.lang),
      host: hostOf(req),
      next: safeNext(req.query.next),
      ca: service?.status.ca ?? null,
      httpsActive: service?.httpsActive ?? false,
      demo: await isDemo(db).catch(() => false),
    });
    res.setHeader('cache-control', 'no-store');
    // Its inline check reaches the HTTPS address (another origin when this page came over plain HTTP).
    res.setHeader('content-security-policy', inlinePagePolicy(html, ['https:']));
    res.type('text/html; charset=utf-8').send(html);
  });

  return router;
}

/** The page a browser opening the shop over plain HTTP by a network name gets (see `insecurePageHtml`). */
export async function insecurePage(req: IncomingMessage, path: string, db: Kysely<Database>): Promise<string> {
  return insecurePageHtml({
    lang: langOf(new URLSearchParams(splitUrl(req.url ?? '/').search).get('lang') ?? undefined),
    host: publicHost(req.headers.host, req.socket.remoteAddress),
    url: req.url ?? '/',
    path,
    demo: await isDemo(db).catch(() => false),
  });
}
