import { useEffect, useState } from 'preact/hooks';
import type { Lang } from '../../shared/i18n/index.ts';
import { OUTLET_CODES } from '../../shared/api/common.ts';
import { catalogApi } from '../../shared/api/catalog.ts';
import { sitesApi, type NetworkReport, type SiteView } from '../../shared/api/sites.ts';
import { parseEuros } from '../../shared/money.ts';
import { call, currentSite, errorText, setWorkingSite } from '../api.ts';
import { day, euros, moment, monthStart, today } from '../format.ts';
import type { T } from '../i18n.ts';

/**
 * The site a network manager works at (issue 23): shown only when they can see more than one. Every page
 * below it reads and writes that site's outlets, tills and stock (the `Comptoir-Site` header, client/api.ts).
 */
export function SitePicker({ t, onChange }: { t: T; onChange: (site: number | null) => void }) {
  const [sites, setSites] = useState<SiteView[]>([]);
  useEffect(() => {
    call(sitesApi.list)
      .then((list) => {
        setSites(list);
        // A site chosen before that is gone (or out of reach now): back to the first.
        const chosen = currentSite();
        if (chosen !== null && !list.some((s) => s.id === chosen)) {
          setWorkingSite(null);
          onChange(null);
        }
      })
      .catch(() => setSites([]));
  }, []);
  if (sites.length < 2) return null;
  const value = currentSite() ?? sites[0]!.id;
  return (
    <div class="site-picker" data-testid="site-picker">
      <label>
        {t('bo.sites.workingAt')}
        <select
          value={String(value)}
          onChange={(e) => {
            const id = Number((e.target as HTMLSelectElement).value);
            setWorkingSite(id === sites[0]!.id ? null : id);
            onChange(id);
          }}
        >
          {sites.map((s) => (
            <option key={s.id} value={String(s.id)}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

/** The network: its sites and their counters, opening a site, the report across sites, a site's own prices. */
export function Sites({ t, lang, network }: { t: T; lang: Lang; network: boolean }) {
  const [sites, setSites] = useState<SiteView[]>([]);
  const [error, setError] = useState('');
  const load = () =>
    call(sitesApi.list)
      .then(setSites)
      .catch((e) => setError(errorText(e)));
  useEffect(() => void load(), []);
  const working = currentSite() ?? sites[0]?.id ?? null;
  return (
    <>
      <section class="panel" data-testid="sites">
        <h3>{t('bo.sites.title')}</h3>
        <p class="muted">{t('bo.sites.help')}</p>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <table class="figures">
          <thead>
            <tr>
              <th>{t('bo.sites.name')}</th>
              <th>{t('bo.sites.city')}</th>
              <th>{t('bo.sites.outlets')}</th>
            </tr>
          </thead>
          <tbody>
            {sites.map((s) => (
              <tr key={s.id} data-testid="site-row">
                <td>
                  <strong>{s.name}</strong> <span class="muted">({s.code})</span>
                </td>
                <td>{s.city}</td>
                <td>{s.outlets.map((o) => t(`bo.outlet.${o.kind}`)).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {network && <NewSite t={t} onCreated={load} />}
      </section>
      <Report t={t} lang={lang} />
      {working !== null && <SitePrices t={t} lang={lang} site={sites.find((s) => s.id === working) ?? null} />}
    </>
  );
}

function NewSite({ t, onCreated }: { t: T; onCreated: () => void }) {
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  async function submit(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    setError('');
    setDone('');
    try {
      const site = await call(sitesApi.create, {
        body: {
          code: String(f.get('code')),
          name: String(f.get('name')),
          city: String(f.get('city')),
          outlets: OUTLET_CODES.filter((o) => f.get(`outlet-${o}`) === 'on'),
        },
      });
      setDone(t('bo.sites.created', { name: site.name }));
      form.reset();
      onCreated();
    } catch (err) {
      setError(errorText(err));
    }
  }
  return (
    <form class="stack" onSubmit={submit} data-testid="new-site">
      <h4>{t('bo.sites.new')}</h4>
      <div class="row">
        <label>
          {t('bo.sites.name')}
          <input name="name" required maxLength={80} />
        </label>
        <label>
          {t('bo.sites.code')}
          <input name="code" required maxLength={31} pattern="[a-z0-9][a-z0-9\-]{1,30}" aria-describedby="site-code-help" />
        </label>
        <label>
          {t('bo.sites.city')}
          <input name="city" maxLength={80} />
        </label>
      </div>
      <p class="muted" id="site-code-help">
        {t('bo.sites.codeHelp')}
      </p>
      <fieldset>
        <legend>{t('bo.sites.outlets')}</legend>
        {OUTLET_CODES.map((o) => (
          <label key={o} class="check">
            <input type="checkbox" name={`outlet-${o}`} defaultChecked={o === 'shop'} /> {t(`bo.outlet.${o}`)}
          </label>
        ))}
      </fieldset>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {done && <p role="status">{done}</p>}
      <button type="submit" class="primary">
        {t('bo.sites.open')}
      </button>
    </form>
  );
}

function Report({ t, lang }: { t: T; lang: Lang }) {
  const [from, setFrom] = useState(monthStart(today()));
  const [to, setTo] = useState(today());
  const [report, setReport] = useState<NetworkReport | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    let current = true;
    call(sitesApi.report, { query: { from, to } })
      .then((r) => current && (setReport(r), setError('')))
      .catch((e) => current && setError(errorText(e)));
    return () => {
      current = false;
    };
  }, [from, to]);
  const money = (c: number) => euros(c, lang);
  return (
    <section class="panel" data-testid="network-report">
      <h3>{t('bo.sites.report')}</h3>
      <div class="toolbar">
        <label>
          {t('bo.sites.from')}
          <input type="date" value={from} max={to} onChange={(e) => setFrom((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t('bo.sites.to')}
          <input type="date" value={to} min={from} onChange={(e) => setTo((e.target as HTMLInputElement).value)} />
        </label>
        <span class="muted">{t('bo.sites.period', { from: day(from, lang), to: day(to, lang) })}</span>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {report && (
        <table class="figures">
          <thead>
            <tr>
              <th>{t('bo.sites.name')}</th>
              <th class="num">{t('bo.sites.tickets')}</th>
              <th class="num">{t('bo.sites.net')}</th>
              <th class="num">{t('bo.sites.average')}</th>
              <th class="num">{t('bo.sites.consignment')}</th>
              <th class="num">{t('bo.sites.stockValue')}</th>
            </tr>
          </thead>
          <tbody>
            {report.sites.map((s) => (
              <tr key={s.siteId} data-testid="report-row">
                <td>
                  <strong>{s.name}</strong>
                  <div class="muted">
                    {s.outlets
                      .filter((o) => o.tickets > 0)
                      .map((o) => `${t(`bo.outlet.${o.kind}`)} : ${money(o.salesCents + o.refundsCents)}`)
                      .join(' · ')}
                  </div>
                </td>
                <td class="num">{s.tickets}</td>
                <td class="num">{money(s.netCents)}</td>
                <td class="num">{money(s.averageTicketCents)}</td>
                <td class="num">{money(s.consignmentCents)}</td>
                <td class="num">{money(s.stockValueCents)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('bo.sites.total')}</th>
              <td class="num">{report.totals.tickets}</td>
              <td class="num">{money(report.totals.netCents)}</td>
              <td class="num">—</td>
              <td class="num">{money(report.totals.consignmentCents)}</td>
              <td class="num">{money(report.totals.stockValueCents)}</td>
            </tr>
          </tfoot>
        </table>
      )}
    </section>
  );
}

function SitePrices({ t, lang, site }: { t: T; lang: Lang; site: SiteView | null }) {
  const [rows, setRows] = useState<Awaited<ReturnType<typeof call<typeof sitesApi.prices>>>>([]);
  const [products, setProducts] = useState<{ id: number; name: string; priceCents: number }[]>([]);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const load = () => {
    if (!site) return;
    call(sitesApi.prices, { params: { id: site.id } })
      .then(setRows)
      .catch((e) => setError(errorText(e)));
  };
  useEffect(() => {
    load();
    call(catalogApi.listProducts, { query: { active: 'true', limit: 500 } })
      .then((list) => setProducts(list.map((p) => ({ id: p.id, name: p.name, priceCents: p.priceCents }))))
      .catch(() => setProducts([]));
  }, [site?.id]);
  if (!site) return null;
  async function put(productId: number, priceCents: number | null) {
    setError('');
    setDone('');
    try {
      const r = await call(sitesApi.setPrice, { params: { id: site!.id, productId }, body: { priceCents } });
      const name = products.find((p) => p.id === productId)?.name ?? '';
      setDone(r.own ? t('bo.sites.priceSet', { name, price: euros(r.priceCents, lang) }) : t('bo.sites.priceBack', { name }));
      load();
    } catch (e) {
      setError(errorText(e));
    }
  }
  function submit(e: Event) {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const price = parseEuros(String(f.get('price')));
    if (price === null || price < 0) return setError(t('bo.sites.priceInvalid'));
    void put(Number(f.get('productId')), price);
  }
  return (
    <section class="panel" data-testid="site-prices">
      <h3>{t('bo.sites.prices', { site: site.name })}</h3>
      <p class="muted">{t('bo.sites.pricesHelp')}</p>
      {rows.length === 0 && <p class="muted">{t('bo.sites.noPrices')}</p>}
      {rows.length > 0 && (
        <table class="figures">
          <thead>
            <tr>
              <th>{t('bo.stock.product')}</th>
              <th class="num">{t('bo.sites.networkPrice')}</th>
              <th class="num">{t('bo.sites.sitePrice')}</th>
              <th>{t('bo.sites.since')}</th>
              <th>
                <span class="sr-only">{t('bo.sites.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.productId} data-testid="site-price">
                <td>{r.name}</td>
                <td class="num">{euros(r.networkPriceCents, lang)}</td>
                <td class="num">
                  <strong>{euros(r.priceCents, lang)}</strong>
                </td>
                <td>{moment(r.since, lang, { dateStyle: 'medium' })}</td>
                <td>
                  <button type="button" onClick={() => void put(r.productId, null)}>
                    {t('bo.sites.backToNetwork')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form class="row" onSubmit={submit} data-testid="site-price-form">
        <label>
          {t('bo.stock.product')}
          <select name="productId" required>
            {products.map((p) => (
              <option key={p.id} value={String(p.id)}>
                {p.name} — {euros(p.priceCents, lang)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('bo.sites.sitePrice')}
          <input name="price" inputMode="decimal" required placeholder="0,00" />
        </label>
        <button type="submit" class="primary">
          {t('bo.sites.setPrice')}
        </button>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {done && <p role="status">{done}</p>}
    </section>
  );
}
