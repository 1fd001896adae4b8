// What `vc issue` signs is accepted by the Digital Credentials Consortium's
// verifier-core (the library behind VerifierPlus and the Learner Credential
// Wallet), offline: every template, in every certificate language, with
// Chinese names, status entries and the student's name, and the signed
// revocation list itself. The same documents signed with eddsa-jcs-2022
// (which verifier-core does not implement) and a changed name are rejected,
// so the check is not a rubber stamp.
//
// Run: node --test interop/ (VC_BIN names the vc binary; the default is the
// release build).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const VC = process.env.VC_BIN ?? new URL("../../target/release/vc", import.meta.url).pathname;
const DCC = new URL("./dcc.mjs", import.meta.url).pathname;
const TEMPLATES = ["it-innovation-lab", "stem-internship", "knowing-more-about-it", "custom"];
const LANGUAGES = ["bilingual", "en", "zh-hant"];
const ROSTER =
  "\u{feff}姓名,English Name,電郵,學生編號\r\n" +
  "陳大文,Chan Tai Man,chan@school.example.hk,S001\r\n" +
  "李美玲,Lee Mei Ling,lee@school.example.hk,S002\r\n";

const vc = (...args) => execFileSync(VC, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/** verifier-core's answer for each file: path → { valid_signature, errors }. */
function dcc(files) {
  const r = spawnSync(process.execPath, [DCC, ...files], { encoding: "utf8", timeout: 300_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

/** Issues the roster with one template and language; returns the credential files. */
function issue(dir, key, state, template, lang, cryptosuite) {
  const out = join(dir, `${template}-${lang}-${cryptosuite}`);
  vc(
    "issue", "--template", template, "--roster", join(dir, "roster.csv"), "--key", key,
    "--out", out, "--lang", lang, "--status-list", state, "--include-name",
    "--issuer-name", "Harbour View Secondary School 海景中學", "--label", "4C 2026",
    "--cryptosuite", cryptosuite,
  );
  return readdirSync(out).filter((f) => /^row-\d+\.json$/.test(f)).map((f) => join(out, f));
}

test("verifier-core accepts every certificate vc issue signs, and the status list", () => {
  const dir = mkdtempSync(join(tmpdir(), "chainclass-vc-issue-"));
  const key = join(dir, "key.json");
  writeFileSync(key, vc("keygen"));
  writeFileSync(join(dir, "roster.csv"), ROSTER);
  const state = join(dir, "revocation.state.json");
  const list = join(dir, "revocation.json");
  vc(
    "status-list", "create", "--purpose", "revocation", "--id",
    "https://school.example.hk/chainclass/status/revocation.json",
    "--key", key, "--state", state, "--out", list,
  );

  const files = [];
  for (const template of TEMPLATES) {
    for (const lang of LANGUAGES) {
      const issued = issue(dir, key, state, template, lang, "eddsa-rdfc-2022");
      assert.equal(issued.length, 2, `${template} ${lang}`);
      files.push(...issued);
    }
  }
  // Revoke one, so the list that is checked has a bit set.
  vc("status-list", "revoke", "--state", state, "--key", key, "--out", list, "--credential", files[0]);

  // What is checked is what the test means: Open Badges with a Chinese name,
  // a status entry and an eddsa-rdfc-2022 proof.
  for (const f of files) {
    const c = JSON.parse(readFileSync(f, "utf8"));
    assert.ok(c.type.includes("OpenBadgeCredential"), f);
    assert.equal(c.proof.cryptosuite, "eddsa-rdfc-2022", f);
    assert.ok(c.credentialStatus, f);
    assert.match(JSON.stringify(c.credentialSubject), /陳大文|李美玲/, f);
  }
  const listDoc = JSON.parse(readFileSync(list, "utf8"));
  assert.ok(listDoc.type.includes("BitstringStatusListCredential"));

  const answers = dcc([...files, list]);
  for (const f of [...files, list]) {
    assert.equal(answers[f].valid_signature, true, `${f}: ${JSON.stringify(answers[f])}`);
  }

  // The other side can say no: a changed name, and eddsa-jcs-2022.
  const forged = JSON.parse(readFileSync(files[1], "utf8"));
  forged.credentialSubject.name = "Mallory";
  const forgedFile = join(dir, "forged.json");
  writeFileSync(forgedFile, JSON.stringify(forged));
  const jcs = issue(dir, key, state, "it-innovation-lab", "bilingual", "eddsa-jcs-2022");
  const refused = dcc([forgedFile, ...jcs]);
  for (const f of [forgedFile, ...jcs]) {
    assert.equal(refused[f].valid_signature, false, `${f}: ${JSON.stringify(refused[f])}`);
  }
});
