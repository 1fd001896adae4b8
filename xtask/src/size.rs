//! The size report: gzipped bytes of the shipped wasm, JavaScript and CSS,
//! per file and per page (what opening that page downloads).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Prints the raw and gzipped size of every wasm/js/css file in `dist`, and the total.
pub fn report(dist: &Path) -> Result<(), String> {
    let mut rows = Vec::new();
    let entries = std::fs::read_dir(dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "wasm" | "js" | "css") {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let gz = gzip_len(&bytes)?;
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_string();
        rows.push((name, bytes.len(), gz));
    }
    rows.sort();
    println!("size report (dist/):");
    for (name, raw, gz) in &rows {
        println!("  {name:<48} {raw:>9} B  {gz:>8} B gzipped");
    }
    let total: usize = rows.iter().map(|r| r.2).sum();
    println!(
        "  all pages' wasm+js+css: {total} B gzipped ({:.1} KB)",
        total as f64 / 1000.0
    );
    for (page, html) in pages(dist)? {
        let html_gz = gzip_len(html.as_bytes())?;
        // The worker's loader is named in a `<meta>` for later, not loaded.
        let files: usize = rows
            .iter()
            .filter(|(name, _, _)| html.contains(name.as_str()) && !name.ends_with("_loader.js"))
            .map(|r| r.2)
            .sum();
        let load = html_gz + files;
        println!(
            "  first load of {page}: {load} B gzipped ({:.1} KB, html+wasm+js+css){}",
            load as f64 / 1000.0,
            if load > BUDGET {
                " OVER the 350 KB budget"
            } else {
                ""
            }
        );
    }
    Ok(())
}

/// The first-load budget of issue #9 (350 KB gzipped).
const BUDGET: usize = 350 * 1000;

/// Every `*.html` in `dist` with its text, by name.
pub(crate) fn pages(dist: &Path) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("html") {
            continue;
        }
        let html =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        out.push((name, html));
    }
    out.sort();
    Ok(out)
}

/// Length of `gzip -9` output (the system gzip, as a static host would serve it).
fn gzip_len(bytes: &[u8]) -> Result<usize, String> {
    let mut child = Command::new("gzip")
        .args(["-9", "-c"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("gzip: {e}"))?;
    // Feed stdin from another thread: gzip writes while it reads, and a full
    // stdout pipe would otherwise block both sides.
    let stdin = child.stdin.take();
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || {
        if let Some(mut stdin) = stdin {
            let _ = stdin.write_all(&input);
        }
    });
    let out = child.wait_with_output().map_err(|e| format!("gzip: {e}"))?;
    let _ = writer.join();
    Ok(out.stdout.len())
}
