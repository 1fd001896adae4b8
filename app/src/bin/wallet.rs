//! Entry point of `wallet.html`, the student's wallet (see `app::route::Section`).

fn main() {
    app::start_wallet();
}
