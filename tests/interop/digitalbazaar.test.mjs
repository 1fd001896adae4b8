// Credentials signed by Digital Bazaar's libraries (@digitalbazaar/vc with
// eddsa-rdfc-2022 and Ed25519Signature2020, fresh did:key keys), judged by
// `vc verify` with the same verdicts as Digital Bazaar's own verifier: an
// Open Badge with a Chinese name (valid), the same with a claim changed after
// signing (tampered), one past its validUntil (expired), and one with a term
// no context defines, which their signer refuses in safe mode and so must
// `vc sign`; added after signing, both verifiers reject it. The one designed
// difference (ChainClass also checks the Open Badges 3.0 profile) is tested
// as such.
//
// Offline: Digital Bazaar's document loader with their bundled contexts and
// did:key resolver, plus the Open Badges 3.0.3 context file ChainClass
// bundles; any other URL throws instead of being fetched.
//
// Run: node --test interop/ (VC_BIN names the vc binary; the default is the
// release build).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vc from "@digitalbazaar/vc";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite as eddsaRdfc2022 } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import { Ed25519Signature2020 } from "@digitalbazaar/ed25519-signature-2020";
import { Ed25519VerificationKey2020 } from "@digitalbazaar/ed25519-verification-key-2020";
import { securityLoader } from "@digitalbazaar/security-document-loader";
import dataIntegrityContext from "@digitalbazaar/data-integrity-context";

const VC = process.env.VC_BIN ?? new URL("../../target/release/vc", import.meta.url).pathname;
const OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
const V2 = "https://www.w3.org/ns/credentials/v2";

const loader = securityLoader();
loader.addStatic(OB3, JSON.parse(readFileSync(new URL("../../credentials/contexts/ob-v3p0-context-3.0.3.jsonld", import.meta.url), "utf8")));
for (const [url, doc] of dataIntegrityContext.contexts) loader.addStatic(url, doc);
const documentLoader = loader.build();

const dir = mkdtempSync(join(tmpdir(), "chainclass-digitalbazaar-"));
let files = 0;

/** ChainClass's verdict on `doc`: the parsed report of `vc verify`. */
function chainclass(doc) {
  const file = join(dir, `doc-${files++}.json`);
  writeFileSync(file, JSON.stringify(doc));
  const r = spawnSync(VC, ["verify", file], { encoding: "utf8" });
  assert.ok(r.status === 0 || r.status === 1, `vc verify exited ${r.status}: ${r.stderr}`);
  const report = JSON.parse(r.stdout);
  assert.equal(r.status === 0, report.valid, "exit status and report agree");
  return report;
}
const check = (report, id) => report.checks.find((c) => c.id === id)?.status;

/** An Open Badges 3.0 credential from `did`. */
function badge(did, extra = {}) {
  return {
    "@context": [V2, OB3],
    id: `urn:uuid:${crypto.randomUUID()}`,
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    issuer: { id: did, type: ["Profile"], name: "Harbour View Secondary School 海景中學" },
    validFrom: "2026-01-01T00:00:00Z",
    name: "IT Innovation Lab 資訊科技創新實驗室",
    credentialSubject: {
      id: "did:example:chan-tai-man",
      type: ["AchievementSubject"],
      name: "陳大文 CHAN Tai Man",
      achievement: {
        id: "urn:uuid:6f5f3a1c-6a7e-4b0e-9a55-7d2f0c3a9b10",
        type: ["Achievement"],
        name: "IT Innovation Lab",
        description: "Completed the school's IT Innovation Lab programme.",
        criteria: { narrative: "Attended every session and presented a project." },
      },
    },
    ...extra,
  };
}

/** The two signers: eddsa-rdfc-2022 (Multikey) and Ed25519Signature2020. */
async function signers() {
  const multikey = await Ed25519Multikey.generate();
  const mkDid = `did:key:${multikey.publicKeyMultibase}`;
  multikey.controller = mkDid;
  multikey.id = `${mkDid}#${multikey.publicKeyMultibase}`;
  const key2020 = await Ed25519VerificationKey2020.generate();
  const k20Did = `did:key:${key2020.publicKeyMultibase}`;
  key2020.controller = k20Did;
  key2020.id = `${k20Did}#${key2020.publicKeyMultibase}`;
  return [
    {
      name: "eddsa-rdfc-2022",
      did: mkDid,
      suite: () => new DataIntegrityProof({ signer: multikey.signer(), cryptosuite: eddsaRdfc2022 }),
      verifySuite: () => new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }),
      type: "DataIntegrityProof",
    },
    {
      name: "Ed25519Signature2020",
      did: k20Did,
      suite: () => new Ed25519Signature2020({ key: key2020 }),
      verifySuite: () => new Ed25519Signature2020(),
      type: "Ed25519Signature2020",
    },
  ];
}

/** Digital Bazaar's verdict: true when their verifier accepts `doc`. */
async function theirs(s, doc) {
  const result = await vc.verifyCredential({ credential: doc, suite: s.verifySuite(), documentLoader });
  return result.verified === true;
}

for (const s of await signers()) {
  test(`${s.name}: vc verify agrees with Digital Bazaar's verifier`, async () => {
    const issue = (doc) => vc.issue({ credential: doc, suite: s.suite(), documentLoader });

    const valid = await issue(badge(s.did));
    assert.equal([].concat(valid.proof)[0].type, s.type);
    const tampered = structuredClone(valid);
    tampered.credentialSubject.achievement.name = "Something else";
    const expired = await issue(badge(s.did, { validUntil: "2026-02-01T00:00:00Z" }));
    const extraTerm = structuredClone(valid);
    extraTerm.favouriteColour = "blue";

    const cases = [
      ["valid", valid, true],
      ["tampered", tampered, false],
      ["expired", expired, false],
      ["an undefined term added after signing", extraTerm, false],
    ];
    for (const [what, doc, expected] of cases) {
      const report = chainclass(doc);
      assert.equal(await theirs(s, doc), expected, `${what}: Digital Bazaar`);
      assert.equal(report.valid, expected, `${what}: ChainClass ${JSON.stringify(report.checks)}`);
    }
    // One known difference, by design: an Open Badge whose subject has
    // neither id nor identifier breaks the Open Badges 3.0 profile ("either
    // id or at least one identifier MUST be supplied"). Digital Bazaar's
    // generic VC verifier does not check that profile and accepts it;
    // ChainClass verifies its signature and fails the profile check.
    const anonymous = badge(s.did);
    delete anonymous.credentialSubject.id;
    const signedAnonymous = await issue(anonymous);
    assert.equal(await theirs(s, signedAnonymous), true, "no recipient: Digital Bazaar");
    const noRecipient = chainclass(signedAnonymous);
    assert.equal(check(noRecipient, "proof"), "pass");
    assert.equal(check(noRecipient, "profile"), "fail");

    // The reasons ChainClass gives are the right ones.
    assert.equal(check(chainclass(valid), "proof"), "pass");
    assert.equal(check(chainclass(tampered), "proof"), "fail");
    assert.equal(check(chainclass(expired), "proof"), "pass");
    assert.equal(check(chainclass(expired), "validity"), "fail");
    assert.notEqual(check(chainclass(extraTerm), "proof"), "pass");

    // A term no context defines: their signer refuses it (JSON-LD safe mode),
    // and so does `vc sign`.
    await assert.rejects(issue(badge(s.did, { favouriteColour: "blue" })), `${s.name}: Digital Bazaar signs an undefined term`);
  });
}

test("vc sign refuses a term no context defines, as Digital Bazaar's signer does", () => {
  const key = join(dir, "key.json");
  const k = spawnSync(VC, ["keygen"], { encoding: "utf8" });
  assert.equal(k.status, 0, k.stderr);
  writeFileSync(key, k.stdout);
  const did = JSON.parse(k.stdout).controller;
  const file = join(dir, "undefined-term.json");
  writeFileSync(file, JSON.stringify(badge(did, { favouriteColour: "blue" })));
  const r = spawnSync(VC, ["sign", file, "--key", key], { encoding: "utf8" });
  assert.equal(r.status, 1, `vc sign signed a document with an undefined term: ${r.stdout}`);
  assert.equal(r.stdout, "");
  // The same document without that term is signed.
  writeFileSync(file, JSON.stringify(badge(did)));
  assert.equal(spawnSync(VC, ["sign", file, "--key", key], { encoding: "utf8" }).status, 0);
});
