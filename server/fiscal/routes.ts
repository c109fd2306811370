import { fiscalApi } from '../../shared/api/fiscal.ts';
import { MANAGERS } from '../http/access.ts';
import { Reply, serve } from '../http/route.ts';
import { attestationPdf } from './attestation.ts';

export const fiscalRoutes = [
  serve(fiscalApi.attestation, {
    access: MANAGERS,
    network: true,
    tag: 'closings',
    summary:
      'The editor’s attestation of conformity (CGI art. 286 I 3° bis), filled with the version and the shop’s identity, to be signed',
    handler: async (_, ctx) =>
      Reply.file(await attestationPdf(ctx.db, ctx.services.now()), 'application/pdf', 'attestation-conformite.pdf'),
  }),
];
