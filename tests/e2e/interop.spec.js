// The other side of interoperability: what the teacher's desk signs, checked
// by the Digital Credentials Consortium's verifier-core (the library behind
// VerifierPlus and the Learner Credential Wallet), offline. Every built-in
// programme as a class with Chinese names, a certificate issued on its own
// from the 繁體中文 desk, and the signed revocation list must all carry a
// signature verifier-core accepts; the same documents also pass
// ChainClass's own verifier page.
import { test, expect, readStored, snap } from "./fixtures.js";
import { download, listsSigned, setUpSchool } from "./desk.js";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const TEMPLATES = ["it-innovation-lab", "stem-internship", "knowing-more-about-it"];

const ROSTER = "\ufeffName,姓名,Email,Student No\nChan Tai Man,陳大文,chan.tm@student.example.edu.hk,S0001\nLee Ka Yan,李嘉欣,lee.ky@student.example.edu.hk,S0002\n";

/** verifier-core's answer for each document: file → { valid_signature, errors }. */
function dcc(docs) {
  const dir = mkdtempSync(join(tmpdir(), "chainclass-dcc-"));
  const files = docs.map((d, i) => {
    const f = join(dir, `doc-${i}.json`);
    writeFileSync(f, JSON.stringify(d));
    return f;
  });
  const script = new URL("../interop/dcc.mjs", import.meta.url).pathname;
  const out = execFileSync("node", [script, ...files], { encoding: "utf8", timeout: 120_000 });
  const answer = JSON.parse(out);
  return files.map((f) => answer[f]);
}

/** The profile's choice of signature format, eddsa-rdfc-2022 by default, on a laptop and a phone. */
async function signatureFormat(page, lang) {
  await expect(page.getByTestId("suite-rdfc")).toBeChecked();
  await expect(page.getByTestId("suite-jcs")).not.toBeChecked();
  for (const [w, h] of [[1366, 768], [390, 844]]) {
    await page.setViewportSize({ width: w, height: h });
    await page.getByTestId("suite-jcs").scrollIntoViewIfNeeded();
    await expect(page.getByTestId("suite-jcs")).toBeInViewport();
    // Nothing wider than the screen on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(w);
    await snap(page, `teach-signature-format-${lang}-${w}`);
  }
  await page.setViewportSize({ width: 1366, height: 768 });
}

test("what the desk signs is accepted by verifier-core: every programme, Chinese names, status entries, the status list", async ({ page }) => {
  test.setTimeout(180_000);
  await setUpSchool(page);
  await signatureFormat(page, "en");

  const docs = [];
  for (const template of TEMPLATES) {
    await page.locator('[data-tab="batch"]').click();
    await page.getByTestId("roster-file").setInputFiles({ name: `${template}.csv`, mimeType: "text/csv", buffer: Buffer.from(ROSTER) });
    await expect(page.getByTestId("rows-ok")).toContainText("2");
    await page.getByTestId("batch-template").selectOption(template);
    await page.getByTestId("issue-batch").click();
    await expect(page.getByTestId("batch-done")).toBeVisible();
    const bundle = JSON.parse((await download(page, "download-batch")).text);
    for (const c of bundle.credentials) docs.push(c.credential);
    await listsSigned(page);
  }
  // One more, on its own, from the desk in 繁體中文.
  await page.locator('button[data-lang="zh-HK"]').click();
  await page.locator('[data-tab="identity"]').click();
  await signatureFormat(page, "zh");
  await page.locator('[data-tab="issue"]').click();
  await page.getByTestId("issue-name").fill("陳小明");
  await page.getByTestId("issue-ident").fill("siu.ming@student.example.edu.hk");
  await page.getByTestId("issue-preview").click();
  await page.getByTestId("issue-sign").click();
  await expect(page.getByTestId("issue-done")).toBeVisible();
  await listsSigned(page);
  const desk = JSON.parse(await readStored(page, "chainclass.teach.v1"));
  const single = desk.issued.find((r) => r.student === "陳小明").credential;
  docs.push(single);
  const list = desk.statusLists.revocation.signed;
  docs.push(list);

  expect(docs).toHaveLength(TEMPLATES.length * 2 + 2);
  for (const d of docs) {
    expect(d.proof.cryptosuite).toBe("eddsa-rdfc-2022");
  }
  expect(docs.filter((d) => d.credentialSubject?.identifier?.some((i) => /陳大文|李嘉欣/.test(i.identityHash)))).toHaveLength(TEMPLATES.length * 2);
  expect(docs.filter((d) => d.credentialStatus?.statusPurpose === "revocation")).toHaveLength(TEMPLATES.length * 2 + 1);

  const answers = dcc(docs);
  answers.forEach((a, i) => expect(a.valid_signature, `${docs[i].id}: ${JSON.stringify(a)}`).toBe(true));
  // A changed name is caught by verifier-core too: the check is not a rubber stamp.
  const forged = structuredClone(docs[0]);
  forged.credentialSubject.identifier[0].identityHash = "Someone Else";
  expect(dcc([forged])[0].valid_signature).toBe(false);

  // ChainClass's own verifier (its worker checks eddsa-rdfc-2022) agrees,
  // with the list published where the teacher would (here: the served dist/).
  const url = new URL(list.id);
  const published = new URL(`../../dist${url.pathname.replace("/chainclass", "")}`, import.meta.url);
  mkdirSync(new URL(".", published), { recursive: true });
  writeFileSync(published, JSON.stringify(list));
  try {
  await page.goto("#/verify");
  await page.getByTestId("verify-input").fill(JSON.stringify(single));
  await page.getByTestId("verify-submit").click();
  await expect(page.locator('[data-check-id="proof"]')).toHaveAttribute("data-check-status", "pass");
  // The check names the signature method and says what its canonicalisation does (the desk is in 繁體中文 here).
  await expect(page.locator('[data-check-id="proof"]')).toContainText("eddsa-rdfc-2022: 簽署前");
  await expect(page.locator('[data-check-id="status"]')).toHaveAttribute("data-check-status", "pass");
  await page.getByTestId("verify-input").fill(JSON.stringify(forged));
  await page.getByTestId("verify-submit").click();
  await expect(page.locator('[data-check-id="proof"]')).toHaveAttribute("data-check-status", "fail");
  } finally {
    rmSync(published, { force: true });
  }
});
