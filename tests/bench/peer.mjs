// The JavaScript peer of the benchmark: the same workloads as
// webbench/src/lib.rs, written as a web developer would without WebAssembly:
// Ed25519 from @noble/curves, RFC 8785 JCS from `canonicalize`, SHA-256 from
// WebCrypto (`crypto.subtle.digest`, asynchronous). A second variant swaps
// WebCrypto for @noble/hashes' synchronous SHA-256 (and its midstate for
// mining), to show what the choice of hash costs.
//
// eddsa-jcs-2022 (vc-di-eddsa §3.3), as the credentials crate implements it:
// proof config = {type, cryptosuite, created, verificationMethod,
// proofPurpose, @context of the document}; hashData = SHA-256(JCS(config)) ‖
// SHA-256(JCS(document without proof)); proofValue = "z" + base58btc(sig).
import { ed25519 } from "@noble/curves/ed25519.js";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import canonicalize from "canonicalize";

const utf8 = new TextEncoder();

/** SHA-256 through WebCrypto (a promise, as the API is asynchronous). */
export async function webcryptoSha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
}

/** SHA-256 through @noble/hashes (synchronous). */
export function nobleSha(bytes) {
  return nobleSha256(bytes);
}

export const HASHES = { js: webcryptoSha256, js_noble: nobleSha };

// ---- encodings --------------------------------------------------------

const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const B58_INDEX = new Map([...B58].map((c, i) => [c, i]));

export function base58Encode(bytes) {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  const digits = []; // little-endian, base 58
  for (const byte of bytes.subarray(zeros)) {
    let carry = byte;
    for (let i = 0; i < digits.length; i++) {
      carry += digits[i] * 256;
      digits[i] = carry % 58;
      carry = Math.floor(carry / 58);
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = Math.floor(carry / 58);
    }
  }
  return "1".repeat(zeros) + digits.reverse().map((d) => B58[d]).join("");
}

export function base58Decode(text) {
  let zeros = 0;
  while (zeros < text.length && text[zeros] === "1") zeros++;
  const bytes = []; // little-endian, base 256
  for (const c of text.slice(zeros)) {
    let carry = B58_INDEX.get(c);
    if (carry === undefined) throw new Error(`not base58: ${c}`);
    for (let i = 0; i < bytes.length; i++) {
      carry += bytes[i] * 58;
      bytes[i] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  return Uint8Array.from([...new Array(zeros).fill(0), ...bytes.reverse()]);
}

export const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
export const fromHex = (text) => Uint8Array.from(text.match(/../g) ?? [], (h) => parseInt(h, 16));

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// ---- eddsa-jcs-2022 ---------------------------------------------------

/** The proof configuration the issuer signs (no proofValue). */
export function proofConfig(doc, options) {
  const config = {
    type: "DataIntegrityProof",
    cryptosuite: "eddsa-jcs-2022",
    created: options.created,
    verificationMethod: options.verificationMethod,
    proofPurpose: "assertionMethod",
  };
  if (doc["@context"] !== undefined) config["@context"] = doc["@context"];
  return config;
}

export async function hashData(config, unsecured, hash) {
  const proofHash = await hash(utf8.encode(canonicalize(config)));
  const docHash = await hash(utf8.encode(canonicalize(unsecured)));
  return concat(proofHash, docHash);
}

/** `sign`: returns the document with an eddsa-jcs-2022 proof. */
export async function addProof(doc, secretKey, options, hash) {
  const { proof: _existing, ...unsecured } = doc;
  const config = proofConfig(doc, options);
  const signature = ed25519.sign(await hashData(config, unsecured, hash), secretKey);
  return { ...doc, proof: { ...config, proofValue: "z" + base58Encode(signature) } };
}

/** The Ed25519 public key of a `did:key:z6Mk…#z6Mk…` verification method. */
function didKeyPublicKey(vm) {
  const [did, fragment] = vm.split("#");
  if (!did.startsWith("did:key:z")) throw new Error("not a did:key");
  const multibase = did.slice("did:key:".length);
  if (fragment !== multibase) throw new Error("verification method fragment differs");
  const bytes = base58Decode(multibase.slice(1));
  if (bytes.length !== 34 || bytes[0] !== 0xed || bytes[1] !== 0x01) throw new Error("not an Ed25519 key");
  return bytes.slice(2);
}

/** `verify`: parses the text and checks its single eddsa-jcs-2022 proof. */
export async function verify(text, hash) {
  const doc = JSON.parse(text);
  const { proof, ...unsecured } = doc;
  if (!proof || typeof proof !== "object" || Array.isArray(proof)) return false;
  if (proof.type !== "DataIntegrityProof" || proof.cryptosuite !== "eddsa-jcs-2022") return false;
  if (proof.proofPurpose !== "assertionMethod") return false;
  const { proofValue, ...config } = proof;
  if (typeof proofValue !== "string" || !proofValue.startsWith("z")) return false;
  if (config["@context"] !== undefined) {
    const want = [].concat(config["@context"]);
    const have = [].concat(doc["@context"]);
    if (!want.every((c, i) => JSON.stringify(c) === JSON.stringify(have[i]))) return false;
    unsecured["@context"] = config["@context"];
  }
  const publicKey = didKeyPublicKey(config.verificationMethod);
  const signature = base58Decode(proofValue.slice(1));
  if (signature.length !== 64) return false;
  return ed25519.verify(signature, await hashData(config, unsecured, hash), publicKey, { zip215: false });
}

// ---- eddsa-rdfc-2022 (vc-di-eddsa §3.2) --------------------------------
// The stack a web developer reaches for: `jsonld` (Digital Bazaar's JSON-LD
// processor, which canonicalises with their `rdf-canonize`, RDFC-1.0) in
// safe mode with a document loader that serves only the contexts the wasm
// bundles; Ed25519 from @noble/curves; the same SHA-256 choice as above.
// The page loads jsonld's browser build as a classic script (window.jsonld).

/** A document loader over `contexts` (URL → JSON text), parsed once. */
export function contextLoader(contexts) {
  const parsed = new Map();
  return async (url) => {
    if (!parsed.has(url)) {
      const text = contexts[url];
      if (text === undefined) throw new Error(`no bundled context ${url}`);
      parsed.set(url, JSON.parse(text));
    }
    return { contextUrl: null, documentUrl: url, document: parsed.get(url) };
  };
}

function canonizeRdfc(doc, documentLoader) {
  return globalThis.jsonld.canonize(doc, {
    algorithm: "RDFC-1.0",
    format: "application/n-quads",
    documentLoader,
    safe: true,
    base: null,
  });
}

/** The eddsa-rdfc-2022 proof configuration (the document's @context). */
export function rdfcProofConfig(doc, options) {
  return { ...proofConfig(doc, options), cryptosuite: "eddsa-rdfc-2022" };
}

async function rdfcHashData(config, unsecured, loader, hash) {
  const proofHash = await hash(utf8.encode(await canonizeRdfc(config, loader)));
  const docHash = await hash(utf8.encode(await canonizeRdfc(unsecured, loader)));
  return concat(proofHash, docHash);
}

/** `rdfc_sign`: the document with an eddsa-rdfc-2022 proof (no @context in the proof). */
export async function rdfcAddProof(doc, secretKey, options, loader, hash) {
  const { proof: _existing, ...unsecured } = doc;
  const config = rdfcProofConfig(doc, options);
  const signature = ed25519.sign(await rdfcHashData(config, unsecured, loader, hash), secretKey);
  const { "@context": _c, ...proof } = config;
  return { ...doc, proof: { ...proof, proofValue: "z" + base58Encode(signature) } };
}

/** `rdfc_verify`: parses the text and checks its single eddsa-rdfc-2022 proof. */
export async function rdfcVerify(text, loader, hash) {
  const doc = JSON.parse(text);
  const { proof, ...unsecured } = doc;
  if (!proof || typeof proof !== "object" || Array.isArray(proof)) return false;
  if (proof.type !== "DataIntegrityProof" || proof.cryptosuite !== "eddsa-rdfc-2022") return false;
  if (proof.proofPurpose !== "assertionMethod") return false;
  const { proofValue, ...rest } = proof;
  if (typeof proofValue !== "string" || !proofValue.startsWith("z")) return false;
  const config = { ...rest, "@context": doc["@context"] };
  const publicKey = didKeyPublicKey(config.verificationMethod);
  const signature = base58Decode(proofValue.slice(1));
  if (signature.length !== 64) return false;
  try {
    const data = await rdfcHashData(config, unsecured, loader, hash);
    return ed25519.verify(signature, data, publicKey, { zip215: false });
  } catch {
    return false; // safe mode: a term that does not expand
  }
}

// ---- the batch ----------------------------------------------------------

export const rowEmail = (i) => `Student${String(i).padStart(4, "0")}@Student.Example.edu.hk`;
export const rowSalt = (i) => `bench-salt-${String(i).padStart(4, "0")}`;
export const rowId = (i) => `urn:uuid:0b1c6a52-8d0e-4d6f-9a57-${String(i).padStart(12, "0")}`;

/** The unsigned OB3 credential of row `i`, from the row-0 template. */
export async function rowDocument(template, i, hash) {
  const doc = structuredClone(template);
  doc.id = rowId(i);
  const salt = rowSalt(i);
  const digest = await hash(utf8.encode(rowEmail(i).trim().toLowerCase() + salt));
  const identifier = doc.credentialSubject.identifier[0];
  identifier.identityHash = "sha256$" + hex(digest);
  identifier.salt = salt;
  return doc;
}

/** RFC 6962-style root as `ledger::merkle` computes it (odd node carried up). */
export async function merkleRoot(leaves, hash) {
  if (leaves.length === 0) return hash(new Uint8Array());
  let level = [];
  for (const leaf of leaves) level.push(await hash(concat([0x00], leaf)));
  while (level.length > 1) {
    const next = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(i + 1 < level.length ? await hash(concat([0x01], level[i], level[i + 1])) : level[i]);
    }
    level = next;
  }
  return level[0];
}

/** The ledger's anchor signing bytes ("CCTX", v1, kind 2, from, root, fee, nonce, label). */
export function anchorSigningBytes(publicKey, root, label, fee = 0n, nonce = 0n) {
  const labelBytes = utf8.encode(label);
  const out = new Uint8Array(87 + labelBytes.length);
  const view = new DataView(out.buffer);
  out.set(utf8.encode("CCTX"), 0);
  out[4] = 1;
  out[5] = 2;
  out.set(publicKey, 6);
  out.set(root, 38);
  view.setBigUint64(70, fee);
  view.setBigUint64(78, nonce);
  out[86] = labelBytes.length;
  out.set(labelBytes, 87);
  return out;
}

/** `batch`: `rows` credentials, their leaves, the root and the signed anchor. */
export async function batch(template, rows, secretKey, options, label, hash) {
  const leaves = [];
  for (let i = 0; i < rows; i++) {
    const signed = await addProof(await rowDocument(template, i, hash), secretKey, options, hash);
    leaves.push(await hash(utf8.encode(canonicalize(signed))));
  }
  const root = await merkleRoot(leaves, hash);
  const signingBytes = anchorSigningBytes(ed25519.getPublicKey(secretKey), root, label);
  const signature = ed25519.sign(signingBytes, secretKey);
  return { leaves, root, signingBytes, signature };
}

// ---- mining ---------------------------------------------------------------

function leadingZeroBits(hash) {
  let bits = 0;
  for (const byte of hash) {
    if (byte !== 0) return bits + Math.clz32(byte) - 24;
    bits += 8;
  }
  return bits;
}

function setNonce(view, offset, nonce) {
  view.setUint32(offset, Math.floor(nonce / 2 ** 32));
  view.setUint32(offset + 4, nonce >>> 0);
}

/** `mine` with WebCrypto: one digest of the 100-byte header per nonce. */
export async function mineWebCrypto(header, start, count) {
  const bytes = header.slice();
  const view = new DataView(bytes.buffer);
  let best = 0;
  for (let nonce = start; nonce < start + count; nonce++) {
    setNonce(view, 92, nonce);
    best = Math.max(best, leadingZeroBits(await webcryptoSha256(bytes)));
  }
  return best;
}

/** A @noble/hashes miner with the midstate of the first 64 bytes. */
export function nobleMiner(header) {
  const midstate = nobleSha256.create().update(header.subarray(0, 64));
  const tail = header.slice(64);
  const view = new DataView(tail.buffer);
  return (start, count) => {
    let best = 0;
    for (let nonce = start; nonce < start + count; nonce++) {
      setNonce(view, 28, nonce);
      best = Math.max(best, leadingZeroBits(midstate.clone().update(tail).digest()));
    }
    return best;
  };
}

export { canonicalize, ed25519 };
