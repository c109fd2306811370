import { useEffect, useState } from 'preact/hooks';
import { catalogApi, type ProducerView } from '../../shared/api/catalog.ts';
import { stockApi } from '../../shared/api/stock.ts';
import { textileApi, type ModelView } from '../../shared/api/textile.ts';
import type { Lang } from '../../shared/i18n/index.ts';
import { parseEuros } from '../../shared/money.ts';
import { call, errorText } from '../api.ts';
import { euros, orAsTyped } from '../format.ts';
import type { T } from '../i18n.ts';

const list = (text: string) =>
  text
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * The textile shop (issue 22): models made in sizes × colours, each cell its own article; a deposit or a count
 * is typed in the model's size grid. `network`: the manager runs the whole network (a manager tied to a site
 * creates no model: the catalogue is the network's).
 */
export function Textile({ t, lang, network = true }: { t: T; lang: Lang; network?: boolean }) {
  const [models, setModels] = useState<ModelView[]>([]);
  const [producers, setProducers] = useState<ProducerView[]>([]);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const load = () =>
    Promise.all([call(textileApi.models), call(catalogApi.listProducers, { query: { active: 'true', limit: 500 } })])
      .then(([m, p]) => {
        setModels(m);
        setProducers(p);
      })
      .catch((e) => setError(errorText(e)));
  useEffect(() => void load(), []);

  async function create(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    setError('');
    setDone('');
    try {
      const m = await call(textileApi.createModel, {
        body: {
          name: String(f.get('name')),
          producerId: f.get('producerId') ? Number(f.get('producerId')) : null,
          priceCents: orAsTyped(parseEuros(String(f.get('price'))), f.get('price')),
          vatRateBp: 2000,
          sizes: list(String(f.get('sizes'))),
          colours: list(String(f.get('colours'))),
        },
      });
      setDone(t('bo.tex.created', { name: m.name, n: m.variants.length }));
      form.reset();
      await load();
    } catch (err) {
      setError(errorText(err));
    }
  }

  /** A hang-tag per variant, for the label printer. */
  async function tags(m: ModelView) {
    try {
      const pdf = await call(catalogApi.labelsPdf, { body: { items: m.variants.map((v) => ({ productId: v.productId })), format: 'tag' } });
      window.open(URL.createObjectURL(pdf), '_blank');
    } catch (err) {
      setError(errorText(err));
    }
  }

  /** A grid of numbers typed for a model: a deposit (pieces added) or a count (pieces on the shelf). */
  async function grid(e: Event, m: ModelView, kind: 'deposit' | 'count') {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    setError('');
    setDone('');
    const cells = m.variants
      .map((v) => ({ productId: v.productId, text: String(f.get(`c-${v.productId}`) ?? '').trim() }))
      .filter((c) => c.text !== '')
      .map((c) => ({ productId: c.productId, n: Number(c.text) }));
    try {
      if (kind === 'deposit') {
        const lines = cells.filter((c) => c.n > 0).map((c) => ({ productId: c.productId, quantity: c.n }));
        if (!m.producerId || !lines.length) return setError(t('bo.tex.nothing'));
        await call(stockApi.deposit, { body: { producerId: m.producerId, lines } });
      } else {
        if (!cells.length) return setError(t('bo.tex.nothing'));
        await call(stockApi.count, { body: { lines: cells.map((c) => ({ productId: c.productId, counted: c.n })) } });
      }
      setDone(t(kind === 'deposit' ? 'bo.tex.deposited' : 'bo.tex.counted', { name: m.name }));
      (e.target as HTMLFormElement).reset();
      await load();
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <section class="panel" data-testid="textile">
      <h3>{t('bo.tex.title')}</h3>
      {network && (
        <form class="grid-form" onSubmit={create}>
          <label>
            {t('bo.tex.name')}
            <input name="name" required maxLength={80} />
          </label>
          <label>
            {t('bo.cat.producer')}
            <select name="producerId">
              <option value="">{t('bo.cat.house')}</option>
              {producers.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('bo.cat.priceTtc')}
            <input name="price" required inputMode="decimal" />
          </label>
          <label>
            {t('bo.tex.sizes')}
            <input name="sizes" required placeholder="S, M, L, XL" />
          </label>
          <label>
            {t('bo.tex.colours')}
            <input name="colours" required placeholder="écru, indigo" />
          </label>
          <div class="actions wide">
            <button type="submit">{t('bo.tex.create')}</button>
          </div>
        </form>
      )}
      {models.map((m) => (
        <div key={m.id} class="model">
          <h4>
            {m.name} · {euros(m.variants[0]?.priceCents ?? 0, lang)}
          </h4>
          <button type="button" class="secondary" onClick={() => void tags(m)}>
            {t('bo.tex.tags')}
          </button>
          {(['deposit', 'count'] as const).map((kind) => (
            <form key={kind} onSubmit={(e) => void grid(e, m, kind)}>
              <table class="figures">
                <caption>{t(kind === 'deposit' ? 'bo.tex.depositGrid' : 'bo.tex.countGrid')}</caption>
                <thead>
                  <tr>
                    <th />
                    {m.sizes.map((s) => (
                      <th key={s} class="num">
                        {s}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {m.colours.map((c) => (
                    <tr key={c}>
                      <th scope="row">{c}</th>
                      {m.sizes.map((s) => {
                        const v = m.variants.find((x) => x.colour === c && x.size === s);
                        return (
                          <td key={s} class="num">
                            {v && (
                              <input
                                name={`c-${v.productId}`}
                                inputMode="numeric"
                                size={3}
                                aria-label={t('bo.tex.cell', { colour: c, size: s, onHand: String(v.onHand) })}
                                placeholder={kind === 'count' ? String(v.onHand) : ''}
                              />
                            )}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
              <button type="submit" class="secondary">
                {t(kind === 'deposit' ? 'bo.tex.deposit' : 'bo.tex.count')}
              </button>
            </form>
          ))}
        </div>
      ))}
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
    </section>
  );
}
