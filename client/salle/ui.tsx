import { useLayoutEffect, useState } from 'preact/hooks';
import { till } from '../caisse/ui.tsx';
import { Salle, type SalleState } from './salle.ts';

export const salle = new Salle(till);
(window as unknown as { salle: Salle }).salle = salle;

export function useSalle(): SalleState {
  const [s, set] = useState(salle.state);
  useLayoutEffect(() => {
    if (salle.state !== s) set(salle.state);
    return salle.subscribe(set);
  }, []);
  return s;
}

/** Minutes since an ISO time, for « occupied for 25 min ». */
export const minutesSince = (iso: string, now = Date.now()) => Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));

/** Redraws every 30 s (the minutes on the floor plan). */
export function useClock(ms = 30_000): number {
  const [now, setNow] = useState(Date.now());
  useLayoutEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, []);
  return now;
}
