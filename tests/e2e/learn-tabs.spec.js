// The lessons open in several tabs of one browser, through the one storage
// layer the desk and the wallet use (`state::stored`): a student's progress,
// class ledger or chain experiment saved in one tab is never undone by a
// tab opened earlier. A "deaf" tab has no BroadcastChannel (as a frozen
// background tab that missed the news): its save is a compare-and-swap that
// finds another tab's write and merges with it, or, for two different edits
// of the chain lesson, shows the other tab's version and says so. A third
// tab, opened afterwards, sees what was kept.
import { test, expect, ready, readStored, snap } from "./fixtures.js";

test.beforeEach(async ({ context }) => {
  await context.addInitScript(() => {
    if (!localStorage.getItem("chainclass.settings.v1")) {
      localStorage.setItem("chainclass.settings.v1", JSON.stringify({ lang: "en" }));
    }
  });
});

async function open(page, hash, { deaf = false } = {}) {
  if (deaf) await page.addInitScript(() => { delete window.BroadcastChannel; });
  await page.goto(hash);
  await ready(page);
}

async function markDone(page) {
  await page.getByRole("button", { name: "Mark this lesson as done" }).click();
  await expect(page.locator(".done-toggle")).toHaveAttribute("aria-pressed", "true");
}

const stored = (page, key) => readStored(page, key).then((t) => (t === undefined ? null : JSON.parse(t)));

test("lessons marked done in two tabs are both kept, and an open lesson list follows at once", async ({ page, context }) => {
  const list = await context.newPage();
  await open(list, "#/learn");
  const stale = await context.newPage();
  await open(stale, "#/learn/hash", { deaf: true });
  await open(page, "#/learn/keys");
  await markDone(page);
  await expect.poll(async () => (await stored(page, "chainclass.learn.v1.progress"))?.done).toEqual(["keys"]);
  // The open list heard the write.
  await expect(list.locator('.lesson-card[data-lesson="keys"]')).toHaveAttribute("data-done", "true");
  // The stale tab still has "nothing done"; its change is merged, not written over.
  await markDone(stale);
  await expect.poll(async () => (await stored(page, "chainclass.learn.v1.progress"))?.done).toEqual(["hash", "keys"]);
  const third = await context.newPage();
  await open(third, "#/learn");
  await expect(third.getByTestId("progress-summary")).toHaveText("2 of 7 lessons done");
});

test("progress kept by an earlier version (localStorage) is read and moved into the store", async ({ page }) => {
  await page.addInitScript(() => {
    if (!sessionStorage.getItem("seeded")) {
      sessionStorage.setItem("seeded", "1");
      localStorage.setItem("chainclass.learn.v1.progress", JSON.stringify({ done: ["merkle"] }));
    }
  });
  await open(page, "#/learn");
  await expect(page.locator('.lesson-card[data-lesson="merkle"]')).toHaveAttribute("data-done", "true");
  await expect.poll(async () => (await stored(page, "chainclass.learn.v1.progress"))?.done).toEqual(["merkle"]);
});

test("a transfer sent from a stale tab is kept next to a block mined in another", async ({ page, context }) => {
  const balance = (p, name) => p.locator(`tr[data-account="${name}"] [data-testid="balance"]`);
  const stale = await context.newPage();
  await open(stale, "#/learn/transactions", { deaf: true });
  await open(page, "#/learn/transactions");
  // Tab A: Amy pays Ben 10 and mines block 1.
  await page.getByTestId("send").click();
  await page.getByTestId("mine").click();
  await expect(page.getByTestId("notice")).toContainText("Block 1 mined!", { timeout: 30_000 });
  await expect.poll(async () => (await stored(page, "chainclass.learn.v1.ledger"))?.chain?.blocks?.length).toBe(1);
  // Tab B still shows the genesis; Chloe pays Ben 5 there.
  await expect(balance(stale, "Ben")).toHaveText("50");
  await stale.getByTestId("from").selectOption("2");
  await stale.getByTestId("amount").fill("5");
  await stale.getByTestId("send").click();
  await expect(stale.getByTestId("notice")).toContainText("waiting in the mempool");
  await expect.poll(async () => (await stored(page, "chainclass.learn.v1.ledger"))?.mempool?.length).toBe(1);
  const ledger = await stored(page, "chainclass.learn.v1.ledger");
  expect(ledger.chain.blocks.length, "the block mined in tab A is still there").toBe(1);
  // Tab B now shows the merged ledger; a third tab sees the same.
  await expect(balance(stale, "Ben")).toHaveText("60");
  const third = await context.newPage();
  await open(third, "#/learn/transactions");
  await expect(balance(third, "Ben")).toHaveText("60");
  await expect(third.getByTestId("mempool")).toContainText("Chloe → Ben: 5 coins");
});

test("two different edits of the chain lesson are not spliced: the later tab shows the other's and says so", async ({ page, context }) => {
  const card = (p, n) => p.locator(`article[data-block="${n}"]`);
  await open(page, "#/learn/chain");
  await expect(card(page, 5)).toHaveAttribute("data-status", "valid");
  await expect.poll(async () => (await stored(page, "chainclass.learn.v1.chain"))?.blocks?.length).toBe(5);
  const stale = await context.newPage();
  await open(stale, "#/learn/chain", { deaf: true });
  await expect(card(stale, 5)).toHaveAttribute("data-status", "valid");
  await card(page, 1).locator('input[name="data"]').fill("Edited in tab A");
  await expect.poll(async () => JSON.stringify(await stored(page, "chainclass.learn.v1.chain"))).toContain("Edited in tab A");
  await card(stale, 2).locator('input[name="data"]').fill("Edited in tab B");
  await expect(stale.getByTestId("other-tab")).toContainText("changed in another tab");
  await snap(stale, "learn-chain-other-tab-en-1366");
  await stale.setViewportSize({ width: 390, height: 844 });
  await snap(stale, "learn-chain-other-tab-en-390");
  await expect(card(stale, 1).locator('input[name="data"]')).toHaveValue("Edited in tab A");
  const kept = JSON.stringify(await stored(page, "chainclass.learn.v1.chain"));
  expect(kept).toContain("Edited in tab A");
  expect(kept).not.toContain("Edited in tab B");
  const third = await context.newPage();
  await open(third, "#/learn/chain");
  await expect(card(third, 1).locator('input[name="data"]')).toHaveValue("Edited in tab A");
});
