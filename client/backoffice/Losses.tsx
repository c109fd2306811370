import { useRef, useState } from 'preact/hooks';
import type { Lang, MessageKey } from '../../shared/i18n/index.ts';
import { ApiError, call, errorText } from '../api.ts';
import { catalogApi, type ProductView as Product } from '../../shared/api/catalog.ts';
import { stockApi } from '../../shared/api/stock.ts';
import { quantity, today } from '../format.ts';
import type { T } from '../i18n.ts';

const REASONS = ['breakage', 'expired', 'theft', 'other'] as const;
type Reason = (typeof REASONS)[number];

/**
 * Goods taken off the shelves without a sale, scanned and counted: lost (broken, past their date, stolen),
 * with the reason; or used by the restaurant's kitchen (the producer is paid for them), dated the day of
 * use, which may be an earlier day than today. Stock goes down by as much.
 */
export function Losses({ t, lang, kitchen = false }: { t: T; lang: Lang; kitchen?: boolean }) {
  const [lines, setLines] = useState<{ product: Product; quantity: string; reason: Reason }[]>([]);
  const [day, setDay] = useState(today);
  const [note, setNote] = useState('');
  const [scan, setScan] = useState('');
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const pending = useRef(Promise.resolve());

  function onScan(e: Event) {
    e.preventDefault();
    const code = scan.trim();
    setScan('');
    if (!code) return;
    pending.current = pending.current.then(async () => {
      setError('');
      setDone('');
      try {
        const { product: p, grams } = await call(catalogApi.scan, { params: { code } });
        setLines((ls) =>
          ls.some((l) => l.product.id === p.id)
            ? ls
            : [
                ...ls,
                { product: p, quantity: p.unit === 'kg' ? (grams ? String(grams / 1000).replace('.', ',') : '') : '1', reason: 'breakage' },
              ],
        );
      } catch (err) {
        setError(
          err instanceof ApiError && err.status === 404
            ? t('bo.inv.unknown', { code })
            : err instanceof ApiError
              ? err.message
              : String(err),
        );
      }
    });
  }
  const parsed = (l: { product: Product; quantity: string }) => {
    const n = Number(l.quantity.replace(',', '.'));
    if (!Number.isFinite(n) || n <= 0) return null;
    return l.product.unit === 'kg' ? Math.round(n * 1000) : Number.isInteger(n) ? n : null;
  };
  async function record() {
    setError('');
    const bad = lines.find((l) => parsed(l) === null);
    if (bad) return setError(t('bo.dep.badQuantity', { name: bad.product.name }));
    try {
      // Every quantity was parsed above.
      if (kitchen)
        await call(stockApi.kitchen, {
          body: {
            day,
            ...(note.trim() ? { note: note.trim() } : {}),
            lines: lines.map((l) => ({ productId: l.product.id, quantity: parsed(l)! })),
          },
        });
      else
        await call(stockApi.losses, {
          body: { lines: lines.map((l) => ({ productId: l.product.id, quantity: parsed(l)!, reason: l.reason })) },
        });
      setDone(t(kitchen ? 'bo.kitchen.done' : 'bo.loss.done', { n: lines.length }));
      setNote('');
      setLines([]);
    } catch (err) {
      setError(errorText(err));
    }
  }
  return (
    <section class="panel" data-testid={kitchen ? 'kitchen-use' : 'losses'}>
      <h3>{t(kitchen ? 'bo.kitchen.title' : 'bo.loss.title')}</h3>
      {kitchen && (
        <p>
          <small>{t('bo.kitchen.help')}</small>
        </p>
      )}
      <form onSubmit={onScan}>
        <label>
          {t(kitchen ? 'bo.kitchen.scan' : 'bo.loss.scan')}
          <input value={scan} onInput={(e) => setScan((e.target as HTMLInputElement).value)} />
        </label>
      </form>
      {kitchen && (
        <div class="row">
          <label>
            {t('bo.kitchen.day')}
            <input type="date" value={day} max={today()} onInput={(e) => setDay((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            {t('bo.kitchen.note')}
            <input value={note} maxLength={200} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
          </label>
        </div>
      )}
      {lines.length > 0 && (
        <table class="figures">
          <thead>
            <tr>
              <th>{t('bo.cat.name')}</th>
              <th>{t('bo.cat.onHand')}</th>
              <th>{t('bo.dep.quantity')}</th>
              {!kitchen && <th>{t('bo.loss.reason')}</th>}
            </tr>
          </thead>
          <tbody>
            {lines.map((l, i) => (
              <tr key={l.product.id}>
                <td>{l.product.name}</td>
                <td>{l.product.onHand === null ? '—' : quantity(l.product.onHand, l.product.unit, lang)}</td>
                <td>
                  <input
                    inputMode="decimal"
                    value={l.quantity}
                    aria-label={t(kitchen ? 'bo.kitchen.quantityOf' : 'bo.loss.quantityOf', { name: l.product.name })}
                    onInput={(e) => setLines(lines.map((x, j) => (j === i ? { ...x, quantity: (e.target as HTMLInputElement).value } : x)))}
                  />
                </td>
                {!kitchen && (
                  <td>
                    <select
                      value={l.reason}
                      aria-label={t('bo.loss.reasonOf', { name: l.product.name })}
                      onChange={(e) =>
                        setLines(lines.map((x, j) => (j === i ? { ...x, reason: (e.target as HTMLSelectElement).value as Reason } : x)))
                      }
                    >
                      {REASONS.map((r) => (
                        <option key={r} value={r}>
                          {t(`bo.loss.${r}` as MessageKey)}
                        </option>
                      ))}
                    </select>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
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
      <button onClick={record} disabled={lines.length === 0}>
        {t(kitchen ? 'bo.kitchen.record' : 'bo.loss.record')}
      </button>
    </section>
  );
}
