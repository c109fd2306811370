import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

let afterClose: HTMLElement | null = null;

/**
 * Where the focus goes when the dialog open now closes, instead of what opened it: a line added from a dialog
 * sends the keyboard back to the search box for the next scan, not to the tile that opened it (found by a walk:
 * Enter there weighed the same cheese again). The dialog closes after the caller's handler, on the next render.
 */
export function focusAfterDialog(el: HTMLElement | null | undefined) {
  afterClose = el ?? null;
}

/**
 * A modal dialog on the browser's own `<dialog>`: it takes the focus when it opens, keeps Tab inside, the
 * screen behind inert, closes on Escape, and gives the focus back to what opened it.
 */
export function Modal({
  labelledBy,
  label,
  onClose,
  children,
}: {
  /** The id of the dialog's title, or its name when it has no visible title. */
  labelledBy?: string;
  label?: string;
  onClose: () => void;
  children: ComponentChildren;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  // What had the focus when the dialog was asked for (read while it first draws, before anything moves it):
  // it gets the focus back when the dialog closes.
  const opener = useRef<HTMLElement | null>(null);
  if (opener.current === null && document.activeElement instanceof HTMLElement) opener.current = document.activeElement;
  useEffect(() => {
    const dialog = ref.current!;
    if (!dialog.open) dialog.showModal();
    return () => {
      if (dialog.open) dialog.close();
      const asked = afterClose;
      afterClose = null;
      const back = asked?.isConnected ? asked : opener.current;
      if (!back?.isConnected) {
        // What opened it is gone (the line the dialog deleted): unless the screen put the focus somewhere of
        // its own (a screen that came with the dialog's outcome), the screen's home has it, never the body.
        queueMicrotask(() => {
          const lost = !document.activeElement || document.activeElement === document.body;
          if (lost && !document.querySelector('dialog[open]')) homeOfScreen()?.focus();
        });
        return;
      }
      back.focus();
      // Closing a modal dialog may hand the focus back by itself a moment later: ours wins.
      queueMicrotask(() => {
        if (back.isConnected && document.activeElement !== back && !document.querySelector('dialog[open]')) back.focus();
      });
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class="modal-dialog"
      role="dialog"
      aria-modal="true"
      aria-labelledby={labelledBy}
      aria-label={labelledBy ? undefined : label}
      onKeyDown={(e) => {
        // Tab goes round inside the dialog (past its last control, back to its first), never out of it.
        if (e.key !== 'Tab') return;
        const controls = [
          ...ref.current!.querySelectorAll<HTMLElement>(
            'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea, a[href]',
          ),
        ];
        if (!controls.length) return;
        const first = controls[0]!;
        const last = controls[controls.length - 1]!;
        if (!e.shiftKey && document.activeElement === last) {
          e.preventDefault();
          first.focus();
        } else if (e.shiftKey && document.activeElement === first) {
          e.preventDefault();
          last.focus();
        }
      }}
      onCancel={(e) => {
        // Escape: the dialog is closed by whoever opened it (its state), not by the browser alone.
        e.preventDefault();
        onClose();
      }}
    >
      {children}
    </dialog>
  );
}

/**
 * Where the keyboard goes when what it was on is gone: the screen's own home (`data-focus-home`, the till's
 * search), else its main region.
 */
export function homeOfScreen(): HTMLElement | null {
  const home = document.querySelector<HTMLElement>('[data-focus-home]:not([disabled])');
  if (home) return home;
  const main = document.querySelector<HTMLElement>('main');
  if (main && !main.hasAttribute('tabindex')) main.tabIndex = -1;
  return main;
}
