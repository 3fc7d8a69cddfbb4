// Unknot's service worker (config/pwa.py serves it at /sw.js, so its scope is the whole app).
// Plain JavaScript, rendered only to fill in CONFIG: the version (a hash of the static files and
// the offline pages), the app shell to precache and a few addresses.
//
// - Static files: cache first (their names carry a hash in production; a new version starts an
//   empty cache, so nothing stale is served in development either).
// - Pages: network first. A page of a person who is logged in (it carries the account header) is
//   kept in that account's cache; offline, only the current account's cache is read. Visitors'
//   pages are never kept.
// - Offline, any page of the player (/routines/<id>/play/…) is the offline player, which plays
//   the routines saved on this device from IndexedDB (static/js/offline-player.js); "Before you
//   start", if the account has not kept it, is the copy kept at install; any other page not kept
//   is the offline page.
// - A new version takes over at once and deletes the caches of the old one.
"use strict";

const CONFIG = {{ config|safe }};
const STATIC_CACHE = "unknot-static-" + CONFIG.version;
const SHELL_CACHE = "unknot-shell-" + CONFIG.version;
const PAGES_PREFIX = "unknot-pages-" + CONFIG.version + "-";
const META_CACHE = "unknot-meta";
const ACCOUNT_KEY = "/__unknot/account";
const PLAYER_PATH = /^\/routines\/\d+\/play\//;

let account; // the cache id of the person logged in ("" for nobody); undefined until read

self.addEventListener("install", function (event) {
  event.waitUntil(
    Promise.all([
      caches.open(STATIC_CACHE).then(function (cache) {
        return cache.addAll(CONFIG.precache);
      }),
      caches.open(SHELL_CACHE).then(function (cache) {
        // Without cookies: the offline pages hold nothing of anyone's.
        const urls = [CONFIG.offline_url, CONFIG.offline_player_url].concat(Object.values(CONFIG.kept_pages));
        return Promise.all(
          urls.map(function (url) {
            return fetch(url, { credentials: "omit" }).then(function (response) {
              if (!response.ok) throw new Error("Could not fetch " + url);
              return cache.put(url, response);
            });
          })
        );
      }),
    ]).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (name) {
              if (!name.startsWith("unknot-")) return false;
              if (name === STATIC_CACHE || name === SHELL_CACHE || name === META_CACHE) return false;
              return !name.startsWith(PAGES_PREFIX);
            })
            .map(function (name) {
              return caches.delete(name);
            })
        );
      })
      .then(function () {
        return self.clients.claim();
      })
  );
});

function currentAccount() {
  if (account !== undefined) return Promise.resolve(account);
  return caches
    .open(META_CACHE)
    .then(function (meta) {
      return meta.match(ACCOUNT_KEY);
    })
    .then(function (response) {
      return response ? response.text() : "";
    })
    .then(function (id) {
      account = id;
      return id;
    });
}

// The server said who is logged in (nobody, for a page without the header). Another account's
// kept pages are deleted: they are never served to someone else.
function accountSeen(id) {
  return currentAccount().then(function (known) {
    if (known === id) return null;
    account = id;
    return caches
      .open(META_CACHE)
      .then(function (meta) {
        return id ? meta.put(ACCOUNT_KEY, new Response(id)) : meta.delete(ACCOUNT_KEY);
      })
      .then(function () {
        return caches.keys();
      })
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (name) {
              return name.startsWith("unknot-pages-") && name !== PAGES_PREFIX + id;
            })
            .map(function (name) {
              return caches.delete(name);
            })
        );
      });
  });
}

self.addEventListener("message", function (event) {
  // offline.js, when the person logs out: forget them (the page deletes the caches itself).
  if (event.data && event.data.type === "logout") {
    account = "";
    event.waitUntil(accountSeen(""));
  }
});

function fromShell(url) {
  return caches.open(SHELL_CACHE).then(function (cache) {
    return cache.match(url);
  });
}

function offlinePage(request) {
  const path = new URL(request.url).pathname;
  return currentAccount()
    .then(function (id) {
      if (!id) return null;
      if (PLAYER_PATH.test(path)) return fromShell(CONFIG.offline_player_url);
      return caches.has(PAGES_PREFIX + id).then(function (exists) {
        if (!exists) return null;
        return caches.open(PAGES_PREFIX + id).then(function (cache) {
          // The page as it was last seen, or the same page with other parameters (the app's
          // start address, another page of a list).
          return cache.match(request).then(function (response) {
            return response || cache.match(request, { ignoreSearch: true });
          });
        });
      });
    })
    .then(function (response) {
      // A page the same for everyone, kept at install (for visitors too: it holds nothing of theirs).
      if (!response && CONFIG.kept_pages[path]) return fromShell(CONFIG.kept_pages[path]);
      return response;
    })
    .then(function (response) {
      return response || fromShell(CONFIG.offline_url);
    })
    .then(function (response) {
      return response || Response.error();
    });
}

function page(event) {
  const request = event.request;
  return fetch(request)
    .then(function (response) {
      const type = response.headers.get("Content-Type") || "";
      if (type.startsWith("text/html") && response.type === "basic") {
        const id = response.headers.get(CONFIG.account_header) || "";
        const path = new URL(response.url).pathname;
        const copy = response.clone(); // before the browser reads the body
        event.waitUntil(
          accountSeen(id).then(function () {
            // The player's own pages hold a run in progress: offline, the offline player stands in.
            if (!id || !response.ok || PLAYER_PATH.test(path)) return null;
            return caches.open(PAGES_PREFIX + id).then(function (cache) {
              return cache.put(request, copy);
            });
          })
        );
      }
      return response;
    })
    .catch(function () {
      return offlinePage(request);
    });
}

function staticFile(request) {
  return caches.open(STATIC_CACHE).then(function (cache) {
    return cache.match(request).then(function (cached) {
      if (cached) return cached;
      return fetch(request).then(function (response) {
        if (response.ok) cache.put(request, response.clone());
        return response;
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== "GET") {
    // A step of the player sent as the network drops: the offline player takes over, rather than
    // the browser's error page (the run kept on the server can be resumed or discarded later).
    if (request.mode === "navigate" && PLAYER_PATH.test(url.pathname)) {
      event.respondWith(
        fetch(request).catch(function () {
          return offlinePage(new Request(request.url));
        })
      );
    }
    return;
  }
  if (url.pathname.startsWith(CONFIG.static_prefix)) {
    event.respondWith(staticFile(request));
  } else if (request.mode === "navigate") {
    event.respondWith(page(event));
  }
});
