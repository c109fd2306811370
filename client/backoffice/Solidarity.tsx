import { useEffect, useState } from 'preact/hooks';
import { catalogApi, type CategoryView } from '../../shared/api/catalog.ts';
import { solidarityApi, type HouseholdView } from '../../shared/api/solidarity.ts';
import type { Lang } from '../../shared/i18n/index.ts';
import { parseEuros } from '../../shared/money.ts';
import { ApiError, call, errorText, link } from '../api.ts';
import { day, euros, orAsTyped, previousMonth, rate, today } from '../format.ts';
import type { T } from '../i18n.ts';

type Fund = Awaited<ReturnType<typeof call<typeof solidarityApi.fund>>>;
type Shares = Awaited<ReturnType<typeof call<typeof solidarityApi.shares>>>;

const pct = (bp: number) => String(bp / 100).replace('.', ',');
const bpOf = (text: string) => Math.round(Number(text.replace(',', '.')) * 100);

/**
 * Solidarity prices (issue 22): the households the partner refers (a number and a card, no name), the
 * household's share by category, the fund and its funders, and the funders' monthly report.
 */
export function Solidarity({ t, lang }: { t: T; lang: Lang }) {
  const [households, setHouseholds] = useState<HouseholdView[]>([]);
  const [fund, setFund] = useState<Fund | null>(null);
  const [shares, setShares] = useState<Shares | null>(null);
  const [categories, setCategories] = useState<CategoryView[]>([]);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  /** Which form the last message is about: it is shown under that form (it was at the page's foot, 1 250 px away). */
  const [at, setAt] = useState('page');
  const [month, setMonth] = useState(previousMonth(today()));
  const load = async () => {
    try {
      const [h, f, s, c] = await Promise.all([
        call(solidarityApi.households),
        call(solidarityApi.fund),
        call(solidarityApi.shares),
        call(catalogApi.listCategories),
      ]);
      setHouseholds(h);
      setFund(f);
      setShares(s);
      setCategories(c);
    } catch (e) {
      setError(errorText(e));
    }
  };
  useEffect(() => void load(), []);
  /**
   * Runs a form's work; its outcome is said under the form, and the fields the server named are marked and the
   * first one focused (`names`: the body's field → the input's name, when they differ).
   */
  const act = async (work: () => Promise<unknown>, message: string, form?: HTMLFormElement, names: Record<string, string> = {}) => {
    setError('');
    setDone('');
    setAt(form?.dataset.form ?? 'page');
    form?.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
    try {
      await work();
      setDone(message);
      form?.reset();
      await load();
    } catch (e) {
      setError(errorText(e));
      if (form && e instanceof ApiError) {
        const fields = e.fields
          .map((f) => f.field.replace(/^body\./, '').split('.')[0]!)
          .map((name) => form.querySelector<HTMLInputElement>(`[name="${names[name] ?? name}"]`))
          .filter((el): el is HTMLInputElement => el !== null);
        fields.forEach((el) => el.setAttribute('aria-invalid', 'true'));
        fields[0]?.focus();
      }
    }
  };
  /** What the last action said, under the form it came from. */
  const said = (here: string) =>
    at !== here ? null : (
      <>
        {error && (
          <p class="error" role="alert" data-testid={`said-${here}`}>
            {error}
          </p>
        )}
        {done && (
          <p class="ok" role="status" data-testid={`said-${here}`}>
            {done}
          </p>
        )}
      </>
    );
  const form = (e: Event) => {
    e.preventDefault();
    const el = e.target as HTMLFormElement;
    return { el, f: new FormData(el) };
  };

  return (
    <>
      <section class="panel" data-testid="households">
        <h3>{t('bo.sol.households')}</h3>
        <p class="muted">{t('bo.sol.privacy', { months: String(shares?.retentionMonths ?? 12) })}</p>
        <table class="figures">
          <caption class="vh">{t('bo.sol.households')}</caption>
          <thead>
            <tr>
              <th>{t('bo.sol.number')}</th>
              <th class="num">{t('bo.sol.size')}</th>
              <th>{t('bo.sol.valid')}</th>
              <th class="num">{t('bo.sol.allowance')}</th>
              <th class="num">{t('bo.sol.remaining')}</th>
              <th>{t('bo.sol.partner')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {households.map((h) => (
              <tr key={h.id}>
                <td>{h.code}</td>
                <td class="num">{h.size}</td>
                <td>
                  {day(h.validFrom, lang)} – {day(h.validTo, lang)}
                </td>
                <td class="num">{euros(h.monthlyAllowanceCents, lang)}</td>
                <td class="num">{euros(h.remainingCents, lang)}</td>
                <td>{h.partner}</td>
                <td>
                  <a class="button secondary" href={link(solidarityApi.card, { params: { id: h.id } })} download>
                    {t('bo.sol.card')}
                  </a>{' '}
                  <a
                    class="button secondary"
                    href={link(solidarityApi.exportHousehold, { params: { id: h.id } })}
                    download={`${h.code}.json`}
                  >
                    {t('bo.sol.export')}
                  </a>{' '}
                  <button
                    type="button"
                    class="danger"
                    aria-label={t('bo.sol.eraseOf', { code: h.code })}
                    onClick={() => {
                      if (confirm(t('bo.sol.eraseConfirm', { code: h.code })))
                        void act(() => call(solidarityApi.eraseHousehold, { params: { id: h.id } }), t('bo.sol.erased', { code: h.code }));
                    }}
                  >
                    {t('bo.sol.erase')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form
          class="grid-form"
          data-form="household"
          onSubmit={(e) => {
            const { el, f } = form(e);
            void act(
              () =>
                call(solidarityApi.createHousehold, {
                  body: {
                    size: Number(f.get('size')),
                    validFrom: String(f.get('validFrom')),
                    validTo: String(f.get('validTo')),
                    monthlyAllowanceCents: orAsTyped(parseEuros(String(f.get('allowance'))), f.get('allowance')),
                    partner: String(f.get('partner') ?? ''),
                  },
                }),
              t('bo.sol.created'),
              el,
              { monthlyAllowanceCents: 'allowance' },
            );
          }}
        >
          <label>
            {t('bo.sol.size')}
            <input name="size" type="number" min={1} max={20} required defaultValue="1" />
          </label>
          <label>
            {t('bo.sol.validFrom')}
            <input name="validFrom" type="date" required defaultValue={today()} />
          </label>
          <label>
            {t('bo.sol.validTo')}
            <input name="validTo" type="date" required />
          </label>
          <label>
            {t('bo.sol.allowance')}
            <input name="allowance" inputMode="decimal" required defaultValue="30,00" />
          </label>
          <label>
            {t('bo.sol.partner')}
            <input name="partner" maxLength={80} />
          </label>
          <div class="actions wide">
            <button type="submit">{t('bo.sol.create')}</button>
          </div>
        </form>
        {said('household')}
      </section>

      {shares && (
        <section class="panel" data-testid="solidarity-shares">
          <h3>{t('bo.sol.shares')}</h3>
          <p class="muted">{t('bo.sol.sharesHelp')}</p>
          <form
            class="grid-form"
            data-form="shares"
            onSubmit={(e) => {
              const { el, f } = form(e);
              const byCategory = categories
                .map((c) => ({ categoryId: c.id, text: String(f.get(`cat-${c.id}`) ?? '').trim() }))
                .filter((c) => c.text !== '')
                .map((c) => ({ categoryId: c.categoryId, householdShareBp: bpOf(c.text) }));
              void act(
                () =>
                  call(solidarityApi.setShares, {
                    body: { defaultShareBp: bpOf(String(f.get('default'))), byCategory, retentionMonths: Number(f.get('retention')) },
                  }),
                t('bo.sol.saved'),
                el,
                { defaultShareBp: 'default', retentionMonths: 'retention' },
              );
            }}
          >
            <label>
              {t('bo.sol.defaultShare')}
              <input name="default" inputMode="decimal" required defaultValue={pct(shares.defaultShareBp)} />
            </label>
            {categories.map((c) => (
              <label key={c.id}>
                {t('bo.sol.shareOf', { name: c.name })}
                <input
                  name={`cat-${c.id}`}
                  inputMode="decimal"
                  placeholder={pct(shares.defaultShareBp)}
                  defaultValue={(() => {
                    const s = shares.byCategory.find((x) => x.categoryId === c.id);
                    return s ? pct(s.householdShareBp) : '';
                  })()}
                />
              </label>
            ))}
            <label>
              {t('bo.sol.retention')}
              <input name="retention" type="number" min={1} max={120} required defaultValue={String(shares.retentionMonths)} />
            </label>
            <div class="actions wide">
              <button type="submit">{t('bo.cat.save')}</button>
            </div>
          </form>
          {said('shares')}
        </section>
      )}

      {fund && (
        <section class="panel" data-testid="solidarity-fund">
          <h3>{t('bo.sol.fund')}</h3>
          <p>
            {t('bo.sol.balance', {
              balance: euros(fund.balanceCents, lang),
              given: euros(fund.contributedCents, lang),
              spent: euros(fund.spentCents, lang),
            })}
          </p>
          <ul>
            {fund.funders.map((f) => (
              <li key={f.id}>
                {f.name} : {euros(f.contributedCents, lang)}
              </li>
            ))}
          </ul>
          <form
            class="grid-form"
            data-form="funder"
            onSubmit={(e) => {
              const { el, f } = form(e);
              void act(() => call(solidarityApi.addFunder, { body: { name: String(f.get('name')) } }), t('bo.sol.saved'), el);
            }}
          >
            <label>
              {t('bo.sol.funderName')}
              <input name="name" required maxLength={80} />
            </label>
            <div class="actions wide">
              <button type="submit">{t('bo.sol.addFunder')}</button>
            </div>
          </form>
          {said('funder')}
          {fund.funders.length > 0 && (
            <form
              class="grid-form"
              data-form="contribution"
              onSubmit={(e) => {
                const { el, f } = form(e);
                void act(
                  () =>
                    call(solidarityApi.contribute, {
                      body: {
                        funderId: Number(f.get('funder')),
                        amountCents: orAsTyped(parseEuros(String(f.get('amount'))), f.get('amount')),
                        receivedOn: String(f.get('receivedOn')),
                      },
                    }),
                  t('bo.sol.saved'),
                  el,
                  { amountCents: 'amount', funderId: 'funder' },
                );
              }}
            >
              <label>
                {t('bo.sol.funder')}
                <select name="funder">
                  {fund.funders.map((f) => (
                    <option key={f.id} value={f.id}>
                      {f.name}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t('bo.sol.amount')}
                <input name="amount" inputMode="decimal" required />
              </label>
              <label>
                {t('bo.sol.receivedOn')}
                <input name="receivedOn" type="date" required defaultValue={today()} />
              </label>
              <div class="actions wide">
                <button type="submit">{t('bo.sol.contribute')}</button>
              </div>
            </form>
          )}
          {said('contribution')}
        </section>
      )}

      <section class="panel" data-testid="solidarity-report">
        <h3>{t('bo.sol.report')}</h3>
        <label>
          {t('bo.sol.month')}
          <input type="month" value={month} onInput={(e) => setMonth((e.target as HTMLInputElement).value)} />
        </label>
        <p>
          <a class="button secondary" href={link(solidarityApi.reportPdf, { query: { month } })} download>
            PDF
          </a>{' '}
          <a class="button secondary" href={link(solidarityApi.reportCsv, { query: { month } })} download>
            CSV
          </a>
        </p>
        <p class="muted">{t('bo.sol.reportHelp', { rate: rate(shares?.defaultShareBp ?? 3000, lang) })}</p>
      </section>
      {said('page')}
    </>
  );
}
