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
});
