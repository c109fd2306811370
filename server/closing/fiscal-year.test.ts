import { describe, expect, it } from 'vitest';
import { fiscalYearOf } from './fiscal-year.ts';

describe('the fiscal year', () => {
  it('is the calendar year when it ends in December', () => {
    const f = fiscalYearOf('2026', 12);
    expect([f.from, f.to]).toEqual(['2026-01-01', '2026-12-31']);
    expect(f.months).toEqual([
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
      '2026-12',
    ]);
  });
  it('runs from July to June when it ends in June, named by the year it ends in', () => {
    const f = fiscalYearOf('2026', 6);
    expect([f.from, f.to]).toEqual(['2025-07-01', '2026-06-30']);
    expect(f.months[0]).toBe('2025-07');
    expect(f.months[11]).toBe('2026-06');
  });
  it('ends on the last day of February, 29th in a leap year', () => {
    expect(fiscalYearOf('2028', 2).to).toBe('2028-02-29');
    expect(fiscalYearOf('2027', 2)).toMatchObject({ from: '2026-03-01', to: '2027-02-28' });
  });
});
