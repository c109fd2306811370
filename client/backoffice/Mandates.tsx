import { useEffect, useState } from 'preact/hooks';
import { settlementApi, type MandateView } from '../../shared/api/settlement.ts';
import type { Lang } from '../../shared/i18n/index.ts';
import { call, errorText, link } from '../api.ts';
import { day, today } from '../format.ts';
import type { T } from '../i18n.ts';

/**
 * A producer's self-billing mandates (issue 21): under the commissionnaire model the shop writes the producer's
 * invoices itself, which it may only do under their signed mandate. Print the mandate filled in, have it signed,
 * record the scanned PDF (kept as signed), revoke it from a day on.
 */
export function Mandates({ t, lang, producerId, producerName }: { t: T; lang: Lang; producerId: number; producerName: string }) {
  const [mandates, setMandates] = useState<MandateView[] | null>(null);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const load = () =>
    call(settlementApi.mandates, { params: { id: producerId } })
      .then(setMandates)
      .catch((e) => setError(errorText(e)));
  useEffect(() => {
    void load();
  }, [producerId]);

  async function record(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    const file = f.get('pdf');
    setError('');
    setDone('');
    if (!(file instanceof File) || file.size === 0) return setError(t('bo.mandate.noFile'));
    try {
      const signedOn = String(f.get('signedOn'));
      const validFrom = String(f.get('validFrom') || signedOn);
      await call(settlementApi.recordMandate, { params: { id: producerId }, query: { signedOn, validFrom }, body: file }, 30_000);
      setDone(t('bo.mandate.recorded', { name: producerName }));
      form.reset();
      await load();
    } catch (err) {
      setError(errorText(err));
    }
  }
  async function revoke(m: MandateView) {
    setError('');
    setDone('');
    try {
      await call(settlementApi.revokeMandate, { params: { id: m.id }, body: { on: today() } });
      await load();
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <section class="mandates" aria-labelledby={`mandates-${producerId}`}>
      <h4 id={`mandates-${producerId}`}>{t('bo.mandate.title')}</h4>
      <p class="muted">{t('bo.mandate.why')}</p>
      <p>
        <a href={link(settlementApi.mandateTemplate, { params: { id: producerId } })} download>
          {t('bo.mandate.template')}
        </a>
      </p>
      {mandates && mandates.length > 0 ? (
        <table class="figures">
          <caption class="vh">{t('bo.mandate.title')}</caption>
          <thead>
            <tr>
              <th>{t('bo.mandate.signedOn')}</th>
              <th>{t('bo.mandate.validFrom')}</th>
              <th>{t('bo.mandate.state')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {mandates.map((m) => (
              <tr key={m.id}>
                <td>{day(m.signedOn, lang)}</td>
                <td>{day(m.validFrom, lang)}</td>
                <td>{m.revokedOn ? t('bo.mandate.revokedOn', { day: day(m.revokedOn, lang) }) : t('bo.mandate.inForce')}</td>
                <td>
                  <a href={link(settlementApi.mandatePdf, { params: { id: m.id } })} download>
                    {t('bo.mandate.signedPdf')}
                  </a>{' '}
                  {!m.revokedOn && (
                    <button type="button" class="secondary" onClick={() => void revoke(m)}>
                      {t('bo.mandate.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        mandates && <p>{t('bo.mandate.none')}</p>
      )}
      <form onSubmit={record} class="grid-form">
        <label class="wide">
          {t('bo.mandate.signedPdfFile')}
          <input name="pdf" type="file" accept="application/pdf" required />
        </label>
        <label>
          {t('bo.mandate.signedOn')}
          <input name="signedOn" type="date" required max={today()} defaultValue={today()} />
        </label>
        <label>
          {t('bo.mandate.validFrom')}
          <input name="validFrom" type="date" />
        </label>
        <div class="actions wide">
          <button type="submit">{t('bo.mandate.record')}</button>
        </div>
      </form>
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
