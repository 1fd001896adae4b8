// Starts the verifier's worker (app/src/bin/verify-worker.rs, built by Trunk
// from index.html): loads its wasm-bindgen glue and its wasm. If either
// fails to load, it tells the page (app/src/platform/worker.rs) instead of
// leaving it waiting for an answer.
try {
  importScripts("./verify-worker.js");
  wasm_bindgen("./verify-worker_bg.wasm").catch(function () {
    postMessage("failed");
  });
} catch (e) {
  postMessage("failed");
}
