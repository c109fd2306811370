import crypto from 'node:crypto';
import type { ServerResponse } from 'node:http';

/**
 * The browser-side defences every answer carries (issue 19, item 6). The app's pages load only their own
 * scripts (Vite's bundles, no inline script) and talk only to their own origin (API, socket, service
 * worker); inline styles stay allowed (the digital receipt's `<style>`, style attributes set by Preact),
 * which cannot run code. Nothing may frame a page (clickjacking on the till or the back office).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** No page of ours uses these: a script that got in could not either. */
export const PERMISSIONS_POLICY =
  'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), hid=(), midi=(), display-capture=()';

export function applySecurityHeaders(res: ServerResponse) {
  res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
  res.setHeader('permissions-policy', PERMISSIONS_POLICY);
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  // HSTS is set by the transport policy (transport.ts), over TLS only.
}

/**
 * For the few pages the server writes itself with a small inline script (the certificate enrolment page,
 * the plain-HTTP notice): the policy above with that exact script allowed by its hash, and the HTTPS
 * address it checks added to what it may reach.
 */
export function inlinePagePolicy(html: string, connect: readonly string[] = []): string {
  const hashes = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
    (m) => `'sha256-${crypto.createHash('sha256').update(m[1]!).digest('base64')}'`,
  );
  return CONTENT_SECURITY_POLICY.replace("script-src 'self'", `script-src 'self' ${hashes.join(' ')}`).replace(
    "connect-src 'self'",
    `connect-src 'self' ${connect.join(' ')}`.trim(),
  );
}

/** The scheme, host and port of an absolute URL, for a policy. */
export const originOf = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
};
