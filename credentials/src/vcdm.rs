//! Verifiable Credentials Data Model 2.0 conformance ("conforming document")
//! for credentials and presentations, as issuer and as verifier, plus the
//! VC 1.1 rules a verifier needs for older credentials.
//!
//! Every rule returns a typed [`Violation`] carrying a JSON-pointer `path` and
//! the offending value; all violations are collected, not just the first.
//!
//! JSON-LD is not processed: the checks are the JSON-level rules of the spec
//! plus what can be decided from inline `@context` objects without fetching
//! anything: URL syntax of context entries and term definitions, redefinition
//! of protected terms (the base context's top-level terms, or terms of an
//! inline `@protected` context), and types left unmapped after `"@vocab":
//! null`. The base context is taken as the VCDM 2.0 Recommendation's, which
//! maps undefined terms through `@vocab` (issuer-dependent). Types mapped by
//! other *remote* contexts (e.g. Open Badges 3.0) cannot be checked offline
//! and are accepted.

use crate::iri::is_url;
use crate::related::{self, DigestCheck};
use crate::time::Instant;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// `https://www.w3.org/ns/credentials/v2`, the VCDM 2.0 base context.
pub const CONTEXT_V2: &str = "https://www.w3.org/ns/credentials/v2";

/// The terms the VC 2.0 base context scopes to a `VerifiableCredential`
/// (with its top-level terms, [`V2_PROTECTED_TERMS`], they are every
/// property such a credential can use with no other context).
const BASE_CREDENTIAL_TERMS: &[&str] = &[
    "confidenceMethod",
    "credentialSchema",
    "credentialStatus",
    "credentialSubject",
    "evidence",
    "issuer",
    "proof",
    "refreshService",
    "relatedResource",
    "renderMethod",
    "termsOfUse",
    "validFrom",
    "validUntil",
];
/// `https://www.w3.org/2018/credentials/v1`, the VC 1.1 base context.
pub const CONTEXT_V1: &str = "https://www.w3.org/2018/credentials/v1";

/// Top-level terms of the VCDM 2.0 base context (all `@protected`).
pub const V2_PROTECTED_TERMS: &[&str] = &[
    "id",
    "type",
    "description",
    "digestMultibase",
    "digestSRI",
    "mediaType",
    "name",
    "VerifiableCredential",
    "EnvelopedVerifiableCredential",
    "VerifiablePresentation",
    "EnvelopedVerifiablePresentation",
    "JsonSchemaCredential",
    "JsonSchema",
    "BitstringStatusListCredential",
    "BitstringStatusList",
    "BitstringStatusListEntry",
    "DataIntegrityProof",
    "...",
    "_sd",
    "_sd_alg",
    "aud",
    "cnf",
    "exp",
    "iat",
    "iss",
    "jku",
    "kid",
    "nbf",
    "sub",
    "x5u",
];

/// Which data model a document follows (decided by its first `@context`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DataModel {
    /// VC Data Model 2.0.
    V2,
    /// VC Data Model 1.1 (accepted when verifying, and by a signing service).
    V1_1,
}

/// Who applies the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// An issuer (or holder) about to sign: only VCDM 2.0 is accepted, and any
    /// proofs already present must be well-formed objects with a `type`.
    Issuer,
    /// A signing service that signs what another system drafted (`vc
    /// serve`'s VC-API issuer): the issuer's rules, but a VC 1.1 credential
    /// (judged by the VC 1.1 rules) is accepted as well as VCDM 2.0.
    SigningService,
    /// A verifier: VCDM 2.0 or VC 1.1; proofs are judged by the proof check.
    Verifier,
}

/// One way a document fails to conform. Serialised with a stable `reason`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Violation {
    /// The document (or an embedded one) is not a JSON object.
    NotAnObject {
        /// JSON pointer.
        path: String,
    },
    /// `@context` is absent.
    MissingContext {
        /// JSON pointer of the document.
        path: String,
    },
    /// The first `@context` item is not the base context.
    BaseContextNotFirst {
        /// JSON pointer of `@context`.
        path: String,
        /// The first item found.
        found: Option<Value>,
    },
    /// A later `@context` item is neither a URL nor a context object.
    InvalidContextEntry {
        /// JSON pointer of the item.
        path: String,
        /// The item.
        value: Value,
    },
    /// An inline context has an invalid term definition or keyword.
    InvalidTermDefinition {
        /// JSON pointer of the definition.
        path: String,
        /// The term.
        term: String,
        /// Its definition.
        value: Value,
    },
    /// An inline context redefines a protected term.
    ProtectedTermRedefined {
        /// JSON pointer of the redefinition.
        path: String,
        /// The term.
        term: String,
    },
    /// `type` is absent.
    MissingType {
        /// JSON pointer of the object.
        path: String,
    },
    /// `type` is not a non-empty string or list of strings.
    InvalidType {
        /// JSON pointer of `type`.
        path: String,
        /// The value.
        value: Value,
    },
    /// `type` lacks the type the object must have.
    MissingRequiredType {
        /// JSON pointer of `type`.
        path: String,
        /// The type required (`VerifiableCredential`, …).
        required: String,
    },
    /// A type that is neither a URL nor a term any context defines.
    UnmappedType {
        /// JSON pointer of `type`.
        path: String,
        /// The type.
        value: String,
    },
    /// An `id` that is not a single URL.
    InvalidId {
        /// JSON pointer of `id`.
        path: String,
        /// The value.
        value: Value,
    },
    /// A required `id` is absent (credentialSchema, relatedResource).
    MissingId {
        /// JSON pointer of the object.
        path: String,
    },
    /// `issuer` is absent.
    MissingIssuer,
    /// `issuer` is neither a URL nor an object with a URL `id`.
    InvalidIssuer {
        /// The value.
        value: Value,
    },
    /// `credentialSubject` is absent.
    MissingCredentialSubject,
    /// A `credentialSubject` item is not an object.
    InvalidCredentialSubject {
        /// JSON pointer.
        path: String,
        /// The value.
        value: Value,
    },
    /// A `credentialSubject` object has no claim.
    SubjectWithoutClaims {
        /// JSON pointer.
        path: String,
    },
    /// `name`/`description` is not a string or a language value object
    /// (`{@value, @language?, @direction?}` and nothing else).
    InvalidLanguageValue {
        /// JSON pointer.
        path: String,
        /// The value.
        value: Value,
    },
    /// Not an XMLSCHEMA11-2 dateTimeStamp.
    InvalidDateTimeStamp {
        /// JSON pointer.
        path: String,
        /// The value.
        value: Value,
    },
    /// `validFrom` is later than `validUntil`.
    ValidFromAfterValidUntil {
        /// `validFrom`.
        valid_from: String,
        /// `validUntil`.
        valid_until: String,
    },
    /// An item that must be an object (status, schema, evidence, …) is not.
    NotAnObjectEntry {
        /// JSON pointer.
        path: String,
        /// The value.
        value: Value,
    },
    /// A `relatedResource` id appears twice.
    DuplicateRelatedResource {
        /// JSON pointer.
        path: String,
        /// The id.
        id: String,
    },
    /// A `relatedResource` has neither `digestSRI` nor `digestMultibase`.
    MissingDigest {
        /// JSON pointer.
        path: String,
    },
    /// A `digestSRI` or `digestMultibase` that is not a digest of its form.
    InvalidDigest {
        /// JSON pointer of the digest.
        path: String,
        /// The value.
        value: Value,
    },
    /// A digest that is not the digest of the resource it names (VCDM 2.0
    /// §5.3: "the conforming verifier implementation MUST produce an
    /// error"). Checked for the resources ChainClass knows (`related`).
    DigestMismatch {
        /// JSON pointer of the digest.
        path: String,
        /// The resource.
        id: String,
    },
    /// A property no context of the document defines (it would be dropped
    /// by JSON-LD processing): only detected for a credential whose only
    /// context is the VC 2.0 base context.
    UndefinedTerm {
        /// JSON pointer.
        path: String,
        /// The property.
        term: String,
    },
    /// `holder` is neither a URL nor an object with a URL `id`.
    InvalidHolder {
        /// The value.
        value: Value,
    },
    /// An `EnvelopedVerifiableCredential` without the base context or with an
    /// `id` that is not a `data:` URL.
    InvalidEnvelopedCredential {
        /// JSON pointer.
        path: String,
    },
    /// VC 1.1: `issuanceDate` is absent.
    MissingIssuanceDate,
    /// A VC 1.1 document given to the issuer (ChainClass issues VCDM 2.0).
    DataModelNotAccepted {
        /// The data model found.
        found: DataModel,
    },
}

impl Violation {
    /// A short stable key for the rule (same as the serialised `reason`).
    pub fn reason(&self) -> &'static str {
        match self {
            Violation::NotAnObject { .. } => "not_an_object",
            Violation::MissingContext { .. } => "missing_context",
            Violation::BaseContextNotFirst { .. } => "base_context_not_first",
            Violation::InvalidContextEntry { .. } => "invalid_context_entry",
            Violation::InvalidTermDefinition { .. } => "invalid_term_definition",
            Violation::ProtectedTermRedefined { .. } => "protected_term_redefined",
            Violation::MissingType { .. } => "missing_type",
            Violation::InvalidType { .. } => "invalid_type",
            Violation::MissingRequiredType { .. } => "missing_required_type",
            Violation::UnmappedType { .. } => "unmapped_type",
            Violation::InvalidId { .. } => "invalid_id",
            Violation::MissingId { .. } => "missing_id",
            Violation::MissingIssuer => "missing_issuer",
            Violation::InvalidIssuer { .. } => "invalid_issuer",
            Violation::MissingCredentialSubject => "missing_credential_subject",
            Violation::InvalidCredentialSubject { .. } => "invalid_credential_subject",
            Violation::SubjectWithoutClaims { .. } => "subject_without_claims",
            Violation::InvalidLanguageValue { .. } => "invalid_language_value",
            Violation::InvalidDateTimeStamp { .. } => "invalid_date_time_stamp",
            Violation::ValidFromAfterValidUntil { .. } => "valid_from_after_valid_until",
            Violation::NotAnObjectEntry { .. } => "not_an_object_entry",
            Violation::DuplicateRelatedResource { .. } => "duplicate_related_resource",
            Violation::MissingDigest { .. } => "missing_digest",
            Violation::InvalidDigest { .. } => "invalid_digest",
            Violation::UndefinedTerm { .. } => "undefined_term",
            Violation::DigestMismatch { .. } => "digest_mismatch",
            Violation::InvalidHolder { .. } => "invalid_holder",
            Violation::InvalidEnvelopedCredential { .. } => "invalid_enveloped_credential",
            Violation::MissingIssuanceDate => "missing_issuance_date",
            Violation::DataModelNotAccepted { .. } => "data_model_not_accepted",
        }
    }
}

/// The outcome of a conformance check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conformance {
    /// The data model (from the first `@context`), if recognisable.
    pub model: Option<DataModel>,
    /// Every violation found (empty = conforming).
    pub violations: Vec<Violation>,
}

impl Conformance {
    /// True when no rule was broken.
    pub fn is_conforming(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Whether `doc`'s `type` includes `t`.
pub fn has_type(doc: &Value, t: &str) -> bool {
    match doc.get("type") {
        Some(Value::String(s)) => s == t,
        Some(Value::Array(a)) => a.iter().any(|v| v.as_str() == Some(t)),
        _ => false,
    }
}

/// Whether `doc` is a presentation (its `type` includes
/// `VerifiablePresentation`).
pub fn is_presentation(doc: &Value) -> bool {
    has_type(doc, "VerifiablePresentation")
}

/// What the `@context` makes known, for type mapping.
struct ContextInfo {
    vocab_active: bool,
    remote_contexts: bool,
    defined: Vec<String>,
}

impl ContextInfo {
    fn maps(&self, term: &str) -> bool {
        self.vocab_active
            || self.remote_contexts
            || V2_PROTECTED_TERMS.contains(&term)
            || self.defined.iter().any(|d| d == term)
    }
}

struct Checker {
    out: Vec<Violation>,
}

fn ptr(base: &str, key: &str) -> String {
    let escaped = key.replace('~', "~0").replace('/', "~1");
    format!("{base}/{escaped}")
}

fn ptr_i(base: &str, i: usize) -> String {
    format!("{base}/{i}")
}

/// `value` as a list: a single item or the items of an array.
fn one_or_many(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    }
}

/// The IRI-ish value of a term definition: keyword, absolute IRI / compact
/// IRI, or a term (no colon, no whitespace).
fn valid_iri_mapping(s: &str) -> bool {
    if s.starts_with('@') {
        return s.len() > 1 && s.chars().skip(1).all(|c| c.is_ascii_alphabetic());
    }
    if s.contains(':') {
        return is_url(s);
    }
    !s.is_empty() && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

const CONTEXT_KEYWORDS: &[&str] = &[
    "@version",
    "@vocab",
    "@base",
    "@language",
    "@direction",
    "@protected",
    "@import",
    "@propagate",
    "@type",
];

const TERM_DEFINITION_KEYS: &[&str] = &[
    "@id",
    "@type",
    "@context",
    "@container",
    "@protected",
    "@reverse",
    "@language",
    "@direction",
    "@nest",
    "@prefix",
    "@index",
];

impl Checker {
    fn push(&mut self, v: Violation) {
        self.out.push(v);
    }

    /// `@context`: ordered set, base context first, then URLs or context
    /// objects. Returns the data model and what the contexts define.
    fn context(
        &mut self,
        doc: &Map<String, Value>,
        path: &str,
        role: Role,
    ) -> (Option<DataModel>, ContextInfo) {
        let mut info = ContextInfo {
            vocab_active: true,
            remote_contexts: false,
            defined: Vec::new(),
        };
        let Some(ctx) = doc.get("@context") else {
            self.push(Violation::MissingContext { path: path.into() });
            return (None, info);
        };
        let cpath = ptr(path, "@context");
        let items = one_or_many(ctx);
        let first = items.first().copied();
        let model = match first.and_then(Value::as_str) {
            Some(CONTEXT_V2) => Some(DataModel::V2),
            Some(CONTEXT_V1) => Some(DataModel::V1_1),
            _ => None,
        };
        match model {
            None => self.push(Violation::BaseContextNotFirst {
                path: cpath.clone(),
                found: first.cloned(),
            }),
            Some(DataModel::V1_1) if role == Role::Issuer => {
                self.push(Violation::DataModelNotAccepted {
                    found: DataModel::V1_1,
                })
            }
            Some(_) => {}
        }
        // Protected terms and their definitions (None = "any redefinition
        // other than the base context's own keyword alias is an error").
        let mut protected: BTreeMap<String, Option<Value>> = BTreeMap::new();
        if model == Some(DataModel::V2) {
            for t in V2_PROTECTED_TERMS {
                protected.insert((*t).to_owned(), None);
            }
        }
        for (i, item) in items.iter().enumerate().skip(1) {
            let ipath = if matches!(ctx, Value::Array(_)) {
                ptr_i(&cpath, i)
            } else {
                cpath.clone()
            };
            match item {
                Value::String(s) if is_url(s) => {
                    if s != CONTEXT_V2 && s != CONTEXT_V1 {
                        info.remote_contexts = true;
                    }
                }
                // `{"@context": {…}}` is read as the inner context, as
                // jsonld.js does (the W3C Data Integrity suite signs such).
                Value::Object(obj) => match obj.get("@context") {
                    Some(Value::Object(inner)) if obj.len() == 1 => self.context_object(
                        inner,
                        &ptr(&ipath, "@context"),
                        &mut info,
                        &mut protected,
                    ),
                    _ => self.context_object(obj, &ipath, &mut info, &mut protected),
                },
                other => self.push(Violation::InvalidContextEntry {
                    path: ipath,
                    value: (*other).clone(),
                }),
            }
        }
        (model, info)
    }

    fn context_object(
        &mut self,
        obj: &Map<String, Value>,
        path: &str,
        info: &mut ContextInfo,
        protected: &mut BTreeMap<String, Option<Value>>,
    ) {
        let object_protected = obj.get("@protected") == Some(&Value::Bool(true));
        let mut newly_protected = Vec::new();
        for (term, def) in obj {
            let tpath = ptr(path, term);
            let bad = |c: &mut Checker| {
                c.push(Violation::InvalidTermDefinition {
                    path: tpath.clone(),
                    term: term.clone(),
                    value: def.clone(),
                })
            };
            if term.starts_with('@') {
                let ok = CONTEXT_KEYWORDS.contains(&term.as_str())
                    && match (term.as_str(), def) {
                        ("@vocab", Value::Null) => {
                            info.vocab_active = false;
                            true
                        }
                        ("@vocab", Value::String(s)) => {
                            info.vocab_active = true;
                            valid_iri_mapping(s) || s.is_empty()
                        }
                        ("@protected" | "@propagate", v) => v.is_boolean(),
                        ("@version", v) => v.as_f64() == Some(1.1),
                        ("@base" | "@language" | "@direction", v) => v.is_string() || v.is_null(),
                        ("@import", v) => v.as_str().is_some_and(is_url),
                        ("@type", v) => v.is_object(),
                        _ => false,
                    };
                if !ok {
                    bad(self);
                }
                continue;
            }
            let valid = match def {
                Value::Null => true,
                Value::String(s) => valid_iri_mapping(s),
                Value::Object(d) => d.iter().all(|(k, v)| {
                    TERM_DEFINITION_KEYS.contains(&k.as_str())
                        && match (k.as_str(), v) {
                            ("@id" | "@reverse", Value::String(s)) => valid_iri_mapping(s),
                            ("@id", Value::Null) => true,
                            ("@type", Value::String(s)) => valid_iri_mapping(s),
                            ("@protected" | "@prefix", v) => v.is_boolean(),
                            ("@context", v) => {
                                v.is_object() || v.is_array() || v.as_str().is_some_and(is_url)
                            }
                            ("@container", v) => v.is_string() || v.is_array(),
                            ("@language" | "@direction", v) => v.is_string() || v.is_null(),
                            ("@nest" | "@index", v) => v.is_string(),
                            _ => false,
                        }
                }),
                _ => false,
            };
            if !valid {
                bad(self);
            }
            if let Some(existing) = protected.get(term) {
                let same = match existing {
                    Some(prev) => prev == def,
                    // The base context aliases id/type; repeating that is fine.
                    None => matches!(
                        (term.as_str(), def.as_str()),
                        ("id", Some("@id")) | ("type", Some("@type"))
                    ),
                };
                if !same {
                    self.push(Violation::ProtectedTermRedefined {
                        path: tpath.clone(),
                        term: term.clone(),
                    });
                }
            }
            info.defined.push(term.clone());
            let term_protected = def.get("@protected").and_then(Value::as_bool);
            if term_protected.unwrap_or(object_protected) {
                newly_protected.push((term.clone(), def.clone()));
            }
        }
        for (term, def) in newly_protected {
            protected.entry(term).or_insert(Some(def));
        }
    }

    /// `type`: present, non-empty string(s), each a URL or a mapped term;
    /// `required` (if any) among them.
    fn types(
        &mut self,
        obj: &Map<String, Value>,
        path: &str,
        required: Option<&str>,
        info: &ContextInfo,
    ) {
        let Some(t) = obj.get("type") else {
            self.push(Violation::MissingType { path: path.into() });
            return;
        };
        let tpath = ptr(path, "type");
        let list: Option<Vec<&str>> = match t {
            Value::String(s) => Some(vec![s.as_str()]),
            Value::Array(a) => a.iter().map(Value::as_str).collect(),
            _ => None,
        };
        let Some(list) = list else {
            self.push(Violation::InvalidType {
                path: tpath,
                value: t.clone(),
            });
            return;
        };
        if let Some(req) = required {
            if !list.contains(&req) {
                self.push(Violation::MissingRequiredType {
                    path: tpath.clone(),
                    required: req.into(),
                });
            }
        } else if list.is_empty() {
            self.push(Violation::InvalidType {
                path: tpath.clone(),
                value: t.clone(),
            });
        }
        for ty in list {
            let ok = if ty.contains(':') {
                is_url(ty)
            } else {
                !ty.is_empty() && !ty.chars().any(char::is_whitespace) && info.maps(ty)
            };
            if !ok {
                self.push(Violation::UnmappedType {
                    path: tpath.clone(),
                    value: ty.into(),
                });
            }
        }
    }

    /// An optional `id` that must be a single URL.
    fn optional_id(&mut self, obj: &Map<String, Value>, path: &str) {
        if let Some(id) = obj.get("id") {
            if !id.as_str().is_some_and(is_url) {
                self.push(Violation::InvalidId {
                    path: ptr(path, "id"),
                    value: id.clone(),
                });
            }
        }
    }

    fn language_values(&mut self, obj: &Map<String, Value>, path: &str) {
        for key in ["name", "description"] {
            let Some(v) = obj.get(key) else { continue };
            let ok = match v {
                Value::Array(items) => !items.is_empty() && items.iter().all(language_value_ok),
                single => language_value_ok(single),
            };
            if !ok {
                self.push(Violation::InvalidLanguageValue {
                    path: ptr(path, key),
                    value: v.clone(),
                });
            }
        }
    }

    /// Typed objects: `credentialStatus`, `termsOfUse`, `evidence`,
    /// `refreshService`, `credentialSchema` (which also needs a URL `id`).
    fn typed_objects(
        &mut self,
        obj: &Map<String, Value>,
        path: &str,
        key: &str,
        info: &ContextInfo,
        id_required: bool,
    ) {
        let Some(v) = obj.get(key) else { return };
        let base = ptr(path, key);
        let many = v.is_array();
        let items = one_or_many(v);
        if items.is_empty() {
            self.push(Violation::NotAnObjectEntry {
                path: base,
                value: v.clone(),
            });
            return;
        }
        for (i, item) in items.into_iter().enumerate() {
            let ipath = if many { ptr_i(&base, i) } else { base.clone() };
            let Some(o) = item.as_object() else {
                self.push(Violation::NotAnObjectEntry {
                    path: ipath,
                    value: item.clone(),
                });
                continue;
            };
            self.types(o, &ipath, None, info);
            if id_required && !o.contains_key("id") {
                self.push(Violation::MissingId {
                    path: ipath.clone(),
                });
            }
            self.optional_id(o, &ipath);
        }
    }

    fn related_resources(&mut self, obj: &Map<String, Value>, path: &str) {
        let Some(v) = obj.get("relatedResource") else {
            return;
        };
        let base = ptr(path, "relatedResource");
        let many = v.is_array();
        // A set, not a list: an issuer may be handed thousands of entries.
        let mut seen: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
        for (i, item) in one_or_many(v).into_iter().enumerate() {
            let ipath = if many { ptr_i(&base, i) } else { base.clone() };
            let Some(o) = item.as_object() else {
                self.push(Violation::NotAnObjectEntry {
                    path: ipath,
                    value: item.clone(),
                });
                continue;
            };
            match o.get("id") {
                None => self.push(Violation::MissingId {
                    path: ipath.clone(),
                }),
                Some(Value::String(id)) if is_url(id) => {
                    if !seen.insert(id.as_str()) {
                        self.push(Violation::DuplicateRelatedResource {
                            path: ipath.clone(),
                            id: id.clone(),
                        });
                    }
                }
                Some(other) => self.push(Violation::InvalidId {
                    path: ptr(&ipath, "id"),
                    value: other.clone(),
                }),
            }
            if !o.contains_key("digestSRI") && !o.contains_key("digestMultibase") {
                self.push(Violation::MissingDigest {
                    path: ipath.clone(),
                });
            }
            let id = o.get("id").and_then(Value::as_str).unwrap_or("");
            for (key, check) in [
                (
                    "digestSRI",
                    related::check_sri as fn(&str, &Value) -> DigestCheck,
                ),
                ("digestMultibase", related::check_multibase),
            ] {
                let Some(digest) = o.get(key) else { continue };
                match check(id, digest) {
                    DigestCheck::Matches | DigestCheck::UnknownResource => {}
                    DigestCheck::Malformed => self.push(Violation::InvalidDigest {
                        path: ptr(&ipath, key),
                        value: digest.clone(),
                    }),
                    DigestCheck::Mismatch => self.push(Violation::DigestMismatch {
                        path: ptr(&ipath, key),
                        id: id.to_owned(),
                    }),
                }
            }
        }
    }

    fn date(
        &mut self,
        obj: &Map<String, Value>,
        path: &str,
        key: &str,
    ) -> Option<(String, Instant)> {
        let v = obj.get(key)?;
        match v.as_str().map(|s| (s, Instant::parse_date_time_stamp(s))) {
            Some((s, Ok(at))) => Some((s.to_owned(), at)),
            _ => {
                self.push(Violation::InvalidDateTimeStamp {
                    path: ptr(path, key),
                    value: v.clone(),
                });
                None
            }
        }
    }

    fn credential(&mut self, value: &Value, path: &str, role: Role) -> Option<DataModel> {
        let Some(doc) = value.as_object() else {
            self.push(Violation::NotAnObject { path: path.into() });
            return None;
        };
        let (model, info) = self.context(doc, path, role);
        self.types(doc, path, Some("VerifiableCredential"), &info);
        self.optional_id(doc, path);
        self.language_values(doc, path);
        // issuer
        match doc.get("issuer") {
            None => self.push(Violation::MissingIssuer),
            Some(Value::String(s)) if is_url(s) => {}
            Some(Value::Object(o)) => {
                if !o.get("id").and_then(Value::as_str).is_some_and(is_url) {
                    self.push(Violation::InvalidIssuer {
                        value: Value::Object(o.clone()),
                    });
                }
                self.language_values(o, &ptr(path, "issuer"));
            }
            Some(other) => self.push(Violation::InvalidIssuer {
                value: other.clone(),
            }),
        }
        // credentialSubject
        match doc.get("credentialSubject") {
            None => self.push(Violation::MissingCredentialSubject),
            Some(v) => {
                let base = ptr(path, "credentialSubject");
                let many = v.is_array();
                let items = one_or_many(v);
                if items.is_empty() {
                    self.push(Violation::InvalidCredentialSubject {
                        path: base.clone(),
                        value: v.clone(),
                    });
                }
                for (i, item) in items.into_iter().enumerate() {
                    let ipath = if many { ptr_i(&base, i) } else { base.clone() };
                    match item.as_object() {
                        None => self.push(Violation::InvalidCredentialSubject {
                            path: ipath,
                            value: item.clone(),
                        }),
                        Some(o) if o.is_empty() => {
                            self.push(Violation::SubjectWithoutClaims { path: ipath })
                        }
                        Some(o) => self.optional_id(o, &ipath),
                    }
                }
            }
        }
        // Validity period.
        let (from_key, until_key) = match model {
            Some(DataModel::V1_1) => ("issuanceDate", "expirationDate"),
            _ => ("validFrom", "validUntil"),
        };
        if model == Some(DataModel::V1_1) && !doc.contains_key("issuanceDate") {
            self.push(Violation::MissingIssuanceDate);
        }
        let from = self.date(doc, path, from_key);
        let until = self.date(doc, path, until_key);
        if let (Some((f, fa)), Some((u, ua))) = (from, until) {
            if fa > ua {
                self.push(Violation::ValidFromAfterValidUntil {
                    valid_from: f,
                    valid_until: u,
                });
            }
        }
        for key in [
            "credentialStatus",
            "termsOfUse",
            "evidence",
            "refreshService",
        ] {
            self.typed_objects(doc, path, key, &info, false);
        }
        self.typed_objects(doc, path, "credentialSchema", &info, true);
        self.related_resources(doc, path);
        if role != Role::Verifier {
            self.existing_proofs(doc, path, &info);
            self.undefined_terms(doc, path);
        }
        model
    }

    /// A credential whose only context is the VC 2.0 base context can use
    /// only the terms that context defines for a `VerifiableCredential`:
    /// JSON-LD would drop any other property (the base context has no
    /// `@vocab`), so an issuer must not sign it. With any other context the
    /// terms are not known here and nothing is said.
    fn undefined_terms(&mut self, doc: &Map<String, Value>, path: &str) {
        let only_base = match doc.get("@context") {
            Some(Value::String(s)) => s == CONTEXT_V2,
            Some(Value::Array(a)) => {
                a.len() == 1 && a.first().and_then(Value::as_str) == Some(CONTEXT_V2)
            }
            _ => false,
        };
        if !only_base {
            return;
        }
        for key in doc.keys() {
            let defined = BASE_CREDENTIAL_TERMS.contains(&key.as_str())
                || V2_PROTECTED_TERMS.contains(&key.as_str());
            if !key.starts_with('@') && !defined {
                self.push(Violation::UndefinedTerm {
                    path: ptr(path, key),
                    term: key.clone(),
                });
            }
        }
    }

    /// Proofs already on a document being signed must be typed objects.
    fn existing_proofs(&mut self, doc: &Map<String, Value>, path: &str, info: &ContextInfo) {
        if doc.contains_key("proof") {
            self.typed_objects(doc, path, "proof", info, false);
        }
    }

    fn presentation(&mut self, value: &Value, path: &str, role: Role) -> Option<DataModel> {
        let Some(doc) = value.as_object() else {
            self.push(Violation::NotAnObject { path: path.into() });
            return None;
        };
        let (model, info) = self.context(doc, path, Role::Issuer);
        self.types(doc, path, Some("VerifiablePresentation"), &info);
        self.optional_id(doc, path);
        match doc.get("holder") {
            None => {}
            Some(Value::String(s)) if is_url(s) => {}
            Some(Value::Object(o)) if o.get("id").and_then(Value::as_str).is_some_and(is_url) => {}
            Some(other) => self.push(Violation::InvalidHolder {
                value: other.clone(),
            }),
        }
        if let Some(vcs) = doc.get("verifiableCredential") {
            let base = ptr(path, "verifiableCredential");
            let many = vcs.is_array();
            for (i, vc) in one_or_many(vcs).into_iter().enumerate() {
                let ipath = if many { ptr_i(&base, i) } else { base.clone() };
                if !vc.is_object() {
                    self.push(Violation::NotAnObjectEntry {
                        path: ipath,
                        value: vc.clone(),
                    });
                } else if has_type(vc, "EnvelopedVerifiableCredential") {
                    self.enveloped(vc, &ipath);
                } else {
                    // Embedded credentials are judged as a verifier would;
                    // their own proofs are verified separately.
                    self.credential(vc, &ipath, Role::Verifier);
                }
            }
        }
        self.typed_objects(doc, path, "termsOfUse", &info, false);
        if role != Role::Verifier {
            self.existing_proofs(doc, path, &info);
        }
        model
    }

    fn enveloped(&mut self, vc: &Value, path: &str) {
        let ctx_ok = vc
            .get("@context")
            .map(one_or_many)
            .and_then(|l| l.first().and_then(|v| v.as_str()))
            == Some(CONTEXT_V2);
        let id_ok = vc
            .get("id")
            .and_then(Value::as_str)
            .is_some_and(|s| s.starts_with("data:") && is_url(s));
        if !ctx_ok || !id_ok {
            self.push(Violation::InvalidEnvelopedCredential { path: path.into() });
        }
    }
}

fn language_value_ok(v: &Value) -> bool {
    match v {
        Value::String(_) => true,
        Value::Object(o) => {
            o.get("@value").is_some_and(Value::is_string)
                && o.iter().all(|(k, v)| match k.as_str() {
                    "@value" => true,
                    "@language" => v.as_str().is_some_and(language_tag_ok),
                    "@direction" => matches!(v.as_str(), Some("ltr" | "rtl")),
                    _ => false,
                })
        }
        _ => false,
    }
}

/// BCP 47 shape: 1–8 alphanumerics, then `-` separated 1–8 alphanumerics.
fn language_tag_ok(tag: &str) -> bool {
    let mut parts = tag.split('-');
    parts
        .next()
        .is_some_and(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()))
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Checks a credential against the VCDM 2.0 rules (and, for a verifier, the
/// VC 1.1 rules when its first context is the 1.1 one).
pub fn check_credential(doc: &Value, role: Role) -> Conformance {
    let mut c = Checker { out: Vec::new() };
    let model = c.credential(doc, "", role);
    Conformance {
        model,
        violations: c.out,
    }
}

/// Checks a presentation (and every credential it embeds).
pub fn check_presentation(doc: &Value, role: Role) -> Conformance {
    let mut c = Checker { out: Vec::new() };
    let model = c.presentation(doc, "", role);
    Conformance {
        model,
        violations: c.out,
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use serde_json::json;

    #[test]
    fn language_tags() {
        assert!(language_tag_ok("en"));
        assert!(language_tag_ok("zh-Hant-HK"));
        assert!(!language_tag_ok(""));
        assert!(!language_tag_ok("en_US"));
        assert!(!language_tag_ok("toolongtag"));
    }

    #[test]
    fn an_issuer_refuses_a_term_the_base_context_does_not_define() {
        let mut doc = json!({
            "@context": [CONTEXT_V2],
            "type": ["VerifiableCredential"],
            "issuer": "did:example:issuer",
            "credentialSubject": {"id": "did:example:s"},
            "statusEntry": {"type": "BitstringStatusListEntry", "statusListIndex": true}
        });
        let reasons = |d: &Value, role| -> Vec<&'static str> {
            check_credential(d, role)
                .violations
                .iter()
                .map(Violation::reason)
                .collect()
        };
        assert_eq!(reasons(&doc, Role::Issuer), ["undefined_term"]);
        assert!(
            reasons(&doc, Role::Verifier).is_empty(),
            "a verifier says nothing"
        );
        // With another context the terms are not known here: nothing is said.
        doc["@context"] = json!([CONTEXT_V2, "https://www.w3.org/ns/credentials/examples/v2"]);
        assert!(reasons(&doc, Role::Issuer).is_empty());
    }

    #[test]
    fn identical_protected_redefinition_is_allowed() {
        let doc = json!({
            "@context": [CONTEXT_V2, {"@protected": true, "X": "https://e.org/#X"}, {"X": "https://e.org/#X", "id": "@id"}],
            "type": ["VerifiableCredential", "X"],
            "issuer": "did:example:1",
            "credentialSubject": {"id": "did:example:2"}
        });
        assert_eq!(check_credential(&doc, Role::Issuer).violations, vec![]);
    }
}
