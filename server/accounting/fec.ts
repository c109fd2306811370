/**
 * What the accountant needs from the till: the FEC (fichier des écritures comptables, article A47 A-1 of
 * the LPF) and the sales journal by VAT rate and payment method, built from the frozen daily closings and
 * the issued statements, never from live figures.
 *
 * Entries, with the accounts of the shop's plan (settings `accounting.plan`):
 * - VE, one per daily closing (Z) of an outlet: payment methods in debit (cash net of change), sales
 *   excl. VAT and VAT collected per rate in credit, exactly the Z's figures; a cash difference counted
 *   at the closing goes between the cash account and cash shortage / overage.
 * - AC, one per statement issued: the self-billed invoice (autofacturation) of the goods bought from the
 *   producer at their price less the commission, excl. VAT in 607 and the deductible VAT in 44566 when the
 *   producer charges VAT (a producer under the franchise or the flat rate charges none: 607 takes it all),
 *   against the producer's supplier account (401, auxiliary).
 * - BQ, one per statement paid: the producer's account settled from the bank (or the cash drawer).
 *
 * That is the commissionnaire model (art. 256 V CGI: the shop sells in its own name). In the mandataire model (the default, `server/accounting/consignment.ts`,
 * chosen per period), what is sold for a producer is theirs: the VE entry credits each producer's 467
 * (auxiliary) with their sales incl. VAT, and only the shop's own goods go to 707 and their VAT to 4457;
 * the statement books the commission invoice (journal VC: 467 to 706 + 4457) and the goods the restaurant
 * bought (607 to 467); the payment settles the 467.
 */
import { ofName } from '../../shared/text.ts';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { defaultAccountPlan, type AccountPlan } from '../../shared/api/accounting.ts';
import { purchaseTotals, type StatementItem, type StatementTotals } from '../../shared/settlement.ts';
import { statementCode } from '../../shared/settlement.ts';
import { businessDay, frDay, shiftDay } from '../../shared/time.ts';
import type { ClosingFigures } from '../closing/figures.ts';
import { fiscalYearContaining } from '../closing/fiscal-year.ts';
import { consignmentSetting, modelOn } from './consignment.ts';
import { invoiceCode } from '../settlement/invoices.ts';
import { Conflict } from '../errors.ts';
import type { Db } from '../../db/schema.ts';
import { toCsv, csvCents, type CsvCell } from '../exports/csv.ts';
import { readSetting, shopIdentity } from '../settings/settings.ts';
import { basisPoints, cents, splitGross } from '../../shared/money.ts';

export const FEC_COLUMNS = [
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
] as const;

export interface EntryLine {
  account: string;
  accountLabel: string;
  aux: { num: string; label: string } | null;
  debitCents: number;
  creditCents: number;
}

export interface Entry {
  journal: string;
  journalLabel: string;
  number: string;
  date: string;
  pieceRef: string;
  pieceDate: string;
  label: string;
  validDate: string;
  lines: EntryLine[];
}

const METHOD_LABELS: Record<string, string> = {
  cash: 'Caisse espèces',
  card: 'Cartes bancaires à encaisser',
  cheque: 'Chèques à encaisser',
  meal_voucher: 'Titres-restaurant à encaisser',
  solidarity: 'Fonds de solidarité (part des foyers payée par le fonds)',
};
const rateLabel = (bp: number) => `${(bp / 100).toLocaleString('fr-FR')} %`;
const frDate = frDay;

/** The shop's plan; accounts added since it was saved take their default. */
export async function accountPlan(db: Db): Promise<AccountPlan> {
  const stored = await readSetting(db, 'accounting.plan');
  if (!stored) return defaultAccountPlan;
  return { ...defaultAccountPlan, ...stored, journals: { ...defaultAccountPlan.journals, ...stored.journals } };
}

/** A line on the side its sign says: a negative debit is a credit (a day of refunds), and the reverse. */
function line(
  account: string,
  accountLabel: string,
  amountCents: number,
  side: 'debit' | 'credit',
  aux: EntryLine['aux'] = null,
): EntryLine | null {
  if (amountCents === 0) return null;
  const debit = (side === 'debit') === amountCents > 0;
  const abs = Math.abs(amountCents);
  return { account, accountLabel, aux, debitCents: debit ? abs : 0, creditCents: debit ? 0 : abs };
}

/** Days of the period that sold (real tickets) without being closed: the export refuses until they are. */
async function unclosedDays(db: Db, from: string, to: string): Promise<{ outlet: string; day: string }[]> {
  const { rows } = await sql<{ outlet: string; day: string }>`
    select o.name as outlet, s.business_day as day
    from outlets o join sales s on s.outlet_id = o.id and s.training = 0 and s.business_day >= ${from} and s.business_day <= ${to}
    where not exists (select 1 from closings c where c.outlet_id = o.id and c.kind = 'day' and c.period = s.business_day)
    group by o.id, s.business_day order by s.business_day, o.id`.execute(db);
  return rows;
}

/**
 * The entries of a period, numbered as in the whole fiscal year (article A47 A-1: a continuous sequence per
 * journal within the year): the year is built from its first day and the period cut out of it, so that an
 * entry keeps its number whatever range is exported. Every day from the year's start must be closed.
 */
export async function accountingEntries(db: Kysely<Database>, period: { from: string; to: string }, timeZone: string): Promise<Entry[]> {
  const endMonth = (await shopIdentity(db).catch(() => null))?.fiscalYearEndMonth ?? 12;
  const yearStart = fiscalYearContaining(period.from, endMonth).from;
  const all = await entriesFrom(db, { from: yearStart, to: period.to }, timeZone, endMonth);
  const from = period.from.replaceAll('-', '');
  return all.filter((e) => e.date >= from);
}

async function entriesFrom(
  db: Kysely<Database>,
  period: { from: string; to: string },
  timeZone: string,
  endMonth: number,
): Promise<Entry[]> {
  const missing = await unclosedDays(db, period.from, period.to);
  if (missing.length) {
    const list = missing
      .slice(0, 5)
      .map((m) => `${m.outlet} le ${frDate(m.day)}`)
      .join(', ');
    throw new Conflict(
      `Clôturez d’abord ${missing.length > 1 ? 'ces journées' : 'cette journée'} : ${list}${missing.length > 5 ? '…' : ''}. Les écritures se font sur les journées clôturées.`,
      'to',
    );
  }
  const plan = await accountPlan(db);
  const producerAux = (slug: string, name: string) => ({
    num: `${plan.producerAuxPrefix}${slug.toUpperCase().replace(/[^0-9A-Z]/g, '')}`.slice(0, 30),
    label: name,
  });
  const salesAccount = (bp: number) => plan.sales.find((s) => s.vatRateBp === bp)?.account ?? plan.salesOther;
  const vatAccount = (bp: number) => plan.vatCollected.find((s) => s.vatRateBp === bp)?.account ?? plan.vatCollectedOther;
  const payAccount = (m: string) => plan.payments[m] ?? defaultAccountPlan.payments[m] ?? plan.paymentsOther;
  const compact = (day: string) => day.replaceAll('-', '');
  const entries: Entry[] = [];
  // Numbered per journal and fiscal year, in the order of the journal's days: VE000001 is the year's first Z.
  const seq = new Map<string, number>();
  const yearOf = (compactDay: string) =>
    fiscalYearContaining(`${compactDay.slice(0, 4)}-${compactDay.slice(4, 6)}-${compactDay.slice(6, 8)}`, endMonth).year;
  const nextNumber = (journal: string, date: string) => {
    const key = `${journal}:${yearOf(date)}`;
    const n = (seq.get(key) ?? 0) + 1;
    seq.set(key, n);
    return `${journal}${String(n).padStart(6, '0')}`;
  };
  const push = (e: Omit<Entry, 'number' | 'lines'>, lines: (EntryLine | null)[]) => {
    const kept = lines.filter((l): l is EntryLine => l !== null);
    if (kept.length) entries.push({ ...e, number: nextNumber(e.journal, e.date), lines: kept });
  };

  // Sales: one entry per daily closing, in the order of the days.
  const closings = await db
    .selectFrom('closings as c')
    .innerJoin('outlets as o', 'o.id', 'c.outlet_id')
    .select(['c.period', 'c.seq', 'c.closed_at', 'c.figures', 'o.id as outletId', 'o.name as outlet', 'o.code'])
    .where('c.kind', '=', 'day')
    .where('c.period', '>=', period.from)
    .where('c.period', '<=', period.to)
    .orderBy('c.period')
    .orderBy('o.id')
    .execute();
  // Mandataire (issue 21): what is sold for a producer is theirs (467, their auxiliary account), only the
  // shop's own goods are its sales; their VAT by rate from the day's own lines (tickets are chained too).
  const consignment = await consignmentSetting(db);
  const ownByDay = new Map<string, { vatRateBp: number; grossCents: number }[]>();
  if (closings.some((c) => modelOn(consignment, c.period) === 'mandataire')) {
    const own = await db
      .selectFrom('sale_lines as l')
      .innerJoin('sales as s', 's.id', 'l.sale_id')
      .select((eb) => ['s.outlet_id', 's.business_day', 'l.vat_rate_bp', eb.fn.sum('l.total_cents').as('gross')])
      .where('l.producer_id', 'is', null)
      .where('s.training', '=', 0)
      .where('s.business_day', '>=', period.from)
      .where('s.business_day', '<=', period.to)
      .groupBy(['s.outlet_id', 's.business_day', 'l.vat_rate_bp'])
      .orderBy('l.vat_rate_bp')
      .execute();
    for (const r of own) {
      const key = `${r.outlet_id}:${r.business_day}`;
      ownByDay.set(key, [...(ownByDay.get(key) ?? []), { vatRateBp: r.vat_rate_bp, grossCents: Number(r.gross) }]);
    }
  }
  const producerSlugs = new Map((await db.selectFrom('producers').select(['id', 'slug', 'name']).execute()).map((p) => [p.id, p] as const));
  for (const c of closings) {
    const f = JSON.parse(c.figures) as ClosingFigures;
    const change = f.changeCents;
    const mandataire = modelOn(consignment, c.period) === 'mandataire';
    const lines: (EntryLine | null)[] = [];
    for (const p of f.byPayment) {
      const amount = p.method === 'cash' ? p.amountCents - change : p.amountCents;
      lines.push(
        line(payAccount(p.method), METHOD_LABELS[p.method] ?? `Encaissements ${p.method.replace(/^other:/, '')}`, amount, 'debit'),
      );
    }
    if (!f.byPayment.some((p) => p.method === 'cash') && change !== 0)
      lines.push(line(payAccount('cash'), METHOD_LABELS.cash!, -change, 'debit'));
    if (mandataire) {
      for (const p of f.byProducer) {
        if (p.producerId === null) continue;
        const pr = producerSlugs.get(p.producerId);
        lines.push(
          line(
            plan.thirdParty,
            `Ventes pour le compte ${ofName(pr?.name ?? p.name)}`,
            p.totalCents,
            'credit',
            producerAux(pr?.slug ?? String(p.producerId), pr?.name ?? p.name),
          ),
        );
      }
      // The shop's own sales: VAT worked out on each rate's day total, by the receipts' rule (the amount
      // excluding VAT rounded half away from zero, the VAT what is left: `splitGross`).
      for (const o of ownByDay.get(`${c.outletId}:${c.period}`) ?? []) {
        const { net, vat } = splitGross(cents(o.grossCents), basisPoints(o.vatRateBp));
        lines.push(line(salesAccount(o.vatRateBp), `Ventes de marchandises TVA ${rateLabel(o.vatRateBp)}`, net, 'credit'));
        lines.push(line(vatAccount(o.vatRateBp), `TVA collectée ${rateLabel(o.vatRateBp)}`, vat, 'credit'));
      }
    } else
      for (const v of f.byVat) {
        lines.push(line(salesAccount(v.vatRateBp), `Ventes de marchandises TVA ${rateLabel(v.vatRateBp)}`, v.netCents, 'credit'));
        lines.push(line(vatAccount(v.vatRateBp), `TVA collectée ${rateLabel(v.vatRateBp)}`, v.vatCents, 'credit'));
      }
    // Tips came in with the cards (in the card's debit above): owed to the staff, not sales.
    if (f.tipsCents) lines.push(line(plan.tips, 'Pourboires à reverser au personnel', f.tipsCents, 'credit'));
    // Meal vouchers worth more than they paid: the issuer reimburses their face value, the excess is the shop's.
    if (f.voucherExcessCents)
      lines.push(
        line(payAccount('meal_voucher'), METHOD_LABELS.meal_voucher!, f.voucherExcessCents, 'debit'),
        line(plan.voucherExcess, 'Titres-restaurant non rendus', f.voucherExcessCents, 'credit'),
      );
    // The drawer counted short (or over): the cash account follows the count.
    const diff = f.cashDifferenceCents ?? 0;
    if (diff < 0)
      lines.push(
        line(plan.cashShortage, 'Écart de caisse (manquant)', -diff, 'debit'),
        line(payAccount('cash'), METHOD_LABELS.cash!, -diff, 'credit'),
      );
    if (diff > 0)
      lines.push(
        line(payAccount('cash'), METHOD_LABELS.cash!, diff, 'debit'),
        line(plan.cashOverage, 'Écart de caisse (excédent)', diff, 'credit'),
      );
    push(
      {
        journal: plan.journals.sales,
        journalLabel: 'Ventes',
        date: compact(c.period),
        pieceRef: `Z-${c.code}-${c.seq}`,
        pieceDate: compact(c.period),
        label: `Ventes ${c.outlet} du ${frDate(c.period)} (Z n° ${c.seq})`,
        validDate: compact(businessDay(new Date(c.closed_at), timeZone)),
      },
      lines,
    );
    // The drawer's own movements that day (the float stays in the drawer: no entry): cash fetched from or
    // taken to the bank through the internal transfers account, small purchases, producers paid in cash
    // (their statement's payment then settles the same transfers account), corrections as cash differences.
    const moves = (f.drawer?.movements ?? []).filter((m) => m.kind !== 'float');
    if (moves.length) {
      const cashLines: (EntryLine | null)[] = [];
      for (const m of moves) {
        const sign = m.kind === 'in' ? 1 : -1;
        const [account, label] =
          m.reason === 'change_supply' || m.reason === 'bank_deposit'
            ? [plan.cashTransfers, m.kind === 'in' ? 'Monnaie apportée de la banque' : 'Espèces déposées en banque']
            : m.reason === 'petty_purchase'
              ? [plan.pettyPurchases, `Petit achat payé en espèces${m.note ? ` : ${m.note}` : ''}`]
              : m.reason === 'producer_payment'
                ? [
                    plan.cashTransfers,
                    `Producteur payé en espèces${m.producerId ? ` : ${producerSlugs.get(m.producerId)?.name ?? ''}` : ''}`,
                  ]
                : m.reason === 'correction'
                  ? m.kind === 'in'
                    ? [plan.cashOverage, 'Correction de caisse (entrée)']
                    : [plan.cashShortage, 'Correction de caisse (sortie)']
                  : [plan.suspense, `Mouvement de caisse à classer${m.note ? ` : ${m.note}` : ''}`];
        cashLines.push(line(payAccount('cash'), METHOD_LABELS.cash!, sign * m.amountCents, 'debit'));
        cashLines.push(line(account, label, sign * m.amountCents, 'credit'));
      }
      push(
        {
          journal: plan.journals.cash,
          journalLabel: 'Caisse',
          date: compact(c.period),
          pieceRef: `Z-${c.code}-${c.seq}`,
          pieceDate: compact(c.period),
          label: `Mouvements de caisse ${c.outlet} du ${frDate(c.period)} (Z n° ${c.seq})`,
          validDate: compact(businessDay(new Date(c.closed_at), timeZone)),
        },
        cashLines,
      );
    }
  }

  // Statements issued in the period (by their day of issue in the shop's zone), then those paid.
  const statements = await db
    .selectFrom('statements as st')
    .innerJoin('producers as p', 'p.id', 'st.producer_id')
    .leftJoin('invoices as inv', 'inv.statement_id', 'st.id')
    .select([
      'inv.year as invoice_year',
      'inv.number as invoice_number',
      'inv.series as invoice_series',
      'st.period_to',
      'st.number',
      'st.issued_at',
      'st.figures',
      'st.net_cents',
      'st.paid_on',
      'st.paid_method',
      'st.paid_reference',
      'st.paid_at',
      'p.name',
      'p.slug',
      'p.vat_status',
      'p.flat_rate_compensation_bp',
    ])
    .where('st.issued_at', '>=', `${shiftDay(period.from, -1)}T00:00:00.000Z`)
    .where('st.issued_at', '<', `${shiftDay(period.to, 1)}T23:59:59.999Z`)
    .orderBy('st.number')
    .execute();
  for (const st of statements) {
    const day = businessDay(new Date(st.issued_at), timeZone);
    if (day < period.from || day > period.to) continue;
    const t = (JSON.parse(st.figures) as { totals: StatementTotals }).totals;
    const aux = producerAux(st.slug, st.name);
    const code = statementCode(st.number);
    if (modelOn(consignment, st.period_to) === 'mandataire') {
      // The statement is an account of sales made in the producer's name, already on their 467 from the
      // Z; what the shop books is its commission invoice to them, and the goods its kitchen bought of them.
      const invoice = st.invoice_year !== null ? invoiceCode(st.invoice_year, st.invoice_number!, st.invoice_series!) : code;
      push(
        {
          journal: plan.journals.commissions,
          journalLabel: 'Commissions',
          date: compact(day),
          pieceRef: invoice,
          pieceDate: compact(day),
          label: `Commission ${invoice} relevé ${code} ${st.name}`,
          validDate: compact(day),
        },
        [
          line(plan.thirdParty, `Commission facturée à ${st.name}`, t.commissionGrossCents, 'debit', aux),
          line(plan.commission, 'Commissions sur dépôt-vente', t.commissionNetCents, 'credit'),
          line(vatAccount(t.commissionVatRateBp), `TVA collectée ${rateLabel(t.commissionVatRateBp)}`, t.commissionVatCents, 'credit'),
        ],
      );
      if (t.kitchenCents)
        push(
          {
            journal: plan.journals.purchases,
            journalLabel: 'Achats',
            date: compact(day),
            pieceRef: code,
            pieceDate: compact(day),
            label: `Marchandises du restaurant relevé ${code} ${st.name}`,
            validDate: compact(day),
          },
          [
            line(plan.purchases, 'Achats de marchandises (restaurant)', t.kitchenCents, 'debit'),
            line(plan.thirdParty, `Marchandises achetées à ${st.name}`, t.kitchenCents, 'credit', aux),
          ],
        );
      continue;
    }
    // Commissionnaire: the shop sold in its own name (VE above: every sale in 707 with its VAT) and bought the
    // goods from the producer at their price less its commission: the self-billed invoice, in purchases (607),
    // with deductible VAT only when the producer charges it, against the producer's supplier account (401).
    // A statement frozen before the purchase was worked out (2026-12-08) is read from its items the same way.
    const items = (JSON.parse(st.figures) as { items: StatementItem[] }).items;
    const purchase = t.purchase ?? purchaseTotals(items, { vatStatus: st.vat_status, flatRateBp: st.flat_rate_compensation_bp });
    const invoice = st.invoice_year !== null ? invoiceCode(st.invoice_year, st.invoice_number!, st.invoice_series!) : code;
    const lines: (EntryLine | null)[] = [];
    if (purchase.regime === 'subject') {
      for (const v of purchase.vat)
        lines.push(line(plan.purchases, `Achats de marchandises TVA ${rateLabel(v.vatRateBp)} (dépôt-vente)`, v.netCents, 'debit'));
      lines.push(line(plan.vatDeductible, 'TVA déductible sur achats', purchase.vatCents, 'debit'));
    } else
      lines.push(
        line(
          plan.purchases,
          `Achats de marchandises sans TVA (${purchase.regime === 'franchise' ? 'franchise 293 B' : 'forfait agricole 298 quater'})`,
          purchase.grossCents,
          'debit',
        ),
      );
    lines.push(line(plan.producers, `Facture ${invoice} de ${st.name}`, purchase.grossCents, 'credit', aux));
    push(
      {
        journal: plan.journals.purchases,
        journalLabel: 'Achats',
        date: compact(day),
        pieceRef: invoice,
        pieceDate: compact(day),
        label: `Autofacturation ${invoice} relevé ${code} ${st.name}`,
        validDate: compact(day),
      },
      lines,
    );
  }
  const paid = await db
    .selectFrom('statements as st')
    .innerJoin('producers as p', 'p.id', 'st.producer_id')
    .select(['st.number', 'st.period_to', 'st.net_cents', 'st.paid_on', 'st.paid_method', 'st.paid_reference', 'p.name', 'p.slug'])
    .where('st.paid_on', '>=', period.from)
    .where('st.paid_on', '<=', period.to)
    .orderBy('st.paid_on')
    .orderBy('st.number')
    .execute();
  // The solidarity fund's money, as it came from its funders (issue 22): the bank receives it, the fund's
  // account holds it until the households' tickets spend it (VE debits it). It was in no entry: the account
  // only ever took debits (found by a walk).
  const contributions = await db
    .selectFrom('solidarity_contributions as c')
    .innerJoin('solidarity_funders as f', 'f.id', 'c.funder_id')
    .select(['c.id', 'c.amount_cents', 'c.received_on', 'f.name'])
    .where('c.received_on', '>=', period.from)
    .where('c.received_on', '<=', period.to)
    .orderBy('c.received_on')
    .orderBy('c.id')
    .execute();
  // One bank journal in the order of its days: statements paid and contributions received.
  const bankDays: { day: string; book: () => void }[] = [];
  for (const c of contributions)
    bankDays.push({
      day: c.received_on,
      book: () =>
        push(
          {
            journal: plan.journals.bank,
            journalLabel: 'Banque',
            date: compact(c.received_on),
            pieceRef: `FS-${String(c.id).padStart(6, '0')}`,
            pieceDate: compact(c.received_on),
            label: `Fonds de solidarité : contribution ${ofName(c.name)}`,
            validDate: compact(c.received_on),
          },
          [
            line(plan.bank, 'Banque', c.amount_cents, 'debit'),
            line(plan.payments.solidarity ?? plan.paymentsOther, 'Fonds de solidarité', c.amount_cents, 'credit'),
          ],
        ),
    });
  for (const st of paid) bankDays.push({ day: st.paid_on!, book: () => bookPaid(st) });
  for (const b of bankDays.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))) b.book();
  return entries;

  function bookPaid(st: (typeof paid)[number]) {
    const code = statementCode(st.number);
    // Paid in cash from the drawer: the drawer's movement took the cash out (journal CA, to the transfers
    // account); the payment settles the producer from that same account.
    const from = st.paid_method === 'cash' ? plan.cashTransfers : plan.bank;
    push(
      {
        journal: plan.journals.bank,
        journalLabel: 'Banque',
        date: compact(st.paid_on!),
        pieceRef: st.paid_reference || code,
        pieceDate: compact(st.paid_on!),
        label: `Règlement relevé ${code} ${st.name}`,
        validDate: compact(st.paid_on!),
      },
      [
        modelOn(consignment, st.period_to) === 'mandataire'
          ? line(plan.thirdParty, `Reversement à ${st.name}`, st.net_cents, 'debit', producerAux(st.slug, st.name))
          : line(plan.producers, 'Producteurs (dépôt-vente)', st.net_cents, 'debit', producerAux(st.slug, st.name)),
        line(from, st.paid_method === 'cash' ? 'Producteur payé en espèces (caisse)' : 'Banque', st.net_cents, 'credit'),
      ],
    );
  }
}

/** Amounts as the FEC writes them: decimal comma, two places, no thousands separator. */
const amount = (c: number) => `${Math.floor(c / 100)},${String(c % 100).padStart(2, '0')}`;

// ISO 8859-15 (Latin-9), the FEC's usual code page: Latin-1 but for eight places (€, Œ, œ, Š, š, Ž, ž, Ÿ).
const LATIN9: Record<string, number> = { '€': 0xa4, Š: 0xa6, š: 0xa8, Ž: 0xb4, ž: 0xb8, Œ: 0xbc, œ: 0xbd, Ÿ: 0xbe };
const LATIN9_TAKEN = new Set([0xa4, 0xa6, 0xa8, 0xb4, 0xb8, 0xbc, 0xbd, 0xbe]);
const PLAIN: Record<string, string> = {
  '\u2019': "'",
  '\u2018': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2026': '...',
  '\u202f': ' ',
  '\u00a0': ' ',
};

export function latin9(text: string): Buffer {
  const out = Buffer.alloc(text.length);
  let n = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    const plain = PLAIN[ch];
    if (plain) {
      for (const p of plain) out[n++] = p.charCodeAt(0);
      continue;
    }
    out[n++] = LATIN9[ch] ?? (c < 0x100 && !LATIN9_TAKEN.has(c) ? c : 0x3f);
  }
  return out.subarray(0, n);
}

/** A field of the file: no tab, no line break inside. */
const field = (s: string) => s.replace(/[\t\r\n|]+/g, ' ').trim();

export async function fecFile(
  db: Kysely<Database>,
  period: { from: string; to: string },
  timeZone: string,
): Promise<{ content: Buffer; filename: string; entries: number }> {
  const entries = await accountingEntries(db, period, timeZone);
  const rows = [FEC_COLUMNS.join('\t')];
  for (const e of entries) {
    for (const l of e.lines) {
      rows.push(
        [
          e.journal,
          e.journalLabel,
          e.number,
          e.date,
          l.account,
          l.accountLabel,
          l.aux?.num ?? '',
          l.aux?.label ?? '',
          e.pieceRef,
          e.pieceDate,
          e.label,
          amount(l.debitCents),
          amount(l.creditCents),
          '',
          '',
          e.validDate,
          '',
          '',
        ]
          .map(field)
          .join('\t'),
      );
    }
  }
  const identity = await shopIdentity(db);
  const siren = identity.siret.replace(/\D/g, '').slice(0, 9);
  // Named after the closing date of the fiscal year it belongs to (article A47 A-1): SIREN FEC AAAAMMJJ.
  const yearEnd = fiscalYearContaining(period.to, identity.fiscalYearEndMonth).to;
  return {
    content: latin9(rows.join('\r\n') + '\r\n'),
    filename: `${siren}FEC${yearEnd.replaceAll('-', '')}.txt`,
    entries: entries.length,
  };
}

/**
 * The sales journal of a period as French spreadsheets open it: one row per daily closing of an outlet,
 * with the tickets, the total, excl. VAT / VAT / incl. VAT per rate, each payment method, and the card tips
 * (when there are any).
 */
export async function salesJournalCsv(db: Kysely<Database>, period: { from: string; to: string }): Promise<string> {
  const closings = await db
    .selectFrom('closings as c')
    .innerJoin('outlets as o', 'o.id', 'c.outlet_id')
    .select(['c.period', 'c.seq', 'c.figures', 'o.name as outlet'])
    .where('c.kind', '=', 'day')
    .where('c.period', '>=', period.from)
    .where('c.period', '<=', period.to)
    .orderBy('c.period')
    .orderBy('o.id')
    .execute();
  const parsed = closings.map((c) => ({ ...c, f: JSON.parse(c.figures) as ClosingFigures }));
  const rates = [...new Set(parsed.flatMap((c) => c.f.byVat.map((v) => v.vatRateBp)))].sort((a, b) => a - b);
  const methods = [...new Set(parsed.flatMap((c) => c.f.byPayment.map((p) => p.method)))].sort();
  const withTips = parsed.some((c) => c.f.tipsCents);
  const methodName = (m: string) =>
    ({ cash: 'Espèces', card: 'Carte', cheque: 'Chèque', meal_voucher: 'Titres-restaurant' })[m] ?? m.replace(/^other:/, '');
  const header = [
    'Date',
    'Point de vente',
    'Z n°',
    'Tickets',
    'Remboursements',
    'Total TTC',
    'Remises',
    ...rates.flatMap((r) => [`HT ${rateLabel(r)}`, `TVA ${rateLabel(r)}`, `TTC ${rateLabel(r)}`]),
    ...methods.map(methodName),
    // Tips are in the card's column (money it brought in); shown apart, and only once a shop has taken some.
    ...(withTips ? ['Dont pourboires (carte)'] : []),
    'Monnaie rendue',
    'Espèces attendues',
    'Espèces comptées',
    'Écart de caisse',
  ];
  const rows: CsvCell[][] = parsed.map((c) => {
    const v = (r: number) => c.f.byVat.find((x) => x.vatRateBp === r);
    return [
      frDate(c.period),
      c.outlet,
      c.seq,
      c.f.tickets,
      c.f.refunds,
      csvCents(c.f.totalCents),
      csvCents(c.f.discountsCents),
      ...rates.flatMap((r) => [csvCents(v(r)?.netCents ?? 0), csvCents(v(r)?.vatCents ?? 0), csvCents(v(r)?.grossCents ?? 0)]),
      ...methods.map((m) => csvCents(c.f.byPayment.find((p) => p.method === m)?.amountCents ?? 0)),
      ...(withTips ? [csvCents(c.f.tipsCents ?? 0)] : []),
      csvCents(c.f.changeCents),
      // The drawer's expected cash (float, cash in and out included) is what the count was checked against, as
      // on the Z; closings from before the drawer only had the tickets' cash.
      csvCents(c.f.drawer?.expectedCents ?? c.f.cashExpectedCents),
      c.f.cashCountedCents === null ? null : csvCents(c.f.cashCountedCents),
      c.f.cashDifferenceCents === null ? null : csvCents(c.f.cashDifferenceCents),
    ];
  });
  return toCsv(header, rows);
}
