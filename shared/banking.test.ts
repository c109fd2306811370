import { describe, expect, it } from 'vitest';
import { bicProblem, formatIban, frenchIban, frenchVatNumber, ibanProblem, isBankDay, nextBankDay, vatNumberProblem } from './banking.ts';

describe('bank and VAT identifiers', () => {
  it('accepts IBANs whose mod-97 is 1, and names what is wrong with the others', () => {
    // The Banque de France's published example, and a German one from ISO 13616's examples.
    expect(ibanProblem('FR76 3000 6000 0112 3456 7890 189')).toBeNull();
    expect(ibanProblem('DE89 3704 0044 0532 0130 00')).toBeNull();
    // One digit changed: the key no longer matches.
    expect(ibanProblem('FR76 3000 6000 0112 3456 7890 188')).toMatch(/clé de contrôle/);
    expect(ibanProblem('FR76 3000 6000 0112 3456 7890')).toMatch(/27 caractères attendus/);
    expect(ibanProblem('US12 3456 7890')).toMatch(/hors de la zone SEPA/);
    expect(formatIban('fr7630006000011234567890189')).toBe('FR76 3000 6000 0112 3456 7890 189');
    // Built from its RIB, the Banque de France example comes out whole (RIB key 89, IBAN key 76).
    expect(frenchIban('30006', '00001', '12345678901')).toBe('FR7630006000011234567890189');
  });

  it('checks a BIC’s form', () => {
    expect(bicProblem('AGRIFRPP')).toBeNull();
    expect(bicProblem('agrifrpp882')).toBeNull();
    expect(bicProblem('AGRIFRP')).toMatch(/8 ou 11/);
  });

  it('computes and checks the French VAT key from the SIREN', () => {
    // SIREN 732 829 320: 97 × 7 554 941 = 732 829 277, so 732 829 320 mod 97 = 43;
    // key (12 + 3 × 43) mod 97 = 141 mod 97 = 44.
    expect(frenchVatNumber('732829320')).toBe('FR44732829320');
    expect(vatNumberProblem('FR 44 732829320', '73282932000074')).toBeNull();
    expect(vatNumberProblem('FR45732829320')).toMatch(/clé ne correspond pas/);
    expect(vatNumberProblem('FR44732829320', '55208131766522')).toMatch(/autre SIREN/);
    expect(vatNumberProblem('DE123456789')).toBeNull();
    expect(vatNumberProblem('US123')).toMatch(/pays de l’UE/);
  });
});

describe('the days SEPA transfers are executed', () => {
  it('skips weekends and the TARGET2 closing days', () => {
    // 6 December 2026 is a Sunday: Monday the 7th. 25 December 2026 is a Friday: Christmas and the 26th
    // (Saturday), then Sunday: Monday the 28th. Easter 2027 is 28 March: Good Friday 26 March, Easter Monday 29 March.
    expect(nextBankDay('2026-12-06')).toBe('2026-12-07');
    expect(nextBankDay('2026-12-07')).toBe('2026-12-07');
    expect(nextBankDay('2026-12-25')).toBe('2026-12-28');
    expect(isBankDay('2027-03-26')).toBe(false);
    expect(isBankDay('2027-03-29')).toBe(false);
    expect(nextBankDay('2027-03-26')).toBe('2027-03-30');
    expect(isBankDay('2027-01-01')).toBe(false);
    expect(isBankDay('2027-05-01')).toBe(false);
    expect(isBankDay('2027-05-03')).toBe(true);
  });
});
