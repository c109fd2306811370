import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, aPairedTill, startTestShop, type Client, type TestShop } from './support/harness.ts';

// Issue 18 item 6 and issue 19 items 1 and 3: wrong PINs lock the person tried, not the tablet; the tablet is
// slowed from 10 failures and locked at 20; every attempt is counted before its hash is checked, so guesses
// sent at once never get more than the limit checked; a manager unlocks from the till or the back office.
// The shop's clock is ours, so locks and slow-downs are crossed without waiting.
let shop: TestShop;
let clock = Date.parse('2026-12-04T09:00:00Z');
const advance = (ms: number) => (clock += ms);
let staffSeq = 0;

beforeAll(async () => {
  shop = await startTestShop({ now: () => new Date(clock) });
  await shop.admin.post('/api/users', {
    displayName: 'Gérant',
    role: 'manager',
    login: 'gerant',
    password: 'gerant-password-1',
    pin: '9999',
  });
});
afterAll(() => shop?.close());

/** A cashier with a PIN no one else has (PINs are unique in a shop). */
async function aCashier(name: string) {
  const pin = String(3000 + ++staffSeq * 37);
  const res = await shop.admin.post('/api/users', { displayName: name, role: 'cashier', pin });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return { id: res.body.id as number, pin, name };
}

const pinLogin = (tablet: Client, userId: number | undefined, pin: string) =>
  tablet.post('/api/auth/pin', { tillId: 1, pin, ...(userId !== undefined ? { userId } : {}) });

async function events(kind: string) {
  return (await shop.admin.get(`/api/events?kind=${kind}&limit=500`)).body as {
    kind: string;
    userId: number | null;
    subject: string;
    data: any;
  }[];
}

describe('a person locked out, the shop still selling', () => {
  let lea: Awaited<ReturnType<typeof aCashier>>;
  let mathieu: Awaited<ReturnType<typeof aCashier>>;
  let tablet: Client;

  beforeAll(async () => {
    lea = await aCashier('Léa');
    mathieu = await aCashier('Mathieu');
    tablet = await aPairedTill(shop, 1);
  });

  it('locks Léa after 5 wrong PINs, and lets Mathieu in right after on the same tablet', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await pinLogin(tablet, lea.id, '0000')).status);
    // 4 wrong answers, then the 5th locks her (PIN_LIMIT = 5) and says so.
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const right = await pinLogin(tablet, lea.id, lea.pin);
    expect(right.status).toBe(429);
    expect(right.body.error.message).toMatch(/^Accès de Léa bloqué jusqu’à 10:05/); // 09:00 UTC + 5 min = 10:05 in Paris (UTC+1 in December)
    expect(Number(right.headers.get('retry-after'))).toBe(300);
    expect((await pinLogin(tablet, mathieu.id, mathieu.pin)).status).toBe(200);
    const current = (await tablet.get('/api/devices/current')).body;
    expect(current.pinLockedUntil).toBeNull();
    expect(current.staff.find((s: any) => s.id === lea.id).lockedUntil).toBe('2026-12-04T09:05:00.000Z');
    expect(current.staff.find((s: any) => s.id === mathieu.id).lockedUntil).toBeNull();
    const locked = (await events('auth.person_locked')).filter((e) => e.userId === lea.id);
    expect(locked).toHaveLength(1);
    expect(locked[0]!.subject).toBe(`user:${lea.id}`);
  });

  it('keeps the lock across a restart', async () => {
    await shop.restart();
    expect((await pinLogin(tablet, lea.id, lea.pin)).status).toBe(429);
    // A PIN typed without naming her does not open a locked person either, and answers as a wrong one.
    expect((await pinLogin(tablet, undefined, lea.pin)).status).toBe(401);
    expect((await events('auth.locked_pin_refused')).map((e) => e.userId)).toContain(lea.id);
  });

  it('is unlocked by a manager’s PIN on the till, not by a wrong one, and she logs in', async () => {
    const wrong = await tablet.post('/api/auth/unlock', { userId: lea.id, pin: '1111' });
    expect(wrong.status).toBe(401);
    const ok = await tablet.post('/api/auth/unlock', { userId: lea.id, pin: '9999' });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ user: { id: lea.id, displayName: 'Léa' }, unlockedBy: { id: expect.any(Number), displayName: 'Gérant' } });
    const unlocked = (await events('auth.person_unlocked')).filter((e) => e.subject === `user:${lea.id}`);
    expect(unlocked).toHaveLength(1);
    expect(unlocked[0]!.userId).toBe(ok.body.unlockedBy.id);
    expect(unlocked[0]!.data).toMatchObject({ via: 'till' });
    expect((await pinLogin(tablet, lea.id, lea.pin)).status).toBe(200);
    // Nothing left to unlock: said, not silently accepted.
    expect((await tablet.post('/api/auth/unlock', { userId: lea.id, pin: '9999' })).status).toBe(422);
  });

  it('lifts the lock when the time is up', async () => {
    const paul = await aCashier('Paul');
    for (let i = 0; i < 5; i++) await pinLogin(tablet, paul.id, '0000');
    expect((await pinLogin(tablet, paul.id, paul.pin)).status).toBe(429);
    advance(5 * 60_000 + 1000);
    expect((await pinLogin(tablet, paul.id, paul.pin)).status).toBe(200);
  });

  it('is unlocked from the back office staff list, with the time shown there', async () => {
    const nina = await aCashier('Nina');
    const other = await aPairedTill(shop, 1);
    for (let i = 0; i < 5; i++) await pinLogin(other, nina.id, '0000');
    const listed = (await shop.admin.get('/api/users')).body.find((u: any) => u.id === nina.id);
    expect(listed.lockedUntil).toBe(new Date(clock + 5 * 60_000).toISOString());
    expect((await shop.admin.post(`/api/users/${nina.id}/unlock`)).status).toBe(204);
    expect((await shop.admin.get('/api/users')).body.find((u: any) => u.id === nina.id).lockedUntil).toBeNull();
    const unlocked = (await events('auth.person_unlocked')).filter((e) => e.subject === `user:${nina.id}`);
    expect(unlocked[0]!.data).toMatchObject({ via: 'backoffice' });
    expect(unlocked[0]!.userId).not.toBeNull();
    expect((await pinLogin(other, nina.id, nina.pin)).status).toBe(200);
    expect((await shop.admin.post(`/api/users/${nina.id}/unlock`)).status).toBe(422);
  });
});

describe('the tablet slowed, then locked, well above a person’s limit', () => {
  it('slows the tablet from 10 failures and locks it at 20, other tablets unaffected', async () => {
    advance(60 * 60_000); // earlier failures forgotten
    const tablet = await aPairedTill(shop, 1);
    const people = [];
    for (let i = 0; i < 5; i++) people.push(await aCashier(`Guetteur ${i}`));
    // Two people's limits: 10 failures on this tablet, the 10th slows it for 1 s (2^0 s).
    for (const p of people.slice(0, 2)) for (let i = 0; i < 5; i++) await pinLogin(tablet, p.id, '0000');
    const slowed = await pinLogin(tablet, people[4]!.id, people[4]!.pin);
    expect(slowed.status).toBe(429);
    expect(Number(slowed.headers.get('retry-after'))).toBe(1);
    expect((await events('auth.device_slowed')).length).toBeGreaterThan(0);
    // Two more people, waiting out each delay (1, 2, 4 … 60 s): the 20th failure locks the tablet 5 min.
    for (const p of people.slice(2, 4))
      for (let i = 0; i < 5; i++) {
        advance(61_000);
        expect([401, 429]).toContain((await pinLogin(tablet, p.id, '0000')).status);
      }
    const locked = await pinLogin(tablet, people[4]!.id, people[4]!.pin);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBe(300);
    expect(locked.body.error.message).toMatch(/tablette : bloquée jusqu’à/);
    expect((await events('auth.device_locked')).length).toBe(1);
    // The shop goes on at another tablet.
    expect((await pinLogin(await aPairedTill(shop, 1), people[4]!.id, people[4]!.pin)).status).toBe(200);
  });
});

describe('guesses sent at once (issue 19 item 3)', () => {
  it('checks at most 5 of 40 concurrent wrong PINs on one person', async () => {
    advance(60 * 60_000);
    const target = await aCashier('Cible');
    const tablet = await aPairedTill(shop, 1);
    const before = (await events('auth.pin_failed')).length;
    const replies = await Promise.all(Array.from({ length: 40 }, () => pinLogin(tablet, target.id, '0000')));
    const count = (s: number) => replies.filter((r) => r.status === s).length;
    // Each verified PIN records one auth.pin_failed; a refused reservation records nothing and hashes nothing.
    expect((await events('auth.pin_failed')).length - before).toBe(5);
    expect(count(401) + count(429)).toBe(40);
    expect(count(401)).toBeLessThanOrEqual(5);
    expect((await pinLogin(tablet, target.id, target.pin)).status).toBe(429);
  });

  it('checks at most 5 of 40 concurrent wrong manager PINs typed as approvals', async () => {
    advance(60 * 60_000);
    const cashier = await aCashier('Demandeur');
    const tablet = await aPairedTill(shop, 1);
    expect((await pinLogin(tablet, cashier.id, cashier.pin)).status).toBe(200);
    const before = (await events('auth.pin_failed')).length;
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        tablet.post('/api/auth/approve', { pin: String(5000 + i), purpose: 'discount', amountCents: 100 }),
      ),
    );
    expect((await events('auth.pin_failed')).length - before).toBe(5);
    expect(replies.filter((r) => r.status === 200)).toHaveLength(0);
    // The tablet's anonymous pad is locked now, even for the manager's right PIN…
    expect((await tablet.post('/api/auth/approve', { pin: '9999', purpose: 'discount', amountCents: 100 })).status).toBe(429);
    // …but the manager, named on the lock screen, still logs in.
    const manager = (await shop.admin.get('/api/users')).body.find((u: any) => u.displayName === 'Gérant');
    expect((await pinLogin(await aPairedTill(shop, 1), manager.id, '9999')).status).toBe(200);
  });

  it('checks at most 10 of 30 concurrent wrong passwords', async () => {
    const before = (await events('auth.login_failed')).filter((e) => e.subject === 'gerant').length;
    const replies = await Promise.all(
      Array.from({ length: 30 }, () => shop.client().post('/api/auth/login', { login: 'gerant', password: 'not-the-password' })),
    );
    const verified = (await events('auth.login_failed')).filter((e) => e.subject === 'gerant').length - before;
    expect(verified).toBe(10); // PASSWORD_LIMIT
    expect(replies.filter((r) => r.status === 429)).toHaveLength(20);
    expect((await shop.client().post('/api/auth/login', { login: 'gerant', password: 'gerant-password-1' })).status).toBe(429);
    // The back office unlocks a password lockout too.
    const manager = (await shop.admin.get('/api/users')).body.find((u: any) => u.login === 'gerant');
    expect(manager.lockedUntil).not.toBeNull();
    expect((await shop.admin.post(`/api/users/${manager.id}/unlock`)).status).toBe(204);
    expect((await shop.client().post('/api/auth/login', { login: 'gerant', password: 'gerant-password-1' })).status).toBe(200);
  });
});

describe('approvals answer alike (issue 19 item 1)', () => {
  it('answers a refund of no ticket the same with a wrong and a right manager PIN', async () => {
    advance(60 * 60_000);
    const cashier = await aCashier('Rembourseuse');
    const tablet = await aPairedTill(shop, 1);
    await pinLogin(tablet, cashier.id, cashier.pin);
    const body = (pin: string) => ({
      id: '0193a000-0000-7000-8000-00000000abcd',
      tillId: 1,
      number: 1,
      createdAt: new Date(clock).toISOString(),
      refundOf: '0193a000-0000-7000-8000-000000000001',
      reason: 'essai',
      lines: [{ lineNo: 1, quantity: 1 }],
      payments: [{ method: 'cash', amountCents: -100 }],
      totalCents: -100,
      approvalPin: pin,
    });
    const wrong = await tablet.post('/api/refunds', body('1234'));
    const right = await tablet.post('/api/refunds', body('9999'));
    expect([wrong.status, right.status]).toEqual([404, 404]);
    expect(wrong.body.error.message).toBe(right.body.error.message);
  });

  it('refuses a locked manager’s PIN as an approval like a wrong one, and names the manager in an event', async () => {
    advance(60 * 60_000);
    const manager = (await shop.admin.get('/api/users')).body.find((u: any) => u.displayName === 'Gérant');
    // The manager locked by wrong PINs at the lock screen of one tablet…
    const lockScreen = await aPairedTill(shop, 1);
    for (let i = 0; i < 5; i++) await pinLogin(lockScreen, manager.id, '0000');
    // …then their right PIN typed as an approval on a cashier's tablet: refused, 401 as for a wrong PIN.
    const cashier = await aCashier('Approbation');
    const tablet = await aPairedTill(shop, 1);
    expect((await pinLogin(tablet, cashier.id, cashier.pin)).status).toBe(200);
    const right = await tablet.post('/api/auth/approve', { pin: '9999', purpose: 'discount', amountCents: 100 });
    const wrong = await tablet.post('/api/auth/approve', { pin: '9998', purpose: 'discount', amountCents: 100 });
    expect([right.status, wrong.status]).toEqual([401, 401]);
    expect(right.body.error.message).toBe(wrong.body.error.message);
    const named = (await events('auth.locked_pin_refused')).filter((e) => e.userId === manager.id);
    expect(named).toHaveLength(1);
    await shop.admin.post(`/api/users/${manager.id}/unlock`);
  });

  // Found by an attack on a running server (/tmp/rev18): 5 wrong PINs typed without a name every 5 minutes
  // let one tablet try 1,440 a day, each against every PIN of the till's staff.
  it('stops PINs typed without a name on a tablet after 15 wrong ones in a day, for 4 hours; a named person still logs in', async () => {
    advance(60 * 60_000);
    const cashier = await aCashier('Nuit');
    const tablet = await aPairedTill(shop, 1);
    const guess = (i: number) => tablet.post('/api/auth/pin', { tillId: 1, pin: String(7000 + i) });
    // Three rounds of 5 wrong ones, each checked (the 5th of a round locks the pad for 5 minutes: 429), a
    // minute apart (from its 10th failure the tablet itself makes the next wait up to 60 s).
    const replies = [];
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 5; i++) {
        advance(61_000);
        replies.push(await guess(round * 5 + i));
      }
      if (round < 2) advance(5 * 60_000);
    }
    expect(replies.map((r) => r.status)).toEqual([401, 401, 401, 401, 429, 401, 401, 401, 401, 429, 401, 401, 401, 401, 429]);
    // The 15th says the day's lock (4 hours from now), not the pad's 5 minutes.
    const until = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' }).format(
      new Date(clock + 4 * 60 * 60_000),
    );
    expect(replies[14]!.body.error.message).toContain(`codes sans nom refusés jusqu’à ${until}`);
    // 5 minutes on, the next is still refused without being checked.
    advance(5 * 60_000 + 1000);
    const refused = await guess(15);
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toContain(`codes sans nom refusés jusqu’à ${until}`);
    // Named on the lock screen, the cashier still opens the till on that tablet.
    expect((await pinLogin(tablet, cashier.id, cashier.pin)).status).toBe(200);
    // The lock is an event a manager sees.
    expect((await events('auth.pin_locked')).some((e) => e.data.counter === 'anonday')).toBe(true);
    // 4 hours after the 15th (5 min 1 s have passed since): PINs without a name are checked again.
    advance(4 * 60 * 60_000 - (5 * 60_000 + 1000) + 1000);
    expect((await guess(16)).status).toBe(401);
  });

  // Found by an attack on a running server: the day's ceiling held PINs typed without a name only; naming the
  // manager still allowed 5 guesses every 5 minutes, about 1,440 a day, and a four-digit PIN falls in 3–4 days.
  it('stops a named person’s PIN after 30 wrong ones in a day, for 4 hours, from any tablet; a manager lifts it', async () => {
    advance(5 * 60 * 60_000);
    // The back office's session ended with the hours passed: the manager logs in again.
    expect((await shop.admin.post('/api/auth/login', ADMIN)).status).toBe(200);
    const target = await aCashier('Cible');
    const tablets: Client[] = [];
    for (let i = 0; i < 6; i++) tablets.push(await aPairedTill(shop, 1));
    // 30 wrong ones, 5 from each of 6 tablets (each 5th locks the person for 5 minutes: waited out).
    const replies = [];
    for (const tablet of tablets) {
      for (let i = 0; i < 5; i++) {
        advance(61_000);
        replies.push((await pinLogin(tablet, target.id, '0000')).status);
      }
      advance(5 * 60_000 + 1000);
    }
    expect(replies).toEqual(Array.from({ length: 6 }, () => [401, 401, 401, 401, 429]).flat());
    // Past the 5 minutes, her right PIN is still refused: the day's lock holds 4 hours.
    const locked = await pinLogin(tablets[0]!, target.id, target.pin);
    expect(locked.status).toBe(429);
    expect((await events('auth.person_locked')).some((e) => e.data.counter === 'userday')).toBe(true);
    // A manager lifts it from the back office; she logs in.
    expect((await shop.admin.post('/api/auth/login', ADMIN)).status).toBe(200);
    expect((await shop.admin.post(`/api/users/${target.id}/unlock`)).status).toBe(204);
    expect((await pinLogin(tablets[0]!, target.id, target.pin)).status).toBe(200);
  });
});
