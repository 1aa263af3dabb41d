// Alongside's service worker: the app shell offline, and the check-in page for offline check-ins.
//
// - Static files (CSS, scripts, icons) are served from the cache first and refreshed in the background.
// - The pages listed in OFFLINE_PAGES are fetched from the network first and kept for when the network is
//   gone; any other page falls back to the offline page. Nothing else is cached: no client data, no API.
// - Signing out answers with Clear-Site-Data ("cache", "storage"), which empties these caches, the queue
//   of unsent check-ins and this worker's registration, so nothing of the person stays on the device.
const VERSION = "alongside-v1";
const OFFLINE_URL = "/offline/";
const OFFLINE_PAGES = ["/selfcare/checkin/", OFFLINE_URL];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(VERSION).then((cache) => cache.add(new Request(OFFLINE_URL, { credentials: "same-origin" }))),
  );
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name !== VERSION).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

async function staticFirst(request) {
  const cache = await caches.open(VERSION);
  const cached = await cache.match(request);
  const fresh = fetch(request)
    .then((response) => {
      if (response.ok) cache.put(request, response.clone());
      return response;
    })
    .catch(() => cached);
  return cached || fresh;
}

async function pageNetworkFirst(request, keep) {
  const cache = await caches.open(VERSION);
  try {
    const response = await fetch(request);
    if (keep && response.ok && !response.redirected) cache.put(request, response.clone());
    return response;
  } catch (error) {
    return (keep && (await cache.match(request))) || (await cache.match(OFFLINE_URL)) || Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(staticFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(pageNetworkFirst(request, OFFLINE_PAGES.includes(url.pathname)));
  }
});

// Web Push (alongside.notify.webpush): a content-free notice ("You have an update") on a device whose person turned
// notifications on for it. The link is always a path on this site, opened in a window of the app.
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = {};
  }
  const url = typeof data.url === "string" && data.url.startsWith("/") && !data.url.startsWith("//") ? data.url : "/";
  event.waitUntil(
    self.registration.showNotification(data.title || "Alongside", {
      body: data.body || "",
      data: { url },
      icon: "/static/web/icon-192.png",
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || "/";
  event.waitUntil(self.clients.openWindow(url));
});
