import { useRef, useState } from 'preact/hooks';
import type { Lang } from '../../shared/i18n/index.ts';
import { ApiError, call, errorText } from '../api.ts';
import { catalogApi, type ProductView as Product } from '../../shared/api/catalog.ts';
import { stockApi, type CountResult } from '../../shared/api/stock.ts';
import { quantity } from '../format.ts';
import type { T } from '../i18n.ts';

/**
 * An inventory count with the scanner: each scan finds the product (any producer) and adds one to its
 * count, or the count is typed; recording moves each product's stock by the difference with the ledger.
 * What has no barcode (the cheese cut and weighed at the counter, the bread) is found by its PLU code or its
 * name: one product found is added, several are offered to choose from.
 */
export function Inventory({ t, lang }: { t: T; lang: Lang }) {
  const [lines, setLines] = useState<{ product: Product; counted: string }[]>([]);
  const [scan, setScan] = useState('');
  const [error, setError] = useState('');
  const [result, setResult] = useState<CountResult | null>(null);
  /** Several products answer what was typed: the one meant is picked among them. */
  const [choices, setChoices] = useState<{ typed: string; products: Product[] } | null>(null);
  const pending = useRef(Promise.resolve());
  const scanInput = useRef<HTMLInputElement>(null);

  /** Adds `step` (a piece, a scale label's weight; 0: only listed, its count to type) to a product's count. */
  function count(p: Product, step: number) {
    const add = (before: string) => String(Math.round(((Number(before.replace(',', '.')) || 0) + step) * 1000) / 1000).replace('.', ',');
    setLines((ls) => {
      const i = ls.findIndex((l) => l.product.id === p.id);
      if (i < 0) return [...ls, { product: p, counted: step ? add('') : '' }];
      return step ? ls.map((l, j) => (j === i ? { ...l, counted: add(l.counted) } : l)) : ls;
    });
  }

  /** By PLU or name: an exact PLU, or the one product found, is counted; several are offered. */
  async function byText(typed: string) {
    // Only what has a shelf: a dish of the restaurant (no stock kept) is never counted.
    const found = (await call(catalogApi.listProducts, { query: { q: typed, active: 'true', limit: 20 } }))
      .filter((p) => p.stockTracked)
      .slice(0, 8);
    const exact = found.find((p) => p.plu === typed);
    const one = exact ?? (found.length === 1 ? found[0]! : null);
    if (one) return pick(one);
    if (!found.length) return setError(t('bo.inv.unknown', { code: typed }));
    setChoices({ typed, products: found });
  }

  /** A product found by its PLU or name: a piece counts one, a weighed product waits for its weight. */
  function pick(p: Product) {
    setChoices(null);
    count(p, p.unit === 'kg' ? 0 : 1);
    // The weight (or a correction) is typed next, in its line.
    if (p.unit === 'kg') setTimeout(() => document.getElementById(`counted-${p.id}`)?.focus());
    else scanInput.current?.focus();
  }

  // Scans are handled one after the other: a burst of the same code counts each one.
  function onScan(e: Event) {
    e.preventDefault();
    const code = scan.trim();
    setScan('');
    if (!code) return;
    pending.current = pending.current.then(async () => {
      setError('');
      setChoices(null);
      try {
        // A barcode (digits only): scanned. Anything else, or a code no product carries: a PLU or a name.
        if (!/^\d{8,14}$/.test(code)) return await byText(code);
        const { product: p, grams } = await call(catalogApi.scan, { params: { code } });
        // One piece per scan; a weighed pack's scale label adds its weight (in kg, as typed).
        count(p, p.unit === 'kg' ? (grams ?? 0) / 1000 : 1);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return await byText(code).catch((e: unknown) => setError(errorText(e)));
        setError(err instanceof ApiError ? err.message : String(err));
      }
    });
  }
  const parsed = (l: { product: Product; counted: string }) => {
    const n = Number(l.counted.replace(',', '.'));
    if (!Number.isFinite(n) || n < 0 || l.counted.trim() === '') return null;
    return l.product.unit === 'kg' ? Math.round(n * 1000) : Number.isInteger(n) ? n : null;
  };
  async function record() {
    setError('');
    const bad = lines.find((l) => parsed(l) === null);
    if (bad) return setError(t('bo.dep.badQuantity', { name: bad.product.name }));
    try {
      setResult(
        // Every count was parsed above.
        await call(stockApi.count, { body: { lines: lines.map((l) => ({ productId: l.product.id, counted: parsed(l)! })) } }),
      );
    } catch (err) {
      setError(errorText(err));
    }
  }

  if (result) {
    const byId = new Map(lines.map((l) => [l.product.id, l.product]));
    return (
      <section class="panel">
        <p class="ok" role="status">
          {t('bo.inv.done', { n: result.lines.length })}
        </p>
        <table class="figures" data-testid="count-result">
          <thead>
            <tr>
              <th>{t('bo.cat.name')}</th>
              <th class="num">{t('bo.inv.before')}</th>
              <th class="num">{t('bo.inv.counted')}</th>
              <th class="num">{t('bo.day.difference')}</th>
            </tr>
          </thead>
          <tbody>
            {result.lines.map((l) => {
              const p = byId.get(l.productId)!;
              return (
                <tr key={l.productId}>
                  <td>{p.name}</td>
                  <td class="num">{quantity(l.before, p.unit, lang)}</td>
                  <td class="num">{quantity(l.counted, p.unit, lang)}</td>
                  <td class="num">
                    {l.difference > 0 ? '+' : ''}
                    {quantity(l.difference, p.unit, lang)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <button
          class="secondary"
          onClick={() => {
            setResult(null);
            setLines([]);
          }}
        >
          {t('bo.inv.again')}
        </button>
      </section>
    );
  }
  return (
    <section class="panel">
      <h3>{t('bo.inv.title')}</h3>
      <p class="muted">{t('bo.inv.help')}</p>
      <form onSubmit={onScan}>
        <label>
          {t('bo.inv.scan')}
          <input ref={scanInput} value={scan} autoFocus onInput={(e) => setScan((e.target as HTMLInputElement).value)} />
        </label>
      </form>
      {choices && (
        <div class="choices" role="group" aria-labelledby="inv-choices" data-testid="inventory-choices">
          <p id="inv-choices">{t('bo.inv.choose', { q: choices.typed })}</p>
          <div class="row">
            {choices.products.map((p) => (
              <button type="button" class="secondary" key={p.id} onClick={() => pick(p)}>
                {p.name}
                {p.plu ? ` (PLU ${p.plu})` : ''}
                {p.producerName ? ` — ${p.producerName}` : ''}
              </button>
            ))}
          </div>
        </div>
      )}
      {lines.length > 0 && (
        <table class="figures">
          <thead>
            <tr>
              <th>{t('bo.cat.name')}</th>
              <th>{t('bo.cat.producer')}</th>
              <th>{t('bo.inv.counted')}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l, i) => (
              <tr key={l.product.id}>
                <td>{l.product.name}</td>
                <td>{l.product.producerName ?? t('bo.cat.house')}</td>
                <td>
                  <input
                    id={`counted-${l.product.id}`}
                    inputMode="decimal"
                    // Enter: the count is typed, back to the scanner's field for the next product.
                    onKeyDown={(e) => {
                      if (e.key === 'Enter') {
                        e.preventDefault();
                        scanInput.current?.focus();
                      }
                    }}
                    value={l.counted}
                    aria-label={t('bo.dep.quantityOf', { name: l.product.name, unit: l.product.unit === 'kg' ? 'kg' : t('bo.cat.piece') })}
                    onInput={(e) => setLines(lines.map((x, j) => (j === i ? { ...x, counted: (e.target as HTMLInputElement).value } : x)))}
                  />
                </td>
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
      <button onClick={record} disabled={lines.length === 0}>
        {t('bo.inv.record')}
      </button>
    </section>
  );
}
