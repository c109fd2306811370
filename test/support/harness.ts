import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPostgresDatabase, postgresAdmin } from '../../db/engine.ts';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/log.ts';
import { startServer, type RunningServer } from '../../server/server.ts';
import { createAdmin, createRealShop } from '../../server/shop/setup.ts';
import { isValidSiret } from '../../shared/api/common.ts';

export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
  /** The body's bytes, for PDFs, CSV with a BOM and other files. */
  raw: Buffer;
}

/** A browser-like HTTP client: keeps its cookies, talks to the real server. */
export class Client {
  private cookies = new Map<string, string>();
  constructor(public baseUrl: string) {}

  async request<T = any>(
    method: string,
    url: string,
    body?: unknown,
    options: { contentType?: string; raw?: string | Buffer; headers?: Record<string, string> } = {},
  ): Promise<HttpResult<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let payload: string | Buffer | undefined;
    if (options.raw !== undefined) {
      payload = options.raw;
      headers['content-type'] = options.contentType ?? 'application/json';
    } else if (body !== undefined) {
      payload = typeof body === 'string' && options.contentType ? body : JSON.stringify(body);
      headers['content-type'] = options.contentType ?? 'application/json';
    }
    const res = await fetch(this.baseUrl + url, {
      method: method.toUpperCase(),
      headers,
      body: payload === undefined ? null : typeof payload === 'string' ? payload : new Uint8Array(payload),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const raw = Buffer.from(await res.arrayBuffer());
    const text = raw.toString('utf8');
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, body: parsed as T, headers: res.headers, raw };
  }
  get = <T = any>(url: string) => this.request<T>('GET', url);
  post = <T = any>(url: string, body?: unknown) => this.request<T>('POST', url, body ?? {});
  patch = <T = any>(url: string, body: unknown) => this.request<T>('PATCH', url, body);
  put = <T = any>(url: string, body: unknown) => this.request<T>('PUT', url, body);
  delete = <T = any>(url: string) => this.request<T>('DELETE', url);
  hasCookie = (name: string) => this.cookies.has(name);
  cookieHeader = () => [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  dropCookie = (name: string) => this.cookies.delete(name);
  /** A cookie the page set itself (document.cookie), as the browser would send it. */
  setCookie = (name: string, value: string) => this.cookies.set(name, value);
}

export const ADMIN = { login: 'admin', password: 'admin-password-1' };

export const shopIdentity = {
  name: 'Les Halles de la Durenque',
  legalName: 'Les Halles de la Durenque',
  legalForm: 'SCIC SAS',
  shareCapitalCents: 1_200_000,
  address: '12 rue de l’Usine',
  postalCode: '81100',
  city: 'Castres',
  siret: '73282932000074',
  vatNumber: 'FR44732829320',
  phone: '05 63 00 00 00',
  email: 'contact@example.fr',
  receiptFooter: 'Merci et à bientôt !',
};

export interface TestShop {
  server: RunningServer;
  dataDir: string;
  url: string;
  admin: Client;
  client(): Client;
  /** Stops the server (the power cut, the crashed process): the data stays. */
  stop(): Promise<void>;
  /** Starts it again on the same file and the same port (same origin for a browser). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The engine the tests run on: SQLite by default; PostgreSQL when `COMPTOIR_TEST_ENGINE=postgres`, on the server
 * `TEST_DATABASE_URL` names (a role allowed to create databases): each test shop gets a database of its own,
 * dropped when the shop closes.
 */
export const testEngine: 'sqlite' | 'postgres' = process.env.COMPTOIR_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

/** The databases this test process made, by data folder (child servers started on the folder find theirs). */
const pgDatabases = new Map<string, string>();
let pgCounter = 0;

function testAdminUrl(): string {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error('COMPTOIR_TEST_ENGINE=postgres needs TEST_DATABASE_URL (postgres://role:password@host/postgres)');
  return admin;
}

const adminQuery = (text: string) => postgresAdmin(testAdminUrl(), text);

/** A fresh PostgreSQL database for one test shop: its address. */
export async function aTestDatabase(dataDir: string): Promise<string> {
  const name = `comptoir_t${process.pid}_${++pgCounter}_${Date.now().toString(36)}`;
  const url = await createPostgresDatabase(testAdminUrl(), name);
  pgDatabases.set(dataDir, url);
  return url;
}

export async function dropTestDatabase(dataDir: string): Promise<void> {
  const url = pgDatabases.get(dataDir);
  if (!url) return;
  pgDatabases.delete(dataDir);
  await dropTestDatabaseAt(url);
}

export async function dropTestDatabaseAt(url: string): Promise<void> {
  await adminQuery(`drop database if exists ${new URL(url).pathname.slice(1)} with (force)`);
}

/** A copy of a test database nobody is connected to (its server stopped): its address. */
export async function cloneTestDatabase(url: string, suffix: string): Promise<string> {
  const copy = new URL(url);
  copy.pathname = `${copy.pathname}_${suffix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`.slice(0, 63);
  await adminQuery(`create database ${copy.pathname.slice(1)} template ${new URL(url).pathname.slice(1)}`);
  return copy.toString();
}

/** The environment a server needs to open the shop in `dataDir`: its folder, and its database on PostgreSQL. */
export function shopEnv(dataDir: string): Record<string, string> {
  const url = pgDatabases.get(dataDir);
  return { DATA_DIR: dataDir, ...(url ? { DATABASE_URL: url } : {}) };
}

/** Where a test shop's data is: its SQLite file, or a new PostgreSQL database. */
async function shopTarget(dataDir: string): Promise<string> {
  return testEngine === 'postgres' ? aTestDatabase(dataDir) : path.join(dataDir, 'comptoir.sqlite');
}

/** A folder holding a real, empty shop with its admin, for a server started in its own process. */
export async function aShopDataDir(prefix: string): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const { openStore } = await import('../../db/database.ts');
  const setup = await openStore(await shopTarget(dataDir));
  await createRealShop(setup.db, shopIdentity, new Date());
  await createAdmin(setup.db, ADMIN, new Date());
  await setup.close();
  return dataDir;
}

/** A real, empty shop on a fresh SQLite file in a temp folder, served on an ephemeral port. */
export async function startTestShop(
  options: { now?: () => Date; serveClient?: boolean; env?: Record<string, string> } = {},
): Promise<TestShop> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-test-'));
  const target = await shopTarget(dataDir);
  const config = loadConfig({
    ...shopEnv(dataDir),
    PORT: '0',
    HOST: '127.0.0.1',
    BACKUP_HOUR: 'off',
    LOG_LEVEL: 'silent',
    MDNS: 'off',
    CHECK_RESPONSES: 'on',
    // Test files fire hundreds of logins and bad bodies from one address on purpose; the per-address
    // limit is tested on its own (test/rate-limit.test.ts turns it on) and is on by default everywhere else.
    RATE_LIMIT: 'off',
    ...options.env,
  });
  // Create the shop before the server opens the file, the way `npm run cli -- init` does.
  const { openStore } = await import('../../db/database.ts');
  const setup = await openStore(target);
  await createRealShop(setup.db, shopIdentity, new Date());
  await createAdmin(setup.db, { ...ADMIN, displayName: 'Admin' }, new Date());
  await setup.close();
  const start = (port: number) =>
    startServer({
      config: { ...config, PORT: port },
      logger: createLogger((process.env.TEST_LOG_LEVEL as 'error' | undefined) ?? 'silent'),
      serveClient: options.serveClient ?? false,
      ...(options.now ? { now: options.now } : {}),
    });
  const server = await start(0);
  const admin = new Client(server.url);
  const login = await admin.post('/api/auth/login', ADMIN);
  if (login.status !== 200) throw new Error(`admin login failed: ${login.status} ${JSON.stringify(login.body)}`);
  let running = true;
  const shop: TestShop = {
    server,
    dataDir,
    url: server.url,
    admin,
    client: () => new Client(shop.server.url),
    stop: async () => {
      if (running) await shop.server.close();
      running = false;
    },
    restart: async () => {
      if (running) await shop.server.close();
      shop.server = await start(shop.server.port);
      running = true;
    },
    close: async () => {
      if (running) await shop.server.close();
      running = false;
      await dropTestDatabase(dataDir);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return shop;
}

/**
 * Lets meal vouchers through on Sundays and public holidays: for tests whose tickets are dated today and pay
 * with vouchers, so they mean the same on any day (the rule itself: test/payment-rules.test.ts).
 */
export async function allowMealVouchersEveryDay(admin: Client): Promise<void> {
  const options = (await admin.get('/api/settings')).body.till;
  const res = await admin.put('/api/settings/till', { ...options, mealVoucherOnSundays: true });
  if (res.status !== 200) throw new Error(`till options: ${res.status} ${JSON.stringify(res.body)}`);
}

/**
 * For tests that ring months of consignment history day after day without a Z each evening (statements,
 * recipes): the shop lets days stay open. The rule itself (on by default) is tested in `missed-z.test.ts`.
 */
export async function allowDaysWithoutZ(admin: Client): Promise<void> {
  const options = (await admin.get('/api/settings')).body.till;
  const res = await admin.put('/api/settings/till', { ...options, missedZBlocks: false });
  if (res.status !== 200) throw new Error(`till options: ${res.status} ${JSON.stringify(res.body)}`);
}

let siretCounter = 0;
/** A fake SIRET that passes the Luhn check: 13 digits, then the one check digit that fits. */
export function aSiret(): string {
  const body = `8${String(++siretCounter + process.pid * 1000).padStart(12, '0')}`.slice(0, 13);
  for (let d = 0; d <= 9; d++) if (isValidSiret(body + d)) return body + d;
  throw new Error('unreachable');
}

let seq = 0;
export async function aProducer(admin: Client, overrides: Record<string, unknown> = {}) {
  const n = ++seq;
  const res = await admin.post('/api/producers', {
    name: `Producteur ${n}`,
    legalName: `EARL Producteur ${n}`,
    siret: aSiret(),
    vatStatus: 'subject',
    commissionBp: 2000,
    ...overrides,
  });
  if (res.status !== 201) throw new Error(`aProducer: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: number; slug: string; name: string };
}

export async function aCategory(admin: Client, overrides: Record<string, unknown> = {}) {
  const res = await admin.post('/api/categories', { name: `Rayon ${++seq}`, ...overrides });
  if (res.status !== 201) throw new Error(`aCategory: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: number; slug: string; name: string };
}

export async function aProduct(admin: Client, overrides: Record<string, unknown> = {}) {
  const res = await admin.post('/api/products', {
    name: `Article ${++seq}`,
    producerId: null,
    unit: 'piece',
    priceCents: 350,
    vatRateBp: 550,
    ...overrides,
  });
  if (res.status !== 201) throw new Error(`aProduct: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: number; name: string; onHand: number | null; priceCents: number; barcodes: string[] };
}

/** A user with a role; producers get their own producer. Returns a logged-in client (PIN users on a paired till). */
export async function aUser(
  shop: TestShop,
  role: 'admin' | 'manager' | 'cashier' | 'waiter' | 'producer',
  extra: { producerId?: number; pin?: string; tillId?: number; siteId?: number } = {},
) {
  const n = ++seq;
  const login = `${role}${n}`;
  const password = `password-${n}-long`;
  if (role === 'cashier' || role === 'waiter') {
    const pin = extra.pin ?? String(1000 + ((n * 7919) % 9000));
    const created = await shop.admin.post('/api/users', { displayName: `${role} ${n}`, role, pin });
    if (created.status !== 201) throw new Error(`aUser: ${created.status} ${JSON.stringify(created.body)}`);
    const tillId = extra.tillId ?? 1;
    const client = await aPairedTill(shop, tillId);
    const res = await client.post('/api/auth/pin', { tillId, pin, userId: created.body.id });
    if (res.status !== 200) throw new Error(`pin login: ${res.status} ${JSON.stringify(res.body)}`);
    return { client, id: created.body.id as number, pin };
  }
  const producerId = role === 'producer' ? (extra.producerId ?? (await aProducer(shop.admin)).id) : undefined;
  const created = await shop.admin.post('/api/users', {
    login,
    displayName: `${role} ${n}`,
    role,
    password,
    ...(producerId ? { producerId } : {}),
    ...(extra.siteId ? { siteId: extra.siteId } : {}),
  });
  if (created.status !== 201) throw new Error(`aUser: ${created.status} ${JSON.stringify(created.body)}`);
  const client = shop.client();
  const res = await client.post('/api/auth/login', { login, password });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${JSON.stringify(res.body)}`);
  return { client, id: created.body.id as number, producerId: producerId ?? null, login, password };
}

/** A browser paired with a till through a pairing code issued by the admin. */
export async function aPairedTill(shop: TestShop, tillId: number): Promise<Client> {
  const code = await shop.admin.post(`/api/tills/${tillId}/pairing-code`);
  if (code.status !== 201) throw new Error(`pairing code: ${code.status} ${JSON.stringify(code.body)}`);
  const client = shop.client();
  const paired = await client.post('/api/devices/pair', { code: code.body.code });
  if (paired.status !== 201) throw new Error(`pair: ${paired.status} ${JSON.stringify(paired.body)}`);
  return client;
}
