// A PDF worker: plain JavaScript so it starts without a loader, then TypeScript through tsx's API.
// pdfkit typesets on the CPU; a long statement takes a few hundred milliseconds that the server's
// thread spends answering tills instead.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
// The documents' own module (the pool is given it: documents/ knows no domain) exports its typesetters.
const { typesetters } = await import(workerData.module);
parentPort.on('message', async ({ id, kind, input }) => {
  try {
    if (!Object.hasOwn(typesetters, kind)) throw new Error(`unknown document kind ${kind}`);
    const pdf = await typesetters[kind](input);
    // A fresh buffer of its own, handed over without a copy.
    const out = new Uint8Array(pdf.length);
    out.set(pdf);
    parentPort.postMessage({ id, pdf: out }, [out.buffer]);
  } catch (e) {
    parentPort.postMessage({ id, error: e instanceof Error ? e.stack : String(e) });
  }
});
parentPort.postMessage({ ready: true });
