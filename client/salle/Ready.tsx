import type { KitchenTicketView } from '../../shared/api/restaurant.ts';
import { t } from '../caisse/ui.tsx';
import type { SalleState } from './salle.ts';
import { minutesSince, salle, useClock } from './ui.tsx';

/**
 * What a ready ticket holds to carry: its dishes not waiting for their course (all of them if none is), alike
 * dishes counted together (two salads on two lines: « 2 × Salade »), with their options.
 */
export function readyItems(ticket: KitchenTicketView): string {
  const now = ticket.items.filter((i) => !i.waiting);
  const counts = new Map<string, number>();
  for (const i of now.length ? now : ticket.items) {
    const label =
      (i.modifiers.length ? `${i.name} (${i.modifiers.join(', ')})` : i.name) +
      // Moved to another table since it was sent: carried there.
      (i.movedTo ? ` → ${t('salle.table', { name: i.movedTo })}` : '');
    counts.set(label, (counts.get(label) ?? 0) + i.quantity);
  }
  return [...counts].map(([label, n]) => `${n} × ${label}`).join(', ');
}

/** Where to carry it: its table, or « à emporter » (the kitchen ticket of a takeaway order names no table). */
function placeOf(r: SalleState, ticket: KitchenTicketView): string {
  const order = r.orders.get(ticket.orderId);
  const takeaway = order ? order.tableId === null : ticket.table === 'à emporter';
  return takeaway ? t('salle.takeaway') : t('salle.table', { name: ticket.table });
}

/**
 * The dishes the kitchen marked ready, at the top of the floor and of an order, for every waiter of the
 * counter: which table, what, since when, and « Servi » once taken. The region is always there, so that a
 * screen reader announces a new dish when it comes.
 */
export function ReadyDishes({ r, orderId }: { r: SalleState; orderId?: string }) {
  useClock();
  const now = Date.now();
  return (
    <section class="ready-dishes" aria-live="polite" aria-label={t('salle.ready.title')}>
      {r.ready.length > 0 && (
        <ul>
          {r.ready.map((ticket) => (
            <li key={ticket.id} class={ticket.orderId === orderId ? 'ready here' : 'ready'} data-testid="ready-ticket">
              <span>
                <strong>{t('salle.ready.table', { place: placeOf(r, ticket) })}</strong> {readyItems(ticket)}
                <small> · {t('salle.ready.since', { minutes: ticket.stateAt ? minutesSince(ticket.stateAt, now) : 0 })}</small>
              </span>
              <button
                class="primary"
                data-testid="ready-served"
                aria-label={t('salle.ready.servedLabel', { place: placeOf(r, ticket) })}
                onClick={() => void salle.served(ticket.id)}
              >
                {t('salle.ready.served')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {r.readyError && (
        <p class="banner" role="alert">
          {r.readyError}
        </p>
      )}
    </section>
  );
}
