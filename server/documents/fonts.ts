/**
 * The fonts every PDF is set in. PDF's standard Helvetica only carries Windows-1252, so a name such as
 * "Ferme de l'Ô ☀" or "Crème brûlée 🍮 Œufs" came out as "Ø>ÝÀ". We embed DejaVu Sans (Bitstream Vera
 * licence + public domain changes, via @fontsource/dejavu-sans: Latin-1, Latin Extended, €, ™, ☀, ✓…)
 * and fall back to Noto Emoji (SIL OFL 1.1, via @fontsource/noto-emoji, monochrome) for the pictographs
 * DejaVu lacks. pdfkit only embeds the glyphs a document uses.
 *
 * `installFonts(doc)` registers them as `Sans` and `Sans-Bold`
 * and makes `doc.text` typeset a string in runs, each run in the first font that has its glyphs.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import * as fontkit from 'fontkit';

const require = createRequire(import.meta.url);
const file = (pkg: string, name: string) => require.resolve(`${pkg}/files/${name}`);

const SOURCES = {
  regular: file('@fontsource/dejavu-sans', 'dejavu-sans-latin-400-normal.woff'),
  bold: file('@fontsource/dejavu-sans', 'dejavu-sans-latin-700-normal.woff'),
  emoji: file('@fontsource/noto-emoji', 'noto-emoji-emoji-400-normal.woff'),
} as const;

type Face = keyof typeof SOURCES;
interface Loaded {
  buffer: Buffer;
  hasGlyph: (codePoint: number) => boolean;
}
const loaded = new Map<Face, Loaded>();

/**
 * A WOFF 1.0 font unpacked to the TrueType it wraps (W3C WOFF §4–5: each table zlib-compressed unless its
 * compressed length equals its length). fontkit reads WOFF, but inflates a table again on every read: the
 * subsetting pdfkit does at the end of a document then takes seconds instead of milliseconds.
 */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.readUInt32BE(0) !== 0x774f4646) throw new Error('not a WOFF 1.0 font');
  const numTables = woff.readUInt16BE(12);
  const tables = Array.from({ length: numTables }, (_, i) => {
    const at = 44 + i * 20;
    const [offset, compLength, origLength] = [woff.readUInt32BE(at + 4), woff.readUInt32BE(at + 8), woff.readUInt32BE(at + 12)];
    const raw = woff.subarray(offset, offset + compLength);
    return {
      tag: woff.readUInt32BE(at),
      checksum: woff.readUInt32BE(at + 16),
      data: compLength < origLength ? zlib.inflateSync(raw) : raw,
    };
  });
  const entrySelector = Math.floor(Math.log2(numTables));
  const searchRange = 2 ** entrySelector * 16;
  const header = Buffer.alloc(12 + 16 * numTables);
  header.writeUInt32BE(woff.readUInt32BE(4), 0);
  header.writeUInt16BE(numTables, 4);
  header.writeUInt16BE(searchRange, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(numTables * 16 - searchRange, 10);
  const parts: Buffer[] = [header];
  let offset = header.length;
  tables.forEach((t, i) => {
    header.writeUInt32BE(t.tag, 12 + i * 16);
    header.writeUInt32BE(t.checksum, 16 + i * 16);
    header.writeUInt32BE(offset, 20 + i * 16);
    header.writeUInt32BE(t.data.length, 24 + i * 16);
    const padded = Buffer.alloc((t.data.length + 3) & ~3);
    t.data.copy(padded);
    parts.push(padded);
    offset += padded.length;
  });
  return Buffer.concat(parts);
}

function face(name: Face): Loaded {
  let f = loaded.get(name);
  if (!f) {
    const buffer = woffToSfnt(fs.readFileSync(SOURCES[name]));
    const font = fontkit.create(buffer) as fontkit.Font;
    f = { buffer, hasGlyph: (cp) => font.hasGlyphForCodePoint(cp) };
    loaded.set(name, f);
  }
  return f;
}

/** DejaVu Sans as TrueType bytes: a PDF/A document's default font (every font of a PDF/A must be embedded). */
export const regularFont = () => face('regular').buffer;

/** Joiners and variation selectors shape emoji sequences; set glyph by glyph, they would print as boxes. */
const INVISIBLE = /[\u200d\ufe0e\ufe0f]/gu;

export interface Run {
  text: string;
  font: 'text' | 'emoji';
}

/**
 * A text split into runs by the font that has each character: DejaVu first, then Noto Emoji; a character
 * neither has is replaced by its compatibility decomposition (ﬁ → fi) or, failing that, left out — never a
 * box or a wrong glyph.
 */
export function textRuns(text: string): Run[] {
  const main = face('regular');
  const runs: Run[] = [];
  const push = (s: string, font: Run['font']) => {
    const last = runs[runs.length - 1];
    if (last && last.font === font) last.text += s;
    else runs.push({ text: s, font });
  };
  for (const ch of text.replace(INVISIBLE, '')) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 || main.hasGlyph(cp)) push(ch, 'text');
    else if (face('emoji').hasGlyph(cp)) push(ch, 'emoji');
    else {
      const plain = [...ch.normalize('NFKD').replace(/\p{M}+/gu, '')].filter((c) => main.hasGlyph(c.codePointAt(0)!)).join('');
      if (plain) push(plain, 'text');
    }
  }
  return runs;
}

export const EMOJI_FONT = 'Comptoir-Emoji';

type TextFn = (text: string, x?: number | PDFKit.Mixins.TextOptions, y?: number, options?: PDFKit.Mixins.TextOptions) => unknown;

/** Registers the embedded fonts and makes `doc.text` fall back to the emoji font run by run. */
export function installFonts(doc: PDFKit.PDFDocument): PDFKit.PDFDocument {
  doc.registerFont('Sans', face('regular').buffer);
  doc.registerFont('Sans-Bold', face('bold').buffer);
  doc.registerFont(EMOJI_FONT, face('emoji').buffer);
  doc.font('Sans');
  const original = doc.text.bind(doc) as TextFn;
  const d = doc as unknown as { text: TextFn; _font: { name: string }; _fontSize: number };
  d.text = function (text, x, y, options) {
    const s = text == null ? '' : String(text);
    const runs = textRuns(s);
    if (runs.length <= 1 && runs[0]?.font !== 'emoji') return original(runs[0]?.text ?? '', x, y, options);
    const opts: PDFKit.Mixins.TextOptions = (typeof x === 'object' ? x : options) ?? {};
    const at = typeof x === 'number' ? [x, y] : [];
    // The font the caller chose, by the name it was registered under, to come back to after an emoji run.
    const current = (doc as unknown as { _font: { name: string } })._font;
    const chosen = current.name.includes('Bold') ? 'Sans-Bold' : 'Sans';
    runs.forEach((run, i) => {
      doc.font(run.font === 'emoji' ? EMOJI_FONT : chosen);
      const last = i === runs.length - 1;
      const o = { ...opts, continued: last ? opts.continued : true };
      if (i === 0 && at.length) original(run.text, at[0], at[1], o);
      else original(run.text, o);
    });
    doc.font(chosen);
    return doc;
  };
  return doc;
}
