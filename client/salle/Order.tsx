import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { focusIfLost } from '../focus.ts';
import { COURSES, type Course, type OrderLineView, type OrderView } from '../../shared/api/restaurant.ts';
import type { TillMessageKey as MessageKey } from '../../shared/i18n/till.ts';
import type { Product } from '../caisse/catalog.ts';
import type { TillState } from '../caisse/till.ts';
import { eur, t, till, useKeys } from '../caisse/ui.tsx';
import { authApi } from '../../shared/api/auth.ts';
import { call, isOffline } from '../api.ts';
import { leftOf, nextCourse, type SalleState, type View } from './salle.ts';
import { Modal } from '../caisse/Modal.tsx';
import { ModifierDialog } from '../caisse/ModifierDialog.tsx';
import { ReadyDishes } from './Ready.tsx';
import { salle } from './ui.tsx';
import { uuidv7 } from '../../shared/uuid.ts';

const courseName = (c: Course | null) => t(`salle.course.${c ?? 'none'}` as MessageKey);

/** Lines by course, in serving order (no course first). */
function byCourse(lines: readonly OrderLineView[]) {
  const groups: { course: Course | null; lines: OrderLineView[] }[] = [];
  for (const course of [null, ...COURSES]) {
    const of = lines.filter((l) => l.course === course);
    if (of.length) groups.push({ course, lines: of });
  }
  return groups;
}

/**
 * A line's state as the waiter reads it. `queuedSince`: the earliest send or Suite still on the phone (offline):
 * a line sent or fired since then has not reached the kitchen yet (it read « envoyé » while the kitchen had
 * nothing, found by a walk).
 */
function lineState(l: OrderLineView, queuedSince: string | null): { key: MessageKey; cls: string } {
  if (l.status === 'voided') return { key: 'salle.line.voided', cls: 'voided' };
  if (l.status === 'new') return { key: 'salle.line.new', cls: 'new' };
  if (queuedSince !== null && ((l.sentAt !== null && l.sentAt >= queuedSince) || (l.firedAt !== null && l.firedAt >= queuedSince)))
    return { key: 'salle.line.queued', cls: 'new' };
  if (l.firedAt === null) return { key: 'salle.line.waiting', cls: 'waiting' };
  return { key: 'salle.line.sent', cls: 'sent' };
}

export function OrderScreen({ s, r, orderId }: { s: TillState; r: SalleState; orderId: string }) {
  useKeys(() => undefined);
  const order = salle.order(orderId);
  const [picking, setPicking] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [noting, setNoting] = useState(false);
  const [more, setMore] = useState(false);
  const [seat, setSeat] = useState<number | null>(null);
  // A table opened: the keyboard on « Ajouter des articles », what comes next (it was on the page's body).
  useEffect(() => focusIfLost(document.querySelector('main.order .add-toggle')), [orderId]);
  if (!order) {
    // Paid and closed (here or on another phone), or merged into another table.
    return (
      <main class="center">
        <div class="card">
          {r.conflict ? (
            <p class="error" role="alert">
              {t('salle.conflict', { reason: r.conflict })}
            </p>
          ) : (
            <p role="status">{t('salle.order.closed')}</p>
          )}
          <button class="primary big" onClick={() => salle.go({ kind: 'floor' })}>
            {t('salle.back')}
          </button>
        </div>
      </main>
    );
  }
  const tableName = r.rooms.flatMap((x) => x.tables).find((x) => x.id === order.tableId)?.name ?? order.tableName ?? '—';
  const fresh = order.lines.filter((l) => l.status === 'new');
  // The last note is this bill still (a table merged in, or a dish moved, since: a new note, not a DUPLICATA).
  const noteCurrent = order.lastNote !== null && order.lastNote.totalCents === order.totalCents;
  const next = nextCourse(order);
  const pending = salle.pendingFor(order.id);
  const queuedSince =
    r.pending
      .filter((p) => p.orderId === order.id && (p.op.kind === 'send' || p.op.kind === 'fire'))
      .map((p) => p.op.at)
      .sort()[0] ?? null;
  const [choosing, setChoosing] = useState<Product | null>(null);
  const addWith = (p: Product, modifiers: number[]) => {
    // The same dish tapped again, not sent yet, as it was (options, seat, course, no note): one more on its
    // line, « 3 × Café » on the phone and on the kitchen's ticket, not three lines (found by a walk). Only on a
    // line this waiter added: another's may be changing on their phone (a conflict would drop the dish), and two
    // waiters adding at once keep their own lines.
    const options = p.modifiers.flatMap((g) => g.options);
    const chosen = modifiers.map((id) => options.find((o) => o.id === id)?.name ?? '').sort();
    const same = order.lines.find(
      (l) =>
        l.status === 'new' &&
        l.addedBy === s.user?.id &&
        l.productId === p.id &&
        l.quantity < 99 &&
        l.note === null &&
        l.seat === seat &&
        l.course === (p.course ?? null) &&
        l.modifiers.length === chosen.length &&
        l.modifiers
          .map((m) => m.name)
          .sort()
          .every((name, i) => name === chosen[i]),
    );
    if (same) return void salle.act(order.id, { kind: 'modify', lineId: same.id, version: same.version, quantity: same.quantity + 1 });
    void salle.act(order.id, {
      kind: 'add',
      lineId: uuidv7(),
      productId: p.id,
      quantity: 1,
      ...(seat !== null ? { seat } : {}),
      ...(modifiers.length ? { modifiers } : {}),
    });
  };
  // A dish with options (cuisson, sauce, suppléments) asks for them first.
  const add = (p: Product) => (p.modifiers.length ? setChoosing(p) : addWith(p, []));
  const line = editing ? order.lines.find((l) => l.id === editing) : undefined;
  return (
    <main class={picking ? 'order picking' : 'order'}>
      <header class="order-head">
        <button class="link back" onClick={() => salle.go({ kind: 'floor' })}>
          ← {t('salle.floor')}
        </button>
        <h1>
          {t('salle.table', { name: tableName })}
          <small>
            {' '}
            · {order.waiterName}
            {order.mode === 'takeaway' ? ` · ${t('salle.takeaway')}` : ''}
          </small>
        </h1>
        <div class="covers-edit" role="group" aria-label={t(order.covers === 1 ? 'salle.covers.one' : 'salle.covers', { n: order.covers })}>
          <button
            aria-label={t('salle.covers.less')}
            disabled={order.covers <= 1}
            onClick={() => void salle.act(order.id, { kind: 'covers', covers: order.covers - 1 })}
          >
            −
          </button>
          <span data-testid="order-covers">{t(order.covers === 1 ? 'salle.covers.one' : 'salle.covers', { n: order.covers })}</span>
          <button
            aria-label={t('salle.covers.more')}
            onClick={() => void salle.act(order.id, { kind: 'covers', covers: order.covers + 1 })}
          >
            +
          </button>
        </div>
        <strong class="order-total" data-testid="order-total">
          {eur(order.totalCents)}
        </strong>
        {/* Part of it paid (items, a share of the bill): what is left is what the waiter needs to see. */}
        {order.paidCents > 0 && (
          <span class="badge" data-testid="order-left">
            {t('salle.order.left', { paid: eur(order.paidCents), left: eur(order.totalCents - order.paidCents) })}
          </span>
        )}
        {pending > 0 && (
          <span class="badge warn" data-testid="order-pending">
            {t('salle.pending', { n: pending })}
          </span>
        )}
        <ReadyDishes r={r} orderId={order.id} />
      </header>
      {r.conflict && (
        <p class="banner" role="alert">
          {t('salle.conflict', { reason: r.conflict })}
        </p>
      )}
      <section class="order-lines" aria-label={t('salle.lines')}>
        {order.lines.length === 0 && <p class="muted">{t('salle.order.empty')}</p>}
        {byCourse(order.lines).map((g) => (
          <div key={g.course ?? 'none'} class="course">
            <h2>{courseName(g.course)}</h2>
            <ul>
              {g.lines.map((l) => {
                const st = lineState(l, queuedSince);
                return (
                  <li key={l.id}>
                    <button class={`line ${st.cls}`} onClick={() => setEditing(l.id)} data-testid="order-line">
                      <span class="qty">{l.quantity} ×</span>
                      <span class="name">
                        {l.name}
                        {l.modifiers.length > 0 && <small class="mods"> ({l.modifiers.map((m) => m.name).join(', ')})</small>}
                        {l.seat !== null && <small> · {t('salle.seat', { n: l.seat })}</small>}
                        {l.note && <small class="note"> · {l.note}</small>}
                        {l.voidReason && <small class="note"> · {l.voidReason}</small>}
                      </span>
                      <span class={`state ${st.cls}`}>{t(st.key)}</span>
                      <span class="price">{eur(l.totalCents)}</span>
                    </button>
                  </li>
                );
              })}
            </ul>
          </div>
        ))}
      </section>
      <Picker s={s} order={order} seat={seat} setSeat={setSeat} onAdd={add} onClose={() => setPicking(false)} />
      <footer class="order-actions">
        <button class="add-toggle" onClick={() => setPicking((p) => !p)} aria-expanded={picking}>
          {picking ? t('salle.showOrder') : t('salle.addItems')}
        </button>
        <button
          class="primary"
          data-testid="send"
          disabled={!fresh.length}
          onClick={(e) => {
            void salle.act(order.id, { kind: 'send' });
            setPicking(false);
            // Sent, this button is disabled and would leave the keyboard on the page's body (a walk): « + Ajouter ».
            e.currentTarget.parentElement?.querySelector<HTMLElement>('.add-toggle')?.focus();
          }}
        >
          {t('salle.send', { n: fresh.reduce((x, l) => x + l.quantity, 0) })}
        </button>
        <button data-testid="fire" disabled={!next} onClick={() => next && void salle.act(order.id, { kind: 'fire', course: next })}>
          {next ? t('salle.fire', { course: courseName(next) }) : t('salle.fireNone')}
        </button>
        <button onClick={() => setNoting(true)} data-testid="note" disabled={!order.lines.some((l) => l.status !== 'voided')}>
          {noteCurrent ? t('salle.note.again', { n: order.lastNote!.number }) : t('salle.note')}
        </button>
        <button
          class="pay-button"
          data-testid="bill"
          disabled={fresh.length > 0 || order.totalCents === 0}
          onClick={() => salle.go({ kind: 'bill', orderId: order.id })}
        >
          {t('salle.bill')}
        </button>
        <button onClick={() => setMore(true)} aria-haspopup="dialog">
          {t('salle.more')}
        </button>
      </footer>
      {line && <LineDialog order={order} line={line} onClose={() => setEditing(null)} />}
      {noting && <NoteDialog order={order} onClose={() => setNoting(false)} />}
      {more && <MoreDialog order={order} onClose={() => setMore(false)} />}
      {choosing && (
        <ModifierDialog
          product={choosing}
          onCancel={() => setChoosing(null)}
          onDone={(ids) => {
            addWith(choosing, ids);
            setChoosing(null);
          }}
        />
      )}
    </main>
  );
}

/** The restaurant's products by category or by search; a dish whose ingredients are short is flagged. */
function Picker({
  s,
  order,
  seat,
  setSeat,
  onAdd,
  onClose,
}: {
  s: TillState;
  order: OrderView;
  seat: number | null;
  setSeat: (n: number | null) => void;
  onAdd: (p: Product) => void;
  onClose: () => void;
}) {
  const [query, setQuery] = useState('');
  const catalog = s.catalog;
  const categories = useMemo(() => {
    if (!catalog) return [];
    const used = new Set(catalog.products.map((p) => p.categoryId));
    return catalog.data.categories.filter((c) => used.has(c.id));
  }, [catalog]);
  const [category, setCategory] = useState<number | null>(null);
  // The menu opens on the earliest course's dishes (it opened on a shop category of one yoghurt, found by a
  // walk); a menu without courses on its first category.
  const opening = useMemo(() => {
    if (!catalog) return null;
    const dishes = catalog.products.filter((p) => p.course !== null && p.categoryId !== null);
    dishes.sort((a, b) => COURSES.indexOf(a.course!) - COURSES.indexOf(b.course!));
    return dishes[0]?.categoryId ?? null;
  }, [catalog]);
  const current = category ?? opening ?? categories[0]?.id ?? null;
  const list = !catalog ? [] : query.trim() ? catalog.search(query, 40) : catalog.products.filter((p) => p.categoryId === current);
  const search = useRef<HTMLInputElement>(null);
  return (
    <section class="picker" aria-label={t('salle.picker')}>
      <div class="picker-head">
        <input
          ref={search}
          type="search"
          value={query}
          placeholder={t('salle.search')}
          aria-label={t('salle.search')}
          onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
        />
        <SeatSelect class="seat-pick" covers={order.covers} seat={seat} onChange={setSeat} />
        <button class="close-picker" onClick={onClose}>
          {t('salle.showOrder')}
        </button>
      </div>
      {!query.trim() && (
        <nav class="categories" aria-label={t('salle.categories')}>
          {categories.map((c) => (
            <button key={c.id} class={c.id === current ? 'on' : ''} aria-pressed={c.id === current} onClick={() => setCategory(c.id)}>
              {c.name}
            </button>
          ))}
        </nav>
      )}
      <div class="menu-grid">
        {list.map((p) => {
          const short = (p as { ingredientsShort?: boolean }).ingredientsShort === true || (p.onHand !== null && p.onHand <= 0);
          return (
            <button key={p.id} class={short ? 'dish short' : 'dish'} onClick={() => onAdd(p)} data-testid="dish">
              <span class="name">{p.name}</span>
              <span class="price">{eur(p.priceCents)}</span>
              {short && <span class="flag">{t('salle.short')}</span>}
            </button>
          );
        })}
        {catalog && list.length === 0 && <p class="muted">{t('salle.nothing')}</p>}
      </div>
    </section>
  );
}

function LineDialog({ order, line, onClose }: { order: OrderView; line: OrderLineView; onClose: () => void }) {
  const [quantity, setQuantity] = useState(line.quantity);
  const [note, setNote] = useState(line.note ?? '');
  const [seat, setSeat] = useState<number | null>(line.seat);
  const [course, setCourse] = useState<Course | null>(line.course);
  const [reason, setReason] = useState('');
  const [voiding, setVoiding] = useState(false);
  // How many of a sent line to cancel (one of three beers): all of it unless the waiter says fewer. The line
  // as the dialog opened on it: changed meanwhile on another phone, the server refuses the cancellation (409)
  // rather than cancel twice.
  const [cancelledWanted, setCancelled] = useState(line.quantity);
  const cancelled = Math.min(cancelledWanted, line.quantity);
  const [openedVersion] = useState(line.version);
  const reasonField = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (voiding) reasonField.current?.focus();
  }, [voiding]);
  const [managerPin, setManagerPin] = useState('');
  const [pinError, setPinError] = useState('');
  const editable = line.status === 'new';
  // A costly cancellation needs a manager's PIN, typed here (the shop's limit, in the till's options).
  const limit = till.state.device?.options.voidApprovalCents ?? 0;
  // Judged as the server does: on what of this line is cancelled in all (its earlier parts at its position).
  const cancelledBefore = order.lines
    .filter((l) => l.position === line.position && l.id !== line.id && l.status === 'voided')
    .reduce((n, l) => n + l.quantity, 0);
  const needsManager = limit > 0 && (cancelledBefore + cancelled) * line.unitPriceCents > limit;
  const save = () => {
    const change = {
      ...(quantity !== line.quantity ? { quantity } : {}),
      ...(note !== (line.note ?? '') ? { note: note || null } : {}),
      ...(seat !== line.seat ? { seat } : {}),
      ...(course !== line.course ? { course } : {}),
    };
    if (Object.keys(change).length) void salle.act(order.id, { kind: 'modify', lineId: line.id, version: line.version, ...change });
    onClose();
  };
  return (
    <Modal labelledBy="line-title" onClose={onClose}>
      <div class="card line-dialog">
        <h2 id="line-title">{line.name}</h2>
        {line.status === 'voided' ? (
          <p>{t('salle.line.voidedBecause', { reason: line.voidReason ?? '' })}</p>
        ) : editable ? (
          <>
            <div class="row qty">
              <button onClick={() => setQuantity((q) => Math.max(1, q - 1))} aria-label={t('salle.qty.less')}>
                −
              </button>
              <output class="big-value" aria-live="polite">
                {quantity}
              </output>
              <button onClick={() => setQuantity((q) => Math.min(99, q + 1))} aria-label={t('salle.qty.more')}>
                +
              </button>
            </div>
            <label>
              {t('salle.line.note')}
              <input value={note} maxLength={140} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
            </label>
            <div class="row">
              <SeatSelect covers={order.covers} seat={seat} onChange={setSeat} />
              <label>
                {t('salle.line.course')}
                <select value={course ?? ''} onChange={(e) => setCourse(((e.target as HTMLSelectElement).value || null) as Course | null)}>
                  <option value="">{courseName(null)}</option>
                  {COURSES.map((c) => (
                    <option key={c} value={c}>
                      {courseName(c)}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <div class="row">
              <button
                class="danger"
                onClick={() => {
                  void salle.act(order.id, { kind: 'remove', lineId: line.id, version: line.version });
                  onClose();
                }}
              >
                {t('salle.line.remove')}
              </button>
              <button class="primary" onClick={save} data-testid="line-save">
                {t('salle.line.save')}
              </button>
            </div>
          </>
        ) : line.paidQuantity > 0 ? (
          // Paid, even in part: in the till's chain, it no longer changes (no manager's PIN asked for nothing).
          <p class="muted" data-testid="line-paid">
            {t('salle.line.paid')}
          </p>
        ) : (
          <>
            <p class="muted">{t('salle.line.sentHelp')}</p>
            {voiding ? (
              <form
                onSubmit={async (e) => {
                  e.preventDefault();
                  if (reason.trim().length < 3) return;
                  let approval: string | undefined;
                  if (needsManager) {
                    try {
                      approval = (
                        await call(authApi.approve, {
                          body: { pin: managerPin, purpose: 'void', amountCents: cancelled * line.unitPriceCents },
                        })
                      ).approval;
                    } catch (err) {
                      setPinError(isOffline(err) ? t('error.network') : t('salle.void.approvalWrong'));
                      return;
                    }
                  }
                  void salle.act(order.id, {
                    kind: 'void',
                    lineId: line.id,
                    version: openedVersion,
                    reason: reason.trim(),
                    ...(cancelled < line.quantity ? { quantity: cancelled } : {}),
                    ...(approval ? { approval } : {}),
                  });
                  onClose();
                }}
              >
                <label>
                  {t('salle.void.reason')}
                  <input
                    value={reason}
                    required
                    minLength={3}
                    maxLength={140}
                    ref={reasonField}
                    onInput={(e) => setReason((e.target as HTMLInputElement).value)}
                    data-testid="void-reason"
                  />
                </label>
                {line.quantity > 1 && (
                  <div class="void-qty">
                    <span id="void-qty-label">{t('salle.void.howMany', { n: line.quantity })}</span>
                    <div class="row qty" role="group" aria-labelledby="void-qty-label">
                      <button type="button" onClick={() => setCancelled((q) => Math.max(1, q - 1))} aria-label={t('salle.qty.less')}>
                        −
                      </button>
                      <output aria-live="polite" data-testid="void-quantity">
                        {t('salle.void.quantity', { n: cancelled, of: line.quantity })}
                      </output>
                      <button
                        type="button"
                        onClick={() => setCancelled((q) => Math.min(line.quantity, q + 1))}
                        aria-label={t('salle.qty.more')}
                      >
                        +
                      </button>
                    </div>
                  </div>
                )}
                <div class="quick-reasons">
                  {(['salle.void.r1', 'salle.void.r2', 'salle.void.r3'] as const).map((k) => (
                    <button type="button" key={k} onClick={() => setReason(t(k))}>
                      {t(k)}
                    </button>
                  ))}
                </div>
                {needsManager && (
                  <label>
                    {t('salle.void.approval', { amount: eur(limit) })}
                    <input
                      type="password"
                      inputMode="numeric"
                      autocomplete="off"
                      value={managerPin}
                      maxLength={8}
                      onInput={(e) => setManagerPin((e.target as HTMLInputElement).value)}
                      data-testid="void-pin"
                    />
                  </label>
                )}
                {pinError && (
                  <p class="error" role="alert">
                    {pinError}
                  </p>
                )}
                <button
                  class="danger big"
                  type="submit"
                  disabled={reason.trim().length < 3 || (needsManager && managerPin.length < 4)}
                  data-testid="void-confirm"
                >
                  {cancelled < line.quantity ? t('salle.void.confirmSome', { n: cancelled }) : t('salle.void.confirm')}
                </button>
              </form>
            ) : (
              <button class="danger" onClick={() => setVoiding(true)} data-testid="void">
                {t('salle.void')}
              </button>
            )}
          </>
        )}
        {line.status !== 'voided' && line.paidQuantity === 0 && (
          <button
            onClick={() => {
              salle.go({ kind: 'table', orderId: order.id, purpose: 'move', lineIds: [line.id] });
              onClose();
            }}
          >
            {t('salle.line.move')}
          </button>
        )}
        <button onClick={onClose}>{t('salle.close')}</button>
      </div>
    </Modal>
  );
}

function NoteDialog({ order, onClose }: { order: OrderView; onClose: () => void }) {
  const [name, setName] = useState('');
  const current = order.lastNote !== null && order.lastNote.totalCents === order.totalCents;
  return (
    <Modal labelledBy="note-title" onClose={onClose}>
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          void salle.act(order.id, { kind: 'note', ...(name.trim() ? { customerName: name.trim() } : {}) });
          onClose();
        }}
      >
        <h2 id="note-title">{current ? t('salle.note.again', { n: order.lastNote!.number }) : t('salle.note')}</h2>
        {current && <p class="muted">{t('salle.note.duplicate', { copy: order.lastNote!.copy + 1 })}</p>}
        <p>
          {t('till.total')} <strong>{eur(order.totalCents)}</strong>
        </p>
        <label>
          {t('salle.note.customer')}
          <input value={name} maxLength={80} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </label>
        <div class="row">
          <button type="button" onClick={onClose}>
            {t('salle.cancel')}
          </button>
          <button class="primary" type="submit" data-testid="note-print">
            {t('salle.note.print')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

function MoreDialog({ order, onClose }: { order: OrderView; onClose: () => void }) {
  const go = (purpose: 'transfer' | 'merge') => {
    salle.go({ kind: 'table', orderId: order.id, purpose });
    onClose();
  };
  return (
    <Modal labelledBy="more-title" onClose={onClose}>
      <div class="card">
        <h2 id="more-title">{t('salle.more')}</h2>
        <div class="stack">
          <button onClick={() => go('transfer')} data-testid="transfer">
            {t('salle.transfer')}
          </button>
          <button onClick={() => go('merge')} data-testid="merge">
            {t('salle.merge')}
          </button>
          <button
            data-testid="mode"
            onClick={() => {
              void salle.act(order.id, { kind: 'mode', mode: order.mode === 'takeaway' ? 'on_site' : 'takeaway' });
              onClose();
            }}
          >
            {order.mode === 'takeaway' ? t('salle.mode.onSite') : t('salle.mode.takeaway')}
          </button>
          {/* Nothing to pay, nothing to send (opened by mistake, every dish cancelled): the table is freed; it
              stayed taken for good, there was no way out but merging it into another. */}
          {order.lines.every((l) => l.status !== 'new' && leftOf(l) === 0) && (
            <button
              data-testid="close-empty"
              onClick={() => {
                void salle.act(order.id, { kind: 'close' });
                onClose();
                salle.go({ kind: 'floor' });
              }}
            >
              {t('salle.closeEmpty')}
            </button>
          )}
          <button onClick={onClose}>{t('salle.close')}</button>
        </div>
      </div>
    </Modal>
  );
}

/** Another table: to move the order there, to bring another table's order into this one, or to move lines. */
export function TableChooser({ r, view }: { r: SalleState; view: Extract<View, { kind: 'table' }> }) {
  useKeys(() => undefined);
  const orders = salle.orders();
  const byTable = new Map<number, OrderView>();
  for (const o of orders.values()) if (o.tableId !== null) byTable.set(o.tableId, o);
  const self = orders.get(view.orderId);
  const wantFree = view.purpose === 'transfer';
  // Two parties' bills made one: asked first (one tap did it, and a wrong tap merged two tables).
  const [merging, setMerging] = useState<number | null>(null);
  const tableName = (id: number) => r.rooms.flatMap((room) => room.tables).find((x) => x.id === id)?.name ?? '';
  const choose = (tableId: number, confirmed = false) => {
    const other = byTable.get(tableId);
    if (view.purpose === 'merge' && !confirmed) return setMerging(tableId);
    if (view.purpose === 'transfer') void salle.act(view.orderId, { kind: 'transfer', tableId });
    else if (view.purpose === 'merge' && other) void salle.act(view.orderId, { kind: 'merge', fromOrderId: other.id });
    else if (view.purpose === 'move' && other && view.lineIds)
      void salle.act(view.orderId, { kind: 'move', lineIds: view.lineIds, toOrderId: other.id });
    salle.go({ kind: 'order', orderId: view.purpose === 'move' && other ? other.id : view.orderId });
  };
  return (
    <main class="chooser">
      <header class="order-head">
        <button class="link back" onClick={() => salle.go({ kind: 'order', orderId: view.orderId })}>
          ← {t('salle.back')}
        </button>
        <h1>{t(`salle.choose.${view.purpose}` as MessageKey)}</h1>
      </header>
      {r.rooms.map((room) => {
        const tables = room.tables.filter((x) => x.active && x.id !== self?.tableId && (wantFree ? !byTable.has(x.id) : byTable.has(x.id)));
        if (!tables.length) return null;
        return (
          <section key={room.id} aria-label={room.name}>
            <h2>{room.name}</h2>
            <div class="chooser-grid">
              {tables.map((x) => (
                <button key={x.id} onClick={() => choose(x.id)} data-testid={`choose-${x.name}`}>
                  {x.name}
                  {byTable.get(x.id) && <small> · {eur(byTable.get(x.id)!.totalCents)}</small>}
                </button>
              ))}
            </div>
          </section>
        );
      })}
      {merging !== null && (
        <Modal labelledBy="merge-title" onClose={() => setMerging(null)}>
          <h2 id="merge-title">{t('salle.merge.confirm', { table: tableName(merging), here: self?.tableName ?? '' })}</h2>
          <p>{t('salle.merge.explain', { amount: eur(byTable.get(merging)?.totalCents ?? 0) })}</p>
          <div class="row">
            <button type="button" onClick={() => setMerging(null)}>
              {t('salle.cancel')}
            </button>
            <button class="primary" type="button" data-testid="merge-confirm" onClick={() => choose(merging, true)}>
              {t('salle.merge.yes')}
            </button>
          </div>
        </Modal>
      )}
    </main>
  );
}

/** Which guest a line is for: none, or seat 1 to the table's covers. */
function SeatSelect({
  class: cls,
  covers,
  seat,
  onChange,
}: {
  class?: string;
  covers: number;
  seat: number | null;
  onChange: (n: number | null) => void;
}) {
  return (
    <label class={cls}>
      {t('salle.seatFor')}
      <select value={seat ?? ''} onChange={(e) => onChange(Number((e.target as HTMLSelectElement).value) || null)}>
        <option value="">{t('salle.seat.none')}</option>
        {Array.from({ length: covers }, (_, i) => (
          <option key={i} value={i + 1}>
            {t('salle.seat', { n: i + 1 })}
          </option>
        ))}
      </select>
    </label>
  );
}
