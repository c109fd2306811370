/**
 * What a failing printer costs the server: its CPU during a printer outage with 20 jobs waiting, beside
 * the same time with the printer healthy and idle, in the same run (BENCH_PRINT_SECONDS, 30 by default),
 * and the printer-state events the tills receive meanwhile.
 */
import { AS_IN_A_SHOP } from './tickets.ts';
import fs from 'node:fs';
import { io } from 'socket.io-client';
import { startChildServer } from '../test/support/child-server.ts';
import { FakeNetworkPrinter } from '../test/support/fake-printer.ts';
import { aShopDataDir, ADMIN, Client } from '../test/support/harness.ts';

/** CPU time (user + system, seconds) a process has used so far, from /proc (Linux). */
function cpuSecondsOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export async function benchPrinting(seconds = Number(process.env.BENCH_PRINT_SECONDS ?? 30)): Promise<string[]> {
  const dir = await aShopDataDir('comptoir-bench-print-');
  const server = await startChildServer(dir, { ...AS_IN_A_SHOP, PRINTERS_LOCAL: 'on' });
  const printer = await FakeNetworkPrinter.start('down');
  const results: string[] = [];
  try {
    const admin = new Client(server.url);
    await admin.post('/api/auth/login', ADMIN);
    const created = await admin.post('/api/printers', {
      name: 'Réseau',
      role: 'receipt',
      uri: printer.uri,
      columns: 48,
      codePage: 'pc858',
    });
    const printerId = created.body.id as number;
    let events = 0;
    const socket = io(server.url, { transports: ['websocket'], extraHeaders: { cookie: admin.cookieHeader() } });
    socket.on('printer:state', () => events++);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const measure = async () => {
      events = 0;
      const cpu0 = cpuSecondsOf(server.process.pid!);
      await new Promise((r) => setTimeout(r, seconds * 1000));
      return { cpuMs: (cpuSecondsOf(server.process.pid!) - cpu0) * 1000, events };
    };

    // The printer is off: 20 test pages wait, retried with back-off.
    for (let i = 0; i < 20; i++) await admin.post(`/api/printers/${printerId}/test`, {});
    await new Promise((r) => setTimeout(r, 1000));
    const outage = await measure();
    // It comes back: the queue empties, then the printer sits healthy and idle.
    await printer.set('working');
    const end = Date.now() + 60_000;
    while (printer.jobs.length < 20 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1000));
    const idle = await measure();
    socket.close();
    const pct = (ms: number) => ((ms / (seconds * 1000)) * 100).toFixed(2);
    results.push(
      `server CPU, ${seconds} s of printer outage with 20 jobs waiting: ${outage.cpuMs.toFixed(0)} ms (${pct(outage.cpuMs)} % of a core), ${outage.events} printer-state events (${(outage.events / seconds).toFixed(2)}/s; target < 2/s)`,
    );
    results.push(
      `baseline, the same ${seconds} s with the printer healthy and idle:   ${idle.cpuMs.toFixed(0)} ms (${pct(idle.cpuMs)} % of a core), ${idle.events} events`,
    );
    results.push(
      `outage / idle CPU: ${(outage.cpuMs / Math.max(idle.cpuMs, 10)).toFixed(2)} (idle floored at 10 ms: the /proc clock counts 10 ms ticks)`,
    );
  } finally {
    await printer.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

if (process.argv[1]?.endsWith('printing.ts')) {
  for (const line of await benchPrinting()) console.log(line);
}
