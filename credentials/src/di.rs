//! Data Integrity 1.0 proofs with the `eddsa-jcs-2022` and
//! `eddsa-rdfc-2022` cryptosuites (vc-di-eddsa §3.2–3.3), and verification
//! of `Ed25519Signature2020`, exactly as specified: create and verify, the
//! proof `@context` rule, the hash order
//! `SHA-256(proofConfig) ‖ SHA-256(document)`, strict Ed25519 verification,
//! proof sets (several proofs, all must verify) and proof chains
//! (`previousProof`).
//!
//! Documents stay `serde_json::Value`s; JCS is applied to the received value
//! (never to the received bytes, never after a typed round trip), and no value
//! (dates included) is normalised before hashing.
//!
//! eddsa-rdfc-2022 hashes canonical N-Quads (JSON-LD to RDF with bundled
//! contexts, then RDFC-1.0): that code is the `rdfc` feature. Without it,
//! such proofs get [`ProofOutcome::CouldntCheck`], never a false "tampered";
//! signing takes an [`RdfcHasher`], so a build without the feature can
//! still sign with canonical hashes computed elsewhere (the app's worker).

use crate::did_key::{self, DidKeyError};
use crate::error::ErrorCode;
use crate::jcs;
use crate::keys::{PublicKey, SecretKey};
use crate::limits::{Budget, MAX_PREVIOUS_PROOFS, MAX_PROOFS};
use crate::multibase::{self, MultibaseError};
use crate::time::Instant;
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::fmt;

/// `DataIntegrityProof`.
pub const PROOF_TYPE: &str = "DataIntegrityProof";
/// `eddsa-jcs-2022`.
pub const CRYPTOSUITE: &str = "eddsa-jcs-2022";
/// `eddsa-rdfc-2022`: verified with the `rdfc` feature (JSON-LD with
/// bundled contexts, then RDFC-1.0), otherwise "couldn't check".
pub const CRYPTOSUITE_RDFC: &str = "eddsa-rdfc-2022";

/// `Ed25519Signature2020`: verified with the `rdfc` feature (its hashing is
/// eddsa-rdfc-2022's), otherwise "couldn't check".
pub const ED25519_SIGNATURE_2020: &str = "Ed25519Signature2020";

/// Whether this build verifies `suite`.
fn verifies(suite: &str) -> bool {
    suite == CRYPTOSUITE || (cfg!(feature = "rdfc") && suite == CRYPTOSUITE_RDFC)
}

/// Registered Data Integrity cryptosuites this crate recognises but does not
/// implement: their proofs are reported as "couldn't check".
pub const KNOWN_UNSUPPORTED_CRYPTOSUITES: &[&str] = &[
    "eddsa-rdfc-2022",
    "ecdsa-rdfc-2019",
    "ecdsa-jcs-2019",
    "ecdsa-sd-2023",
    "bbs-2023",
];

/// Proof types other than `DataIntegrityProof` that are recognised (legacy or
/// other securing mechanisms) but not implemented.
pub const KNOWN_UNSUPPORTED_PROOF_TYPES: &[&str] = &[
    "Ed25519Signature2020",
    "Ed25519Signature2018",
    "JsonWebSignature2020",
    "EcdsaSecp256k1Signature2019",
    "BbsBlsSignature2020",
    "MerkleProof2019",
];

/// The cryptosuite of a new proof.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Cryptosuite {
    /// `eddsa-jcs-2022` (JSON Canonicalization Scheme): needs no JSON-LD,
    /// so it is this library's default; ChainClass's tools (the desk, `vc`)
    /// sign eddsa-rdfc-2022 unless asked for this.
    #[default]
    EddsaJcs2022,
    /// `eddsa-rdfc-2022` (JSON-LD to RDF, then RDFC-1.0): needs the `rdfc`
    /// feature; what the Digital Credentials Consortium's verifier and the
    /// Learner Credential Wallet accept.
    EddsaRdfc2022,
}

impl Cryptosuite {
    /// The cryptosuite registered as `name`, if this crate signs with it.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            CRYPTOSUITE => Some(Cryptosuite::EddsaJcs2022),
            CRYPTOSUITE_RDFC => Some(Cryptosuite::EddsaRdfc2022),
            _ => None,
        }
    }

    /// The registered name.
    pub fn as_str(self) -> &'static str {
        match self {
            Cryptosuite::EddsaJcs2022 => CRYPTOSUITE,
            Cryptosuite::EddsaRdfc2022 => CRYPTOSUITE_RDFC,
        }
    }
}

/// Options of a new proof (Data Integrity §2.1). Strings are copied into the
/// proof verbatim: `created` keeps exactly the lexical form given.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProofOptions {
    /// The cryptosuite (default `eddsa-jcs-2022`).
    pub cryptosuite: Cryptosuite,
    /// `did:key:X#X` (or any URL a verifier can resolve).
    pub verification_method: String,
    /// `assertionMethod` for credentials, `authentication` for presentations.
    pub proof_purpose: String,
    /// XMLSCHEMA11-2 dateTimeStamp, e.g. `2024-09-01T08:00:00Z`.
    pub created: Option<String>,
    /// XMLSCHEMA11-2 dateTimeStamp after which the proof expires.
    pub expires: Option<String>,
    /// Verifier-supplied challenge (presentations).
    pub challenge: Option<String>,
    /// Security domain (presentations).
    pub domain: Option<String>,
    /// Proof `id` (a URL), needed to be referenced by a later chained proof.
    pub id: Option<String>,
    /// Ids of earlier proofs this proof chains to (`previousProof`): empty for
    /// none, one for a string, several for a list.
    pub previous_proof: Vec<String>,
    /// Optional `nonce`.
    pub nonce: Option<String>,
}

impl ProofOptions {
    /// Options for an issuer's `assertionMethod` proof.
    pub fn assertion(verification_method: impl Into<String>) -> Self {
        ProofOptions {
            verification_method: verification_method.into(),
            proof_purpose: "assertionMethod".into(),
            ..Default::default()
        }
    }

    /// Options for a holder's `authentication` proof on a presentation.
    pub fn authentication(
        verification_method: impl Into<String>,
        challenge: impl Into<String>,
        domain: impl Into<String>,
    ) -> Self {
        ProofOptions {
            verification_method: verification_method.into(),
            proof_purpose: "authentication".into(),
            challenge: Some(challenge.into()),
            domain: Some(domain.into()),
            ..Default::default()
        }
    }

    /// Sets `created`.
    pub fn with_created(mut self, created: impl Into<String>) -> Self {
        self.created = Some(created.into());
        self
    }
}

/// Why a proof could not be created (`PROOF_GENERATION_ERROR`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum ProofGenerationError {
    /// The document is not a JSON object.
    DocumentNotAnObject,
    /// `created` is not an XMLSCHEMA11-2 dateTimeStamp.
    InvalidCreated {
        /// The value given.
        value: String,
    },
    /// `expires` is not an XMLSCHEMA11-2 dateTimeStamp.
    InvalidExpires {
        /// The value given.
        value: String,
    },
    /// `verificationMethod` or `proofPurpose` is empty.
    MissingOption {
        /// Which option.
        option: String,
    },
    /// The existing `proof` member is not a map or a list of maps.
    ExistingProofMalformed,
    /// A `previousProof` id names no existing proof.
    PreviousProofNotFound {
        /// The id looked for.
        id: String,
    },
    /// More `previousProof` ids than a verifier checks
    /// ([`MAX_PREVIOUS_PROOFS`]).
    TooManyPreviousProofs {
        /// How many were given.
        found: usize,
        /// The limit.
        limit: usize,
    },
    /// Canonicalisation failed.
    Canonicalization {
        /// The message.
        message: String,
    },
}

impl ProofGenerationError {
    /// Always `PROOF_GENERATION_ERROR`.
    pub fn code(&self) -> ErrorCode {
        ErrorCode::ProofGenerationError
    }
}

impl fmt::Display for ProofGenerationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProofGenerationError::DocumentNotAnObject => f.write_str("document is not an object"),
            ProofGenerationError::InvalidCreated { value } => {
                write!(f, "created {value:?} is not a dateTimeStamp")
            }
            ProofGenerationError::InvalidExpires { value } => {
                write!(f, "expires {value:?} is not a dateTimeStamp")
            }
            ProofGenerationError::MissingOption { option } => write!(f, "{option} is empty"),
            ProofGenerationError::ExistingProofMalformed => {
                f.write_str("existing proof is not a map or a list of maps")
            }
            ProofGenerationError::PreviousProofNotFound { id } => {
                write!(f, "previousProof {id:?} not found")
            }
            ProofGenerationError::TooManyPreviousProofs { found, limit } => {
                write!(
                    f,
                    "{found} previousProof ids, more than the {limit} allowed"
                )
            }
            ProofGenerationError::Canonicalization { message } => f.write_str(message),
        }
    }
}

impl std::error::Error for ProofGenerationError {}

/// The proofs of a document as a list (`proof` may be one map or a list).
/// `Err(())` when `proof` is neither a map nor a list of maps.
#[allow(clippy::result_unit_err)]
pub fn proofs_of(document: &Map<String, Value>) -> Result<Vec<&Map<String, Value>>, ()> {
    match document.get("proof") {
        None => Ok(Vec::new()),
        Some(Value::Object(p)) => Ok(vec![p]),
        Some(Value::Array(items)) => items.iter().map(|v| v.as_object().ok_or(())).collect(),
        Some(_) => Err(()),
    }
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// `SHA-256(canonicalProofConfig) ‖ SHA-256(transformedDocument)`.
fn hash_data(proof_config: &[u8], document: &[u8]) -> [u8; 64] {
    let mut out = [0u8; 64];
    let (a, b) = out.split_at_mut(32);
    a.copy_from_slice(&sha256(proof_config));
    b.copy_from_slice(&sha256(document));
    out
}

/// The intermediate values of `eddsa-jcs-2022` for one proof (exposed so
/// tests can compare them with the official vectors byte for byte).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashInputs {
    /// The canonical proof configuration (proof without `proofValue`): JCS,
    /// or N-Quads for eddsa-rdfc-2022.
    pub canonical_proof_config: Vec<u8>,
    /// The canonical document without `proof` (with `@context`
    /// substituted): JCS, or N-Quads for eddsa-rdfc-2022.
    pub canonical_document: Vec<u8>,
}

impl HashInputs {
    /// The 64 bytes that are signed.
    pub fn hash_data(&self) -> [u8; 64] {
        hash_data(&self.canonical_proof_config, &self.canonical_document)
    }
}

/// Matching proofs for `previous_proof` ids among `existing`, as a list value.
/// Callers bound `ids` ([`MAX_PREVIOUS_PROOFS`]) and make them distinct, so
/// the copies made here are at most the proof set once over.
fn matching_proofs(existing: &[&Map<String, Value>], ids: &[&str]) -> Result<Value, String> {
    let mut out = Vec::with_capacity(ids.len().min(MAX_PREVIOUS_PROOFS));
    for id in ids {
        let found = existing
            .iter()
            .find(|p| p.get("id").and_then(Value::as_str) == Some(*id))
            .ok_or_else(|| (*id).to_owned())?;
        out.push(Value::Object((*found).clone()));
    }
    Ok(Value::Array(out))
}

/// The document as a map, the proof configuration and the chained proofs.
type Prepared<'d> = (&'d Map<String, Value>, Map<String, Value>, Option<Value>);

/// Create Proof steps 1–3 for `document` and `options`: the document as a
/// map, the proof configuration (no `proofValue`; with the document's
/// `@context`) and the earlier proofs a chained proof covers.
fn prepare<'d>(
    document: &'d Value,
    options: &ProofOptions,
) -> Result<Prepared<'d>, ProofGenerationError> {
    let doc = document
        .as_object()
        .ok_or(ProofGenerationError::DocumentNotAnObject)?;
    if options.verification_method.is_empty() {
        return Err(ProofGenerationError::MissingOption {
            option: "verificationMethod".into(),
        });
    }
    if options.proof_purpose.is_empty() {
        return Err(ProofGenerationError::MissingOption {
            option: "proofPurpose".into(),
        });
    }
    let mut proof = Map::new();
    proof.insert("type".into(), PROOF_TYPE.into());
    proof.insert("cryptosuite".into(), options.cryptosuite.as_str().into());
    if let Some(created) = &options.created {
        if Instant::parse_date_time_stamp(created).is_err() {
            return Err(ProofGenerationError::InvalidCreated {
                value: created.clone(),
            });
        }
        proof.insert("created".into(), created.clone().into());
    }
    if let Some(expires) = &options.expires {
        if Instant::parse_date_time_stamp(expires).is_err() {
            return Err(ProofGenerationError::InvalidExpires {
                value: expires.clone(),
            });
        }
        proof.insert("expires".into(), expires.clone().into());
    }
    proof.insert(
        "verificationMethod".into(),
        options.verification_method.clone().into(),
    );
    proof.insert("proofPurpose".into(), options.proof_purpose.clone().into());
    for (name, value) in [
        ("challenge", &options.challenge),
        ("domain", &options.domain),
        ("id", &options.id),
        ("nonce", &options.nonce),
    ] {
        if let Some(v) = value {
            proof.insert(name.into(), v.clone().into());
        }
    }
    match options.previous_proof.as_slice() {
        [] => {}
        [one] => {
            proof.insert("previousProof".into(), one.clone().into());
        }
        many => {
            proof.insert(
                "previousProof".into(),
                Value::Array(many.iter().cloned().map(Value::from).collect()),
            );
        }
    }
    if let Some(ctx) = doc.get("@context") {
        proof.insert("@context".into(), ctx.clone());
    }
    let existing = proofs_of(doc).map_err(|()| ProofGenerationError::ExistingProofMalformed)?;
    let ids: Vec<&str> = options.previous_proof.iter().map(String::as_str).collect();
    if ids.len() > MAX_PREVIOUS_PROOFS {
        return Err(ProofGenerationError::TooManyPreviousProofs {
            found: ids.len(),
            limit: MAX_PREVIOUS_PROOFS,
        });
    }
    let chain = if ids.is_empty() {
        None
    } else {
        Some(
            matching_proofs(&existing, &ids)
                .map_err(|id| ProofGenerationError::PreviousProofNotFound { id })?,
        )
    };
    Ok((doc, proof, chain))
}

/// Builds the proof configuration (no `proofValue`) and the canonical inputs
/// for signing `document` with `options` (Create Proof steps 1–4).
pub fn proof_config_and_inputs(
    document: &Value,
    options: &ProofOptions,
) -> Result<(Map<String, Value>, HashInputs), ProofGenerationError> {
    let (doc, proof, chain) = prepare(document, options)?;
    if options.cryptosuite == Cryptosuite::EddsaRdfc2022 {
        return rdfc_inputs(doc, proof, chain.as_ref());
    }
    let inputs = jcs_inputs(doc, &proof, chain.as_ref())?;
    Ok((proof, inputs))
}

/// eddsa-jcs-2022 Create Proof steps 3–4.
fn jcs_inputs(
    doc: &Map<String, Value>,
    proof: &Map<String, Value>,
    chain: Option<&Value>,
) -> Result<HashInputs, ProofGenerationError> {
    let canon_err =
        |e: jcs::JcsError| ProofGenerationError::Canonicalization { message: e.message };
    Ok(HashInputs {
        canonical_proof_config: jcs::object_view_to_vec(proof, &[]).map_err(canon_err)?,
        canonical_document: jcs::object_view_to_vec(doc, &[("proof", chain)]).map_err(canon_err)?,
    })
}

/// A first proof prepared once for many documents with the same `@context`
/// (batch issuing): the proof configuration (and for eddsa-jcs-2022 its
/// canonical form and hash) is made once; each document then costs one
/// canonicalisation, one SHA-256 and one signature. Gives exactly what
/// [`add_proof`] gives.
#[derive(Debug, Clone)]
pub(crate) struct PreparedProof {
    config: Map<String, Value>,
    /// The hash of the canonical configuration (eddsa-jcs-2022); `None` for
    /// eddsa-rdfc-2022, whose hasher canonicalises both parts.
    config_hash: Option<[u8; 32]>,
    context: Option<Value>,
}

/// `doc` with its `proof` replaced by the earlier proofs of a chain, or
/// removed.
fn without_proof(doc: &Map<String, Value>, chain: Option<&Value>) -> Map<String, Value> {
    let mut unsecured = doc.clone();
    match chain {
        Some(c) => {
            unsecured.insert("proof".into(), c.clone());
        }
        None => {
            unsecured.remove("proof");
        }
    }
    unsecured
}

/// The canonical N-Quads of an eddsa-rdfc-2022 (or Ed25519Signature2020)
/// proof configuration and of the document it covers: the hashing input
/// both signing and verifying use.
#[cfg(feature = "rdfc")]
fn rdfc_canonical(
    unsecured: Map<String, Value>,
    config: Map<String, Value>,
) -> Result<HashInputs, crate::jsonld::JsonLdProblem> {
    Ok(HashInputs {
        canonical_proof_config: crate::jsonld::canonical_nquads(&Value::Object(config))?
            .into_bytes(),
        canonical_document: crate::jsonld::canonical_nquads(&Value::Object(unsecured))?
            .into_bytes(),
    })
}

/// eddsa-rdfc-2022 Create Proof steps 3–4: the proof configuration carries
/// the document's `@context`; the document is without its proof (with the
/// earlier proofs of a chain).
#[cfg(feature = "rdfc")]
fn rdfc_inputs(
    doc: &Map<String, Value>,
    proof: Map<String, Value>,
    chain: Option<&Value>,
) -> Result<(Map<String, Value>, HashInputs), ProofGenerationError> {
    let inputs =
        rdfc_canonical(without_proof(doc, chain), proof.clone()).map_err(|e| rdfc_refused(&e))?;
    Ok((proof, inputs))
}

/// Without the `rdfc` feature there is no JSON-LD processor: refused.
#[cfg(not(feature = "rdfc"))]
fn rdfc_inputs(
    _doc: &Map<String, Value>,
    _proof: Map<String, Value>,
    _chain: Option<&Value>,
) -> Result<(Map<String, Value>, HashInputs), ProofGenerationError> {
    Err(no_rdfc())
}

#[cfg(feature = "rdfc")]
fn rdfc_refused(e: &crate::jsonld::JsonLdProblem) -> ProofGenerationError {
    ProofGenerationError::Canonicalization {
        message: format!("{e:?}"),
    }
}

fn no_rdfc() -> ProofGenerationError {
    ProofGenerationError::Canonicalization {
        message: "eddsa-rdfc-2022 needs the rdfc feature".into(),
    }
}

/// Computes the 64 bytes an eddsa-rdfc-2022 proof signs (Create Proof steps
/// 3–4): `SHA-256(N-Quads(config)) ‖ SHA-256(N-Quads(unsecured))`. Signing
/// takes one, so the JSON-LD processor can live where the caller wants it:
/// here ([`LocalRdfc`], the `rdfc` feature), or elsewhere (the app's desk
/// asks its worker, which has the feature, and signs in the page).
pub trait RdfcHasher {
    /// `unsecured` is the document without its proof (with the earlier
    /// proofs of a chain); `config` is the proof without `proofValue`,
    /// carrying the document's `@context`.
    fn hash_data(
        &mut self,
        unsecured: &Map<String, Value>,
        config: &Map<String, Value>,
    ) -> Result<[u8; 64], ProofGenerationError>;
}

/// Canonicalises in this build (the `rdfc` feature).
#[cfg(feature = "rdfc")]
#[derive(Debug, Clone, Copy, Default)]
pub struct LocalRdfc;

#[cfg(feature = "rdfc")]
impl RdfcHasher for LocalRdfc {
    fn hash_data(
        &mut self,
        unsecured: &Map<String, Value>,
        config: &Map<String, Value>,
    ) -> Result<[u8; 64], ProofGenerationError> {
        rdfc_canonical(unsecured.clone(), config.clone())
            .map(|inputs| inputs.hash_data())
            .map_err(|e| rdfc_refused(&e))
    }
}

/// No JSON-LD processor: every eddsa-rdfc-2022 proof is refused.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoRdfc;

impl RdfcHasher for NoRdfc {
    fn hash_data(
        &mut self,
        _unsecured: &Map<String, Value>,
        _config: &Map<String, Value>,
    ) -> Result<[u8; 64], ProofGenerationError> {
        Err(no_rdfc())
    }
}

/// This build's own hasher: [`LocalRdfc`] with the `rdfc` feature,
/// [`NoRdfc`] without.
#[cfg(feature = "rdfc")]
pub type BuiltinRdfc = LocalRdfc;
/// This build's own hasher: [`LocalRdfc`] with the `rdfc` feature,
/// [`NoRdfc`] without.
#[cfg(not(feature = "rdfc"))]
pub type BuiltinRdfc = NoRdfc;

impl PreparedProof {
    /// For documents without `proof` whose `@context` is `context`.
    pub(crate) fn new(
        context: Option<&Value>,
        options: &ProofOptions,
    ) -> Result<Self, ProofGenerationError> {
        let mut shape = Map::new();
        if let Some(c) = context {
            shape.insert("@context".into(), c.clone());
        }
        let shape = Value::Object(shape);
        let (doc, config, chain) = prepare(&shape, options)?;
        // A context that needs the Data Integrity context appended takes
        // add_proof's general path.
        let mut completed = shape.clone();
        ensure_proof_context(&mut completed);
        let config_hash = match options.cryptosuite {
            _ if completed != shape => None,
            Cryptosuite::EddsaJcs2022 => Some(sha256(
                &jcs_inputs(doc, &config, chain.as_ref())?.canonical_proof_config,
            )),
            Cryptosuite::EddsaRdfc2022 => None,
        };
        Ok(PreparedProof {
            config,
            config_hash,
            context: context.cloned(),
        })
    }

    /// Adds the proof to `document` in place and returns
    /// `SHA-256(JCS(signed document))` (the batch leaf data), canonicalising
    /// each member once for both the signature and that hash. A document
    /// with another `@context` or an existing proof goes through
    /// [`add_proof`].
    pub(crate) fn sign_in_place(
        &self,
        document: &mut Value,
        key: &SecretKey,
        options: &ProofOptions,
        rdfc: &mut dyn RdfcHasher,
    ) -> Result<[u8; 32], ProofGenerationError> {
        let canon_err =
            |e: jcs::JcsError| ProofGenerationError::Canonicalization { message: e.message };
        let obj = document
            .as_object_mut()
            .ok_or(ProofGenerationError::DocumentNotAnObject)?;
        let Some(config_hash) = self
            .config_hash
            .filter(|_| obj.get("@context") == self.context.as_ref() && !obj.contains_key("proof"))
        else {
            *document = add_proof_with(document, key, options, rdfc)?;
            return Ok(sha256(&jcs::to_vec(document).map_err(canon_err)?));
        };
        // Each member as canonical `"name":value`, in RFC 8785 order.
        let mut members = Vec::with_capacity(obj.len() + 1);
        for (name, value) in obj.iter() {
            let mut bytes = jcs::to_vec(&Value::String(name.clone())).map_err(canon_err)?;
            bytes.push(b':');
            bytes.extend(jcs::to_vec(value).map_err(canon_err)?);
            members.push((name.as_str(), bytes));
        }
        members.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
        let assemble = |members: &[(&str, Vec<u8>)]| {
            let len = members.iter().map(|m| m.1.len() + 1).sum::<usize>() + 1;
            let mut out = Vec::with_capacity(len);
            out.push(b'{');
            for (i, (_, bytes)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(bytes);
            }
            out.push(b'}');
            out
        };
        let mut data = [0u8; 64];
        let (a, b) = data.split_at_mut(32);
        a.copy_from_slice(&config_hash);
        b.copy_from_slice(&sha256(&assemble(&members)));
        let signature = key.sign(&data);
        let mut proof = self.config.clone();
        proof.insert(
            "proofValue".into(),
            multibase::encode_base58btc(&signature).into(),
        );
        let proof = Value::Object(proof);
        let mut proof_member = br#""proof":"#.to_vec();
        proof_member.extend(jcs::to_vec(&proof).map_err(canon_err)?);
        let at =
            members.partition_point(|m| m.0.encode_utf16().cmp("proof".encode_utf16()).is_lt());
        members.insert(at, ("proof", proof_member));
        let leaf = sha256(&assemble(&members));
        drop(members);
        obj.insert("proof".into(), proof);
        Ok(leaf)
    }
}

/// Creates a proof over `document` (any existing `proof` is excluded,
/// except the proofs named by `previous_proof`) and returns it; an
/// eddsa-rdfc-2022 proof is hashed by this build's [`BuiltinRdfc`].
pub fn create_proof(
    document: &Value,
    key: &SecretKey,
    options: &ProofOptions,
) -> Result<Value, ProofGenerationError> {
    create_proof_with(document, key, options, &mut BuiltinRdfc::default())
}

/// [`create_proof`] with eddsa-rdfc-2022 hashing done by `rdfc`.
pub fn create_proof_with(
    document: &Value,
    key: &SecretKey,
    options: &ProofOptions,
    rdfc: &mut dyn RdfcHasher,
) -> Result<Value, ProofGenerationError> {
    let (doc, mut proof, chain) = prepare(document, options)?;
    let data = match options.cryptosuite {
        Cryptosuite::EddsaJcs2022 => jcs_inputs(doc, &proof, chain.as_ref())?.hash_data(),
        Cryptosuite::EddsaRdfc2022 => {
            let data = rdfc.hash_data(&without_proof(doc, chain.as_ref()), &proof)?;
            // The configuration carried the document's `@context` only to be
            // canonicalised; the proof itself goes out without it (as in the
            // W3C vectors: the signed document's `@context` covers it).
            proof.remove("@context");
            data
        }
    };
    let signature = key.sign(&data);
    proof.insert(
        "proofValue".into(),
        multibase::encode_base58btc(&signature).into(),
    );
    Ok(Value::Object(proof))
}

/// Adds a proof to `document` and returns the secured document. If the
/// document already has a proof, the result has a proof set (`proof`
/// becomes a list with the new proof last). A document none of whose
/// contexts defines the proof's terms (VC 1.1) gets the Data Integrity
/// context appended first, and the proof is made over that document.
pub fn add_proof(
    document: &Value,
    key: &SecretKey,
    options: &ProofOptions,
) -> Result<Value, ProofGenerationError> {
    add_proof_with(document, key, options, &mut BuiltinRdfc::default())
}

/// [`add_proof`] with eddsa-rdfc-2022 hashing done by `rdfc`.
pub fn add_proof_with(
    document: &Value,
    key: &SecretKey,
    options: &ProofOptions,
    rdfc: &mut dyn RdfcHasher,
) -> Result<Value, ProofGenerationError> {
    let mut out = document.clone();
    ensure_proof_context(&mut out);
    let proof = create_proof_with(&out, key, options, rdfc)?;
    let obj = out
        .as_object_mut()
        .ok_or(ProofGenerationError::DocumentNotAnObject)?;
    match obj.remove("proof") {
        None => {
            obj.insert("proof".into(), proof);
        }
        Some(Value::Array(mut list)) => {
            list.push(proof);
            obj.insert("proof".into(), Value::Array(list));
        }
        Some(existing) => {
            obj.insert("proof".into(), Value::Array(vec![existing, proof]));
        }
    }
    Ok(out)
}

/// The context that defines `DataIntegrityProof` and its properties.
pub const DATA_INTEGRITY_CONTEXT_V2: &str = "https://w3id.org/security/data-integrity/v2";

/// Contexts that define `DataIntegrityProof`: the VCDM 2.0 base context and
/// the Data Integrity contexts.
const PROOF_CONTEXTS: &[&str] = &[
    crate::vcdm::CONTEXT_V2,
    DATA_INTEGRITY_CONTEXT_V2,
    "https://w3id.org/security/data-integrity/v1",
];

/// Appends [`DATA_INTEGRITY_CONTEXT_V2`] to a document's `@context` list
/// when none of its contexts defines the proof's terms (a VC 1.1
/// credential), as Data Integrity §2.4 asks of a document that is to carry
/// a proof: otherwise JSON-LD would drop `DataIntegrityProof`, `cryptosuite`
/// and `proofValue`. A document without `@context` is left alone.
fn ensure_proof_context(document: &mut Value) {
    let Some(context) = document.get_mut("@context") else {
        return;
    };
    let defines = |v: &Value| v.as_str().is_some_and(|s| PROOF_CONTEXTS.contains(&s));
    match context {
        Value::Array(items) if !items.iter().any(defines) => {
            items.push(Value::String(DATA_INTEGRITY_CONTEXT_V2.into()));
        }
        Value::String(_) if !defines(context) => {
            let first = context.take();
            *context = Value::Array(vec![first, Value::String(DATA_INTEGRITY_CONTEXT_V2.into())]);
        }
        _ => {}
    }
}

/// What the verifier expects of every proof (Data Integrity §4.4 options).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProofExpectations<'a> {
    /// `assertionMethod` for credentials, `authentication` for presentations.
    pub proof_purpose: &'a str,
    /// If set, `proof.challenge` must equal it.
    pub challenge: Option<&'a str>,
    /// If set, `proof.domain` must equal it (or contain it, for a list).
    pub domain: Option<&'a str>,
    /// Verification methods the caller has already resolved (e.g. an issuer's
    /// `https:` key); did:key methods are resolved from the DID itself.
    pub known_keys: &'a [(String, PublicKey)],
    /// The time of interest: a proof whose `expires` is before it fails
    /// (`PROOF_VERIFICATION_ERROR`). Without it, `expires` is only parsed.
    pub now: Option<Instant>,
}

/// What is wrong with a proof value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProofValueProblem {
    /// `proofValue` is absent or null.
    Missing,
    /// `proofValue` is not a string.
    NotAString,
    /// Not `z` + base58btc.
    Multibase(MultibaseError),
    /// Decodes to other than 64 bytes.
    WrongLength(usize),
}

/// A problem found with one proof. Serialised with a stable `reason` key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum ProofProblem {
    /// The document has no `proof` at all.
    MissingProof,
    /// `proof` (or an item of it) is not a map.
    ProofNotAnObject,
    /// A required property (`type`, `verificationMethod`, `proofPurpose`,
    /// `cryptosuite`) is absent.
    MissingProperty {
        /// The property.
        property: String,
    },
    /// A property that must be a string is not one.
    NotAString {
        /// The property.
        property: String,
    },
    /// `proofPurpose` is not the one the verifier expects.
    WrongProofPurpose {
        /// Expected purpose.
        expected: String,
        /// Purpose found.
        found: String,
    },
    /// The proof's `challenge` differs from the verifier's (or is absent).
    ChallengeMismatch {
        /// The verifier's challenge.
        expected: String,
        /// The proof's challenge.
        found: Option<Value>,
    },
    /// The proof's `domain` differs from the verifier's (or is absent).
    DomainMismatch {
        /// The verifier's domain.
        expected: String,
        /// The proof's domain.
        found: Option<Value>,
    },
    /// `previousProof` is neither a string nor a list of strings.
    InvalidPreviousProof {
        /// The value found.
        value: Value,
    },
    /// More proofs, or more `previousProof` ids in one proof, than
    /// ChainClass checks at once (see [`crate::limits`]).
    OverBudget {
        /// Which budget.
        budget: Budget,
        /// How many the document has.
        found: usize,
        /// The limit.
        limit: usize,
    },
    /// The same id appears twice in one `previousProof` (a set).
    DuplicatePreviousProof {
        /// The repeated id.
        id: String,
    },
    /// `previousProof` names a proof id that is not in the proof set.
    PreviousProofNotFound {
        /// The missing id.
        id: String,
    },
    /// A proof named by `previousProof` did not verify.
    PreviousProofNotVerified {
        /// The id of that proof.
        id: String,
    },
    /// `created` is not an XMLSCHEMA11-2 dateTime.
    InvalidCreated {
        /// The value found.
        value: Value,
    },
    /// `expires` is not an XMLSCHEMA11-2 dateTime.
    InvalidExpires {
        /// The value found.
        value: Value,
    },
    /// The time of interest is after the proof's `expires`: the proof's own
    /// validity period, distinct from the credential's `validUntil`
    /// (Data Integrity §2.1 `expires` and "Validity periods").
    Expired {
        /// The proof's `expires`.
        expires: String,
        /// The time of interest.
        now: String,
    },
    /// A recognised proof type this crate does not implement (couldn't check).
    UnsupportedProofType {
        /// The type found.
        proof_type: String,
    },
    /// An unknown proof type.
    UnknownProofType {
        /// The type found.
        proof_type: String,
    },
    /// A recognised cryptosuite this crate does not implement, such as
    /// `eddsa-rdfc-2022` (couldn't check).
    UnsupportedCryptosuite {
        /// The cryptosuite found.
        cryptosuite: String,
    },
    /// A JSON-LD context ChainClass does not hold, so the RDF the proof
    /// signs cannot be computed offline (couldn't check).
    UnknownContext {
        /// Its URL.
        url: String,
    },
    /// An unknown cryptosuite.
    UnknownCryptosuite {
        /// The cryptosuite found.
        cryptosuite: String,
    },
    /// `proofValue` is missing or not a 64-byte `z` base58btc value.
    InvalidProofValue {
        /// What is wrong.
        problem: ProofValueProblem,
    },
    /// The verification method is not a usable did:key URL.
    InvalidVerificationMethod {
        /// The verification method.
        verification_method: String,
        /// The did:key error (its `code()` is the spec name).
        error: DidKeyError,
    },
    /// The verification method cannot be resolved offline (not did:key and
    /// not supplied by the caller): couldn't check.
    UnresolvableVerificationMethod {
        /// The verification method.
        verification_method: String,
    },
    /// The document `@context` does not start with the proof's `@context`.
    ContextMismatch {
        /// The proof's `@context`.
        proof_context: Value,
        /// The document's `@context`.
        document_context: Option<Value>,
    },
    /// The Ed25519 signature does not match the document: it was changed
    /// after signing, or signed by another key.
    SignatureMismatch,
    /// Canonicalisation failed.
    Canonicalization {
        /// The message.
        message: String,
    },
}

/// The result for one proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ProofOutcome {
    /// The proof verified.
    Verified,
    /// The proof could not be checked (unsupported suite, unresolvable key).
    CouldntCheck {
        /// Why.
        problem: ProofProblem,
    },
    /// The proof failed.
    Failed {
        /// Spec error code.
        code: ErrorCode,
        /// Why.
        problem: ProofProblem,
    },
}

/// One proof's result, with what the report needs to bind issuer and key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProofResult {
    /// Position in the proof set (0 for a single proof).
    pub index: usize,
    /// `verificationMethod`, if it is a string.
    pub verification_method: Option<String>,
    /// `proofPurpose`, if it is a string.
    pub proof_purpose: Option<String>,
    /// `cryptosuite`, if it is a string.
    pub cryptosuite: Option<String>,
    /// `expires` parsed, if present and valid (checked by the validity check).
    #[serde(skip)]
    pub expires: Option<(String, Instant)>,
    /// The outcome.
    pub outcome: ProofOutcome,
}

/// All proofs of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProofSetResult {
    /// One entry per proof, in document order.
    pub proofs: Vec<ProofResult>,
}

impl ProofSetResult {
    /// True when there is at least one proof and every proof verified.
    pub fn verified(&self) -> bool {
        !self.proofs.is_empty()
            && self
                .proofs
                .iter()
                .all(|p| matches!(p.outcome, ProofOutcome::Verified))
    }

    /// The first failed proof, if any.
    pub fn first_failure(&self) -> Option<(&ProofResult, ErrorCode, &ProofProblem)> {
        self.proofs.iter().find_map(|p| match &p.outcome {
            ProofOutcome::Failed { code, problem } => Some((p, *code, problem)),
            _ => None,
        })
    }

    /// The first proof that could not be checked, if any.
    pub fn first_unchecked(&self) -> Option<(&ProofResult, &ProofProblem)> {
        self.proofs.iter().find_map(|p| match &p.outcome {
            ProofOutcome::CouldntCheck { problem } => Some((p, problem)),
            _ => None,
        })
    }
}

fn fail(code: ErrorCode, problem: ProofProblem) -> ProofOutcome {
    ProofOutcome::Failed { code, problem }
}

fn as_context_list(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    }
}

/// A proof set with one failed entry standing for the whole set.
fn whole_set_fails(code: ErrorCode, problem: ProofProblem) -> ProofSetResult {
    ProofSetResult {
        proofs: vec![ProofResult {
            index: 0,
            verification_method: None,
            proof_purpose: None,
            cryptosuite: None,
            expires: None,
            outcome: fail(code, problem),
        }],
    }
}

/// Verifies every proof of `document` (Data Integrity §4.4–4.5 with the
/// `eddsa-jcs-2022` Verify Proof algorithm). A document without proofs gets a
/// single failed entry (`MissingProof`).
pub fn verify_proofs(document: &Value, expect: &ProofExpectations<'_>) -> ProofSetResult {
    let Some(doc) = document.as_object() else {
        return whole_set_fails(ErrorCode::ParsingError, ProofProblem::ProofNotAnObject);
    };
    let all: Vec<Option<&Map<String, Value>>> = match doc.get("proof") {
        None => Vec::new(),
        Some(Value::Object(p)) => vec![Some(p)],
        Some(Value::Array(items)) => items.iter().map(Value::as_object).collect(),
        // null, a string, a number…: not a map (PARSING_ERROR).
        Some(_) => vec![None],
    };
    if all.len() > MAX_PROOFS {
        return whole_set_fails(
            ErrorCode::ProofVerificationError,
            ProofProblem::OverBudget {
                budget: Budget::Proofs,
                found: all.len(),
                limit: MAX_PROOFS,
            },
        );
    }
    if all.is_empty() {
        return whole_set_fails(
            ErrorCode::ProofVerificationError,
            ProofProblem::MissingProof,
        );
    }
    let existing: Vec<&Map<String, Value>> = all.iter().flatten().copied().collect();
    let mut results: Vec<ProofResult> = all
        .iter()
        .enumerate()
        .map(|(index, proof)| verify_one(doc, index, *proof, &existing, expect))
        .collect();
    // A chained proof only verifies if every proof it names verified.
    let verified_ids: Vec<String> = results
        .iter()
        .zip(all.iter())
        .filter(|(r, _)| matches!(r.outcome, ProofOutcome::Verified))
        .filter_map(|(_, p)| p.and_then(|p| p.get("id")).and_then(Value::as_str))
        .map(str::to_owned)
        .collect();
    for (result, proof) in results.iter_mut().zip(all.iter()) {
        if !matches!(result.outcome, ProofOutcome::Verified) {
            continue;
        }
        let prev: Vec<&str> = match proof.and_then(|p| p.get("previousProof")) {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if let Some(id) = prev
            .into_iter()
            .find(|id| !verified_ids.iter().any(|v| v == id))
        {
            result.outcome = fail(
                ErrorCode::ProofVerificationError,
                ProofProblem::PreviousProofNotVerified { id: id.to_owned() },
            );
        }
    }
    ProofSetResult { proofs: results }
}

fn verify_one(
    doc: &Map<String, Value>,
    index: usize,
    proof: Option<&Map<String, Value>>,
    existing: &[&Map<String, Value>],
    expect: &ProofExpectations<'_>,
) -> ProofResult {
    let mut result = ProofResult {
        index,
        verification_method: None,
        proof_purpose: None,
        cryptosuite: None,
        expires: None,
        outcome: ProofOutcome::Verified,
    };
    let Some(proof) = proof else {
        result.outcome = fail(ErrorCode::ParsingError, ProofProblem::ProofNotAnObject);
        return result;
    };
    let s = |name: &str| proof.get(name).and_then(Value::as_str).map(str::to_owned);
    result.verification_method = s("verificationMethod");
    result.proof_purpose = s("proofPurpose");
    result.cryptosuite = s("cryptosuite");
    result.outcome = check_one(doc, proof, existing, expect, &mut result.expires);
    result
}

/// eddsa-rdfc-2022 (vc-di-eddsa §3.2.4–3.2.6): the canonical N-Quads of
/// the proof configuration (the proof without `proofValue`, with the
/// document's `@context`) and of the document without its proof (with the
/// proof's `@context` when the proof has one, and the earlier proofs of a
/// chain), each SHA-256, configuration first.
#[cfg(feature = "rdfc")]
fn rdfc_hash_data(
    doc: &Map<String, Value>,
    proof: &Map<String, Value>,
    chain: Option<&Value>,
    proof_context: Option<&Value>,
) -> Result<[u8; 64], crate::jsonld::JsonLdProblem> {
    let mut unsecured = without_proof(doc, chain);
    if let Some(pctx) = proof_context {
        unsecured.insert("@context".into(), pctx.clone());
    }
    let mut config = proof.clone();
    config.remove("proofValue");
    if let Some(ctx) = unsecured.get("@context") {
        config.insert("@context".into(), ctx.clone());
    }
    rdfc_canonical(unsecured, config).map(|inputs| inputs.hash_data())
}

fn check_one(
    doc: &Map<String, Value>,
    proof: &Map<String, Value>,
    existing: &[&Map<String, Value>],
    expect: &ProofExpectations<'_>,
    expires_out: &mut Option<(String, Instant)>,
) -> ProofOutcome {
    use ErrorCode::ProofVerificationError as PVE;
    // Data Integrity §4.4 step 3: type, verificationMethod, proofPurpose.
    let mut strings: [&str; 3] = [""; 3];
    for (slot, property) in strings
        .iter_mut()
        .zip(["type", "verificationMethod", "proofPurpose"])
    {
        match proof.get(property) {
            None | Some(Value::Null) => {
                return fail(
                    PVE,
                    ProofProblem::MissingProperty {
                        property: property.into(),
                    },
                )
            }
            Some(Value::String(v)) => *slot = v.as_str(),
            Some(_) => {
                return fail(
                    PVE,
                    ProofProblem::NotAString {
                        property: property.into(),
                    },
                )
            }
        }
    }
    let [proof_type, vm, purpose] = strings;
    if purpose != expect.proof_purpose {
        return fail(
            PVE,
            ProofProblem::WrongProofPurpose {
                expected: expect.proof_purpose.into(),
                found: purpose.into(),
            },
        );
    }
    if let Some(expected) = expect.challenge {
        let found = proof.get("challenge");
        if found.and_then(Value::as_str) != Some(expected) {
            return fail(
                ErrorCode::InvalidChallengeError,
                ProofProblem::ChallengeMismatch {
                    expected: expected.into(),
                    found: found.cloned(),
                },
            );
        }
    }
    if let Some(expected) = expect.domain {
        let found = proof.get("domain");
        let ok = match found {
            Some(Value::String(d)) => d == expected,
            Some(Value::Array(ds)) => ds.iter().any(|d| d.as_str() == Some(expected)),
            _ => false,
        };
        if !ok {
            return fail(
                ErrorCode::InvalidDomainError,
                ProofProblem::DomainMismatch {
                    expected: expected.into(),
                    found: found.cloned(),
                },
            );
        }
    }
    // Proof chains: previousProof must be a string or a list of strings, and
    // every id must name a proof of the set.
    let chain = match proof.get("previousProof") {
        None => None,
        Some(v) => {
            let ids: Option<Vec<&str>> = match v {
                Value::String(s) => Some(vec![s.as_str()]),
                Value::Array(a) => a.iter().map(Value::as_str).collect(),
                _ => None,
            };
            let Some(ids) = ids else {
                return fail(PVE, ProofProblem::InvalidPreviousProof { value: v.clone() });
            };
            // Counted before anything is copied: a short link can repeat
            // one id a hundred thousand times.
            if ids.len() > MAX_PREVIOUS_PROOFS {
                return fail(
                    PVE,
                    ProofProblem::OverBudget {
                        budget: Budget::PreviousProofs,
                        found: ids.len(),
                        limit: MAX_PREVIOUS_PROOFS,
                    },
                );
            }
            let repeated = ids
                .iter()
                .enumerate()
                .find(|&(i, id)| ids.iter().take(i).any(|x| x == id));
            if let Some((_, id)) = repeated {
                let id = (*id).to_owned();
                return fail(PVE, ProofProblem::DuplicatePreviousProof { id });
            }
            match matching_proofs(existing, &ids) {
                Ok(list) => Some(list),
                Err(id) => return fail(PVE, ProofProblem::PreviousProofNotFound { id }),
            }
        }
    };
    if let Some(created) = proof.get("created") {
        if created
            .as_str()
            .is_none_or(|c| Instant::parse_date_time(c).is_err())
        {
            return fail(
                PVE,
                ProofProblem::InvalidCreated {
                    value: created.clone(),
                },
            );
        }
    }
    if let Some(expires) = proof.get("expires") {
        match expires.as_str().map(|e| (e, Instant::parse_date_time(e))) {
            Some((e, Ok(at))) if expect.now.is_some_and(|now| now > at) => {
                return fail(
                    PVE,
                    ProofProblem::Expired {
                        expires: e.to_owned(),
                        now: expect
                            .now
                            .map(|n| n.to_rfc3339_seconds())
                            .unwrap_or_default(),
                    },
                )
            }
            Some((e, Ok(at))) => *expires_out = Some((e.to_owned(), at)),
            _ => {
                return fail(
                    PVE,
                    ProofProblem::InvalidExpires {
                        value: expires.clone(),
                    },
                )
            }
        }
    }
    // Ed25519Signature2020 (the legacy suite many Open Badges carry) hashes
    // exactly as eddsa-rdfc-2022 does; it has no `cryptosuite`.
    let legacy_2020 = cfg!(feature = "rdfc") && proof_type == ED25519_SIGNATURE_2020;
    if proof_type != PROOF_TYPE && !legacy_2020 {
        if KNOWN_UNSUPPORTED_PROOF_TYPES.contains(&proof_type) {
            return ProofOutcome::CouldntCheck {
                problem: ProofProblem::UnsupportedProofType {
                    proof_type: proof_type.into(),
                },
            };
        }
        return fail(
            PVE,
            ProofProblem::UnknownProofType {
                proof_type: proof_type.into(),
            },
        );
    }
    let suite = match proof.get("cryptosuite") {
        _ if legacy_2020 => CRYPTOSUITE_RDFC,
        None | Some(Value::Null) => {
            return fail(
                PVE,
                ProofProblem::MissingProperty {
                    property: "cryptosuite".into(),
                },
            )
        }
        Some(Value::String(s)) => s.as_str(),
        Some(_) => {
            return fail(
                PVE,
                ProofProblem::NotAString {
                    property: "cryptosuite".into(),
                },
            )
        }
    };
    if !verifies(suite) {
        if KNOWN_UNSUPPORTED_CRYPTOSUITES.contains(&suite) {
            return ProofOutcome::CouldntCheck {
                problem: ProofProblem::UnsupportedCryptosuite {
                    cryptosuite: suite.into(),
                },
            };
        }
        return fail(
            PVE,
            ProofProblem::UnknownCryptosuite {
                cryptosuite: suite.into(),
            },
        );
    }
    // proofValue: z + base58btc of exactly 64 bytes.
    let signature: [u8; 64] = match proof.get("proofValue") {
        None | Some(Value::Null) => {
            return fail(
                PVE,
                ProofProblem::InvalidProofValue {
                    problem: ProofValueProblem::Missing,
                },
            )
        }
        Some(Value::String(pv)) => match multibase::decode_base58btc(pv) {
            Err(e) => {
                return fail(
                    PVE,
                    ProofProblem::InvalidProofValue {
                        problem: ProofValueProblem::Multibase(e),
                    },
                )
            }
            Ok(bytes) => match <[u8; 64]>::try_from(bytes.as_slice()) {
                Ok(sig) => sig,
                Err(_) => {
                    return fail(
                        PVE,
                        ProofProblem::InvalidProofValue {
                            problem: ProofValueProblem::WrongLength(bytes.len()),
                        },
                    )
                }
            },
        },
        Some(_) => {
            return fail(
                PVE,
                ProofProblem::InvalidProofValue {
                    problem: ProofValueProblem::NotAString,
                },
            )
        }
    };
    // Key resolution: caller-supplied keys first, then did:key.
    let key = if let Some((_, k)) = expect.known_keys.iter().find(|(id, _)| id == vm) {
        *k
    } else if vm.starts_with("did:key:") {
        match did_key::resolve_verification_method(vm) {
            Ok(k) => k,
            Err(error) => {
                return fail(
                    ErrorCode::InvalidVerificationMethod,
                    ProofProblem::InvalidVerificationMethod {
                        verification_method: vm.into(),
                        error,
                    },
                )
            }
        }
    } else {
        return ProofOutcome::CouldntCheck {
            problem: ProofProblem::UnresolvableVerificationMethod {
                verification_method: vm.into(),
            },
        };
    };
    // The proof @context rule (vc-di-eddsa §3.3.2 step 2).
    let proof_context = proof.get("@context");
    if let Some(pctx) = proof_context {
        let want = as_context_list(pctx);
        let have = doc.get("@context").map(as_context_list).unwrap_or_default();
        if have.len() < want.len() || have.iter().zip(want.iter()).any(|(a, b)| a != b) {
            return fail(
                PVE,
                ProofProblem::ContextMismatch {
                    proof_context: pctx.clone(),
                    document_context: doc.get("@context").cloned(),
                },
            );
        }
    }
    #[cfg(feature = "rdfc")]
    if suite == CRYPTOSUITE_RDFC {
        return match rdfc_hash_data(doc, proof, chain.as_ref(), proof_context) {
            Ok(hash) if key.verify_strict(&hash, &signature) => ProofOutcome::Verified,
            Ok(_) => fail(
                ErrorCode::CryptographicSecurityError,
                ProofProblem::SignatureMismatch,
            ),
            Err(crate::jsonld::JsonLdProblem::UnknownContext { url }) => {
                ProofOutcome::CouldntCheck {
                    problem: ProofProblem::UnknownContext { url },
                }
            }
            Err(problem) => fail(
                ErrorCode::ProofTransformationError,
                ProofProblem::Canonicalization {
                    message: format!("{problem:?}"),
                },
            ),
        };
    }
    let canon = |e: jcs::JcsError| ProofProblem::Canonicalization { message: e.message };
    let config = match jcs::object_view_to_vec(proof, &[("proofValue", None)]) {
        Ok(c) => c,
        Err(e) => return fail(ErrorCode::ProofTransformationError, canon(e)),
    };
    let mut overrides: Vec<(&str, Option<&Value>)> = vec![("proof", chain.as_ref())];
    if let Some(pctx) = proof_context {
        overrides.push(("@context", Some(pctx)));
    }
    let document = match jcs::object_view_to_vec(doc, &overrides) {
        Ok(d) => d,
        Err(e) => return fail(ErrorCode::ProofTransformationError, canon(e)),
    };
    if key.verify_strict(&hash_data(&config, &document), &signature) {
        ProofOutcome::Verified
    } else {
        fail(
            ErrorCode::CryptographicSecurityError,
            ProofProblem::SignatureMismatch,
        )
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use serde_json::json;

    #[test]
    fn a_prepared_proof_signs_and_hashes_like_add_proof() {
        let key = SecretKey::from_bytes(&[3u8; 32]);
        let options = ProofOptions::assertion("did:example:issuer#key-1")
            .with_created("2025-01-01T00:00:00Z");
        let context = json!(["https://www.w3.org/ns/credentials/v2"]);
        let prepared = PreparedProof::new(Some(&context), &options).unwrap();
        // Keys around "proof", non-ASCII keys, and U+FFFF vs U+10000, which
        // sort differently by UTF-16 code units than by code points.
        let doc = json!({
            "@context": context,
            "prooe": 1, "proofs": [1.5, "x"], "pro": null, "é": "ü",
            "\u{ffff}": true, "\u{10000}": false, "a\"b": {"z": 1, "a": [2, 1]},
        });
        let mut signed = doc.clone();
        let leaf = prepared
            .sign_in_place(&mut signed, &key, &options, &mut NoRdfc)
            .unwrap();
        assert_eq!(signed, add_proof(&doc, &key, &options).unwrap());
        assert_eq!(leaf, sha256(&jcs::to_vec(&signed).unwrap()));
        // Another context, or an existing proof: the general path.
        for other in [
            json!({"@context": ["https://www.w3.org/2018/credentials/v1"], "a": 1}),
            json!({"@context": context, "proof": {"type": "DataIntegrityProof"}}),
        ] {
            let mut d = other.clone();
            let leaf = prepared
                .sign_in_place(&mut d, &key, &options, &mut NoRdfc)
                .unwrap();
            assert_eq!(d, add_proof(&other, &key, &options).unwrap());
            assert_eq!(leaf, sha256(&jcs::to_vec(&d).unwrap()));
        }
        // Prepared for a VC 1.1 context, the same: the context is completed.
        let v1 = json!(["https://www.w3.org/2018/credentials/v1"]);
        let prepared = PreparedProof::new(Some(&v1), &options).unwrap();
        let doc = json!({"@context": v1, "a": 1});
        let mut d = doc.clone();
        prepared
            .sign_in_place(&mut d, &key, &options, &mut NoRdfc)
            .unwrap();
        assert_eq!(d, add_proof(&doc, &key, &options).unwrap());
        assert_eq!(d["@context"][1], DATA_INTEGRITY_CONTEXT_V2);
    }

    #[test]
    fn a_document_without_a_proof_context_gets_the_data_integrity_context() {
        let key = SecretKey::from_bytes(&[5u8; 32]);
        let options = ProofOptions::assertion("did:example:issuer#key-1")
            .with_created("2025-01-01T00:00:00Z");
        let v1 = "https://www.w3.org/2018/credentials/v1";
        let di = DATA_INTEGRITY_CONTEXT_V2;
        let v2 = crate::vcdm::CONTEXT_V2;
        for (context, expected) in [
            (json!(v1), json!([v1, di])),
            (json!([v1]), json!([v1, di])),
            (json!([v1, di]), json!([v1, di])),
            (
                json!([v1, "https://w3id.org/security/data-integrity/v1"]),
                json!([v1, "https://w3id.org/security/data-integrity/v1"]),
            ),
            (json!(v2), json!(v2)),
            (
                json!([
                    v2,
                    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
                ]),
                json!([
                    v2,
                    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
                ]),
            ),
        ] {
            let signed = add_proof(&json!({"@context": context, "a": 1}), &key, &options).unwrap();
            assert_eq!(signed["@context"], expected);
            // The proof signs the completed document (jcs: the proof's own
            // @context is the document's).
            assert_eq!(signed["proof"]["@context"], expected);
        }
        // No @context at all: left alone.
        let signed = add_proof(&json!({"a": 1}), &key, &options).unwrap();
        assert!(signed.get("@context").is_none());
    }
}
