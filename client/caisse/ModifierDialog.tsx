import { useState } from 'preact/hooks';
import type { Product } from './catalog.ts';
import { Modal } from './Modal.tsx';
import { eur, t } from './ui.tsx';

/** The options of a dish: each group's choice within its minimum and maximum, with their price. */
export function ModifierDialog({ product, onCancel, onDone }: { product: Product; onCancel: () => void; onDone: (ids: number[]) => void }) {
  const [chosen, setChosen] = useState<Map<number, number[]>>(new Map());
  const of = (g: number) => chosen.get(g) ?? [];
  const toggle = (group: Product['modifiers'][number], option: number) => {
    const now = of(group.id);
    const next = now.includes(option)
      ? now.filter((x) => x !== option)
      : group.max === 1
        ? [option]
        : now.length < group.max
          ? [...now, option]
          : now;
    setChosen(new Map(chosen).set(group.id, next));
  };
  const ready = product.modifiers.every((g) => of(g.id).length >= g.min);
  const extra = product.modifiers.flatMap((g) => g.options.filter((o) => of(g.id).includes(o.id))).reduce((x, o) => x + o.priceCents, 0);
  return (
    <Modal labelledBy="mods-title" onClose={onCancel}>
      <div class="card mods-dialog">
        <h2 id="mods-title">
          {product.name} <small>{eur(product.priceCents + extra)}</small>
        </h2>
        {product.modifiers.map((g) => (
          <fieldset key={g.id}>
            <legend>
              {g.name}{' '}
              <small>
                {g.min > 0 ? t('salle.mods.required', { n: g.min }) : t('salle.mods.optional')}
                {g.max > 1 ? ` · ${t('salle.mods.max', { n: g.max })}` : ''}
              </small>
            </legend>
            <div class="mods-options">
              {g.options.map((o) => (
                <button
                  key={o.id}
                  type="button"
                  class={of(g.id).includes(o.id) ? 'on' : ''}
                  aria-pressed={of(g.id).includes(o.id)}
                  onClick={() => toggle(g, o.id)}
                >
                  {o.name}
                  {o.priceCents > 0 && <small> +{eur(o.priceCents)}</small>}
                </button>
              ))}
            </div>
          </fieldset>
        ))}
        <div class="row">
          <button type="button" onClick={onCancel}>
            {t('salle.cancel')}
          </button>
          <button
            type="button"
            class="primary"
            disabled={!ready}
            onClick={() => onDone(product.modifiers.flatMap((g) => of(g.id)))}
            data-testid="mods-add"
          >
            {t('salle.mods.add')}
          </button>
        </div>
      </div>
    </Modal>
  );
}
