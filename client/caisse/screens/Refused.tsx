import { useEffect, useState } from 'preact/hooks';
import { type TillState } from '../till.ts';
import type { RefusedItem } from '../outbox.ts';
import { till, lang, t, eur, errorText } from '../ui.tsx';

export function RefusedScreen({ s }: { s: TillState }) {
  const [items, setItems] = useState<RefusedItem[]>([]);
  const [error, setError] = useState('');
  const load = () => till.outbox.refusedItems().then(setItems);
  useEffect(() => void load(), [s.outbox.refused]);
  const act = async (f: () => Promise<void>) => {
    setError('');
    try {
      await f();
    } catch (e) {
      setError(errorText(e));
    }
    await load();
  };
  const name = (id: number, it: RefusedItem) => s.catalog?.byId.get(id)?.name ?? it.names?.[id] ?? `#${id}`;
  return (
    <main class="refused">
      <h1>{t('till.refused.title')}</h1>
      <p class="hint">{t('till.refused.help')}</p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {items.length === 0 && <p>{t('till.refused.none')}</p>}
      <ul class="refused-list">
        {items.map((it) => {
          const body = it.body as {
            lines?: { productId?: number; lineNo?: number; quantity?: number; grams?: number }[];
            payments?: { method: string; amountCents: number }[];
          };
          return (
            <li key={it.seq} data-testid="refused-item">
              <strong>
                {it.kind === 'cash'
                  ? t('till.refused.cash')
                  : t(it.kind === 'refund' ? 'till.refused.refund' : it.kind === 'receipt' ? 'till.refused.receipt' : 'till.refused.sale', {
                      n: it.number ?? '—',
                    })}
              </strong>
              {it.totalCents !== undefined && <span> · {eur(it.totalCents)}</span>}
              <span> · {new Date(it.queuedAt).toLocaleString(lang)}</span>
              <p class="error">
                {it.status} — {it.message}
              </p>
              {body.lines && (
                <p class="hint">
                  {body.lines
                    .map(
                      (l) =>
                        `${l.productId !== undefined ? name(l.productId, it) : t('till.refused.line', { n: l.lineNo ?? '—' })} × ${l.grams !== undefined ? `${l.grams} g` : l.quantity}`,
                    )
                    .join(', ')}
                </p>
              )}
              <div class="row">
                <button onClick={() => act(() => till.outbox.retryRefused(it))}>{t('till.refused.retry')}</button>
                <button onClick={() => act(() => till.outbox.reportRefused(it))}>{t('till.refused.report')}</button>
              </div>
            </li>
          );
        })}
      </ul>
      <button class="primary big" onClick={() => till.set({ screen: s.device?.replaced ? 'replaced' : 'sell' })}>
        {t('till.ok')}
      </button>
    </main>
  );
}
