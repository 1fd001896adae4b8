// The app shell: every top-level route by nav click and by deep link under a
// sub-path, the language switch and its persistence, static-host basics.
import { test, expect, snap, ready } from "./fixtures.js";

const ROUTES = [
  { id: "home", page: "", hash: "#/", en: "Welcome to ChainClass", zh: "歡迎來到 ChainClass 鏈課室" },
  { id: "learn", page: "learn.html", hash: "#/learn", en: "Blockchain lessons", zh: "區塊鏈課堂" },
  { id: "teach", page: "teach.html", hash: "#/teach", en: "Teacher's desk", zh: "教師工作台" },
  { id: "wallet", page: "wallet.html", hash: "#/wallet", en: "Your wallet", zh: "你的錢包" },
  { id: "verify", page: "", hash: "#/verify", en: "Verify a certificate", zh: "驗證證書" },
  { id: "about", page: "", hash: "#/about", en: "About ChainClass", zh: "關於 ChainClass" },
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
    // The lessons and the teacher's desk are pages of their own.
    await expect(page).toHaveURL(new RegExp(`/chainclass/${r.page.replace(".", "\\.")}${r.hash.replace("/", "\\/")}$`));
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
    await expect(page).toHaveURL(new RegExp(`/chainclass/${r.page.replace(".", "\\.")}${r.hash.replace("/", "\\/")}$`));
    await expect(page.locator("h1").first()).toHaveText(r.en);
  }
});

test("the home page downloads neither the lessons nor the teacher's desk", async ({ page }) => {
  const wasm = [];
  page.on("request", (req) => {
    if (req.url().endsWith(".wasm")) wasm.push(new URL(req.url()).pathname);
  });
  await page.goto("./");
  await ready(page);
  await expect(page.locator("h1").first()).toHaveText(ROUTES[0].en);
  expect(wasm).toHaveLength(1);
  expect(wasm[0]).toMatch(/\/chainclass\/app-[0-9a-f]+_bg\.wasm$/);
  // Opening the lessons loads their page's own wasm.
  await page.locator('[data-nav="learn"]').click();
  await ready(page);
  await expect(page.locator("h1").first()).toHaveText(ROUTES[1].en);
  expect(wasm.some((p) => /\/learn-[0-9a-f]+_bg\.wasm$/.test(p))).toBe(true);
  expect(wasm.some((p) => /teach-/.test(p))).toBe(false);
});

test("links between the app's pages keep the back button working", async ({ page }) => {
  await page.goto("./");
  await ready(page);
  // The home page's card links straight to the lessons' page.
  await expect(page.locator("main .card a").first()).toHaveAttribute("href", "learn.html#/learn");
  // A route of another page reached inside this one (a typed fragment, an
  // in-app link) hands over to that page, replacing the history entry.
  await page.evaluate(() => { location.hash = "#/learn"; });
  await ready(page);
  await expect(page).toHaveURL(/\/chainclass\/learn\.html#\/learn$/);
  await expect(page.locator("h1").first()).toHaveText(ROUTES[1].en);
  await page.locator('[data-nav="verify"]').click();
  await ready(page);
  await expect(page).toHaveURL(/\/chainclass\/#\/verify$/);
  await page.goBack();
  await ready(page);
  await expect(page.locator("h1").first()).toHaveText(ROUTES[1].en);
  await page.goBack();
  await ready(page);
  await expect(page.locator("h1").first()).toHaveText(ROUTES[0].en);
  // A page bookmarked without a fragment shows its own first route.
  for (const [file, title] of [["learn.html", ROUTES[1].en], ["teach.html", ROUTES[2].en], ["wallet.html", ROUTES[3].en]]) {
    await page.goto(file);
    await ready(page);
    await expect(page.locator("h1").first()).toHaveText(title);
    await expect(page).toHaveURL(new RegExp(`/chainclass/${file.replace(".", "\\.")}#/(learn|teach|wallet)$`));
  }
  // A deep link into the teacher's desk on index.html opens teach.html directly.
  await page.goto("#/print-batch/none/links");
  await ready(page);
  await expect(page).toHaveURL(/\/chainclass\/teach\.html#\/print-batch\/none\/links$/);
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
