// The app shell: every top-level route by nav click and by deep link under a
// sub-path, the language switch and its persistence, static-host basics.
import { test, expect, snap, ready } from "./fixtures.js";

const ROUTES = [
  { id: "home", hash: "#/", en: "Welcome to ChainClass", zh: "歡迎來到 ChainClass 鏈課室" },
  { id: "learn", hash: "#/learn", en: "Blockchain lessons", zh: "區塊鏈課堂" },
  { id: "teach", hash: "#/teach", en: "Teacher's desk", zh: "教師工作台" },
  { id: "wallet", hash: "#/wallet", en: "Your wallet", zh: "你的錢包" },
  { id: "verify", hash: "#/verify", en: "Verify a certificate", zh: "驗證證書" },
  { id: "about", hash: "#/about", en: "About ChainClass", zh: "關於 ChainClass" },
];

test.beforeEach(async ({ context }) => {
  // Start every test in English regardless of the machine's locale.
  await context.addInitScript(() => {
    if (!localStorage.getItem("chainclass.settings.v1")) {
      localStorage.setItem("chainclass.settings.v1", JSON.stringify({ lang: "en" }));
    }
  });
});

for (const r of ROUTES) {
  test(`deep link ${r.hash} renders under the sub-path`, async ({ page }) => {
    await page.goto(r.hash);
    await ready(page);
    await expect(page.locator("h1").first()).toHaveText(r.en);
    await expect(page.locator(`[data-nav="${r.id}"]`)).toHaveAttribute("aria-current", "page");
    await snap(page, `shell-${r.id}-en`);
  });
}

test("every route is reachable from the nav", async ({ page }) => {
  await page.goto("./");
  await ready(page);
  for (const r of ROUTES) {
    await page.locator(`[data-nav="${r.id}"]`).click();
    await expect(page).toHaveURL(new RegExp(`/chainclass/${r.hash.replace("/", "\\/")}$`));
    await expect(page.locator("h1").first()).toHaveText(r.en);
  }
});

test("language switch changes the text and persists after reload", async ({ page }) => {
  await page.goto("#/verify");
  await ready(page);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.locator('button[data-lang="zh-HK"]').click();
  await expect(page.locator("h1").first()).toHaveText("驗證證書");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-HK");
  await expect(page.locator('[data-nav="verify"]')).toHaveText("驗證");
  await page.reload();
  await ready(page);
  await expect(page.locator("h1").first()).toHaveText("驗證證書");
  for (const r of ROUTES) {
    await page.goto(r.hash);
    await expect(page.locator("h1").first()).toHaveText(r.zh);
    await snap(page, `shell-${r.id}-zh`);
  }
  await page.locator('button[data-lang="en"]').click();
  await expect(page.locator("h1").first()).toHaveText(ROUTES[5].en);
});

test("an unknown route shows a helpful not-found page", async ({ page }) => {
  await page.goto("#/no-such-page");
  await ready(page);
  await expect(page.locator("h1").first()).toHaveText("Page not found");
  await page.getByRole("link", { name: "Back to the home page" }).click();
  await expect(page.locator("h1").first()).toHaveText(ROUTES[0].en);
});

test("favicon, manifest and CSP are served from the app itself", async ({ page, request }) => {
  await page.goto("./");
  await ready(page);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  expect(csp).toContain("default-src 'self'");
  expect(csp).not.toContain("unsafe-inline");
  expect(csp).toMatch(/'sha256-[A-Za-z0-9+/=]+'/);
  expect((await request.get("favicon.svg")).status()).toBe(200);
  const manifest = await request.get("manifest.webmanifest");
  expect(manifest.status()).toBe(200);
  expect((await manifest.json()).name).toBe("ChainClass");
});
