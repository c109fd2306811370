/**
 * The till's JavaScript budget: every script the till's page loads (its entry and the chunks it imports),
 * gzipped, must stay under 120 KB: a tablet on the shop's Wi-Fi opens the till at once. Run after
 * `vite build`; exits 1 when the budget is broken (CI runs it through `npm test`).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const BUDGET_BYTES = 120 * 1024;
const dist = path.resolve(import.meta.dirname, '../client/dist');
const page = path.join(dist, 'caisse', 'index.html');
if (!fs.existsSync(page)) {
  console.error(`bundle budget: ${page} missing — run \`vite build\` first`);
  process.exit(1);
}

// Scripts named by the page, then what they import, to the end of the graph.
const html = fs.readFileSync(page, 'utf8');
const queue = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="([^"]+\.js)"/g)].map((m) => m[1]!);
const seen = new Set<string>();
while (queue.length) {
  const url = queue.shift()!;
  if (seen.has(url)) continue;
  seen.add(url);
  const code = fs.readFileSync(path.join(dist, url), 'utf8');
  for (const m of code.matchAll(/(?:import|from)\s*\(?\s*["']\.\/([^"']+\.js)["']/g)) queue.push(`/assets/${m[1]}`);
}

let total = 0;
for (const url of seen) {
  const gz = zlib.gzipSync(fs.readFileSync(path.join(dist, url)), { level: 9 }).length;
  total += gz;
  console.log(`  ${url}  ${(gz / 1024).toFixed(1)} KB gzip`);
}
const verdict = total <= BUDGET_BYTES;
console.log(`till JavaScript: ${(total / 1024).toFixed(1)} KB gzip (budget ${BUDGET_BYTES / 1024} KB) — ${verdict ? 'OK' : 'OVER BUDGET'}`);
if (!verdict) process.exit(1);
