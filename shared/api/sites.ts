import { z } from 'zod';
import { isoDate, nonNegativeCents, outletCodeSchema, OUTLET_CODES, printable, trimmed, UNPRINTABLE_REASON, urlInt } from './common.ts';
import { endpoint } from './contract.ts';
import { idParams } from './catalog.ts';

const int = z.number().int();

/**
 * A site of the network (issue 23): a place with its outlets, tills, printers and stock. A manager tied to a
 * site works there only; a network manager chooses the site with the `Comptoir-Site` header (SITE_HEADER in
 * common.ts), the first site when they do not.
 */
export const siteOutletView = z.strictObject({ id: int, kind: outletCodeSchema, name: z.string() });
export const siteView = z.strictObject({
  id: int,
  code: z.string(),
  name: z.string(),
  city: z.string(),
  active: z.boolean(),
  outlets: z.array(siteOutletView),
});
export type SiteView = z.infer<typeof siteView>;

export const siteCodeSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{1,30}$/, 'de 2 à 31 lettres minuscules, chiffres ou tirets (ex. « rodez »)');

export const siteCreateBody = z
  .object({
    code: siteCodeSchema,
    name: trimmed(1, 80),
    city: z.string().trim().max(80).default(''),
    /** The counters this site has; a shop at least. */
    outlets: z
      .array(outletCodeSchema)
      .min(1, 'au moins un point de vente')
      .max(OUTLET_CODES.length)
      .refine((l) => new Set(l).size === l.length, 'un point de vente figure deux fois')
      .default(['shop']),
  })
  .strict();

export const siteUpdateBody = z
  .object({
    name: trimmed(1, 80).optional(),
    city: z.string().trim().max(80).refine(printable, UNPRINTABLE_REASON).optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'rien à changer');

export const sitePriceBody = z
  .object({
    /** The site's own price (incl. VAT, per piece or per kg); null: back to the network's price. */
    priceCents: nonNegativeCents.nullable(),
  })
  .strict();

export const sitePriceView = z.strictObject({
  siteId: int,
  productId: int,
  name: z.string(),
  networkPriceCents: int,
  priceCents: int,
  since: z.string(),
});

export const sitePriceParams = z.object({ id: urlInt((n) => n.positive()), productId: urlInt((n) => n.positive()) }).strict();

export const networkReportQuery = z
  .object({
    from: isoDate,
    to: isoDate,
  })
  .strict()
  .refine((q) => q.from <= q.to, { message: 'la date de début suit la date de fin', path: ['to'] });

const outletFigures = z.strictObject({
  outletId: int,
  kind: outletCodeSchema,
  name: z.string(),
  tickets: int,
  salesCents: int,
  refundsCents: int,
});
export const networkReportView = z.strictObject({
  from: z.string(),
  to: z.string(),
  sites: z.array(
    z.strictObject({
      siteId: int,
      code: z.string(),
      name: z.string(),
      tickets: int,
      /** Takings incl. VAT, refunds deducted. */
      netCents: int,
      averageTicketCents: int,
      /** Producers' goods sold there: what is owed to them before commission (incl. VAT). */
      consignmentCents: int,
      /** Stock on hand valued at the network's prices (incl. VAT). */
      stockValueCents: int,
      outlets: z.array(outletFigures),
    }),
  ),
  totals: z.strictObject({ tickets: int, netCents: int, consignmentCents: int, stockValueCents: int }),
});
export type NetworkReport = z.infer<typeof networkReportView>;

export const sitesApi = {
  list: endpoint({ method: 'get', path: '/api/sites', response: z.array(siteView) }),
  create: endpoint({ method: 'post', path: '/api/sites', body: siteCreateBody, response: siteView }),
  update: endpoint({ method: 'patch', path: '/api/sites/:id', params: idParams, body: siteUpdateBody, response: siteView }),
  prices: endpoint({ method: 'get', path: '/api/sites/:id/prices', params: idParams, response: z.array(sitePriceView) }),
  setPrice: endpoint({
    method: 'put',
    path: '/api/sites/:id/prices/:productId',
    params: sitePriceParams,
    body: sitePriceBody,
    response: z.strictObject({ siteId: int, productId: int, priceCents: int, networkPriceCents: int, own: z.boolean() }),
  }),
  report: endpoint({ method: 'get', path: '/api/sites/report', query: networkReportQuery, response: networkReportView }),
};
