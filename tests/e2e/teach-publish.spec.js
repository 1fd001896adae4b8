// The desk's publishing checklist: the file to upload and where, its state
// found by fetching its address (missing, up to date, out of date after a
// revocation), a reminder on the other tabs, both languages, a phone.
import { test, expect, snap } from "./fixtures.js";
import { setUpSchool, issue, revoke, download, listsSigned } from "./desk.js";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const dist = new URL("../../dist/", import.meta.url).pathname;

test.beforeEach(async ({ context }) => {
  await context.addInitScript(() => {
    if (!localStorage.getItem("chainclass.settings.v1")) {
      localStorage.setItem("chainclass.settings.v1", JSON.stringify({ lang: "en" }));
    }
  });
});

test("the checklist says what to upload where, finds it missing, current, then out of date after a revocation", async ({ page }) => {
  test.setTimeout(120_000);
  await setUpSchool(page);
  await issue(page, "Chan Tai Man");
  await issue(page, "Lee Ka Yan");

  // Until the list is uploaded, every other tab reminds the teacher.
  await expect(page.getByTestId("publish-reminder")).toContainText("1 status list needs uploading");
  await page.getByTestId("publish-reminder").getByRole("button", { name: "Show what to upload" }).click();
  const list = page.locator('[data-testid="publish-list"][data-purpose="revocation"]');
  await expect(list).toHaveAttribute("data-state", "missing");
  await expect(list.getByTestId("publish-state")).toContainText("Not published yet");
  const file = await list.getByTestId("publish-file").textContent();
  expect(file).toMatch(/^revocation-[0-9A-Za-z]{8}\.json$/);
  await expect(list.getByTestId("publish-folder")).toHaveText("status/");
  const url = await list.getByTestId("publish-url").textContent();
  expect(new URL(url).pathname).toBe(`/chainclass/status/${file}`);
  await snap(page, "teach-publish-missing");

  // The teacher downloads the file and uploads it where it says (here: into the served dist/).
  const published = join(dist, "status", file);
  const upload = (text) => { mkdirSync(dirname(published), { recursive: true }); writeFileSync(published, text); };
  try {
    const first = await download(page, "publish-download");
    expect(first.name).toBe(file);
    expect(JSON.parse(first.text).id).toBe(url);
    upload(first.text);
    await list.getByTestId("publish-check").click();
    await expect(list).toHaveAttribute("data-state", "current");
    await expect(list.getByTestId("publish-state")).toHaveText("Published and up to date.");
    await page.locator('[data-tab="issue"]').click();
    await expect(page.getByTestId("publish-reminder")).toHaveCount(0);

    // A revocation: the desk says to upload again, and the published copy is out of date.
    await revoke(page, "Chan Tai Man");
    await expect(page.getByTestId("status-changed-publish")).toContainText("Upload the updated status list");
    await listsSigned(page);
    await expect(list).toHaveAttribute("data-state", "out-of-date");
    await expect(list.getByTestId("publish-state")).toContainText("Out of date: 1 change made here is not in the published copy");
    await page.locator('[data-tab="batch"]').click();
    await expect(page.getByTestId("publish-reminder")).toBeVisible();
    await page.locator('[data-tab="issued"]').click();

    // In 繁體中文.
    await page.locator('button[data-lang="zh-HK"]').click();
    await expect(list.getByTestId("publish-state")).toContainText("已過時");
    await page.locator('button[data-lang="en"]').click();

    // Uploading the new file brings it up to date; a file that is not the list is called out.
    upload((await download(page, "publish-download")).text);
    await list.getByTestId("publish-check").click();
    await expect(list).toHaveAttribute("data-state", "current");
    upload("<html><body>Page not found</body></html>");
    await list.getByTestId("publish-check").click();
    await expect(list).toHaveAttribute("data-state", "other");

    // With a suspension list as well, both addresses are checked and each
    // keeps its own answer (two checks finishing together).
    await page.locator('[data-tab="issue"]').click();
    await page.getByTestId("issue-template").selectOption("stem-internship");
    await page.getByTestId("status-suspension").check();
    await page.getByTestId("issue-name").fill("Ho Wing");
    await page.getByTestId("issue-ident").fill("ho.wing@school.example.edu.hk");
    await page.getByTestId("issue-preview").click();
    await page.getByTestId("issue-sign").click();
    await expect(page.getByTestId("issue-done")).toBeVisible();
    await listsSigned(page);
    await page.locator('[data-tab="issued"]').click();
    await expect(page.locator('[data-testid="publish-list"][data-purpose="suspension"]')).toHaveAttribute("data-state", "missing");
    await expect(list).toHaveAttribute("data-state", "other");

    // The checklist fits a phone.
    await page.setViewportSize({ width: 390, height: 844 });
    const fits = await page.getByTestId("publish").evaluate((el) => el.scrollWidth <= el.clientWidth);
    expect(fits).toBe(true);
    await snap(page, "teach-publish-phone");
  } finally {
    rmSync(published, { force: true });
  }
});
