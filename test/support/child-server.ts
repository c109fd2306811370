import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { shopEnv } from './harness.ts';

const root = path.resolve(import.meta.dirname, '../..');

export interface ChildServer {
  url: string;
  process: ChildProcess;
  /** SIGKILL: no shutdown hook runs, as when the power goes. */
  kill(): Promise<void>;
  stop(): Promise<void>;
  /** What it wrote to stdout and stderr so far (its log at LOG_LEVEL=warn). */
  output(): string;
}

/** The real server (`server/main.ts`) in its own process, on a free port of the loopback. */
export async function startChildServer(
  dataDir: string,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
  /** How long it may take to say it is open (or to exit): a loaded machine's start, or a primary's retries. */
  options: { startTimeoutMs?: number } = {},
): Promise<ChildServer> {
  // Node itself with tsx as a loader, not the tsx launcher: the launcher runs the server in a grandchild
  // that a SIGKILL of the launcher would leave running.
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    // MDNS off: no test sends anything beyond the loopback.
    env: {
      ...process.env,
      ...shopEnv(dataDir),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      BACKUP_HOUR: 'off',
      MDNS: 'off',
      CHECK_RESPONSES: 'on',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Not left running (a primary starting its processes again and again) after the test gave up on it.
      child.kill('SIGKILL');
      reject(new Error(`server did not start:\n${output}`));
    }, options.startTimeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /Ouvert sur\s+(http:\/\/[\d.]+:\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    process: child,
    output: () => output,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
