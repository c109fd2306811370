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
  let closing = false;
  /** Every connection (raw, and its TLS layer once decrypted), and those with a request being answered. */
  const sockets = new Set<net.Socket>();
  const answering = new Map<net.Socket, number>();
  /** Raw connections carrying TLS: their requests are seen on the TLS socket above them. */
  const carryingTls = new WeakSet<net.Socket>();
  // The HTTP server never listens itself (connections are handed to it), so Node's own idle-connection
  // tracking is off: which connection is idle is tracked here, for a stop that does not wait for keep-alives.
  httpServer.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const socket = req.socket;
    answering.set(socket, (answering.get(socket) ?? 0) + 1);
    res.once('close', () => {
      const left = (answering.get(socket) ?? 1) - 1;
      if (left > 0) answering.set(socket, left);
      else {
        answering.delete(socket);
        if (closing) socket.end();
      }
    });
  });

  const route = (socket: net.Socket) => {
    const first = socket.read(1) as Buffer | null;
    if (first === null) {
      socket.once('readable', () => route(socket));
      return;
    }
    socket.setTimeout(0);
    socket.unshift(first);
    if (first[0] === 0x16 && tlsServer) {
      carryingTls.add(socket);
      tlsServer.emit('connection', socket);
    } else httpServer.emit('connection', socket);
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
      tlsServer = tls.createServer(
        {
          ...credentials,
          ...(SNICallback ? { SNICallback } : {}),
          ALPNProtocols: ['http/1.1'],
          handshakeTimeout: FIRST_BYTE_TIMEOUT_MS,
          minVersion: 'TLSv1.2',
        },
        (secure) => {
          sockets.add(secure);
          secure.once('close', () => sockets.delete(secure));
          httpServer.emit('connection', secure);
        },
      );
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
      closing = true;
      const closed = new Promise<void>((resolve) => front.close(() => resolve()));
      // Idle keep-alive connections (and WebSockets, already closed by socket.io) go at once; a request still
      // being answered is finished first, then its connection is ended; anything left goes after `graceMs`.
      for (const s of sockets) if (!answering.has(s) && !carryingTls.has(s)) s.destroy();
      const timer = setTimeout(() => {
        for (const s of sockets) s.destroy();
      }, graceMs);
      timer.unref();
      await closed;
      clearTimeout(timer);
    },
  };
}
