import { parse } from 'csv-parse/sync';
import type { Kysely } from 'kysely';
import { productCreateBody, type ImportReport, type ProductCreate } from '../../shared/api/catalog.ts';
import { parseEuros } from '../../shared/money.ts';
import { normalizeForSearch } from '../../shared/text.ts';
import type { Database } from '../../db/schema.ts';
import { DomainError, Invalid } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';
import { inStoreLayouts } from '../settings/settings.ts';
import { barcodeForStorage, createProduct } from './products.ts';

/** Column names as a French spreadsheet user types them, with English aliases. Accents and case do not matter. */
const columns = {
  name: ['nom', 'name', 'article', 'designation'],
  producer: ['producteur', 'producer', 'deposant'],
  category: ['categorie', 'category', 'rayon'],
  unit: ['unite', 'unit'],
  price: ['prix', 'price', 'prix ttc', 'prix_ttc'],
  vat: ['tva', 'vat', 'taux tva', 'taux_tva'],
  barcodes: ['codes barres', 'codes_barres', 'code barre', 'code_barre', 'code barres', 'ean', 'barcodes', 'barcode'],
  plu: ['plu', 'code balance', 'code_balance'],
  stockTracked: ['suivi stock', 'suivi_stock', 'stock_tracked', 'stock'],
  threshold: ['seuil', 'seuil alerte', 'threshold'],
  outlets: ['points de vente', 'points_de_vente', 'outlets', 'point de vente'],
} as const;
type Column = keyof typeof columns;

export type { ImportReport };
type ImportProblem = ImportReport['problems'][number];

const yes = new Set(['oui', 'o', 'yes', 'y', 'true', '1', 'vrai', 'x']);
const no = new Set(['non', 'n', 'no', 'false', '0', 'faux', '']);

function parseRate(text: string): number | null {
  const t = text.replace(/\s|%/g, '').replace(',', '.');
  if (!/^\d{1,2}(\.\d{1,2})?$/.test(t)) return null;
  const [whole, frac = ''] = t.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

/** A kg product's threshold is typed in kg ("2,5"); we store grams. */
function parseQuantity(text: string, unit: 'piece' | 'kg'): number | null {
  const t = text.trim().replace(',', '.');
  if (unit === 'piece') return /^\d{1,9}$/.test(t) ? Number(t) : null;
  if (!/^\d{1,6}(\.\d{1,3})?$/.test(t)) return null;
  const [whole, frac = ''] = t.split('.');
  return Number(whole) * 1000 + Number(frac.padEnd(3, '0'));
}

export function readCsv(text: string): { header: string[]; records: string[][] } {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) >= (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let rows: string[][];
  try {
    rows = parse(body, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (e) {
    throw new Invalid({ field: 'csv', reason: `fichier CSV illisible : ${(e as Error).message}` });
  }
  const [header, ...records] = rows;
  if (!header) throw new Invalid({ field: 'csv', reason: 'fichier vide' });
  return { header, records };
}

export async function importProducts(
  db: Kysely<Database>,
  csv: string,
  opts: { dryRun: boolean; userId: number; now: Date },
): Promise<ImportReport> {
  const { header, records } = readCsv(csv);
  const problems: ImportProblem[] = [];
  const index = new Map<Column, number>();
  header.forEach((h, i) => {
    const key = normalizeForSearch(h).replace(/_/g, ' ');
    for (const [col, names] of Object.entries(columns) as [Column, readonly string[]][]) {
      if (names.some((n) => n.replace(/_/g, ' ') === key)) index.set(col, i);
    }
  });
  for (const required of ['name', 'unit', 'price', 'vat'] as const) {
    if (!index.has(required)) problems.push({ line: 1, field: required, reason: `colonne manquante (attendu : ${columns[required][0]})` });
  }
  if (problems.length) return { dryRun: opts.dryRun, rows: records.length, valid: 0, created: 0, problems, preview: [] };
  if (records.length > 10_000) throw new Invalid({ field: 'csv', reason: 'au plus 10 000 lignes par import' });

  const [producers, categories, layouts, existingCodes, existingPlus] = await Promise.all([
    db.selectFrom('producers').select(['id', 'slug', 'name', 'active']).execute(),
    db.selectFrom('categories').select(['id', 'slug', 'name']).execute(),
    inStoreLayouts(db),
    db.selectFrom('barcodes').select('code').execute(),
    db.selectFrom('products').select('plu').where('plu', 'is not', null).execute(),
  ]);
  const producerBy = new Map<string, (typeof producers)[number]>();
  for (const p of producers) {
    producerBy.set(p.slug, p);
    producerBy.set(normalizeForSearch(p.name), p);
  }
  const categoryBy = new Map<string, number>();
  for (const c of categories) {
    categoryBy.set(c.slug, c.id);
    categoryBy.set(normalizeForSearch(c.name), c.id);
  }
  const seenCodes = new Map<string, number>(existingCodes.map((b) => [b.code, 0]));
  const seenPlus = new Map<string, number>(existingPlus.map((p) => [p.plu!, 0]));

  const valid: { line: number; input: ProductCreate }[] = [];
  records.forEach((record, i) => {
    const line = i + 2;
    const cell = (col: Column) => (index.has(col) ? (record[index.get(col)!] ?? '').trim() : '');
    const before = problems.length;
    const fail = (field: string, reason: string) => problems.push({ line, field, reason });

    const unitText = normalizeForSearch(cell('unit'));
    const unit = unitText === 'kg' || unitText === 'kilo' ? 'kg' : ['piece', 'pc', 'u', 'unite', ''].includes(unitText) ? 'piece' : null;
    if (!unit) fail('unite', `« ${cell('unit')} » : attendu piece ou kg`);
    const priceCents = parseEuros(cell('price'));
    if (priceCents === null) fail('prix', `« ${cell('price')} » n’est pas un prix (ex. 3,50)`);
    const vatRateBp = parseRate(cell('vat'));
    if (vatRateBp === null) fail('tva', `« ${cell('vat')} » n’est pas un taux (ex. 5,5)`);

    let producerId: number | null = null;
    const producerText = cell('producer');
    if (producerText && !['maison', 'house'].includes(normalizeForSearch(producerText))) {
      const p = producerBy.get(producerText.toLowerCase()) ?? producerBy.get(normalizeForSearch(producerText));
      if (!p) fail('producteur', `« ${producerText} » : producteur inconnu`);
      else if (p.active !== 1) fail('producteur', `« ${producerText} » est désactivé`);
      else producerId = p.id;
    }
    let categoryId: number | null = null;
    const categoryText = cell('category');
    if (categoryText) {
      const c = categoryBy.get(categoryText.toLowerCase()) ?? categoryBy.get(normalizeForSearch(categoryText));
      if (c === undefined) fail('categorie', `« ${categoryText} » : catégorie inconnue`);
      else categoryId = c;
    }
    const trackedText = normalizeForSearch(cell('stockTracked'));
    const stockTracked =
      index.has('stockTracked') && trackedText !== '' ? (yes.has(trackedText) ? true : no.has(trackedText) ? false : null) : true;
    if (stockTracked === null) fail('suivi_stock', `« ${cell('stockTracked')} » : attendu oui ou non`);
    let lowStockThreshold: number | null = null;
    if (cell('threshold') && unit) {
      lowStockThreshold = parseQuantity(cell('threshold'), unit);
      if (lowStockThreshold === null)
        fail('seuil', `« ${cell('threshold')} » : quantité invalide${unit === 'kg' ? ' (en kg, ex. 2,5)' : ''}`);
    }
    const outletWords = cell('outlets')
      .split(/[\s,|/+]+/)
      .map(normalizeForSearch)
      .filter(Boolean);
    const outlets = outletWords.length
      ? outletWords.map((w) =>
          w === 'boutique' || w === 'shop' || w === 'magasin' ? 'shop' : w === 'restaurant' || w === 'cafe' ? 'restaurant' : null,
        )
      : ['shop' as const];
    if (outlets.includes(null)) fail('points_de_vente', `« ${cell('outlets')} » : attendu boutique et/ou restaurant`);

    const barcodes: string[] = [];
    for (const raw of cell('barcodes')
      .split(/[\s|]+/)
      .filter(Boolean)) {
      try {
        const code = barcodeForStorage(raw, layouts, 'codes_barres');
        const firstLine = seenCodes.get(code);
        if (firstLine === 0) fail('codes_barres', `${code} est déjà attribué à un article existant`);
        else if (firstLine !== undefined) fail('codes_barres', `${code} figure déjà ligne ${firstLine}`);
        else {
          seenCodes.set(code, line);
          barcodes.push(code);
        }
      } catch (e) {
        fail('codes_barres', e instanceof DomainError ? (e.fields[0]?.reason ?? e.message) : String(e));
      }
    }
    const plu = cell('plu') || null;
    if (plu) {
      const firstLine = seenPlus.get(plu);
      if (firstLine === 0) fail('plu', `le code PLU ${plu} est déjà utilisé par un article existant`);
      else if (firstLine !== undefined) fail('plu', `le code PLU ${plu} figure déjà ligne ${firstLine}`);
      else seenPlus.set(plu, line);
    }
    if (problems.length > before) return;

    const parsed = productCreateBody.safeParse({
      name: cell('name'),
      producerId,
      categoryId,
      unit,
      priceCents,
      vatRateBp,
      plu,
      stockTracked,
      lowStockThreshold,
      outlets,
      barcodes,
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) fail(String(issue.path[0] ?? 'ligne'), issue.message);
      return;
    }
    valid.push({ line, input: parsed.data });
  });

  const report: ImportReport = {
    dryRun: opts.dryRun,
    rows: records.length,
    valid: valid.length,
    created: 0,
    problems,
    preview: valid.slice(0, 50).map(({ line, input }) => ({
      line,
      name: input.name,
      producer: input.producerId === null ? null : (producers.find((p) => p.id === input.producerId)?.name ?? null),
      priceCents: input.priceCents,
      unit: input.unit,
    })),
  };
  if (opts.dryRun || problems.length) return report;

  await db.transaction().execute(async (trx) => {
    for (const { input } of valid) await createProduct(trx, input, opts.userId, opts.now, layouts);
    await recordEvent(trx, {
      kind: 'catalog.imported',
      userId: opts.userId,
      data: { rows: records.length, created: valid.length },
      at: opts.now.toISOString(),
    });
  });
  return { ...report, created: valid.length };
}
