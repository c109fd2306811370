import { useEffect, useState } from 'preact/hooks';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../shared/realtime.ts';
import { rejoinWhenDropped } from './rejoin.ts';

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** One socket for the page, on the session cookie; `connected` drives the "live" badge. */
export function useSocket(): { socket: AppSocket | null; connected: boolean } {
  const [socket, setSocket] = useState<AppSocket | null>(null);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const s: AppSocket = io({ transports: ['websocket'], reconnectionDelayMax: 5000 });
    s.on('connect', () => setConnected(true));
    s.on('disconnect', () => setConnected(false));
    rejoinWhenDropped(s);
    setSocket(s);
    return () => s.disconnect();
  }, []);
  return { socket, connected };
}
