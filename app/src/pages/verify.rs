//! `#/verify`.

use crate::state::settings::use_tr;
use yew::prelude::*;

/// `#/verify`
#[component]
pub fn Verify() -> Html {
    let t = use_tr();
    html! {
        <section class="page" data-page="verify">
            { super::intro("verify", t.verify_title, t.verify_intro) }
            <p class="note">{ t.not_ready }</p>
        </section>
    }
}
