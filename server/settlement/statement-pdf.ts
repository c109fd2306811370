import { vatRegimeMention } from '../../shared/banking.ts';
import type { ShopIdentity } from '../../shared/api/settings.ts';
import { formatRate, weighedPrice, type BasisPoints, type Cents, type Grams } from '../../shared/money.ts';
import type { StatementItem, StatementTotals } from '../../shared/settlement.ts';
import { A4Document, pdfDate, pdfEuros, pdfKg, type Column } from '../documents/a4.ts';
import type { CommissionTerms, StatementProducer } from './statements.ts';

export interface StatementDocument {
  code: string;
  issuedAt: string;
  shop: ShopIdentity;
  demo: boolean;
  producer: StatementProducer;
  period: { from: string; to: string };
  terms: CommissionTerms;
  items: StatementItem[];
  totals: StatementTotals;
  /** A section per site, across a network of sites. */
  sites?: { name: string; salesCents: number; refundsCents: number; kitchenCents: number; grossCents: number; lines: number }[] | undefined;
  /** A preview of a period not issued yet: says so on every page, carries no number. */
  draft?: boolean;
}

const rate = (bp: number) => formatRate(bp as BasisPoints);
const quantity = (i: StatementItem) => (i.unit === 'kg' ? pdfKg(i.quantity) : String(i.quantity));
const unitPrice = (i: StatementItem) => `${pdfEuros(i.unitPriceCents)}${i.unit === 'kg' ? '/kg' : ''}`;

const lineColumns: Column[] = [
  { header: 'Date', width: 0.11 },
  { header: 'Ticket', width: 0.19 },
  { header: 'Article', width: 0.28 },
  { header: 'Qté / poids', width: 0.11, align: 'right' },
  { header: 'Prix unit. TTC', width: 0.13, align: 'right' },
  { header: 'TVA', width: 0.06, align: 'right' },
  { header: 'Montant TTC', width: 0.12, align: 'right' },
];
/**
 * A table with a discounted line gets a « Remise » column, so that each line reads true: quantity × unit
 * price + remise = amount (a line's own discount and its share of the ticket's, spread by DESIGN decision 2).
 */
const discountColumns: Column[] = [
  { header: 'Date', width: 0.11 },
  { header: 'Ticket', width: 0.16 },
  { header: 'Article', width: 0.25 },
  { header: 'Qté / poids', width: 0.1, align: 'right' },
  { header: 'Prix unit. TTC', width: 0.11, align: 'right' },
  { header: 'Remise', width: 0.09, align: 'right' },
  { header: 'TVA', width: 0.06, align: 'right' },
  { header: 'Montant TTC', width: 0.12, align: 'right' },
];
const discountOf = (i: StatementItem) => i.discountCents ?? 0;

const issuedOn = (iso: string) => new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long' }).format(new Date(iso));

export function statementPdf(s: StatementDocument): Promise<Buffer> {
  const doc = new A4Document({
    title: `Relevé ${s.code} — ${s.producer.name}`,
    footer: `${s.shop.name} · Relevé ${s.code} · ${s.producer.name}`,
    demo: s.demo,
  });
  doc.parties(
    {
      label: 'Dépositaire',
      lines: [
        s.shop.name,
        s.shop.legalName,
        s.shop.address,
        `${s.shop.postalCode} ${s.shop.city}`,
        `SIRET ${s.shop.siret} · TVA ${s.shop.vatNumber}`,
      ],
    },
    {
      label: 'Déposant',
      lines: [
        s.producer.name,
        s.producer.legalName,
        s.producer.address,
        `SIRET ${s.producer.siret}`,
        vatRegimeMention(s.producer.vatStatus, s.producer.vatNumber),
      ].filter(Boolean),
    },
  );
  doc.heading(
    s.draft ? 'Projet de relevé de dépôt-vente (non émis)' : `Relevé de dépôt-vente ${s.code}`,
    `Période du ${pdfDate(s.period.from)} au ${pdfDate(s.period.to)} · ${s.draft ? 'état au' : 'émis le'} ${issuedOn(s.issuedAt)}`,
  );

  /** The lines of one kind, with their total row; a « Remise » column when one of them was discounted. */
  const lineTable = (lines: readonly StatementItem[], label: string, totalCents: number) => {
    const discounted = lines.some((i) => discountOf(i) !== 0);
    const discount = (cents: number) => (discounted ? [cents ? pdfEuros(-cents) : ''] : []);
    doc.table(discounted ? discountColumns : lineColumns, [
      ...lines.map((i) => ({
        cells: [
          pdfDate(i.day) + (i.carried ? ' *' : ''),
          i.reference,
          i.name,
          quantity(i),
          unitPrice(i),
          ...discount(discountOf(i)),
          rate(i.vatRateBp),
          pdfEuros(i.amountCents),
        ],
      })),
      {
        cells: ['', '', label, '', '', ...discount(lines.reduce((s, i) => s + discountOf(i), 0)), '', pdfEuros(totalCents)],
        bold: true,
      },
    ]);
  };
  const sales = s.items.filter((i) => i.kind === 'sale');
  const refunds = s.items.filter((i) => i.kind === 'refund');
  const kitchen = s.items.filter((i) => i.kind === 'kitchen');
  doc.section(`Ventes (${sales.length} ligne${sales.length > 1 ? 's' : ''})`);
  if (sales.length) lineTable(sales, 'Total des ventes', s.totals.salesCents);
  else doc.paragraph('Aucune vente sur la période.', { muted: true });
  // A network of sites: what was sold, refunded and cooked at each place, then the lines of each site.
  if (s.sites?.length) {
    doc.section('Par site');
    doc.table(
      [
        { header: 'Site', width: 0.28 },
        { header: 'Lignes', width: 0.1, align: 'right' },
        { header: 'Ventes', width: 0.16, align: 'right' },
        { header: 'Remb.', width: 0.14, align: 'right' },
        { header: 'Cuisine', width: 0.14, align: 'right' },
        { header: 'Total TTC', width: 0.18, align: 'right' },
      ],
      s.sites.map((site) => ({
        cells: [
          site.name,
          String(site.lines),
          pdfEuros(site.salesCents),
          pdfEuros(site.refundsCents),
          pdfEuros(site.kitchenCents),
          pdfEuros(site.grossCents),
        ],
      })),
    );
    for (const site of s.sites) {
      const own = sales.filter((i) => i.site === site.name);
      if (!own.length) continue;
      doc.section(`Ventes à ${site.name} (${own.length} ligne${own.length > 1 ? 's' : ''})`);
      lineTable(own, `Total ${site.name}`, site.salesCents);
    }
  }
  // Textile: the sales of each model (its sizes and colours together).
  const byModel = new Map<string, { pieces: number; cents: number }>();
  for (const i of sales)
    if (i.model) {
      const m = byModel.get(i.model) ?? { pieces: 0, cents: 0 };
      byModel.set(i.model, { pieces: m.pieces + i.quantity, cents: m.cents + i.amountCents });
    }
  if (byModel.size) {
    doc.section('Ventes par modèle');
    doc.table(
      [
        { header: 'Modèle', width: 0.6 },
        { header: 'Pièces', width: 0.15, align: 'right' },
        { header: 'Montant TTC', width: 0.25, align: 'right' },
      ],
      [...byModel.entries()].map(([name, m]) => ({ cells: [name, String(m.pieces), pdfEuros(m.cents)] })),
    );
  }
  if (refunds.length) {
    doc.section(`Remboursements (${refunds.length})`);
    lineTable(refunds, 'Total remboursé', s.totals.refundsCents);
  }
  if (kitchen.length) {
    doc.section(`Utilisation par le restaurant (${kitchen.length})`);
    doc.paragraph('Marchandises prises par le restaurant, payées au prix de vente, sans commission.', { muted: true, size: 8 });
    lineTable(kitchen, 'Total restaurant', s.totals.kitchenCents);
  }
  if (s.items.some((i) => i.carried))
    doc.paragraph(`* Opération datée d’avant la période, enregistrée après le relevé précédent : reportée sur celui-ci.`, {
      muted: true,
      size: 8,
    });

  const purchase = s.totals.purchase;
  if (purchase) {
    // Commissionnaire: the shop sold in its own name and buys the goods from the producer (issue 21).
    doc.section('Achat par la boutique');
    doc.paragraph(
      'La boutique a vendu ces produits en son nom (commissionnaire, art. 256 V du CGI) et vous les achète au prix de vente diminué de sa commission ; les produits utilisés par le restaurant, à leur prix. Ce relevé est accompagné de la facture établie en votre nom (autofacturation, série AF), selon votre mandat.',
      { muted: true, size: 8 },
    );
    doc.table(
      [
        { header: 'TVA des produits', width: 0.2 },
        { header: 'Commission', width: 0.16, align: 'right' },
        { header: 'Ventes TTC', width: 0.22, align: 'right' },
        { header: 'Commission', width: 0.2, align: 'right' },
        { header: 'Prix d’achat', width: 0.22, align: 'right' },
      ],
      [
        ...purchase.lines.map((l) => ({
          cells: [
            rate(l.vatRateBp),
            l.commissionBp ? rate(l.commissionBp) : '—',
            pdfEuros(l.baseCents),
            pdfEuros(-l.marginCents || 0),
            pdfEuros(l.grossCents),
          ],
        })),
        {
          cells: ['Total', '', pdfEuros(s.totals.grossCents), pdfEuros(-s.totals.commissionNetCents), pdfEuros(purchase.grossCents)],
          bold: true,
        },
      ],
    );
    doc.summary([
      { label: 'Prix d’achat HT', value: pdfEuros(purchase.netCents) },
      ...(purchase.regime === 'subject'
        ? purchase.vat.map((v) => ({ label: `TVA ${rate(v.vatRateBp)} (déductible par la boutique)`, value: pdfEuros(v.vatCents) }))
        : [
            {
              label: purchase.regime === 'franchise' ? 'TVA non applicable (art. 293 B)' : 'TVA non facturée (forfait agricole)',
              value: pdfEuros(0),
            },
          ]),
      {
        label: s.totals.netOwedCents >= 0 ? 'Net à vous verser' : 'Reste dû par le déposant',
        value: pdfEuros(Math.abs(s.totals.netOwedCents)),
        strong: true,
      },
    ]);
    if (purchase.compensation)
      doc.paragraph(
        `Remboursement forfaitaire agricole (art. 298 quater du CGI) sur cet achat : ${rate(purchase.compensation.rateBp)} de ${pdfEuros(purchase.compensation.baseCents)}, soit ${pdfEuros(purchase.compensation.amountCents)}, à demander à l’administration fiscale.`,
        { size: 9 },
      );
  } else {
    doc.section('TVA sur les marchandises');
    doc.table(
      [
        { header: 'Taux', width: 0.25 },
        { header: 'Base HT', width: 0.25, align: 'right' },
        { header: 'TVA', width: 0.25, align: 'right' },
        { header: 'Total TTC', width: 0.25, align: 'right' },
      ],
      [
        ...s.totals.vat.map((v) => ({ cells: [rate(v.vatRateBp), pdfEuros(v.netCents), pdfEuros(v.vatCents), pdfEuros(v.grossCents)] })),
        {
          cells: [
            'Total',
            pdfEuros(s.totals.vat.reduce((a, v) => a + v.netCents, 0)),
            pdfEuros(s.totals.vat.reduce((a, v) => a + v.vatCents, 0)),
            pdfEuros(s.totals.grossCents),
          ],
          bold: true,
        },
      ],
    );

    doc.section('Commission de la boutique');
    doc.table(
      [
        { header: 'Taux de commission', width: 0.34 },
        { header: 'Base (ventes TTC)', width: 0.33, align: 'right' },
        { header: 'Commission HT', width: 0.33, align: 'right' },
      ],
      s.totals.commission.map((c) => ({ cells: [rate(c.rateBp), pdfEuros(c.baseCents), pdfEuros(c.commissionCents)] })),
    );

    doc.summary([
      { label: 'Ventes TTC', value: pdfEuros(s.totals.salesCents) },
      ...(s.totals.refundsCents ? [{ label: 'Remboursements', value: pdfEuros(s.totals.refundsCents) }] : []),
      ...(s.totals.kitchenCents ? [{ label: 'Restaurant', value: pdfEuros(s.totals.kitchenCents) }] : []),
      { label: 'Commission HT', value: pdfEuros(-s.totals.commissionNetCents) },
      { label: `TVA sur commission (${rate(s.totals.commissionVatRateBp)})`, value: pdfEuros(-s.totals.commissionVatCents) },
      {
        label: s.totals.netOwedCents >= 0 ? 'Net à vous verser' : 'Reste dû par le déposant',
        value: pdfEuros(Math.abs(s.totals.netOwedCents)),
        strong: true,
      },
    ]);
  }
  if (s.draft) doc.paragraph('Projet : ces chiffres peuvent encore changer jusqu’à l’émission du relevé.', { size: 9 });
  else
    doc.paragraph(
      'Relevé arrêté à sa date d’émission : il ne sera plus modifié. Toute opération enregistrée ensuite pour cette période (remboursement, ticket reçu en différé) figurera sur le relevé suivant.',
      { muted: true, size: 8 },
    );
  return doc.finish();
}

export interface SlipDocument {
  kind: 'deposit' | 'return' | 'transfer';
  /** The site the goods were delivered to, taken back from, or sent from; a transfer's is `toSiteName`. */
  siteName: string;
  toSiteName: string | null;
  number: number;
  createdAt: string;
  createdBy: string;
  note: string | null;
  shop: ShopIdentity;
  demo: boolean;
  producer: StatementProducer;
  lines: { name: string; unit: 'piece' | 'kg'; priceCents: number; quantity: number }[];
}

/** The deposit, return or transfer slip both sides sign: what was left on consignment, at what shelf price. */
export function slipPdf(s: SlipDocument): Promise<Buffer> {
  const title = { deposit: 'Bon de dépôt', return: 'Bon de reprise', transfer: 'Bon de transfert' }[s.kind];
  // « n° 98 », as the screens, the portal and the paper slip say it (it read « D-000098 » here alone: found by a walk).
  const code = `n° ${s.number}`;
  const doc = new A4Document({
    title: `${title} ${code} — ${s.producer.name}`,
    footer: `${s.shop.name} · ${title} ${code} · ${s.producer.name}`,
    demo: s.demo,
  });
  doc.parties(
    {
      label: 'Dépositaire',
      lines: [s.shop.name, s.shop.legalName, s.shop.address, `${s.shop.postalCode} ${s.shop.city}`, `SIRET ${s.shop.siret}`],
    },
    {
      label: 'Déposant',
      lines: [
        s.producer.name,
        s.producer.legalName,
        s.producer.address,
        `SIRET ${s.producer.siret}`,
        vatRegimeMention(s.producer.vatStatus, s.producer.vatNumber),
      ].filter(Boolean),
    },
  );
  const where = s.kind === 'transfer' ? `de ${s.siteName} à ${s.toSiteName ?? ''}` : s.siteName;
  doc.heading(`${title} ${code}`, `${issuedOn(s.createdAt)} · ${where} · enregistré par ${s.createdBy}`);
  const value = (l: SlipDocument['lines'][number]) =>
    l.unit === 'kg' ? weighedPrice(l.priceCents as Cents, l.quantity as Grams) : l.priceCents * l.quantity;
  doc.table(
    [
      { header: 'Article', width: 0.46 },
      { header: 'Quantité', width: 0.16, align: 'right' },
      { header: 'Prix de vente TTC', width: 0.2, align: 'right' },
      { header: 'Valeur TTC', width: 0.18, align: 'right' },
    ],
    [
      ...s.lines.map((l) => ({
        cells: [
          l.name,
          l.unit === 'kg' ? pdfKg(l.quantity) : String(l.quantity),
          `${pdfEuros(l.priceCents)}${l.unit === 'kg' ? '/kg' : ''}`,
          pdfEuros(value(l)),
        ],
      })),
      {
        cells: [`${s.lines.length} article${s.lines.length > 1 ? 's' : ''}`, '', '', pdfEuros(s.lines.reduce((a, l) => a + value(l), 0))],
        bold: true,
      },
    ],
  );
  if (s.note) doc.paragraph(`Note : ${s.note}`);
  doc.paragraph(
    {
      deposit:
        'Marchandises confiées en dépôt-vente : elles restent la propriété du déposant jusqu’à leur vente. Valeur indicative au prix de vente affiché.',
      return: 'Marchandises reprises par le déposant ce jour.',
      transfer: `Marchandises du déposant envoyées de ${s.siteName} à ${s.toSiteName ?? ''} : toujours en dépôt-vente, elles restent sa propriété jusqu’à leur vente. Valeur indicative au prix de vente affiché.`,
    }[s.kind],
    { muted: true, size: 8 },
  );
  doc.signatures(
    s.kind === 'transfer'
      ? [`Au départ, ${s.siteName} (nom, date, signature)`, `À l’arrivée, ${s.toSiteName ?? ''} (nom, date, signature)`]
      : ['Le déposant (nom, date, signature)', 'Pour la boutique (nom, date, signature)'],
  );
  return doc.finish();
}
