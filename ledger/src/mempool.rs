//! The [`Mempool`]: transactions waiting to be mined, each checked against
//! the chain state plus the transactions already waiting before it.

use std::collections::HashSet;

use core::fmt;

use crate::state::{check_signature, State, TxError};
use crate::{Hash, Transaction};

/// Default number of transactions a mempool holds.
pub const DEFAULT_MEMPOOL_CAPACITY: usize = 1024;

/// Why a transaction was not accepted into the mempool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MempoolError {
    /// Coinbases are made by miners, never sent around.
    Coinbase,
    /// This exact transaction is already waiting.
    Duplicate {
        /// Its id.
        id: Hash,
    },
    /// The mempool is full.
    Full {
        /// How many transactions it holds.
        capacity: usize,
    },
    /// The transaction breaks a rule against the state plus the waiting
    /// transactions (bad signature, overspend, replayed or skipped nonce...).
    Invalid {
        /// Its id.
        id: Hash,
        /// The rule it breaks.
        error: TxError,
    },
}

impl fmt::Display for MempoolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Coinbase => f.write_str("a coinbase cannot be sent to the mempool"),
            Self::Duplicate { id } => write!(f, "transaction {id} is already waiting"),
            Self::Full { capacity } => write!(f, "the mempool is full ({capacity} transactions)"),
            Self::Invalid { id, error } => write!(f, "transaction {id} is invalid: {error}"),
        }
    }
}

impl std::error::Error for MempoolError {}

/// Transactions waiting for a block, in arrival order.
///
/// Every waiting transaction applies cleanly, in order, on top of the state
/// it was last checked against: a second transfer from the same account
/// must use the next nonce and fit in what is left after the first.
///
/// ```
/// use ledger::{Account, Amount, Mempool, MempoolError, State, TxError};
/// # use ledger::{Allocation, Chain, Genesis, Label};
/// let alice = Account::from_seed(&[1; 32]);
/// let bob = Account::from_seed(&[2; 32]);
/// # let chain = Chain::new(Genesis {
/// #     name: Label::new("demo").unwrap(), timestamp: 0, difficulty: 0, reward: Amount::new(50),
/// #     allocations: vec![Allocation { address: alice.address(), amount: Amount::new(10) }],
/// # }).unwrap();
/// // alice has 10 coins
/// let mut pool = Mempool::new();
/// let pay = |n, nonce| ledger::Transaction::transfer(&alice, bob.address(), Amount::new(n), Amount::ZERO, nonce);
/// assert!(pool.add(pay(6, 0), chain.state()).is_ok());
/// let err = pool.add(pay(6, 1), chain.state()).unwrap_err();
/// assert!(matches!(err, MempoolError::Invalid { error: TxError::Overspend { .. }, .. }));
/// let err = pool.add(pay(1, 0), chain.state()).unwrap_err();
/// assert!(matches!(err, MempoolError::Invalid { error: TxError::NonceReplayed { .. }, .. }));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mempool {
    transactions: Vec<Transaction>,
    ids: HashSet<Hash>,
    capacity: usize,
}

impl Default for Mempool {
    fn default() -> Self {
        Self::new()
    }
}

impl Mempool {
    /// An empty mempool holding up to [`DEFAULT_MEMPOOL_CAPACITY`] transactions.
    pub fn new() -> Self {
        Self::with_capacity(DEFAULT_MEMPOOL_CAPACITY)
    }

    /// An empty mempool holding up to `capacity` transactions.
    pub fn with_capacity(capacity: usize) -> Self {
        Mempool {
            transactions: Vec::new(),
            ids: HashSet::new(),
            capacity,
        }
    }

    /// The waiting transactions, oldest first.
    pub fn transactions(&self) -> &[Transaction] {
        &self.transactions
    }

    /// Number of waiting transactions.
    pub fn len(&self) -> usize {
        self.transactions.len()
    }

    /// True when nothing is waiting.
    pub fn is_empty(&self) -> bool {
        self.transactions.is_empty()
    }

    /// Is this transaction waiting?
    pub fn contains(&self, id: &Hash) -> bool {
        self.ids.contains(id)
    }

    /// `state` after the waiting transactions that still apply to it.
    fn pending_state(&self, state: &State) -> State {
        let mut view = state.clone();
        for tx in &self.transactions {
            // A waiting transaction that no longer applies is skipped here
            // and dropped by the next `prune`.
            let _ = view.apply_unsigned_checks(tx, 0);
        }
        view
    }

    /// Checks `tx` (signature included) against `state` plus the waiting
    /// transactions, and adds it. Returns its id.
    pub fn add(&mut self, tx: Transaction, state: &State) -> Result<Hash, MempoolError> {
        if let Transaction::Coinbase(_) = tx {
            return Err(MempoolError::Coinbase);
        }
        let id = tx.id();
        if self.ids.contains(&id) {
            return Err(MempoolError::Duplicate { id });
        }
        if self.transactions.len() >= self.capacity {
            return Err(MempoolError::Full {
                capacity: self.capacity,
            });
        }
        check_signature(&tx, None).map_err(|error| MempoolError::Invalid { id, error })?;
        self.pending_state(state)
            .apply_unsigned_checks(&tx, 0)
            .map_err(|error| MempoolError::Invalid { id, error })?;
        self.ids.insert(id);
        self.transactions.push(tx);
        Ok(id)
    }

    /// Up to `max` waiting transactions, oldest first (they apply in this
    /// order), for [`Chain::build_block`](crate::Chain::build_block).
    pub fn select(&self, max: usize) -> Vec<Transaction> {
        self.transactions.iter().take(max).cloned().collect()
    }

    /// After the chain changed (a new block, a reorganisation): drops every
    /// waiting transaction that no longer applies on top of `state` and the
    /// ones kept before it, and returns them with the reason. Transactions
    /// that were just mined are dropped this way too (their nonce is used:
    /// [`TxError::NonceReplayed`]).
    pub fn prune(&mut self, state: &State) -> Vec<(Transaction, TxError)> {
        let mut view = state.clone();
        let mut dropped = Vec::new();
        let mut kept = Vec::with_capacity(self.transactions.len());
        for tx in self.transactions.drain(..) {
            match view.apply_unsigned_checks(&tx, 0) {
                Ok(()) => kept.push(tx),
                Err(error) => dropped.push((tx, error)),
            }
        }
        self.transactions = kept;
        self.ids = self.transactions.iter().map(Transaction::id).collect();
        dropped
    }

    /// Removes a transaction by id; returns it if it was waiting.
    pub fn remove(&mut self, id: &Hash) -> Option<Transaction> {
        let index = self.transactions.iter().position(|tx| tx.id() == *id)?;
        self.ids.remove(id);
        Some(self.transactions.remove(index))
    }

    /// Removes everything.
    pub fn clear(&mut self) {
        self.transactions.clear();
        self.ids.clear();
    }
}
