/* The till's service worker: the page and its assets are kept so that a reload opens the till offline.
   Pages are fetched from the network first (a new version is picked up at once), then the cache; hashed
   assets never change, so the cache answers them first. The API is never cached: the till keeps its own
   data in IndexedDB. */
// The page it serves is its scope's (`/caisse/`, or `/salle/` for the waiter's phone, whose worker imports
// this one): each app keeps its own cache.
const PAGE = new URL(self.registration.scope).pathname;
const CACHE = `comptoir-${PAGE.replace(/\//g, '')}-v1`;

async function cachePage() {
  const cache = await caches.open(CACHE);
  const res = await fetch(PAGE, { cache: 'no-cache' });
  if (!res.ok) return;
  const html = await res.clone().text();
  await cache.put(PAGE, res);
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+|\/[a-z]+\/manifest\.webmanifest)"/g)].map((m) => m[1]);
  await cache.addAll(assets);
}

self.addEventListener('install', (event) => {
  event.waitUntil(cachePage().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k !== CACHE && k.startsWith(`comptoir-${PAGE.replace(/\//g, '')}-`)).map((k) => caches.delete(k))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/socket.io/')) return;
  if (event.request.mode === 'navigate' && url.pathname.startsWith(PAGE)) {
    event.respondWith(
      fetch(event.request)
        .then((res) => {
          if (res.ok) {
            const copy = res.clone();
            void caches.open(CACHE).then((c) => c.put(PAGE, copy));
            // A new version of the page may name new assets: keep them too.
            void cachePage().catch(() => undefined);
          }
          return res;
        })
        .catch(() => caches.match(PAGE).then((r) => r || Response.error())),
    );
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(
      caches.match(event.request).then(
        (hit) =>
          hit ||
          fetch(event.request).then((res) => {
            if (res.ok) {
              const copy = res.clone();
              void caches.open(CACHE).then((c) => c.put(event.request, copy));
            }
            return res;
          }),
      ),
    );
  }
});
