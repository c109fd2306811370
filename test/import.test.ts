import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCategory, aProducer, startTestShop, type TestShop } from './support/harness.ts';

const csvOf = (lines: string[]) => '\uFEFF' + lines.join('\r\n') + '\r\n';

describe('CSV import of products', () => {
  let shop: TestShop;
  beforeAll(async () => {
    shop = await startTestShop();
    await aProducer(shop.admin, { slug: 'ferme-du-sidobre', name: 'Ferme du Sidobre' });
    await aProducer(shop.admin, { slug: 'brasserie-noire', name: 'Brasserie Noire' });
    await aCategory(shop.admin, { slug: 'fromages', name: 'Fromages' });
  });
  afterAll(() => shop.close());

  const importCsv = (csv: string, dryRun: boolean) =>
    shop.admin.request('POST', `/api/products/import?dryRun=${dryRun}`, csv, { contentType: 'text/csv' });
  const productCount = async () => (await shop.admin.get('/api/products?limit=500')).body.length;

  // As a French spreadsheet saves it: BOM, `;`, decimal commas, accents in the header.
  const good = [
    'Nom;Producteur;Catégorie;Unité;Prix;TVA;Codes barres;PLU;Suivi stock;Seuil;Points de vente',
    'Tomme de brebis;ferme-du-sidobre;fromages;kg;26,00;5,5;;00042;oui;1,5;boutique',
    'Bière blonde 33 cl;Brasserie Noire;;piece;3,20;20;2000000000015;;oui;12;boutique restaurant',
    'Café;maison;;piece;1,80;10;;;non;;restaurant',
  ];

  it('reports every failing row with its line, field and reason, and writes nothing', async () => {
    const before = await productCount();
    const csv = csvOf([
      ...good,
      'Confiture;inconnu;;piece;4,50;5,5;;;oui;;boutique', // line 5: unknown producer
      'Miel;ferme-du-sidobre;;piece;douze;5,5;;;oui;;boutique', // line 6: price not a number
      'Pain;ferme-du-sidobre;;piece;5,20;7;;;oui;;boutique', // line 7: 7 % is not a French rate
      'Jus;ferme-du-sidobre;;piece;3,00;5,5;2000000000016;;oui;;boutique', // line 8: wrong check digit
      'Bière brune;brasserie-noire;;piece;3,40;20;2000000000015;;oui;;boutique', // line 9: barcode already on line 3
    ]);
    const dry = await importCsv(csv, true);
    expect(dry.status).toBe(200);
    expect(dry.body.rows).toBe(8);
    expect(dry.body.valid).toBe(3);
    expect(dry.body.problems.map((p: any) => [p.line, p.field])).toEqual([
      [5, 'producteur'],
      [6, 'prix'],
      [7, 'vatRateBp'],
      [8, 'codes_barres'],
      [9, 'codes_barres'],
    ]);
    expect(dry.body.problems[4].reason).toMatch(/ligne 3/);
    const real = await importCsv(csv, false);
    expect(real.status).toBe(400);
    expect(real.body.error.message).toMatch(/rien n’a été enregistré/);
    expect(real.body.error.fields).toHaveLength(5);
    expect(await productCount()).toBe(before);
  });

  it('imports a clean file in one go, converting euros, rates and kg thresholds', async () => {
    const before = await productCount();
    const dry = await importCsv(csvOf(good), true);
    expect(dry.body).toMatchObject({ rows: 3, valid: 3, created: 0, problems: [] });
    expect(await productCount()).toBe(before);
    const res = await importCsv(csvOf(good), false);
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(3);
    const products = (await shop.admin.get('/api/products?q=tomme')).body;
    // 26,00 € -> 2600 cents; 5,5 % -> 550 bp; threshold 1,5 kg -> 1500 g.
    expect(products[0]).toMatchObject({
      name: 'Tomme de brebis',
      producerName: 'Ferme du Sidobre',
      categoryName: 'Fromages',
      unit: 'kg',
      priceCents: 2600,
      vatRateBp: 550,
      plu: '00042',
      lowStockThreshold: 1500,
      outlets: ['shop'],
    });
    const biere = (await shop.admin.get('/api/products?q=biere')).body[0];
    expect(biere).toMatchObject({ priceCents: 320, vatRateBp: 2000, barcodes: ['2000000000015'], outlets: ['restaurant', 'shop'] });
    const cafe = (await shop.admin.get('/api/products?q=cafe')).body[0];
    expect(cafe).toMatchObject({ producerId: null, stockTracked: false, onHand: null, outlets: ['restaurant'] });
  });

  it('names a missing required column', async () => {
    const res = await importCsv(csvOf(['Nom;Prix', 'Pain;5,20']), true);
    expect(res.body.problems.map((p: any) => p.field)).toEqual(['unit', 'vat']);
  });

  it('accepts comma-separated files with dots as decimals', async () => {
    const res = await importCsv(csvOf(['name,unit,price,vat', '"Savon, lavande",piece,6.5,20']), true);
    expect(res.body).toMatchObject({ valid: 1, problems: [] });
    expect(res.body.preview[0]).toMatchObject({ name: 'Savon, lavande', priceCents: 650 });
  });
});
