//! Entry point of `learn.html`, the lessons (see `app::route::Section`).

fn main() {
    app::start_learn();
}
