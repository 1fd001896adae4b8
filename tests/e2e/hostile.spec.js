// Hostile input in the verifier: share links of a few hundred characters
// that expand to documents built to exhaust memory or freeze the page. Each
// is generated here from a real signed certificate, gets a clear verdict in
// seconds, and leaves the page usable for the next certificate. A trap in
// the wasm shows the crash screen with a way back, and status lists are
// fetched only for certificates whose signature verified.
import { test, expect, ready } from "./fixtures.js";
import { readFileSync } from "node:fs";
import { deflateRawSync } from "node:zlib";
import { certificateWithStatusAt } from "./desk.js";

const gen = (name) => readFileSync(new URL(`../fixtures/generated/${name}`, import.meta.url), "utf8");
const link = (doc) => deflateRawSync(Buffer.from(JSON.stringify(doc)), { level: 9 }).toString("base64url");
const check = (page, id) => page.locator(`[data-check-id="${id}"]`).first();

test.beforeEach(async ({ context }) => {
  await context.addInitScript(() => {
    if (!localStorage.getItem("chainclass.settings.v1")) {
      localStorage.setItem("chainclass.settings.v1", JSON.stringify({ lang: "en" }));
    }
  });
});

/** Opens `payload` as a share link, then shows that the page still works. */
async function openThenStillUsable(page, payload, expectText) {
  await page.goto(`#/verify?vc=${payload}`);
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "invalid", { timeout: 10_000 });
  await expect(check(page, "format")).toHaveAttribute("data-check-status", "fail");
  await expect(check(page, "format")).toContainText(expectText);
  // The same page, the next certificate: it answers as usual.
  await page.getByTestId("verify-input").fill(gen("valid.json"));
  await page.getByTestId("verify-submit").click();
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "valid");
}

test("a 4 KB link naming one proof 100,000 times is refused at once", async ({ page }) => {
  const doc = JSON.parse(gen("valid.json"));
  const first = { ...doc.proof, id: "urn:p:1" };
  const second = { ...doc.proof, id: "urn:p:2", previousProof: Array(100_000).fill("urn:p:1") };
  doc.proof = [first, second];
  const payload = link(doc);
  expect(payload.length).toBeLessThan(5_000); // about 4 KB: it fits a link or a QR code
  await openThenStillUsable(page, payload, "earlier proofs named by one proof than ChainClass checks at once: 100000, limit 32");
});

test("a link holding a presentation of 200,000 empty certificates is refused, with no cards", async ({ page }) => {
  const vp = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    type: ["VerifiablePresentation"],
    verifiableCredential: Array(200_000).fill({}),
  };
  const payload = link(vp);
  expect(payload.length).toBeLessThan(2_000);
  await page.goto(`#/verify?vc=${payload}`);
  await ready(page);
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "invalid", { timeout: 10_000 });
  await expect(check(page, "format")).toContainText("certificates in one presentation than ChainClass checks at once: 200000, limit 64");
  await expect(page.getByTestId("credential-card")).toHaveCount(0);
  await expect(page.locator("[data-inner-credential]")).toHaveCount(0);
  await page.getByTestId("verify-input").fill(gen("valid.json"));
  await page.getByTestId("verify-submit").click();
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "valid");
});

test("1,000 proofs, 4,000 status entries, 3,000 status lists and 15,000 related resources are each refused at once, and nothing is fetched", async ({ page, baseURL }) => {
  const base = JSON.parse(gen("valid.json"));
  const entry = (i, list) => ({
    type: "BitstringStatusListEntry",
    statusPurpose: "revocation",
    statusListIndex: String(131072 + i),
    statusListCredential: `${baseURL}status/list-${list}.json`,
  });
  const cases = [
    [{ ...base, proof: Array(1_000).fill(base.proof) }, "signatures (proofs) than ChainClass checks at once: 1000, limit 32"],
    [{ ...base, credentialStatus: Array.from({ length: 4_000 }, (_, i) => entry(i, 0)) }, "status entries than ChainClass checks at once: 4000, limit 16"],
    [{ ...base, credentialStatus: Array.from({ length: 3_000 }, (_, i) => entry(i, i)) }, "status entries than ChainClass checks at once: 3000, limit 16"],
    [{ ...base, relatedResource: Array.from({ length: 15_000 }, (_, i) => ({ id: `urn:r:${i}`, digestSRI: "sha384-AAAA" })) }, "related resources than ChainClass checks at once: 15000, limit 128"],
  ];
  const fetched = [];
  page.on("request", (r) => r.url().includes("/status/list-") && fetched.push(r.url()));
  for (const [doc, text] of cases) {
    const payload = link(doc);
    const started = Date.now();
    await openThenStillUsable(page, payload, text);
    // Refused and the page usable again within seconds, not minutes.
    expect(Date.now() - started).toBeLessThan(15_000);
  }
  expect(fetched).toEqual([]);
});

test("a link that inflates beyond 1 MB says it is too large, not damaged", async ({ page }) => {
  const doc = JSON.parse(gen("valid.json"));
  doc.relatedResource = Array.from({ length: 30_000 }, (_, i) => ({ id: `urn:r:${i}`, digestSRI: "sha384-AAAA" }));
  await page.goto(`#/verify?vc=${link(doc)}`);
  await ready(page);
  await expect(page.getByRole("alert")).toContainText("holds more than the 1 MB ChainClass reads");
  await page.getByTestId("verify-input").fill(gen("valid.json"));
  await page.getByTestId("verify-submit").click();
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "valid");
});

test("a number beyond 2^53 is refused, so a rounding edit cannot pass", async ({ page }) => {
  const doc = JSON.parse(gen("valid.json"));
  const text = JSON.stringify(doc).replace('"credentialSubject":{', '"credentialSubject":{"score":9007199254740993,');
  await page.goto("#/verify");
  await ready(page);
  await page.getByTestId("verify-input").fill(text);
  await page.getByTestId("verify-submit").click();
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "invalid");
  await expect(check(page, "format")).toContainText("whole number too large to be read exactly");
});

test("a certificate whose signature fails never makes the page fetch its status lists", async ({ page, baseURL }) => {
  const doc = JSON.parse(gen("valid.json"));
  // Four same-origin lists on a certificate whose signature no longer matches.
  doc.credentialStatus = [0, 1, 2, 3].map((i) => ({
    id: `${baseURL}status/list-${i}.json#7`,
    type: "BitstringStatusListEntry",
    statusPurpose: "revocation",
    statusListIndex: "7",
    statusListCredential: `${baseURL}status/list-${i}.json`,
  }));
  const fetched = [];
  page.on("request", (r) => r.url().includes("/status/list-") && fetched.push(r.url()));
  await page.goto("#/verify");
  await ready(page);
  await page.getByTestId("verify-input").fill(JSON.stringify(doc));
  await page.getByTestId("verify-submit").click();
  await expect(check(page, "proof")).toHaveAttribute("data-check-status", "fail");
  await page.waitForTimeout(500);
  expect(fetched).toEqual([]);
  await expect(page.getByTestId("status-ask")).toHaveCount(0);
});

test("a trap in the wasm shows the crash screen with a way back", async ({ page }) => {
  await page.goto("#/verify");
  await ready(page);
  // What the browser raises when the wasm traps (e.g. an allocation refused).
  await page.evaluate(() => {
    window.dispatchEvent(new ErrorEvent("error", { error: new WebAssembly.RuntimeError("unreachable") }));
  });
  await expect(page.getByTestId("crash-screen")).toBeVisible();
  await expect(page.locator("#crash-detail")).toHaveText("RuntimeError: unreachable");
  // An ordinary script error is not a crash of ChainClass.
  await page.getByRole("link", { name: /Reload ChainClass/ }).click();
  await ready(page);
  await page.evaluate(() => {
    window.dispatchEvent(new ErrorEvent("error", { error: new TypeError("not ours") }));
  });
  await expect(page.getByTestId("crash-screen")).toHaveCount(0);
  await page.goto("#/verify");
  await page.getByTestId("verify-input").fill(gen("valid.json"));
  await page.getByTestId("verify-submit").click();
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "valid");
});

test("a same-origin status list that redirects is not followed", async ({ page, baseURL }) => {
  // The test server answers every `__test/redirect/…` with a redirect to the
  // same path without the prefix (tests/serve.mjs).
  // Chromium logs the refused redirect as a failed load (the desk's
  // publishing checklist fetches the list's address too).
  page.allowConsoleError(/^Failed to load resource: net::ERR_FAILED$/);
  const link = await certificateWithStatusAt(page, `${baseURL}__test/redirect/`);
  const requested = [];
  page.on("request", (r) => requested.push(new URL(r.url()).pathname));
  await page.goto(link);
  await expect(page.getByTestId("status-fetch-failed")).toContainText("tried to send it to another address");
  await expect(check(page, "status")).toHaveAttribute("data-check-status", "couldnt_check");
  expect(requested.some((p) => p.includes("/__test/redirect/status/"))).toBe(true);
  // The redirect's target was never asked for.
  expect(requested.filter((p) => p.includes("/status/revocation-") && !p.includes("__test"))).toEqual([]);
});

test("an endless status list is cut off at the limit, not read whole", async ({ page, baseURL, request }) => {
  // `__test/endless/…` streams bytes forever with no Content-Length: only a
  // reader that counts as it goes can stop it.
  const link = await certificateWithStatusAt(page, `${baseURL}__test/endless/`);
  await page.goto(link);
  await expect(page.getByTestId("status-fetch-failed")).toContainText("larger than the 1 MB ChainClass reads");
  await expect(check(page, "status")).toHaveAttribute("data-check-status", "couldnt_check");
  // The page let go of the stream soon after the limit.
  await page.waitForTimeout(500);
  const sent = Number(await (await request.get(`${baseURL}__test/endless-sent`)).text());
  const again = Number(await (await request.get(`${baseURL}__test/endless-sent`)).text());
  expect(sent).toBeGreaterThan(1024 * 1024);
  expect(again).toBe(sent);
  // The page still verifies the next certificate.
  await page.getByTestId("verify-input").fill(gen("valid.json"));
  await page.getByTestId("verify-submit").click();
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "valid");
});
