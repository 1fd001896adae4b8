//! Entry point of `index.html` (home, verifier, about); Trunk builds
//! it. All the app lives in the library; `src/bin/` holds the other pages.

fn main() {
    app::start_core();
}
