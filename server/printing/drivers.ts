import fs from 'node:fs';
import dns from 'node:dns';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * What a printer says about itself, from DLE EOT (real-time status). `unknown` when the printer cannot
 * answer (a file, a one-way USB port): the job is still sent.
 */
export type PrinterState = 'ready' | 'paper-out' | 'cover-open' | 'offline' | 'error' | 'unknown';

/**
 * How much of a job the printer may have: `none` (nothing was sent: no connection, or the printer said it
 * could not print before we sent anything), `partial` (the connection broke while sending: what came out
 * is incomplete), `all` (every byte was taken, only its word that it printed is missing).
 */
export type Written = 'none' | 'partial' | 'all';

export class PrintError extends Error {
  constructor(
    message: string,
    readonly state: PrinterState,
    readonly written: Written = 'none',
  ) {
    super(message);
  }
}

/** One interface for every way a printer is wired. `print` resolves once the printer has taken the job. */
export interface PrinterDriver {
  readonly uri: string;
  print(bytes: Uint8Array, jobName: string): Promise<void>;
}

export interface DriverTimeouts {
  connectMs: number;
  /** Writing the job and hearing the printer's status back. */
  writeMs: number;
}

const DEFAULT_TIMEOUTS: DriverTimeouts = { connectMs: 3000, writeMs: 8000 };

// DLE EOT 2 (offline cause) and DLE EOT 4 (paper sensor): each answered by one byte.
const ASK_STATUS = Buffer.from([0x10, 0x04, 0x02, 0x10, 0x04, 0x04]);

/** The state a pair of status bytes (offline cause, paper sensor) describes; bit meanings from the ESC/POS reference. */
export function stateFromStatus(offlineCause: number, paper: number): PrinterState {
  if ((paper & 0x60) === 0x60) return 'paper-out';
  if (offlineCause & 0x04) return 'cover-open';
  if (offlineCause & 0x20) return 'paper-out';
  if (offlineCause & 0x40) return 'error';
  return 'ready';
}

export const stateMessages: Record<PrinterState, string> = {
  ready: 'prête',
  'paper-out': 'plus de papier',
  'cover-open': 'capot ouvert',
  offline: 'hors ligne',
  error: 'en erreur',
  unknown: 'état inconnu',
};

/** `file:DIR`: each job's raw bytes in a file of its own (tests, the demo shop, previews). */
export class FileDriver implements PrinterDriver {
  constructor(
    readonly uri: string,
    private readonly dir: string,
  ) {}

  async print(bytes: Uint8Array, jobName: string): Promise<void> {
    fs.mkdirSync(this.dir, { recursive: true });
    const file = path.join(this.dir, `${jobName}.bin`);
    // Written aside then renamed: a reader never sees half a job.
    fs.writeFileSync(`${file}.part`, bytes);
    fs.renameSync(`${file}.part`, file);
  }
}

/**
 * `tcp://host:9100`: the raw port of network printers (the kitchen's, often). One connection per job:
 * 1. the printer is asked its status (DLE EOT 2 and 4) before anything is sent: out of paper or cover
 *    open, nothing is sent and the job waits (it is never pushed into a printer that says it cannot print);
 * 2. the job is sent, followed by the same two requests: their answer is the printer's word that it took
 *    the job and can still print.
 * What a failure means for the job is in `PrintError.written`: the queue resends a job the printer did not
 * take whole, never one it took whole (see `PrintQueue`).
 */
/** dns.lookup, refusing what no printer is (`notAPrinterAddress`), for the one-address and all-addresses forms. */
const printerLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, options, (error, address, family) => {
    if (error) return (callback as (e: Error | null, a: string, f: number) => void)(error, '', 0);
    const all = Array.isArray(address) ? (address as dns.LookupAddress[]) : [{ address: address as string, family: family ?? 4 }];
    const refused = all.find((a) => notAPrinterAddress(a.address));
    if (refused) {
      const e = Object.assign(new Error(`${hostname} désigne ${refused.address}, qui n’est pas une imprimante du réseau`), {
        code: 'EPRINTERADDR',
      });
      return (callback as (e: Error | null, a: string, f: number) => void)(e, '', 0);
    }
    (callback as (e: Error | null, a: unknown, f?: number) => void)(null, address, family);
  });
};

export class TcpDriver implements PrinterDriver {
  constructor(
    readonly uri: string,
    private readonly host: string,
    private readonly port: number,
    private readonly timeouts: DriverTimeouts = DEFAULT_TIMEOUTS,
    private readonly allowLocal = false,
  ) {}

  print(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      // A name is looked up here, and what it names is checked as a typed address is (a name may point at
      // this machine). IP addresses were checked when the printer was saved.
      const socket = net.connect({ host: this.host, port: this.port, ...(this.allowLocal ? {} : { lookup: printerLookup }) });
      let answers: number[] = [];
      let phase: 'connect' | 'ask' | 'send' | 'confirm' = 'connect';
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const written = (): Written => (phase === 'confirm' ? 'all' : phase === 'send' ? 'partial' : 'none');
      const finish = (error?: PrintError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        if (error) reject(error);
        else resolve();
      };
      const wait = (ms: number, message: string, state: PrinterState) => {
        clearTimeout(timer);
        timer = setTimeout(() => finish(new PrintError(message, state, written())), ms);
      };
      wait(this.timeouts.connectMs, `pas de connexion à ${this.host}:${this.port} en ${this.timeouts.connectMs} ms`, 'offline');
      socket.once('connect', () => {
        phase = 'ask';
        wait(this.timeouts.writeMs, `l’imprimante ne répond pas (${this.timeouts.writeMs} ms)`, 'offline');
        socket.write(ASK_STATUS);
      });
      socket.on('data', (chunk: Buffer) => {
        answers.push(...chunk);
        if (answers.length < 2 || settled) return;
        const state = stateFromStatus(answers[0]!, answers[1]!);
        answers = answers.slice(2);
        if (phase === 'ask') {
          if (state !== 'ready') return finish(new PrintError(`imprimante : ${stateMessages[state]}`, state, 'none'));
          phase = 'send';
          wait(this.timeouts.writeMs, `l’imprimante ne répond pas après le ticket (${this.timeouts.writeMs} ms)`, 'offline');
          // Once the kernel has every byte, only the printer's answer is missing: the job is "all written".
          socket.write(Buffer.concat([Buffer.from(bytes), ASK_STATUS]), (e) => {
            if (!e && phase === 'send') phase = 'confirm';
          });
        } else if (phase === 'confirm' || phase === 'send') {
          // Answered after the job: it was taken whole. Out of paper now: the end may be missing, say so.
          phase = 'confirm';
          if (state === 'ready') finish();
          else finish(new PrintError(`imprimante : ${stateMessages[state]} après le ticket`, state, 'all'));
        }
      });
      // A reset (RST) means the printer dropped bytes it had not read: it did not take the job whole.
      socket.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'ECONNRESET' || e.code === 'EPIPE') phase = phase === 'confirm' ? 'send' : phase;
        if (e.code === 'EPRINTERADDR') return finish(new PrintError(e.message, 'error', 'none'));
        finish(new PrintError(`${this.host}:${this.port} : ${e.code ?? e.message}`, 'offline', written()));
      });
      socket.on('close', () => finish(new PrintError('connexion fermée par l’imprimante avant sa réponse', 'offline', written())));
    });
  }
}

/**
 * `usb:VVVV:PPPP`: a USB receipt printer found by its vendor and product ids among the printers the
 * kernel's usblp driver exposes (/dev/usb/lpN), so no native USB library is needed. The bytes are written
 * to the device; the status is not read back (many USB printers answer only on their own endpoint).
 */
export class UsbDriver implements PrinterDriver {
  constructor(
    readonly uri: string,
    private readonly vendorId: string,
    private readonly productId: string,
    private readonly sysRoot = '/sys/class/usbmisc',
    private readonly devRoot = '/dev/usb',
  ) {}

  /** The /dev node of the printer with these ids, or null when it is not plugged in. */
  findDevice(): string | null {
    let entries: string[];
    try {
      entries = fs.readdirSync(this.sysRoot).filter((e) => /^lp\d+$/.test(e));
    } catch {
      return null;
    }
    for (const lp of entries) {
      // /sys/class/usbmisc/lp0/device is the USB interface; its parent carries idVendor and idProduct.
      const iface = path.join(this.sysRoot, lp, 'device');
      const read = (f: string) => {
        try {
          return fs
            .readFileSync(path.join(iface, '..', f), 'utf8')
            .trim()
            .toLowerCase();
        } catch {
          return '';
        }
      };
      if (read('idVendor') === this.vendorId && read('idProduct') === this.productId) return path.join(this.devRoot, lp);
    }
    return null;
  }

  async print(bytes: Uint8Array): Promise<void> {
    const device = this.findDevice();
    if (!device) throw new PrintError(`imprimante USB ${this.vendorId}:${this.productId} non branchée`, 'offline');
    try {
      const fd = fs.openSync(device, 'w');
      try {
        fs.writeSync(fd, bytes);
      } finally {
        fs.closeSync(fd);
      }
    } catch (e) {
      // The kernel's usblp takes a write whole or fails it: nothing (or an incomplete job) was taken.
      throw new PrintError(`imprimante USB : ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'offline', 'partial');
    }
  }
}

/**
 * Addresses no printer of a shop has: this machine itself (loopback), link-local (169.254/16: a cloud's
 * metadata service), the unspecified address. A manager naming one would make the server a port scanner, or
 * send bytes to its own services (found by a security probe). `PRINTERS_LOCAL=on` allows them (a printer
 * emulator or a print proxy on the server; the tests' fake printers).
 */
const notPrinters = new net.BlockList();
notPrinters.addSubnet('127.0.0.0', 8, 'ipv4');
notPrinters.addSubnet('169.254.0.0', 16, 'ipv4');
notPrinters.addSubnet('0.0.0.0', 8, 'ipv4');
notPrinters.addAddress('::1', 'ipv6');
notPrinters.addAddress('::', 'ipv6');
notPrinters.addSubnet('fe80::', 10, 'ipv6');

export function notAPrinterAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 0) return /^localhost\.?$/i.test(address);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return notPrinters.check(mapped[1]!, 'ipv4') || thisMachine(mapped[1]!);
  return notPrinters.check(address, family === 4 ? 'ipv4' : 'ipv6') || thisMachine(address);
}

/**
 * One of this machine's own addresses on the shop's network (the one the tablets reach it at): as much this
 * server as 127.0.0.1, whose other services a « printer » there would be sent bytes to (found by an attack:
 * PostgreSQL listening on every interface). Read each time: an interface may come or go.
 */
function thisMachine(address: string): boolean {
  const wanted = address.toLowerCase().replace(/%.*$/, '');
  return Object.values(os.networkInterfaces()).some((list) => list?.some((i) => i.address.toLowerCase().replace(/%.*$/, '') === wanted));
}

/** What a printer's address may be: `allowLocal` lifts the loopback and link-local refusal. */
export interface PrinterAddressPolicy {
  allowLocal?: boolean;
}

/** DATA_DIR's own folders (server/journal, server/system, server/tls…): never a printer's. */
const RESERVED_DIRS = ['keys', 'tls', 'witness', 'backups', 'archives'];

/**
 * A printer's address as a manager types it: `file:prints/caisse` (a folder under DATA_DIR: tests, the demo,
 * previews), `tcp://192.168.1.50:9100`, `usb:04b8:0e15`.
 */
export function parsePrinterUri(
  uri: string,
  policy: PrinterAddressPolicy = {},
):
  | { kind: 'file'; dir: string }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'usb'; vendorId: string; productId: string }
  | { error: string } {
  const file = /^file:(.+)$/.exec(uri);
  if (file) {
    // A folder under DATA_DIR, named by plain segments: an absolute path or `..` wrote job files anywhere the
    // server may write (found by a security probe).
    if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/.test(file[1]!))
      return { error: 'file: suivi d’un dossier sous le dossier de données (lettres, chiffres, . - _ et /, sans « .. » ni chemin absolu)' };
    // Nor into the data folder's own: job files beside the signing keys, the TLS keys, the witness, the backups
    // or the archives (a site's manager could set `file:keys`, found by an attack).
    const first = file[1]!.split('/')[0]!.toLowerCase();
    if (RESERVED_DIRS.includes(first))
      return {
        error: `file: le dossier « ${first} » est celui du serveur (clés, témoin, sauvegardes) : choisissez par exemple file:prints/caisse`,
      };
    return { kind: 'file', dir: file[1]! };
  }
  const tcp = /^tcp:\/\/([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(uri);
  if (tcp) {
    const port = Number(tcp[2]);
    if (port < 1 || port > 65535) return { error: 'port TCP de 1 à 65535' };
    const host = tcp[1]!.replace(/^\[|\]$/g, '');
    // Numbers that are not an IPv4 address written plainly (192.168.001.050 is read in octal by the system's
    // resolver, 3232235826, 0xc0a80132 and 10.0.0.0x32 are addresses too): refused, one printer has one
    // writing (no host name is made of numbers only).
    if (host.split('.').every((label) => /^(0x[0-9a-f]*|[0-9]+)$/i.test(label)) && net.isIP(host) !== 4)
      return { error: 'adresse IPv4 attendue en quatre nombres décimaux, sans zéro en tête (192.168.1.50)' };
    if (!policy.allowLocal && notAPrinterAddress(host))
      return { error: `${host} n’est pas l’adresse d’une imprimante du réseau (ce serveur lui-même, ou une adresse locale au lien)` };
    return { kind: 'tcp', host, port };
  }
  const usb = /^usb:([0-9a-fA-F]{4}):([0-9a-fA-F]{4})$/.exec(uri);
  if (usb) return { kind: 'usb', vendorId: usb[1]!.toLowerCase(), productId: usb[2]!.toLowerCase() };
  return { error: 'adresse attendue : file:DOSSIER, tcp://hôte:9100 ou usb:VVVV:PPPP' };
}

/**
 * The one writing of a printer's address, as it is stored and compared: host names in lower case without a
 * final dot, an IPv6 address in its short form, the port as a number, USB ids in lower case. Two printers
 * at the same address written otherwise are then seen to be one (the same host under two names is not).
 */
export function canonicalPrinterUri(uri: string): string {
  const parsed = parsePrinterUri(uri, { allowLocal: true });
  if ('error' in parsed || parsed.kind === 'file') return uri;
  if (parsed.kind === 'usb') return `usb:${parsed.vendorId}:${parsed.productId}`;
  let host = net.isIP(parsed.host) === 6 ? new URL(`http://[${parsed.host}]/`).hostname : parsed.host.toLowerCase().replace(/\.$/, '');
  // An IPv4 address written as IPv6 (::ffff:10.0.0.50) is that IPv4 address.
  const mapped = /^\[::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})\]$/.exec(host);
  if (mapped) {
    const [hi, lo] = [parseInt(mapped[1]!, 16), parseInt(mapped[2]!, 16)];
    host = [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
  }
  return `tcp://${host}:${parsed.port}`;
}

export function driverFor(uri: string, options: { dataDir: string; timeouts?: DriverTimeouts; allowLocal?: boolean }): PrinterDriver {
  const parsed = parsePrinterUri(uri, options);
  if ('error' in parsed) throw new PrintError(parsed.error, 'error');
  if (parsed.kind === 'file') return new FileDriver(uri, path.resolve(options.dataDir, parsed.dir));
  if (parsed.kind === 'tcp') return new TcpDriver(uri, parsed.host, parsed.port, options.timeouts, options.allowLocal ?? false);
  return new UsbDriver(uri, parsed.vendorId, parsed.productId);
}
