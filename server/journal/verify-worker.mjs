// A verify worker: plain JavaScript so it starts without a loader, then TypeScript through tsx's API.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { verifySegmentInFile, verifyRangeInFile } = await import('./verify-pool.ts');
parentPort.on('message', async ({ id, segment, range }) => {
  try {
    const result = range ? await verifyRangeInFile(workerData.file, range) : await verifySegmentInFile(workerData.file, segment);
    parentPort.postMessage({ id, result });
  } catch (e) {
    parentPort.postMessage({ id, error: e instanceof Error ? e.stack : String(e) });
  }
});
parentPort.postMessage({ ready: true });
