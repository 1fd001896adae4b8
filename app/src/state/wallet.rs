//! The student's wallet: holder keys and the credentials kept in this
//! browser, stored in IndexedDB under a versioned key.
//!
//! The stored format is also the backup file format:
//! `{"format": "chainclass-wallet", "version": 1, "holders": [{"sealed"}],
//! "credentials": [{"addedAt", "credential"}]}`. A holder key is stored only
//! sealed under the student's passphrase (`state::key_lock`); wallets from
//! before kept `secretKeyMultibase` readable, which is still read until the
//! student seals it. Restoring merges: nothing already in the wallet is ever
//! dropped, every holder key is kept, and a sealed copy of a key replaces a
//! readable one.
//! A stored wallet that cannot be read is never overwritten: the page shows a
//! recovery screen with the raw text to download.

use crate::state::key_lock::{self, SealedKey};
use crate::state::stored::{
    self, merge_sets, Applied, Record, SaveError, StoredHandle, StoredState,
};
use credentials::{DidKey, Instant, PublicKey, SecretKey};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::convert::Infallible;

/// IndexedDB key of the wallet.
pub const STORAGE_KEY: &str = "chainclass.wallet.v1";
/// The `format` tag of the stored wallet and of backup files.
pub const FORMAT: &str = "chainclass-wallet";
/// The current format version.
pub const VERSION: u32 = 1;

/// A holder key: sealed under the student's passphrase, or (stored by an
/// older ChainClass) readable as a W3C secret Multikey (`z3u2…`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct StoredHolder {
    /// Wallets from before sealing: `z` + base58btc(0x8026 ‖ seed). Never
    /// written for a new key.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub secret_key_multibase: String,
    /// The key, sealed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed: Option<SealedKey>,
}

impl StoredHolder {
    /// The holder's key, if this page can sign with it: unlocked here, or
    /// stored readable.
    pub fn key(&self) -> Option<SecretKey> {
        key_lock::key_of(self.sealed.as_ref(), &self.secret_key_multibase)
    }

    /// The public half (`z6Mk…`), locked or not.
    pub fn public_key_multibase(&self) -> Option<String> {
        key_lock::public_of(self.sealed.as_ref(), &self.secret_key_multibase)
    }

    /// Whether the key is sealed and not unlocked on this page.
    pub fn is_locked(&self) -> bool {
        self.sealed.is_some() && self.key().is_none()
    }

    /// Whether the key is stored readable (an older wallet).
    pub fn key_is_readable(&self) -> bool {
        self.sealed.is_none() && self.key().is_some()
    }

    /// The holder's did:key.
    pub fn did(&self) -> Option<DidKey> {
        let public = PublicKey::from_multibase(&self.public_key_multibase()?).ok()?;
        Some(DidKey::from_public_key(public))
    }
}

/// One credential in the wallet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    /// When it was added (RFC 3339).
    pub added_at: String,
    /// The credential, as received.
    pub credential: Value,
}

/// The wallet as stored and backed up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Wallet {
    /// Always [`FORMAT`].
    pub format: String,
    /// The format version.
    pub version: u32,
    /// Holder keys; the first is the one used for new presentations.
    pub holders: Vec<StoredHolder>,
    /// The credentials.
    pub credentials: Vec<Entry>,
    /// How many times the stored wallet has been written: every save is a
    /// compare-and-swap on it (see [`save`]).
    #[serde(default)]
    pub revision: u64,
}

impl Default for Wallet {
    fn default() -> Self {
        Wallet {
            format: FORMAT.into(),
            version: VERSION,
            holders: Vec::new(),
            credentials: Vec::new(),
            revision: 0,
        }
    }
}

/// The wallet after this tab's changes (`mine`, made from `base`) meet
/// another tab's (`theirs`, stored meanwhile): each side's additions are
/// kept and each side's deletions (the student's own, one at a time or a
/// wipe) hold; a holder key present on both sides, sealed on one, is kept
/// sealed. Nothing else can conflict.
pub fn merge(base: &Wallet, mine: &Wallet, theirs: &Wallet) -> Wallet {
    let same_key = |a: &StoredHolder, b: &StoredHolder| {
        a == b
            || (a.public_key_multibase().is_some()
                && a.public_key_multibase() == b.public_key_multibase())
    };
    let mut holders = merge_sets(&base.holders, &mine.holders, &theirs.holders, same_key);
    for h in &mut holders {
        let sealed = [&mine.holders, &theirs.holders]
            .into_iter()
            .flatten()
            .find(|o| o.sealed.is_some() && same_key(h, o));
        if let (None, Some(o)) = (&h.sealed, sealed) {
            *h = o.clone();
        }
    }
    Wallet {
        holders,
        credentials: merge_sets(
            &base.credentials,
            &mine.credentials,
            &theirs.credentials,
            |a, b| a.credential == b.credential,
        ),
        ..theirs.clone()
    }
}

/// Why a wallet text could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WalletTextError {
    /// Not JSON or not the wallet's shape.
    NotAWallet(String),
    /// A wallet from a newer version of ChainClass.
    NewerVersion(u32),
}

impl Wallet {
    /// Parses a stored wallet or a backup file.
    pub fn from_text(text: &str) -> Result<Wallet, WalletTextError> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| WalletTextError::NotAWallet(e.to_string()))?;
        if value.get("format").and_then(Value::as_str) != Some(FORMAT) {
            return Err(WalletTextError::NotAWallet(
                "not a ChainClass wallet".into(),
            ));
        }
        match value.get("version").and_then(Value::as_u64) {
            Some(v) if v > u64::from(VERSION) => {
                return Err(WalletTextError::NewerVersion(
                    u32::try_from(v).unwrap_or(u32::MAX),
                ))
            }
            Some(_) => {}
            None => return Err(WalletTextError::NotAWallet("no version".into())),
        }
        serde_json::from_value(value).map_err(|e| WalletTextError::NotAWallet(e.to_string()))
    }

    /// The stored / backup text.
    pub fn to_text(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The holder used for new presentations.
    pub fn holder(&self) -> Option<&StoredHolder> {
        self.holders
            .iter()
            .find(|h| h.public_key_multibase().is_some())
    }

    /// Stores `sealed` in place of the holder with the same public key
    /// (sealing a readable key), or as the first holder if there is none.
    fn put_sealed(&mut self, sealed: SealedKey) {
        let holder = StoredHolder {
            secret_key_multibase: String::new(),
            sealed: Some(sealed),
        };
        let public = holder.public_key_multibase();
        match self
            .holders
            .iter_mut()
            .find(|h| h.public_key_multibase() == public)
        {
            Some(h) => *h = holder,
            None => self.holders.insert(0, holder),
        }
    }

    /// Adds `credential` at time `at` unless the wallet holds it already;
    /// says whether it was added.
    pub fn add(&mut self, credential: Value, at: Instant) -> bool {
        if self.contains(&credential) {
            return false;
        }
        self.credentials.push(Entry {
            added_at: at.to_rfc3339_seconds(),
            credential,
        });
        true
    }

    /// Whether the wallet already holds `credential` (same JSON value).
    pub fn contains(&self, credential: &Value) -> bool {
        self.credentials.iter().any(|e| &e.credential == credential)
    }

    /// Merges a backup: adds its holder keys and credentials that are not
    /// here yet (the three-way [`merge`] from an empty base: nothing here is
    /// dropped, a sealed copy of a key replaces a readable one); returns
    /// how many credentials were added.
    pub fn merge(&mut self, other: Wallet) -> usize {
        let before = self.credentials.len();
        *self = merge(&Wallet::default(), &other, self);
        self.credentials.len().saturating_sub(before)
    }
}

/// Changes to the wallet (the storage layer, `state::stored`, loads, saves
/// and follows other tabs).
#[derive(Clone, Debug, PartialEq)]
pub enum WalletAction {
    /// Store the first holder key, sealed by the page
    /// (`key_lock::seal_key`), or seal a holder key stored readable.
    SealHolder(SealedKey),
    /// Add a credential (already verified by the caller).
    Add(Value),
    /// Delete the credential at this index.
    Delete(usize),
    /// Merge a backup.
    Restore(Wallet),
    /// Remove every credential and key (the user confirmed).
    Wipe,
}

impl Record for Wallet {
    const KEY: &'static str = STORAGE_KEY;
    const IN_MEMORY_OK: bool = false;
    type TextError = WalletTextError;
    type Conflict = Infallible;
    type Change = WalletAction;
    type Notice = Infallible;

    fn empty() -> Self {
        Wallet::default()
    }
    fn from_text(text: &str) -> Result<Self, WalletTextError> {
        Wallet::from_text(text)
    }
    fn to_text(&self) -> String {
        Wallet::to_text(self)
    }
    fn revision(&self) -> u64 {
        self.revision
    }
    fn set_revision(&mut self, revision: u64) {
        self.revision = revision;
    }
    fn merge(base: &Self, mine: &Self, theirs: &Self, _at: Instant) -> Result<Self, Infallible> {
        Ok(merge(base, mine, theirs))
    }
    fn apply(&self, change: WalletAction, at: Instant) -> Applied<Self> {
        let mut w = self.clone();
        match change {
            WalletAction::SealHolder(sealed) => w.put_sealed(sealed),
            WalletAction::Add(c) => {
                if !w.add(c, at) {
                    return Applied::same();
                }
            }
            WalletAction::Delete(i) if i < w.credentials.len() => {
                w.credentials.remove(i);
            }
            WalletAction::Delete(_) => return Applied::same(),
            WalletAction::Restore(other) => {
                w.merge(other);
            }
            WalletAction::Wipe => {
                w = Wallet {
                    revision: w.revision,
                    ..Wallet::default()
                }
            }
        }
        Applied::changed(w)
    }
}

/// The wallet page's state.
pub type WalletState = StoredState<Wallet>;
/// The wallet page's handle on it.
pub type WalletHandle = StoredHandle<Wallet>;

/// Adds a credential to the stored wallet from another page (the verifier's
/// "add to my wallet"), in one compare-and-swap, and tells open wallet tabs.
/// Refuses to touch a wallet it cannot read.
pub async fn add_to_stored(credential: Value) -> Result<(), SaveError<WalletTextError>> {
    let at = stored::now();
    stored::update::<Wallet>(move |mut wallet| wallet.add(credential, at).then_some(wallet)).await
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;
    use yew::Reducible;

    use super::*;
    use serde_json::json;
    use std::rc::Rc;

    fn wallet_with(creds: &[Value]) -> Wallet {
        Wallet {
            holders: vec![StoredHolder {
                secret_key_multibase: SecretKey::from_bytes(&[3; 32]).to_multibase(),
                ..Default::default()
            }],
            credentials: creds
                .iter()
                .map(|c| Entry {
                    added_at: "2026-01-01T00:00:00Z".into(),
                    credential: c.clone(),
                })
                .collect(),
            ..Wallet::default()
        }
    }

    #[test]
    fn backup_text_round_trips() {
        let w = wallet_with(&[json!({"id": "a"})]);
        assert_eq!(Wallet::from_text(&w.to_text()).unwrap(), w);
        assert!(w
            .holder()
            .unwrap()
            .did()
            .unwrap()
            .as_str()
            .starts_with("did:key:z6Mk"));
    }

    #[test]
    fn restore_never_drops_what_is_there() {
        let mut here = wallet_with(&[json!({"id": "a"}), json!({"id": "b"})]);
        let mut backup = wallet_with(&[json!({"id": "b"}), json!({"id": "c"})]);
        backup.holders[0].secret_key_multibase = SecretKey::from_bytes(&[4; 32]).to_multibase();
        assert_eq!(here.merge(backup), 1);
        let ids: Vec<_> = here
            .credentials
            .iter()
            .map(|e| e.credential["id"].clone())
            .collect();
        assert_eq!(ids, [json!("a"), json!("b"), json!("c")]);
        assert_eq!(here.holders.len(), 2, "both holder keys are kept");
    }

    #[test]
    fn a_sealed_holder_key_replaces_the_same_key_readable_and_never_the_other_way() {
        use crate::state::key_lock::placeholder_sealed;
        let mut here = wallet_with(&[]);
        let readable_did = here.holder().unwrap().did();
        // Sealing the readable key in place: one holder, same DID, nothing readable.
        let wallet = here
            .apply(WalletAction::SealHolder(placeholder_sealed(3)), at())
            .value
            .unwrap();
        assert_eq!(wallet.holders.len(), 1);
        assert_eq!(wallet.holder().unwrap().did(), readable_did);
        assert!(!wallet.to_text().contains("secretKeyMultibase"));
        // A backup holding the readable copy brings nothing readable back.
        let mut sealed = wallet.clone();
        assert_eq!(sealed.merge(wallet_with(&[])), 0);
        assert_eq!(sealed.holders.len(), 1);
        assert!(sealed.holders[0].sealed.is_some());
        // The other way round: a sealed backup replaces the readable key.
        assert_eq!(here.merge(wallet.clone()), 0);
        assert_eq!(here.holders, wallet.holders);
    }

    #[test]
    fn a_stale_tab_keeps_what_another_tab_or_the_verifier_added_and_deletions_hold() {
        let (a, b, c, d) = (
            json!({"id": "a"}),
            json!({"id": "b"}),
            json!({"id": "c"}),
            json!({"id": "d"}),
        );
        let base = wallet_with(&[a.clone(), b.clone()]);
        // There: the verifier added C. Here (stale): the student deleted A, added D.
        let theirs = wallet_with(&[a.clone(), b.clone(), c.clone()]);
        let mine = wallet_with(&[b.clone(), d.clone()]);
        let merged = merge(&base, &mine, &theirs);
        let ids: Vec<_> = merged
            .credentials
            .iter()
            .map(|e| e.credential.clone())
            .collect();
        assert_eq!(ids, [b.clone(), c.clone(), d.clone()]);
        // A wipe here removes what both knew, not what the other tab added since.
        let wiped = Wallet::default();
        let merged = merge(&base, &wiped, &theirs);
        let ids: Vec<_> = merged
            .credentials
            .iter()
            .map(|e| e.credential.clone())
            .collect();
        assert_eq!(ids, [c]);
        assert!(merged.holders.is_empty());
        // The key made in another tab is never lost to a stale copy without it.
        let keyless = Wallet::default();
        let merged = merge(&keyless, &keyless, &base);
        assert_eq!(merged.holders, base.holders);
    }

    #[test]
    fn a_change_made_while_saving_is_kept_and_saved_next() {
        use crate::state::stored::StoredAction;
        let s = Rc::new(WalletState::Loading).reduce(StoredAction::Loaded {
            result: Ok(Some(wallet_with(&[json!({"id": "a"})]).to_text())),
            legacy: false,
        });
        let s = s.reduce(StoredAction::Change(WalletAction::Delete(0), at()));
        let saving = s.value().unwrap().clone();
        // Another change before the save finishes...
        let s = s.reduce(StoredAction::Change(
            WalletAction::Restore(wallet_with(&[json!({"id": "b"})])),
            at(),
        ));
        // ...then the save of the first lands (as revision 2).
        let written = Rc::new(Wallet {
            revision: 2,
            ..(*saving).clone()
        });
        let s = s.reduce(StoredAction::Stored {
            saved: saving,
            written: written.clone(),
            at: at(),
        });
        let StoredState::Ready {
            value: wallet,
            base,
            dirty,
            ..
        } = &*s
        else {
            panic!("not ready")
        };
        assert!(*dirty, "the second change still needs saving");
        assert_eq!(base, &written);
        let ids: Vec<_> = wallet
            .credentials
            .iter()
            .map(|e| e.credential.clone())
            .collect();
        assert_eq!(ids, [json!({"id": "b"})]);
    }

    #[test]
    fn the_verifier_adds_a_credential_once_with_its_time() {
        let mut w = Wallet::default();
        assert!(w.add(json!({"id": "a"}), at()));
        assert!(!w.add(json!({"id": "a"}), at()));
        assert_eq!(w.credentials.len(), 1);
        assert_eq!(w.credentials[0].added_at, "2027-01-15T08:00:00Z");
    }

    #[test]
    fn unreadable_or_newer_wallets_are_refused() {
        assert!(matches!(
            Wallet::from_text("{oops"),
            Err(WalletTextError::NotAWallet(_))
        ));
        assert!(matches!(
            Wallet::from_text(r#"{"format":"something-else","version":1}"#),
            Err(WalletTextError::NotAWallet(_))
        ));
        assert_eq!(
            Wallet::from_text(
                r#"{"format":"chainclass-wallet","version":9,"holders":[],"credentials":[]}"#
            ),
            Err(WalletTextError::NewerVersion(9))
        );
    }

    #[test]
    fn damaged_store_is_kept_until_the_user_wipes_it() {
        use crate::state::stored::StoredAction;
        let s = Rc::new(WalletState::Loading).reduce(StoredAction::Loaded {
            result: Ok(Some("{broken".into())),
            legacy: false,
        });
        assert!(matches!(&*s, StoredState::Damaged { raw, .. } if raw == "{broken"));
        let s = s.reduce(StoredAction::Change(
            WalletAction::Add(json!({"id": "x"})),
            at(),
        ));
        assert!(
            matches!(&*s, StoredState::Damaged { .. }),
            "no write over damaged data"
        );
        let s = s.reduce(StoredAction::Reset);
        assert!(matches!(
            &*s,
            StoredState::Ready {
                dirty: true,
                replaces_damaged: true,
                ..
            }
        ));
    }

    fn at() -> Instant {
        Instant::parse_date_time_stamp("2027-01-15T08:00:00Z").unwrap()
    }
}
