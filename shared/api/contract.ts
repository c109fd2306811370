/**
 * The HTTP API as a contract shared by the server and the browser: each endpoint names its method, its
 * path and the zod schemas of what goes in and what comes back. The server's route table is built from
 * these (`route({ ...salesApi.record, access, handler })`), the OpenAPI document is generated from them,
 * and the browser calls them through `call()` in `client/api.ts`, so no response type is written by hand.
 */
import type { z } from 'zod';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** A download (PDF, CSV, tar…): bytes, not JSON; described by its media type. */
export interface FileResponse {
  readonly kind: 'file';
  readonly contentType: string;
}
/** 204, no body. */
export interface NoContent {
  readonly kind: 'none';
}
export type ResponseSpec = z.ZodType | FileResponse | NoContent;

export const fileResponse = (contentType: string): FileResponse => ({ kind: 'file', contentType });
export const noContent: NoContent = { kind: 'none' };

export interface Endpoint {
  readonly method: Method;
  readonly path: string;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  /** `text` takes `text/csv` or `text/plain` (CSV imports), parsed by the handler; `pdf` a PDF file (a signed mandate). */
  readonly bodyKind?: 'json' | 'text' | 'pdf';
  readonly response: ResponseSpec;
}

/** Declares one endpoint, keeping its exact schema types for the server's handler and the browser's `call`. */
export const endpoint = <const E extends Endpoint>(e: E): E => e;

type SchemaIn<S> = S extends z.ZodType ? z.input<S> : never;

/** What a browser sends: path parameters, query and body, each as the schema accepts it. */
export type CallInput<E extends Endpoint> = (E['params'] extends z.ZodType ? { params: SchemaIn<E['params']> } : { params?: never }) &
  (E['query'] extends z.ZodType ? { query?: SchemaIn<E['query']> } : { query?: never }) &
  (E['body'] extends z.ZodType
    ? { body: E['bodyKind'] extends 'text' ? string : E['bodyKind'] extends 'pdf' ? Blob : SchemaIn<E['body']> }
    : { body?: never });

/** What comes back, as JSON (a download: a `Blob`; 204: nothing). */
export type CallOutput<E extends Endpoint> = E['response'] extends z.ZodType
  ? z.output<E['response']>
  : E['response'] extends FileResponse
    ? Blob
    : undefined;

/** What a server handler may return for this endpoint, before JSON serialisation. */
export type HandlerOutput<E extends Endpoint> = E['response'] extends z.ZodType ? z.input<E['response']> : never;

export const isSchema = (r: ResponseSpec): r is z.ZodType => '_zod' in r;

/** `/api/sales/:id` with `{ id: 'x' }` → `/api/sales/x` (each value URL-encoded). */
export function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const v = params?.[name];
    if (v === undefined || v === null) throw new Error(`path parameter ${name} missing for ${path}`);
    return encodeURIComponent(String(v));
  });
}

/** A query string from the defined values (arrays repeated), with its `?`; empty when there is none. */
export function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null) continue;
    for (const item of Array.isArray(v) ? v : [v]) q.append(k, String(item));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
