//! Entry point of `teach.html`, the teacher's desk (see `app::route::Section`).

fn main() {
    app::start_teach();
}
