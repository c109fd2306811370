/**
 * Printable A4 documents (statements, deposit slips) with pdfkit: a letterhead, identity blocks, tables
 * that break across pages with their header repeated, totals, and "page n / N" on every page.
 * Set in the embedded DejaVu Sans with an emoji fallback (`fonts.ts`); `pdfText` swaps the narrow no-break
 * space Intl's fr-FR output puts between thousands for a plain no-break space.
 */
import PDFDocument from 'pdfkit';
import { formatEuros, type Cents } from '../../shared/money.ts';
import { installFonts, regularFont, textRuns } from './fonts.ts';

export const pdfText = (s: string) => s.replace(/\u202f/g, '\u00a0');
export const pdfEuros = (c: number) => pdfText(formatEuros(c as Cents));
const kgFormat = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 3, maximumFractionDigits: 3 });
export const pdfKg = (g: number) => `${pdfText(kgFormat.format(g / 1000))} kg`;
export const pdfDate = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

const num = (n: number) => String(Math.round(n * 100) / 100);

const MARGIN = 42;
const PAGE_W = 595.28;
const PAGE_H = 841.89;
const CONTENT_W = PAGE_W - 2 * MARGIN;
const FOOTER_H = 28;
const INK = '#1f2421';
const MUTED = '#5f6b64';
const RULE = '#c9cfca';
const BAND = '#eef1ec';

export interface Column {
  header: string;
  /** Share of the content width (the shares of a table add up to 1). */
  width: number;
  align?: 'left' | 'right';
}

export interface A4Options {
  title: string;
  /** Shown small on every page's footer, beside the page number (e.g. "Relevé REL-000012 — Ferme X"). */
  footer: string;
  demo: boolean;
  /** The document's own date in its metadata (an invoice's issue day): the same bytes every time it is typeset. */
  date?: Date;
  /**
   * An electronic invoice (Factur-X): the document is made PDF/A-3b, with this XML embedded as an associated
   * file and this XMP added to its metadata.
   */
  embedded?: { name: string; xml: string; relationship: 'Alternative' | 'Data' | 'Source'; xmp: string; description: string };
}

export class A4Document {
  readonly doc: PDFKit.PDFDocument;
  private readonly done: Promise<Buffer>;

  constructor(private readonly options: A4Options) {
    this.doc = installFonts(
      new PDFDocument({
        size: 'A4',
        margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
        bufferPages: true,
        info: { Title: options.title, Creator: 'Comptoir', ...(options.date ? { CreationDate: options.date, ModDate: options.date } : {}) },
        // PDF/A: every font embedded (pdfkit's default Helvetica is not), and the version PDF/A-3 is built on.
        ...(options.embedded
          ? { subset: 'PDF/A-3b' as const, pdfVersion: '1.7' as const, font: regularFont() as unknown as string, lang: 'fr-FR' }
          : {}),
      }),
    );
    const chunks: Buffer[] = [];
    this.doc.on('data', (c: Buffer) => chunks.push(c));
    this.done = new Promise<Buffer>((resolve, reject) => {
      this.doc.on('end', () => resolve(Buffer.concat(chunks)));
      this.doc.on('error', reject);
    });
    this.doc.fillColor(INK);
    this.doc.on('pageAdded', () => this.doc.fillColor(INK));
  }

  get y() {
    return this.doc.y;
  }

  private get bottom() {
    return PAGE_H - MARGIN - FOOTER_H;
  }

  ensureSpace(height: number) {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  /** Two identity blocks side by side: who issues the document and whom it concerns. */
  parties(left: { label: string; lines: string[] }, right: { label: string; lines: string[] }) {
    this.flushSection(60);
    const top = this.doc.y;
    const w = CONTENT_W / 2 - 10;
    const block = (x: number, b: { label: string; lines: string[] }) => {
      this.doc.font('Sans').fontSize(8).fillColor(MUTED).text(b.label.toUpperCase(), x, top, { width: w, characterSpacing: 0.6 });
      this.doc.moveDown(0.2);
      b.lines.forEach((l, i) =>
        this.doc
          .font(i === 0 ? 'Sans-Bold' : 'Sans')
          .fontSize(i === 0 ? 11 : 9)
          .fillColor(INK)
          .text(pdfText(l), x, this.doc.y, { width: w }),
      );
      return this.doc.y;
    };
    const a = block(MARGIN, left);
    const b = block(MARGIN + CONTENT_W / 2 + 10, right);
    this.doc.x = MARGIN;
    this.doc.y = Math.max(a, b) + 14;
  }

  heading(title: string, subtitle?: string) {
    this.flushSection(0);
    this.doc.font('Sans-Bold').fontSize(18).fillColor(INK).text(pdfText(title), MARGIN, this.doc.y, { width: CONTENT_W });
    if (subtitle) this.doc.font('Sans').fontSize(10).fillColor(MUTED).text(pdfText(subtitle), { width: CONTENT_W });
    this.doc.fillColor(INK).moveDown(0.8);
  }

  /** A section heading, set with what follows it: never left alone at the foot of a page. */
  section(title: string) {
    this.flushSection(0);
    // The space above it is a line of what comes before, as pdfkit's moveDown measures it now.
    this.pendingSection = { title, above: this.doc.currentLineHeight(true) * 0.4 };
  }

  private pendingSection: { title: string; above: number } | null = null;

  /**
   * Sets the pending section heading where `next` points of what follows it fit under it too (the start of
   * a table, a summary, a paragraph's first lines), else at the top of the next page.
   */
  private flushSection(next: number) {
    if (this.pendingSection === null) return;
    const { title, above } = this.pendingSection;
    this.pendingSection = null;
    this.doc.font('Sans-Bold').fontSize(11);
    const h = above + this.doc.heightOfString(pdfText(title), { width: CONTENT_W }) + this.doc.currentLineHeight(true) * 0.3;
    this.ensureSpace(h + next);
    // At the top of a new page, no space above.
    if (this.doc.y > MARGIN) this.doc.y += above;
    this.doc.fillColor(INK).text(pdfText(title), MARGIN, this.doc.y, { width: CONTENT_W });
    this.doc.moveDown(0.3);
  }

  paragraph(text: string, opts: { muted?: boolean; size?: number } = {}) {
    // At least two lines of it under a heading.
    this.flushSection(
      Math.min(
        this.doc
          .font('Sans')
          .fontSize(opts.size ?? 9)
          .heightOfString(pdfText(text), { width: CONTENT_W }),
        2 * this.doc.currentLineHeight(true),
      ),
    );
    this.doc
      .font('Sans')
      .fontSize(opts.size ?? 9)
      .fillColor(opts.muted ? MUTED : INK)
      .text(pdfText(text), MARGIN, this.doc.y, { width: CONTENT_W });
    this.doc.fillColor(INK);
  }

  private charWidths = new Map<string, number>();

  /** Width of one line of text without kerning, from per-character advances kept for the document. */
  private widthOf(text: string, bold: boolean, size: number): number {
    let units = 0;
    for (const ch of text) {
      const key = (bold ? 'B' : 'R') + ch;
      let w = this.charWidths.get(key);
      if (w === undefined) {
        w = this.doc
          .font(bold ? 'Sans-Bold' : 'Sans')
          .fontSize(1000)
          .widthOfString(ch);
        this.charWidths.set(key, w);
      }
      units += w;
    }
    this.doc.fontSize(size);
    return (units * size) / 1000;
  }

  /**
   * A table: the header row is drawn again at the top of every page it runs onto. Rows marked `bold`
   * (totals) get a band; a row never splits across pages.
   */
  table(
    columns: readonly Column[],
    rows: readonly { cells: readonly string[]; bold?: boolean; muted?: boolean }[],
    opts: { size?: number } = {},
  ) {
    const size = opts.size ?? 8.5;
    const pad = 4;
    const xs: number[] = [];
    let x = MARGIN;
    for (const c of columns) {
      xs.push(x);
      x += c.width * CONTENT_W;
    }
    const widths = columns.map((c) => c.width * CONTENT_W - 2 * pad);
    // Most cells fit on one line: measured with widthOfString (a sum of glyph advances) they are placed by
    // hand, without pdfkit's line wrapper, which is what makes a 700-line statement fast to typeset. Only a
    // cell too wide for its column goes through wrapping.
    const layout = (cells: readonly string[], bold: boolean) => {
      this.doc.font(bold ? 'Sans-Bold' : 'Sans').fontSize(size);
      const texts = cells.map((c) => pdfText(c));
      // A cell with a pictograph goes through `doc.text`, which sets it run by run in the emoji font.
      const textWidths = texts.map((t) =>
        textRuns(t).some((r) => r.font === 'emoji') ? Number.POSITIVE_INFINITY : this.widthOf(t, bold, size),
      );
      // A single word a little too wide for its column (a date, "5,5 %") is set smaller rather than cut in two.
      const sizes = texts.map((t, i) => {
        const tw = textWidths[i]!;
        if (tw <= widths[i]!) return size;
        return !/[ \t\n]/.test(t.trim()) && tw * 0.75 <= widths[i]! ? (size * widths[i]!) / tw : 0;
      });
      const lineH = this.doc.currentLineHeight(true);
      let h = lineH;
      texts.forEach((t, i) => {
        if (!sizes[i])
          h = Math.max(
            h,
            this.doc.heightOfString(
              textRuns(t)
                .map((r) => r.text)
                .join(''),
              { width: widths[i]! },
            ),
          );
      });
      return { texts, textWidths, sizes, h: h + 2 * pad };
    };
    const drawRow = (row: ReturnType<typeof layout>, style: { bold?: boolean; muted?: boolean; header?: boolean }) => {
      const { texts, textWidths, sizes, h } = row;
      const y = this.doc.y;
      if (style.header) this.doc.rect(MARGIN, y, CONTENT_W, h).fill(INK);
      else if (style.bold) this.doc.rect(MARGIN, y, CONTENT_W, h).fill(BAND);
      this.doc
        .font(style.bold || style.header ? 'Sans-Bold' : 'Sans')
        .fontSize(size)
        .fillColor(style.header ? '#ffffff' : style.muted ? MUTED : INK);
      // One-line cells: one text object for the row, each cell placed with its own text matrix and shown
      // without kerning (the widths above are measured the same way, so right alignment is exact).
      const doc = this.doc as PDFKit.PDFDocument & {
        _font: { id: string; ascender: number; ref(): unknown; encode(text: string): [string[], unknown] };
        page: { fonts: Record<string, unknown>; height: number };
        addContent(s: string): void;
      };
      const font = doc._font;
      doc.page.fonts[font.id] ??= font.ref();
      const baseline = doc.page.height - (y + pad) - (font.ascender / 1000) * size;
      let ops = '';
      texts.forEach((t, i) => {
        if (!t || !sizes[i]) return;
        const w = (textWidths[i]! * sizes[i]!) / size;
        const x = xs[i]! + pad + (columns[i]!.align === 'right' ? widths[i]! - w : 0);
        ops += `/${font.id} ${num(sizes[i]!)} Tf 1 0 0 1 ${num(x)} ${num(baseline)} Tm <${font.encode(t)[0].join('')}> Tj\n`;
      });
      if (ops) doc.addContent(`q\n1 0 0 -1 0 ${num(doc.page.height)} cm\nBT\n${ops}ET\nQ`);
      texts.forEach((t, i) => {
        if (t && !sizes[i]) this.doc.text(t, xs[i]! + pad, y + pad, { width: widths[i]!, align: columns[i]!.align ?? 'left' });
      });
      if (!style.header && !style.bold)
        this.doc
          .moveTo(MARGIN, y + h)
          .lineTo(MARGIN + CONTENT_W, y + h)
          .lineWidth(0.4)
          .strokeColor(RULE)
          .stroke();
      this.doc.fillColor(INK);
      this.doc.x = MARGIN;
      this.doc.y = y + h;
    };
    const header = layout(
      columns.map((c) => c.header),
      true,
    );
    // The header and the first two rows (or the only one) together: a header never ends a page alone.
    const first = rows.slice(0, 2).map((r) => layout(r.cells, !!r.bold));
    const start = header.h + first.reduce((h, r) => h + r.h, 0);
    this.flushSection(start);
    this.ensureSpace(start);
    drawRow(header, { header: true });
    for (const [i, r] of rows.entries()) {
      const row = first[i] ?? layout(r.cells, !!r.bold);
      if (this.doc.y + row.h > this.bottom) {
        this.doc.addPage();
        drawRow(header, { header: true });
      }
      drawRow(row, r);
    }
    this.doc.moveDown(0.6);
  }

  /** Label / value pairs right-aligned under a table: the totals that matter. */
  summary(rows: readonly { label: string; value: string; strong?: boolean }[]) {
    // DejaVu Sans is wider than Helvetica: the longest label ("Reste dû par le déposant", 12 pt bold) keeps one line.
    const w = 320;
    const x = MARGIN + CONTENT_W - w;
    this.flushSection(rows.length * 18 + 10);
    this.ensureSpace(rows.length * 18 + 10);
    for (const r of rows) {
      const y = this.doc.y;
      const size = r.strong ? 12 : 9.5;
      if (r.strong) this.doc.rect(x - 6, y - 3, w + 6, size + 9).fill(BAND);
      this.doc
        .font(r.strong ? 'Sans-Bold' : 'Sans')
        .fontSize(size)
        .fillColor(INK);
      this.doc.text(pdfText(r.label), x, y, { width: w - 105 });
      this.doc.text(pdfText(r.value), x + w - 105, y, { width: 105, align: 'right' });
      this.doc.y = y + size + 8;
    }
    this.doc.x = MARGIN;
    this.doc.moveDown(0.5);
  }

  /** Boxes for handwritten signatures (a deposit slip is signed by both sides). */
  signatures(labels: readonly string[]) {
    const h = 80;
    this.flushSection(h + 20);
    this.ensureSpace(h + 20);
    const gap = 16;
    const w = (CONTENT_W - gap * (labels.length - 1)) / labels.length;
    const y = this.doc.y + 6;
    labels.forEach((label, i) => {
      const x = MARGIN + i * (w + gap);
      this.doc.rect(x, y, w, h).lineWidth(0.6).strokeColor(RULE).stroke();
      this.doc
        .font('Sans')
        .fontSize(8)
        .fillColor(MUTED)
        .text(pdfText(label), x + 6, y + 6, { width: w - 12 });
    });
    this.doc.fillColor(INK);
    this.doc.x = MARGIN;
    this.doc.y = y + h + 10;
  }

  /** Page numbers, footer and the DEMO mark on every page, then the bytes. */
  finish(): Promise<Buffer> {
    this.flushSection(0);
    const range = this.doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      const y = PAGE_H - MARGIN - 12;
      this.doc
        .moveTo(MARGIN, y - 6)
        .lineTo(MARGIN + CONTENT_W, y - 6)
        .lineWidth(0.4)
        .strokeColor(RULE)
        .stroke();
      this.doc.font('Sans').fontSize(7.5).fillColor(MUTED);
      this.doc.text(pdfText(this.options.footer), MARGIN, y, { width: CONTENT_W - 90, lineBreak: false, height: 10 });
      this.doc.text(`Page ${i + 1} / ${range.count}`, MARGIN + CONTENT_W - 90, y, {
        width: 90,
        align: 'right',
        lineBreak: false,
        height: 10,
      });
      if (this.options.demo) {
        this.doc.save();
        this.doc
          .font('Sans-Bold')
          .fontSize(11)
          .fillColor('#b3261e')
          .text('DEMO — document sans valeur', MARGIN, MARGIN - 26, { width: CONTENT_W, align: 'right', lineBreak: false, height: 14 });
        this.doc.restore();
      }
    }
    const e = this.options.embedded;
    if (e) {
      // pdfkit's typings lack `relationship` (the /AFRelationship PDF/A-3 needs), which its code supports.
      this.doc.file(Buffer.from(e.xml, 'utf8'), {
        name: e.name,
        type: 'text/xml',
        relationship: e.relationship,
        description: e.description,
        ...(this.options.date ? { creationDate: this.options.date, modifiedDate: this.options.date } : {}),
      } as PDFKit.Mixins.PDFAttachmentOptions);
      this.doc.appendXML(e.xmp);
    }
    this.doc.end();
    return this.done;
  }
}
