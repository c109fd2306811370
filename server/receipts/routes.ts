import { z } from 'zod';
import { Reply, route } from '../http/route.ts';
import { receiptData, receiptHtml, receiptPdf, receiptQrSvg, saleIdByToken } from './digital.ts';

// The digital receipt (AGEC law): the customer scans a QR code; the token opens that one ticket, nothing else.
const tokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{24}$/, 'lien de ticket invalide') }).strict();

export const receiptRoutes = [
  route({
    method: 'get',
    path: '/r/:token',
    access: 'public',
    tag: 'receipts',
    summary: 'The digital receipt of one ticket, for the customer’s phone (HTML); the unguessable token opens that ticket only',
    params: tokenParams,
    handler: async ({ params }, ctx) => {
      const data = await receiptData(ctx.db, await saleIdByToken(ctx.db, params.token));
      return new Reply(200, receiptHtml(data, params.token), 'text/html; charset=utf-8', {
        'cache-control': 'private, no-store',
        'x-robots-tag': 'noindex',
      });
    },
  }),
  route({
    method: 'get',
    path: '/r/:token/pdf',
    access: 'public',
    tag: 'receipts',
    summary: 'The same digital receipt as a PDF',
    params: tokenParams,
    handler: async ({ params }, ctx) => {
      const data = await receiptData(ctx.db, await saleIdByToken(ctx.db, params.token));
      return Reply.file(await receiptPdf(data), 'application/pdf', `ticket-${data.sale.number}.pdf`);
    },
  }),
  route({
    method: 'get',
    path: '/r/:token/qr.svg',
    access: 'public',
    tag: 'receipts',
    summary: 'The QR code that opens this digital receipt (shown by the till)',
    params: tokenParams,
    handler: async ({ params }, ctx) => {
      await saleIdByToken(ctx.db, params.token);
      return new Reply(200, receiptQrSvg(`${ctx.origin}/r/${params.token}`), 'image/svg+xml', { 'cache-control': 'private, max-age=3600' });
    },
  }),
];
