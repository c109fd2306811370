/**
 * Puts the keyboard on `el` when nothing has it (the page's body): a screen shown after an action (a PIN, a
 * table opened, a login) starts where its work starts, and never takes the keyboard from a field or a button.
 * Found by a newcomer's walk: Tab started from the top of the page and a screen reader said nothing.
 */
export function focusIfLost(el: Element | null | undefined): void {
  const active = document.activeElement;
  if (el instanceof HTMLElement && (!active || active === document.body)) el.focus();
}

/**
 * A table wider than its box scrolls on its own (an upright tablet, a phone: client/style.css); it takes the
 * keyboard then, so that the arrows scroll it (axe's « scrollable-region-focusable », found by a walk at 390 px),
 * and gives it back once it fits. Looked at whenever the page changes or the window is resized.
 */
export function keyboardScrollables(root: HTMLElement, selector = 'table.figures'): () => void {
  let pending = 0;
  const look = () => {
    pending = 0;
    for (const el of root.querySelectorAll<HTMLElement>(selector)) {
      const scrolls = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible';
      if (scrolls && !el.hasAttribute('tabindex')) el.setAttribute('tabindex', '0');
      else if (!scrolls && el.getAttribute('tabindex') === '0') el.removeAttribute('tabindex');
    }
  };
  const soon = () => {
    if (!pending) pending = requestAnimationFrame(look);
  };
  const observer = new MutationObserver(soon);
  observer.observe(root, { childList: true, subtree: true });
  addEventListener('resize', soon);
  soon();
  return () => {
    observer.disconnect();
    removeEventListener('resize', soon);
  };
}
