/**
 * A product's modifiers as the manager sets them: groups (Cuisson, Sauce, Suppléments…), how many of each a
 * waiter must and may choose, and their options with a price (0: free) or withdrawn for the day. Saved as a
 * whole; options and groups that already exist keep their ids, so lines already ordered are never touched.
 */
import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { parseEuros } from '../../shared/money.ts';
import { modifiersApi, type ProductModifiersView } from '../../shared/api/modifiers.ts';
import { call, errorText } from '../api.ts';
import { orAsTyped } from '../format.ts';
import type { T } from '../i18n.ts';

interface OptionDraft {
  key: number;
  id?: number;
  name: string;
  /** As typed, in euros ("1,50"); empty: free. */
  price: string;
  active: boolean;
}
interface GroupDraft {
  key: number;
  id?: number;
  name: string;
  min: string;
  max: string;
  options: OptionDraft[];
}

let nextKey = 1;
const priceText = (cents: number) => (cents ? (cents / 100).toFixed(2).replace('.', ',') : '');
const anOption = (): OptionDraft => ({ key: nextKey++, name: '', price: '', active: true });

function draftOf(view: ProductModifiersView): GroupDraft[] {
  return view.groups.map((g) => ({
    key: nextKey++,
    id: g.id,
    name: g.name,
    min: String(g.min),
    max: String(g.max),
    options: g.options.map((o) => ({ key: nextKey++, id: o.id, name: o.name, price: priceText(o.priceCents), active: o.active })),
  }));
}

/** What the API takes; a number or a price that does not read is sent as -1 for the server to name the field. */
function bodyOf(groups: GroupDraft[]) {
  const int = (s: string) => (/^\s*\d+\s*$/.test(s) ? Number(s) : -1);
  return {
    groups: groups.map((g) => ({
      ...(g.id ? { id: g.id } : {}),
      name: g.name,
      min: int(g.min),
      // Left empty: as many as there are options.
      max: g.max.trim() === '' ? g.options.length : int(g.max),
      options: g.options.map((o) => ({
        ...(o.id ? { id: o.id } : {}),
        name: o.name,
        priceCents: o.price.trim() === '' ? 0 : orAsTyped(parseEuros(o.price), o.price),
        active: o.active,
      })),
    })),
  };
}

const move = <X,>(list: X[], i: number, by: number): X[] => {
  const j = i + by;
  if (j < 0 || j >= list.length) return list;
  const copy = [...list];
  [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  return copy;
};

export function ProductModifiers({ t, productId, productName }: { t: T; productId: number; productName: string }) {
  const [groups, setGroups] = useState<GroupDraft[] | null>(null);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  /** The option whose name field takes the focus once drawn (the one just added). */
  const [focus, setFocus] = useState<number | null>(null);
  useEffect(() => {
    call(modifiersApi.productModifiers, { params: { id: productId } })
      .then((v) => setGroups(draftOf(v)))
      .catch((e) => setError(errorText(e)));
  }, [productId]);
  useLayoutEffect(() => {
    if (focus === null) return;
    document.querySelector<HTMLInputElement>(`input[data-option="${focus}"]`)?.focus();
    setFocus(null);
  }, [focus]);
  if (!groups) return error ? <p class="error">{error}</p> : null;

  const change = (next: GroupDraft[]) => {
    setGroups(next);
    setDone('');
  };
  const setGroup = (gi: number, patch: Partial<GroupDraft>) => change(groups.map((g, i) => (i === gi ? { ...g, ...patch } : g)));
  const setOption = (gi: number, oi: number, patch: Partial<OptionDraft>) =>
    setGroup(gi, { options: groups[gi]!.options.map((o, i) => (i === oi ? { ...o, ...patch } : o)) });
  const addOption = (gi: number, after = groups[gi]!.options.length - 1) => {
    const o = anOption();
    const options = [...groups[gi]!.options];
    options.splice(after + 1, 0, o);
    setGroup(gi, { options });
    setFocus(o.key);
  };
  const addGroup = (preset: 'one' | 'any') => {
    const o = anOption();
    change([...groups, { key: nextKey++, name: '', min: preset === 'one' ? '1' : '0', max: preset === 'one' ? '1' : '', options: [o] }]);
    setFocus(o.key);
  };

  async function save(e: Event) {
    e.preventDefault();
    setError('');
    setDone('');
    try {
      const saved = await call(modifiersApi.replaceProductModifiers, { params: { id: productId }, body: bodyOf(groups!) });
      setGroups(draftOf(saved));
      setDone(t('bo.mod.saved'));
    } catch (err) {
      setError(errorText(err));
    }
  }

  const headingId = `modifiers-${productId}`;
  return (
    <form class="modifiers" onSubmit={save} aria-labelledby={headingId}>
      <h4 id={headingId}>{t('bo.mod.title', { name: productName })}</h4>
      <p class="muted">{t('bo.mod.help')}</p>
      {groups.map((g, gi) => (
        <fieldset class="modifier-group" key={g.key}>
          <legend>{g.name || t('bo.mod.newGroup')}</legend>
          <div class="grid-form">
            <label>
              {t('bo.mod.groupName')}
              <input
                required
                maxLength={60}
                value={g.name}
                placeholder={t('bo.mod.groupPlaceholder')}
                onInput={(e) => setGroup(gi, { name: (e.target as HTMLInputElement).value })}
              />
            </label>
            <label>
              {t('bo.mod.min')}
              <input
                inputMode="numeric"
                value={g.min}
                onInput={(e) => setGroup(gi, { min: (e.target as HTMLInputElement).value })}
                aria-describedby={`${headingId}-minmax`}
              />
            </label>
            <label>
              {t('bo.mod.max')}
              <input
                inputMode="numeric"
                placeholder={t('bo.mod.all')}
                value={g.max}
                onInput={(e) => setGroup(gi, { max: (e.target as HTMLInputElement).value })}
                aria-describedby={`${headingId}-minmax`}
              />
            </label>
          </div>
          <table class="modifier-options">
            <thead>
              <tr>
                <th scope="col">{t('bo.mod.option')}</th>
                <th scope="col" class="num">
                  {t('bo.mod.price')}
                </th>
                <th scope="col">{t('bo.mod.offered')}</th>
                <th scope="col" aria-label={t('bo.mod.actions')} />
              </tr>
            </thead>
            <tbody>
              {g.options.map((o, oi) => (
                <tr key={o.key}>
                  <td>
                    <input
                      required
                      maxLength={60}
                      aria-label={t('bo.mod.optionName', { n: oi + 1 })}
                      value={o.name}
                      data-option={o.key}
                      onInput={(e) => setOption(gi, oi, { name: (e.target as HTMLInputElement).value })}
                      onKeyDown={(e) => {
                        // Enter: the next option, the way a list is typed.
                        if (e.key === 'Enter') {
                          e.preventDefault();
                          addOption(gi, oi);
                        }
                      }}
                    />
                  </td>
                  <td class="num">
                    <input
                      inputMode="decimal"
                      placeholder={t('bo.mod.free')}
                      aria-label={t('bo.mod.optionPrice', { n: oi + 1 })}
                      value={o.price}
                      onInput={(e) => setOption(gi, oi, { price: (e.target as HTMLInputElement).value })}
                    />
                  </td>
                  <td>
                    <label class="check">
                      <input
                        type="checkbox"
                        aria-label={t('bo.mod.offeredOption', { n: oi + 1 })}
                        checked={o.active}
                        onChange={(e) => setOption(gi, oi, { active: (e.target as HTMLInputElement).checked })}
                      />
                    </label>
                  </td>
                  <td class="actions">
                    <button
                      type="button"
                      class="secondary"
                      aria-label={t('bo.mod.up', { name: o.name || String(oi + 1) })}
                      disabled={oi === 0}
                      onClick={() => setGroup(gi, { options: move(g.options, oi, -1) })}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      class="secondary"
                      aria-label={t('bo.mod.down', { name: o.name || String(oi + 1) })}
                      disabled={oi === g.options.length - 1}
                      onClick={() => setGroup(gi, { options: move(g.options, oi, 1) })}
                    >
                      ↓
                    </button>
                    <button
                      type="button"
                      class="secondary"
                      aria-label={t('bo.mod.removeOption', { name: o.name || String(oi + 1) })}
                      onClick={() => setGroup(gi, { options: g.options.filter((_, i) => i !== oi) })}
                    >
                      ×
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="actions">
            <button type="button" class="secondary" onClick={() => addOption(gi)}>
              {t('bo.mod.addOption')}
            </button>
            <button type="button" class="secondary" disabled={gi === 0} onClick={() => change(move(groups, gi, -1))}>
              {t('bo.mod.groupUp')}
            </button>
            <button type="button" class="secondary" disabled={gi === groups.length - 1} onClick={() => change(move(groups, gi, 1))}>
              {t('bo.mod.groupDown')}
            </button>
            <button type="button" class="secondary" onClick={() => change(groups.filter((_, i) => i !== gi))}>
              {t('bo.mod.removeGroup', { name: g.name || t('bo.mod.newGroup') })}
            </button>
          </div>
        </fieldset>
      ))}
      {groups.length === 0 && <p class="muted">{t('bo.mod.none')}</p>}
      <p class="muted" id={`${headingId}-minmax`}>
        {t('bo.mod.minmaxHelp')}
      </p>
      <div class="actions">
        <button type="button" class="secondary" onClick={() => addGroup('one')}>
          {t('bo.mod.addOneOf')}
        </button>
        <button type="button" class="secondary" onClick={() => addGroup('any')}>
          {t('bo.mod.addAnyOf')}
        </button>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {done && (
        <p class="ok" role="status">
          {done}
        </p>
      )}
      <div class="actions">
        <button type="submit">{t('bo.mod.save')}</button>
      </div>
    </form>
  );
}
