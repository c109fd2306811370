import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import {
  describeCa,
  ensureCertificateAuthority,
  ensureServerCertificate,
  isPermittedName,
  LOCAL_DNS_SUFFIXES,
  readServerCertificate,
  tlsFiles,
  type CaInfo,
  type ServerCertInfo,
} from './certificates.ts';
import type { DualListener } from './listener.ts';
import { startMdns, type MdnsAnnouncer } from './mdns.ts';

/** How often the machine's addresses are looked at (a new DHCP lease, a second network card). */
const NAMES_CHECK_MS = 60_000;
/** Names learnt from tablets (the router's DNS name for the server, say) kept on the certificate. */
const MAX_LEARNT_NAMES = 16;
const LEARN_INTERVAL_MS = 10_000;
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export interface TlsStatus {
  /** `own-ca`: certificates issued by the shop's CA; `files`: TLS_CERT/TLS_KEY; `off`: plain HTTP. */
  mode: 'own-ca' | 'files' | 'off';
  ca: CaInfo | null;
  cert: ServerCertInfo | null;
}

/** The machine's IPv4 addresses on its networks (not the loopback). */
export function lanAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((i): i is os.NetworkInterfaceInfo => !!i && i.family === 'IPv4' && !i.internal)
    .map((i) => i.address);
}

/** The names a tablet may use to reach this server: the mDNS name, the host's own names, its addresses. */
export function serverNames(config: Config, addresses = lanAddresses(), learnt: readonly string[] = []) {
  // A host name that is not a valid DNS label (`My_PC`) cannot be on a certificate: left out.
  const label = os.hostname().toLowerCase().split('.')[0] ?? '';
  const host = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(label) ? label : '';
  const dns = [
    `${config.MDNS_NAME}.local`,
    ...(host ? [host, `${host}.local`] : []),
    'localhost',
    ...config.TLS_NAMES.filter((n) => !/^[\d.]+$/.test(n)),
    ...learnt,
  ];
  const ips = [...addresses, '127.0.0.1', ...config.TLS_NAMES.filter((n) => /^[\d.]+$/.test(n))];
  return { dns: [...new Set(dns)], ips: [...new Set(ips)], host };
}

/**
 * HTTPS for the shop's network: the CA and the server certificate at start, renewed before they end and
 * when the machine's addresses change, handed to the listener without a restart; the mDNS name.
 */
export class TlsService {
  status: TlsStatus = { mode: 'off', ca: null, cert: null };
  private timer: NodeJS.Timeout | null = null;
  private mdns: MdnsAnnouncer | null = null;
  private listener: DualListener | null = null;
  private lastAddresses = '';
  private learnt: string[] = [];
  private lastLearnt = 0;
  /** Certificate work one at a time (a renewal and a new name arriving together). */
  private chain: Promise<unknown> = Promise.resolve();
  /**
   * Whether this process issues certificates and answers mDNS. Several processes on one database: only the
   * one holding the duties does (server/system/owner.ts); the others take its files as they change.
   */
  private renews = true;
  private port = 0;

  constructor(
    private readonly config: Config,
    private readonly log: Logger,
    private readonly now: () => Date,
    private readonly shopName: () => Promise<string>,
  ) {}

  get httpsActive(): boolean {
    return this.status.mode !== 'off';
  }

  /** Certificates ready before the port opens: the first tablet never meets a half-made CA. */
  async prepare(): Promise<void> {
    if (this.config.TLS_CERT && this.config.TLS_KEY) {
      const cert = readServerCertificate(fs.readFileSync(this.config.TLS_CERT, 'utf8'), fs.readFileSync(this.config.TLS_KEY, 'utf8'));
      this.status = { mode: 'files', ca: null, cert };
      return;
    }
    if (this.config.TLS === 'off') return;
    const names = serverNames(this.config);
    const { ca, created } = await ensureCertificateAuthority(
      this.config.tlsDir,
      await this.shopName(),
      [names.host, ...this.config.TLS_NAMES.filter((n) => !/^[\d.]+$/.test(n))],
      this.now(),
    );
    try {
      const kept = JSON.parse(fs.readFileSync(this.learntFile, 'utf8')) as unknown;
      if (Array.isArray(kept))
        this.learnt = kept.filter((n): n is string => typeof n === 'string' && DNS_NAME.test(n)).slice(-MAX_LEARNT_NAMES);
    } catch {
      /* none learnt yet */
    }
    if (created) this.log.info('tls ca created', { fingerprint: ca.fingerprint, notAfter: ca.notAfter.toISOString() });
    this.status = { mode: 'own-ca', ca, cert: null };
    await this.refresh();
  }

  private get learntFile() {
    return path.join(this.config.tlsDir, 'learnt-names.json');
  }

  /**
   * A tablet asked for a name the certificate lacks (SNI): the name the shop's router gives the server, say.
   * If the CA may certify it, the certificate is issued again with it, before the handshake goes on: no
   * setting to find. Names outside the CA's local names are not learnt (the handshake then fails).
   */
  async contextFor(servername: string): Promise<tls.SecureContext | null> {
    const name = servername.toLowerCase();
    const cert = this.status.cert;
    if (this.status.mode !== 'own-ca' || !cert || cert.dns.includes(name) || !DNS_NAME.test(name)) return null;
    if (!isPermittedName(name, [...LOCAL_DNS_SUFFIXES, ...(this.status.ca?.permittedNames ?? [])])) return null;
    // Learnt a moment ago, its certificate still being made (a browser opens several connections at once):
    // wait for that certificate rather than answer with the old one.
    if (this.learnt.includes(name)) return this.freshContext();
    // Another process issues certificates: it is asked to add the name, and this handshake waits for its
    // files (4 s at most, else it goes on with the current certificate).
    if (!this.renews) return this.askOwner(name);
    // Anyone on the network can ask for any name: at most 16 are learnt (never evicted, so asking for
    // names in turn cannot make the server issue certificates without end), one per 10 seconds.
    const now = this.now().getTime();
    if (this.learnt.length >= MAX_LEARNT_NAMES || now - this.lastLearnt < LEARN_INTERVAL_MS) {
      this.log.warn('tls name not learnt', { name, learnt: this.learnt.length });
      return null;
    }
    this.lastLearnt = now;
    this.learnt = [...this.learnt, name];
    fs.writeFileSync(this.learntFile, JSON.stringify(this.learnt), { mode: 0o600 });
    return this.freshContext();
  }

  private async freshContext(): Promise<tls.SecureContext | null> {
    const fresh = await this.refresh();
    return fresh ? tls.createSecureContext({ cert: fresh.certPem, key: fresh.keyPem }) : null;
  }

  /** Issues the server certificate again when it must (expiry, new names), and hands it to the listener. */
  refresh(): Promise<ServerCertInfo | null> {
    const next = this.chain.then(() => this.refreshNow());
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async refreshNow(): Promise<ServerCertInfo | null> {
    if (this.status.mode === 'files') {
      // The shop's own files are re-read: a certificate renewed by another tool is taken without a restart.
      const cert = readServerCertificate(fs.readFileSync(this.config.TLS_CERT!, 'utf8'), fs.readFileSync(this.config.TLS_KEY!, 'utf8'));
      if (cert.certPem !== this.status.cert?.certPem) {
        this.status = { ...this.status, cert };
        this.listener?.setCredentials({ cert: cert.certPem, key: cert.keyPem });
      }
      return cert;
    }
    if (this.status.mode !== 'own-ca') return null;
    if (!this.renews) return this.takeIssued();
    const names = serverNames(this.config, lanAddresses(), this.learnt);
    const { cert, renewed, refused } = await ensureServerCertificate(this.config.tlsDir, names, this.now());
    if (renewed) {
      this.log.info('tls certificate issued', {
        reason: renewed,
        names: cert.dns,
        addresses: cert.ips,
        notAfter: cert.notAfter.toISOString(),
      });
      if (refused.length) this.log.warn('tls names left out (outside the local names the CA may certify)', { names: refused });
    }
    if (renewed || cert.certPem !== this.status.cert?.certPem) {
      this.status = { ...this.status, ca: describeCa(fs.readFileSync(tlsFiles(this.config.tlsDir).caCert, 'utf8')), cert };
      this.listener?.setCredentials({ cert: cert.certPem, key: cert.keyPem });
    }
    return cert;
  }

  /**
   * The certificate the process holding the duties issued last, once its key and certificate files agree (a
   * renewal writes one then the other): taken without a restart.
   */
  private takeIssued(): ServerCertInfo | null {
    try {
      const files = tlsFiles(this.config.tlsDir);
      const certPem = fs.readFileSync(files.cert, 'utf8');
      if (certPem === this.status.cert?.certPem) return this.status.cert;
      const keyPem = fs.readFileSync(files.key, 'utf8');
      if (!new crypto.X509Certificate(certPem).checkPrivateKey(crypto.createPrivateKey(keyPem))) return this.status.cert;
      const cert = readServerCertificate(certPem, keyPem);
      this.status = { ...this.status, cert };
      this.listener?.setCredentials({ cert: cert.certPem, key: cert.keyPem });
      return cert;
    } catch {
      return this.status.cert;
    }
  }

  /** How this process asks the one holding the duties for a name (server/system/owner.ts). */
  askCertificateName: ((name: string) => void) | null = null;

  private async askOwner(name: string): Promise<tls.SecureContext | null> {
    if (!this.askCertificateName) return null;
    this.askCertificateName(name);
    for (let waited = 0; waited < 4000; waited += 100) {
      await new Promise((r) => setTimeout(r, 100));
      const cert = this.takeIssued();
      if (cert?.dns.includes(name)) return tls.createSecureContext({ cert: cert.certPem, key: cert.keyPem });
    }
    this.log.warn('tls name not issued by the process holding the duties', { name });
    return null;
  }

  /** This process takes the certificates' renewal and the mDNS answer, or leaves them to another. */
  async setDuties(on: boolean): Promise<void> {
    this.renews = on;
    if (on && this.listener && !this.mdns) this.startMdns();
    if (!on && this.mdns) {
      const mdns = this.mdns;
      this.mdns = null;
      await mdns.close();
    }
  }

  private startMdns() {
    if (!this.config.mdns) return;
    this.mdns = startMdns({
      hostName: `${this.config.MDNS_NAME}.local`,
      port: this.port,
      addresses: lanAddresses,
      instance: 'Comptoir',
      log: this.log,
    });
  }

  /** Serves the certificate on the listener and starts watching expiry, addresses and the mDNS name. */
  attach(listener: DualListener, port: number) {
    this.listener = listener;
    this.port = port;
    if (this.status.cert)
      listener.setCredentials({ cert: this.status.cert.certPem, key: this.status.cert.keyPem }, (name) => this.contextFor(name));
    if (this.renews) this.startMdns();
    this.lastAddresses = lanAddresses().join(',');
    this.timer = setInterval(() => void this.tick(), NAMES_CHECK_MS);
    this.timer.unref();
  }

  private async tick() {
    try {
      await this.refresh();
      const addresses = lanAddresses().join(',');
      if (addresses !== this.lastAddresses) {
        this.lastAddresses = addresses;
        this.mdns?.announce();
      }
    } catch (e) {
      this.log.error('tls renewal failed', { error: (e as Error).message });
    }
  }

  async close() {
    if (this.timer) clearInterval(this.timer);
    this.listener = null;
    const mdns = this.mdns;
    this.mdns = null;
    await mdns?.close();
  }
}
