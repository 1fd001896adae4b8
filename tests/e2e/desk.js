// Steps on the teacher's desk shared by the multi-tab and backup tests.
import { expect, ready } from "./fixtures.js";
import { readFileSync } from "node:fs";

/** The passphrase the tests seal the school key with. */
export const PASSPHRASE = "harbour view 2026 desk";

/** Chooses the key's passphrase (twice), as for creating or importing a key. */
export async function choosePassphrase(page, passphrase = PASSPHRASE) {
  await page.getByTestId("key-passphrase").fill(passphrase);
  await page.getByTestId("key-passphrase-again").fill(passphrase);
}

/** Creates the school key, sealed under PASSPHRASE. */
export async function createKey(page) {
  await choosePassphrase(page);
  await page.getByTestId("create-issuer").click();
  await expect(page.getByTestId("issuer-did")).toHaveText(/^did:key:z6Mk/);
}

/** Opens the desk and sets up Harbour View Secondary School (海景中學) with a new key. */
export async function setUpSchool(page) {
  await page.goto("#/teach");
  await ready(page);
  await createKey(page);
  await page.getByTestId("school-name-en").fill("Harbour View Secondary School");
  await page.getByTestId("school-name-zh").fill("海景中學");
  await page.getByTestId("save-profile").click();
  await expect(page.getByTestId("profile-msg")).toHaveText("Saved.");
}

/** Clicks the download button `testid` and gives the file's name and text. */
export async function download(page, testid) {
  const [d] = await Promise.all([page.waitForEvent("download"), page.getByTestId(testid).first().click()]);
  return { name: d.suggestedFilename(), text: readFileSync(await d.path(), "utf8") };
}

/** Unlocks the school key in this tab (after a reload, in a new tab). */
export async function unlock(page, passphrase = PASSPHRASE) {
  await page.getByTestId("unlock-passphrase").fill(passphrase);
  await page.getByTestId("unlock").click();
  await expect(page.getByTestId("key-locked")).toHaveCount(0);
}

/** Waits until the desk has stored every change. */
export const saved = (page) => expect(page.locator('[data-page="teach"]')).toHaveAttribute("data-saved", "true");

/** Waits until every status list is signed as it stands (the desk signs a changed list in the background) and stored. */
export async function listsSigned(page) {
  await expect(page.locator('[data-page="teach"]')).toHaveAttribute("data-lists-signed", "true");
  await saved(page);
}

/** Issues one STEM Internship certificate to `name` (with a revocation entry). */
export async function issue(page, name) {
  await page.locator('[data-tab="issue"]').click();
  await page.getByTestId("issue-template").selectOption("stem-internship");
  await page.getByTestId("by-email").check();
  await page.getByTestId("issue-name").fill(name);
  await page.getByTestId("issue-ident").fill(`${name.toLowerCase().replace(/ /g, ".")}@school.example.edu.hk`);
  await page.getByTestId("issue-preview").click();
  await page.getByTestId("issue-sign").click();
  await expect(page.getByTestId("issue-done")).toBeVisible();
  await listsSigned(page);
}

/** Revokes the one certificate issued to `name`. */
export async function revoke(page, name) {
  await page.locator('[data-tab="issued"]').click();
  await page.getByTestId("issued-search").fill(name);
  await expect(page.getByTestId("issued-row")).toHaveCount(1);
  await page.getByTestId("revoke").click();
  await page.getByTestId("status-reason").fill("issued by mistake");
  await page.getByTestId("status-yes").click();
  await expect(page.getByTestId("issued-status")).toHaveText("Revoked");
  await listsSigned(page);
}

/** A certificate from a school whose status lists live under `statusBase`. */
export async function certificateWithStatusAt(page, statusBase) {
  await page.goto("#/teach");
  await ready(page);
  await createKey(page);
  await page.getByTestId("school-name-en").fill("Hillside College");
  await page.getByTestId("status-url").fill(statusBase);
  await page.getByTestId("save-profile").click();
  await page.locator('[data-tab="issue"]').click();
  await page.getByTestId("issue-name").fill("Yip Man");
  await page.getByTestId("issue-ident").fill("yip@hillside.example.edu.hk");
  await page.getByTestId("issue-preview").click();
  await page.getByTestId("issue-sign").click();
  return page.getByTestId("share-link").inputValue();
}
