//! Printable certificates (A4, print CSS): bilingual programme name, student,
//! issuer, date, logo and a QR code of the verify link, so a paper
//! certificate verifies from the static site with no server. One certificate
//! (`#/print/:id`), or every certificate of a batch or of the desk
//! (`#/print-batch/:batch/certificates`, `:batch` a batch id or `all`), or
//! their QR slips, eight an A4 page, to cut out and hand to the students
//! (`…/slips`; `…/links`, the older name, shows the same).

use crate::i18n::Lang;
use crate::pages::verify::card::pick_text;
use crate::platform::files;
use crate::route::Route;
use crate::state::handout::Selection;
use crate::state::settings::use_tr;
use crate::state::stored::use_stored;
use crate::state::teach::{Desk, DeskState, IssuedRecord};
use serde_json::Value;
use yew::prelude::*;
use yew_router::prelude::*;

/// The verify link of a credential, on this site.
pub fn verify_link(credential: &Value) -> String {
    credentials::share::verify_link(
        &files::app_base_url(),
        &credentials::share::encode_compact(credential),
    )
}

fn qr(text: &str) -> Html {
    match crate::qr::svg(text) {
        Ok(svg) => Html::from_html_unchecked(svg.into()),
        Err(_) => html! {},
    }
}

fn print_now() -> Callback<MouseEvent> {
    Callback::from(|_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    })
}

fn toolbar(tt: &'static crate::i18n::teach::TeachTr) -> Html {
    // Back to the desk's Issued tab, where printing is started from.
    let back = Callback::from(|_| super::open_tab_next(super::Tab::Issued));
    html! {
        <div class="row no-print print-toolbar">
            <button type="button" class="primary" onclick={print_now()} data-testid="print-button">{ tt.print_button }</button>
            <span onclick={back}><Link<Route> classes="button secondary" to={Route::Teach}>{ tt.print_back }</Link<Route>></span>
        </div>
    }
}

/// The day the certificate is valid from, as a date ("7 Dec 2026": the
/// printouts are bilingual, and this form reads in both).
fn valid_from(r: &IssuedRecord) -> String {
    r.credential
        .get("validFrom")
        .and_then(Value::as_str)
        .map(|d| crate::i18n::format_date(d, Lang::En))
        .unwrap_or_default()
}

/// Slips a page: two columns of four on A4.
const SLIPS_PER_PAGE: usize = 8;

/// One cut-out slip: the student's name, the programme, the date, the QR
/// code of the verify link and what to do with it (bilingual, as the
/// certificates).
fn slip(desk: &Desk, r: &IssuedRecord) -> Html {
    let (prog_en, prog_zh) = programme_names(desk, r);
    let link = verify_link(&r.credential);
    let date = valid_from(r);
    html! {
        <div class="slip" data-testid="slip">
            <div class="slip-qr" data-testid="slip-qr" data-link={link.clone()}>{ qr(&link) }</div>
            <div class="slip-text">
                <p class="slip-name" data-testid="slip-name">{ r.student.clone() }</p>
                <p class="slip-programme">{ prog_en }</p>
                <p class="slip-programme">{ prog_zh }</p>
                <p class="slip-date">{ date }</p>
                <p class="slip-how">{ "Scan with your phone's camera to open your certificate, then choose \"Add to my wallet\"." }</p>
                <p class="slip-how">{ "用手機相機掃描以開啟你的證書，然後選擇「加入我的錢包」。" }</p>
            </div>
        </div>
    }
}

/// The slips of `records`, eight an A4 page.
fn slips(desk: &Desk, records: &[&IssuedRecord]) -> Html {
    html! {
        <div class="slips" data-testid="slips">
            { for records.chunks(SLIPS_PER_PAGE).map(|page| html! {
                <div class="slip-page" data-testid="slip-page">
                    { for page.iter().map(|r| slip(desk, r)) }
                </div>
            }) }
        </div>
    }
}

fn programme_names(desk: &Desk, r: &IssuedRecord) -> (String, String) {
    if let Some(t) = desk.template(&r.template) {
        return (t.name_en, t.name_zh);
    }
    let name = r
        .credential
        .pointer("/credentialSubject/achievement/name")
        .and_then(|n| pick_text(n, Lang::En))
        .unwrap_or_default();
    (name, String::new())
}

fn certificate(desk: &Desk, r: &IssuedRecord) -> Html {
    let issuer = desk.issuer.clone().unwrap_or_default();
    let (prog_en, prog_zh) = programme_names(desk, r);
    let link = verify_link(&r.credential);
    let date = valid_from(r);
    let did = r
        .credential
        .pointer("/issuer/id")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    html! {
        <article class="certificate" data-testid="certificate">
            <header class="cert-head">
                if let Some(logo) = &issuer.logo {
                    <img class="cert-logo" src={logo.clone()} alt="" />
                }
                <div>
                    <div class="cert-school">{ issuer.name_en.clone() }</div>
                    <div class="cert-school-zh">{ issuer.name_zh.clone() }</div>
                </div>
            </header>
            // Printed certificates are bilingual whatever the desk's language.
            <h1 class="cert-word">{ "Certificate · 證書" }</h1>
            <p class="cert-line">{ "This certifies that · 茲證明" }</p>
            <p class="cert-student" data-testid="cert-student">{ r.student.clone() }</p>
            <p class="cert-line">{ "has completed · 已完成" }</p>
            if let Some(img) = desk.templates.iter().find(|t| t.key == r.template).and_then(|t| t.image.clone()) {
                <img class="cert-programme-image" src={img} alt="" />
            }
            <p class="cert-programme">{ prog_en }</p>
            <p class="cert-programme-zh">{ prog_zh }</p>
            <div class="cert-foot">
                <div>
                    <p><strong>{ "Date · 日期" }</strong>{ ": " }{ date }</p>
                    <p><strong>{ "Issued by · 簽發機構" }</strong>{ ": " }{ issuer.name_en.clone() }{ " " }{ issuer.name_zh.clone() }</p>
                    <p class="cert-did mono">{ did }</p>
                </div>
                <div class="cert-qr">
                    <div class="cert-qr-code" data-testid="cert-qr" data-link={link.clone()}>{ qr(&link) }</div>
                    <p class="cert-verify">{ "Scan to verify · 掃描以驗證" }</p>
                </div>
            </div>
            <p class="cert-link mono">{ link.chars().take(90).collect::<String>() }{ "…" }</p>
        </article>
    }
}

/// Properties of [`PrintOne`].
#[derive(Properties, PartialEq)]
pub struct PrintOneProps {
    /// The credential id.
    pub id: String,
}

/// `#/print/:id`
#[component]
pub fn PrintOne(props: &PrintOneProps) -> Html {
    let tt = use_tr().teach();
    let state = use_stored::<Desk>();
    let body = match &*state {
        DeskState::Ready { value: desk, .. } => match desk.issued.iter().find(|r| r.id == props.id)
        {
            Some(r) => certificate(desk, r),
            None => html! { <p class="message error">{ tt.cert_not_found }</p> },
        },
        DeskState::Loading => html! { <p class="note">{ tt.loading }</p> },
        _ => html! { <p class="message error">{ tt.cert_not_found }</p> },
    };
    html! {
        <section class="page print-page" data-page="print">
            { toolbar(tt) }
            { body }
        </section>
    }
}

/// Properties of [`PrintBatch`].
#[derive(Properties, PartialEq)]
pub struct PrintBatchProps {
    /// The batch id.
    pub batch: String,
    /// `certificates` or `links`.
    pub mode: String,
}

/// `#/print-batch/:batch/:mode`
#[component]
pub fn PrintBatch(props: &PrintBatchProps) -> Html {
    let tt = use_tr().teach();
    let state = use_stored::<Desk>();
    let body = match &*state {
        DeskState::Ready { value: desk, .. } => {
            let selection = Selection::from_param(&props.batch);
            let records: Vec<&IssuedRecord> =
                desk.issued.iter().filter(|r| selection.holds(r)).collect();
            if records.is_empty() {
                html! { <p class="message error">{ tt.cert_not_found }</p> }
            } else if props.mode == "slips" || props.mode == "links" {
                slips(desk, &records)
            } else {
                html! { <>{ for records.into_iter().map(|r| certificate(desk, r)) }</> }
            }
        }
        DeskState::Loading => html! { <p class="note">{ tt.loading }</p> },
        _ => html! { <p class="message error">{ tt.cert_not_found }</p> },
    };
    html! {
        <section class="page print-page" data-page="print">
            { toolbar(tt) }
            { body }
        </section>
    }
}
