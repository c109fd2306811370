import { useEffect, useState } from 'preact/hooks';
import type { Lang } from '../../shared/i18n/index.ts';
import { call, errorText } from '../api.ts';
import { catalogApi, type ProductView } from '../../shared/api/catalog.ts';
import { recipesApi, MAX_RECIPE_INGREDIENTS, type RecipeView } from '../../shared/api/recipes.ts';
import { dishCosting, ingredientCost } from '../../shared/recipes.ts';
import { euros, quantity, rate } from '../format.ts';
import type { T } from '../i18n.ts';

const value = (e: Event) => (e.target as HTMLInputElement).value;

/** One line of the recipe being edited: what the editor shows before it is saved. */
interface Line {
  productId: number;
  name: string;
  producerName: string | null;
  unit: 'piece' | 'kg';
  priceCents: number;
  onHand: number;
  active: boolean;
  /** As typed: pieces, or grams for goods sold by weight. */
  quantity: string;
}

const lineOf = (i: RecipeView['ingredients'][number]): Line => ({
  productId: i.productId,
  name: i.name,
  producerName: i.producerName,
  unit: i.unit,
  priceCents: i.priceCents,
  onHand: i.onHand,
  active: i.active,
  quantity: String(i.quantity),
});
const typed = (q: string) => (/^\d+$/.test(q.trim()) ? Number(q.trim()) : null);

/** Every dish with a recipe: its food cost and margin, short ingredients flagged; each opens its editor. */
/** `network`: recipes are the network's to change (a manager tied to a site reads their food cost and margin). */
export function Recipes({
  t,
  lang,
  tick,
  onSaved,
  network = true,
}: {
  t: T;
  lang: Lang;
  tick: number;
  onSaved: () => void;
  network?: boolean;
}) {
  const [recipes, setRecipes] = useState<RecipeView[] | null>(null);
  const [editing, setEditing] = useState<number | null>(null);
  useEffect(() => {
    call(recipesApi.list)
      .then(setRecipes)
      .catch(() => setRecipes([]));
  }, [tick]);
  return (
    <section class="panel" aria-labelledby="recipes-title">
      <h3 id="recipes-title">{t('bo.rec.title')}</h3>
      <p class="muted">{t('bo.rec.intro')}</p>
      {recipes && recipes.length === 0 && <p class="muted">{t('bo.rec.none')}</p>}
      {recipes && recipes.length > 0 && (
        <table class="figures" data-testid="recipes">
          <thead>
            <tr>
              <th>{t('bo.rec.dish')}</th>
              <th class="num">{t('bo.rec.priceHt')}</th>
              <th class="num">{t('bo.rec.foodCost')}</th>
              <th class="num">{t('bo.rec.margin')}</th>
              <th class="num">{t('bo.rec.ratio')}</th>
              <th class="num">{t('bo.rec.portions')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {recipes.map((r) =>
              editing === r.dishId ? (
                <tr key={r.dishId}>
                  <td colSpan={7}>
                    <RecipeEditor
                      t={t}
                      lang={lang}
                      dishId={r.dishId}
                      onDone={(saved) => {
                        setEditing(null);
                        if (saved) onSaved();
                      }}
                    />
                  </td>
                </tr>
              ) : (
                <tr key={r.dishId} class={[r.ingredientsShort ? 'low' : '', r.active ? '' : 'inactive'].join(' ')}>
                  <td>
                    {r.dishName}
                    <small class="muted block">{r.ingredients.map((i) => i.name).join(' · ')}</small>
                    {r.ingredientsShort && <small class="error block">{t('bo.rec.short')}</small>}
                  </td>
                  <td class="num">{euros(r.priceExclVatCents, lang)}</td>
                  <td class="num">{euros(r.foodCostCents, lang)}</td>
                  <td class="num">{euros(r.marginCents, lang)}</td>
                  <td class="num">{r.foodCostRateBp === null ? '—' : rate(r.foodCostRateBp, lang)}</td>
                  <td class="num">{r.portionsAvailable ?? '—'}</td>
                  <td>
                    {network && (
                      <button class="secondary" aria-label={t('bo.rec.editOf', { name: r.dishName })} onClick={() => setEditing(r.dishId)}>
                        {t('bo.rec.edit')}
                      </button>
                    )}
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}

/**
 * A dish's recipe: ingredients found by search among the producers' stock-tracked goods, a quantity per
 * portion (pieces, or grams for goods sold by weight), each one's cost and the dish's food cost and margin
 * worked out as the server does (shared/recipes.ts) while typing. Saved as a whole.
 */
export function RecipeEditor({ t, lang, dishId, onDone }: { t: T; lang: Lang; dishId: number; onDone: (saved: boolean) => void }) {
  const [recipe, setRecipe] = useState<RecipeView | null>(null);
  const [lines, setLines] = useState<Line[]>([]);
  const [q, setQ] = useState('');
  const [found, setFound] = useState<ProductView[]>([]);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    call(recipesApi.get, { params: { id: dishId } })
      .then((r) => {
        setRecipe(r);
        setLines(r.ingredients.map(lineOf));
      })
      .catch((e) => setError(errorText(e)));
  }, [dishId]);
  useEffect(() => {
    if (q.trim().length < 2) return setFound([]);
    const timer = setTimeout(() => {
      call(catalogApi.listProducts, { query: { q, active: 'true', limit: 20 } })
        .then((ps) =>
          setFound(
            ps.filter((p) => p.stockTracked && p.producerId !== null && p.id !== dishId && !lines.some((l) => l.productId === p.id)),
          ),
        )
        .catch(() => setFound([]));
    }, 200);
    return () => clearTimeout(timer);
  }, [q, lines, dishId]);

  const add = (p: ProductView) => {
    setLines([
      ...lines,
      {
        productId: p.id,
        name: p.name,
        producerName: p.producerName,
        unit: p.unit,
        priceCents: p.priceCents,
        onHand: p.onHand ?? 0,
        active: p.active,
        quantity: p.unit === 'kg' ? '100' : '1',
      },
    ]);
    setQ('');
    setFound([]);
  };
  const costed = lines.map((l) => ({ unit: l.unit, priceCents: l.priceCents, quantity: typed(l.quantity) ?? 0 }));
  const costing = recipe ? dishCosting(recipe, costed) : null;

  async function save(e: Event) {
    e.preventDefault();
    setError('');
    setBusy(true);
    try {
      await call(recipesApi.replace, {
        params: { id: dishId },
        // A quantity that is not a whole number goes as typed: the server names the line that is wrong.
        body: {
          ingredients: lines.map((l) => ({ productId: l.productId, quantity: typed(l.quantity) ?? Number(l.quantity.replace(',', '.')) })),
        },
      });
      onDone(true);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  if (!recipe)
    return error ? (
      <p class="error" role="alert">
        {error}
      </p>
    ) : null;
  return (
    <form onSubmit={save} class="recipe-editor" aria-label={t('bo.rec.editOf', { name: recipe.dishName })}>
      <h3>{t('bo.rec.editOf', { name: recipe.dishName })}</h3>
      {lines.length === 0 ? (
        <p class="muted">{t('bo.rec.empty')}</p>
      ) : (
        <table class="figures">
          <thead>
            <tr>
              <th>{t('bo.rec.ingredient')}</th>
              <th class="num">{t('bo.rec.quantity')}</th>
              <th class="num">{t('bo.rec.shelfPrice')}</th>
              <th class="num">{t('bo.rec.cost')}</th>
              <th class="num">{t('bo.rec.onHand')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {lines.map((l, n) => {
              const qty = typed(l.quantity);
              const unitLabel = l.unit === 'kg' ? t('bo.rec.grams') : t('bo.rec.pieces');
              return (
                <tr key={l.productId} class={qty !== null && l.onHand < qty ? 'low' : ''}>
                  <td>
                    {l.name}
                    <small class="muted block">
                      {[l.producerName, l.active ? null : t('bo.rec.inactive')].filter(Boolean).join(' · ')}
                    </small>
                  </td>
                  <td class="num">
                    <span class="qty-cell">
                      <input
                        class="qty"
                        inputMode="numeric"
                        required
                        aria-label={t('bo.rec.quantityOf', { name: l.name, unit: unitLabel })}
                        value={l.quantity}
                        onInput={(e) => setLines(lines.map((x, i) => (i === n ? { ...x, quantity: value(e) } : x)))}
                      />
                      {unitLabel}
                    </span>
                  </td>
                  <td class="num">
                    {euros(l.priceCents, lang)}
                    {l.unit === 'kg' ? ' /kg' : ''}
                  </td>
                  <td class="num">
                    {qty === null ? '—' : euros(ingredientCost({ unit: l.unit, priceCents: l.priceCents, quantity: qty }), lang)}
                  </td>
                  <td class="num">{quantity(l.onHand, l.unit, lang)}</td>
                  <td>
                    <button
                      type="button"
                      class="secondary"
                      aria-label={t('bo.rec.remove', { name: l.name })}
                      onClick={() => setLines(lines.filter((_, i) => i !== n))}
                    >
                      ×
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {costing && (
        <p role="status" aria-live="polite" data-testid="recipe-costing">
          {t('bo.rec.summary', {
            price: euros(recipe.priceCents, lang),
            ht: euros(costing.priceExclVatCents, lang),
            cost: euros(costing.foodCostCents, lang),
            margin: euros(costing.marginCents, lang),
            ratio: costing.foodCostRateBp === null ? '' : t('bo.rec.ratioPart', { ratio: rate(costing.foodCostRateBp, lang) }),
          })}
        </p>
      )}
      {lines.length < MAX_RECIPE_INGREDIENTS && (
        <div class="recipe-search">
          <label>
            {t('bo.rec.add')}
            <input
              type="search"
              placeholder={t('bo.rec.search')}
              value={q}
              onInput={(e) => setQ(value(e))}
              onKeyDown={(e) => {
                // Enter takes the first match, as a scan would.
                if (e.key === 'Enter') {
                  e.preventDefault();
                  if (found[0]) add(found[0]);
                }
              }}
            />
          </label>
          {q.trim().length >= 2 && found.length === 0 && <p class="muted">{t('bo.rec.noMatch')}</p>}
          {found.length > 0 && (
            <ul class="choices" aria-label={t('bo.rec.matches')}>
              {found.map((p) => (
                <li key={p.id}>
                  <button type="button" class="secondary" onClick={() => add(p)}>
                    {p.name} · {p.producerName} · {euros(p.priceCents, lang)}
                    {p.unit === 'kg' ? ' /kg' : ''}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="submit" disabled={busy}>
          {t('bo.cat.save')}
        </button>
        <button type="button" class="secondary" onClick={() => onDone(false)}>
          {t('bo.cat.cancel')}
        </button>
      </div>
    </form>
  );
}
