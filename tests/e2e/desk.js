// Steps on the teacher's desk shared by the multi-tab and backup tests.
import { expect } from "./fixtures.js";

/** Waits until the desk has stored every change. */
export const saved = (page) => expect(page.locator('[data-page="teach"]')).toHaveAttribute("data-saved", "true");

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
  await saved(page);
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
  await saved(page);
}
