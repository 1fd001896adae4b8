// The full desk backup: one encrypted file restores the whole desk on a new
// computer (key, certificates, revocations), a wrong passphrase is refused,
// and restoring an older backup over a desk that moved on loses nothing and
// undoes no revocation.
import { test, expect, ready, snap } from "./fixtures.js";
import { saved, issue, revoke, createKey, choosePassphrase, unlock } from "./desk.js";
import { readFileSync } from "node:fs";

test.beforeEach(async ({ context }) => {
  await context.addInitScript(() => {
    if (!localStorage.getItem("chainclass.settings.v1")) {
      localStorage.setItem("chainclass.settings.v1", JSON.stringify({ lang: "en" }));
    }
  });
});

const PASS = "harbour view 2026 lab";



async function statuses(page) {
  await page.locator('[data-tab="issued"]').click();
  await page.getByTestId("issued-search").fill("");
  const rows = page.getByTestId("issued-row");
  const out = {};
  for (const row of await rows.all()) {
    const text = await row.textContent();
    const name = ["Chan Tai Man", "Lee Ka Yan", "Ho Wing"].find((n) => text.includes(n));
    out[name] = await row.getByTestId("issued-status").textContent();
  }
  return out;
}

async function backup(page) {
  await page.locator('[data-tab="identity"]').click();
  await expect(page.getByTestId("backup-due")).toBeVisible();
  await page.getByTestId("backup-pass").fill(PASS);
  await page.getByTestId("backup-pass2").fill(PASS);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("desk-backup").click()]);
  await expect(page.getByTestId("backup-msg")).toContainText("downloaded");
  await saved(page);
  await expect(page.getByTestId("backup-due")).toHaveCount(0);
  return readFileSync(await download.path(), "utf8");
}

/** Screenshots on a laptop and a phone, in English and 繁體中文, back in English after. */
async function shots(page, name, testid) {
  for (const lang of ["zh-HK", "en"]) {
    if (lang !== "en") {
      await page.evaluate((l) => localStorage.setItem("chainclass.settings.v1", JSON.stringify({ lang: l })), lang);
      await page.reload();
      await ready(page);
    }
    for (const [w, h] of [[1366, 768], [390, 844]]) {
      await page.setViewportSize({ width: w, height: h });
      await expect(page.getByTestId(testid)).toBeVisible();
      await snap(page, `${name}-${lang === "en" ? "en" : "zh"}-${w}`);
    }
  }
  await page.evaluate(() => localStorage.setItem("chainclass.settings.v1", JSON.stringify({ lang: "en" })));
  await page.reload();
  await ready(page);
  await page.setViewportSize({ width: 1366, height: 768 });
}

async function restore(page, text, passphrase) {
  await page.locator('[data-tab="identity"]').click();
  await page.getByTestId("restore-file").setInputFiles({ name: "backup.json", mimeType: "application/json", buffer: Buffer.from(text) });
  await expect(page.getByTestId("restore-file-name")).toHaveText("backup.json");
  await page.getByTestId("restore-pass").fill(passphrase);
  await page.getByTestId("desk-restore").click();
}

test("a full backup restores the whole desk on a new computer, and an older one never undoes a revocation", async ({ page, browser, baseURL }) => {
  await page.goto("#/teach");
  await ready(page);
  await createKey(page);
  const did = await page.getByTestId("issuer-did").textContent();
  await saved(page);
  await issue(page, "Chan Tai Man");
  await issue(page, "Lee Ka Yan");
  await revoke(page, "Chan Tai Man");
  const file = await backup(page);
  // The file is encrypted: no key, no names.
  const parsed = JSON.parse(file);
  expect(parsed.format).toBe("chainclass-desk-backup");
  expect(parsed.kdf).toMatchObject({ name: "PBKDF2", hash: "SHA-256", iterations: 600000 });
  expect(file).not.toContain("Chan Tai Man");
  expect(file).not.toContain("secretKeyMultibase");

  // A new computer: a fresh browser profile.
  const other = await browser.newContext({ baseURL });
  await other.addInitScript(() => localStorage.setItem("chainclass.settings.v1", JSON.stringify({ lang: "en" })));
  const fresh = await other.newPage();
  await fresh.goto("#/teach");
  await ready(fresh);
  await restore(fresh, file, "not the passphrase");
  await expect(fresh.getByTestId("backup-msg")).toContainText("passphrase is wrong");
  await fresh.getByTestId("restore-pass").fill(PASS);
  await fresh.getByTestId("desk-restore").click();
  await expect(fresh.getByTestId("backup-msg")).toContainText("2 issued certificates");
  await saved(fresh);
  await expect(fresh.getByTestId("issuer-did")).toHaveText(did);
  expect(await statuses(fresh)).toEqual({ "Chan Tai Man": "Revoked", "Lee Ka Yan": "Active" });
  await fresh.reload();
  await ready(fresh);
  expect(await statuses(fresh)).toEqual({ "Chan Tai Man": "Revoked", "Lee Ka Yan": "Active" });
  // The key came back sealed: the desk's own passphrase opens it, and it signs.
  await expect(fresh.getByTestId("key-locked")).toBeVisible();
  await unlock(fresh);
  await issue(fresh, "Ng Ka Ho");
  await other.close();

  // Back on the first computer the desk moves on; the older backup is restored over it.
  await revoke(page, "Lee Ka Yan");
  await issue(page, "Ho Wing");
  await restore(page, file, PASS);
  await expect(page.getByTestId("backup-msg")).toContainText("3 issued certificates");
  await saved(page);
  expect(await statuses(page)).toEqual({ "Chan Tai Man": "Revoked", "Lee Ka Yan": "Revoked", "Ho Wing": "Active" });
});

test("importing only a key says that earlier revocations are unknown until a backup is restored", async ({ page }) => {
  await page.goto("#/teach");
  await ready(page);
  // The W3C eddsa-jcs-2022 test vector's key pair.
  const key = JSON.stringify({
    publicKeyMultibase: "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
    privateKeyMultibase: "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq",
  });
  await choosePassphrase(page);
  await page.getByTestId("import-key").setInputFiles({ name: "key.json", mimeType: "application/json", buffer: Buffer.from(key) });
  await expect(page.getByTestId("key-msg")).toContainText("restore a full backup before publishing a revocation list");
  // The desk holds publishing back, says why on every tab, and keeps saying it after a reload.
  await saved(page);
  await expect(page.getByTestId("history-unknown")).toContainText("Publishing status lists is on hold");
  await issue(page, "Chan Tai Man");
  await page.locator('[data-tab="issued"]').click();
  await expect(page.getByTestId("status-lists-on-hold")).toBeVisible();
  await expect(page.getByTestId("download-status-lists")).toHaveCount(0);
  await page.reload();
  await ready(page);
  await expect(page.getByTestId("history-unknown")).toBeVisible();
  await shots(page, "teach-history-unknown", "history-unknown");
  // The teacher knows no certificate was ever revoked with this key: lists can be published.
  await page.getByTestId("history-confirm").click();
  await saved(page);
  await expect(page.getByTestId("history-unknown")).toHaveCount(0);
  await page.locator('[data-tab="issued"]').click();
  await expect(page.getByTestId("download-status-lists")).toBeVisible();
});

test("a key imported alone, then the school's backup restored: the history is known and lists can be published", async ({ page, browser, baseURL }) => {
  await page.goto("#/teach");
  await ready(page);
  await createKey(page);
  await saved(page);
  await issue(page, "Chan Tai Man");
  await revoke(page, "Chan Tai Man");
  const file = await backup(page);
  // The key file of the same key, from the identity tab.
  await page.locator('[data-tab="identity"]').click();
  const [keyDownload] = await Promise.all([page.waitForEvent("download"), page.getByTestId("key-backup").click()]);
  const keyFile = readFileSync(await keyDownload.path(), "utf8");

  const other = await browser.newContext({ baseURL });
  await other.addInitScript(() => localStorage.setItem("chainclass.settings.v1", JSON.stringify({ lang: "en" })));
  const fresh = await other.newPage();
  await fresh.goto("#/teach");
  await ready(fresh);
  await choosePassphrase(fresh);
  await fresh.getByTestId("import-key").setInputFiles({ name: "key.json", mimeType: "application/json", buffer: Buffer.from(keyFile) });
  await saved(fresh);
  await expect(fresh.getByTestId("history-unknown")).toBeVisible();
  await restore(fresh, file, PASS);
  await expect(fresh.getByTestId("backup-msg")).toContainText("1 issued certificate");
  await saved(fresh);
  await expect(fresh.getByTestId("history-unknown")).toHaveCount(0);
  expect(await statuses(fresh)).toEqual({ "Chan Tai Man": "Revoked" });
  await expect(fresh.getByTestId("download-status-lists")).toBeVisible();
  await other.close();
});
