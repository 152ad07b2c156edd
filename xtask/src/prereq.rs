//! The prerequisites of `cargo xtask test`, checked before anything is compiled: every missing one is listed with the command that installs it.
//!
//! The list matches what `.ci/run` installs on a bare Debian machine: Vulkan (an ICD, e.g.
//! lavapipe, and the loader `libvulkan.so.1`), Chromium, Xvfb with `xwd`, `xdotool` and
//! `xclip`, the ALSA headers (through `pkg-config`), `g++`, Node and npm, the
//! `wasm32-unknown-unknown` target and `wasm-bindgen-cli` at the version pinned in the root
//! `Cargo.toml`. `web/node_modules` is not checked: `cargo xtask test` runs `npm ci` itself
//! when it is missing. `DISAN_SKIP_PREREQ=1` skips the check.

use anyhow::{bail, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// How a missing prerequisite is installed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fix {
    /// Debian packages (`apt-get install`).
    Apt(&'static [&'static str]),
    /// Any other command, as it is to be typed.
    Run(String),
}

/// One prerequisite: what it is and, when it is missing, why it was judged missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub what: String,
    /// `None` when present.
    pub missing: Option<String>,
    pub fix: Fix,
}

impl Check {
    fn new(what: impl Into<String>, missing: Option<String>, fix: Fix) -> Self {
        Check {
            what: what.into(),
            missing,
            fix,
        }
    }
}

/// Node's oldest major version that web/package.json's packages support (playwright-core's
/// `engines`; esbuild's is 18).
const MIN_NODE: u32 = 20;

/// Checks every prerequisite and fails with the report when one is missing.
pub fn check() -> Result<()> {
    if std::env::var_os("DISAN_SKIP_PREREQ").is_some_and(|v| v == "1") {
        eprintln!("== prerequisites: not checked (DISAN_SKIP_PREREQ=1)");
        return Ok(());
    }
    let checks = run_checks();
    match report(&checks, needs_sudo()) {
        None => {
            eprintln!("== prerequisites: all {} present", checks.len());
            Ok(())
        }
        Some(text) => {
            eprintln!("{text}");
            let n = checks.iter().filter(|c| c.missing.is_some()).count();
            bail!("cargo xtask test: {n} missing prerequisite(s), listed above; nothing was built")
        }
    }
}

/// The report of `checks`: `None` when nothing is missing, else every missing prerequisite with
/// the one command that installs it, and all the Debian packages in one command at the end.
pub fn report(checks: &[Check], sudo: bool) -> Option<String> {
    let missing: Vec<&Check> = checks.iter().filter(|c| c.missing.is_some()).collect();
    if missing.is_empty() {
        return None;
    }
    let sudo = if sudo { "sudo " } else { "" };
    let mut out = format!(
        "cargo xtask test: {} of {} prerequisites missing (nothing was built):\n",
        missing.len(),
        checks.len()
    );
    let mut apt: Vec<&str> = Vec::new();
    for c in &missing {
        let why = c.missing.as_deref().unwrap_or_default();
        let cmd = match &c.fix {
            Fix::Apt(pkgs) => {
                for p in pkgs.iter() {
                    if !apt.contains(p) {
                        apt.push(p);
                    }
                }
                format!("{sudo}apt-get install -y {}", pkgs.join(" "))
            }
            Fix::Run(cmd) => cmd.clone(),
        };
        out.push_str(&format!("  - {}: {why}\n      {cmd}\n", c.what));
    }
    if apt.len() > 1 {
        out.push_str(&format!(
            "All the Debian packages at once:\n      {sudo}apt-get update && {sudo}apt-get install -y {}\n",
            apt.join(" ")
        ));
    }
    out.push_str(
        "(.ci/run installs everything on a bare Debian machine; DISAN_SKIP_PREREQ=1 skips this check.)",
    );
    Some(out)
}

/// Every check, in the order of the report.
fn run_checks() -> Vec<Check> {
    let root = crate::root();
    let mut checks = Vec::new();
    let linux = cfg!(target_os = "linux");
    if linux {
        checks.push(Check::new(
            "Vulkan driver (ICD)",
            vulkan_icd_missing(),
            Fix::Apt(&["mesa-vulkan-drivers"]),
        ));
        checks.push(Check::new(
            "Vulkan loader libvulkan.so.1",
            (!library_present("libvulkan.so.1"))
                .then(|| "libvulkan.so.1 is in no library folder (nor in `ldconfig -p`)".into()),
            Fix::Apt(&["libvulkan1"]),
        ));
    }
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    checks.push(Check::new(
        "Chromium (browser tests)",
        (!chromium.is_file()).then(|| {
            format!(
                "{} not found (the CHROMIUM variable names another)",
                chromium.display()
            )
        }),
        Fix::Apt(&["chromium"]),
    ));
    if linux {
        for (exe, pkg, why) in [
            (
                "Xvfb",
                &["xvfb"] as &'static [&'static str],
                "the native window tests",
            ),
            ("xwd", &["x11-apps"], "the kiosk test's screenshots"),
            ("xdotool", &["xdotool"], "the kiosk test's input"),
            ("xclip", &["xclip"], "the share test's clipboard"),
            (
                "python3",
                &["python3"],
                "the publish test's plain static file server",
            ),
        ] {
            checks.push(Check::new(
                format!("{exe} ({why})"),
                on_path(exe)
                    .is_none()
                    .then(|| format!("`{exe}` is not on PATH")),
                Fix::Apt(pkg),
            ));
        }
        checks.push(alsa());
    }
    let cxx = std::env::var("CXX").unwrap_or_else(|_| "g++".into());
    checks.push(Check::new(
        "C++ compiler (the Basis Universal encoder)",
        runs(&cxx, &["--version"])
            .err()
            .map(|e| format!("`{cxx} --version` failed ({e})")),
        Fix::Apt(&["g++"]),
    ));
    checks.push(Check::new(
        format!("Node.js {MIN_NODE} or newer (browser tests, web build)"),
        node_missing(),
        Fix::Apt(&["nodejs"]),
    ));
    checks.push(Check::new(
        "npm",
        runs("npm", &["--version"])
            .err()
            .map(|e| format!("`npm --version` failed ({e})")),
        Fix::Apt(&["npm"]),
    ));
    checks.push(Check::new(
        "Rust target wasm32-unknown-unknown",
        wasm_target_missing(&root),
        Fix::Run("rustup target add wasm32-unknown-unknown".into()),
    ));
    match crate::web::pinned_wasm_bindgen(&root) {
        Ok(pinned) => checks.push(Check::new(
            format!("wasm-bindgen-cli {pinned}"),
            crate::web::wasm_bindgen_mismatch(&pinned),
            Fix::Run(crate::web::install_wasm_bindgen(&pinned)),
        )),
        Err(e) => checks.push(Check::new(
            "wasm-bindgen-cli",
            Some(format!("{e:#}")),
            Fix::Run("(fix the `wasm-bindgen = \"=X.Y.Z\"` line of Cargo.toml)".into()),
        )),
    }
    checks
}

/// Runs `exe args`, returning its standard output when it succeeds.
fn runs(exe: &str, args: &[&str]) -> Result<String, String> {
    match Command::new(exe).args(args).output() {
        Ok(out) if out.status.success() => Ok(String::from_utf8_lossy(&out.stdout).into_owned()),
        Ok(out) => Err(format!("{}", out.status)),
        Err(e) => Err(e.to_string()),
    }
}

/// The executable `name` in a folder of `PATH`.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        p.is_file()
    }
}

/// Why no Vulkan driver would be found, as the Vulkan loader looks for one: the files named by
/// `VK_DRIVER_FILES` / `VK_ICD_FILENAMES` when set, else a `*.json` manifest in `vulkan/icd.d`
/// under the XDG config and data folders and `/etc`.
fn vulkan_icd_missing() -> Option<String> {
    for var in ["VK_DRIVER_FILES", "VK_ICD_FILENAMES"] {
        if let Some(list) = std::env::var_os(var) {
            let found = std::env::split_paths(&list).any(|p| p.is_file() || has_json(&p));
            return (!found).then(|| format!("no driver manifest among the files in ${var}"));
        }
    }
    let env_dirs = |var: &str, default: &str| -> Vec<PathBuf> {
        let v = std::env::var_os(var).filter(|v| !v.is_empty());
        std::env::split_paths(&v.unwrap_or_else(|| default.into())).collect()
    };
    let mut dirs = env_dirs("XDG_CONFIG_DIRS", "/etc/xdg");
    dirs.push(PathBuf::from("/etc"));
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".local/share"));
    }
    dirs.extend(env_dirs("XDG_DATA_DIRS", "/usr/local/share:/usr/share"));
    let icd: Vec<PathBuf> = dirs.iter().map(|d| d.join("vulkan/icd.d")).collect();
    if icd.iter().any(|d| has_json(d)) {
        return None;
    }
    Some(format!(
        "no driver manifest (*.json) in {}",
        icd.iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

fn has_json(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.path().extension().is_some_and(|x| x == "json"))
    })
}

/// Whether the dynamic loader would find the shared library `name`: in `LD_LIBRARY_PATH`, the
/// usual library folders (with Debian's multiarch one), or the `ldconfig` cache.
fn library_present(name: &str) -> bool {
    let mut dirs: Vec<PathBuf> = std::env::var_os("LD_LIBRARY_PATH")
        .map(|v| std::env::split_paths(&v).collect())
        .unwrap_or_default();
    let multiarch = format!("{}-linux-gnu", std::env::consts::ARCH);
    for base in ["/lib", "/usr/lib", "/usr/local/lib"] {
        dirs.push(Path::new(base).join(&multiarch));
        dirs.push(PathBuf::from(base));
    }
    dirs.extend(["/lib64", "/usr/lib64"].map(PathBuf::from));
    if dirs.iter().any(|d| d.join(name).exists()) {
        return true;
    }
    ["ldconfig", "/sbin/ldconfig", "/usr/sbin/ldconfig"]
        .iter()
        .filter_map(|exe| runs(exe, &["-p"]).ok())
        .any(|list| list.lines().any(|l| l.trim_start().starts_with(name)))
}

/// The ALSA headers (the narration's audio output), through `pkg-config` as alsa-sys finds them.
fn alsa() -> Check {
    let pkg_config = std::env::var("PKG_CONFIG").unwrap_or_else(|_| "pkg-config".into());
    let missing = match runs(&pkg_config, &["--version"]) {
        Err(e) => Some(format!(
            "`{pkg_config}` cannot run ({e}), so the ALSA headers cannot be found"
        )),
        Ok(_) => runs(&pkg_config, &["--exists", "alsa"])
            .err()
            .map(|_| "`pkg-config --exists alsa` failed: no alsa.pc".to_string()),
    };
    Check::new(
        "ALSA headers (narration)",
        missing,
        Fix::Apt(&["libasound2-dev", "pkg-config"]),
    )
}

fn node_missing() -> Option<String> {
    let text = match runs("node", &["--version"]) {
        Ok(t) => t,
        Err(e) => return Some(format!("`node --version` failed ({e})")),
    };
    // "v20.19.2"
    let major = text
        .trim()
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse::<u32>().ok());
    match major {
        Some(m) if m >= MIN_NODE => None,
        _ => Some(format!(
            "node {} found, {MIN_NODE} or newer needed (Debian 13's nodejs is 20)",
            text.trim()
        )),
    }
}

/// Whether the toolchain cargo uses here (the workspace root, for a `rust-toolchain` file) has
/// the wasm32 standard library.
fn wasm_target_missing(root: &Path) -> Option<String> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = match Command::new(&rustc)
        .args(["--print", "sysroot"])
        .current_dir(root)
        .output()
    {
        Ok(out) if out.status.success() => out,
        Ok(out) => return Some(format!("`{rustc} --print sysroot` failed ({})", out.status)),
        Err(e) => return Some(format!("`{rustc}` cannot run ({e})")),
    };
    let sysroot = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    let lib = sysroot.join("lib/rustlib/wasm32-unknown-unknown/lib");
    (!lib.is_dir()).then(|| format!("{} is missing", lib.display()))
}

/// Whether apt-get needs `sudo` here (not running as root).
fn needs_sudo() -> bool {
    #[cfg(unix)]
    {
        // SAFETY: geteuid has no preconditions and cannot fail.
        unsafe { libc::geteuid() != 0 }
    }
    #[cfg(not(unix))]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(what: &str, fix: Fix) -> Check {
        Check::new(what, None, fix)
    }

    fn missing(what: &str, why: &str, fix: Fix) -> Check {
        Check::new(what, Some(why.into()), fix)
    }

    #[test]
    fn nothing_missing_is_no_report() {
        let checks = [
            ok("Chromium", Fix::Apt(&["chromium"])),
            ok(
                "wasm target",
                Fix::Run("rustup target add wasm32-unknown-unknown".into()),
            ),
        ];
        assert_eq!(report(&checks, true), None);
        assert_eq!(report(&[], false), None);
    }

    #[test]
    fn every_missing_one_is_listed_with_its_command() {
        let checks = [
            missing(
                "Chromium",
                "/usr/bin/chromium not found",
                Fix::Apt(&["chromium"]),
            ),
            ok("npm", Fix::Apt(&["npm"])),
            missing(
                "wasm-bindgen-cli 0.2.130",
                "wasm-bindgen not found on PATH",
                Fix::Run("cargo install wasm-bindgen-cli --version 0.2.130 --locked".into()),
            ),
            missing(
                "ALSA headers",
                "no alsa.pc",
                Fix::Apt(&["libasound2-dev", "pkg-config"]),
            ),
            missing("pkg-config twice", "x", Fix::Apt(&["pkg-config"])),
        ];
        let text = report(&checks, false).expect("a report");
        assert!(
            text.starts_with("cargo xtask test: 4 of 5 prerequisites missing"),
            "{text}"
        );
        assert!(
            text.contains(
                "  - Chromium: /usr/bin/chromium not found\n      apt-get install -y chromium\n"
            ),
            "{text}"
        );
        assert!(text.contains(
            "  - wasm-bindgen-cli 0.2.130: wasm-bindgen not found on PATH\n      cargo install wasm-bindgen-cli --version 0.2.130 --locked\n"
        ), "{text}");
        assert!(
            text.contains("apt-get install -y libasound2-dev pkg-config\n"),
            "{text}"
        );
        assert!(
            !text.contains("npm"),
            "a present prerequisite is not listed: {text}"
        );
        // The packages once each, in order, in the one combined command.
        assert!(
            text.contains(
                "apt-get update && apt-get install -y chromium libasound2-dev pkg-config\n"
            ),
            "{text}"
        );
        assert!(!text.contains("sudo"), "{text}");
    }

    #[test]
    fn sudo_when_not_root_and_no_combined_line_for_one_package() {
        let checks = [missing("g++", "not found", Fix::Apt(&["g++"]))];
        let text = report(&checks, true).unwrap();
        assert!(
            text.contains("      sudo apt-get install -y g++\n"),
            "{text}"
        );
        assert!(!text.contains("at once"), "{text}");
    }
}
