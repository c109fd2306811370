import { useEffect, useRef, useState } from 'preact/hooks';
import type { Lang } from '../../shared/i18n/index.ts';
import { call, errorText, link } from '../api.ts';
import { catalogApi, type ProducerView as Producer, type ProductView as Product } from '../../shared/api/catalog.ts';
import { stockApi, type SlipView } from '../../shared/api/stock.ts';
import { quantity } from '../format.ts';
import type { T } from '../i18n.ts';
import { PickOne } from './PickOne.tsx';
import { SlipList } from './Slips.tsx';

type Kind = 'deposit' | 'return' | 'transfer';
const TEXTS = {
  deposit: { title: 'bo.dep.title', record: 'bo.dep.record', done: 'bo.dep.done', pdf: 'bo.dep.pdf', another: 'bo.dep.another' },
  return: {
    title: 'bo.dep.returnTitle',
    record: 'bo.dep.recordReturn',
    done: 'bo.dep.returnDone',
    pdf: 'bo.dep.returnPdf',
    another: 'bo.dep.anotherReturn',
  },
  transfer: {
    title: 'bo.dep.transferTitle',
    record: 'bo.dep.recordTransfer',
    done: 'bo.dep.transferDone',
    pdf: 'bo.dep.transferPdf',
    another: 'bo.dep.anotherTransfer',
  },
} as const;

/**
 * A deposit at the counter: the producer, then their goods scanned or picked, with quantities (grams for
 * goods sold by weight, typed in kg); the slip is recorded and its PDF is there to print and sign. The same
 * for goods a producer takes back, and, in a network, for goods sent on to another site.
 */
export function Deposit({ t, lang }: { t: T; lang: Lang }) {
  const [kind, setKind] = useState<Kind>('deposit');
  // The other sites goods can be sent to (none for a shop alone: no transfer then).
  const [destinations, setDestinations] = useState<{ id: number; name: string }[]>([]);
  const [toSiteId, setToSiteId] = useState<number | null>(null);
  const [producers, setProducers] = useState<Producer[]>([]);
  const [producerId, setProducerId] = useState<number | null>(null);
  const [products, setProducts] = useState<Product[]>([]);
  const [lines, setLines] = useState<{ product: Product; quantity: string }[]>([]);
  const [scan, setScan] = useState('');
  const [error, setError] = useState('');
  const [slip, setSlip] = useState<SlipView | null>(null);
  // Counts the slips recorded here: the list below shows each new one.
  const [recorded, setRecorded] = useState(0);
  const scanRef = useRef<HTMLInputElement>(null);
  // Where the keyboard goes once a line is removed (its « × » is gone): the × now in its place, else the
  // previous line's, else the scanner's field.
  const afterRemove = useRef<number | null | undefined>(undefined);
  useEffect(() => {
    if (afterRemove.current === undefined) return;
    const next = afterRemove.current;
    afterRemove.current = undefined;
    if (next === null) scanRef.current?.focus();
    else document.getElementById(`remove-line-${next}`)?.focus();
  }, [lines]);
  const remove = (i: number) => {
    afterRemove.current = (lines[i + 1] ?? lines[i - 1])?.product.id ?? null;
    setLines(lines.filter((_, j) => j !== i));
  };
  // A scanner is faster than the network: a code read before the producer's goods arrive waits for them.
  const loaded = useRef<Promise<Product[]>>(Promise.resolve([]));

  useEffect(() => {
    call(catalogApi.listProducers, { query: { limit: 500, active: 'true' } })
      .then(setProducers)
      .catch(() => undefined);
    call(stockApi.transferSites)
      .then((sites) => {
        setDestinations(sites);
        if (sites.length === 1) setToSiteId(sites[0]!.id);
      })
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    setLines([]);
    if (producerId === null) return setProducts([]);
    loaded.current = call(catalogApi.listProducts, { query: { limit: 500, producerId } }).catch(() => [] as Product[]);
    void loaded.current.then(setProducts);
  }, [producerId]);

  const add = (p: Product) => {
    setError('');
    // Each scan of a piece is one more, as at the till (a weighed product's quantity is typed).
    setLines((ls) =>
      ls.some((l) => l.product.id === p.id)
        ? ls.map((l) =>
            l.product.id === p.id && p.unit === 'piece' ? { ...l, quantity: String((Number(l.quantity.replace(',', '.')) || 0) + 1) } : l,
          )
        : [...ls, { product: p, quantity: p.unit === 'kg' ? '' : '1' }],
    );
  };
  async function onScan(e: Event) {
    e.preventDefault();
    const code = scan.trim();
    if (!code) return;
    setScan('');
    const p = (await loaded.current).find((x) => x.barcodes.includes(code) || x.name.toLowerCase() === code.toLowerCase());
    if (p) add(p);
    else setError(t('bo.dep.unknown', { code }));
  }
  // A weighed product's quantity is typed in kg ("2,5") and sent in grams.
  const parsed = (l: { product: Product; quantity: string }) => {
    const n = Number(l.quantity.replace(',', '.'));
    if (!Number.isFinite(n) || n <= 0) return null;
    return l.product.unit === 'kg' ? Math.round(n * 1000) : Number.isInteger(n) ? n : null;
  };
  async function submit() {
    setError('');
    const bad = lines.find((l) => parsed(l) === null);
    if (bad) return setError(t('bo.dep.badQuantity', { name: bad.product.name }));
    if (kind === 'transfer' && toSiteId === null) return setError(t('bo.dep.pickSite'));
    try {
      // The lines show only once a producer is picked, and every quantity was parsed above.
      const body = { producerId: producerId!, lines: lines.map((l) => ({ productId: l.product.id, quantity: parsed(l)! })) };
      const s =
        kind === 'transfer'
          ? await call(stockApi.transfer, { body: { ...body, toSiteId: toSiteId! } })
          : await call(kind === 'deposit' ? stockApi.deposit : stockApi.return, { body });
      setSlip(s);
      setRecorded((n) => n + 1);
      setLines([]);
    } catch (err) {
      setError(errorText(err));
    }
  }

  const list = <SlipList t={t} lang={lang} producer={producers.find((p) => p.id === producerId) ?? null} version={recorded} />;
  if (slip) {
    return (
      <>
        <section class="panel">
          <p class="ok" role="status" data-testid="slip-done">
            {t(TEXTS[kind].done, { n: slip.number, name: slip.producerName, site: slip.toSiteName ?? '' })}
          </p>
          <ul class="lines">
            {slip.lines.map((l) => (
              <li key={l.productId}>
                <span />
                <span>{l.name}</span>
                <span class="amount">{quantity(l.quantity, l.unit, lang)}</span>
              </li>
            ))}
          </ul>
          <div class="actions">
            <a class="button" href={link(stockApi.slipPdf, { params: { id: slip.id } })} target="_blank" rel="noopener">
              {t(TEXTS[kind].pdf)}
            </a>
            <button
              class="secondary"
              onClick={() => {
                setSlip(null);
                setProducerId(null);
              }}
            >
              {t(TEXTS[kind].another)}
            </button>
          </div>
        </section>
        {list}
      </>
    );
  }
  return (
    <>
      <section class="panel bo-deposit">
        <div class="segmented" role="group" aria-label={t('bo.dep.kind')}>
          <button
            type="button"
            class={kind === 'deposit' ? 'active' : ''}
            aria-pressed={kind === 'deposit'}
            onClick={() => setKind('deposit')}
          >
            {t('bo.dep.deposit')}
          </button>
          <button
            type="button"
            class={kind === 'return' ? 'active' : ''}
            aria-pressed={kind === 'return'}
            onClick={() => setKind('return')}
          >
            {t('bo.dep.return')}
          </button>
          {destinations.length > 0 && (
            <button
              type="button"
              class={kind === 'transfer' ? 'active' : ''}
              aria-pressed={kind === 'transfer'}
              onClick={() => setKind('transfer')}
            >
              {t('bo.dep.transfer')}
            </button>
          )}
        </div>
        <h3>{t(TEXTS[kind].title)}</h3>
        {kind === 'transfer' && (
          <PickOne label={t('bo.dep.toSite')} none={t('bo.dep.pick')} value={toSiteId} choices={destinations} onPick={setToSiteId} />
        )}
        <PickOne label={t('bo.cat.producer')} none={t('bo.dep.pick')} value={producerId} choices={producers} onPick={setProducerId} />
        {producerId !== null && (
          <>
            <form onSubmit={onScan}>
              <label>
                {t('bo.dep.scan')}
                <input ref={scanRef} value={scan} autoFocus onInput={(e) => setScan((e.target as HTMLInputElement).value)} />
              </label>
            </form>
            <div class="chips">
              {products.map((p) => (
                <button key={p.id} type="button" class="secondary" onClick={() => add(p)}>
                  {p.name}
                </button>
              ))}
            </div>
            {lines.length > 0 && (
              <table class="figures">
                <thead>
                  <tr>
                    <th>{t('bo.cat.name')}</th>
                    <th>{t('bo.dep.quantity')}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {lines.map((l, i) => (
                    <tr key={l.product.id}>
                      <td>{l.product.name}</td>
                      <td>
                        <input
                          inputMode="decimal"
                          value={l.quantity}
                          aria-label={t('bo.dep.quantityOf', {
                            name: l.product.name,
                            unit: l.product.unit === 'kg' ? 'kg' : t('bo.cat.piece'),
                          })}
                          onInput={(e) =>
                            setLines(lines.map((x, j) => (j === i ? { ...x, quantity: (e.target as HTMLInputElement).value } : x)))
                          }
                        />
                      </td>
                      <td>
                        <button
                          id={`remove-line-${l.product.id}`}
                          class="secondary"
                          type="button"
                          aria-label={t('bo.dep.remove', { name: l.product.name })}
                          onClick={() => remove(i)}
                        >
                          ×
                        </button>
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
            <button onClick={submit} disabled={lines.length === 0}>
              {t(TEXTS[kind].record)}
            </button>
          </>
        )}
      </section>
      {list}
    </>
  );
}
