//! `#/wallet`.

use crate::state::settings::use_tr;
use yew::prelude::*;

/// `#/wallet`
#[component]
pub fn Wallet() -> Html {
    let t = use_tr();
    html! {
        <section class="page" data-page="wallet">
            { super::intro("wallet", t.wallet_title, t.wallet_intro) }
            <p class="note">{ t.not_ready }</p>
        </section>
    }
}
