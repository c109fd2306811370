// The tickets' writer thread (server/sales/ticket-writer.ts): plain JavaScript so it starts without a loader,
// then TypeScript through tsx's API.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { serveTicketWriter } = await import('./ticket-writer-serve.ts');
await serveTicketWriter(parentPort, workerData);
