// Accessibility of the verifier's answers (axe-core, injected from npm): a
// valid, a tampered, a revoked-looking and a presentation result, in both
// languages, on a laptop and a phone, with no serious or critical
// violation.
import { test, expect, ready } from "./fixtures.js";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const gen = (name) => readFileSync(new URL(`../fixtures/generated/${name}`, import.meta.url), "utf8");

async function seriousViolations(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.length} × ${v.nodes.slice(0, 2).map((n) => n.target.join(" ")).join(", ")}`);
  });
  return result;
}

for (const [size, viewport] of [["laptop", { width: 1366, height: 768 }], ["phone", { width: 390, height: 844 }]]) {
  for (const lang of ["en", "zh-HK"]) {
    test(`the verifier's answers have no serious accessibility violation (${size}, ${lang})`, async ({ browser }) => {
      // The app's CSP refuses injected scripts; this test alone lets axe in.
      const context = await browser.newContext({ viewport, bypassCSP: true });
      await context.addInitScript((l) => localStorage.setItem("chainclass.settings.v1", JSON.stringify({ lang: l })), lang);
      const page = await context.newPage();
      const found = [];
      for (const name of ["valid.json", "tampered.json", "expired.json", "presentation.json"]) {
        await page.goto("#/verify");
        await ready(page);
        await page.getByTestId("verify-input").fill(gen(name));
        await page.getByTestId("verify-submit").click();
        await expect(page.getByTestId("answer")).toBeVisible();
        for (const v of await seriousViolations(page)) found.push(`${name}: ${v}`);
      }
      await context.close();
      expect(found).toEqual([]);
    });
  }
}

/** Where each page of the app can be, and how to bring it there. */
const ROUTES = [
  ["home", "./"], ["about", "#/about"], ["verify", "#/verify"], ["wallet", "wallet.html"],
  ["learn", "learn.html"],
  ...["hash", "block", "chain", "keys", "transactions", "merkle", "network"].map((l) => [`lesson ${l}`, `learn.html#/learn/${l}`]),
];

for (const [size, viewport] of [["laptop", { width: 1366, height: 768 }], ["phone", { width: 390, height: 844 }]]) {
  for (const lang of ["en", "zh-HK"]) {
    test(`every page, lesson and desk tab: no serious accessibility violation, nothing wider than the screen (${size}, ${lang})`, async ({ browser }) => {
      test.setTimeout(180_000);
      const context = await browser.newContext({ viewport, bypassCSP: true });
      await context.addInitScript((l) => localStorage.setItem("chainclass.settings.v1", JSON.stringify({ lang: l })), lang);
      const page = await context.newPage();
      const found = [];
      const look = async (where) => {
        for (const v of await seriousViolations(page)) found.push(`${where}: ${v}`);
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        if (wide > viewport.width) found.push(`${where}: ${wide} px wide on a ${viewport.width} px screen`);
      };
      for (const [name, url] of ROUTES) {
        await page.goto(url);
        await ready(page);
        await page.waitForTimeout(200);
        await look(name);
      }
      // The desk, set up, with a certificate issued and a class handed out.
      await page.goto("teach.html");
      await ready(page);
      await page.getByTestId("key-passphrase").fill("harbour view 2026 desk");
      await page.getByTestId("key-passphrase-again").fill("harbour view 2026 desk");
      await page.getByTestId("create-issuer").click();
      await expect(page.getByTestId("issuer-did")).toHaveText(/^did:key:z6Mk/);
      await page.getByTestId("school-name-en").fill("Harbour View Secondary School");
      await page.getByTestId("school-name-zh").fill("海景中學");
      await page.getByTestId("save-profile").click();
      await page.locator('[data-tab="batch"]').click();
      const csv = "name,email\nChan Tai Man,tai.man@s.example.edu.hk\nLee Ka Yan,ka.yan@s.example.edu.hk\n";
      await page.getByTestId("roster-file").setInputFiles({ name: "c.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
      await page.getByTestId("issue-batch").click();
      await expect(page.getByTestId("batch-done")).toBeVisible();
      for (const tab of ["identity", "templates", "issue", "batch", "issued"]) {
        await page.locator(`[data-tab="${tab}"]`).click();
        await page.waitForTimeout(200);
        await look(`desk ${tab}`);
      }
      await page.goto("teach.html#/print-batch/all/slips");
      await ready(page);
      await expect(page.getByTestId("slip")).toHaveCount(2);
      await look("desk slips");
      await context.close();
      expect(found).toEqual([]);
    });
  }
}
