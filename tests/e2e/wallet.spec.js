// The student wallet: import (and refusal of what does not verify), survival
// across reloads, share and present, backup → wipe → restore, and the
// recovery screen for stored data that cannot be read.
import { test, expect, snap, ready, storeRaw, readStored, dumpOrigin } from "./fixtures.js";
import { readFileSync } from "node:fs";

const gen = (name) => readFileSync(new URL(`../fixtures/generated/${name}`, import.meta.url), "utf8");
const fx = (name) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");

test.beforeEach(async ({ context }) => {
  await context.addInitScript(() => {
    if (!localStorage.getItem("chainclass.settings.v1")) {
      localStorage.setItem("chainclass.settings.v1", JSON.stringify({ lang: "en" }));
    }
  });
});

async function openWallet(page) {
  await page.goto("#/wallet");
  await ready(page);
  await expect(page.getByTestId("wallet-list")).toBeAttached();
}

const HOLDER_PASS = "my key at school 2026";

/** Makes the holder key, sealed under HOLDER_PASS. */
async function createHolder(page) {
  await page.getByTestId("holder-passphrase").fill(HOLDER_PASS);
  await page.getByTestId("holder-passphrase-again").fill(HOLDER_PASS);
  await page.getByTestId("create-holder").click();
  await expect(page.getByTestId("holder-did")).toHaveText(/^did:key:z6Mk/);
}

async function importText(page, text) {
  await page.getByTestId("wallet-input").fill(text);
  await page.getByTestId("wallet-import").click();
}

test("a verified credential is added, shown and survives a reload", async ({ page }) => {
  await openWallet(page);
  await expect(page.getByTestId("wallet-empty")).toBeVisible();
  await importText(page, gen("valid.json"));
  await expect(page.getByTestId("wallet-notice")).toContainText("Added");
  await expect(page.getByTestId("wallet-item")).toHaveCount(1);
  await expect(page.getByTestId("wallet-item")).toContainText("STEM Internship Scheme");
  await expect(page.locator('[data-page="wallet"]')).toHaveAttribute("data-saved", "true");
  await page.reload();
  await ready(page);
  await expect(page.getByTestId("wallet-item")).toHaveCount(1);
  await page.getByTestId("wallet-details").click();
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "valid");
  await snap(page, "wallet-after-reload");
});

test("an Open Badge another issuer signed with eddsa-rdfc-2022 is checked in the worker, added, and its details verify", async ({ page }) => {
  await openWallet(page);
  await importText(page, fx("dcc-ob3-eddsa-rdfc-2022-signed.json"));
  await expect(page.getByTestId("wallet-notice")).toContainText("Added", { timeout: 30_000 });
  await expect(page.getByTestId("wallet-item")).toHaveCount(1);
  await page.getByTestId("wallet-details").click();
  await expect(page.locator('[data-check-id="proof"]').first()).toHaveAttribute("data-check-status", "pass", { timeout: 30_000 });
  // A changed copy is refused with the reason.
  await importText(page, fx("dcc-ob3-eddsa-rdfc-2022-signed.json").replace("Teamwork Badge", "Teamwork Badg3"));
  await expect(page.getByTestId("wallet-notice")).toContainText("did not pass verification", { timeout: 30_000 });
  await expect(page.getByTestId("wallet-item")).toHaveCount(1);
});

test("what does not verify, or is not a credential, is refused with the reason", async ({ page }) => {
  await openWallet(page);
  await importText(page, gen("tampered.json"));
  await expect(page.getByTestId("wallet-notice")).toContainText("did not pass verification");
  await expect(page.locator('[data-check-id="proof"]')).toHaveAttribute("data-check-status", "fail");
  await importText(page, gen("presentation.json"));
  await expect(page.getByTestId("wallet-notice")).toContainText("presentation, not a certificate");
  await importText(page, "https://school.example/chainclass/#/verify?vc=broken!");
  await expect(page.getByTestId("wallet-notice")).toContainText("damaged or incomplete");
  await expect(page.getByTestId("wallet-item")).toHaveCount(0);
  await snap(page, "wallet-refused");
});

test("a credential is added from a verify link, then shared and presented", async ({ page }) => {
  await page.goto(`#/verify?vc=${gen("valid.link.txt")}`);
  await ready(page);
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "valid");
  await page.getByTestId("add-to-wallet").click();
  await expect(page.getByTestId("added-to-wallet")).toBeVisible();
  await page.getByTestId("added-to-wallet").getByRole("link").click();
  await expect(page.getByTestId("wallet-item")).toHaveCount(1);

  await createHolder(page);

  await page.getByTestId("wallet-share").click();
  const link = await page.getByTestId("share-link").inputValue();
  expect(link).toContain("/chainclass/#/verify?vc=");
  // The compact form, compressed by the browser's CompressionStream.
  expect(link).toMatch(/#\/verify\?vc=C1\.[0-9A-Z$*+\-./:]+$/);
  // The read-only link box has a name for screen readers.
  await expect(page.getByRole("textbox", { name: "Verify link of this certificate" })).toHaveValue(link);
  await expect(page.getByTestId("share-qr").locator("svg")).toBeVisible();
  await snap(page, "wallet-share");
  // The browser compressed the link; the QR code of it reads back (in the
  // verifier's worker) as the same certificate.
  const qr = page.getByTestId("share-qr").locator("svg");
  await qr.evaluate((el) => { el.parentElement.style.maxWidth = "900px"; el.style.width = "900px"; });
  const png = await qr.screenshot();
  await page.getByTestId("scan-image").setInputFiles({ name: "qr.png", mimeType: "image/png", buffer: png });
  await expect(page.getByTestId("wallet-notice")).toContainText("already in your wallet");
  await expect(page.getByTestId("wallet-item")).toHaveCount(1);

  await page.getByTestId("wallet-present").click();
  await page.getByTestId("present-challenge").fill("nonce-7731");
  await page.getByTestId("present-domain").fill("admissions.example.edu.hk");
  await page.getByTestId("present-create").click();
  await expect(page.getByTestId("present-done")).toBeVisible();
  const vpLink = await page.getByTestId("share-link").last().inputValue();
  await page.goto(vpLink);
  await ready(page);
  await page.locator("summary", { hasText: "More options" }).click();
  await page.getByTestId("verify-challenge").fill("nonce-7731");
  await page.getByTestId("verify-domain").fill("admissions.example.edu.hk");
  await page.getByTestId("verify-submit").click();
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "valid");
  await page.getByTestId("verify-challenge").fill("nonce-0000");
  await page.getByTestId("verify-submit").click();
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "invalid");
});

test("backup, wipe and restore give back the same wallet", async ({ page }) => {
  await openWallet(page);
  await createHolder(page);
  const did = await page.getByTestId("holder-did").textContent();
  await importText(page, gen("valid.json"));
  await importText(page, gen("valid-hashed-recipient.json"));
  await expect(page.getByTestId("wallet-item")).toHaveCount(2);
  const titles = await page.getByTestId("wallet-item").locator("h3").allTextContents();

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("wallet-backup").click()]);
  const backup = readFileSync(await download.path(), "utf8");
  expect(JSON.parse(backup).format).toBe("chainclass-wallet");
  // The holder key travels sealed.
  expect(JSON.parse(backup).holders[0].sealed.kdf.iterations).toBe(600000);
  expect(backup).not.toContain("secretKeyMultibase");

  await page.getByTestId("wallet-wipe").click();
  await page.getByTestId("wallet-wipe-yes").click();
  await expect(page.getByTestId("wallet-item")).toHaveCount(0);
  // The wipe is stored before the page goes away.
  await expect(page.locator('[data-page="wallet"]')).toHaveAttribute("data-saved", "true");
  await page.reload();
  await ready(page);
  await expect(page.getByTestId("wallet-empty")).toBeVisible();

  await page.getByTestId("wallet-restore").setInputFiles({ name: "backup.json", mimeType: "application/json", buffer: Buffer.from(backup) });
  await expect(page.getByTestId("wallet-item")).toHaveCount(2);
  expect(await page.getByTestId("wallet-item").locator("h3").allTextContents()).toEqual(titles);
  await expect(page.getByTestId("holder-did")).toHaveText(did);

  // Restoring again adds nothing and drops nothing.
  await page.getByTestId("wallet-restore").setInputFiles({ name: "backup.json", mimeType: "application/json", buffer: Buffer.from(backup) });
  await expect(page.getByText("Certificates added: 0")).toBeVisible();
  await expect(page.getByTestId("wallet-item")).toHaveCount(2);
  await page.getByTestId("wallet-restore").setInputFiles({ name: "x.json", mimeType: "application/json", buffer: Buffer.from('{"not":"a wallet"}') });
  await expect(page.getByText("not a ChainClass wallet backup")).toBeVisible();
  await expect(page.getByTestId("wallet-item")).toHaveCount(2);
  await snap(page, "wallet-restored");
});

test("unreadable stored data opens the recovery screen and is not overwritten", async ({ page }) => {
  await page.goto("./");
  await ready(page);
  await storeRaw(page, "chainclass.wallet.v1", '{"format":"chainclass-wallet","version":1,"credentials":[TRUNCATED');
  await page.goto("#/wallet");
  await expect(page.getByTestId("recovery-screen")).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("recovery-download").click()]);
  expect(readFileSync(await download.path(), "utf8")).toContain("TRUNCATED");
  await page.reload();
  await expect(page.getByTestId("recovery-screen")).toBeVisible();
  expect(await readStored(page, "chainclass.wallet.v1")).toContain("TRUNCATED");
  await snap(page, "wallet-recovery");
  await page.getByTestId("recovery-reset").click();
  await page.getByTestId("recovery-reset-yes").click();
  await expect(page.getByTestId("wallet-empty")).toBeVisible();
});

test("the holder key is never stored readable; a presentation after a reload asks for its passphrase", async ({ page }) => {
  await openWallet(page);
  await page.getByTestId("create-holder").click();
  await expect(page.getByTestId("holder-error")).toContainText("at least 10 characters");
  await createHolder(page);
  await importText(page, gen("valid.json"));
  await expect(page.getByTestId("wallet-item")).toHaveCount(1);
  await expect(page.locator('[data-page="wallet"]')).toHaveAttribute("data-saved", "true");
  // Everything the origin stores, searched for a readable key.
  const dump = await dumpOrigin(page);
  expect(dump).toContain("chainclass-wallet");
  expect(dump).toContain("sealed");
  expect(dump).not.toContain("secretKeyMultibase");
  expect(dump).not.toContain("z3u2");

  await page.reload();
  await ready(page);
  await page.getByTestId("wallet-present").click();
  await page.getByTestId("present-challenge").fill("nonce-1");
  await page.getByTestId("present-domain").fill("admissions.example.edu.hk");
  await page.getByTestId("present-passphrase").fill("not my passphrase");
  await page.getByTestId("present-create").click();
  await expect(page.locator(".present .message.error")).toContainText("does not open your key");
  await page.getByTestId("present-passphrase").fill(HOLDER_PASS);
  await page.getByTestId("present-create").click();
  await expect(page.getByTestId("present-done")).toBeVisible();
});

test("a holder key an older wallet stored readable is sealed when the student chooses a passphrase", async ({ page }) => {
  await openWallet(page);
  const secret = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq";
  const wallet = { format: "chainclass-wallet", version: 1, holders: [{ secretKeyMultibase: secret }], credentials: [] };
  await storeRaw(page, "chainclass.wallet.v1", JSON.stringify(wallet));
  await page.reload();
  await ready(page);
  await expect(page.getByTestId("holder-did")).toHaveText("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2");
  await expect(page.getByTestId("holder-readable")).toBeVisible();
  await page.getByTestId("holder-passphrase").fill(HOLDER_PASS);
  await page.getByTestId("holder-passphrase-again").fill(HOLDER_PASS);
  await page.getByTestId("seal-holder").click();
  await expect(page.getByTestId("holder-readable")).toHaveCount(0);
  await expect(page.getByTestId("holder-did")).toHaveText("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2");
  await expect(page.locator('[data-page="wallet"]')).toHaveAttribute("data-saved", "true");
  const stored = await readStored(page, "chainclass.wallet.v1");
  expect(stored).not.toContain(secret);
  expect(JSON.parse(stored).holders).toHaveLength(1);
});

for (const deaf of [false, true]) {
  const how = deaf ? "a wallet tab that missed the write merges its save" : "a wallet tab hears the write at once";
  test(`a certificate added from the verifier in another tab is never lost to a stale wallet tab (${how})`, async ({ page, context }) => {
    if (deaf) await page.addInitScript(() => { delete window.BroadcastChannel; });
    await openWallet(page);
    await importText(page, gen("valid.json"));
    await expect(page.getByTestId("wallet-item")).toHaveCount(1);
    await expect(page.locator('[data-page="wallet"]')).toHaveAttribute("data-saved", "true");

    // Another tab: the verifier's "add to my wallet".
    const verifier = await context.newPage();
    await verifier.goto("#/verify");
    await ready(verifier);
    await verifier.getByTestId("verify-input").fill(gen("valid-hashed-recipient.json"));
    await verifier.getByTestId("verify-submit").click();
    await expect(verifier.locator("[data-verdict]")).toHaveAttribute("data-verdict", "valid");
    await verifier.getByTestId("add-to-wallet").click();
    await expect(verifier.getByTestId("added-to-wallet")).toBeVisible();
    await verifier.close();

    if (!deaf) {
      // Live: the open wallet shows it without a reload.
      await expect(page.getByTestId("wallet-item")).toHaveCount(2);
    }
    // The wallet tab deletes the first certificate.
    await page.getByTestId("wallet-delete").first().click();
    await page.getByTestId("wallet-delete-yes").click();
    await expect(page.locator('[data-page="wallet"]')).toHaveAttribute("data-saved", "true");
    // Stored: the one added in the other tab, and not the deleted one.
    await page.reload();
    await ready(page);
    await expect(page.getByTestId("wallet-item")).toHaveCount(1);
    const stored = JSON.parse(await readStored(page, "chainclass.wallet.v1"));
    expect(stored.credentials.map((e) => e.credential.id)).toEqual([JSON.parse(gen("valid-hashed-recipient.json")).id]);
  });
}
