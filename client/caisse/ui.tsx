import { Component, type ComponentChild } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Lang } from '../../shared/i18n/index.ts';
import { translateTill as translate, type TillMessageKey as MessageKey } from '../../shared/i18n/till.ts';
import { writeEuros, type Cents } from '../../shared/money.ts';
import { ApiError, isOffline } from '../api.ts';
import { Till, type TillState } from './till.ts';

export const till = new Till();
(window as unknown as { till: Till }).till = till;
// The cart is written when the browser is idle; leaving the page (a reload, the browser closed) writes it now.
window.addEventListener('pagehide', () => till.flushCart());
document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && till.flushCart());

export let lang: Lang = (localStorage.getItem('lang') as Lang) === 'en' ? 'en' : 'fr';

/** The till's language, kept on the tablet; the screens read `lang` (a live binding) when they redraw. */
export function setLang(next: Lang) {
  lang = next;
  localStorage.setItem('lang', next);
}

export const t = (key: MessageKey, vars?: Record<string, string | number>) => translate(lang, key, vars);

/** Amounts as the till's language writes them; the same few prices come back all day, so they are kept. */
const euroTexts = new Map<number, string>();
let euroLang: Lang | null = null;
export const eur = (c: number) => {
  if (euroLang !== lang || euroTexts.size > 2000) {
    euroTexts.clear();
    euroLang = lang;
  }
  let text = euroTexts.get(c);
  if (text === undefined) euroTexts.set(c, (text = writeEuros(c as Cents, lang)));
  return text;
};

const kgFormats = new Map<Lang, Intl.NumberFormat>();

export const kg = (g: number) => {
  let f = kgFormats.get(lang);
  if (!f) kgFormats.set(lang, (f = new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 3 })));
  return `${f.format(g / 1000)} kg`;
};

export const METHODS: { code: string; key: MessageKey }[] = [
  { code: 'cash', key: 'till.pay.cash' },
  { code: 'card', key: 'till.pay.card' },
  { code: 'cheque', key: 'till.pay.cheque' },
  { code: 'meal_voucher', key: 'till.pay.voucher' },
];
/** Not picked by hand: the fund's share comes with a household's card (Pay screen). */
export const FUND_METHODS: { code: string; key: MessageKey }[] = [{ code: 'solidarity', key: 'till.solidarity.fund' }];

/** A payment method's name as the till says it (a shop's own method, `other:…`, by its own name). */
export function methodName(code: string): string {
  const known = [...METHODS, ...FUND_METHODS].find((m) => m.code === code);
  return known ? t(known.key) : code.replace(/^other:/, '');
}

/**
 * State whose latest value key handlers can read at once: a scanner or a fast typist sends the next key
 * before the screen has redrawn, so a handler must not rely on the value of the last render.
 */

export function useLive<T>(initial: T): [T, (next: T | ((prev: T) => T)) => void, { current: T }] {
  const [value, setValue] = useState(initial);
  const ref = useRef(initial);
  const set = (next: T | ((prev: T) => T)) => {
    ref.current = typeof next === 'function' ? (next as (prev: T) => T)(ref.current) : next;
    setValue(ref.current);
  };
  return [value, set, ref];
}

/**
 * One keyboard listener for the whole till, installed once: the screen (or dialog) drawn last sets the
 * handler while it renders, so keys go to what is on screen now, never to a screen that just closed.
 */

export const keyHandler: { current: ((e: KeyboardEvent) => void) | null } = { current: null };
window.addEventListener('keydown', (e) => {
  // Enter and Space belong to the focused control (a button presses, a field types): a screen's shortcut
  // never overrides it. A shortcut acts only when nothing in particular has the focus.
  if ((e.key === 'Enter' || e.key === ' ') && isControl(e.target)) return;
  keyHandler.current?.(e);
});

const CONTROLS = 'button, a[href], input, select, textarea, summary, [role=button], [role=tab], [contenteditable=true]';

/**
 * For buttons that set a value rather than act (a payment method, a keypad key): a tap does not take the
 * focus, so the keyboard's Enter still goes where it went before the tap. Reached with Tab, they take it.
 */
export const keepFocus = (e: MouseEvent) => e.preventDefault();

export const isControl = (target: EventTarget | null) => target instanceof Element && target.closest(CONTROLS) !== null;

export function useKeys(handler: (e: KeyboardEvent) => void) {
  keyHandler.current = handler;
}

/**
 * The till's state, drawn again when it changes. The screen as a whole skips changes to the cart alone:
 * a scan redraws the cart (which follows the cart itself), not the status bar and the product grid.
 */

export function useTill(exceptCartOnly = false): TillState {
  const [s, set] = useState(till.state);
  // Subscribed before the browser paints, and caught up with any change made since the first render.
  useLayoutEffect(() => {
    if (till.state !== s) set(till.state);
    return till.subscribe((next, prev) => {
      if (
        exceptCartOnly &&
        next.cart !== prev.cart &&
        (Object.keys(next) as (keyof TillState)[]).every((k) => k === 'cart' || next[k] === prev[k])
      )
        return;
      set(next);
    });
  }, []);
  return s;
}

export function errorText(e: unknown): string {
  if (isOffline(e)) return t('error.network');
  return e instanceof ApiError ? e.message : String(e);
}

/** `comma`: a decimal comma instead of « C » (a weight in kilograms: « 0,35 »), ⌫ still erases. */
export function Keypad({ onKey, comma = false }: { onKey: (k: string) => void; comma?: boolean }) {
  const keys = ['7', '8', '9', '4', '5', '6', '1', '2', '3', comma ? ',' : 'C', '0', '⌫'];
  return (
    <div class="keypad" role="group">
      {keys.map((k) => (
        <button
          type="button"
          key={k}
          class={k === 'C' || k === '⌫' ? 'key alt' : 'key'}
          onMouseDown={keepFocus}
          onClick={() => onKey(k)}
          aria-label={k === '⌫' ? t('till.key.back') : k === 'C' ? t('till.key.clear') : k === ',' ? t('till.key.comma') : k}
        >
          {k}
        </button>
      ))}
    </div>
  );
}

export const applyKey = (value: string, k: string, max = 9) =>
  k === 'C' ? '' : k === '⌫' ? value.slice(0, -1) : (value + k).replace(/^0+(?=\d)/, '').slice(0, max);

/** Shallow-compared props: a scan changes the cart, and only the cart is drawn again. */
export function pure<P extends object>(render: (props: P) => ComponentChild) {
  return class extends Component<P> {
    override shouldComponentUpdate(next: P) {
      for (const k in next) if (next[k] !== this.props[k]) return true;
      return false;
    }
    override render() {
      return render(this.props);
    }
  };
}
