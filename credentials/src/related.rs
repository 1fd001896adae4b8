//! Integrity of related resources (VC Data Model 2.0 §5.3): a
//! `relatedResource` entry names a resource by `id` and pins its bytes with
//! `digestSRI` (Subresource Integrity metadata: `sha256-`, `sha384-` or
//! `sha512-` and base64) and/or `digestMultibase` (a multibase SHA-256
//! digest, raw or as a multihash).
//!
//! ChainClass fetches nothing to check a digest: it knows the digests of the
//! resources whose exact bytes are published with a digest, and for those a
//! digest that does not match is an error. For any other resource the
//! digest cannot be checked ([`DigestCheck::UnknownResource`]).
//!
//! Known: the VC 2.0 base context (`https://www.w3.org/ns/credentials/v2`),
//! whose SHA-256 digest VC Data Model 2.0 Appendix B.1 publishes
//! (`24a18c90…43b9`); the SHA-384 and SHA-512 digests are of the same
//! bytes (10 139 bytes, which reproduce the published SHA-256).

use crate::multibase::decode_base58btc;
use crate::share::base64url_decode;
use serde::Serialize;
use serde_json::Value;

/// A resource whose digests ChainClass knows.
struct Known {
    url: &'static str,
    sha256_hex: &'static str,
    sha384_b64: &'static str,
    sha512_b64: &'static str,
}

const KNOWN: &[Known] = &[Known {
    url: "https://www.w3.org/ns/credentials/v2",
    sha256_hex: "24a18c90e9856d526111f29376e302d970b2bd10182e33959995b0207d7043b9",
    sha384_b64: "NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg",
    sha512_b64:
        "yxM236hnDYDQM0SzsMwl+vTUUgGCPDXzm7Gv5an5EfYV/07IDsXy+J4z0U6Wvsi+eOON81uRjJzV87NEm9bIjw==",
}];

/// What a digest says about a related resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DigestCheck {
    /// The digest is the resource's.
    Matches,
    /// The digest is not the resource's: an error (VCDM 2.0 §5.3).
    Mismatch,
    /// Not a digest of the form the property takes.
    Malformed,
    /// ChainClass does not hold this resource's bytes: couldn't check.
    UnknownResource,
}

fn known(url: &str) -> Option<&'static Known> {
    KNOWN.iter().find(|k| k.url == url)
}

/// Standard or URL-safe base64, padded or not.
fn base64_any(text: &str) -> Option<Vec<u8>> {
    let url: String = text
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    base64url_decode(&url).ok()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks a `digestSRI` value for the resource `url`: the expressions with
/// the strongest algorithm given must include the resource's digest (SRI
/// §3.3.4); expressions with other algorithms are ignored.
pub fn check_sri(url: &str, value: &Value) -> DigestCheck {
    let Some(text) = value.as_str() else {
        return DigestCheck::Malformed;
    };
    let mut expressions = Vec::new();
    for token in text.split_ascii_whitespace() {
        let token = token.split('?').next().unwrap_or("");
        let Some((alg, b64)) = token.split_once('-') else {
            return DigestCheck::Malformed;
        };
        let (rank, len) = match alg {
            "sha256" => (1, 32),
            "sha384" => (2, 48),
            "sha512" => (3, 64),
            _ => continue,
        };
        match base64_any(b64) {
            Some(bytes) if bytes.len() == len => expressions.push((rank, bytes)),
            _ => return DigestCheck::Malformed,
        }
    }
    let Some(strongest) = expressions.iter().map(|(r, _)| *r).max() else {
        return DigestCheck::Malformed;
    };
    let Some(k) = known(url) else {
        return DigestCheck::UnknownResource;
    };
    let matches = expressions
        .iter()
        .filter(|(r, _)| *r == strongest)
        .any(|(r, bytes)| match r {
            1 => hex(bytes) == k.sha256_hex,
            2 => base64_any(k.sha384_b64).as_deref() == Some(bytes.as_slice()),
            _ => base64_any(k.sha512_b64).as_deref() == Some(bytes.as_slice()),
        });
    if matches {
        DigestCheck::Matches
    } else {
        DigestCheck::Mismatch
    }
}

/// Checks a `digestMultibase` value (`u` base64url or `z` base58btc; a raw
/// SHA-256 digest or a SHA-256 multihash) for the resource `url`.
pub fn check_multibase(url: &str, value: &Value) -> DigestCheck {
    let Some(text) = value.as_str() else {
        return DigestCheck::Malformed;
    };
    let bytes = match text.split_at_checked(1) {
        Some(("u", rest)) => base64url_decode(rest).ok(),
        Some(("z", rest)) => decode_base58btc(rest).ok(),
        _ => None,
    };
    let digest = match bytes.as_deref() {
        Some([0x12, 0x20, rest @ ..]) if rest.len() == 32 => rest.to_vec(),
        Some(raw) if raw.len() == 32 => raw.to_vec(),
        _ => return DigestCheck::Malformed,
    };
    match known(url) {
        None => DigestCheck::UnknownResource,
        Some(k) if hex(&digest) == k.sha256_hex => DigestCheck::Matches,
        Some(_) => DigestCheck::Mismatch,
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use serde_json::json;

    const V2: &str = "https://www.w3.org/ns/credentials/v2";

    #[test]
    fn the_published_digests_of_the_base_context_match_and_others_do_not() {
        // VC 2.0 test suite fixtures (vcdm2 `fixtures.js`) and Appendix B.1.
        assert_eq!(
            check_sri(
                V2,
                &json!("sha384-NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg")
            ),
            DigestCheck::Matches
        );
        assert_eq!(
            check_multibase(V2, &json!("uJKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k")),
            DigestCheck::Matches
        );
        // The suite's wrong digests.
        assert_eq!(
            check_multibase(V2, &json!("uM4RgWQc3RUDtjJCSgTJtTfvpZ7SPEg_LNO0ESlovQC0")),
            DigestCheck::Mismatch
        );
        assert_eq!(
            check_sri(
                V2,
                &json!("sha384-_rCVIV7fSXXTNIvpiq26jRDyj8JG8TDjij-tD0ewLk4JpnXEz6a5AeeY_1qQ0d0P")
            ),
            DigestCheck::Mismatch
        );
        // SHA-256 and SHA-512 of the same bytes; a multihash form.
        let sha256 = "sha256-JKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k=";
        assert_eq!(check_sri(V2, &json!(sha256)), DigestCheck::Matches);
        let both = format!("{sha256} sha512-{}", KNOWN[0].sha512_b64);
        assert_eq!(check_sri(V2, &json!(both)), DigestCheck::Matches);
        let weak_right_strong_wrong = format!("{sha256} sha384-{}", "A".repeat(64));
        assert_eq!(
            check_sri(V2, &json!(weak_right_strong_wrong)),
            DigestCheck::Mismatch,
            "the strongest algorithm decides"
        );
        let multihash = format!(
            "u{}",
            crate::share::base64url_encode(
                &[
                    &[0x12u8, 0x20][..],
                    &base64_any("JKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k").unwrap()
                ]
                .concat()
            )
        );
        assert_eq!(check_multibase(V2, &json!(multihash)), DigestCheck::Matches);
    }

    #[test]
    fn other_resources_cannot_be_checked_and_bad_values_are_malformed() {
        let other = "https://example.org/picture.png";
        assert_eq!(
            check_multibase(
                other,
                &json!("uJKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k")
            ),
            DigestCheck::UnknownResource
        );
        for bad in [
            json!(7),
            json!("sha384-"),
            json!("sha999-abc"),
            json!("md5 nope"),
        ] {
            assert_eq!(check_sri(V2, &bad), DigestCheck::Malformed, "{bad}");
        }
        for bad in [json!(null), json!("xabc"), json!("uAAAA"), json!("z")] {
            assert_eq!(check_multibase(V2, &bad), DigestCheck::Malformed, "{bad}");
        }
    }
}
