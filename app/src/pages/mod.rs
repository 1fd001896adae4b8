//! One module per page (or per area). Pages render state and dispatch actions;
//! they hold no logic of their own beyond presentation.

mod about;
mod home;
pub mod learn;
mod not_found;
pub mod recovery;
pub mod teach;
pub mod verify;
pub mod wallet;

use crate::route::Route;
use yew::prelude::*;

/// Renders the routes of `index.html` (see [`crate::route::Section`]).
pub fn switch_core(route: Route) -> Html {
    match route {
        Route::Home => html! { <home::Home /> },
        Route::Verify => html! { <verify::Verify /> },
        Route::About => html! { <about::About /> },
        Route::NotFound => html! { <not_found::NotFound /> },
        other => html! { <OtherPage route={other} /> },
    }
}

/// Renders the routes of `wallet.html`.
pub fn switch_wallet(route: Route) -> Html {
    match route {
        Route::Wallet => html! { <wallet::Wallet /> },
        other => html! { <OtherPage route={other} /> },
    }
}

/// Renders the routes of `learn.html`.
pub fn switch_learn(route: Route) -> Html {
    match route {
        Route::Learn => html! { <learn::Learn /> },
        Route::Lesson { lesson } => html! { <learn::Lesson {lesson} /> },
        other => html! { <OtherPage route={other} /> },
    }
}

/// Renders the routes of `teach.html`.
pub fn switch_teach(route: Route) -> Html {
    match route {
        Route::Teach => html! { <teach::Teach /> },
        Route::Print { id } => html! { <teach::print::PrintOne {id} /> },
        Route::PrintBatch { batch, mode } => html! { <teach::print::PrintBatch {batch} {mode} /> },
        other => html! { <OtherPage route={other} /> },
    }
}

#[derive(Properties, PartialEq)]
struct OtherPageProps {
    route: Route,
}

/// A route of another page: replace this history entry with that page and the
/// same fragment (query included, so `#/verify?vc=…` survives), so the back
/// button returns to where the user was.
#[component]
fn OtherPage(props: &OtherPageProps) -> Html {
    let t = crate::state::settings::use_tr();
    let page = props.route.section().page();
    use_effect_with(props.route.clone(), move |_| {
        crate::platform::files::open_page(page);
    });
    html! { <p class="lead" role="status" data-opening="">{ t.opening_page }</p> }
}

/// A section page's heading and introduction.
pub fn intro(id: &'static str, title: &'static str, intro: &'static str) -> Html {
    html! {
        <>
            <h1>{ title }</h1>
            <p class="lead" data-intro={id}>{ intro }</p>
        </>
    }
}

/// The value of the input or textarea that fired an input event.
fn input_value(e: &InputEvent) -> String {
    use wasm_bindgen::JsCast;
    let target = e.target();
    if let Some(i) = target
        .clone()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        return i.value();
    }
    target
        .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
        .map(|a| a.value())
        .unwrap_or_default()
}

/// The value of the `<select>` that fired a change event ("" for any
/// other target).
pub(crate) fn select_value(e: &Event) -> String {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        .map(|s| s.value())
        .unwrap_or_default()
}

/// A callback that stores an input's text in a state handle.
pub(crate) fn bind(h: &UseStateHandle<String>) -> Callback<InputEvent> {
    let h = h.clone();
    Callback::from(move |e: InputEvent| h.set(input_value(&e)))
}
