import type { Db } from '../../db/schema.ts';
import { shopIdentity } from '../settings/settings.ts';

export interface FiscalYear {
  /** The year the fiscal year ends in: its name (`2026` for July 2025 – June 2026). */
  year: string;
  /** First and last business day, and its twelve months (`YYYY-MM`) in order. */
  from: string;
  to: string;
  months: string[];
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The fiscal year named `year`: the twelve months ending with the shop's last month of the year. */
export function fiscalYearOf(year: string, endMonth: number): FiscalYear {
  const y = Number(year);
  const months: string[] = [];
  for (let k = 11; k >= 0; k--) {
    const index = endMonth - 1 - k; // months back from the last one, 0-based, may be negative
    const yy = index < 0 ? y - 1 : y;
    months.push(`${yy}-${pad((((index % 12) + 12) % 12) + 1)}`);
  }
  const last = months[11]!;
  const lastDay = new Date(Date.UTC(Number(last.slice(0, 4)), Number(last.slice(5, 7)), 0)).getUTCDate();
  return { year, from: `${months[0]}-01`, to: `${last}-${pad(lastDay)}`, months };
}

/** The fiscal year a business day belongs to: named after the year it ends in. */
export function fiscalYearContaining(day: string, endMonth: number): FiscalYear {
  const y = Number(day.slice(0, 4));
  return fiscalYearOf(String(Number(day.slice(5, 7)) <= endMonth ? y : y + 1), endMonth);
}

/** The shop's fiscal year named `year` (its identity's `fiscalYearEndMonth`, December by default). */
export async function shopFiscalYear(db: Db, year: string): Promise<FiscalYear> {
  const identity = await shopIdentity(db).catch(() => null);
  return fiscalYearOf(year, identity?.fiscalYearEndMonth ?? 12);
}
