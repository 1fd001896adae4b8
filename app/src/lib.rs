//! The ChainClass single-page app: a thin Yew shell over the pure `ledger` and
//! `credentials` crates.
//!
//! Layout (see ARCHITECTURE.md): `route` names every page, `i18n` holds the typed
//! English / Traditional Chinese string tables, `state` holds one reducer per
//! domain, `pages` render state and dispatch actions, and `platform` is the only
//! module that talks to the browser (storage, clock, randomness, crash screen).

pub mod app;
pub mod i18n;
pub mod pages;
pub mod platform;
pub mod qr;
pub mod route;
pub mod state;

/// Mounts the app on `<body>` after installing the crash screen.
pub fn start() {
    platform::crash::install();
    yew::Renderer::<app::App>::new().render();
}

#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
