//! Entry point of the verifier's worker (`verify-worker.js`, loaded by
//! `verify-worker_loader.js`): verifies with a class ledger export off the
//! page's thread. Trunk builds it with `index.html`.

fn main() {
    app::start_verify_worker();
}
