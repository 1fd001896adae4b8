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

use crate::platform::{clock, idb};
use crate::state::key_lock::{self, SealedKey};
use credentials::{DidKey, PublicKey, SecretKey};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;

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
        match &self.sealed {
            Some(sealed) => key_lock::unlocked(&sealed.public_key_multibase),
            None => SecretKey::from_multibase(&self.secret_key_multibase).ok(),
        }
    }

    /// The public half (`z6Mk…`), locked or not.
    pub fn public_key_multibase(&self) -> Option<String> {
        match &self.sealed {
            Some(sealed) => Some(sealed.public_key_multibase.clone()),
            None => SecretKey::from_multibase(&self.secret_key_multibase)
                .ok()
                .map(|k| k.public_key().to_multibase()),
        }
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
}

impl Default for Wallet {
    fn default() -> Self {
        Wallet {
            format: FORMAT.into(),
            version: VERSION,
            holders: Vec::new(),
            credentials: Vec::new(),
        }
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

    /// Whether the wallet already holds `credential` (same JSON value).
    pub fn contains(&self, credential: &Value) -> bool {
        self.credentials.iter().any(|e| &e.credential == credential)
    }

    /// Merges a backup: adds its holder keys and credentials that are not
    /// here yet; returns how many credentials were added.
    pub fn merge(&mut self, other: Wallet) -> usize {
        for h in other.holders {
            let public = h.public_key_multibase();
            match self
                .holders
                .iter_mut()
                .find(|mine| mine.public_key_multibase() == public)
            {
                // The same key: a sealed copy replaces a readable one.
                Some(mine) => {
                    if mine.sealed.is_none() && h.sealed.is_some() {
                        *mine = h;
                    }
                }
                None => self.holders.push(h),
            }
        }
        let mut added = 0;
        for e in other.credentials {
            if !self.contains(&e.credential) {
                self.credentials.push(e);
                added += 1;
            }
        }
        added
    }
}

/// The wallet page's state.
#[derive(Clone, Debug, PartialEq)]
pub enum WalletState {
    /// Reading IndexedDB.
    Loading,
    /// The wallet, and whether it changed since it was last saved.
    Ready {
        /// The wallet.
        wallet: Rc<Wallet>,
        /// Needs saving.
        dirty: bool,
    },
    /// Stored data that cannot be read: shown for download, never overwritten.
    Damaged {
        /// The raw stored text.
        raw: String,
        /// Why it could not be read.
        reason: WalletTextError,
    },
    /// IndexedDB is unavailable.
    Unavailable(String),
}

/// Changes to the wallet.
#[derive(Clone, Debug, PartialEq)]
pub enum WalletAction {
    /// The stored wallet was read.
    Loaded(Result<Option<String>, String>),
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
    /// The wallet was saved.
    Saved,
}

impl Reducible for WalletState {
    type Action = WalletAction;

    fn reduce(self: Rc<Self>, action: WalletAction) -> Rc<Self> {
        let ready = |wallet: Wallet| {
            Rc::new(WalletState::Ready {
                wallet: Rc::new(wallet),
                dirty: true,
            })
        };
        match (action, &*self) {
            (WalletAction::Loaded(Ok(None)), _) => Rc::new(WalletState::Ready {
                wallet: Rc::new(Wallet::default()),
                dirty: false,
            }),
            (WalletAction::Loaded(Ok(Some(raw))), _) => match Wallet::from_text(&raw) {
                Ok(wallet) => Rc::new(WalletState::Ready {
                    wallet: Rc::new(wallet),
                    dirty: false,
                }),
                Err(reason) => Rc::new(WalletState::Damaged { raw, reason }),
            },
            (WalletAction::Loaded(Err(e)), _) => Rc::new(WalletState::Unavailable(e)),
            (WalletAction::Wipe, WalletState::Damaged { .. }) => ready(Wallet::default()),
            (action, WalletState::Ready { wallet, dirty }) => {
                let mut w = (**wallet).clone();
                match action {
                    WalletAction::SealHolder(sealed) => w.put_sealed(sealed),
                    WalletAction::Add(c) if !w.contains(&c) => w.credentials.push(Entry {
                        added_at: clock::now_rfc3339(),
                        credential: c,
                    }),
                    WalletAction::Delete(i) if i < w.credentials.len() => {
                        w.credentials.remove(i);
                    }
                    WalletAction::Restore(other) => {
                        w.merge(other);
                    }
                    WalletAction::Wipe => w = Wallet::default(),
                    WalletAction::Saved => {
                        return Rc::new(WalletState::Ready {
                            wallet: wallet.clone(),
                            dirty: false,
                        })
                    }
                    _ => {
                        return Rc::new(WalletState::Ready {
                            wallet: wallet.clone(),
                            dirty: *dirty,
                        })
                    }
                }
                ready(w)
            }
            _ => self,
        }
    }
}

/// Reads the stored wallet text.
pub async fn load() -> Result<Option<String>, String> {
    idb::get(STORAGE_KEY).await.map_err(|e| e.to_string())
}

/// Stores the wallet.
pub async fn save(wallet: &Wallet) -> Result<(), String> {
    idb::put(STORAGE_KEY, &wallet.to_text())
        .await
        .map_err(|e| e.to_string())
}

/// Adds a credential to the stored wallet from another page (the verifier's
/// "add to my wallet"). Refuses to touch a wallet it cannot read.
pub async fn add_to_stored(credential: Value) -> Result<(), String> {
    let mut wallet = match load().await? {
        None => Wallet::default(),
        Some(raw) => Wallet::from_text(&raw).map_err(|e| format!("{e:?}"))?,
    };
    if !wallet.contains(&credential) {
        wallet.credentials.push(Entry {
            added_at: clock::now_rfc3339(),
            credential,
        });
        save(&wallet).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use serde_json::json;

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
        let s = Rc::new(WalletState::Ready {
            wallet: Rc::new(here.clone()),
            dirty: false,
        })
        .reduce(WalletAction::SealHolder(placeholder_sealed(3)));
        let WalletState::Ready { wallet, .. } = &*s else {
            panic!("not ready")
        };
        assert_eq!(wallet.holders.len(), 1);
        assert_eq!(wallet.holder().unwrap().did(), readable_did);
        assert!(!wallet.to_text().contains("secretKeyMultibase"));
        // A backup holding the readable copy brings nothing readable back.
        let mut sealed = (**wallet).clone();
        assert_eq!(sealed.merge(wallet_with(&[])), 0);
        assert_eq!(sealed.holders.len(), 1);
        assert!(sealed.holders[0].sealed.is_some());
        // The other way round: a sealed backup replaces the readable key.
        assert_eq!(here.merge((**wallet).clone()), 0);
        assert_eq!(here.holders, wallet.holders);
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
        let s =
            Rc::new(WalletState::Loading).reduce(WalletAction::Loaded(Ok(Some("{broken".into()))));
        assert!(matches!(&*s, WalletState::Damaged { raw, .. } if raw == "{broken"));
        let s = s.reduce(WalletAction::Add(json!({"id": "x"})));
        assert!(
            matches!(&*s, WalletState::Damaged { .. }),
            "no write over damaged data"
        );
        let s = s.reduce(WalletAction::Wipe);
        assert!(matches!(&*s, WalletState::Ready { dirty: true, .. }));
    }
}
