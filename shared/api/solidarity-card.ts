/**
 * What a till asks of a solidarity card (issue 22). Apart from the rest of the contract (`solidarity.ts`) so
 * that the till's page loads only this.
 */
import { z } from 'zod';
import { endpoint } from './contract.ts';

const int = z.number().int();

/** The card a household shows: 10 letters and digits, printed as a QR code (and its text). */
export const cardCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[0-9A-Z]{10}$/, 'carte solidaire : 10 lettres et chiffres');

/** What a till learns from a card: enough to ring the sale, nothing more. */
export const cardView = z.strictObject({
  code: z.string(),
  size: int,
  validTo: z.string(),
  remainingCents: int,
  /** The household's share of the public price: per category, and for the rest. */
  defaultShareBp: int,
  shares: z.array(z.strictObject({ categoryId: int, householdShareBp: int })),
  fundBalanceCents: int,
});
export type CardView = z.infer<typeof cardView>;

export const cardLookupEndpoint = endpoint({
  method: 'get',
  path: '/api/solidarity/cards/:code',
  params: z.object({ code: cardCodeSchema }).strict(),
  response: cardView,
});
