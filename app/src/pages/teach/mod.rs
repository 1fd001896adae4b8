//! `#/teach`: the teacher's desk — school identity, programme templates,
//! issuing one certificate or a whole class, and the issued list with
//! revocation. Printable certificates live in [`print`].

mod backup;
mod batch;
mod handout;
mod identity;
mod issue_one;
mod issued;
mod key;
pub mod print;
mod publish;
mod templates;

use crate::i18n::teach::TeachTr;
use crate::jobs;
use crate::pages::recovery::{Recovery, RecoveryText};
use crate::state::desk_merge::MergeConflict;
use crate::state::settings::use_tr;
use crate::state::stored::{self, use_stored};
use crate::state::teach::{Desk, DeskAction, DeskError, DeskState};
use yew::prelude::*;

/// The desk's sections.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Tab {
    Identity,
    Templates,
    Issue,
    Batch,
    Issued,
}

thread_local! {
    /// The tab the desk opens on next (set by the print views' "Back", so
    /// the teacher returns to where printing started).
    static NEXT_TAB: std::cell::Cell<Option<Tab>> = const { std::cell::Cell::new(None) };
}

/// Opens the desk on `tab` the next time it is shown.
pub(super) fn open_tab_next(tab: Tab) {
    NEXT_TAB.with(|t| t.set(Some(tab)));
}

/// `#/teach`
#[component]
pub fn Teach() -> Html {
    let t = use_tr();
    let tt = t.teach();
    let state = use_stored::<Desk>();
    let tab = use_state(|| NEXT_TAB.with(std::cell::Cell::take));
    // The unlocked key is this tab's memory, not desk state: unlocking or
    // locking it re-renders the page.
    let refresh = use_force_update();
    let on_key_change = Callback::from(move |()| refresh.force_update());
    // Choose the first tab once the desk has loaded, then keep the user's choice.
    {
        let tab = tab.clone();
        let first = match &*state {
            DeskState::Ready { value: desk, .. } => {
                Some(if desk.issuer.as_ref().and_then(|i| i.did()).is_some() {
                    Tab::Issue
                } else {
                    Tab::Identity
                })
            }
            _ => None,
        };
        use_effect_with(first.is_some(), move |_| {
            if tab.is_none() {
                if let Some(first) = first {
                    tab.set(Some(first));
                }
            }
        });
    }
    // A status list whose bits changed (a revocation, a new list, a merge or
    // a restore) is signed again here rather than in the reducers: its
    // eddsa-rdfc-2022 hashing is the worker's, and the key must be unlocked.
    let list_problem = use_state(|| None::<String>);
    let ready = match &*state {
        DeskState::Ready { value, .. } => Some(value.clone()),
        _ => None,
    };
    // Whether each status list is published, checked at its address.
    let (publication, recheck) = publish::use_publication(ready.clone());
    // Encoding a list to compare it with its signed copy is work: once per render.
    let lists_due = ready
        .as_ref()
        .map(|d| d.lists_to_sign())
        .unwrap_or_default();
    let loaded = ready.is_some();
    {
        let due = lists_due.len();
        let signable = ready
            .as_ref()
            .and_then(|d| d.issuer.as_ref())
            .is_some_and(|i| i.key().is_some());
        let revision = ready.as_ref().map_or(0, |d| d.revision);
        let (state, list_problem) = (state.clone(), list_problem.clone());
        use_effect_with((revision, due, signable), move |&(_, due, signable)| {
            if let Some(desk) = ready.filter(|_| due > 0 && signable) {
                wasm_bindgen_futures::spawn_local(async move {
                    let at = stored::now();
                    match jobs::with_rdfc(|rdfc| desk.with_lists_signed(at, rdfc)).await {
                        Ok(to) => {
                            list_problem.set(None);
                            state.dispatch(DeskAction::Replace {
                                from: desk,
                                to: Box::new(to),
                            });
                        }
                        Err(e) => list_problem.set(Some(desk_error_text(tt, &e))),
                    }
                });
            }
        });
    }
    let body = match &*state {
        DeskState::Loading => html! { <p class="note">{ tt.loading }</p> },
        DeskState::Unavailable(e) => html! {
            <p class="message error" role="alert">{ tt.unavailable }{ " " }<code>{ e.clone() }</code></p>
        },
        DeskState::Damaged { raw, .. } => {
            let text = RecoveryText {
                title: tt.damaged_title,
                body: tt.damaged_body,
                newer: None,
                download: tt.damaged_download,
                reset: tt.damaged_reset,
                reset_confirm: tt.damaged_reset_confirm,
            };
            let state = state.clone();
            html! {
                <Recovery raw={raw.clone()} file_name="chainclass-teacher-unreadable.json" {text}
                    testid="teach-recovery" on_reset={Callback::from(move |()| state.reset())} />
            }
        }
        DeskState::Ready {
            value: desk,
            notice: conflict,
            ..
        } => {
            let has_issuer = desk.issuer.as_ref().and_then(|i| i.did()).is_some();
            let locked = desk.issuer.as_ref().is_some_and(|i| i.is_locked());
            let current = (*tab).unwrap_or(if has_issuer {
                Tab::Issue
            } else {
                Tab::Identity
            });
            let tabs = [
                (Tab::Identity, tt.tab_identity, "identity"),
                (Tab::Templates, tt.tab_templates, "templates"),
                (Tab::Issue, tt.tab_issue, "issue"),
                (Tab::Batch, tt.tab_batch, "batch"),
                (Tab::Issued, tt.tab_issued, "issued"),
            ];
            html! {
                <>
                    <div class="tabs" role="tablist">
                        { for tabs.into_iter().map(|(which, label, id)| {
                            let tab = tab.clone();
                            html! {
                                <button type="button" role="tab" data-tab={id}
                                    aria-selected={(which == current).to_string()}
                                    class={classes!("tab", (which == current).then_some("active"))}
                                    onclick={Callback::from(move |_| tab.set(Some(which)))}>{ label }</button>
                            }
                        }) }
                    </div>
                    { crate::pages::recovery::save_problem(t, tt.save_failed, state.save_error()) }
                    if let Some(p) = &*list_problem {
                        <p class="message error" role="alert" data-testid="status-list-problem">{ p.clone() }</p>
                    } else if locked && !lists_due.is_empty() {
                        <p class="message info" data-testid="status-list-unsigned">{ tt.lists_need_unlock }</p>
                    }
                    { publish::reminder(tt, &publication, (current != Tab::Issued).then(|| {
                        let tab = tab.clone();
                        Callback::from(move |()| tab.set(Some(Tab::Issued)))
                    })) }
                    if current != Tab::Identity && crate::state::desk_backup::backup_due(desk) {
                        <p class="message info" data-testid="backup-due-banner">
                            { tt.backup_reminder }{ " " }
                            <button type="button" class="secondary" onclick={{
                                let tab = tab.clone();
                                Callback::from(move |_| tab.set(Some(Tab::Identity)))
                            }}>{ tt.backup_reminder_link }</button>
                        </p>
                    }
                    if let Some(c) = conflict {
                        <div class="message error" role="alert" data-testid="desk-conflict">
                            <p>{ conflict_text(tt, c) }</p>
                            <button type="button" class="secondary" onclick={{
                                let state = state.clone();
                                Callback::from(move |_| state.dismiss_notice())
                            }}>{ tt.conflict_dismiss }</button>
                        </div>
                    }
                    if desk.issuer.as_ref().is_some_and(|i| i.history_unknown) {
                        <div class="message error" role="alert" data-testid="history-unknown">
                            <p>{ tt.history_unknown }</p>
                            <div class="row">
                                <button type="button" class="primary" onclick={{
                                    let tab = tab.clone();
                                    Callback::from(move |_| tab.set(Some(Tab::Identity)))
                                }}>{ tt.history_restore }</button>
                                <button type="button" class="secondary" data-testid="history-confirm" onclick={{
                                    let state = state.clone();
                                    Callback::from(move |_| state.dispatch(DeskAction::ConfirmHistory))
                                }}>{ tt.history_confirm }</button>
                            </div>
                        </div>
                    }
                    <key::KeyLock desk={desk.clone()} state={state.clone()} on_change={on_key_change.clone()} />
                    { match current {
                        Tab::Identity => html! {
                            <>
                                <identity::Identity desk={desk.clone()} state={state.clone()} on_lock={on_key_change.clone()} />
                                <backup::DeskBackup desk={desk.clone()} state={state.clone()} />
                            </>
                        },
                        Tab::Templates => html! { <templates::Templates desk={desk.clone()} state={state.clone()} /> },
                        Tab::Issue | Tab::Batch if !has_issuer => html! { <p class="message info">{ tt.need_identity }</p> },
                        Tab::Issue | Tab::Batch if locked => html! {},
                        Tab::Batch => html! { <batch::Batch desk={desk.clone()} state={state.clone()} /> },
                        Tab::Issue => html! { <issue_one::IssueOne desk={desk.clone()} state={state.clone()} /> },
                        Tab::Issued => html! {
                            <issued::Issued desk={desk.clone()} state={state.clone()}
                                publication={publication.clone()} recheck={recheck.clone()} />
                        },
                    } }
                </>
            }
        }
    };
    // For tests and for a reload right after a change: stored and at which revision.
    let (saved, revision) = state.saved_revision();
    // And whether every status list is signed as it stands (ready to publish).
    let lists_signed = loaded && lists_due.is_empty();
    html! {
        <section class="page" data-page="teach" data-saved={saved.to_string()} data-revision={revision.to_string()}
            data-lists-signed={lists_signed.to_string()}>
            { super::intro("teach", t.teach_title, t.teach_intro) }
            { body }
        </section>
    }
}

/// What the teacher is told when this tab's change could not be merged with
/// another tab's.
fn conflict_text(tt: &'static TeachTr, c: &MergeConflict) -> &'static str {
    match c {
        MergeConflict::KeyChanged => tt.conflict_key,
        MergeConflict::StatusIndexTaken { .. } => tt.conflict_index,
        MergeConflict::StatusListMoved { .. } => tt.conflict_list,
        MergeConflict::RecordDiffers { .. } => tt.conflict_record,
        MergeConflict::LedgerDiverged => tt.conflict_ledger,
    }
}

/// What the teacher is told when a status-list or ledger step failed.
pub(crate) fn desk_error_text(tt: &'static TeachTr, e: &DeskError) -> String {
    match e {
        DeskError::Locked => tt.key_locked_short.to_owned(),
        DeskError::NoIssuer => tt.need_identity.to_owned(),
        DeskError::NoRandomness => tt.no_randomness.to_owned(),
        DeskError::WouldUnrevoke { count } => tt.would_unrevoke.replace("{n}", &count.to_string()),
        DeskError::NoEntry | DeskError::Refused(_) => tt.status_failed.to_owned(),
        DeskError::SigningUnavailable => tt.signing_unavailable.to_owned(),
    }
}

// The input helpers are shared by every page's forms (`pages/mod.rs`).
pub(crate) use super::bind;
