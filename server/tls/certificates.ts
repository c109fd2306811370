import 'reflect-metadata'; // @peculiar/x509 resolves its services through tsyringe, which needs it loaded first
import crypto, { webcrypto } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import * as x509 from '@peculiar/x509';
import { AsnConvert } from '@peculiar/asn1-schema';
import { GeneralName, GeneralSubtree, GeneralSubtrees, NameConstraints, id_ce_nameConstraints } from '@peculiar/asn1-x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/**
 * The shop's own small certificate authority and the server certificate it issues for the shop's names.
 *
 * Browsers give secure-context features (WebCrypto, service workers) only to HTTPS pages, and a tablet on
 * the shop's Wi-Fi reaches the server by a LAN name or address that no public CA will certify. So the
 * server is its own CA: a tablet trusts it once (the enrolment page), and every later server certificate
 * (renewed automatically, new addresses) is trusted without touching the tablet again.
 *
 * The CA is name-constrained (RFC 5280 §4.2.1.10) to local DNS names: a tablet that trusts it cannot be
 * lied to about any public site by name, even by someone who steals the CA's key. Addresses are not
 * constrained: a shop's LAN is not always in a private range, and no public site is reached by address.
 */

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY = 24 * 3600_000;

/** The CA lives ten years; the tablets trust it until then. */
export const CA_VALIDITY_DAYS = 3650;
/** Server certificates are short-lived (90 days) and renewed a month before they end. */
export const SERVER_VALIDITY_DAYS = 90;
export const RENEW_BEFORE_DAYS = 30;

/**
 * DNS suffixes that are never public sites: mDNS (RFC 6762), RFC 8375's home.arpa, ICANN's private-use
 * `.internal`, RFC 2606's `.test` and `.localhost`, and what home routers hand out (`.lan`, `.home`, never
 * delegated by ICANN for their collisions).
 */
export const LOCAL_DNS_SUFFIXES = ['local', 'lan', 'home', 'home.arpa', 'internal', 'intranet', 'test', 'localhost'] as const;

export interface ServerNames {
  dns: string[];
  ips: string[];
}

export interface TlsFiles {
  caCert: string;
  caKey: string;
  cert: string;
  key: string;
}

export function tlsFiles(dir: string): TlsFiles {
  return {
    caCert: path.join(dir, 'ca.crt'),
    caKey: path.join(dir, 'ca.key'),
    cert: path.join(dir, 'server.crt'),
    key: path.join(dir, 'server.key'),
  };
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

function derOf(pemText: string): Buffer {
  return Buffer.from(pemText.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

/** Written whole or not at all, readable by the server's user only. */
function writeSecret(file: string, content: string) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

/** Whether a DNS name falls under the CA's permitted names (a suffix adds labels on the left only). */
export function isPermittedName(name: string, permitted: readonly string[]): boolean {
  const n = name.toLowerCase();
  return permitted.some((p) => n === p || n.endsWith(`.${p}`));
}

function nameConstraints(extraNames: readonly string[]): x509.Extension {
  const subtrees: GeneralSubtree[] = [];
  for (const dns of [...LOCAL_DNS_SUFFIXES, ...extraNames]) subtrees.push(new GeneralSubtree({ base: new GeneralName({ dNSName: dns }) }));
  const value = AsnConvert.serialize(new NameConstraints({ permittedSubtrees: new GeneralSubtrees(subtrees) }));
  return new x509.Extension(id_ce_nameConstraints, true, value);
}

export interface CaInfo {
  certPem: string;
  /** SHA-256 of the certificate (what a person compares on the tablet's "installed certificates" screen). */
  fingerprint: string;
  /** base64 SHA-256 of the public key (SPKI): what `--ignore-certificate-errors-spki-list` and pinning take. */
  spkiSha256: string;
  notAfter: Date;
  /** The names the CA permits besides the local suffixes (the host's own name at creation). */
  permittedNames: string[];
}

export function describeCa(certPem: string): CaInfo {
  const cert = new crypto.X509Certificate(certPem);
  const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
  const parsed = new x509.X509Certificate(certPem);
  const nc = parsed.getExtension(id_ce_nameConstraints);
  const permittedNames: string[] = [];
  if (nc) {
    const constraints = AsnConvert.parse(nc.value, NameConstraints);
    for (const s of constraints.permittedSubtrees ?? [])
      if (s.base.dNSName && !(LOCAL_DNS_SUFFIXES as readonly string[]).includes(s.base.dNSName)) permittedNames.push(s.base.dNSName);
  }
  return {
    certPem,
    fingerprint: cert.fingerprint256,
    spkiSha256: crypto.createHash('sha256').update(spki).digest('base64'),
    notAfter: new Date(cert.validTo),
    permittedNames,
  };
}

/**
 * Creates the CA once (`DATA_DIR/tls/ca.key`, `ca.crt`, 0600 in a 0700 folder); later calls read it back.
 * `hostNames` are the machine's own names (and TLS_NAMES) to permit besides the local suffixes.
 */
export async function ensureCertificateAuthority(
  dir: string,
  shopName: string,
  hostNames: readonly string[],
  now: Date,
): Promise<{ ca: CaInfo; created: boolean }> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  const files = tlsFiles(dir);
  if (fs.existsSync(files.caCert) && fs.existsSync(files.caKey))
    return { ca: describeCa(fs.readFileSync(files.caCert, 'utf8')), created: false };
  const keys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const extra = [...new Set(hostNames.map((h) => h.toLowerCase()).filter((h) => h && !isPermittedName(h, LOCAL_DNS_SUFFIXES)))];
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: crypto
      .randomBytes(16)
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    // The common name says whose CA this is on a tablet's list of installed certificates.
    name: `CN=${dnEscape(`Comptoir — ${shopName}`).slice(0, 64)}, O=Comptoir`,
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + CA_VALIDITY_DAYS * DAY),
    signingAlgorithm: SIGN,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      nameConstraints(extra),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  writeSecret(files.caKey, pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)));
  writeSecret(files.caCert, cert.toString('pem') + '\n');
  // A new CA makes the old server certificate worthless.
  fs.rmSync(files.cert, { force: true });
  fs.rmSync(files.key, { force: true });
  return { ca: describeCa(fs.readFileSync(files.caCert, 'utf8')), created: true };
}

function dnEscape(value: string): string {
  return value.replace(/([,+"\\<>;=#])/g, '\\$1');
}

export interface ServerCertInfo {
  certPem: string;
  keyPem: string;
  dns: string[];
  ips: string[];
  notAfter: Date;
  notBefore: Date;
}

export function readServerCertificate(certPem: string, keyPem: string): ServerCertInfo {
  const cert = new crypto.X509Certificate(certPem);
  const dns: string[] = [];
  const ips: string[] = [];
  for (const part of (cert.subjectAltName ?? '').split(/,\s*/)) {
    const [kind, value] = [part.slice(0, part.indexOf(':')), part.slice(part.indexOf(':') + 1)];
    if (kind === 'DNS') dns.push(value);
    else if (kind === 'IP Address') ips.push(value);
  }
  return { certPem, keyPem, dns, ips, notAfter: new Date(cert.validTo), notBefore: new Date(cert.validFrom) };
}

/** Why the server certificate must be issued again, or null when it can stay. */
export function renewalReason(current: ServerCertInfo | null, wanted: ServerNames, now: Date): string | null {
  if (!current) return 'missing';
  if (current.notAfter.getTime() - now.getTime() < RENEW_BEFORE_DAYS * DAY) return 'expiring';
  if (current.notBefore.getTime() > now.getTime()) return 'not-yet-valid';
  const missingName = wanted.dns.find((d) => !current.dns.includes(d));
  if (missingName) return `name:${missingName}`;
  const missingIp = wanted.ips.find((ip) => !current.ips.includes(ip));
  if (missingIp) return `address:${missingIp}`;
  return null;
}

/**
 * The server certificate for `wanted`, issued again when it is missing, within a month of its end, or no
 * longer covering every name and address. Names and addresses the CA does not permit are left out (a
 * certificate carrying one would be refused whole) and returned so the caller can say so.
 */
export async function ensureServerCertificate(
  dir: string,
  wanted: ServerNames,
  now: Date,
): Promise<{ cert: ServerCertInfo; renewed: string | null; refused: string[] }> {
  const files = tlsFiles(dir);
  const ca = describeCa(fs.readFileSync(files.caCert, 'utf8'));
  const permitted = [...LOCAL_DNS_SUFFIXES, ...ca.permittedNames];
  const refused = [...wanted.dns.filter((d) => !isPermittedName(d, permitted)), ...wanted.ips.filter((ip) => !net.isIPv4(ip))];
  const names: ServerNames = {
    dns: [...new Set(wanted.dns.filter((d) => isPermittedName(d, permitted)).map((d) => d.toLowerCase()))],
    ips: [...new Set(wanted.ips.filter((ip) => net.isIPv4(ip)))],
  };
  let current: ServerCertInfo | null = null;
  if (fs.existsSync(files.cert) && fs.existsSync(files.key)) {
    try {
      current = readServerCertificate(fs.readFileSync(files.cert, 'utf8'), fs.readFileSync(files.key, 'utf8'));
      if (!new crypto.X509Certificate(current.certPem).checkIssued(new crypto.X509Certificate(ca.certPem))) current = null;
    } catch {
      current = null;
    }
  }
  const reason = renewalReason(current, names, now);
  if (!reason && current) return { cert: current, renewed: null, refused };

  const caKey = await webcrypto.subtle.importKey('pkcs8', derOf(fs.readFileSync(files.caKey, 'utf8')), EC, false, ['sign']);
  const caCert = new x509.X509Certificate(ca.certPem);
  const keys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const sans: x509.JsonGeneralName[] = [
    ...names.dns.map((value) => ({ type: 'dns' as const, value })),
    ...names.ips.map((value) => ({ type: 'ip' as const, value })),
  ];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: crypto
      .randomBytes(16)
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    subject: `CN=${names.dns[0] ?? names.ips[0] ?? 'comptoir'}`,
    issuer: caCert.subject,
    notBefore: new Date(now.getTime() - 3600_000),
    notAfter: new Date(now.getTime() + SERVER_VALIDITY_DAYS * DAY),
    signingAlgorithm: SIGN,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(sans),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
    ],
  });
  const keyPem = pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const certPem = cert.toString('pem') + '\n';
  writeSecret(files.key, keyPem);
  writeSecret(files.cert, certPem);
  return { cert: readServerCertificate(certPem, keyPem), renewed: reason, refused };
}
