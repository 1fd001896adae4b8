//! The one storage layer for everything the app keeps in the browser (the
//! teacher's desk, the wallet, the lessons' chain, class ledger and progress):
//! a versioned record under one IndexedDB key, carrying a revision number,
//! loaded into one reducer ([`StoredState`]) by one hook ([`use_stored`]).
//!
//! The rules, the same for every record:
//! - **Every write is a compare-and-swap** on the stored revision inside one
//!   IndexedDB `readwrite` transaction ([`compare_and_swap`], run by
//!   [`save`]): if storage still holds the revision this tab last read, this
//!   tab's record is written; if another tab wrote in between, the record's
//!   own three-way [`Record::merge`] combines the two, or refuses, and then
//!   nothing is written and this tab shows the stored record again with the
//!   record's message ([`Record::Notice`]). Nothing is lost silently.
//! - **Other tabs hear about it** on a `BroadcastChannel` per key and read
//!   the store again (the message itself is never trusted as data); a tab
//!   with unsaved changes merges them on its next save instead.
//! - **A stored value this version cannot read is never overwritten**: the
//!   state is [`StoredState::Damaged`] with the raw text for the recovery
//!   screen (`pages::recovery`), and only the user's confirmed "start over"
//!   ([`StoredAction::Reset`]) lets the next save replace it.
//! - **One save at a time** per tab; a change made while a save runs is
//!   merged on top of what was written and saved next.
//!
//! The reducer is pure (time arrives inside the action, read by the handle
//! when it dispatches) and is tested natively with a small record.

use crate::platform::idb::{self, IdbError, Update};
use crate::platform::{broadcast, clock};
use credentials::Instant;
use std::fmt;
use std::rc::Rc;
use yew::prelude::*;

/// A value the app keeps under one IndexedDB key.
pub trait Record: Clone + PartialEq + fmt::Debug + Sized + 'static {
    /// The IndexedDB key (versioned, `chainclass.<area>.v1…`).
    const KEY: &'static str;
    /// Whether the page can go on in memory when the browser has no storage
    /// (a lesson), rather than stopping with a message (the desk, the wallet:
    /// a key or a certificate kept only in a tab's memory would be lost).
    const IN_MEMORY_OK: bool;
    /// Why a stored text cannot be read.
    type TextError: Clone + PartialEq + fmt::Debug + 'static;
    /// Why this tab's change and another tab's cannot be merged.
    type Conflict: Clone + PartialEq + fmt::Debug + 'static;
    /// A change the page asks for (the record's domain actions).
    type Change: fmt::Debug + 'static;
    /// What the page tells the user after a change or a refused merge.
    type Notice: Clone + PartialEq + fmt::Debug + From<Self::Conflict> + 'static;

    /// What "nothing stored" means.
    fn empty() -> Self;
    /// Parses the stored text.
    fn from_text(text: &str) -> Result<Self, Self::TextError>;
    /// The stored text.
    fn to_text(&self) -> String;
    /// How many times the stored record has been written.
    fn revision(&self) -> u64;
    /// Sets the revision (only the storage layer does).
    fn set_revision(&mut self, revision: u64);
    /// Combines `mine` (this tab's, made from `base`) with `theirs` (stored
    /// by another tab since), at time `at`; or says why it cannot.
    fn merge(base: &Self, mine: &Self, theirs: &Self, at: Instant) -> Result<Self, Self::Conflict>;
    /// Applies one change at time `at`.
    fn apply(&self, change: Self::Change, at: Instant) -> Applied<Self>;
    /// Text an earlier version of the app kept elsewhere, read when the
    /// store has none (then saved here; the old copy is left alone).
    fn legacy_text() -> Option<String> {
        None
    }
}

/// What a change did.
pub struct Applied<R: Record> {
    /// The changed record (`None`: nothing changed, nothing to save).
    pub value: Option<R>,
    /// What the page shows about it.
    pub notice: Notice<R::Notice>,
}

impl<R: Record> Applied<R> {
    /// Nothing changed; the message stays.
    pub fn same() -> Self {
        Applied {
            value: None,
            notice: Notice::Keep,
        }
    }

    /// Changed; the message stays.
    pub fn changed(value: R) -> Self {
        Applied {
            value: Some(value),
            notice: Notice::Keep,
        }
    }

    /// With this message.
    pub fn telling(mut self, notice: R::Notice) -> Self {
        self.notice = Notice::Set(notice);
        self
    }

    /// With the message cleared.
    pub fn quiet(mut self) -> Self {
        self.notice = Notice::Clear;
        self
    }
}

/// What a change does to the page's message.
pub enum Notice<N> {
    /// Leave it.
    Keep,
    /// Show this one.
    Set(N),
    /// Remove it.
    Clear,
}

/// A stored record as a page sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum StoredState<R: Record> {
    /// Reading IndexedDB.
    Loading,
    /// The record and how it stands against storage.
    Ready {
        /// The record this tab shows.
        value: Rc<R>,
        /// The stored record this tab last read or wrote: its revision is
        /// the one the next save expects to find.
        base: Rc<R>,
        /// Changed since last saved.
        dirty: bool,
        /// The last message (a refused merge, or what a change did).
        notice: Option<R::Notice>,
        /// The user chose to start over from a damaged store: the next save
        /// may replace what cannot be read.
        replaces_damaged: bool,
        /// The browser has no storage: changes live in this tab only.
        in_memory: Option<String>,
    },
    /// Stored data that cannot be read: shown for download, never
    /// overwritten until the user starts over.
    Damaged {
        /// The stored text, as found.
        raw: String,
        /// Why it could not be read.
        reason: R::TextError,
    },
    /// The browser has no usable IndexedDB (for records that need it).
    Unavailable(String),
}

impl<R: Record> StoredState<R> {
    /// The record, once loaded.
    pub fn value(&self) -> Option<&Rc<R>> {
        match self {
            StoredState::Ready { value, .. } => Some(value),
            _ => None,
        }
    }

    /// The last message, once loaded.
    pub fn notice(&self) -> Option<&R::Notice> {
        match self {
            StoredState::Ready { notice, .. } => notice.as_ref(),
            _ => None,
        }
    }

    /// Whether the browser has no storage and changes live in this tab only.
    pub fn in_memory(&self) -> bool {
        matches!(
            self,
            StoredState::Ready {
                in_memory: Some(_),
                ..
            }
        )
    }

    /// Stored (nothing waiting to be saved) and at which revision: for the
    /// page's `data-saved` / `data-revision` attributes.
    pub fn saved_revision(&self) -> (bool, u64) {
        match self {
            StoredState::Ready {
                dirty,
                base,
                in_memory: None,
                ..
            } => (!dirty, base.revision()),
            _ => (false, 0),
        }
    }
}

/// What happens to a stored record.
#[derive(Debug)]
pub enum StoredAction<R: Record> {
    /// The store was read. `legacy`: the text came from an earlier
    /// version's place ([`Record::legacy_text`]) and is to be saved here.
    Loaded {
        /// The stored text, or why the store could not be read.
        result: Result<Option<String>, IdbError>,
        /// From the earlier place.
        legacy: bool,
    },
    /// The page's change, at this time.
    Change(R::Change, Instant),
    /// Start over after a damaged store (the user confirmed, after being
    /// offered the stored text as a download).
    Reset,
    /// `saved` was stored; storage now holds `written` (the same, or merged
    /// with another tab's changes).
    Stored {
        /// What this tab asked to save.
        saved: Rc<R>,
        /// What storage holds now.
        written: Rc<R>,
        /// When (for a merge with changes made while saving).
        at: Instant,
    },
    /// This tab's change could not be merged with another tab's: storage
    /// keeps `theirs`, which the page shows again.
    Refused {
        /// Why.
        conflict: R::Conflict,
        /// The stored record.
        theirs: Rc<R>,
    },
    /// Another tab stored this text.
    External(String),
    /// The user read the message.
    DismissNotice,
}

impl<R: Record> Reducible for StoredState<R> {
    type Action = StoredAction<R>;

    fn reduce(self: Rc<Self>, action: StoredAction<R>) -> Rc<Self> {
        let ready = |value: Rc<R>, base: Rc<R>, dirty: bool, notice: Option<R::Notice>| {
            Rc::new(StoredState::Ready {
                value,
                base,
                dirty,
                notice,
                replaces_damaged: false,
                in_memory: None,
            })
        };
        match (action, &*self) {
            (StoredAction::Loaded { result, legacy }, _) => match result {
                Ok(None) => {
                    let empty = Rc::new(R::empty());
                    ready(empty.clone(), empty, false, None)
                }
                Ok(Some(raw)) => match R::from_text(&raw) {
                    // Text from an earlier version's place is saved here:
                    // against an empty base, so nothing stored is replaced.
                    Ok(value) if legacy => {
                        let mut base = R::empty();
                        base.set_revision(0);
                        ready(Rc::new(value), Rc::new(base), true, None)
                    }
                    Ok(value) => {
                        let value = Rc::new(value);
                        ready(value.clone(), value, false, None)
                    }
                    Err(reason) => Rc::new(StoredState::Damaged { raw, reason }),
                },
                Err(e) if R::IN_MEMORY_OK => {
                    let empty = Rc::new(R::empty());
                    Rc::new(StoredState::Ready {
                        value: empty.clone(),
                        base: empty,
                        dirty: false,
                        notice: None,
                        replaces_damaged: false,
                        in_memory: Some(e.to_string()),
                    })
                }
                Err(e) => Rc::new(StoredState::Unavailable(e.to_string())),
            },
            (StoredAction::Reset, StoredState::Damaged { .. }) => {
                let empty = Rc::new(R::empty());
                Rc::new(StoredState::Ready {
                    value: empty.clone(),
                    base: empty,
                    dirty: true,
                    notice: None,
                    replaces_damaged: true,
                    in_memory: None,
                })
            }
            (
                action,
                StoredState::Ready {
                    value,
                    base,
                    dirty,
                    notice,
                    replaces_damaged,
                    in_memory,
                },
            ) => {
                let with = |value: Rc<R>, base: Rc<R>, dirty: bool, notice: Option<R::Notice>| {
                    Rc::new(StoredState::Ready {
                        value,
                        base,
                        dirty,
                        notice,
                        replaces_damaged: *replaces_damaged,
                        in_memory: in_memory.clone(),
                    })
                };
                match action {
                    StoredAction::Change(change, at) => {
                        let applied = value.apply(change, at);
                        let next_notice = match applied.notice {
                            Notice::Keep => notice.clone(),
                            Notice::Set(n) => Some(n),
                            Notice::Clear => None,
                        };
                        match applied.value {
                            Some(v) if v != **value => {
                                with(Rc::new(v), base.clone(), true, next_notice)
                            }
                            _ if next_notice == *notice => self,
                            _ => with(value.clone(), base.clone(), *dirty, next_notice),
                        }
                    }
                    StoredAction::Stored { saved, written, at } => {
                        let value = if saved == *value {
                            written.clone()
                        } else {
                            // Changed again while saving: keep those changes
                            // on top of what was written.
                            match R::merge(&saved, value, &written, at) {
                                Ok(merged) => Rc::new(merged),
                                Err(_) => value.clone(),
                            }
                        };
                        Rc::new(StoredState::Ready {
                            dirty: *value != *written,
                            value,
                            base: written,
                            notice: notice.clone(),
                            replaces_damaged: false,
                            in_memory: None,
                        })
                    }
                    StoredAction::Refused { conflict, theirs } => {
                        with(theirs.clone(), theirs, false, Some(conflict.into()))
                    }
                    StoredAction::External(raw) => {
                        // Unsaved changes of this tab are merged when saved.
                        if *dirty {
                            return self;
                        }
                        match R::from_text(&raw) {
                            Ok(theirs) if theirs.revision() > base.revision() => {
                                let theirs = Rc::new(theirs);
                                with(theirs.clone(), theirs, false, notice.clone())
                            }
                            _ => self,
                        }
                    }
                    StoredAction::DismissNotice => with(value.clone(), base.clone(), *dirty, None),
                    StoredAction::Loaded { .. } | StoredAction::Reset => self,
                }
            }
            _ => self,
        }
    }
}

/// What one save decides, inside the transaction.
#[derive(Debug, PartialEq)]
pub enum Cas<R: Record> {
    /// Write this record (its revision is the stored one plus one).
    Write(R),
    /// Another tab's change and this tab's cannot be merged: nothing is
    /// written, storage keeps `theirs`.
    Conflict(R::Conflict, R),
    /// What is stored cannot be read: nothing is written.
    Unreadable(R::TextError),
}

/// The compare-and-swap of one save: `stored` is the text storage holds now,
/// `mine` this tab's record made from `base` (the stored record it last
/// read). Pure: [`save`] runs it inside the IndexedDB transaction.
pub fn compare_and_swap<R: Record>(
    stored: Option<&str>,
    base: &R,
    mine: &R,
    replaces_damaged: bool,
    at: Instant,
) -> Cas<R> {
    let theirs = match stored.map(R::from_text) {
        None => None,
        Some(Ok(theirs)) => Some(theirs),
        Some(Err(_)) if replaces_damaged => None,
        Some(Err(e)) => return Cas::Unreadable(e),
    };
    let write = |mut next: R, previous: u64| {
        next.set_revision(previous.saturating_add(1));
        Cas::Write(next)
    };
    match theirs {
        None => write(mine.clone(), base.revision()),
        Some(theirs) if theirs.revision() == base.revision() => {
            write(mine.clone(), theirs.revision())
        }
        Some(theirs) => match R::merge(base, mine, &theirs, at) {
            Ok(merged) => write(merged, theirs.revision()),
            Err(conflict) => Cas::Conflict(conflict, theirs),
        },
    }
}

/// Why a save did not reach storage.
#[derive(Clone, Debug, PartialEq)]
pub enum SaveError<E> {
    /// IndexedDB refused (quota, blocked, aborted).
    Storage(IdbError),
    /// What is stored now cannot be read (written meanwhile by a newer
    /// version, or damaged): it was left as it is.
    StoredUnreadable(E),
}

/// What a save did.
#[derive(Debug)]
pub enum Saved<R: Record> {
    /// Storage holds this record now.
    Written(R),
    /// Refused: storage keeps `theirs`.
    Conflict(R::Conflict, R),
}

/// Reads the stored text, or an earlier version's ([`Record::legacy_text`]);
/// the flag says which.
pub async fn load<R: Record>() -> (Result<Option<String>, IdbError>, bool) {
    match idb::get(R::KEY).await {
        Ok(None) => match R::legacy_text() {
            Some(text) => (Ok(Some(text)), true),
            None => (Ok(None), false),
        },
        other => (other, false),
    }
}

/// Stores `mine` (made from `base`) as one compare-and-swap, and tells the
/// other tabs.
pub async fn save<R: Record>(
    base: &R,
    mine: &R,
    replaces_damaged: bool,
    at: Instant,
) -> Result<Saved<R>, SaveError<R::TextError>> {
    let outcome = idb::update(R::KEY, |stored| {
        match compare_and_swap(stored.as_deref(), base, mine, replaces_damaged, at) {
            Cas::Write(next) => Update::Write(next.to_text(), Ok(Saved::Written(next))),
            Cas::Conflict(c, theirs) => Update::Keep(Ok(Saved::Conflict(c, theirs))),
            Cas::Unreadable(e) => Update::Keep(Err(SaveError::StoredUnreadable(e))),
        }
    })
    .await
    .map_err(SaveError::Storage)??;
    if let Saved::Written(r) = &outcome {
        broadcast::announce(R::KEY, r.revision());
    }
    Ok(outcome)
}

/// Changes the stored record in one transaction from a page that does not
/// hold it (the verifier's "add to my wallet"): `change` gets the stored
/// record (or the empty one) and gives the new one, or `None` for no write.
/// A stored record that cannot be read is left alone.
pub async fn update<R: Record>(
    change: impl FnOnce(R) -> Option<R>,
) -> Result<(), SaveError<R::TextError>> {
    let written = idb::update(R::KEY, |stored| {
        let current = match stored.as_deref().map(R::from_text) {
            None => R::empty(),
            Some(Ok(r)) => r,
            Some(Err(e)) => return Update::Keep(Err(SaveError::StoredUnreadable(e))),
        };
        let revision = current.revision();
        match change(current) {
            None => Update::Keep(Ok(None)),
            Some(mut next) => {
                next.set_revision(revision.saturating_add(1));
                Update::Write(next.to_text(), Ok(Some(next.revision())))
            }
        }
    })
    .await
    .map_err(SaveError::Storage)??;
    if let Some(revision) = written {
        broadcast::announce(R::KEY, revision);
    }
    Ok(())
}

/// The current time, as the storage layer hands it to records.
pub fn now() -> Instant {
    Instant::from_unix_millis(clock::now_millis() as i64)
}

/// A page's handle on a stored record: the state, the last save error, and
/// `dispatch` for the record's own changes (stamped with the time).
pub struct StoredHandle<R: Record> {
    state: UseReducerHandle<StoredState<R>>,
    save_error: UseStateHandle<Option<SaveError<R::TextError>>>,
}

impl<R: Record> Clone for StoredHandle<R> {
    fn clone(&self) -> Self {
        StoredHandle {
            state: self.state.clone(),
            save_error: self.save_error.clone(),
        }
    }
}

impl<R: Record> PartialEq for StoredHandle<R> {
    fn eq(&self, other: &Self) -> bool {
        self.state == other.state && self.save_error == other.save_error
    }
}

impl<R: Record> std::ops::Deref for StoredHandle<R> {
    type Target = StoredState<R>;
    fn deref(&self) -> &StoredState<R> {
        &self.state
    }
}

impl<R: Record> StoredHandle<R> {
    /// Applies one of the record's changes, now.
    pub fn dispatch(&self, change: R::Change) {
        self.state.dispatch(StoredAction::Change(change, now()));
    }

    /// Starts over after a damaged store (the user confirmed).
    pub fn reset(&self) {
        self.state.dispatch(StoredAction::Reset);
    }

    /// Removes the message.
    pub fn dismiss_notice(&self) {
        self.state.dispatch(StoredAction::DismissNotice);
    }

    /// Why the last save failed, if it did.
    pub fn save_error(&self) -> Option<&SaveError<R::TextError>> {
        self.save_error.as_ref()
    }
}

/// Loads `R` into a reducer, saves it whenever it changes (one save at a
/// time, each a compare-and-swap), and follows what other tabs store.
#[hook]
pub fn use_stored<R: Record>() -> StoredHandle<R> {
    let state = use_reducer(|| StoredState::<R>::Loading);
    let save_error = use_state(|| None::<SaveError<R::TextError>>);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            let first = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let (result, legacy) = load::<R>().await;
                first.dispatch(StoredAction::Loaded { result, legacy });
            });
            let listener = broadcast::listen(R::KEY, move || {
                let state = state.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(Some(raw)) = idb::get(R::KEY).await {
                        state.dispatch(StoredAction::External(raw));
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
            if let StoredState::Ready {
                value,
                base,
                dirty: true,
                replaces_damaged,
                in_memory: None,
                ..
            } = s
            {
                if *saving.borrow() {
                    return;
                }
                *saving.borrow_mut() = true;
                let (value, base, replaces_damaged) =
                    (value.clone(), base.clone(), *replaces_damaged);
                wasm_bindgen_futures::spawn_local(async move {
                    let at = now();
                    let result = save::<R>(&base, &value, replaces_damaged, at).await;
                    *saving.borrow_mut() = false;
                    match result {
                        Ok(Saved::Written(written)) => {
                            save_error.set(None);
                            state_for_save.dispatch(StoredAction::Stored {
                                saved: value,
                                written: Rc::new(written),
                                at,
                            });
                        }
                        Ok(Saved::Conflict(conflict, theirs)) => {
                            save_error.set(None);
                            state_for_save.dispatch(StoredAction::Refused {
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
    StoredHandle { state, save_error }
}

/// Three-way merge of sets kept as lists: what `theirs` has, less what
/// `mine` removed since `base`, plus what `mine` added since `base`, in
/// `theirs`' order then `mine`'s. `same` tells two items apart.
pub fn merge_sets<T: Clone>(
    base: &[T],
    mine: &[T],
    theirs: &[T],
    same: impl Fn(&T, &T) -> bool,
) -> Vec<T> {
    let has = |list: &[T], x: &T| list.iter().any(|y| same(x, y));
    let mut out: Vec<T> = theirs
        .iter()
        .filter(|t| has(mine, t) || !has(base, t))
        .cloned()
        .collect();
    for m in mine {
        if !has(&out, m) && !has(base, m) {
            out.push(m.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    /// A set of words; "x" cannot be merged with a concurrent change.
    #[derive(Clone, Debug, PartialEq)]
    struct Words {
        words: Vec<String>,
        revision: u64,
    }

    #[derive(Clone, Debug, PartialEq)]
    struct Clash;

    impl Record for Words {
        const KEY: &'static str = "test.words";
        const IN_MEMORY_OK: bool = false;
        type TextError = String;
        type Conflict = Clash;
        type Change = &'static str;
        type Notice = Clash;

        fn empty() -> Self {
            Words {
                words: Vec::new(),
                revision: 0,
            }
        }
        fn from_text(text: &str) -> Result<Self, String> {
            let (rev, words) = text.split_once(':').ok_or("no revision")?;
            Ok(Words {
                revision: rev.parse().map_err(|_| "bad revision")?,
                words: words
                    .split(',')
                    .filter(|w| !w.is_empty())
                    .map(str::to_owned)
                    .collect(),
            })
        }
        fn to_text(&self) -> String {
            format!("{}:{}", self.revision, self.words.join(","))
        }
        fn revision(&self) -> u64 {
            self.revision
        }
        fn set_revision(&mut self, revision: u64) {
            self.revision = revision;
        }
        fn merge(base: &Self, mine: &Self, theirs: &Self, _at: Instant) -> Result<Self, Clash> {
            if mine.words.iter().any(|w| w == "x") {
                return Err(Clash);
            }
            Ok(Words {
                words: merge_sets(&base.words, &mine.words, &theirs.words, |a, b| a == b),
                ..theirs.clone()
            })
        }
        fn apply(&self, change: &'static str, _at: Instant) -> Applied<Self> {
            let mut next = self.clone();
            if let Some(word) = change.strip_prefix('-') {
                next.words.retain(|w| w != word);
            } else if !next.words.iter().any(|w| w == change) {
                next.words.push(change.to_owned());
            }
            Applied::changed(next)
        }
    }

    fn at() -> Instant {
        Instant::from_unix(1_800_000_000, 0)
    }

    fn words(revision: u64, list: &[&str]) -> Words {
        Words {
            words: list.iter().map(|w| w.to_string()).collect(),
            revision,
        }
    }

    fn state(s: &Rc<StoredState<Words>>) -> (&Words, &Words, bool) {
        match &**s {
            StoredState::Ready {
                value, base, dirty, ..
            } => (value, base, *dirty),
            other => panic!("not ready: {other:?}"),
        }
    }

    fn loaded(text: Option<&str>) -> Rc<StoredState<Words>> {
        Rc::new(StoredState::Loading).reduce(StoredAction::Loaded {
            result: Ok(text.map(str::to_owned)),
            legacy: false,
        })
    }

    #[test]
    fn a_save_writes_when_storage_still_holds_the_base_and_merges_when_it_moved_on() {
        let base = words(4, &["a", "b"]);
        let mine = words(4, &["a", "b", "c"]);
        assert_eq!(
            compare_and_swap(Some("4:a,b"), &base, &mine, false, at()),
            Cas::Write(words(5, &["a", "b", "c"]))
        );
        // Another tab removed "a" and added "d" (revision 6): both kept.
        assert_eq!(
            compare_and_swap(Some("6:b,d"), &base, &mine, false, at()),
            Cas::Write(words(7, &["b", "d", "c"]))
        );
        // Nothing stored: written after the base's revision.
        assert_eq!(
            compare_and_swap(None, &base, &mine, false, at()),
            Cas::Write(words(5, &["a", "b", "c"]))
        );
        // A merge the record refuses writes nothing and hands back theirs.
        let clash = words(4, &["x"]);
        assert_eq!(
            compare_and_swap(Some("6:b,d"), &base, &clash, false, at()),
            Cas::Conflict(Clash, words(6, &["b", "d"]))
        );
    }

    #[test]
    fn what_cannot_be_read_is_never_overwritten_unless_the_user_started_over() {
        let base = Words::empty();
        let mine = words(0, &["a"]);
        assert_eq!(
            compare_and_swap(Some("garbage"), &base, &mine, false, at()),
            Cas::Unreadable("no revision".to_owned())
        );
        assert_eq!(
            compare_and_swap(Some("garbage"), &base, &mine, true, at()),
            Cas::Write(words(1, &["a"]))
        );
        let damaged = loaded(Some("garbage"));
        assert!(matches!(&*damaged, StoredState::Damaged { raw, .. } if raw == "garbage"));
        // A change cannot touch it; only Reset does, and it marks the save.
        let same = damaged.clone().reduce(StoredAction::Change("a", at()));
        assert!(Rc::ptr_eq(&same, &damaged));
        let reset = damaged.reduce(StoredAction::Reset);
        assert!(matches!(
            &*reset,
            StoredState::Ready {
                dirty: true,
                replaces_damaged: true,
                ..
            }
        ));
    }

    #[test]
    fn changes_are_saved_once_and_changes_made_while_saving_are_kept() {
        let s = loaded(Some("3:a"));
        assert_eq!(state(&s), (&words(3, &["a"]), &words(3, &["a"]), false));
        let s = s.reduce(StoredAction::Change("b", at()));
        let saved = Rc::new(state(&s).0.clone());
        // While the save runs, "c" is added.
        let s = s.reduce(StoredAction::Change("c", at()));
        // Storage merged the save with another tab's "d".
        let written = Rc::new(words(5, &["a", "d", "b"]));
        let s = s.reduce(StoredAction::Stored {
            saved,
            written: written.clone(),
            at: at(),
        });
        let (value, base, dirty) = state(&s);
        assert_eq!(value.words, ["a", "d", "b", "c"]);
        assert_eq!(base, &*written);
        assert!(dirty, "\"c\" still needs saving");
    }

    #[test]
    fn another_tab_is_followed_unless_this_one_has_unsaved_changes() {
        let s = loaded(Some("3:a"));
        let newer = s.clone().reduce(StoredAction::External("4:a,b".into()));
        assert_eq!(state(&newer).0, &words(4, &["a", "b"]));
        // An older or equal revision is ignored.
        let older = newer.clone().reduce(StoredAction::External("2:z".into()));
        assert!(Rc::ptr_eq(&older, &newer));
        // Unsaved changes here: merged at the next save instead.
        let dirty = s.reduce(StoredAction::Change("c", at()));
        let kept = dirty.clone().reduce(StoredAction::External("9:q".into()));
        assert!(Rc::ptr_eq(&kept, &dirty));
    }

    #[test]
    fn a_refused_merge_shows_the_stored_record_and_says_so() {
        let s = loaded(Some("3:a")).reduce(StoredAction::Change("x", at()));
        let theirs = Rc::new(words(4, &["q"]));
        let s = s.reduce(StoredAction::Refused {
            conflict: Clash,
            theirs: theirs.clone(),
        });
        match &*s {
            StoredState::Ready {
                value,
                dirty,
                notice,
                ..
            } => {
                assert_eq!(**value, *theirs);
                assert!(!dirty);
                assert_eq!(notice, &Some(Clash));
            }
            other => panic!("{other:?}"),
        }
        let s = s.reduce(StoredAction::DismissNotice);
        assert!(matches!(&*s, StoredState::Ready { notice: None, .. }));
    }

    #[test]
    fn legacy_text_is_saved_against_an_empty_base() {
        let s = Rc::new(StoredState::<Words>::Loading).reduce(StoredAction::Loaded {
            result: Ok(Some("7:old".into())),
            legacy: true,
        });
        let (value, base, dirty) = state(&s);
        assert_eq!(value.words, ["old"]);
        assert_eq!(base.revision, 0);
        assert!(dirty);
    }

    #[test]
    fn no_storage_keeps_a_lesson_in_memory_and_stops_the_rest() {
        let s = Rc::new(StoredState::<Words>::Loading).reduce(StoredAction::Loaded {
            result: Err(IdbError::Unavailable("private mode".into())),
            legacy: false,
        });
        assert!(matches!(&*s, StoredState::Unavailable(_)));
    }

    #[test]
    fn set_merge_keeps_both_sides_additions_and_deletions() {
        let merged = merge_sets(&[1, 2, 3], &[1, 3, 4], &[2, 3, 5], |a, b| a == b);
        assert_eq!(merged, [3, 5, 4]);
    }
}
