import { OUTLET_CODES, type OutletCodeValue } from '../../shared/api/common.ts';
import type { T } from '../i18n.ts';

/**
 * A form's <select> that starts on a given value. Preact sets `defaultValue` on the select before its
 * options exist, so the browser falls back to the first option: each option carries `selected` instead.
 */
export function Choice({
  name,
  value,
  options,
  label,
}: {
  name: string;
  value: string;
  options: [value: string, label: string][];
  label?: string;
}) {
  return (
    <select name={name} aria-label={label}>
      {options.map(([v, l]) => (
        <option key={v} value={v} selected={v === value}>
          {l}
        </option>
      ))}
    </select>
  );
}

/** Which outlet a page works on: the shop or the restaurant, each with its own closings. */
export function OutletPicker({ t, outlet, onChange }: { t: T; outlet: OutletCodeValue; onChange: (o: OutletCodeValue) => void }) {
  return (
    <label>
      {t('bo.day.outlet')}
      <select value={outlet} onChange={(e) => onChange((e.target as HTMLSelectElement).value as OutletCodeValue)}>
        {OUTLET_CODES.map((o) => (
          <option key={o} value={o}>
            {t(`bo.outlet.${o}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
