// Static server for the end-to-end tests: serves ../dist under a sub-path
// (/chainclass/) on 127.0.0.1, as a school web server or GitHub Pages would,
// with the right MIME types (application/wasm is needed for streaming
// compilation). Anything outside the sub-path is a 404.
//
// Two test-only paths under the sub-path stand in for hostile websites
// (tests/e2e/hostile.spec.js): `__test/redirect/…` answers every request
// with a redirect to the same path without the prefix, and `__test/endless/…`
// streams JSON-looking bytes forever, chunked, with no Content-Length; it
// counts what it sent at `__test/endless-sent`.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = resolve(process.env.DIST_DIR ?? join(here, "..", "dist"));
const base = process.env.BASE_PATH ?? "/chainclass/";
const port = Number(process.env.PORT ?? 4173);
const types = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml",
  ".json": "application/json", ".webmanifest": "application/manifest+json", ".png": "image/png",
};

let endlessSent = 0;

createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  if (url.pathname === base.slice(0, -1)) {
    res.writeHead(301, { location: base }).end();
    return;
  }
  if (!url.pathname.startsWith(base)) {
    res.writeHead(404).end("not found");
    return;
  }
  const test = `${base}__test/`;
  if (url.pathname.startsWith(`${test}redirect/`)) {
    res.writeHead(302, { location: `${base}${url.pathname.slice(test.length + "redirect/".length)}` }).end();
    return;
  }
  if (url.pathname.startsWith(`${test}endless/`)) {
    res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    res.write("{");
    const more = () => {
      while (!res.destroyed && res.write(chunk)) endlessSent += chunk.length;
      if (!res.destroyed) res.once("drain", () => { endlessSent += chunk.length; more(); });
    };
    req.on("close", () => res.destroy());
    more();
    return;
  }
  if (url.pathname === `${test}endless-sent`) {
    res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" }).end(String(endlessSent));
    return;
  }
  let rel = decodeURIComponent(url.pathname.slice(base.length)) || "index.html";
  const file = normalize(join(root, rel));
  if (!file.startsWith(root)) {
    res.writeHead(403).end();
    return;
  }
  try {
    const info = await stat(file);
    const path = info.isDirectory() ? join(file, "index.html") : file;
    const body = await readFile(path);
    res.writeHead(200, {
      "content-type": types[extname(path)] ?? "application/octet-stream",
      "cache-control": "no-store",
    }).end(body);
  } catch {
    res.writeHead(404).end("not found");
  }
}).listen(port, "127.0.0.1", () => {
  console.log(`serving ${root} at http://127.0.0.1:${port}${base}`);
});
