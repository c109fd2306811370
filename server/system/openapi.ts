import { z } from 'zod';
import { errorSchema } from '../../shared/api/common.ts';
import { isSchema } from '../../shared/api/contract.ts';
import type { RouteDef } from '../http/route.ts';
import { version } from './version.ts';

const toSchema = (s: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

function describeAccess(access: RouteDef['access']): string {
  if (access === 'public') return 'public';
  if (access === 'authenticated') return 'any logged-in user';
  return access.map((a) => (a === 'device' ? 'paired till (device cookie)' : a)).join(', ');
}

function successOf(r: RouteDef) {
  const spec = r.response;
  if (!spec) return { description: 'Success' };
  if (!isSchema(spec)) {
    return spec.kind === 'none'
      ? { description: 'Done, no content' }
      : { description: 'A file', content: { [spec.contentType]: { schema: { type: 'string', format: 'binary' } } } };
  }
  return { description: 'Success', content: { 'application/json': { schema: toSchema(spec, 'output') } } };
}

/** OpenAPI 3.1 document generated from the same zod schemas that validate each request. */
export function buildOpenApi(routes: readonly RouteDef[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ['path', r.params],
      ['query', r.query],
    ] as const) {
      if (!schema) continue;
      const json = toSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(json.properties ?? {})) {
        parameters.push({ name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: s });
      }
    }
    const op: Record<string, unknown> = {
      summary: r.summary,
      tags: [r.tag],
      description: `Who may call it: ${describeAccess(r.access)}${r.needsDevice ? ', from a paired till' : ''}${r.network ? ', not by a manager tied to one site (the network’s business)' : ''}.`,
      'x-access': r.access,
      parameters,
      responses: {
        '2XX': successOf(r),
        '400': {
          description: 'Invalid input: the fields and the reasons',
          content: { 'application/json': { schema: toSchema(errorSchema, 'output') } },
        },
        ...(r.access === 'public' ? {} : { '401': { description: 'Not logged in' }, '403': { description: 'Role not allowed' } }),
      },
    };
    if (r.body && r.bodyKind === 'json') {
      op.requestBody = { required: true, content: { 'application/json': { schema: toSchema(r.body, 'input') } } };
    } else if (r.bodyKind === 'pdf') {
      op.requestBody = { required: true, content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } };
    } else if (r.bodyKind === 'text') {
      op.requestBody = { required: true, content: { 'text/csv': { schema: { type: 'string' } } } };
    }
    (paths[path] ??= {})[r.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Comptoir',
      version,
      description: 'Till and consignment system. Money in integer cents, rates in basis points, weights in grams.',
    },
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'comptoir_session' },
        device: { type: 'apiKey', in: 'cookie', name: 'comptoir_device' },
      },
    },
    paths,
  };
}
