import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { checkJsonDepth } from './depth.ts';
import { isUtf8 } from 'node:buffer';

/**
 * The API's requests and answers on node's own request and response (app.ts serves them without express,
 * which costs a ticket more CPU than its JSON, its checks and its hash together). What express would say of
 * such a request (its path, client address, scheme) is worked out here by express's own rules, and what it
 * would answer (JSON, a file, a cookie, a redirect) is written the way it writes it.
 */

/** express's compiled `trust proxy` setting: whether the hop at `addr`, `i` hops from us, is a proxy we believe. */
export type TrustFn = (addr: string, i: number) => boolean;

/**
 * A request line in absolute form (`GET http://host/path HTTP/1.1`, as a proxy may send it): its authority,
 * which stands for the Host header (RFC 9112 §3.2.2), and the origin form of its target. Null when the target
 * is not an http(s) address (`*`, an authority alone): express answers those.
 */
export function absoluteTarget(url: string): { host: string; url: string } | null {
  const m = /^https?:\/\/([^/?#]*)([^#]*)/i.exec(url);
  if (!m || !m[1]) return null;
  const rest = m[2]!;
  return { host: m[1], url: rest.startsWith('/') ? rest : `/${rest}` };
}

/** The path of the request as express's `req.path` gives it: not decoded, without the query string. */
export function splitUrl(url: string): { path: string; search: string } {
  const q = url.indexOf('?');
  return q < 0 ? { path: url, search: '' } : { path: url.slice(0, q), search: url.slice(q + 1) };
}

/**
 * The client's address (express's `req.ip`, proxy-addr's rule): from our socket outwards through the
 * `X-Forwarded-For` hops, the first address that is not a trusted proxy (the farthest one if all are).
 */
export function clientIp(req: IncomingMessage, trust: TrustFn): string {
  let addr = req.socket.remoteAddress ?? '';
  const header = req.headers['x-forwarded-for'];
  if (!header || !trust(addr, 0)) return addr;
  const hops = (Array.isArray(header) ? header.join(',') : header).split(',');
  for (let i = hops.length - 1, n = 1; i >= 0; i--, n++) {
    addr = hops[i]!.trim();
    if (!trust(addr, n)) return addr;
  }
  return addr;
}

/** `https` or `http` as express's `req.protocol` says: the socket's own, or a trusted proxy's `X-Forwarded-Proto`. */
export function protocolOf(req: IncomingMessage, trust: TrustFn): string {
  const own = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
  if (!trust(req.socket.remoteAddress ?? '', 0)) return own;
  const header = req.headers['x-forwarded-proto'];
  const value = (Array.isArray(header) ? header[0] : header) || own;
  const comma = value.indexOf(',');
  return (comma < 0 ? value : value.slice(0, comma)).trim();
}

/** The media type of the request's body (`application/json`), lowercased, or null without a body. */
export function bodyType(req: IncomingMessage): string | null {
  if (req.headers['transfer-encoding'] === undefined && req.headers['content-length'] === undefined) return null;
  const header = req.headers['content-type'];
  if (!header) return null;
  const semi = header.indexOf(';');
  return (semi < 0 ? header : header.slice(0, semi)).trim().toLowerCase();
}

/** An error on reading a body, shaped as body-parser's (the error handler answers both alike). */
class BodyError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const JSON_LIMIT = 1024 * 1024;

/**
 * A JSON body as `express.json({ strict: false, limit: '1mb' })` reads it, its depth checked before it is
 * parsed: undefined when the request has none or another type (the route then says a JSON body is
 * expected), `{}` when it is empty. UTF-8 only and not compressed: a till sends nothing else (415).
 */
export function readJsonBody(req: IncomingMessage): Promise<unknown> {
  if (bodyType(req) !== 'application/json') return Promise.resolve(undefined);
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase() ?? 'utf-8';
  if (charset !== 'utf-8' && charset !== 'utf8')
    return Promise.reject(
      new BodyError(415, 'charset.unsupported', `jeu de caractères ${charset.toUpperCase()} non pris en charge (UTF-8 attendu)`),
    );
  // A transfer coding other than chunked (`gzip, chunked`): node's parser takes the chunks off and leaves the
  // rest coded; read as JSON it would not be what was sent.
  const transfer = req.headers['transfer-encoding'];
  if (transfer !== undefined && transfer.toLowerCase().replace(/\s+/g, '') !== 'chunked')
    return Promise.reject(new BodyError(415, 'encoding.unsupported', `corps codé (${transfer}) non pris en charge`));
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity')
    return Promise.reject(new BodyError(415, 'encoding.unsupported', `corps compressé (${encoding}) non pris en charge`));
  const declared = req.headers['content-length'] === undefined ? null : Number(req.headers['content-length']);
  if (declared !== null && declared > JSON_LIMIT) {
    req.resume();
    return Promise.reject(new BodyError(413, 'entity.too.large', 'request entity too large'));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    const fail = (error: Error) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      // What is left of the body is read and dropped: the answer goes out on a connection still in step.
      req.resume();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > JSON_LIMIT) return fail(new BodyError(413, 'entity.too.large', 'request entity too large'));
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('aborted', () => fail(new BodyError(400, 'request.aborted', 'request aborted')));
    // Closed before its end (the client went away): nothing more will come.
    req.on('close', () => {
      if (!req.complete) fail(new BodyError(400, 'request.aborted', 'request aborted'));
    });
    req.on('error', (error) => fail(error));
    req.on('end', () => {
      if (done) return;
      done = true;
      if (declared !== null && declared !== received)
        return reject(new BodyError(400, 'request.size.invalid', 'request size did not match content length'));
      const buf = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received);
      if (buf.length === 0) return resolve({});
      try {
        checkJsonDepth(buf);
        // Bytes that are not UTF-8 are refused, not read as « � » into names and receipts (found by an
        // independent check).
        if (!isUtf8(buf)) return reject(new BodyError(400, 'entity.not.utf8', 'UTF-8 invalide'));
        let text = buf.toString('utf8');
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        resolve(JSON.parse(text));
      } catch (error) {
        if (error instanceof SyntaxError) reject(new BodyError(400, 'entity.parse.failed', error.message));
        else reject(error);
      }
    });
  });
}

/** A JSON answer as express's `res.status(s).json(body)` writes it. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  if (text === undefined) return void res.end();
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

/**
 * A file or a page as express's `res.type(t).send(body)` writes it: a text type says its charset, and a
 * string is sent as UTF-8 (saying so).
 */
export function sendBody(res: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  let type = contentType;
  if (typeof body === 'string') type = `${type.replace(/;\s*charset=[^;]*/i, '')}; charset=utf-8`;
  else if (!/;\s*charset=/i.test(type) && /^(text\/|application\/(json|javascript)$)/i.test(type)) type = `${type}; charset=utf-8`;
  res.statusCode = status;
  res.setHeader('content-type', type);
  res.setHeader('content-length', typeof body === 'string' ? Buffer.byteLength(body) : body.length);
  res.end(body);
}

/** A redirect as express's `res.redirect(status, url)` writes it, for a client that reads text. */
export function redirect(res: ServerResponse, status: number, url: string): void {
  const location = encodeUrl(url);
  res.setHeader('location', location);
  sendBody(res, status, 'text/plain', `${status === 308 ? 'Permanent Redirect' : 'Found'}. Redirecting to ${location}`);
}

/** encodeurl's rule (what express puts in `Location`): what a URL may not hold is encoded, `%XX` kept. */
const encodeUrl = (url: string) =>
  url
    .replace(/(^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uD800-\uDBFF]([^\uDC00-\uDFFF]|$)/g, '$1\uFFFD$2')
    .replace(/(?:[^\x21\x23-\x3B\x3D\x3F-\x5F\x61-\x7A\x7C\x7E]|%(?:[^0-9A-Fa-f]|[0-9A-Fa-f][^0-9A-Fa-f]|$))+/g, encodeURI);

/**
 * A cookie as express's `res.cookie` (or, with `value` null, `res.clearCookie`) sets it, always `Path=/`,
 * `HttpOnly` and `SameSite=Strict`: another `Set-Cookie` is added, the earlier ones kept.
 */
export function setCookie(
  res: ServerResponse,
  name: string,
  value: string | null,
  options: { secure: boolean; maxAgeSeconds?: number | undefined },
  now = Date.now(),
): void {
  let cookie = `${name}=${value === null ? '' : encodeURIComponent(value)}`;
  if (value !== null && options.maxAgeSeconds) cookie += `; Max-Age=${Math.floor(options.maxAgeSeconds)}`;
  cookie += '; Path=/';
  if (value === null) cookie += '; Expires=Thu, 01 Jan 1970 00:00:00 GMT';
  else if (options.maxAgeSeconds) cookie += `; Expires=${new Date(now + options.maxAgeSeconds * 1000).toUTCString()}`;
  cookie += '; HttpOnly';
  if (options.secure) cookie += '; Secure';
  cookie += '; SameSite=Strict';
  const before = res.getHeader('set-cookie');
  res.setHeader('set-cookie', before === undefined ? [cookie] : [...(Array.isArray(before) ? before : [String(before)]), cookie]);
}
