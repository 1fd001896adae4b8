//! Web workers, both sides. The page [`ask`]s a worker (started on first use,
//! then kept) to do a job and awaits the answer; inside the worker, [`serve`]
//! answers with a plain function. A question is the array `[id, job,
//! payload]`, an answer `[id, payload]` (payloads are any structured-clone
//! value: text, bytes). A worker first says [`READY`] once its wasm runs, and
//! questions asked before that wait in a queue (a worker drops messages that
//! arrive before it has a handler); its loader says [`FAILED`] if the wasm
//! does not load (a failed `import` inside a worker raises no error event).

use js_sys::{Array, Function, Promise};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// What a worker says once it can take questions.
pub const READY: &str = "ready";

/// What a worker's loader says when its script or wasm did not load
/// (`app/static/verify-worker_loader.js`).
pub const FAILED: &str = "failed";

/// Why a worker gave no answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkerError {
    /// The browser would not start it.
    Unavailable,
    /// Its script or wasm failed to load, or it was replaced.
    Stopped,
    /// It had started, then stopped with an error while answering (a trap
    /// in its wasm on this question's input): the question, not the
    /// browser, is the likely cause. The next question starts a new worker.
    Crashed,
}

impl WorkerError {
    /// The value a question's promise is rejected with.
    fn to_js(self) -> JsValue {
        JsValue::from_f64(match self {
            WorkerError::Unavailable => 0.0,
            WorkerError::Stopped => 1.0,
            WorkerError::Crashed => 2.0,
        })
    }

    fn from_js(value: &JsValue) -> Self {
        match value.as_f64() {
            Some(0.0) => WorkerError::Unavailable,
            Some(2.0) => WorkerError::Crashed,
            _ => WorkerError::Stopped,
        }
    }
}

/// The page's running worker.
struct Running {
    url: String,
    /// Tells this worker's events from those of one it replaced.
    generation: u64,
    worker: web_sys::Worker,
    ready: bool,
    /// Questions (and their transfer lists) waiting for [`READY`].
    queue: Vec<(Array, Option<Array>)>,
    next_id: u32,
    /// The `resolve` and `reject` of each unanswered question's promise.
    pending: HashMap<u32, (Function, Function)>,
}

thread_local! {
    static RUNNING: RefCell<Option<Running>> = const { RefCell::new(None) };
    static GENERATION: Cell<u64> = const { Cell::new(0) };
}

/// Asks the worker at `url` (relative to the page) to do `job` with
/// `payload` and awaits the answer's payload. `transfer` lists buffers moved
/// to the worker rather than copied. The worker is started on the first
/// question and reused; one that failed is started again on the next.
pub async fn ask(
    url: &str,
    job: &str,
    payload: &JsValue,
    transfer: Option<Array>,
) -> Result<JsValue, WorkerError> {
    let mut slot = None;
    let promise = Promise::new(&mut |resolve, reject| slot = Some((resolve, reject)));
    let callbacks = slot.ok_or(WorkerError::Unavailable)?;
    let replaced = RUNNING.with(|running| -> Result<Option<Running>, WorkerError> {
        let mut running = running.borrow_mut();
        let replaced = run_at(&mut running, url)?;
        let r = running.as_mut().ok_or(WorkerError::Unavailable)?;
        let id = r.next_id;
        r.next_id = r.next_id.wrapping_add(1);
        r.pending.insert(id, callbacks);
        let question = Array::of3(&JsValue::from(id), &JsValue::from_str(job), payload);
        if r.ready {
            post(&r.worker, &question, transfer.as_ref());
        } else {
            r.queue.push((question, transfer));
        }
        Ok(replaced)
    })?;
    if let Some(old) = replaced {
        stop(old, WorkerError::Stopped);
    }
    JsFuture::from(promise)
        .await
        .map_err(|e| WorkerError::from_js(&e))
}

/// The `content` of the page's `<meta name="{name}">`, if any (how a page
/// learns a worker's hashed file name, see `xtask/src/pages.rs`).
pub fn page_meta(name: &str) -> Option<String> {
    web_sys::window()?
        .document()?
        .query_selector(&format!("meta[name=\"{name}\"]"))
        .ok()??
        .get_attribute("content")
}

/// Starts the worker at `url` if it is not running yet, so that its script
/// and wasm download while the user is still busy (a slow network then
/// costs less waiting at the first question).
pub fn warm_up(url: &str) {
    let replaced = RUNNING.with(|running| run_at(&mut running.borrow_mut(), url).ok().flatten());
    if let Some(old) = replaced {
        stop(old, WorkerError::Stopped);
    }
}

/// Makes the worker at `url` the running one, starting it unless it already
/// is; gives back the worker it replaced, to be stopped once `RUNNING` is
/// no longer borrowed.
fn run_at(running: &mut Option<Running>, url: &str) -> Result<Option<Running>, WorkerError> {
    if running.as_ref().is_some_and(|r| r.url == url) {
        return Ok(None);
    }
    let started = start(url)?;
    Ok(running.replace(started))
}

fn post(worker: &web_sys::Worker, question: &Array, transfer: Option<&Array>) {
    // A worker that cannot take a message any more reports it through
    // `onerror`, which fails the question.
    let _ = match transfer {
        Some(t) => worker.post_message_with_transfer(question, t),
        None => worker.post_message(question),
    };
}

fn start(url: &str) -> Result<Running, WorkerError> {
    let generation = GENERATION.with(|g| {
        g.set(g.get().wrapping_add(1));
        g.get()
    });
    let worker = web_sys::Worker::new(url).map_err(|_| WorkerError::Unavailable)?;
    // The handlers live as long as the page (a worker is started once, or
    // again after a failure): they are leaked rather than dropped while
    // one of them may be running.
    let onmessage =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            received(generation, &e.data());
        });
    worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    let onerror = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
        failed(generation);
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

/// Worker `generation` failed: it is stopped and its questions fail.
fn failed(generation: u64) {
    let failed = RUNNING.with(|running| {
        let mut running = running.borrow_mut();
        match running.as_ref() {
            Some(r) if r.generation == generation => running.take(),
            _ => None,
        }
    });
    if let Some(r) = failed {
        // A worker that had said READY and then failed stopped on a job.
        let why = if r.ready {
            WorkerError::Crashed
        } else {
            WorkerError::Stopped
        };
        stop(r, why);
    }
}

/// A message from worker `generation`: [`READY`], [`FAILED`] or an answer.
fn received(generation: u64, data: &JsValue) {
    let text = data.as_string();
    if text.as_deref() == Some(FAILED) {
        return failed(generation);
    }
    let resolve = RUNNING.with(|running| {
        let mut running = running.borrow_mut();
        let r = running.as_mut().filter(|r| r.generation == generation)?;
        if text.as_deref() == Some(READY) {
            r.ready = true;
            for (question, transfer) in r.queue.drain(..) {
                post(&r.worker, &question, transfer.as_ref());
            }
            return None;
        }
        let answer: &Array = data.dyn_ref()?;
        let id = answer.get(0).as_f64()?;
        let (resolve, _) = r.pending.remove(&(id as u32))?;
        Some((resolve, answer.get(1)))
    });
    if let Some((resolve, payload)) = resolve {
        let _ = resolve.call1(&JsValue::NULL, &payload);
    }
}

/// Terminates a worker and fails its unanswered questions with `why`.
fn stop(r: Running, why: WorkerError) {
    r.worker.terminate();
    for (_, (_, reject)) in r.pending {
        let _ = reject.call1(&JsValue::NULL, &why.to_js());
    }
}

/// Inside a worker: answers every question with `answer(job, payload)`
/// (synchronously, in order) and says [`READY`].
pub fn serve(answer: fn(&str, JsValue) -> JsValue) {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply = scope.clone();
    let onmessage =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let Ok(question) = e.data().dyn_into::<Array>() else {
                return;
            };
            let job = question.get(1).as_string().unwrap_or_default();
            let payload = answer(&job, question.get(2));
            let _ = reply.post_message(&Array::of2(&question.get(0), &payload));
        });
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    let _ = scope.post_message(&JsValue::from_str(READY));
}
