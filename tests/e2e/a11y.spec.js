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
