import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { textRuns } from './fonts.ts';
import { labelsPdf } from './labels.ts';

describe('the fonts PDFs are set in', () => {
  it('splits a name into runs by the font that has each glyph', () => {
    // DejaVu Sans has è, û, Œ, Ô and ☀ (U+2600); only the custard 🍮 (U+1F36E) needs Noto Emoji.
    expect(textRuns('Crème brûlée 🍮 Œufs')).toEqual([
      { text: 'Crème brûlée ', font: 'text' },
      { text: '🍮', font: 'emoji' },
      { text: ' Œufs', font: 'text' },
    ]);
    expect(textRuns("Ferme de l'Ô ☀")).toEqual([{ text: "Ferme de l'Ô ☀", font: 'text' }]);
    // The variation selector after ☀ shapes nothing on paper; a sign neither font has (㎏) is spelled out.
    expect(textRuns('☀️ 2 ㎏')).toEqual([{ text: '☀ 2 kg', font: 'text' }]);
  });

  it('prints a shelf label whose accented and emoji names come back as text', async () => {
    const pdf = await labelsPdf([
      { name: 'Crème brûlée 🍮 Œufs', producerName: "Ferme de l'Ô ☀", unit: 'piece', priceCents: 450, barcode: null, net: null },
    ]);
    const dir = path.join('test-artifacts', 'labels');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'emoji-label.pdf');
    fs.writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', [file, '-']).toString();
    // Before: Helvetica's WinAnsi turned these into "Ø>ÝÀ"-like bytes.
    expect(text).toContain('Crème brûlée 🍮 Œufs');
    expect(text).toContain("Ferme de l'Ô ☀");
    expect(text).toContain('4,50');
    const fonts = execFileSync('pdffonts', [file]).toString();
    expect(fonts).toMatch(/DejaVuSans-Bold\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    expect(fonts).toMatch(/NotoEmoji/);
    expect(fonts).not.toMatch(/Helvetica/);
    // For the eyes: test-artifacts/labels/emoji-label-1.png.
    execFileSync('pdftoppm', ['-png', '-r', '120', '-f', '1', '-l', '1', file, path.join(dir, 'emoji-label')]);
  });
});
