// Handing a class its certificates three ways from the Issued tab: printed
// certificates, QR slips (eight an A4 page, each read back by the
// verifier), and a mail-merge CSV (formulas neutralised, Chinese names
// intact, every link verifying); plus all certificates as one file.
import { test, expect, snap, ready } from "./fixtures.js";
import { setUpSchool, issue, download } from "./desk.js";

test.beforeEach(async ({ context }) => {
  await context.addInitScript(() => {
    if (!localStorage.getItem("chainclass.settings.v1")) {
      localStorage.setItem("chainclass.settings.v1", JSON.stringify({ lang: "en" }));
    }
  });
});

/** RFC 4180 rows (quoted cells with doubled quotes, CRLF). */
function parseCsv(text) {
  const rows = [];
  let row = [], cell = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(cell); cell = ""; }
    else if (c === "\r" && text[i + 1] === "\n") { row.push(cell); rows.push(row); row = []; cell = ""; i++; }
    else cell += c;
  }
  return rows;
}

test("a class gets printed certificates, QR slips and a mail-merge file, and each way verifies", async ({ page, browser }) => {
  test.setTimeout(180_000);
  await setUpSchool(page);
  await issue(page, "Ho Wing");
  await page.locator('[data-tab="batch"]').click();
  const students = [["=HYPERLINK(\"http://evil.example\")", "formula@s.example.edu.hk"], ["陳大文", "tai.man@s.example.edu.hk"]];
  for (let i = 1; i <= 8; i++) students.push([`Student ${i}`, `student${i}@s.example.edu.hk`]);
  const roster = "name,email\n" + students.map(([n, e]) => `"${n.replace(/"/g, '""')}",${e}`).join("\n") + "\n";
  await page.getByTestId("roster-file").setInputFiles({ name: "class.csv", mimeType: "text/csv", buffer: Buffer.from(roster) });
  await page.getByTestId("issue-batch").click();
  await expect(page.getByTestId("batch-done")).toContainText("10");

  await page.locator('[data-tab="issued"]').click();
  const which = page.getByTestId("handout-which");
  await expect(which.locator("option")).toHaveCount(2);
  await expect(which.locator("option").first()).toHaveText("All (11 certificates)");
  const batch = await which.locator("option").nth(1).getAttribute("value");
  await which.selectOption(batch);
  await expect(page.getByTestId("handout-count")).toHaveText("10 certificates chosen.");
  await snap(page, "teach-handout");

  // 1. The mail-merge file.
  const csv = await download(page, "handout-csv");
  expect(csv.name).toBe(`${batch}-mail-merge.csv`);
  expect(csv.text.charCodeAt(0)).toBe(0xfeff);
  const rows = parseCsv(csv.text.slice(1));
  expect(rows[0]).toEqual(["Name", "E-mail", "Programme", "Certificate link"]);
  expect(rows).toHaveLength(11);
  const byName = Object.fromEntries(rows.slice(1).map((r) => [r[0], r]));
  // A name that would run as a formula in a spreadsheet is shown as text.
  expect(byName["'=HYPERLINK(\"http://evil.example\")"][1]).toBe("formula@s.example.edu.hk");
  expect(byName["陳大文"][1]).toBe("tai.man@s.example.edu.hk");
  for (const r of rows.slice(1)) {
    expect(r[2]).toBe("IT Innovation Lab in Secondary Schools");
    expect(r[3]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/chainclass\/#\/verify\?vc=C1\./);
  }
  // A link from the file opens the student's certificate.
  const other = await browser.newContext();
  const reader = await other.newPage();
  await reader.goto(byName["陳大文"][3]);
  await expect(reader.getByTestId("answer-facts")).toContainText("Issued to 陳大文");
  await other.close();

  // 2. All the batch's certificates as one file.
  const bundle = JSON.parse((await download(page, "handout-files")).text);
  expect(bundle.format).toBe("chainclass-batch");
  expect(bundle.credentials).toHaveLength(10);

  // 3. QR slips, eight an A4 page.
  await page.getByRole("link", { name: /Print QR slips/ }).click();
  await ready(page);
  await expect(page.getByTestId("slip")).toHaveCount(10);
  await expect(page.getByTestId("slip-page")).toHaveCount(2);
  await expect(page.getByTestId("slip-page").first().getByTestId("slip")).toHaveCount(8);
  await expect(page.getByTestId("slip-name").nth(1)).toHaveText("陳大文");
  await page.emulateMedia({ media: "print" });
  await snap(page, "teach-slips-print");
  await page.emulateMedia({ media: "screen" });
  // A slip's code, photographed closer than the page shows it, reads back.
  const code = page.getByTestId("slip-qr").nth(1);
  const link = await code.getAttribute("data-link");
  expect(link).toBe(byName["陳大文"][3]);
  const svg = await code.locator("svg").evaluate((el) => el.outerHTML);
  const camera = await browser.newPage();
  await camera.setContent(`<body style="margin:0;background:#fff">${svg.replace("<svg ", '<svg style="width:700px;height:700px" ')}</body>`);
  const png = await camera.locator("svg").screenshot();
  await camera.close();
  // On a phone the slips stack, nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await ready(page);
  await expect(page.getByTestId("slip")).toHaveCount(10);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1280, height: 800 });

  // Back returns to the hand-out on the Issued tab.
  await page.getByRole("link", { name: "Back" }).click();
  await expect(page.locator('[data-tab="issued"]')).toHaveAttribute("aria-selected", "true");

  // Every certificate of the desk, printed, one a page.
  await page.getByRole("link", { name: /Print every certificate/ }).click();
  await ready(page);
  await expect(page.getByTestId("certificate")).toHaveCount(11);

  await page.goto("#/verify");
  await ready(page);
  await page.getByTestId("scan-image").setInputFiles({ name: "slip-photo.png", mimeType: "image/png", buffer: png });
  await expect(page.getByTestId("answer-facts")).toContainText("Issued to 陳大文");
});
