import { useEffect, useState } from 'preact/hooks';
import type { Lang } from '../../shared/i18n/index.ts';
import { call, errorText } from '../api.ts';
import { stockApi, type StockRow as Row } from '../../shared/api/stock.ts';
import { moment, quantity } from '../format.ts';
import type { T } from '../i18n.ts';
import { useSortable } from './sortable.tsx';

type Filter = 'all' | 'low' | 'unsold30' | 'unsold90';
type Sort = 'name' | 'producer' | 'onHand' | 'last';

const QUERY: Record<Filter, { low?: 'true'; unsoldDays?: number }> = {
  all: {},
  low: { low: 'true' },
  unsold30: { unsoldDays: 30 },
  unsold90: { unsoldDays: 90 },
};

/** Stock on hand: everything, what is low (or below zero), and what sits on the shelf unsold. */
export function Stock({ t, lang }: { t: T; lang: Lang }) {
  const [filter, setFilter] = useState<Filter>('all');
  const [q, setQ] = useState('');
  const [rows, setRows] = useState<Row[]>([]);
  const [error, setError] = useState('');
  useEffect(() => {
    const query = { ...QUERY[filter], q: q.trim() || undefined };
    let current = true;
    const timer = setTimeout(
      () =>
        call(stockApi.onHand, { query })
          .then((r) => {
            if (current) {
              setRows(r);
              setError('');
            }
          })
          .catch((e) => current && setError(errorText(e))),
      150,
    );
    // A slower answer to an older filter must not replace the newer one.
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [filter, q]);
  const { sorted, header } = useSortable<Row, Sort>(
    rows,
    (r, by) =>
      by === 'name' ? r.name : by === 'producer' ? (r.producerName ?? '') : by === 'onHand' ? r.onHand : (r.lastMovementAt ?? ''),
    'name',
    lang,
  );
  return (
    <section class="panel" data-testid="stock">
      <h3>{t('bo.stock.title')}</h3>
      <div class="toolbar">
        <label>
          {t('bo.stock.filter')}
          <select value={filter} onChange={(e) => setFilter((e.target as HTMLSelectElement).value as Filter)}>
            <option value="all">{t('bo.stock.all')}</option>
            <option value="low">{t('bo.stock.low')}</option>
            <option value="unsold30">{t('bo.stock.unsold', { days: 30 })}</option>
            <option value="unsold90">{t('bo.stock.unsold', { days: 90 })}</option>
          </select>
        </label>
        <label>
          {t('bo.cat.search')}
          <input type="search" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        </label>
        <span class="muted" role="status">
          {t('bo.stock.count', { n: rows.length })}
        </span>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <table class="figures">
        <thead>
          <tr>
            {header('name', t('bo.stock.product'))}
            {header('producer', t('bo.stock.producer'))}
            {header('onHand', t('bo.stock.onHand'), 'num')}
            <th class="num">{t('bo.stock.threshold')}</th>
            {header('last', t('bo.stock.last'))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <tr key={r.productId} class={r.low || r.negative ? 'low' : r.active ? '' : 'inactive'}>
              <td>{r.name}</td>
              <td>{r.producerName ?? t('bo.cat.house')}</td>
              <td class="num">
                {quantity(r.onHand, r.unit, lang)}
                {r.negative && <small class="block error">{t('bo.stock.negative')}</small>}
              </td>
              <td class="num">{r.lowStockThreshold === null ? '—' : quantity(r.lowStockThreshold, r.unit, lang)}</td>
              <td>{r.lastMovementAt ? moment(r.lastMovementAt, lang, { dateStyle: 'medium' }) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
