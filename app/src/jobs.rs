//! The jobs of the verifier's worker (`verify-worker`, built with
//! `index.html`, used by every page that verifies, reads QR codes or
//! signs): checking a certificate against a class ledger export or with
//! eddsa-rdfc-2022 (`state::verify`), reading QR codes in pictures and
//! camera frames (`qr::decode_rgba`), and hashing the documents the desk
//! signs with eddsa-rdfc-2022 (`state::signing`; the key stays in the
//! page). All are large in code (the ledger importer, the QR decoder, the
//! JSON-LD processor) and slow on big inputs, so the pages keep them out of
//! their own wasm and off their thread. The functions here are the page's side; [`serve`] is the
//! worker's. Messages go through `platform::worker`.

use crate::platform::worker::{self, WorkerError};
use crate::state::signing::{self, HashAnswerProblem, Hashes};
use crate::state::teach::{DeskError, Refusal};
use crate::state::verify::{self, Extras, Outcome, WorkerProblem};
use js_sys::{Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

/// The worker's loader (`app/static/verify-worker_loader.js`, which loads
/// the `verify-worker` binary), beside every page. `cargo xtask` gives its
/// files a content hash and writes the loader's name into each page's
/// `chainclass-worker` meta, so an update never meets a cached old worker.
fn worker_url() -> String {
    let loader = worker::page_meta("chainclass-worker");
    format!(
        "./{}",
        loader.as_deref().unwrap_or("verify-worker_loader.js")
    )
}

const VERIFY: &str = "verify";
const READ_QR: &str = "read-qr";
const RDFC_HASH: &str = "rdfc-hash";

/// Starts fetching the worker ahead of a job (a ledger file was chosen, the
/// camera is starting without `BarcodeDetector`).
pub fn warm_up() {
    worker::warm_up(&worker_url());
}

/// Verifies `input` with `extras`, ledger export included, in the worker.
pub async fn verify_with_ledger(input: &str, extras: &Extras) -> Result<Outcome, WorkerProblem> {
    let request = JsValue::from_str(&verify::worker_request(input, extras));
    let answer = worker::ask(&worker_url(), VERIFY, &request, None)
        .await
        .map_err(|_| WorkerProblem::Failed)?;
    verify::read_answer(input, &answer.as_string().ok_or(WorkerProblem::Failed)?)
}

/// The texts of the QR codes in an RGBA image, read in the worker: a
/// chosen picture every way `qr::decode_rgba` knows, a camera frame
/// (`frame`) the quick ways of `qr::decode_frame` (the next frame comes
/// soon).
pub async fn read_qr(
    rgba: &[u8],
    width: usize,
    height: usize,
    frame: bool,
) -> Result<Vec<String>, WorkerError> {
    let pixels = Uint8Array::from(rgba);
    let size = |n: usize| JsValue::from_f64(n as f64);
    let payload = Array::of4(
        &pixels,
        &size(width),
        &size(height),
        &JsValue::from_bool(frame),
    );
    // The pixels are moved to the worker, not copied.
    let transfer = Array::of1(&pixels.buffer());
    let answer = worker::ask(&worker_url(), READ_QR, &payload, Some(transfer)).await?;
    let texts: Array = answer.dyn_into().map_err(|_| WorkerError::Stopped)?;
    Ok(texts.iter().filter_map(|t| t.as_string()).collect())
}

/// Runs `run` (a pure desk function that signs) until it has every
/// eddsa-rdfc-2022 hash it asks for: each run that misses some has the
/// worker hash them, and the same function runs again with the same
/// inputs (see `state::signing`). A run that misses nothing is the answer.
pub async fn with_rdfc<T, E: From<DeskError>>(
    mut run: impl FnMut(&mut Hashes) -> Result<T, E>,
) -> Result<T, E> {
    let mut hashes = Hashes::new();
    // A run asks for the documents it signs, all known after one answer;
    // a third round would mean a run that is not a function of its inputs.
    for _ in 0..3 {
        let result = run(&mut hashes);
        if !hashes.has_missing() {
            return result;
        }
        let request = JsValue::from_str(&hashes.request());
        let answer = worker::ask(&worker_url(), RDFC_HASH, &request, None)
            .await
            .map_err(|_| DeskError::SigningUnavailable)?;
        hashes
            .learn(&answer.as_string().unwrap_or_default())
            .map_err(|e| match e {
                HashAnswerProblem::Refused(why) => DeskError::Refused(Refusal::Sign(why)),
                HashAnswerProblem::Garbled => DeskError::SigningUnavailable,
            })?;
    }
    Err(DeskError::SigningUnavailable.into())
}

/// The worker's side: answers every job (see `app::start_verify_worker`).
pub fn serve() {
    worker::serve(answer);
}

fn answer(job: &str, payload: JsValue) -> JsValue {
    match job {
        VERIFY => {
            let request = payload.as_string().unwrap_or_default();
            JsValue::from_str(&verify::answer_request(&request))
        }
        READ_QR => {
            let parts: Array = payload.dyn_into().unwrap_or_else(|_| Array::new());
            let rgba = parts
                .get(0)
                .dyn_into::<Uint8Array>()
                .map(|a| a.to_vec())
                .unwrap_or_default();
            let size = |i: u32| parts.get(i).as_f64().map_or(0, |n| n as usize);
            let read = if parts.get(3).as_bool() == Some(true) {
                crate::qr::decode_frame
            } else {
                crate::qr::decode_rgba
            };
            let texts: Array = read(&rgba, size(1), size(2))
                .iter()
                .map(|t| JsValue::from_str(t))
                .collect();
            texts.into()
        }
        RDFC_HASH => {
            let request = payload.as_string().unwrap_or_default();
            JsValue::from_str(&signing::hash_answer(
                &request,
                &mut credentials::BuiltinRdfc::default(),
            ))
        }
        _ => JsValue::NULL,
    }
}
