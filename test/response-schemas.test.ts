import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allRoutes } from '../server/http/routes.ts';
import { responseProblem } from '../server/http/app.ts';
import { Reply, type RouteDef } from '../server/http/route.ts';
import { fileResponse, isSchema, noContent } from '../shared/api/contract.ts';
import { loadConfig } from '../server/config.ts';

// Every response of every test in this suite goes through `responseProblem` (CHECK_RESPONSES is on under
// vitest), and a response that breaks its schema is a 500 the test then fails on. These prove the check
// itself can fail, and that no route escapes it.

const jsonRoute = (response: RouteDef['response']): RouteDef => ({
  method: 'get',
  path: '/api/x',
  access: 'public',
  summary: '',
  tag: 't',
  bodyKind: 'none',
  response,
  handler: async () => null,
});
const thing = z.strictObject({ id: z.number().int(), name: z.string(), note: z.string().nullable() });

/** Where a schema lets unknown keys through (a `z.object` that is not strict), as paths. */
function looseObjects(schema: z.ZodType, at: string): string[] {
  const loose: string[] = [];
  const walk = (s: z.ZodType, where: string, seen: Set<unknown>) => {
    if (seen.has(s)) return;
    seen.add(s);
    const def = (s as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
    const t = def.type as string;
    if (t === 'object') {
      if (!(def.catchall && (def.catchall as { _zod: { def: { type: string } } })._zod.def.type === 'never')) loose.push(where);
      for (const [k, v] of Object.entries(def.shape as Record<string, z.ZodType>)) walk(v, `${where}.${k}`, seen);
    } else if (t === 'array') walk(def.element as z.ZodType, `${where}[]`, seen);
    else if (t === 'nullable' || t === 'optional' || t === 'default') walk(def.innerType as z.ZodType, where, seen);
    else if (t === 'union') (def.options as z.ZodType[]).forEach((o, i) => walk(o, `${where}|${i}`, seen));
    else if (t === 'record') walk(def.valueType as z.ZodType, `${where}{}`, seen);
    else if (t === 'pipe') walk(def.in as z.ZodType, where, seen);
    else if (t === 'lazy') walk((def.getter as () => z.ZodType)(), where, seen);
  };
  walk(schema, at, new Set());
  return loose;
}

describe('a response is checked against its endpoint', () => {
  it('every route declares what it answers', () => {
    // The type requires it; this also holds for a route table assembled at run time.
    const missing = allRoutes.filter((r) => !(r.response as unknown)).map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(allRoutes.length).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  });

  it('accepts exactly what the schema says, plain or in a Reply', () => {
    const def = jsonRoute(thing);
    expect(responseProblem(def, { id: 1, name: 'Tomme', note: null })).toBeNull();
    expect(responseProblem(def, Reply.created({ id: 1, name: 'Tomme', note: 'x' }))).toBeNull();
  });

  it('refuses a wrong type, a missing field and a field nobody declared (a leak)', () => {
    const def = jsonRoute(thing);
    expect(responseProblem(def, { id: '1', name: 'Tomme', note: null })).toMatch(/^id : /);
    expect(responseProblem(def, { id: 1, note: null })).toMatch(/^name : /);
    // A password hash left in a row handed back as is: a strict schema catches it.
    expect(responseProblem(def, { id: 1, name: 'Tomme', note: null, pin_hash: '$argon2id$…' })).toMatch(/pin_hash/);
  });

  it('sees the JSON the client gets, not the object in memory', () => {
    const def = jsonRoute(z.strictObject({ at: z.string() }));
    // A Date is serialised as a string: what the client receives matches.
    expect(responseProblem(def, { at: new Date('2026-12-03T10:00:00Z') })).toBeNull();
    // undefined disappears from JSON: a required field left undefined is missing for the client.
    expect(responseProblem(jsonRoute(thing), { id: 1, name: undefined, note: null })).toMatch(/^name : /);
  });

  it('wants a file for a download and nothing for a 204', () => {
    expect(responseProblem(jsonRoute(fileResponse('application/pdf')), Reply.file(Buffer.from('%PDF'), 'application/pdf'))).toBeNull();
    expect(responseProblem(jsonRoute(fileResponse('application/pdf')), { id: 1 })).toMatch(/fichier/);
    expect(responseProblem(jsonRoute(noContent), Reply.noContent())).toBeNull();
    expect(responseProblem(jsonRoute(noContent), { ok: true })).toMatch(/204/);
    expect(responseProblem(jsonRoute(thing), Reply.file('a;b', 'text/csv'))).toMatch(/JSON/);
  });

  it('is on under the tests and off in production unless asked for', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).checkResponses).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).checkResponses).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', CHECK_RESPONSES: 'on' }).checkResponses).toBe(true);
  });

  it('every JSON response schema is strict: nothing leaves the server that the contract does not name', () => {
    const loose: string[] = [];
    for (const r of allRoutes) {
      if (r.response && isSchema(r.response)) loose.push(...looseObjects(r.response, `${r.method.toUpperCase()} ${r.path}`));
    }
    expect(loose).toEqual([]);
    // The walk itself finds a loose object, however deep.
    expect(looseObjects(z.array(z.strictObject({ a: z.object({ b: z.number() }).nullable() })), 'x')).toEqual(['x[].a']);
  });
});
