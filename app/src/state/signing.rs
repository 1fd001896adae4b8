//! eddsa-rdfc-2022 signing on pages built without the JSON-LD processor.
//!
//! The desk's pages stay small by leaving the `rdfc` feature to the
//! verifier's worker, and the school key never leaves the page. So the
//! worker computes the 64 bytes a proof signs and the page signs them:
//! the desk's domain functions are pure and synchronous, and take a
//! [`Hashes`] as their `RdfcHasher`. A first run answers nothing and
//! notes every (document, proof configuration) it was asked about; the
//! page has the worker hash those ([`Hashes::missing`], [`Hashes::learn`])
//! and runs the same function again with the same inputs (desk, time,
//! randomness), which now finds every hash it asks for. Nothing computed
//! by a run that missed a hash is kept.

use credentials::di::{ProofGenerationError, RdfcHasher};
use credentials::jcs;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// One document and proof configuration whose hash data is wanted.
#[derive(Clone, Debug, PartialEq)]
pub struct HashJob {
    /// The document without its proof.
    pub unsecured: Map<String, Value>,
    /// The proof configuration, with the document's `@context`.
    pub config: Map<String, Value>,
}

/// The hash data known so far, and what was asked and not known.
#[derive(Debug, Default)]
pub struct Hashes {
    known: HashMap<[u8; 32], [u8; 64]>,
    missing: Vec<([u8; 32], HashJob)>,
}

/// Why the worker's answer could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HashAnswerProblem {
    /// Not the answer to these jobs (not JSON, another length, a bad hash).
    Garbled,
    /// The worker refused a document (its JSON-LD could not be
    /// canonicalised); the detail is technical.
    Refused(String),
}

/// What identifies a job: SHA-256 of the JCS of `[unsecured, config]`.
fn key_of(unsecured: &Map<String, Value>, config: &Map<String, Value>) -> Option<[u8; 32]> {
    let pair = Value::Array(vec![
        Value::Object(unsecured.clone()),
        Value::Object(config.clone()),
    ]);
    let bytes = jcs::to_vec(&pair).ok()?;
    Some(ledger::Hash::digest(&bytes).to_bytes())
}

impl Hashes {
    /// Knows nothing yet.
    pub fn new() -> Self {
        Hashes::default()
    }

    /// Whether a run asked for a hash it was not given.
    pub fn has_missing(&self) -> bool {
        !self.missing.is_empty()
    }

    /// The jobs asked for and not known, each once, in the order asked.
    #[cfg(test)]
    pub fn missing(&self) -> Vec<HashJob> {
        self.missing.iter().map(|(_, j)| j.clone()).collect()
    }

    /// The worker's request for the missing jobs (JSON text).
    pub fn request(&self) -> String {
        let jobs: Vec<Value> = self
            .missing
            .iter()
            .map(|(_, j)| json!({ "unsecured": j.unsecured, "config": j.config }))
            .collect();
        Value::Array(jobs).to_string()
    }

    /// Takes the worker's `answer` to [`Hashes::request`]: every missing job
    /// becomes known, and the next run starts with none missing.
    pub fn learn(&mut self, answer: &str) -> Result<(), HashAnswerProblem> {
        let answers: Vec<Value> =
            serde_json::from_str(answer).map_err(|_| HashAnswerProblem::Garbled)?;
        if answers.len() != self.missing.len() {
            return Err(HashAnswerProblem::Garbled);
        }
        let mut learnt = Vec::with_capacity(answers.len());
        for ((key, _), a) in self.missing.iter().zip(&answers) {
            if let Some(e) = a.get("error").and_then(Value::as_str) {
                return Err(HashAnswerProblem::Refused(e.to_owned()));
            }
            let hex = a
                .get("hash")
                .and_then(Value::as_str)
                .ok_or(HashAnswerProblem::Garbled)?;
            learnt.push((*key, from_hex(hex).ok_or(HashAnswerProblem::Garbled)?));
        }
        self.known.extend(learnt);
        self.missing.clear();
        Ok(())
    }
}

impl RdfcHasher for Hashes {
    fn hash_data(
        &mut self,
        unsecured: &Map<String, Value>,
        config: &Map<String, Value>,
    ) -> Result<[u8; 64], ProofGenerationError> {
        let key =
            key_of(unsecured, config).ok_or_else(|| ProofGenerationError::Canonicalization {
                message: "the document cannot be canonicalised".into(),
            })?;
        if let Some(hash) = self.known.get(&key) {
            return Ok(*hash);
        }
        if !self.missing.iter().any(|(k, _)| *k == key) {
            self.missing.push((
                key,
                HashJob {
                    unsecured: unsecured.clone(),
                    config: config.clone(),
                },
            ));
        }
        Err(ProofGenerationError::Canonicalization {
            message: "not canonicalised yet".into(),
        })
    }
}

fn from_hex(hex: &str) -> Option<[u8; 64]> {
    if hex.len() != 128 || !hex.is_ascii() {
        return None;
    }
    let mut out = [0u8; 64];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The worker's side: the hash data of every job in `request` (from
/// [`Hashes::request`]), computed with `hasher`, as JSON text; a job that
/// is not a pair of maps or cannot be canonicalised answers `{"error"}`.
pub fn hash_answer(request: &str, hasher: &mut dyn RdfcHasher) -> String {
    let Ok(Value::Array(jobs)) = serde_json::from_str::<Value>(request) else {
        return "[]".into();
    };
    let answers: Vec<Value> = jobs
        .iter()
        .map(|job| {
            let (Some(unsecured), Some(config)) = (
                job.get("unsecured").and_then(Value::as_object),
                job.get("config").and_then(Value::as_object),
            ) else {
                return json!({ "error": "not a document and a proof configuration" });
            };
            match hasher.hash_data(unsecured, config) {
                Ok(hash) => json!({ "hash": to_hex(&hash) }),
                Err(e) => json!({ "error": e.to_string() }),
            }
        })
        .collect();
    Value::Array(answers).to_string()
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use credentials::di::LocalRdfc;
    use credentials::{Cryptosuite, DidKey, ProofOptions, SecretKey};

    fn unsigned() -> Value {
        serde_json::from_str(include_str!(
            "../../../credentials/tests/data/eddsa-rdfc-2022/unsigned.json"
        ))
        .unwrap_or_default()
    }

    fn options() -> ProofOptions {
        let did = DidKey::from_public_key(SecretKey::from_bytes(&[5; 32]).public_key());
        ProofOptions {
            cryptosuite: Cryptosuite::EddsaRdfc2022,
            ..ProofOptions::assertion(did.verification_method_id())
                .with_created("2023-02-24T23:36:38Z")
        }
    }

    #[test]
    fn a_second_run_with_the_workers_hashes_signs_what_local_rdfc_signs() {
        let key = SecretKey::from_bytes(&[5; 32]);
        let mut hashes = Hashes::new();
        let first = credentials::sign_with(&unsigned(), &key, &options(), &mut hashes);
        assert!(first.is_err());
        assert_eq!(hashes.missing().len(), 1);
        // The worker's side, here with the processor linked in.
        let answer = hash_answer(&hashes.request(), &mut LocalRdfc);
        hashes.learn(&answer).unwrap();
        assert!(!hashes.has_missing());
        let second = credentials::sign_with(&unsigned(), &key, &options(), &mut hashes).unwrap();
        assert!(!hashes.has_missing());
        assert_eq!(
            second,
            credentials::sign(&unsigned(), &key, &options()).unwrap()
        );
    }

    #[test]
    fn a_changed_document_is_asked_about_again_never_signed_with_a_stale_hash() {
        let key = SecretKey::from_bytes(&[5; 32]);
        let mut hashes = Hashes::new();
        let _ = credentials::sign_with(&unsigned(), &key, &options(), &mut hashes);
        hashes
            .learn(&hash_answer(&hashes.request(), &mut LocalRdfc))
            .unwrap();
        let mut other = unsigned();
        other["name"] = "Another Credential".into();
        assert!(credentials::sign_with(&other, &key, &options(), &mut hashes).is_err());
        assert_eq!(hashes.missing().len(), 1);
    }

    #[test]
    fn garbled_or_refused_answers_teach_nothing() {
        let key = SecretKey::from_bytes(&[5; 32]);
        let mut hashes = Hashes::new();
        let _ = credentials::sign_with(&unsigned(), &key, &options(), &mut hashes);
        for bad in ["", "[]", "[{}]", "[{\"hash\":\"zz\"}]", "[1,2]"] {
            assert_eq!(hashes.learn(bad), Err(HashAnswerProblem::Garbled), "{bad}");
        }
        assert!(matches!(
            hashes.learn(&hash_answer(&hashes.request(), &mut credentials::NoRdfc)),
            Err(HashAnswerProblem::Refused(_))
        ));
        assert!(hashes.has_missing());
        assert_eq!(hash_answer("{", &mut LocalRdfc), "[]");
    }
}
