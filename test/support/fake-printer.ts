import net from 'node:net';

/**
 * A network thermal printer on its raw port (9100), played by a TCP server for the fault tests. It reads
 * the ESC/POS stream as a printer does: a real-time status request (DLE EOT n: 0x10 0x04 n) is answered at
 * once with one status byte; everything else is job data. A job is what came between two status requests
 * (the driver asks before and after each job), and is recorded with the time it came.
 *
 * Behaviours, switchable at any time:
 * - `down`: the port is closed (connection refused);
 * - `stall`: connections are accepted, nothing is read or answered;
 * - `drop-mid-job`: the connection is dropped (reset) after `dropAfterBytes` bytes of a job;
 * - `reset-after-print`: the whole job is taken (and printed), then the connection closes before the
 *   status after it is answered, as a printer that reboots;
 * - `late`: the status after a job is answered `lateMs` later;
 * and the status itself: `paperOut`, `coverOpen`.
 */
export type FakePrinterMode = 'working' | 'down' | 'stall' | 'drop-mid-job' | 'reset-after-print' | 'late';

export interface PrintedJob {
  at: number;
  bytes: Buffer;
  /** Taken while the printer said it had no paper or its cover was open. */
  whileNotReady: boolean;
}

const DLE = 0x10;
const EOT = 0x04;

export class FakeNetworkPrinter {
  mode: FakePrinterMode = 'working';
  paperOut = false;
  coverOpen = false;
  dropAfterBytes = 20;
  lateMs = 1000;
  /** Jobs taken whole. */
  readonly jobs: PrintedJob[] = [];
  /** Status requests answered, and connections accepted. */
  statusRequests = 0;
  connections = 0;
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();

  constructor(readonly port: number) {}

  static async start(mode: FakePrinterMode = 'working'): Promise<FakeNetworkPrinter> {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const printer = new FakeNetworkPrinter(port);
    await printer.set(mode);
    return printer;
  }

  get uri() {
    return `tcp://127.0.0.1:${this.port}`;
  }

  /** The status byte a printer gives to DLE EOT n (ESC/POS reference: fixed bits 0x12, then the flags). */
  private statusByte(n: number): number {
    if (n === 2) return 0x12 | (this.coverOpen ? 0x04 : 0) | (this.paperOut ? 0x20 : 0);
    if (n === 4) return 0x12 | (this.paperOut ? 0x60 : 0);
    return 0x12;
  }

  async set(mode: FakePrinterMode) {
    this.mode = mode;
    if (mode === 'down') {
      for (const s of this.sockets) s.destroy();
      if (this.server) await new Promise<void>((r) => this.server!.close(() => r()));
      this.server = null;
      return;
    }
    if (this.server) return;
    this.server = net.createServer((socket) => this.serve(socket));
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', () => r()));
  }

  async close() {
    await this.set('down');
  }

  private serve(socket: net.Socket) {
    this.connections++;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    if (this.mode === 'stall') return; // accepted, never read
    let job: number[] = [];
    let pending: number[] = [];
    /** Status requests that follow a job (two): answered late in `late` mode, as a printer busy printing. */
    let afterJob = 0;
    const answer = (byte: number) => {
      this.statusRequests++;
      if (afterJob > 0 && this.mode === 'late') setTimeout(() => !socket.destroyed && socket.write(Buffer.from([byte])), this.lateMs);
      else socket.write(Buffer.from([byte]));
      if (afterJob > 0) afterJob--;
    };
    socket.on('data', (chunk: Buffer) => {
      if (this.mode === 'stall') return;
      pending.push(...chunk);
      while (pending.length) {
        if (pending[0] === DLE && pending.length < 3) return; // a request cut in two: wait for the rest
        if (pending[0] === DLE && pending[1] === EOT) {
          const n = pending[2]!;
          pending = pending.slice(3);
          if (job.length > 0) {
            this.jobs.push({ at: Date.now(), bytes: Buffer.from(job), whileNotReady: this.paperOut || this.coverOpen });
            job = [];
            afterJob = 2;
            if (this.mode === 'reset-after-print') {
              // Printed, then gone before a word: a clean close (everything it was sent, it read).
              socket.destroy();
              return;
            }
          }
          answer(this.statusByte(n));
          continue;
        }
        job.push(pending.shift()!);
        if (this.mode === 'drop-mid-job' && job.length >= this.dropAfterBytes) {
          // Gone in the middle of a job with bytes unread: the kernel answers with a reset.
          socket.resetAndDestroy();
          return;
        }
      }
    });
  }
}
