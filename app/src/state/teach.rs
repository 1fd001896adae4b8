//! The teacher's desk: the school's issuer identity and profile, custom
//! programme templates, and every credential issued from this browser (with
//! its revocation state), stored in IndexedDB under a versioned key.
//!
//! A stored desk that cannot be read is never overwritten: the page shows a
//! recovery screen with the raw text to download first.

use crate::platform::{clock, idb, random};
use credentials::ob3::{
    Achievement, BilingualText, CredentialDraft, HashedIdentifier, IdentityType, IssuerProfile,
    LanguageMode, Recipient,
};
use credentials::{sign, DidKey, ProofOptions, SecretKey};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::rc::Rc;
use yew::prelude::*;

/// IndexedDB key of the desk.
pub const STORAGE_KEY: &str = "chainclass.teach.v1";
/// The `format` tag of the stored desk.
pub const FORMAT: &str = "chainclass-teacher";
/// The current format version.
pub const VERSION: u32 = 1;
/// Largest logo accepted (bytes).
pub const MAX_LOGO: f64 = 200.0 * 1024.0;

/// The school's issuer identity and public profile.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct IssuerSetup {
    /// The signing key as a W3C secret Multikey (`z3u2…`).
    pub secret_key_multibase: String,
    /// School name in English.
    pub name_en: String,
    /// School name in Chinese.
    pub name_zh: String,
    /// School website.
    pub url: String,
    /// Logo as a `data:` URL (printed certificates only; kept out of the
    /// credential so links and QR codes stay small).
    pub logo: Option<String>,
    /// Base URL where status lists are published (the ChainClass site).
    pub status_base_url: String,
}

impl IssuerSetup {
    /// The signing key.
    pub fn key(&self) -> Option<SecretKey> {
        SecretKey::from_multibase(&self.secret_key_multibase).ok()
    }

    /// The issuer's did:key.
    pub fn did(&self) -> Option<DidKey> {
        self.key().map(|k| DidKey::from_public_key(k.public_key()))
    }

    /// The school name in the credential's bilingual form.
    pub fn name(&self) -> BilingualText {
        let en = if self.name_en.trim().is_empty() {
            "School".to_owned()
        } else {
            self.name_en.trim().to_owned()
        };
        if self.name_zh.trim().is_empty() {
            BilingualText::en(en)
        } else {
            BilingualText::new(en, self.name_zh.trim())
        }
    }
}

/// A programme template the teacher wrote.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct CustomTemplate {
    /// Stable key (`custom-…`).
    pub key: String,
    /// The achievement's id (a `urn:uuid:` URL).
    pub achievement_id: String,
    /// Name (English).
    pub name_en: String,
    /// Name (Chinese).
    pub name_zh: String,
    /// Description (English).
    pub description_en: String,
    /// Description (Chinese).
    pub description_zh: String,
    /// Criteria (English).
    pub criteria_en: String,
    /// Criteria (Chinese).
    pub criteria_zh: String,
    /// Credits or hours, free text.
    pub credits: String,
}

fn bilingual(en: &str, zh: &str) -> BilingualText {
    if zh.trim().is_empty() {
        BilingualText::en(en.trim())
    } else {
        BilingualText::new(en.trim(), zh.trim())
    }
}

impl CustomTemplate {
    /// The template as an OB3 achievement.
    pub fn achievement(&self) -> Achievement {
        let mut criteria = bilingual(&self.criteria_en, &self.criteria_zh);
        if !self.credits.trim().is_empty() {
            criteria.en = format!("{} ({})", criteria.en, self.credits.trim());
        }
        Achievement {
            id: self.achievement_id.clone(),
            achievement_type: Some("Certificate".into()),
            name: bilingual(&self.name_en, &self.name_zh),
            description: bilingual(&self.description_en, &self.description_zh),
            criteria,
            criteria_id: None,
            image: None,
        }
    }
}

/// A template to issue from: built-in or custom.
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateChoice {
    /// Stable key.
    pub key: String,
    /// English name.
    pub name_en: String,
    /// Chinese name.
    pub name_zh: String,
    /// The achievement.
    pub achievement: Achievement,
}

/// A revocation or suspension note (kept in this browser only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusNote {
    /// When.
    pub at: String,
    /// Why.
    pub reason: String,
}

/// A credential issued from this browser.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IssuedRecord {
    /// The credential id (`urn:uuid:…`).
    pub id: String,
    /// When it was issued.
    pub issued_at: String,
    /// Template key.
    pub template: String,
    /// The student's name as the teacher typed it (for the list and prints).
    pub student: String,
    /// Batch id, for class batches.
    #[serde(default)]
    pub batch: Option<String>,
    /// The signed credential.
    pub credential: Value,
    /// Ledger anchor receipt, for anchored batches.
    #[serde(default)]
    pub receipt: Option<Value>,
    /// Index in the revocation status list, when it has one.
    #[serde(default)]
    pub revocation_index: Option<u64>,
    /// Index in the suspension status list, when it has one.
    #[serde(default)]
    pub suspension_index: Option<u64>,
    /// Set when revoked.
    #[serde(default)]
    pub revoked: Option<StatusNote>,
    /// Set while suspended.
    #[serde(default)]
    pub suspended: Option<StatusNote>,
}

/// Everything the teacher's desk stores.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Desk {
    /// Always [`FORMAT`].
    pub format: String,
    /// Format version.
    pub version: u32,
    /// The school identity, once set up.
    pub issuer: Option<IssuerSetup>,
    /// Custom templates.
    pub templates: Vec<CustomTemplate>,
    /// Issued credentials, oldest first.
    pub issued: Vec<IssuedRecord>,
    /// Status-list state (revocation and suspension), as stored by the status-list code.
    #[serde(default)]
    pub status_lists: Value,
    /// The class ledger export the batches were anchored in.
    #[serde(default)]
    pub ledger: Option<String>,
}

impl Default for Desk {
    fn default() -> Self {
        Desk {
            format: FORMAT.into(),
            version: VERSION,
            issuer: None,
            templates: Vec::new(),
            issued: Vec::new(),
            status_lists: Value::Null,
            ledger: None,
        }
    }
}

/// Why stored desk text could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeskTextError {
    /// Not JSON or not the desk's shape.
    NotADesk(String),
    /// Saved by a newer version.
    NewerVersion(u32),
}

impl Desk {
    /// Parses stored desk text.
    pub fn from_text(text: &str) -> Result<Desk, DeskTextError> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| DeskTextError::NotADesk(e.to_string()))?;
        if value.get("format").and_then(Value::as_str) != Some(FORMAT) {
            return Err(DeskTextError::NotADesk(
                "not a ChainClass teacher's desk".into(),
            ));
        }
        match value.get("version").and_then(Value::as_u64) {
            Some(v) if v > u64::from(VERSION) => {
                return Err(DeskTextError::NewerVersion(
                    u32::try_from(v).unwrap_or(u32::MAX),
                ))
            }
            Some(_) => {}
            None => return Err(DeskTextError::NotADesk("no version".into())),
        }
        serde_json::from_value(value).map_err(|e| DeskTextError::NotADesk(e.to_string()))
    }

    /// The stored text.
    pub fn to_text(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Every template to issue from: the built-in programmes, then custom ones.
    pub fn template_choices(&self) -> Vec<TemplateChoice> {
        credentials::templates::ALL
            .iter()
            .filter(|t| !t.custom)
            .map(|t| TemplateChoice {
                key: t.key.to_owned(),
                name_en: t.name.en.to_owned(),
                name_zh: t.name.zh_hant.to_owned(),
                achievement: t.achievement(),
            })
            .chain(self.templates.iter().map(|c| TemplateChoice {
                key: c.key.clone(),
                name_en: c.name_en.clone(),
                name_zh: c.name_zh.clone(),
                achievement: c.achievement(),
            }))
            .collect()
    }

    /// The template with `key`.
    pub fn template(&self, key: &str) -> Option<TemplateChoice> {
        self.template_choices().into_iter().find(|t| t.key == key)
    }
}

/// How the student is identified in the credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum IdentifyBy {
    /// Salted hash of the e-mail (default: private).
    #[default]
    Email,
    /// Salted hash of the student number.
    StudentId,
    /// The student's wallet did:key.
    Did,
}

/// One student to issue to.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct StudentInput {
    /// Name as printed.
    pub name: String,
    /// Put the name in the credential (unhashed `IdentityObject` of type `name`).
    pub show_name: bool,
    /// How to identify.
    pub by: IdentifyBy,
    /// E-mail, student number or did:key, per `by`.
    pub identifier: String,
}

/// Why one credential could not be issued.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IssueProblem {
    /// No school identity yet.
    NoIssuer,
    /// No such template.
    NoTemplate,
    /// No student name.
    NoName,
    /// Not an e-mail address.
    BadEmail,
    /// Empty student number.
    NoStudentId,
    /// Not a did:key.
    BadDid,
    /// Dates are not valid.
    BadDates,
    /// The browser gave no randomness.
    NoRandomness,
    /// The credentials crate refused (text for the technical detail).
    Refused(String),
}

/// A plausible e-mail address (something@something.something, no spaces).
pub fn looks_like_email(s: &str) -> bool {
    let s = s.trim();
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

/// A random `urn:uuid:` (version 4).
pub fn random_urn_uuid() -> Result<String, IssueProblem> {
    let mut b = random::bytes32().map_err(|_| IssueProblem::NoRandomness)?;
    if let Some(x) = b.get_mut(6) {
        *x = (*x & 0x0f) | 0x40;
    }
    if let Some(x) = b.get_mut(8) {
        *x = (*x & 0x3f) | 0x80;
    }
    let hex: String = b.iter().take(16).map(|x| format!("{x:02x}")).collect();
    let part = |r: std::ops::Range<usize>| hex.get(r).unwrap_or("").to_owned();
    Ok(format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        part(0..8),
        part(8..12),
        part(12..16),
        part(16..20),
        part(20..32)
    ))
}

fn random_salt() -> Result<String, IssueProblem> {
    let b = random::bytes32().map_err(|_| IssueProblem::NoRandomness)?;
    Ok(b.iter().take(16).map(|x| format!("{x:02x}")).collect())
}

/// Builds the unsigned credential for one student (checks the input first).
pub fn draft(
    issuer: &IssuerSetup,
    template: &TemplateChoice,
    student: &StudentInput,
    valid_from: &str,
    valid_until: Option<&str>,
    credential_status: Option<Value>,
) -> Result<Value, IssueProblem> {
    let did = issuer.did().ok_or(IssueProblem::NoIssuer)?;
    if student.name.trim().is_empty() {
        return Err(IssueProblem::NoName);
    }
    let ident = student.identifier.trim();
    let recipient = match student.by {
        IdentifyBy::Email => {
            if !looks_like_email(ident) {
                return Err(IssueProblem::BadEmail);
            }
            Recipient {
                did: None,
                identifiers: vec![HashedIdentifier::new(
                    IdentityType::EmailAddress,
                    ident,
                    &random_salt()?,
                )
                .map_err(|e| IssueProblem::Refused(format!("{e:?}")))?],
            }
        }
        IdentifyBy::StudentId => {
            if ident.is_empty() {
                return Err(IssueProblem::NoStudentId);
            }
            Recipient {
                did: None,
                identifiers: vec![HashedIdentifier::new(
                    IdentityType::StudentId,
                    ident,
                    &random_salt()?,
                )
                .map_err(|e| IssueProblem::Refused(format!("{e:?}")))?],
            }
        }
        IdentifyBy::Did => {
            DidKey::parse(ident).map_err(|_| IssueProblem::BadDid)?;
            Recipient {
                did: Some(ident.to_owned()),
                identifiers: Vec::new(),
            }
        }
    };
    let draft = CredentialDraft {
        id: random_urn_uuid()?,
        issuer: IssuerProfile {
            id: did.as_str().to_owned(),
            name: issuer.name(),
            url: Some(issuer.url.trim().to_owned()).filter(|u| !u.is_empty()),
            email: None,
            image: None,
        },
        achievement: template.achievement.clone(),
        recipient,
        valid_from: valid_from.to_owned(),
        valid_until: valid_until.map(str::to_owned),
        awarded_date: Some(valid_from.to_owned()),
        language: LanguageMode::Bilingual,
        credential_status,
    };
    let mut unsigned = draft.to_unsigned().map_err(|e| match e {
        credentials::ob3::Ob3Error::ValidFromAfterValidUntil => IssueProblem::BadDates,
        other => IssueProblem::Refused(format!("{other:?}")),
    })?;
    if student.show_name {
        if let Some(subject) = unsigned.get_mut("credentialSubject") {
            let name = json!({
                "type": "IdentityObject",
                "identityHash": student.name.trim(),
                "identityType": "name",
                "hashed": false
            });
            match subject.get_mut("identifier").and_then(Value::as_array_mut) {
                Some(list) => list.insert(0, name),
                None => {
                    if let Some(obj) = subject.as_object_mut() {
                        obj.insert("identifier".into(), Value::Array(vec![name]));
                    }
                }
            }
        }
    }
    Ok(unsigned)
}

/// Signs an unsigned credential with the school's key.
pub fn sign_credential(issuer: &IssuerSetup, unsigned: &Value) -> Result<Value, IssueProblem> {
    let key = issuer.key().ok_or(IssueProblem::NoIssuer)?;
    let did = DidKey::from_public_key(key.public_key());
    let mut options = ProofOptions::assertion(did.verification_method_id());
    options.created = Some(clock::now_rfc3339());
    sign(unsigned, &key, &options).map_err(|e| IssueProblem::Refused(format!("{e:?}")))
}

/// The page state of the desk.
#[derive(Clone, Debug, PartialEq)]
pub enum DeskState {
    /// Reading IndexedDB.
    Loading,
    /// The desk and whether it needs saving.
    Ready {
        /// The desk.
        desk: Rc<Desk>,
        /// Changed since last saved.
        dirty: bool,
    },
    /// Stored data that cannot be read.
    Damaged {
        /// The raw text.
        raw: String,
        /// Why.
        reason: DeskTextError,
    },
    /// IndexedDB unavailable.
    Unavailable(String),
}

/// Changes to the desk.
#[derive(Clone, Debug, PartialEq)]
pub enum DeskAction {
    /// The stored desk was read.
    Loaded(Result<Option<String>, String>),
    /// Set (create or import) the school identity, keeping the profile.
    SetKey(String),
    /// Save the profile fields.
    SetProfile(IssuerSetup),
    /// Add or replace a custom template (by key).
    SaveTemplate(CustomTemplate),
    /// Delete a custom template.
    DeleteTemplate(String),
    /// Record issued credentials.
    Issued(Vec<IssuedRecord>),
    /// Replace the whole desk (status changes computed by the caller).
    Replace(Desk),
    /// Start over after a damaged store (the user confirmed).
    Reset,
    /// The desk was saved.
    Saved,
}

impl Reducible for DeskState {
    type Action = DeskAction;

    fn reduce(self: Rc<Self>, action: DeskAction) -> Rc<Self> {
        let ready = |desk: Desk| {
            Rc::new(DeskState::Ready {
                desk: Rc::new(desk),
                dirty: true,
            })
        };
        match (action, &*self) {
            (DeskAction::Loaded(Ok(None)), _) => Rc::new(DeskState::Ready {
                desk: Rc::new(Desk::default()),
                dirty: false,
            }),
            (DeskAction::Loaded(Ok(Some(raw))), _) => match Desk::from_text(&raw) {
                Ok(desk) => Rc::new(DeskState::Ready {
                    desk: Rc::new(desk),
                    dirty: false,
                }),
                Err(reason) => Rc::new(DeskState::Damaged { raw, reason }),
            },
            (DeskAction::Loaded(Err(e)), _) => Rc::new(DeskState::Unavailable(e)),
            (DeskAction::Reset, DeskState::Damaged { .. }) => ready(Desk::default()),
            (action, DeskState::Ready { desk, .. }) => {
                let mut d = (**desk).clone();
                match action {
                    DeskAction::SetKey(sk) => {
                        let mut issuer = d.issuer.take().unwrap_or_default();
                        issuer.secret_key_multibase = sk;
                        d.issuer = Some(issuer);
                    }
                    DeskAction::SetProfile(mut p) => {
                        if let Some(current) = &d.issuer {
                            p.secret_key_multibase = current.secret_key_multibase.clone();
                        }
                        d.issuer = Some(p);
                    }
                    DeskAction::SaveTemplate(t) => {
                        match d.templates.iter_mut().find(|x| x.key == t.key) {
                            Some(x) => *x = t,
                            None => d.templates.push(t),
                        }
                    }
                    DeskAction::DeleteTemplate(key) => d.templates.retain(|t| t.key != key),
                    DeskAction::Issued(records) => d.issued.extend(records),
                    DeskAction::Replace(new) => d = new,
                    DeskAction::Saved => {
                        return Rc::new(DeskState::Ready {
                            desk: desk.clone(),
                            dirty: false,
                        })
                    }
                    DeskAction::Loaded(_) | DeskAction::Reset => return self,
                }
                ready(d)
            }
            _ => self,
        }
    }
}

/// Reads the stored desk text.
pub async fn load() -> Result<Option<String>, String> {
    idb::get(STORAGE_KEY).await.map_err(|e| e.to_string())
}

/// Stores the desk.
pub async fn save(desk: &Desk) -> Result<(), String> {
    idb::put(STORAGE_KEY, &desk.to_text())
        .await
        .map_err(|e| e.to_string())
}

/// Loads the desk into a reducer and saves it whenever it changes.
#[hook]
pub fn use_desk() -> (UseReducerHandle<DeskState>, UseStateHandle<Option<String>>) {
    let state = use_reducer(|| DeskState::Loading);
    let save_error = use_state(|| None::<String>);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                state.dispatch(DeskAction::Loaded(load().await));
            });
        });
    }
    {
        let state_for_save = state.clone();
        let save_error = save_error.clone();
        use_effect_with((*state).clone(), move |s| {
            if let DeskState::Ready { desk, dirty: true } = s {
                let desk = desk.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    match save(&desk).await {
                        Ok(()) => {
                            save_error.set(None);
                            state_for_save.dispatch(DeskAction::Saved);
                        }
                        Err(e) => save_error.set(Some(e)),
                    }
                });
            }
        });
    }
    (state, save_error)
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn email_check_accepts_addresses_and_refuses_the_rest() {
        for ok in ["a@b.hk", "chan.tai.man@student.school.edu.hk"] {
            assert!(looks_like_email(ok), "{ok}");
        }
        for bad in [
            "", "a", "a@b", "@b.hk", "a b@c.hk", "a@.hk", "a@b.", "a@b@c.hk",
        ] {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }

    #[test]
    fn stored_desk_round_trips_and_newer_versions_are_refused() {
        let mut d = Desk::default();
        d.templates.push(CustomTemplate {
            key: "custom-1".into(),
            name_en: "Robotics Club".into(),
            ..Default::default()
        });
        assert_eq!(Desk::from_text(&d.to_text()).unwrap(), d);
        assert_eq!(
            Desk::from_text(r#"{"format":"chainclass-teacher","version":2}"#),
            Err(DeskTextError::NewerVersion(2))
        );
        assert!(matches!(
            Desk::from_text("[1,2"),
            Err(DeskTextError::NotADesk(_))
        ));
    }

    #[test]
    fn built_in_programmes_come_first() {
        let d = Desk::default();
        let keys: Vec<_> = d.template_choices().into_iter().map(|t| t.key).collect();
        assert!(keys.contains(&"it-innovation-lab".to_string()));
        assert!(keys.contains(&"stem-internship".to_string()));
        assert!(keys.contains(&"knowing-more-about-it".to_string()));
    }

    #[test]
    fn damaged_store_waits_for_an_explicit_reset() {
        let s = Rc::new(DeskState::Loading).reduce(DeskAction::Loaded(Ok(Some("{bad".into()))));
        let s = s.reduce(DeskAction::SetKey("z3u2x".into()));
        assert!(matches!(&*s, DeskState::Damaged { .. }));
        let s = s.reduce(DeskAction::Reset);
        assert!(matches!(&*s, DeskState::Ready { .. }));
    }
}
