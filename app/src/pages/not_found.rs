//! The page for an unknown address.

use crate::route::Route;
use crate::state::settings::use_tr;
use yew::prelude::*;
use yew_router::prelude::*;

/// Any unknown route.
#[component]
pub fn NotFound() -> Html {
    let t = use_tr();
    html! {
        <section class="page" data-page="not-found">
            <h1>{ t.not_found_title }</h1>
            <p>{ t.not_found_body }</p>
            <Link<Route> classes="button" to={Route::Home}>{ t.back_home }</Link<Route>>
        </section>
    }
}
