/**
 * Reads ESC/POS bytes back: the text lines as printed and the commands seen. Written apart from the
 * encoder and sharing none of its code: WPC1252 through the platform's TextDecoder, PC858 through the
 * system's iconv, so a wrong table in the encoder cannot be agreed with by a wrong table here.
 */
import { execFileSync } from 'node:child_process';
// (TextDecoder('windows-1252') is no help: Node decodes it as Latin-1, € included.)

export interface DecodedLine {
  text: string;
  bold: boolean;
  /** Width and height multipliers. */
  size: [number, number];
  align: 'left' | 'center' | 'right';
}

export type Command =
  | { op: 'init' }
  | { op: 'codepage'; n: number }
  | { op: 'qr'; data: string; moduleSize: number }
  | { op: 'barcode'; system: number; data: string }
  | { op: 'raster'; widthBytes: number; height: number }
  | { op: 'cut'; mode: number }
  | { op: 'drawer'; pin: number; onMs: number; offMs: number }
  | { op: 'feed'; lines: number };

export interface Decoded {
  lines: DecodedLine[];
  commands: Command[];
  /** All the text, one printed line per line. */
  text: string;
}

const tables = new Map<string, string[]>();
/** The upper half of a code page, byte by byte, from the system's iconv ('' where a byte is unassigned). */
function upperHalf(name: 'CP858' | 'CP1252'): string[] {
  let t = tables.get(name);
  if (!t) {
    t = Array.from({ length: 128 }, (_, i) => {
      try {
        return execFileSync('iconv', ['-f', name, '-t', 'UTF-8'], {
          input: Buffer.of(0x80 + i),
          stdio: ['pipe', 'pipe', 'ignore'],
        }).toString('utf8');
      } catch {
        return '';
      }
    });
    tables.set(name, t);
  }
  return t;
}

function decodeByte(b: number, page: number): string {
  if (b < 0x80) return String.fromCharCode(b);
  const table = page === 19 ? upperHalf('CP858') : page === 16 ? upperHalf('CP1252') : null;
  if (table) {
    if (!table[b - 0x80]) throw new Error(`byte 0x${b.toString(16)} is not assigned in code page ${page}`);
    return table[b - 0x80]!;
  }
  if (page === 0) throw new Error(`byte 0x${b.toString(16)} printed in code page 0 (PC437): no ESC t was sent`);
  throw new Error(`code page ${page} not known to the decoder`);
}

export function decodeEscPos(input: Uint8Array): Decoded {
  const b = input;
  let i = 0;
  let page = 0;
  let bold = false;
  let size: [number, number] = [1, 1];
  let align: DecodedLine['align'] = 'left';
  const lines: DecodedLine[] = [];
  const commands: Command[] = [];
  let current = '';
  let lineBold = false;
  let lineSize: [number, number] = [1, 1];
  let lineAlign: DecodedLine['align'] = 'left';
  let qrData: string | null = null;
  let qrModule = 0;
  const need = (n: number) => {
    if (i + n > b.length) throw new Error(`truncated command at offset ${i}`);
  };
  const endLine = () => {
    lines.push({ text: current, bold: lineBold, size: lineSize, align: lineAlign });
    current = '';
  };
  while (i < b.length) {
    const c = b[i]!;
    if (c === 0x0a) {
      endLine();
      i++;
      continue;
    }
    if (c === 0x1b) {
      need(2);
      const op = b[i + 1]!;
      if (op === 0x40) {
        commands.push({ op: 'init' });
        bold = false;
        size = [1, 1];
        align = 'left';
        i += 2;
        continue;
      }
      need(3);
      const n = b[i + 2]!;
      if (op === 0x74) {
        page = n;
        commands.push({ op: 'codepage', n });
        i += 3;
        continue;
      }
      if (op === 0x45) {
        bold = n === 1;
        i += 3;
        continue;
      }
      if (op === 0x2d) {
        i += 3;
        continue;
      }
      if (op === 0x61) {
        align = n === 0 ? 'left' : n === 1 ? 'center' : 'right';
        i += 3;
        continue;
      }
      if (op === 0x64) {
        commands.push({ op: 'feed', lines: n });
        for (let k = 0; k < n; k++) endLine();
        i += 3;
        continue;
      }
      if (op === 0x70) {
        need(5);
        commands.push({ op: 'drawer', pin: n === 0 ? 2 : 5, onMs: b[i + 3]! * 2, offMs: b[i + 4]! * 2 });
        i += 5;
        continue;
      }
      throw new Error(`unknown ESC command 0x${op.toString(16)} at offset ${i}`);
    }
    if (c === 0x1d) {
      need(2);
      const op = b[i + 1]!;
      if (op === 0x21) {
        need(3);
        size = [(b[i + 2]! >> 4) + 1, (b[i + 2]! & 0x0f) + 1];
        i += 3;
        continue;
      }
      if (op === 0x56) {
        need(3);
        const m = b[i + 2]!;
        commands.push({ op: 'cut', mode: m });
        i += m >= 65 ? 4 : 3;
        continue;
      }
      if (op === 0x48 || op === 0x68 || op === 0x77) {
        i += 3;
        continue;
      }
      if (op === 0x6b) {
        need(4);
        const m = b[i + 2]!;
        if (m < 65) throw new Error(`barcode format A not read, offset ${i}`);
        const len = b[i + 3]!;
        need(4 + len);
        commands.push({ op: 'barcode', system: m, data: Buffer.from(b.subarray(i + 4, i + 4 + len)).toString('latin1') });
        i += 4 + len;
        continue;
      }
      if (op === 0x28 && b[i + 2] === 0x6b) {
        need(7);
        const len = b[i + 3]! + (b[i + 4]! << 8);
        const cn = b[i + 5]!;
        const fn = b[i + 6]!;
        need(5 + len);
        if (cn !== 0x31) throw new Error(`2D symbol ${cn} not a QR code at offset ${i}`);
        const body = b.subarray(i + 7, i + 5 + len);
        if (fn === 0x43) qrModule = body[0]!;
        if (fn === 0x50) qrData = Buffer.from(body.subarray(1)).toString('utf8');
        if (fn === 0x51) commands.push({ op: 'qr', data: qrData ?? '', moduleSize: qrModule });
        i += 5 + len;
        continue;
      }
      if (op === 0x76 && b[i + 2] === 0x30) {
        need(8);
        const widthBytes = b[i + 4]! + (b[i + 5]! << 8);
        const height = b[i + 6]! + (b[i + 7]! << 8);
        need(8 + widthBytes * height);
        commands.push({ op: 'raster', widthBytes, height });
        i += 8 + widthBytes * height;
        continue;
      }
      throw new Error(`unknown GS command 0x${op.toString(16)} at offset ${i}`);
    }
    if (c < 0x20) throw new Error(`unexpected control byte 0x${c.toString(16)} at offset ${i}`);
    if (current === '') {
      lineBold = bold;
      lineSize = size;
      lineAlign = align;
    }
    current += decodeByte(c, page);
    i++;
  }
  if (current) endLine();
  return { lines, commands, text: lines.map((l) => l.text).join('\n') };
}
