import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { createLogger } from '../log.ts';
import { tlsFiles } from './certificates.ts';
import { TlsService } from './tls-service.ts';

// Several server processes sharing one DATA_DIR (issue 23): one issues the certificates, the others take
// its files as they change and never write them (two processes renewing at once could pair one's key with
// the other's certificate).
describe('the shop certificate with several processes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-tls-duties-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const service = () =>
    new TlsService(
      loadConfig({ DATA_DIR: dir, MDNS: 'off', TLS_NAMES: 'shop.lan' }),
      createLogger('silent'),
      () => new Date(),
      async () => 'Boutique',
    );

  it('is renewed by the process holding the duties only, and taken by the others without a restart', async () => {
    const owner = service();
    await owner.prepare();
    const other = service();
    await other.prepare();
    await other.setDuties(false);
    const first = owner.status.cert!.certPem;
    // Both serve the one certificate on the disk.
    expect(other.status.cert!.certPem).toBe(first);

    // The files go (as if half-way through a renewal): the other process keeps serving what it has and
    // writes nothing; the owner issues a new one.
    const files = tlsFiles(path.join(dir, 'tls'));
    fs.rmSync(files.cert);
    fs.rmSync(files.key);
    expect((await other.refresh())!.certPem).toBe(first);
    expect(fs.existsSync(files.cert)).toBe(false);
    const renewed = (await owner.refresh())!.certPem;
    expect(renewed).not.toBe(first);

    // A key that does not go with the certificate (another renewal between the two renames) is not taken.
    const key = fs.readFileSync(files.key, 'utf8');
    fs.writeFileSync(
      files.key,
      crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
    expect((await other.refresh())!.certPem).toBe(first);
    fs.writeFileSync(files.key, key);
    // Once the pair agrees, it is served.
    expect((await other.refresh())!.certPem).toBe(renewed);
    expect(other.status.cert!.certPem).toBe(renewed);
    await owner.close();
    await other.close();
  });
});
