//! Mining without freezing the page: [`start`] searches nonces with the
//! ledger's bounded [`ledger::mine`] in small batches, stops each slice of
//! work after [`SLICE_MS`] milliseconds and yields to the browser
//! ([`Yielder`]) so clicks, typing and painting go on; progress is
//! reported at most every [`PROGRESS_MS`] milliseconds. A
//! [`MineJob`] cancels the search; dropping it does not.

use crate::platform::clock;
use crate::platform::yielding::Yielder;
use ledger::{mine, BlockHeader, Hash, MineOutcome};
use std::cell::Cell;
use std::rc::Rc;
use yew::Callback;

/// Longest stretch of hashing before the page gets control back, in ms.
pub const SLICE_MS: f64 = 4.0;
/// The most a slice may hold the page for the page to feel responsive.
pub const BUDGET_MS: f64 = 50.0;
/// Shortest time between two progress reports (each one redraws the page).
pub const PROGRESS_MS: f64 = 100.0;
/// Smallest and largest number of nonces tried in one call to `mine`.
const MIN_BATCH: u64 = 64;
const MAX_BATCH: u64 = 1 << 13;

/// How the search is going.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MineProgress {
    /// Nonces tried so far.
    pub tried: u64,
    /// The nonce tried last and its hash (for the "flickering hash" display).
    pub last_nonce: u64,
    /// Hash of `last_nonce`.
    pub last_hash: Hash,
    /// Milliseconds since the start.
    pub elapsed_ms: f64,
    /// The longest the search held the page without yielding, in ms
    /// (wall-clock time, so it includes any time the system gave the CPU to
    /// other programs).
    pub longest_slice_ms: f64,
    /// Slices of work so far.
    pub slices: u64,
    /// Slices that held the page longer than [`BUDGET_MS`].
    pub slow_slices: u64,
}

impl MineProgress {
    /// Hashes per second so far (0 at the start).
    pub fn rate(&self) -> f64 {
        if self.elapsed_ms > 0.0 {
            self.tried as f64 * 1000.0 / self.elapsed_ms
        } else {
            0.0
        }
    }
}

/// How a search ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum MineResult {
    /// A nonce that gives the header enough leading zero bits.
    Found {
        /// The header with the winning nonce.
        header: BlockHeader,
        /// The final progress.
        progress: MineProgress,
    },
    /// The user pressed Cancel.
    Cancelled {
        /// Progress when it stopped.
        progress: MineProgress,
    },
    /// Every nonce up to `u64::MAX` was tried (never happens in a lesson).
    Exhausted,
}

/// A running search; [`cancel`](Self::cancel) stops it at the next slice.
#[derive(Clone, Debug, Default)]
pub struct MineJob {
    cancelled: Rc<Cell<bool>>,
}

impl MineJob {
    /// Asks the search to stop; it reports [`MineResult::Cancelled`].
    pub fn cancel(&self) {
        self.cancelled.set(true);
    }
}

impl PartialEq for MineJob {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.cancelled, &other.cancelled)
    }
}

/// Starts searching nonces from 0 for `header` (its own nonce is ignored).
/// `on_progress` is called after every slice, `on_done` once at the end.
pub fn start(
    header: BlockHeader,
    on_progress: Callback<MineProgress>,
    on_done: Callback<MineResult>,
) -> MineJob {
    let job = MineJob::default();
    let cancelled = job.cancelled.clone();
    yew::platform::spawn_local(async move {
        let yielder = Yielder::new();
        let started = clock::now_millis();
        let mut next: u64 = 0;
        let mut batch: u64 = 256;
        let mut reported = started;
        let mut longest = 0.0_f64;
        let (mut slices, mut slow) = (0u64, 0u64);
        let progress_at = |next: u64, longest_slice_ms: f64, slices: u64, slow_slices: u64| {
            let last_nonce = next.saturating_sub(1);
            let mut probe = header;
            probe.nonce = last_nonce;
            MineProgress {
                tried: next,
                last_nonce,
                last_hash: probe.hash(),
                elapsed_ms: clock::now_millis() - started,
                longest_slice_ms,
                slices,
                slow_slices,
            }
        };
        loop {
            if cancelled.get() {
                on_done.emit(MineResult::Cancelled {
                    progress: progress_at(next, longest, slices, slow),
                });
                return;
            }
            let slice_start = clock::now_millis();
            loop {
                let batch_start = clock::now_millis();
                let Some(end) = next.checked_add(batch) else {
                    on_done.emit(MineResult::Exhausted);
                    return;
                };
                match mine(&header, next..end) {
                    MineOutcome::Found { nonce, hash, .. } => {
                        let mut found = header;
                        found.nonce = nonce;
                        let now = clock::now_millis();
                        let held = now - slice_start;
                        let progress = MineProgress {
                            tried: nonce.saturating_add(1),
                            last_nonce: nonce,
                            last_hash: hash,
                            elapsed_ms: now - started,
                            longest_slice_ms: longest.max(held),
                            slices: slices + 1,
                            slow_slices: slow + u64::from(held > BUDGET_MS),
                        };
                        on_done.emit(MineResult::Found {
                            header: found,
                            progress,
                        });
                        return;
                    }
                    MineOutcome::NotFound { .. } => next = end,
                }
                // Keep one batch to about a millisecond on any machine.
                let took = clock::now_millis() - batch_start;
                if took < 1.0 {
                    batch = (batch * 2).min(MAX_BATCH);
                } else if took > 2.0 {
                    batch = (batch / 2).max(MIN_BATCH);
                }
                let held = clock::now_millis() - slice_start;
                if held >= SLICE_MS {
                    longest = longest.max(held);
                    slices += 1;
                    slow += u64::from(held > BUDGET_MS);
                    break;
                }
            }
            if clock::now_millis() - reported >= PROGRESS_MS {
                reported = clock::now_millis();
                on_progress.emit(progress_at(next, longest, slices, slow));
            }
            yielder.yield_now().await;
        }
    });
    job
}

/// Expected number of tries to find a hash with `bits` leading zero bits.
pub fn expected_tries(bits: u32) -> f64 {
    2f64.powi(i32::try_from(bits).unwrap_or(i32::MAX))
}

/// What the page shows about mining.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct MinerView {
    /// The caller's tag of what is being mined (a block position), while a
    /// search runs.
    pub running: Option<usize>,
    /// Progress of the running (or last) search.
    pub progress: Option<MineProgress>,
    /// How the last search ended, with its tag.
    pub last: Option<(usize, MineResult)>,
}

/// A component's miner: one search at a time, cancelled when the component
/// goes away.
#[derive(Clone)]
pub struct UseMiner {
    /// What to show.
    pub view: yew::UseStateHandle<MinerView>,
    job: Rc<std::cell::RefCell<Option<MineJob>>>,
}

/// The miner of the calling component.
#[yew::hook]
pub fn use_miner() -> UseMiner {
    let view = yew::use_state(MinerView::default);
    let job = yew::use_mut_ref(|| None::<MineJob>);
    {
        let job = job.clone();
        yew::use_effect_with((), move |_| {
            move || {
                if let Some(running) = job.borrow().as_ref() {
                    running.cancel();
                }
            }
        });
    }
    UseMiner { view, job }
}

impl UseMiner {
    /// Is a search running?
    pub fn busy(&self) -> bool {
        self.job.borrow().is_some()
    }

    /// Starts mining `header` under `tag`; `on_found` gets the mined header.
    /// Does nothing while another search runs.
    pub fn start(&self, tag: usize, header: BlockHeader, on_found: Callback<BlockHeader>) {
        if self.busy() {
            return;
        }
        let on_progress = {
            let view = self.view.clone();
            Callback::from(move |progress: MineProgress| {
                view.set(MinerView {
                    running: Some(tag),
                    progress: Some(progress),
                    last: None,
                })
            })
        };
        let on_done = {
            let view = self.view.clone();
            let job = self.job.clone();
            Callback::from(move |result: MineResult| {
                *job.borrow_mut() = None;
                let progress = match result {
                    MineResult::Found { progress, .. } | MineResult::Cancelled { progress } => {
                        Some(progress)
                    }
                    MineResult::Exhausted => None,
                };
                view.set(MinerView {
                    running: None,
                    progress,
                    last: Some((tag, result)),
                });
                if let MineResult::Found { header, .. } = result {
                    on_found.emit(header);
                }
            })
        };
        self.view.set(MinerView {
            running: Some(tag),
            progress: None,
            last: None,
        });
        *self.job.borrow_mut() = Some(start(header, on_progress, on_done));
    }

    /// Stops the running search, if any.
    pub fn cancel(&self) {
        if let Some(job) = self.job.borrow().as_ref() {
            job.cancel();
        }
    }

    /// Forgets the last result (after the page has used it).
    pub fn clear(&self) {
        if !self.busy() {
            self.view.set(MinerView::default());
        }
    }
}

/// Seconds with one decimal (`0.4`).
pub fn seconds(ms: f64) -> String {
    format!("{:.1}", (ms / 1000.0).max(0.0))
}

/// The live mining panel: tries against the expected average, hash rate,
/// time, and the Cancel button. Empty when nothing runs.
pub fn progress_view(
    l: &'static crate::i18n::learn::LearnTr,
    view: &MinerView,
    difficulty: u32,
    on_cancel: Callback<yew::MouseEvent>,
) -> yew::Html {
    use super::{fill, group};
    use yew::html;
    if view.running.is_none() {
        return html! {};
    }
    let expected = expected_tries(difficulty);
    let progress = view.progress.unwrap_or(MineProgress {
        tried: 0,
        last_nonce: 0,
        last_hash: Hash::ZERO,
        elapsed_ms: 0.0,
        longest_slice_ms: 0.0,
        slices: 0,
        slow_slices: 0,
    });
    let shown = (progress.tried as f64).min(expected);
    html! {
        <div class="mining" role="status" aria-live="polite" data-testid="mining"
            data-longest-slice-ms={format!("{:.1}", progress.longest_slice_ms)}>
            <p><strong>{ l.mining_now }</strong></p>
            <progress
                max={format!("{expected:.0}")}
                value={format!("{shown:.0}")}
                aria-label={l.mining_progress_label}
            />
            <p>
                { fill(l.mining_stats, &[
                    ("tried", group(progress.tried)),
                    ("expected", group(expected as u64)),
                    ("rate", group(progress.rate() as u64)),
                    ("seconds", seconds(progress.elapsed_ms)),
                ]) }
            </p>
            if progress.tried > 0 {
                <p class="mono muted">
                    { fill(l.mining_trying, &[
                        ("nonce", group(progress.last_nonce)),
                        ("hash", format!("{}…", progress.last_hash.short())),
                    ]) }
                </p>
            }
            <button type="button" class="danger" data-testid="cancel" onclick={on_cancel}>
                { l.mining_cancel }
            </button>
        </div>
    }
}

/// The sentence about how the last search ended, if any.
pub fn result_view(
    l: &'static crate::i18n::learn::LearnTr,
    view: &MinerView,
    tag: usize,
) -> yew::Html {
    use super::{fill, group};
    use yew::html;
    match view.last {
        Some((done_tag, MineResult::Found { header, progress })) if done_tag == tag => html! {
            <p class="message ok" role="status" data-testid="mine-result"
                data-longest-slice-ms={format!("{:.1}", progress.longest_slice_ms)}
                data-slices={progress.slices.to_string()} data-slow-slices={progress.slow_slices.to_string()}>
                <span aria-hidden="true">{ "✓ " }</span>
                { fill(l.mining_found, &[
                    ("nonce", group(header.nonce)),
                    ("tried", group(progress.tried)),
                    ("seconds", seconds(progress.elapsed_ms)),
                    ("rate", group(progress.rate() as u64)),
                ]) }
            </p>
        },
        Some((done_tag, MineResult::Cancelled { progress })) if done_tag == tag => html! {
            <p class="message info" role="status" data-testid="mine-result"
                data-longest-slice-ms={format!("{:.1}", progress.longest_slice_ms)}
                data-slices={progress.slices.to_string()} data-slow-slices={progress.slow_slices.to_string()}>
                { fill(l.mining_cancelled, &[("tried", group(progress.tried))]) }
            </p>
        },
        Some((done_tag, MineResult::Exhausted)) if done_tag == tag => html! {
            <p class="message error" role="status" data-testid="mine-result">{ l.mining_exhausted }</p>
        },
        _ => html! {},
    }
}
