//! The publishing checklist: each status list the desk holds, the exact
//! file to upload and where, and whether the copy at its address is
//! published and up to date, found by fetching that address (on this site
//! at once; on another site only when the teacher asks). A short how-to
//! for GitHub Pages and a school web server. The desk shows a reminder on
//! every tab while a list is missing or out of date.

use crate::i18n::teach::TeachTr;
use crate::platform::{files, http};
use crate::state::publish::{compare, path_in_site, Published};
use crate::state::teach::Desk;
use credentials::status_list::StatusPurpose;
use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;

/// The largest list file read back (as the verifier's limit).
const MAX_LIST_BYTES: usize = 1 << 20;

/// What is known of one list's published copy.
#[derive(Clone, PartialEq)]
pub enum Check {
    /// Being fetched.
    Checking,
    /// On another site: fetched only when the teacher asks.
    NotChecked,
    /// Fetched and compared.
    Found(Published),
    /// Could not be fetched.
    Failed(http::FetchError),
}

/// One list to publish.
#[derive(Clone, PartialEq)]
pub struct ListToPublish {
    /// Revocation or suspension.
    pub purpose: StatusPurpose,
    /// Its address (the signed list's `id`).
    pub url: String,
    /// The signed list credential (what to upload).
    pub signed: Value,
    /// What its address holds.
    pub check: Check,
}

impl ListToPublish {
    /// Whether the teacher still has to upload it.
    pub fn needs_upload(&self) -> bool {
        matches!(
            self.check,
            Check::Found(Published::Missing | Published::OutOfDate { .. } | Published::Other)
        )
    }

    /// The file name to upload it under.
    pub fn file_name(&self) -> String {
        self.url
            .rsplit('/')
            .next()
            .filter(|n| !n.is_empty())
            .unwrap_or("status-list.json")
            .to_owned()
    }
}

/// What each list's address was found to hold: (address, the list's bits
/// when it was checked, what was found). A reducer, so that two checks
/// finishing one after the other each add to the latest state (a state
/// handle copied into a task would put back the one it was made with).
#[derive(Default, PartialEq)]
struct Checks(Vec<(String, String, Check)>);

impl Reducible for Checks {
    type Action = (String, String, Check);

    fn reduce(self: Rc<Self>, (url, bits, check): Self::Action) -> Rc<Self> {
        let mut next: Vec<_> = self
            .0
            .iter()
            .filter(|(u, _, _)| *u != url)
            .cloned()
            .collect();
        next.push((url, bits, check));
        Rc::new(Checks(next))
    }
}

/// A list's bits (its `encodedList`): what makes a check current.
fn bits_of(signed: &Value) -> String {
    signed
        .pointer("/credentialSubject/encodedList")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned()
}

/// The desk's publishable lists with what their addresses hold, and a
/// callback to check one again (by address). Fetched once per change of
/// a list's bits.
#[hook]
pub fn use_publication(desk: Option<Rc<Desk>>) -> (Vec<ListToPublish>, Callback<String>) {
    let checks = use_reducer(Checks::default);
    // (purpose, address, signed list, its bits).
    let lists: Vec<(StatusPurpose, String, Value, String)> = desk
        .as_ref()
        .filter(|d| !d.issuer.as_ref().is_some_and(|i| i.history_unknown))
        .map(|d| {
            [StatusPurpose::Revocation, StatusPurpose::Suspension]
                .into_iter()
                .filter_map(|p| {
                    let s = d.status_lists.get(p)?;
                    let signed = s.signed.clone().filter(|_| s.is_current())?;
                    let bits = bits_of(&signed);
                    Some((p, s.id.clone(), signed, bits))
                })
                .collect()
        })
        .unwrap_or_default();
    let check = {
        let (checks, lists) = (checks.clone(), lists.clone());
        Callback::from(move |url: String| {
            let Some((_, _, ours, bits)) = lists.iter().find(|(_, u, _, _)| *u == url).cloned()
            else {
                return;
            };
            checks.dispatch((url.clone(), bits.clone(), Check::Checking));
            let checks = checks.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let found = match http::fetch_text(&url, MAX_LIST_BYTES).await {
                    Ok(text) => Check::Found(compare(&ours, &text)),
                    Err(http::FetchError::Status(404 | 410)) => Check::Found(Published::Missing),
                    Err(e) => Check::Failed(e),
                };
                checks.dispatch((url, bits, found));
            });
        })
    };
    {
        // A list is known by its address and its bits: a change is checked anew.
        let keys: Vec<(String, String)> = lists
            .iter()
            .map(|(_, url, _, bits)| (url.clone(), bits.clone()))
            .collect();
        let check = check.clone();
        use_effect_with(keys, move |keys| {
            for (url, _) in keys {
                if http::is_same_origin(url) {
                    check.emit(url.clone());
                }
            }
        });
    }
    let out = lists
        .into_iter()
        .map(|(purpose, url, signed, bits)| {
            let check = checks
                .0
                .iter()
                .find(|(u, b, _)| *u == url && *b == bits)
                .map(|(_, _, c)| c.clone())
                .unwrap_or(if http::is_same_origin(&url) {
                    Check::Checking
                } else {
                    Check::NotChecked
                });
            ListToPublish {
                purpose,
                url,
                signed,
                check,
            }
        })
        .collect();
    (out, check)
}

/// Downloads `list`'s signed file under the name it must have on the site.
pub fn download(list: &ListToPublish) {
    let _ = files::download_text(
        &list.file_name(),
        "application/json",
        &serde_json::to_string_pretty(&list.signed).unwrap_or_default(),
    );
}

/// Why a list could not be fetched, in words.
fn fetch_words(tt: &'static TeachTr, e: &http::FetchError) -> String {
    match e {
        http::FetchError::Offline => tt.publish_offline.to_owned(),
        http::FetchError::Status(code) => tt.publish_http.replace("{status}", &code.to_string()),
        http::FetchError::TooLarge | http::FetchError::NotText => tt.publish_not_a_list.to_owned(),
        http::FetchError::BadUrl | http::FetchError::Network => tt.publish_unreachable.to_owned(),
    }
}

fn purpose_name(tt: &'static TeachTr, p: StatusPurpose) -> &'static str {
    match p {
        StatusPurpose::Suspension => tt.publish_suspension_list,
        _ => tt.publish_revocation_list,
    }
}

/// The line saying what a list's address holds, and its class.
fn state_words(tt: &'static TeachTr, c: &Check) -> (String, &'static str, &'static str) {
    match c {
        Check::Checking => (tt.publish_checking.to_owned(), "info", "checking"),
        Check::NotChecked => (tt.publish_not_checked.to_owned(), "info", "not-checked"),
        Check::Found(Published::Current) => (tt.publish_current.to_owned(), "ok", "current"),
        Check::Found(Published::Missing) => (tt.publish_missing.to_owned(), "error", "missing"),
        Check::Found(Published::OutOfDate { changes }) => (
            crate::i18n::plural(
                *changes,
                tt.publish_out_of_date_one,
                tt.publish_out_of_date_many,
            ),
            "warn",
            "out-of-date",
        ),
        Check::Found(Published::Other) => (tt.publish_other.to_owned(), "error", "other"),
        Check::Failed(why) => (
            tt.publish_failed.replace("{reason}", &fetch_words(tt, why)),
            "info",
            "failed",
        ),
    }
}

/// The checklist (on the Issued tab): per list, the file, where it goes,
/// its state, download and check again; then the how-to. Always one
/// element (empty when there is no list): Yew 0.23 can misplace the
/// siblings of a part that changes from nothing to something (a panic
/// in `insertBefore`, seen on the desk).
pub fn checklist(
    tt: &'static TeachTr,
    lists: &[ListToPublish],
    recheck: &Callback<String>,
) -> Html {
    if lists.is_empty() {
        return html! { <div class="publish-slot"></div> };
    }
    let base = files::app_base_url();
    let download_all = {
        let lists = lists.to_vec();
        Callback::from(move |_| lists.iter().for_each(download))
    };
    html! {
        <div class="publish-slot"><section class="panel publish" data-testid="publish" aria-labelledby="publish-title">
            <h3 id="publish-title">{ tt.publish_title }</h3>
            <p class="hint">{ tt.publish_intro }</p>
            <ol class="publish-lists">
                { for lists.iter().map(|l| {
                    let (words, class, id) = state_words(tt, &l.check);
                    let file = l.file_name();
                    let folder = path_in_site(&l.url, &base)
                        .map(|p| p.trim_end_matches(&file).to_owned());
                    let download_one = { let l = l.clone(); Callback::from(move |_| download(&l)) };
                    let again = { let (recheck, url) = (recheck.clone(), l.url.clone()); Callback::from(move |_| recheck.emit(url.clone())) };
                    html! {
                        <li data-testid="publish-list" data-purpose={l.purpose.as_str()} data-state={id}>
                            <p><strong>{ purpose_name(tt, l.purpose) }</strong></p>
                            <p class={classes!("message", class)} role="status" data-testid="publish-state">{ words }</p>
                            <dl class="publish-where">
                                <dt>{ tt.publish_file }</dt><dd><code data-testid="publish-file">{ file.clone() }</code></dd>
                                if let Some(folder) = folder {
                                    <dt>{ tt.publish_folder }</dt>
                                    <dd><code data-testid="publish-folder">{ if folder.is_empty() { "./".to_owned() } else { folder } }</code>{ " " }{ tt.publish_folder_note }</dd>
                                }
                                <dt>{ tt.publish_address }</dt><dd><code class="wrap" data-testid="publish-url">{ l.url.clone() }</code></dd>
                            </dl>
                            <div class="row">
                                <button type="button" class="secondary" onclick={download_one} data-testid="publish-download">{ tt.publish_download }</button>
                                <button type="button" class="secondary" onclick={again} data-testid="publish-check">{
                                    if l.check == Check::NotChecked { tt.publish_check_now } else { tt.publish_check_again }
                                }</button>
                            </div>
                        </li>
                    }
                }) }
            </ol>
            if lists.len() > 1 {
                <button type="button" class="secondary" onclick={download_all} data-testid="publish-download-all">{ tt.publish_download_all }</button>
            }
            <details class="publish-howto">
                <summary>{ tt.publish_howto_title }</summary>
                <h4>{ tt.publish_howto_pages_title }</h4>
                <ol>{ for tt.publish_howto_pages.iter().map(|s| html! { <li>{ *s }</li> }) }</ol>
                <h4>{ tt.publish_howto_server_title }</h4>
                <ol>{ for tt.publish_howto_server.iter().map(|s| html! { <li>{ *s }</li> }) }</ol>
            </details>
        </section></div>
    }
}

/// One line on every other tab while a list is missing or out of date
/// (always one element, as [`checklist`]).
pub fn reminder(tt: &'static TeachTr, lists: &[ListToPublish], open: Option<Callback<()>>) -> Html {
    let due = lists.iter().filter(|l| l.needs_upload()).count();
    html! {
        <div class="publish-slot">
            if let (true, Some(open)) = (due > 0, open) {
                <p class="message warn" role="status" data-testid="publish-reminder">
                    { crate::i18n::plural(due as u64, tt.publish_reminder_one, tt.publish_reminder_many) }{ " " }
                    <button type="button" class="secondary" onclick={Callback::from(move |_| open.emit(()))}>{ tt.publish_reminder_open }</button>
                </p>
            }
        </div>
    }
}
