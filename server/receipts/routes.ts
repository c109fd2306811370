import { receiptsApi } from '../../shared/api/receipts.ts';
import { Reply, serve } from '../http/route.ts';
import { receiptPageOf, receiptPdfOf, receiptQrOf } from './digital.ts';

/** A page or an image served as is, with its own headers (a download would be an attachment). */
const shown = (body: string, contentType: string, headers: Record<string, string>) =>
  new Reply<never>(200, body as never, contentType, headers);

export const receiptRoutes = [
  serve(receiptsApi.page, {
    access: 'public',
    tag: 'receipts',
    summary: 'The digital receipt of one ticket, for the customer’s phone (HTML); the unguessable token opens that ticket only',
    handler: async ({ params }, ctx) =>
      shown(await receiptPageOf(ctx.db, params.token), 'text/html; charset=utf-8', {
        'cache-control': 'private, no-store',
        'x-robots-tag': 'noindex',
      }),
  }),
  serve(receiptsApi.pdf, {
    access: 'public',
    tag: 'receipts',
    summary: 'The same digital receipt as a PDF',
    handler: async ({ params }, ctx) => {
      const { pdf, filename } = await receiptPdfOf(ctx.db, params.token);
      return Reply.file(pdf, 'application/pdf', filename);
    },
  }),
  serve(receiptsApi.qr, {
    access: 'public',
    tag: 'receipts',
    summary: 'The QR code that opens this digital receipt (shown by the till)',
    handler: async ({ params }, ctx) =>
      shown(await receiptQrOf(ctx.db, params.token, ctx.origin), 'image/svg+xml', { 'cache-control': 'private, max-age=3600' }),
  }),
];
