// Shared test fixture: every page is watched for console errors, page errors
// and any request that leaves the app's origin; a test fails if any happen.
import { test as base, expect } from "@playwright/test";
import { mkdirSync } from "node:fs";

export const test = base.extend({
  page: async ({ page, baseURL }, use, testInfo) => {
    const origin = new URL(baseURL).origin;
    const problems = [];
    // A test that provokes a failure on purpose names the console error it
    // expects (`page.allowConsoleError(/…/)`); any other still fails it.
    const allowed = [];
    page.allowConsoleError = (pattern) => allowed.push(pattern);
    page.on("console", (msg) => {
      if (msg.type() !== "error" || allowed.some((p) => p.test(msg.text()))) return;
      // A status list not uploaded yet is a state the desk's checklist and
      // the verifier put in words; the browser still logs the 404.
      if (/status of 404/.test(msg.text()) && /\/status\/[^/]+\.json$/.test(msg.location().url ?? "")) return;
      problems.push(`console error: ${msg.text()}`);
    });
    page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
    page.on("request", (req) => {
      const url = req.url();
      if (url.startsWith("data:") || url.startsWith("blob:")) return;
      if (new URL(url).origin !== origin) problems.push(`foreign request: ${url}`);
    });
    await use(page);
    expect(problems, `problems on ${testInfo.title}`).toEqual([]);
  },
});

export { expect };

/** Saves a full-page screenshot under tests/artifacts/screenshots/. */
export async function snap(page, name) {
  mkdirSync("artifacts/screenshots", { recursive: true });
  await page.screenshot({ path: `artifacts/screenshots/${name}.png`, fullPage: true });
}

/**
 * Waits until the Yew app has rendered its shell on the page that owns the
 * route (a page shown a route of another page says "Opening…" while it
 * hands over: see app/src/route.rs, Section).
 */
export async function ready(page) {
  await page.locator("header.top nav").waitFor();
  await page.locator("[data-opening]").waitFor({ state: "detached" });
  await page.locator("header.top nav").waitFor();
}

/** Stores `text` under `key` in the app's IndexedDB key-value store, as the app would. */
export async function storeRaw(page, key, text) {
  await page.evaluate(([key, text]) => new Promise((resolve, reject) => {
    const open = indexedDB.open("chainclass", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("kv");
    open.onsuccess = () => {
      const tx = open.result.transaction("kv", "readwrite");
      tx.objectStore("kv").put(text, key);
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
    open.onerror = () => reject(open.error);
  }), [key, text]);
}

/** The text the app stored under `key` (undefined if none). */
export async function readStored(page, key) {
  return page.evaluate((key) => new Promise((resolve, reject) => {
    const open = indexedDB.open("chainclass", 1);
    open.onsuccess = () => {
      const get = open.result.transaction("kv").objectStore("kv").get(key);
      get.onsuccess = () => { open.result.close(); resolve(get.result); };
      get.onerror = () => reject(get.error);
    };
    open.onerror = () => reject(open.error);
  }), key);
}

/** Every value the origin stores (every IndexedDB database and store, localStorage, sessionStorage), as one text. */
export async function dumpOrigin(page) {
  return page.evaluate(async () => {
    const out = [];
    for (const store of [localStorage, sessionStorage]) {
      for (let i = 0; i < store.length; i++) out.push(store.key(i), store.getItem(store.key(i)));
    }
    const all = (db, storeName, method) => new Promise((resolve, reject) => {
      const req = db.transaction(storeName).objectStore(storeName)[method]();
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    for (const { name, version } of await indexedDB.databases()) {
      const db = await new Promise((resolve, reject) => {
        const open = indexedDB.open(name, version);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const storeName of db.objectStoreNames) {
        out.push(name, storeName, JSON.stringify(await all(db, storeName, "getAllKeys")), JSON.stringify(await all(db, storeName, "getAll")));
      }
      db.close();
    }
    return out.join("\n");
  });
}
