import { useRef } from 'preact/hooks';
import type { KitchenTicketView, OrderView } from '../../shared/api/restaurant.ts';
import { t } from '../caisse/ui.tsx';
import type { SalleState } from './salle.ts';
import { minutesSince, salle, useClock } from './ui.tsx';

/**
 * What a ready ticket holds to carry: its dishes not waiting for their course, less what of their line was
 * cancelled since (the orders, while open, say: its own, or the one a dish was moved to), alike dishes counted together (two salads on two lines:
 * « 2 × Salade »), with their options and the table a dish was moved to. Empty: nothing to carry.
 */
export function readyItems(ticket: KitchenTicketView, orders: ReadonlyMap<string, OrderView>): string {
  // Its order's lines first; a line moved to another table since is found on that table's order.
  const all = [...(orders.get(ticket.orderId)?.lines ?? []), ...[...orders.values()].flatMap((o) => o.lines)];
  const left = new Map<string, number>();
  for (const l of all) if (!left.has(l.id)) left.set(l.id, l.status === 'voided' ? 0 : l.quantity);
  const counts = new Map<string, number>();
  for (const i of ticket.items) {
    if (i.waiting) continue;
    const n = Math.min(i.quantity, left.get(i.lineId) ?? i.quantity);
    if (n <= 0) continue;
    const label =
      (i.modifiers.length ? `${i.name} (${i.modifiers.join(', ')})` : i.name) +
      // Moved to another table since it was sent: carried there.
      (i.movedTo ? ` → ${t('salle.table', { name: i.movedTo })}` : '');
    counts.set(label, (counts.get(label) ?? 0) + n);
  }
  return [...counts].map(([label, n]) => `${n} × ${label}`).join(', ');
}

/** Where to carry it: its table, or « à emporter » (with the table it was rung at, if any). */
function placeOf(ticket: KitchenTicketView): string {
  const table = ticket.table === 'à emporter' ? null : t('salle.table', { name: ticket.table });
  if (!ticket.takeaway) return table ?? t('salle.takeaway');
  return table ? `${t('salle.takeaway')} (${table})` : t('salle.takeaway');
}

/**
 * The notices to show: a ticket with something to carry, for an order still open on this phone, or to take
 * away (paid before it is ready); a table paid and gone has been served. This order's first.
 */
export function shownReady(r: SalleState, orderId?: string) {
  return r.ready
    .map((ticket) => ({ ticket, items: readyItems(ticket, r.orders) }))
    .filter(({ ticket, items }) => items && (r.orders.has(ticket.orderId) || ticket.takeaway))
    .sort((a, b) => Number(b.ticket.orderId === orderId) - Number(a.ticket.orderId === orderId));
}

/**
 * The dishes the kitchen marked ready, at the top of the floor and of an order, for every waiter of the
 * counter: which table, what, since when, and « Servi » once taken. The region is always there, so that a
 * screen reader announces a new dish when it comes (and only that: not the minutes going by).
 */
export function ReadyDishes({ r, orderId }: { r: SalleState; orderId?: string }) {
  useClock();
  const region = useRef<HTMLElement>(null);
  const now = Date.now();
  const shown = shownReady(r, orderId);
  const serve = async (ticketId: number, index: number) => {
    await salle.served(ticketId);
    // The keyboard stays in the list: on the next notice's button, or on the region once it is empty.
    const buttons = region.current?.querySelectorAll<HTMLButtonElement>('button[data-testid="ready-served"]');
    const next = buttons?.[Math.min(index, buttons.length - 1)];
    if (next) next.focus();
    else region.current?.focus();
  };
  return (
    <section
      class="ready-dishes"
      aria-live="polite"
      aria-relevant="additions"
      aria-label={t('salle.ready.title')}
      tabIndex={-1}
      ref={region}
    >
      {shown.length > 0 && (
        <ul>
          {shown.map(({ ticket, items }, index) => (
            <li
              key={ticket.id}
              class={`ready${ticket.orderId === orderId ? ' here' : ''}${r.servedPending.has(ticket.id) ? ' pending' : ''}`}
              data-testid="ready-ticket"
            >
              <span>
                {ticket.orderId === orderId && <span class="here-tag">{t('salle.ready.here')} </span>}
                <strong>{t('salle.ready.table', { place: placeOf(ticket) })}</strong> {items}
                <small> · {t('salle.ready.since', { minutes: ticket.stateAt ? minutesSince(ticket.stateAt, now) : 0 })}</small>
              </span>
              {r.servedPending.has(ticket.id) ? (
                // Tapped without the network (or not acknowledged yet): kept on the phone, sent once it is back.
                <span class="served-pending" data-testid="ready-pending">
                  {t('salle.ready.pending')}
                </span>
              ) : (
                <button
                  class="primary"
                  data-testid="ready-served"
                  aria-label={t('salle.ready.servedLabel', { place: placeOf(ticket), items })}
                  onClick={() => void serve(ticket.id, index)}
                >
                  {t('salle.ready.served')}
                </button>
              )}
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
