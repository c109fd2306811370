import { easterSunday } from './payment-rules.ts';
/**
 * Bank and tax identifiers a producer is paid and invoiced with (issue 21, items 2 and 5), checked by their
 * own control keys: the IBAN's ISO 13616 mod-97, the BIC's ISO 9362 form, the French VAT number's key
 * computed from the SIREN. Shared by the server's validation and the back office's form.
 */

/** IBAN lengths of the SEPA countries (ISO 13616 registry); others are refused for a SEPA transfer. */
const SEPA_IBAN_LENGTHS: Record<string, number> = {
  AD: 24,
  AT: 20,
  BE: 16,
  BG: 22,
  CH: 21,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  EE: 20,
  ES: 24,
  FI: 18,
  FR: 27,
  GB: 22,
  GI: 23,
  GR: 27,
  HR: 21,
  HU: 28,
  IE: 22,
  IS: 26,
  IT: 27,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MT: 31,
  NL: 18,
  NO: 15,
  PL: 28,
  PT: 25,
  RO: 24,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  VA: 22,
};

/** Spaces out, upper case: how an IBAN or BIC is stored. */
export const compactId = (s: string) => s.replace(/\s+/g, '').toUpperCase();

/** An account named without giving it away (event log, lists): FR76 •••• 0189. */
export const maskIban = (iban: string) => `${compactId(iban).slice(0, 4)} •••• ${compactId(iban).slice(-4)}`;

/** Printed in groups of four, as on a RIB: FR76 3000 6000 0112 3456 7890 189. */
export const formatIban = (iban: string) => compactId(iban).replace(/(.{4})(?!$)/g, '$1 ');

/** Why an IBAN is refused (null: valid), in words for the one who typed it. */
export function ibanProblem(raw: string): string | null {
  const iban = compactId(raw);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return 'IBAN invalide : deux lettres de pays, deux chiffres de clé, puis le compte';
  const length = SEPA_IBAN_LENGTHS[iban.slice(0, 2)];
  if (length === undefined) return `IBAN d’un pays hors de la zone SEPA (${iban.slice(0, 2)})`;
  if (iban.length !== length) return `IBAN invalide : ${length} caractères attendus pour ${iban.slice(0, 2)}, ${iban.length} donnés`;
  // Country and key moved to the end, letters as numbers (A = 10 … Z = 35): the whole must be 1 modulo 97.
  return mod97(iban.slice(4) + iban.slice(0, 4)) === 1
    ? null
    : 'IBAN invalide : la clé de contrôle ne correspond pas (une erreur de frappe ?)';
}

/** Why a BIC is refused (null: valid): 8 or 11 characters, bank, country, place, branch. */
export function bicProblem(raw: string): string | null {
  const bic = compactId(raw);
  return /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic) ? null : 'BIC invalide : 8 ou 11 caractères (banque, pays, ville, agence)';
}

/** The French intra-EU VAT number of a SIREN: FR, the key (12 + 3 × (SIREN mod 97)) mod 97 on two digits, the SIREN. */
export function frenchVatNumber(siren: string): string {
  const key = (12 + 3 * (Number(siren) % 97)) % 97;
  return `FR${String(key).padStart(2, '0')}${siren}`;
}

/**
 * Why a VAT number is refused (null: valid). A French one must carry the key of its SIREN and, with a SIRET
 * given, that SIRET's SIREN; another EU country's is checked for its form only.
 */
export function vatNumberProblem(raw: string, siret?: string): string | null {
  const v = compactId(raw);
  if (v.startsWith('FR')) {
    if (!/^FR[0-9A-Z]{2}\d{9}$/.test(v)) return 'numéro de TVA invalide : FR, deux caractères de clé et les 9 chiffres du SIREN';
    if (/^\d{2}$/.test(v.slice(2, 4)) && frenchVatNumber(v.slice(4)) !== v)
      return 'numéro de TVA invalide : la clé ne correspond pas au SIREN';
    if (siret && /^\d{14}$/.test(siret) && v.slice(4) !== siret.slice(0, 9)) return 'numéro de TVA d’un autre SIREN que celui du SIRET';
    return null;
  }
  return /^(AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|XI)[0-9A-Z+*.]{2,13}$/.test(v)
    ? null
    : 'numéro de TVA invalide : deux lettres de pays de l’UE puis le numéro';
}

/** Remainder modulo 97 of a string of digits and letters (A = 10 … Z = 35), digit by digit. */
function mod97(s: string): number {
  let rest = 0;
  for (const ch of s) {
    const v = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest;
}

/** A French IBAN from its RIB (bank 5 digits, branch 5, account 11), with both keys computed: demo and tests. */
export function frenchIban(bank: string, branch: string, account: string): string {
  const ribKey = 97 - ((89 * Number(bank) + 15 * Number(branch) + 3 * Number(account)) % 97);
  const bban = `${bank}${branch}${account}${String(ribKey).padStart(2, '0')}`;
  const key = 98 - mod97(`${bban}FR00`);
  return `FR${String(key).padStart(2, '0')}${bban}`;
}

/** What a document says of a producer's VAT regime (statements, invoices), in the words of the CGI. */
export function vatRegimeMention(status: 'subject' | 'franchise' | 'flat_rate', vatNumber = ''): string {
  if (status === 'franchise') return 'TVA non applicable, art. 293 B du CGI';
  if (status === 'flat_rate') return 'Exploitant agricole au remboursement forfaitaire (art. 298 quater du CGI) : pas de TVA facturée';
  return vatNumber ? `Assujetti à la TVA · n° ${vatNumber}` : 'Assujetti à la TVA';
}

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * A day SEPA credit transfers are executed: a weekday that is not a TARGET2 closing day (1 January, Good
 * Friday, Easter Monday, 1 May, 25 and 26 December). A file asking for another day is executed the next one,
 * or refused, depending on the bank.
 */
export function isBankDay(day: string): boolean {
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  const md = day.slice(5);
  if (md === '01-01' || md === '05-01' || md === '12-25' || md === '12-26') return false;
  const e = easterSunday(Number(day.slice(0, 4)));
  return day !== addDays(e, -2) && day !== addDays(e, 1);
}

/** That day if transfers are executed on it, else the next day they are. */
export function nextBankDay(day: string): string {
  let d = day;
  while (!isBankDay(d)) d = addDays(d, 1);
  return d;
}
