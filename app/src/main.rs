//! Binary entry point: Trunk builds this; all the app lives in the library (`app::start`).

fn main() {
    app::start();
}
