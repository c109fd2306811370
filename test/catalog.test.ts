import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCategory, aPairedTill, aProducer, aProduct, startTestShop, type TestShop } from './support/harness.ts';

describe('catalogue', () => {
  let shop: TestShop;
  beforeAll(async () => {
    shop = await startTestShop();
  });
  afterAll(() => shop.close());

  it('creates a producer with a slug from its name and refuses a bad SIRET with the field named', async () => {
    const p = await aProducer(shop.admin, { name: 'Ferme de l’Albinque' });
    expect(p.slug).toBe('ferme-de-l-albinque');
    const bad = await shop.admin.post('/api/producers', {
      name: 'X',
      legalName: 'X',
      siret: '12345678901234',
      vatStatus: 'subject',
      commissionBp: 2000,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: any) => f.field)).toEqual(['body.siret']);
    const dup = await shop.admin.post('/api/producers', {
      slug: p.slug,
      name: 'Autre',
      legalName: 'Autre',
      siret: '73282932000074',
      vatStatus: 'franchise',
      commissionBp: 1500,
    });
    expect(dup.status).toBe(409);
  });

  it('keeps a producer’s VAT regime, VAT number and bank details, each checked by its key (issue 21)', async () => {
    const base = { name: 'Élevage de Vabre', legalName: 'EARL de Vabre', siret: '73282932000074', commissionBp: 1800 };
    // A typo in the IBAN (last digit 9 → 8), a VAT number of another SIREN, a BIC too short: each named.
    const bad = await shop.admin.post('/api/producers', {
      ...base,
      vatStatus: 'flat_rate',
      iban: 'FR76 3000 6000 0112 3456 7890 188',
      bic: 'AGRIFRP',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual([
      expect.objectContaining({
        field: 'body.iban',
        reason: 'IBAN invalide : la clé de contrôle ne correspond pas (une erreur de frappe ?)',
      }),
      expect.objectContaining({ field: 'body.bic', reason: 'BIC invalide : 8 ou 11 caractères (banque, pays, ville, agence)' }),
    ]);
    // FR03552081317 is a well-formed number (552 081 317 mod 97 = 94; (12 + 3 × 94) mod 97 = 3) of another
    // SIREN than the SIRET's 732 829 320: refused by the server with that reason.
    const other = await shop.admin.post('/api/producers', { ...base, vatStatus: 'subject', vatNumber: 'FR03552081317' });
    expect(other.status).toBe(400);
    expect(other.body.error.fields).toEqual([
      expect.objectContaining({ field: 'vatNumber', reason: 'numéro de TVA d’un autre SIREN que celui du SIRET' }),
    ]);
    // Typed with spaces and in lower case: stored compact and upper case.
    const ok = await shop.admin.post('/api/producers', {
      ...base,
      vatStatus: 'flat_rate',
      iban: 'fr76 3000 6000 0112 3456 7890 189',
      bic: 'agrifrpp',
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ vatStatus: 'flat_rate', vatNumber: '', iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP' });
    // Becoming subject to VAT, with its number; the IBAN changes: the log shows both, the account masked.
    const patched = await shop.admin.patch(`/api/producers/${ok.body.id}`, {
      vatStatus: 'subject',
      vatNumber: 'FR44732829320',
      iban: 'DE89 3704 0044 0532 0130 00',
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ vatStatus: 'subject', vatNumber: 'FR44732829320', iban: 'DE89370400440532013000' });
    const [event] = (await shop.admin.get('/api/events?kind=producer.updated')).body;
    expect(event.data.iban).toEqual({ before: 'FR76 •••• 0189', after: 'DE89 •••• 3000' });
    expect(event.data.vat_status).toEqual({ before: 'flat_rate', after: 'subject' });
  });

  // Found by an independent probe: a NUL, an ESC or a right-to-left override came out raw in the web
  // receipt, the CSV and the PDF (« Ail \u202Egpj.exe » read « Ail exe.jpg »).
  it('refuses control and direction-override characters in a name, with the field named; accents and emoji pass', async () => {
    const producer = await aProducer(shop.admin);
    const product = (name: string) =>
      shop.admin.post('/api/products', { name, producerId: producer.id, unit: 'piece', priceCents: 100, vatRateBp: 550 });
    for (const name of ['Ail \u202Egpj.exe', 'Tomate\u0000NUL', 'Rouge\u001b[31m', 'Isolé \u2067x', 'Demi \ud800'])
      expect(await product(name).then((r) => [r.status, r.body.error.fields.map((f: { field: string }) => f.field)])).toEqual([
        400,
        ['body.name'],
      ]);
    expect((await shop.admin.patch(`/api/producers/${producer.id}`, { name: 'Ferme\u202E' })).status).toBe(400);
    // A barcode with no digit at all is a slip, not a code (« abc » was taken).
    const letters = await shop.admin.post('/api/products', {
      name: 'Sans code',
      producerId: producer.id,
      unit: 'piece',
      priceCents: 100,
      vatRateBp: 550,
      barcodes: ['abc'],
    });
    expect([letters.status, letters.body.error.fields[0].field]).toEqual([400, 'body.barcodes.0']);
    const fine = await product('Gâteau « maison » 🍰 — Ōsaka');
    expect(fine.status).toBe(201);
    expect(fine.body.name).toBe('Gâteau « maison » 🍰 — Ōsaka');
  });

  it('creates, reads, updates and deactivates a product without ever deleting it', async () => {
    const producer = await aProducer(shop.admin);
    const cat = await aCategory(shop.admin, { name: 'Fromages' });
    const created = await shop.admin.post('/api/products', {
      name: 'Pâté de campagne',
      producerId: producer.id,
      categoryId: cat.id,
      unit: 'piece',
      priceCents: 690,
      vatRateBp: 550,
      barcodes: ['2000000000015'],
      outlets: ['shop', 'restaurant'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Pâté de campagne',
      producerName: producer.name,
      categoryName: 'Fromages',
      priceCents: 690,
      onHand: 0,
      outlets: ['restaurant', 'shop'],
      barcodes: ['2000000000015'],
      active: true,
    });
    const id = created.body.id;
    const patched = await shop.admin.patch(`/api/products/${id}`, { priceCents: 720 });
    expect(patched.body.priceCents).toBe(720);
    const off = await shop.admin.patch(`/api/products/${id}`, { active: false });
    expect(off.body.active).toBe(false);
    expect((await shop.admin.get(`/api/products/${id}`)).status).toBe(200);
    expect((await shop.admin.get('/api/products?active=false')).body.map((p: any) => p.id)).toContain(id);
    expect((await shop.admin.get('/api/products?active=true')).body.map((p: any) => p.id)).not.toContain(id);
  });

  it('logs a price change as an event with the before and after prices', async () => {
    const p = await aProduct(shop.admin, { name: 'Confiture de figues', priceCents: 550 });
    await shop.admin.patch(`/api/products/${p.id}`, { priceCents: 590 });
    const events = await shop.admin.get('/api/events?kind=product.price_changed');
    const mine = events.body.find((e: any) => e.subject === `product:${p.id}`);
    expect(mine.data.priceCents).toEqual({ before: 550, after: 590 });
    expect(mine.by).toBe('Admin');
  });

  it('finds products accent- and case-insensitively, by several words, by producer and by barcode', async () => {
    const rucher = await aProducer(shop.admin, { name: 'Rucher des Crêtes' });
    await aProduct(shop.admin, { name: 'Pâté de Campagne au Piment', producerId: rucher.id });
    await aProduct(shop.admin, { name: 'Crème brûlée', barcodes: ['2000000000022'] });
    const names = async (q: string) => (await shop.admin.get(`/api/products?q=${encodeURIComponent(q)}`)).body.map((p: any) => p.name);
    expect(await names('pate')).toEqual(expect.arrayContaining(['Pâté de Campagne au Piment', 'Pâté de campagne']));
    expect(await names('PATE piment')).toEqual(['Pâté de Campagne au Piment']);
    expect(await names('creme brulee')).toEqual(['Crème brûlée']);
    expect(await names('crêtes')).toEqual(['Pâté de Campagne au Piment']);
    expect(await names('2000000000022')).toEqual(['Crème brûlée']);
    expect(await names('zzzz')).toEqual([]);
  });

  it('refuses a barcode with a wrong check digit, a scale-label prefix, or one already used', async () => {
    const wrong = await shop.admin.post('/api/products', {
      name: 'A',
      producerId: null,
      unit: 'piece',
      priceCents: 100,
      vatRateBp: 550,
      barcodes: ['3017620422004'],
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields[0]).toMatchObject({ field: 'barcodes.0' });
    expect(wrong.body.error.fields[0].reason).toMatch(/clé de contrôle/);
    // 21 is a price-embedded scale prefix by default: such codes change with every label.
    // Check digit of 210004201250, from the right ×3,×1…: 0+5+6+1+0+2+12+0+0+0+3+2 = 31 -> 9.
    const scale = await shop.admin.post('/api/products', {
      name: 'B',
      producerId: null,
      unit: 'piece',
      priceCents: 100,
      vatRateBp: 550,
      barcodes: ['2100042012509'],
    });
    expect(scale.status).toBe(400);
    expect(scale.body.error.fields[0].reason).toMatch(/balance/);
    await aProduct(shop.admin, { barcodes: ['3017620422003'] });
    const taken = await shop.admin.post('/api/products', {
      name: 'C',
      producerId: null,
      unit: 'piece',
      priceCents: 100,
      vatRateBp: 550,
      barcodes: ['3017620422003'],
    });
    expect(taken.status).toBe(409);
    // A UPC-A is stored as its EAN-13 (leading 0), so both scans find it.
    const upc = await aProduct(shop.admin, { barcodes: ['036000291452'] });
    expect(upc.barcodes).toEqual(['0036000291452']);
  });

  it('replaces a product’s barcodes as a set in one PATCH, writing nothing when one is refused', async () => {
    const p = await aProduct(shop.admin, { barcodes: ['3760123450010'] });
    // 3760123450027 is new and valid; 3017620422003 belongs to another product: 409, and the set is unchanged.
    const taken = await shop.admin.patch(`/api/products/${p.id}`, {
      priceCents: 999,
      barcodes: ['3760123450010', '3760123450027', '3017620422003'],
    });
    expect(taken.status).toBe(409);
    expect((await shop.admin.get(`/api/products/${p.id}`)).body).toMatchObject({ barcodes: ['3760123450010'], priceCents: p.priceCents });
    const ok = await shop.admin.patch(`/api/products/${p.id}`, { barcodes: ['3760123450027'] });
    expect(ok.status).toBe(200);
    expect(ok.body.barcodes).toEqual(['3760123450027']);
    const kinds = (await shop.admin.get('/api/events?kind=product.barcode')).body
      .filter((e: { subject: string }) => e.subject === `product:${p.id}`)
      .map((e: { kind: string; data: { code: string } }) => `${e.kind} ${e.data.code}`);
    expect(kinds.sort()).toEqual(['product.barcode_added 3760123450027', 'product.barcode_removed 3760123450010']);
  });

  it('keeps a product editable after its producer is disabled', async () => {
    const producer = await aProducer(shop.admin);
    const p = await aProduct(shop.admin, { producerId: producer.id, priceCents: 400 });
    expect((await shop.admin.patch(`/api/producers/${producer.id}`, { active: false })).status).toBe(200);
    // The edit form sends the producer it already has: not a change, so not refused.
    const res = await shop.admin.patch(`/api/products/${p.id}`, { producerId: producer.id, priceCents: 450, active: false });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ priceCents: 450, active: false, producerId: producer.id });
    // Moving a product to a disabled producer is still refused.
    const other = await aProduct(shop.admin, { priceCents: 100 });
    const moved = await shop.admin.patch(`/api/products/${other.id}`, { producerId: producer.id });
    expect(moved.status).toBe(400);
    expect(moved.body.error.fields[0]).toMatchObject({ field: 'producerId', reason: 'ce producteur est désactivé' });
  });

  it('refuses a VAT rate that is not French, naming the field', async () => {
    const res = await shop.admin.post('/api/products', { name: 'D', producerId: null, unit: 'piece', priceCents: 100, vatRateBp: 700 });
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0].field).toBe('body.vatRateBp');
  });

  // A walk read « Les points de vente doit compter au moins 1 élément(s). »: said without a verb to agree.
  it('says a list that needs one item at least in a sentence that agrees with its name', async () => {
    const base = { name: 'E', producerId: null, unit: 'piece', priceCents: 100, vatRateBp: 550 };
    const none = await shop.admin.post('/api/products', { ...base, outlets: [] });
    expect(none.status).toBe(400);
    expect(none.body.error.message).toBe('Les points de vente : il en faut au moins 1.');
    const six = await shop.admin.post('/api/products', { ...base, outlets: ['shop', 'shop', 'shop', 'shop', 'shop', 'shop'] });
    expect(six.body.error.message).toBe('Les points de vente : 5 au plus.');
  });

  it('decodes a scanned scale label into the product and its weight and price', async () => {
    const tomme = await aProduct(shop.admin, { name: 'Tomme de Lacaune', unit: 'kg', priceCents: 2490, plu: '00042' });
    const till = await aPairedTill(shop, 1);
    // Prefix 22 = weight in grams by default: 22 00042 01234 + check digit.
    // Check digit of 220004201234: odd positions from the right ×3: digits 2,2,0,0,0,4,2,0,1,2,3,4
    // from the right: 4×3 + 3 + 2×3 + 1 + 0×3 + 2 + 4×3 + 0 + 0×3 + 0 + 2×3 + 2 = 12+3+6+1+0+2+12+0+0+0+6+2 = 44 -> check 6.
    const res = await till.get('/api/barcodes/2200042012346');
    expect(res.status).toBe(200);
    expect(res.body.product.id).toBe(tomme.id);
    expect(res.body.grams).toBe(1234);
    // 24.90 €/kg × 1.234 kg = 30.7266 € -> 3073 cents (half-up).
    expect(res.body.lineCents).toBe(3073);
    expect((await till.get('/api/barcodes/9999999999994')).status).toBe(404);
    expect((await till.get('/api/barcodes/2200042012347')).status).toBe(400);
  });

  it('gives a paired till its outlet’s active catalogue', async () => {
    await aProduct(shop.admin, { name: 'Café', outlets: ['restaurant'], vatRateBp: 1000, stockTracked: false });
    const till = await aPairedTill(shop, 1);
    const cat = await till.get('/api/catalog');
    expect(cat.status).toBe(200);
    expect(cat.body.outlet).toBe('shop');
    const names = cat.body.products.map((p: any) => p.name);
    expect(names).not.toContain('Café');
    expect(names).not.toContain('Pâté de campagne'); // deactivated above
    expect(cat.body.inStoreLayouts.length).toBeGreaterThan(0);
  });
});
