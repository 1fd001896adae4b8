//! JSON-LD to RDF for the `eddsa-rdfc-2022` cryptosuite (feature `rdfc`),
//! then canonical N-Quads ([`crate::rdfc`]).
//!
//! - **Bundled contexts only, never a fetch.** The contexts are compiled in
//!   (`credentials/contexts/`, their sources in `contexts/SOURCES.md`, their
//!   SHA-256 pinned by a test). A document naming any
//!   other context is [`JsonLdProblem::UnknownContext`] — "couldn't check",
//!   not a failure and not a fetch.
//! - **Safe mode.** Expansion runs with the json-ld crate's strictest
//!   policy: a term that does not expand, or an invalid IRI or value, is an
//!   error ([`JsonLdProblem::DataLoss`]) instead of being dropped, so a
//!   signature never covers less than the document says.
//! - **Bounded.** The document is already bounded by the strict JSON parse
//!   and the verification budgets; canonicalization has its own budget.

use crate::rdfc::{self, Budget, Quad, Term, RDF_LANG_STRING};
use iref::IriBuf;
use json_ld::syntax::Parse;
use json_ld::{Expand, Process, RdfQuads, RemoteDocument};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

/// The contexts ChainClass holds, by URL.
pub const CONTEXTS: &[(&str, &str)] = &[
    (
        "https://www.w3.org/ns/credentials/v2",
        include_str!("../contexts/credentials-v2.jsonld"),
    ),
    (
        "https://www.w3.org/ns/credentials/examples/v2",
        include_str!("../contexts/credentials-examples-v2.jsonld"),
    ),
    (
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        include_str!("../contexts/ob-v3p0-context-3.0.3.jsonld"),
    ),
    (
        "https://w3id.org/security/suites/ed25519-2020/v1",
        include_str!("../contexts/ed25519-2020-v1.jsonld"),
    ),
    (
        "https://www.w3.org/2018/credentials/v1",
        include_str!("../contexts/credentials-v1.jsonld"),
    ),
    (
        "https://w3id.org/security/data-integrity/v2",
        include_str!("../contexts/data-integrity-v2.jsonld"),
    ),
    (
        "https://w3id.org/security/data-integrity/v1",
        include_str!("../contexts/data-integrity-v1.jsonld"),
    ),
    (
        "https://w3id.org/security/multikey/v1",
        include_str!("../contexts/multikey-v1.jsonld"),
    ),
    (
        "https://www.w3.org/ns/did/v1",
        include_str!("../contexts/did-v1.jsonld"),
    ),
];

/// Why a document has no canonical N-Quads here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum JsonLdProblem {
    /// A context ChainClass does not hold (couldn't check).
    UnknownContext {
        /// Its URL.
        url: String,
    },
    /// A `@context` entry that is neither a URL string nor an object.
    InvalidContextEntry,
    /// JSON-LD processing failed or would drop data (safe mode).
    DataLoss {
        /// The processor's message.
        message: String,
    },
    /// Canonicalization refused (too many quads, or a poison graph).
    TooComplex,
}

/// Every remote context URL `doc` names, anywhere.
fn context_urls(doc: &Value, out: &mut Vec<String>) -> Result<(), JsonLdProblem> {
    match doc {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "@context" {
                    let items: Vec<&Value> = match v {
                        Value::Array(a) => a.iter().collect(),
                        other => vec![other],
                    };
                    for item in items {
                        match item {
                            Value::String(url) => out.push(url.clone()),
                            Value::Object(_) => context_urls(item, out)?,
                            Value::Null => {}
                            _ => return Err(JsonLdProblem::InvalidContextEntry),
                        }
                    }
                } else {
                    context_urls(v, out)?;
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                context_urls(item, out)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// A `@context` entry written as `{"@context": {…}}` (as Digital Bazaar's
/// jsonld.js accepts, and the W3C Data Integrity suite's fixtures use) is
/// read as the inner context.
fn unwrap_contexts(doc: &mut Value) {
    match doc {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if k == "@context" {
                    let items: Vec<&mut Value> = match v {
                        Value::Array(a) => a.iter_mut().collect(),
                        other => vec![other],
                    };
                    for item in items {
                        let inner = match item {
                            Value::Object(o) if o.len() == 1 => o.get("@context").cloned(),
                            _ => None,
                        };
                        if let Some(inner) = inner {
                            *item = inner;
                        }
                        unwrap_contexts(item);
                    }
                } else {
                    unwrap_contexts(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(unwrap_contexts),
        _ => {}
    }
}

/// The bundled contexts as the processor's loader.
type Loader = BTreeMap<IriBuf, RemoteDocument<IriBuf>>;

thread_local! {
    /// Parsed once per thread, not at every document: one verification
    /// canonicalizes a proof configuration and a document.
    static LOADER: Result<Loader, JsonLdProblem> = loader();
}

fn loader() -> Result<Loader, JsonLdProblem> {
    let mut map = BTreeMap::new();
    for (url, text) in CONTEXTS {
        let iri = IriBuf::new((*url).to_owned()).map_err(|_| JsonLdProblem::DataLoss {
            message: format!("bundled context URL {url}"),
        })?;
        let (json, _) =
            json_ld::syntax::Value::parse_str(text).map_err(|e| JsonLdProblem::DataLoss {
                message: format!("bundled context {url}: {e:?}"),
            })?;
        map.insert(iri.clone(), RemoteDocument::new(Some(iri), None, json));
    }
    Ok(map)
}

/// An active context processed from a list of bundled context URLs.
type ActiveContext = json_ld::Context<IriBuf, rdf_types::BlankIdBuf>;

/// How many processed top-level contexts a thread keeps.
const ACTIVE_CONTEXTS_KEPT: usize = 8;

/// How many results of processing a scoped context each kept top-level
/// context remembers (an Open Badge enters about a dozen type-scoped
/// contexts; see `vendor/json-ld-core/CHAINCLASS.md`).
const SCOPED_CONTEXTS_KEPT: usize = 64;

/// A kept top-level context. Its memo of scoped-context processing holds
/// contexts derived from it, which hold the memo: dropping one empties the
/// memo, or the cycle would outlive it.
struct Kept {
    urls: Vec<String>,
    context: ActiveContext,
}

impl Drop for Kept {
    fn drop(&mut self) {
        self.context.clear_process_memo();
    }
}

thread_local! {
    /// Top-level contexts already processed, by their list of URLs (only
    /// bundled URLs, so at most a few distinct lists). Processing the VC 2.0
    /// and Open Badges contexts is most of the work of a small document;
    /// expanding from the processed context is what JSON-LD does after
    /// step 1 of the expansion algorithm, so the result is the same.
    static ACTIVE_CONTEXTS: std::cell::RefCell<Vec<Kept>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// The active context after processing `urls` (all bundled) from an empty
/// one with no base IRI: from the thread's cache, or processed and kept.
fn active_context(urls: &[String], loader: &Loader) -> Result<ActiveContext, JsonLdProblem> {
    let cached = ACTIVE_CONTEXTS.with(|c| {
        c.borrow()
            .iter()
            .find(|k| k.urls.as_slice() == urls)
            .map(|k| k.context.clone())
    });
    if let Some(ctx) = cached {
        return Ok(ctx);
    }
    let data_loss = |message: String| JsonLdProblem::DataLoss { message };
    let list = json_ld::syntax::Value::Array(
        urls.iter()
            .map(|u| json_ld::syntax::Value::String(u.as_str().into()))
            .collect(),
    );
    let local =
        <json_ld::syntax::context::Context as json_ld::syntax::TryFromJson>::try_from_json(list)
            .map_err(|e| data_loss(format!("{e:?}")))?;
    let empty = json_ld::Context::new(None);
    let processed = now(async {
        local
            .process_full(
                rdf_types::vocabulary::no_vocabulary_mut(),
                &empty,
                loader,
                None,
                json_ld::context_processing::Options::default(),
                (),
            )
            .await
            .map(|p| p.into_processed().with_process_memo(SCOPED_CONTEXTS_KEPT))
            .map_err(|e| data_loss(format!("{e:?}")))
    })
    .ok_or_else(|| data_loss("a context was not in memory".into()))??;
    let evicted = ACTIVE_CONTEXTS.with(|c| {
        let mut c = c.borrow_mut();
        let evicted = (c.len() >= ACTIVE_CONTEXTS_KEPT).then(|| c.remove(0));
        c.push(Kept {
            urls: urls.to_vec(),
            context: processed.clone(),
        });
        evicted
    });
    drop(evicted);
    Ok(processed)
}

/// Runs a future that cannot wait (every context is in memory).
fn now<F: Future>(f: F) -> Option<F::Output> {
    let mut cx = Context::from_waker(Waker::noop());
    match pin!(f).poll(&mut cx) {
        Poll::Ready(out) => Some(out),
        Poll::Pending => None,
    }
}

fn id_term(id: &json_ld::ValidId) -> Term {
    match id {
        rdf_types::Id::Iri(i) => Term::Iri(i.as_str().to_owned()),
        rdf_types::Id::Blank(b) => Term::Blank(b.suffix().to_owned()),
    }
}

/// The RDF dataset of `doc` (JSON-LD 1.1 toRdf, safe mode, bundled
/// contexts).
pub fn to_rdf(doc: &Value) -> Result<Vec<Quad>, JsonLdProblem> {
    let mut urls = Vec::new();
    context_urls(doc, &mut urls)?;
    if let Some(url) = urls
        .into_iter()
        .find(|u| !CONTEXTS.iter().any(|(known, _)| known == u))
    {
        return Err(JsonLdProblem::UnknownContext { url });
    }
    let data_loss = |message: String| JsonLdProblem::DataLoss { message };
    let mut doc = doc.clone();
    unwrap_contexts(&mut doc);
    // A top-level @context of bundled URLs only is processed once per
    // thread and the document expanded from it (see `ACTIVE_CONTEXTS`).
    let top = match doc.get("@context") {
        Some(Value::String(url)) => Some(vec![url.clone()]),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>(),
        _ => None,
    };
    if top.is_some() {
        if let Some(o) = doc.as_object_mut() {
            o.remove("@context");
        }
    }
    let text = serde_json::to_string(&doc).map_err(|e| data_loss(e.to_string()))?;
    let (json, _) =
        json_ld::syntax::Value::parse_str(&text).map_err(|e| data_loss(format!("{e:?}")))?;
    let expansion = json_ld::expansion::Options {
        policy: json_ld::expansion::Policy {
            invalid: json_ld::context_processing::algorithm::Action::Reject,
            vocab: json_ld::context_processing::algorithm::Action::Keep,
            allow_undefined: false,
        },
        // toRdf expands without ordering (as the processor's to_rdf does).
        ordered: false,
        ..json_ld::expansion::Options::default()
    };
    let mut generator = rdf_types::generator::Blank::new();
    let result = LOADER.with(|loader| {
        let loader = loader.as_ref().map_err(Clone::clone)?;
        let active = match &top {
            Some(urls) => active_context(urls, loader)?,
            None => json_ld::Context::new(None),
        };
        now(async {
            let expanded = json
                .expand_full(
                    rdf_types::vocabulary::no_vocabulary_mut(),
                    active,
                    None,
                    loader,
                    expansion,
                    (),
                )
                .await
                .map_err(|e| data_loss(format!("{e:?}")))?;
            let vocabulary = rdf_types::vocabulary::no_vocabulary_mut();
            // What the crate's own toRdf does (relabel, canonical literals),
            // without putting the objects back into a set (vendored patch).
            let objects = expanded.into_relabeled_objects_with(vocabulary, &mut generator);
            let mut quads = Vec::new();
            for q in objects.rdf_quads_full(vocabulary, &mut generator, None, false) {
                let object = match &q.2 {
                    rdf_types::Term::Id(id) => id_term(id),
                    rdf_types::Term::Literal(l) => match &l.type_ {
                        rdf_types::LiteralType::Any(t) => Term::Literal {
                            value: l.value.clone(),
                            datatype: t.as_str().to_owned(),
                            language: None,
                        },
                        rdf_types::LiteralType::LangString(tag) => Term::Literal {
                            value: l.value.clone(),
                            datatype: RDF_LANG_STRING.to_owned(),
                            language: Some(tag.as_str().to_owned()),
                        },
                    },
                };
                let predicate = match id_term(q.1.as_ref()) {
                    Term::Iri(i) => i,
                    _ => return Err(data_loss("a blank node predicate".into())),
                };
                quads.push(Quad {
                    subject: id_term(q.0.as_ref()),
                    predicate,
                    object,
                    graph: q.3.map(id_term),
                });
            }
            Ok(quads)
        })
        .ok_or_else(|| data_loss("a context was not in memory".into()))?
    })?;
    Ok(result)
}

/// The canonical N-Quads of `doc` (toRdf, then RDFC-1.0).
pub fn canonical_nquads(doc: &Value) -> Result<String, JsonLdProblem> {
    let quads = to_rdf(doc)?;
    rdfc::canonicalize(&quads, Budget::default()).map_err(|_| JsonLdProblem::TooComplex)
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use serde_json::json;
    use sha2::{Digest, Sha256};

    #[test]
    fn the_bundled_contexts_are_the_pinned_ones() {
        let pinned = [
            "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734",
            "57393fbc69d6efb9b9b5dc9cb6b9880b0944360abfe2eaf459c9e58cf2279d7c",
            "ef2fa9c7846dce233cc166b43639027278be4ee44f00bb1d45c75de2dd0cd761",
            "3db5c19efb0047a6edfd3b36e24346a8a3caad369d749e3c2d69e862696403e5",
            "00d7dd6d3ad8b920e3e550dd3a3d9090bffcac84cdbf943da6924b3e0a5c8bb8",
            "0f77743daf5b4e8fc067fc5ba5b21044283053aa717fc6b0219843bed3b00363",
            "b5d829bd09aa7c42abc6efa0c8ed7635313b5487f37ccfce3ecd149ca9418554",
            "c5f3806f8286920573221938917988a18a4cc5a09e968d29649613c7a1c2b1f6",
            "62c1054bf404d6dd3a4b26b64f830fd72095f6a26edc4469908c94351352ce5f",
        ];
        assert_eq!(
            CONTEXTS.len(),
            pinned.len(),
            "every bundled context is pinned"
        );
        for ((url, text), want) in CONTEXTS.iter().zip(pinned) {
            let got: String = Sha256::digest(text.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(got, want, "{url}");
        }
    }

    /// The Data Integrity v1, Multikey and DID v1 contexts are bundled: a
    /// document naming them is turned into RDF (never "couldn't check",
    /// never a fetch), and their terms are defined.
    #[test]
    fn documents_with_the_did_multikey_and_data_integrity_v1_contexts_expand() {
        let did = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
        let vm = format!("{did}#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2");
        let key = serde_json::json!({
            "@context": "https://w3id.org/security/multikey/v1",
            "id": vm, "type": "Multikey", "controller": did,
            "publicKeyMultibase": "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
        });
        assert_eq!(to_rdf(&key).unwrap().len(), 3);
        let document = serde_json::json!({
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": did, "verificationMethod": [key], "assertionMethod": [vm],
        });
        assert!(to_rdf(&document).unwrap().len() >= 5);
        let v1 = serde_json::json!({
            "@context": ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/security/data-integrity/v1"],
            "type": ["VerifiableCredential"], "issuer": did,
            "issuanceDate": "2020-03-16T22:37:26Z",
            "credentialSubject": {"id": "did:example:student"},
        });
        assert!(canonical_nquads(&v1).unwrap().contains("issuanceDate"));
        // A term none of them defines is still an error.
        let mut bad = key.clone();
        bad["favouriteColour"] = "blue".into();
        assert!(matches!(to_rdf(&bad), Err(JsonLdProblem::DataLoss { .. })));
    }

    #[test]
    fn the_published_canonical_documents_are_reproduced() {
        for (doc, canon) in [
            (
                include_str!("../tests/data/eddsa-rdfc-2022/unsigned.json"),
                include_str!("../tests/data/eddsa-rdfc-2022/canonDocDataInt.txt"),
            ),
            (
                include_str!("../tests/data/openbadges3/1edtech-eddsa-rdfc-2022/unsigned.json"),
                include_str!(
                    "../tests/data/openbadges3/1edtech-eddsa-rdfc-2022/document-canon.txt"
                ),
            ),
        ] {
            let doc: Value = serde_json::from_str(doc).unwrap();
            assert_eq!(
                canonical_nquads(&doc).unwrap(),
                format!("{}\n", canon.trim_end())
            );
        }
    }

    /// Forgets this thread's processed contexts (and their memos).
    fn forget_processed_contexts() {
        let kept = ACTIVE_CONTEXTS.with(|c| std::mem::take(&mut *c.borrow_mut()));
        drop(kept);
    }

    fn memo_entries() -> usize {
        ACTIVE_CONTEXTS.with(|c| {
            c.borrow()
                .iter()
                .map(|k| k.context.process_memo_len())
                .sum()
        })
    }

    /// Documents that enter type-scoped, property-scoped and embedded
    /// contexts, with `@propagate` both ways, nested, and the same scoped
    /// context from different active contexts.
    fn scoped_context_documents() -> Vec<Value> {
        let badge = |subject: Value| {
            json!({
                "@context": [
                    "https://www.w3.org/ns/credentials/v2",
                    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
                ],
                "type": ["VerifiableCredential", "OpenBadgeCredential"],
                "issuer": {"id": "did:example:issuer", "type": "Profile", "name": "School"},
                "validFrom": "2026-01-01T00:00:00Z",
                "credentialSubject": subject
            })
        };
        vec![
            serde_json::from_str(include_str!(
                "../tests/data/openbadges3/1edtech-eddsa-rdfc-2022/unsigned.json"
            ))
            .unwrap(),
            serde_json::from_str(include_str!("../tests/data/eddsa-rdfc-2022/unsigned.json"))
                .unwrap(),
            badge(json!({
                "type": "AchievementSubject",
                "achievement": {
                    "id": "urn:example:a", "type": "Achievement", "name": "A",
                    "criteria": {"narrative": "n"},
                    "creator": {"id": "did:example:c", "type": "Profile", "name": "C"}
                }
            })),
            // The same terms inside a node that embeds a context of its own:
            // one that does not propagate, then one that does.
            badge(json!({
                "@context": {"@propagate": false, "nickname": "https://example.org/nickname"},
                "type": "AchievementSubject",
                "nickname": "Tai",
                "achievement": {
                    "id": "urn:example:a", "type": "Achievement", "name": "A",
                    "criteria": {"narrative": "n"}
                }
            })),
            badge(json!({
                "@context": {"nickname": "https://example.org/other-nickname"},
                "type": "AchievementSubject",
                "nickname": "Tai",
                "achievement": {
                    "id": "urn:example:a", "type": "Achievement", "name": "A",
                    "criteria": {"narrative": "n"},
                    "nickname": "inside"
                }
            })),
            // The same embedded context from the VC 2.0 context alone.
            json!({
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": "VerifiableCredential",
                "issuer": "did:example:issuer",
                "credentialSubject": {
                    "@context": {"nickname": "https://example.org/nickname"},
                    "id": "did:example:s",
                    "nickname": "Tai"
                }
            }),
            // An undefined term inside a scoped node: still an error.
            badge(json!({
                "type": "AchievementSubject",
                "achievement": {"id": "urn:example:a", "type": "Achievement", "name": "A", "nickname": "x"}
            })),
        ]
    }

    #[test]
    fn remembering_scoped_contexts_changes_no_result() {
        let docs = scoped_context_documents();
        // Each document from a cold start: nothing processed before it.
        let cold: Vec<_> = docs
            .iter()
            .map(|d| {
                forget_processed_contexts();
                canonical_nquads(d)
            })
            .collect();
        assert!(cold.iter().filter(|r| r.is_ok()).count() >= 5);
        assert!(cold.iter().any(|r| r.is_err()));
        // Then all of them on one thread, forwards and backwards, twice:
        // every scoped context is processed against active contexts that
        // earlier documents left in the memo.
        forget_processed_contexts();
        for round in 0..2 {
            for (i, d) in docs.iter().enumerate() {
                assert_eq!(canonical_nquads(d), cold[i], "document {i}, round {round}");
            }
            for (i, d) in docs.iter().enumerate().rev() {
                assert_eq!(
                    canonical_nquads(d),
                    cold[i],
                    "document {i}, round {round}, reversed"
                );
            }
        }
        assert!(memo_entries() > 0, "the memo was used");
        // Documents that each embed a context of their own fill the memo
        // no further than its bound.
        for i in 0..(2 * SCOPED_CONTEXTS_KEPT) {
            let doc = json!({
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": "VerifiableCredential",
                "issuer": "did:example:issuer",
                "credentialSubject": {
                    "@context": {"nickname": format!("https://example.org/nickname/{i}")},
                    "id": "did:example:s",
                    "nickname": "Tai"
                }
            });
            assert!(canonical_nquads(&doc)
                .unwrap()
                .contains(&format!("<https://example.org/nickname/{i}>")));
        }
        let entries = memo_entries();
        assert!(
            entries > 0 && entries <= 2 * SCOPED_CONTEXTS_KEPT,
            "{entries}"
        );
        forget_processed_contexts();
    }

    #[test]
    fn unknown_contexts_and_undefined_terms_are_never_signed_over() {
        let unknown = json!({"@context": ["https://www.w3.org/ns/credentials/v2", "https://example.org/ctx"], "type": "VerifiableCredential"});
        assert_eq!(
            to_rdf(&unknown),
            Err(JsonLdProblem::UnknownContext {
                url: "https://example.org/ctx".into()
            })
        );
        let undefined = json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": "VerifiableCredential",
            "issuer": "did:example:i",
            "credentialSubject": {"id": "did:example:s"},
            "notATerm": "dropped by a lax processor"
        });
        assert!(matches!(
            to_rdf(&undefined),
            Err(JsonLdProblem::DataLoss { .. })
        ));
    }
}
