/**
 * A form's <select> that starts on a given value. Preact sets `defaultValue` on the select before its
 * options exist, so the browser falls back to the first option: each option carries `selected` instead.
 */
export function Choice({ name, value, options, label }: { name: string; value: string; options: [value: string, label: string][]; label?: string }) {
  return (
    <select name={name} aria-label={label}>
      {options.map(([v, l]) => <option key={v} value={v} selected={v === value}>{l}</option>)}
    </select>
  );
}
