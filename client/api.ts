/** The one network module of the client: typed calls to the HTTP API. */
import './zod-config.ts';
import { fillPath, queryString, type CallInput, type CallOutput, type Endpoint } from '../shared/api/contract.ts';
import { SITE_COOKIE, SITE_HEADER } from '../shared/api/common.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: { field: string; reason: string }[] = [],
  ) {
    super(message);
  }
}

/**
 * The site a network manager works at in the back office (server/sites): sent with every call as the
 * `Comptoir-Site` header, kept in this browser. Null: the first site (a one-site shop never sets it).
 */
const SITE_KEY = 'comptoir.site';
let workingSite: number | null = (() => {
  try {
    const v = Number(globalThis.localStorage?.getItem(SITE_KEY));
    return Number.isInteger(v) && v > 0 ? v : null;
  } catch {
    return null;
  }
})();
/** The choice as a cookie too, for the links a page opens without a script (PDF, CSV): see SITE_COOKIE. */
function siteCookie(id: number | null) {
  try {
    document.cookie = id === null ? `${SITE_COOKIE}=; path=/; max-age=0; samesite=strict` : `${SITE_COOKIE}=${id}; path=/; samesite=strict`;
  } catch {
    // No document (a worker): nothing to open a link from.
  }
}
// Kept in step with this page's choice from the start (a cookie left from another choice is dropped).
if (typeof document !== 'undefined') siteCookie(workingSite);
export const currentSite = () => workingSite;
export function setWorkingSite(id: number | null): void {
  workingSite = id;
  siteCookie(id);
  try {
    if (id === null) localStorage.removeItem(SITE_KEY);
    else localStorage.setItem(SITE_KEY, String(id));
  } catch {
    // Private browsing: the choice lasts this page.
  }
}
// Always sent by a script, empty for the first site: the cookie (another tab's choice) never steers a call.
const siteHeader = (): Record<string, string> => ({ [SITE_HEADER]: workingSite === null ? '' : String(workingSite) });

/** Status 0: the server could not be reached (no network, server down, timeout). */
export const isOffline = (e: unknown) => e instanceof ApiError && (e.status === 0 || e.status >= 502);

/**
 * Calls one endpoint of the shared contract (`shared/api`): the path filled from `params`, the query and the
 * body as its schemas accept them, the answer typed by its response schema (a download comes as a `Blob`).
 */
export async function call<E extends Endpoint>(
  endpoint: E,
  input: CallInput<E> = {} as CallInput<E>,
  timeoutMs = 8000,
): Promise<CallOutput<E>> {
  const { params, query, body } = input as { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown };
  const url = fillPath(endpoint.path, params) + queryString(query);
  const text = endpoint.bodyKind === 'text';
  const pdf = endpoint.bodyKind === 'pdf';
  let res: Response;
  try {
    res = await fetch(url, {
      method: endpoint.method.toUpperCase(),
      credentials: 'same-origin',
      headers: {
        'accept-language': language(),
        ...siteHeader(),
        ...(body === undefined ? {} : { 'content-type': pdf ? 'application/pdf' : text ? 'text/csv' : 'application/json' }),
      },
      body: body === undefined ? null : pdf ? (body as Blob) : text ? String(body) : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    throw new ApiError(0, 'network');
  }
  if (!res.ok) {
    const data = await res.json().catch(() => ({}));
    throw new ApiError(res.status, data?.error?.message ?? res.statusText, data?.error?.fields ?? []);
  }
  if (res.status === 204) return undefined as CallOutput<E>;
  if ('kind' in endpoint.response && endpoint.response.kind === 'file') return (await res.blob()) as CallOutput<E>;
  return (await res.json()) as CallOutput<E>;
}

/**
 * Sends a request stored earlier as method, path and body: the till's outbox replays what it queued while
 * offline (tickets, receipts) and only needs to know it was taken. Everything else goes through `call`.
 */
export async function send(method: string, path: string, body?: unknown, timeoutMs = 8000): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { 'accept-language': language(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    throw new ApiError(0, 'network');
  }
  if (res.status === 204) return undefined;
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, data?.error?.message ?? res.statusText, data?.error?.fields ?? []);
  return data as unknown;
}

/**
 * An error as a person reads it: the server's sentence, already in their language. The fields' paths and
 * codes stay in `fields` for the screens that point at an input; they are never shown.
 */
export const errorText = (e: unknown) => (e instanceof ApiError ? e.message : e instanceof Error ? e.message : String(e));

/** The language the reader chose (the till and the pages at `/` keep it in `localStorage`), for the server's sentences. */
const language = () => {
  try {
    return globalThis.localStorage?.getItem('lang') === 'en' ? 'en' : 'fr';
  } catch {
    return 'fr';
  }
};

/** The address of a download endpoint, for a link (`<a href>`): the path filled, the query appended. */
export function link<E extends Endpoint>(endpoint: E, input: CallInput<E> = {} as CallInput<E>): string {
  const { params, query } = input as { params?: Record<string, unknown>; query?: Record<string, unknown> };
  return fillPath(endpoint.path, params) + queryString(query);
}
