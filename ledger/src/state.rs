//! Account-model [`State`]: balances, next nonces and anchored roots, and the
//! rules a single transaction must follow against it ([`TxError`]).
//!
//! The state is never stored on its own: it is computed by replaying every
//! block from the genesis allocation.

use std::collections::BTreeMap;

use core::fmt;

use ed25519_dalek::VerifyingKey;

use crate::keys::{verify_with, Address, PublicKey, SignatureError};
use crate::tx::{Label, Transaction};
use crate::{Amount, Hash};

/// Why a transaction cannot be applied to a state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TxError {
    /// The signature is missing its key or does not match.
    BadSignature {
        /// The claimed sender.
        account: Address,
        /// What was wrong.
        error: SignatureError,
    },
    /// The sender does not have `amount + fee` coins.
    Overspend {
        /// The sender.
        account: Address,
        /// Coins the sender has.
        balance: Amount,
        /// Coins the transaction needs (amount plus fee).
        needed: Amount,
    },
    /// The nonce was already used: this is a replay of an old transaction
    /// (or a second spend with the same nonce).
    NonceReplayed {
        /// The sender.
        account: Address,
        /// The next nonce the sender may use.
        expected: u64,
        /// The nonce in the transaction.
        found: u64,
    },
    /// The nonce skips ahead: an earlier transaction of this sender is
    /// missing (transactions must be applied in nonce order).
    NonceTooHigh {
        /// The sender.
        account: Address,
        /// The next nonce the sender may use.
        expected: u64,
        /// The nonce in the transaction.
        found: u64,
    },
    /// `amount + fee` does not fit in an [`Amount`].
    AmountOverflow {
        /// The sender.
        account: Address,
    },
    /// The recipient's balance would not fit in an [`Amount`].
    BalanceOverflow {
        /// The recipient.
        account: Address,
    },
    /// The sender has used every possible nonce.
    NonceExhausted {
        /// The sender.
        account: Address,
    },
    /// A coinbase where only ordinary transactions are allowed (a mempool, or
    /// a second coinbase in a block).
    UnexpectedCoinbase,
}

impl fmt::Display for TxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadSignature { account, error } => {
                write!(f, "bad signature for account {account}: {error}")
            }
            Self::Overspend {
                account,
                balance,
                needed,
            } => write!(
                f,
                "account {account} has {balance} coins but the transaction needs {needed}"
            ),
            Self::NonceReplayed {
                account,
                expected,
                found,
            } => write!(
                f,
                "account {account} already used nonce {found} (next is {expected}): replayed transaction"
            ),
            Self::NonceTooHigh {
                account,
                expected,
                found,
            } => write!(
                f,
                "account {account} must use nonce {expected} before nonce {found}"
            ),
            Self::AmountOverflow { account } => {
                write!(f, "amount plus fee of account {account} is too large")
            }
            Self::BalanceOverflow { account } => {
                write!(f, "balance of account {account} would become too large")
            }
            Self::NonceExhausted { account } => {
                write!(f, "account {account} has no nonces left")
            }
            Self::UnexpectedCoinbase => f.write_str("a coinbase is not allowed here"),
        }
    }
}

impl std::error::Error for TxError {}

/// A Merkle root recorded on the chain by an anchor transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnchorRecord {
    /// The anchored root.
    pub root: Hash,
    /// The anchor's label.
    pub label: Label,
    /// Who signed the anchor.
    pub signer: PublicKey,
    /// Height of the block that contains it.
    pub height: u64,
    /// Id of the anchor transaction.
    pub tx: Hash,
}

/// Balances, next nonces and anchored roots after some blocks.
///
/// Accounts with a zero balance are not listed in [`balances`](Self::balances)
/// (so two states with the same coins compare equal), but they still have a
/// nonce once they have sent something.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    balances: BTreeMap<Address, Amount>,
    nonces: BTreeMap<Address, u64>,
    anchors: BTreeMap<Hash, AnchorRecord>,
}

/// The changes one transaction makes, computed before anything is changed.
struct Effect {
    debit: Option<(Address, Amount, u64)>,
    credit: Option<(Address, Amount)>,
    anchor: Option<AnchorRecord>,
}

impl State {
    /// An empty state: nobody has coins.
    pub fn new() -> Self {
        Self::default()
    }

    /// Coins of `account` (zero if it never had any).
    pub fn balance(&self, account: &Address) -> Amount {
        self.balances.get(account).copied().unwrap_or_default()
    }

    /// The nonce `account` must use for its next transaction.
    pub fn next_nonce(&self, account: &Address) -> u64 {
        self.nonces.get(account).copied().unwrap_or_default()
    }

    /// Every account with coins, in address order.
    pub fn balances(&self) -> &BTreeMap<Address, Amount> {
        &self.balances
    }

    /// Every account that has sent a transaction, with its next nonce.
    pub fn nonces(&self) -> &BTreeMap<Address, u64> {
        &self.nonces
    }

    /// Every anchored root (the first anchor of each root).
    pub fn anchors(&self) -> &BTreeMap<Hash, AnchorRecord> {
        &self.anchors
    }

    /// Where `root` was first anchored, if it was.
    pub fn anchor(&self, root: &Hash) -> Option<&AnchorRecord> {
        self.anchors.get(root)
    }

    /// All coins in existence (a `u128`, so the sum itself cannot overflow).
    pub fn total_supply(&self) -> u128 {
        self.balances
            .values()
            .map(|amount| u128::from(amount.coins()))
            .sum()
    }

    /// Adds `amount` to `account` (used for the genesis allocation and the
    /// coinbase).
    pub(crate) fn credit(&mut self, account: Address, amount: Amount) -> Result<(), TxError> {
        let new = self
            .balance(&account)
            .checked_add(amount)
            .ok_or(TxError::BalanceOverflow { account })?;
        self.set_balance(account, new);
        Ok(())
    }

    fn set_balance(&mut self, account: Address, amount: Amount) {
        if amount == Amount::ZERO {
            self.balances.remove(&account);
        } else {
            self.balances.insert(account, amount);
        }
    }

    /// Checks a signed transaction, signature included, without changing
    /// anything. Lets the app say *why* a transfer would fail before it is
    /// sent.
    pub fn check_transaction(&self, tx: &Transaction) -> Result<(), TxError> {
        check_signature(tx, None)?;
        self.effect(tx, 0).map(|_| ())
    }

    /// Computes what a transfer or anchor would change (no signature check).
    fn effect(&self, tx: &Transaction, height: u64) -> Result<Effect, TxError> {
        let (from, amount, fee, nonce, to) = match tx {
            Transaction::Coinbase(_) => return Err(TxError::UnexpectedCoinbase),
            Transaction::Transfer(signed) => (
                signed.body.from,
                signed.body.amount,
                signed.body.fee,
                signed.body.nonce,
                Some(signed.body.to),
            ),
            Transaction::Anchor(signed) => (
                signed.body.from,
                Amount::ZERO,
                signed.body.fee,
                signed.body.nonce,
                None,
            ),
        };
        let account = from.address();
        let expected = self.next_nonce(&account);
        if nonce < expected {
            return Err(TxError::NonceReplayed {
                account,
                expected,
                found: nonce,
            });
        }
        if nonce > expected {
            return Err(TxError::NonceTooHigh {
                account,
                expected,
                found: nonce,
            });
        }
        let next_nonce = nonce
            .checked_add(1)
            .ok_or(TxError::NonceExhausted { account })?;
        let needed = amount
            .checked_add(fee)
            .ok_or(TxError::AmountOverflow { account })?;
        let balance = self.balance(&account);
        let remaining = balance.checked_sub(needed).ok_or(TxError::Overspend {
            account,
            balance,
            needed,
        })?;
        let credit = match to {
            None => None,
            Some(to) => {
                let before = if to == account {
                    remaining
                } else {
                    self.balance(&to)
                };
                let after = before
                    .checked_add(amount)
                    .ok_or(TxError::BalanceOverflow { account: to })?;
                Some((to, after))
            }
        };
        let anchor = match tx {
            Transaction::Anchor(signed) => Some(AnchorRecord {
                root: signed.body.root,
                label: signed.body.label.clone(),
                signer: signed.body.from,
                height,
                tx: tx.id(),
            }),
            _ => None,
        };
        Ok(Effect {
            debit: Some((account, remaining, next_nonce)),
            credit,
            anchor,
        })
    }

    /// Applies a transfer or anchor after checking the state rules (but not
    /// the signature): all or nothing.
    pub(crate) fn apply_unsigned_checks(
        &mut self,
        tx: &Transaction,
        height: u64,
    ) -> Result<(), TxError> {
        let effect = self.effect(tx, height)?;
        if let Some((account, balance, nonce)) = effect.debit {
            self.set_balance(account, balance);
            self.nonces.insert(account, nonce);
        }
        if let Some((account, balance)) = effect.credit {
            self.set_balance(account, balance);
        }
        if let Some(record) = effect.anchor {
            self.anchors.entry(record.root).or_insert(record);
        }
        Ok(())
    }
}

/// Verifies a transaction's signature, reusing decoded keys from `keys` if
/// given.
pub(crate) fn check_signature(
    tx: &Transaction,
    keys: Option<&mut BTreeMap<PublicKey, VerifyingKey>>,
) -> Result<(), TxError> {
    let (Some(public), Some(signature)) = (tx.signer(), tx.signature()) else {
        return Ok(());
    };
    let account = public.address();
    let to_error = |error| TxError::BadSignature { account, error };
    let key = match keys {
        Some(cache) => match cache.get(&public) {
            Some(key) => *key,
            None => {
                let key = public.to_verifying_key().map_err(to_error)?;
                cache.insert(public, key);
                key
            }
        },
        None => public.to_verifying_key().map_err(to_error)?,
    };
    verify_with(&key, &public, &tx.signing_bytes(), signature).map_err(to_error)
}
