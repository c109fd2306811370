/**
 * A small ESC/POS encoder for receipt and kitchen printers (Epson TM and the many compatibles).
 * Text is encoded for the printer's code page: PC858 (CP850 with € at 0xD5) or WPC1252 (Windows-1252),
 * chosen per printer and announced with ESC t. Characters a code page lacks get a plain substitute
 * (œ → oe, ’ → ', … → ...) or are left out (emoji), never a wrong glyph nor "?".
 */

export type CodePage = 'pc858' | 'wpc1252';
export interface PrinterProfile {
  /** 48 on 80 mm paper, 32 on 58 mm. */
  columns: 32 | 48;
  codePage: CodePage;
}

const ESC = 0x1b;
const GS = 0x1d;
const LF = 0x0a;

// Bytes 0x80–0xFF of each code page, in order (from the published tables).
const PC858_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒáíóúñÑªº¿®¬½¼¡«»░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐└┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈ€ÍÎÏ┘┌█▄¦Ì▀ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u00ad±‗¾¶§÷¸°¨·¹³²■\u00a0';
// Windows-1252: 0x80–0x9F differ from Latin-1 (five are unassigned); 0xA0–0xFF are Latin-1.
const WPC1252_80_9F = '€\0‚ƒ„…†‡ˆ‰Š‹Œ\0Ž\0\0‘’“”•–—˜™š›œ\0žŸ';

/** ESC t n: the code page numbers of Epson's table. */
const CODE_PAGE_NUMBER: Record<CodePage, number> = { pc858: 19, wpc1252: 16 };

function table(cp: CodePage): Map<string, number> {
  const m = new Map<string, number>();
  if (cp === 'pc858') {
    [...PC858_HIGH].forEach((ch, i) => m.set(ch, 0x80 + i));
  } else {
    [...WPC1252_80_9F].forEach((ch, i) => ch !== '\0' && m.set(ch, 0x80 + i));
    for (let b = 0xa0; b <= 0xff; b++) m.set(String.fromCharCode(b), b);
  }
  return m;
}
const TABLES: Record<CodePage, Map<string, number>> = { pc858: table('pc858'), wpc1252: table('wpc1252') };

/** What to print for characters a code page cannot carry. */
const SUBSTITUTES: Record<string, string> = {
  œ: 'oe',
  Œ: 'OE',
  æ: 'ae',
  Æ: 'AE',
  '’': "'",
  '‘': "'",
  '‚': ',',
  '“': '"',
  '”': '"',
  '„': '"',
  '«': '"',
  '»': '"',
  '–': '-',
  '—': '-',
  '−': '-',
  '‐': '-',
  '…': '...',
  '\u00a0': ' ',
  '\u202f': ' ',
  '\u2009': ' ',
  '€': 'EUR',
  '•': '*',
  '×': 'x',
  '°': 'o',
  Ÿ: 'Y',
  ÿ: 'y',
  '™': 'TM',
  '©': '(c)',
  '®': '(R)',
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  ß: 'ss',
  ı: 'i',
};

/**
 * One character's bytes in this code page: its own byte, a plain substitute, its letter without the accent
 * the page lacks (Ł → L, ﬁ → fi), or nothing at all for what no receipt can show (emoji, ideographs, control
 * characters). Never "?": a "?" on a receipt reads as a price or a name the shop did not write.
 */
function encodeChar(ch: string, map: Map<string, number>, out: number[]) {
  const c = ch.codePointAt(0)!;
  if (c >= 0x20 && c < 0x7f) return out.push(c);
  const b = map.get(ch);
  if (b !== undefined) return out.push(b);
  const sub = SUBSTITUTES[ch];
  if (sub !== undefined) {
    for (const s of sub) encodeChar(s, map, out);
    return;
  }
  const bare = ch.normalize('NFKD').replace(/\p{M}+/gu, '');
  if (bare !== ch && bare.length > 0) {
    for (const s of bare) encodeChar(s, map, out);
    return;
  }
  if (c === 0x0a || c === 0x09) return out.push(0x20);
}

const SPACE = 0x20;

export function encodeText(text: string, cp: CodePage): number[] {
  const out: number[] = [];
  const map = TABLES[cp];
  // A character left out takes one of the spaces around it along ("Flan 🍮 maison" → "Flan maison").
  let droppedAfterSpace = false;
  for (const ch of text) {
    const before = out.length;
    encodeChar(ch, map, out);
    if (out.length === before) {
      droppedAfterSpace ||= out[out.length - 1] === SPACE || out.length === 0;
      continue;
    }
    if (droppedAfterSpace && out[before] === SPACE && (before === 0 || out[before - 1] === SPACE)) out.splice(before, 1);
    droppedAfterSpace = false;
  }
  return out;
}

/** How many columns a text takes once printed (substitutes may be longer than the character). */
export function printedWidth(text: string, cp: CodePage): number {
  return encodeText(text, cp).length;
}

/** Cuts a text into lines of at most `width` printed columns, at spaces where it can. */
export function wrap(text: string, width: number, cp: CodePage): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/ +/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (printedWidth(candidate, cp) <= width) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    let rest = word;
    while (printedWidth(rest, cp) > width) {
      let cut = rest.length;
      while (cut > 1 && printedWidth(rest.slice(0, cut), cp) > width) cut--;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  }
  if (line || !lines.length) lines.push(line);
  return lines;
}

export type Align = 'left' | 'center' | 'right';

/** Builds a job's bytes: `new EscPos(profile).init().line('…').cut().bytes()`. */
export class EscPos {
  private readonly out: number[] = [];
  private widthScale = 1;

  constructor(readonly profile: PrinterProfile) {}

  get columns(): number {
    return Math.floor(this.profile.columns / this.widthScale);
  }

  private raw(...bytes: number[]) {
    for (const b of bytes) this.out.push(b & 0xff);
    return this;
  }

  /** ESC @ then ESC t: a clean state and the printer's code page. */
  init() {
    return this.raw(ESC, 0x40, ESC, 0x74, CODE_PAGE_NUMBER[this.profile.codePage]);
  }

  bold(on: boolean) {
    return this.raw(ESC, 0x45, on ? 1 : 0);
  }

  underline(on: boolean) {
    return this.raw(ESC, 0x2d, on ? 1 : 0);
  }

  /** GS !: character width and height multipliers (1 to 8). */
  size(width: number, height: number) {
    this.widthScale = width;
    return this.raw(GS, 0x21, ((width - 1) << 4) | (height - 1));
  }

  align(a: Align) {
    return this.raw(ESC, 0x61, a === 'left' ? 0 : a === 'center' ? 1 : 2);
  }

  text(s: string) {
    for (const b of encodeText(s, this.profile.codePage)) this.out.push(b);
    return this;
  }

  /** A line of text, wrapped to the paper's width. */
  line(s = '') {
    // Leading spaces indent every wrapped line.
    const indent = /^ */.exec(s)![0];
    for (const l of wrap(s.slice(indent.length), this.columns - indent.length, this.profile.codePage)) this.text(indent + l).raw(LF);
    return this;
  }

  feed(lines = 1) {
    return this.raw(ESC, 0x64, lines);
  }

  rule(ch = '-') {
    return this.text(ch.repeat(this.columns)).raw(LF);
  }

  /** A label on the left and an amount on the right; a long label wraps above its amount. */
  pair(left: string, right: string) {
    const cp = this.profile.codePage;
    const rightWidth = printedWidth(right, cp);
    const room = Math.max(1, this.columns - rightWidth - 1);
    const lines = wrap(left, room, cp);
    lines.forEach((l, i) => {
      if (i < lines.length - 1) this.text(l).raw(LF);
      else this.text(l + ' '.repeat(Math.max(1, this.columns - printedWidth(l, cp) - rightWidth)) + right).raw(LF);
    });
    return this;
  }

  /** Fixed columns, each right-aligned but the first (the VAT table). */
  columnsRow(cells: string[], widths: number[]) {
    const cp = this.profile.codePage;
    const parts = cells.map((c, i) => {
      const w = widths[i]!;
      const pad = Math.max(0, w - printedWidth(c, cp));
      return i === 0 ? c + ' '.repeat(pad) : ' '.repeat(pad) + c;
    });
    return this.text(parts.join('')).raw(LF);
  }

  /** GS ( k: a QR code (model 2, error correction M) of this text, `moduleSize` dots per module. */
  qr(data: string, moduleSize = 6) {
    const bytes = [...Buffer.from(data, 'utf8')];
    const len = bytes.length + 3;
    this.raw(GS, 0x28, 0x6b, 4, 0, 0x31, 0x41, 0x32, 0x00); // model 2
    this.raw(GS, 0x28, 0x6b, 3, 0, 0x31, 0x43, moduleSize); // module size
    this.raw(GS, 0x28, 0x6b, 3, 0, 0x31, 0x45, 0x31); // error correction M
    this.raw(GS, 0x28, 0x6b, len & 0xff, len >> 8, 0x31, 0x50, 0x30, ...bytes); // store
    return this.raw(GS, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30); // print
  }

  /** GS k (format B): a CODE128 barcode, with its text printed below (GS H 2). */
  code128(data: string) {
    const bytes = [0x7b, 0x42, ...[...data].map((c) => c.charCodeAt(0) & 0x7f)];
    return this.raw(GS, 0x48, 2, GS, 0x68, 80, GS, 0x77, 2, GS, 0x6b, 73, bytes.length, ...bytes);
  }

  /** GS k (format B): an EAN-13 or EAN-8 barcode, 3 dots per module, 80 dots high, its digits printed below. */
  ean(code: string) {
    const m = code.length === 13 ? 67 : code.length === 8 ? 68 : null;
    if (m === null || !/^\d+$/.test(code)) throw new Error(`ean: ${code} is not an EAN-13 or EAN-8`);
    return this.raw(GS, 0x48, 2, GS, 0x68, 80, GS, 0x77, 3, GS, 0x6b, m, code.length, ...[...code].map((c) => c.charCodeAt(0)));
  }

  /** GS v 0: a 1-bit image, `width` dots wide (rounded up to bytes), rows of packed bits, 1 = black. */
  raster(width: number, height: number, bits: Uint8Array) {
    const bytesPerRow = Math.ceil(width / 8);
    if (bits.length !== bytesPerRow * height) throw new Error(`raster: ${bits.length} bytes for ${bytesPerRow}×${height}`);
    return this.raw(GS, 0x76, 0x30, 0, bytesPerRow & 0xff, bytesPerRow >> 8, height & 0xff, height >> 8, ...bits);
  }

  /** GS V 66 n: feed then partial cut. */
  cut(feed = 3) {
    return this.raw(GS, 0x56, 66, feed);
  }

  /** ESC p: the cash drawer's pulse on pin 2 (50 ms on, 500 ms off). */
  drawer() {
    return this.raw(ESC, 0x70, 0, 25, 250);
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}
