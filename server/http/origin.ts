import type http from 'node:http';
import os from 'node:os';
import { hostName, LOOPBACK_NAMES } from '../tls/addresses.ts';
import { isPermittedName, LOCAL_DNS_SUFFIXES } from '../tls/certificates.ts';

/**
 * Requests from other pages (issue 19, item 5): a form or a script on another site — another port of the
 * same host counts as the same *site* for SameSite cookies — must not act with the shop's cookies. A
 * browser names the page a request comes from (`Origin`, and `Sec-Fetch-Site` on every request of a
 * modern browser); a request that changes something is refused unless it comes from one of our own pages.
 * Clients that are not browsers (the CLI, a script with a cookie it was given) send neither and pass: they
 * cannot be tricked into sending a request by a page.
 */

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface OriginPolicy {
  /** The shop's public address (`PUBLIC_URL`): pages served from it are ours too. */
  publicUrl?: string | undefined;
}

/**
 * The scheme, host and port of an `Origin` header or an address (default ports left out, as browsers send
 * them), or null when it is `null` or malformed.
 */
function originOf(origin: string): string | null {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin.toLowerCase() : null;
  } catch {
    return null;
  }
}

/**
 * Why a request may not come from where it says, or null when it may. `host` is the address the request
 * was sent to (the Host header), `scheme` how it came (`https`, or `http`; a trusted proxy's
 * `X-Forwarded-Proto`): a page served over plain HTTP on the same port is not one of our HTTPS pages (found
 * by a security probe: the scheme was not compared).
 */
export function foreignOrigin(
  headers: http.IncomingHttpHeaders,
  method: string,
  host: string | undefined,
  scheme: string,
  policy: OriginPolicy,
): string | null {
  if (SAFE_METHODS.has(method.toUpperCase())) return null;
  const origin = headers.origin;
  if (typeof origin === 'string') {
    const from = originOf(origin);
    if (from === null) return `page d’origine inconnue (${origin.slice(0, 80)})`;
    const ours = new Set<string>();
    const here = host ? originOf(`${scheme}://${host}`) : null;
    if (here) ours.add(here);
    if (policy.publicUrl) {
      const pub = originOf(policy.publicUrl);
      if (pub) ours.add(pub);
    }
    return ours.has(from) ? null : `requête venue d’une autre page (${origin.slice(0, 80)})`;
  }
  // No Origin: a browser still says whether the request crosses sites (older engines send neither).
  const site = headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return `requête venue d’une autre page (${site})`;
  return null;
}

/** The machine's own addresses, read again at most every 10 s (a DHCP lease renewed). */
let own: { at: number; ips: Set<string> } = { at: 0, ips: new Set() };
function ownAddresses(): Set<string> {
  if (Date.now() - own.at > 10_000) {
    const ips = Object.values(os.networkInterfaces())
      .flat()
      .filter((i): i is os.NetworkInterfaceInfo => !!i)
      .map((i) => (i.family === 'IPv6' ? `[${i.address}]` : i.address));
    own = { at: Date.now(), ips: new Set(ips) };
  }
  return own.ips;
}

/**
 * The address put in a link handed out (a receipt's QR code, a producer's invitation): the shop's public
 * address when set; else the one the request was sent to, when it is one of the server's own (a name of the
 * shop's network, its host name, its addresses, a name it was given in TLS_NAMES); else its mDNS name. A
 * request naming any host in its Host header (with a matching Origin, which passes) made the server write
 * that host into the links (found by an attack on a running server: an invitation to https://evil.example/).
 */
export function linkOrigin(
  config: { PUBLIC_URL?: string | undefined; MDNS_NAME: string; TLS_NAMES: readonly string[] },
  scheme: string,
  host: string | undefined,
): string {
  if (config.PUBLIC_URL) return config.PUBLIC_URL;
  const name = hostName(host);
  const port = host?.slice(name.length).match(/^:(\d{1,5})$/)?.[1];
  const label = os.hostname().toLowerCase();
  const ours =
    LOOPBACK_NAMES.has(name) ||
    isPermittedName(name, LOCAL_DNS_SUFFIXES) ||
    config.TLS_NAMES.some((n) => n.toLowerCase() === name) ||
    name === label ||
    name === label.split('.')[0] ||
    ownAddresses().has(name);
  return `${scheme}://${ours ? name : `${config.MDNS_NAME}.local`}${port ? `:${port}` : ''}`;
}
