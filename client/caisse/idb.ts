/**
 * The till's own storage (IndexedDB): the catalogue and settings to sell offline, the tickets waiting for
 * the server (outbox), parked tickets, and tickets the server refused (kept, never dropped).
 */
export type Store = 'kv' | 'outbox' | 'parked' | 'refused' | 'sent';

let opening: Promise<IDBDatabase> | null = null;

export function openTillDb(name = 'comptoir-caisse'): Promise<IDBDatabase> {
  opening ??= new Promise((resolve, reject) => {
    // Version 2 adds `sent`: the tickets the server acknowledged, kept two weeks to send again to a server
    // restored from a backup that lacks them.
    const req = indexedDB.open(name, 2);
    req.onupgradeneeded = () => {
      const db = req.result;
      const make = (store: Store, keyPath?: string) => {
        if (!db.objectStoreNames.contains(store)) db.createObjectStore(store, keyPath ? { keyPath } : undefined);
      };
      make('kv');
      make('outbox', 'seq');
      make('parked', 'id');
      make('refused', 'seq');
      make('sent', 'id');
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return opening;
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

function result<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export async function get<T>(store: Store, key: IDBValidKey): Promise<T | undefined> {
  const db = await openTillDb();
  return result(db.transaction(store).objectStore(store).get(key)) as Promise<T | undefined>;
}

export async function all<T>(store: Store): Promise<T[]> {
  const db = await openTillDb();
  return result(db.transaction(store).objectStore(store).getAll()) as Promise<T[]>;
}

export async function put(store: Store, value: unknown, key?: IDBValidKey): Promise<void> {
  const db = await openTillDb();
  const tx = db.transaction(store, 'readwrite');
  tx.objectStore(store).put(value, key);
  return done(tx);
}

export async function del(store: Store, key: IDBValidKey): Promise<void> {
  const db = await openTillDb();
  const tx = db.transaction(store, 'readwrite');
  tx.objectStore(store).delete(key);
  return done(tx);
}

/** Moves a record from one store to another in one transaction (a refused ticket leaves the outbox). */
export async function move(from: Store, to: Store, key: IDBValidKey, value: unknown): Promise<void> {
  const db = await openTillDb();
  const tx = db.transaction([from, to], 'readwrite');
  tx.objectStore(from).delete(key);
  tx.objectStore(to).put(value);
  return done(tx);
}

/**
 * Takes the till's next ticket number and queues the ticket under it, in one transaction: a number is used
 * only by a ticket safely stored, so the sequence has no gap and no number twice, even if the tablet dies.
 */
export async function numberAndQueue<T extends object>(
  counterKey: string,
  atLeastAfter: number,
  make: (number: number) => T,
): Promise<T & { seq: number }> {
  const db = await openTillDb();
  const tx = db.transaction(['kv', 'outbox'], 'readwrite');
  const kv = tx.objectStore('kv');
  const last = ((await result(kv.get(counterKey))) as number | undefined) ?? 0;
  const number = Math.max(last, atLeastAfter) + 1;
  // The outbox is sent in the order tickets were queued (their numbers, across a mode change too).
  const seq = (((await result(kv.get('outbox.seq'))) as number | undefined) ?? 0) + 1;
  const ticket = { ...make(number), seq };
  kv.put(number, counterKey);
  kv.put(seq, 'outbox.seq');
  tx.objectStore('outbox').put(ticket);
  await done(tx);
  return ticket;
}

/** Puts requests back in the outbox, after what is queued, keeping their ids, numbers and bodies. */
export async function requeue<T extends object>(items: readonly T[]): Promise<void> {
  const db = await openTillDb();
  const tx = db.transaction(['kv', 'outbox'], 'readwrite');
  const kv = tx.objectStore('kv');
  let seq = ((await result(kv.get('outbox.seq'))) as number | undefined) ?? 0;
  for (const item of items) tx.objectStore('outbox').put({ ...item, seq: ++seq });
  kv.put(seq, 'outbox.seq');
  return done(tx);
}

/** The server recorded a ticket under a later number than this tablet gave it: the next one follows it. */
export async function raiseCounter(counterKey: string, atLeast: number): Promise<void> {
  const db = await openTillDb();
  const tx = db.transaction('kv', 'readwrite');
  const kv = tx.objectStore('kv');
  const last = ((await result(kv.get(counterKey))) as number | undefined) ?? 0;
  if (atLeast > last) kv.put(atLeast, counterKey);
  return done(tx);
}
