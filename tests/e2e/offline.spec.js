// The offline copy (app/static/sw.js): after one visit every page, every
// lesson, the verifier and the desk work with the network off; a new build
// is announced, never mixed with the old one, and taken on "Reload now".
import { test, expect, ready } from "./fixtures.js";
import { setUpSchool, issue, download, unlock } from "./desk.js";
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const dist = new URL("../../dist/", import.meta.url).pathname;
const gen = (name) => readFileSync(new URL(`../fixtures/generated/${name}`, import.meta.url), "utf8");

const LESSONS = ["hash", "block", "chain", "keys", "transactions", "merkle", "network"];

test.beforeEach(async ({ context }) => {
  await context.addInitScript(() => {
    if (!localStorage.getItem("chainclass.settings.v1")) {
      localStorage.setItem("chainclass.settings.v1", JSON.stringify({ lang: "en" }));
    }
  });
});

/** Waits until the service worker answers this page (its files are all cached by then). */
async function offlineReady(page) {
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 30_000 });
  return page.evaluate(async () => {
    const names = await caches.keys();
    const build = names.find((n) => n.startsWith("chainclass-") && n !== "chainclass-meta");
    return (await (await caches.open(build)).keys()).map((r) => new URL(r.url).pathname);
  });
}

test("after one visit, every page, lesson, the verifier and the desk work offline", async ({ page, context }) => {
  test.setTimeout(180_000);
  await page.goto("#/verify");
  await ready(page);
  const cached = await offlineReady(page);
  // Everything of the build, under the sub-path it is served from.
  const expected = JSON.parse(/const FILES = (\[.*\]);/.exec(readFileSync(join(dist, "sw.js"), "utf8"))[1]);
  expect(cached.sort()).toEqual(expected.map((f) => `/chainclass/${f}`).sort());
  for (const f of ["index.html", "wallet.html", "learn.html", "teach.html", "manifest.webmanifest", "favicon.svg"]) {
    expect(expected).toContain(f);
  }
  expect(expected.filter((f) => f.endsWith("_bg.wasm"))).toHaveLength(5);

  // Online: the desk issues a certificate and the teacher publishes the
  // revocation list beside the site (here: into the served dist/); the
  // certificate's link verifies with the list fetched.
  await setUpSchool(page);
  await issue(page, "Wong Siu Ming");
  const link = await page.getByTestId("share-link").inputValue();
  await page.locator('[data-tab="issued"]').click();
  const lists = await download(page, "download-status-lists");
  const listUrl = new URL(JSON.parse(lists.text).id);
  const published = join(dist, listUrl.pathname.replace("/chainclass/", ""));
  mkdirSync(dirname(published), { recursive: true });
  writeFileSync(published, lists.text);
  try {
    await page.goto(link);
    await ready(page);
    await expect(page.getByTestId("answer")).toHaveAttribute("data-answer", "authentic");

    await context.setOffline(true);
    // Requests that need the network fail (each also logs a console error,
    // which the fixture would otherwise count): see the end.
    const failed = [];
    page.on("requestfailed", (r) => failed.push(new URL(r.url()).pathname));
    page.allowConsoleError(/net::ERR_INTERNET_DISCONNECTED/);
    // Nothing can come from the network now.
    expect(await page.evaluate(() => fetch("status/none.json").then(() => "fetched", () => "offline"))).toBe("offline");

    // Every page opens from the offline copy, by its own address and by deep link.
    for (const [url, heading] of [
      ["./", "home"], ["#/about", "about"], ["wallet.html", "wallet"], ["learn.html", "learn"], ["teach.html", "teach"],
    ]) {
      await page.goto(url);
      await ready(page);
      await expect(page.locator(`[data-page="${heading}"]`).first()).toBeVisible();
    }
    for (const slug of LESSONS) {
      await page.goto(`learn.html#/learn/${slug}`);
      await ready(page);
      await expect(page.locator(`[data-lesson="${slug}"]`)).toBeVisible();
    }
    // A lesson's real work: mining a block in the browser.
    await page.goto("learn.html#/learn/block");
    await ready(page);
    await page.getByTestId("mine").click();
    await expect(page.getByTestId("mine-result")).toContainText("Found nonce", { timeout: 30_000 });
    await expect(page.getByTestId("block")).toHaveAttribute("data-valid", "true");

    // The verifier, pasted text and a link.
    await page.goto("#/verify");
    await ready(page);
    await page.getByTestId("verify-input").fill(gen("valid.json"));
    await page.getByTestId("verify-submit").click();
    await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "valid");
    await page.goto(`#/verify?vc=${gen("valid.link.txt")}`);
    await ready(page);
    await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "valid");

    // The desk issues with no network.
    await page.goto("teach.html");
    await ready(page);
    await unlock(page);
    await issue(page, "Lee Ka Yan");
    await expect(page.getByTestId("share-link")).toHaveValue(/#\/verify\?vc=C1\./);

    // The first certificate's link offline: its signature is checked, and
    // the answer says the revocation list could not be fetched because the
    // device is offline, and when it was last fetched, rather than failing.
    await page.goto(link);
    await ready(page);
    await expect(page.getByTestId("answer")).toHaveAttribute("data-answer", "status_unchecked");
    await expect(page.getByTestId("answer-facts")).toContainText("Issued to Wong Siu Ming");
    await expect(page.getByTestId("status-fetch-failed")).toContainText("this device is offline");
    await expect(page.getByTestId("status-fetch-failed")).toContainText(/This browser last fetched the list on \d{1,2} [A-Z][a-z]{2} \d{4}\./);
    await page.locator('button[data-lang="zh-HK"]').click();
    await expect(page.getByTestId("status-fetch-failed")).toContainText("這部裝置目前離線");
    await expect(page.getByTestId("status-fetch-failed")).toContainText(/這個瀏覽器上次於\d{4}年\d{1,2}月\d{1,2}日取得這份清單。/);
    await context.setOffline(false);
    // Only what needs the network failed: the probe, the revocation list
    // (the verifier's fetch, and the desk's publishing check), and the
    // browser's own fetch of the tab icon, which service workers do not
    // answer (the page's own use of the icon is answered).
    expect(failed[0]).toBe("/chainclass/status/none.json");
    expect(failed).toContain(listUrl.pathname);
    expect(failed.filter((p) => p !== "/chainclass/status/none.json" && p !== listUrl.pathname && p !== "/chainclass/favicon.svg")).toEqual([]);
  } finally {
    rmSync(published, { force: true });
  }
});

/** Serves a copy of dist/ on its own port (a second web server the test can change). */
async function serveCopy(port) {
  const root = mkdtempSync(join(tmpdir(), "chainclass-dist-"));
  cpSync(dist, root, { recursive: true });
  const server = spawn("node", [new URL("../serve.mjs", import.meta.url).pathname], {
    env: { ...process.env, PORT: String(port), BASE_PATH: "/chainclass/", DIST_DIR: root },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise((resolve) => server.stdout.once("data", resolve));
  return { root, url: `http://127.0.0.1:${port}/chainclass/`, stop: () => { server.kill(); rmSync(root, { recursive: true, force: true }); } };
}

test("a new build is announced, never mixed with the old one, and taken on Reload now", async ({ browser }) => {
  test.setTimeout(120_000);
  const site = await serveCopy(4180 + (test.info().workerIndex % 10));
  const context = await browser.newContext();
  const problems = [];
  try {
    const page = await context.newPage();
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
    await page.goto(`${site.url}#/verify`);
    await ready(page);
    await offlineReady(page);
    await expect(page.getByTestId("update-ready")).toHaveCount(0);

    // The school uploads a new build: another page text, so another sw.js.
    const sw = readFileSync(join(site.root, "sw.js"), "utf8");
    const version = /const VERSION = "([0-9a-f]{16})"/.exec(sw)[1];
    writeFileSync(join(site.root, "sw.js"), sw.replace(version, "0123456789abcdef"));
    const html = readFileSync(join(site.root, "index.html"), "utf8");
    writeFileSync(join(site.root, "index.html"), html.replace("<title>", '<meta name="chainclass-build" content="new"><title>'));

    // The next visit still shows the old build, whole, and says a new one is ready.
    await page.reload();
    await ready(page);
    await expect(page.getByTestId("update-ready")).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId("update-ready")).toContainText("A new version of ChainClass is ready");
    await expect(page.locator('meta[name="chainclass-build"]')).toHaveCount(0);
    // The old build still verifies (its files all come from its own cache).
    await page.getByTestId("verify-input").fill(gen("valid.json"));
    await page.getByTestId("verify-submit").click();
    await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "valid");

    // In 繁體中文 too.
    await page.locator('button[data-lang="zh-HK"]').click();
    await expect(page.getByTestId("update-ready")).toContainText("新版本已準備好");
    await page.locator('button[data-lang="en"]').click();

    // "Reload now": the new build, and no notice.
    await page.getByTestId("update-ready").getByRole("button", { name: "Reload now" }).click();
    await expect(page.locator('meta[name="chainclass-build"]')).toHaveCount(1, { timeout: 30_000 });
    await ready(page);
    await expect(page.getByTestId("update-ready")).toHaveCount(0);
    // The old build's cache stays for tabs still open on it; older ones go.
    const caches = await page.evaluate(() => caches.keys());
    expect(caches).toContain("chainclass-0123456789abcdef");
    expect(caches).toContain(`chainclass-${version}`);
    expect(problems).toEqual([]);
  } finally {
    await context.close();
    site.stop();
  }
});
