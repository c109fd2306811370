import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { A4Document } from './a4.ts';

describe('A4 documents', () => {
  it('break a long table across pages, repeat its header on each, and number the pages', async () => {
    const doc = new A4Document({ title: 'Essai', footer: 'Boutique · essai', demo: true });
    doc.heading('Essai de tableau');
    const rows = Array.from({ length: 150 }, (_, i) => ({ cells: [`Ligne ${i + 1}`, `${(i + 1) * 3},00 €`] }));
    doc.table(
      [
        { header: 'Désignation', width: 0.7 },
        { header: 'Montant', width: 0.3, align: 'right' },
      ],
      rows,
    );
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-a4-')), 'essai.pdf');
    fs.writeFileSync(file, await doc.finish());
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file]).toString())![1]);
    // About 45 rows of 8.5 pt text fit on an A4 page between the margins: 150 rows need 4 pages.
    expect(pages).toBeGreaterThanOrEqual(3);
    let seen = 0;
    for (let p = 1; p <= pages; p++) {
      const text = execFileSync('pdftotext', ['-f', String(p), '-l', String(p), '-layout', file, '-']).toString();
      expect(text).toContain('Désignation');
      expect(text).toContain(`Page ${p} / ${pages}`);
      expect(text).toContain('DEMO');
      seen += (text.match(/Ligne \d+/g) ?? []).length;
    }
    // Every row printed exactly once: none lost at a page break, none printed twice.
    expect(seen).toBe(150);
  });

  // Found on a Z: « TVA par taux » last on page 1, its table on page 2. Wherever the heading falls near the foot
  // of a page, it goes on the page of the table's header and first row, and of the summary it introduces.
  it('keeps a section heading on the page of what it introduces', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-a4-'));
    // A4 is 841.89 pt high, with 42 pt margins and a 28 pt footer: content ends at 771.89. Every start from
    // 670 pt (room for heading, table and summary) to the very end, 3 pt apart.
    for (let y = 670; y <= 770; y += 3) {
      const doc = new A4Document({ title: 'Essai', footer: 'Boutique · essai', demo: false });
      doc.heading('Essai de mise en page');
      doc.doc.y = y;
      doc.section('TVA par taux');
      doc.table(
        [
          { header: 'Taux', width: 0.25 },
          { header: 'Base HT', width: 0.25, align: 'right' },
          { header: 'TVA', width: 0.25, align: 'right' },
          { header: 'Total TTC', width: 0.25, align: 'right' },
        ],
        [
          { cells: ['Taux 5,5', '94,79 €', '5,21 €', '100,00 €'] },
          { cells: ['Taux 20', '83,33 €', '16,67 €', '100,00 €'] },
          { cells: ['Total', '178,12 €', '21,88 €', '200,00 €'], bold: true },
        ],
      );
      doc.section('Par producteur');
      doc.summary([
        { label: 'Ventes de la boutique', value: '100,00 €' },
        { label: 'Ventes pour le compte des producteurs', value: '100,00 €' },
      ]);
      const file = path.join(dir, `y${y}.pdf`);
      fs.writeFileSync(file, await doc.finish());
      const pages = execFileSync('pdftotext', ['-layout', file, '-']).toString().split('\f');
      const pageOf = (s: string) => pages.findIndex((p) => p.includes(s));
      expect([y, pageOf('TVA par taux')], `heading and table from y = ${y}`).toEqual([y, pageOf('Base HT')]);
      expect([y, pageOf('TVA par taux')]).toEqual([y, pageOf('Taux 5,5')]);
      expect([y, pageOf('Par producteur')], `heading and summary from y = ${y}`).toEqual([y, pageOf('Ventes de la boutique')]);
    }
  }, 30_000);
});
