// Issuing a class from a CSV roster: row-level errors, explicit skip, the
// progress bar, the anchored block and Merkle root, anchor checks in the
// verifier, revocation through the exported status list, a Big5 roster,
// and everything surviving a reload.
import { test, expect, snap, ready } from "./fixtures.js";
import { writeFileSync, mkdirSync, rmSync } from "node:fs";
import { unlock, certificateWithStatusAt, setUpSchool, download } from "./desk.js";

test.beforeEach(async ({ context }) => {
  await context.addInitScript(() => {
    if (!localStorage.getItem("chainclass.settings.v1")) {
      localStorage.setItem("chainclass.settings.v1", JSON.stringify({ lang: "en" }));
    }
  });
});

/** 30 rows; row 8 has a bad e-mail, row 20 repeats row 3's student number. */
function roster() {
  let csv = "\ufeffName,姓名,Email,Student No\n";
  for (let i = 1; i <= 30; i++) {
    const email = i === 8 ? "not-an-email" : `s${String(i).padStart(3, "0")}@student.example.edu.hk`;
    const sid = i === 20 ? "S0003" : `S${String(i).padStart(4, "0")}`;
    csv += `Student ${i},學生${i},${email},${sid}\n`;
  }
  return csv;
}

test("a 30-row roster with two bad rows: errors, skip, progress, anchor, revoke", async ({ page }) => {
  test.setTimeout(120_000);
  await setUpSchool(page);
  await page.locator('[data-tab="batch"]').click();
  await page.getByTestId("roster-file").setInputFiles({ name: "class-4a.csv", mimeType: "text/csv", buffer: Buffer.from(roster()) });
  await expect(page.getByTestId("rows-ok")).toHaveText("✓ 28 rows ready");
  await expect(page.getByTestId("rows-bad")).toHaveText("✗ 2 rows with problems");
  // The students the desk read, before anything is signed.
  await page.getByTestId("roster-names").locator("summary").click();
  await expect(page.getByTestId("roster-names").locator("li")).toHaveCount(28);
  await expect(page.getByTestId("file-rows")).toHaveText("30 student rows in the file.");
  const rows = page.getByTestId("row-errors").locator("tbody tr");
  await expect(rows).toHaveCount(2);
  expect(await rows.evaluateAll((trs) => trs.map((t) => Number(t.dataset.row)))).toEqual([9, 21]);
  await expect(rows.nth(0)).toContainText("not-an-email");
  await expect(rows.nth(1)).toContainText("student number is already used on row");
  await expect(page.getByTestId("issue-batch")).toBeDisabled();
  await snap(page, "batch-row-errors");

  await page.getByTestId("skip-bad").check();
  await page.getByTestId("issue-batch").click();
  await expect(page.getByTestId("batch-progress")).toBeVisible();
  await expect(page.getByTestId("batch-done")).toContainText("28");
  await expect(page.getByTestId("batch-progress")).toHaveAttribute("value", "28");
  // Finished, it says so (not "Signing…"), and the result is in view.
  await expect(page.getByTestId("batch-progress-text")).toHaveText("Signed: 28 / 28");
  await expect(page.getByTestId("batch-done")).toBeInViewport();
  await expect(page.getByTestId("batch-block")).toContainText("Recorded in block #1");
  await expect(page.getByTestId("batch-root")).toContainText(/[0-9a-f]{64}/);
  await snap(page, "batch-done");

  const bundle = JSON.parse((await download(page, "download-batch")).text);
  expect(bundle.credentials).toHaveLength(28);
  const ledger = await download(page, "download-ledger");

  // The teacher publishes the status list beside the site (here: into the served dist/).
  await page.locator('[data-tab="issued"]').click();
  const initial = await download(page, "download-status-lists");
  const url = new URL(JSON.parse(initial.text).id);
  expect(url.pathname).toMatch(/^\/chainclass\/status\/revocation-/);
  const published = new URL(`../../dist${url.pathname.replace("/chainclass", "")}`, import.meta.url);
  mkdirSync(new URL(".", published), { recursive: true });
  writeFileSync(published, initial.text);
  try {

  // Each credential's anchor check passes in the verifier with its receipt and the ledger.
  const first = bundle.credentials[0];
  await page.goto("#/verify");
  await page.locator("summary", { hasText: "More options" }).click();
  await page.getByTestId("verify-receipt-file").setInputFiles({ name: "receipt.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(first.receipt)) });
  await page.getByTestId("verify-ledger-file").setInputFiles({ name: "ledger.json", mimeType: "application/json", buffer: Buffer.from(ledger.text) });
  await page.getByTestId("verify-input").fill(JSON.stringify(first.credential));
  await page.getByTestId("verify-submit").click();
  await expect(page.locator('[data-check-id="anchor"]')).toHaveAttribute("data-check-status", "pass");
  await expect(page.locator('[data-check-id="proof"]')).toHaveAttribute("data-check-status", "pass");
  // Another credential's receipt does not fit this one.
  await page.getByTestId("verify-input").fill(JSON.stringify(bundle.credentials[1].credential));
  await page.getByTestId("verify-submit").click();
  await expect(page.locator('[data-check-id="anchor"]')).toHaveAttribute("data-check-status", "fail");
  await snap(page, "batch-anchor-verified");

  // Revoke one; with the exported status list the verifier says revoked.
  // (The verifier is another page: back on the desk, the key is locked again.)
  await page.goto("#/teach");
  await ready(page);
  await unlock(page);
  await page.locator('[data-tab="issued"]').click();
  await expect(page.getByTestId("issued-row")).toHaveCount(28);
  await page.getByTestId("issued-search").fill("Student 5");
  await expect(page.getByTestId("issued-row")).toHaveCount(1);
  const revokedId = await page.getByTestId("issued-row").getAttribute("data-id");
  await page.getByTestId("revoke").click();
  // The confirmation is named for screen readers by what it does and for whom.
  await expect(page.getByRole("alertdialog", { name: /^Revoke: Student 5/ })).toBeVisible();
  await page.getByTestId("status-reason").fill("issued by mistake");
  await page.getByTestId("status-yes").click();
  await expect(page.getByTestId("issued-status")).toHaveText("Revoked");
  const list = await download(page, "download-status-lists");
  const revoked = bundle.credentials.find((c) => c.credential.id === revokedId).credential;

  await page.goto("#/verify");
  await page.locator("summary", { hasText: "More options" }).click();
  await page.getByTestId("verify-status-file").setInputFiles({ name: list.name, mimeType: "application/json", buffer: Buffer.from(list.text) });
  await page.getByTestId("verify-input").fill(JSON.stringify(revoked));
  await page.getByTestId("verify-submit").click();
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "invalid");
  await expect(page.locator('[data-check-id="status"]')).toHaveAttribute("data-check-status", "fail");
  await expect(page.locator('[data-check-id="status"]')).toContainText("REVOKED");
  await expect(page.getByTestId("answer")).toHaveAttribute("data-answer", "revoked");
  await expect(page.getByTestId("answer")).toContainText("REVOKED by the issuer");
  await expect(page.getByTestId("answer-facts")).toHaveText(/^Issued to Student 5 學生5 by Harbour View Secondary School \/ 海景中學 on \d{1,2} [A-Z][a-z]{2} \d{4}\.$/);
  await expect(page.getByTestId("credential-card")).toHaveAttribute("data-trust", "signed");
  await snap(page, "verify-revoked");
  // A classmate's certificate in the same list is not revoked.
  await page.getByTestId("verify-input").fill(JSON.stringify(bundle.credentials[0].credential));
  await page.getByTestId("verify-submit").click();
  await expect(page.locator('[data-check-id="status"]')).toHaveAttribute("data-check-status", "pass");

  // Once the new list is published, the verifier fetches it from its own origin, without asking.
  writeFileSync(published, list.text);
  await page.reload();
  await ready(page);
  await page.getByTestId("verify-input").fill(JSON.stringify(revoked));
  await page.getByTestId("verify-submit").click();
  await expect(page.locator('[data-check-id="status"]')).toHaveAttribute("data-check-status", "fail");
  await expect(page.getByTestId("status-ask")).toHaveCount(0);

  // Everything survives a reload.
  await page.goto("#/teach");
  // index.html hands #/teach to teach.html: wait for that page before reloading it.
  await ready(page);
  await page.reload();
  await ready(page);
  await page.locator('[data-tab="issued"]').click();
  await expect(page.getByTestId("issued-row")).toHaveCount(28);
  await page.getByTestId("issued-search").fill("Student 5");
  await expect(page.getByTestId("issued-status")).toHaveText("Revoked");
  await page.getByTestId("issued-search").fill("");
  await snap(page, "batch-issued-after-reload");
  } finally {
    rmSync(published);
  }
});

test("a Big5 roster is detected and the teacher is told how to re-save it", async ({ page }) => {
  await setUpSchool(page);
  await page.locator('[data-tab="batch"]').click();
  // 陳大文 in Big5.
  const big5 = Buffer.concat([Buffer.from("name,email\n"), Buffer.from([0xb3, 0xaf, 0xa4, 0x6a, 0xa4, 0xe5]), Buffer.from(",a@b.hk\n")]);
  await page.getByTestId("roster-file").setInputFiles({ name: "big5.csv", mimeType: "text/csv", buffer: big5 });
  await expect(page.getByTestId("roster-error")).toContainText("CSV UTF-8");
  await expect(page.getByTestId("issue-batch")).toHaveCount(0);
  // An Excel workbook chosen by mistake is called one, not a text encoding.
  const xlsx = Buffer.concat([Buffer.from("PK\x03\x04\x14\x00\x06\x00", "latin1"), Buffer.alloc(64, 1)]);
  await page.getByTestId("roster-file").setInputFiles({ name: "class.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: xlsx });
  await expect(page.getByTestId("roster-error")).toContainText("This is an Excel workbook");
});

test("the QR slips cover the class, and Back returns to the hand-out", async ({ page }) => {
  await setUpSchool(page);
  await page.locator('[data-tab="batch"]').click();
  const csv = "name,email\nAmy,amy@s.example.edu.hk\nBen,ben@s.example.edu.hk\nCat,cat@s.example.edu.hk\n";
  await page.getByTestId("roster-file").setInputFiles({ name: "c.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByTestId("issue-batch").click();
  await expect(page.getByTestId("batch-done")).toContainText("3");
  await page.getByRole("link", { name: "Print QR slips to hand out" }).click();
  await expect(page.getByTestId("slip")).toHaveCount(3);
  await expect(page.getByTestId("slip").locator("svg")).toHaveCount(3);
  await snap(page, "batch-print-links");
  // Back lands where the class's certificates are handed out.
  await page.getByRole("link", { name: "Back" }).click();
  await expect(page.locator('[data-tab="issued"]')).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("handout")).toBeVisible();
});

test("a status list on another website is fetched only after the user agrees", async ({ page }) => {
  const link = await certificateWithStatusAt(page, "https://status.hillside.example.edu.hk/certs/");
  await page.goto(link);
  await expect(page.locator('[data-check-id="status"]')).toHaveAttribute("data-check-status", "couldnt_check");
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "warning");
  await expect(page.getByTestId("answer")).toHaveAttribute("data-answer", "status_unchecked");
  await expect(page.getByTestId("answer")).toContainText("Could not check revocation: the issuer's revocation list could not be loaded.");
  await expect(page.getByTestId("status-ask")).toContainText("https://status.hillside.example.edu.hk/certs/status/revocation-");
  await snap(page, "verify-status-ask");
  // The fixture fails the test if anything was requested outside the origin.
});
