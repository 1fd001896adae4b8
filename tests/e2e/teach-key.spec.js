// The school key at rest: never stored readable. After the key is created,
// everything the origin stores (every IndexedDB database and store,
// localStorage, sessionStorage) is dumped and searched for the key; a desk
// an older ChainClass stored with a readable key asks for a passphrase and
// seals it; a sealed key is locked in every new page until its passphrase
// is given.
import { test, expect, ready, dumpOrigin, storeRaw } from "./fixtures.js";
import { readFileSync } from "node:fs";
import { PASSPHRASE, createKey, choosePassphrase, unlock, issue, saved } from "./desk.js";

test.beforeEach(async ({ context }) => {
  await context.addInitScript(() => {
    if (!localStorage.getItem("chainclass.settings.v1")) {
      localStorage.setItem("chainclass.settings.v1", JSON.stringify({ lang: "en" }));
    }
  });
});

/** The key file the desk saves (the secret, readable on purpose). */
async function keyFile(page) {
  await page.locator('[data-tab="identity"]').click();
  const [d] = await Promise.all([page.waitForEvent("download"), page.getByTestId("key-backup").click()]);
  return JSON.parse(readFileSync(await d.path(), "utf8"));
}

test("no stored value of the origin holds the school key in readable form", async ({ page }) => {
  await page.goto("#/teach");
  await ready(page);
  await createKey(page);
  await saved(page);
  await issue(page, "Chan Tai Man");
  const file = await keyFile(page);
  expect(file.secretKeyMultibase).toMatch(/^z3u2/);
  const dump = await dumpOrigin(page);
  // The desk is there, with the key sealed in it...
  expect(dump).toContain("chainclass.teach.v1");
  expect(dump).toContain("sealedKey");
  expect(dump).toContain(file.publicKeyMultibase);
  // ...and nothing readable: not the secret, not a field that would hold one.
  expect(dump).not.toContain(file.secretKeyMultibase);
  expect(dump).not.toContain("secretKeyMultibase");
  expect(dump).not.toContain("privateKeyMultibase");
  expect(dump).not.toContain(PASSPHRASE);
});

test("a key an older ChainClass stored readable is sealed under a passphrase the teacher chooses", async ({ page }) => {
  // The W3C eddsa-jcs-2022 test key, stored the old way.
  const secret = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq";
  await page.goto("#/teach");
  await ready(page);
  const desk = {
    format: "chainclass-teacher", version: 1, revision: 0,
    issuer: { secretKeyMultibase: secret, nameEn: "Harbour View", nameZh: "", url: "", logo: null, statusBaseUrl: "" },
    templates: [], issued: [],
  };
  await storeRaw(page, "chainclass.teach.v1", JSON.stringify(desk));
  await page.reload();
  await ready(page);
  await expect(page.getByTestId("key-readable")).toBeVisible();
  // It still signs until then.
  await issue(page, "Chan Tai Man");
  await page.getByTestId("key-readable").getByTestId("key-passphrase").fill(PASSPHRASE);
  await page.getByTestId("key-readable").getByTestId("key-passphrase-again").fill(PASSPHRASE);
  await page.getByTestId("seal-key").click();
  await expect(page.getByTestId("key-readable")).toHaveCount(0);
  await saved(page);
  const dump = await dumpOrigin(page);
  expect(dump).not.toContain(secret);
  expect(dump).toContain("sealedKey");
  // Same key: the DID is unchanged, and after a reload the passphrase opens it.
  await page.reload();
  await ready(page);
  await expect(page.getByTestId("key-locked")).toBeVisible();
  await page.locator('[data-tab="identity"]').click();
  await expect(page.getByTestId("issuer-did")).toHaveText("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2");
  await unlock(page);
  await issue(page, "Lee Ka Yan");
  // Locking again in this tab (leaving a shared computer).
  await page.locator('[data-tab="identity"]').click();
  await page.getByTestId("key-lock").click();
  await expect(page.getByTestId("key-locked")).toBeVisible();
});

test("a second tab must unlock the key itself", async ({ page, context }) => {
  await page.goto("#/teach");
  await ready(page);
  await createKey(page);
  await saved(page);
  const b = await context.newPage();
  await b.goto("#/teach");
  await ready(b);
  await expect(b.getByTestId("key-locked")).toBeVisible();
  await unlock(b);
  await issue(b, "Ho Wing");
  await b.close();
});
