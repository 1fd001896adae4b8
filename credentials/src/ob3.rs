//! Open Badges 3.0 (1EdTech): a typed builder that turns a programme template,
//! an issuer Profile, a recipient and dates into an unsigned
//! `OpenBadgeCredential` (a `serde_json::Value`), the salted recipient hash,
//! and the OB3 profile check a verifier runs.
//!
//! # Bilingual text
//! Open Badges 3.0's JSON Schema types `name`, `description` and
//! `criteria.narrative` as plain strings, while VCDM 2.0 also allows language
//! value objects. A certificate must pass both, so ChainClass writes every
//! human text as **one plain string**. [`LanguageMode::Bilingual`] (the
//! default) writes English, then Traditional Chinese: names joined by
//! `" / "`, long texts by a blank line. [`LanguageMode::English`] and
//! [`LanguageMode::TraditionalChinese`] write one language and set the
//! Achievement's `inLanguage` (`en`, `zh-Hant-HK`). Every verifier shows the
//! text as is; the ChainClass app can also recognise the template by the
//! Achievement `id` and show its own localised copy.
//!
//! # Recipient privacy
//! A student's e-mail address or student number never appears in plain text:
//! it is stored as an OB3 `IdentityObject` with `hashed: true`,
//! `identityHash = "sha256$" + hex(SHA-256(normalised value + salt))` and the
//! salt (supplied by the caller; this crate has no RNG).

use crate::iri::is_url;
use crate::time::Instant;
use crate::vcdm::{self, CONTEXT_V2};
use serde::Serialize;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::fmt;

/// The Open Badges 3.0 context this crate writes.
pub const OB3_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// Prefix of every OB 3.0.x context URL (`context-3.x.y.json` is accepted).
pub const OB3_CONTEXT_PREFIX: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.";
/// Language tag used for Traditional Chinese (Hong Kong).
pub const ZH_HANT_HK: &str = "zh-Hant-HK";

/// A text in English and (optionally) Traditional Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BilingualText {
    /// English.
    pub en: String,
    /// 繁體中文 (Hong Kong).
    pub zh_hant: Option<String>,
}

impl BilingualText {
    /// English and Traditional Chinese.
    pub fn new(en: impl Into<String>, zh_hant: impl Into<String>) -> Self {
        BilingualText {
            en: en.into(),
            zh_hant: Some(zh_hant.into()),
        }
    }

    /// English only.
    pub fn en(en: impl Into<String>) -> Self {
        BilingualText {
            en: en.into(),
            zh_hant: None,
        }
    }

    /// The single string written for `mode` (see the module docs).
    pub fn render(&self, mode: LanguageMode, long: bool) -> String {
        let zh = self.zh_hant.as_deref().filter(|z| !z.trim().is_empty());
        match (mode, zh) {
            (LanguageMode::TraditionalChinese, Some(zh)) => zh.to_owned(),
            (LanguageMode::Bilingual, Some(zh)) if !self.en.trim().is_empty() => {
                let sep = if long { "\n\n" } else { " / " };
                format!("{}{sep}{zh}", self.en)
            }
            (LanguageMode::Bilingual, Some(zh)) => zh.to_owned(),
            _ => self.en.clone(),
        }
    }

    fn is_blank(&self) -> bool {
        self.en.trim().is_empty() && self.zh_hant.as_deref().is_none_or(|z| z.trim().is_empty())
    }
}

/// Which language(s) the credential's texts are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LanguageMode {
    /// English then Traditional Chinese in each string (default).
    #[default]
    Bilingual,
    /// English only (`inLanguage: "en"`).
    English,
    /// Traditional Chinese only (`inLanguage: "zh-Hant-HK"`); falls back to
    /// English for a text without Chinese.
    TraditionalChinese,
}

/// The kind of identifier hashed into the recipient's `IdentityObject`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdentityType {
    /// An e-mail address (`emailAddress`); normalised by trimming and
    /// lower-casing.
    EmailAddress,
    /// A school student number. OB3's `IdentifierTypeEnum` has no
    /// `studentId`; a student number is the student's identifier in the
    /// school's student information system, so it is written as
    /// `sisSourcedId`. Normalised by trimming.
    StudentId,
    /// Any other OB3 identifier type (an enum value or an `ext:` extension),
    /// normalised by trimming.
    Other(String),
}

impl IdentityType {
    /// The OB3 `identityType` string.
    pub fn as_ob3(&self) -> &str {
        match self {
            IdentityType::EmailAddress => "emailAddress",
            IdentityType::StudentId => "sisSourcedId",
            IdentityType::Other(s) => s,
        }
    }

    /// The value as it is hashed.
    pub fn normalise(&self, value: &str) -> String {
        match self {
            IdentityType::EmailAddress => value.trim().to_lowercase(),
            _ => value.trim().to_owned(),
        }
    }
}

/// `"sha256$" + hex(SHA-256(value ‖ salt))` (OB3 IdentityHash, lower-case hex).
pub fn identity_hash(value: &str, salt: &str) -> String {
    let mut h = Sha256::new();
    h.update(value.as_bytes());
    h.update(salt.as_bytes());
    let digest = h.finalize();
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256$");
    let hex = |n: u8| char::from_digit(u32::from(n), 16).unwrap_or('0');
    for b in digest {
        out.push(hex(b >> 4));
        out.push(hex(b & 15));
    }
    out
}

/// A hashed recipient identifier (OB3 `IdentityObject`, `hashed: true`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashedIdentifier {
    /// Kind of identifier.
    pub identity_type: IdentityType,
    /// `sha256$…`.
    pub identity_hash: String,
    /// The salt appended before hashing.
    pub salt: String,
}

impl HashedIdentifier {
    /// Hashes `value` (normalised for its type) with `salt`. The salt must be
    /// non-empty: an unsalted hash of an e-mail address is easy to reverse.
    pub fn new(identity_type: IdentityType, value: &str, salt: &str) -> Result<Self, Ob3Error> {
        if salt.is_empty() {
            return Err(Ob3Error::EmptySalt);
        }
        let normalised = identity_type.normalise(value);
        if normalised.is_empty() {
            return Err(Ob3Error::EmptyText {
                field: "identifier".into(),
            });
        }
        Ok(HashedIdentifier {
            identity_hash: identity_hash(&normalised, salt),
            identity_type,
            salt: salt.to_owned(),
        })
    }

    pub(crate) fn to_value(&self) -> Value {
        json!({
            "type": "IdentityObject",
            "identityHash": self.identity_hash,
            "identityType": self.identity_type.as_ob3(),
            "hashed": true,
            "salt": self.salt,
        })
    }
}

/// Whether `credential`'s subject has a hashed identifier of `identity_type`
/// matching `value` (OB3 verification step 5, "verify the recipient").
pub fn recipient_matches(credential: &Value, identity_type: &IdentityType, value: &str) -> bool {
    let normalised = identity_type.normalise(value);
    let Some(ids) = credential
        .get("credentialSubject")
        .and_then(|s| s.get("identifier"))
        .and_then(Value::as_array)
    else {
        return false;
    };
    ids.iter().any(|id| {
        let s = |k: &str| id.get(k).and_then(Value::as_str);
        if s("identityType") != Some(identity_type.as_ob3()) {
            return false;
        }
        match (id.get("hashed").and_then(Value::as_bool), s("identityHash")) {
            (Some(true), Some(hash)) => {
                let (alg, hex) = hash.split_once('$').unwrap_or(("", ""));
                alg == "sha256"
                    && hex.eq_ignore_ascii_case(
                        identity_hash(&normalised, s("salt").unwrap_or(""))
                            .get(7..)
                            .unwrap_or(""),
                    )
            }
            (Some(false), Some(plain)) => plain == normalised,
            _ => false,
        }
    })
}

/// An OB3 `Image`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// URL of the image (`https:` or a `data:` URL).
    pub id: String,
    /// Alternative text.
    pub caption: Option<String>,
}

impl Image {
    fn to_value(&self) -> Value {
        let mut v = json!({"id": self.id, "type": "Image"});
        if let (Some(c), Some(o)) = (&self.caption, v.as_object_mut()) {
            o.insert("caption".into(), c.clone().into());
        }
        v
    }
}

/// The issuer's OB3 `Profile` (the school or teacher).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerProfile {
    /// The issuer's DID (`did:key:…`), which must control the signing key.
    pub id: String,
    /// Display name.
    pub name: BilingualText,
    /// Web site.
    pub url: Option<String>,
    /// Contact e-mail.
    pub email: Option<String>,
    /// Logo.
    pub image: Option<Image>,
}

/// An OB3 `Achievement` (what was achieved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Achievement {
    /// Stable URI of the achievement (templates use `urn:chainclass:…`).
    pub id: String,
    /// OB3 `achievementType` (e.g. `CertificateOfCompletion`).
    pub achievement_type: Option<String>,
    /// Name.
    pub name: BilingualText,
    /// Description.
    pub description: BilingualText,
    /// `criteria.narrative`.
    pub criteria: BilingualText,
    /// `criteria.id` (a page describing the criteria), if any.
    pub criteria_id: Option<String>,
    /// Badge image.
    pub image: Option<Image>,
}

/// Who receives the credential: a holder DID and/or hashed identifiers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Recipient {
    /// The student's holder DID (`did:key:…`), if the student has a wallet.
    pub did: Option<String>,
    /// Hashed e-mail / student number.
    pub identifiers: Vec<HashedIdentifier>,
}

/// Everything needed to build an unsigned `OpenBadgeCredential`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialDraft {
    /// Credential id (a URL, e.g. `urn:uuid:…` made by the caller).
    pub id: String,
    /// Issuer profile.
    pub issuer: IssuerProfile,
    /// The achievement.
    pub achievement: Achievement,
    /// The recipient.
    pub recipient: Recipient,
    /// `validFrom` (required by OB3): a dateTimeStamp, written verbatim.
    pub valid_from: String,
    /// `validUntil`, if the certificate expires.
    pub valid_until: Option<String>,
    /// `awardedDate`, if different from `validFrom`.
    pub awarded_date: Option<String>,
    /// Language of the texts.
    pub language: LanguageMode,
    /// A `credentialStatus` entry (e.g. a `BitstringStatusListEntry`).
    pub credential_status: Option<Value>,
}

/// Why a draft could not be built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Ob3Error {
    /// A salt is needed for hashed identifiers.
    EmptySalt,
    /// The recipient has neither a DID nor an identifier.
    NoRecipient,
    /// A required text is empty.
    EmptyText {
        /// Which field.
        field: String,
    },
    /// A value that must be a URL is not.
    InvalidUrl {
        /// Which field.
        field: String,
        /// The value.
        value: String,
    },
    /// A date that must be a dateTimeStamp is not.
    InvalidDate {
        /// Which field.
        field: String,
        /// The value.
        value: String,
    },
    /// `validFrom` is after `validUntil`.
    ValidFromAfterValidUntil,
}

impl fmt::Display for Ob3Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ob3Error::EmptySalt => f.write_str("a hashed identifier needs a salt"),
            Ob3Error::NoRecipient => f.write_str("the recipient has no DID and no identifier"),
            Ob3Error::EmptyText { field } => write!(f, "{field} is empty"),
            Ob3Error::InvalidUrl { field, value } => write!(f, "{field} {value:?} is not a URL"),
            Ob3Error::InvalidDate { field, value } => {
                write!(f, "{field} {value:?} is not a dateTimeStamp")
            }
            Ob3Error::ValidFromAfterValidUntil => f.write_str("validFrom is after validUntil"),
        }
    }
}

impl std::error::Error for Ob3Error {}

fn url(field: &str, value: &str) -> Result<Value, Ob3Error> {
    if is_url(value) {
        Ok(value.into())
    } else {
        Err(Ob3Error::InvalidUrl {
            field: field.into(),
            value: value.into(),
        })
    }
}

fn text(field: &str, t: &BilingualText, mode: LanguageMode, long: bool) -> Result<Value, Ob3Error> {
    if t.is_blank() {
        return Err(Ob3Error::EmptyText {
            field: field.into(),
        });
    }
    Ok(t.render(mode, long).into())
}

fn date(field: &str, value: &str) -> Result<Instant, Ob3Error> {
    Instant::parse_date_time_stamp(value).map_err(|_| Ob3Error::InvalidDate {
        field: field.into(),
        value: value.into(),
    })
}

impl CredentialDraft {
    /// The unsigned `OpenBadgeCredential` (VCDM 2.0 + OB 3.0.3 contexts).
    pub fn to_unsigned(&self) -> Result<Value, Ob3Error> {
        let mode = self.language;
        let from = date("validFrom", &self.valid_from)?;
        if let Some(until) = &self.valid_until {
            if date("validUntil", until)? < from {
                return Err(Ob3Error::ValidFromAfterValidUntil);
            }
        }
        if let Some(awarded) = &self.awarded_date {
            date("awardedDate", awarded)?;
        }
        if self.recipient.did.is_none() && self.recipient.identifiers.is_empty() {
            return Err(Ob3Error::NoRecipient);
        }

        let mut issuer = Map::new();
        issuer.insert("id".into(), url("issuer.id", &self.issuer.id)?);
        issuer.insert("type".into(), json!(["Profile"]));
        issuer.insert(
            "name".into(),
            text("issuer.name", &self.issuer.name, mode, false)?,
        );
        if let Some(u) = &self.issuer.url {
            issuer.insert("url".into(), url("issuer.url", u)?);
        }
        if let Some(e) = &self.issuer.email {
            issuer.insert("email".into(), e.clone().into());
        }
        if let Some(img) = &self.issuer.image {
            url("issuer.image", &img.id)?;
            issuer.insert("image".into(), img.to_value());
        }

        let a = &self.achievement;
        let mut criteria = Map::new();
        if let Some(cid) = &a.criteria_id {
            criteria.insert("id".into(), url("achievement.criteria.id", cid)?);
        }
        criteria.insert(
            "narrative".into(),
            text("achievement.criteria", &a.criteria, mode, true)?,
        );
        let mut achievement = Map::new();
        achievement.insert("id".into(), url("achievement.id", &a.id)?);
        achievement.insert("type".into(), json!(["Achievement"]));
        if let Some(t) = &a.achievement_type {
            achievement.insert("achievementType".into(), t.clone().into());
        }
        let name = text("achievement.name", &a.name, mode, false)?;
        achievement.insert("name".into(), name.clone());
        achievement.insert(
            "description".into(),
            text("achievement.description", &a.description, mode, true)?,
        );
        achievement.insert("criteria".into(), Value::Object(criteria));
        if let Some(img) = &a.image {
            url("achievement.image", &img.id)?;
            achievement.insert("image".into(), img.to_value());
        }
        match mode {
            LanguageMode::English => {
                achievement.insert("inLanguage".into(), "en".into());
            }
            LanguageMode::TraditionalChinese if a.name.zh_hant.is_some() => {
                achievement.insert("inLanguage".into(), ZH_HANT_HK.into());
            }
            _ => {}
        }

        let mut subject = Map::new();
        if let Some(did) = &self.recipient.did {
            subject.insert("id".into(), url("recipient.did", did)?);
        }
        subject.insert("type".into(), json!(["AchievementSubject"]));
        if !self.recipient.identifiers.is_empty() {
            subject.insert(
                "identifier".into(),
                Value::Array(
                    self.recipient
                        .identifiers
                        .iter()
                        .map(HashedIdentifier::to_value)
                        .collect(),
                ),
            );
        }
        subject.insert("achievement".into(), Value::Object(achievement));

        let mut vc = Map::new();
        vc.insert("@context".into(), json!([CONTEXT_V2, OB3_CONTEXT]));
        vc.insert("id".into(), url("id", &self.id)?);
        vc.insert(
            "type".into(),
            json!(["VerifiableCredential", "OpenBadgeCredential"]),
        );
        vc.insert("issuer".into(), Value::Object(issuer));
        vc.insert("validFrom".into(), self.valid_from.clone().into());
        if let Some(until) = &self.valid_until {
            vc.insert("validUntil".into(), until.clone().into());
        }
        if let Some(awarded) = &self.awarded_date {
            vc.insert("awardedDate".into(), awarded.clone().into());
        }
        vc.insert("name".into(), name);
        vc.insert("credentialSubject".into(), Value::Object(subject));
        if let Some(status) = &self.credential_status {
            vc.insert("credentialStatus".into(), status.clone());
        }
        Ok(Value::Object(vc))
    }
}

/// Whether `doc` claims to be an Open Badge (`OpenBadgeCredential` or
/// `AchievementCredential` type).
pub fn is_open_badge(doc: &Value) -> bool {
    vcdm::has_type(doc, "OpenBadgeCredential") || vcdm::has_type(doc, "AchievementCredential")
}

/// One way a credential fails the Open Badges 3.0 profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Ob3Violation {
    /// No `https://purl.imsglobal.org/spec/ob/v3p0/context-3.x.y.json`.
    MissingOb3Context,
    /// `id` is required in OB3.
    MissingCredentialId,
    /// `issuer` must be a Profile object (`id`, `type` ⊇ `Profile`).
    IssuerNotProfile,
    /// `validFrom` is required in OB3.
    MissingValidFrom,
    /// `credentialSubject` must be one object.
    SubjectNotSingleObject,
    /// `credentialSubject.type` must include `AchievementSubject`.
    SubjectNotAchievementSubject,
    /// The subject needs an `id` or an `identifier`.
    SubjectWithoutIdOrIdentifier,
    /// An `identifier` entry is not a valid IdentityObject.
    InvalidIdentityObject {
        /// Index in `identifier`.
        index: usize,
    },
    /// `credentialSubject.achievement` is missing or not an object.
    MissingAchievement,
    /// A required Achievement property is missing.
    AchievementMissingProperty {
        /// `id`, `type`, `name`, `description` or `criteria`.
        property: String,
    },
    /// A property OB3 types as a string is not one.
    NotAString {
        /// JSON pointer.
        path: String,
    },
    /// An `image` is not `{id, type: "Image"}`.
    InvalidImage {
        /// JSON pointer.
        path: String,
    },
    /// OB3 allows at most one `credentialStatus` object.
    CredentialStatusNotSingle,
}

fn image_ok(v: &Value) -> bool {
    v.get("id").and_then(Value::as_str).is_some_and(is_url)
        && v.get("type").and_then(Value::as_str) == Some("Image")
}

fn identity_object_ok(v: &Value) -> bool {
    let s = |k: &str| v.get(k).and_then(Value::as_str);
    let hashed = v.get("hashed").and_then(Value::as_bool);
    let hash_ok = match (hashed, s("identityHash")) {
        (Some(true), Some(h)) => match h.split_once('$') {
            Some(("sha256", hex)) => hex.len() == 64 && hex.chars().all(|c| c.is_ascii_hexdigit()),
            Some(("md5", hex)) => hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit()),
            _ => false,
        },
        (Some(false), Some(_)) => true,
        _ => false,
    };
    s("type") == Some("IdentityObject")
        && hash_ok
        && s("identityType").is_some_and(|t| !t.is_empty())
        && v.get("salt").is_none_or(Value::is_string)
}

/// Checks the Open Badges 3.0 rules on top of VCDM 2.0 (1EdTech
/// `AchievementCredential` data model; `proofPurpose` is checked by the proof
/// check). Empty = the credential fits the profile.
pub fn check_profile(doc: &Value) -> Vec<Ob3Violation> {
    let mut out = Vec::new();
    let has_ctx = match doc.get("@context") {
        Some(Value::Array(items)) => items.iter().any(|c| {
            c.as_str()
                .is_some_and(|s| s.starts_with(OB3_CONTEXT_PREFIX) && s.ends_with(".json"))
        }),
        _ => false,
    };
    if !has_ctx {
        out.push(Ob3Violation::MissingOb3Context);
    }
    if doc.get("id").and_then(Value::as_str).is_none() {
        out.push(Ob3Violation::MissingCredentialId);
    }
    let issuer_ok = doc.get("issuer").is_some_and(|i| {
        i.get("id").and_then(Value::as_str).is_some_and(is_url) && vcdm::has_type(i, "Profile")
    });
    if !issuer_ok {
        out.push(Ob3Violation::IssuerNotProfile);
    }
    if let Some(img) = doc.get("issuer").and_then(|i| i.get("image")) {
        if !image_ok(img) {
            out.push(Ob3Violation::InvalidImage {
                path: "/issuer/image".into(),
            });
        }
    }
    if !doc.get("validFrom").is_some_and(Value::is_string) {
        out.push(Ob3Violation::MissingValidFrom);
    }
    for key in ["name", "description"] {
        if doc.get(key).is_some_and(|v| !v.is_string()) {
            out.push(Ob3Violation::NotAString {
                path: format!("/{key}"),
            });
        }
    }
    if let Some(img) = doc.get("image") {
        if !image_ok(img) {
            out.push(Ob3Violation::InvalidImage {
                path: "/image".into(),
            });
        }
    }
    if doc.get("credentialStatus").is_some_and(|s| !s.is_object()) {
        out.push(Ob3Violation::CredentialStatusNotSingle);
    }
    let Some(subject) = doc.get("credentialSubject").and_then(Value::as_object) else {
        out.push(Ob3Violation::SubjectNotSingleObject);
        return out;
    };
    let subject_value = doc.get("credentialSubject").unwrap_or(&Value::Null);
    if !vcdm::has_type(subject_value, "AchievementSubject") {
        out.push(Ob3Violation::SubjectNotAchievementSubject);
    }
    let identifiers = subject.get("identifier").and_then(Value::as_array);
    if !subject.contains_key("id") && identifiers.is_none_or(Vec::is_empty) {
        out.push(Ob3Violation::SubjectWithoutIdOrIdentifier);
    }
    if let Some(ids) = identifiers {
        for (index, id) in ids.iter().enumerate() {
            if !identity_object_ok(id) {
                out.push(Ob3Violation::InvalidIdentityObject { index });
            }
        }
    }
    let Some(achievement) = subject.get("achievement").filter(|a| a.is_object()) else {
        out.push(Ob3Violation::MissingAchievement);
        return out;
    };
    let missing = |p: &str| Ob3Violation::AchievementMissingProperty { property: p.into() };
    if !achievement
        .get("id")
        .and_then(Value::as_str)
        .is_some_and(is_url)
    {
        out.push(missing("id"));
    }
    if !vcdm::has_type(achievement, "Achievement") {
        out.push(missing("type"));
    }
    for key in ["name", "description"] {
        match achievement.get(key) {
            None => out.push(missing(key)),
            Some(Value::String(_)) => {}
            Some(_) => out.push(Ob3Violation::NotAString {
                path: format!("/credentialSubject/achievement/{key}"),
            }),
        }
    }
    match achievement.get("criteria") {
        Some(Value::Object(c)) => {
            if c.get("narrative").is_some_and(|n| !n.is_string()) {
                out.push(Ob3Violation::NotAString {
                    path: "/credentialSubject/achievement/criteria/narrative".into(),
                });
            }
        }
        _ => out.push(missing("criteria")),
    }
    if let Some(img) = achievement.get("image") {
        if !image_ok(img) {
            out.push(Ob3Violation::InvalidImage {
                path: "/credentialSubject/achievement/image".into(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn bilingual_rendering() {
        let t = BilingualText::new("STEM Internship Scheme", "創科實習計劃");
        assert_eq!(
            t.render(LanguageMode::Bilingual, false),
            "STEM Internship Scheme / 創科實習計劃"
        );
        assert_eq!(
            t.render(LanguageMode::TraditionalChinese, false),
            "創科實習計劃"
        );
        assert_eq!(
            t.render(LanguageMode::English, true),
            "STEM Internship Scheme"
        );
        let en = BilingualText::en("Only English");
        assert_eq!(
            en.render(LanguageMode::TraditionalChinese, false),
            "Only English"
        );
        assert_eq!(en.render(LanguageMode::Bilingual, true), "Only English");
    }
}
