/**
 * The demo's ressourcerie (issue 22): its till, a week of donations weighed by stream with the items priced from
 * them, one sold each afternoon on its till through the real code and each day closed (Z) like the other
 * counters — inside the history's days, so every closing sees the day whole; a bulk of textile sent to the
 * sorter; today's donation waiting on the shelves.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { ReuseStreamCode } from '../../shared/api/ressourcerie.ts';
import { businessDay, shiftDay } from '../../shared/time.ts';
import { closeDay } from '../closing/closing.ts';
import { dayFigures } from '../closing/figures.ts';
import { drawerDays, ticketCash } from '../drawer/drawer.ts';
import { recordIntake, recordOutflow } from '../ressourcerie/ressourcerie.ts';
import { recordSale } from '../sales/record.ts';
import { parisTime, uuidv7, type HistoryDayHook } from './demo-history.ts';

const WEEK: { stream: ReuseStreamCode; kg: number; items: [string, number, number][] }[][] = [
  [
    {
      stream: 'textile',
      kg: 14.2,
      items: [
        ['Veste en jean', 700, 900],
        ['Robe d’été fleurie', 300, 600],
      ],
    },
    { stream: 'books', kg: 6.5, items: [['Lot de 5 romans de poche', 900, 500]] },
  ],
  [
    { stream: 'furniture', kg: 22, items: [['Chaise bistrot', 4500, 1500]] },
    {
      stream: 'tableware',
      kg: 4.8,
      items: [
        ['Service à café 6 tasses', 1600, 800],
        ['Saladier en grès', 1200, 400],
      ],
    },
  ],
  [
    {
      stream: 'electrical',
      kg: 7.5,
      items: [
        ['Lampe de chevet', 1100, 700],
        ['Grille-pain', 1400, 600],
      ],
    },
  ],
  [
    {
      stream: 'toys',
      kg: 3.2,
      items: [
        ['Puzzle 500 pièces', 600, 300],
        ['Camion en bois', 900, 800],
      ],
    },
    { stream: 'textile', kg: 9.6, items: [['Pull en laine', 500, 800]] },
  ],
  [{ stream: 'furniture', kg: 16, items: [['Petite commode', 12_000, 3500]] }],
  [
    {
      stream: 'books',
      kg: 8.1,
      items: [
        ['Bande dessinée', 400, 400],
        ['Atlas du monde', 1500, 600],
      ],
    },
  ],
];

/** The ressourcerie's till and its part of the history's last days (Sundays left out by the history). */
export async function demoRessourcerie(
  db: Kysely<Database>,
  now: Date,
  managerId: number,
): Promise<HistoryDayHook & { finish(): Promise<void> }> {
  const today = businessDay(now, 'Europe/Paris');
  const outlet = await db.selectFrom('outlets').select(['id', 'site_id']).where('code', '=', 'ressourcerie').executeTakeFirstOrThrow();
  const { id: tillId } = await db
    .insertInto('tills')
    .values({ outlet_id: outlet.id, name: 'Ressourcerie', created_at: now.toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  let number = 0;
  let next = 0;
  const sold = new Set<string>();
  const firstDay = shiftDay(today, -8);
  return {
    async beforeClosings(day) {
      if (day < firstDay || next >= WEEK.length) return;
      const donations = WEEK[next++]!;
      const at = (h: number, m = 0) => parisTime(day, h, m);
      const made = await recordIntake(
        db,
        {
          lines: donations.map((d) => ({ stream: d.stream, grams: Math.round(d.kg * 1000) })),
          ...(next === 1 ? { donor: 'M. et Mme Fabre, Castres' } : {}),
          items: donations.flatMap((d) => d.items.map(([name, grams, priceCents]) => ({ name, stream: d.stream, grams, priceCents }))),
        },
        managerId,
        at(10),
        day,
        outlet.site_id,
      );
      // The day's first item sells in the afternoon (cash); the rest waits on the shelves.
      const item = made.items[0]!;
      await recordSale(
        db,
        {
          id: uuidv7(at(15).getTime(), Math.random),
          tillId,
          number: ++number,
          createdAt: at(15).toISOString(),
          lines: [{ productId: item.productId, quantity: 1, unitPriceCents: item.priceCents, discountCents: 0 }],
          discountCents: 0,
          payments: [{ method: 'cash', amountCents: item.priceCents }],
          totalCents: item.priceCents,
        },
        { cashierId: managerId, cashierRole: 'manager', tillId, deviceId: null, now: at(15, 1), timeZone: 'Europe/Paris' },
      );
      sold.add(day);
    },
    async afterClosings(day) {
      if (!sold.has(day)) return;
      const figures = await dayFigures(db, outlet.id, { from: day, to: day });
      const expected = (await drawerDays(db, outlet.id, { from: day, to: day }))(day, ticketCash(figures)).expectedCents;
      await closeDay(
        db,
        { outlet: 'ressourcerie', day, cashCountedCents: expected, confirmEarly: true },
        managerId,
        parisTime(day, 19, 50),
        'Europe/Paris',
      );
    },
    async finish() {
      await recordOutflow(
        db,
        { stream: 'textile', grams: 15_000, kind: 'recycled', note: 'Le Relais (tri)' },
        managerId,
        now,
        today,
        outlet.site_id,
      );
      // Today's donation, on the shelves.
      await recordIntake(
        db,
        {
          lines: [{ stream: 'tableware', grams: 5200 }],
          items: [{ name: 'Théière en fonte', stream: 'tableware', grams: 1800, priceCents: 1200 }],
        },
        managerId,
        now,
        today,
        outlet.site_id,
      );
    },
  };
}
