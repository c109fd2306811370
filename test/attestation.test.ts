import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aUser, shopIdentity, startTestShop, type TestShop } from './support/harness.ts';

// Issue 20 item 10: the editor's attestation, filled with the version and the shop's identity.

describe('the attestation of conformity', () => {
  let shop: TestShop;
  beforeAll(async () => {
    shop = await startTestShop();
  });
  afterAll(() => shop.close());

  it('names the version from package.json and the shop’s legal identity, with the four conditions and the reserve on certification', async () => {
    const res = await shop.admin.request('GET', '/api/fiscal/attestation');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/pdf');
    const dir = path.join('test-artifacts', 'attestation');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'attestation.pdf');
    fs.writeFileSync(file, res.raw);
    const text = execFileSync('pdftotext', [file, '-'])
      .toString()
      .replace(/\u00a0/g, ' ');
    const { version } = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string };
    expect(text).toContain(`dans sa version ${version}`);
    expect(text).toContain(shopIdentity.legalName);
    expect(text).toContain(`SIRET ${shopIdentity.siret}`);
    for (const condition of ['Inaltérabilité', 'Sécurisation', 'Conservation', 'Archivage']) expect(text).toContain(condition);
    expect(text).toContain('article 286');
    expect(text).toContain('loi de finances pour 2025');
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', file, path.join(dir, 'attestation')]);
  });

  it('is for managers only', async () => {
    const cashier = (await aUser(shop, 'cashier')).client;
    expect((await cashier.request('GET', '/api/fiscal/attestation')).status).toBe(403);
  });
});
