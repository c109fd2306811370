import 'reflect-metadata';
import crypto, { webcrypto } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import * as x509 from '@peculiar/x509';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureCertificateAuthority, ensureServerCertificate, renewalReason, tlsFiles } from './certificates.ts';

const DAY = 24 * 3600_000;
const T0 = new Date('2026-12-03T10:00:00Z');
const dirs: string[] = [];
const aDir = () => {
  const d = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-tls-')), 'tls');
  dirs.push(path.dirname(d));
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const mode = (file: string) => fs.statSync(file).mode & 0o777;
const wanted = { dns: ['comptoir.local', 'minipc', 'localhost'], ips: ['192.168.1.20', '127.0.0.1'] };

/** A TLS server on the loopback with `cert`/`key`, and a client that trusts only `caPem` and asks for `servername`. */
async function handshake(
  certPem: string,
  keyPem: string,
  caPem: string,
  servername: string,
): Promise<{ ok: true } | { ok: false; code: string }> {
  const server = tls.createServer({ cert: certPem, key: keyPem }, (s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as import('node:net').AddressInfo).port;
  try {
    return await new Promise((resolve) => {
      const socket = tls.connect({ host: '127.0.0.1', port, servername, ca: caPem }, () => {
        socket.end();
        resolve({ ok: true });
      });
      socket.on('error', (e: NodeJS.ErrnoException) => resolve({ ok: false, code: e.code === 'UNSPECIFIED' ? e.message : String(e.code) }));
    });
  } finally {
    server.close();
  }
}

describe('the shop’s certificate authority', () => {
  it('is made once, kept readable by the server only, and constrained to local names', async () => {
    const dir = aDir();
    const first = await ensureCertificateAuthority(dir, 'Les Halles', ['minipc'], T0);
    expect(first.created).toBe(true);
    const files = tlsFiles(dir);
    expect(mode(dir)).toBe(0o700);
    expect(mode(files.caKey)).toBe(0o600);
    expect(mode(files.caCert)).toBe(0o600);
    const again = await ensureCertificateAuthority(dir, 'Les Halles', ['minipc'], new Date(T0.getTime() + DAY));
    expect(again.created).toBe(false);
    expect(again.ca.fingerprint).toBe(first.ca.fingerprint);

    const ca = new crypto.X509Certificate(fs.readFileSync(files.caCert));
    expect(ca.ca).toBe(true);
    // Ten years, from a day before its creation (a tablet whose clock is a little late still accepts it).
    expect(Date.parse(ca.validTo) - T0.getTime()).toBe(3650 * DAY);
    expect(ca.subject).toContain('Les Halles');
    expect(first.ca.permittedNames).toEqual(['minipc']);
    // The SPKI hash is the base64 SHA-256 of the public key, as Chromium's --ignore-certificate-errors-spki-list takes it.
    const spki = ca.publicKey.export({ type: 'spki', format: 'der' });
    expect(first.ca.spkiSha256).toBe(crypto.createHash('sha256').update(spki).digest('base64'));
  });

  it('issues a 90-day server certificate for the names and addresses, which a client trusting the CA accepts', async () => {
    const dir = aDir();
    // Today's date: the handshakes below check validity against the real clock.
    const now = new Date();
    const { ca } = await ensureCertificateAuthority(dir, 'Les Halles', ['minipc'], now);
    const { cert, renewed, refused } = await ensureServerCertificate(
      dir,
      { dns: [...wanted.dns, 'evil.example.com'], ips: wanted.ips },
      now,
    );
    expect(renewed).toBe('missing');
    // A public name is never put on the certificate: the CA may not certify it, and one such name would void the whole certificate.
    expect(refused).toEqual(['evil.example.com']);
    expect(cert.dns).toEqual(['comptoir.local', 'minipc', 'localhost']);
    expect(cert.ips).toEqual(['192.168.1.20', '127.0.0.1']);
    // 90 days on, to the second (certificate times have no milliseconds).
    expect(cert.notAfter.getTime()).toBe(Math.floor((now.getTime() + 90 * DAY) / 1000) * 1000);
    expect(mode(tlsFiles(dir).key)).toBe(0o600);
    const leaf = new crypto.X509Certificate(cert.certPem);
    expect(leaf.checkIssued(new crypto.X509Certificate(ca.certPem))).toBe(true);
    expect(leaf.verify(new crypto.X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(leaf.ca).toBe(false);

    expect(await handshake(cert.certPem, cert.keyPem, ca.certPem, 'comptoir.local')).toEqual({ ok: true });
    expect(await handshake(cert.certPem, cert.keyPem, ca.certPem, 'minipc')).toEqual({ ok: true });
    expect(await handshake(cert.certPem, cert.keyPem, ca.certPem, 'other.local')).toEqual({
      ok: false,
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
  });

  it('renews a month before the end and when a name or an address is new, never otherwise', async () => {
    const dir = aDir();
    await ensureCertificateAuthority(dir, 'Les Halles', [], T0);
    const first = (await ensureServerCertificate(dir, wanted, T0)).cert;
    // Same names, 59 days on: 31 days left, kept.
    const kept = await ensureServerCertificate(dir, wanted, new Date(T0.getTime() + 59 * DAY));
    expect(kept.renewed).toBeNull();
    expect(kept.cert.certPem).toBe(first.certPem);
    // 61 days on: 29 days left, renewed for another 90.
    const later = new Date(T0.getTime() + 61 * DAY);
    const renewed = await ensureServerCertificate(dir, wanted, later);
    expect(renewed.renewed).toBe('expiring');
    expect(renewed.cert.notAfter.getTime() - later.getTime()).toBe(90 * DAY); // T0 has no milliseconds
    expect(new crypto.X509Certificate(renewed.cert.certPem).serialNumber).not.toBe(new crypto.X509Certificate(first.certPem).serialNumber);
    // The DHCP lease changed: the new address is on the next certificate, the old one is gone.
    const moved = await ensureServerCertificate(dir, { ...wanted, ips: ['192.168.1.57', '127.0.0.1'] }, later);
    expect(moved.renewed).toBe('address:192.168.1.57');
    expect(moved.cert.ips).toEqual(['192.168.1.57', '127.0.0.1']);
    // A tablet's router name for the server.
    const named = await ensureServerCertificate(dir, { dns: [...wanted.dns, 'caisse.lan'], ips: moved.cert.ips }, later);
    expect(named.renewed).toBe('name:caisse.lan');
    expect(renewalReason(named.cert, { dns: ['caisse.lan'], ips: [] }, later)).toBeNull();
  });

  it('makes a certificate for a public name worthless even when signed with the CA’s own key (name constraints)', async () => {
    const dir = aDir();
    const { ca } = await ensureCertificateAuthority(dir, 'Les Halles', [], new Date());
    // What a thief of ca.key could make: a certificate for a bank, signed by the shop's CA.
    const der = Buffer.from(fs.readFileSync(tlsFiles(dir).caKey, 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const caKey = await webcrypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    x509.cryptoProvider.set(webcrypto as unknown as Crypto);
    const forged = await x509.X509CertificateGenerator.create({
      subject: 'CN=www.banque.example',
      issuer: new x509.X509Certificate(ca.certPem).subject,
      notBefore: new Date(Date.now() - DAY),
      notAfter: new Date(Date.now() + DAY),
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      publicKey: keys.publicKey,
      signingKey: caKey,
      extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'www.banque.example' }])],
    });
    const keyPem = `-----BEGIN PRIVATE KEY-----\n${Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64')}\n-----END PRIVATE KEY-----\n`;
    const result = await handshake(forged.toString('pem'), keyPem, ca.certPem, 'www.banque.example');
    // OpenSSL's verdict on the name constraint.
    expect(result).toEqual({ ok: false, code: 'permitted subtree violation' });
  });
});
