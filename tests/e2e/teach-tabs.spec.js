// The teacher's desk open in several tabs of one browser: a change made in
// one tab is never undone by another. Each tab either hears of the other's
// write (BroadcastChannel) and shows it at once, or, when it did not (its
// BroadcastChannel removed here, as for a frozen background tab), its own
// save is merged into what is stored: the school key never disappears and a
// revocation is never undone. A third tab, opened afterwards, sees both.
import { test, expect, ready } from "./fixtures.js";
import { saved, issue, revoke, createKey as createSealedKey, unlock } from "./desk.js";

test.beforeEach(async ({ context }) => {
  await context.addInitScript(() => {
    if (!localStorage.getItem("chainclass.settings.v1")) {
      localStorage.setItem("chainclass.settings.v1", JSON.stringify({ lang: "en" }));
    }
  });
});


async function openDesk(page, { deaf = false } = {}) {
  if (deaf) await page.addInitScript(() => { delete window.BroadcastChannel; });
  await page.goto("#/teach");
  await ready(page);
  await expect(page.locator('[data-page="teach"]')).toHaveAttribute("data-saved", "true");
}

async function createKey(page) {
  await page.locator('[data-tab="identity"]').click();
  await createSealedKey(page);
  await saved(page);
  return page.getByTestId("issuer-did").textContent();
}

async function saveTemplate(page, name) {
  await page.locator('[data-tab="templates"]').click();
  await page.getByTestId("new-template").click();
  await page.getByTestId("tpl-name-en").fill(name);
  await page.getByTestId("tpl-name-zh").fill("機械人學會獎");
  await page.getByTestId("tpl-desc-en").fill("For building and programming a competition robot.");
  await page.getByTestId("tpl-crit-en").fill("Attended 20 sessions.");
  await page.getByTestId("save-template").click();
  await saved(page);
}



async function statusOf(page, name) {
  await page.locator('[data-tab="issued"]').click();
  await page.getByTestId("issued-search").fill(name);
  await expect(page.getByTestId("issued-row")).toHaveCount(1);
  return page.getByTestId("issued-status").textContent();
}

for (const deaf of [false, true]) {
  const how = deaf ? "a tab that missed the other's write merges its save" : "a tab hears the other's write at once";
  test(`a school key made in one tab survives a template saved in another (${how})`, async ({ page, context }) => {
    const b = await context.newPage();
    await openDesk(b, { deaf });
    await openDesk(page);
    const did = await createKey(page);
    if (!deaf) {
      // Live: tab B shows the new key without a reload.
      await b.locator('[data-tab="identity"]').click();
      await expect(b.getByTestId("issuer-did")).toHaveText(did);
    }
    await saveTemplate(b, "Robotics Club Award");
    await expect(b.locator('[data-page="teach"]')).toHaveAttribute("data-revision", "2");
    await b.locator('[data-tab="identity"]').click();
    await expect(b.getByTestId("issuer-did")).toHaveText(did);
    // A third tab, opened afterwards, has both.
    const c = await context.newPage();
    await openDesk(c);
    await c.locator('[data-tab="identity"]').click();
    await expect(c.getByTestId("issuer-did")).toHaveText(did);
    await c.locator('[data-tab="templates"]').click();
    await expect(c.getByText("Robotics Club Award")).toBeVisible();
    // Its key is locked until this tab unlocks it; then it issues with the new template.
    await expect(c.getByTestId("key-locked")).toBeVisible();
    await unlock(c);
    await c.locator('[data-tab="issue"]').click();
    await expect(c.getByTestId("issue-template").locator("option", { hasText: "Robotics Club Award" })).toHaveCount(1);
    await Promise.all([b.close(), c.close()]);
  });

  test(`a revocation in one tab is not undone by a certificate issued in another (${how})`, async ({ page, context }) => {
    await openDesk(page);
    await createKey(page);
    await issue(page, "Chan Tai Man");
    const b = await context.newPage();
    await openDesk(b, { deaf });
    await revoke(page, "Chan Tai Man");
    // The key is unlocked in each tab on its own.
    await unlock(b);
    await issue(b, "Lee Ka Yan");
    // Both tabs, and a reloaded third, agree: one revoked, one active.
    const c = await context.newPage();
    await openDesk(c);
    for (const tab of [c, page, b]) {
      await tab.reload();
      await ready(tab);
      expect(await statusOf(tab, "Chan Tai Man")).toBe("Revoked");
      expect(await statusOf(tab, "Lee Ka Yan")).toBe("Active");
      await tab.getByTestId("issued-search").fill("");
      await expect(tab.getByTestId("issued-row")).toHaveCount(2);
    }
    await Promise.all([b.close(), c.close()]);
  });
}
