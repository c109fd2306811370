/**
 * The editor's attestation of conformity (CGI art. 286, I-3° bis; BOI-TVA-DECLA-30-10-30), filled with the
 * software's version and the shop's identity, for whoever publishes the software to sign and hand to the
 * shop. It lists the measures by which the software meets the four conditions (inalterability, security,
 * conservation, archiving), each pointing at `docs/conformite.md`.
 *
 * Stricter reading: the finance law for 2025 (art. 43) took away the editor's self-attestation and asked
 * for a certificate from an accredited body (NF 525 or equivalent); the 2026 law changed the scheme again.
 * The document says so, and says that where a certificate is required this attestation does not replace it.
 */
import type { Db } from '../../db/schema.ts';
import { A4Document, pdfDate } from '../documents/a4.ts';
import { CHAIN_VERSION } from '../journal/tickets.ts';
import { isDemo, shopIdentity } from '../settings/settings.ts';
import { version } from '../system/version.ts';

export async function attestationPdf(db: Db, now: Date): Promise<Buffer> {
  const shop = await shopIdentity(db);
  const doc = new A4Document({
    title: `Attestation de conformité — Comptoir ${version}`,
    footer: `Comptoir ${version} · attestation individuelle · ${shop.legalName}`,
    demo: await isDemo(db),
  });
  doc.heading(
    'Attestation individuelle de conformité',
    'Logiciel de caisse — article 286, I-3° bis du code général des impôts (BOI-TVA-DECLA-30-10-30)',
  );
  doc.parties(
    { label: 'Éditeur', lines: ['Nom ou raison sociale : ……………………………………', 'Adresse : ……………………………………………………', 'SIREN : ……………………………'] },
    {
      label: 'Utilisateur (assujetti)',
      lines: [shop.legalName, shop.address, `${shop.postalCode} ${shop.city}`, `SIRET ${shop.siret}`, `TVA ${shop.vatNumber}`],
    },
  );
  doc.section('Logiciel');
  doc.table(
    [
      { header: 'Désignation', width: 0.4 },
      { header: 'Valeur', width: 0.6 },
    ],
    [
      { cells: ['Nom', 'Comptoir (logiciel libre)'] },
      { cells: ['Version (majeure.mineure.corrective)', version] },
      { cells: ['Version de la chaîne des tickets', String(CHAIN_VERSION)] },
      { cells: ['Établi le', pdfDate(now.toISOString().slice(0, 10))] },
    ],
  );
  doc.section('Attestation');
  doc.paragraph(
    `Je soussigné(e), ……………………………………, représentant légal de l’éditeur désigné ci-dessus, atteste que le logiciel Comptoir, dans sa version ${version}, satisfait aux conditions d’inaltérabilité, de sécurisation, de conservation et d’archivage des données en vue du contrôle de l’administration fiscale prévues au 3° bis du I de l’article 286 du code général des impôts, et qu’il est utilisé par ${shop.legalName} (SIRET ${shop.siret}) dans cette version, sans modification de la partie qui assure ces conditions.`,
  );
  doc.section('Comment le logiciel remplit ces conditions');
  doc.table(
    [
      { header: 'Condition', width: 0.22 },
      { header: 'Moyens (le détail, le code et les tests : docs/conformite.md)', width: 0.78 },
    ],
    [
      {
        cells: [
          'Inaltérabilité',
          'Chaque ticket, clôture et événement est chaîné par SHA-256 (hash précédent ‖ JSON canonique de tous ses champs fiscaux) ; la base refuse toute modification et suppression (déclencheurs) ; une correction est un nouvel enregistrement (remboursement, mouvement inverse).',
        ],
      },
      {
        cells: [
          'Sécurisation',
          'Les clôtures et les têtes de chaîne sont signées (Ed25519) par une clé gardée hors de la base ; un témoin hors de la base reçoit chaque enregistrement ; la vérification nomme toute altération, insertion, suppression ou restauration ; accès par rôle, mots de passe et codes PIN hachés.',
        ],
      },
      {
        cells: [
          'Conservation',
          'Clôtures journalières, mensuelles et annuelles avec totaux perpétuels ; données conservées six ans au moins ; sauvegardes quotidiennes, chiffrables.',
        ],
      },
      {
        cells: [
          'Archivage',
          'Archive fiscale par exercice clos : tickets, clôtures, événements, empreintes SHA-256 et têtes de chaîne, vérifiable sans la base (npm run cli -- verify --archive).',
        ],
      },
    ],
  );
  doc.section('Réserve');
  doc.paragraph(
    'La loi de finances pour 2025 (article 43) a supprimé la possibilité pour l’éditeur d’attester lui-même de la conformité et exige un certificat délivré par un organisme accrédité (NF 525 ou équivalent) ; la loi de finances pour 2026 a de nouveau modifié ce régime. Là où un certificat est exigé, cette attestation ne le remplace pas : elle décrit le logiciel et engage l’éditeur qui la signe.',
    { muted: true },
  );
  doc.section('Signature de l’éditeur');
  doc.paragraph('Fait à …………………………, le ……/……/…………\n\nNom, qualité et signature :\n\n\n');
  return doc.finish();
}
