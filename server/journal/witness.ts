/**
 * The witness (issue 20, item 2): an append-only file outside the database, `DATA_DIR/witness/journal.log`,
 * where every committed ticket, event and closing adds one line `chain position hash`. Whoever deletes the
 * tail of a chain in the database (or restores an older copy) leaves the witness holding positions the
 * database no longer has, or another hash at a position it rewrote.
 *
 * A restore made with `cli restore` adds a marker line `@restore <event id> <event hash> <chain>=<end>,…`
 * naming the `backup.restored` event written into the restored database and where each chain of that database
 * ends. What the witness held beyond those ends is then the restore's, listed by `verify` with its event
 * rather than as a deletion; a marker whose event the database lacks explains nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { privateDir, PRIVATE_FILE } from '../system/private-files.ts';

export const witnessFile = (dataDir: string) => path.join(dataDir, 'witness', 'journal.log');

export interface WitnessLine {
  chain: string;
  position: number;
  hash: string;
}

export class WitnessWriter {
  private fd: number;
  constructor(readonly file: string) {
    privateDir(path.dirname(file));
    this.fd = fs.openSync(file, 'a', PRIVATE_FILE);
    fs.chmodSync(file, PRIVATE_FILE);
  }

  /** One write and one fdatasync for the lines of a whole commit, after that commit. */
  append(lines: readonly WitnessLine[]): void {
    if (!lines.length) return;
    let text = '';
    for (const l of lines) text += `${l.chain} ${l.position} ${l.hash}\n`;
    this.write(text);
  }

  /** After `cli restore`: the marker that hands what the witness held beyond the restored ends to the restore. */
  markRestore(eventId: number, eventHash: string, ends: ReadonlyMap<string, number>): void {
    const list = [...ends].map(([chain, end]) => `${chain}=${end}`).join(',');
    this.write(`@restore ${eventId} ${eventHash} ${list || '-'}\n`);
  }

  /** Appended whole, then synced to disk before the caller goes on. */
  private write(text: string): void {
    // Closed (this process lost the duties, or stops): never through the old number, which the system may have
    // given to a socket or another file since (found by an attack: witness lines came out in a till's HTTP answer).
    if (this.fd < 0) throw new Error('witness closed: nothing written');
    const buf = Buffer.from(text);
    let off = 0;
    while (off < buf.length) off += fs.writeSync(this.fd, buf, off, buf.length - off);
    fs.fdatasyncSync(this.fd);
  }

  get descriptor(): number {
    return this.fd;
  }

  close(): void {
    if (this.fd < 0) return;
    const fd = this.fd;
    this.fd = -1;
    fs.closeSync(fd);
  }
}

export interface WitnessContent {
  /** Per chain: the hash first witnessed at each position. */
  chains: Map<string, Map<number, string>>;
  /** Positions written twice with different hashes: the database went back and wrote them anew. */
  rewritten: { chain: string; position: number; first: string; later: string }[];
  lines: number;
  /** A last line cut short (a crash mid-write) or any line that does not parse. */
  unreadable: number;
  /** Restores marked by `cli restore`, oldest first, each with what the witness held beyond the restored ends. */
  restores: WitnessRestore[];
}

export interface WitnessRestore {
  eventId: number;
  eventHash: string;
  /** Per chain: the positions (and hashes) witnessed beyond where the restored database ended. */
  takenBack: Map<string, Map<number, string>>;
}

export function readWitness(file: string): WitnessContent | null {
  if (!fs.existsSync(file)) return null;
  const chains = new Map<string, Map<number, string>>();
  const rewritten: WitnessContent['rewritten'] = [];
  let lines = 0;
  let unreadable = 0;
  const restores: WitnessRestore[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    if (line.startsWith('@restore ')) {
      const marker = parseRestore(line);
      if (!marker) {
        unreadable++;
        continue;
      }
      // Beyond each restored end, what was witnessed goes to the restore: the database may write it anew.
      const takenBack = new Map<string, Map<number, string>>();
      for (const [chain, m] of chains) {
        const end = marker.ends.get(chain) ?? 0;
        for (const [position, hash] of m)
          if (position > end) {
            let t = takenBack.get(chain);
            if (!t) takenBack.set(chain, (t = new Map()));
            t.set(position, hash);
            m.delete(position);
          }
      }
      restores.push({ eventId: marker.eventId, eventHash: marker.eventHash, takenBack });
      continue;
    }
    const [chain, pos, hash, extra] = line.split(' ');
    const position = Number(pos);
    if (!chain || !hash || extra !== undefined || !Number.isSafeInteger(position) || !/^[0-9a-f]{64}$/.test(hash)) {
      unreadable++;
      continue;
    }
    lines++;
    let m = chains.get(chain);
    if (!m) chains.set(chain, (m = new Map()));
    const first = m.get(position);
    if (first === undefined) m.set(position, hash);
    else if (first !== hash) rewritten.push({ chain, position, first, later: hash });
  }
  return { chains, rewritten, lines, unreadable, restores };
}

function parseRestore(line: string): { eventId: number; eventHash: string; ends: Map<string, number> } | null {
  const [, id, hash, list, extra] = line.split(' ');
  const eventId = Number(id);
  if (!Number.isSafeInteger(eventId) || !hash || !/^[0-9a-f]{64}$/.test(hash) || !list || extra !== undefined) return null;
  const ends = new Map<string, number>();
  if (list !== '-')
    for (const part of list.split(',')) {
      const [chain, end] = part.split('=');
      if (!chain || !Number.isSafeInteger(Number(end))) return null;
      ends.set(chain, Number(end));
    }
  return { eventId, eventHash: hash, ends };
}
