import { OUTLET_CODES } from '../../shared/api/common.ts';
import { formatIban } from '../../shared/banking.ts';
import { useEffect, useRef, useState } from 'preact/hooks';
import { parseEuros } from '../../shared/money.ts';
import type { Lang } from '../../shared/i18n/index.ts';
import { call, errorText } from '../api.ts';
import { printingApi } from '../../shared/api/printing.ts';
import { catalogApi, type CategoryView, type ImportReport, type ProducerView, type ProductView } from '../../shared/api/catalog.ts';
import { euros, orAsTyped, quantity, rate } from '../format.ts';
import type { T } from '../i18n.ts';
import { Choice } from './Choice.tsx';
import { useSortable } from './sortable.tsx';
import { ProductModifiers } from './Modifiers.tsx';
import { RecipeEditor, Recipes } from './Recipes.tsx';
import { Mandates } from './Mandates.tsx';

type Producer = ProducerView;
type Product = ProductView;
type Category = CategoryView;
type ProductSort = 'name' | 'producer' | 'price' | 'onHand';

const VAT_RATES = [550, 1000, 2000, 210, 0];
const value = (e: Event) => (e.target as HTMLInputElement).value;

/** Producers, products and the CSV import: what the shop sells and for whom. */
/** `network`: the manager runs the whole network (a manager tied to one site does not see the producers' mandates). */
export function Catalogue({ t, lang, network = true }: { t: T; lang: Lang; network?: boolean }) {
  const [producers, setProducers] = useState<Producer[]>([]);
  const [products, setProducts] = useState<Product[]>([]);
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<number | null>(null);
  const [recipeOf, setRecipeOf] = useState<number | null>(null);
  const [editingProducer, setEditingProducer] = useState<number | null>(null);
  // The « Modifier » button an editor was opened from gets the keyboard back when it closes (it fell to the body).
  const [focusBack, setFocusBack] = useState<string | null>(null);
  useEffect(() => {
    if (focusBack === null) return;
    document.getElementById(focusBack)?.focus();
    setFocusBack(null);
  }, [focusBack]);
  const [categories, setCategories] = useState<Category[]>([]);
  const [producerFilter, setProducerFilter] = useState('');
  const [categoryFilter, setCategoryFilter] = useState('');
  const [picked, setPicked] = useState<Set<number>>(new Set());
  const [copies, setCopies] = useState('1');
  const [skip, setSkip] = useState('0');
  const [labelError, setLabelError] = useState('');
  async function printLabels() {
    setLabelError('');
    try {
      const pdf = await call(
        catalogApi.labelsPdf,
        { body: { items: [...picked].map((productId) => ({ productId, copies: Number(copies) || 1 })), skip: Number(skip) || 0 } },
        60_000,
      );
      const url = URL.createObjectURL(pdf);
      const a = document.createElement('a');
      a.href = url;
      a.download = 'etiquettes.pdf';
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setLabelError(errorText(e));
    }
  }
  const [labelDone, setLabelDone] = useState('');
  async function printThermal() {
    setLabelError('');
    setLabelDone('');
    try {
      const r = await call(printingApi.printLabels, {
        body: { items: [...picked].map((productId) => ({ productId, copies: Number(copies) || 1 })) },
      });
      setLabelDone(t('bo.lab.thermalDone', { n: r.labels }));
    } catch (e) {
      setLabelError(errorText(e));
    }
  }
  const [tick, setTick] = useState(0);
  useEffect(() => {
    call(catalogApi.listProducers, { query: { limit: 500 } })
      .then(setProducers)
      .catch(() => undefined);
  }, [tick]);
  useEffect(() => {
    // Filters change faster than answers come: an answer to filters no longer set never replaces the list.
    let current = true;
    call(catalogApi.listProducts, {
      query: { limit: 200, q: q || undefined, producerId: producerFilter || undefined, categoryId: categoryFilter || undefined },
    })
      .then((list) => current && setProducts(list))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [q, producerFilter, categoryFilter, tick]);
  useEffect(
    () =>
      void call(catalogApi.listCategories)
        .then(setCategories)
        .catch(() => undefined),
    [tick],
  );
  const { sorted, header } = useSortable<Product, ProductSort>(
    products,
    (p, by) =>
      by === 'name' ? p.name : by === 'producer' ? (p.producerName ?? '') : by === 'price' ? p.priceCents : (p.onHand ?? -Infinity),
    'name',
    lang,
  );
  const refresh = () => setTick((n) => n + 1);

  return (
    <>
      <section class="panel">
        <h3>{t('bo.cat.producers')}</h3>
        {network && <NewProducer t={t} onCreated={refresh} />}
        <table class="figures">
          <thead>
            <tr>
              <th>{t('bo.cat.name')}</th>
              <th>SIRET</th>
              <th>{t('bo.cat.vatStatus')}</th>
              <th class="num">{t('bo.cat.commission')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {producers.map((p) =>
              editingProducer === p.id ? (
                <tr key={p.id}>
                  <td colSpan={5}>
                    <EditProducer
                      t={t}
                      network={network}
                      producer={p}
                      onDone={() => {
                        setEditingProducer(null);
                        setFocusBack(`edit-producer-${p.id}`);
                        refresh();
                      }}
                    />
                    {network && <Mandates t={t} lang={lang} producerId={p.id} producerName={p.name} />}
                  </td>
                </tr>
              ) : (
                <tr key={p.id} class={p.active ? '' : 'inactive'}>
                  <td>
                    {p.name}
                    <small class="muted block">{p.legalName}</small>
                  </td>
                  <td>{p.siret}</td>
                  <td>
                    {t(VAT_STATUS_LABEL[p.vatStatus])}
                    {p.vatNumber && <small class="muted block">{p.vatNumber}</small>}
                  </td>
                  <td class="num">{rate(p.commissionBp, lang)}</td>
                  <td>
                    <button
                      id={`edit-producer-${p.id}`}
                      class="secondary"
                      aria-label={t('bo.cat.editOf', { name: p.name })}
                      onClick={() => setEditingProducer(p.id)}
                    >
                      {t('bo.cat.edit')}
                    </button>
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </section>
      <section class="panel">
        <h3>{t('bo.cat.products')}</h3>
        {/* The catalogue is the network's: a manager tied to a site reads it and prints its labels. */}
        {network && <NewProduct t={t} producers={producers} categories={categories} onCreated={refresh} />}
        <div class="toolbar" data-testid="product-filters">
          <label>
            {t('bo.cat.search')}
            <input type="search" value={q} onInput={(e) => setQ(value(e))} />
          </label>
          <label>
            {t('bo.cat.producer')}
            <select value={producerFilter} onChange={(e) => setProducerFilter(value(e))}>
              <option value="">{t('bo.cat.allProducers')}</option>
              {producers.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('bo.cat.category')}
            <select value={categoryFilter} onChange={(e) => setCategoryFilter(value(e))}>
              <option value="">{t('bo.cat.allCategories')}</option>
              {categories.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div class="toolbar labels-bar">
          <label>
            {t('bo.lab.copies')}
            <input inputMode="numeric" value={copies} onInput={(e) => setCopies(value(e))} />
          </label>
          <label>
            {t('bo.lab.skip')}
            <input inputMode="numeric" value={skip} onInput={(e) => setSkip(value(e))} />
          </label>
          <button disabled={picked.size === 0} onClick={printLabels}>
            {t('bo.lab.print', { n: picked.size })}
          </button>
          <button class="secondary" disabled={picked.size === 0} onClick={printThermal}>
            {t('bo.lab.thermal')}
          </button>
        </div>
        {labelError && (
          <p class="error" role="alert">
            {labelError}
          </p>
        )}
        {labelDone && (
          <p class="ok" role="status">
            {labelDone}
          </p>
        )}
        <table class="figures" data-testid="products">
          <thead>
            <tr>
              <th>{t('bo.lab.pick')}</th>
              {header('name', t('bo.cat.name'))}
              {header('producer', t('bo.cat.producer'))}
              {header('price', t('bo.cat.price'), 'num')}
              <th class="num">{t('bo.cat.vat')}</th>
              {header('onHand', t('bo.cat.onHand'), 'num')}
              <th />
            </tr>
          </thead>
          <tbody>
            {sorted.map((p) =>
              editing === p.id ? (
                <tr key={p.id}>
                  <td colSpan={7}>
                    <EditProduct
                      t={t}
                      network={network}
                      product={p}
                      producers={producers}
                      categories={categories}
                      onDone={() => {
                        setEditing(null);
                        setFocusBack(`edit-product-${p.id}`);
                        refresh();
                      }}
                    />
                    {p.outlets.includes('restaurant') && <ProductModifiers t={t} productId={p.id} productName={p.name} />}
                  </td>
                </tr>
              ) : recipeOf === p.id ? (
                <tr key={p.id}>
                  <td colSpan={7}>
                    <RecipeEditor
                      t={t}
                      lang={lang}
                      dishId={p.id}
                      onDone={(saved) => {
                        setRecipeOf(null);
                        if (saved) refresh();
                      }}
                    />
                  </td>
                </tr>
              ) : (
                <tr key={p.id} class={[p.low || p.ingredientsShort ? 'low' : '', p.active ? '' : 'inactive'].join(' ')}>
                  <td>
                    <input
                      type="checkbox"
                      class="pick"
                      checked={picked.has(p.id)}
                      aria-label={t('bo.lab.pickOf', { name: p.name })}
                      onChange={() => {
                        const next = new Set(picked);
                        if (next.has(p.id)) next.delete(p.id);
                        else next.add(p.id);
                        setPicked(next);
                      }}
                    />
                  </td>
                  <td>
                    {p.name}
                    <small class="muted block">
                      {[p.categoryName, p.plu && `PLU ${p.plu}`, ...p.barcodes].filter(Boolean).join(' · ')}
                    </small>
                    {p.ingredientsShort && <small class="error block">{t('bo.rec.short')}</small>}
                  </td>
                  <td>{p.producerName ?? t('bo.cat.house')}</td>
                  <td class="num">
                    {euros(p.priceCents, lang)}
                    {p.unit === 'kg' ? ' /kg' : ''}
                  </td>
                  <td class="num">
                    {rate(p.vatRateBp, lang)}
                    {p.takeawayVatRateBp !== null && p.takeawayVatRateBp !== p.vatRateBp && (
                      <small class="muted"> · {t('bo.cat.takeawayShort', { rate: rate(p.takeawayVatRateBp, lang) })}</small>
                    )}
                  </td>
                  <td class="num">{p.onHand === null ? '—' : quantity(p.onHand, p.unit, lang)}</td>
                  <td>
                    {/* A manager tied to a site reprices their own ressourcerie's objects (the only ones they see). */}
                    {(network || p.oneOff) && (
                      <button
                        id={`edit-product-${p.id}`}
                        class="secondary"
                        aria-label={t('bo.cat.editOf', { name: p.name })}
                        onClick={() => setEditing(p.id)}
                      >
                        {t('bo.cat.edit')}
                      </button>
                    )}
                    {/* The house's dishes sold by the piece are cooked with the producers' goods (not a
                        second-hand item nor a garment's size: nothing is cooked there). */}
                    {network && p.producerId === null && p.unit === 'piece' && !p.oneOff && !p.variant && (
                      <button class="secondary" aria-label={t('bo.rec.editOf', { name: p.name })} onClick={() => setRecipeOf(p.id)}>
                        {t('bo.rec.edit')}
                      </button>
                    )}
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </section>
      <Recipes t={t} lang={lang} tick={tick} onSaved={refresh} network={network} />
      {network && <Import t={t} lang={lang} onImported={refresh} />}
    </>
  );
}

const VAT_STATUS_LABEL = { subject: 'bo.cat.subject', franchise: 'bo.cat.franchise', flat_rate: 'bo.cat.flatRate' } as const;

/** The VAT number and bank details typed in a producer's form; blank fields are none. */
function bankFields(f: FormData) {
  const text = (name: string) => String(f.get(name) ?? '').trim();
  return { vatNumber: text('vatNumber'), iban: text('iban') || null, bic: text('bic') || null };
}

/** A producer's VAT number (checked against the SIRET by the server), and where their statements are paid. */
function BankInputs({ t, producer }: { t: T; producer?: Producer }) {
  return (
    <>
      <label>
        {t('bo.cat.vatNumber')}
        <input name="vatNumber" maxLength={20} defaultValue={producer?.vatNumber ?? ''} placeholder="FR…" autoComplete="off" />
      </label>
      <label>
        IBAN
        <input name="iban" maxLength={42} defaultValue={producer?.iban ? formatIban(producer.iban) : ''} autoComplete="off" />
      </label>
      <label>
        BIC
        <input name="bic" maxLength={11} defaultValue={producer?.bic ?? ''} autoComplete="off" />
      </label>
    </>
  );
}

function NewProducer({ t, onCreated }: { t: T; onCreated: () => void }) {
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  async function submit(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    setError('');
    setDone('');
    const pct = Number(String(f.get('commission')).replace(',', '.'));
    try {
      const p = await call(catalogApi.createProducer, {
        body: {
          name: String(f.get('name')),
          legalName: String(f.get('legalName')),
          siret: String(f.get('siret')).replace(/\s/g, ''),
          vatStatus: String(f.get('vatStatus')) as Producer['vatStatus'],
          commissionBp: orAsTyped(Number.isFinite(pct) ? Math.round(pct * 100) : null, f.get('commission')),
          ...contactFields(f),
          ...bankFields(f),
        },
      });
      setDone(t('bo.cat.producerCreated', { name: p.name }));
      form.reset();
      onCreated();
    } catch (err) {
      setError(errorText(err));
    }
  }
  return (
    <details class="form-box">
      <summary>{t('bo.cat.newProducer')}</summary>
      <form onSubmit={submit} class="grid-form">
        <label>
          {t('bo.cat.name')}
          <input name="name" required maxLength={80} />
        </label>
        <label>
          {t('bo.cat.legalName')}
          <input name="legalName" required maxLength={120} />
        </label>
        <label>
          SIRET
          <input name="siret" required inputMode="numeric" />
        </label>
        <label>
          {t('bo.cat.vatStatus')}
          <select name="vatStatus">
            <option value="subject">{t('bo.cat.subject')}</option>
            <option value="franchise">{t('bo.cat.franchise')}</option>
            <option value="flat_rate">{t('bo.cat.flatRate')}</option>
          </select>
        </label>
        <BankInputs t={t} />
        <label>
          {t('bo.cat.commissionPct')}
          <input name="commission" required inputMode="decimal" defaultValue="20" />
        </label>
        <ContactInputs t={t} />
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
        <button type="submit">{t('bo.cat.create')}</button>
      </form>
    </details>
  );
}

function NewProduct({
  t,
  producers,
  categories,
  onCreated,
}: {
  t: T;
  producers: Producer[];
  categories: Category[];
  onCreated: () => void;
}) {
  const [unit, setUnit] = useState<'piece' | 'kg'>('piece');
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  async function submit(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    setError('');
    setDone('');
    const price = parseEuros(String(f.get('price')));
    const barcode = String(f.get('barcode')).trim();
    try {
      const p = await call(catalogApi.createProduct, {
        body: {
          name: String(f.get('name')),
          producerId: f.get('producerId') ? Number(f.get('producerId')) : null,
          unit: String(f.get('unit')) as Product['unit'],
          priceCents: orAsTyped(price, f.get('price')),
          vatRateBp: Number(f.get('vat')),
          stockTracked: f.get('stockTracked') === 'on',
          mealVoucherEligible: f.get('mealVoucherEligible') === 'on',
          barcodes: barcode ? [barcode] : [],
          ...productExtras(f, unit),
        },
      });
      setDone(t('bo.cat.productCreated', { name: p.name }));
      form.reset();
      setUnit('piece');
      onCreated();
    } catch (err) {
      setError(errorText(err));
    }
  }
  return (
    <details class="form-box">
      <summary>{t('bo.cat.newProduct')}</summary>
      <form onSubmit={submit} class="grid-form">
        <label>
          {t('bo.cat.name')}
          <input name="name" required maxLength={120} />
        </label>
        <label>
          {t('bo.cat.producer')}
          <select name="producerId">
            <option value="">{t('bo.cat.house')}</option>
            {producers
              .filter((p) => p.active)
              .map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
          </select>
        </label>
        <label>
          {t('bo.cat.unit')}
          <select name="unit" value={unit} onChange={(e) => setUnit(value(e) as 'piece' | 'kg')}>
            <option value="piece">{t('bo.cat.piece')}</option>
            <option value="kg">{t('bo.cat.kg')}</option>
          </select>
        </label>
        <label>
          {t('bo.cat.priceTtc')}
          <input name="price" required inputMode="decimal" />
        </label>
        <label>
          {t('bo.cat.vat')}
          <select name="vat">
            {VAT_RATES.map((r) => (
              <option key={r} value={r}>
                {rate(r)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('bo.cat.barcode')}
          <input name="barcode" inputMode="numeric" />
        </label>
        <label class="check">
          <input type="checkbox" name="stockTracked" defaultChecked />
          {t('bo.cat.stockTracked')}
        </label>
        <label class="check">
          <input type="checkbox" name="mealVoucherEligible" />
          {t('bo.cat.mealVoucherEligible')}
        </label>
        <ProductExtras t={t} categories={categories} unit={unit} />
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
        <button type="submit">{t('bo.cat.create')}</button>
      </form>
    </details>
  );
}

/** Who to call or write to at a producer's: a manager of any site may change them. */
function ContactInputs({ t, producer }: { t: T; producer?: Producer }) {
  return (
    <>
      <label>
        {t('bo.cat.contactName')}
        <input name="contactName" maxLength={80} autoComplete="off" defaultValue={producer?.contactName ?? ''} />
      </label>
      <label>
        {t('bo.cat.email')}
        <input name="email" type="email" autoComplete="off" defaultValue={producer?.email ?? ''} />
      </label>
      <label>
        {t('bo.cat.phone')}
        <input name="phone" type="tel" maxLength={30} autoComplete="off" defaultValue={producer?.phone ?? ''} />
      </label>
      <label class="wide">
        {t('bo.cat.address')}
        <input name="address" maxLength={200} autoComplete="off" defaultValue={producer?.address ?? ''} />
      </label>
    </>
  );
}

function contactFields(f: FormData) {
  return {
    contactName: String(f.get('contactName') ?? ''),
    email: String(f.get('email') ?? ''),
    phone: String(f.get('phone') ?? ''),
    address: String(f.get('address') ?? ''),
  };
}

/** A producer's identity, VAT status, commission and whether they still deposit; every change is logged. */
/** `network`: the editor manages the whole network; a manager tied to a site edits the contact details only. */
function EditProducer({ t, producer, network, onDone }: { t: T; producer: Producer; network: boolean; onDone: () => void }) {
  const [error, setError] = useState('');
  const first = useFocusOnOpen();
  async function submit(e: Event) {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const pct = Number(String(f.get('commission')).replace(',', '.'));
    setError('');
    try {
      await call(catalogApi.updateProducer, {
        params: { id: producer.id },
        body: {
          name: String(f.get('name')),
          legalName: String(f.get('legalName')),
          siret: String(f.get('siret')).replace(/\s/g, ''),
          ...contactFields(f),
          active: f.get('active') === 'on',
          // What the producer is paid and how: the network's to set.
          ...(network
            ? {
                vatStatus: String(f.get('vatStatus')) as Producer['vatStatus'],
                commissionBp: orAsTyped(Number.isFinite(pct) ? Math.round(pct * 100) : null, f.get('commission')),
                flatRateCompensationBp: Number(f.get('flatRateCompensationBp')) === 559 ? 559 : 443,
                ...bankFields(f),
              }
            : {}),
        },
      });
      onDone();
    } catch (err) {
      setError(errorText(err));
    }
  }
  return (
    <form onSubmit={submit} class="grid-form edit-producer">
      <label>
        {t('bo.cat.name')}
        <input ref={first} name="name" required maxLength={80} defaultValue={producer.name} />
      </label>
      <label>
        {t('bo.cat.legalName')}
        <input name="legalName" required maxLength={120} defaultValue={producer.legalName} />
      </label>
      <label>
        SIRET
        <input name="siret" required inputMode="numeric" defaultValue={producer.siret} />
      </label>
      <ContactInputs t={t} producer={producer} />
      {network ? (
        <>
          <label>
            {t('bo.cat.vatStatus')}
            <Choice
              name="vatStatus"
              value={producer.vatStatus}
              options={[
                ['subject', t('bo.cat.subject')],
                ['franchise', t('bo.cat.franchise')],
                ['flat_rate', t('bo.cat.flatRate')],
              ]}
            />
          </label>
          <BankInputs t={t} producer={producer} />
          <label>
            {t('bo.cat.flatRateCompensation')}
            <Choice
              name="flatRateCompensationBp"
              value={String(producer.flatRateCompensationBp)}
              options={[
                ['443', t('bo.cat.flatRate443')],
                ['559', t('bo.cat.flatRate559')],
              ]}
            />
          </label>
          <label>
            {t('bo.cat.commissionPct')}
            <input name="commission" required inputMode="decimal" defaultValue={String(producer.commissionBp / 100).replace('.', ',')} />
          </label>
        </>
      ) : (
        <p class="muted wide">{t('bo.cat.termsByNetwork')}</p>
      )}
      <label class="check">
        <input type="checkbox" name="active" defaultChecked={producer.active} />
        {t('bo.cat.producerActive')}
      </label>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="actions wide">
        <button type="submit">{t('bo.cat.save')}</button>
        <button type="button" class="secondary" onClick={onDone}>
          {t('bo.cat.cancel')}
        </button>
      </div>
    </form>
  );
}

/** An inline editor takes the keyboard when it opens: its first field, not the button that has just gone. */
function useFocusOnOpen() {
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  return first;
}

/**
 * Everything about a product: name, producer, category, price and VAT (the server logs every price
 * change), PLU, where it is sold, stock tracking and its low-stock threshold, its barcodes.
 */
/**
 * `network`: the manager runs the network's catalogue. A manager tied to a site edits their ressourcerie's
 * objects only, and of them the name, the price and whether it is still for sale (the server refuses the rest).
 */
function EditProduct({
  t,
  network,
  product,
  producers,
  categories,
  onDone,
}: {
  t: T;
  network: boolean;
  product: Product;
  producers: Producer[];
  categories: Category[];
  onDone: () => void;
}) {
  const [error, setError] = useState('');
  const [codes, setCodes] = useState<string[]>(product.barcodes);
  const first = useFocusOnOpen();
  const [newCode, setNewCode] = useState('');
  async function submit(e: Event) {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const price = parseEuros(String(f.get('price')));
    setError('');
    try {
      if (!network) {
        await call(catalogApi.updateProduct, {
          params: { id: product.id },
          body: { name: String(f.get('name')), priceCents: orAsTyped(price, f.get('price')), active: f.get('active') === 'on' },
        });
        return onDone();
      }
      await call(catalogApi.updateProduct, {
        params: { id: product.id },
        body: {
          name: String(f.get('name')),
          producerId: f.get('producerId') ? Number(f.get('producerId')) : null,
          priceCents: orAsTyped(price, f.get('price')),
          vatRateBp: Number(f.get('vat')),
          active: f.get('active') === 'on',
          stockTracked: f.get('stockTracked') === 'on',
          mealVoucherEligible: f.get('mealVoucherEligible') === 'on',
          ...productExtras(f, product.unit),
          // The whole set: the server removes and adds in the same transaction, or writes nothing.
          barcodes: codes,
        },
      });
      onDone();
    } catch (err) {
      setError(errorText(err));
    }
  }
  const addCode = () => {
    const c = newCode.replace(/\s/g, '');
    if (c && !codes.includes(c)) setCodes([...codes, c]);
    setNewCode('');
  };
  return (
    <form onSubmit={submit} class="grid-form edit-row">
      <label>
        {t('bo.cat.name')}
        <input ref={first} name="name" required maxLength={120} defaultValue={product.name} />
      </label>
      {network && (
        <label>
          {t('bo.cat.producer')}
          <Choice
            name="producerId"
            value={product.producerId === null ? '' : String(product.producerId)}
            options={[
              ['', t('bo.cat.house')],
              ...producers.filter((p) => p.active || p.id === product.producerId).map((p): [string, string] => [String(p.id), p.name]),
            ]}
          />
        </label>
      )}
      <label>
        {t('bo.cat.priceTtc')}
        <input name="price" required inputMode="decimal" defaultValue={(product.priceCents / 100).toFixed(2).replace('.', ',')} />
      </label>
      {network && (
        <>
          <label>
            {t('bo.cat.vat')}
            <Choice name="vat" value={String(product.vatRateBp)} options={VAT_RATES.map((r): [string, string] => [String(r), rate(r)])} />
          </label>
          <ProductExtras t={t} categories={categories} unit={product.unit} product={product} />
          <label class="check">
            <input type="checkbox" name="stockTracked" defaultChecked={product.stockTracked} />
            {t('bo.cat.stockTracked')}
          </label>
          <label class="check">
            <input type="checkbox" name="mealVoucherEligible" defaultChecked={product.mealVoucherEligible} />
            {t('bo.cat.mealVoucherEligible')}
          </label>
        </>
      )}
      <label class="check">
        <input type="checkbox" name="active" defaultChecked={product.active} />
        {t('bo.cat.active')}
      </label>
      {network && (
        <fieldset class="wide barcodes">
          <legend>{t('bo.cat.barcodes')}</legend>
          {codes.map((c) => (
            <span class="chip" key={c}>
              <code>{c}</code>
              <button
                type="button"
                class="secondary"
                aria-label={t('bo.cat.removeCode', { code: c })}
                onClick={() => setCodes(codes.filter((x) => x !== c))}
              >
                ×
              </button>
            </span>
          ))}
          <span class="add-code">
            <input
              aria-label={t('bo.cat.addCode')}
              placeholder={t('bo.cat.addCode')}
              inputMode="numeric"
              value={newCode}
              onInput={(e) => setNewCode(value(e))}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  addCode();
                }
              }}
            />
            <button type="button" class="secondary" onClick={addCode}>
              {t('bo.cat.add')}
            </button>
          </span>
        </fieldset>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="actions wide">
        <button type="submit">{t('bo.cat.save')}</button>
        <button type="button" class="secondary" onClick={onDone}>
          {t('bo.cat.cancel')}
        </button>
      </div>
    </form>
  );
}

/** Category, where it is sold, PLU (weighed goods) and low-stock threshold: shared by the new and edit forms. */
function ProductExtras({ t, categories, unit, product }: { t: T; categories: Category[]; unit: 'piece' | 'kg'; product?: Product }) {
  const outlets = product?.outlets ?? ['shop'];
  const threshold = product?.lowStockThreshold ?? null;
  return (
    <>
      <label title={t('bo.cat.takeawayHelp')}>
        {t('bo.cat.takeawayVat')}
        <Choice
          name="takeawayVat"
          value={product?.takeawayVatRateBp == null ? '' : String(product.takeawayVatRateBp)}
          options={[['', t('bo.cat.takeawaySame')], ...VAT_RATES.map((r): [string, string] => [String(r), rate(r)])]}
        />
      </label>
      <label>
        {t('bo.cat.category')}
        <Choice
          name="categoryId"
          value={product?.categoryId == null ? '' : String(product.categoryId)}
          options={[['', t('bo.cat.noCategory')], ...categories.map((c): [string, string] => [String(c.id), c.name])]}
        />
      </label>
      {unit === 'kg' && (
        <label>
          {t('bo.cat.plu')}
          <input name="plu" inputMode="numeric" defaultValue={product?.plu ?? ''} />
        </label>
      )}
      {unit === 'piece' && (
        <fieldset class="net">
          <legend>{t('bo.cat.net')}</legend>
          <input
            name="netAmount"
            inputMode="decimal"
            aria-label={t('bo.cat.netAmount')}
            defaultValue={product?.net ? netShown(product.net).amount : ''}
          />
          <Choice
            name="netUnit"
            label={t('bo.cat.netUnit')}
            value={product?.net ? netShown(product.net).unit : 'g'}
            options={[
              ['g', 'g'],
              ['kg', 'kg'],
              ['cl', 'cl'],
              ['l', 'l'],
              ['ml', 'ml'],
            ]}
          />
        </fieldset>
      )}
      <label>
        {t(unit === 'kg' ? 'bo.cat.thresholdKg' : 'bo.cat.thresholdPieces')}
        <input
          name="threshold"
          inputMode="decimal"
          defaultValue={threshold === null ? '' : unit === 'kg' ? String(threshold / 1000).replace('.', ',') : String(threshold)}
        />
      </label>
      <fieldset class="outlets">
        <legend>{t('bo.cat.soldAt')}</legend>
        {OUTLET_CODES.map((o) => (
          <label class="check" key={o}>
            <input type="checkbox" name={`outlet-${o}`} defaultChecked={outlets.includes(o)} />
            {t(`bo.outlet.${o}`)}
          </label>
        ))}
      </fieldset>
    </>
  );
}

/** The fields of ProductExtras as the API wants them; a threshold that is not a number is sent as is, for the server to name. */
function productExtras(f: FormData, unit: 'piece' | 'kg') {
  const raw = String(f.get('threshold') ?? '')
    .trim()
    .replace(',', '.');
  const n = Number(raw);
  // Pieces are whole: « 2,5 » for a product sold by the piece goes as it is, for the server to refuse by name
  // (« un nombre entier »; it was silently stored as 3).
  const threshold = raw === '' ? null : orAsTyped(Number.isFinite(n) ? (unit === 'kg' ? Math.round(n * 1000) : n) : null, raw);
  const plu = String(f.get('plu') ?? '').trim();
  const netRaw = String(f.get('netAmount') ?? '')
    .trim()
    .replace(',', '.');
  const factor = { g: [1, 'g'], kg: [1000, 'g'], ml: [1, 'ml'], cl: [10, 'ml'], l: [1000, 'ml'] } as const;
  const [k, netUnit] = factor[String(f.get('netUnit') ?? 'g') as keyof typeof factor] ?? factor.g;
  const net =
    unit === 'kg' || netRaw === ''
      ? null
      : { quantity: orAsTyped(Number.isFinite(Number(netRaw)) ? Math.round(Number(netRaw) * k) : null, netRaw), unit: netUnit };
  return {
    net,
    categoryId: f.get('categoryId') ? Number(f.get('categoryId')) : null,
    outlets: OUTLET_CODES.filter((o) => f.get(`outlet-${o}`) === 'on'),
    lowStockThreshold: threshold,
    takeawayVatRateBp: f.get('takeawayVat') ? Number(f.get('takeawayVat')) : null,
    ...(unit === 'kg' ? { plu: plu || null } : {}),
  };
}

/** CSV import: a dry run first, every problem named by line and column; nothing is written until it is clean. */
function Import({ t, lang, onImported }: { t: T; lang: Lang; onImported: () => void }) {
  const [csv, setCsv] = useState('');
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState('');
  async function send(dryRun: boolean) {
    setError('');
    try {
      // A large file takes a while to check (and to write): longer than a click's usual wait.
      setReport(await call(catalogApi.importProducts, { query: { dryRun: dryRun ? 'true' : 'false' }, body: csv }, 120_000));
      if (!dryRun) onImported();
    } catch (err) {
      setError(errorText(err));
    }
  }
  return (
    <section class="panel">
      <h3>{t('bo.imp.title')}</h3>
      <p class="muted">{t('bo.imp.help')}</p>
      <label>
        {t('bo.imp.file')}
        <input
          type="file"
          accept=".csv,text/csv"
          onChange={async (e) => {
            const file = (e.target as HTMLInputElement).files?.[0];
            if (file) {
              setCsv(await file.text());
              setReport(null);
            }
          }}
        />
      </label>
      <label>
        {t('bo.imp.text')}
        <textarea
          rows={6}
          value={csv}
          onInput={(e) => {
            setCsv((e.target as HTMLTextAreaElement).value);
            setReport(null);
          }}
        />
      </label>
      <div class="actions">
        <button onClick={() => send(true)} disabled={!csv.trim()}>
          {t('bo.imp.check')}
        </button>
        <button onClick={() => send(false)} disabled={!report || !report.dryRun || report.problems.length > 0 || report.valid === 0}>
          {t('bo.imp.run')}
        </button>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {report && (
        <div data-testid="import-report">
          {report.dryRun ? (
            <p class={report.problems.length ? 'error' : 'ok'} role="status">
              {report.problems.length
                ? t('bo.imp.problems', { n: report.problems.length, rows: report.rows })
                : t('bo.imp.clean', { n: report.valid })}
            </p>
          ) : (
            <p class="ok" role="status">
              {t('bo.imp.created', { n: report.created })}
            </p>
          )}
          {report.problems.length > 0 && (
            <table class="figures">
              <thead>
                <tr>
                  <th>{t('bo.imp.line')}</th>
                  <th>{t('bo.imp.field')}</th>
                  <th>{t('bo.imp.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {report.problems.map((p, i) => (
                  <tr key={i}>
                    <td>{p.line}</td>
                    <td>{p.field}</td>
                    <td>{p.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {report.dryRun && report.preview.length > 0 && (
            <table class="figures">
              <thead>
                <tr>
                  <th>{t('bo.imp.line')}</th>
                  <th>{t('bo.cat.name')}</th>
                  <th>{t('bo.cat.producer')}</th>
                  <th class="num">{t('bo.cat.price')}</th>
                </tr>
              </thead>
              <tbody>
                {report.preview.map((p) => (
                  <tr key={p.line}>
                    <td>{p.line}</td>
                    <td>{p.name}</td>
                    <td>{p.producer ?? t('bo.cat.house')}</td>
                    <td class="num">
                      {euros(p.priceCents, lang)}
                      {p.unit === 'kg' ? ' /kg' : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}

/** 500 g → "500" g, 1000 g → "1" kg, 750 ml → "75" cl, 1500 ml → "1,5" l: the form shows what the jar says. */
function netShown(net: { quantity: number; unit: 'g' | 'ml' }): { amount: string; unit: string } {
  const n = (x: number) => String(x).replace('.', ',');
  if (net.unit === 'g')
    return net.quantity >= 1000 ? { amount: n(net.quantity / 1000), unit: 'kg' } : { amount: n(net.quantity), unit: 'g' };
  if (net.quantity >= 1000) return { amount: n(net.quantity / 1000), unit: 'l' };
  return net.quantity % 10 === 0 ? { amount: n(net.quantity / 10), unit: 'cl' } : { amount: n(net.quantity), unit: 'ml' };
}
