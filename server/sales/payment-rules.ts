import { formatEuros, type Cents } from '../../shared/money.ts';
import { MEAL_VOUCHER, mealVoucherLimit, mealVouchersAllowedAt } from '../../shared/payment-rules.ts';
import { CASH, type SettledPayment } from '../../shared/sales.ts';
import { marks, rawRows } from '../../db/raw.ts';
import type { Trx } from '../../db/schema.ts';
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
