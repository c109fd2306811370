/**
 * What a till asks the ressourcerie (issue 22): a label scanned again, sold or not. Apart from the rest of the
 * contract (`ressourcerie.ts`) so that the till's page loads only this.
 */
import { z } from 'zod';
import { endpoint } from './contract.ts';

const int = z.number().int();

/** The streams eco-organisms and funders count (DEEE: electrical and electronic equipment). */
export const REUSE_STREAMS = ['textile', 'furniture', 'books', 'tableware', 'electrical', 'toys', 'other'] as const;
export type ReuseStreamCode = (typeof REUSE_STREAMS)[number];
export const STREAM_NAMES: Record<ReuseStreamCode, string> = {
  textile: 'Textile',
  furniture: 'Mobilier',
  books: 'Livres',
  tableware: 'Vaisselle',
  electrical: 'Électrique (DEEE)',
  toys: 'Jouets',
  other: 'Autres',
};
export const streamSchema = z.enum(REUSE_STREAMS, { message: `flux : ${REUSE_STREAMS.join(', ')}` });
export const reuseItemView = z.strictObject({
  id: int,
  code: z.string(),
  productId: int,
  name: z.string(),
  stream: streamSchema,
  grams: int,
  priceCents: int,
  initialPriceCents: int,
  status: z.enum(['on_sale', 'sold', 'recycled', 'discarded']),
  statusDay: z.string().nullable(),
  pricedOn: z.string(),
  markedDownOn: z.string().nullable(),
});

const codeParams = z
  .object({
    code: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^R\d{7}$/, 'étiquette de ressourcerie : R et 7 chiffres'),
  })
  .strict();

export const reuseItemEndpoint = endpoint({
  method: 'get',
  path: '/api/ressourcerie/items/:code',
  params: codeParams,
  response: reuseItemView,
});
