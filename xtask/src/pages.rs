//! Builds the app's four pages into one `dist/`: `index.html` (home,
//! verifier, and the verifier's worker), `wallet.html` (the wallet),
//! `learn.html` (the lessons) and `teach.html` (the teacher's desk). Each is
//! its own Trunk build with its own wasm (see
//! `app::route::Section`); Trunk names every output page `index.html` and
//! empties its dist directory first, so the side pages are built elsewhere
//! and copied in under their own names.

use crate::tools::Tools;
use std::path::{Path, PathBuf};

/// The side pages: source HTML (at the project root) and output name.
pub const SIDE_PAGES: [&str; 3] = ["wallet.html", "learn.html", "teach.html"];

/// `trunk build` of every page, then one `dist/`.
pub fn build(tools: &Tools, release: bool) -> Result<(), String> {
    let root = tools.root();
    let side_root = root.join("target/pages");
    let mut side = Vec::new();
    for page in SIDE_PAGES {
        let out = side_root.join(page.trim_end_matches(".html"));
        trunk_build(tools, page, &out, release)?;
        side.push((page, out));
    }
    trunk_build(tools, "index.html", &root.join("dist"), release)?;
    for (page, out) in side {
        merge(&out, &root.join("dist"), page)?;
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
