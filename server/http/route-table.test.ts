import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRoutes } from '../http/routes.ts';
import { RouteTable } from './route-table.ts';

/**
 * The route table must find, for any request, the route express's own router would have run: express is the
 * model here, serving every route of the API on a real port, each answering which one it is.
 */
describe('the API route table', () => {
  let server: http.Server;
  let base = '';
  const table = new RouteTable(allRoutes);

  beforeAll(async () => {
    const app = express();
    allRoutes.forEach((def, i) => app[def.method](def.path, (req, res) => res.json({ i, params: { ...req.params } })));
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** What express did: the route's index and parameters, or the status it answered without one. */
  type Outcome = { status?: number; head?: boolean; i?: number; params?: Record<string, string> };
  async function viaExpress(method: string, path: string): Promise<Outcome> {
    const res = await fetch(base + path, { method });
    if (res.status !== 200) return { status: res.status };
    return method === 'HEAD' ? { status: 200, head: true } : ((await res.json()) as Outcome);
  }

  function viaTable(method: string, path: string): Outcome {
    try {
      const found = table.find(method, path);
      if (!found) return { status: 404 };
      return method === 'HEAD' ? { status: 200, head: true } : { i: allRoutes.indexOf(found.def), params: { ...found.params } };
    } catch (err) {
      return { status: (err as { status?: number }).status ?? 500 };
    }
  }

  // Each route's path with its parameters filled in several ways, and the path written differently.
  const fills = ['12', 'a.b-c_d', 'caf%C3%A9', 'export', '%E0%A4%A'];
  const requests: [string, string][] = [];
  for (const def of allRoutes) {
    for (const fill of def.path.includes(':') ? fills : ['']) {
      const path = def.path.replace(/:[A-Za-z]+/g, fill);
      for (const variant of [path, path.toUpperCase(), `${path}/`, `${path}//`, `${path}/x`, path.replace('/api/', '/api//')])
        for (const method of new Set([def.method.toUpperCase(), 'HEAD', 'GET', 'POST'])) requests.push([method, variant]);
    }
  }
  requests.push(['GET', '/api'], ['GET', '/api/'], ['GET', '/api/nothing-here'], ['DELETE', '/api/sales']);

  /** The path is one of a route's (parameters decoded or not), but no route of this method has it. */
  const otherMethodOnly = (method: string, path: string) =>
    ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].some((m) => m !== method && viaTableLoose(m, path)) &&
    viaTableLoose(method === 'HEAD' ? 'GET' : method, path) === false;
  /** Whether a route of `method` has this path, whatever its parameters decode to. */
  const viaTableLoose = (method: string, path: string) => {
    try {
      return table.find(method, path) !== null;
    } catch {
      return true;
    }
  };

  it(`finds the route express runs for ${requests.length} requests (every route, its parameters and spellings)`, async () => {
    const differences: string[] = [];
    for (const [method, path] of requests) {
      const expected = await viaExpress(method, path);
      const found = viaTable(method, path);
      // Express decodes a path's parameters as soon as a route's path matches, before it looks at the method:
      // a parameter that does not decode, on a path only another method serves, is its 400 and the table's 404.
      if (expected.status === 400 && found.status === 404 && otherMethodOnly(method, path)) continue;
      if (JSON.stringify(found) !== JSON.stringify(expected))
        differences.push(`${method} ${path}: express ${JSON.stringify(expected)}, table ${JSON.stringify(found)}`);
    }
    expect(differences).toEqual([]);
    // The requests are not all alike: found by both, refused by both, a parameter that does not decode.
    const statuses = new Set(requests.map(([m, p]) => JSON.stringify(viaTable(m, p).status ?? 200)));
    expect(statuses).toEqual(new Set(['200', '404', '400']));
    // 7,7 s here alone; four times that under a full CI run beside the browsers (it timed out at 30 s once).
  }, 120_000);

  it('lets the first route declared win where two match, as express does', () => {
    const defs = [
      { method: 'get', path: '/api/things/:id', bodyKind: 'none' },
      { method: 'get', path: '/api/things/export', bodyKind: 'none' },
      { method: 'get', path: '/api/other/export', bodyKind: 'none' },
      { method: 'get', path: '/api/other/:id', bodyKind: 'none' },
    ] as unknown as ConstructorParameters<typeof RouteTable>[0];
    const t = new RouteTable(defs);
    expect(t.find('GET', '/api/things/export')?.def).toBe(defs[0]);
    expect(t.find('GET', '/api/things/export')?.params).toEqual({ id: 'export' });
    expect(t.find('GET', '/api/other/export')?.def).toBe(defs[2]);
    expect(t.find('GET', '/api/other/7')?.def).toBe(defs[3]);
  });
});
