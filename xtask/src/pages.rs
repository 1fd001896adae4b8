//! Builds the app's four pages into one `dist/`: `index.html` (home,
//! verifier, and the verifier's worker), `wallet.html` (the wallet),
//! `learn.html` (the lessons) and `teach.html` (the teacher's desk). Each is
//! its own Trunk build with its own wasm (see
//! `app::route::Section`); Trunk names every output page `index.html` and
//! empties its dist directory first, so the side pages are built elsewhere
//! and copied in under their own names.

use crate::tools::Tools;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The side pages: source HTML (at the project root) and output name.
pub const SIDE_PAGES: [&str; 3] = ["wallet.html", "learn.html", "teach.html"];

/// `trunk build` of every page, then one `dist/`.
///
/// Two Trunk builds run at a time: their cargo steps take turns (cargo locks
/// the target directory), but one page's wasm-bindgen and wasm-opt, which
/// use one core, overlap with the next page's compile and link.
pub fn build(tools: &Tools, release: bool) -> Result<(), String> {
    prebuild(tools, release)?;
    let root = tools.root();
    let side_root = root.join("target/pages");
    let side: Vec<(&str, PathBuf)> = SIDE_PAGES
        .iter()
        .map(|page| (*page, side_root.join(page.trim_end_matches(".html"))))
        .collect();
    let mut jobs: Vec<(&str, PathBuf)> = side.clone();
    jobs.push(("index.html", root.join("dist")));
    let next = AtomicUsize::new(0);
    let errors: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    let mut errors = Vec::new();
                    while let Some((page, out)) = jobs.get(next.fetch_add(1, Ordering::SeqCst)) {
                        if let Err(e) = trunk_build(tools, page, out, release) {
                            errors.push(e);
                        }
                    }
                    errors
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| {
                w.join()
                    .unwrap_or_else(|_| vec!["a build thread panicked".into()])
            })
            .collect()
    });
    if !errors.is_empty() {
        return Err(errors.join("; "));
    }
    for (page, out) in side {
        merge(&out, &root.join("dist"), page)?;
    }
    hash_worker(&root.join("dist"))?;
    service_worker(&root.join("app/static/sw.js"), &root.join("dist"))
}

/// The offline copy's service worker (`app/static/sw.js`, registered by
/// `app::platform::offline`), written as `dist/sw.js` with the build's
/// files filled in: every file at the top of `dist` (the pages, their
/// wasm, JavaScript and CSS, the verifier's worker, the icon, the
/// manifest), and a version that is a hash of all of them, so any change
/// to any file is a new service worker and a new cache. Runs last: the
/// pages' text must be final.
fn service_worker(template: &Path, dist: &Path) -> Result<(), String> {
    let text =
        std::fs::read_to_string(template).map_err(|e| format!("{}: {e}", template.display()))?;
    let mut files = Vec::new();
    let entries = std::fs::read_dir(dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_file() && name != "sw.js" {
            files.push(name);
        }
    }
    files.sort();
    if !files.iter().any(|f| f == "index.html") {
        return Err(format!("{} has no index.html", dist.display()));
    }
    let mut digest = Sha256::new();
    for name in &files {
        let path = dist.join(name);
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        digest.update((name.len() as u64).to_le_bytes());
        digest.update(name.as_bytes());
        digest.update((bytes.len() as u64).to_le_bytes());
        digest.update(&bytes);
    }
    let version: String = digest
        .finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    let (version_slot, files_slot) = ("\"__CHAINCLASS_VERSION__\"", "[\"__CHAINCLASS_FILES__\"]");
    if !text.contains(version_slot) || !text.contains(files_slot) {
        return Err(format!(
            "{} no longer has {version_slot} and {files_slot}",
            template.display()
        ));
    }
    let list = serde_json::to_string(&files).map_err(|e| e.to_string())?;
    let out = text
        .replace(version_slot, &format!("\"{version}\""))
        .replace(files_slot, &list);
    let path = dist.join("sw.js");
    std::fs::write(&path, out).map_err(|e| format!("{}: {e}", path.display()))
}

/// Builds every page's wasm with the same cargo command Trunk uses, before
/// Trunk runs: one cargo invocation per feature set (as the pages'
/// `data-cargo-features` ask), so that cargo links those binaries in
/// parallel (each link uses one core). Trunk's own cargo calls then find
/// everything built.
fn prebuild(tools: &Tools, release: bool) -> Result<(), String> {
    let mut pages = Vec::new();
    for page in std::iter::once("index.html").chain(SIDE_PAGES) {
        let path = tools.root().join(page);
        let html =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        pages.push((page, html));
    }
    for (features, bins) in rust_builds(&pages)? {
        let mut cmd = tools.command("cargo");
        cmd.args([
            "build",
            "--target=wasm32-unknown-unknown",
            "--manifest-path",
            "app/Cargo.toml",
        ]);
        if release {
            cmd.arg("--release");
        }
        // As Trunk.toml's `offline = true` makes Trunk pass it.
        cmd.arg("--offline");
        for bin in &bins {
            cmd.args(["--bin", bin]);
        }
        if let Some(features) = &features {
            cmd.args(["--features", features]);
        }
        tools.run(&mut cmd, &format!("cargo build of {}", bins.join(", ")))?;
    }
    Ok(())
}

/// Binaries cargo builds in one invocation, and their features.
type RustBuild = (Option<String>, Vec<String>);

/// The binaries the pages' `<link data-trunk rel="rust">` tags build,
/// grouped by their `data-cargo-features` (in page order). A tag with any
/// other cargo option is refused: the prebuild would not match Trunk's
/// build.
fn rust_builds(pages: &[(&str, String)]) -> Result<Vec<RustBuild>, String> {
    let mut builds: Vec<RustBuild> = Vec::new();
    for (page, html) in pages {
        for tag in html
            .split('<')
            .filter(|t| t.starts_with("link data-trunk rel=\"rust\""))
        {
            let tag = tag.split('>').next().unwrap_or(tag);
            let bin = attribute(tag, "data-bin")
                .ok_or_else(|| format!("{page}: a rust link without data-bin"))?;
            let features = attribute(tag, "data-cargo-features");
            let other = tag
                .split_whitespace()
                .filter_map(|word| word.split('=').next())
                .find(|name| name.starts_with("data-cargo-") && *name != "data-cargo-features");
            if let Some(name) = other {
                return Err(format!("{page}: {name} is not handled by the prebuild"));
            }
            match builds.iter_mut().find(|(f, _)| *f == features) {
                Some((_, bins)) => bins.push(bin),
                None => builds.push((features, vec![bin])),
            }
        }
    }
    Ok(builds)
}

/// The value of `name="value"` in an HTML tag.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let rest = tag.get(start..)?;
    Some(rest.get(..rest.find('"')?)?.to_string())
}

/// The worker's files as Trunk writes them (`index.html` builds the worker).
const WORKER: &str = "verify-worker";

/// The `<meta>` through which every page finds the worker's loader
/// (read by `app::platform::worker::page_meta`).
const WORKER_META: &str = r#"<meta name="chainclass-worker" content="verify-worker_loader.js">"#;

/// Trunk names a worker's files without a content hash (the page must know
/// the name), so after an update a browser could keep running a cached,
/// older worker. This gives the worker's script, wasm and loader a name with
/// the hash of their content, points the loader at the new names, and
/// writes the loader's new name into every page's `chainclass-worker` meta.
fn hash_worker(dist: &Path) -> Result<(), String> {
    let read = |name: &str| {
        let path = dist.join(name);
        std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))
    };
    let js = read(&format!("{WORKER}.js"))?;
    let wasm = read(&format!("{WORKER}_bg.wasm"))?;
    let loader = String::from_utf8(read(&format!("{WORKER}_loader.js"))?)
        .map_err(|_| format!("{WORKER}_loader.js is not UTF-8"))?;
    let digest = Sha256::new()
        .chain_update(&js)
        .chain_update(&wasm)
        .chain_update(loader.as_bytes())
        .finalize();
    let hash: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    let named = format!("{WORKER}-{hash}");
    let old_js = format!("./{WORKER}.js");
    let old_wasm = format!("./{WORKER}_bg.wasm");
    if !loader.contains(&old_js) || !loader.contains(&old_wasm) {
        return Err(format!(
            "{WORKER}_loader.js no longer names {old_js} and {old_wasm}"
        ));
    }
    let loader = loader
        .replace(&old_js, &format!("./{named}.js"))
        .replace(&old_wasm, &format!("./{named}_bg.wasm"));
    let write = |name: String, bytes: &[u8]| {
        let path = dist.join(name);
        std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))
    };
    write(format!("{named}.js"), &js)?;
    write(format!("{named}_bg.wasm"), &wasm)?;
    write(format!("{named}_loader.js"), loader.as_bytes())?;
    for old in [".js", "_bg.wasm", "_loader.js"] {
        let path = dist.join(format!("{WORKER}{old}"));
        std::fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let meta = WORKER_META.replace(
        &format!("{WORKER}_loader.js"),
        &format!("{named}_loader.js"),
    );
    for (name, html) in crate::size::pages(dist)? {
        let path = dist.join(name);
        if !html.contains(WORKER_META) {
            return Err(format!("{} has no {WORKER_META}", path.display()));
        }
        std::fs::write(&path, html.replace(WORKER_META, &meta))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

fn trunk_build(tools: &Tools, page: &str, dist: &Path, release: bool) -> Result<(), String> {
    let mut cmd = tools.trunk();
    cmd.arg("build");
    if release {
        cmd.arg("--release");
    }
    cmd.arg("--dist").arg(dist).arg(page);
    tools.run(&mut cmd, &format!("trunk build {page}"))
}

/// Copies a side page's build into `dist`, its `index.html` as `page`. The
/// other files have content hashes in their names, so a file both builds
/// share (the stylesheet) is the same file.
fn merge(from: &Path, dist: &Path, page: &str) -> Result<(), String> {
    let entries = std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.is_file() {
            continue;
        }
        let name = entry.file_name();
        let target: PathBuf = if name == "index.html" {
            dist.join(page)
        } else {
            dist.join(&name)
        };
        std::fs::copy(&path, &target).map_err(|e| format!("{}: {e}", target.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_builds_are_read_from_the_pages() {
        let page = |bin: &str, extra: &str| {
            format!(
                "<head>\n  <link data-trunk rel=\"rust\" href=\"app/Cargo.toml\" data-bin=\"{bin}\"{extra} data-type=\"main\" />\n  <link data-trunk rel=\"css\" href=\"app/style.css\" />\n</head>"
            )
        };
        let pages = vec![
            ("index.html", page("app", "") + &page("verify-worker", "")),
            (
                "teach.html",
                page("teach", " data-cargo-features=\"fast-sign\""),
            ),
            ("learn.html", page("learn", "")),
        ];
        assert_eq!(
            rust_builds(&pages).unwrap(),
            vec![
                (
                    None,
                    vec!["app".into(), "verify-worker".into(), "learn".into()]
                ),
                (Some("fast-sign".into()), vec!["teach".into()]),
            ]
        );
        let odd = vec![("x.html", page("x", " data-cargo-no-default-features"))];
        assert!(rust_builds(&odd)
            .unwrap_err()
            .contains("data-cargo-no-default-features"));
        let no_bin = vec![(
            "y.html",
            "<link data-trunk rel=\"rust\" href=\"app/Cargo.toml\" />".to_string(),
        )];
        assert!(rust_builds(&no_bin).is_err());
    }
}
