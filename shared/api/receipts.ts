import { z } from 'zod';
import { endpoint, fileResponse } from './contract.ts';

// The digital receipt (AGEC law): the customer scans a QR code; the token opens that one ticket, nothing else.
const tokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{24}$/, 'lien de ticket invalide') }).strict();

export const receiptsApi = {
  page: endpoint({ method: 'get', path: '/r/:token', params: tokenParams, response: fileResponse('text/html; charset=utf-8') }),
  pdf: endpoint({ method: 'get', path: '/r/:token/pdf', params: tokenParams, response: fileResponse('application/pdf') }),
  qr: endpoint({ method: 'get', path: '/r/:token/qr.svg', params: tokenParams, response: fileResponse('image/svg+xml') }),
};
