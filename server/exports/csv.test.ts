import { describe, expect, it } from 'vitest';
import { csvCents, csvKg, toCsv } from './csv.ts';

describe('CSV for French spreadsheets', () => {
  it('starts with a BOM, separates with semicolons, writes decimal commas and CRLF', () => {
    const text = toCsv(
      ['Article', 'Montant', 'Poids'],
      [
        ['Tomme', csvCents(1250), csvKg(1250)],
        ['Remboursement', csvCents(-5), csvKg(7)],
      ],
    );
    expect(text).toBe('\ufeffArticle;Montant;Poids\r\nTomme;12,50;1,250\r\nRemboursement;-0,05;0,007\r\n');
  });
  it('quotes separators and quotes, and defuses formulas', () => {
    const text = toCsv(['a'], [['Miel; "toutes fleurs"'], ['=HYPERLINK("x")'], ['@SUM(A1)']]);
    expect(text.split('\r\n').slice(1, 4)).toEqual(['"Miel; ""toutes fleurs"""', `"'=HYPERLINK(""x"")"`, "'@SUM(A1)"]);
  });
});
