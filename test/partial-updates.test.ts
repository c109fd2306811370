import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aProducer, startTestShop, type TestShop } from './support/harness.ts';

// A PATCH changes what its body names and nothing else (found by an adversarial probe: every producer edit
// from the back office, whose form does not send the contact fields, blanked them; a category lost its colour,
// a printer its outlet). And one with nothing to change is refused, naming the body (a table's was a 500).
let shop: TestShop;
beforeAll(async () => {
  shop = await startTestShop();
});
afterAll(() => shop?.close());

describe('partial updates', () => {
  it('keep a producer’s contact, a category’s colour and order, a printer’s outlet and paper when not named', async () => {
    const producer = await aProducer(shop.admin, {
      contactName: 'Marie Causse',
      email: 'marie@example.org',
      phone: '05 63 00 00 00',
      address: '2 chemin du Sidobre, 81100 Castres',
    });
    const renamed = await shop.admin.request('PATCH', `/api/producers/${producer.id}`, { name: 'Ferme Causse' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({
      name: 'Ferme Causse',
      contactName: 'Marie Causse',
      email: 'marie@example.org',
      phone: '05 63 00 00 00',
      address: '2 chemin du Sidobre, 81100 Castres',
    });

    const category = await shop.admin.post('/api/categories', { name: 'Fromages', color: '#7a5c1e', sortOrder: 10 });
    expect(category.status).toBe(201);
    const cat = await shop.admin.request('PATCH', `/api/categories/${category.body.id}`, { name: 'Fromages et crèmerie' });
    expect(cat.body).toMatchObject({ name: 'Fromages et crèmerie', color: '#7a5c1e', sortOrder: 10 });

    const printer = await shop.admin.post('/api/printers', {
      name: 'Cuisine',
      outlet: 'restaurant',
      role: 'kitchen',
      uri: 'file:prints',
      columns: 32,
      codePage: 'wpc1252',
      drawer: false,
    });
    expect(printer.status).toBe(201);
    const off = await shop.admin.request('PATCH', `/api/printers/${printer.body.id}`, { active: false });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ outlet: 'restaurant', columns: 32, codePage: 'wpc1252', active: false });
  });

  it('refuses a table update with nothing to change (400 naming the body), and changes nothing', async () => {
    const room = await shop.admin.post('/api/rooms', { name: 'Salle' });
    const table = await shop.admin.post(`/api/rooms/${room.body.id}/tables`, { name: '7', seats: 4 });
    expect(table.status).toBe(201);
    const empty = await shop.admin.request('PATCH', `/api/tables/${table.body.id}`, {});
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields[0].field).toBe('body');
    const moved = await shop.admin.request('PATCH', `/api/tables/${table.body.id}`, { x: 20 });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ name: '7', seats: 4, x: 20 });
  });
});
