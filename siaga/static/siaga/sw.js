/* The phone's service worker, served at /sw.js by views_offline with `self.SIAGA` written in
 * front of it: the Workbox modules to load (vendored), the precache manifest (the phone, apel
 * and board pages' scripts and style sheets, each with a hash), the pattern of the pages kept
 * network-first and the sign-in and sign-out addresses.
 *
 * The pages themselves are fetched from the network first and kept (a 200 only: never a
 * redirect to the sign-in page), so a reload without signal shows the last copy: the post, the
 * forms, and the queue (kept by the page in IndexedDB, queue.js). Writes are never touched here:
 * the page queues them and sends them itself, each with its idempotency key. Signing in or out
 * forgets the kept pages (they are one user's).
 */
/* global workbox */
importScripts(...self.SIAGA.workbox);

const PAGES = "siaga-pages";
const pages = new RegExp(self.SIAGA.pages);

workbox.precaching.cleanupOutdatedCaches();
workbox.precaching.precacheAndRoute(self.SIAGA.precache);

const isPage = (url) => url.origin === self.location.origin && pages.test(url.pathname);

workbox.routing.registerRoute(
  ({ request, url }) => request.mode === "navigate" && isPage(url),
  new workbox.strategies.NetworkFirst({
    cacheName: PAGES,
    networkTimeoutSeconds: 6, // a weak signal: the kept copy after 6 s, the fresh one still stored when it comes
    matchOptions: { ignoreVary: true },
    plugins: [{ cacheWillUpdate: async ({ response }) => (response.status === 200 && response.type === "basic" ? response : null) }],
  }),
);

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method === "POST" && url.origin === self.location.origin && self.SIAGA.forget.includes(url.pathname)) {
    event.waitUntil(caches.delete(PAGES));
  }
});

self.addEventListener("install", () => self.skipWaiting());

// The page that registered this worker was loaded before it: keep that page too, and take it
// over, so that its first reload without signal already works.
self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      await self.clients.claim();
      const windows = await self.clients.matchAll({ type: "window" });
      const cache = await caches.open(PAGES);
      await Promise.all(
        windows
          .map((w) => new URL(w.url))
          .filter(isPage)
          .map((url) => cache.add(url.pathname + url.search).catch(() => undefined)),
      );
    })(),
  );
});
