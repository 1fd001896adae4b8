//! Browser tests of the app shell and its platform adapters, run by
//! wasm-bindgen-test in headless Chromium (`cargo xtask test`, step `browser`).
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use app::platform::{crash, random, storage};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

async fn settle() {
    yew::platform::time::sleep(std::time::Duration::from_millis(50)).await;
}

#[wasm_bindgen_test]
async fn app_renders_nav_and_switches_language() {
    let _ = web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .clear();
    storage::save("chainclass.settings.v1", &serde_json::json!({"lang": "en"})).unwrap();
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let props = app::app::AppProps {
        section: app::route::Section::Core,
        switch: yew::Callback::from(app::pages::switch_core),
    };
    let handle = yew::Renderer::<app::app::App>::with_root_and_props(root.clone(), props).render();
    settle().await;
    let nav = root.query_selector("[data-nav=verify]").unwrap().unwrap();
    assert_eq!(nav.text_content().unwrap(), "Verify");
    let zh: web_sys::HtmlElement = root
        .query_selector("button[data-lang=zh-HK]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    zh.click();
    settle().await;
    assert_eq!(nav.text_content().unwrap(), "驗證");
    assert_eq!(
        document()
            .document_element()
            .unwrap()
            .get_attribute("lang")
            .unwrap(),
        "zh-HK"
    );
    // The choice is stored in the versioned settings key.
    let stored: serde_json::Value = storage::load("chainclass.settings.v1").unwrap().unwrap();
    assert_eq!(stored["lang"], "zh-HK");
    handle.destroy();
    root.remove();
}

#[wasm_bindgen_test]
fn unreadable_stored_value_is_reported_with_its_raw_text() {
    let ls = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    ls.set_item("chainclass.test.damaged", "{not json").unwrap();
    match storage::load::<serde_json::Value>("chainclass.test.damaged") {
        Err(storage::StorageError::Unreadable { raw, key, .. }) => {
            assert_eq!(raw, "{not json");
            assert_eq!(key, "chainclass.test.damaged");
        }
        other => panic!("expected Unreadable, got {other:?}"),
    }
    // Reading did not change what is stored.
    assert_eq!(
        ls.get_item("chainclass.test.damaged").unwrap().unwrap(),
        "{not json"
    );
    assert_eq!(
        storage::load::<serde_json::Value>("chainclass.test.absent"),
        Ok(None)
    );
}

#[wasm_bindgen_test]
fn randomness_comes_from_the_browser() {
    let a = random::bytes32().unwrap();
    let b = random::bytes32().unwrap();
    assert_ne!(a, b);
    let mut big = vec![0u8; 100_000];
    random::fill(&mut big).unwrap();
    assert!(
        big[65_536..].iter().any(|&x| x != 0),
        "the second chunk was filled too"
    );
}

#[wasm_bindgen_test]
fn crash_screen_shows_the_message_as_text() {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    root.set_inner_html("<p>the dead page</p>");
    crash::show_in(&root, "boom <b>not bold</b>");
    let screen = root
        .query_selector("[data-testid=crash-screen]")
        .unwrap()
        .unwrap();
    let detail = root.query_selector("#crash-detail").unwrap().unwrap();
    assert!(!root.inner_html().contains("the dead page"));
    assert_eq!(detail.text_content().unwrap(), "boom <b>not bold</b>");
    assert!(
        detail.query_selector("b").unwrap().is_none(),
        "message must not be parsed as HTML"
    );
    assert!(screen.text_content().unwrap().contains("出現錯誤"));
    root.remove();
}

#[wasm_bindgen_test]
async fn indexeddb_round_trips_text_and_reports_absence() {
    use app::platform::idb;
    idb::put("test.idb.a", "{\"x\":1}").await.unwrap();
    assert_eq!(
        idb::get("test.idb.a").await.unwrap().as_deref(),
        Some("{\"x\":1}")
    );
    idb::put("test.idb.a", "中文 ✓").await.unwrap();
    assert_eq!(
        idb::get("test.idb.a").await.unwrap().as_deref(),
        Some("中文 ✓")
    );
    assert_eq!(idb::get("test.idb.absent").await.unwrap(), None);
    idb::delete("test.idb.a").await.unwrap();
    assert_eq!(idb::get("test.idb.a").await.unwrap(), None);
}
