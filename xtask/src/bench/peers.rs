//! Peers: the shared harness `peer-bench` (`$DISAN_PEER_BENCH`, by default
//! `<repo>/../shared/peer-bench`) run on this checkout's `dist/`, so that the figures are the
//! harness's own: the same `ready` (the end of the first frame that shows content, checked in
//! the canvas), the same frame counting, the peers (Pannellum, Photo Sphere Viewer,
//! `<model-viewer>`, the raw-WebGL2 floor) in the same run, medians of `$DISAN_PEER_RUNS` runs
//! (5). Then the ratios the targets are stated in.
//!
//! The harness is copied to a temporary folder (never written in place) and `npm ci` run there.
//! Its `build.mjs` copies four named engine files out of `dist/pkg/`; the copy's list gets the
//! two panorama-only packages as well (`*_pano`), which `disan.js` loads for tours without
//! objects (without them it falls back to the full engine, and the harness would measure that).

use super::Report;
use anyhow::{bail, Context, Result};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const PEERS: &str = "disan-webgpu,disan-webgl2,disan-published,pannellum,photo-sphere-viewer,model-viewer,_template";

/// Median of a list (None when empty).
fn median_of(mut xs: Vec<f64>) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    Some(if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    })
}

/// Median of mark `name` over a case's runs that ended well.
fn mark_median(case: &Value, name: &str) -> Option<f64> {
    let runs = case["runs"].as_array()?;
    median_of(
        runs.iter()
            .filter(|r| r["error"].is_null())
            .filter_map(|r| r["marks"][name].as_f64())
            .collect(),
    )
}

/// The line of the harness's build.mjs that lists the engine files it copies.
const ENGINE_LINE: &str = "const ENGINE = ['disan.js', 'disan.css', 'pkg/disan_webgpu.js', 'pkg/disan_webgpu_bg.wasm', 'pkg/disan_webgl.js', 'pkg/disan_webgl_bg.wasm'];";

/// Median of `summary.<key>.median` of a case, if it ran.
fn median(case: &Value, key: &str) -> Option<f64> {
    case["summary"][key]["median"].as_f64()
}

pub fn run(report: &mut Report, root: &Path) -> Result<()> {
    let harness = std::env::var_os("DISAN_PEER_BENCH")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/peer-bench"));
    if !harness.join("run.mjs").is_file() {
        report.line(format!(
            "Skipped: no peer-bench harness at {} (set DISAN_PEER_BENCH).",
            harness.display()
        ));
        return Ok(());
    }
    let dist = root.join("dist");
    if !dist.join("disan.js").is_file() {
        bail!(
            "{} has no disan.js: run `cargo xtask web` first",
            dist.display()
        );
    }
    let corpus = std::env::var_os("DISAN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/corpus"));
    let runs = std::env::var("DISAN_PEER_RUNS").unwrap_or_else(|_| "5".into());

    let tmp = std::env::temp_dir().join(format!("disan-peer-bench-{}", std::process::id()));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp)?;
    }
    // A harness folder that was used has installs and outputs of its own: not copied.
    crate::web::copy_dir_except(&harness, &tmp, &|name| {
        ["node_modules", "dist", "results.json", "shots"]
            .iter()
            .any(|n| name == *n)
    })?;
    let build = tmp.join("peers/disan-webgpu/build.mjs");
    let text =
        std::fs::read_to_string(&build).with_context(|| format!("reading {}", build.display()))?;
    let patched = if text.contains(ENGINE_LINE) {
        std::fs::write(
            &build,
            text.replace(
                ENGINE_LINE,
                "const ENGINE = ['disan.js', 'disan.css', 'pkg/disan_webgpu.js', 'pkg/disan_webgpu_bg.wasm', 'pkg/disan_webgl.js', 'pkg/disan_webgl_bg.wasm', 'pkg/disan_webgpu_pano.js', 'pkg/disan_webgpu_pano_bg.wasm', 'pkg/disan_webgl_pano.js', 'pkg/disan_webgl_pano_bg.wasm'];",
            ),
        )?;
        true
    } else {
        false
    };
    // The published site's peer lives in this repository (web/bench/peers/disan-published).
    crate::web::copy_dir(
        &root.join("web/bench/peers/disan-published"),
        &tmp.join("peers/disan-published"),
    )?;
    let peers = std::env::var("DISAN_PEER_LIST").unwrap_or_else(|_| PEERS.into());
    let disan = crate::web::disan_binary(root)?;
    eprintln!("== peer-bench: npm ci in {}", tmp.display());
    let status = Command::new("npm")
        .current_dir(&tmp)
        .args(["ci", "--no-audit", "--no-fund"])
        .status()
        .context("running npm ci")?;
    if !status.success() {
        bail!("npm ci in the peer-bench copy failed ({status})");
    }
    eprintln!("== peer-bench: node run.mjs --runs {runs} --peer {peers}");
    let out = Command::new("node")
        .current_dir(&tmp)
        .args(["run.mjs", "--runs", &runs, "--peer", &peers])
        .env("DISAN_DIST", &dist)
        .env("DISAN_BIN", &disan)
        .env("BENCH_CORPUS", &corpus)
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("running node run.mjs")?;
    if !out.status.success() {
        bail!("peer-bench failed ({})", out.status);
    }
    report.line(format!(
        "The shared harness ({}), {runs} runs a case, medians; `ready` is the end of the first frame that shows content. {}",
        harness.display(),
        if patched {
            "Its build.mjs was given the two panorama-only packages (`*_pano`) to copy."
        } else {
            "(Its build.mjs was not patched: it may measure the full engine for panoramas.)"
        }
    ));
    report.line("");
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        if line.starts_with('|') {
            report.line(line);
        }
    }
    let results: Value = serde_json::from_str(
        &std::fs::read_to_string(tmp.join("results.json")).context("reading results.json")?,
    )?;
    let cases = results["cases"].as_array().cloned().unwrap_or_default();
    let find = |peer: &str, case: &str| {
        cases
            .iter()
            .find(|c| c["peer"] == peer && c["case"] == case)
            .cloned()
            .unwrap_or(Value::Null)
    };
    report.line("");
    report.line("Ratios (Disan ÷ peer, same run):");
    report.line("");
    let mut rows = Vec::new();
    let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.2}×", a / b),
        _ => "n/a".into(),
    };
    for disan in ["disan-webgpu", "disan-webgl2"] {
        let d = find(disan, "examplepano-4096");
        let pannellum = find("pannellum", "examplepano-4096");
        let floor = find("_template", "examplepano-4096");
        rows.push(vec![
            disan.into(),
            "examplepano `ready` ÷ Pannellum's".into(),
            ratio(median(&d, "ready"), median(&pannellum, "ready")),
            "≤ 0.50× (first content)".into(),
        ]);
        rows.push(vec![
            disan.into(),
            "examplepano fps ÷ Pannellum's".into(),
            ratio(median(&d, "rafFps"), median(&pannellum, "rafFps")),
            "≥ 1×".into(),
        ]);
        rows.push(vec![
            disan.into(),
            "examplepano fps ÷ the raw-WebGL2 floor's".into(),
            ratio(median(&d, "rafFps"), median(&floor, "rafFps")),
            "aim 0.8×".into(),
        ]);
        for model in ["DamagedHelmet", "ToyCar", "IridescenceAbalone"] {
            rows.push(vec![
                disan.into(),
                format!("{model} `ready` ÷ model-viewer's"),
                ratio(
                    median(&find(disan, model), "ready"),
                    median(&find("model-viewer", model), "ready"),
                ),
                "≤ 0.50× (aim 0.33×)".into(),
            ]);
            rows.push(vec![
                disan.into(),
                format!("{model} orbit fps ÷ model-viewer's (both with their defaults)"),
                ratio(
                    median(&find(disan, model), "rafFps"),
                    median(&find("model-viewer", model), "rafFps"),
                ),
                if model == "DamagedHelmet" {
                    "≥ 1.0×"
                } else {
                    "—"
                }
                .into(),
            ]);
        }
        rows.push(vec![
            disan.into(),
            "DamagedHelmet orbit fps at full resolution ÷ model-viewer's (`@fullres`, both)".into(),
            ratio(
                median(&find(disan, "DamagedHelmet@fullres"), "rafFps"),
                median(&find("model-viewer", "DamagedHelmet@fullres"), "rafFps"),
            ),
            "≥ 1.5×".into(),
        ]);
        let bundle = |case: &str| {
            let c = find(disan, case);
            c["summary"]["bytes"]["jsGz"]
                .as_f64()
                .zip(c["summary"]["bytes"]["wasmGz"].as_f64())
                .map_or("n/a".into(), |(j, w)| format!("{:.0} KB", (j + w) / 1024.0))
        };
        let webgpu = disan == "disan-webgpu";
        rows.push(vec![
            disan.into(),
            "JS + wasm before `ready`, examplepano (gzip)".into(),
            bundle("examplepano-4096"),
            if webgpu { "≤ 200 KB" } else { "≤ 800 KB" }.into(),
        ]);
        rows.push(vec![
            disan.into(),
            "JS + wasm before `ready`, DamagedHelmet (gzip)".into(),
            bundle("DamagedHelmet"),
            if webgpu { "≤ 284 KB" } else { "≤ 800 KB" }.into(),
        ]);
    }
    // The published page (disan publish): its poster, its live view, its first answer to a drag.
    let published = find("disan-published", "examplepano-4096");
    let pannellum = median(&find("pannellum", "examplepano-4096"), "ready");
    let ms = |x: Option<f64>| x.map_or("n/a".into(), |v| format!("{v:.0} ms"));
    for (what, value, target) in [
        (
            "start view's poster on screen",
            mark_median(&published, "poster"),
            "≤ 0.50×",
        ),
        ("live view (`ready`)", median(&published, "ready"), "—"),
        (
            "interactive (first frame after a drag: the poster slides)",
            mark_median(&published, "interactive"),
            "≤ 1.0×",
        ),
        (
            "the engine's first frame after a drag",
            mark_median(&published, "engineInteractive"),
            "—",
        ),
    ] {
        rows.push(vec![
            "disan-published".into(),
            format!(
                "examplepano {what}: {} ÷ Pannellum's `ready` {}",
                ms(value),
                ms(pannellum)
            ),
            ratio(value, pannellum),
            target.into(),
        ]);
    }
    report.table(&["engine", "figure", ">value", "target"], &rows);
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(())
}
