//! Telling the app's other tabs that stored data changed: a
//! `BroadcastChannel` per storage key, carrying the new revision. A tab that
//! hears it reads the store again (the message itself is never trusted as
//! data). Where the browser has no `BroadcastChannel`, nothing is sent and
//! the compare-and-swap on save still keeps every write safe.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

fn channel(key: &str) -> Option<web_sys::BroadcastChannel> {
    web_sys::BroadcastChannel::new(&format!("chainclass:{key}")).ok()
}

/// Tells the other tabs that `key` was written at `revision`.
pub fn announce(key: &str, revision: u64) {
    if let Some(c) = channel(key) {
        // Revisions stay far below 2^53: exact as a JavaScript number.
        #[allow(clippy::cast_precision_loss)]
        let _ = c.post_message(&(revision as f64).into());
        c.close();
    }
}

/// Listening on a channel until dropped.
pub struct Listener {
    channel: web_sys::BroadcastChannel,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}

/// Calls `on_change` whenever another tab announces a write of `key`.
pub fn listen(key: &str, on_change: impl Fn() + 'static) -> Option<Listener> {
    let channel = channel(key)?;
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_e: web_sys::MessageEvent| {
            on_change()
        });
    channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    Some(Listener {
        channel,
        _on_message: on_message,
    })
}
