import type http from 'node:http';

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
