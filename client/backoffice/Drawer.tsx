import type { OutletCodeValue } from '../../shared/api/common.ts';
import { useEffect, useState } from 'preact/hooks';
import type { Lang, MessageKey } from '../../shared/i18n/index.ts';
import { parseEuros } from '../../shared/money.ts';
import { uuidv7 } from '../../shared/uuid.ts';
import { drawerApi, type CashMovementKind, type CashMovementView } from '../../shared/api/drawer.ts';
import { tillsApi, type TillView } from '../../shared/api/tills.ts';
import { catalogApi } from '../../shared/api/catalog.ts';
import { ApiError, call } from '../api.ts';
import { euros, moment } from '../format.ts';
import type { T } from '../i18n.ts';
import { reasonsOf, ReasonFields } from '../drawer-fields.tsx';

/**
 * A business day's drawer in the back office: the floats counted, the cash put in and taken out (listed, never
 * edited: a mistake is corrected by an opposite movement), and a form to record one for a till or the outlet.
 */
export function DrawerMovements({
  t,
  lang,
  outlet,
  day,
  closed,
  onChange,
}: {
  t: T;
  lang: Lang;
  outlet: OutletCodeValue;
  day: string;
  /** The day's Z is taken: its movements are listed, a new one would go to the next open day. */
  closed: boolean;
  /** A movement was recorded: the day's expected cash moved. */
  onChange: () => void;
}) {
  const [list, setList] = useState<CashMovementView[]>([]);
  const [tills, setTills] = useState<TillView[]>([]);
  const [producers, setProducers] = useState<{ id: number; name: string }[]>([]);
  const [kind, setKind] = useState<CashMovementKind>('float');
  const [reason, setReason] = useState('float');
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const [tillId, setTillId] = useState<number | null>(null);
  const [producerId, setProducerId] = useState<number | null>(null);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [tick, setTick] = useState(0);

  useEffect(() => {
    call(drawerApi.list, { query: { outlet, day } })
      .then(setList)
      .catch((e) => setError(e instanceof ApiError ? e.message : String(e)));
  }, [outlet, day, tick]);
  useEffect(() => {
    call(tillsApi.list)
      .then((all) => {
        const mine = all.filter((x) => x.outlet === outlet && x.active);
        setTills(mine);
        setTillId(mine[0]?.id ?? null);
      })
      .catch(() => undefined);
    call(catalogApi.listProducers, { query: { active: 'true', limit: 500 } })
      .then((ps) => setProducers(ps.map((p) => ({ id: p.id, name: p.name }))))
      .catch(() => undefined);
  }, [outlet]);

  const chooseKind = (k: CashMovementKind) => {
    setKind(k);
    setReason(reasonsOf(k)[0]!);
    setProducerId(null);
  };

  async function record(e: Event) {
    e.preventDefault();
    setError('');
    setDone('');
    const cents = parseEuros(amount);
    if (cents === null || cents <= 0) return setError(t('drawer.badAmount'));
    if ((reason === 'other' || reason === 'correction') && !note.trim()) return setError(t('drawer.noteNeeded'));
    try {
      const m = await call(drawerApi.record, {
        body: {
          id: uuidv7(),
          kind,
          reason: reason as CashMovementView['reason'],
          amountCents: cents,
          ...(note.trim() ? { note: note.trim() } : {}),
          ...(reason === 'producer_payment' && producerId !== null ? { producerId } : {}),
          ...(tillId !== null ? { tillId } : { outlet }),
        },
      });
      setDone(t('drawer.recorded', { kind: t(`drawer.kind.${m.kind}` as MessageKey), amount: euros(m.amountCents, lang) }));
      setAmount('');
      setNote('');
      setTick((n) => n + 1);
      onChange();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  }

  return (
    <section class="drawer-movements" aria-labelledby="drawer-title">
      <h3 id="drawer-title">{t('drawer.title')}</h3>
      {list.length === 0 ? (
        <p class="muted">{t('drawer.none')}</p>
      ) : (
        <table class="figures" data-testid="drawer-movements">
          <thead>
            <tr>
              <th>{t('drawer.at')}</th>
              <th>{t('drawer.till')}</th>
              <th>{t('drawer.kind')}</th>
              <th>{t('drawer.by')}</th>
              <th class="num">{t('bo.day.amount')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((m) => (
              <tr key={m.id}>
                <td>{moment(m.createdAt, lang, { timeStyle: 'short' })}</td>
                <td>{m.tillName ?? t('drawer.wholeOutlet')}</td>
                <td>
                  {t(`drawer.kind.${m.kind}` as MessageKey)}
                  {m.kind !== 'float' && ` — ${t(`drawer.reason.${m.reason}` as MessageKey)}`}
                  {m.producerName && ` — ${m.producerName}`}
                  {m.note && ` — ${m.note}`}
                </td>
                <td>
                  {m.by}
                  {m.approvedBy && ` (${t('drawer.approvedBy', { name: m.approvedBy })})`}
                </td>
                <td class="num">{euros(m.kind === 'out' ? -m.amountCents : m.amountCents, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="muted">{t('drawer.immutable')}</p>
      {!closed && (
        <form class="drawer-form" onSubmit={record}>
          <fieldset>
            <legend>{t('drawer.kind')}</legend>
            <div class="row">
              {(['float', 'in', 'out'] as const).map((k) => (
                <button key={k} type="button" class="secondary" aria-pressed={kind === k} onClick={() => chooseKind(k)}>
                  {t(`drawer.kind.${k}` as MessageKey)}
                </button>
              ))}
            </div>
          </fieldset>
          <label>
            {t('drawer.till')}
            <select
              value={tillId === null ? '' : String(tillId)}
              onChange={(e) => {
                const v = (e.target as HTMLSelectElement).value;
                setTillId(v === '' ? null : Number(v));
              }}
            >
              {tills.map((x) => (
                <option key={x.id} value={String(x.id)}>
                  {x.name}
                </option>
              ))}
              <option value="">{t('drawer.wholeOutlet')}</option>
            </select>
          </label>
          <ReasonFields
            t={t}
            kind={kind}
            reason={reason}
            onReason={setReason}
            producerId={producerId}
            onProducer={setProducerId}
            producers={producers}
          />
          <label>
            {t('drawer.amount')}
            <input inputMode="decimal" value={amount} onInput={(e) => setAmount((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            {t('drawer.note')}
            <input maxLength={200} value={note} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
          </label>
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          {done && (
            <p class="ok" role="status">
              {done}
            </p>
          )}
          <button type="submit">{t('drawer.record')}</button>
        </form>
      )}
    </section>
  );
}
