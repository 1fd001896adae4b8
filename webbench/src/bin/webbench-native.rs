//! The native side of `cargo xtask bench`: runs the workloads of the
//! `webbench` library with the same plan (runs, minimum run time, medians)
//! as the browser page, and writes the figures as JSON.
//!
//! ```text
//! webbench-native --out FILE [--chain FILE] [--only a,b] [--smoke]
//! ```
//!
//! `--chain` is where the 10,000-block validation chain is cached as JSON
//! (built here on first use, then loaded by the browser page too).

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    match native::run(std::env::args().skip(1).collect()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("webbench-native: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use serde_json::{json, Value};
    use std::path::PathBuf;
    use std::time::Instant;
    use webbench::{
        mine_chunk, mining_header, ChainFixture, Fixture, Plan, BATCH_ROWS, CHAIN_BLOCKS,
        CHAIN_TRANSFERS, MINE_CHUNK,
    };

    struct Args {
        out: PathBuf,
        chain: Option<PathBuf>,
        only: Vec<String>,
        smoke: bool,
    }

    fn parse(args: Vec<String>) -> Result<Args, String> {
        let mut out = None;
        let mut chain = None;
        let mut only = Vec::new();
        let mut smoke = false;
        let mut it = args.into_iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--out" => out = it.next().map(PathBuf::from),
                "--chain" => chain = it.next().map(PathBuf::from),
                "--only" => {
                    only = it
                        .next()
                        .unwrap_or_default()
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect();
                }
                "--smoke" => smoke = true,
                other => return Err(format!("unknown argument {other:?}")),
            }
        }
        Ok(Args {
            out: out.ok_or("--out FILE is required")?,
            chain,
            only,
            smoke,
        })
    }

    /// One workload under `plan`: ops/s of every run, iterations of every run.
    fn measure(
        plan: &Plan,
        mut iteration: impl FnMut() -> Result<(), String>,
    ) -> Result<Value, String> {
        if plan.warm_up {
            iteration()?;
        }
        let mut rates = Vec::new();
        let mut iterations = Vec::new();
        for _ in 0..plan.runs {
            let start = Instant::now();
            let mut n = 0u32;
            loop {
                iteration()?;
                n += 1;
                let ms = start.elapsed().as_secs_f64() * 1000.0;
                if n >= plan.max_iterations || ms >= plan.min_run_ms {
                    let secs = (ms / 1000.0).max(1e-9);
                    rates.push(f64::from(n) * plan.ops_per_iteration as f64 / secs);
                    iterations.push(n);
                    break;
                }
            }
        }
        Ok(json!({
            "median_ops_per_s": median(&rates),
            "runs_ops_per_s": rates,
            "iterations_per_run": iterations,
        }))
    }

    fn median(values: &[f64]) -> f64 {
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        match v.len() {
            0 => f64::NAN,
            n if n % 2 == 1 => v.get(n / 2).copied().unwrap_or(f64::NAN),
            n => {
                let a = v.get(n / 2 - 1).copied().unwrap_or(f64::NAN);
                let b = v.get(n / 2).copied().unwrap_or(f64::NAN);
                (a + b) / 2.0
            }
        }
    }

    fn check(ok: bool, what: &str) -> Result<(), String> {
        if ok {
            Ok(())
        } else {
            Err(format!("{what} failed"))
        }
    }

    /// The cached chain, or a new one written to the cache.
    fn chain(path: Option<&PathBuf>, smoke: bool) -> Result<ChainFixture, String> {
        let (blocks, transfers) = if smoke {
            (20, CHAIN_TRANSFERS)
        } else {
            (CHAIN_BLOCKS, CHAIN_TRANSFERS)
        };
        if let Some(path) = path.filter(|_| !smoke) {
            if let Ok(text) = std::fs::read_to_string(path) {
                match ChainFixture::from_json(&text) {
                    Ok(c) if c.blocks.len() as u64 == blocks && c.validate() => return Ok(c),
                    _ => eprintln!("webbench-native: {} is stale; rebuilding", path.display()),
                }
            }
        }
        eprintln!("webbench-native: building a chain of {blocks} blocks x {transfers} transfers");
        let t = Instant::now();
        let c = ChainFixture::build(blocks, transfers)?;
        eprintln!(
            "webbench-native: built in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        if let Some(path) = path.filter(|_| !smoke) {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
            }
            std::fs::write(path, c.to_json()?).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        Ok(c)
    }

    pub fn run(args: Vec<String>) -> Result<(), String> {
        let args = parse(args)?;
        let plan: Vec<Plan> = if args.smoke {
            webbench::smoke_plan()
        } else {
            webbench::PLAN.to_vec()
        };
        let fixture = Fixture::new()?;
        let header = mining_header();
        let mut next_nonce = 0u64;
        let mut results = serde_json::Map::new();
        for p in &plan {
            if !args.only.is_empty() && !args.only.iter().any(|o| o == p.id) {
                continue;
            }
            eprintln!("webbench-native: {}", p.id);
            let r = match p.id {
                "sign" => measure(p, || fixture.add_proof().map(|_| ()))?,
                "sign_full" => measure(p, || fixture.sign_full().map(|_| ()))?,
                "verify" => measure(p, || check(fixture.verify()?, "verify"))?,
                "verify_full" => measure(p, || check(fixture.verify_full(), "verify_full"))?,
                "batch" => measure(p, || fixture.batch(BATCH_ROWS).map(|_| ()))?,
                "mine" => measure(p, || {
                    let tried = mine_chunk(&header, next_nonce, MINE_CHUNK)?;
                    next_nonce += tried;
                    Ok(())
                })?,
                "validate" => {
                    let c = chain(args.chain.as_ref(), args.smoke)?;
                    measure(p, || check(c.validate(), "validate"))?
                }
                other => return Err(format!("no workload {other}")),
            };
            eprintln!(
                "webbench-native: {} {:.1} ops/s",
                p.id,
                r.get("median_ops_per_s")
                    .and_then(Value::as_f64)
                    .unwrap_or(f64::NAN)
            );
            results.insert(p.id.to_owned(), r);
        }
        let out = json!({
            "sha2": if cfg!(feature = "soft-sha") { "soft (force-soft)" } else { "auto (SHA-NI when the CPU has it)" },
            "plan": plan,
            "results": results,
        });
        let text = serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?;
        std::fs::write(&args.out, text).map_err(|e| format!("{}: {e}", args.out.display()))?;
        Ok(())
    }
}
