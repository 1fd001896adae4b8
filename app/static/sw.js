// ChainClass's offline copy: a service worker that keeps every file of one
// build (all four pages, their wasm, JavaScript and CSS, the verifier's
// worker, the icon and the manifest) in a cache named after that build, and
// answers the pages from it, so the app opens and works with no network
// after one visit.
//
// `cargo xtask` writes dist/sw.js from this file: it fills in VERSION (a
// hash of every file of the build) and FILES (their names, relative to
// where the app is served). A new build is a new sw.js, which the browser
// installs beside the old one: the old one keeps answering until every
// page is closed or the reader chooses "Reload" on the page's notice, so a
// page never mixes files of two builds. Only GET requests for this origin,
// inside this folder, are answered; everything else (another site, a
// revocation list, a file the build does not have) goes to the network as
// if there were no service worker, and nothing from the network is kept.
const VERSION = "__CHAINCLASS_VERSION__";
const FILES = ["__CHAINCLASS_FILES__"];

const PREFIX = "chainclass-";
const CACHE = `${PREFIX}${VERSION}`;
// Which build was answering before this one: its cache is kept for pages
// still open on it (they may fetch a file later, e.g. the verifier's worker),
// and removed when the build after this one takes over.
const META = `${PREFIX}meta`;
const scope = self.registration.scope;

self.addEventListener("install", (event) => {
  // Fetched afresh: a file the browser's HTTP cache holds may be older.
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(FILES.map((f) => new Request(new URL(f, scope), { cache: "reload" })))),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const meta = await caches.open(META);
    const before = await meta.match("current").then((r) => (r ? r.text() : null));
    const keep = new Set([CACHE, META]);
    if (before && before !== CACHE) keep.add(before);
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && !keep.has(name)) await caches.delete(name);
    }
    await meta.put("current", new Response(CACHE));
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  // A page's "Reload" on the new-version notice.
  if (event.data === "chainclass-update") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(scope)) return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  let name = decodeURIComponent(url.pathname.slice(new URL(scope).pathname.length));
  if (name === "") name = "index.html";
  if (FILES.includes(name)) {
    event.respondWith(
      caches.open(CACHE)
        .then((cache) => cache.match(new URL(name, scope).href))
        .then((hit) => hit ?? fetch(request)),
    );
  } else if (HASHED.test(name)) {
    // A file of the build before (a page still open on it fetches its
    // verifier's worker): from that build's cache.
    event.respondWith(
      caches.keys()
        .then((names) => names.filter((n) => n.startsWith(PREFIX) && n !== META))
        .then((names) => Promise.all(names.map((n) => caches.open(n).then((c) => c.match(new URL(name, scope).href)))))
        .then((hits) => hits.find(Boolean) ?? fetch(request)),
    );
  }
});

// The names a build gives its files: a content hash before the ending.
const HASHED = /^[A-Za-z0-9_-]+-[0-9a-f]{16}(?:_bg\.wasm|_loader\.js|\.js|\.css)$/;
