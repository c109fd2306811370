/**
 * The format rules of article A47 A-1 of the Livre des procédures fiscales (FEC), as the administration's
 * notice (BOI-CF-IOR-60-40-20) states them, checked on an exported file independently of the code that made
 * it. Returns every rule broken, as sentences; [] for a file the test-compta-demat tool would accept.
 */
export const FEC_HEADER = [
  'JournalCode',
  'JournalLib',
  'EcritureNum',
  'EcritureDate',
  'CompteNum',
  'CompteLib',
  'CompAuxNum',
  'CompAuxLib',
  'PieceRef',
  'PieceDate',
  'EcritureLib',
  'Debit',
  'Credit',
  'EcritureLet',
  'DateLet',
  'ValidDate',
  'Montantdevise',
  'Idevise',
];

const validDate = (s: string) => {
  if (!/^\d{8}$/.test(s)) return false;
  const d = new Date(Date.UTC(Number(s.slice(0, 4)), Number(s.slice(4, 6)) - 1, Number(s.slice(6, 8))));
  return (
    d.getUTCFullYear() === Number(s.slice(0, 4)) &&
    d.getUTCMonth() === Number(s.slice(4, 6)) - 1 &&
    d.getUTCDate() === Number(s.slice(6, 8))
  );
};
const amountOk = (s: string) => /^-?\d+(,\d{1,2})?$/.test(s);
const cents = (s: string) => Math.round(Number(s.replace(',', '.')) * 100);

/** An exported FEC's lines grouped by entry number: [account, auxiliary, debit, credit] in cents, in file order. */
export type FecLine = [account: string, aux: string, debit: number, credit: number];
export function fecEntries(raw: Buffer): Map<string, FecLine[]> {
  const cents = (s: string) => Math.round(Number(s.replace(',', '.')) * 100);
  const entries = new Map<string, FecLine[]>();
  for (const r of raw
    .toString('latin1')
    .trimEnd()
    .split('\r\n')
    .slice(1)
    .map((l) => l.split('\t')))
    entries.set(r[2]!, [...(entries.get(r[2]!) ?? []), [r[4]!, r[6]!, cents(r[11]!), cents(r[12]!)]]);
  return entries;
}

/** An auxiliary account's balance (credit − debit) over an export: 0 once a producer is settled. */
export const auxBalance = (entries: Map<string, FecLine[]>, aux: string) =>
  [...entries.values()].flat().reduce((s, [, a, d, c]) => (a === aux ? s + c - d : s), 0);

export function fecProblems(filename: string, raw: Buffer, options: { fiscalYearStart?: string } = {}): string[] {
  const problems: string[] = [];
  const name = /^(\d{9})FEC(\d{8})\.txt$/.exec(filename);
  if (!name) problems.push(`file name ${filename}: SIREN, « FEC », the fiscal year's closing date AAAAMMJJ`);
  const closing = name?.[2] ?? '99991231';
  const text = raw.toString('latin1');
  const lines = text.replace(/\r?\n$/, '').split(/\r?\n/);
  const sep = lines[0]!.includes('\t') ? '\t' : '|';
  const header = lines[0]!.split(sep);
  if (header.join() !== FEC_HEADER.join()) problems.push(`header: the 18 fields in the order of A47 A-1, got ${header.join(',')}`);
  const entries = new Map<string, { date: string; debit: number; credit: number }>();
  const numbers = new Map<string, number[]>();
  lines.slice(1).forEach((l, i) => {
    const at = `line ${i + 2}`;
    const f = l.split(sep);
    if (f.length !== 18) return problems.push(`${at}: ${f.length} fields instead of 18`);
    const [
      journal,
      journalLib,
      num,
      date,
      account,
      accountLib,
      auxNum,
      auxLib,
      piece,
      pieceDate,
      label,
      debit,
      credit,
      let_,
      dateLet,
      valid,
      amountCur,
      currency,
    ] = f as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    for (const [v, n] of [
      [journal, 'JournalCode'],
      [journalLib, 'JournalLib'],
      [num, 'EcritureNum'],
      [account, 'CompteNum'],
      [accountLib, 'CompteLib'],
      [piece, 'PieceRef'],
      [label, 'EcritureLib'],
    ] as const)
      if (!v.trim()) problems.push(`${at}: ${n} is mandatory`);
    for (const [v, n] of [
      [date, 'EcritureDate'],
      [pieceDate, 'PieceDate'],
      [valid, 'ValidDate'],
    ] as const)
      if (!validDate(v)) problems.push(`${at}: ${n} « ${v} » is not a date AAAAMMJJ`);
    if (date > closing) problems.push(`${at}: EcritureDate ${date} after the fiscal year's closing ${closing}`);
    if (options.fiscalYearStart && date < options.fiscalYearStart) problems.push(`${at}: EcritureDate ${date} before the fiscal year`);
    if (!amountOk(debit) || !amountOk(credit)) problems.push(`${at}: Debit/Credit must be amounts with a decimal comma`);
    else if (cents(debit) < 0 || cents(credit) < 0 || (cents(debit) !== 0 && cents(credit) !== 0))
      problems.push(`${at}: one side only, never negative`);
    if (Boolean(auxNum) !== Boolean(auxLib)) problems.push(`${at}: CompAuxNum and CompAuxLib go together`);
    if (Boolean(let_) !== Boolean(dateLet)) problems.push(`${at}: EcritureLet and DateLet go together`);
    if (Boolean(amountCur) !== Boolean(currency)) problems.push(`${at}: Montantdevise and Idevise go together`);
    const key = `${journal}:${num}`;
    const e = entries.get(key);
    if (e && e.date !== date) problems.push(`${at}: entry ${num} has two dates`);
    entries.set(key, { date, debit: (e?.debit ?? 0) + cents(debit), credit: (e?.credit ?? 0) + cents(credit) });
    const n = Number(/(\d+)$/.exec(num)?.[1] ?? NaN);
    if (!e) numbers.set(journal, [...(numbers.get(journal) ?? []), n]);
    return undefined;
  });
  for (const [key, e] of entries) if (e.debit !== e.credit) problems.push(`entry ${key}: debit ${e.debit} ≠ credit ${e.credit}`);
  // Each journal's entries numbered on a continuous sequence, in order.
  for (const [journal, ns] of numbers)
    ns.forEach((n, i) => {
      if (i > 0 && n !== ns[i - 1]! + 1) problems.push(`journal ${journal}: number ${n} follows ${ns[i - 1]} (not continuous)`);
    });
  return problems;
}
