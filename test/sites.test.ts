import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDay } from '../shared/time.ts';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../shared/realtime.ts';
import { aCategory, aPairedTill, aProducer, aProduct, aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';

/**
 * A network of sites (issue 23, item 3): the Castres hub (the first site) and a second tiers-lieu in Rodez.
 * Stock is kept per site, a site may sell at its own price, a producer's statement and portal cover both, a
 * manager tied to Rodez sees Rodez only, and the network's admin sees both side by side.
 */
/** A PDF kept in test-artifacts/sites (to look at) and read back with pdftotext, its narrow spaces plain. */
function keptPdfText(bytes: Buffer, name: string): string {
  const dir = path.join('test-artifacts', 'sites');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', file, '-'])
    .toString()
    .replace(/[\u00a0\u202f]/g, ' ');
}

describe('a network of sites', () => {
  let shop: TestShop;
  let rucher: { id: number };
  let miel: { id: number };
  let rodez: { id: number; outlets: { id: number; kind: string }[] };
  let rodezTill: number;
  let rodezCashier: Client;
  let castresCashier: Client;
  let producerClient: Client;
  // A clock the test moves: a till's ticket is checked against the prices in force a couple of minutes before it.
  let clock = Date.parse('2026-12-02T10:00:00.000Z');
  const today = () => businessDay(new Date(clock), 'Europe/Paris');
  const at = (site: number) => ({ headers: { 'comptoir-site': String(site) } });
  const asSite = (c: Client, site: number, method: string, url: string, body?: unknown) => c.request(method, url, body, at(site));

  /** A session of the manager tied to Rodez (made in “ties a manager to Rodez…”). */
  const rodezManager = async () => {
    const c = shop.client();
    expect((await c.post('/api/auth/login', { login: 'gerant-rodez', password: 'rodez-password-1' })).status).toBe(200);
    return c;
  };

  beforeAll(async () => {
    shop = await startTestShop({ now: () => new Date(clock) });
    rucher = await aProducer(shop.admin, { name: 'Rucher de Brassac' });
    miel = await aProduct(shop.admin, { name: 'Miel de bruyère 500 g', producerId: rucher.id, priceCents: 950, vatRateBp: 550 });
    castresCashier = (await aUser(shop, 'cashier')).client;
    producerClient = (await aUser(shop, 'producer', { producerId: rucher.id })).client;
  });
  afterAll(() => shop.close());

  it('opens a second site with its counters; the first site is the shop as it was', async () => {
    const before = (await shop.admin.get('/api/sites')).body;
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ id: 1, code: 'principal', active: true });
    expect(before[0].outlets.map((o: any) => o.kind)).toEqual(['shop', 'restaurant', 'epicerie', 'textile', 'ressourcerie']);

    const bad = await shop.admin.post('/api/sites', { code: 'Rodez!', name: 'Rodez', outlets: ['shop'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: any) => f.field)).toContain('body.code');

    const created = await shop.admin.post('/api/sites', {
      code: 'rodez',
      name: 'Tiers-lieu de Rodez',
      city: 'Rodez',
      outlets: ['shop', 'restaurant'],
    });
    expect(created.status).toBe(201);
    rodez = created.body;
    expect(created.body).toMatchObject({ code: 'rodez', name: 'Tiers-lieu de Rodez', city: 'Rodez', active: true });
    expect(created.body.outlets.map((o: any) => [o.kind, o.name])).toEqual([
      ['shop', 'Boutique — Tiers-lieu de Rodez'],
      ['restaurant', 'Restaurant — Tiers-lieu de Rodez'],
    ]);
    const again = await shop.admin.post('/api/sites', { code: 'rodez', name: 'Autre', outlets: ['shop'] });
    expect(again.status).toBe(409);
    // The first site carries the shop's numbering and identity: it cannot be closed.
    const close = await shop.admin.patch('/api/sites/1', { active: false });
    expect(close.status).toBe(400);
    expect(close.body.error.fields[0].field).toBe('active');
  });

  it('adds a till to the Rodez shop, listed there and not in Castres', async () => {
    const till = await asSite(shop.admin, rodez.id, 'POST', '/api/tills', { outlet: 'shop', name: 'Rodez 1' });
    expect(till.status).toBe(201);
    rodezTill = till.body.id;
    expect((await asSite(shop.admin, rodez.id, 'GET', '/api/tills')).body.map((t: any) => t.name)).toEqual(['Rodez 1']);
    expect((await shop.admin.get('/api/tills')).body.map((t: any) => t.name)).not.toContain('Rodez 1');
    // A site that does not exist is "not found"; a malformed header is refused, naming it.
    expect((await asSite(shop.admin, 99, 'GET', '/api/tills')).status).toBe(404);
    const malformed = await shop.admin.request('GET', '/api/tills', undefined, { headers: { 'comptoir-site': 'rodez' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.fields[0].field).toBe('Comptoir-Site');
    rodezCashier = (await aUser(shop, 'cashier', { tillId: rodezTill })).client;
    // Its receipt printer: at Rodez's shop, listed there and not in Castres.
    const printer = await asSite(shop.admin, rodez.id, 'POST', '/api/printers', {
      name: 'Ticket Rodez',
      role: 'receipt',
      uri: 'file:prints-rodez',
      outlet: 'shop',
    });
    expect(printer.status).toBe(201);
    expect((await asSite(shop.admin, rodez.id, 'GET', '/api/printers')).body.map((p: any) => p.name)).toEqual(['Ticket Rodez']);
    expect((await shop.admin.get('/api/printers')).body.map((p: any) => p.name)).not.toContain('Ticket Rodez');
  });

  it('keeps stock per site: a deposit in Rodez is not on the Castres shelves', async () => {
    expect(
      (await shop.admin.post('/api/stock/deposits', { producerId: rucher.id, lines: [{ productId: miel.id, quantity: 10 }] })).status,
    ).toBe(201);
    const rodezSlip = await asSite(shop.admin, rodez.id, 'POST', '/api/stock/deposits', {
      producerId: rucher.id,
      lines: [{ productId: miel.id, quantity: 4 }],
    });
    expect(rodezSlip.status).toBe(201);
    expect(rodezSlip.body.siteName).toBe('Tiers-lieu de Rodez');
    const onHand = async (site: number | null) =>
      (site === null ? await shop.admin.get('/api/stock') : await asSite(shop.admin, site, 'GET', '/api/stock')).body.find(
        (r: any) => r.productId === miel.id,
      ).onHand;
    expect(await onHand(null)).toBe(10);
    expect(await onHand(rodez.id)).toBe(4);
    // The producer sees both shelves: 10 + 4 = 14, site by site.
    const mine = (await producerClient.get('/api/stock')).body.find((r: any) => r.productId === miel.id);
    expect(mine.onHand).toBe(14);
    expect(mine.sites.map((s: any) => [s.siteId, s.onHand])).toEqual([
      [1, 10],
      [rodez.id, 4],
    ]);
  });

  it('sells at the site’s own price in Rodez, and the network’s in Castres', async () => {
    const price = await shop.admin.put(`/api/sites/${rodez.id}/prices/${miel.id}`, { priceCents: 1050 });
    expect(price.status).toBe(200);
    expect(price.body).toEqual({ siteId: rodez.id, productId: miel.id, priceCents: 1050, networkPriceCents: 950, own: true });
    // Past the grace a till has to learn of a new price (server/catalog/prices.ts).
    clock += 5 * 60_000;
    const catalogue = async (c: Client) => (await c.get('/api/catalog')).body;
    const rodezCatalogue = await catalogue(rodezCashier);
    expect(rodezCatalogue.siteId).toBe(rodez.id);
    expect(rodezCatalogue.products.find((p: any) => p.id === miel.id)).toMatchObject({ priceCents: 1050, onHand: 4 });
    expect((await catalogue(castresCashier)).products.find((p: any) => p.id === miel.id)).toMatchObject({ priceCents: 950, onHand: 10 });

    const ticket = (tillId: number, number: number, quantity: number, unitPriceCents: number) => ({
      id: uuidv7(),
      tillId,
      number,
      createdAt: new Date(clock).toISOString(),
      lines: [{ productId: miel.id, quantity, unitPriceCents }],
      discountCents: 0,
      payments: [{ method: 'card', amountCents: quantity * unitPriceCents }],
      totalCents: quantity * unitPriceCents,
    });
    // Rodez at the network's price is a manual price without a reason: refused, naming the line's price.
    const wrong = await rodezCashier.post('/api/sales', ticket(rodezTill, 1, 1, 950));
    expect(wrong.status).toBe(422);
    expect(JSON.stringify(wrong.body)).toContain('lines.0');
    expect((await rodezCashier.post('/api/sales', ticket(rodezTill, 1, 2, 1050))).status).toBe(201);
    expect((await castresCashier.post('/api/sales', ticket(1, 1, 1, 950))).status).toBe(201);
    // Each sale took from its own site's shelf: Rodez 4 − 2 = 2, Castres 10 − 1 = 9.
    expect((await catalogue(rodezCashier)).products.find((p: any) => p.id === miel.id).onHand).toBe(2);
    expect((await catalogue(castresCashier)).products.find((p: any) => p.id === miel.id).onHand).toBe(9);
    const history = await shop.admin.get(`/api/sites/${rodez.id}/prices`);
    expect(history.body.map((p: any) => [p.productId, p.priceCents, p.networkPriceCents])).toEqual([[miel.id, 1050, 950]]);
  });

  it('gives each site its own X report', async () => {
    const x = async (site: number) => (await asSite(shop.admin, site, 'GET', `/api/closings/x?outlet=shop&day=${today()}`)).body.figures;
    expect(await x(rodez.id)).toMatchObject({ tickets: 1, totalCents: 2100 });
    expect(await x(1)).toMatchObject({ tickets: 1, totalCents: 950 });
  });

  it('reports the network side by side, worked out by hand', async () => {
    const report = await shop.admin.get(`/api/sites/report?from=${today()}&to=${today()}`);
    expect(report.status).toBe(200);
    const castres = report.body.sites.find((s: any) => s.siteId === 1);
    const rdz = report.body.sites.find((s: any) => s.siteId === rodez.id);
    // Castres: one ticket of 9,50 €; 9 jars left valued at the network's 9,50 € = 85,50 €.
    expect(castres).toMatchObject({ tickets: 1, netCents: 950, averageTicketCents: 950, consignmentCents: 950, stockValueCents: 8550 });
    // Rodez: one ticket of 2 × 10,50 € = 21,00 €; 2 jars left at 9,50 € = 19,00 €.
    expect(rdz).toMatchObject({ tickets: 1, netCents: 2100, consignmentCents: 2100, stockValueCents: 1900 });
    expect(rdz.outlets.find((o: any) => o.kind === 'shop')).toMatchObject({ tickets: 1, salesCents: 2100, refundsCents: 0 });
    expect(report.body.totals).toEqual({ tickets: 2, netCents: 3050, consignmentCents: 3050, stockValueCents: 10450 });
  });

  it('ties a manager to Rodez: Rodez only, and no network settings', async () => {
    const created = await shop.admin.post('/api/users', {
      login: 'gerant-rodez',
      displayName: 'Gérante de Rodez',
      role: 'manager',
      password: 'rodez-password-1',
      siteId: rodez.id,
    });
    expect(created.status).toBe(201);
    expect(created.body.siteId).toBe(rodez.id);
    const cashierTied = await shop.admin.post('/api/users', { displayName: 'Caissier', role: 'cashier', pin: '4826', siteId: rodez.id });
    expect(cashierTied.status).toBe(400);
    expect(cashierTied.body.error.fields[0].field).toBe('siteId');
    const manager = await rodezManager();
    expect((await manager.get('/api/sites')).body.map((s: any) => s.id)).toEqual([rodez.id]);
    expect((await manager.get('/api/stock')).body.find((r: any) => r.productId === miel.id).onHand).toBe(2);
    expect((await manager.get('/api/tills')).body.map((t: any) => t.name)).toEqual(['Rodez 1']);
    // The people of its site: itself and the floor staff (of no outlet in particular here), not the network's admin.
    const people = (await manager.get('/api/users')).body.map((u: any) => u.login ?? u.role);
    expect(people).toContain('gerant-rodez');
    expect(people).toContain('cashier');
    expect(people).not.toContain('admin');
    // Another site is out of reach: not found, whether asked by header, by price or by till.
    expect((await asSite(manager, 1, 'GET', '/api/stock')).status).toBe(404);
    expect((await manager.put(`/api/sites/1/prices/${miel.id}`, { priceCents: 1 })).status).toBe(404);
    expect((await manager.post('/api/tills/1/pairing-code')).status).toBe(404);
    expect((await manager.post('/api/sites', { code: 'albi', name: 'Albi', outlets: ['shop'] })).status).toBe(403);
    // Its tickets: Rodez's one, not Castres'; a Castres ticket by its id is not found.
    const tickets = (await manager.get('/api/sales?limit=50')).body;
    expect(tickets.map((t: any) => t.totalCents)).toEqual([2100]);
    const castresTicket = (await shop.admin.get('/api/sales?limit=50')).body.find((t: any) => t.totalCents === 950);
    expect((await manager.get(`/api/sales/${castresTicket.id}`)).status).toBe(404);
    expect((await manager.get(`/api/sales/${tickets[0].id}`)).status).toBe(200);
    const report = (await manager.get(`/api/sites/report?from=${today()}&to=${today()}`)).body;
    expect(report.sites.map((s: any) => s.siteId)).toEqual([rodez.id]);
    expect(report.totals.netCents).toBe(2100);
    // Its own site's price is its to set; back to the network's price with null.
    const back = await manager.put(`/api/sites/${rodez.id}/prices/${miel.id}`, { priceCents: null });
    expect(back.body).toMatchObject({ priceCents: 950, own: false });
    expect((await rodezCashier.get('/api/catalog')).body.products.find((p: any) => p.id === miel.id).priceCents).toBe(950);
    // The households and the solidarity fund are the épicerie's, which Rodez has not: none of it is Rodez's
    // manager's to read or change (it read every card code and changed the fund's shares: /tmp/rev18).
    const household = await shop.admin.post('/api/households', {
      size: 2,
      validFrom: today(),
      validTo: today(),
      monthlyAllowanceCents: 5000,
      partner: 'CCAS',
    });
    expect(household.status).toBe(201);
    const refused = [
      await manager.get('/api/households'),
      await manager.get(`/api/households/${household.body.id}/export`),
      await manager.get(`/api/households/${household.body.id}/card.pdf`),
      await manager.patch(`/api/households/${household.body.id}`, { monthlyAllowanceCents: 6000 }),
      await manager.get('/api/solidarity/fund'),
      await manager.put('/api/solidarity/shares', { defaultShareBp: 3000, byCategory: [], retentionMonths: 12 }),
    ];
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403]);
    expect(refused[0]!.body.error.message).toContain('épicerie solidaire');
    expect((await shop.admin.get(`/api/households`)).body.find((h: any) => h.id === household.body.id).monthlyAllowanceCents).toBe(5000);
    // A manager tied to Castres, where the épicerie is, works them.
    const castres = await aUser(shop, 'manager', { siteId: 1 });
    expect((await castres.client.get('/api/households')).status).toBe(200);
  });

  it('shows the producer every site: portal by site, statement with a section per site', async () => {
    const sales = (await producerClient.get(`/api/producers/${rucher.id}/sales?from=${today()}&to=${today()}`)).body;
    expect(sales.totalCents).toBe(3050);
    expect(sales.bySite.map((s: any) => [s.siteId, s.salesCents, s.lines])).toEqual([
      [1, 950, 1],
      [rodez.id, 2100, 1],
    ]);
    const lines = (await producerClient.get(`/api/producers/${rucher.id}/lines?from=${today()}&to=${today()}`)).body;
    expect(lines.map((l: any) => l.site).sort()).toEqual(['Les Halles de la Durenque', 'Tiers-lieu de Rodez'].sort());
    const draft = (await producerClient.get(`/api/producers/${rucher.id}/statement?from=${today()}&to=${today()}`)).body;
    expect(draft.items.map((i: any) => [i.site, i.amountCents]).sort()).toEqual(
      [
        ['Les Halles de la Durenque', 950],
        ['Tiers-lieu de Rodez', 2100],
      ].sort(),
    );
    expect(draft.sites).toEqual([
      { name: 'Les Halles de la Durenque', salesCents: 950, refundsCents: 0, kitchenCents: 0, grossCents: 950, lines: 1 },
      { name: 'Tiers-lieu de Rodez', salesCents: 2100, refundsCents: 0, kitchenCents: 0, grossCents: 2100, lines: 1 },
    ]);
    expect(draft.totals.salesCents).toBe(3050);
    const pdf = await producerClient.request('GET', `/api/producers/${rucher.id}/statement.pdf?from=${today()}&to=${today()}`);
    expect(pdf.status).toBe(200);
    const text = keptPdfText(pdf.raw, 'releve-deux-sites.pdf');
    expect(text).toContain('Par site');
    expect(text).toMatch(/Ventes à Tiers-lieu de Rodez \(1 ligne\)/);
    expect(text).toMatch(/Total Tiers-lieu de Rodez\s+21,00 €/);
  });

  it('tells a manager tied to Rodez, live, of Rodez only; the network’s admin of both sites', async () => {
    type S = Socket<ServerToClientEvents, ClientToServerEvents>;
    const connect = (client: Client) =>
      new Promise<S>((resolve, reject) => {
        const socket: S = io(shop.url, { transports: ['websocket'], extraHeaders: { cookie: client.cookieHeader() }, reconnection: false });
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', reject);
      });
    const tied = await rodezManager();
    const [tiedSocket, adminSocket] = [await connect(tied), await connect(shop.admin)];
    const heard = (socket: S) => {
      const got = { sales: [] as number[], stock: [] as number[] };
      socket.on('sale:recorded', (e) => got.sales.push(e.tillId));
      socket.on('stock:changed', (events) => got.stock.push(...events.map((e) => e.siteId)));
      return got;
    };
    const tiedHeard = heard(tiedSocket);
    const adminHeard = heard(adminSocket);
    const sale = (tillId: number, number: number) => ({
      id: uuidv7(),
      tillId,
      number,
      createdAt: new Date(clock).toISOString(),
      lines: [{ productId: miel.id, quantity: 1, unitPriceCents: 950 }],
      discountCents: 0,
      payments: [{ method: 'cash', amountCents: 950 }],
      totalCents: 950,
    });
    // A ticket at each site (Rodez sells at the network's price again since a test above). Last in this file: the
    // figures above are worked out without these two tickets.
    expect((await rodezCashier.post('/api/sales', sale(rodezTill, 2))).status).toBe(201);
    expect((await castresCashier.post('/api/sales', sale(1, 2))).status).toBe(201);
    await expect.poll(() => adminHeard.sales.length).toBe(2);
    await expect.poll(() => adminHeard.stock.includes(1) && adminHeard.stock.includes(rodez.id)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    // Rodez's ticket and Rodez's shelf, never Castres'.
    expect(tiedHeard.sales).toEqual([rodezTill]);
    expect(tiedHeard.stock.length).toBeGreaterThan(0);
    expect(new Set(tiedHeard.stock)).toEqual(new Set([rodez.id]));
    expect(adminHeard.sales.sort()).toEqual([1, rodezTill].sort());
    // Asked for the shelves: Rodez's for them, both for the network's admin.
    const asked = async (socket: S) =>
      ((await socket.emitWithAck('stock:get', { productIds: [miel.id] })) as { siteId: number }[]).map((e) => e.siteId);
    expect(await asked(tiedSocket)).toEqual([rodez.id]);
    expect((await asked(adminSocket)).sort()).toEqual([1, rodez.id].sort());
    // A printer of no outlet that Castres' till prints on is Castres' (REST answers Rodez « not found »): its
    // state is not told to Rodez's manager either (an attack heard its name and queue over the socket).
    const printer = await shop.admin.post('/api/printers', {
      name: 'Comptoir Castres',
      role: 'receipt',
      uri: 'file:castres',
      columns: 48,
      codePage: 'pc858',
    });
    expect(printer.status).toBe(201);
    const before = ((await shop.admin.get('/api/tills')).body as { id: number; printerId: number | null }[]).find((x) => x.id === 1)!;
    expect((await shop.admin.patch('/api/tills/1', { printerId: printer.body.id })).status).toBe(200);
    expect((await tied.patch(`/api/printers/${printer.body.id}`, { name: 'x' })).status).toBe(404);
    const states = { tied: [] as number[], admin: [] as number[] };
    tiedSocket.on('printer:state', (e) => states.tied.push(e.printerId));
    adminSocket.on('printer:state', (e) => states.admin.push(e.printerId));
    expect((await shop.admin.post(`/api/printers/${printer.body.id}/test`)).status).toBeLessThan(300);
    await expect.poll(() => states.admin.includes(printer.body.id)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(states.tied).not.toContain(printer.body.id);
    // Castres' till prints on its own printer again (the tests below).
    expect((await shop.admin.patch('/api/tills/1', { printerId: before.printerId })).status).toBe(200);
    expect((await shop.admin.patch(`/api/printers/${printer.body.id}`, { active: false })).status).toBe(200);
    tiedSocket.disconnect();
    adminSocket.disconnect();
  });

  it('leaves a manager tied to Rodez the producers’ contact details, not their terms, accounts or portal, nor another site’s staff', async () => {
    const tied = await rodezManager();
    const refusal = 'Réservé à la gestion du réseau : vous gérez un seul site.';
    // The producer's phone: theirs to keep up to date; the commission and the bank account: the network's.
    expect((await tied.patch(`/api/producers/${rucher.id}`, { phone: '05 63 00 00 00' })).status).toBe(200);
    const commission = await tied.patch(`/api/producers/${rucher.id}`, { commissionBp: 100 });
    expect(commission.status).toBe(403);
    expect(commission.body.error.message).toContain('commissionBp');
    const iban = await tied.patch(`/api/producers/${rucher.id}`, { iban: 'FR7630006000011234567890189' });
    expect(iban.status).toBe(403);
    expect(iban.body.error.message).toContain('iban');
    const after = (await shop.admin.get(`/api/producers/${rucher.id}`)).body;
    expect([after.phone, after.iban]).toEqual(['05 63 00 00 00', null]);
    // Registering a producer, or opening (or resetting) a producer's portal: the network's.
    const newProducer = await tied.post('/api/producers', { name: 'Ferme de Rodez', legalName: 'Ferme de Rodez', siret: '73282932000074' });
    expect(newProducer.status).toBe(403);
    expect(newProducer.body.error.message).toBe(refusal);
    const producerAccount = await tied.post('/api/users', {
      login: 'rucher-2',
      displayName: 'Rucher',
      role: 'producer',
      password: 'rucher-password-1',
      producerId: rucher.id,
    });
    expect(producerAccount.status).toBe(403);
    const producerUser = (await shop.admin.get('/api/users')).body.find((u: any) => u.role === 'producer');
    expect((await tied.put(`/api/users/${producerUser.id}/password`, { password: 'taken-over-pass' })).status).toBe(403);
    // Castres' own cashier: not theirs to know; Rodez's: theirs to manage, at Rodez's outlets only.
    const castresOnly = await shop.admin.post('/api/users', {
      displayName: 'Caissière Castres',
      role: 'cashier',
      pin: '7391',
      outletId: 1,
    });
    expect(castresOnly.status).toBe(201);
    expect((await tied.put(`/api/users/${castresOnly.body.id}/pin`, { pin: '1593' })).status).toBe(404);
    const rodezShop = rodez.outlets.find((o) => o.kind === 'shop')!.id;
    const hired = await tied.post('/api/users', { displayName: 'Caissier Rodez', role: 'cashier', pin: '8264', outletId: rodezShop });
    expect(hired.status).toBe(201);
    const elsewhere = await tied.post('/api/users', { displayName: 'Caissier ailleurs', role: 'cashier', pin: '8265', outletId: 1 });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error.fields[0].field).toBe('outletId');
    expect((await tied.patch(`/api/users/${hired.body.id}`, { outletId: 1 })).status).toBe(400);
    // Staff of every outlet work at Castres too: the network's to hire, move and change, not Rodez's manager's.
    const everywhere = await tied.post('/api/users', { displayName: 'Caissier partout', role: 'cashier', pin: '8266' });
    expect(everywhere.status).toBe(400);
    expect(everywhere.body.error.fields[0].field).toBe('outletId');
    expect((await tied.patch(`/api/users/${hired.body.id}`, { outletId: null })).status).toBe(400);
    const roaming = await shop.admin.post('/api/users', { displayName: 'Caissière volante', role: 'cashier', pin: '7392' });
    expect(roaming.status).toBe(201);
    expect((await tied.get('/api/users')).body.map((u: { id: number }) => u.id)).toContain(roaming.body.id);
    expect((await tied.put(`/api/users/${roaming.body.id}/pin`, { pin: '1594' })).status).toBe(403);
    expect((await tied.patch(`/api/users/${roaming.body.id}`, { active: false })).status).toBe(403);
    expect((await tied.patch(`/api/users/${roaming.body.id}`, { outletId: rodezShop })).status).toBe(403);
    expect((await shop.admin.get('/api/users')).body.find((u: { id: number }) => u.id === roaming.body.id).active).toBe(true);

    // Castres' deposit slip (10 jars) is not found for them, by id or as a PDF; Rodez's is theirs.
    const slips = (await shop.admin.get('/api/stock/slips')).body as { id: number; siteName: string }[];
    const castresSlip = slips.find((x) => x.siteName !== 'Tiers-lieu de Rodez')!;
    const rodezSlip = slips.find((x) => x.siteName === 'Tiers-lieu de Rodez')!;
    expect((await tied.get(`/api/stock/slips/${castresSlip.id}`)).status).toBe(404);
    expect((await tied.get(`/api/stock/slips/${castresSlip.id}.pdf`)).status).toBe(404);
    expect((await tied.get(`/api/stock/slips/${rodezSlip.id}`)).status).toBe(200);
    // The jar's movements: Rodez's only (its deposit of 4, its sales of 2 then 1), never Castres' deposit of 10.
    const moves = (await tied.get(`/api/products/${miel.id}/movements`)).body as { kind: string; quantity: number }[];
    expect(moves.map((m) => m.quantity).sort((a, b) => a - b)).toEqual([-2, -1, 4]);
    const all = (await shop.admin.get(`/api/products/${miel.id}/movements`)).body as { quantity: number }[];
    expect(all.map((m) => m.quantity)).toContain(10);
  });

  it('keeps a manager tied to Rodez off Castres’ tills: not listed, no PIN, no approval, no unlock of Castres’ staff', async () => {
    const users = (await shop.admin.get('/api/users')).body as { id: number; login: string | null; displayName: string }[];
    const gerante = users.find((u) => u.login === 'gerant-rodez')!;
    expect((await shop.admin.put(`/api/users/${gerante.id}/pin`, { pin: '6173' })).status).toBe(204);
    const castresTablet = await aPairedTill(shop, 1);
    const rodezTablet = await aPairedTill(shop, rodezTill);
    const names = async (tablet: Client) =>
      ((await tablet.get('/api/devices/current')).body.staff as { displayName: string }[]).map((p) => p.displayName);
    // Listed on Rodez's lock screen, not on Castres'; her PIN opens Rodez's till only.
    expect(await names(rodezTablet)).toContain('Gérante de Rodez');
    expect(await names(castresTablet)).not.toContain('Gérante de Rodez');
    expect((await castresTablet.post('/api/auth/pin', { tillId: 1, pin: '6173' })).status).toBe(401);
    expect((await castresTablet.post('/api/auth/pin', { tillId: 1, pin: '6173', userId: gerante.id })).status).toBe(401);
    expect((await rodezTablet.post('/api/auth/pin', { tillId: rodezTill, pin: '6173' })).status).toBe(200);
    // Castres' cashier, locked out by five wrong PINs at Castres: the Rodez manager cannot lift it, from the
    // back office (not found) or by her PIN on Castres' till (a PIN that approves nothing there).
    const castresOnly = users.find((u) => u.displayName === 'Caissière Castres')!;
    for (let i = 0; i < 5; i++) await castresTablet.post('/api/auth/pin', { tillId: 1, pin: '0000', userId: castresOnly.id });
    const tied = await rodezManager();
    expect((await tied.post(`/api/users/${castresOnly.id}/unlock`)).status).toBe(404);
    expect((await castresTablet.post('/api/auth/unlock', { userId: castresOnly.id, pin: '6173' })).status).toBe(401);
    // Nor, on Rodez's till with her right PIN, someone who works in Castres only.
    expect((await rodezTablet.post('/api/auth/unlock', { userId: castresOnly.id, pin: '6173' })).status).toBe(404);
    // Still locked; the network's admin lifts it.
    expect((await shop.admin.post(`/api/users/${castresOnly.id}/unlock`)).status).toBe(204);
    // Nor with her password, in the browser of Castres' tablet (its device cookie riding along): she rang a
    // 100 % discount into Castres' chain and took 900 € out of its drawer (found by an independent check).
    expect((await castresTablet.post('/api/auth/login', { login: 'gerant-rodez', password: 'rodez-password-1' })).status).toBe(200);
    const sale = await castresTablet.post('/api/sales', {
      id: uuidv7(),
      tillId: 1,
      number: 900,
      createdAt: new Date(clock).toISOString(),
      lines: [{ productId: miel.id, quantity: 1, unitPriceCents: 950, discountCents: 950 }],
      payments: [],
      totalCents: 0,
    });
    expect(sale.status, JSON.stringify(sale.body)).toBe(403);
    // A cash movement from there is not Castres' drawer's: hers, at Rodez, as from the back office.
    const out = await castresTablet.post('/api/drawer/movements', {
      id: uuidv7(),
      kind: 'out',
      reason: 'petty_purchase',
      amountCents: 100,
    });
    expect([out.status, out.body.tillId, rodez.outlets.some((o) => o.id === out.body.outletId)], JSON.stringify(out.body)).toEqual([
      201,
      null,
      true,
    ]);
    // At Rodez's own tablet, the same password session works.
    expect((await rodezTablet.post('/api/auth/login', { login: 'gerant-rodez', password: 'rodez-password-1' })).status).toBe(200);
    expect((await rodezTablet.get('/api/drawer/day')).status).toBe(200);
  });

  // Found by an independent probe: Rodez's manager unpaired a Castres tablet, read and changed Castres' orders,
  // kitchen and floor, rerouted its kitchen printer; a shop's tablet read the restaurant's orders.
  it('keeps a manager tied to Rodez off Castres’ tablets, printers, floor, orders and kitchen; a shop till off the restaurant’s', async () => {
    const admin = shop.admin;
    const castresBar = (await admin.post('/api/tills', { outlet: 'restaurant', name: 'Bar Castres' })).body.id as number;
    const printer = (
      await admin.post('/api/printers', {
        name: 'Cuisine Castres',
        role: 'kitchen',
        uri: 'file:cuisine-castres',
        columns: 48,
        codePage: 'pc858',
        drawer: false,
      })
    ).body.id as number;
    expect((await admin.patch(`/api/printers/${printer}`, { outlet: 'restaurant' })).status).toBe(200);
    const station = (await admin.post('/api/stations', { name: 'Cuisine', printerId: printer })).body.id as number;
    const room = (await admin.post('/api/rooms', { name: 'Salle' })).body.id as number;
    const table = (await admin.post(`/api/rooms/${room}/tables`, { name: 'T1', seats: 4 })).body.id as number;
    const dish = await aProduct(admin, { name: 'Aligot', producerId: null, outlets: ['restaurant'], priceCents: 1400, vatRateBp: 1000 });
    const waiter = (await aUser(shop, 'waiter', { tillId: castresBar })).client;
    const order = uuidv7();
    const op = (body: object) => waiter.post(`/api/orders/${order}/ops`, { id: uuidv7(), at: new Date(clock).toISOString(), ...body });
    expect((await op({ kind: 'open', tableId: table, covers: 2 })).status).toBe(201);
    expect((await op({ kind: 'add', lineId: uuidv7(), productId: dish.id, quantity: 1, course: 'main' })).status).toBe(201);
    const tablet = (await admin.get('/api/tills')).body.find((t: { id: number }) => t.id === castresBar).devices.at(-1).id as number;

    const tied = await rodezManager();
    const statuses = {
      revoke: (await tied.post(`/api/devices/${tablet}/revoke`)).status,
      order: (await tied.get(`/api/orders/${order}`)).status,
      bill: (await tied.get(`/api/orders/${order}/bill`)).status,
      board: (await tied.get(`/api/stations/${station}/board`)).status,
      reroute: (await tied.put(`/api/stations/${station}/printer`, { printerId: printer, moveWaiting: false })).status,
      table: (await tied.patch(`/api/tables/${table}`, { name: 'X' })).status,
      newTable: (await tied.post(`/api/rooms/${room}/tables`, { name: 'X', seats: 2 })).status,
      printer: (await tied.patch(`/api/printers/${printer}`, { name: 'X' })).status,
      testPage: (await tied.post(`/api/printers/${printer}/test`)).status,
    };
    expect(statuses).toEqual({
      revoke: 404,
      order: 404,
      bill: 404,
      board: 404,
      reroute: 404,
      table: 404,
      newTable: 404,
      printer: 404,
      testPage: 404,
    });
    // Each site's restaurant routes the network's categories to its own stations (found by an attack: Rodez's
    // manager sent Castres' mains to Rodez's kitchen, the category's station being one for the network).
    const mains = await aCategory(admin, { name: 'Plats du jour' });
    const stew = await aProduct(admin, { name: 'Civet', categoryId: mains.id, outlets: ['restaurant'], priceCents: 1600, vatRateBp: 1000 });
    expect((await admin.put(`/api/categories/${mains.id}/station`, { stationId: station })).status).toBe(200);
    const rodezStation = (await tied.post('/api/stations', { name: 'Cuisine Rodez', printerId: null })).body.id as number;
    const toCastres = await tied.put(`/api/categories/${mains.id}/station`, { stationId: station });
    expect([toCastres.status, toCastres.body.error.fields]).toEqual([
      400,
      [{ field: 'stationId', reason: 'poste de préparation d’un autre site' }],
    ]);
    expect((await tied.put(`/api/categories/${mains.id}/station`, { stationId: rodezStation })).status).toBe(200);
    const stationOf = async (c: Client) => (await c.get('/api/categories')).body.find((x: { id: number }) => x.id === mains.id).stationId;
    expect([await stationOf(admin), await stationOf(tied)]).toEqual([station, rodezStation]);
    // Castres' civet goes to Castres' kitchen still, with the table's aligot (no category: nothing to prepare).
    const stewLine = uuidv7();
    expect((await op({ kind: 'add', lineId: stewLine, productId: stew.id, quantity: 2, course: 'main' })).status).toBe(201);
    expect((await op({ kind: 'send' })).status).toBe(201);
    const board = (await admin.get(`/api/stations/${station}/board`)).body as {
      tickets: { items: { lineId: string; quantity: number }[] }[];
    };
    expect(board.tickets.flatMap((t) => t.items).map((i) => [i.lineId, i.quantity])).toEqual([[stewLine, 2]]);
    expect((await tied.get(`/api/stations/${rodezStation}/board`)).body.tickets).toEqual([]);
    // « Nothing to prepare » at Rodez leaves Castres' routing as it is.
    expect((await tied.put(`/api/categories/${mains.id}/station`, { stationId: null })).status).toBe(200);
    expect([await stationOf(admin), await stationOf(tied)]).toEqual([station, null]);
    // A printer of no outlet that Castres' till 1 prints on (the demo's receipt printer is one): Castres' now.
    // A probe, tied to Rodez, renamed it, readdressed it and opened Castres' drawer with it.
    const network = (await admin.post('/api/printers', { name: 'Ticket réseau', role: 'receipt', uri: 'file:ticket-reseau', drawer: true }))
      .body.id as number;
    expect((await tied.get('/api/printers')).body.map((p: { id: number }) => p.id)).toContain(network);
    expect((await admin.patch('/api/tills/1', { printerId: network })).status).toBe(200);
    expect({
      listed: (await tied.get('/api/printers')).body.some((p: { id: number }) => p.id === network),
      rename: (await tied.patch(`/api/printers/${network}`, { name: 'X' })).status,
      readdress: (await tied.patch(`/api/printers/${network}`, { uri: 'file:ailleurs' })).status,
      drawer: (await tied.post(`/api/printers/${network}/drawer`)).status,
      testPage: (await tied.post(`/api/printers/${network}/test`)).status,
    }).toEqual({ listed: false, rename: 404, readdress: 404, drawer: 404, testPage: 404 });
    expect((await tied.patch(`/api/tills/${rodezTill}`, { printerId: network })).status).toBe(400);
    // Nor a printer of theirs at its address (the drawer of Castres opened from Rodez that way).
    const twin = await tied.post('/api/printers', { name: 'Jumelle', role: 'receipt', uri: 'file:ticket-reseau', drawer: true });
    expect(twin.status, JSON.stringify(twin.body)).toBe(400);
    expect(twin.body.error.fields).toEqual([{ field: 'uri', reason: 'adresse d’une imprimante d’un autre site' }]);
    // Nor at that address written otherwise (found by a security probe): one writing is stored and compared.
    const castresKitchen = await admin.post('/api/printers', {
      name: 'Cuisine Castres',
      role: 'kitchen',
      uri: 'tcp://Cuisine-Castres.LOCAL:09100',
      outlet: 'restaurant',
    });
    expect(castresKitchen.body.uri).toBe('tcp://cuisine-castres.local:9100');
    const disguised = await tied.post('/api/printers', { name: 'Cuisine', role: 'kitchen', uri: 'tcp://CUISINE-castres.local.:9100' });
    expect(disguised.body.error?.fields).toEqual([{ field: 'uri', reason: 'adresse d’une imprimante d’un autre site' }]);
    // An IPv4 address in another writing than four decimal numbers: refused (the resolver reads 050 in octal).
    const octal = await admin.post('/api/printers', { name: 'Octale', role: 'kitchen', uri: 'tcp://192.168.001.050:9100' });
    expect(octal.status).toBe(400);
    expect(octal.body.error.fields).toEqual([
      { field: 'uri', reason: 'adresse IPv4 attendue en quatre nombres décimaux, sans zéro en tête (192.168.1.50)' },
    ]);
    expect((await admin.post('/api/printers', { name: 'Entière', role: 'kitchen', uri: 'tcp://3232235826:9100' })).status).toBe(400);
    expect((await admin.post('/api/printers', { name: 'Hexa', role: 'kitchen', uri: 'tcp://10.9.8.0x7:9100' })).status).toBe(400);
    // An IPv4 address written as IPv6 is that address.
    const bar = await admin.post('/api/printers', {
      name: 'Bar Castres',
      role: 'kitchen',
      uri: 'tcp://10.9.8.7:9100',
      outlet: 'restaurant',
    });
    const mapped = await tied.post('/api/printers', { name: 'Bar', role: 'kitchen', uri: 'tcp://[::ffff:a09:807]:9100' });
    expect(mapped.body.error?.fields).toEqual([{ field: 'uri', reason: 'adresse d’une imprimante d’un autre site' }]);
    expect((await admin.patch(`/api/printers/${bar.body.id}`, { active: false })).status).toBe(200);
    expect((await admin.patch(`/api/printers/${castresKitchen.body.id}`, { active: false })).status).toBe(200);
    expect((await admin.patch('/api/tills/1', { printerId: null })).status).toBe(200);
    expect((await admin.patch(`/api/printers/${network}`, { active: false })).status).toBe(200);
    expect((await tied.get('/api/stations')).body.map((s: { id: number }) => s.id)).not.toContain(station);
    // Found by a security probe: naming another site's printer for one's own till, or another site's till for
    // a drawer movement, went through (a Rodez ticket printed in Castres; 1 234,56 € put in a Castres drawer).
    const castresReceipt = (
      await admin.post('/api/printers', { name: 'Ticket Castres', role: 'receipt', uri: 'file:ticket-castres', outlet: 'shop' })
    ).body.id as number;
    const ownTill = await tied.patch(`/api/tills/${rodezTill}`, { printerId: castresReceipt });
    expect(ownTill.status).toBe(400);
    expect(ownTill.body.error.fields).toEqual([{ field: 'printerId', reason: 'imprimante d’un autre site' }]);
    const drawer = await tied.post('/api/drawer/movements', {
      id: uuidv7(),
      kind: 'in',
      reason: 'correction',
      note: 'écart',
      amountCents: 123456,
      tillId: 1,
    });
    expect(drawer.status).toBe(400);
    expect(drawer.body.error.fields[0]).toEqual({ field: 'tillId', reason: 'caisse inconnue' });
    // Nor does a Castres device (a kitchen screen, a waiter) send its station's tickets to Rodez's printer.
    const rodezPrinter = (await asSite(admin, rodez.id, 'GET', '/api/printers')).body.find(
      (p: { name: string }) => p.name === 'Ticket Rodez',
    ).id;
    const reroute = await waiter.put(`/api/stations/${station}/printer`, { printerId: rodezPrinter, moveWaiting: false });
    expect(reroute.status).toBe(400);
    expect(reroute.body.error.fields).toEqual([{ field: 'printerId', reason: 'imprimante d’un autre site' }]);
    expect((await admin.post('/api/stations', { name: 'Poste', printerId: rodezPrinter })).status).toBe(400);
    // Their own site's printers still: Castres' station to Castres' receipt printer.
    expect((await waiter.put(`/api/stations/${station}/printer`, { printerId: castresReceipt, moveWaiting: false })).status).toBe(200);
    // The network's admin and the outlet's own till still reach all of it; the tablet is still paired.
    expect((await admin.get(`/api/orders/${order}`)).status).toBe(200);
    expect((await waiter.get(`/api/orders/${order}/bill`)).status).toBe(200);
    expect((await waiter.get('/api/stations')).body.map((s: { id: number }) => s.id)).toContain(station);
    // Castres' shop till reads neither the restaurant's open orders, nor its floor (asked by the outlet's name:
    // refused), nor an order by its id (not found: it learns nothing of which ids are real).
    expect((await castresCashier.get('/api/orders?outlet=restaurant')).status).toBe(403);
    expect((await castresCashier.get('/api/floor?outlet=restaurant')).status).toBe(403);
    expect((await castresCashier.get(`/api/orders/${order}`)).status).toBe(404);
  });

  it('keeps each site’s ressourcerie its own: a donation on sale where it was given, each site’s tonnage', async () => {
    const month = today().slice(0, 7);
    // Rodez has no ressourcerie: it takes no donation, and says why.
    const manager = await rodezManager();
    const none = await manager.post('/api/ressourcerie/intakes', { lines: [{ stream: 'books', grams: 2000 }], items: [] });
    expect(none.status).toBe(400);
    expect(none.body.error.fields[0]).toMatchObject({ field: 'outlet' });
    expect(none.body.error.fields[0].reason).toContain('Ressourcerie');
    // A third site, a recyclerie in Albi: a donation of 12.5 kg of furniture there, a lamp priced from it.
    const albi = (await shop.admin.post('/api/sites', { code: 'albi', name: 'Recyclerie d’Albi', outlets: ['shop', 'ressourcerie'] })).body;
    const given = await asSite(shop.admin, albi.id, 'POST', '/api/ressourcerie/intakes', {
      lines: [{ stream: 'furniture', grams: 12_500 }],
      donor: 'Mme Roques',
      items: [{ name: 'Lampe de chevet', stream: 'furniture', grams: 1_200, priceCents: 800 }],
    });
    expect(given.status).toBe(201);
    const lamp = given.body.items[0];
    // On sale at Albi's ressourcerie only: not at Castres', where it is not.
    const sellers = await shop.server.database.db
      .selectFrom('product_outlets as po')
      .innerJoin('outlets as o', 'o.id', 'po.outlet_id')
      .select(['o.site_id', 'o.kind'])
      .where('po.product_id', '=', lamp.productId)
      .execute();
    expect(sellers).toEqual([{ site_id: albi.id, kind: 'ressourcerie' }]);
    // What each site's ressourcerie till is sent: the lamp at Albi's, not at Castres'.
    const sold = async (site: number) =>
      ((await asSite(shop.admin, site, 'GET', '/api/catalog?outlet=ressourcerie')).body.products as { id: number }[]).map((p) => p.id);
    expect(await sold(albi.id)).toContain(lamp.productId);
    expect(await sold(1)).not.toContain(lamp.productId);
    // Edited from the catalogue form (which sends its outlets), it stays at Albi's; a site opened later does not
    // take it; another site's manager neither reprices it nor reads its label.
    const edited = await shop.admin.patch(`/api/products/${lamp.productId}`, { priceCents: 700, outlets: ['ressourcerie'] });
    expect(edited.status).toBe(200);
    await shop.admin.post('/api/sites', { code: 'millau', name: 'Recyclerie de Millau', outlets: ['ressourcerie'] });
    const sellersNow = await shop.server.database.db
      .selectFrom('product_outlets as po')
      .innerJoin('outlets as o', 'o.id', 'po.outlet_id')
      .select(['o.site_id'])
      .where('po.product_id', '=', lamp.productId)
      .execute();
    expect(sellersNow).toEqual([{ site_id: albi.id }]);
    expect((await manager.patch(`/api/products/${lamp.productId}`, { priceCents: 1 })).status).toBe(404);
    // Nor is it in Rodez's product list, nor found by its id (the catalogue showed other sites' objects to a tied
    // manager, with an edit button the server answered 404).
    const rodezList = (await manager.get('/api/products?limit=500')).body as { id: number; oneOff: boolean }[];
    expect(rodezList.some((p) => p.id === lamp.productId)).toBe(false);
    expect(rodezList.length).toBeGreaterThan(0);
    expect((await manager.get(`/api/products/${lamp.productId}`)).status).toBe(404);
    // The network's manager still finds it (every site's objects).
    expect(((await shop.admin.get('/api/products?limit=500')).body as { id: number }[]).some((p) => p.id === lamp.productId)).toBe(true);
    // Albi's own manager finds it, renames and reprices it (the back office's form sends these three), but does
    // not name a producer to be paid for it, nor change its VAT: 403 naming the field, nothing changed.
    const albiManager = (await aUser(shop, 'manager', { siteId: albi.id })).client;
    expect(((await albiManager.get('/api/products?limit=500')).body as { id: number }[]).some((p) => p.id === lamp.productId)).toBe(true);
    const renamed = await albiManager.patch(`/api/products/${lamp.productId}`, {
      name: 'Lampe de chevet en laiton',
      priceCents: 650,
      active: true,
    });
    expect([renamed.status, renamed.body.name, renamed.body.priceCents]).toEqual([200, 'Lampe de chevet en laiton', 650]);
    for (const patch of [{ producerId: rucher.id }, { vatRateBp: 550 }, { outlets: ['shop'] }]) {
      const no = await albiManager.patch(`/api/products/${lamp.productId}`, { priceCents: 1, ...patch });
      expect(no.status).toBe(403);
      expect(no.body.error.message).toContain(`« ${Object.keys(patch)[0]} »`);
    }
    expect((await shop.admin.get(`/api/products/${lamp.productId}`)).body).toMatchObject({
      priceCents: 650,
      producerId: null,
      vatRateBp: 2000,
    });
    await shop.admin.patch(`/api/products/${lamp.productId}`, { name: 'Lampe de chevet', priceCents: 700 });
    // Nor the network's catalogue (an attack set a network price to 0,01 € and gave a product to another
    // producer as Rodez's manager): 403, nothing changed (a site's own ressourcerie objects stay its manager's).
    const networkProduct = (await shop.admin.get('/api/products?limit=1')).body[0] as {
      id: number;
      priceCents: number;
      producerId: number | null;
    };
    const refused = await manager.patch(`/api/products/${networkProduct.id}`, { priceCents: 1, producerId: null });
    expect([refused.status, refused.body.error.message]).toEqual([403, 'Réservé à la gestion du réseau : vous gérez un seul site.']);
    expect((await shop.admin.get(`/api/products/${networkProduct.id}`)).body).toMatchObject({
      priceCents: networkProduct.priceCents,
      producerId: networkProduct.producerId,
    });
    expect((await manager.get(`/api/ressourcerie/items/${lamp.code}`)).status).toBe(404);
    expect((await shop.admin.get(`/api/ressourcerie/items/${lamp.code}`)).body).toMatchObject({ code: lamp.code, priceCents: 700 });
    // Albi's month: the 12.5 kg collected. Castres' (the first site): nothing of it.
    const albiTonnage = (await asSite(shop.admin, albi.id, 'GET', `/api/ressourcerie/tonnage?month=${month}`)).body;
    expect(albiTonnage).toMatchObject({ site: 'Recyclerie d’Albi', collectedGrams: 12_500, itemsSold: 0 });
    const castresTonnage = (await asSite(shop.admin, 1, 'GET', `/api/ressourcerie/tonnage?month=${month}`)).body;
    expect(castresTonnage.collectedGrams).toBe(0);
    // A link the back office opens without a script (the CSV) carries the site the network manager works at as
    // a cookie: 12 500 g collected = "12,500" kg at Albi; at the first site, nothing collected.
    const csv = async () => String((await shop.admin.get(`/api/ressourcerie/tonnage.csv?month=${month}`)).raw);
    shop.admin.setCookie('comptoir_site', String(albi.id));
    expect(await csv()).toContain('12,500');
    shop.admin.dropCookie('comptoir_site');
    expect(await csv()).not.toContain('12,500');
    // A manager tied to Rodez is never moved by it (a cookie left by another session of this browser).
    manager.setCookie('comptoir_site', String(albi.id));
    expect((await manager.get('/api/tills')).body.map((t: any) => t.name)).toEqual(['Rodez 1']);
    // Its objects: the lamp at Albi, not in Castres' list.
    const codes = async (site: number) =>
      ((await asSite(shop.admin, site, 'GET', '/api/ressourcerie/items')).body as { code: string }[]).map((i) => i.code);
    expect(await codes(albi.id)).toEqual([lamp.code]);
    expect(await codes(1)).not.toContain(lamp.code);
    // The donor's receipt (a name on it): Albi's to print, not the Rodez manager's.
    expect((await asSite(shop.admin, albi.id, 'GET', `/api/ressourcerie/intakes/${given.body.id}/receipt.pdf`)).status).toBe(200);
    expect((await manager.get(`/api/ressourcerie/intakes/${given.body.id}/receipt.pdf`)).status).toBe(404);
  });

  it('sends a producer’s goods from Castres to Rodez on a numbered transfer slip: off one shelf, onto the other', async () => {
    const confiture = await aProduct(shop.admin, {
      name: 'Confiture de figues 350 g',
      producerId: rucher.id,
      priceCents: 650,
      vatRateBp: 550,
    });
    // Sold at the épicerie only, which Rodez has not.
    const vrac = await aProduct(shop.admin, {
      name: 'Miel toutes fleurs en vrac',
      producerId: rucher.id,
      priceCents: 1400,
      vatRateBp: 550,
      outlets: ['epicerie'],
    });
    const delivered = await shop.admin.post('/api/stock/deposits', {
      producerId: rucher.id,
      lines: [
        { productId: confiture.id, quantity: 12 },
        { productId: vrac.id, quantity: 5 },
      ],
    });
    expect(delivered.status).toBe(201);
    const castresName = ((await shop.admin.get('/api/sites')).body as { id: number; name: string }[]).find((s) => s.id === 1)!.name;
    const onHand = async (site: number) =>
      ((await asSite(shop.admin, site, 'GET', '/api/stock')).body as { productId: number; onHand: number }[]).find(
        (r) => r.productId === confiture.id,
      )?.onHand ?? 0;
    const send = (c: Client, body: object) => c.post('/api/stock/transfers', body);

    // Refused, each with its field, and nothing moved: to the site it is at, to no site, more than the shelf
    // holds (12), or a product Rodez does not sell.
    const refusals = [
      [{ toSiteId: 1, lines: [{ productId: confiture.id, quantity: 1 }] }, 'toSiteId'],
      [{ toSiteId: 999, lines: [{ productId: confiture.id, quantity: 1 }] }, 'toSiteId'],
      [{ toSiteId: rodez.id, lines: [{ productId: confiture.id, quantity: 13 }] }, 'lines.0.quantity'],
      [{ toSiteId: rodez.id, lines: [{ productId: vrac.id, quantity: 1 }] }, 'lines.0.productId'],
    ] as const;
    for (const [body, field] of refusals) {
      const refused = await send(shop.admin, { producerId: rucher.id, ...body });
      expect(refused.status, field).toBe(400);
      expect(refused.body.error.fields[0].field).toBe(field);
    }
    expect(
      (await send(shop.admin, { producerId: rucher.id, toSiteId: rodez.id, lines: [{ productId: confiture.id, quantity: 13 }] })).body.error
        .fields[0].reason,
    ).toContain('12');
    expect([await onHand(1), await onHand(rodez.id)]).toEqual([12, 0]);

    // Five jars go to Rodez on transfer slip n° 1 (a series of its own): 12 − 5 = 7 left in Castres, 5 in Rodez.
    const sent = await send(shop.admin, {
      producerId: rucher.id,
      toSiteId: rodez.id,
      note: 'Navette du jeudi',
      lines: [{ productId: confiture.id, quantity: 5 }],
    });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ kind: 'transfer', number: 1, siteName: castresName, toSiteName: 'Tiers-lieu de Rodez' });
    expect(sent.body.lines).toEqual([
      { productId: confiture.id, name: 'Confiture de figues 350 g', unit: 'piece', priceCents: 650, quantity: 5 },
    ]);
    expect([await onHand(1), await onHand(rodez.id)]).toEqual([7, 5]);

    // Rodez's manager finds the slip sent to Rodez, and the jars' arrival among Rodez's movements.
    const tied = await rodezManager();
    expect(((await tied.get('/api/stock/slips')).body as { id: number }[]).map((s) => s.id)).toContain(sent.body.id);
    expect((await tied.get(`/api/stock/slips/${sent.body.id}`)).status).toBe(200);
    const moves = (await tied.get(`/api/products/${confiture.id}/movements`)).body as {
      kind: string;
      quantity: number;
      slipNumber: number;
    }[];
    expect(moves.map((m) => [m.kind, m.quantity, m.slipNumber])).toEqual([['transfer', 5, 1]]);
    // She sends two back from Rodez (her site): slip n° 2; 7 + 2 = 9 in Castres, 5 − 2 = 3 in Rodez.
    const back = await send(tied, { producerId: rucher.id, toSiteId: 1, lines: [{ productId: confiture.id, quantity: 2 }] });
    expect(back.status).toBe(201);
    expect(back.body).toMatchObject({ number: 2, siteName: 'Tiers-lieu de Rodez', toSiteName: castresName });
    expect([await onHand(1), await onHand(rodez.id)]).toEqual([9, 3]);
    // Arrived in Rodez today: not among the goods sitting unsold there for a week.
    const unsold = (await asSite(shop.admin, rodez.id, 'GET', '/api/stock?unsoldDays=7')).body as { productId: number }[];
    expect(unsold.map((r) => r.productId)).not.toContain(confiture.id);
    // Rodez's till sells what came: 3 jars there.
    expect((await rodezCashier.get('/api/catalog')).body.products.find((p: any) => p.id === confiture.id).onHand).toBe(3);

    // The producer sees both slips; the PDF to sign says where from and where to.
    const theirs = (await producerClient.get('/api/stock/slips?kind=transfer')).body as { number: number; toSiteName: string | null }[];
    expect(theirs.map((s) => [s.number, s.toSiteName])).toEqual([
      [2, castresName],
      [1, 'Tiers-lieu de Rodez'],
    ]);
    const pdf = await producerClient.request('GET', `/api/stock/slips/${sent.body.id}.pdf`);
    expect(pdf.status).toBe(200);
    const text = keptPdfText(pdf.raw, 'bon-de-transfert.pdf');
    expect(text).toContain('Bon de transfert n° 1');
    expect(text).toContain(`de ${castresName} à Tiers-lieu de Rodez`);
    expect(text).toMatch(/Confiture de figues 350 g\s+5\s+6,50 €\s+32,50 €/);
    expect(text).toContain('Navette du jeudi');
    // The ledger still adds up, site by site.
    expect((await shop.admin.get('/api/journal/verify')).body).toMatchObject({ ok: true, problems: [] });
  });

  it('prints a slip on the printer of the site worked at, and keeps a manager tied to Rodez off Castres’ printer', async () => {
    const castres = await shop.admin.post('/api/printers', {
      name: 'Ticket Castres',
      role: 'receipt',
      uri: 'file:prints-castres',
      outlet: 'shop',
    });
    expect(castres.status).toBe(201);
    // A slip of Rodez's: the transfer sent there above.
    const slip = (await asSite(shop.admin, rodez.id, 'GET', '/api/stock/slips?kind=transfer')).body[0];
    expect(slip.toSiteName).toBe('Les Halles de la Durenque');
    const printedOn = async (res: { status: number; body: any }) => {
      expect(res.status).toBe(201);
      const jobs = (await shop.admin.get('/api/print-jobs?limit=500')).body as { id: number; printer: string; subject: string }[];
      const job = jobs.find((j) => j.id === res.body.jobId)!;
      expect(job.subject).toBe(`slip:${slip.id}`);
      return job.printer;
    };
    // The network's admin gets it where they work: Rodez's printer at Rodez, Castres' at Castres.
    expect(await printedOn(await asSite(shop.admin, rodez.id, 'POST', `/api/stock/slips/${slip.id}/print`, {}))).toBe('Ticket Rodez');
    expect(await printedOn(await shop.admin.post(`/api/stock/slips/${slip.id}/print`, {}))).toBe('Ticket Castres');
    // The manager tied to Rodez: Rodez's printer, and Castres' is not theirs to name (nothing queued there).
    const manager = await rodezManager();
    expect(await printedOn(await manager.post(`/api/stock/slips/${slip.id}/print`, {}))).toBe('Ticket Rodez');
    const jobsBefore = (await shop.admin.get(`/api/print-jobs?printerId=${castres.body.id}`)).body.length;
    const elsewhere = await manager.post(`/api/stock/slips/${slip.id}/print`, { printerId: castres.body.id });
    expect(elsewhere.status).toBe(404);
    expect((await shop.admin.get(`/api/print-jobs?printerId=${castres.body.id}`)).body.length).toBe(jobsBefore);
    // Rodez's X of the day goes to Rodez's printer too.
    const x = await manager.post('/api/closings/x/print', { outlet: 'shop' });
    expect(x.status).toBe(201);
    const xJob = (await shop.admin.get('/api/print-jobs?limit=500')).body.find((j: any) => j.id === x.body.jobId);
    expect(xJob.printer).toBe('Ticket Rodez');
    // Castres' Z is not theirs, on paper either (an attack printed any site's Z, whole, on Rodez's printer): 404
    // as its page is, and nothing queued.
    const z = await shop.admin.post('/api/closings/day', { outlet: 'shop', day: today(), cashCountedCents: 0, confirmEarly: true });
    expect([z.status, z.body.error]).toEqual([201, undefined]);
    expect((await manager.get(`/api/closings/${z.body.id}`)).status).toBe(404);
    const jobs = (await shop.admin.get('/api/print-jobs?limit=500')).body.length;
    const zPrinted = await manager.post(`/api/closings/${z.body.id}/print`, {});
    expect([zPrinted.status, zPrinted.body.error?.message]).toEqual([404, 'Clôture introuvable.']);
    expect((await shop.admin.get('/api/print-jobs?limit=500')).body.length).toBe(jobs);
    // The network's admin prints it.
    expect((await shop.admin.post(`/api/closings/${z.body.id}/print`, {})).status).toBe(201);
  });

  it('prices a dish at a Rodez table at Rodez’s own price; no room at a ressourcerie, no one-off object on an order', async () => {
    const admin = shop.admin;
    // Tripoux: 13,50 € on the network, 19,90 € at Rodez (found by an independent check: a Rodez table was billed
    // 13,50 €, and the waiter could not charge the site's price, refused as « prix commandé 1350 »).
    const dish = await aProduct(admin, { name: 'Tripoux', producerId: null, outlets: ['restaurant'], priceCents: 1350, vatRateBp: 1000 });
    expect((await admin.put(`/api/sites/${rodez.id}/prices/${dish.id}`, { priceCents: 1990 })).status).toBe(200);
    clock += 5 * 60_000;
    const till = (await asSite(admin, rodez.id, 'POST', '/api/tills', { outlet: 'restaurant', name: 'Salle Rodez' })).body.id as number;
    const waiter = (await aUser(shop, 'waiter', { tillId: till })).client;
    const room = (await asSite(admin, rodez.id, 'POST', '/api/rooms', { name: 'Salle Rodez' })).body.id as number;
    const table = (await asSite(admin, rodez.id, 'POST', `/api/rooms/${room}/tables`, { name: 'R1', seats: 4 })).body.id as number;
    const order = uuidv7();
    const op = (body: object) => waiter.post(`/api/orders/${order}/ops`, { id: uuidv7(), at: new Date(clock).toISOString(), ...body });
    expect((await op({ kind: 'open', tableId: table, covers: 2 })).status).toBe(201);
    expect((await op({ kind: 'add', lineId: uuidv7(), productId: dish.id, quantity: 2 })).status).toBe(201);
    // 2 × 19,90 € = 39,80 €.
    expect((await waiter.get(`/api/orders/${order}`)).body).toMatchObject({ totalCents: 3980, lines: [{ unitPriceCents: 1990 }] });
    const paid = await waiter.post('/api/sales', {
      id: uuidv7(),
      tillId: till,
      number: 1,
      createdAt: new Date(clock).toISOString(),
      lines: [{ productId: dish.id, quantity: 2, unitPriceCents: 1990 }],
      payments: [{ method: 'card', amountCents: 3980 }],
      totalCents: 3980,
      order: { id: order, lines: [{ lineId: (await waiter.get(`/api/orders/${order}`)).body.lines[0].id, quantity: 2 }] },
    });
    expect([paid.status, paid.body.error]).toEqual([201, undefined]);

    // A room is a restaurant's: at Castres' ressourcerie it is refused, naming the outlet.
    const cafe = await admin.post('/api/rooms', { outlet: 'ressourcerie', name: 'Coin café' });
    expect([cafe.status, cafe.body.error?.fields]).toEqual([422, [{ field: 'outlet', reason: 'pas un restaurant' }]]);
    // A one-off object (a teapot given to Castres' ressourcerie) never goes on an order: sold six times through
    // tables paid in shares, it stayed on sale.
    const given = await admin.post('/api/ressourcerie/intakes', {
      lines: [{ stream: 'tableware', grams: 900 }],
      items: [{ name: 'Théière', stream: 'tableware', grams: 900, priceCents: 1200 }],
    });
    expect(given.status, JSON.stringify(given.body)).toBe(201);
    const teapot = given.body.items[0].productId as number;
    const next = uuidv7();
    const op2 = (body: object) => waiter.post(`/api/orders/${next}/ops`, { id: uuidv7(), at: new Date(clock).toISOString(), ...body });
    expect((await op2({ kind: 'open', tableId: table, covers: 1 })).status).toBe(201);
    const added = await op2({ kind: 'add', lineId: uuidv7(), productId: teapot, quantity: 5 });
    expect([added.status, added.body.error?.fields]).toEqual([422, [{ field: 'productId', reason: 'objet unique de la ressourcerie' }]]);
  });
});
