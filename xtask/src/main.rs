//! Project automation (the cargo-xtask pattern): `cargo xtask serve | test | dist | bench |
//! conformance | setup`.
//!
//! Every command first installs what it needs and is missing (the wasm32
//! target, Trunk, wasm-bindgen-cli at the version in `Cargo.lock`, npm's
//! `binaryen` for `wasm-opt`, Debian's Chromium for tests), so each works on a
//! fresh machine and takes seconds on a warm one. Nothing is downloaded from
//! outside the package registries: Trunk runs with `offline = true`.

mod bench;
mod conformance;
mod fixtures;
mod pages;
mod size;
mod test;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

  serve            install what is missing, build the app (debug) and serve it at http://127.0.0.1:8080
  test [--skip a,b] [--only a,b]
                   install what is missing and run every check; ends with `N passed, M failed`
                   steps: fmt clippy native interop wasm browser build e2e bench-smoke
  dist             build the release app into dist/, ready for any static host
  bench [--no-criterion] [--loads N]
                   criterion benches of ledger and credentials, then native, wasm (Chromium) and
                   JavaScript side by side, cold load and size; writes bench-results.json and
                   BENCHMARKS.md (about 15 minutes)
  conformance      build vc (release), run the official W3C/CCG suites offline against `vc serve`
                   (../shared/w3c-suites, or $W3C_SUITES) and rewrite CONFORMANCE.md's results
  setup            only install the tools (what serve and test do first)
  fixtures         write the signed end-to-end test fixtures into tests/fixtures/generated/
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(&root),
        Some("test") => return test::run(&root, args.get(1..).unwrap_or_default()),
        Some("dist") => dist(&root),
        Some("bench") => bench::run(&root, args.get(1..).unwrap_or_default()),
        Some("fixtures") => fixtures::write(&root),
        Some("conformance") => conformance::run(&root),
        Some("setup") => tools::Tools::ensure(&root, tools::Need::All).map(|_| ()),
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (the parent of this crate).
fn project_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(PathBuf::from).unwrap_or(here)
}

fn serve(root: &std::path::Path) -> Result<(), String> {
    let tools = tools::Tools::ensure(root, tools::Need::Build)?;
    // `trunk serve` serves one page; the app has four (see pages.rs).
    pages::build(&tools, false)?;
    println!("xtask: serving ChainClass at http://127.0.0.1:8080/ (Ctrl-C to stop)");
    tools.run(
        tools
            .command("node")
            .arg(root.join("tests/serve.mjs"))
            .env("BASE_PATH", "/")
            .env("PORT", "8080"),
        "node tests/serve.mjs",
    )
}

fn dist(root: &std::path::Path) -> Result<(), String> {
    let tools = tools::Tools::ensure(root, tools::Need::Build)?;
    pages::build(&tools, true)?;
    size::report(&root.join("dist"))?;
    println!("xtask: dist/ is ready: copy it to any static host (any sub-path works).");
    Ok(())
}
