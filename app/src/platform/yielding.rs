//! Giving the browser a turn between slices of long work (mining), so
//! clicks, typing and painting are handled in between.
//!
//! A zero-delay `setTimeout` is clamped to at least 4 ms once timers nest,
//! which would leave the CPU idle half the time between 4 ms slices. A
//! message posted on a `MessageChannel` is a new task with no clamp; the
//! browser still processes input and renders frames between such tasks.
//! Back-to-back messages can make timers wait, so at least every
//! [`TIMER_TURN_MS`] the yielder takes a timer turn instead. If the channel
//! cannot be made, the timer is always used.

use std::cell::Cell;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Longest stretch of message turns before a timer turn, in ms.
pub const TIMER_TURN_MS: f64 = 20.0;

/// Yields to the browser; one per long-running task (it keeps its channel).
pub struct Yielder {
    channel: Option<web_sys::MessageChannel>,
    last_timer_turn: Cell<f64>,
}

impl Default for Yielder {
    fn default() -> Self {
        Self::new()
    }
}

impl Yielder {
    /// A yielder with its own message channel.
    pub fn new() -> Self {
        Yielder {
            channel: web_sys::MessageChannel::new().ok(),
            last_timer_turn: Cell::new(super::clock::now_millis()),
        }
    }

    /// Resolves in a new task, after the browser had a chance to handle
    /// events and paint.
    pub async fn yield_now(&self) {
        let now = super::clock::now_millis();
        let channel = match &self.channel {
            Some(channel) if now - self.last_timer_turn.get() < TIMER_TURN_MS => channel,
            _ => {
                self.last_timer_turn.set(now);
                yew::platform::time::sleep(Duration::ZERO).await;
                return;
            }
        };
        let port = channel.port1();
        let promise = js_sys::Promise::new(&mut |resolve, _reject| {
            let done = Closure::once_into_js(move |_e: JsValue| {
                let _ = resolve.call0(&JsValue::NULL);
            });
            port.set_onmessage(Some(done.unchecked_ref()));
        });
        if channel.port2().post_message(&JsValue::NULL).is_err() {
            port.set_onmessage(None);
            yew::platform::time::sleep(Duration::ZERO).await;
            return;
        }
        let _ = JsFuture::from(promise).await;
        port.set_onmessage(None);
    }
}

impl Drop for Yielder {
    fn drop(&mut self) {
        if let Some(channel) = &self.channel {
            channel.port1().close();
            channel.port2().close();
        }
    }
}
