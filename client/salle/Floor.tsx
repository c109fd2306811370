import { useEffect, useState } from 'preact/hooks';
import { focusIfLost } from '../focus.ts';
import type { OrderView, RoomView } from '../../shared/api/restaurant.ts';
import type { TillState } from '../caisse/till.ts';
import { eur, t, useKeys } from '../caisse/ui.tsx';
import type { SalleState } from './salle.ts';
import { Modal } from '../caisse/Modal.tsx';
import { minutesSince, salle, useClock } from './ui.tsx';
import { ReadyDishes, shownReady } from './Ready.tsx';

/** The plan's units: a room is 200 wide; its height is what its tables need. */
const PLAN_WIDTH = 200;

type TableView = RoomView['tables'][number];

export function tableState(order: OrderView | undefined): 'free' | 'open' | 'new' | 'note' {
  if (!order) return 'free';
  if (order.lines.some((l) => l.status === 'new')) return 'new';
  // The note printed is the bill as it stands (a table merged or a dish moved since: it is not).
  if (order.lastNote && order.lastNote.totalCents === order.totalCents) return 'note';
  return 'open';
}

/** The floor at a glance: each table free, occupied (covers, waiter, minutes, amount), to send, note printed. */
export function FloorScreen({ s, r }: { s: TillState; r: SalleState }) {
  useClock();
  useKeys(() => undefined);
  const [opening, setOpening] = useState<TableView | null>(null);
  // On a phone the plan's tables are too small to tap: the tables in a list, the plan a touch away.
  const [layout, setLayoutState] = useState<'plan' | 'list'>(
    () =>
      (localStorage.getItem('salle.layout') as 'plan' | 'list' | null) ??
      (window.matchMedia('(max-width: 600px)').matches ? 'list' : 'plan'),
  );
  const setLayout = (l: 'plan' | 'list') => {
    localStorage.setItem('salle.layout', l);
    setLayoutState(l);
  };
  const orders = salle.orders();
  const byTable = new Map<number, OrderView>();
  for (const o of orders.values()) if (o.tableId !== null) byTable.set(o.tableId, o);
  const room = r.rooms.find((x) => x.id === r.roomId) ?? r.rooms[0];
  const stationDown = [...r.printers.values()].filter((p) => p.state !== 'ready' && p.state !== 'unknown');
  const mine = [...orders.values()].filter((o) => o.waiterId === s.user?.id).length;
  // After the PIN: the keyboard on the room's first table (it was on the page's body).
  useEffect(() => focusIfLost(document.querySelector('main.floor button.table')), [room?.id, layout]);
  return (
    <main class="floor">
      {stationDown.map((p) => (
        <p key={p.printerId} class="banner" role="alert">
          {t('salle.printerDown', {
            name: p.name,
            state: t(
              `till.printer.${p.state === 'paper-out' || p.state === 'cover-open' || p.state === 'offline' ? p.state : 'error'}` as 'till.printer.offline',
            ),
          })}
        </p>
      ))}
      {r.conflict && (
        <p class="banner" role="alert">
          {t('salle.conflict', { reason: r.conflict })}
        </p>
      )}
      <ReadyDishes r={r} />
      <nav class="rooms" aria-label={t('salle.rooms')}>
        {r.rooms.map((x) => (
          <button
            key={x.id}
            class={x.id === room?.id ? 'room on' : 'room'}
            aria-pressed={x.id === room?.id}
            onClick={() => salle.set({ roomId: x.id })}
          >
            {x.name}
            <small>
              {t('salle.room.busy', {
                n: x.tables.filter((tb) => byTable.has(tb.id)).length,
                of: x.tables.filter((tb) => tb.active).length,
              })}
            </small>
          </button>
        ))}
        <span class="spacer" />
        <span class="muted mine">{t('salle.mine', { n: mine })}</span>
        <button
          class="layout-toggle"
          aria-pressed={layout === 'list'}
          onClick={() => setLayout(layout === 'list' ? 'plan' : 'list')}
          data-testid="floor-layout"
        >
          {layout === 'list' ? t('salle.layout.plan') : t('salle.layout.list')}
        </button>
      </nav>
      {!r.loaded && <p class="center">{t('till.catalog.loading')}</p>}
      {room && (
        <Plan
          room={room}
          byTable={byTable}
          // A table whose dishes this phone served (its « Servi » waiting for the network) is no longer « prêt ».
          ready={
            new Set(
              shownReady(r)
                .filter((x) => !r.servedPending.has(x.ticket.id))
                .map((x) => x.ticket.orderId),
            )
          }
          list={layout === 'list'}
          onTable={(tb, o) => (o ? salle.go({ kind: 'order', orderId: o.id }) : setOpening(tb))}
        />
      )}
      {opening && <OpenDialog table={opening} onClose={() => setOpening(null)} />}
    </main>
  );
}

function Plan({
  room,
  byTable,
  ready,
  list,
  onTable,
}: {
  room: RoomView;
  byTable: Map<number, OrderView>;
  /** Orders with dishes ready at the kitchen. */
  ready: Set<string>;
  list: boolean;
  onTable: (t: TableView, o: OrderView | undefined) => void;
}) {
  const now = Date.now();
  const active = room.tables.filter((x) => x.active);
  const tables = list ? [...active].sort((a, b) => a.name.localeCompare(b.name, 'fr', { numeric: true })) : active;
  // The plan is drawn from what its tables take up, up to twice its size: a room laid out in the left half
  // of the editor's grid fills the tablet's width, and a busy table's number, covers and amount fit its tile.
  const width = Math.min(PLAN_WIDTH, Math.max(PLAN_WIDTH / 2, ...tables.map((x) => x.x + x.width + 4)));
  const height = Math.max(30, ...tables.map((x) => x.y + x.height + 4));
  return (
    <section class={list ? 'plan list' : 'plan'} aria-label={room.name} style={list ? {} : { aspectRatio: `${width} / ${height}` }}>
      {tables.map((tb) => {
        const o = byTable.get(tb.id);
        const state = tableState(o);
        const mins = o ? minutesSince(o.openedAt, now) : 0;
        return (
          <button
            key={tb.id}
            class={`table ${tb.shape} ${state}${o && ready.has(o.id) ? ' has-ready' : ''}`}
            data-testid={`table-${tb.name}`}
            style={
              list
                ? {}
                : {
                    left: `${(tb.x / width) * 100}%`,
                    top: `${(tb.y / height) * 100}%`,
                    width: `${(tb.width / width) * 100}%`,
                    height: `${(tb.height / height) * 100}%`,
                  }
            }
            onClick={() => onTable(tb, o)}
          >
            {/* What is seen is read, and what a screen reader needs beside it is read but not seen. */}
            <strong>
              <span class="vh">{t('salle.table.word')} </span>
              {tb.name}
            </strong>
            {o ? (
              <>
                <span class="vh">{t('salle.table.busyBy', { waiter: o.waiterName })} </span>
                <span>
                  {o.covers} {t('salle.coversShort')} · {mins}′
                </span>
                <span class="amount">{eur(o.totalCents)}</span>
                {state === 'new' && <span class="vh">, {t('salle.table.toSend')}</span>}
                {state === 'note' && <span class="vh">, {t('salle.table.noted')}</span>}
                {ready.has(o.id) && <span class="ready-mark">{t('salle.table.ready')}</span>}
              </>
            ) : (
              <>
                <span class="vh">{t('salle.table.free')} </span>
                <span class="seats">
                  {tb.seats}
                  <span class="vh"> {t('salle.table.seats')}</span>
                </span>
              </>
            )}
          </button>
        );
      })}
    </section>
  );
}

function OpenDialog({ table, onClose }: { table: TableView; onClose: () => void }) {
  const [covers, setCovers] = useState(Math.min(2, table.seats));
  const open = () => {
    void salle.openTable(table.id, covers);
    onClose();
  };
  return (
    <Modal labelledBy="open-title" onClose={onClose}>
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          open();
        }}
      >
        <h2 id="open-title">{t('salle.open.title', { name: table.name })}</h2>
        <div class="row qty">
          <button type="button" onClick={() => setCovers((c) => Math.max(1, c - 1))} aria-label={t('salle.covers.less')}>
            −
          </button>
          <output class="big-value" aria-live="polite" data-testid="covers">
            {covers}
          </output>
          <button type="button" onClick={() => setCovers((c) => Math.min(60, c + 1))} aria-label={t('salle.covers.more')}>
            +
          </button>
        </div>
        <p class="muted">{t(covers === 1 ? 'salle.covers.one' : 'salle.covers', { n: covers })}</p>
        <div class="covers-quick">
          {[1, 2, 3, 4, 5, 6, 7, 8].map((n) => (
            <button type="button" key={n} class={n === covers ? 'on' : ''} aria-pressed={n === covers} onClick={() => setCovers(n)}>
              {n}
            </button>
          ))}
        </div>
        <div class="row">
          <button type="button" onClick={onClose}>
            {t('salle.cancel')}
          </button>
          <button type="submit" class="primary" data-testid="open-table">
            {t('salle.open.submit')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
