//! Checking a chain's signatures ahead of its in-order validation, natively,
//! on every core: the signed transactions are cut into batches (see
//! [`crate::batch`]) that worker threads take in order, while the in-order
//! pass runs behind them and waits only when it reaches a batch that is not
//! finished yet.
//!
//! The in-order pass treats a signature that passed here as checked, and
//! checks every other one itself with `verify_strict`, so the report (which
//! block broke, and why) is the same with one core or many, and in wasm,
//! where nothing is checked ahead.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};

use crate::batch::{Batch, BatchKey};
use crate::chain::{KeyCache, SignatureCache};
use crate::keys::PublicKey;
use crate::state::check_signature;
use crate::tx::Transaction;
use crate::Block;

/// Fewest signed transactions worth checking ahead: a classroom-sized chain
/// is checked in order at once.
const MIN_AHEAD: usize = 256;

/// Most signatures per batch: large enough that a batch's fixed costs (64
/// multiplications by ℓ, the multi-scalar multiplication's buckets) are
/// small per signature, small enough to keep a batch's points in a few MB
/// and to give every core several batches.
const BATCH: usize = 16384;

/// The signatures of one slice of blocks, checked ahead by worker threads.
pub(crate) struct Ahead<'b> {
    /// Position of each block's first transaction.
    starts: Vec<usize>,
    /// The signed transactions and their positions, in block order.
    signed: Vec<(usize, &'b Transaction)>,
    /// Signed transactions per batch (the last batch may have fewer).
    batch: usize,
    /// Did the transaction at this position pass `verify_strict`?
    passed: Vec<AtomicBool>,
    /// The next batch a worker takes.
    next: AtomicUsize,
    /// Batches 0.. this are all finished (written with the `progress` lock
    /// held, read without it).
    finished: AtomicUsize,
    progress: Mutex<Progress>,
    changed: Condvar,
}

struct Progress {
    done: Vec<bool>,
    /// Workers that have not stopped yet.
    working: usize,
}

impl<'b> Ahead<'b> {
    /// Lists the signed transactions of `blocks`; `None` when there are too
    /// few to be worth it.
    pub(crate) fn new(blocks: &'b [Block]) -> Option<Self> {
        let mut starts = Vec::with_capacity(blocks.len());
        let mut signed = Vec::new();
        let mut count = 0usize;
        for block in blocks {
            starts.push(count);
            for tx in &block.transactions {
                if tx.signature().is_some() {
                    signed.push((count, tx));
                }
                count = count.saturating_add(1);
            }
        }
        if signed.len() < MIN_AHEAD {
            return None;
        }
        let batches = signed.len().div_ceil(BATCH);
        Some(Ahead {
            starts,
            batch: signed.len().div_ceil(batches),
            signed,
            passed: (0..count).map(|_| AtomicBool::new(false)).collect(),
            next: AtomicUsize::new(0),
            finished: AtomicUsize::new(0),
            progress: Mutex::new(Progress {
                done: vec![false; batches],
                working: 0,
            }),
            changed: Condvar::new(),
        })
    }

    /// Runs `during` on this thread while one worker per core checks the
    /// signatures; returns when both are done.
    pub(crate) fn with_workers<T>(&self, during: impl FnOnce() -> T) -> T {
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        self.lock().working = threads;
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| self.work());
            }
            during()
        })
    }

    /// Checks every signature on all cores and returns the ids of those that
    /// passed (a new chain's signature cache).
    pub(crate) fn into_cache(self, blocks: &[Block]) -> SignatureCache {
        self.with_workers(|| ());
        let mut cache = SignatureCache::new();
        for (block, start) in blocks.iter().zip(&self.starts) {
            for (index, tx) in block.transactions.iter().enumerate() {
                if self.passed_at(start.saturating_add(index)) {
                    cache.remember(tx.id());
                }
            }
        }
        cache
    }

    /// Did transaction `index` of block `block` pass? Waits until the batch
    /// that holds it is finished. `false` also for a transaction that has
    /// no signature or was never checked here.
    pub(crate) fn passed(&self, block: usize, index: usize) -> bool {
        let Some(position) = self
            .starts
            .get(block)
            .and_then(|start| start.checked_add(index))
        else {
            return false;
        };
        // Which batch holds it: the number of signed transactions before it.
        let signed_before = self.signed.partition_point(|(p, _)| *p < position);
        let needed = signed_before / self.batch.max(1);
        if self.finished.load(Ordering::Acquire) <= needed {
            let mut progress = self.lock();
            while self.finished.load(Ordering::Acquire) <= needed && progress.working > 0 {
                progress = self
                    .changed
                    .wait(progress)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            if self.finished.load(Ordering::Acquire) <= needed {
                // Every worker stopped early (they cannot: nothing in them
                // panics); the in-order pass checks it itself.
                return false;
            }
        }
        self.passed_at(position)
    }

    fn passed_at(&self, position: usize) -> bool {
        self.passed
            .get(position)
            .is_some_and(|passed| passed.load(Ordering::Relaxed))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Progress> {
        self.progress.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A worker: takes batches in order until none is left.
    fn work(&self) {
        /// Counts the worker out however it stops, so nobody waits for it.
        struct Leaving<'a, 'b>(&'a Ahead<'b>);
        impl Drop for Leaving<'_, '_> {
            fn drop(&mut self) {
                let mut progress = self.0.lock();
                progress.working = progress.working.saturating_sub(1);
                self.0.changed.notify_all();
            }
        }
        let _leaving = Leaving(self);
        let mut keys = KeyCache::new();
        let mut classes = BTreeMap::new();
        loop {
            let number = self.next.fetch_add(1, Ordering::Relaxed);
            let start = number.saturating_mul(self.batch);
            let end = start.saturating_add(self.batch).min(self.signed.len());
            let Some(part) = self.signed.get(start..end).filter(|p| !p.is_empty()) else {
                return;
            };
            for position in verify_batch(part, &mut keys, &mut classes) {
                if let Some(passed) = self.passed.get(position) {
                    passed.store(true, Ordering::Relaxed);
                }
            }
            let mut progress = self.lock();
            if let Some(done) = progress.done.get_mut(number) {
                *done = true;
            }
            let mut finished = self.finished.load(Ordering::Relaxed);
            while progress.done.get(finished) == Some(&true) {
                finished += 1;
            }
            self.finished.store(finished, Ordering::Release);
            self.changed.notify_all();
        }
    }
}

/// The positions of the transactions in `part` whose signatures pass
/// `verify_strict`: in one batch, and one by one for those the batch cannot
/// decide.
fn verify_batch(
    part: &[(usize, &Transaction)],
    keys: &mut KeyCache,
    classes: &mut BTreeMap<PublicKey, BatchKey>,
) -> Vec<usize> {
    let mut passed = Vec::with_capacity(part.len());
    let mut batch = Batch::with_capacity(part.len());
    let mut batched = Vec::with_capacity(part.len());
    let mut alone = Vec::new();
    for &(position, tx) in part {
        let (Some(public), Some(signature)) = (tx.signer(), tx.signature()) else {
            continue;
        };
        let class = *classes
            .entry(public)
            .or_insert_with(|| BatchKey::new(&public));
        if batch.add(&public, class, &tx.signing_bytes(), signature) {
            batched.push((position, tx));
        } else {
            alone.push((position, tx));
        }
    }
    for (item, valid) in batched.into_iter().zip(batch.verify()) {
        if valid {
            passed.push(item.0);
        } else {
            alone.push(item);
        }
    }
    for (position, tx) in alone {
        if check_signature(tx, Some(keys)).is_ok() {
            passed.push(position);
        }
    }
    passed
}
