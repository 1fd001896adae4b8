//! The offline copy: registers the service worker (`sw.js`, written by
//! `cargo xtask` from `app/static/sw.js`) once the page has loaded, tells
//! the page when a newer build is installed and waiting, and switches to
//! it when the reader asks (the page then reloads). Where the browser has
//! no service workers (an `http://` address other than this computer, a
//! page opened from a file), nothing happens and the app works online as
//! before.

use std::cell::Cell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

thread_local! {
    /// The reader chose "Reload": the next change of service worker reloads
    /// the page (a change another tab asked for does not).
    static SWITCHING: Cell<bool> = const { Cell::new(false) };
}

fn container() -> Option<web_sys::ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    js_sys::Reflect::get(&navigator, &"serviceWorker".into())
        .ok()?
        .dyn_into()
        .ok()
}

/// Whether the reader asked the browser to save data (`Save-Data`, e.g.
/// Chrome's Lite mode on a phone): the offline copy downloads every page
/// of the app (about 2 MB gzipped), which is then not made.
fn saving_data(navigator: &web_sys::Navigator) -> bool {
    js_sys::Reflect::get(navigator, &"connection".into())
        .ok()
        .filter(|c| c.is_object())
        .and_then(|c| js_sys::Reflect::get(&c, &"saveData".into()).ok())
        .and_then(|s| s.as_bool())
        .unwrap_or(false)
}

/// Registers `sw.js` (beside the page) after the page's `load` event, and
/// calls `on_newer` when a newer build than the one answering this page is
/// installed and waiting (at once if one already is). Not when the reader
/// saves data and no offline copy exists yet.
pub fn register(on_newer: impl Fn() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let answered = container().is_some_and(|c| c.controller().is_some());
    if saving_data(&window.navigator()) && !answered {
        return;
    }
    let loaded = window
        .document()
        .is_some_and(|d| d.ready_state() == "complete");
    let start = move || {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = watch(on_newer).await;
        });
    };
    if loaded {
        start();
    } else {
        let once = Closure::once_into_js(start);
        let _ = window.add_event_listener_with_callback("load", once.unchecked_ref());
    }
}

async fn watch(on_newer: impl Fn() + 'static) -> Result<(), JsValue> {
    let container = container().ok_or(JsValue::NULL)?;
    let on_change = Closure::<dyn FnMut()>::new(|| {
        if SWITCHING.with(Cell::get) {
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        }
    });
    container.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
    // For the page's lifetime.
    on_change.forget();
    let registration: web_sys::ServiceWorkerRegistration =
        wasm_bindgen_futures::JsFuture::from(container.register("sw.js"))
            .await?
            .dyn_into()?;
    let on_newer = std::rc::Rc::new(on_newer);
    // A first install has no page to replace: only a build that arrives
    // while another one answers this page is "newer".
    let answered = container.controller().is_some();
    if registration.waiting().is_some() && answered {
        on_newer();
    }
    let watched = registration.clone();
    let on_found = Closure::<dyn FnMut()>::new(move || {
        let Some(installing) = watched.installing() else {
            return;
        };
        let worker = installing.clone();
        let on_newer = on_newer.clone();
        let on_state = Closure::<dyn FnMut()>::new(move || {
            if worker.state() == web_sys::ServiceWorkerState::Installed && answered {
                on_newer();
            }
        });
        installing.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
        on_state.forget();
    });
    registration.set_onupdatefound(Some(on_found.as_ref().unchecked_ref()));
    on_found.forget();
    Ok(())
}

/// Switches to the newer build: the waiting service worker takes over and
/// the page reloads from it (every tab still open on the older build keeps
/// its files until it is reloaded too). Reloads at once when no build is
/// waiting (another tab switched already).
pub fn switch_to_newer() {
    SWITCHING.with(|s| s.set(true));
    wasm_bindgen_futures::spawn_local(async {
        let waiting = async {
            let registration: web_sys::ServiceWorkerRegistration =
                wasm_bindgen_futures::JsFuture::from(container()?.get_registration())
                    .await
                    .ok()?
                    .dyn_into()
                    .ok()?;
            registration.waiting()
        };
        match waiting.await {
            Some(worker) => {
                let _ = worker.post_message(&"chainclass-update".into());
            }
            None => {
                if let Some(w) = web_sys::window() {
                    let _ = w.location().reload();
                }
            }
        }
    });
}
