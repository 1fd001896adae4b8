// The photo set of app/tests/qr_photos.rs (ImageMagick photographs of a
// printed certificate's QR code: close-ups, blur, perspective, JPEG, whole
// A4 pages), each chosen as a picture on the verifier page and read by the
// verifier's worker in Chromium. The page must read every picture the
// decoder read natively and every picture zbar read (bar the listed known
// misses); the table of who read what is printed and saved.
import { test, expect, ready } from "./fixtures.js";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../../", import.meta.url).pathname;
const dir = join(process.env.CARGO_TARGET_DIR ?? join(root, "target"), "qr-photos");

/** The pictures and what zbar and the native decoder read, made by the Rust test if missing. */
function photoSet() {
  const manifest = join(dir, "manifest.json");
  if (!existsSync(manifest)) {
    execFileSync("cargo", ["test", "-q", "-p", "app", "--test", "qr_photos"], { cwd: root, stdio: "inherit", timeout: 900_000 });
  }
  return JSON.parse(readFileSync(manifest, "utf8"));
}

test.beforeEach(async ({ context }) => {
  await context.addInitScript(() => {
    if (!localStorage.getItem("chainclass.settings.v1")) {
      localStorage.setItem("chainclass.settings.v1", JSON.stringify({ lang: "en" }));
    }
  });
});

test("every photo of a printed code that zbar reads, the verifier page reads", async ({ page }) => {
  test.setTimeout(600_000);
  const set = photoSet();
  expect(set.pictures.length).toBeGreaterThanOrEqual(17);
  const rows = [];
  for (const p of set.pictures) {
    await page.goto("#/verify");
    await ready(page);
    await page.getByTestId("scan-image").setInputFiles(join(dir, p.file));
    const verdict = page.locator("[data-verdict]");
    const problem = page.getByTestId("scan-problem");
    await expect(verdict.or(problem)).toBeVisible({ timeout: 60_000 });
    const read = (await verdict.count()) > 0;
    if (read) {
      // The certificate the code holds, not some other text.
      await expect(page.getByTestId("credential-card")).toContainText("CHAN Tai Man 陳大文");
    } else {
      await expect(problem).toContainText("No readable QR code");
    }
    rows.push({ ...p, browser: read });
  }
  const mark = (b) => (b ? "read" : "—");
  const table = ["picture | zbar | ChainClass natively | ChainClass in Chromium"]
    .concat(rows.map((r) => `${r.name} | ${mark(r.zbar)} | ${mark(r.chainclass)} | ${mark(r.browser)}`))
    .concat([`read: zbar ${rows.filter((r) => r.zbar).length}, natively ${rows.filter((r) => r.chainclass).length}, in Chromium ${rows.filter((r) => r.browser).length} of ${rows.length}`]);
  console.log(table.join("\n"));
  mkdirSync("artifacts", { recursive: true });
  writeFileSync("artifacts/qr-photos.txt", table.join("\n") + "\n");
  // The page reads what the same decoder read natively (the worker is that
  // decoder, in wasm) and everything zbar reads but the known misses.
  expect(rows.filter((r) => r.chainclass && !r.browser).map((r) => r.name)).toEqual([]);
  expect(rows.filter((r) => r.zbar && !r.browser && !r.knownMiss).map((r) => r.name)).toEqual([]);
});
