import type { Db } from '../../db/schema.ts';
import type { Scope } from '../auth/identity.ts';
import { getSlip } from '../stock/ledger.ts';
import { isDemo, shopIdentity } from '../settings/settings.ts';
import { slipPdf } from './statement-pdf.ts';

/** The slip as the producer signs it: made from the ledger each time (a slip never changes once recorded). */
export async function slipPdfOf(db: Db, id: number, scope: Scope, siteId: number | null = null) {
  const slip = await getSlip(db, id, scope, siteId);
  const p = await db
    .selectFrom('producers')
    .select(['id', 'name', 'legal_name', 'address', 'siret', 'vat_status', 'vat_number', 'email', 'slug'])
    .where('id', '=', slip.producerId)
    .executeTakeFirstOrThrow();
  const pdf = await slipPdf({
    kind: slip.kind,
    siteName: slip.siteName,
    toSiteName: slip.toSiteName,
    number: slip.number,
    createdAt: slip.createdAt,
    createdBy: slip.createdBy,
    note: slip.note,
    shop: await shopIdentity(db),
    demo: await isDemo(db),
    producer: {
      id: p.id,
      name: p.name,
      legalName: p.legal_name,
      address: p.address,
      siret: p.siret,
      vatStatus: p.vat_status,
      vatNumber: p.vat_number,
      email: p.email,
    },
    lines: slip.lines,
  });
  const name = { deposit: 'bon-depot', return: 'bon-reprise', transfer: 'bon-transfert' }[slip.kind];
  return { pdf, filename: `${name}-${slip.number}-${p.slug}.pdf` };
}
