import { formatEuros, type Cents } from '../../shared/money.ts';
import { MEAL_VOUCHER, mealVoucherLimit, mealVouchersAllowedAt } from '../../shared/payment-rules.ts';
import { CASH, type SettledPayment } from '../../shared/sales.ts';
import { marks, rawRows } from '../../db/raw.ts';
import type { Db, Trx } from '../../db/schema.ts';
import { checkApproval } from '../auth/approval.ts';
import { Unprocessable } from '../errors.ts';
import { tillOptions } from '../settings/settings.ts';

const eur = (c: number) => formatEuros(c as Cents);

export interface PaymentRulesInput {
  /** The ticket's id: a manager's approval is used by it, once. */
  saleId: string;
  /** The ticket's lines as priced: the product and what the line costs after its discounts. */
  lines: readonly { productId: number; totalCents: number }[];
  totalCents: number;
  /** The payments as settled (`settle`): a voucher's amount is what it pays, its excess apart. */
  payments: readonly SettledPayment[];
  changeCents: number;
  createdAt: Date;
  timeZone: string;
  tillId: number;
  cashierId: number;
  cashierRole: string;
  cashApproval: string | undefined;
  now: Date;
}

/**
 * The rules the law sets on how a ticket is paid, checked on the server whatever the till showed:
 * - meal vouchers (titres-restaurant) pay only for eligible food, at most the shop's cap per ticket (25 € a
 *   day in 2026), and not on Sundays and public holidays unless the shop allows it (art. R3262-8 and R3262-10
 *   Code du travail). The stricter reading: every ticket is held to the cap, even a customer's second ticket;
 * - cash above the shop's threshold (1 000 €, art. L112-6 CMF) only with a manager's confirmation.
 * Returns the manager who confirmed a large cash payment (null when none was needed); throws a 422 naming
 * the payment and the reason, in French, otherwise.
 */
export async function checkPaymentRules(trx: Trx, t: PaymentRulesInput): Promise<{ cashApprovedBy: number | null }> {
  const options = await tillOptions(trx);
  const problems: { field: string; reason: string }[] = [];
  const voucherAt = t.payments.map((p, i) => (p.method === MEAL_VOUCHER ? i : -1)).filter((i) => i >= 0);
  if (voucherAt.length && t.totalCents > 0) {
    const field = `payments.${voucherAt[0]}.method`;
    if (!mealVouchersAllowedAt(t.createdAt, options, t.timeZone)) {
      problems.push({ field, reason: 'pas de titres-restaurant le dimanche et les jours fériés' });
    } else {
      const ids = [...new Set(t.lines.map((l) => l.productId))];
      const eligibleIds = new Set(
        (
          await rawRows<{ id: number }>(
            trx,
            `select "id" from "products" where "meal_voucher_eligible" = 1 and "id" in (${marks(ids.length)})`,
            ids,
          )
        ).map((r) => r.id),
      );
      const eligible = t.lines.filter((l) => eligibleIds.has(l.productId)).reduce((s, l) => s + l.totalCents, 0);
      const limit = mealVoucherLimit(eligible, options.mealVoucherCapCents);
      const accepted = voucherAt.reduce((s, i) => s + t.payments[i]!.amountCents, 0);
      if (accepted > limit)
        problems.push({
          field: `payments.${voucherAt[0]}.amountCents`,
          reason:
            eligible === 0
              ? 'titres-restaurant : aucun article éligible sur ce ticket'
              : `titres-restaurant : ${eur(limit)} maximum sur ce ticket (articles éligibles ${eur(eligible)})`,
        });
    }
  }
  if (problems.length) throw new Unprocessable(`Ticket refusé : ${problems[0]!.reason}.`, problems);

  // What cash actually pays: what was handed over, less the change given back.
  const cashPaid = t.payments.filter((p) => p.method === CASH).reduce((s, p) => s + p.amountCents, 0) - t.changeCents;
  if (options.cashApprovalAboveCents > 0 && cashPaid > options.cashApprovalAboveCents) {
    if (t.cashierRole === 'manager' || t.cashierRole === 'admin') return { cashApprovedBy: t.cashierId };
    const approver = await checkApproval(trx, t.cashApproval, t.tillId, t.createdAt, t.now, {
      purpose: 'cash',
      subject: `sale:${t.saleId}`,
      amountCents: cashPaid,
    });
    if (approver === null)
      throw new Unprocessable(
        `Ticket refusé : un paiement en espèces au-delà de ${eur(options.cashApprovalAboveCents)} doit être confirmé par un responsable (code PIN sur la caisse).`,
        [
          {
            field: 'cashApproval',
            reason: t.cashApproval
              ? 'validation invalide ou expirée'
              : `espèces au-delà de ${eur(options.cashApprovalAboveCents)} : validation d’un responsable requise`,
          },
        ],
      );
    return { cashApprovedBy: approver };
  }
  return { cashApprovedBy: null };
}

/**
 * A payment by `other:<code>` is taken only when the shop set that method up (till options,
 * `extraPaymentMethods`): `other:bitcoin` was accepted on a sale and on a refund, takings the Z and the
 * accounting exports have no account for (found by a security probe). A ticket rung offline before the method
 * was removed from the settings still passes: the options in force at its `createdAt` are the `before` of the
 * first `settings.changed` event of `till.options` after it (the event log is the settings' only history:
 * `updateTillOptions` is their only writer). `alsoAccepted`: methods accepted whatever the settings say (a
 * refund given back the way the refunded ticket was paid). Throws a 422 naming `payments.N.method`.
 */
export async function checkPaymentMethods(
  db: Db,
  payments: readonly { method: string }[],
  createdAt: Date,
  what: 'Ticket' | 'Remboursement',
  alsoAccepted: readonly string[] = [],
): Promise<void> {
  const others = payments.map((p, i) => ({ method: p.method, i })).filter((p) => p.method.startsWith('other:'));
  if (!others.length) return;
  const known = new Set([...(await tillOptions(db)).extraPaymentMethods.map((m) => m.code), ...alsoAccepted]);
  let unknown = others.filter((p) => !known.has(p.method));
  if (!unknown.length) return;
  const [changed] = await rawRows<{ data: string | Record<string, unknown> }>(
    db,
    'select "data" from "events" where "kind" = \'settings.changed\' and "subject" = \'till.options\' and "at" > ? order by "id" limit 1',
    [createdAt.toISOString()],
  );
  if (changed) {
    const data = (typeof changed.data === 'string' ? JSON.parse(changed.data) : changed.data) as {
      before?: { extraPaymentMethods?: { code: string }[] };
    };
    const then = new Set((data.before?.extraPaymentMethods ?? []).map((m) => m.code));
    unknown = unknown.filter((p) => !then.has(p.method));
  }
  if (!unknown.length) return;
  throw new Unprocessable(
    `${what} refusé : le moyen de paiement « ${unknown[0]!.method.slice('other:'.length)} » n’est pas un de ceux de la boutique (réglages des caisses).`,
    unknown.map((p) => ({ field: `payments.${p.i}.method`, reason: 'moyen de paiement non configuré dans les réglages des caisses' })),
  );
}
