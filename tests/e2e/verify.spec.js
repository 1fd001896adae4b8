// The public verifier: paste, file and link input; the report's verdict and
// ordered checks for valid, tampered, expired and presentation inputs; bad
// input gets a clear message; the page in 繁體中文.
import { test, expect, snap, ready } from "./fixtures.js";
import { readFileSync } from "node:fs";

const fx = (name) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");
const gen = (name) => fx(`generated/${name}`);

test.beforeEach(async ({ context }) => {
  await context.addInitScript(() => {
    if (!localStorage.getItem("chainclass.settings.v1")) {
      localStorage.setItem("chainclass.settings.v1", JSON.stringify({ lang: "en" }));
    }
  });
});

async function verifyText(page, text) {
  await page.goto("#/verify");
  await ready(page);
  await page.getByTestId("verify-input").fill(text);
  await page.getByTestId("verify-submit").click();
}

const status = (page, id) => page.locator(`[data-check-id="${id}"]`).first();
const answer = (page) => page.getByTestId("answer");
const card = (page) => page.getByTestId("credential-card");

test("a valid credential verifies by paste, with every check in order", async ({ page }) => {
  await verifyText(page, gen("valid.json"));
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "valid");
  const ids = await page.locator("[data-check-id]").evaluateAll((els) => els.map((e) => e.dataset.checkId));
  expect(ids).toEqual(["format", "proof", "issuer_key", "status", "validity", "profile", "anchor"]);
  for (const id of ["format", "proof", "issuer_key", "validity", "profile"]) {
    await expect(status(page, id)).toHaveAttribute("data-check-status", "pass");
  }
  await expect(page.getByTestId("credential-card")).toContainText("STEM Internship Scheme");
  await expect(page.getByTestId("credential-card")).toContainText("Harbour View Secondary School");
  // The page leads with the answer, in words, naming who issued it and when.
  await expect(answer(page)).toHaveAttribute("data-answer", "authentic");
  await expect(answer(page)).toContainText("Authentic");
  await expect(answer(page)).toContainText("Issued by Harbour View Secondary School / 海景中學 on 1 Sep 2025.");
  await expect(card(page)).toHaveAttribute("data-trust", "confirmed");
  const [answerTop, formTop] = await Promise.all([answer(page), page.getByTestId("verify-input")].map((l) => l.evaluate((e) => e.getBoundingClientRect().top)));
  expect(answerTop).toBeLessThan(formTop);
  await snap(page, "verify-valid-paste");
});

test("the official W3C eddsa-jcs-2022 vector verifies", async ({ page }) => {
  await verifyText(page, fx("w3c-eddsa-jcs-2022-signed.json"));
  await expect(status(page, "proof")).toHaveAttribute("data-check-status", "pass");
  await expect(status(page, "format")).toHaveAttribute("data-check-status", "pass");
});

test("certificates signed with eddsa-rdfc-2022 or Ed25519Signature2020 (the W3C vectors, the DCC's badge) verify, and a changed one does not", async ({ page, baseURL }) => {
  // The page hands the eddsa-rdfc-2022 proof to the worker, which holds the
  // JSON-LD processor and its bundled contexts; nothing is fetched.
  const fetched = [];
  page.on("request", (r) => {
    const url = new URL(r.url());
    if (url.protocol.startsWith("http") && url.host !== new URL(baseURL).host) fetched.push(r.url());
  });
  for (const name of ["w3c-eddsa-rdfc-2022-signed.json", "w3c-ed25519signature2020-signed.json", "dcc-ob3-eddsa-rdfc-2022-signed.json"]) {
    await verifyText(page, fx(name));
    await expect(status(page, "proof")).toHaveAttribute("data-check-status", "pass", { timeout: 30_000 });
    await expect(status(page, "format")).toHaveAttribute("data-check-status", "pass");
  }
  await expect(page.getByTestId("credential-card")).toContainText("Teamwork Badge");
  await snap(page, "verify-dcc-ob3-rdfc");
  const changed = fx("dcc-ob3-eddsa-rdfc-2022-signed.json").replace("Teamwork Badge", "Teamwork Badg3");
  await verifyText(page, changed);
  await expect(status(page, "proof")).toHaveAttribute("data-check-status", "fail", { timeout: 30_000 });
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "invalid");
  // A vocabulary ChainClass does not hold: couldn't check, said plainly, and not fetched.
  await verifyText(page, fx("w3c-eddsa-rdfc-2022-employ-signed.json"));
  await expect(status(page, "proof")).toHaveAttribute("data-check-status", "couldnt_check", { timeout: 30_000 });
  await expect(status(page, "proof")).toContainText("vocabulary ChainClass does not know (https://w3id.org/citizenship/v4rc1)");
  expect(fetched, "requests to other sites").toEqual([]);
});

test("a valid credential verifies from a file", async ({ page }) => {
  await page.goto("#/verify");
  await ready(page);
  await page.getByTestId("verify-file").setInputFiles({
    name: "certificate.json", mimeType: "application/json", buffer: Buffer.from(gen("valid.json")),
  });
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "valid");
});

test("a valid credential verifies from a link, in a fresh context", async ({ browser, baseURL }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(`${baseURL}#/verify?vc=${gen("valid.link.txt")}`);
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "valid");
  await expect(page.getByTestId("verify-input")).toHaveValue(/VerifiableCredential/);
  await snap(page, "verify-valid-link");
  expect(errors).toEqual([]);
  await context.close();
});

test("a tampered credential fails the proof and later checks are not run", async ({ page }) => {
  await verifyText(page, gen("tampered.json"));
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "invalid");
  await expect(status(page, "format")).toHaveAttribute("data-check-status", "pass");
  await expect(status(page, "proof")).toHaveAttribute("data-check-status", "fail");
  for (const id of ["issuer_key", "status", "validity", "profile", "anchor"]) {
    await expect(status(page, id)).toHaveAttribute("data-check-status", "not_run");
  }
  await expect(status(page, "proof")).toContainText("changed after it was signed");
  // The headline says so, names nobody, and the card's claims are marked as not confirmed.
  await expect(answer(page)).toHaveAttribute("data-answer", "tampered");
  await expect(answer(page)).toContainText("Tampered");
  await expect(answer(page)).toContainText("This is not what the issuer signed");
  await expect(page.getByTestId("answer-facts")).toHaveCount(0);
  await expect(card(page)).toHaveAttribute("data-trust", "not_confirmed");
  await expect(card(page)).toContainText("Claims (not confirmed)");
  await expect(card(page)).toHaveClass(/unconfirmed/);
  await expect(status(page, "proof").getByRole("link", { name: /digital signatures/ })).toHaveAttribute("href", /#\/learn\/keys$/);
  await snap(page, "verify-tampered");
});

test("an expired credential has a good signature but is expired", async ({ page }) => {
  await verifyText(page, gen("expired.json"));
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "invalid");
  await expect(status(page, "proof")).toHaveAttribute("data-check-status", "pass");
  await expect(status(page, "validity")).toHaveAttribute("data-check-status", "fail");
  await expect(status(page, "validity")).toContainText("EXPIRED");
  await expect(answer(page)).toHaveAttribute("data-answer", "expired");
  await expect(answer(page)).toContainText("It expired on 31 Dec 2025");
  await expect(card(page)).toHaveAttribute("data-trust", "signed");
  await snap(page, "verify-expired");
});

test("a presentation verifies with the right challenge and fails with a wrong one", async ({ page }) => {
  await page.goto("#/verify");
  await ready(page);
  await page.locator("summary", { hasText: "More options" }).click();
  await page.getByTestId("verify-challenge").fill("challenge-4821");
  await page.getByTestId("verify-domain").fill("verifier.example.edu.hk");
  await page.getByTestId("verify-input").fill(gen("presentation.json"));
  await page.getByTestId("verify-submit").click();
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "valid");
  await expect(page.locator("[data-inner-credential]")).toHaveCount(1);
  await expect(page.getByTestId("freshness-unchecked")).toHaveCount(0);
  // The holder check speaks of the student who presented it, not the issuer.
  await expect(page.locator('[data-check-id="holder_key"]')).toContainText("belongs to the student (holder) it names");

  await page.getByTestId("verify-challenge").fill("a-different-challenge");
  await page.getByTestId("verify-submit").click();
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "invalid");
  await expect(page.locator('[data-check-id="proof"]').first()).toHaveAttribute("data-check-status", "fail");
  await expect(answer(page)).toHaveAttribute("data-answer", "not_for_this_check");
  await expect(answer(page)).toContainText("does not answer the code (challenge)");
  await expect(card(page)).toHaveAttribute("data-trust", "not_confirmed");
  await snap(page, "verify-presentation-wrong-challenge");
});

test("a presentation checked without a challenge says its freshness was not checked", async ({ page }) => {
  await verifyText(page, gen("presentation.json"));
  // Its proof names a domain; without one given, the domain is not checked either.
  await expect(answer(page)).toHaveAttribute("data-verdict", "valid");
  await expect(page.getByTestId("freshness-unchecked")).toContainText("Freshness not checked: you entered no challenge");
  await snap(page, "verify-presentation-no-challenge");
});

test("bad input gets a clear message and no report", async ({ page }) => {
  await verifyText(page, "");
  await expect(page.getByTestId("verify-problem")).toContainText("nothing to verify");

  await verifyText(page, "{ this is not json");
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "invalid");
  await expect(status(page, "format")).toHaveAttribute("data-check-status", "fail");
  await expect(status(page, "proof")).toHaveAttribute("data-check-status", "not_run");

  await verifyText(page, '{"a":1,"a":2}');
  await expect(status(page, "format")).toHaveAttribute("data-check-status", "fail");

  await page.getByTestId("verify-file").setInputFiles({
    name: "certificate.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.7\n%binary"),
  });
  await expect(page.getByTestId("verify-problem")).toContainText("PDF");
  await expect(page.locator("[data-verdict]")).toHaveCount(0);

  await page.getByTestId("verify-file").setInputFiles({
    name: "huge.json", mimeType: "application/json", buffer: Buffer.alloc(2 * 1024 * 1024, 32),
  });
  await expect(page.getByTestId("verify-problem")).toContainText("too large");

  await page.goto("#/verify?vc=AAAA-this-is-garbage");
  await expect(page.getByTestId("verify-problem")).toContainText("damaged or incomplete");
  // A compact link that does not read back is damaged too.
  await page.goto("#/verify?vc=C1.ZZZ0");
  await expect(page.getByTestId("verify-problem")).toContainText("damaged or incomplete");
  const link = gen("valid.link.txt");
  await page.goto(`#/verify?vc=${link.slice(0, Math.floor(link.length / 2))}`);
  await expect(page.getByTestId("verify-problem")).toContainText("damaged or incomplete");
  await snap(page, "verify-bad-link");
});

test("the verifier in 繁體中文", async ({ page }) => {
  await page.goto("#/verify");
  await ready(page);
  await page.locator('button[data-lang="zh-HK"]').click();
  await page.getByTestId("verify-input").fill(gen("tampered.json"));
  await page.getByTestId("verify-submit").click();
  await expect(answer(page)).toHaveAttribute("data-answer", "tampered");
  await expect(answer(page)).toContainText("已被篡改");
  await expect(card(page)).toContainText("聲稱內容（未經確認）");
  await expect(status(page, "proof")).toContainText("數碼簽署不吻合");
  await expect(status(page, "validity")).toContainText("未檢查");
  await snap(page, "verify-tampered-zh");
  await page.getByTestId("verify-input").fill(gen("valid.json"));
  await page.getByTestId("verify-submit").click();
  await expect(page.getByTestId("credential-card")).toContainText("創科實習計劃");
  await expect(answer(page)).toContainText("真確");
  await expect(answer(page)).toContainText("由Harbour View Secondary School / 海景中學於2025年9月1日頒發。");
  await snap(page, "verify-valid-zh");
});

test("a QR code in a picture is read and verified", async ({ page }) => {
  // Draw the wallet's own QR code for the credential, photograph it, and feed the picture back.
  await page.goto(`#/verify?vc=${gen("valid.link.txt")}`);
  await ready(page);
  await page.getByTestId("add-to-wallet").click();
  await expect(page.getByTestId("added-to-wallet")).toBeVisible();
  await page.goto("#/wallet");
  await page.getByTestId("wallet-share").click();
  const qr = page.getByTestId("share-qr").locator("svg");
  await qr.evaluate((el) => { el.parentElement.style.maxWidth = "900px"; el.style.width = "900px"; });
  const png = await qr.screenshot();

  await page.goto("#/verify");
  await ready(page);
  // The decoder lives in the verifier's worker, fetched for the first picture.
  const worker = page.waitForRequest((req) => /\/verify-worker-[0-9a-f]{16}_bg\.wasm$/.test(req.url()));
  await page.getByTestId("scan-image").setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: png });
  await worker;
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "valid");
  await snap(page, "verify-from-qr-picture");

  const noQr = await page.locator("header.top").screenshot();
  await page.getByTestId("scan-image").setInputFiles({ name: "header.png", mimeType: "image/png", buffer: noQr });
  await expect(page.getByTestId("scan-problem")).toContainText("No readable QR code");
  await page.getByTestId("scan-image").setInputFiles({ name: "fake.png", mimeType: "image/png", buffer: Buffer.from("not an image") });
  await expect(page.getByTestId("scan-problem")).toContainText("not a picture");
  // New input: what was said about the old picture goes away.
  await page.getByTestId("verify-input").fill(gen("valid.json"));
  await page.getByTestId("verify-submit").click();
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "valid");
  await expect(page.getByTestId("scan-problem")).toHaveCount(0);
});

test("verifying without a ledger file never loads the ledger worker", async ({ page }) => {
  const fetched = [];
  page.on("request", (req) => fetched.push(new URL(req.url()).pathname));
  await verifyText(page, gen("valid.json"));
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "valid");
  expect(fetched.filter((p) => p.endsWith(".wasm"))).toHaveLength(1);
  expect(fetched.some((p) => p.includes("verify-worker"))).toBe(false);
});

// A worker that cannot be fetched or dies: with the offline copy the worker
// comes from its cache (tests/e2e/offline.spec.js), so these run without it,
// as on a first visit or a browser with no service workers.
test.describe("without the offline copy", () => {
  test.use({ serviceWorkers: "block" });

  test("a ledger check that cannot start says so and keeps what was typed", async ({ page }) => {
    // The worker's script is unreachable (a filtered network, a half-copied USB stick).
    await page.route(/\/verify-worker-[0-9a-f]{16}_loader\.js$/, (route) => route.abort());
    await page.goto("#/verify");
    await ready(page);
    await page.locator("summary", { hasText: "More options" }).click();
    await page.getByTestId("verify-ledger-file").setInputFiles({ name: "ledger.json", mimeType: "application/json", buffer: Buffer.from("{}") });
    await page.getByTestId("verify-input").fill(gen("valid.json"));
    await page.getByTestId("verify-submit").click();
    await expect(page.getByTestId("verify-problem")).toContainText("The class ledger could not be checked");
    await expect(page.getByTestId("verify-checking")).toHaveCount(0);
    await expect(page.getByTestId("verify-input")).toHaveValue(gen("valid.json"));
    // Without the ledger file the same certificate verifies on the page.
    await page.getByRole("button", { name: "Remove" }).click();
    await page.getByTestId("verify-submit").click();
    await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "valid");
  });

  test("a QR reader that cannot start says so", async ({ page }) => {
    await page.route(/\/verify-worker-[0-9a-f]{16}_bg\.wasm$/, (route) => route.abort());
    await page.goto("#/verify");
    await ready(page);
    const picture = await page.locator("header.top").screenshot();
    await page.getByTestId("scan-image").setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: picture });
    await expect(page.getByTestId("scan-problem")).toContainText("The QR reader could not start");
    // The page itself still works.
    await page.getByTestId("verify-input").fill(gen("valid.json"));
    await page.getByTestId("verify-submit").click();
    await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "valid");
  });

  test("a QR reader that stops on a picture says so, and the next picture gets a new reader", async ({ page }) => {
    // A worker that starts, then dies on its first question, as a trap in its
    // wasm would (the error reaches the page as the worker's error event).
    let crash = true;
    await page.route(/\/verify-worker-[0-9a-f]{16}_loader\.js$/, (route) =>
      crash
        ? route.fulfill({
            contentType: "text/javascript",
            body: 'postMessage("ready"); onmessage = function () { throw new Error("trap"); };',
          })
        : route.continue(),
    );
    await page.goto("#/verify");
    await ready(page);
    const picture = await page.locator("header.top").screenshot();
    await page.getByTestId("scan-image").setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: picture });
    await expect(page.getByTestId("scan-problem")).toContainText("The QR reader stopped while reading this picture");
    await expect(page.getByTestId("scan-problem")).not.toContainText("could not start");
    // The next picture starts a new, real reader, which answers.
    crash = false;
    await page.getByTestId("scan-image").setInputFiles({ name: "photo2.png", mimeType: "image/png", buffer: picture });
    await expect(page.getByTestId("scan-problem")).toContainText("No readable QR code");
  });
});

test("choosing a ledger file fetches the worker at once; the verdict is the same through it", async ({ page }) => {
  await page.goto("#/verify");
  await ready(page);
  await page.locator("summary", { hasText: "More options" }).click();
  const worker = page.waitForRequest((req) => /\/verify-worker-[0-9a-f]{16}_bg\.wasm$/.test(req.url()));
  await page.getByTestId("verify-ledger-file").setInputFiles({ name: "ledger.json", mimeType: "application/json", buffer: Buffer.from("{}") });
  await worker;
  await page.getByTestId("verify-input").fill(gen("valid.json"));
  await page.getByTestId("verify-submit").click();
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "valid");
  await expect(page.locator('[data-check-id="anchor"]')).toHaveAttribute("data-check-status", "not_applicable");
});

test("every page names the same content-hashed worker", async ({ page, request }) => {
  const loaders = [];
  for (const file of ["", "wallet.html", "learn.html", "teach.html"]) {
    const html = await (await request.get(file)).text();
    const m = /<meta name="chainclass-worker" content="(verify-worker-[0-9a-f]{16}_loader\.js)">/.exec(html);
    expect(m, `${file || "index.html"} names the worker`).not.toBeNull();
    loaders.push(m[1]);
  }
  expect(new Set(loaders).size).toBe(1);
  // The loader loads the worker's files under the same hash, and they are there.
  const loader = await (await request.get(loaders[0])).text();
  const hash = loaders[0].slice("verify-worker-".length, -"_loader.js".length);
  for (const file of [`verify-worker-${hash}.js`, `verify-worker-${hash}_bg.wasm`]) {
    expect(loader).toContain(`./${file}`);
    expect((await request.get(file)).ok()).toBe(true);
  }
  expect((await request.get("verify-worker_loader.js")).status()).toBe(404);
});
