import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The layout's rules, read from the source: who may import whom. A rule broken here is a design decision
// broken (DESIGN.md, STYLE.md), so it fails the tests like a wrong figure would.

const root = path.resolve(import.meta.dirname, '..');
const TOP = ['server', 'client', 'shared', 'db'];

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'dist' || e.name === 'node_modules' ? [] : sources(rel);
    return /\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [rel] : [];
  });
}

interface Import {
  spec: string;
  typeOnly: boolean;
}

function importsOf(file: string): Import[] {
  const code = fs.readFileSync(path.join(root, file), 'utf8');
  const found: Import[] = [];
  for (const m of code.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?\sfrom\s+'([^']+)'/gm))
    found.push({ spec: m[3]!, typeOnly: !!m[2] });
  for (const m of code.matchAll(/^\s*import\s+'([^']+)'/gm)) found.push({ spec: m[1]!, typeOnly: false });
  for (const m of code.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) found.push({ spec: m[1]!, typeOnly: false });
  return found;
}

const files = TOP.flatMap(sources);
const graph = new Map<string, { file: string; typeOnly: boolean }[]>();
const packages = new Map<string, string[]>();
for (const file of files) {
  const edges: { file: string; typeOnly: boolean }[] = [];
  for (const imp of importsOf(file)) {
    if (imp.spec.startsWith('.')) {
      const target = path.normalize(path.join(path.dirname(file), imp.spec));
      if (files.includes(target)) edges.push({ file: target, typeOnly: imp.typeOnly });
    } else {
      const pkg = imp.spec.startsWith('@') ? imp.spec.split('/').slice(0, 2).join('/') : imp.spec.split('/')[0]!;
      packages.set(file, [...(packages.get(file) ?? []), pkg]);
    }
  }
  graph.set(file, edges);
}

/** Every cycle of runtime imports (type-only imports are erased and cannot make one at run time). */
function cycles(): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const e of graph.get(f) ?? []) {
      if (e.typeOnly) continue;
      if (state.get(e.file) === 'open') found.push([...stack.slice(stack.indexOf(e.file)), e.file]);
      else if (!state.has(e.file)) visit(e.file);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f);
  return found;
}

describe('the layout’s import rules', () => {
  it('reads the tree (a rule over no file proves nothing)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(graph.get('server/server.ts')!.map((e) => e.file)).toContain('server/http/app.ts');
  });

  it('has no import cycle', () => {
    expect(cycles().map((c) => c.join(' → '))).toEqual([]);
  });

  it('keeps express under server/http', () => {
    const outside = [...packages]
      .filter(([f, pkgs]) => pkgs.includes('express') && !f.startsWith(`server${path.sep}http${path.sep}`))
      .map(([f]) => f);
    expect(outside).toEqual([]);
  });

  it('keeps shared/ free of server and client code, and the client free of server code', () => {
    const wrong: string[] = [];
    for (const [file, edges] of graph) {
      for (const e of edges) {
        if (file.startsWith('shared') && (e.file.startsWith('server') || e.file.startsWith('client'))) wrong.push(`${file} → ${e.file}`);
        if (file.startsWith('client') && (e.file.startsWith('server') || (e.file.startsWith('db') && !e.typeOnly)))
          wrong.push(`${file} → ${e.file}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('has the browser reach the API only through the shared contract (no path, no response type written by hand)', () => {
    // Every endpoint the browser calls is named from shared/api and called with call()/link() of client/api.ts,
    // so its response type is the server's schema; a path typed by hand would bring its own type with it.
    const byHand = files
      .filter((f) => f.startsWith('client') && f !== path.join('client', 'api.ts'))
      .flatMap((f) =>
        fs
          .readFileSync(path.join(root, f), 'utf8')
          .split('\n')
          .flatMap((line, i) => (/['"`]\/api\//.test(line) ? [`${f}:${i + 1}`] : [])),
      );
    expect(files.filter((f) => f.startsWith('client')).length).toBeGreaterThan(20);
    expect(byHand).toEqual([]);
  });
});
