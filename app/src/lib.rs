//! The ChainClass single-page app: a thin Yew shell over the pure `ledger` and
//! `credentials` crates.
//!
//! Layout (see ARCHITECTURE.md): `route` names every page, `i18n` holds the typed
//! English / Traditional Chinese string tables, `state` holds one reducer per
//! domain, `pages` render state and dispatch actions, and `platform` is the only
//! module that talks to the browser (storage, clock, randomness, crash screen).

pub mod app;
pub mod i18n;
pub mod jobs;
pub mod pages;
pub mod platform;
pub mod qr;
pub mod route;
pub mod state;

/// Mounts `index.html`'s app (home, verifier, about).
pub fn start_core() {
    mount(route::Section::Core, pages::switch_core);
}

/// Mounts `wallet.html`'s app (the student's wallet).
pub fn start_wallet() {
    mount(route::Section::Wallet, pages::switch_wallet);
}

/// Mounts `learn.html`'s app (the lessons).
pub fn start_learn() {
    mount(route::Section::Learn, pages::switch_learn);
}

/// Mounts `teach.html`'s app (the teacher's desk).
pub fn start_teach() {
    mount(route::Section::Teach, pages::switch_teach);
}

/// Runs the verifier's worker (`verify-worker`, started by a page only for
/// a ledger export or a QR code to read; see `jobs`). It uses no Yew.
pub fn start_verify_worker() {
    jobs::serve();
}

/// Mounts one page's app on `<body>` after installing the crash screen.
fn mount(section: route::Section, switch: fn(route::Route) -> yew::Html) {
    platform::crash::install();
    if section != route::Section::Core {
        use yew_router::Routable;
        platform::files::default_fragment(&format!("#{}", section.first_route().to_path()));
    }
    let props = app::AppProps {
        section,
        switch: yew::Callback::from(switch),
    };
    yew::Renderer::<app::App>::with_props(props).render();
}

#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
