export interface Stats {
  n: number;
  medianMs: number;
  p99Ms: number;
  maxMs: number;
}

export function summarize(samplesMs: number[]): Stats {
  const s = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return { n: s.length, medianMs: at(0.5), p99Ms: at(0.99), maxMs: s[s.length - 1]! };
}

export async function measure(n: number, fn: (i: number) => Promise<unknown> | unknown, warmup = Math.min(20, n)): Promise<Stats> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await fn(i);
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return summarize(samples);
}

export function report(name: string, stats: Stats, targetMs?: number) {
  const verdict = targetMs === undefined ? '' : stats.p99Ms <= targetMs ? `  OK (target ${targetMs} ms)` : `  OVER TARGET (${targetMs} ms)`;
  console.log(
    `${name.padEnd(58)} median ${stats.medianMs.toFixed(3).padStart(8)} ms   p99 ${stats.p99Ms.toFixed(3).padStart(8)} ms   (n=${stats.n})${verdict}`,
  );
}
