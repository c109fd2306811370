import { useEffect, useRef, useState } from 'preact/hooks';
import { parseEuros } from '../../../shared/money.ts';
import { call, link } from '../../api.ts';
import { authApi } from '../../../shared/api/auth.ts';
import { salesApi, type SaleView } from '../../../shared/api/sales.ts';
import { get, numberAndQueue } from '../idb.ts';
import type { RefusedItem } from '../outbox.ts';
import { type TillState } from '../till.ts';
import { uuidv7 } from '../../../shared/uuid.ts';
import { refundPart, type LineAmounts } from '../../../shared/sales.ts';
import { till, lang, t, eur, kg, METHODS, errorText, methodName } from '../ui.tsx';

/**
 * Tickets the server refused while the till was offline (a till disabled meanwhile, a number taken…): the
 * sale happened, so nothing is dropped. Each is shown with the server's reason; it is sent again once
 * the cause is fixed, or handed whole to the server's event log for a manager, and only then let go.
 */

interface Done {
  /** The refund's own id: its receipt is printed from it. */
  id: string;
  number: number;
  seq: number;
  /** Recorded by the server; still in the outbox (the network dropped while it was sent); refused. */
  state: 'sent' | 'waiting' | 'refused';
  message?: string;
}

/** Where a queued refund is: refused (kept for a manager, with the server's reason), still waiting, or sent. */
async function outcomeOf(seq: number): Promise<Pick<Done, 'state' | 'message'>> {
  const refused = await get<RefusedItem>('refused', seq);
  if (refused) return { state: 'refused', message: refused.message };
  return (await get('outbox', seq)) ? { state: 'waiting' } : { state: 'sent' };
}

export function RefundScreen({ s }: { s: TillState }) {
  const [query, setQuery] = useState('');
  const [sales, setSales] = useState<SaleView[] | null>(null);
  const [picked, setPicked] = useState<SaleView | null>(null);
  const [qty, setQty] = useState<Record<number, number>>({});
  // What the ticket's earlier refunds gave back, line by line (the server's figures): null while it is read.
  const [refunded, setRefunded] = useState<Map<number, LineAmounts & { refundable: number }> | null>(null);
  // A weighed line's refund is typed in kilograms, as its line reads (kept as typed: « 0,5 »); held in grams.
  const [kgTyped, setKgTyped] = useState<Record<number, string>>({});
  const [reason, setReason] = useState('');
  const [pin, setPin] = useState('');
  const [method, setMethod] = useState('cash');
  /**
   * Which refunded lines go back on the shelf, line by line (one box for all put 234 g of a dry cheese back in its
   * producer's stock: found by a walk). Unsaid, a piece goes back, a weighed good does not (cut, handled, fresh).
   */
  const [restockOf, setRestockOf] = useState<Record<number, boolean>>({});
  const [error, setError] = useState('');
  // The refund queued: what became of it (the money is given back only once the server recorded it).
  const [done, setDone] = useState<Done | null>(null);
  const isManager = s.user?.role === 'manager' || s.user?.role === 'admin';
  // A refund still waiting: followed as the outbox moves, until the server recorded or refused it.
  useEffect(() => {
    if (done?.state !== 'waiting') return;
    let live = true;
    void outcomeOf(done.seq).then((o) => {
      if (live && o.state !== 'waiting') setDone({ ...done, ...o });
    });
    return () => {
      live = false;
    };
  }, [done, s.outbox.waiting, s.outbox.refused, s.outbox.online]);

  const find = async () => {
    setError('');
    try {
      const q = query.trim();
      // The receipt's QR code, scanned (its address) or typed (its code): that one ticket, picked at once.
      const token = q.match(/\/r\/([A-Za-z0-9_-]{16,64})\b/)?.[1] ?? (/^[A-Za-z0-9_-]{24}$/.test(q) ? q : null);
      if (token) {
        const found = (await call(salesApi.list, { query: { receipt: token, limit: 1 } })).filter((x) => x.kind === 'sale');
        setSales(found);
        if (found.length === 1) pick(found[0]!);
        else setError(t('till.refund.noReceipt'));
        return;
      }
      // A date as the French write it, 14/11 or 14/11/2026 (this year when left out): that day's tickets.
      const date = q.match(/^(\d{1,2})\/(\d{1,2})(?:\/(\d{4}))?$/);
      let range: { from?: string; to?: string } = {};
      if (date) {
        const start = new Date(date[3] ? Number(date[3]) : new Date().getFullYear(), Number(date[2]) - 1, Number(date[1]));
        const end = new Date(start.getFullYear(), start.getMonth(), start.getDate() + 1);
        range = { from: start.toISOString(), to: end.toISOString() };
      }
      // Ticket numbers are per till: a number is looked for on this till; a date or an amount on every till of the shop.
      const own = /^\d{1,6}$/.test(q) || !q ? { tillId: s.device!.id } : {};
      const all = await call(salesApi.list, { query: { ...own, limit: date ? 500 : 200, ...range } });
      const amount = date ? null : parseEuros(q);
      setSales(
        all.filter(
          (x) => x.kind === 'sale' && (!q || date || String(x.number) === q || x.id === q || (amount !== null && x.totalCents === amount)),
        ),
      );
    } catch (e) {
      setError(errorText(e));
    }
  };
  useEffect(() => void find(), []);
  // The keyboard starts in the search (autofocus alone left it on the page's body when the screen opened).
  const search = useRef<HTMLInputElement>(null);
  useEffect(() => search.current?.focus(), []);
  // A ticket picked: the keyboard goes to its first line to refund (it stayed in the list of tickets, 200 Tab
  // presses away from the form, found by a walk).
  const form = useRef<HTMLElement>(null);
  useEffect(() => {
    if (refunded)
      form.current?.querySelector<HTMLElement>('.refund-lines input:not([disabled]), .refund-lines button:not([disabled])')?.focus();
  }, [picked, refunded]);
  const pick = (x: SaleView) => {
    setPicked(x);
    // Given back the way it was paid, by default (a card ticket defaulted to cash): in cash if some was paid
    // in cash, else to the card, else by cheque (a meal voucher is not given back as one).
    const used = new Set(x.payments.map((p) => p.method));
    setMethod(['cash', 'card', 'cheque'].find((m) => used.has(m)) ?? 'cash');
    setQty({});
    setKgTyped({});
    setRestockOf({});
    setRefunded(null);
    call(salesApi.refunded, { params: { id: x.id } }).then(
      (rows) => setRefunded(new Map(rows.map((r) => [r.lineNo, r]))),
      (e) => setError(errorText(e)),
    );
  };

  const lines = picked?.lines ?? [];
  const refundLines = lines.filter((l) => (qty[l.lineNo] ?? 0) > 0);
  const nothingBack: LineAmounts = { quantity: 0, grossCents: 0, lineDiscountCents: 0, ticketDiscountCents: 0 };
  /** Pieces or grams left to refund of a line (a share of a bill: 1 until refunded). */
  const left = (l: SaleView['lines'][number]) => refunded?.get(l.lineNo)?.refundable ?? 0;
  // Worked out as the server books it (shared/sales.ts), earlier refunds of the ticket counted.
  const total = -refundLines.reduce((x, l) => x + refundPart(l, refunded?.get(l.lineNo) ?? nothingBack, qty[l.lineNo]!).totalCents, 0);
  // Sold at solidarity prices: the fund takes back its share, the household gets back what it paid. The server
  // works the split out (its shares per category as charged at the sale, less earlier refunds); the screen
  // offered the whole public price in cash and the server refused it (found by a walk).
  const solidarityTicket = !!picked?.payments.some((p) => p.method === 'solidarity');
  const splitKey = JSON.stringify(refundLines.map((l) => [l.lineNo, qty[l.lineNo]]));
  const [fund, setFund] = useState<{ key: string; fundCents: number; householdCents: number } | null>(null);
  useEffect(() => {
    if (!solidarityTicket || !picked || !refundLines.length) return setFund(null);
    let live = true;
    const body = {
      lines: refundLines.map((l) =>
        isWeighed(l) && l.quantity !== 0 ? { lineNo: l.lineNo, grams: qty[l.lineNo]! } : { lineNo: l.lineNo, quantity: qty[l.lineNo]! },
      ),
    };
    call(salesApi.refundSplit, { params: { id: picked.id }, body }).then(
      (r) => live && setFund(r ? { key: splitKey, ...r } : null),
      (e) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [picked?.id, splitKey]);
  const splitReady = !solidarityTicket || !refundLines.length || fund?.key === splitKey;
  const fundShare = solidarityTicket && fund?.key === splitKey ? fund.fundCents : 0;
  /** What the cashier gives back (negative): the whole refund, less the fund's share. */
  const given = total - fundShare;
  const refundPayments = fundShare
    ? [{ method: 'solidarity', amountCents: fundShare }, ...(given ? [{ method, amountCents: given }] : [])]
    : [{ method, amountCents: total }];

  const pinField = useRef<HTMLInputElement>(null);
  const submit = async () => {
    setError('');
    if (s.outbox.waiting > 0 || !s.outbox.online) return setError(t('till.refund.needsOnline'));
    if (!isManager) {
      // Said here, the keyboard back in the PIN field with what was typed selected (an empty PIN went to the
      // server, and the focus stayed on « Rembourser »: a newcomer's walk).
      const again = (message: string) => {
        setError(message);
        pinField.current?.focus();
        pinField.current?.select();
      };
      if (!/^\d{4,8}$/.test(pin)) return again(t('till.refund.pinFormat'));
      try {
        await call(authApi.approve, { body: { pin, purpose: 'refund', amountCents: Math.abs(total) } });
      } catch (e) {
        return again(errorText(e));
      }
    }
    try {
      const device = s.device!;
      const counter = `number:${device.id}:${device.trainingMode ? 'training' : 'real'}`;
      const id = uuidv7();
      const item = await numberAndQueue(counter, device.lastNumber, (number) => ({
        id,
        kind: 'refund' as const,
        path: link(salesApi.refund),
        number,
        totalCents: total,
        queuedAt: new Date().toISOString(),
        body: {
          id,
          tillId: device.id,
          number,
          createdAt: new Date().toISOString(),
          refundOf: picked!.id,
          reason,
          lines: refundLines.map((l) => ({
            lineNo: l.lineNo,
            ...(isWeighed(l) && l.quantity !== 0 ? { grams: qty[l.lineNo] } : { quantity: qty[l.lineNo] }),
            restock: restockOf[l.lineNo] ?? !isWeighed(l),
          })),
          payments: refundPayments,
          totalCents: total,
          ...(isManager ? {} : { approvalPin: pin }),
        },
      }));
      await till.outbox.kick();
      setDone({ id, number: item.number, seq: item.seq, ...(await outcomeOf(item.seq)) });
    } catch (e) {
      setError(errorText(e));
    }
  };
  // The refund said: the keyboard on « Valider » (Enter went nowhere, the focus was left on the page's body).
  const ok = useRef<HTMLButtonElement>(null);
  useEffect(() => ok.current?.focus(), [done?.state]);
  // A weighed line's quantity is in grams; the refund gives grams back.
  const isWeighed = (l: SaleView['lines'][number]) => s.catalog?.byId.get(l.productId)?.unit === 'kg';

  if (done !== null) {
    const amount = eur(-given);
    return (
      <main class="center">
        <div class="card">
          {done.state === 'sent' ? (
            <h2 data-testid="refund-done">{t('till.refund.done', { n: done.number, amount, method: methodName(method) })}</h2>
          ) : done.state === 'waiting' ? (
            <div role="status">
              <h2 data-testid="refund-pending">{t('till.refund.pending', { n: done.number, amount })}</h2>
            </div>
          ) : (
            <div role="alert">
              <h2 data-testid="refund-refused">{t('till.refund.refused', { n: done.number, message: done.message ?? '' })}</h2>
            </div>
          )}
          {/* The customer's proof of the money given back (nothing was printed nor offered: found by a walk). */}
          {done.state === 'sent' && (
            <PrintButton
              label={t('till.refund.print')}
              testid="refund-print"
              print={async () => {
                await call(salesApi.receipt, { params: { id: done.id } });
                return t('till.refund.printed');
              }}
            />
          )}
          <button ref={ok} class="primary big" onClick={() => till.set({ screen: 'sell' })}>
            {t('till.ok')}
          </button>
        </div>
      </main>
    );
  }
  return (
    <main class="refund">
      <section>
        <h1>{t('till.refund.title')}</h1>
        <div class="row">
          <input
            ref={search}
            value={query}
            autoFocus
            placeholder={t('till.refund.find')}
            aria-label={t('till.refund.find')}
            onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
            onKeyDown={(e) => e.key === 'Enter' && find()}
          />
          <button onClick={find}>{t('till.refund.search')}</button>
          <button onClick={() => till.set({ screen: 'sell' })}>{t('till.cancel')}</button>
        </div>
        <ul class="sales">
          {(sales ?? []).map((x) => (
            <li key={x.id}>
              <button class={picked?.id === x.id ? 'on' : ''} onClick={() => pick(x)}>
                {t('till.refund.ticket', { n: x.number })}
                {x.tillId !== s.device!.id ? ` · ${t('till.refund.otherTill', { id: x.tillId })}` : ''} ·{' '}
                {new Date(x.createdAt).toLocaleString(lang)} · {eur(x.totalCents)}
              </button>
            </li>
          ))}
        </ul>
      </section>
      {picked && (
        <section ref={form}>
          {/* A ticket found here is also printed again, for a customer who lost theirs: a numbered DUPLICATA,
              logged (the till had no way to it: found by a walk). */}
          <PrintButton
            key={picked.id}
            label={t('till.refund.reprint', { n: picked.number })}
            testid="reprint"
            print={async () => t('till.refund.reprinted', { copy: (await call(salesApi.reprint, { params: { id: picked.id } })).copy })}
          />
          <ul class="refund-lines">
            {lines.map((l) => {
              const share = l.quantity === 0;
              const max = left(l);
              const back = refunded?.get(l.lineNo);
              return (
                <li key={l.lineNo}>
                  <span>
                    {l.name} ({share ? t('till.refund.share') : isWeighed(l) ? kg(l.quantity) : l.quantity})
                    {!share && <small class="muted"> · {eur(l.totalCents)}</small>}
                    {back && max === 0 && <small class="muted block">{t('till.refund.fully')}</small>}
                    {back && max > 0 && back.quantity > 0 && (
                      <small class="muted block">{t('till.refund.partly', { left: isWeighed(l) ? kg(max) : String(max) })}</small>
                    )}
                  </span>
                  {share ? (
                    <span>{eur(l.totalCents)}</span>
                  ) : isWeighed(l) ? (
                    <span class="kg-input">
                      <input
                        inputMode="decimal"
                        value={kgTyped[l.lineNo] ?? ''}
                        placeholder="0"
                        disabled={max === 0}
                        aria-label={t('till.refund.qtyKg', { name: l.name })}
                        onInput={(e) => {
                          const text = (e.target as HTMLInputElement).value;
                          setKgTyped({ ...kgTyped, [l.lineNo]: text });
                          const g = Math.round(Number(text.trim().replace(',', '.')) * 1000);
                          setQty({ ...qty, [l.lineNo]: Number.isFinite(g) ? Math.min(max, Math.max(0, g)) : 0 });
                        }}
                      />
                      kg
                    </span>
                  ) : (
                    <input
                      type="number"
                      min={0}
                      max={max}
                      disabled={max === 0}
                      value={qty[l.lineNo] ?? 0}
                      aria-label={t('till.refund.qty', { name: l.name })}
                      onInput={(e) =>
                        setQty({ ...qty, [l.lineNo]: Math.min(max, Math.max(0, Number((e.target as HTMLInputElement).value) || 0)) })
                      }
                    />
                  )}
                  <button
                    type="button"
                    class={share && qty[l.lineNo] ? 'on' : 'secondary'}
                    aria-pressed={share ? Boolean(qty[l.lineNo]) : undefined}
                    disabled={max === 0}
                    aria-label={t('till.refund.allOf', { name: l.name })}
                    onClick={() => {
                      setQty({ ...qty, [l.lineNo]: share && qty[l.lineNo] ? 0 : max });
                      if (isWeighed(l) && !share) setKgTyped({ ...kgTyped, [l.lineNo]: String(max / 1000).replace('.', ',') });
                    }}
                  >
                    {t('till.refund.all')}
                  </button>
                  {!share && !!qty[l.lineNo] && (
                    <label class="check restock">
                      <input
                        type="checkbox"
                        checked={restockOf[l.lineNo] ?? !isWeighed(l)}
                        onChange={(e) => setRestockOf({ ...restockOf, [l.lineNo]: (e.target as HTMLInputElement).checked })}
                        aria-label={t('till.refund.restockOf', { name: l.name })}
                      />
                      {t('till.refund.restock')}
                    </label>
                  )}
                </li>
              );
            })}
          </ul>
          <label>
            {t('till.refund.reasonRequired')}
            <input
              value={reason}
              maxLength={200}
              required
              aria-required="true"
              onInput={(e) => setReason((e.target as HTMLInputElement).value)}
            />
          </label>
          <div class="methods">
            {METHODS.map((m) => (
              <button key={m.code} class={method === m.code ? 'method on' : 'method'} onClick={() => setMethod(m.code)}>
                {t(m.key)}
              </button>
            ))}
          </div>
          {!isManager && (
            <label>
              {t('till.discount.managerPin')}
              <input
                ref={pinField}
                type="password"
                inputMode="numeric"
                value={pin}
                onInput={(e) => setPin((e.target as HTMLInputElement).value)}
                aria-label={t('till.discount.managerPin')}
                aria-describedby="refund-pin-why"
              />
              {/* Said before it is refused (a newcomer learnt it from the PIN's format error). */}
              <small class="muted block" id="refund-pin-why" data-testid="refund-pin-why">
                {t('till.refund.pinWhy')}
              </small>
            </label>
          )}
          {/* The amount and the action stay in sight at the bottom (the button was below the fold at 1280×800). */}
          <div class="refund-actions">
            {fundShare !== 0 && (
              <p class="hint" data-testid="refund-fund">
                {t('till.refund.fund', { fund: eur(-fundShare), household: eur(-given) })}
              </p>
            )}
            <div class="total">
              <span>{t('till.refund.total')}</span>
              <strong>{eur(given)}</strong>
            </div>
            {error && (
              <p class="error" role="alert">
                {error}
              </p>
            )}
            <button
              class="primary big"
              disabled={!refunded || !refundLines.length || reason.trim().length < 3 || !splitReady}
              onClick={submit}
            >
              {t('till.refund.submit')}
            </button>
            {/* Greyed out: what it waits for (a newcomer found no hint that the reason was asked). */}
            {(!refundLines.length || reason.trim().length < 3) && (
              <p class="muted" role="status" data-testid="refund-waits">
                {t(!refundLines.length ? 'till.refund.waitsLines' : 'till.refund.waitsReason')}
              </p>
            )}
          </div>
        </section>
      )}
      {error && !picked && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </main>
  );
}

/** A button that prints, then says what it did (or why it could not) beside it. */
function PrintButton({ label, testid, print }: { label: string; testid: string; print: () => Promise<string> }) {
  const [said, setSaid] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <p class="print-again">
      <button
        class="secondary"
        data-testid={testid}
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            setSaid({ ok: true, text: await print() });
          } catch (e) {
            setSaid({ ok: false, text: errorText(e) });
          } finally {
            setBusy(false);
          }
        }}
      >
        {label}
      </button>{' '}
      {said && (
        <span role={said.ok ? 'status' : 'alert'} class={said.ok ? 'ok' : 'error'} data-testid={`${testid}-said`}>
          {said.text}
        </span>
      )}
    </p>
  );
}
