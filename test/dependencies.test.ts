import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Issue 19, item 9, and the house rule on dependencies: the abandoned `escpos` (which pulled the deprecated
// `request`) is nowhere in the installed tree, and every declared dependency is used by the code.
const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));

/** Tools run from package.json scripts, configs or the test support, not imported by the code. */
const TOOLS = new Set(['tsx', 'vite', 'typescript', 'prettier', 'eslint', 'typescript-eslint', 'vitest', 'axe-core']);

describe('dependencies', () => {
  it('hold no escpos and no request anywhere in the tree', () => {
    const installed = Object.keys(lock.packages).map((p) => p.replace(/^.*node_modules\//, ''));
    expect(installed.filter((n) => n === 'escpos' || n.startsWith('escpos-') || n === 'request')).toEqual([]);
  });

  it('are each used: imported by the code or run as a tool', () => {
    const declared = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)].filter(
      (n) => !n.startsWith('@types/') && !TOOLS.has(n),
    );
    const files = execFileSync('git', ['ls-files', 'server', 'client', 'shared', 'db', 'scripts', 'test', 'bench', '*.ts', '*.js'], {
      cwd: root,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => /\.(ts|tsx|js)$/.test(f));
    const source = files.map((f) => fs.readFileSync(path.join(root, f), 'utf8')).join('\n');
    const unused = declared.filter((n) => !source.includes(`'${n}'`) && !source.includes(`'${n}/`) && !source.includes(`"${n}"`));
    expect(unused).toEqual([]);
  });
});
