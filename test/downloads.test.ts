import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestShop, type TestShop } from './support/harness.ts';

// Found by an attack on a running server (/tmp/rev18): a producer named with a letter outside Latin-1 (« Œ »,
// « Ł », a Chinese character) made the download of their mandate's terms answer 500 every time (a header
// carries Latin-1 only), and « é » came out garbled.
let shop: TestShop;
beforeAll(async () => {
  shop = await startTestShop();
});
afterAll(() => shop?.close());

const producer = async (name: string, siret: string) => {
  const res = await shop.admin.post('/api/producers', { name, legalName: `${name} SARL`, siret, vatStatus: 'subject', commissionBp: 2000 });
  expect(res.status).toBe(201);
  return res.body.id as number;
};

describe('a download named after a producer', () => {
  it('is served whatever letters the name has: plain ASCII for every browser, the name itself in UTF-8', async () => {
    const id = await producer('Œufs Łukasz 漢', '73282932000009');
    const res = await shop.admin.get(`/api/producers/${id}/mandate-template.pdf`);
    expect(res.status).toBe(200);
    expect(res.raw.subarray(0, 5).toString()).toBe('%PDF-');
    // The name, lower case, anything not a letter or digit as « - »: mandat-autofacturation-œufs-łukasz-漢.pdf.
    // ASCII: œ → oe, ł → l, 漢 → _. UTF-8: œ C5 93, ł C5 82, 漢 E6 BC A2.
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="mandat-autofacturation-oeufs-lukasz-_.pdf"; filename*=UTF-8''mandat-autofacturation-%C5%93ufs-%C5%82ukasz-%E6%BC%A2.pdf`,
    );
  });

  it('keeps an accented name readable: the accent dropped in ASCII, kept in UTF-8', async () => {
    const id = await producer('Ferme de l’Étang', '73282932000017');
    const res = await shop.admin.get(`/api/producers/${id}/mandate-template.pdf`);
    expect(res.status).toBe(200);
    // « ’ » and the spaces become « - »; é is C3 A9.
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="mandat-autofacturation-ferme-de-l-etang.pdf"; filename*=UTF-8''mandat-autofacturation-ferme-de-l-%C3%A9tang.pdf`,
    );
  });
});
