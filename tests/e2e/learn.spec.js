// The lessons: every lesson by deep link in both languages (with
// screenshots), the lesson list and its stored progress, and each lesson's
// core interaction on the real ledger: hashing, non-blocking mining, a
// tampered chain and its repair, signatures, overspend and replay, chain
// files, Merkle proofs, and a network fork that resolves to the most work.
import { test, expect, snap, ready, storeRaw, readStored } from "./fixtures.js";
import { readFileSync } from "node:fs";

const LESSONS = [
  { slug: "hash", en: "Hash: a fingerprint for data", zh: "雜湊：資料的指紋" },
  { slug: "block", en: "Block & mining", zh: "區塊與挖礦" },
  { slug: "chain", en: "Chain: blocks linked by hashes", zh: "區塊鏈：以雜湊連結的區塊" },
  { slug: "keys", en: "Keys & signatures", zh: "密鑰與數碼簽署" },
  { slug: "transactions", en: "Transactions & balances", zh: "交易與結餘" },
  { slug: "merkle", en: "Merkle trees & proofs", zh: "默克爾樹與證明" },
  { slug: "network", en: "Network & forks", zh: "網絡與分叉" },
];

test.beforeEach(async ({ context }) => {
  // Start every test in English regardless of the machine's locale.
  await context.addInitScript(() => {
    if (!localStorage.getItem("chainclass.settings.v1")) {
      localStorage.setItem("chainclass.settings.v1", JSON.stringify({ lang: "en" }));
    }
  });
});

/**
 * The miner works in slices of a few milliseconds and yields between them.
 * Slices are measured in wall-clock time, so on a busy machine (here: two
 * test browsers mining on two cores) the system can stretch a few; nearly
 * all must stay within the 50 ms budget. A miner that never yielded would
 * show one slow slice in one, a miner slicing too coarsely mostly slow ones.
 * The budget itself (no task over 50 ms) is measured by `cargo xtask bench`
 * with the browser's long-task observer, not here.
 */
async function expectShortSlices(page) {
  const result = page.getByTestId("mine-result");
  const slices = Number(await result.getAttribute("data-slices"));
  const slow = Number(await result.getAttribute("data-slow-slices"));
  const longest = Number(await result.getAttribute("data-longest-slice-ms"));
  test.info().annotations.push({
    type: "mining slices",
    description: `${slices} slices, ${slow} over 50 ms, longest ${longest} ms`,
  });
  expect(slices).toBeGreaterThan(0);
  expect(slow, "slices that held the page over 50 ms").toBeLessThanOrEqual(Math.max(1, Math.floor(slices / 20)));
  expect(longest, "longest slice (ms)").toBeLessThan(1000);
}

async function lesson(page, slug) {
  await page.goto(`#/learn/${slug}`);
  await ready(page);
  await expect(page.locator(`[data-lesson="${slug}"]`)).toBeVisible();
}

for (const l of LESSONS) {
  test(`lesson ${l.slug} renders by deep link in English and 繁體中文`, async ({ page }) => {
    await lesson(page, l.slug);
    await expect(page.locator("h1").first()).toHaveText(l.en);
    await expect(page.locator('[data-nav="learn"]')).toHaveAttribute("aria-current", "page");
    await expect(page.locator(".panel.try li").first()).toBeVisible();
    // Let lessons that load stored state settle before the picture.
    await page.waitForTimeout(300);
    await snap(page, `learn-${l.slug}-en`);
    await page.locator('button[data-lang="zh-HK"]').click();
    await expect(page.locator("h1").first()).toHaveText(l.zh);
    await page.waitForTimeout(300);
    await snap(page, `learn-${l.slug}-zh`);
  });
}

test("the lesson list shows progress that is kept after a reload", async ({ page }) => {
  await page.goto("#/learn");
  await ready(page);
  await expect(page.locator(".lesson-card")).toHaveCount(7);
  await expect(page.getByTestId("progress-summary")).toHaveText("0 of 7 lessons done");
  await page.locator('.lesson-card[data-lesson="keys"] h2 a').click();
  await expect(page.locator("h1").first()).toHaveText("Keys & signatures");
  await page.getByRole("button", { name: "Mark this lesson as done" }).click();
  await expect(page.locator(".done-toggle")).toHaveAttribute("aria-pressed", "true");
  await page.getByRole("link", { name: "← All lessons" }).click();
  await expect(page.locator('.lesson-card[data-lesson="keys"]')).toHaveAttribute("data-done", "true");
  await page.reload();
  await ready(page);
  await expect(page.getByTestId("progress-summary")).toHaveText("1 of 7 lessons done");
  await expect(page.locator('.lesson-card[data-lesson="keys"] .status.pass')).toContainText("Done");
  await snap(page, "learn-list-en");
  // Resetting asks first.
  await page.getByRole("button", { name: "Forget my progress" }).click();
  await page.getByRole("button", { name: "Yes, reset" }).click();
  await expect(page.getByTestId("progress-summary")).toHaveText("0 of 7 lessons done");
});

test("an unknown lesson explains itself", async ({ page }) => {
  await page.goto("#/learn/no-such-lesson");
  await ready(page);
  await expect(page.locator("h1").first()).toHaveText("No such lesson");
});

test("hash of abc is ba7816bf… and one changed character flips many bits", async ({ page }) => {
  await lesson(page, "hash");
  await page.getByTestId("text-a").fill("abc");
  await expect(page.getByTestId("hash-a")).toHaveText(
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  await page.getByRole("button", { name: "Copy the text from above" }).click();
  await expect(page.getByTestId("avalanche")).toContainText("Same text, same hash");
  await page.getByTestId("text-b").fill("abd");
  await expect(page.getByTestId("avalanche")).toContainText("of 256 bits flipped");
  const flipped = Number((await page.getByTestId("avalanche").textContent()).match(/(\d+) of 256/)[1]);
  expect(flipped).toBeGreaterThan(80);
  expect(flipped).toBeLessThan(176);
});

test("mining at 16 bits finishes while the page keeps responding to clicks", async ({ page }) => {
  await lesson(page, "block");
  await expect(page.getByTestId("block")).toHaveAttribute("data-valid", "false");
  await page.getByTestId("difficulty").fill("16");
  await expect(page.locator('label[for="difficulty"]')).toHaveText("Difficulty: 16 zero bits");
  // Watch the main thread: record every gap of over 100 ms between 5 ms timer ticks.
  await page.evaluate(() => {
    window.__gaps = [];
    let last = performance.now();
    window.__timer = setInterval(() => {
      const now = performance.now();
      if (now - last > 100) window.__gaps.push(now - last);
      last = now;
    }, 5);
  });
  await page.getByTestId("mine").click();
  // While it mines (or right after), a click on the page is handled.
  const toggle = page.getByTestId("binary-toggle");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("mine-result")).toContainText("Found nonce", { timeout: 30_000 });
  await expect(page.getByTestId("block")).toHaveAttribute("data-valid", "true");
  await expect(page.getByTestId("block-status")).toContainText("Valid");
  // A few scheduling hiccups are tolerated (two test browsers, both mining,
  // share two cores); a miner holding the main thread would leave one gap as
  // long as the search, and one slicing too coarsely a gap per slice.
  const gaps = await page.evaluate(() => { clearInterval(window.__timer); return window.__gaps; });
  test.info().annotations.push({ type: "main-thread gaps over 100 ms while mining", description: gaps.map((g) => g.toFixed(1)).join(", ") || "none" });
  expect(gaps.length, `gaps over 100 ms while mining: ${gaps.join(", ")}`).toBeLessThanOrEqual(3);
  expect(Math.max(0, ...gaps), "longest time the page did not respond (ms)").toBeLessThan(500);
  await expectShortSlices(page);
  await snap(page, "learn-block-mined-en");
  // Changing the data breaks the block again.
  await page.getByTestId("data").fill("Amy pays Ben 11 coins");
  await expect(page.getByTestId("block")).toHaveAttribute("data-valid", "false");
});

test("a long search keeps the page responsive, shows progress and can be cancelled", async ({ page }) => {
  await lesson(page, "block");
  await page.getByTestId("difficulty").fill("24");
  await page.evaluate(() => {
    window.__gaps = [];
    let last = performance.now();
    window.__timer = setInterval(() => {
      const now = performance.now();
      if (now - last > 100) window.__gaps.push(now - last);
      last = now;
    }, 5);
  });
  await page.getByTestId("mine").click();
  const mining = page.getByTestId("mining");
  await expect(mining).toContainText("hashes per second");
  // Clicks are handled while the search runs, and the numbers keep moving.
  const toggle = page.getByTestId("binary-toggle");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await expect(mining).toBeVisible();
  const tried = async () => Number((await mining.textContent()).match(/Tried ([\d,]+)/)[1].replaceAll(",", ""));
  const first = await tried();
  await page.waitForTimeout(1500);
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await expect(mining).toBeVisible();
  expect(await tried()).toBeGreaterThan(first);
  // A 5 ms timer kept firing: a miner that held the main thread would leave
  // one gap as long as the search (> 1.5 s), or a gap per slice. Two test
  // browsers share two cores here, so a few scheduling hiccups are tolerated.
  const gaps = await page.evaluate(() => { clearInterval(window.__timer); return window.__gaps; });
  test.info().annotations.push({ type: "main-thread gaps over 100 ms while mining", description: gaps.map((g) => g.toFixed(1)).join(", ") || "none" });
  expect(gaps.length, `gaps over 100 ms while mining: ${gaps.join(", ")}`).toBeLessThanOrEqual(3);
  expect(Math.max(0, ...gaps), "longest time the page did not respond while mining (ms)").toBeLessThan(500);
  await snap(page, "learn-block-mining-en");
  await page.getByTestId("cancel").click();
  await expect(page.getByTestId("mine-result")).toContainText("Mining stopped after");
  await expectShortSlices(page);
  await expect(page.getByTestId("mine")).toBeEnabled();
});

test("tampering a block breaks it and every later block; re-mining repairs the chain", async ({ page }) => {
  await lesson(page, "chain");
  const card = (n) => page.locator(`article[data-block="${n}"]`);
  await expect(card(5)).toHaveAttribute("data-status", "valid");
  await expect(page.getByTestId("chain-summary")).toContainText("The whole chain is valid.");
  await card(2).locator('input[name="data"]').fill("Amy pays Ben 1000 coins");
  await expect(card(1)).toHaveAttribute("data-status", "valid");
  await expect(card(2)).toHaveAttribute("data-status", "invalid");
  for (const n of [3, 4, 5]) await expect(card(n)).toHaveAttribute("data-status", "untrusted");
  await expect(card(2).getByTestId("reasons")).toContainText("Not enough work");
  await expect(card(3).getByTestId("reasons")).toContainText("Broken link");
  await expect(card(4).getByTestId("reasons")).toContainText("Block 2 before this one is broken");
  await expect(card(2)).toContainText("✗");
  await expect(page.getByTestId("chain-summary")).toContainText("broken from block 2");
  await snap(page, "learn-chain-tampered-en");
  for (const n of [2, 3, 4, 5]) {
    await card(n).getByRole("button", { name: `Mine block ${n}` }).click();
    await expect(card(n)).toHaveAttribute("data-status", "valid", { timeout: 30_000 });
  }
  await expect(page.getByTestId("chain-summary")).toContainText("The whole chain is valid.");
  // The repaired chain, with its new message, survives a reload.
  await page.waitForTimeout(300);
  await page.reload();
  await ready(page);
  await expect(card(2).locator('input[name="data"]')).toHaveValue("Amy pays Ben 1000 coins");
  await expect(card(5)).toHaveAttribute("data-status", "valid");
  // Add a sixth block.
  await page.getByTestId("add-block").click();
  await expect(card(6)).toHaveAttribute("data-status", "valid", { timeout: 30_000 });
});

test("a signature fails when one character of the message changes", async ({ page }) => {
  await lesson(page, "keys");
  await page.getByTestId("generate").click();
  await expect(page.getByTestId("did-key")).toHaveText(/^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]{44}$/);
  await expect(page.getByTestId("public-key")).toHaveText(/^[0-9a-f]{64}$/);
  await page.getByTestId("sign").click();
  await expect(page.getByTestId("signature")).toHaveText(/^[0-9a-f]{128}$/);
  await expect(page.getByTestId("verdict")).toContainText("Valid signature");
  const message = page.getByTestId("check-message");
  const original = await message.inputValue();
  await message.fill(original.replace("10", "19"));
  await expect(page.getByTestId("verdict")).toContainText("Not valid:");
  await expect(page.getByTestId("verdict")).toContainText("does not match this message");
  await message.fill(original);
  await expect(page.getByTestId("verdict")).toContainText("Valid signature");
  await page.getByRole("button", { name: "Use someone else's public key" }).click();
  await expect(page.getByTestId("verdict")).toContainText("Not valid:");
  await snap(page, "learn-keys-checked-en");
});

test("an overspend and a replayed transfer are rejected with their reasons", async ({ page }) => {
  await lesson(page, "transactions");
  const balance = (name) => page.locator(`tr[data-account="${name}"] [data-testid="balance"]`);
  await expect(balance("Chloe")).toHaveText("20");
  await page.getByTestId("from").selectOption("2");
  await page.getByTestId("amount").fill("500");
  await page.getByTestId("send").click();
  await expect(page.getByTestId("notice")).toContainText(
    "Rejected: Chloe has 20 coins but this transfer needs 501 (amount plus fee).",
  );
  await snap(page, "learn-transactions-overspend-en");
  // A good transfer, then a block.
  await page.getByTestId("from").selectOption("0");
  await page.getByTestId("amount").fill("10");
  await page.getByTestId("send").click();
  await expect(page.getByTestId("notice")).toContainText("waiting in the mempool");
  await expect(page.getByTestId("mempool")).toContainText("Amy → Ben: 10 coins, fee 1, nonce 0");
  await page.getByTestId("mine").click();
  await expect(page.getByTestId("notice")).toContainText("Block 1 mined!", { timeout: 30_000 });
  await expect(page.getByTestId("notice")).toContainText("the reward of 50 plus 1 in fees");
  await expect(balance("Amy")).toHaveText("89");
  await expect(balance("Ben")).toHaveText("60");
  await expect(balance("Max (miner)")).toHaveText("51");
  // Replaying the confirmed transfer is refused.
  await page.locator('.history-block[data-height="1"] button.replay').click();
  await expect(page.getByTestId("notice")).toContainText("already used transfer number 0");
  await expect(page.getByTestId("notice")).toContainText("replay");
  await expect(balance("Amy")).toHaveText("89");
});

test("the class ledger is kept, exported and imported; a bad file changes nothing", async ({ page }) => {
  await lesson(page, "transactions");
  const balance = (name) => page.locator(`tr[data-account="${name}"] [data-testid="balance"]`);
  await page.getByTestId("send").click();
  await page.getByTestId("mine").click();
  await expect(page.getByTestId("notice")).toContainText("Block 1 mined!", { timeout: 30_000 });
  await page.waitForTimeout(300);
  await page.reload();
  await ready(page);
  await expect(balance("Ben")).toHaveText("60");

  const downloading = page.waitForEvent("download");
  await page.getByTestId("export").click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe("chainclass-ledger.json");
  const exported = readFileSync(await download.path(), "utf8");
  expect(JSON.parse(exported).format).toBe("chainclass-ledger");

  // A file that is not JSON, another kind of JSON, and a tampered chain.
  const input = page.getByTestId("import");
  await input.setInputFiles({ name: "notes.json", mimeType: "application/json", buffer: Buffer.from("{ not json") });
  await expect(page.getByTestId("import-message")).toContainText("nothing was changed");
  await expect(page.getByTestId("import-message")).toContainText("This is not a JSON file");
  await input.setInputFiles({ name: "other.json", mimeType: "application/json", buffer: Buffer.from('{"format":"open-badge","version":1}') });
  await expect(page.getByTestId("import-message")).toContainText("not a ChainClass chain file");
  const tampered = exported.replace(/"amount": 10,/, '"amount": 99,');
  expect(tampered).not.toBe(exported);
  await input.setInputFiles({ name: "tampered.json", mimeType: "application/json", buffer: Buffer.from(tampered) });
  await expect(page.getByTestId("import-message")).toContainText("breaks a rule");
  await expect(page.getByTestId("import-message")).toContainText("Block 1 is not valid");
  await expect(balance("Ben")).toHaveText("60");
  await snap(page, "learn-transactions-import-refused-en");

  // Reset, then the exported file brings the block back.
  await page.getByRole("button", { name: "Reset this lesson" }).click();
  await page.getByRole("button", { name: "Yes, reset" }).click();
  await expect(balance("Ben")).toHaveText("50");
  await input.setInputFiles({ name: "chainclass-ledger.json", mimeType: "application/json", buffer: Buffer.from(exported) });
  await expect(page.getByTestId("notice")).toContainText("Chain file imported: 1 blocks");
  await expect(balance("Ben")).toHaveText("60");
});

test("an unreadable saved lesson is offered for download and replaced only on request", async ({ page }) => {
  await lesson(page, "transactions");
  await storeRaw(page, "chainclass.learn.v1.ledger", '{"format":"chainclass-learn-ledger","version":99}');
  await page.reload();
  await ready(page);
  await expect(page.getByTestId("recovery")).toContainText("Your saved lesson cannot be read.");
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download the saved data" }).click();
  const raw = readFileSync(await (await downloading).path(), "utf8");
  expect(raw).toContain('"version":99');
  await page.reload();
  await ready(page);
  await expect(page.getByTestId("recovery")).toBeVisible();
  expect(await readStored(page, "chainclass.learn.v1.ledger")).toContain('"version":99');
  await page.getByTestId("recovery-reset").click();
  await expect(page.getByTestId("recovery")).toContainText("Replace the saved data with a fresh lesson?");
  await page.getByTestId("recovery-reset-yes").click();
  await expect(page.locator('tr[data-account="Amy"] [data-testid="balance"]')).toHaveText("100");
  await expect.poll(() => readStored(page, "chainclass.learn.v1.ledger")).toContain('"chainclass-learn-ledger","version":1');
});

test("a Merkle proof is highlighted, and editing a leaf changes the root", async ({ page }) => {
  await lesson(page, "merkle");
  await page.locator('[data-leaf="4"]').click();
  await expect(page.locator('[data-leaf="4"]')).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("proof")).toContainText("Inclusion proof for leaf 5");
  await expect(page.getByTestId("proof")).toContainText("3 hashes are enough");
  await expect(page.getByTestId("proof-verdict")).toContainText("leads to the anchored root");
  // Keyboard works too.
  await page.locator('[data-leaf="1"]').focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("proof")).toContainText("Inclusion proof for leaf 2");
  const before = await page.getByTestId("current-root").textContent();
  await page.getByLabel("Leaf 2", { exact: true }).fill("Wong Siu Ming · Web3 Master");
  await expect(page.getByTestId("current-root")).not.toHaveText(before);
  await expect(page.getByTestId("root-status")).toContainText("Different root");
  await expect(page.getByTestId("proof-verdict")).toContainText("does not lead to the anchored root");
  await snap(page, "learn-merkle-edited-en");
});

test("a network partition makes a fork that resolves to the most-work chain", async ({ page }) => {
  await lesson(page, "network");
  await expect(page.locator("g.peer")).toHaveCount(4);
  for (let i = 0; i < 3; i++) await page.getByTestId("run10").click();
  await page.getByTestId("split").click();
  await expect(page.getByTestId("split-note")).toContainText("group 1: A, B");
  for (let i = 0; i < 4; i++) await page.getByTestId("run10").click();
  await expect(page.getByTestId("net-status")).toContainText("Peers disagree");
  await expect(page.locator(".mini-chain li.forked").first()).toBeVisible();
  await snap(page, "learn-network-fork-en");
  await page.getByTestId("heal").click();
  await page.getByTestId("agree").click();
  await expect(page.getByTestId("fork-outcome")).toContainText("it had the most work");
  await expect(page.getByTestId("net-status")).toContainText("All peers agree");
  const tips = await page.locator("g.peer").evaluateAll((gs) => gs.map((g) => g.getAttribute("data-tip")));
  expect(new Set(tips).size).toBe(1);
  await snap(page, "learn-network-resolved-en");
  // The scripted stories.
  await page.getByTestId("play-attack").click();
  await expect(page.getByTestId("story-attack")).toContainText("published its chain");
  await page.getByTestId("play-double").click();
  await expect(page.getByTestId("story-double")).toContainText("waited for 2 confirmations");
});

test("the network plays on its own and can be paused", async ({ page }) => {
  await lesson(page, "network");
  await page.getByTestId("peers").selectOption("6");
  await page.getByTestId("restart").click();
  await expect(page.locator("g.peer")).toHaveCount(6);
  await page.getByTestId("play").click();
  await expect(page.getByTestId("net-status")).not.toContainText("Tick 0 ", { timeout: 5_000 });
  await expect.poll(async () => Number((await page.locator(".net-status .tick").textContent()).match(/\d+/)[0])).toBeGreaterThan(2);
  await page.getByTestId("play").click();
  await expect(page.getByTestId("play")).toHaveAttribute("aria-pressed", "false");
});
