// Drives the browser benchmark in headless Debian Chromium (never a
// downloaded browser) and writes its figures as JSON. Run by
// `cargo xtask bench` (full) and `cargo xtask test` (step bench-smoke):
//
//   node bench/run.mjs --mode smoke|full --out FILE --pkg DIR --dist DIR
//                      [--native BIN] [--native-soft BIN] [--chain FILE]
//                      [--loads N] [--only id,id] (ids: workloads, load, longtasks)
//
// * the benchmark page (tests/bench/index.html + the webbench wasm in --pkg +
//   the JavaScript peer's npm packages) is served on 127.0.0.1;
// * the release app in --dist is served by tests/serve.mjs under
//   /chainclass/, exactly as for the end-to-end tests;
// * checks: the JavaScript peer reproduces the wasm's proofValue, batch root
//   and anchor signature byte for byte; no page error; every workload runs;
// * workloads: timed with the plan of webbench/src/lib.rs (medians of runs),
//   the runs of every implementation interleaved: native (webbench-native
//   --serve, and its software-SHA-256 build for mining), wasm, JavaScript;
// * cold load: a fresh browser context per run, navigation → the nav header
//   rendered, and the gzipped bytes of the html/js/wasm/css requested;
// * long tasks while mining on #/learn/block at 16 bits, when that page exists.
import { chromium } from "@playwright/test";
import { createServer } from "node:http";
import { spawn, execFileSync } from "node:child_process";
import { readFile, stat, writeFile, mkdir } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const testsDir = resolve(here, "..");

function parseArgs(argv) {
  const args = { mode: "smoke", loads: 7 };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, "");
    args[key] = argv[++i];
  }
  for (const k of ["out", "pkg"]) if (!args[k]) throw new Error(`--${k} is required`);
  args.loads = Number(args.loads);
  return args;
}

const args = parseArgs(process.argv.slice(2));
const smoke = args.mode === "smoke";
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const LAUNCH = {
  executablePath: CHROMIUM,
  args: [
    "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
  ],
};
const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8", ".wasm": "application/wasm",
  ".json": "application/json", ".css": "text/css; charset=utf-8",
};
// The only npm packages the page may load.
const PACKAGES = ["@noble/curves/", "@noble/hashes/", "canonicalize/", "jsonld/"];

/** The benchmark page's server: tests/bench, the wasm package, the peer's packages, the chain. */
function benchServer() {
  const routes = [
    ["/bench/pkg/", resolve(args.pkg)],
    ...PACKAGES.map((p) => [`/bench/node_modules/${p}`, join(testsDir, "node_modules", p)]),
    ["/bench/", here],
  ];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
    let file = null;
    if (path === "/bench/data/chain.json" && args.chain) file = resolve(args.chain);
    for (const [prefix, dir] of routes) {
      if (file || !path.startsWith(prefix)) continue;
      const candidate = normalize(join(dir, path.slice(prefix.length) || "index.html"));
      if (candidate.startsWith(dir)) file = candidate;
    }
    try {
      if (!file || !(await stat(file)).isFile()) throw new Error("no file");
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

/** tests/serve.mjs on a free port, serving --dist under /chainclass/. */
async function distServer(dist) {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, [join(testsDir, "serve.mjs")], {
    env: { ...process.env, PORT: String(port), BASE_PATH: "/chainclass/", DIST_DIR: dist },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const base = `http://127.0.0.1:${port}/chainclass/`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(base)).ok) return { child, base };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error("tests/serve.mjs did not start");
}

/** webbench-native --serve: one JSON line per command. */
function nativeClient(bin, extra) {
  const child = spawn(bin, ["--serve", ...extra], { stdio: ["pipe", "pipe", "inherit"] });
  const waiting = [];
  createInterface({ input: child.stdout }).on("line", (line) => waiting.shift()?.(JSON.parse(line)));
  child.on("exit", () => waiting.splice(0).forEach((w) => w({ error: "webbench-native exited" })));
  return {
    async ask(command) {
      const reply = await new Promise((ok) => {
        waiting.push(ok);
        child.stdin.write(`${command}\n`);
      });
      if (reply.error) throw new Error(`webbench-native ${command}: ${reply.error}`);
      return reply;
    },
    close: () => child.stdin.end(),
  };
}

const median = (values) => {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

const gzipCache = new Map();
function gzipLen(file) {
  if (!gzipCache.has(file)) gzipCache.set(file, execFileSync("gzip", ["-9", "-c", file], { maxBuffer: 1 << 28 }).length);
  return gzipCache.get(file);
}

/** One cold load in a fresh context: timings and the files requested. */
async function coldLoad(browser, base, dist) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && problems.push(`console error: ${m.text()}`));
  const requested = [];
  page.on("response", (r) => requested.push({ url: r.url(), status: r.status() }));
  await page.addInitScript(() => {
    const t = (window.__coldLoad = {});
    addEventListener("TrunkApplicationStarted", () => (t.trunk_started_ms = performance.now()));
    const seen = () => {
      if (t.header_ms === undefined && document.querySelector("header.top nav")) {
        t.header_ms = performance.now();
        requestAnimationFrame(() => (t.header_frame_ms = performance.now()));
      }
      if (t.h1_ms === undefined && document.querySelector("main h1")) t.h1_ms = performance.now();
    };
    new MutationObserver(seen).observe(document, { subtree: true, childList: true });
  });
  await page.goto(base, { waitUntil: "load" });
  await page.waitForFunction(() => window.__coldLoad.header_frame_ms !== undefined && window.__coldLoad.h1_ms !== undefined, null, { timeout: 30_000 });
  await page.waitForLoadState("networkidle");
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    return { ...window.__coldLoad, dom_content_loaded_ms: nav.domContentLoadedEventEnd, load_event_ms: nav.loadEventEnd };
  });
  await context.close();
  const files = [];
  for (const r of requested) {
    const url = new URL(r.url);
    if (!r.url.startsWith(base)) {
      problems.push(`request outside the app: ${r.url}`);
      continue;
    }
    const rel = decodeURIComponent(url.pathname.slice(new URL(base).pathname.length)) || "index.html";
    const file = join(dist, rel);
    if (!existsSync(file)) continue;
    const ext = extname(file).slice(1);
    files.push({ name: rel, type: ext, status: r.status, raw: (await stat(file)).size, gzip: gzipLen(file) });
  }
  return { timing, files, problems };
}

/** Long tasks while #/learn/block mines at 16 bits, if the lesson is in this build. */
async function longTasks(browser, base) {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.addInitScript(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: "longtask", buffered: true });
    });
    await page.goto(`${base}#/learn/block`);
    await page.locator("header.top nav").waitFor();
    const mine = page.locator('[data-testid="mine"]');
    const difficulty = page.locator('[data-testid="difficulty"]');
    try {
      await mine.first().waitFor({ timeout: 5000 });
      await difficulty.first().waitFor({ timeout: 1000 });
    } catch {
      return { measured: false, note: "not measured: #/learn/block with its Mine button is not in this build (the lesson is on the `learn` branch)" };
    }
    // The observer must see a deliberate 120 ms task, or a zero means nothing.
    await page.evaluate(() => new Promise((done) => setTimeout(() => {
      const t = performance.now();
      while (performance.now() - t < 120) { /* busy */ }
      done();
    }, 0)));
    await page.waitForTimeout(200);
    const seen = await page.evaluate(() => window.__longTasks.some((t) => t.duration >= 100));
    if (!seen) return { measured: false, note: "not measured: PerformanceObserver('longtask') did not report a deliberate 120 ms task" };
    await difficulty.first().fill("16");
    // One 16-bit puzzle takes 65,536 tries on average, and luck varies a
    // lot: mine new puzzles (new block data) until 3 s of mining are covered.
    const data = page.locator('[data-testid="data"]');
    const rounds = [];
    let tasks = [];
    let previous = null;
    for (let round = 0; round < 30 && rounds.reduce((t, r) => t + r.ms, 0) < 3000; round++) {
      await data.first().fill(`benchmark round ${round}`);
      const before = await page.evaluate(() => performance.now());
      await mine.first().click();
      // Done when a new result is shown and the Mine button is enabled again.
      await page.waitForFunction((prev) => {
        const result = document.querySelector('[data-testid="mine-result"]');
        const button = document.querySelector('[data-testid="mine"]');
        return result && result.textContent !== prev && button && !button.disabled;
      }, previous, { timeout: 300_000, polling: 50 });
      const after = await page.evaluate(() => performance.now());
      previous = await page.locator('[data-testid="mine-result"]').first().textContent();
      rounds.push({ ms: after - before, result: previous?.trim() });
      tasks = tasks.concat((await page.evaluate(() => window.__longTasks)).filter((t) => t.start >= before && t.start <= after));
    }
    const longest = tasks.reduce((m, t) => Math.max(m, t.duration), 0);
    return {
      measured: true,
      difficulty: 16,
      rounds: rounds.length,
      mining_ms: rounds.reduce((t, r) => t + r.ms, 0),
      long_tasks: tasks.length,
      longest_ms: longest,
      over_50ms: tasks.filter((t) => t.duration > 50).length,
      results: rounds.map((r) => r.result),
    };
  } finally {
    await context.close();
  }
}

/** Workload `p` in every implementation, runs interleaved (native, native
 * software SHA-256 for mining, wasm, js, js_noble), each preceded by an
 * untimed warm-up run when the plan asks. */
async function measureInterleaved(page, p, natives, out) {
  const runners = [];
  if (natives.native) runners.push(["native", () => natives.native.ask(`run ${p.id}`)]);
  if (natives.native_soft && p.id === "mine") runners.push(["native_soft", () => natives.native_soft.ask(`run ${p.id}`)]);
  if (p.id === "validate") {
    const t0 = Date.now();
    if (natives.native) await natives.native.ask("prepare validate");
    out.chain = smoke
      ? { transactions: await page.evaluate(() => window.bench.buildChain(20, 10)), source: "built in the page (20 blocks x 10 transfers)" }
      : { transactions: await page.evaluate(() => window.bench.loadChain("./data/chain.json")), source: "built natively once (cached), loaded into the page as JSON, parsed without validation" };
    out.chain.prepare_ms = Date.now() - t0;
  }
  for (const impl of await page.evaluate((id) => window.bench.impls(id), p.id)) {
    runners.push([impl, () => page.evaluate(([id, i, pl]) => window.bench.once(id, i, pl), [p.id, impl, p])]);
  }
  const result = {};
  for (const [name, fn] of runners) {
    result[name] = { runs_ops_per_s: [], iterations_per_run: [] };
    if (p.warm_up) await fn();
  }
  for (let r = 0; r < p.runs; r++) {
    for (const [name, fn] of runners) {
      const { rate, n } = await fn();
      result[name].runs_ops_per_s.push(rate);
      result[name].iterations_per_run.push(n);
    }
  }
  for (const x of Object.values(result)) x.median_ops_per_s = median(x.runs_ops_per_s);
  return result;
}

async function main() {
  const out = { mode: args.mode, started: new Date().toISOString(), checks: [], workloads: {}, errors: [] };
  const fail = (what) => out.errors.push(what);
  const server = await benchServer();
  const benchUrl = `http://127.0.0.1:${server.address().port}/bench/index.html`;
  const browser = await chromium.launch(LAUNCH);
  out.browser = { version: browser.version() };
  let dist = null;
  try {
    const page = await browser.newPage();
    page.on("pageerror", (e) => fail(`page error: ${e.message}`));
    page.on("console", (m) => m.type() === "error" && fail(`console error: ${m.text()}`));
    await page.goto(benchUrl);
    await page.waitForFunction(() => window.bench !== undefined, null, { timeout: 30_000 });
    await page.evaluate(() => window.bench.ready);
    out.browser.user_agent = await page.evaluate(() => navigator.userAgent);
    out.sizes = await page.evaluate(() => window.bench.sizes());
    console.log("bench: cross-checking wasm and JavaScript");
    out.checks = await page.evaluate(() => window.bench.check());
    for (const c of out.checks) console.log(`  ${c.ok ? "ok  " : "FAIL"} ${c.name}${c.ok ? "" : ` (${c.detail})`}`);
    const plan = await page.evaluate((s) => window.bench.plan(s), smoke);
    out.plan = plan;
    const only = args.only ? args.only.split(",") : null;
    const natives = {};
    const nativeArgs = [...(smoke ? ["--smoke"] : []), ...(args.chain ? ["--chain", resolve(args.chain)] : [])];
    if (args.native) natives.native = nativeClient(resolve(args.native), nativeArgs);
    if (args["native-soft"]) natives.native_soft = nativeClient(resolve(args["native-soft"]), nativeArgs);
    out.native = {};
    for (const [name, client] of Object.entries(natives)) out.native[name] = await client.ask("info");
    if (natives.native) {
      const nativeRef = await natives.native.ask("reference");
      const wasmRef = await page.evaluate(() => window.bench.reference());
      for (const [key, value] of Object.entries(wasmRef)) {
        const same = JSON.stringify(nativeRef[key]) === JSON.stringify(value);
        out.checks.push({ name: `native = wasm: ${key}`, ok: same, detail: same ? "" : `${JSON.stringify(nativeRef[key])} vs ${JSON.stringify(value)}` });
      }
      console.log(`bench: native and wasm reference values ${out.checks.every((c) => c.ok) ? "agree" : "DIFFER"}`);
    }
    try {
      for (const p of plan.filter((p) => !only || only.includes(p.id))) {
        out.workloads[p.id] = await measureInterleaved(page, p, natives, out);
        for (const [impl, x] of Object.entries(out.workloads[p.id])) {
          console.log(`bench: ${p.id.padEnd(12)} ${impl.padEnd(12)} ${x.median_ops_per_s.toPrecision(4)} ${p.unit}/s`);
        }
      }
    } finally {
      Object.values(natives).forEach((c) => c.close());
    }
    await page.close();

    const wantLoad = !only || only.includes("load");
    const wantLongTasks = !smoke && (!only || only.includes("longtasks"));
    if ((wantLoad || wantLongTasks) && args.dist && existsSync(join(args.dist, "index.html"))) {
      dist = await distServer(resolve(args.dist));
      const loads = smoke ? 1 : wantLoad ? args.loads : 0;
      const runs = [];
      for (let i = 0; i < loads; i++) {
        const r = await coldLoad(browser, dist.base, resolve(args.dist));
        r.problems.forEach(fail);
        runs.push(r);
        console.log(`bench: cold load ${i + 1}/${loads}: nav header at ${r.timing.header_ms?.toFixed(0)} ms`);
      }
      const files = [...new Map((runs[0]?.files ?? []).map((f) => [f.name, f])).values()];
      const counted = files.filter((f) => ["html", "js", "wasm", "css"].includes(f.type));
      out.load = !runs.length ? null : {
        runs: runs.map((r) => r.timing),
        median_header_ms: median(runs.map((r) => r.timing.header_ms)),
        median_header_frame_ms: median(runs.map((r) => r.timing.header_frame_ms)),
        median_h1_ms: median(runs.map((r) => r.timing.h1_ms)),
        median_trunk_started_ms: median(runs.map((r) => r.timing.trunk_started_ms)),
        median_dom_content_loaded_ms: median(runs.map((r) => r.timing.dom_content_loaded_ms)),
        files,
        gzip_total: counted.reduce((n, f) => n + f.gzip, 0),
        raw_total: counted.reduce((n, f) => n + f.raw, 0),
      };
      if (wantLongTasks) out.longtasks = await longTasks(browser, dist.base);
    } else {
      out.load = null;
      if (wantLoad && !smoke) fail("no dist/ to measure the cold load");
    }
  } catch (e) {
    fail(`runner: ${e.stack ?? e}`);
  } finally {
    await browser.close();
    server.close();
    dist?.child.kill();
  }
  out.finished = new Date().toISOString();
  await mkdir(dirname(resolve(args.out)), { recursive: true });
  await writeFile(args.out, JSON.stringify(out, null, 2));
  const failedChecks = out.checks.filter((c) => !c.ok).length;
  const ranWorkloads = Object.values(out.workloads).reduce((n, w) => n + Object.keys(w).length, 0);
  for (const e of out.errors) console.log(`bench: FAIL ${e}`);
  const passed = out.checks.length - failedChecks + ranWorkloads + (out.load ? 1 : 0);
  const failed = failedChecks + out.errors.length;
  console.log(`bench-${args.mode}: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
