//! `cargo xtask test`: every check of the project, in order, with one total.
//!
//! Steps: `fmt`, `clippy` (native and wasm32), `native` (cargo test of every
//! crate but the app, and the app's browser-free logic), `interop` (the npm
//! peers on the other side: `tests/interop/*.test.mjs` under `node --test`
//! against the debug `vc`), `wasm` (the pure crates' tests compiled for wasm32, run
//! under Node), `browser` (the app's wasm-bindgen tests in headless Chromium),
//! `build` (release Trunk build + size report) and `e2e` (Playwright against
//! that build, served under a sub-path) and `bench-smoke` (one iteration of
//! every browser benchmark workload, the wasm/JavaScript cross-checks and
//! one cold load; `cargo xtask bench` runs the real thing). The last line is `N passed, M failed`
//! for the whole suite: every test counted by its runner, plus one per
//! fmt/clippy/build check.

use crate::{bench, size, tools};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

const STEPS: [&str; 9] = [
    "fmt",
    "clippy",
    "native",
    "interop",
    "wasm",
    "browser",
    "build",
    "e2e",
    "bench-smoke",
];

struct Outcome {
    step: &'static str,
    passed: u64,
    failed: u64,
    secs: f64,
    note: String,
}

/// Runs the suite; the exit code is non-zero when anything failed.
pub fn run(root: &Path, args: &[String]) -> ExitCode {
    let (only, skip) = match parse_args(args) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("xtask test: {e}");
            return ExitCode::from(2);
        }
    };
    let selected: Vec<&'static str> = STEPS
        .iter()
        .copied()
        .filter(|s| only.is_empty() || only.iter().any(|o| o == s))
        .filter(|s| !skip.iter().any(|o| o == s))
        .collect();
    let started = Instant::now();
    let tools = match tools::Tools::ensure(root, tools::Need::All) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("xtask: setup failed: {e}");
            println!("0 passed, 1 failed");
            return ExitCode::FAILURE;
        }
    };
    let mut outcomes = Vec::new();
    let mut built = false;
    for step in selected {
        println!("\n==== xtask test: {step} ====");
        let t0 = Instant::now();
        let (passed, failed, note) = match step {
            "fmt" => check(&tools, tools.cargo().args(["fmt", "--all", "--check"])),
            "clippy" => {
                let (p1, f1, n1) = check(
                    &tools,
                    tools.cargo().args([
                        "clippy",
                        "--workspace",
                        "--all-targets",
                        "--",
                        "-D",
                        "warnings",
                    ]),
                );
                let (p2, f2, n2) = check(
                    &tools,
                    tools.cargo().args([
                        "clippy",
                        "-p",
                        "app",
                        "-p",
                        "ledger",
                        "-p",
                        "credentials",
                        "-p",
                        "webbench",
                        "--target",
                        "wasm32-unknown-unknown",
                        "--",
                        "-D",
                        "warnings",
                    ]),
                );
                (p1 + p2, f1 + f2, format!("native {n1}; wasm32 {n2}"))
            }
            "native" => {
                let (p, f, note) = cargo_tests(
                    &tools,
                    tools
                        .cargo()
                        .args(["test", "--workspace", "--exclude", "app"]),
                );
                // The patched crates' own tests: the QR reader
                // (vendor/rqrr/CHAINCLASS.md: with the replacement field
                // arithmetic's) and percent-encoded strings
                // (vendor/pct-str/CHAINCLASS.md: with the patch's agreement
                // with upstream's comparisons and hash).
                let (mut vp, mut vf) = (0, 0);
                for (manifest, extra) in [
                    ("vendor/rqrr/Cargo.toml", Some("--no-default-features")),
                    ("vendor/pct-str/Cargo.toml", None),
                ] {
                    let (p, f, _) = cargo_tests(
                        &tools,
                        tools
                            .cargo()
                            .arg("test")
                            .arg("--manifest-path")
                            .arg(root.join(manifest))
                            .arg("--target-dir")
                            .arg(root.join("target/vendor"))
                            .args(extra),
                    );
                    (vp, vf) = (vp + p, vf + f);
                }
                // The app's browser-free logic (the storage layer's
                // compare-and-swap, every record's merge rules, desk issuing,
                // the sealed key's checks, the QR reader), natively as well
                // as in Chromium.
                let (ap, af, _) = cargo_tests(
                    &tools,
                    tools.cargo().args([
                        "test",
                        "-p",
                        "app",
                        "--lib",
                        "--",
                        "state::desk_",
                        "state::signing",
                        "state::key_lock",
                        "state::teach",
                        "state::wallet",
                        "state::stored",
                        "state::status_seen",
                        "state::publish",
                        "state::handout",
                        "state::learn",
                        "state::answer",
                        "pages::verify::answer",
                        "i18n::",
                        "qr::",
                    ]),
                );
                // Every picture that once broke the QR reader, the fuzz
                // seeds (app/fuzz), and photographs of printed codes read
                // against zbar.
                let (qp, qf, _) = cargo_tests(
                    &tools,
                    tools.cargo().args([
                        "test",
                        "-p",
                        "app",
                        "--test",
                        "qr_fuzz_corpus",
                        "--test",
                        "qr_photos",
                    ]),
                );
                (
                    p + vp + ap + qp,
                    f + vf + af + qf,
                    format!("{note} + vendored rqrr and pct-str + app logic + QR fuzz corpus and photos"),
                )
            }
            "wasm" => cargo_tests(
                &tools,
                tools.cargo().args([
                    "test",
                    "-p",
                    "ledger",
                    "-p",
                    "credentials",
                    "--target",
                    "wasm32-unknown-unknown",
                ]),
            ),
            "browser" => cargo_tests(
                &tools,
                tools
                    .cargo()
                    .args(["test", "-p", "app", "--target", "wasm32-unknown-unknown"]),
            ),
            "build" => {
                let r = match crate::pages::build(&tools, true) {
                    Ok(()) => (1, 0, "ok".into()),
                    Err(e) => (0, 1, e),
                };
                built = r.1 == 0;
                if built {
                    if let Err(e) = size::report(&root.join("dist")) {
                        eprintln!("size report: {e}");
                    }
                }
                r
            }
            "interop" => interop(&tools),
            "e2e" => e2e(&tools, built || root.join("dist/index.html").exists()),
            "bench-smoke" => bench::smoke(&tools),
            _ => (0, 1, "unknown step".into()),
        };
        outcomes.push(Outcome {
            step,
            passed,
            failed,
            secs: t0.elapsed().as_secs_f64(),
            note,
        });
    }
    println!("\n==== xtask test: summary ====");
    let (mut passed, mut failed) = (0, 0);
    for o in &outcomes {
        println!(
            "{:<11} {:>5} passed {:>3} failed {:>7.1}s  {}",
            o.step, o.passed, o.failed, o.secs, o.note
        );
        passed += o.passed;
        failed += o.failed;
    }
    println!("total time {:.1}s", started.elapsed().as_secs_f64());
    println!("{passed} passed, {failed} failed");
    if failed == 0 && passed > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn parse_args(args: &[String]) -> Result<(Vec<String>, Vec<String>), String> {
    let mut only = Vec::new();
    let mut skip = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let list = match a.as_str() {
            "--only" => &mut only,
            "--skip" => &mut skip,
            other => return Err(format!("unknown argument {other:?}")),
        };
        let v = it
            .next()
            .ok_or_else(|| format!("{a} needs a list of steps"))?;
        for s in v.split(',').filter(|s| !s.is_empty()) {
            if !STEPS.contains(&s) {
                return Err(format!("unknown step {s:?} (steps: {})", STEPS.join(" ")));
            }
            list.push(s.to_string());
        }
    }
    Ok((only, skip))
}

/// A pass/fail check counted as one.
fn check(tools: &tools::Tools, cmd: &mut Command) -> (u64, u64, String) {
    match tools.run(cmd, "check") {
        Ok(()) => (1, 0, "ok".into()),
        Err(e) => (0, 1, e),
    }
}

/// Runs cargo test (any target), echoing output and summing `test result:` lines.
/// A runner that fails without a summary line counts as one failure.
fn cargo_tests(_tools: &tools::Tools, cmd: &mut Command) -> (u64, u64, String) {
    let (ok, out) = run_echo(cmd);
    let (passed, failed, suites) = sum_test_results(&out);
    let failed = if !ok && failed == 0 { 1 } else { failed };
    (passed, failed, format!("{suites} test binaries"))
}

fn sum_test_results(out: &str) -> (u64, u64, u64) {
    let (mut passed, mut failed, mut suites) = (0, 0, 0);
    for line in out.lines() {
        let Some(rest) = line.split("test result:").nth(1) else {
            continue;
        };
        suites += 1;
        passed += number_before(rest, "passed");
        failed += number_before(rest, "failed");
    }
    (passed, failed, suites)
}

fn number_before(text: &str, word: &str) -> u64 {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ';' || c == '.')
        .filter(|w| !w.is_empty())
        .collect();
    words
        .windows(2)
        .find(|w| w.get(1) == Some(&word))
        .and_then(|w| w.first())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Runs a command, echoing stdout line by line and returning it.
fn run_echo(cmd: &mut Command) -> (bool, String) {
    let mut child = match cmd.stdout(Stdio::piped()).spawn() {
        Ok(c) => c,
        Err(e) => return (false, format!("cannot start: {e}")),
    };
    let mut out = String::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            println!("{line}");
            out.push_str(&line);
            out.push('\n');
        }
    }
    let ok = child.wait().map(|s| s.success()).unwrap_or(false);
    (ok, out)
}

/// The npm peers as the other side of the interop tests
/// (`tests/interop/*.test.mjs`, Node's test runner) against the debug `vc`:
/// verifier-core on what `vc issue` signs, and credentials signed by Digital
/// Bazaar's libraries verified by `vc` with their verdicts.
fn interop(tools: &tools::Tools) -> (u64, u64, String) {
    if let Err(e) = tools.run(
        tools.cargo().args(["build", "-p", "vc"]),
        "cargo build -p vc",
    ) {
        return (0, 1, e);
    }
    let dir = tools.root().join("tests/interop");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".test.mjs"))
        .collect();
    files.sort();
    if files.is_empty() {
        return (0, 1, "no tests/interop/*.test.mjs".into());
    }
    let (ok, out) = run_echo(
        tools
            .command("node")
            .current_dir(&dir)
            .arg("--test")
            .args(&files)
            .env("VC_BIN", tools.root().join("target/debug/vc")),
    );
    let (passed, failed) = tap_counts(&out);
    let failed = if !ok && failed == 0 { 1 } else { failed };
    (passed, failed, format!("{} files", files.len()))
}

/// The `# pass N` and `# fail M` lines of a TAP summary.
fn tap_counts(out: &str) -> (u64, u64) {
    let n = |prefix: &str| {
        out.lines()
            .rev()
            .filter_map(|l| l.trim().strip_prefix(prefix))
            .find_map(|r| r.trim().parse::<u64>().ok())
            .unwrap_or(0)
    };
    (n("# pass "), n("# fail "))
}

/// Playwright against the release build; counts from its JSON report.
fn e2e(tools: &tools::Tools, have_dist: bool) -> (u64, u64, String) {
    if !have_dist {
        return (0, 1, "no dist/ to test (the build failed)".into());
    }
    if let Err(e) = crate::fixtures::write(tools.root()) {
        return (0, 1, format!("fixtures: {e}"));
    }
    let tests = tools.root().join("tests");
    let report = tests.join("artifacts/e2e-results.json");
    let _ = std::fs::remove_file(&report);
    let (ok, _) = run_echo(
        tools
            .command("npx")
            .current_dir(&tests)
            .args(["playwright", "test"])
            .env("PLAYWRIGHT_JSON_OUTPUT_NAME", &report),
    );
    let stats = std::fs::read_to_string(&report)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v.get("stats").cloned());
    match stats {
        Some(s) => {
            let n = |k: &str| s.get(k).and_then(|v| v.as_u64()).unwrap_or(0);
            let passed = n("expected") + n("flaky");
            let failed = n("unexpected");
            let failed = if !ok && failed == 0 { 1 } else { failed };
            let note = format!(
                "{} flaky, {} skipped; screenshots in tests/artifacts/",
                n("flaky"),
                n("skipped")
            );
            (passed, failed, note)
        }
        None => (0, 1, "Playwright wrote no report".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_cargo_and_wasm_bindgen_summaries() {
        let out = "\
running 3 tests
test result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s
test result: FAILED. 10 passed; 2 failed; 1 ignored; 0 measured; 0 filtered out
   Doc-tests ledger
test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s
";
        assert_eq!(sum_test_results(out), (13, 2, 3));
    }

    #[test]
    fn counts_a_tap_summary() {
        let out = "ok 1 - a\nnot ok 2 - b\n# tests 3\n# pass 2\n# fail 1\n# cancelled 0\n";
        assert_eq!(tap_counts(out), (2, 1));
        assert_eq!(tap_counts("no summary"), (0, 0));
    }

    #[test]
    fn unknown_steps_are_refused() {
        assert!(parse_args(&["--only".into(), "fmt,nope".into()]).is_err());
        let (only, skip) = parse_args(&["--only".into(), "fmt,e2e".into()]).unwrap();
        assert_eq!(only, ["fmt", "e2e"]);
        assert!(skip.is_empty());
    }
}
