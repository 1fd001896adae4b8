//! Handing certificates out to a class, from the Issued tab: choose all or
//! one batch, then print every certificate (A4, one a page), print QR
//! slips (eight an A4 page, to cut and hand out), download a CSV of name,
//! e-mail and link for a mail merge, or download every certificate in one
//! file (which the wallet and the verifier read).

use super::print::verify_link;
use crate::platform::files;
use crate::route::Route;
use crate::state::desk_issue::batch_bundle;
use crate::state::handout::{mail_merge_csv, Selection};
use crate::state::settings::{use_lang, use_tr};
use crate::state::teach::Desk;
use serde_json::json;
use std::rc::Rc;
use yew::prelude::*;
use yew_router::prelude::*;

/// Properties of [`Handout`].
#[derive(Properties, PartialEq)]
pub struct HandoutProps {
    /// The desk.
    pub desk: Rc<Desk>,
}

/// The hand-out panel.
#[component]
pub fn Handout(props: &HandoutProps) -> Html {
    let tt = use_tr().teach();
    let lang = use_lang();
    let selection = use_state(|| Selection::All);
    let desk = &props.desk;
    // Batches, newest first, each once, with how many certificates it holds.
    let mut batches: Vec<(String, usize)> = Vec::new();
    for r in desk.issued.iter().rev() {
        if let Some(b) = &r.batch {
            match batches.iter_mut().find(|(id, _)| id == b) {
                Some((_, n)) => *n += 1,
                None => batches.push((b.clone(), 1)),
            }
        }
    }
    if desk.issued.is_empty() {
        // One element either way (see `publish::checklist`).
        return html! { <div class="handout-slot"></div> };
    }
    let chosen: Vec<_> = desk.issued.iter().filter(|r| selection.holds(r)).collect();
    let count = chosen.len();
    let programme = |key: &str| desk.programme_name(key, lang);
    let file_stem = match &*selection {
        Selection::All => "chainclass-certificates".to_owned(),
        Selection::Batch(b) => b.clone(),
    };
    let csv = {
        let rows: Vec<(String, String, String, String)> = chosen
            .iter()
            .map(|r| {
                (
                    r.student.clone(),
                    r.email.clone().unwrap_or_default(),
                    programme(&r.template),
                    verify_link(&r.credential),
                )
            })
            .collect();
        let name = format!("{file_stem}-mail-merge.csv");
        let headers = [tt.csv_name, tt.csv_email, tt.csv_programme, tt.csv_link];
        Callback::from(move |_| {
            let _ = files::download_text(&name, "text/csv", &mail_merge_csv(headers, &rows));
        })
    };
    let bundle = {
        let credentials: Vec<_> = chosen
            .iter()
            .map(|r| json!({ "credential": r.credential, "receipt": r.receipt }))
            .collect();
        let (name, batch) = (format!("{file_stem}.json"), file_stem.clone());
        Callback::from(move |_| {
            let doc = batch_bundle(&batch, credentials.clone());
            let _ = files::download_text(
                &name,
                "application/json",
                &serde_json::to_string_pretty(&doc).unwrap_or_default(),
            );
        })
    };
    let on_select = {
        let selection = selection.clone();
        Callback::from(move |e: Event| {
            selection.set(Selection::from_param(&crate::pages::select_value(&e)))
        })
    };
    let param = selection.param();
    html! {
        <div class="handout-slot"><section class="panel handout" data-testid="handout" aria-labelledby="handout-title">
            <h3 id="handout-title">{ tt.handout_title }</h3>
            <label for="handout-which">{ tt.handout_which }</label>
            <select id="handout-which" data-testid="handout-which" onchange={on_select}>
                <option value="all" selected={*selection == Selection::All}>
                    { crate::i18n::plural(desk.issued.len() as u64, tt.handout_all_one, tt.handout_all_many) }
                </option>
                { for batches.iter().map(|(id, n)| html! {
                    <option value={id.clone()} selected={*selection == Selection::Batch(id.clone())}>
                        { crate::i18n::plural(*n as u64, tt.handout_batch_one, tt.handout_batch_many).replace("{batch}", id) }
                    </option>
                }) }
            </select>
            <p class="hint" data-testid="handout-count">{ crate::i18n::plural(count as u64, tt.handout_count_one, tt.handout_count_many) }</p>
            <div class="row">
                <Link<Route> classes="button secondary" to={Route::PrintBatch { batch: param.clone(), mode: "certificates".into() }}>
                    { tt.handout_print_all }
                </Link<Route>>
                <Link<Route> classes="button secondary" to={Route::PrintBatch { batch: param, mode: "slips".into() }}>
                    { tt.handout_print_slips }
                </Link<Route>>
                <button type="button" class="secondary" onclick={csv} data-testid="handout-csv">{ tt.handout_csv }</button>
                <button type="button" class="secondary" onclick={bundle} data-testid="handout-files">{ tt.handout_files }</button>
            </div>
            <p class="hint">{ tt.handout_hint }</p>
        </section></div>
    }
}
