import type http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';

/**
 * One port for HTTPS and plain HTTP. The first byte of a connection says which it is (a TLS handshake
 * starts with 0x16, an HTTP request with a letter); TLS connections are decrypted here and both kinds are
 * handed to the same `http.Server`, so Express and socket.io see one server and `req.secure` tells them
 * apart. One port means a tablet that typed `http://…` is redirected to the same address in `https://`,
 * and HSTS (which keeps the port) lands on a port that speaks TLS.
 */
export interface DualListener {
  readonly server: net.Server;
  /** A new certificate takes effect for the next connection; open ones keep theirs. */
  setCredentials(credentials: { cert: string; key: string } | null, sni?: (servername: string) => Promise<tls.SecureContext | null>): void;
  listen(port: number, host: string): Promise<number>;
  /** Stops accepting at once; connections still open are ended after `graceMs`. */
  close(graceMs?: number): Promise<void>;
}

/** A connection that sends nothing is not kept waiting for its first byte forever. */
const FIRST_BYTE_TIMEOUT_MS = 15_000;

export function createDualListener(httpServer: http.Server): DualListener {
  let tlsServer: tls.Server | null = null;
  const sockets = new Set<net.Socket>();

  const route = (socket: net.Socket) => {
    const first = socket.read(1) as Buffer | null;
    if (first === null) {
      socket.once('readable', () => route(socket));
      return;
    }
    socket.setTimeout(0);
    socket.unshift(first);
    if (first[0] === 0x16 && tlsServer) tlsServer.emit('connection', socket);
    else httpServer.emit('connection', socket);
  };

  const front = net.createServer({ pauseOnConnect: false }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // Errors before the HTTP server owns the socket (a reset during the handshake) end it quietly.
    socket.on('error', () => socket.destroy());
    socket.setTimeout(FIRST_BYTE_TIMEOUT_MS, () => socket.destroy());
    route(socket);
  });

  return {
    server: front,
    setCredentials(credentials, sni) {
      if (!credentials) {
        tlsServer = null;
        return;
      }
      if (tlsServer) {
        tlsServer.setSecureContext(credentials);
        return;
      }
      const SNICallback = sni
        ? (servername: string, done: (err: Error | null, ctx?: tls.SecureContext) => void) =>
            sni(servername).then(
              (ctx) => done(null, ctx ?? undefined),
              () => done(null),
            )
        : undefined;
      tlsServer = tls.createServer({ ...credentials, ...(SNICallback ? { SNICallback } : {}), ALPNProtocols: ['http/1.1'], handshakeTimeout: FIRST_BYTE_TIMEOUT_MS, minVersion: 'TLSv1.2' }, (secure) => {
        httpServer.emit('connection', secure);
      });
      // A client that gives up during the handshake (an untrusted certificate) is not an error of ours.
      tlsServer.on('tlsClientError', (_e, socket) => socket.destroy());
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        front.once('error', reject);
        front.listen(port, host, () => {
          front.off('error', reject);
          resolve((front.address() as net.AddressInfo).port);
        });
      });
    },
    async close(graceMs = 2000) {
      const closed = new Promise<void>((resolve) => front.close(() => resolve()));
      // Idle keep-alive connections go at once; a request still being answered gets `graceMs`.
      httpServer.closeIdleConnections();
      const timer = setTimeout(() => {
        for (const s of sockets) s.destroy();
      }, graceMs);
      timer.unref();
      await closed;
      clearTimeout(timer);
    },
  };
}
