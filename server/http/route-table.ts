import type { RouteDef } from './route.ts';

/**
 * The routes (the API's, and the digital receipt's /r/ pages) found by a lookup instead of being tried one
 * after another: express's router walks every layer it holds (about 170 routes, two layers each) for each
 * request. Matching is express's: case-insensitive, one optional trailing slash, `:name` taking one
 * segment or part of one (`:id.pdf`), decoded, and the first route declared wins where two would match.
 * A GET route also answers HEAD.
 */

/** A segment of a route's path: a literal, or a parameter with the text around it (`:id.pdf`). */
type Segment = { literal: string } | { pattern: RegExp; names: string[] };

const PARAM = /:([A-Za-z_$][\w$]*)/g;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function segmentOf(text: string): Segment {
  const names: string[] = [];
  const source = text
    .split(PARAM)
    .map((piece, i) => (i % 2 ? (names.push(piece), '([^/]+)') : escapeRegExp(piece)))
    .join('');
  return names.length ? { pattern: new RegExp(`^${source}$`, 'i'), names } : { literal: text.toLowerCase() };
}

interface Entry {
  order: number;
  def: RouteDef;
}

interface Pattern extends Entry {
  segments: Segment[];
}

interface MethodRoutes {
  /** Paths without parameters, lowercased. */
  exact: Map<string, Entry>;
  /** Paths with parameters, in the order declared. */
  patterns: Pattern[];
}

export interface RouteMatch {
  def: RouteDef;
  params: Record<string, string>;
}

/** A parameter that does not decode is the caller's mistake: 400, as express says it. */
function decodeParam(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch (err) {
    if (!(err instanceof URIError)) throw err;
    throw Object.assign(new URIError(`Failed to decode param '${value}'`), { status: 400, type: 'param.undecodable' });
  }
}

/** A request's path as routes are matched: one trailing slash does not count (express's `strict: false`). */
export function withoutTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

export class RouteTable {
  private readonly methods = new Map<string, MethodRoutes>();

  constructor(routes: readonly RouteDef[]) {
    routes.forEach((def, order) => {
      const method = def.method.toUpperCase();
      let table = this.methods.get(method);
      if (!table) this.methods.set(method, (table = { exact: new Map(), patterns: [] }));
      const path = def.path.length > 1 ? def.path.replace(/\/$/, '') : def.path;
      if (!path.includes(':')) {
        const key = path.toLowerCase();
        if (!table.exact.has(key)) table.exact.set(key, { order, def });
        return;
      }
      const segments = path.split('/').map(segmentOf);
      table.patterns.push({ order, def, segments });
    });
  }

  /** The route for `method` and the request's path (before its query string), or null. */
  find(method: string, path: string): RouteMatch | null {
    const table = this.methods.get(method) ?? (method === 'HEAD' ? this.methods.get('GET') : undefined);
    if (!table) return null;
    const trimmed = withoutTrailingSlash(path);
    const exact = table.exact.get(trimmed.toLowerCase());
    let parts: string[] | null = null;
    for (const pattern of table.patterns) {
      if (exact && pattern.order > exact.order) break;
      parts ??= trimmed.split('/');
      const params = matchSegments(pattern.segments, parts);
      if (params) return { def: pattern.def, params };
    }
    return exact ? { def: exact.def, params: {} } : null;
  }
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | null {
  if (segments.length !== parts.length) return null;
  const found: (RegExpExecArray | null)[] = [];
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if ('literal' in s) {
      if (s.literal !== parts[i]!.toLowerCase()) return null;
      found.push(null);
    } else {
      const m = s.pattern.exec(parts[i]!);
      if (!m) return null;
      found.push(m);
    }
  }
  // Decoded once the whole path matched: a parameter that does not decode is then the caller's mistake.
  const params: Record<string, string> = {};
  segments.forEach((s, i) => {
    if ('names' in s) s.names.forEach((name, j) => (params[name] = decodeParam(found[i]![j + 1]!)));
  });
  return params;
}
