// The teacher's desk: school identity, a custom programme, issuing one
// certificate (preview → sign → link, QR, print), the issued list surviving a
// reload, bad input, and the desk in 繁體中文.
import { test, expect, snap, ready, storeRaw } from "./fixtures.js";
import { choosePassphrase, createKey, setUpSchool, unlock } from "./desk.js";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

test.beforeEach(async ({ context }) => {
  await context.addInitScript(() => {
    if (!localStorage.getItem("chainclass.settings.v1")) {
      localStorage.setItem("chainclass.settings.v1", JSON.stringify({ lang: "en" }));
    }
  });
});

async function issueOne(page, { name, email }) {
  await page.locator('[data-tab="issue"]').click();
  await page.getByTestId("issue-template").selectOption("stem-internship");
  await page.getByTestId("by-email").check();
  // No status list here: these certificates are checked in browsers where no list is published
  // (revocation has its own tests in teach-batch.spec.js).
  // The three revocation choices are one radio group: arrow keys move through all three.
  await page.getByTestId("status-revocation").check();
  await page.getByTestId("status-revocation").focus();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await expect(page.getByTestId("status-none")).toBeChecked();
  await page.getByTestId("issue-name").fill(name);
  await page.getByTestId("issue-ident").fill(email);
  await page.getByTestId("issue-preview").click();
  await expect(page.getByTestId("issue-preview-panel")).toContainText("STEM Internship Scheme");
  await page.getByTestId("issue-sign").click();
  await expect(page.getByTestId("issue-done")).toBeVisible();
}

test("set up an issuer, issue one certificate, verify its link in a fresh browser", async ({ page, browser }) => {
  await setUpSchool(page);
  await snap(page, "teach-identity");
  await issueOne(page, { name: "Chan Tai Man", email: "chan.taiman@student.example.edu.hk" });
  await snap(page, "teach-issued-one");
  const link = await page.getByTestId("share-link").inputValue();
  expect(link).toContain("#/verify?vc=");

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(link);
  await expect(other.locator("[data-verdict]")).toHaveAttribute("data-verdict", "valid");
  await expect(other.getByTestId("credential-card")).toContainText("Chan Tai Man");
  await expect(other.getByTestId("credential-card")).toContainText("Harbour View Secondary School");
  // The e-mail never appears in the credential, only its salted hash.
  await expect(other.getByTestId("raw-json")).not.toContainText("chan.taiman");
  await fresh.close();

  // On a phone, in either language, the first screen answers: the verdict and the student's name.
  for (const [lang, word, facts] of [
    ["en", "Authentic", /^Issued to Chan Tai Man by Harbour View Secondary School \/ 海景中學 on \d{1,2} [A-Z][a-z]{2} \d{4}\.$/],
    ["zh-HK", "真確", /^由Harbour View Secondary School \/ 海景中學於\d{4}年\d{1,2}月\d{1,2}日頒發給Chan Tai Man。$/],
  ]) {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await phone.addInitScript((l) => localStorage.setItem("chainclass.settings.v1", JSON.stringify({ lang: l })), lang);
    const p = await phone.newPage();
    await p.goto(link);
    const answer = p.getByTestId("answer");
    await expect(answer).toHaveAttribute("data-answer", "authentic");
    await expect(answer.locator(".answer-word")).toHaveText(word);
    await expect(p.getByTestId("answer-facts")).toHaveText(facts);
    await expect(answer.locator(".answer-word")).toBeInViewport({ ratio: 1 });
    await expect(p.getByTestId("answer-facts")).toBeInViewport({ ratio: 1 });
    await snap(p, `verify-link-phone-${lang}`);
    // In the wallet the card says whose it is, and the form to present it
    // speaks to the student and fits the phone.
    await p.getByTestId("add-to-wallet").click();
    await expect(p.getByTestId("added-to-wallet")).toBeVisible();
    await p.goto(link.replace(/#.*$/, "#/wallet"));
    await expect(p.getByTestId("wallet-name")).toHaveText("Chan Tai Man");
    await p.getByTestId("wallet-present").click();
    await expect(p.locator('label[for="present-challenge"]')).toHaveText(lang === "en" ? "Code the checker gave you" : "查核者給你的代碼");
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await snap(p, `wallet-present-phone-${lang}`);
    await phone.close();
  }
});

test("the print view shows a QR code that decodes to a working verify link", async ({ page }) => {
  await setUpSchool(page);
  await issueOne(page, { name: "Wong Siu Ming", email: "wong@student.example.edu.hk" });
  await page.getByRole("link", { name: "Print view" }).click();
  await expect(page.getByTestId("certificate")).toBeVisible();
  await expect(page.getByTestId("cert-student")).toHaveText("Wong Siu Ming");
  await expect(page.getByTestId("certificate")).toContainText("創科實習計劃");
  // The printed certificate is bilingual in either language of the desk.
  await expect(page.getByTestId("certificate").locator("h1")).toHaveText("Certificate · 證書");
  await page.locator('button[data-lang="zh-HK"]').click();
  await expect(page.getByTestId("certificate").locator("h1")).toHaveText("Certificate · 證書");
  await page.locator('button[data-lang="en"]').click();
  const expected = await page.getByTestId("cert-qr").getAttribute("data-link");
  await snap(page, "teach-print");
  await page.emulateMedia({ media: "print" });
  await snap(page, "teach-print-media");
  await page.emulateMedia({ media: "screen" });
  // A phone photographs the printed code at a higher resolution than the screen shows it.
  await page.getByTestId("cert-qr").evaluate((el) => { el.style.width = "900px"; });
  const png = await page.getByTestId("cert-qr").locator("svg").screenshot();
  const modules = Number((await page.getByTestId("cert-qr").locator("svg").getAttribute("viewBox")).split(" ")[2]) - 8;

  await page.goto("#/verify");
  await page.getByTestId("scan-image").setInputFiles({ name: "certificate-photo.png", mimeType: "image/png", buffer: png });
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "valid");
  const payload = new URL(expected).hash.split("vc=")[1];
  expect(payload.length).toBeGreaterThan(100);
  await expect(page.getByTestId("credential-card")).toContainText("Wong Siu Ming");
  // The compact link: only characters of the QR code's alphanumeric mode,
  // and a code of version 20 or less (at most 97 modules a side, plus the
  // 4-module quiet zone on each side).
  expect(payload).toMatch(/^C1\.[0-9A-Z$*+\-./:]+$/);
  expect(modules).toBeLessThanOrEqual(17 + 4 * 20);
  await page.goto(expected);
  await expect(page.getByTestId("answer")).toHaveAttribute("data-answer", "authentic");
  await expect(page.getByTestId("answer-facts")).toContainText("Issued to Wong Siu Ming");

  // A phone photo of the printed page (ImageMagick: the code on an A4 page
  // 2,000 px wide, seen at an angle, slightly blurred, unevenly lit, JPEG):
  // read in the browser, through the worker, as a visitor would.
  const dir = mkdtempSync(join(tmpdir(), "chainclass-photo-"));
  try {
    writeFileSync(join(dir, "code.png"), png);
    execFileSync("convert", [
      join(dir, "code.png"), "-resize", "430x430", "-background", "white", "-gravity", "northwest", "-extent", "630x680",
      "-gravity", "southeast", "-extent", "2000x2829", "-virtual-pixel", "white", "-distort", "Perspective",
      "0,0 60,40 2000,0 1950,10 0,2829 20,2800 2000,2829 1970,2760", "-blur", "0x1",
      "(", "-size", "2000x2829", "gradient:gray55-white", ")", "-compose", "multiply", "-composite",
      "-quality", "75", join(dir, "photo.jpg"),
    ]);
    await page.goto("#/verify");
    await ready(page);
    await page.getByTestId("scan-image").setInputFiles(join(dir, "photo.jpg"));
    await expect(page.getByTestId("answer")).toHaveAttribute("data-answer", "authentic", { timeout: 30_000 });
    await expect(page.getByTestId("answer-facts")).toContainText("Issued to Wong Siu Ming");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the desk survives a reload; bad input is refused with a clear message", async ({ page }) => {
  await setUpSchool(page);
  const did = await page.getByTestId("issuer-did").textContent();
  await page.locator('[data-tab="issue"]').click();
  await page.getByTestId("issue-name").fill("Lee Ka Yan");
  await page.getByTestId("issue-ident").fill("not-an-email");
  await page.getByTestId("issue-preview").click();
  await expect(page.getByTestId("issue-problem")).toContainText("not a valid e-mail");
  await page.getByTestId("by-did").check();
  await page.getByTestId("issue-ident").fill("did:key:zNotAKey");
  await page.getByTestId("issue-preview").click();
  await expect(page.getByTestId("issue-problem")).toContainText("not a valid did:key");
  await issueOne(page, { name: "Lee Ka Yan", email: "lee@student.example.edu.hk" });

  await page.locator('[data-tab="identity"]').click();
  await page.getByTestId("school-logo").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: Buffer.from("this is not a png") });
  await expect(page.getByTestId("profile-msg")).toContainText("not a PNG, JPEG or SVG");
  await page.getByTestId("import-key").count().then((n) => expect(n).toBe(0));

  await page.reload();
  await ready(page);
  await page.locator('[data-tab="identity"]').click();
  await expect(page.getByTestId("issuer-did")).toHaveText(did);
  await page.locator('[data-tab="issued"]').click();
  await expect(page.getByTestId("issued-row")).toHaveCount(1);
  await expect(page.getByTestId("issued-row")).toContainText("Lee Ka Yan");
  await snap(page, "teach-issued-list");
  // After the reload the key is locked in this tab until its passphrase is given.
  await expect(page.getByTestId("key-locked")).toBeVisible();
  await page.getByTestId("unlock-passphrase").fill("not the passphrase");
  await page.getByTestId("unlock").click();
  await expect(page.getByTestId("unlock-error")).toContainText("does not open the school key");
  await unlock(page);
  await issueOne(page, { name: "Ng Ka Ho", email: "ng@student.example.edu.hk" });
});

test("a custom programme template can be written and issued", async ({ page }) => {
  await setUpSchool(page);
  await page.locator('[data-tab="templates"]').click();
  await page.getByTestId("new-template").click();
  await page.getByTestId("save-template").click();
  await expect(page.getByTestId("template-editor")).toContainText("needs an English name");
  await page.getByTestId("tpl-name-en").fill("Robotics Club Award");
  await page.getByTestId("tpl-name-zh").fill("機械人學會獎");
  await page.getByTestId("tpl-desc-en").fill("For building and programming a competition robot.");
  await page.getByTestId("tpl-crit-en").fill("Attended 20 sessions and competed in the inter-school contest.");
  await page.getByTestId("save-template").click();
  await expect(page.getByText("Robotics Club Award")).toBeVisible();
  await page.locator('[data-tab="issue"]').click();
  await page.getByTestId("issue-template").selectOption({ label: "Robotics Club Award" });
  await page.getByTestId("issue-name").fill("Ho Wing");
  await page.getByTestId("by-student-id").check();
  await page.getByTestId("issue-ident").fill("S2025-0042");
  await page.getByTestId("status-none").check();
  await page.getByTestId("issue-preview").click();
  await expect(page.getByTestId("issue-preview-panel")).toContainText("Robotics Club Award");
  await page.getByTestId("issue-sign").click();
  const link = await page.getByTestId("share-link").inputValue();
  await page.goto(link);
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "valid");
});

test("the teacher's desk in 繁體中文", async ({ page }) => {
  await page.goto("#/teach");
  await ready(page);
  await page.locator('button[data-lang="zh-HK"]').click();
  await expect(page.locator('[data-tab="identity"]')).toHaveText("1. 學校身份");
  await expect(page.getByTestId("create-issuer")).toHaveText("建立新的學校密鑰");
  await page.getByTestId("create-issuer").click();
  await expect(page.getByTestId("key-msg")).toContainText("最少 10 個字元");
  await createKey(page);
  await page.getByTestId("school-name-en").fill("Harbour View Secondary School");
  await page.getByTestId("save-profile").click();
  await page.locator('[data-tab="issue"]').click();
  await expect(page.getByTestId("issue-template")).toContainText("創科實習計劃");
  await snap(page, "teach-zh");
});

test("a key file that is not a key, and a damaged desk, change nothing", async ({ page }) => {
  await page.goto("#/teach");
  await ready(page);
  await page.getByTestId("import-key").setInputFiles({ name: "key.json", mimeType: "application/json", buffer: Buffer.from('{"publicKeyMultibase":"z6Mk"}') });
  await expect(page.getByTestId("key-msg")).toContainText("not a ChainClass or W3C key file");
  await page.getByTestId("import-key").setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]) });
  await expect(page.getByTestId("key-msg")).toContainText("not a ChainClass or W3C key file");
  await expect(page.getByTestId("issuer-did")).toHaveCount(0);

  // A W3C key file (the vc-di-eddsa test key) is imported.
  const keyFile = { publicKeyMultibase: "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", secretKeyMultibase: "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq" };
  // Not without a passphrase to seal it under.
  await page.getByTestId("import-key").setInputFiles({ name: "key.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(keyFile)) });
  await expect(page.getByTestId("key-msg")).toContainText("at least 10 characters");
  await expect(page.getByTestId("issuer-did")).toHaveCount(0);
  await choosePassphrase(page);
  await page.getByTestId("import-key").setInputFiles({ name: "key.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(keyFile)) });
  await expect(page.getByTestId("issuer-did")).toHaveText("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2");

  // Damaged stored data opens the recovery screen and is kept as it is.
  await storeRaw(page, "chainclass.teach.v1", '{"format":"chainclass-teacher","version":7}');
  await page.reload();
  await expect(page.getByTestId("teach-recovery")).toBeVisible();
  await snap(page, "teach-recovery");
  await page.reload();
  await expect(page.getByTestId("teach-recovery")).toBeVisible();
});
