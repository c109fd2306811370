import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrinterStateEvent } from '../shared/realtime.ts';
import { decodeEscPos } from './support/escpos-decoder.ts';
import { FakeNetworkPrinter } from './support/fake-printer.ts';
import { TcpDriver } from '../server/printing/drivers.ts';
import { aProducer, aProduct, aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';
import { until } from './support/wait.ts';

const flat = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('receipts on a file printer', () => {
  let shop: TestShop;
  let till: Client;
  let pain: { id: number };
  let number = 0;
  const dir = () => path.join(shop.dataDir, 'prints');
  const files = () =>
    fs.existsSync(dir())
      ? fs
          .readdirSync(dir())
          .filter((f) => f.endsWith('.bin'))
          .sort()
      : [];

  beforeAll(async () => {
    shop = await startTestShop();
    const ferme = await aProducer(shop.admin, { name: 'Ferme du Sidobre' });
    pain = await aProduct(shop.admin, { name: 'Pain de campagne', producerId: ferme.id, priceCents: 520 });
    const printer = await shop.admin.post('/api/printers', {
      name: 'Caisse 1',
      role: 'receipt',
      uri: 'file:prints',
      columns: 48,
      codePage: 'pc858',
      drawer: true,
    });
    expect(printer.status).toBe(201);
    expect((await shop.admin.patch('/api/tills/1', { printerId: printer.body.id })).status).toBe(200);
    till = (await aUser(shop, 'cashier')).client;
  });
  afterAll(() => shop.close());

  let lastSale: { hash: string } | null = null;
  const sell = (payments: { method: string; amountCents: number }[]) =>
    till
      .post('/api/sales', {
        id: uuidv7(),
        tillId: 1,
        number: ++number,
        createdAt: new Date().toISOString(),
        lines: [{ productId: pain.id, quantity: 2, unitPriceCents: 520 }],
        payments,
        totalCents: 1040,
      })
      .then((res) => ((lastSale = res.body), res));

  // Found by a security probe: a printer at 127.0.0.1 or 169.254.169.254 made the server a port scanner of
  // itself and the cloud's metadata service, and `file:` with an absolute path or `..` wrote anywhere.
  it('refuses printer addresses that are no shop printer: this machine, link-local, a folder outside DATA_DIR', async () => {
    const add = (uri: string) => shop.admin.post('/api/printers', { name: 'Essai', role: 'receipt', uri });
    for (const uri of [
      'tcp://127.0.0.1:9100',
      'tcp://localhost:5432',
      'tcp://169.254.169.254:80',
      'tcp://[::1]:9100',
      'file:/tmp/x',
      'file:../../x',
      'file:prints/../../x',
      // DATA_DIR's own folders: job files beside the signing keys, the witness, the backups (an attack).
      'file:keys',
      'file:Witness/x',
      'file:tls',
      'file:backups/a',
      'file:archives',
    ]) {
      const res = await add(uri);
      expect(res.status, uri).toBe(400);
      expect(res.body.error.fields[0].field, uri).toBe('uri');
    }
    // Nor this machine's own address on the shop's network (an attack reached its other services through it).
    const own = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (own) {
      const res = await add(`tcp://${own.address}:9100`);
      expect(res.status, own.address).toBe(400);
      expect(res.body.error.fields[0].field).toBe('uri');
    }
    const printer = (await shop.admin.get('/api/printers')).body[0] as { id: number };
    expect((await shop.admin.patch(`/api/printers/${printer.id}`, { uri: 'tcp://127.0.0.2:9100' })).status).toBe(400);
    // A printer of the shop's network, and a folder under DATA_DIR, are taken.
    const lan = await add('tcp://192.168.1.50:9100');
    expect(lan.status).toBe(201);
    expect((await shop.admin.patch(`/api/printers/${lan.body.id}`, { active: false })).status).toBe(200);
    expect((await add('file:prints/essai')).status).toBe(201);
  });

  it('does not connect to this machine through a name either (the name is looked up, then checked)', async () => {
    let connected = false;
    const server = net.createServer(() => (connected = true));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const driver = new TcpDriver(`tcp://localhost:${port}`, 'localhost', port, { connectMs: 1000, writeMs: 1000 });
    await expect(driver.print(new Uint8Array([0x1b, 0x40]))).rejects.toThrow(/n’est pas une imprimante du réseau/);
    server.close();
    expect(connected).toBe(false);
  });

  it('opens the drawer on a cash sale, prints the receipt once when asked, and a numbered DUPLICATA on reprint', async () => {
    const sale = (await sell([{ method: 'cash', amountCents: 2000 }])).body;
    const drawer = await until('the drawer job', () => files().find((f) => f.endsWith('-drawer.bin')));
    expect(decodeEscPos(fs.readFileSync(path.join(dir(), drawer))).commands).toEqual([{ op: 'drawer', pin: 2, onMs: 50, offMs: 500 }]);

    expect((await till.post(`/api/sales/${sale.id}/receipt`)).status).toBe(201);
    // The till's outbox may send the request twice: one receipt.
    expect((await till.post(`/api/sales/${sale.id}/receipt`)).status).toBe(201);
    const receipt = await until('the receipt', () => files().find((f) => f.endsWith('-receipt.bin')));
    const decoded = decodeEscPos(fs.readFileSync(path.join(dir(), receipt)));
    const text = flat(decoded.text);
    expect(text).toContain('Ticket n° 1');
    expect(text).toContain('Pain de campagne');
    expect(text).toContain('Ferme du Sidobre');
    // 2 × 5,20 = 10,40 ; 20,00 in cash: 9,60 back.
    expect(text).toMatch(/Espèces +20,00 €/);
    expect(text).toMatch(/Rendu +9,60 €/);
    expect(text).not.toContain('DUPLICATA');
    expect(decoded.commands).toContainEqual({ op: 'qr', data: `${shop.url}/r/${sale.receiptToken}`, moduleSize: 6 });

    const reprint = await till.post(`/api/sales/${sale.id}/print`);
    expect(reprint.body.copy).toBe(1);
    const dup = await until('the duplicate', () => files().find((f) => f.endsWith('-duplicate.bin')));
    expect(flat(decodeEscPos(fs.readFileSync(path.join(dir(), dup))).text)).toContain('copie n° 1');
    await new Promise((r) => setTimeout(r, 200));
    expect(files().filter((f) => f.endsWith('-receipt.bin'))).toHaveLength(1);

    // A card sale opens no drawer.
    const before = files().filter((f) => f.endsWith('-drawer.bin')).length;
    await sell([{ method: 'card', amountCents: 1040 }]);
    await new Promise((r) => setTimeout(r, 200));
    expect(files().filter((f) => f.endsWith('-drawer.bin')).length).toBe(before);
    const jobs = (await shop.admin.get('/api/print-jobs')).body as any[];
    expect(jobs.every((j) => j.status === 'done')).toBe(true);
  });

  it('prints the X report, the day’s Z with the cash count, and a deposit slip to sign', async () => {
    const read = async (suffix: string) =>
      flat(decodeEscPos(fs.readFileSync(path.join(dir(), await until(suffix, () => files().find((f) => f.endsWith(suffix)))))).text);
    expect((await shop.admin.post('/api/closings/x/print', { outlet: 'shop' })).status).toBe(201);
    const x = await read('-x.bin');
    // Two sales of 10,40 €: 20,80 €; cash 20,00 taken, 9,60 given back: 10,40 € expected in the drawer.
    expect(x).toContain('Lecture (non clôturée)');
    expect(x).toMatch(/Tickets de vente +2/);
    expect(x).toMatch(/TOTAL TTC +20,80 €/);
    expect(x).toMatch(/Espèces attendues +10,40 €/);

    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
    const closing = await shop.admin.post('/api/closings/day', { outlet: 'shop', day, cashCountedCents: 1000, confirmEarly: true });
    expect(closing.status).toBe(201);
    expect((await shop.admin.post(`/api/closings/${closing.body.id}/print`, {})).status).toBe(201);
    const z = await read('-z.bin');
    expect(z).toContain('Clôture de journée');
    // The day as the French read it, not « 2026-12-07 » (found by a walk).
    expect(z).toContain(`Boutique - ${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}\n`);
    expect(z).not.toContain(day);
    expect(z).toMatch(/Espèces comptées +10,00 €/);
    expect(z).toMatch(/Écart +-0,40 €/);
    expect(z).toMatch(/Grand total perpétuel +20,80 €/);
    // The shop's only sales, both on till 1: every perpetual total is 20,80 €.
    expect(z).toMatch(/Caisse 1 +20,80 €/);
    expect(z).toMatch(/Établissement +20,80 €/);
    // Both sales were of the farm's bread: nothing of the shop's own, 20,80 € sold for the producers.
    expect(z).toMatch(/Ventes de la boutique +0,00 €/);
    expect(z).toMatch(/Pour compte des producteurs +20,80 €/);
    // The chains the Z anchors: till 1 (named « Caisse 1 » by the harness's demo setup) ends at its 2nd
    // ticket, whose hash starts the line under it; then the Z's own hash, 46 characters a line on 48 columns.
    expect(z).toContain('Chaînage');
    const zHash: string = closing.body.hash;
    expect(z).toMatch(/\S.* +n° 2\n/);
    expect(z).toContain(`  ${lastSale!.hash.slice(0, 24)}`);
    expect(z).toMatch(/Journal des événements +n° \d+/);
    expect(z).toContain(`Empreinte du Z\n  ${zHash.slice(0, 46)}\n  ${zHash.slice(46)}`);
    expect(z).toMatch(/Signé avec la clé\ned25519:[0-9a-f]{4}( [0-9a-f]{4}){7}$/);

    const ferme = (await shop.admin.get('/api/producers')).body;
    const producerId = (Array.isArray(ferme) ? ferme : (ferme.items ?? ferme.producers))[0].id;
    const slip = await shop.admin.post('/api/stock/deposits', { producerId, lines: [{ productId: pain.id, quantity: 12 }] });
    expect(slip.status).toBe(201);
    expect((await shop.admin.post(`/api/stock/slips/${slip.body.id ?? slip.body.slip?.id}/print`, {})).status).toBe(201);
    const paper = await read('-slip.bin');
    expect(paper).toMatch(/BON DE DÉPÔT n° \d+/);
    expect(paper).toContain('Producteur : Ferme du Sidobre');
    expect(paper).toMatch(/Pain de campagne +× 12/);
    expect(paper).toContain('Signature du producteur');
  });
});

describe('a network printer that is off, then jammed, then back', () => {
  let shop: TestShop;
  let till: Client;
  let pain: { id: number };
  let printer: FakeNetworkPrinter;
  let socket: Socket;
  const states: PrinterStateEvent[] = [];
  let number = 0;

  beforeAll(async () => {
    // 2 s to answer: a printer that took a job whole and answers late is never sent it again, so a busy test
    // machine must not make a working printer look late.
    shop = await startTestShop({ env: { PRINT_RETRY_MS: '100', PRINT_TIMEOUT_MS: '2000', PRINTERS_LOCAL: 'on' } });
    pain = await aProduct(shop.admin, { name: 'Pain de campagne', priceCents: 520 });
    printer = await FakeNetworkPrinter.start('down');
    const created = await shop.admin.post('/api/printers', {
      name: 'Réseau',
      role: 'receipt',
      uri: `tcp://127.0.0.1:${printer.port}`,
      columns: 32,
      codePage: 'wpc1252',
    });
    expect(created.status).toBe(201);
    await shop.admin.patch('/api/tills/1', { printerId: created.body.id });
    till = (await aUser(shop, 'cashier')).client;
    // The till listens as it does in the shop: over socket.io, with its device and session cookies.
    socket = io(shop.url, { transports: ['websocket'], extraHeaders: { cookie: till.cookieHeader() } });
    socket.on('printer:state', (s) => states.push(s));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
  });
  afterAll(async () => {
    socket?.close();
    await printer?.close();
    await shop?.close();
  });

  const sellAndAskReceipt = async () => {
    const started = Date.now();
    const sale = await till.post('/api/sales', {
      id: uuidv7(),
      tillId: 1,
      number: ++number,
      createdAt: new Date().toISOString(),
      lines: [{ productId: pain.id, quantity: 1, unitPriceCents: 520 }],
      payments: [{ method: 'card', amountCents: 520 }],
      totalCents: 520,
    });
    expect(sale.status).toBe(201);
    expect((await till.post(`/api/sales/${sale.body.id}/receipt`)).status).toBe(201);
    return Date.now() - started;
  };

  it('goes on selling, tells the till each state, and prints every receipt exactly once in the end', async () => {
    // Off: connections refused.
    for (let i = 0; i < 3; i++) expect(await sellAndAskReceipt()).toBeLessThan(2000);
    const offline = await until('an offline state with waiting jobs', () => states.find((s) => s.state === 'offline' && s.waiting >= 1));
    expect(offline.lastError).toMatch(/ECONNREFUSED/);

    // Jammed: it accepts the connection and never answers.
    await printer.set('stall');
    const seen = printer.connections;
    await until('a try on the jammed printer', () => printer.connections > seen);
    await until('the jam reported', () => states.find((s) => s.state === 'offline' && /ne répond pas/.test(s.lastError ?? '')));
    for (let i = 0; i < 2; i++) expect(await sellAndAskReceipt()).toBeLessThan(2000);
    expect(printer.jobs).toHaveLength(0);

    // Back: everything comes out, in order, once.
    await printer.set('working');
    await until('the queue emptied', () => states.find((s) => s.state === 'ready' && s.waiting === 0), 20_000);
    const numbers = printer.jobs.map((j) => Number(/Ticket n° (\d+)/.exec(decodeEscPos(j.bytes).text)?.[1]));
    expect(numbers).toEqual([1, 2, 3, 4, 5]);
    const jobs = (await shop.admin.get('/api/print-jobs')).body as any[];
    expect(jobs.map((j) => j.status)).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(jobs.every((j) => j.attempts >= 1)).toBe(true);
  });
});

describe('a drawer movement at the till', () => {
  let shop: TestShop;
  let till: Client;
  const dir = () => path.join(shop.dataDir, 'prints');
  const files = () =>
    fs.existsSync(dir())
      ? fs
          .readdirSync(dir())
          .filter((f) => f.endsWith('.bin'))
          .sort()
      : [];

  beforeAll(async () => {
    shop = await startTestShop();
    const printer = await shop.admin.post('/api/printers', {
      name: 'Caisse 1',
      role: 'receipt',
      uri: 'file:prints',
      columns: 48,
      codePage: 'pc858',
      drawer: true,
    });
    expect((await shop.admin.patch('/api/tills/1', { printerId: printer.body.id })).status).toBe(200);
    till = (await aUser(shop, 'cashier')).client;
  });
  afterAll(() => shop.close());

  // Found by a walk: a float count and a cash out opened no drawer and printed nothing (the cashier counted a
  // shut drawer, and the receipt box got no slip for 12,50 € taken out).
  it('opens the drawer and prints a slip for a float count and a cash out; a replay prints nothing, a late one opens nothing', async () => {
    const drawers = () => files().filter((f) => f.endsWith('-drawer.bin')).length;
    const slips = () => files().filter((f) => f.endsWith('-cash.bin'));
    const before = { drawers: drawers(), slips: slips().length };
    // 2 × 50,00 + 3 × 10,00 + 4 × 0,50 = 132,00 €.
    const float = { id: uuidv7(), kind: 'float', reason: 'float', amountCents: 13200, denominations: { '5000': 2, '1000': 3, '50': 4 } };
    expect((await till.post('/api/drawer/movements', float)).status).toBe(201);
    await until('the float slip', () => slips().length === before.slips + 1);
    expect(drawers()).toBe(before.drawers + 1);
    const floatText = flat(decodeEscPos(fs.readFileSync(path.join(dir(), slips().at(-1)!))).text);
    expect(floatText).toContain('FOND DE CAISSE');
    expect(floatText).toMatch(/2 × 50,00 € +100,00 €/);
    expect(floatText).toMatch(/4 × 0,50 € +2,00 €/);
    expect(floatText).toMatch(/MONTANT +132,00 €/);

    const out = { id: uuidv7(), kind: 'out', reason: 'petty_purchase', amountCents: 1250, note: 'Ampoules' };
    expect((await till.post('/api/drawer/movements', out)).status).toBe(201);
    await until('the cash-out slip', () => slips().length === before.slips + 2);
    expect(drawers()).toBe(before.drawers + 2);
    const outSlip = decodeEscPos(fs.readFileSync(path.join(dir(), slips().at(-1)!)));
    const outText = flat(outSlip.text);
    expect(outText).toContain("SORTIE D'ESPÈCES");
    expect(outText).toContain('Motif : Petite dépense');
    expect(outText).toContain('Note : Ampoules');
    expect(outText).toMatch(/MONTANT +12,50 €/);
    expect(outText).toContain(`Réf. ${out.id}`);
    expect(outText).toContain('Signature de qui reçoit');
    expect(outSlip.commands.some((c) => c.op === 'drawer')).toBe(false); // the pulse is its own job, dropped when late

    // The outbox sends it again: recorded once, printed once.
    expect((await till.post('/api/drawer/movements', out)).status).toBe(200);
    // Cash put in offline, sent 40 s later: its slip prints, the drawer stays shut (nobody stands at it now).
    const late = {
      id: uuidv7(),
      kind: 'in',
      reason: 'change_supply',
      amountCents: 2000,
      createdAt: new Date(Date.now() - 40_000).toISOString(),
    };
    expect((await till.post('/api/drawer/movements', late)).status).toBe(201);
    await until('the cash-in slip', () => slips().length === before.slips + 3);
    await new Promise((r) => setTimeout(r, 200));
    expect(slips()).toHaveLength(before.slips + 3);
    expect(drawers()).toBe(before.drawers + 2);
    expect(flat(decodeEscPos(fs.readFileSync(path.join(dir(), slips().at(-1)!))).text)).toMatch(
      /ENTRÉE D'ESPÈCES[\s\S]*Motif : Apport de monnaie/,
    );
  });
});
