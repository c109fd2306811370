import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEscPos } from '../../test/support/escpos-decoder.ts';
import type { ReceiptData } from '../receipts/digital.ts';
import { EscPos, type CodePage } from './escpos.ts';
import { customerReceipt, kitchenTicket, testPage } from './receipt.ts';

const pages: CodePage[] = ['pc858', 'wpc1252'];

describe('ESC/POS text in the printer’s code page', () => {
  it.each(pages)('prints French text and € exactly in %s', (codePage) => {
    const text = 'Pâté de campagne, crème fraîche, œufs à 3,50 € — «bio» ç É È À Ù Î Ô';
    const bytes = new EscPos({ columns: 48, codePage }).init().text(text).bytes();
    const decoded = decodeEscPos(bytes);
    expect(decoded.commands[1]).toEqual({ op: 'codepage', n: codePage === 'pc858' ? 19 : 16 });
    // PC858 has no œ nor the long dash: they print as "oe" and "-". WPC1252 has both.
    expect(decoded.text).toBe(codePage === 'pc858' ? 'Pâté de campagne, crème fraîche, oeufs à 3,50 € - «bio» ç É È À Ù Î Ô' : text);
  });

  it.each(pages)('round-trips any printable French text in %s (or its plain substitutes)', (codePage) => {
    const alphabet = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.;:!?()-+/%€éèêëàâäîïôöùûüçÉÈÊËÀÂÎÏÔÙÛÇ«»°'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 80 }), (chars) => {
        const text = chars.join('');
        const decoded = decodeEscPos(new EscPos({ columns: 48, codePage }).init().text(text).bytes()).text;
        expect(decoded).toBe(text);
      }),
    );
  });

  it('never sends a byte a code page would print wrong: unknown characters become plain ones or nothing', () => {
    const decoded = decodeEscPos(new EscPos({ columns: 48, codePage: 'pc858' }).init().text('Łódź ™ 漢 ’').bytes()).text;
    // ó is in PC858; Ł is not and has no accent to drop: its plain letter; ™ spelled out; 漢 left out with its space.
    expect(decoded).toBe("Lódz TM '");
  });

  // Each expected text written by hand from the code page tables: PC858 has é, è, û, Ô but neither œ nor Œ;
  // WPC1252 has Œ and the typographic quotes; neither has emoji, which go with one of their spaces.
  it.each([
    ['pc858', 'Crème brûlée 🍮 Œufs', 'Crème brûlée OEufs'],
    ['wpc1252', 'Crème brûlée 🍮 Œufs', 'Crème brûlée Œufs'],
    ['pc858', "Ferme de l'Ô ☀", "Ferme de l'Ô "],
    ['pc858', '☀️ Miel “toutes fleurs” – 250 g…', 'Miel "toutes fleurs" - 250 g...'],
    ['wpc1252', '☀️ Miel “toutes fleurs” – 250 g…', '☀️ Miel “toutes fleurs” – 250 g…'.slice(3)],
    ['pc858', 'Bière 🍺🍺 de la Montagne Noire', 'Bière de la Montagne Noire'],
    ['pc858', 'ﬁgues ½ kg œuf', 'figues ½ kg oeuf'],
    ['wpc1252', 'Thé 🍵 vert', 'Thé  vert'],
  ] as [CodePage, string, string][])('prints %s "%s" as "%s"', (codePage, input, expected) => {
    const decoded = decodeEscPos(new EscPos({ columns: 48, codePage }).init().text(input).bytes()).text;
    expect(decoded).toBe(expected);
  });

  it('wraps a long product name at spaces beside its price, every word whole', () => {
    // 32 columns; PC858 has €, so the price "12,50 €" takes 7 and the name gets 32 − 7 − 1 = 24.
    const bytes = new EscPos({ columns: 32, codePage: 'pc858' })
      .init()
      .pair('Bière blonde 🍺 de la Montagne Noire 33 cl « spéciale »', '12,50 €')
      .bytes();
    const lines = decodeEscPos(bytes).lines.map((l) => l.text);
    // The emoji is left out with its space; the name breaks only between words: 18, 22, then 10 + 15 + 7 columns.
    expect(lines).toEqual(['Bière blonde de la', 'Montagne Noire 33 cl «', 'spéciale »               12,50 €']);
  });

  it.each(pages)('sends no "?" in %s unless the text had a question mark, whatever the text', (codePage) => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }), (a, b) => {
        const text = a + b;
        const bytes = new EscPos({ columns: 48, codePage }).text(text).bytes();
        // A question mark of another width (？, ⁇) is still one: its compatibility form is "?".
        if (!text.normalize('NFKC').includes('?')) expect(bytes.includes(0x3f)).toBe(false);
        // Nothing below 0x20 either: a control byte would be taken for a printer command.
        expect(bytes.some((x) => x < 0x20)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

const shop = {
  name: 'Les Halles de la Durenque',
  legalName: 'Les Halles de la Durenque',
  legalForm: 'SCIC SAS',
  shareCapitalCents: 1_200_000,
  address: '12 rue de l’Usine',
  postalCode: '81100',
  city: 'Castres',
  siret: '73282932000074',
  vatNumber: 'FR44732829320',
  phone: '05 63 00 00 00',
  email: '',
  receiptFooter: 'Merci et à bientôt !',
  fiscalYearEndMonth: 12,
  iban: '',
  bic: '',
};

// 2 × 6,50 − 1,00 = 12,00 (Pâté) ; 450 g × 24,90 €/kg = 11,205 → 11,21 (Tomme) ; 3,20 (Bière) ; ticket discount 0,41:
// subtotal 26,41 − 0,41 = 26,00 €. VAT 5,5 %: 12,00 + 11,21 = 23,21 before the ticket discount, whose share
// is spread by amount: 0,41 × 23,21/26,41 = 0,360 → 0,36 on 5,5 %, 0,05 on 20 % ; 5,5 %: 22,85 TTC → HT 21,66,
// TVA 1,19 ; 20 %: 3,15 TTC → HT 2,63, TVA 0,52. Paid 10,00 meal voucher + 20,00 cash: 4,00 back.
const data: ReceiptData = {
  shop,
  tillName: 'Caisse 1',
  cashierName: 'Camille',
  producerNames: { 1: 'Ferme du Sidobre', 2: 'Bergerie de Lacaune' },
  units: { 1: 'piece', 2: 'kg', 3: 'piece' },
  sale: {
    id: '01900000-0000-7000-8000-000000000001',
    tillId: 1,
    outletId: 1,
    number: 42,
    training: false,
    kind: 'sale',
    refundOf: null,
    cashierId: 3,
    createdAt: '2026-11-21T09:30:00.000Z',
    receivedAt: '2026-11-21T09:30:00.100Z',
    businessDay: '2026-11-21',
    lines: [
      {
        lineNo: 1,
        productId: 1,
        name: 'Pâté de campagne',
        producerId: 1,
        quantity: 2,
        unitPriceCents: 650,
        grossCents: 1300,
        lineDiscountCents: 100,
        ticketDiscountCents: 19,
        totalCents: 1181,
        vatRateBp: 550,
      },
      {
        lineNo: 2,
        productId: 2,
        name: 'Tomme de brebis',
        producerId: 2,
        quantity: 450,
        unitPriceCents: 2490,
        grossCents: 1121,
        lineDiscountCents: 0,
        ticketDiscountCents: 17,
        totalCents: 1104,
        vatRateBp: 550,
      },
      {
        lineNo: 3,
        productId: 3,
        name: 'Bière blonde',
        producerId: null,
        quantity: 1,
        unitPriceCents: 320,
        grossCents: 320,
        lineDiscountCents: 0,
        ticketDiscountCents: 5,
        totalCents: 315,
        vatRateBp: 2000,
      },
    ],
    vat: [
      { vatRateBp: 550, grossCents: 2285, netCents: 2166, vatCents: 119 },
      { vatRateBp: 2000, grossCents: 315, netCents: 263, vatCents: 52 },
    ],
    payments: [
      { method: 'meal_voucher', amountCents: 1000 },
      { method: 'cash', amountCents: 2000 },
    ],
    subtotalCents: 2641,
    discountCents: 41,
    totalCents: 2600,
    changeCents: 400,
    tipCents: 0,
    approvedBy: null,
    gapBefore: false,
    receiptToken: 'AAAAAAAAAAAAAAAAAAAAAAAA',
    hash: 'x',
  },
};

const flat = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const PREVIEWS = path.resolve(import.meta.dirname, '../../test-artifacts/receipts');
/** The paper as printed: centred lines centred, double width spread out. */
function preview(d: ReturnType<typeof decodeEscPos>, columns: number): string {
  const rows = d.lines.map((l) => {
    const t = l.size[0] === 2 ? [...l.text].join(' ') : l.text;
    const pad =
      l.align === 'center' ? Math.max(0, Math.floor((columns - t.length) / 2)) : l.align === 'right' ? Math.max(0, columns - t.length) : 0;
    return `|${(' '.repeat(pad) + t).padEnd(columns)}|`;
  });
  const qr = d.commands.find((c) => c.op === 'qr');
  return [`+${'-'.repeat(columns)}+`, ...rows, qr && 'data' in qr ? `[QR: ${qr.data}]` : '', `+${'-'.repeat(columns)}+ (coupe)`].join('\n');
}

describe('the customer receipt', () => {
  for (const codePage of pages) {
    for (const columns of [48, 32] as const) {
      it(`reads back right on ${columns} columns in ${codePage}`, () => {
        const bytes = customerReceipt(data, { columns, codePage }, { qrUrl: 'http://caisse.local/r/AAAAAAAAAAAAAAAAAAAAAAAA' });
        const decoded = decodeEscPos(bytes);
        const text = flat(decoded.text);
        // Kept to be looked at: the receipt as the printer would lay it out.
        fs.mkdirSync(PREVIEWS, { recursive: true });
        fs.writeFileSync(path.join(PREVIEWS, `receipt-${columns}-${codePage}.txt`), preview(decoded, columns));
        fs.writeFileSync(path.join(PREVIEWS, `receipt-${columns}-${codePage}.bin`), bytes);
        for (const t of [
          'Les Halles de la Durenque',
          'SIRET 73282932000074',
          'TVA FR44732829320',
          'Ticket n° 42',
          'Pâté de campagne',
          '2 × 6,50 €',
          'Ferme du Sidobre',
          'Remise -1,00 €',
          'Tomme de brebis',
          '0,450 kg × 24,90 €/kg',
          'Bergerie de Lacaune',
          'Bière blonde',
          'Titre-restaurant',
          'Titre-restaurant',
          'Espèces',
          'Rendu',
          '4,00 €',
          'Prix en euros TTC',
          'Merci et à bientôt !',
        ]) {
          expect(text).toContain(t);
        }
        // The ticket's discount in the amounts' column, after the sub-total it comes off: 26,41 − 0,41 = 26,00.
        expect(text).toMatch(/Sous-total +26,41 €\nRemise sur le ticket +-0,41 €\n/);
        // TOTAL on one line, its amount at the right edge (in double width: half the columns).
        const total = decoded.lines.find((l) => l.text.startsWith('TOTAL'))!;
        expect(total.size).toEqual([2, 2]);
        expect(flat(total.text)).toMatch(/^TOTAL +26,00 €$/);
        expect(total.text.length).toBe(columns / 2);
        // The VAT table: code, rate, HT, TVA, TTC; each line ends with its code (A 5,5 %, C 20 %).
        expect(text).toMatch(/A +5,5 % +21,66 € +1,19 € +22,85 €/);
        expect(text).toMatch(/C +20 % +2,63 € +0,52 € +3,15 €/);
        expect(text).toMatch(/Pâté de campagne +12,00 € A\n/);
        expect(text).toMatch(/Bière blonde +3,20 € C\n/);
        // Total HT: 21,66 + 2,63 = 24,29 ; TVA 1,19 + 0,52 = 1,71.
        expect(text).toMatch(/Total HT +24,29 €/);
        expect(text).toMatch(/Total TVA +1,71 €/);
        // The seller as the law names it: legal form and name, share capital.
        // (Wrapped on 32 columns: read across the line breaks.)
        expect(text.replace(/\n/g, ' ')).toContain('SCIC SAS Les Halles de la Durenque');
        expect(text).toContain('au capital de 12 000 €');
        for (const l of decoded.lines) expect(l.text.length * l.size[0]).toBeLessThanOrEqual(columns);
        expect(decoded.commands).toContainEqual({
          op: 'qr',
          data: 'http://caisse.local/r/AAAAAAAAAAAAAAAAAAAAAAAA',
          moduleSize: columns === 48 ? 6 : 4,
        });
        expect(decoded.commands.at(-1)).toEqual({ op: 'cut', mode: 66 });
        expect(text).not.toContain('DUPLICATA');
        expect(text).not.toContain('FORMATION');
      });
    }
  }

  it('marks a reprint DUPLICATA with its copy number, and a training ticket MODE FORMATION', () => {
    const copy = flat(decodeEscPos(customerReceipt(data, { columns: 48, codePage: 'pc858' }, { copy: 2 })).text);
    expect(copy).toContain('DUPLICATA');
    expect(copy).toContain('copie n° 2');
    const training = flat(
      decodeEscPos(customerReceipt({ ...data, sale: { ...data.sale, training: true } }, { columns: 32, codePage: 'wpc1252' })).text,
    );
    expect(training).toContain('MODE FORMATION');
    expect(training).toContain('ticket sans valeur');
  });

  it('opens the cash drawer after the cut when asked, with a 50 ms pulse on pin 2', () => {
    const decoded = decodeEscPos(customerReceipt(data, { columns: 48, codePage: 'pc858' }, { openDrawer: true }));
    expect(decoded.commands.slice(-2)).toEqual([
      { op: 'cut', mode: 66 },
      { op: 'drawer', pin: 2, onMs: 50, offMs: 500 },
    ]);
  });

  it('prints the shop’s logo as a raster image above the header', () => {
    // A 16 × 2 dot logo: 2 bytes a row.
    const decoded = decodeEscPos(
      customerReceipt(
        data,
        { columns: 48, codePage: 'pc858' },
        { logo: { width: 16, height: 2, bits: Uint8Array.of(0xff, 0x00, 0x0f, 0xf0) } },
      ),
    );
    expect(decoded.commands).toContainEqual({ op: 'raster', widthBytes: 2, height: 2 });
    expect(decoded.lines[0]!.text).toBe('Les Halles de la Durenque');
  });

  it('prints a test page with every accent and € in both code pages', () => {
    for (const codePage of pages) {
      const text = decodeEscPos(testPage({ columns: 32, codePage }, 'Caisse')).text;
      expect(text).toContain('àâäçéèêëîïôöùûüÿ'.replace('ÿ', codePage === 'pc858' ? 'ÿ' : 'ÿ'));
      expect(text).toContain('12,50 €');
      expect(text).toContain('12345678901234567890123456789012');
    }
  });
});

describe('a counter sale’s kitchen ticket', () => {
  const ticket = (till: string) =>
    decodeEscPos(
      kitchenTicket(
        {
          kind: 'send',
          table: '',
          covers: 0,
          waiter: 'Inès',
          at: '2026-12-07T12:00:00.000Z',
          counter: { till, number: 12 },
          groups: [{ course: 'main', waiting: false, items: [{ quantity: 1, name: 'Burger', seat: null, note: null }] }],
        },
        { columns: 48, codePage: 'pc858' },
      ),
    ).text.split('\n');

  it('names its till once: « Caisse Bar », « Caisse 1 » (it printed « Caisse Caisse 1 »)', () => {
    expect(ticket('Bar')).toContain('Caisse Bar');
    expect(ticket('Caisse 1')).toContain('Caisse 1');
    expect(ticket('Caisse 1').join('\n')).not.toContain('Caisse Caisse');
  });
});

describe('the options on a kitchen ticket', () => {
  it('prints what a dish goes without apart from what it gets: « - SANS oignons », not « + Sans oignons »', () => {
    const lines = decodeEscPos(
      kitchenTicket(
        {
          kind: 'send',
          table: '4',
          covers: 2,
          waiter: 'Inès',
          at: '2026-12-07T12:00:00.000Z',
          groups: [
            {
              course: 'PLATS',
              waiting: false,
              items: [
                { quantity: 1, name: 'Burger', seat: null, note: null, modifiers: ['Saignant', 'Sans oignons', 'Supplément fromage'] },
              ],
            },
          ],
        },
        { columns: 48, codePage: 'pc858' },
      ),
    ).text.split('\n');
    const from = lines.indexOf('1 x Burger');
    expect(lines.slice(from, from + 4)).toEqual(['1 x Burger', '   + Saignant', '   - SANS oignons', '   + Supplément fromage']);
  });
});
