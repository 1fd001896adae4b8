//! Every credential issued from this browser, searchable, with delivery
//! (link, QR, print) and revocation or suspension.

use super::bind;
use crate::pages::wallet::Share;
use crate::platform::files;
use crate::route::Route;
use crate::state::settings::{use_lang, use_tr};
use crate::state::teach::{Desk, DeskAction, DeskHandle, IssuedRecord, StatusChange};
use std::rc::Rc;
use yew::prelude::*;
use yew_router::prelude::*;

/// Properties of [`Issued`].
#[derive(Properties, PartialEq)]
pub struct IssuedProps {
    /// The desk.
    pub desk: Rc<Desk>,
    /// The desk reducer.
    pub state: DeskHandle,
    /// The status lists and whether each is published.
    pub publication: Vec<super::publish::ListToPublish>,
    /// Checks one list's address again.
    pub recheck: Callback<String>,
}

/// The status word of a record.
pub fn status_of(
    tt: &'static crate::i18n::teach::TeachTr,
    r: &IssuedRecord,
) -> (&'static str, &'static str) {
    if r.revoked.is_some() {
        (tt.st_revoked, "fail")
    } else if r.suspended.is_some() {
        (tt.st_suspended, "warning")
    } else {
        (tt.st_active, "pass")
    }
}

type Label = fn(&'static crate::i18n::teach::TeachTr) -> &'static str;

/// The status changes a record allows now.
fn status_actions(r: &IssuedRecord) -> Vec<(StatusChange, Label, &'static str)> {
    let mut out: Vec<(StatusChange, Label, &'static str)> = Vec::new();
    if r.revocation_index.is_some() && r.revoked.is_none() {
        out.push((StatusChange::Revoke, |t| t.revoke, "revoke"));
    }
    if r.suspension_index.is_some() && r.revoked.is_none() {
        if r.suspended.is_some() {
            out.push((StatusChange::Reinstate, |t| t.reinstate, "reinstate"));
        } else {
            out.push((StatusChange::Suspend, |t| t.suspend, "suspend"));
        }
    }
    out
}

/// The issued list.
#[component]
pub fn Issued(props: &IssuedProps) -> Html {
    let tt = use_tr().teach();
    let lang = use_lang();
    let query = use_state(String::new);
    let open = use_state(|| None::<String>);
    let acting = use_state(|| None::<(String, StatusChange)>);
    let reason = use_state(String::new);
    let failure = use_state(|| None::<String>);
    // After a revocation or a suspension: upload the list again.
    let changed = use_state(|| false);
    let q = query.trim().to_lowercase();
    let apply = {
        let (desk, state, acting, reason, failure, changed) = (
            props.desk.clone(),
            props.state.clone(),
            acting.clone(),
            reason.clone(),
            failure.clone(),
            changed.clone(),
        );
        Callback::from(move |_| {
            let Some((id, change)) = (*acting).clone() else {
                return;
            };
            let Some(index) = desk.issued.iter().position(|r| r.id == id) else {
                return;
            };
            let mut d = (*desk).clone();
            match d.set_status(index, change, &reason, crate::state::stored::now()) {
                Ok(()) => {
                    state.dispatch(DeskAction::Replace {
                        from: desk.clone(),
                        to: Box::new(d),
                    });
                    failure.set(None);
                    changed.set(true);
                }
                Err(e) => failure.set(Some(super::desk_error_text(tt, &e))),
            }
            acting.set(None);
            reason.set(String::new());
        })
    };
    // A key imported on its own: the lists could un-revoke earlier certificates.
    let on_hold = props
        .desk
        .issuer
        .as_ref()
        .is_some_and(|i| i.history_unknown);
    // The lists as they can be published now (none while on hold), as the
    // publishing checklist found them.
    let download_lists = {
        let lists = props.publication.clone();
        Callback::from(move |_| lists.iter().for_each(super::publish::download))
    };
    let download_ledger = {
        let desk = props.desk.clone();
        Callback::from(move |_| {
            if let Some(l) = &desk.ledger {
                let _ = files::download_text("class-ledger.json", "application/json", l);
            }
        })
    };
    let programme = |key: &str| props.desk.programme_name(key, lang);
    let rows: Vec<&IssuedRecord> = props
        .desk
        .issued
        .iter()
        .rev()
        .filter(|r| {
            q.is_empty()
                || r.student.to_lowercase().contains(&q)
                || programme(&r.template).to_lowercase().contains(&q)
                || r.batch.as_deref().unwrap_or("").to_lowercase().contains(&q)
        })
        .collect();
    html! {
        <div class="panel">
            <h2>{ tt.issued_title }</h2>
            <label for="issued-search">{ tt.search }</label>
            <input id="issued-search" type="text" data-testid="issued-search" value={(*query).clone()} oninput={bind(&query)} />
            <div class="row">
                if on_hold {
                    <p class="message info" data-testid="status-lists-on-hold">{ tt.history_hold_lists }</p>
                } else if !props.desk.lists_to_sign().is_empty() {
                    <p class="hint" data-testid="status-lists-signing">{
                        if props.desk.issuer.as_ref().is_some_and(|i| i.is_locked()) { tt.lists_need_unlock } else { tt.lists_signing }
                    }</p>
                } else if !props.publication.is_empty() {
                    <button type="button" class="secondary" onclick={download_lists} data-testid="download-status-lists">{ tt.export_status }</button>
                }
                if props.desk.ledger.is_some() {
                    <button type="button" class="secondary" onclick={download_ledger} data-testid="download-class-ledger">{ tt.download_ledger }</button>
                }
            </div>
            if let Some(f) = &*failure {
                <p class="message error" role="alert">{ f.clone() }</p>
            }
            if *changed {
                <p class="message info" role="status" data-testid="status-changed-publish">{ tt.status_changed_publish }</p>
            }
            { super::publish::checklist(tt, &props.publication, &props.recheck) }
            // Always there (empty before anything is issued), as the checklist.
            <super::handout::Handout desk={props.desk.clone()} />
            if props.desk.issued.is_empty() {
                <p class="note">{ tt.none_issued }</p>
            } else {
                <table class="issued" data-testid="issued-table">
                    <thead><tr>
                        <th>{ tt.col_student }</th><th>{ tt.col_programme }</th><th>{ tt.col_date }</th>
                        <th>{ tt.col_status }</th><th>{ tt.col_actions }</th>
                    </tr></thead>
                    <tbody>
                        { for rows.into_iter().map(|r| {
                            let (word, class) = status_of(tt, r);
                            let toggle = { let (open, id) = (open.clone(), r.id.clone()); Callback::from(move |_| open.set(if open.as_deref() == Some(id.as_str()) { None } else { Some(id.clone()) })) };
                            let is_open = open.as_deref() == Some(r.id.as_str());
                            html! {
                                <>
                                <tr data-testid="issued-row" data-id={r.id.clone()}>
                                    <td data-label={tt.col_student}>{ r.student.clone() }</td>
                                    <td data-label={tt.col_programme}>{ programme(&r.template) }</td>
                                    <td data-label={tt.col_date}>{ crate::i18n::format_date(&r.issued_at, lang) }</td>
                                    <td data-label={tt.col_status}><span class={classes!("status", class)} data-testid="issued-status">{ word }</span></td>
                                    <td class="row">
                                        <button type="button" class="secondary" onclick={toggle}>{ tt.link }</button>
                                        <Link<Route> classes="button secondary" to={Route::Print { id: r.id.clone() }}>{ tt.print }</Link<Route>>
                                        if let Some(receipt) = r.receipt.clone() {
                                            <button type="button" class="secondary" data-testid="download-receipt" onclick={Callback::from(move |_| {
                                                let _ = files::download_text("anchor-receipt.json", "application/json", &serde_json::to_string_pretty(&receipt).unwrap_or_default());
                                            })}>{ tt.download_receipt }</button>
                                        }
                                        { for status_actions(r).into_iter().map(|(change, label, testid)| {
                                            let (acting, id) = (acting.clone(), r.id.clone());
                                            html! { <button type="button" class="secondary" data-testid={testid}
                                                onclick={Callback::from(move |_| acting.set(Some((id.clone(), change))))}>{ label(tt) }</button> }
                                        }) }
                                        if r.revocation_index.is_none() && r.suspension_index.is_none() {
                                            <span class="hint">{ tt.no_status }</span>
                                        }
                                    </td>
                                </tr>
                                if acting.as_ref().map(|(id, _)| id == &r.id).unwrap_or(false) {
                                    <tr><td colspan="5">
                                        // Named by the action it confirms (and the student it is for).
                                        <div class="message error" role="alertdialog" data-testid="status-confirm"
                                            aria-label={format!("{}: {}", match acting.as_ref().map(|a| a.1) {
                                                Some(StatusChange::Revoke) => tt.revoke,
                                                Some(StatusChange::Suspend) => tt.suspend,
                                                _ => tt.reinstate,
                                            }, r.student)}>
                                            if matches!(acting.as_ref().map(|a| a.1), Some(StatusChange::Revoke)) {
                                                <p>{ tt.confirm_revoke }</p>
                                            }
                                            <label for="status-reason">{ tt.reason }</label>
                                            <input id="status-reason" type="text" data-testid="status-reason" placeholder={tt.reason_placeholder}
                                                value={(*reason).clone()} oninput={bind(&reason)} />
                                            <div class="row">
                                                <button type="button" class="danger" onclick={apply.clone()} data-testid="status-yes">{ tt.yes }</button>
                                                <button type="button" class="secondary" onclick={{ let a = acting.clone(); Callback::from(move |_| a.set(None)) }}>{ tt.cancel }</button>
                                            </div>
                                        </div>
                                    </td></tr>
                                }
                                if is_open {
                                    <tr><td colspan="5"><Share doc={Rc::new(r.credential.clone())} /></td></tr>
                                }
                                </>
                            }
                        }) }
                    </tbody>
                </table>
            }
        </div>
    }
}
