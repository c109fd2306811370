import { useEffect, useState } from 'preact/hooks';
import type { Lang } from '../../shared/i18n/index.ts';
import { call, errorText, link } from '../api.ts';
import { printingApi } from '../../shared/api/printing.ts';
import { stockApi, type SlipSummary } from '../../shared/api/stock.ts';
import { moment } from '../format.ts';
import type { T } from '../i18n.ts';

type Kind = SlipSummary['kind'];
const PAGE = 50;

/** What a slip is called in the list: its kind, number and, for a transfer, where the goods went. */
export function slipTitle(t: T, s: SlipSummary): string {
  if (s.kind === 'transfer') return t('bo.slips.transfer', { n: s.number, from: s.siteName, to: s.toSiteName ?? '' });
  return t(s.kind === 'deposit' ? 'bo.slips.deposit' : 'bo.slips.return', { n: s.number });
}

/**
 * The slips recorded at the site worked at (deposits, returns, the transfers sent from it or to it), newest
 * first, of every kind or one: the copy a producer asks for, downloaded or printed again on the counter's
 * printer. Those of the producer picked above when there is one; `version` changes when a slip is recorded.
 */
export function SlipList(props: { t: T; lang: Lang; producer: { id: number; name: string } | null; version: number }) {
  const { t, lang } = props;
  const producerId = props.producer?.id ?? null;
  const [kind, setKind] = useState<Kind | null>(null);
  // How many are shown: more on request, from the first page again for another producer or kind.
  const [more, setMore] = useState({ producerId, limit: PAGE });
  const limit = more.producerId === producerId ? more.limit : PAGE;
  const [slips, setSlips] = useState<SlipSummary[] | null>(null);
  const [error, setError] = useState('');
  const [printed, setPrinted] = useState('');

  useEffect(() => {
    let current = true;
    setError('');
    call(stockApi.slips, { query: { limit, ...(kind ? { kind } : {}), ...(producerId !== null ? { producerId } : {}) } })
      .then((list) => current && setSlips(list))
      .catch((err) => current && setError(errorText(err)));
    return () => {
      current = false;
    };
  }, [kind, producerId, limit, props.version]);

  async function print(s: SlipSummary) {
    setError('');
    setPrinted('');
    try {
      await call(printingApi.printSlip, { params: { id: s.id }, body: {} });
      setPrinted(t('bo.slips.printed', { slip: slipTitle(t, s) }));
    } catch (err) {
      setError(errorText(err));
    }
  }

  // A site's name is said only where the list holds more than one site's slips.
  const manySites = !!slips && slips.some((s) => s.kind === 'transfer' || s.siteName !== slips[0]!.siteName);
  const kinds: [Kind, string][] = [
    ['deposit', t('bo.slips.deposits')],
    ['return', t('bo.slips.returns')],
    ['transfer', t('bo.slips.transfers')],
  ];
  return (
    <section class="panel bo-slips" aria-labelledby="bo-slips-title">
      <h3 id="bo-slips-title">{props.producer ? t('bo.slips.titleOf', { name: props.producer.name }) : t('bo.slips.title')}</h3>
      <div class="slip-filter">
        <label for="bo-slips-kind">{t('bo.slips.kind')}</label>
        <select
          id="bo-slips-kind"
          value={kind ?? ''}
          onChange={(e) => {
            setKind(((e.target as HTMLSelectElement).value || null) as Kind | null);
            setMore({ producerId, limit: PAGE });
          }}
        >
          <option value="">{t('bo.slips.allKinds')}</option>
          {kinds.map(([k, name]) => (
            <option key={k} value={k}>
              {name}
            </option>
          ))}
        </select>
      </div>
      {printed && (
        <p class="ok" role="status">
          {printed}
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {slips === null ? (
        !error && <p class="muted">…</p>
      ) : slips.length === 0 ? (
        <p class="muted">{t('bo.slips.none')}</p>
      ) : (
        <table class="figures" data-testid="slip-list">
          <thead>
            <tr>
              <th>{t('bo.slips.when')}</th>
              <th>{t('bo.slips.slip')}</th>
              {!props.producer && <th>{t('bo.cat.producer')}</th>}
              <th>
                <span class="vh">{t('bo.slips.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {slips.map((s) => {
              const title = slipTitle(t, s);
              return (
                <tr key={s.id}>
                  <td>{moment(s.createdAt, lang)}</td>
                  <td>
                    {title}
                    {manySites && s.kind !== 'transfer' && <small class="muted"> · {s.siteName}</small>}
                    {s.note && <small class="muted"> · {s.note}</small>}
                  </td>
                  {!props.producer && <td>{s.producerName}</td>}
                  <td>
                    <div class="actions">
                      <a
                        class="button secondary"
                        href={link(stockApi.slipPdf, { params: { id: s.id } })}
                        target="_blank"
                        rel="noopener"
                        aria-label={t('bo.slips.pdfOf', { slip: title, name: s.producerName })}
                      >
                        PDF
                      </a>
                      <button
                        type="button"
                        class="secondary"
                        aria-label={t('bo.slips.printOf', { slip: title, name: s.producerName })}
                        onClick={() => void print(s)}
                      >
                        {t('bo.slips.print')}
                      </button>
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {slips !== null && slips.length === limit && limit < 500 && (
        <button type="button" class="secondary" onClick={() => setMore({ producerId, limit: Math.min(500, limit + 100) })}>
          {t('bo.slips.more')}
        </button>
      )}
    </section>
  );
}
