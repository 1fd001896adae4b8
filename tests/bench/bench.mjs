// The browser benchmark page's logic: loads the webbench wasm (the ledger
// and credentials crates, built with the app's release profile and wasm-opt
// level), the JavaScript peer, cross-checks them, and times each workload
// with the plan the native runner uses. Driven by run.mjs through
// `window.bench` (which interleaves the runs of every implementation, native
// included); every function returns plain JSON.
import init, { Bench } from "./pkg/webbench.js";
import * as peer from "./peer.mjs";

const utf8 = new TextEncoder();
let wasm;
let ref;
let secretKey;
let options;
let template;
let headerBytes;
let nextNonce = { wasm: 0, js: 0, js_noble: 0 };
let nobleMine;
let hashData;
let signature;
let publicKey;
let loader;

async function setUp() {
  await init();
  wasm = new Bench();
  ref = JSON.parse(wasm.reference());
  secretKey = peer.fromHex(ref.issuerSeedHex);
  options = { created: ref.created, verificationMethod: ref.verificationMethod };
  template = ref.unsigned;
  headerBytes = peer.fromHex(ref.headerHex);
  nobleMine = peer.nobleMiner(headerBytes);
  hashData = peer.fromHex(ref.hashDataHex);
  signature = peer.fromHex(ref.signatureHex);
  publicKey = peer.ed25519.getPublicKey(secretKey);
  loader = peer.contextLoader(ref.contexts);
}

/** One timed run, as in webbench-native's `measure`: repeat until
 * `min_run_ms` have passed (at least once, at most `max_iterations`). */
async function oneRun(plan, iteration, isAsync) {
  const start = performance.now();
  let n = 0;
  for (;;) {
    if (isAsync) await iteration();
    else iteration();
    n++;
    const ms = performance.now() - start;
    if (n >= plan.max_iterations || ms >= plan.min_run_ms) {
      return { rate: (n * plan.ops_per_iteration) / (Math.max(ms, 1e-6) / 1000), n };
    }
  }
}

function expect(ok, what) {
  if (!ok) throw new Error(`${what} failed`);
}

/** One iteration of workload `id` in implementation `impl`, and whether it is async. */
function iterationOf(id, impl) {
  const signedText = ref.signedText;
  if (impl === "wasm") {
    switch (id) {
      case "sign": return [() => expect(wasm.sign() > 0, "sign"), false];
      case "sign_full": return [() => expect(wasm.sign_full() > 0, "sign_full"), false];
      case "hash_inputs": return [() => expect(wasm.hash_inputs() === hashData[0], "hash_inputs"), false];
      case "ed25519_sign": return [() => expect(wasm.ed25519_sign() === signature[0], "ed25519_sign"), false];
      case "ed25519_verify": return [() => expect(wasm.ed25519_verify(), "ed25519_verify"), false];
      case "verify": return [() => expect(wasm.verify(), "verify"), false];
      case "verify_full": return [() => expect(wasm.verify_full(), "verify_full"), false];
      case "batch": return [() => expect(wasm.batch(ref.batchRows) === ref.batchRoot, "batch"), false];
      case "mine": return [() => expect(wasm.mine() === ref.mineChunk, "mine"), false];
      case "validate": return [() => expect(wasm.validate(), "validate"), false];
      case "rdfc_sign": return [() => expect(wasm.rdfc_sign() > 0, "rdfc_sign"), false];
      case "rdfc_verify": return [() => expect(wasm.rdfc_verify(), "rdfc_verify"), false];
      case "rdfc_batch": return [() => expect(wasm.rdfc_batch(ref.batchRows) === ref.rdfcBatchRoot, "rdfc_batch"), false];
    }
  }
  const hash = peer.HASHES[impl];
  if (!hash) return null;
  switch (id) {
    case "sign":
      return [async () => expect((await peer.addProof(template, secretKey, options, hash)).proof.proofValue === ref.proofValue, "sign"), true];
    case "verify":
      return [async () => expect(await peer.verify(signedText, hash), "verify"), true];
    case "rdfc_sign":
      return [async () => expect((await peer.rdfcAddProof(template, secretKey, options, loader, hash)).proof.proofValue === ref.rdfcProofValue, "rdfc_sign"), true];
    case "rdfc_verify":
      return [async () => expect(await peer.rdfcVerify(ref.rdfcSignedText, loader, hash), "rdfc_verify"), true];
    case "hash_inputs":
      return [async () => {
        const { proof: _p, ...unsecured } = template;
        const data = await peer.hashData(peer.proofConfig(template, options), unsecured, hash);
        expect(data[0] === hashData[0], "hash_inputs");
      }, true];
    case "ed25519_sign":
      if (impl !== "js") return null; // no hash involved: one JavaScript figure
      return [() => expect(peer.ed25519.sign(hashData, secretKey)[0] === signature[0], "ed25519_sign"), false];
    case "ed25519_verify":
      if (impl !== "js") return null;
      return [() => expect(peer.ed25519.verify(signature, hashData, publicKey, { zip215: false }), "ed25519_verify"), false];
    case "batch":
      return [async () => {
        const out = await peer.batch(template, ref.batchRows, secretKey, options, ref.anchorLabel, hash);
        expect(peer.hex(out.root) === ref.batchRoot, "batch");
      }, true];
    case "mine":
      if (impl === "js") {
        return [async () => {
          await peer.mineWebCrypto(headerBytes, nextNonce.js, ref.mineChunk);
          nextNonce.js += ref.mineChunk;
        }, true];
      }
      return [() => {
        nobleMine(nextNonce.js_noble, ref.mineChunk);
        nextNonce.js_noble += ref.mineChunk;
      }, false];
  }
  return null; // sign_full, verify_full, validate, rdfc_batch: no JavaScript peer
}

/** The implementations that have workload `id`. */
function impls(id) {
  return ["wasm", "js", "js_noble"].filter((impl) => iterationOf(id, impl));
}

/** One timed run of workload `id` in `impl` with `plan`: { rate, n }. */
async function once(id, impl, plan) {
  const [fn, isAsync] = iterationOf(id, impl);
  return oneRun(plan, fn, isAsync);
}

/** Every cross-check between the wasm and the JavaScript peer. */
async function check() {
  const results = [];
  const add = (name, ok, detail = "") => results.push({ name, ok: Boolean(ok), detail: String(detail) });
  const attempt = async (name, fn) => {
    try {
      await fn();
    } catch (e) {
      add(name, false, e?.stack ?? e);
    }
  };
  await attempt("base58 round trip", async () => {
    const bytes = Uint8Array.from([0, 0, 1, 2, 255, 254, 0, 7]);
    add("base58 round trip", peer.hex(peer.base58Decode(peer.base58Encode(bytes))) === peer.hex(bytes));
  });
  await attempt("public key", async () => {
    const pub = peer.ed25519.getPublicKey(secretKey);
    const fromDid = peer.base58Decode(ref.did.slice("did:key:z".length)).slice(2);
    add("public key: noble from the seed = the did:key of the wasm", peer.hex(pub) === peer.hex(fromDid));
  });
  for (const [impl, hash] of Object.entries(peer.HASHES)) {
    await attempt(`${impl} sign`, async () => {
      const signed = await peer.addProof(template, secretKey, options, hash);
      add(`${impl}: proofValue equals the wasm's byte for byte`, signed.proof.proofValue === ref.proofValue,
        `${signed.proof.proofValue} vs ${ref.proofValue}`);
      const { proof: _p, ...unsecured } = template;
      const data = await peer.hashData(peer.proofConfig(template, options), unsecured, hash);
      add(`${impl}: hash data (SHA-256 of JCS) equals the wasm's`, peer.hex(data) === ref.hashDataHex);
      add(`${impl}: JCS of the signed credential equals the wasm's`,
        peer.canonicalize(signed) === peer.canonicalize(JSON.parse(ref.signedText)));
    });
    await attempt(`${impl} verify`, async () => {
      add(`${impl}: verifies the wasm-signed credential`, await peer.verify(ref.signedText, hash));
      const tampered = ref.signedText.replace(ref.rowIds[0], ref.rowIds[1]);
      add(`${impl}: rejects a tampered credential`, !(await peer.verify(tampered, hash)));
    });
    await attempt(`${impl} rdfc`, async () => {
      const signed = await peer.rdfcAddProof(template, secretKey, options, loader, hash);
      add(`${impl}: eddsa-rdfc-2022 proofValue (jsonld + rdf-canonize) equals the wasm's byte for byte`,
        signed.proof.proofValue === ref.rdfcProofValue, `${signed.proof.proofValue} vs ${ref.rdfcProofValue}`);
      add(`${impl}: the eddsa-rdfc-2022 credential equals the wasm's (JCS)`,
        peer.canonicalize(signed) === peer.canonicalize(JSON.parse(ref.rdfcSignedText)));
      add(`${impl}: verifies the wasm's eddsa-rdfc-2022 credential`, await peer.rdfcVerify(ref.rdfcSignedText, loader, hash));
      const tampered = ref.rdfcSignedText.replace(ref.rowIds[0], ref.rowIds[1]);
      add(`${impl}: rejects a tampered eddsa-rdfc-2022 credential`, !(await peer.rdfcVerify(tampered, loader, hash)));
    });
    if (impl !== "js") continue; // the batch differs only in the hash function: checked once
    await attempt(`${impl} batch`, async () => {
      const last = ref.batchRows - 1;
      const doc = await peer.rowDocument(template, last, hash);
      add(`${impl}: row ${last} document equals the wasm's (JCS)`, peer.canonicalize(doc) === ref.lastRowJcs);
      const out = await peer.batch(template, ref.batchRows, secretKey, options, ref.anchorLabel, hash);
      add(`${impl}: batch leaf 0 equals the wasm's`, peer.hex(out.leaves[0]) === ref.batchLeaf0);
      add(`${impl}: batch Merkle root equals the wasm's`, peer.hex(out.root) === ref.batchRoot,
        `${peer.hex(out.root)} vs ${ref.batchRoot}`);
      add(`${impl}: anchor signing bytes equal the ledger's`, peer.hex(out.signingBytes) === ref.anchorSigningBytesHex);
      add(`${impl}: anchor signature equals the ledger's`, peer.hex(out.signature) === ref.anchorSignatureHex);
    });
  }
  await attempt("header", async () => {
    const bytes = headerBytes.slice();
    new DataView(bytes.buffer).setUint32(96, 7);
    const viaWebCrypto = peer.hex(await peer.webcryptoSha256(bytes));
    add("header hash at nonce 7: WebCrypto equals the wasm midstate", viaWebCrypto === ref.headerHashNonce7,
      `${viaWebCrypto} vs ${ref.headerHashNonce7}`);
    const mid = peer.nobleMiner(headerBytes);
    add("noble midstate miner runs", mid(0, 16) >= 0);
  });
  await attempt("wasm", async () => {
    add("wasm: sign", wasm.sign() > 0);
    add("wasm: verify", wasm.verify());
    add("wasm: verify_full (report valid)", wasm.verify_full());
    add("wasm: batch root is reproducible", wasm.batch(ref.batchRows) === ref.batchRoot);
    add("wasm: rdfc_sign", wasm.rdfc_sign() > 0);
    add("wasm: rdfc_verify", wasm.rdfc_verify());
    add("wasm: eddsa-rdfc-2022 batch root is reproducible", wasm.rdfc_batch(ref.batchRows) === ref.rdfcBatchRoot);
    add("wasm: mine hashes a whole chunk", wasm.mine() === ref.mineChunk);
  });
  return results;
}

/** Loads the validation chain (fetch + parse only); returns its transactions. */
async function loadChain(url) {
  const text = await (await fetch(url)).text();
  return wasm.load_chain(text);
}

function buildChain(blocks, transfers) {
  return wasm.build_chain(blocks, transfers);
}

window.bench = {
  ready: setUp(),
  plan: (smoke) => JSON.parse(Bench.plan(smoke)),
  reference: () => ref,
  check,
  impls,
  once,
  loadChain,
  buildChain,
  sizes: () => ({ signedCredentialBytes: utf8.encode(ref.signedText).length }),
};
