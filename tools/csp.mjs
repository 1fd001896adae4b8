// Trunk post-build hook: fills the Content-Security-Policy placeholder in the
// staged index.html with the SHA-256 hashes of its inline scripts (Trunk's
// wasm loader), so the policy never needs 'unsafe-inline'.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("csp.mjs: TRUNK_STAGING_DIR is not set (run by Trunk as a post_build hook)");
  process.exit(1);
}
const file = join(dir, "index.html");
const html = readFileSync(file, "utf8");
const hashes = [];
for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
  hashes.push(`'sha256-${createHash("sha256").update(m[1], "utf8").digest("base64")}'`);
}
if (!html.includes("CSP_SCRIPT_HASHES")) {
  console.error("csp.mjs: index.html has no CSP_SCRIPT_HASHES placeholder");
  process.exit(1);
}
writeFileSync(file, html.replace("CSP_SCRIPT_HASHES", hashes.join(" ")));
console.log(`csp.mjs: ${hashes.length} inline script hash(es) added to the CSP`);
