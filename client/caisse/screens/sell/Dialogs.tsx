import { useState } from 'preact/hooks';
import { Modal } from '../../Modal.tsx';
import { parseEuros, typedWeight, weighedPrice, type Cents, type Grams } from '../../../../shared/money.ts';
import { call } from '../../../api.ts';
import { authApi } from '../../../../shared/api/auth.ts';
import { approvalCents, approvalCovers, letOffBeyond, removeLine, updateLine, type CartLine } from '../../cart.ts';
import { beyondLimit } from '../../../../shared/sales.ts';
import type { Product } from '../../catalog.ts';
import { type TillState } from '../../till.ts';
import { till, t, eur, kg, useKeys, errorText, Keypad, applyKey } from '../../ui.tsx';

/** A model's grid (textile): a colour per row, a size per column; each button adds that variant. */
export function VariantDialog({ variants, onDone }: { variants: Product[]; onDone: (p: Product | null) => void }) {
  useKeys(() => undefined);
  // Made colour by colour, size by size (server/textile/models.ts): the articles' order is the grid's.
  const ordered = [...variants].sort((a, b) => a.id - b.id);
  const colours = [...new Set(ordered.map((v) => v.variant!.colour))];
  const sizes = [...new Set(ordered.map((v) => v.variant!.size))];
  return (
    <Modal labelledBy="variant-title" onClose={() => onDone(null)}>
      <div class="card" data-testid="variant-grid">
        <h2 id="variant-title">{variants[0]?.variant?.modelName}</h2>
        <table>
          <caption class="visually-hidden">{t('till.variant.grid')}</caption>
          <tbody>
            {colours.map((c) => (
              <tr key={c}>
                <th scope="row">{c}</th>
                {sizes.map((s) => {
                  const v = variants.find((x) => x.variant!.colour === c && x.variant!.size === s);
                  return (
                    <td key={s}>
                      {v && (
                        // Each size with its stock; one not on the shelf is greyed (still sold if it is there).
                        <button type="button" class={v.onHand !== null && v.onHand <= 0 ? 'out' : ''} onClick={() => onDone(v)}>
                          {/* Named « écru S 3 en stock », of which the button shows « S » and « 3 ». */}
                          <span class="visually-hidden">{c} </span>
                          {s}
                          {v.onHand !== null && (
                            <small class="variant-stock">
                              {' '}
                              {v.onHand}
                              <span class="visually-hidden"> {t('till.variant.inStock')}</span>
                            </small>
                          )}
                        </button>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" onClick={() => onDone(null)}>
          {t('till.cancel')}
        </button>
      </div>
    </Modal>
  );
}

export function WeighDialog({ product, onDone }: { product: Product; onDone: (grams: number | null) => void }) {
  const [g, setG] = useState('');
  // Grams, or kilograms with a decimal comma (« 0,35 » is 350 g: shared/money.ts).
  const { grams } = typedWeight(g);
  const inKg = /[.,]/.test(g);
  // The weight is typed into its own field (Enter adds the line) or on the keypad; keys never reach the
  // screen behind.
  useKeys(() => undefined);
  return (
    <Modal labelledBy="weigh-title" onClose={() => onDone(null)}>
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          if (grams > 0) onDone(grams);
        }}
      >
        <h2 id="weigh-title">{product.name}</h2>
        <p>{t('till.weigh.perKg', { price: eur(product.priceCents) })}</p>
        <label class="big-value" data-testid="grams">
          {/* Said on screen, not only to a screen reader: a newcomer saw a lone « g » and no word of the comma. */}
          <small class="weigh-hint">{t('till.weigh.field')}</small>
          <input
            class="weigh-input"
            autoFocus
            inputMode="decimal"
            autocomplete="off"
            value={g}
            onInput={(e) => {
              const field = e.target as HTMLInputElement;
              const { text } = typedWeight(field.value);
              if (field.value !== text) field.value = text;
              setG(text);
            }}
          />{' '}
          {inKg ? `kg · ${t('till.weigh.grams', { g: grams })}` : 'g'}
        </label>
        <div class="big-value accent" data-testid="weigh-price" aria-live="polite">
          {eur(weighedPrice(product.priceCents as Cents, grams as Grams))}
        </div>
        <Keypad comma onKey={(k) => setG((v) => typedWeight(applyKey(v, k, 8)).text)} />
        <div class="row">
          <button type="button" onClick={() => onDone(null)}>
            {t('till.cancel')}
          </button>
          <button type="submit" class="primary" disabled={grams <= 0}>
            {t('till.weigh.add')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/**
 * A discount's amount with its unit (€ or %), and the manager's PIN when the person ringing is not one:
 * the same fields for a line and for the whole ticket.
 */
function DiscountFields(props: {
  label: string;
  value: string;
  onValue: (v: string) => void;
  autoFocus?: boolean;
  percent: boolean;
  onPercent: (p: boolean) => void;
  /** null: a manager is ringing, no PIN asked. */
  pin: string | null;
  onPin: (pin: string) => void;
}) {
  const { percent, pin } = props;
  return (
    <>
      <label>
        {props.label}
        <span class="row">
          <input
            value={props.value}
            autoFocus={props.autoFocus}
            onInput={(e) => props.onValue((e.target as HTMLInputElement).value)}
            inputMode="decimal"
          />
          <button
            type="button"
            class={percent ? 'toggle on' : 'toggle'}
            aria-label={t(percent ? 'till.discount.inPercent' : 'till.discount.inEuros')}
            onClick={() => props.onPercent(!percent)}
          >
            {percent ? '%' : '€'}
          </button>
        </span>
      </label>
      {pin !== null && (
        <label>
          {t('till.discount.managerPin')}
          <input type="password" inputMode="numeric" value={pin} onInput={(e) => props.onPin((e.target as HTMLInputElement).value)} />
        </label>
      )}
    </>
  );
}

export function LineEditor({ line, s, onClose }: { line: CartLine; s: TillState; onClose: () => void }) {
  const [discount, setDiscount] = useState(line.discountCents ? (line.discountCents / 100).toFixed(2).replace('.', ',') : '');
  const [percent, setPercent] = useState(false);
  const [note, setNote] = useState(line.note);
  const [price, setPrice] = useState((line.unitPriceCents / 100).toFixed(2).replace('.', ','));
  const [reason, setReason] = useState(line.manualReason ?? '');
  const [pin, setPin] = useState('');
  const [error, setError] = useState('');
  const grossAt = (unitPrice: number) =>
    line.unit === 'kg' ? weighedPrice(unitPrice as Cents, line.quantity as Grams) : unitPrice * line.quantity;
  const limitBp = s.device?.options.cashierDiscountLimitBp ?? 0;
  const isManager = s.user?.role === 'manager' || s.user?.role === 'admin';
  // Old carts kept in the page's storage may have lines without the catalogue's price: their price is it.
  const cataloguePrice = line.cataloguePriceCents ?? line.unitPriceCents;
  /** A price other than the catalogue's (a scale label's own price left as it is excepted): a manual price. */
  const isManual = (cents: number | null) =>
    cents !== null && cents !== cataloguePrice && !(line.priceLabel && line.manualReason === undefined && cents === line.unitPriceCents);
  const typedPrice = parseEuros(price);
  const apply = async () => {
    const unitPrice = parseEuros(price);
    if (unitPrice === null || unitPrice < 0) return setError(t('till.price.bad'));
    const manual = isManual(unitPrice);
    // The server refuses a manual price without its reason (issue 20): asked here, before the customer leaves.
    if (manual && reason.trim().length < 3) return setError(t('till.price.needsReason'));
    const gross = grossAt(unitPrice);
    let cents = 0;
    let approval: string | null = null;
    if (discount.trim()) {
      if (percent) {
        const p = Number(discount.replace(',', '.'));
        if (!(p >= 0 && p <= 100)) return setError(t('till.discount.bad'));
        cents = Math.round((gross * p) / 100);
      } else {
        const c = parseEuros(discount);
        if (c === null || c < 0) return setError(t('till.discount.bad'));
        cents = c;
      }
    }
    if (cents > gross) return setError(t('till.discount.tooMuch'));
    // The server's rules (sales/record.ts): a discount within the limit of the line's price, a manual price
    // (with the line's discount) within the limit of the line at the catalogue's price.
    const catalogueGross = grossAt(cataloguePrice);
    const discountOver = beyondLimit(cents, gross, limitBp);
    const priceOver = manual && beyondLimit(catalogueGross - (gross - cents), catalogueGross, limitBp);
    const updated = updateLine(s.cart, line.key, {
      discountCents: cents,
      note: note.trim(),
      unitPriceCents: unitPrice,
      manualReason: manual ? reason.trim() : undefined,
    });
    // With the ticket's discount and the other lines', beyond the limit in all (a manager's approval already
    // on the ticket covers it).
    // A manager's approval already on the ticket covers any change that lets off no more than it was given for
    // (a line of a manual price made shorter asked for the PIN again: found by a walk); the server holds the
    // approval to that amount (server/auth/approval.ts).
    const covered = approvalCovers({ ...updated, approval: s.cart.approval, approvalCents: s.cart.approvalCents });
    const cumulativeOver = !covered && letOffBeyond(updated, limitBp);
    if (!isManager && !covered && (discountOver || priceOver || cumulativeOver)) {
      if (!pin) return setError(t(priceOver ? 'till.price.needsManager' : 'till.discount.needsManager', { limit: limitBp / 100 }));
      try {
        approval = (await call(authApi.approve, { body: { pin, purpose: 'discount', amountCents: approvalCents(updated) } })).approval;
      } catch (e) {
        setPin('');
        return setError(errorText(e));
      }
    }
    till.setCart(approval ? { ...updated, approval, approvalCents: approvalCents(updated) } : updated);
    onClose();
  };
  return (
    <Modal labelledBy="line-editor-title" onClose={onClose}>
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          void apply();
        }}
      >
        <h2 id="line-editor-title">{line.name}</h2>
        {line.unit === 'piece' ? (
          <div class="row qty">
            <button
              type="button"
              class="key"
              aria-label={t('till.qty.less')}
              onClick={() => line.quantity > 1 && till.setCart(updateLine(s.cart, line.key, { quantity: line.quantity - 1 }))}
            >
              −
            </button>
            <span class="big-value" aria-live="polite">
              {line.quantity}
            </span>
            <button
              type="button"
              class="key"
              aria-label={t('till.qty.more')}
              onClick={() => till.setCart(updateLine(s.cart, line.key, { quantity: line.quantity + 1 }))}
            >
              +
            </button>
          </div>
        ) : (
          <p>
            {kg(line.quantity)} × {eur(line.unitPriceCents)}/kg
          </p>
        )}
        <label>
          {t(line.unit === 'kg' ? 'till.price.perKg' : 'till.price.label', { price: eur(cataloguePrice) })}
          <input value={price} inputMode="decimal" onInput={(e) => setPrice((e.target as HTMLInputElement).value)} />
        </label>
        {isManual(typedPrice) && (
          <label>
            {t('till.price.reason')}
            <input value={reason} maxLength={200} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
          </label>
        )}
        <DiscountFields
          label={t('till.discount.label')}
          value={discount}
          onValue={setDiscount}
          percent={percent}
          onPercent={setPercent}
          pin={isManager ? null : pin}
          onPin={setPin}
        />
        <label>
          {t('till.note')}
          <input value={note} maxLength={200} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="row">
          <button
            type="button"
            class="danger"
            onClick={() => {
              till.setCart(removeLine(s.cart, line.key));
              onClose();
            }}
          >
            {t('till.line.remove')}
          </button>
          <button type="button" onClick={onClose}>
            {t('till.cancel')}
          </button>
          <button type="submit" class="primary">
            {t('till.ok')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function TicketDiscount({ s, subtotal, onClose }: { s: TillState; subtotal: number; onClose: () => void }) {
  const [value, setValue] = useState('');
  const [percent, setPercent] = useState(true);
  const [pin, setPin] = useState('');
  const [error, setError] = useState('');
  const limitBp = s.device?.options.cashierDiscountLimitBp ?? 0;
  const isManager = s.user?.role === 'manager' || s.user?.role === 'admin';
  const apply = async () => {
    const cents = percent ? Math.round((subtotal * Number(value.replace(',', '.') || 0)) / 100) : (parseEuros(value || '0') ?? -1);
    if (!(cents >= 0) || cents > subtotal) return setError(t('till.discount.bad'));
    if (
      !isManager &&
      (beyondLimit(cents, subtotal, limitBp) ||
        (!approvalCovers({ ...s.cart, discountCents: cents }) && letOffBeyond({ ...s.cart, discountCents: cents }, limitBp)))
    ) {
      if (!pin) return setError(t('till.discount.needsManager', { limit: limitBp / 100 }));
      try {
        const amountCents = approvalCents({ ...s.cart, discountCents: cents });
        const { approval } = await call(authApi.approve, { body: { pin, purpose: 'discount', amountCents } });
        till.setCart({ ...s.cart, discountCents: cents, approval, approvalCents: amountCents });
      } catch (e) {
        setPin('');
        return setError(errorText(e));
      }
      return onClose();
    }
    till.setCart({ ...s.cart, discountCents: cents });
    onClose();
  };
  return (
    <Modal labelledBy="ticket-discount-title" onClose={onClose}>
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          void apply();
        }}
      >
        <h2 id="ticket-discount-title">{t('till.discount.ticket')}</h2>
        <DiscountFields
          label={t('till.discount.ticketAmount')}
          value={value}
          onValue={setValue}
          autoFocus
          percent={percent}
          onPercent={setPercent}
          pin={isManager ? null : pin}
          onPin={setPin}
        />
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="row">
          <button type="button" onClick={onClose}>
            {t('till.cancel')}
          </button>
          <button type="submit" class="primary">
            {t('till.ok')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
