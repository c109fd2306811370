import { useEffect, useState } from 'preact/hooks';
import { catalogApi } from '../../shared/api/catalog.ts';
import { REUSE_STREAMS, ressourcerieApi, type ReuseStreamCode } from '../../shared/api/ressourcerie.ts';
import type { Lang } from '../../shared/i18n/index.ts';
import { parseEuros } from '../../shared/money.ts';
import { call, errorText, link } from '../api.ts';
import { day, euros, orAsTyped, previousMonth, today } from '../format.ts';
import type { T } from '../i18n.ts';

type Item = Awaited<ReturnType<typeof call<typeof ressourcerieApi.items>>>[number];
type Intake = Awaited<ReturnType<typeof call<typeof ressourcerieApi.intake>>>;

const kilos = (text: string) => Math.round(Number(text.replace(',', '.')) * 1000);
const kg = (g: number, lang: Lang) => `${(g / 1000).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 3 })} kg`;

/**
 * The ressourcerie (issue 22): a donation weighed by stream with the items priced from it (their labels to
 * print, a receipt for the donor), the items on sale, weight sent out, and the month's tonnage.
 */
export function Ressourcerie({ t, lang }: { t: T; lang: Lang }) {
  const [items, setItems] = useState<Item[]>([]);
  const [error, setError] = useState('');
  const [last, setLast] = useState<Intake | null>(null);
  const [rows, setRows] = useState<{ name: string; stream: ReuseStreamCode; weight: string; price: string }[]>([]);
  const [month, setMonth] = useState(previousMonth(today()));
  const load = () =>
    call(ressourcerieApi.items, { query: { status: 'on_sale' } })
      .then(setItems)
      .catch((e) => setError(errorText(e)));
  useEffect(() => void load(), []);

  async function intake(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    setError('');
    try {
      const lines = REUSE_STREAMS.map((stream) => ({ stream, text: String(f.get(`w-${stream}`) ?? '').trim() }))
        .filter((l) => l.text !== '')
        .map((l) => ({ stream: l.stream, grams: kilos(l.text) }));
      const made = await call(ressourcerieApi.intake, {
        body: {
          lines,
          ...(String(f.get('donor') ?? '').trim() ? { donor: String(f.get('donor')) } : {}),
          items: rows.map((r) => ({
            name: r.name,
            stream: r.stream,
            grams: kilos(r.weight),
            priceCents: orAsTyped(parseEuros(r.price), r.price),
          })),
        },
      });
      setLast(made);
      setRows([]);
      form.reset();
      await load();
    } catch (err) {
      setError(errorText(err));
    }
  }
  async function labels(productIds: number[]) {
    try {
      const pdf = await call(catalogApi.labelsPdf, { body: { items: productIds.map((productId) => ({ productId })) } });
      window.open(URL.createObjectURL(pdf), '_blank');
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <>
      <section class="panel" data-testid="reuse-intake">
        <h3>{t('bo.reuse.intake')}</h3>
        <form class="grid-form" onSubmit={intake}>
          {REUSE_STREAMS.map((s) => (
            <label key={s}>
              {t('bo.reuse.weightOf', { stream: t(`bo.reuse.stream.${s}`) })}
              <input name={`w-${s}`} inputMode="decimal" />
            </label>
          ))}
          <label class="wide">
            {t('bo.reuse.donor')}
            <input name="donor" maxLength={200} />
          </label>
          <fieldset class="wide">
            <legend>{t('bo.reuse.items')}</legend>
            {rows.map((r, i) => (
              <div class="row" key={i}>
                <input
                  aria-label={t('bo.reuse.itemName', { n: i + 1 })}
                  value={r.name}
                  onInput={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, name: (e.target as HTMLInputElement).value } : x)))}
                />
                <select
                  aria-label={t('bo.reuse.itemStream', { n: i + 1 })}
                  value={r.stream}
                  onChange={(e) =>
                    setRows(rows.map((x, j) => (j === i ? { ...x, stream: (e.target as HTMLSelectElement).value as ReuseStreamCode } : x)))
                  }
                >
                  {REUSE_STREAMS.map((s) => (
                    <option key={s} value={s}>
                      {t(`bo.reuse.stream.${s}`)}
                    </option>
                  ))}
                </select>
                <input
                  aria-label={t('bo.reuse.itemWeight', { n: i + 1 })}
                  inputMode="decimal"
                  value={r.weight}
                  onInput={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, weight: (e.target as HTMLInputElement).value } : x)))}
                />
                <input
                  aria-label={t('bo.reuse.itemPrice', { n: i + 1 })}
                  inputMode="decimal"
                  value={r.price}
                  onInput={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, price: (e.target as HTMLInputElement).value } : x)))}
                />
              </div>
            ))}
            <button
              type="button"
              class="secondary"
              onClick={() => setRows([...rows, { name: '', stream: 'other', weight: '', price: '' }])}
            >
              {t('bo.reuse.addItem')}
            </button>
          </fieldset>
          <div class="actions wide">
            <button type="submit">{t('bo.reuse.record')}</button>
          </div>
        </form>
        {last && (
          <p class="ok" role="status">
            {t('bo.reuse.recorded', { n: last.items.length })}{' '}
            {last.items.length > 0 && (
              <button type="button" class="secondary" onClick={() => void labels(last.items.map((i) => i.productId))}>
                {t('bo.reuse.labels')}
              </button>
            )}{' '}
            <a class="button secondary" href={link(ressourcerieApi.receipt, { params: { id: last.id } })} download>
              {t('bo.reuse.receipt')}
            </a>
          </p>
        )}
      </section>
      <section class="panel" data-testid="reuse-items">
        <h3>{t('bo.reuse.onSale', { n: items.length })}</h3>
        <table class="figures">
          <caption class="vh">{t('bo.reuse.onSale', { n: items.length })}</caption>
          <thead>
            <tr>
              <th>{t('bo.reuse.code')}</th>
              <th>{t('bo.reuse.name')}</th>
              <th>{t('bo.reuse.stream')}</th>
              <th class="num">{t('bo.reuse.weight')}</th>
              <th class="num">{t('bo.reuse.price')}</th>
              <th>{t('bo.reuse.pricedOn')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id}>
                <td>{i.code}</td>
                <td>{i.name}</td>
                <td>{t(`bo.reuse.stream.${i.stream}`)}</td>
                <td class="num">{kg(i.grams, lang)}</td>
                <td class="num">
                  {euros(i.priceCents, lang)}
                  {i.markedDownOn && (
                    <small class="muted block">{t('bo.reuse.markedDown', { price: euros(i.initialPriceCents, lang) })}</small>
                  )}
                </td>
                <td>{day(i.pricedOn, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="panel" data-testid="reuse-tonnage">
        <h3>{t('bo.reuse.tonnage')}</h3>
        <label>
          {t('bo.sol.month')}
          <input type="month" value={month} onInput={(e) => setMonth((e.target as HTMLInputElement).value)} />
        </label>
        <p>
          <a class="button secondary" href={link(ressourcerieApi.tonnagePdf, { query: { month } })} download>
            PDF
          </a>{' '}
          <a class="button secondary" href={link(ressourcerieApi.tonnageCsv, { query: { month } })} download>
            CSV
          </a>
        </p>
      </section>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
