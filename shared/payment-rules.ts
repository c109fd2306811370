/**
 * The payment rules French law sets on a till, as pure functions the till and the server share: meal vouchers
 * (titres-restaurant) only for eligible food, up to a daily cap, not on Sundays and public holidays unless the
 * shop allows it; cash above a threshold only with a manager's confirmation; and the fixed VAT code letters
 * printed on receipts.
 */
import { businessDay } from './time.ts';

export const MEAL_VOUCHER = 'meal_voucher';

/**
 * One letter per French VAT rate, fixed, so the same rate always prints the same code on every receipt:
 * A 5,5 %, B 10 %, C 20 %, D 2,1 %, E 0 %.
 */
export const VAT_CODES: Readonly<Record<number, string>> = { 550: 'A', 1000: 'B', 2000: 'C', 210: 'D', 0: 'E' };

/** The code letter of a rate (basis points); a rate outside the French list (never accepted by the catalogue) prints `?`. */
export function vatCode(rateBp: number): string {
  return VAT_CODES[rateBp] ?? '?';
}

/** Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, Meeus/Jones/Butcher), as YYYY-MM-DD. */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const plusDays = (day: string, n: number) => {
  const t = new Date(`${day}T12:00:00Z`);
  t.setUTCDate(t.getUTCDate() + n);
  return t.toISOString().slice(0, 10);
};

/**
 * The eleven public holidays of metropolitan France (art. L3133-1 Code du travail) in a year, YYYY-MM-DD:
 * 1 January, Easter Monday, 1 May, 8 May, Ascension, Whit Monday, 14 July, 15 August, 1 November,
 * 11 November, 25 December. (Alsace-Moselle adds Good Friday and 26 December: not the case in the Tarn.)
 */
export function frenchPublicHolidays(year: number): string[] {
  const easter = easterSunday(year);
  const fixed = ['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25'].map((md) => `${year}-${md}`);
  return [...fixed, plusDays(easter, 1), plusDays(easter, 39), plusDays(easter, 50)].sort();
}

/** Whether a calendar day (YYYY-MM-DD) is a Sunday or a French public holiday. */
export function isSundayOrHoliday(day: string): boolean {
  if (new Date(`${day}T12:00:00Z`).getUTCDay() === 0) return true;
  return frenchPublicHolidays(Number(day.slice(0, 4))).includes(day);
}

/** Whether meal vouchers may be taken for a ticket rung at `at`, in the shop's time zone. */
export function mealVouchersAllowedAt(at: Date | string, options: { mealVoucherOnSundays: boolean }, timeZone = 'Europe/Paris'): boolean {
  return options.mealVoucherOnSundays || !isSundayOrHoliday(businessDay(at, timeZone));
}

/** The most meal vouchers may pay on a ticket: its eligible items, up to the cap (25 € a day in 2026). */
export function mealVoucherLimit(eligibleCents: number, capCents: number): number {
  return Math.max(0, Math.min(eligibleCents, capCents));
}
