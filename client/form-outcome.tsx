import { useEffect, useRef } from 'preact/hooks';

/**
 * What an action came to, shown beside the form or row that asked for it: its error (role=alert) or its
 * success (role=status). It brings itself into view when it changes: on a long page the section's message sat
 * thousands of pixels above the form that was just sent, and nobody saw it.
 */
export function FormOutcome({ error, done }: { error?: string; done?: string }) {
  const shown = useRef<HTMLParagraphElement>(null);
  useEffect(() => shown.current?.scrollIntoView({ block: 'nearest' }), [error, done]);
  if (error)
    return (
      <p ref={shown} class="error" role="alert">
        {error}
      </p>
    );
  if (done)
    return (
      <p ref={shown} class="ok" role="status">
        {done}
      </p>
    );
  return null;
}
