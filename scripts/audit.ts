/**
 * `npm audit` of what ships (production dependencies), failing on a high or critical advisory (issue 19,
 * item 9). Run by `.ci/run` before the tests. When the registry's advisory service cannot be reached (this
 * workplace's machines reach the registry's packages but not its audit endpoint), it says so plainly and
 * does not pretend to have checked.
 */
import { spawnSync } from 'node:child_process';

const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', timeout: 120_000 });
let report: {
  vulnerabilities?: Record<string, { severity: string; via: unknown[] }>;
  error?: { summary?: string };
  message?: string;
} = {};
try {
  report = JSON.parse(run.stdout || '{}');
} catch {
  report = { error: { summary: (run.stderr || run.stdout || 'no answer').trim().split('\n').at(-1) ?? '' } };
}
if (report.error || !report.vulnerabilities) {
  console.log(
    `npm audit: the advisory service did not answer (${report.message ?? report.error?.summary ?? 'no report'}): not checked here.`,
  );
  process.exit(0);
}
const serious = Object.entries(report.vulnerabilities).filter(([, v]) => v.severity === 'high' || v.severity === 'critical');
if (serious.length) {
  console.log(`npm audit: ${serious.length} shipped package(s) with a high or critical advisory:`);
  for (const [name, v] of serious) console.log(`  ${name} (${v.severity})`);
  process.exit(1);
}
console.log('npm audit: no high or critical advisory in the production dependencies.');
