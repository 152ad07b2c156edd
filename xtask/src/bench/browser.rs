//! Browser half of `cargo xtask bench`: builds `dist/` when it is older than its sources and
//! runs `web/bench/bench.mjs` (headless Chromium through playwright-core, `dist/` served by
//! `web/tools/server.mjs` as for the browser tests), whose markdown output goes into the report.

use super::{Report, TempDir};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::SystemTime;

/// Files of `web/` that `cargo xtask web` copies into `dist/` (as in web.rs).
const WEB_FILES: [&str; 4] = ["index.html", "embed.html", "disan.js", "disan.css"];

/// Builds `dist/` when it is missing or older than its sources, and installs playwright-core.
pub fn prepare() -> Result<()> {
    let root = crate::root();
    match dist_is_stale(&root, &root.join("dist"))? {
        Some(why) => {
            eprintln!("== browser: building dist/ ({why})");
            crate::web::build(false)?;
        }
        None => eprintln!("== browser: dist/ is up to date"),
    }
    let web = root.join("web");
    if !web.join("node_modules/playwright-core").exists() {
        crate::run_cmd(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&web),
        )?;
    }
    Ok(())
}

/// Runs `web/bench/bench.mjs` against `dist/` (see [`prepare`]) and adds its output to the report.
pub fn run(report: &mut Report, corpus_pano: Option<&Path>) -> Result<()> {
    let root = crate::root();
    let dist = root.join("dist");
    let web = root.join("web");

    // The corpus panorama as a one-scene tour inside dist/ (gitignored), removed afterwards.
    let mut extra = None;
    if let Some(pano) = corpus_pano {
        let dir = TempDir::create(dist.join("bench-tour"))?;
        super::write_corpus_tour(&dir.0, pano)?;
        extra = Some(dir);
    } else {
        report.line(format!(
            "_The corpus panorama ({}) was not found (set DISAN_CORPUS): its rows are skipped._\n",
            super::CORPUS_PANO
        ));
    }

    // Without a base URL, bench.mjs serves $DISAN_DIST itself.
    let mut cmd = Command::new("node");
    cmd.arg(web.join("bench/bench.mjs"))
        .env("DISAN_DIST", &dist);
    if extra.is_some() {
        cmd.args(["--tour", "bench-tour/tour.json"]);
    }
    cmd.current_dir(&root)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    eprintln!("$ {cmd:?}");
    let out = cmd
        .output()
        .context("running node (is Node.js installed?)")?;
    drop(extra);
    report.text(&String::from_utf8_lossy(&out.stdout));
    if !out.status.success() {
        bail!(
            "web/bench/bench.mjs failed ({}); see its output above",
            out.status
        );
    }
    Ok(())
}

/// Why `dist/` must be rebuilt (missing, or older than a source), or `None` when it is current.
fn dist_is_stale(root: &Path, dist: &Path) -> Result<Option<String>> {
    let outputs = [
        "index.html",
        "embed.html",
        "disan.js",
        "disan.css",
        "pkg/disan_webgpu.js",
        "pkg/disan_webgpu_bg.wasm",
        "pkg/disan_webgl.js",
        "pkg/disan_webgl_bg.wasm",
        "tour/tour.json",
    ];
    let mut oldest: Option<SystemTime> = None;
    for out in outputs {
        match std::fs::metadata(dist.join(out)).and_then(|m| m.modified()) {
            Ok(t) => oldest = Some(oldest.map_or(t, |o| o.min(t))),
            Err(_) => return Ok(Some(format!("dist/{out} is missing"))),
        }
    }
    let oldest = oldest.unwrap_or(SystemTime::UNIX_EPOCH);

    let mut sources: Vec<PathBuf> = vec![root.join("Cargo.toml"), root.join("Cargo.lock")];
    for krate in ["tour", "assets", "render", "viewer"] {
        sources.push(root.join("crates").join(krate).join("Cargo.toml"));
        sources.push(root.join("crates").join(krate).join("src"));
    }
    sources.push(root.join("shaders"));
    sources.push(root.join("assets/demo"));
    for file in WEB_FILES {
        sources.push(root.join("web").join(file));
    }
    for src in sources {
        if let Some((path, t)) = newest(&src)? {
            if t > oldest {
                let rel = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .display()
                    .to_string();
                return Ok(Some(format!("{rel} is newer")));
            }
        }
    }
    Ok(None)
}

/// The most recently modified file at or under `path` (`None` when there is none).
fn newest(path: &Path) -> Result<Option<(PathBuf, SystemTime)>> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(None);
    };
    if !meta.is_dir() {
        return Ok(Some((path.to_path_buf(), meta.modified()?)));
    }
    let mut best: Option<(PathBuf, SystemTime)> = None;
    for entry in std::fs::read_dir(path)? {
        if let Some((p, t)) = newest(&entry?.path())? {
            if best.as_ref().is_none_or(|(_, b)| t > *b) {
                best = Some((p, t));
            }
        }
    }
    Ok(best)
}
