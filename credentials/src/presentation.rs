//! Verifiable Presentations: a holder (a student's did:key) wraps credentials
//! and signs with `proofPurpose: authentication`, the verifier's `challenge`
//! and `domain`; verification checks them and every credential inside
//! (see [`crate::verify::verify_presentation`]).

use crate::di::ProofOptions;
use crate::did_key::DidKey;
use crate::issue::{self, IssueError};
use crate::keys::SecretKey;
use crate::vcdm::CONTEXT_V2;
use serde_json::{json, Map, Value};

pub use crate::verify::{verify_presentation, verify_presentation_value};

/// An unsigned presentation by `holder` of `credentials` (with an optional
/// presentation `id`, a URL such as `urn:uuid:…`).
pub fn unsigned_presentation(holder: &str, credentials: Vec<Value>, id: Option<&str>) -> Value {
    let mut vp = Map::new();
    vp.insert("@context".into(), json!([CONTEXT_V2]));
    if let Some(id) = id {
        vp.insert("id".into(), id.into());
    }
    vp.insert("type".into(), json!(["VerifiablePresentation"]));
    vp.insert("holder".into(), holder.into());
    if !credentials.is_empty() {
        vp.insert("verifiableCredential".into(), Value::Array(credentials));
    }
    Value::Object(vp)
}

/// Signs `presentation` as its holder: `authentication` purpose with the
/// verifier's `challenge` and `domain`, `created` as given.
pub fn sign_presentation(
    presentation: &Value,
    key: &SecretKey,
    challenge: &str,
    domain: &str,
    created: Option<&str>,
) -> Result<Value, IssueError> {
    let did = DidKey::from_public_key(key.public_key());
    let mut options = ProofOptions::authentication(did.verification_method_id(), challenge, domain);
    options.created = created.map(str::to_owned);
    issue::sign(presentation, key, &options)
}
