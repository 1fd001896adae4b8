//! The QR reader: the camera (the browser's `BarcodeDetector` where it
//! exists, else the pure-Rust decoder on video frames) or a picture file.
//! Emits the text of the first code found. A picture goes to the browser's
//! `BarcodeDetector` first where it exists. The pure-Rust decoder runs in
//! the verifier's worker (`jobs::read_qr`), fetched on first use.

use crate::jobs;
use crate::platform::camera::{self, CameraError};
use crate::platform::worker::WorkerError;
use crate::state::settings::use_tr;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Properties of [`QrScanner`].
#[derive(Properties, PartialEq)]
pub struct QrScannerProps {
    /// Receives the text of the code found.
    pub on_text: Callback<String>,
    /// Changes whenever the page takes new input: a problem with an
    /// earlier picture is then no longer shown.
    #[prop_or_default]
    pub input_number: u64,
}

#[derive(Clone, Copy, PartialEq)]
enum Problem {
    NoCamera,
    Denied,
    NoCode,
    /// The worker with the QR decoder did not start.
    NoReader,
    /// The decoder started, then stopped with an error on this picture.
    ReaderStopped,
    NotImage,
}

/// Camera and picture QR reader.
#[component]
pub fn QrScanner(props: &QrScannerProps) -> Html {
    let t = use_tr();
    let v = t.verify();
    let video = use_node_ref();
    let scanning = use_state(|| false);
    let active = use_mut_ref(|| Rc::new(Cell::new(false)));
    let stream = use_mut_ref(|| Rc::new(RefCell::new(None::<web_sys::MediaStream>)));
    let problem = use_state(|| None::<Problem>);
    {
        let problem = problem.clone();
        use_effect_with(props.input_number, move |_| problem.set(None));
    }

    // Stop the camera when the component goes away.
    {
        let (active, stream) = (active.borrow().clone(), stream.borrow().clone());
        use_effect_with((), move |_| {
            move || {
                active.set(false);
                if let Some(s) = stream.borrow_mut().take() {
                    camera::stop(&s);
                }
            }
        });
    }

    let stop = {
        let (active, stream, scanning) = (
            active.borrow().clone(),
            stream.borrow().clone(),
            scanning.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            active.set(false);
            if let Some(s) = stream.borrow_mut().take() {
                camera::stop(&s);
            }
            scanning.set(false);
        })
    };
    let start = {
        let (active, stream, scanning, problem) = (
            active.borrow().clone(),
            stream.borrow().clone(),
            scanning.clone(),
            problem.clone(),
        );
        let video = video.clone();
        let on_text = props.on_text.clone();
        Callback::from(move |_: MouseEvent| {
            problem.set(None);
            scanning.set(true);
            if !camera::has_barcode_detector() {
                // Frames will go to the worker: fetch it during the camera prompt.
                jobs::warm_up();
            }
            let (active, stream, scanning, problem, video, on_text) = (
                active.clone(),
                stream.clone(),
                scanning.clone(),
                problem.clone(),
                video.clone(),
                on_text.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                // Let the <video> element render first.
                yew::platform::time::sleep(Duration::from_millis(30)).await;
                let Some(el) = video.cast::<web_sys::HtmlVideoElement>() else {
                    scanning.set(false);
                    return;
                };
                match camera::start(&el).await {
                    Ok(s) => *stream.borrow_mut() = Some(s),
                    Err(e) => {
                        problem.set(Some(if e == CameraError::Denied {
                            Problem::Denied
                        } else {
                            Problem::NoCamera
                        }));
                        scanning.set(false);
                        return;
                    }
                }
                active.set(true);
                // Frames the reader stopped on: a few are skipped (the next
                // frame starts a new reader), then the camera stops.
                let mut crashes = 0;
                while active.get() {
                    yew::platform::time::sleep(Duration::from_millis(250)).await;
                    if !active.get() {
                        break;
                    }
                    let found = match camera::browser_detect(el.unchecked_ref()).await {
                        Some(found) => Ok(found),
                        None => match camera::frame_pixels(&el) {
                            Some((px, w, h)) => jobs::read_qr(&px, w, h, true).await,
                            None => Ok(Vec::new()),
                        },
                    };
                    // A code, or no reader at all (say so rather than scan
                    // forever): either way the camera stops.
                    let first = match found.map(|texts| texts.into_iter().next()) {
                        Err(WorkerError::Crashed) if crashes < 3 => {
                            crashes += 1;
                            Ok(None)
                        }
                        other => other,
                    };
                    if first != Ok(None) {
                        active.set(false);
                        if let Some(s) = stream.borrow_mut().take() {
                            camera::stop(&s);
                        }
                        scanning.set(false);
                        match first {
                            Ok(Some(text)) => on_text.emit(text),
                            Err(WorkerError::Crashed) => problem.set(Some(Problem::ReaderStopped)),
                            _ => problem.set(Some(Problem::NoReader)),
                        }
                    }
                }
            });
        })
    };
    let onpicture = {
        let (problem, on_text) = (problem.clone(), props.on_text.clone());
        Callback::from(move |e: Event| {
            if let Some(file) = crate::platform::files::files_of_input(&e)
                .into_iter()
                .next()
            {
                let (problem, on_text) = (problem.clone(), on_text.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    // The browser's own reader first, where it has one
                    // (Android, ChromeOS), on the picture at full size.
                    if let Some(text) = camera::browser_detect(file.as_ref())
                        .await
                        .and_then(|found| found.into_iter().next())
                    {
                        problem.set(None);
                        return on_text.emit(text);
                    }
                    match camera::file_pixels(&file).await {
                        Ok((px, w, h)) => match jobs::read_qr(&px, w, h, false).await {
                            Ok(found) => match found.into_iter().next() {
                                Some(text) => {
                                    problem.set(None);
                                    on_text.emit(text);
                                }
                                None => problem.set(Some(Problem::NoCode)),
                            },
                            Err(WorkerError::Crashed) => problem.set(Some(Problem::ReaderStopped)),
                            Err(_) => problem.set(Some(Problem::NoReader)),
                        },
                        Err(_) => problem.set(Some(Problem::NotImage)),
                    }
                });
            }
            crate::platform::files::reset_input(&e);
        })
    };
    html! {
        <div class="qr-scanner">
            <div class="row">
                if *scanning {
                    <button type="button" class="secondary" onclick={stop}>{ v.scan_stop }</button>
                } else {
                    <button type="button" class="secondary" onclick={start} data-testid="scan-camera">{ v.scan_camera }</button>
                }
                <label class="button secondary file-button">
                    { v.scan_image }
                    <input type="file" accept="image/*" data-testid="scan-image" onchange={onpicture} />
                </label>
            </div>
            if *scanning {
                <p class="hint">{ v.scanning }</p>
            }
            <video ref={video} class={classes!("qr-video", (!*scanning).then_some("hidden"))} aria-label={v.scan_camera} />
            { match *problem {
                Some(Problem::NoCamera) => html! { <p class="message error" data-testid="scan-problem">{ v.scan_no_camera }</p> },
                Some(Problem::Denied) => html! { <p class="message error" data-testid="scan-problem">{ v.scan_denied }</p> },
                Some(Problem::NoCode) => html! { <p class="message error" data-testid="scan-problem">{ v.scan_no_code }</p> },
                Some(Problem::NotImage) => html! { <p class="message error" data-testid="scan-problem">{ v.scan_not_image }</p> },
                Some(Problem::NoReader) => html! { <p class="message error" data-testid="scan-problem">{ v.scan_no_reader }</p> },
                Some(Problem::ReaderStopped) => html! { <p class="message error" data-testid="scan-problem">{ v.scan_reader_stopped }</p> },
                None => html! {},
            } }
        </div>
    }
}
