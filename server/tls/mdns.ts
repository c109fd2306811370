import makeMdns from 'multicast-dns';
import type { Logger } from '../log.ts';

/**
 * Answers multicast DNS (RFC 6762) for `<name>.local` with the server's LAN addresses, and announces an
 * `_https._tcp` service, so a tablet finds the server by a stable name whatever address DHCP gave it.
 * Off in tests and CI (`MDNS=off`): it is the one thing that would send packets beyond the loopback.
 */
export interface MdnsAnnouncer {
  /** Tell the network again (the addresses changed). */
  announce(): void;
  close(): Promise<void>;
}

export function startMdns(options: {
  hostName: string;
  port: number;
  addresses: () => string[];
  instance: string;
  log: Logger;
}): MdnsAnnouncer {
  const host = options.hostName.toLowerCase();
  const service = '_https._tcp.local';
  const instance = `${options.instance.replace(/\./g, ' ')}.${service}`;
  const mdns = makeMdns();
  const records = () => {
    const ttl = 120;
    return {
      a: options.addresses().map((ip) => ({ name: host, type: 'A' as const, ttl, data: ip, flush: true })),
      service: [
        { name: service, type: 'PTR' as const, ttl: 4500, data: instance },
        { name: instance, type: 'SRV' as const, ttl, data: { port: options.port, target: host, priority: 0, weight: 0 }, flush: true },
        { name: instance, type: 'TXT' as const, ttl: 4500, data: ['path=/'], flush: true },
      ],
    };
  };
  mdns.on('query', (query) => {
    const r = records();
    const answers: unknown[] = [];
    for (const q of query.questions) {
      const name = q.name.toLowerCase();
      // dns-packet names the wildcard query type `ANY` (255) though its types leave it out.
      const type = q.type as string;
      if (name === host && (type === 'A' || type === 'ANY')) answers.push(...r.a);
      if (name === service && (type === 'PTR' || type === 'ANY')) answers.push(...r.service, ...r.a);
      if (name === instance.toLowerCase() && (type === 'SRV' || type === 'TXT' || type === 'ANY'))
        answers.push(...r.service.slice(1), ...r.a);
    }
    if (answers.length) mdns.respond({ answers } as never);
  });
  mdns.on('error', (e: Error) => options.log.warn('mdns error', { error: e.message }));
  const announce = () => {
    const r = records();
    if (r.a.length) mdns.respond({ answers: [...r.a, ...r.service] } as never);
  };
  announce();
  options.log.info('mdns', { name: host, addresses: options.addresses() });
  return {
    announce,
    close: () => new Promise<void>((resolve) => mdns.destroy(() => resolve())),
  };
}
