/**
 * The witness (issue 20, item 2): an append-only file outside the database, `DATA_DIR/witness/journal.log`,
 * where every committed ticket, event and closing adds one line `chain position hash`. Whoever deletes the
 * tail of a chain in the database (or restores an older copy) leaves the witness holding positions the
 * database no longer has, or another hash at a position it rewrote.
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
    const buf = Buffer.from(text);
    let off = 0;
    while (off < buf.length) off += fs.writeSync(this.fd, buf, off, buf.length - off);
    fs.fdatasyncSync(this.fd);
  }

  close(): void {
    fs.closeSync(this.fd);
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
}

export function readWitness(file: string): WitnessContent | null {
  if (!fs.existsSync(file)) return null;
  const chains = new Map<string, Map<number, string>>();
  const rewritten: WitnessContent['rewritten'] = [];
  let lines = 0;
  let unreadable = 0;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
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
  return { chains, rewritten, lines, unreadable };
}
