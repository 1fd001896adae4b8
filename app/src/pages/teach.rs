//! `#/teach`.

use crate::state::settings::use_tr;
use yew::prelude::*;

/// `#/teach`
#[component]
pub fn Teach() -> Html {
    let t = use_tr();
    html! {
        <section class="page" data-page="teach">
            { super::intro("teach", t.teach_title, t.teach_intro) }
            <p class="note">{ t.not_ready }</p>
        </section>
    }
}
