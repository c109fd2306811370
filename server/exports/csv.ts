/**
 * CSV the way French spreadsheet users open it directly (Excel, LibreOffice in fr-FR): UTF-8 with a BOM
 * (so accents survive), `;` between fields, decimal comma, CRLF line ends. Text that a spreadsheet would
 * run as a formula (starting with = + - @, OWASP "CSV injection") is prefixed with an apostrophe.
 */
export type CsvCell = string | number | null | { decimal: number; places: number };

/** Cents as "12,50" (no currency sign: the column says it, and the cell stays a number). */
export const csvCents = (c: number): CsvCell => ({ decimal: c, places: 2 });
/** Grams as kilograms "1,250". */
export const csvKg = (g: number): CsvCell => ({ decimal: g, places: 3 });

function decimal(n: number, places: number): string {
  const abs = Math.abs(n);
  const unit = 10 ** places;
  const frac = abs % unit;
  return `${n < 0 ? '-' : ''}${(abs - frac) / unit},${String(frac).padStart(places, '0')}`;
}

function cell(v: CsvCell): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'object') return decimal(v.decimal, v.places);
  let s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  if (/[;"\r\n]/.test(s)) s = `"${s.replace(/"/g, '""')}"`;
  return s;
}

export function toCsv(header: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  const out = ['\ufeff' + header.map(cell).join(';')];
  for (const r of rows) out.push(r.map(cell).join(';'));
  return out.join('\r\n') + '\r\n';
}
