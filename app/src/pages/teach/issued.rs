//! Every credential issued from this browser, searchable, with delivery
//! (link, QR, print) and revocation or suspension.

use super::bind;
use crate::i18n::Lang;
use crate::pages::wallet::Share;
use crate::route::Route;
use crate::state::settings::{use_lang, use_tr};
use crate::state::teach::{Desk, DeskState, IssuedRecord};
use std::rc::Rc;
use yew::prelude::*;
use yew_router::prelude::*;

/// Properties of [`Issued`].
#[derive(Properties, PartialEq)]
pub struct IssuedProps {
    /// The desk.
    pub desk: Rc<Desk>,
    /// The desk reducer.
    pub state: UseReducerHandle<DeskState>,
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

/// The issued list.
#[component]
pub fn Issued(props: &IssuedProps) -> Html {
    let tt = use_tr().teach;
    let lang = use_lang();
    let query = use_state(String::new);
    let open = use_state(|| None::<String>);
    let q = query.trim().to_lowercase();
    let programme = |key: &str| {
        props
            .desk
            .template(key)
            .map(|t| {
                if lang == Lang::ZhHk && !t.name_zh.is_empty() {
                    t.name_zh
                } else {
                    t.name_en
                }
            })
            .unwrap_or_else(|| key.to_owned())
    };
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
                                    <td>{ r.student.clone() }</td>
                                    <td>{ programme(&r.template) }</td>
                                    <td>{ r.issued_at.get(..10).unwrap_or(&r.issued_at).to_owned() }</td>
                                    <td><span class={classes!("status", class)} data-testid="issued-status">{ word }</span></td>
                                    <td class="row">
                                        <button type="button" class="secondary" onclick={toggle}>{ tt.link }</button>
                                        <Link<Route> classes="button secondary" to={Route::Print { id: r.id.clone() }}>{ tt.print }</Link<Route>>
                                    </td>
                                </tr>
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
