import net from 'node:net';

export const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** The name part of a Host header (`[::1]:3000` → `[::1]`, `shop.lan:3000` → `shop.lan`). */
export function hostName(hostHeader: string | undefined): string {
  const h = (hostHeader ?? '').toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const i = h.lastIndexOf(':');
  return i >= 0 ? h.slice(0, i) : h;
}

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || (net.isIPv4(a) && a.startsWith('127.'));
}
