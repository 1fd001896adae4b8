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
