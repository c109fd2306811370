import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WitnessWriter } from './witness.ts';

describe('the witness writer once closed', () => {
  // Found by an attack on the hosted server: a batch under way when the process lost its duties wrote its witness
  // lines through the closed descriptor, whose number the system had given to a till's socket meanwhile.
  it('writes nothing through its old descriptor, which another file may hold now', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'witness-'));
    const writer = new WitnessWriter(path.join(dir, 'journal.log'));
    writer.append([{ chain: 'till:1', position: 1, hash: 'a'.repeat(64) }]);
    const old = writer.descriptor;
    writer.close();
    // The lowest free number is given again: the next file opened gets the witness's old one (as a rule).
    const other = fs.openSync(path.join(dir, 'other.bin'), 'w');
    if (other !== old) console.warn(`descriptor ${old} not given again (${other}): the write is still refused`);
    expect(() => writer.append([{ chain: 'till:1', position: 2, hash: 'b'.repeat(64) }])).toThrow(/witness closed/);
    writer.close(); // twice: nothing more (it closed the other file's descriptor before)
    fs.writeSync(other, 'still mine');
    fs.closeSync(other);
    expect(fs.readFileSync(path.join(dir, 'other.bin'), 'utf8')).toBe('still mine');
    expect(fs.readFileSync(path.join(dir, 'journal.log'), 'utf8')).toBe(`till:1 1 ${'a'.repeat(64)}\n`);
  });
});
