//! Web workers, both sides. The page [`ask`]s a worker (started on first use,
//! then kept) and awaits its answer; inside the worker, [`serve`] answers
//! with a plain function. Messages are strings, `"<id>\n<body>"` both ways;
//! a worker first says [`READY`] once its wasm runs, and questions asked
//! before that wait in a queue (a worker drops messages that arrive before
//! it has a handler).

use js_sys::{Function, Promise};
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// What a worker says once it can take questions.
pub const READY: &str = "ready";

/// Why a worker gave no answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkerError {
    /// The browser would not start it.
    Unavailable,
    /// Its script or wasm failed to load, or it stopped with an error.
    Stopped,
}

/// The page's running worker.
struct Running {
    url: String,
    /// Tells this worker's events from those of one it replaced.
    generation: u64,
    worker: web_sys::Worker,
    ready: bool,
    queue: Vec<String>,
    next_id: u64,
    /// The `resolve` and `reject` of each unanswered question's promise.
    pending: HashMap<u64, (Function, Function)>,
}

thread_local! {
    static RUNNING: RefCell<Option<Running>> = const { RefCell::new(None) };
    static GENERATION: RefCell<u64> = const { RefCell::new(0) };
}

/// Asks the worker at `url` (relative to the page) and awaits its answer.
/// The worker is started on the first question and reused; one that failed
/// is started again on the next question.
pub async fn ask(url: &str, body: String) -> Result<String, WorkerError> {
    let mut slot = None;
    let promise = Promise::new(&mut |resolve, reject| slot = Some((resolve, reject)));
    let callbacks = slot.ok_or(WorkerError::Unavailable)?;
    let replaced = RUNNING.with(|running| -> Result<Option<Running>, WorkerError> {
        let mut running = running.borrow_mut();
        let mut replaced = None;
        if running.as_ref().is_none_or(|r| r.url != url) {
            replaced = running.take();
            *running = Some(start(url)?);
        }
        let r = running.as_mut().ok_or(WorkerError::Unavailable)?;
        let id = r.next_id;
        r.next_id = r.next_id.wrapping_add(1);
        r.pending.insert(id, callbacks);
        let message = format!("{id}\n{body}");
        if r.ready {
            post(&r.worker, &message);
        } else {
            r.queue.push(message);
        }
        Ok(replaced)
    })?;
    if let Some(old) = replaced {
        stop(old);
    }
    match JsFuture::from(promise).await {
        Ok(answer) => answer.as_string().ok_or(WorkerError::Stopped),
        Err(_) => Err(WorkerError::Stopped),
    }
}

fn post(worker: &web_sys::Worker, message: &str) {
    // A worker that cannot take a message any more reports it through
    // `onerror`, which fails the question.
    let _ = worker.post_message(&JsValue::from_str(message));
}

fn start(url: &str) -> Result<Running, WorkerError> {
    let generation = GENERATION.with(|g| {
        let mut g = g.borrow_mut();
        *g = g.wrapping_add(1);
        *g
    });
    let worker = web_sys::Worker::new(url).map_err(|_| WorkerError::Unavailable)?;
    // The handlers live as long as the page (a worker is started once, or
    // again after a failure): they are leaked rather than dropped while
    // one of them may be running.
    let onmessage =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            if let Some(text) = e.data().as_string() {
                received(generation, &text);
            }
        });
    worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    let onerror = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
        let failed = RUNNING.with(|running| {
            let mut running = running.borrow_mut();
            match running.as_ref() {
                Some(r) if r.generation == generation => running.take(),
                _ => None,
            }
        });
        if let Some(r) = failed {
            stop(r);
        }
    });
    worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    onerror.forget();
    Ok(Running {
        url: url.to_owned(),
        generation,
        worker,
        ready: false,
        queue: Vec::new(),
        next_id: 0,
        pending: HashMap::new(),
    })
}

/// A message from worker `generation`: `READY`, or an answer.
fn received(generation: u64, text: &str) {
    let resolve = RUNNING.with(|running| {
        let mut running = running.borrow_mut();
        let r = running.as_mut().filter(|r| r.generation == generation)?;
        if text == READY {
            r.ready = true;
            for message in r.queue.drain(..) {
                post(&r.worker, &message);
            }
            return None;
        }
        let (id, body) = text.split_once('\n')?;
        let (resolve, _) = r.pending.remove(&id.parse::<u64>().ok()?)?;
        Some((resolve, body.to_owned()))
    });
    if let Some((resolve, body)) = resolve {
        let _ = resolve.call1(&JsValue::NULL, &JsValue::from_str(&body));
    }
}

/// Terminates a worker and fails its unanswered questions.
fn stop(r: Running) {
    r.worker.terminate();
    for (_, (_, reject)) in r.pending {
        let _ = reject.call0(&JsValue::NULL);
    }
}

/// Inside a worker: answers every question with `answer` (synchronously,
/// in order) and says [`READY`].
pub fn serve(answer: fn(&str) -> String) {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply = scope.clone();
    let onmessage =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let Some(text) = e.data().as_string() else {
                return;
            };
            if let Some((id, body)) = text.split_once('\n') {
                let _ = reply.post_message(&JsValue::from_str(&format!("{id}\n{}", answer(body))));
            }
        });
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    let _ = scope.post_message(&JsValue::from_str(READY));
}
