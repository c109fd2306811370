/** The one network module of the client: typed calls to the HTTP API. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: { field: string; reason: string }[] = [],
  ) {
    super(message);
  }
}

/** Status 0: the server could not be reached (no network, server down, timeout). */
export const isOffline = (e: unknown) => e instanceof ApiError && (e.status === 0 || e.status >= 502);

export async function api<T>(method: string, path: string, body?: unknown, timeoutMs = 8000): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    throw new ApiError(0, 'network');
  }
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, data?.error?.message ?? res.statusText, data?.error?.fields ?? []);
  return data as T;
}

/** An error as one line for a form: the message, then each field and its reason. */
export const errorText = (e: unknown) =>
  e instanceof ApiError ? [e.message, ...e.fields.map((f) => `${f.field} : ${f.reason}`)].join(' — ') : String(e);
