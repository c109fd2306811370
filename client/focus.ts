/**
 * Puts the keyboard on `el` when nothing has it (the page's body): a screen shown after an action (a PIN, a
 * table opened, a login) starts where its work starts, and never takes the keyboard from a field or a button.
 * Found by a newcomer's walk: Tab started from the top of the page and a screen reader said nothing.
 */
export function focusIfLost(el: Element | null | undefined): void {
  const active = document.activeElement;
  if (el instanceof HTMLElement && (!active || active === document.body)) el.focus();
}
