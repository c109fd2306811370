import bwipjs from 'bwip-js/node';
import { translate, type Lang, type MessageKey } from '../../shared/i18n/index.ts';
import { hostName, isLoopbackAddress } from './addresses.ts';
import type { CaInfo } from './certificates.ts';
import { lanAddresses } from './tls-service.ts';

/**
 * The enrolment page (`/enrol`), the one page served over plain HTTP on the shop's network: a new tablet
 * or phone downloads the shop's CA certificate, follows the steps for its system, and the page checks that
 * the HTTPS address is now trusted before sending it on (to the till, the waiter app, the portal).
 */

const STYLE = `<style>
body{font:17px/1.5 system-ui,sans-serif;margin:0;color:#1c1b1a;background:#faf8f4}
main{max-width:40rem;margin:0 auto;padding:1rem 1.25rem 3rem}
h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.demo{background:#8a1c1c;color:#fff;padding:.4rem 1rem;font-weight:600}
a.button,button{display:inline-flex;align-items:center;min-height:48px;box-sizing:border-box;padding:.7rem 1.2rem;border-radius:8px;border:2px solid #1d4e3a;background:#1d4e3a;color:#fff;font:inherit;font-weight:600;text-decoration:none;cursor:pointer}
a.button.secondary{background:#fff;color:#1d4e3a}
details{border:1px solid #b9b2a6;border-radius:8px;margin:.5rem 0;background:#fff}
summary{padding:.8rem 1rem;min-height:28px;font-weight:600;cursor:pointer}
details p{margin:0;padding:0 1rem 1rem}
code{font-size:.8rem;word-break:break-all}
.status{padding:.8rem 1rem;border-radius:8px;background:#fff3d6;border:1px solid #9a6a00}
.status.ok{background:#e3f3e8;border-color:#1d6b3a}
.lang{float:right;color:#1d4e3a}
</style>`;

/** Where a device may be sent on after enrolling: our own apps only, never another site. */
const NEXT = /^\/(caisse|salle|cuisine)?\/?(\?[A-Za-z0-9=&%_-]*)?$/;
export const safeNext = (next: unknown): string => (typeof next === 'string' && NEXT.test(next) ? next : '/');

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export const langOf = (asked: unknown): Lang => (asked === 'en' ? 'en' : 'fr');

/** The address a tablet should use: the one this page was reached by, or the server's LAN address from its own console. */
export function publicHost(hostHeader: string | undefined, remoteAddress: string | undefined): string {
  // Only what a browser puts there (a name or an address, a port): anything else never reaches the page.
  const given = hostHeader ?? '';
  const host = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(given) ? given : 'localhost';
  const name = hostName(host);
  if (isLoopbackAddress(remoteAddress) && (name === 'localhost' || name.startsWith('127.') || name === '[::1]')) {
    const lan = lanAddresses()[0];
    const port = host.slice(host.lastIndexOf(':') + 1);
    if (lan) return /^\d+$/.test(port) && host.includes(':') ? `${lan}:${port}` : lan;
  }
  return host;
}

export function enrolUrl(host: string, next: string): string {
  return `http://${host}/enrol${next === '/' ? '' : `?next=${encodeURIComponent(next)}`}`;
}

/** The enrolment address as a QR code, for the back office's till screen and the plain-HTTP page. */
export function enrolQrSvg(url: string): string {
  return bwipjs.toSVG({ bcid: 'qrcode', text: url, eclevel: 'M', scale: 3, paddingwidth: 2, paddingheight: 2 } as Parameters<
    typeof bwipjs.toSVG
  >[0]);
}

export interface EnrolPage {
  lang: Lang;
  host: string;
  next: string;
  /** The shop's CA, when it has one of its own (none with TLS_CERT files or TLS=off). */
  ca: CaInfo | null;
  httpsActive: boolean;
  demo: boolean;
}

/** The enrolment page: the CA to download, the steps per system, a live check of trust, then on. */
export function enrolPageHtml({ lang, host, next, ca, httpsActive, demo }: EnrolPage): string {
  const t = (key: MessageKey, vars?: Record<string, string | number>) => escape(translate(lang, key, vars));
  const httpsOrigin = `https://${host}`;
  const other = lang === 'fr' ? 'en' : 'fr';
  const otherHref = `/enrol?${new URLSearchParams({ ...(next !== '/' ? { next } : {}), lang: other })}`;
  const steps = (['android', 'ios', 'windows', 'chromeos'] as const)
    .map(
      (os) => `<details><summary>${t(`enrol.os.${os}` as MessageKey)}</summary><p>${t(`enrol.os.${os}.steps` as MessageKey)}</p></details>`,
    )
    .join('');
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t('enrol.title')} — Comptoir</title>
${STYLE}</head><body>
${demo ? `<div class="demo">${t('app.demo')}</div>` : ''}
<main>
<a class="lang" href="${escape(otherHref)}" lang="${other}">${escape(translate(lang, 'lang.switch'))}</a>
<h1>${t('enrol.title')}</h1>
<p>${t('enrol.why')}</p>
${
  ca
    ? `<h2>1. ${t('enrol.step.download')}</h2>
<p><a class="button" href="/enrol/comptoir-ca.crt" download="comptoir-ca.crt">${t('enrol.download')}</a></p>
<p><small>${t('enrol.fingerprint')}<br><code data-testid="fingerprint">${escape(ca.fingerprint)}</code></small></p>
<h2>2. ${t('enrol.step.install')}</h2>${steps}`
    : `<p>${t(httpsActive ? 'enrol.ownCert' : 'enrol.httpsOff')}</p>`
}
<h2>${ca ? '3. ' : ''}${t('enrol.step.check')}</h2>
<p id="status" class="status" role="status" aria-live="polite">${t('enrol.checking')}</p>
${
  next === '/'
    ? // Reached from the address the console prints (no next step): the device may be a till, a waiter's phone or
      // a manager's or producer's; the till first (a newcomer's tablet landed on the back office's login).
      `<p><a class="button" id="go" href="${escape(`${httpsOrigin}/caisse/`)}">${t('enrol.go.till')}</a></p>
<p><a class="button secondary" href="${escape(`${httpsOrigin}/salle/`)}">${t('enrol.go.salle')}</a>
<a class="button secondary" href="${escape(`${httpsOrigin}/`)}">${t('enrol.go.app')}</a></p>`
    : `<p><a class="button" id="go" href="${escape(httpsOrigin + next)}">${t(next.startsWith('/caisse') ? 'enrol.go.till' : 'enrol.go.app')}</a></p>`
}
</main>
<script>
(function () {
  var status = document.getElementById('status');
  var origin = ${JSON.stringify(httpsOrigin)};
  var ok = ${JSON.stringify(translate(lang, 'enrol.trusted'))};
  var notYet = ${JSON.stringify(translate(lang, 'enrol.notTrusted'))};
  function check() {
    fetch(origin + '/enrol/check', { mode: 'no-cors', cache: 'no-store' }).then(function () {
      status.textContent = ok; status.className = 'status ok';
    }, function () {
      status.textContent = notYet; status.className = 'status';
      setTimeout(check, 3000);
    });
  }
  ${httpsActive ? 'check();' : `status.textContent = ${JSON.stringify(translate(lang, 'enrol.httpsOff'))};`}
})();
</script>
</body></html>`;
}

/**
 * What a page asked for over plain HTTP on the shop's network gets (HTTPS being on): not the app, which
 * the browser would cripple there, and not a bare redirect, which lands a device that does not trust the
 * shop yet on the browser's certificate error. A short page says why in French, checks whether this
 * device trusts the HTTPS address, and if it does, goes there by itself (a few seconds, so the reason can
 * be read); if it does not, it points to the enrolment page.
 */
export function insecurePageHtml({
  lang,
  host,
  url,
  path,
  demo,
}: {
  lang: Lang;
  host: string;
  url: string;
  path: string;
  demo: boolean;
}): string {
  const t = (key: MessageKey, vars?: Record<string, string | number>) => escape(translate(lang, key, vars));
  const target = `https://${host}${url}`;
  const next = safeNext(path.replace(/^(\/(caisse|salle|cuisine)\/?).*$/, '$1'));
  const enrol = enrolUrl(host, next);
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t('insecure.title')} — Comptoir</title>
${STYLE}</head><body>
${demo ? `<div class="demo">${t('app.demo')}</div>` : ''}
<main data-testid="insecure">
<h1>${t('insecure.title')}</h1>
<p>${t('insecure.why')}</p>
<p id="status" class="status" role="status" aria-live="polite">${t('enrol.checking')}</p>
<p><a class="button" id="go" href="${escape(target)}">${t('insecure.open')}</a></p>
<p><code>${escape(target)}</code></p>
<h2>${t('enrol.title')}</h2>
<p><img src="/enrol/qr.svg?next=${encodeURIComponent(next)}" width="160" height="160" alt="${escape(enrol)}"></p>
<p>${t('insecure.enrol', { url: enrol })}</p>
<p><a class="button secondary" id="enrol" href="${escape(enrol)}">${t('insecure.enrolButton')}</a></p>
</main>
<script>
(function () {
  var status = document.getElementById('status');
  var target = ${JSON.stringify(target).replace(/</g, '\\u003c')};
  var origin = target.slice(0, target.indexOf('/', 8));
  fetch(origin + '/enrol/check', { mode: 'no-cors', cache: 'no-store' }).then(function () {
    status.textContent = ${JSON.stringify(translate(lang, 'insecure.moving'))};
    status.className = 'status ok';
    setTimeout(function () { location.replace(target); }, 3000);
  }, function () {
    status.textContent = ${JSON.stringify(translate(lang, 'insecure.notTrusted'))};
    // Not trusted yet: enrolling is what to do first, opening the HTTPS address would meet a certificate error.
    document.getElementById('enrol').className = 'button';
    document.getElementById('go').className = 'button secondary';
  });
})();
</script>
</body></html>`;
}
