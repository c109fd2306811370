import { Textile } from './Textile.tsx';
import { Ressourcerie } from './Ressourcerie.tsx';
import { Solidarity } from './Solidarity.tsx';
import { useEffect, useState } from 'preact/hooks';
import type { Lang } from '../../shared/i18n/index.ts';
import type { T } from '../i18n.ts';
import { StatementsAdmin } from '../settlement/StatementsAdmin.tsx';
import { Accounting, ConsignmentModel } from './Accounting.tsx';
import { Catalogue } from './Catalogue.tsx';
import { Deposit } from './Deposit.tsx';
import { FloorEditor } from './FloorEditor.tsx';
import { Inventory } from './Inventory.tsx';
import { Losses } from './Losses.tsx';
import { DayClosing } from './DayClosing.tsx';
import { Archives, Periods } from './Periods.tsx';
import { Setup } from './Setup.tsx';
import { Stock } from './Stock.tsx';
import { System } from './System.tsx';
import { SitePicker, Sites } from './Sites.tsx';
import { call, currentSite } from '../api.ts';
import { sitesApi, type SiteView } from '../../shared/api/sites.ts';

const SECTIONS = [
  'day',
  'catalogue',
  'deposit',
  'inventory',
  'floor',
  'statements',
  'solidarity',
  'ressourcerie',
  'textile',
  'accounting',
  'network',
  'setup',
  'system',
] as const;
type Section = (typeof SECTIONS)[number];
/** The network's business as a whole (its statements, accounts, event log): not a page for a manager tied to one site. */
const NETWORK_SECTIONS: readonly Section[] = ['statements', 'accounting', 'system'];
/** The pages of one counter: shown only where the site worked at has that counter. */
const COUNTER_OF: Partial<Record<Section, SiteView['outlets'][number]['kind']>> = {
  floor: 'restaurant',
  solidarity: 'epicerie',
  ressourcerie: 'ressourcerie',
  textile: 'textile',
};
const fromHash = (): Section =>
  (SECTIONS as readonly string[]).includes(location.hash.slice(1)) ? (location.hash.slice(1) as Section) : 'day';

/** The managers' pages, one per job; the address keeps the page (#day, #catalogue, #deposit, #inventory, #floor, #statements, #accounting, #network, #setup, #system). */
export function BackOffice({ t, lang, admin, network = true }: { t: T; lang: Lang; admin: boolean; network?: boolean }) {
  // The site worked at: every page below is drawn again for it when it changes.
  const [site, setSite] = useState<number | null>(currentSite());
  const [sites, setSites] = useState<SiteView[] | null>(null);
  useEffect(() => {
    call(sitesApi.list)
      .then(setSites)
      .catch(() => setSites(null));
  }, []);
  // Its counters (everything until the list is in): a site without a ressourcerie has no ressourcerie page.
  const working = sites?.find((s) => s.id === site) ?? sites?.[0];
  const sections = SECTIONS.filter(
    (s) =>
      (network || !NETWORK_SECTIONS.includes(s)) &&
      (!working || COUNTER_OF[s] === undefined || working.outlets.some((o) => o.kind === COUNTER_OF[s])),
  );
  const [asked, setAsked] = useState<Section>(fromHash());
  const section = sections.includes(asked) ? asked : 'day';
  useEffect(() => {
    const onHash = () => setAsked(fromHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  return (
    <div class="backoffice">
      <nav class="bo-nav" aria-label={t('bo.nav')}>
        {sections.map((s) => (
          <a key={s} href={`#${s}`} class={section === s ? 'active' : ''} aria-current={section === s ? 'page' : undefined}>
            {t(`bo.section.${s}`)}
          </a>
        ))}
      </nav>
      {network && <SitePicker t={t} onChange={setSite} />}
      <div key={String(site)}>
        {section === 'day' && <DayClosing t={t} lang={lang} />}
        {section === 'day' && <Periods t={t} lang={lang} />}
        {section === 'catalogue' && <Catalogue t={t} lang={lang} network={network} />}
        {section === 'deposit' && <Deposit t={t} lang={lang} />}
        {section === 'inventory' && <Stock t={t} lang={lang} />}
        {section === 'inventory' && <Inventory t={t} lang={lang} />}
        {section === 'inventory' && <Losses t={t} lang={lang} />}
        {section === 'inventory' && <Losses t={t} lang={lang} kitchen />}
        {section === 'floor' && <FloorEditor t={t} lang={lang} />}
        {section === 'statements' && <StatementsAdmin t={t} lang={lang} />}
        {section === 'solidarity' && <Solidarity t={t} lang={lang} />}
        {section === 'ressourcerie' && <Ressourcerie t={t} lang={lang} />}
        {section === 'textile' && <Textile t={t} lang={lang} network={network} />}
        {section === 'accounting' && <Accounting t={t} />}
        {section === 'accounting' && <ConsignmentModel t={t} lang={lang} />}
        {section === 'accounting' && <Archives t={t} lang={lang} />}
        {section === 'setup' && <Setup t={t} lang={lang} admin={admin} network={network} />}
        {section === 'system' && <System t={t} lang={lang} admin={admin} />}
        {section === 'network' && <Sites t={t} lang={lang} network={network} />}
      </div>
    </div>
  );
}
