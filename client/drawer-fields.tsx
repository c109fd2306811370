import type { TillMessageKey as MessageKey } from '../shared/i18n/till.ts';
import { cashInReasons, cashOutReasons, type CashMovementKind } from '../shared/api/drawer.ts';

/** The reasons a cash movement of this kind may give (a float is its own reason). */
export const reasonsOf = (kind: CashMovementKind): readonly string[] =>
  kind === 'float' ? ['float'] : kind === 'in' ? cashInReasons : cashOutReasons;

/**
 * A cash movement's reason and, when it pays a producer, which one: the same fields at the till and in
 * the back office.
 */
export function ReasonFields({
  t,
  kind,
  reason,
  onReason,
  producerId,
  onProducer,
  producers,
}: {
  /** The till's words are enough here: the back office's translator takes them too. */
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
  kind: CashMovementKind;
  reason: string;
  onReason: (reason: string) => void;
  producerId: number | null;
  onProducer: (id: number | null) => void;
  producers: readonly { id: number; name: string }[];
}) {
  return (
    <>
      {kind !== 'float' && (
        <label>
          {t('drawer.reason')}
          <select value={reason} onChange={(e) => onReason((e.target as HTMLSelectElement).value)}>
            {reasonsOf(kind).map((r) => (
              <option key={r} value={r}>
                {t(`drawer.reason.${r}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
      )}
      {reason === 'producer_payment' && (
        <label>
          {t('drawer.producer')}
          <select
            value={producerId === null ? '' : String(producerId)}
            onChange={(e) => {
              const v = (e.target as HTMLSelectElement).value;
              onProducer(v === '' ? null : Number(v));
            }}
          >
            <option value="">{t('drawer.noProducer')}</option>
            {producers.map((p) => (
              <option key={p.id} value={String(p.id)}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
      )}
    </>
  );
}
