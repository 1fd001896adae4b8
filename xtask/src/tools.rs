//! Installs the toolchain a command needs, only when it is missing, and builds
//! the environment (PATH, offline flags) every child process runs with.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Trunk's pinned version (0.22 needs a newer rustc than the machine has).
pub const TRUNK_VERSION: &str = "0.21.14";

/// What a command needs installed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Building the app: wasm target, Trunk, wasm-bindgen-cli, wasm-opt.
    Build,
    /// Everything, including Chromium, ChromeDriver and Playwright.
    All,
}

/// The installed tools and the environment to run them in.
pub struct Tools {
    root: PathBuf,
    path: OsString,
}

impl Tools {
    /// Installs whatever `need` requires and is missing.
    pub fn ensure(root: &Path, need: Need) -> Result<Tools, String> {
        let tools = Tools {
            root: root.to_path_buf(),
            path: search_path(root),
        };
        tools.ensure_wasm_target()?;
        tools.ensure_npm_packages()?;
        if need == Need::All {
            tools.ensure_chromium()?;
        }
        let bindgen = wasm_bindgen_version(root)?;
        tools.ensure_cargo_tool(
            "wasm-bindgen",
            &bindgen,
            "wasm-bindgen-cli",
            &bindgen,
            false,
        )?;
        tools.ensure_cargo_tool("trunk", TRUNK_VERSION, "trunk", TRUNK_VERSION, true)?;
        // Trunk builds offline; make sure every crate is in the local registry.
        tools.run(tools.cargo().args(["fetch", "--quiet"]), "cargo fetch")?;
        Ok(tools)
    }

    /// A command with the project's environment.
    pub fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(&self.root)
            .env("PATH", &self.path)
            .env("TRUNK_SKIP_VERSION_CHECK", "true")
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
            .env("CHROMEDRIVER", "/usr/bin/chromedriver");
        cmd
    }

    /// `cargo` with the project's environment.
    pub fn cargo(&self) -> Command {
        self.command(&std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
    }

    /// `trunk` with the project's environment.
    pub fn trunk(&self) -> Command {
        self.command("trunk")
    }

    /// The project root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Runs a command to completion; an error names it.
    pub fn run(&self, cmd: &mut Command, what: &str) -> Result<(), String> {
        let status = cmd
            .status()
            .map_err(|e| format!("{what}: cannot start: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("{what} failed ({status})"))
        }
    }

    fn ensure_wasm_target(&self) -> Result<(), String> {
        let out = self
            .command("rustup")
            .args(["target", "list", "--installed"])
            .output()
            .map_err(|e| format!("rustup: {e}"))?;
        if String::from_utf8_lossy(&out.stdout)
            .lines()
            .any(|l| l.trim() == "wasm32-unknown-unknown")
        {
            return Ok(());
        }
        println!("xtask: installing the wasm32-unknown-unknown target");
        self.run(
            self.command("rustup")
                .args(["target", "add", "wasm32-unknown-unknown"]),
            "rustup target add",
        )
    }

    /// Installs a cargo binary at exactly `version` unless `bin --version` already says it.
    fn ensure_cargo_tool(
        &self,
        bin: &str,
        version: &str,
        krate: &str,
        krate_version: &str,
        locked: bool,
    ) -> Result<(), String> {
        if let Ok(out) = self.command(bin).arg("--version").output() {
            let text = String::from_utf8_lossy(&out.stdout);
            if out.status.success() && text.split_whitespace().any(|w| w == version) {
                return Ok(());
            }
        }
        println!("xtask: installing {krate} {krate_version} (a few minutes, once)");
        let mut cmd = self.cargo();
        cmd.args(["install", krate, "--version", krate_version, "--force"]);
        if locked {
            cmd.arg("--locked");
        }
        self.run(&mut cmd, &format!("cargo install {krate}"))
    }

    /// `binaryen` (wasm-opt 132) and Playwright from npm, per tests/package-lock.json.
    fn ensure_npm_packages(&self) -> Result<(), String> {
        let tests = self.root.join("tests");
        let stamp = tests.join("node_modules/.package-lock.json");
        let lock = tests.join("package-lock.json");
        let fresh = match (modified(&stamp), modified(&lock)) {
            (Some(s), Some(l)) => s >= l && tests.join("node_modules/.bin/wasm-opt").exists(),
            _ => false,
        };
        if fresh {
            return Ok(());
        }
        println!("xtask: installing npm packages (binaryen for wasm-opt, Playwright)");
        self.run(
            self.command("npm")
                .current_dir(&tests)
                .args(["ci", "--no-audit", "--no-fund"]),
            "npm ci",
        )
    }

    fn ensure_chromium(&self) -> Result<(), String> {
        // A CJK font, so 繁體中文 screenshots are readable (Chromebooks ship
        // one); ImageMagick and zbar for the QR photo test (`app/tests/qr_photos.rs`).
        const NEEDED: [&str; 5] = [
            "/usr/bin/chromium",
            "/usr/bin/chromedriver",
            "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
            "/usr/bin/zbarimg",
            "/usr/bin/convert",
        ];
        if NEEDED.iter().all(|p| Path::new(p).exists()) {
            return Ok(());
        }
        println!("xtask: installing Debian's chromium, chromium-driver, a CJK font, ImageMagick and zbar");
        let sudo = !is_root();
        let apt = |args: &[&str]| {
            let mut cmd = if sudo {
                let mut c = self.command("sudo");
                c.arg("apt-get");
                c
            } else {
                self.command("apt-get")
            };
            cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
            cmd
        };
        self.run(&mut apt(&["update", "-q"]), "apt-get update")?;
        self.run(
            &mut apt(&[
                "install",
                "-y",
                "-q",
                "chromium",
                "chromium-driver",
                "fonts-wqy-zenhei",
                "imagemagick",
                "zbar-tools",
            ]),
            "apt-get install chromium chromium-driver fonts-wqy-zenhei imagemagick zbar-tools",
        )
    }
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    path.metadata().and_then(|m| m.modified()).ok()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// PATH with npm's binaryen first (Debian's wasm-opt is too old) and cargo's bin dir.
fn search_path(root: &Path) -> OsString {
    let mut dirs = vec![root.join("tests/node_modules/.bin")];
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    if let Some(home) = cargo_home {
        dirs.push(home.join("bin"));
    }
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

/// The wasm-bindgen version in Cargo.lock (the CLI must match it exactly).
pub fn wasm_bindgen_version(root: &Path) -> Result<String, String> {
    let lock =
        std::fs::read_to_string(root.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
            {
                return Ok(v.to_string());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen package".into())
}
