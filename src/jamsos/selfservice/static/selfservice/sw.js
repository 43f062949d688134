// The service worker of the workers' pages. CARD_ASSETS (the style sheets of the card) and
// SIGN_OUT (the sign-out address) are written above this line by the server.
//
// The card (/peserta/) is fetched from the network first; a page that arrives whole is kept,
// and shown again, read only, when the network fails. A visit that ends on the sign-in page
// (signed out), or signing out, removes the kept card, so that the next person on the phone does not see it.
const CACHE = "jamsos-card-v1";
const CARD = "/peserta/";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) { return cache.addAll(CARD_ASSETS); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n !== CACHE; })
        .map(function (n) { return caches.delete(n); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function cardPage(request) {
  return fetch(request).then(function (response) {
    const cardShown = response.ok && !response.redirected && response.type === "basic";
    return caches.open(CACHE).then(function (cache) {
      if (cardShown) {
        return cache.put(CARD, response.clone()).then(function () { return response; });
      }
      return cache.delete(CARD).then(function () { return response; });
    });
  }).catch(function () {
    return caches.match(CARD).then(function (kept) {
      return kept || Response.error();
    });
  });
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.method === "POST" && url.pathname === SIGN_OUT) {
    event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.delete(CARD); }));
    return;
  }
  if (request.method !== "GET") { return; }
  if (request.mode === "navigate" && url.pathname === CARD && url.search === "") {
    event.respondWith(cardPage(request));
    return;
  }
  if (CARD_ASSETS.indexOf(url.pathname) !== -1) {
    event.respondWith(
      fetch(request).then(function (response) {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then(function (cache) { cache.put(url.pathname, copy); });
        }
        return response;
      }).catch(function () { return caches.match(url.pathname); })
    );
  }
});
