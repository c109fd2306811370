import { useState } from 'preact/hooks';
import type { Lang } from '../../shared/i18n/index.ts';

/**
 * A list sorted by the column clicked (again: the other way), numbers as numbers and text as a reader
 * of the language expects (accents, digits in names); the header cells carry aria-sort.
 */
export function useSortable<R, K extends string>(rows: readonly R[], keyOf: (row: R, by: K) => string | number, initial: K, lang: Lang) {
  const [sort, setSort] = useState<{ by: K; desc: boolean }>({ by: initial, desc: false });
  const collator = new Intl.Collator(lang, { sensitivity: 'base', numeric: true });
  const sorted = [...rows].sort((a, b) => {
    const x = keyOf(a, sort.by),
      y = keyOf(b, sort.by);
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
    return sort.desc ? -c : c;
  });
  const header = (by: K, label: string, cls = '') => (
    <th class={cls} aria-sort={sort.by === by ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
      <button class="sort" onClick={() => setSort({ by, desc: sort.by === by ? !sort.desc : false })}>
        {label}
        {sort.by === by ? (sort.desc ? ' ▼' : ' ▲') : ''}
      </button>
    </th>
  );
  return { sorted, header };
}
