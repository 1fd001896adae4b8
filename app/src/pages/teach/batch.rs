//! Issue a whole class from a CSV roster: read (UTF-8 with or without BOM;
//! Big5 and other encodings are detected and explained), map the columns,
//! check every row first, then — once every problem is fixed or explicitly
//! skipped — sign with a progress bar, anchor the batch's Merkle root in a
//! new block of the class ledger, and hand out everything.

use super::bind;
use super::issue_one::status_radio;
use crate::i18n::{teach::TeachTr, Lang};
use crate::jobs;
use crate::platform::{clock, files, random};
use crate::route::Route;
use crate::state::desk_issue::{ClassDone, ClassProblem, ClassRequest, ClassRun};
use crate::state::settings::{use_lang, use_tr};
use crate::state::stored;
use crate::state::teach::{Desk, DeskAction, DeskHandle, StatusChoice};
use credentials::roster::{
    self, ColumnMap, Csv, CsvError, Roster, RosterLimits, RowError, RowProblem,
};
use std::rc::Rc;
use std::time::Duration;
use yew::prelude::*;
use yew_router::prelude::*;

/// Rows signed between two yields to the browser (keeps the page responsive
/// and the progress bar moving).
const CHUNK: usize = 50;

/// Properties of [`Batch`].
#[derive(Properties, PartialEq)]
pub struct BatchProps {
    /// The desk.
    pub desk: Rc<Desk>,
    /// The desk reducer.
    pub state: DeskHandle,
}

/// The sentence for a row problem.
pub fn row_problem(tt: &'static TeachTr, e: &RowError) -> String {
    match &e.problem {
        RowProblem::MissingName => tt.rp_missing_name.into(),
        RowProblem::MissingIdentifier => tt.rp_missing_identifier.into(),
        RowProblem::BadEmail { value } => tt.rp_bad_email.replace("{value}", value),
        RowProblem::BadDid { value } => tt.rp_bad_did.replace("{value}", value),
        RowProblem::DuplicateEmail { first_row } => tt
            .rp_duplicate_email
            .replace("{row}", &first_row.to_string()),
        RowProblem::DuplicateStudentId { first_row } => tt
            .rp_duplicate_student_id
            .replace("{row}", &first_row.to_string()),
        RowProblem::DuplicateDid { first_row } => {
            tt.rp_duplicate_did.replace("{row}", &first_row.to_string())
        }
        RowProblem::TooLong { .. } => tt.rp_too_long.into(),
        RowProblem::ControlCharacter => tt.rp_control.into(),
        RowProblem::TooManyFields { .. } => tt.rp_too_many_fields.into(),
        other => format!("{} {other:?}", tt.rp_not_issued),
    }
}

fn csv_problem(tt: &'static TeachTr, e: &CsvError) -> String {
    match e {
        CsvError::NotUtf8 { .. } => tt.not_utf8.into(),
        CsvError::Workbook => tt.csv_workbook.into(),
        CsvError::Empty => tt.csv_empty.into(),
        CsvError::TooLarge { .. } | CsvError::TooManyRows { .. } => tt.csv_too_large.into(),
        other => format!("{} {other:?}", tt.csv_bad),
    }
}

/// What a finished batch produced.
type Done = ClassDone;

fn select_index(e: &Event) -> Option<usize> {
    crate::pages::select_value(e).parse().ok()
}

/// The class batch panel.
#[component]
pub fn Batch(props: &BatchProps) -> Html {
    let tt = use_tr().teach();
    let lang = use_lang();
    let csv = use_state(|| None::<Rc<Csv>>);
    let map = use_state(ColumnMap::default);
    let csv_error = use_state(|| None::<String>);
    let skip = use_state(|| false);
    let choices = props.desk.template_choices();
    let template = use_state(|| choices.first().map(|c| c.key.clone()).unwrap_or_default());
    let from = use_state(|| clock::now_rfc3339().get(..10).unwrap_or("").to_owned());
    let until = use_state(String::new);
    let include_name = use_state(|| true);
    let anchor = use_state(|| true);
    let status = use_state(StatusChoice::default);
    let label = use_state(String::new);
    let progress = use_state(|| None::<(usize, usize)>);
    let done = use_state(|| None::<Done>);
    let failure = use_state(|| None::<String>);

    let roster: Option<Rc<Roster>> = csv
        .as_ref()
        .and_then(|c| roster::validate(c, &map).ok().map(Rc::new));
    let map_ok = csv
        .as_ref()
        .map(|c| map.check(c.header.len()).is_ok())
        .unwrap_or(false);

    let onfile = {
        let (csv, map, csv_error, done, skip, progress) = (
            csv.clone(),
            map.clone(),
            csv_error.clone(),
            done.clone(),
            skip.clone(),
            progress.clone(),
        );
        Callback::from(move |e: Event| {
            if let Some(file) = files::files_of_input(&e).into_iter().next() {
                let (csv, map, csv_error, done, skip, progress) = (
                    csv.clone(),
                    map.clone(),
                    csv_error.clone(),
                    done.clone(),
                    skip.clone(),
                    progress.clone(),
                );
                wasm_bindgen_futures::spawn_local(async move {
                    if file.size() > 4.0 * files::MAX_TEXT_FILE {
                        return csv_error.set(Some(tt.csv_too_large.into()));
                    }
                    let bytes = match files::read_bytes(&file).await {
                        Ok(b) => b,
                        Err(_) => return csv_error.set(Some(tt.csv_bad.into())),
                    };
                    match roster::parse_csv(&bytes, &RosterLimits::default()) {
                        Ok(parsed) => {
                            map.set(ColumnMap::guess(&parsed.header));
                            csv.set(Some(Rc::new(parsed)));
                            csv_error.set(None);
                            // A new roster can be issued once the last class
                            // is done (not while one is still being signed).
                            if done.is_some() {
                                progress.set(None);
                            }
                            done.set(None);
                            skip.set(false);
                        }
                        Err(err) => {
                            csv.set(None);
                            csv_error.set(Some(csv_problem(tt, &err)));
                        }
                    }
                });
            }
            files::reset_input(&e);
        })
    };

    let column_select = |field: &'static str, label: &'static str, current: Option<usize>| {
        let map = map.clone();
        let header = csv.as_ref().map(|c| c.header.clone()).unwrap_or_default();
        let onchange = Callback::from(move |e: Event| {
            let mut m = *map;
            let v = select_index(&e);
            match field {
                "name" => m.name = v,
                "name_zh" => m.name_zh = v,
                "email" => m.email = v,
                "student_id" => m.student_id = v,
                _ => m.did = v,
            }
            map.set(m);
        });
        html! {
            <div>
                <label for={format!("map-{field}")}>{ label }</label>
                <select id={format!("map-{field}")} data-testid={format!("map-{field}")} {onchange}>
                    <option value="" selected={current.is_none()}>{ tt.col_none }</option>
                    { for header.iter().enumerate().map(|(i, h)| html! {
                        <option value={i.to_string()} selected={current == Some(i)}>{ h.clone() }</option>
                    }) }
                </select>
            </div>
        }
    };

    let issue = {
        let desk = props.desk.clone();
        let state = props.state.clone();
        let roster = roster.clone();
        let (template, from, until, include_name, anchor, status, label, progress, done, failure) = (
            template.clone(),
            from.clone(),
            until.clone(),
            include_name.clone(),
            anchor.clone(),
            status.clone(),
            label.clone(),
            progress.clone(),
            done.clone(),
            failure.clone(),
        );
        Callback::from(move |_| {
            let Some(roster) = roster.clone() else { return };
            let (desk, state) = (desk.clone(), state.clone());
            let (
                template,
                from,
                until,
                include_name,
                anchor,
                status,
                label,
                progress,
                done,
                failure,
            ) = (
                template.clone(),
                from.clone(),
                until.clone(),
                include_name.clone(),
                anchor.clone(),
                status.clone(),
                label.clone(),
                progress.clone(),
                done.clone(),
                failure.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                failure.set(None);
                let request = ClassRequest {
                    template: (*template).clone(),
                    from: (*from).clone(),
                    until: (*until).clone(),
                    include_name: *include_name,
                    anchor: *anchor,
                    status: *status,
                    label: (*label).clone(),
                };
                let result = run_class(&desk, &roster, request, &progress).await;
                match result {
                    // The full bar stays: this roster is done (a new file starts over).
                    Ok((new_desk, summary)) => {
                        state.dispatch(DeskAction::Replace {
                            from: desk.clone(),
                            to: Box::new(new_desk),
                        });
                        done.set(Some(summary));
                    }
                    Err(e) => {
                        progress.set(None);
                        failure.set(Some(class_problem(tt, &e)));
                    }
                }
            });
        })
    };

    // The class's result may start below the fold: bring it into view.
    use_effect_with(done.is_some(), |shown| {
        if *shown {
            crate::platform::view::scroll_into_view("[data-testid=batch-done]");
        }
    });
    let errors = roster
        .as_ref()
        .map(|r| r.errors.clone())
        .unwrap_or_default();
    let ready = roster.as_ref().map(|r| r.students.len()).unwrap_or(0);
    let can_issue = map_ok && ready > 0 && (errors.is_empty() || *skip) && progress.is_none();
    html! {
        <div>
            <div class="panel">
                <h2>{ tt.batch_title }</h2>
                <p class="hint">{ tt.batch_body }</p>
                <label for="roster-file">{ tt.roster_file }</label>
                <input id="roster-file" type="file" accept=".csv,text/csv,text/plain" data-testid="roster-file" onchange={onfile} />
                if let Some(e) = &*csv_error {
                    <p class="message error" role="alert" data-testid="roster-error">{ e.clone() }</p>
                }
            </div>
            if let Some(c) = &*csv {
                <div class="panel">
                    <h3>{ tt.map_columns }</h3>
                    <div class="grid2">
                        { column_select("name", tt.field_name, map.name) }
                        { column_select("name_zh", tt.field_name_zh, map.name_zh) }
                        { column_select("email", tt.field_email, map.email) }
                        { column_select("student_id", tt.field_student_id, map.student_id) }
                        { column_select("did", tt.field_did, map.did) }
                    </div>
                    if !map_ok {
                        <p class="message error" role="alert">{ tt.map_needs }</p>
                    } else {
                        <p class="row">
                            <span class="status pass" data-testid="rows-ok">{ format!("✓ {}", crate::i18n::plural(ready as u64, tt.rows_ok_one, tt.rows_ok_many)) }</span>
                            <span class={classes!("status", if errors.is_empty() { "not_run" } else { "fail" })} data-testid="rows-bad">
                                { format!("✗ {}", crate::i18n::plural(errors.len() as u64, tt.rows_bad_one, tt.rows_bad_many)) }</span>
                        </p>
                        if !errors.is_empty() {
                            <table data-testid="row-errors">
                                <thead><tr><th>{ tt.row }</th><th>{ tt.problem }</th></tr></thead>
                                <tbody>
                                    { for errors.iter().map(|e| html! {
                                        <tr data-row={e.row.to_string()}><td>{ e.row }</td><td>{ row_problem(tt, e) }</td></tr>
                                    }) }
                                </tbody>
                            </table>
                            <label class="radio"><input type="checkbox" data-testid="skip-bad" checked={*skip}
                                onchange={{ let s = skip.clone(); Callback::from(move |_| s.set(!*s)) }} />{ " " }{ tt.skip_bad }</label>
                        }
                    }
                    if let Some(r) = roster.as_ref().filter(|r| !r.students.is_empty()) {
                        // Who will get a certificate, as the desk read them.
                        <details class="roster-names" data-testid="roster-names">
                            <summary>{ crate::i18n::plural(r.students.len() as u64, tt.roster_names_one, tt.roster_names_many) }</summary>
                            <ol>
                                { for r.students.iter().map(|s| html! {
                                    <li>{ s.name.clone() }{ s.name_zh.as_ref().map(|z| format!(" {z}")).unwrap_or_default() }</li>
                                }) }
                            </ol>
                        </details>
                    }
                    <p class="hint" data-testid="file-rows">{ crate::i18n::plural(c.rows.len() as u64, tt.file_rows_one, tt.file_rows_many) }</p>
                </div>
                <div class="panel">
                    <div class="grid2">
                        <div>
                            <label for="batch-template">{ tt.programme }</label>
                            <select id="batch-template" data-testid="batch-template"
                                onchange={{ let t = template.clone(); Callback::from(move |e: Event| t.set(crate::pages::select_value(&e))) }}>
                                { for choices.iter().map(|c| html! {
                                    <option value={c.key.clone()} selected={*template == c.key}>
                                        { if lang == Lang::ZhHk && !c.name_zh.is_empty() { c.name_zh.clone() } else { c.name_en.clone() } }
                                    </option>
                                }) }
                            </select>
                        </div>
                        <div>
                            <label for="batch-label">{ tt.batch_label }</label>
                            <input id="batch-label" type="text" value={(*label).clone()} oninput={bind(&label)} />
                        </div>
                        <div>
                            <label for="batch-from">{ tt.valid_from }</label>
                            <input id="batch-from" type="date" value={(*from).clone()} oninput={bind(&from)} />
                        </div>
                        <div>
                            <label for="batch-until">{ tt.valid_until }</label>
                            <input id="batch-until" type="date" value={(*until).clone()} oninput={bind(&until)} />
                        </div>
                    </div>
                    <label class="radio"><input type="checkbox" checked={*include_name}
                        onchange={{ let s = include_name.clone(); Callback::from(move |_| s.set(!*s)) }} />{ " " }{ tt.show_name }</label>
                    <label class="radio"><input type="checkbox" data-testid="anchor-batch" checked={*anchor}
                        onchange={{ let s = anchor.clone(); Callback::from(move |_| s.set(!*s)) }} />{ " " }{ tt.anchor_batch }</label>
                    <fieldset>
                        <legend>{ tt.status_choice }</legend>
                        { status_radio(&status, StatusChoice::Revocation, tt.status_revocation, "batch-status-revocation") }
                        { status_radio(&status, StatusChoice::Suspension, tt.status_suspension, "batch-status-suspension") }
                        { status_radio(&status, StatusChoice::None, tt.status_none, "batch-status-none") }
                    </fieldset>
                    <button type="button" class="primary" disabled={!can_issue} onclick={issue} data-testid="issue-batch">{ tt.issue_batch }</button>
                    if let Some((n, total)) = *progress {
                        <p data-testid="batch-progress-text">{ if done.is_some() { tt.signed_progress } else { tt.signing } }{ format!(" {n} / {total}") }</p>
                        <progress data-testid="batch-progress" max={total.to_string()} value={n.to_string()}>{ format!("{n}/{total}") }</progress>
                    }
                    if let Some(f) = &*failure {
                        <p class="message error" role="alert">{ tt.err_issue }{ " " }{ f.clone() }</p>
                    }
                </div>
            }
            if let Some(d) = &*done {
                <BatchDone done={d.clone()} ledger={props.desk.ledger.clone()} />
            }
        </div>
    }
}

/// Drives a [`ClassRun`]: signs a chunk (its eddsa-rdfc-2022 hashing in the
/// worker), lets the browser paint the progress bar, and so on; then
/// finishes it. Time and randomness come
/// from the browser here; the work is the desk domain's.
async fn run_class(
    desk: &Desk,
    roster: &Roster,
    request: ClassRequest,
    progress: &UseStateHandle<Option<(usize, usize)>>,
) -> Result<(Desk, Done), ClassProblem> {
    let mut run = ClassRun::start(desk, roster, request, stored::now())?;
    while !run.is_signed() {
        progress.set(Some(run.progress()));
        yew::platform::time::sleep(Duration::ZERO).await;
        run.take_next(CHUNK, &mut || random::bytes32().ok())?;
        jobs::with_rdfc(|rdfc| run.sign_pending(rdfc)).await?;
    }
    progress.set(Some(run.progress()));
    run.finish(stored::now())
}

/// What the teacher is told when a class could not be issued.
fn class_problem(tt: &'static TeachTr, p: &ClassProblem) -> String {
    match p {
        ClassProblem::Issue(p) => super::issue_one::problem_text(tt, p),
        ClassProblem::Row(e) => format!("{} {}: {}", tt.row, e.row, row_problem(tt, e)),
    }
}

#[derive(Properties, PartialEq)]
struct DoneProps {
    done: Done,
    ledger: Option<String>,
}

#[component]
fn BatchDone(props: &DoneProps) -> Html {
    let tt = use_tr().teach();
    let d = &props.done;
    let download_all = {
        let (bundle, batch) = (d.bundle.clone(), d.batch.clone());
        Callback::from(move |_| {
            let _ = files::download_text(&format!("{batch}.json"), "application/json", &bundle);
        })
    };
    let download_ledger = {
        let ledger = props.ledger.clone();
        Callback::from(move |_| {
            if let Some(l) = &ledger {
                let _ = files::download_text("class-ledger.json", "application/json", l);
            }
        })
    };
    html! {
        <div class="panel" data-testid="batch-done">
            <p class="message ok"><strong>{ d.count }</strong>{ " " }{ tt.batch_done }</p>
            if let Some(a) = &d.anchor {
                <div class="block-card" data-testid="batch-block">
                    <p><strong>{ tt.batch_block }{ format!(" #{}", a.block_height) }</strong></p>
                    <p class="mono small">{ tt.block_hash }{ ": " }{ a.block_hash.to_string() }</p>
                    <h4>{ tt.tree_title }</h4>
                    <p class="mono small" data-testid="batch-root">{ tt.tree_root }{ ": " }{ d.root.clone().unwrap_or_default() }</p>
                    <ol class="tree-levels" reversed=true>
                        { for d.levels.iter().rev().map(|n| html! { <li>{ format!("{n} ") }{ if *n == d.count { tt.tree_leaves } else { "" } }</li> }) }
                    </ol>
                </div>
            }
            <div class="row">
                <button type="button" class="primary" onclick={download_all} data-testid="download-batch">{ tt.download_all }</button>
                if props.ledger.is_some() {
                    <button type="button" class="secondary" onclick={download_ledger} data-testid="download-ledger">{ tt.download_ledger }</button>
                }
                <Link<Route> classes="button secondary" to={Route::PrintBatch { batch: d.batch.clone(), mode: "slips".into() }}>{ tt.print_links }</Link<Route>>
                <Link<Route> classes="button secondary" to={Route::PrintBatch { batch: d.batch.clone(), mode: "certificates".into() }}>{ tt.print_all }</Link<Route>>
            </div>
        </div>
    }
}
