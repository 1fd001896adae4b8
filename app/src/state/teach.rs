//! The teacher's desk: the school's issuer identity and profile, custom
//! programme templates, and every credential issued from this browser (with
//! its revocation state), stored in IndexedDB under a versioned key.
//!
//! A stored desk that cannot be read is never overwritten: the page shows a
//! recovery screen with the raw text to download first.

use crate::platform::idb::Update;
use crate::platform::{broadcast, clock, idb, random};
use crate::state::desk_merge::{self, MergeConflict};
use crate::state::key_lock::{self, SealedKey};
use credentials::batch::{anchor_request, attach_receipts, BlockAnchor, IssuedCredential};
use credentials::ob3::{
    Achievement, BilingualText, CredentialDraft, HashedIdentifier, IdentityType, IssuerProfile,
    LanguageMode, Recipient,
};
use credentials::status_list::{
    entry as status_entry, list_credential, StatusList, StatusPurpose, MIN_ENTRIES,
};
use credentials::{sign, DidKey, ProofOptions, PublicKey, SecretKey};
use ledger::{
    chain_from_json, chain_to_json, mine, Account, Amount, Chain, Genesis, Label, MineOutcome,
};
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

/// Why this tab cannot sign for the school.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoSigningKey {
    /// There is no (readable or sealed) school key.
    Missing,
    /// The key is sealed and not unlocked in this tab.
    Locked,
}

impl From<NoSigningKey> for DeskError {
    fn from(e: NoSigningKey) -> Self {
        match e {
            NoSigningKey::Missing => DeskError::NoIssuer,
            NoSigningKey::Locked => DeskError::Locked,
        }
    }
}

impl From<NoSigningKey> for IssueProblem {
    fn from(e: NoSigningKey) -> Self {
        match e {
            NoSigningKey::Missing => IssueProblem::NoIssuer,
            NoSigningKey::Locked => IssueProblem::Locked,
        }
    }
}

/// The school's issuer identity and public profile.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct IssuerSetup {
    /// Desks stored before keys were sealed kept the signing key here as a
    /// W3C secret Multikey (`z3u2…`), readable. Read, so an old desk still
    /// works, until the teacher chooses a passphrase; never written again
    /// once the key is sealed (see [`key_lock`]).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub secret_key_multibase: String,
    /// The signing key, sealed under the teacher's passphrase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed_key: Option<SealedKey>,
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
    /// The signing key, if this tab can sign: unlocked in this tab, or
    /// stored readable by an older ChainClass.
    pub fn key(&self) -> Option<SecretKey> {
        key_lock::key_of(self.sealed_key.as_ref(), &self.secret_key_multibase)
    }

    /// The public half of the school key (`z6Mk…`), locked or not.
    pub fn public_key_multibase(&self) -> Option<String> {
        key_lock::public_of(self.sealed_key.as_ref(), &self.secret_key_multibase)
    }

    /// The key to sign with, or why this tab cannot sign.
    pub fn signing_key(&self) -> Result<SecretKey, NoSigningKey> {
        self.key().ok_or(if self.sealed_key.is_some() {
            NoSigningKey::Locked
        } else {
            NoSigningKey::Missing
        })
    }

    /// Whether the key is sealed and this tab has not unlocked it.
    pub fn is_locked(&self) -> bool {
        self.sealed_key.is_some() && self.key().is_none()
    }

    /// Whether the key is stored readable (an older desk): the desk asks
    /// the teacher for a passphrase to seal it.
    pub fn key_is_readable(&self) -> bool {
        self.sealed_key.is_none() && !self.secret_key_multibase.is_empty()
    }

    /// The issuer's did:key.
    pub fn did(&self) -> Option<DidKey> {
        let public = PublicKey::from_multibase(&self.public_key_multibase()?).ok()?;
        Some(DidKey::from_public_key(public))
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
    /// Programme image as a `data:` URL, shown on printed certificates (kept
    /// out of the credential so its link and QR code stay small).
    #[serde(default)]
    pub image: Option<String>,
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
    /// When a suspension was last lifted (kept after a new suspension): with
    /// `suspended`'s time it tells a merge which of two copies acted last,
    /// so an older copy never suspends a certificate again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reinstated: Option<StatusNote>,
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
    /// The school's status lists (revocation and suspension).
    #[serde(default)]
    pub status_lists: StatusLists,
    /// The class ledger export the batches were anchored in.
    #[serde(default)]
    pub ledger: Option<String>,
    /// How many times the stored desk has been written: every save is a
    /// compare-and-swap on it (see [`save`]).
    #[serde(default)]
    pub revision: u64,
    /// When the last full backup was made (see `desk_backup`).
    #[serde(default)]
    pub last_backup: Option<String>,
}

impl Default for Desk {
    fn default() -> Self {
        Desk {
            format: FORMAT.into(),
            version: VERSION,
            issuer: None,
            templates: Vec::new(),
            issued: Vec::new(),
            status_lists: StatusLists::default(),
            ledger: None,
            revision: 0,
            last_backup: None,
        }
    }
}

/// One status list of the school: its public URL, the bits, and the last
/// signed `BitstringStatusListCredential` to publish.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusListState {
    /// The list credential's `id` (where it is published).
    pub id: String,
    /// The bits and which indexes are taken.
    pub list: StatusList,
    /// The signed list credential, re-signed after every change.
    #[serde(default)]
    pub signed: Option<Value>,
    /// Every position a signed revocation list at this address has shown
    /// as revoked. A list that would show one of them as not revoked is
    /// never signed (see [`Desk::sign_list`]): whatever a damaged, stale or
    /// restored copy says, what was published as revoked stays revoked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revoked_published: Vec<u64>,
}

/// The school's revocation and suspension lists.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
pub struct StatusLists {
    /// For `revocation` entries.
    #[serde(default)]
    pub revocation: Option<StatusListState>,
    /// For `suspension` entries.
    #[serde(default)]
    pub suspension: Option<StatusListState>,
}

impl StatusLists {
    fn slot(&mut self, purpose: StatusPurpose) -> &mut Option<StatusListState> {
        match purpose {
            StatusPurpose::Suspension => &mut self.suspension,
            _ => &mut self.revocation,
        }
    }

    /// The signed list credentials to publish.
    pub fn signed(&self) -> Vec<Value> {
        [&self.revocation, &self.suspension]
            .into_iter()
            .flatten()
            .filter_map(|s| s.signed.clone())
            .collect()
    }
}

/// What a certificate's status entry lets the teacher do later.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum StatusChoice {
    /// A revocation entry (permanent).
    #[default]
    Revocation,
    /// A suspension entry (can be lifted).
    Suspension,
    /// No status entry: the certificate can never be revoked.
    None,
}

impl StatusChoice {
    /// The list purpose, if any.
    pub fn purpose(self) -> Option<StatusPurpose> {
        match self {
            StatusChoice::Revocation => Some(StatusPurpose::Revocation),
            StatusChoice::Suspension => Some(StatusPurpose::Suspension),
            StatusChoice::None => None,
        }
    }
}

/// Why a status-list or ledger operation failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeskError {
    /// No school identity yet.
    NoIssuer,
    /// The school key is sealed and not unlocked in this tab.
    Locked,
    /// The browser gave no randomness.
    NoRandomness,
    /// The certificate has no entry of that kind.
    NoEntry,
    /// The revocation list would show `count` certificates as not revoked
    /// that a list signed earlier at the same address showed as revoked.
    WouldUnrevoke {
        /// How many.
        count: usize,
    },
    /// The crates refused (technical detail).
    Refused(String),
}

fn refused(e: impl std::fmt::Debug) -> DeskError {
    DeskError::Refused(format!("{e:?}"))
}

/// `published` and every position set in `list`, sorted, once each.
pub fn revoked_union(published: &[u64], list: &StatusList) -> Vec<u64> {
    let mut out: Vec<u64> = published.to_vec();
    for (byte, bits) in list.as_bytes().iter().enumerate() {
        if *bits == 0 {
            continue;
        }
        for bit in 0..8u64 {
            let index = byte as u64 * 8 + bit;
            if list.get(index).unwrap_or(false) {
                out.push(index);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The public URL of the school's list for `purpose`.
pub fn list_url(issuer: &IssuerSetup, did: &DidKey, purpose: StatusPurpose) -> String {
    let mut base = if issuer.status_base_url.trim().is_empty() {
        crate::platform::files::app_base_url()
    } else {
        issuer.status_base_url.trim().to_owned()
    };
    if let Some(q) = base.find(['?', '#']) {
        base.truncate(q);
    }
    if !base.ends_with('/') {
        base.push('/');
    }
    let tail: String = did
        .multibase()
        .chars()
        .rev()
        .take(8)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("{base}status/{}-{tail}.json", purpose.as_str())
}

impl Desk {
    /// Takes a fresh index in the list for `choice` (creating the list on
    /// first use) and returns the `credentialStatus` entry and the index.
    pub fn allocate_status(
        &mut self,
        choice: StatusChoice,
    ) -> Result<Option<(Value, u64)>, DeskError> {
        let Some(purpose) = choice.purpose() else {
            return Ok(None);
        };
        let issuer = self.issuer.clone().ok_or(DeskError::NoIssuer)?;
        let did = issuer.did().ok_or(DeskError::NoIssuer)?;
        let slot = self.status_lists.slot(purpose);
        if slot.is_none() {
            *slot = Some(StatusListState {
                id: list_url(&issuer, &did, purpose),
                list: StatusList::new(purpose, MIN_ENTRIES).map_err(refused)?,
                signed: None,
                revoked_published: Vec::new(),
            });
        }
        let state = slot.as_mut().ok_or(DeskError::NoEntry)?;
        let random = random::bytes32().map_err(|_| DeskError::NoRandomness)?;
        let mut r = [0u8; 8];
        r.copy_from_slice(random.get(..8).unwrap_or(&[0; 8]));
        let index = state
            .list
            .allocate_index(u64::from_le_bytes(r))
            .map_err(refused)?;
        Ok(Some((status_entry(&state.id, purpose, index), index)))
    }

    /// Re-signs the list for `purpose` with today's date.
    pub fn sign_list(&mut self, purpose: StatusPurpose) -> Result<(), DeskError> {
        let issuer = self.issuer.clone().ok_or(DeskError::NoIssuer)?;
        let did = issuer.did().ok_or(DeskError::NoIssuer)?;
        let Some(state) = self.status_lists.slot(purpose).as_mut() else {
            return Ok(());
        };
        if purpose == StatusPurpose::Revocation {
            let cleared = state
                .revoked_published
                .iter()
                .filter(|&&i| !state.list.get(i).unwrap_or(false))
                .count();
            if cleared > 0 {
                return Err(DeskError::WouldUnrevoke { count: cleared });
            }
        }
        let unsigned = list_credential(
            &state.id,
            did.as_str(),
            purpose,
            &state.list,
            &clock::now_rfc3339(),
            None,
        )
        .map_err(refused)?;
        state.signed = Some(sign_credential(&issuer, &unsigned).map_err(|e| match e {
            IssueProblem::Locked => DeskError::Locked,
            other => refused(other),
        })?);
        if purpose == StatusPurpose::Revocation {
            state.revoked_published = revoked_union(&state.revoked_published, &state.list);
        }
        Ok(())
    }

    /// Revokes (permanently), suspends, or lifts the suspension of the
    /// issued credential at `index`, and re-signs the list.
    pub fn set_status(
        &mut self,
        index: usize,
        change: StatusChange,
        reason: &str,
    ) -> Result<(), DeskError> {
        let record = self.issued.get(index).ok_or(DeskError::NoEntry)?.clone();
        let (purpose, bit) = match change {
            StatusChange::Revoke => (StatusPurpose::Revocation, record.revocation_index),
            StatusChange::Suspend | StatusChange::Reinstate => {
                (StatusPurpose::Suspension, record.suspension_index)
            }
        };
        let bit = bit.ok_or(DeskError::NoEntry)?;
        let state = self
            .status_lists
            .slot(purpose)
            .as_mut()
            .ok_or(DeskError::NoEntry)?;
        match change {
            StatusChange::Reinstate => state.list.clear(bit).map_err(refused)?,
            _ => state.list.set(bit).map_err(refused)?,
        }
        self.sign_list(purpose)?;
        let note = StatusNote {
            at: clock::now_rfc3339(),
            reason: reason.trim().to_owned(),
        };
        if let Some(r) = self.issued.get_mut(index) {
            match change {
                StatusChange::Revoke => r.revoked = Some(note),
                StatusChange::Suspend => r.suspended = Some(note),
                StatusChange::Reinstate => {
                    r.suspended = None;
                    r.reinstated = Some(note);
                }
            }
        }
        Ok(())
    }

    /// The school's class ledger (created on first use).
    pub fn chain(&self) -> Result<Chain, DeskError> {
        match &self.ledger {
            Some(text) => chain_from_json(text).map_err(refused),
            None => {
                let genesis = Genesis {
                    name: Label::new("ChainClass class ledger").map_err(refused)?,
                    timestamp: clock::now_secs().saturating_sub(60),
                    difficulty: LEDGER_DIFFICULTY,
                    reward: Amount::new(50),
                    allocations: Vec::new(),
                };
                Chain::new(genesis).map_err(refused)
            }
        }
    }

    /// Anchors the Merkle root of `issued` in a new block of the class ledger
    /// (mined here) and gives every credential its receipt.
    pub fn anchor(
        &mut self,
        issued: &mut [IssuedCredential],
        label: &str,
    ) -> Result<BlockAnchor, DeskError> {
        let issuer = self.issuer.clone().ok_or(DeskError::NoIssuer)?;
        let key = issuer.signing_key()?;
        let account = Account::from_seed(&key.to_bytes());
        let mut chain = self.chain()?;
        let request = anchor_request(issued, label).map_err(refused)?;
        let nonce = chain.state().next_nonce(&account.address());
        let tx = request.transaction(&account, Amount::ZERO, nonce);
        let timestamp = clock::now_secs().max(chain.tip_timestamp().saturating_add(1));
        let candidate = chain
            .build_block(vec![tx], account.address(), timestamp)
            .map_err(refused)?;
        let MineOutcome::Found { nonce, .. } = mine(&candidate.header, 0..u64::MAX) else {
            return Err(DeskError::Refused("no nonce found".into()));
        };
        chain.append(candidate.with_nonce(nonce)).map_err(refused)?;
        let anchor = attach_receipts(issued, &chain).map_err(refused)?;
        self.ledger = Some(chain_to_json(&chain));
        Ok(anchor)
    }
}

/// Signs one previewed credential, with a fresh status entry of `choice`,
/// and records it; returns the new desk and the signed credential.
pub fn issue_one(
    desk: &Desk,
    unsigned: &Value,
    choice: StatusChoice,
    template: &str,
    student: &str,
) -> Result<(Desk, Value), IssueProblem> {
    let mut d = desk.clone();
    let issuer = d.issuer.clone().ok_or(IssueProblem::NoIssuer)?;
    let status = d
        .allocate_status(choice)
        .map_err(|e| IssueProblem::Refused(format!("{e:?}")))?;
    let mut unsigned = unsigned.clone();
    if let (Some((entry, _)), Some(obj)) = (&status, unsigned.as_object_mut()) {
        obj.insert("credentialStatus".into(), entry.clone());
    }
    let vc = sign_credential(&issuer, &unsigned)?;
    if let Some(purpose) = choice.purpose() {
        d.sign_list(purpose)
            .map_err(|e| IssueProblem::Refused(format!("{e:?}")))?;
    }
    let index = status.map(|(_, i)| i);
    d.issued.push(IssuedRecord {
        id: vc
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        issued_at: clock::now_rfc3339(),
        template: template.to_owned(),
        student: student.trim().to_owned(),
        batch: None,
        credential: vc.clone(),
        receipt: None,
        revocation_index: index.filter(|_| choice == StatusChoice::Revocation),
        suspension_index: index.filter(|_| choice == StatusChoice::Suspension),
        revoked: None,
        suspended: None,
        reinstated: None,
    });
    Ok((d, vc))
}

/// Difficulty (leading zero bits) of the teacher's class ledger blocks: a
/// few milliseconds of mining, still real proof of work.
pub const LEDGER_DIFFICULTY: u32 = 12;

/// A change of a certificate's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusChange {
    /// Revoke for good.
    Revoke,
    /// Suspend for now.
    Suspend,
    /// Lift a suspension.
    Reinstate,
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
    /// The school key is sealed and not unlocked in this tab.
    Locked,
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
    let key = issuer.signing_key()?;
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
        /// The stored desk this tab last read or wrote: what a save is
        /// merged against when another tab wrote in between.
        base: Rc<Desk>,
        /// Changed since last saved.
        dirty: bool,
        /// A change of this tab that could not be merged with another
        /// tab's (the desk shows the stored one again).
        conflict: Option<MergeConflict>,
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
    /// Set (create, import or seal) the school key, keeping the profile:
    /// the key arrives sealed (`key_lock::seal_key`), never readable.
    SetKey(SealedKey),
    /// Save the profile fields.
    SetProfile(IssuerSetup),
    /// Add or replace a custom template (by key).
    SaveTemplate(CustomTemplate),
    /// Delete a custom template.
    DeleteTemplate(String),
    /// Record issued credentials.
    Issued(Vec<IssuedRecord>),
    /// Replace the whole desk with `to`, computed by the caller from the
    /// desk `from` it had: if the desk changed meanwhile (a batch awaits
    /// between the two), `to`'s changes are merged into it instead.
    Replace {
        /// The desk the change was computed from.
        from: Rc<Desk>,
        /// The changed desk.
        to: Box<Desk>,
    },
    /// Start over after a damaged store (the user confirmed).
    Reset,
    /// `saved` was stored; storage now holds `written` (the same, or merged
    /// with another tab's changes).
    Stored {
        /// The desk this tab asked to save.
        saved: Rc<Desk>,
        /// What storage holds now.
        written: Rc<Desk>,
    },
    /// This tab's change could not be merged with another tab's: storage
    /// keeps `theirs`, which the desk shows again.
    Refused {
        /// Why.
        conflict: MergeConflict,
        /// The stored desk.
        theirs: Rc<Desk>,
    },
    /// Another tab stored this desk text.
    External(String),
    /// The user read the conflict message.
    DismissConflict,
    /// A full backup was downloaded at this time.
    BackedUp(String),
}

impl Reducible for DeskState {
    type Action = DeskAction;

    fn reduce(self: Rc<Self>, action: DeskAction) -> Rc<Self> {
        let fresh = |desk: Rc<Desk>| {
            Rc::new(DeskState::Ready {
                base: desk.clone(),
                desk,
                dirty: false,
                conflict: None,
            })
        };
        match (action, &*self) {
            (DeskAction::Loaded(Ok(None)), _) => fresh(Rc::new(Desk::default())),
            (DeskAction::Loaded(Ok(Some(raw))), _) => match Desk::from_text(&raw) {
                Ok(desk) => fresh(Rc::new(desk)),
                Err(reason) => Rc::new(DeskState::Damaged { raw, reason }),
            },
            (DeskAction::Loaded(Err(e)), _) => Rc::new(DeskState::Unavailable(e)),
            (DeskAction::Reset, DeskState::Damaged { .. }) => Rc::new(DeskState::Ready {
                desk: Rc::new(Desk::default()),
                base: Rc::new(Desk::default()),
                dirty: true,
                conflict: None,
            }),
            (
                action,
                DeskState::Ready {
                    desk,
                    base,
                    dirty,
                    conflict,
                },
            ) => {
                let changed = |d: Desk| {
                    Rc::new(DeskState::Ready {
                        desk: Rc::new(d),
                        base: base.clone(),
                        dirty: true,
                        conflict: conflict.clone(),
                    })
                };
                let mut d = (**desk).clone();
                match action {
                    DeskAction::SetKey(sealed) => {
                        let mut issuer = d.issuer.take().unwrap_or_default();
                        // Sealing the key an older desk kept readable
                        // removes the readable copy; a new key replaces both.
                        issuer.secret_key_multibase.clear();
                        issuer.sealed_key = Some(sealed);
                        d.issuer = Some(issuer);
                    }
                    DeskAction::SetProfile(mut p) => {
                        if let Some(current) = &d.issuer {
                            p.secret_key_multibase = current.secret_key_multibase.clone();
                            p.sealed_key = current.sealed_key.clone();
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
                    DeskAction::BackedUp(at) => d.last_backup = Some(at),
                    DeskAction::Issued(records) => d.issued.extend(records),
                    DeskAction::Replace { from, to } => {
                        if *from == **desk {
                            d = *to;
                        } else {
                            // The desk moved on while the change was made.
                            match desk_merge::merge(&from, &to, desk) {
                                Ok(merged) => {
                                    d = merged.desk;
                                    for purpose in merged.resign {
                                        let _ = d.sign_list(purpose);
                                    }
                                }
                                Err(c) => {
                                    return Rc::new(DeskState::Ready {
                                        desk: desk.clone(),
                                        base: base.clone(),
                                        dirty: *dirty,
                                        conflict: Some(c),
                                    })
                                }
                            }
                        }
                    }
                    DeskAction::Stored { saved, written } => {
                        let desk = if saved == *desk {
                            written.clone()
                        } else {
                            // Changed again while saving: keep those changes.
                            match desk_merge::merge(&saved, desk, &written) {
                                Ok(merged) => Rc::new(merged.desk),
                                Err(_) => desk.clone(),
                            }
                        };
                        return Rc::new(DeskState::Ready {
                            dirty: desk != written,
                            desk,
                            base: written,
                            conflict: conflict.clone(),
                        });
                    }
                    DeskAction::Refused { conflict, theirs } => {
                        return Rc::new(DeskState::Ready {
                            desk: theirs.clone(),
                            base: theirs,
                            dirty: false,
                            conflict: Some(conflict),
                        })
                    }
                    DeskAction::External(raw) => {
                        // Unsaved changes of this tab are merged when saved.
                        if *dirty {
                            return self;
                        }
                        return match Desk::from_text(&raw) {
                            Ok(theirs) if theirs.revision > base.revision => {
                                let theirs = Rc::new(theirs);
                                Rc::new(DeskState::Ready {
                                    desk: theirs.clone(),
                                    base: theirs,
                                    dirty: false,
                                    conflict: conflict.clone(),
                                })
                            }
                            _ => self,
                        };
                    }
                    DeskAction::DismissConflict => {
                        return Rc::new(DeskState::Ready {
                            desk: desk.clone(),
                            base: base.clone(),
                            dirty: *dirty,
                            conflict: None,
                        })
                    }
                    DeskAction::Loaded(_) | DeskAction::Reset => return self,
                }
                changed(d)
            }
            _ => self,
        }
    }
}

/// Reads the stored desk text.
pub async fn load() -> Result<Option<String>, String> {
    idb::get(STORAGE_KEY).await.map_err(|e| e.to_string())
}

/// What a save did.
#[derive(Debug)]
pub enum SaveOutcome {
    /// Storage holds this desk now (`mine`, or `mine` merged with another
    /// tab's changes).
    Written(Desk),
    /// Another tab's changes and this tab's cannot be merged: nothing was
    /// written, storage keeps `theirs`.
    Conflict(MergeConflict, Desk),
}

/// Stores `mine`, which this tab made from `base`, as one compare-and-swap
/// on the stored revision: if storage still holds `base`'s revision, `mine`
/// is written; if another tab wrote in between, `mine` is merged into what
/// it wrote ([`desk_merge`]) or, where that is unsafe, refused. A stored
/// desk that cannot be read is never overwritten.
pub async fn save(base: &Desk, mine: &Desk) -> Result<SaveOutcome, String> {
    let outcome = idb::update(STORAGE_KEY, |stored| {
        let theirs = match stored.as_deref().map(Desk::from_text) {
            None => None,
            Some(Ok(d)) => Some(d),
            Some(Err(e)) => return Update::Keep(Err(format!("{e:?}"))),
        };
        let write = |mut desk: Desk, revision: u64| {
            desk.revision = revision.saturating_add(1);
            Update::Write(desk.to_text(), Ok(SaveOutcome::Written(desk)))
        };
        match theirs {
            None => write(mine.clone(), base.revision),
            Some(theirs) if theirs.revision == base.revision => {
                write(mine.clone(), theirs.revision)
            }
            Some(theirs) => match desk_merge::merge(base, mine, &theirs) {
                Ok(merged) => {
                    let mut desk = merged.desk;
                    for purpose in merged.resign {
                        if let Err(e) = desk.sign_list(purpose) {
                            return Update::Keep(Err(format!("{e:?}")));
                        }
                    }
                    write(desk, theirs.revision)
                }
                Err(conflict) => Update::Keep(Ok(SaveOutcome::Conflict(conflict, theirs))),
            },
        }
    })
    .await
    .map_err(|e| e.to_string())??;
    if let SaveOutcome::Written(d) = &outcome {
        broadcast::announce(STORAGE_KEY, d.revision);
    }
    Ok(outcome)
}

/// Loads the desk into a reducer, saves it whenever it changes, and follows
/// the desk other tabs store.
#[hook]
pub fn use_desk() -> (UseReducerHandle<DeskState>, UseStateHandle<Option<String>>) {
    let state = use_reducer(|| DeskState::Loading);
    let save_error = use_state(|| None::<String>);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            let first = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                first.dispatch(DeskAction::Loaded(load().await));
            });
            let listener = broadcast::listen(STORAGE_KEY, move || {
                let state = state.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(Some(raw)) = load().await {
                        state.dispatch(DeskAction::External(raw));
                    }
                });
            });
            move || drop(listener)
        });
    }
    // One save at a time: a change made while one is under way is saved
    // when it ends (its `Stored` changes the state, which runs this again).
    let saving = use_mut_ref(|| false);
    {
        let state_for_save = state.clone();
        let save_error = save_error.clone();
        use_effect_with((*state).clone(), move |s| {
            if let DeskState::Ready {
                desk,
                base,
                dirty: true,
                ..
            } = s
            {
                if *saving.borrow() {
                    return;
                }
                *saving.borrow_mut() = true;
                let (desk, base) = (desk.clone(), base.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let result = save(&base, &desk).await;
                    *saving.borrow_mut() = false;
                    match result {
                        Ok(SaveOutcome::Written(written)) => {
                            save_error.set(None);
                            state_for_save.dispatch(DeskAction::Stored {
                                saved: desk,
                                written: Rc::new(written),
                            });
                        }
                        Ok(SaveOutcome::Conflict(conflict, theirs)) => {
                            state_for_save.dispatch(DeskAction::Refused {
                                conflict,
                                theirs: Rc::new(theirs),
                            });
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
    fn a_revocation_list_that_would_clear_a_published_revocation_is_never_signed() {
        let mut d = Desk {
            issuer: Some(IssuerSetup {
                secret_key_multibase: SecretKey::from_bytes(&[7; 32]).to_multibase(),
                ..Default::default()
            }),
            ..Desk::default()
        };
        let mut list = StatusList::new(StatusPurpose::Revocation, MIN_ENTRIES).unwrap();
        list.set(130_000).unwrap();
        assert_eq!(revoked_union(&[9, 5], &list), vec![5, 9, 130_000]);
        // Published: 5 and 130000 revoked. A copy where 5 is clear (stale,
        // damaged, an older backup) is refused before anything is signed.
        d.status_lists.revocation = Some(StatusListState {
            id: "https://school.example/status/revocation-x.json".into(),
            list,
            signed: None,
            revoked_published: vec![5, 130_000],
        });
        assert_eq!(
            d.sign_list(StatusPurpose::Revocation),
            Err(DeskError::WouldUnrevoke { count: 1 })
        );
        assert_eq!(d.status_lists.revocation.as_ref().unwrap().signed, None);
        // The stored form carries the published positions.
        let back = Desk::from_text(&d.to_text()).unwrap();
        assert_eq!(
            back.status_lists.revocation.unwrap().revoked_published,
            vec![5, 130_000]
        );
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
        let s = s.reduce(DeskAction::DeleteTemplate("custom-1".into()));
        assert!(matches!(&*s, DeskState::Damaged { .. }));
        let s = s.reduce(DeskAction::Reset);
        assert!(matches!(&*s, DeskState::Ready { .. }));
    }
}
