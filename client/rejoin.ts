import type { Socket } from 'socket.io-client';

/**
 * The server ends a connection whose session ended or whose tablet changed (`Realtime.recheck`); socket.io
 * does not connect again on its own after that. The page does, a moment later, as who it is now: a till
 * whose cashier left still hears what the tablet hears, a page logged out is refused and stays off.
 */
export function rejoinWhenDropped(socket: Socket<any, any>) {
  socket.on('disconnect', (reason) => {
    if (reason === 'io server disconnect') setTimeout(() => socket.connect(), 1000);
  });
}
