//! The native side of `cargo xtask bench`: runs the workloads of the
//! `webbench` library with the same plan (runs, minimum run time, medians)
//! as the browser page.
//!
//! ```text
//! webbench-native --out FILE [--chain FILE] [--only a,b] [--smoke]
//! webbench-native --serve [--chain FILE] [--smoke]
//! ```
//!
//! With `--out` it times every workload and writes the figures as JSON. With
//! `--serve` it answers one command per line on stdin, one JSON line each on
//! stdout, so that `tests/bench/run.mjs` can interleave native runs with the
//! browser's (a change of machine load then hits both alike):
//!
//! * `info` → `{"sha2": …}`;
//! * `reference` → the values the JavaScript peer and the wasm must reproduce;
//! * `prepare ID` → builds what workload `ID` needs outside any timing (the
//!   validation chain, written to `--chain` for the page): `{"ok": true}`;
//! * `run ID` → one timed run of workload `ID`: `{"rate": ops/s, "n": iterations}`.
//!
//! `--chain` is where the 10,000-block validation chain is cached as JSON
//! (built here on first use, then loaded by the browser page too).

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    match native::main(std::env::args().skip(1).collect()) {
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
    use std::io::{BufRead, Write};
    use std::path::PathBuf;
    use std::time::Instant;
    use webbench::{
        mine_chunk, mining_header, ChainFixture, Fixture, Plan, BATCH_ROWS, CHAIN_BLOCKS,
        CHAIN_TRANSFERS, MINE_CHUNK,
    };

    struct Args {
        out: Option<PathBuf>,
        chain: Option<PathBuf>,
        only: Vec<String>,
        smoke: bool,
        serve: bool,
    }

    fn parse(args: Vec<String>) -> Result<Args, String> {
        let mut parsed = Args {
            out: None,
            chain: None,
            only: Vec::new(),
            smoke: false,
            serve: false,
        };
        let mut it = args.into_iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--out" => parsed.out = it.next().map(PathBuf::from),
                "--chain" => parsed.chain = it.next().map(PathBuf::from),
                "--only" => {
                    parsed.only = it
                        .next()
                        .unwrap_or_default()
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect();
                }
                "--smoke" => parsed.smoke = true,
                "--serve" => parsed.serve = true,
                other => return Err(format!("unknown argument {other:?}")),
            }
        }
        if parsed.out.is_none() && !parsed.serve {
            return Err("--out FILE or --serve is required".into());
        }
        Ok(parsed)
    }

    /// The prepared workloads (inputs built once, outside any timing).
    struct Workloads {
        fixture: Fixture,
        header: ledger::BlockHeader,
        next_nonce: u64,
        chain: Option<ChainFixture>,
        chain_path: Option<PathBuf>,
        smoke: bool,
    }

    impl Workloads {
        fn new(chain_path: Option<PathBuf>, smoke: bool) -> Result<Workloads, String> {
            Ok(Workloads {
                fixture: Fixture::new()?,
                header: mining_header(),
                next_nonce: 0,
                chain: None,
                chain_path,
                smoke,
            })
        }

        /// One iteration of workload `id`.
        fn iteration(&mut self, id: &str) -> Result<(), String> {
            match id {
                "sign" => self.fixture.add_proof().map(|_| ()),
                "sign_full" => self.fixture.sign_full().map(|_| ()),
                "hash_inputs" => self.fixture.hash_inputs().map(|_| ()),
                "ed25519_sign" => {
                    std::hint::black_box(self.fixture.ed25519_sign());
                    Ok(())
                }
                "ed25519_verify" => check(self.fixture.ed25519_verify(), "ed25519_verify"),
                "verify" => check(self.fixture.verify()?, "verify"),
                "verify_full" => check(self.fixture.verify_full(), "verify_full"),
                "batch" => self.fixture.batch(BATCH_ROWS).map(|_| ()),
                "rdfc_sign" => self.fixture.rdfc_sign().map(|_| ()),
                "rdfc_verify" => check(self.fixture.rdfc_verify()?, "rdfc_verify"),
                "rdfc_batch" => self.fixture.rdfc_batch(BATCH_ROWS).map(|_| ()),
                "mine" => {
                    let tried = mine_chunk(&self.header, self.next_nonce, MINE_CHUNK)?;
                    self.next_nonce += tried;
                    Ok(())
                }
                "validate" => {
                    if self.chain.is_none() {
                        self.chain = Some(chain(self.chain_path.as_ref(), self.smoke)?);
                    }
                    let valid = self.chain.as_ref().is_some_and(ChainFixture::validate);
                    check(valid, "validate")
                }
                other => Err(format!("no workload {other}")),
            }
        }

        /// Builds what workload `id` needs, outside any timing.
        fn prepare(&mut self, id: &str) -> Result<(), String> {
            if id == "validate" && self.chain.is_none() {
                self.chain = Some(chain(self.chain_path.as_ref(), self.smoke)?);
            }
            Ok(())
        }

        /// One timed run: the workload repeated until `min_run_ms` have
        /// passed (at least once, at most `max_iterations` times).
        fn one_run(&mut self, plan: &Plan) -> Result<(f64, u32), String> {
            self.prepare(plan.id)?;
            let start = Instant::now();
            let mut n = 0u32;
            loop {
                self.iteration(plan.id)?;
                n += 1;
                let ms = start.elapsed().as_secs_f64() * 1000.0;
                if n >= plan.max_iterations || ms >= plan.min_run_ms {
                    let secs = (ms / 1000.0).max(1e-9);
                    return Ok((f64::from(n) * plan.ops_per_iteration as f64 / secs, n));
                }
            }
        }

        /// An untimed warm-up run (when the plan asks), then the timed runs.
        fn measure(&mut self, plan: &Plan) -> Result<Value, String> {
            if plan.warm_up {
                self.one_run(plan)?;
            }
            let mut rates = Vec::new();
            let mut iterations = Vec::new();
            for _ in 0..plan.runs {
                let (rate, n) = self.one_run(plan)?;
                rates.push(rate);
                iterations.push(n);
            }
            Ok(json!({
                "median_ops_per_s": median(&rates),
                "runs_ops_per_s": rates,
                "iterations_per_run": iterations,
            }))
        }
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

    fn plan(smoke: bool) -> Vec<Plan> {
        if smoke {
            webbench::smoke_plan()
        } else {
            webbench::PLAN.to_vec()
        }
    }

    fn sha2_backend() -> &'static str {
        if cfg!(feature = "soft-sha") {
            "software (sha2 force-soft)"
        } else {
            "sha2 default (SHA-NI when the CPU has it)"
        }
    }

    pub fn main(args: Vec<String>) -> Result<(), String> {
        let args = parse(args)?;
        if args.serve {
            serve(args)
        } else {
            write_all(args)
        }
    }

    /// The line protocol of `--serve`.
    fn serve(args: Args) -> Result<(), String> {
        let plan = plan(args.smoke);
        let mut workloads = Workloads::new(args.chain.clone(), args.smoke)?;
        let stdin = std::io::stdin();
        let mut stdout = std::io::stdout();
        for line in stdin.lock().lines() {
            let line = line.map_err(|e| e.to_string())?;
            let mut words = line.split_whitespace();
            let reply = match (words.next(), words.next()) {
                (Some("info"), _) => Ok(json!({ "sha2": sha2_backend() })),
                (Some("reference"), _) => webbench::reference_json(&workloads.fixture, BATCH_ROWS)
                    .and_then(|text| serde_json::from_str(&text).map_err(|e| e.to_string())),
                (Some("prepare"), Some(id)) => {
                    workloads.prepare(id).map(|()| json!({ "ok": true }))
                }
                (Some("run"), Some(id)) => match plan.iter().find(|p| p.id == id) {
                    Some(p) => workloads
                        .one_run(p)
                        .map(|(rate, n)| json!({ "rate": rate, "n": n })),
                    None => Err(format!("no workload {id}")),
                },
                _ => Err(format!("unknown command {line:?}")),
            };
            let reply = reply.unwrap_or_else(|e| json!({ "error": e }));
            writeln!(stdout, "{reply}").map_err(|e| e.to_string())?;
            stdout.flush().map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// `--out`: every workload of the plan, written as JSON.
    fn write_all(args: Args) -> Result<(), String> {
        let plan = plan(args.smoke);
        let mut workloads = Workloads::new(args.chain.clone(), args.smoke)?;
        let mut results = serde_json::Map::new();
        for p in &plan {
            if !args.only.is_empty() && !args.only.iter().any(|o| o == p.id) {
                continue;
            }
            let r = workloads.measure(p)?;
            eprintln!(
                "webbench-native: {} {:.1} {}/s",
                p.id,
                r.get("median_ops_per_s")
                    .and_then(Value::as_f64)
                    .unwrap_or(f64::NAN),
                p.unit
            );
            results.insert(p.id.to_owned(), r);
        }
        let out = json!({ "sha2": sha2_backend(), "plan": plan, "results": results });
        let text = serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?;
        let path = args.out.ok_or("--out FILE is required")?;
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
    }
}
