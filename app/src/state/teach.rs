//! The teacher's desk: the school's issuer identity and profile, custom
//! programme templates, every credential issued from this browser with its
//! status-list entry, the status lists and their signing, and the class
//! ledger the batches are anchored in. The desk is a `state::stored`
//! record (compare-and-swap saves, [`desk_merge`] for two tabs, the
//! recovery screen for a stored desk that cannot be read); issuing lives in
//! `desk_issue`. Time and randomness arrive as parameters.

use crate::state::desk_issue::{sign_credential, IssueProblem};
use crate::state::desk_merge::{self, MergeConflict};
use crate::state::key_lock::{self, SealedKey};
use crate::state::stored::{Applied, Record, StoredHandle, StoredState};
use credentials::batch::{anchor_request, attach_receipts, BlockAnchor, IssuedCredential};
use credentials::ob3::{Achievement, BilingualText};
use credentials::status_list::{
    entry as status_entry, list_credential, StatusList, StatusPurpose, MIN_ENTRIES,
};
use credentials::{Cryptosuite, DidKey, Instant, PublicKey, RdfcHasher, SecretKey};
use ledger::{
    chain_from_json, chain_to_json, mine, Account, Amount, Chain, Genesis, Label, MineOutcome,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::rc::Rc;

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
    /// The key was imported on its own into a desk without the certificates
    /// issued with it: their revocations are unknown here, so a revocation
    /// list this desk signs could show them as not revoked. Publishing is
    /// held back until a full backup is restored or the teacher confirms no
    /// certificate was ever revoked with this key.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub history_unknown: bool,
    /// Sign with eddsa-jcs-2022 rather than eddsa-rdfc-2022, the default
    /// (what the Learner Credential Wallet and VerifierPlus accept).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sign_jcs: bool,
}

impl IssuerSetup {
    /// The cryptosuite the desk signs with.
    pub fn cryptosuite(&self) -> Cryptosuite {
        if self.sign_jcs {
            Cryptosuite::EddsaJcs2022
        } else {
            Cryptosuite::EddsaRdfc2022
        }
    }

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
    /// The student's e-mail as the teacher typed it, kept in this browser
    /// only (the credential holds a salted hash of it): for the class's
    /// mail-merge file. Absent for certificates identified otherwise and
    /// for those issued before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
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

impl StatusListState {
    /// Whether the signed copy shows the list's bits as they are now.
    pub fn is_current(&self) -> bool {
        let shown = self
            .signed
            .as_ref()
            .and_then(|s| s.pointer("/credentialSubject/encodedList"))
            .and_then(Value::as_str);
        shown == Some(self.list.encode().as_str())
    }
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
    /// The list for `purpose`, if there is one.
    pub fn get(&self, purpose: StatusPurpose) -> Option<&StatusListState> {
        match purpose {
            StatusPurpose::Suspension => self.suspension.as_ref(),
            _ => self.revocation.as_ref(),
        }
    }

    fn slot(&mut self, purpose: StatusPurpose) -> &mut Option<StatusListState> {
        match purpose {
            StatusPurpose::Suspension => &mut self.suspension,
            _ => &mut self.revocation,
        }
    }

    /// The signed list credentials to publish: only those that show the
    /// list's bits now (a list changed and not yet signed again is left
    /// out, never offered in its older state).
    pub fn signed(&self) -> Vec<Value> {
        [&self.revocation, &self.suspension]
            .into_iter()
            .flatten()
            .filter(|s| s.is_current())
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
    /// The crates refused (shown as a generic message, with this as the
    /// technical detail).
    Refused(Refusal),
    /// The worker that prepares eddsa-rdfc-2022 signatures did not answer
    /// (it did not load, or stopped).
    SigningUnavailable,
}

/// What the pure crates refused, typed (never shown to a user as is: the
/// page says the certificate or list could not be made, and puts this in
/// the technical detail).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The Open Badge could not be built (or a hashed identifier).
    Draft(credentials::ob3::Ob3Error),
    /// Signing refused the document.
    Sign(String),
    /// The status list refused.
    StatusList(credentials::status_list::StatusListError),
    /// Batch issuing or anchoring refused.
    Batch(String),
    /// The class ledger refused (stored text, genesis or block).
    Ledger(String),
    /// Mining found no nonce in the whole range (never at the desk's
    /// difficulty).
    NoNonce,
}

impl From<credentials::status_list::StatusListError> for DeskError {
    fn from(e: credentials::status_list::StatusListError) -> Self {
        DeskError::Refused(Refusal::StatusList(e))
    }
}

fn ledger_refused(e: impl std::fmt::Debug) -> DeskError {
    DeskError::Refused(Refusal::Ledger(format!("{e:?}")))
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
    /// first use), drawn from `seed` (fresh randomness), and returns the
    /// `credentialStatus` entry and the index.
    pub fn allocate_status(
        &mut self,
        choice: StatusChoice,
        seed: u64,
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
                list: StatusList::new(purpose, MIN_ENTRIES)?,
                signed: None,
                revoked_published: Vec::new(),
            });
        }
        let state = slot.as_mut().ok_or(DeskError::NoEntry)?;
        let index = state.list.allocate_index(seed)?;
        Ok(Some((status_entry(&state.id, purpose, index), index)))
    }

    /// The lists whose signed copy is missing or no longer shows their bits
    /// (after a change, a merge or a restore): they need [`Desk::sign_list`]
    /// before they can be published.
    pub fn lists_to_sign(&self) -> Vec<StatusPurpose> {
        [StatusPurpose::Revocation, StatusPurpose::Suspension]
            .into_iter()
            .filter(|&p| {
                self.status_lists
                    .get(p)
                    .is_some_and(|state| !state.is_current())
            })
            .collect()
    }

    /// Re-signs the list for `purpose`, dated `at`, with the desk's
    /// cryptosuite (`rdfc` hashes eddsa-rdfc-2022, see `state::signing`).
    /// A revocation list that would show a published revocation as not
    /// revoked is refused ([`DeskError::WouldUnrevoke`]).
    pub fn sign_list(
        &mut self,
        purpose: StatusPurpose,
        at: Instant,
        rdfc: &mut dyn RdfcHasher,
    ) -> Result<(), DeskError> {
        let issuer = self.issuer.clone().ok_or(DeskError::NoIssuer)?;
        let did = issuer.did().ok_or(DeskError::NoIssuer)?;
        self.check_unrevokes_nothing(purpose)?;
        let Some(state) = self.status_lists.slot(purpose).as_mut() else {
            return Ok(());
        };
        let unsigned = list_credential(
            &state.id,
            did.as_str(),
            purpose,
            &state.list,
            &at.to_rfc3339_seconds(),
            None,
        )?;
        state.signed = Some(sign_credential(&issuer, &unsigned, at, rdfc).map_err(
            |e| match e {
                IssueProblem::Locked => DeskError::Locked,
                IssueProblem::NoIssuer => DeskError::NoIssuer,
                IssueProblem::Refused(r) => DeskError::Refused(r),
                _ => DeskError::NoEntry,
            },
        )?);
        if purpose == StatusPurpose::Revocation {
            state.revoked_published = revoked_union(&state.revoked_published, &state.list);
        }
        Ok(())
    }

    /// Refuses ([`DeskError::WouldUnrevoke`]) if the revocation list's bits
    /// show a position a signed copy once showed as revoked as not revoked.
    pub fn check_unrevokes_nothing(&self, purpose: StatusPurpose) -> Result<(), DeskError> {
        if purpose != StatusPurpose::Revocation {
            return Ok(());
        }
        let Some(state) = self.status_lists.get(purpose) else {
            return Ok(());
        };
        let cleared = state
            .revoked_published
            .iter()
            .filter(|&&i| !state.list.get(i).unwrap_or(false))
            .count();
        if cleared > 0 {
            return Err(DeskError::WouldUnrevoke { count: cleared });
        }
        Ok(())
    }

    /// This desk with every list of [`Desk::lists_to_sign`] signed at `at`.
    pub fn with_lists_signed(
        &self,
        at: Instant,
        rdfc: &mut dyn RdfcHasher,
    ) -> Result<Desk, DeskError> {
        let mut desk = self.clone();
        for purpose in self.lists_to_sign() {
            desk.sign_list(purpose, at, rdfc)?;
        }
        Ok(desk)
    }

    /// Revokes (permanently), suspends, or lifts the suspension of the
    /// issued credential at `index` at time `at`. The list is then due for
    /// signing ([`Desk::lists_to_sign`]); the desk's page signs it.
    pub fn set_status(
        &mut self,
        index: usize,
        change: StatusChange,
        reason: &str,
        at: Instant,
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
            StatusChange::Reinstate => state.list.clear(bit)?,
            _ => state.list.set(bit)?,
        }
        let note = StatusNote {
            at: at.to_rfc3339_seconds(),
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

    /// The school's class ledger (created on first use, at `at`).
    pub fn chain(&self, at: Instant) -> Result<Chain, DeskError> {
        match &self.ledger {
            Some(text) => chain_from_json(text).map_err(ledger_refused),
            None => {
                let genesis = Genesis {
                    name: Label::new("ChainClass class ledger").map_err(ledger_refused)?,
                    timestamp: unix_secs(at).saturating_sub(60),
                    difficulty: LEDGER_DIFFICULTY,
                    reward: Amount::new(50),
                    allocations: Vec::new(),
                };
                Chain::new(genesis).map_err(ledger_refused)
            }
        }
    }

    /// Anchors the Merkle root of `issued` in a new block of the class ledger
    /// (mined here, stamped `at`) and gives every credential its receipt.
    pub fn anchor(
        &mut self,
        issued: &mut [IssuedCredential],
        label: &str,
        at: Instant,
    ) -> Result<BlockAnchor, DeskError> {
        let issuer = self.issuer.clone().ok_or(DeskError::NoIssuer)?;
        let key = issuer.signing_key()?;
        let account = Account::from_seed(&key.to_bytes());
        let mut chain = self.chain(at)?;
        let batch_refused = |e: credentials::batch::BatchError| {
            DeskError::Refused(Refusal::Batch(format!("{e:?}")))
        };
        let request = anchor_request(issued, label).map_err(batch_refused)?;
        let nonce = chain.state().next_nonce(&account.address());
        let tx = request.transaction(&account, Amount::ZERO, nonce);
        let timestamp = unix_secs(at).max(chain.tip_timestamp().saturating_add(1));
        let candidate = chain
            .build_block(vec![tx], account.address(), timestamp)
            .map_err(ledger_refused)?;
        let MineOutcome::Found { nonce, .. } = mine(&candidate.header, 0..u64::MAX) else {
            return Err(DeskError::Refused(Refusal::NoNonce));
        };
        chain
            .append(candidate.with_nonce(nonce))
            .map_err(ledger_refused)?;
        let anchor = attach_receipts(issued, &chain).map_err(batch_refused)?;
        self.ledger = Some(chain_to_json(&chain));
        Ok(anchor)
    }
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

    /// The name of programme `key` in `lang` (its English name where it
    /// has no Chinese one), or `key` itself for a programme the desk no
    /// longer has. Found as [`Desk::template`] finds it, without building
    /// every template's achievement (it is called for every row of a list).
    pub fn programme_name(&self, key: &str, lang: crate::i18n::Lang) -> String {
        let built_in: Option<(&str, &str)> = credentials::templates::ALL
            .iter()
            .find(|t| !t.custom && t.key == key)
            .map(|t| (t.name.en, t.name.zh_hant));
        let custom = || {
            self.templates
                .iter()
                .find(|c| c.key == key)
                .map(|c| (c.name_en.as_str(), c.name_zh.as_str()))
        };
        match built_in.or_else(custom) {
            Some((_, zh)) if lang == crate::i18n::Lang::ZhHk && !zh.is_empty() => zh.to_owned(),
            Some((en, _)) => en.to_owned(),
            None => key.to_owned(),
        }
    }
}

/// Changes to the desk (the storage layer, `state::stored`, loads, saves
/// with a compare-and-swap and merge, and follows other tabs).
#[derive(Clone, Debug, PartialEq)]
pub enum DeskAction {
    /// Set (create or seal) the school key, keeping the profile: the key
    /// arrives sealed (`key_lock::seal_key`), never readable.
    SetKey(SealedKey),
    /// A key imported from a key file: like [`DeskAction::SetKey`], and into
    /// a desk with no certificates the key's history is unknown
    /// ([`IssuerSetup::history_unknown`]).
    ImportKey(SealedKey),
    /// The teacher confirmed that no certificate was ever revoked with this
    /// key (or knows the published list is this desk's).
    ConfirmHistory,
    /// Save the profile fields.
    SetProfile(IssuerSetup),
    /// Add or replace a custom template (by key).
    SaveTemplate(CustomTemplate),
    /// Delete a custom template.
    DeleteTemplate(String),
    /// Replace the whole desk with `to`, computed by a desk domain function
    /// (`desk_issue::issue_one`, `desk_issue::ClassRun`, [`Desk::set_status`],
    /// `desk_backup::restore_into`) from the desk `from` it had: if the desk
    /// changed meanwhile (a batch awaits between the two), `to`'s changes
    /// are merged into it instead ([`desk_merge`]).
    Replace {
        /// The desk the change was computed from.
        from: Rc<Desk>,
        /// The changed desk.
        to: Box<Desk>,
    },
    /// A full backup was downloaded at this time.
    BackedUp(String),
}

/// Merges with [`desk_merge::merge`]. A list whose merged bits are neither
/// side's keeps them unsigned (`signed: None`) until the desk's page signs
/// it ([`Desk::lists_to_sign`]; signing eddsa-rdfc-2022 needs the worker,
/// and the key may be locked in this tab): the bits are what matter, and an
/// unsigned list is never offered for publishing.
pub fn merge_desks(base: &Desk, mine: &Desk, theirs: &Desk) -> Result<Desk, MergeConflict> {
    Ok(desk_merge::merge(base, mine, theirs)?.desk)
}

impl Record for Desk {
    const KEY: &'static str = STORAGE_KEY;
    const IN_MEMORY_OK: bool = false;
    type TextError = DeskTextError;
    type Conflict = MergeConflict;
    type Change = DeskAction;
    type Notice = MergeConflict;

    fn empty() -> Self {
        Desk::default()
    }
    fn from_text(text: &str) -> Result<Self, DeskTextError> {
        Desk::from_text(text)
    }
    fn to_text(&self) -> String {
        Desk::to_text(self)
    }
    fn revision(&self) -> u64 {
        self.revision
    }
    fn set_revision(&mut self, revision: u64) {
        self.revision = revision;
    }
    fn merge(base: &Self, mine: &Self, theirs: &Self, _at: Instant) -> Result<Self, MergeConflict> {
        merge_desks(base, mine, theirs)
    }
    fn apply(&self, change: DeskAction, _at: Instant) -> Applied<Self> {
        let mut d = self.clone();
        let imported = matches!(change, DeskAction::ImportKey(_));
        match change {
            DeskAction::SetKey(sealed) | DeskAction::ImportKey(sealed) => {
                let mut issuer = d.issuer.take().unwrap_or_default();
                // Sealing the key an older desk kept readable removes the
                // readable copy; a new key replaces both.
                issuer.secret_key_multibase.clear();
                issuer.sealed_key = Some(sealed);
                issuer.history_unknown = imported && d.issued.is_empty();
                d.issuer = Some(issuer);
            }
            DeskAction::ConfirmHistory => {
                if let Some(issuer) = d.issuer.as_mut() {
                    issuer.history_unknown = false;
                }
            }
            DeskAction::SetProfile(mut p) => {
                if let Some(current) = &d.issuer {
                    p.secret_key_multibase = current.secret_key_multibase.clone();
                    p.sealed_key = current.sealed_key.clone();
                    p.history_unknown = current.history_unknown;
                }
                d.issuer = Some(p);
            }
            DeskAction::SaveTemplate(t) => match d.templates.iter_mut().find(|x| x.key == t.key) {
                Some(x) => *x = t,
                None => d.templates.push(t),
            },
            DeskAction::DeleteTemplate(key) => d.templates.retain(|t| t.key != key),
            DeskAction::BackedUp(when) => d.last_backup = Some(when),
            DeskAction::Replace { from, to } => {
                if *from == *self {
                    d = *to;
                } else {
                    // The desk moved on while the change was made.
                    match merge_desks(&from, &to, self) {
                        Ok(merged) => d = merged,
                        Err(c) => return Applied::same().telling(c),
                    }
                }
            }
        }
        Applied::changed(d)
    }
}

/// The desk page's state.
pub type DeskState = StoredState<Desk>;
/// The desk page's handle on it.
pub type DeskHandle = StoredHandle<Desk>;

/// Whole seconds since the epoch of `at` (0 before 1970).
pub fn unix_secs(at: Instant) -> u64 {
    u64::try_from(at.unix_seconds).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;
    use yew::Reducible;

    use super::*;

    #[test]
    fn a_programme_is_named_as_its_template_names_it() {
        use crate::i18n::Lang;
        let mut d = Desk::default();
        d.templates.push(CustomTemplate {
            key: "custom-1".into(),
            name_en: "Robotics Club".into(),
            ..Default::default()
        });
        for t in d.template_choices() {
            assert_eq!(d.programme_name(&t.key, Lang::En), t.name_en);
            let zh = if t.name_zh.is_empty() {
                &t.name_en
            } else {
                &t.name_zh
            };
            assert_eq!(&d.programme_name(&t.key, Lang::ZhHk), zh);
        }
        assert_eq!(d.programme_name("gone", Lang::En), "gone");
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
            d.sign_list(
                StatusPurpose::Revocation,
                at(),
                &mut credentials::di::LocalRdfc
            ),
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
        use crate::state::stored::StoredAction;
        let s = Rc::new(DeskState::Loading).reduce(StoredAction::Loaded {
            result: Ok(Some("{bad".into())),
            legacy: false,
        });
        let s = s.reduce(StoredAction::Change(
            DeskAction::DeleteTemplate("custom-1".into()),
            at(),
        ));
        assert!(matches!(&*s, DeskState::Damaged { .. }));
        let s = s.reduce(StoredAction::Reset);
        assert!(matches!(&*s, DeskState::Ready { .. }));
    }

    #[test]
    fn a_key_imported_alone_holds_publishing_until_its_history_is_known() {
        use crate::state::desk_backup::restore_into;
        use crate::state::key_lock::placeholder_sealed;
        let imported = Desk::default()
            .apply(DeskAction::ImportKey(placeholder_sealed(7)), at())
            .value
            .unwrap();
        assert!(imported.issuer.as_ref().unwrap().history_unknown);
        // Editing the profile keeps the hold; a new key made here has none.
        let edited = imported
            .apply(
                DeskAction::SetProfile(IssuerSetup {
                    name_en: "School".into(),
                    ..Default::default()
                }),
                at(),
            )
            .value
            .unwrap();
        assert!(edited.issuer.as_ref().unwrap().history_unknown);
        let made = Desk::default()
            .apply(DeskAction::SetKey(placeholder_sealed(7)), at())
            .value
            .unwrap();
        assert!(!made.issuer.as_ref().unwrap().history_unknown);
        // Restoring the school's backup makes the history known...
        let restored = restore_into(&edited, &made).unwrap();
        assert!(!restored.issuer.as_ref().unwrap().history_unknown);
        // ...as does the teacher's confirmation, in either tab of a merge.
        let confirmed = edited
            .apply(DeskAction::ConfirmHistory, at())
            .value
            .unwrap();
        let merged = merge_desks(&imported, &edited, &confirmed).unwrap();
        assert!(!merged.issuer.unwrap().history_unknown);
        // The stored form keeps the hold (and writes nothing when there is none).
        assert!(edited.to_text().contains("historyUnknown"));
        assert!(!made.to_text().contains("historyUnknown"));
    }

    fn at() -> Instant {
        Instant::parse_date_time_stamp("2027-01-15T08:00:00Z").unwrap()
    }
}
