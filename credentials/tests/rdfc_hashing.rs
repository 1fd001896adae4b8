//! The parts of `eddsa-rdfc-2022` (and `Ed25519Signature2020`) that do not
//! need RDF canonicalisation: given the official canonical N-Quads, the
//! hashes, the hash order (proof configuration first) and the Ed25519
//! signatures reproduce with this crate's primitives. Only the RDFC-1.0
//! canonicaliser itself is missing for full rdfc support.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use credentials::json::parse_strict;
use credentials::{PublicKey, SecretKey};
use sha2::{Digest, Sha256};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex64(s: &str) -> [u8; 64] {
    let v: Vec<u8> = (0..s.trim().len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect();
    v.try_into().unwrap()
}

struct Vector {
    name: &'static str,
    canon_doc: &'static str,
    canon_proof: &'static str,
    doc_hash: &'static str,
    proof_hash: &'static str,
    combined: &'static str,
    sig_hex: &'static str,
    public: PublicKey,
}

fn vectors() -> Vec<Vector> {
    let w3c = SecretKey::from_key_file(
        &parse_strict(include_str!("data/eddsa-rdfc-2022/keyPair.json")).unwrap(),
    )
    .unwrap()
    .public_key();
    let ob3 =
        PublicKey::from_multibase("z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi").unwrap();
    vec![
        Vector {
            name: "w3c eddsa-rdfc-2022",
            canon_doc: include_str!("data/eddsa-rdfc-2022/canonDocDataInt.txt"),
            canon_proof: include_str!("data/eddsa-rdfc-2022/proofCanonDataInt.txt"),
            doc_hash: include_str!("data/eddsa-rdfc-2022/docHashDataInt.txt"),
            proof_hash: include_str!("data/eddsa-rdfc-2022/proofHashDataInt.txt"),
            combined: include_str!("data/eddsa-rdfc-2022/combinedHashDataInt.txt"),
            sig_hex: include_str!("data/eddsa-rdfc-2022/sigHexDataInt.txt"),
            public: w3c,
        },
        Vector {
            name: "w3c eddsa-rdfc-2022 employ",
            canon_doc: include_str!("data/eddsa-rdfc-2022/employ/canonDocDataInt.txt"),
            canon_proof: include_str!("data/eddsa-rdfc-2022/employ/proofCanonDataInt.txt"),
            doc_hash: include_str!("data/eddsa-rdfc-2022/employ/docHashDataInt.txt"),
            proof_hash: include_str!("data/eddsa-rdfc-2022/employ/proofHashDataInt.txt"),
            combined: include_str!("data/eddsa-rdfc-2022/employ/combinedHashDataInt.txt"),
            sig_hex: include_str!("data/eddsa-rdfc-2022/employ/sigHexDataInt.txt"),
            public: w3c,
        },
        Vector {
            name: "w3c Ed25519Signature2020",
            canon_doc: include_str!("data/ed25519signature2020/canonDocEdSig.txt"),
            canon_proof: include_str!("data/ed25519signature2020/proofCanonEdSig.txt"),
            doc_hash: include_str!("data/ed25519signature2020/docHashEdSig.txt"),
            proof_hash: include_str!("data/ed25519signature2020/proofHashEdSig.txt"),
            combined: include_str!("data/ed25519signature2020/combinedHashEdSig.txt"),
            sig_hex: include_str!("data/ed25519signature2020/sigHexEdSig.txt"),
            public: w3c,
        },
        Vector {
            name: "1EdTech OB3 eddsa-rdfc-2022",
            canon_doc: include_str!("data/openbadges3/1edtech-eddsa-rdfc-2022/document-canon.txt"),
            canon_proof: include_str!("data/openbadges3/1edtech-eddsa-rdfc-2022/proof-canon.txt"),
            doc_hash: include_str!("data/openbadges3/1edtech-eddsa-rdfc-2022/docHash.txt"),
            proof_hash: include_str!("data/openbadges3/1edtech-eddsa-rdfc-2022/proofHash.txt"),
            combined: include_str!("data/openbadges3/1edtech-eddsa-rdfc-2022/combinedHash.txt"),
            sig_hex: include_str!("data/openbadges3/1edtech-eddsa-rdfc-2022/sigHex.txt"),
            public: ob3,
        },
    ]
}

#[test]
fn hashes_hash_order_and_signatures_reproduce() {
    for v in vectors() {
        // N-Quads end with "\n", and the final newline is hashed.
        assert!(v.canon_doc.ends_with('\n'), "{}", v.name);
        assert_eq!(
            hex(&Sha256::digest(v.canon_doc.as_bytes())),
            v.doc_hash.trim(),
            "{}",
            v.name
        );
        assert_eq!(
            hex(&Sha256::digest(v.canon_proof.as_bytes())),
            v.proof_hash.trim(),
            "{}",
            v.name
        );
        let combined = format!("{}{}", v.proof_hash.trim(), v.doc_hash.trim());
        assert_eq!(combined, v.combined.trim(), "{}: proof hash first", v.name);
        let mut data = Sha256::digest(v.canon_proof.as_bytes()).to_vec();
        data.extend_from_slice(&Sha256::digest(v.canon_doc.as_bytes()));
        assert!(
            v.public.verify_strict(&data, &unhex64(v.sig_hex)),
            "{}",
            v.name
        );
        // The document hash alone, or the other order, does not verify.
        let mut swapped = Sha256::digest(v.canon_doc.as_bytes()).to_vec();
        swapped.extend_from_slice(&Sha256::digest(v.canon_proof.as_bytes()));
        assert!(
            !v.public.verify_strict(&swapped, &unhex64(v.sig_hex)),
            "{}",
            v.name
        );
    }
}
