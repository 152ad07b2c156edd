//! Huge-scan section of `cargo xtask bench` (issue 10): a generated 2M-triangle scan with an
//! 8192-pixel texture (`disan_demo::scan`, never committed), opened as it is and through the
//! derivatives `disan optimize` makes.
//!
//! - `disan optimize`: wall time, CPU time and peak RSS (wait4's rusage).
//! - Natively, whole `disan render` processes at 1280×720 (min of 3): the original GLB; the thumb
//!   (what the derivatives tour draws first: the same file through the same code); the
//!   derivatives tour to its final level (render fetches the thumb, then the level the device and
//!   view allow, and draws that).
//! - GPU memory of each level as the tour states it (`gpu_bytes`, the renderer's own accounting:
//!   buffers, mipmapped RGBA8 textures) beside the original's.
//! - In headless Chromium (`web/bench/scan.mjs`): navigation → first frame with and without
//!   derivatives, → final level, and `engine.gpu_memory()`; and the decode time on wasm of the
//!   same 500k-triangle mesh compressed with Draco (gltf-pipeline, installed under
//!   `target/bench-tools` on first use) and with meshopt (gltfpack).

use super::bigpano::{measure, Inputs};
use super::{ms, size, Report, TempDir};
use anyhow::{Context, Result};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const RUNS: usize = 3;

fn min_render(disan: &Path, target: &Path, log: &Path, png: &Path) -> Result<Duration> {
    let mut best = Duration::MAX;
    for _ in 0..RUNS {
        let m = measure(
            Command::new(disan)
                .arg("render")
                .arg(target)
                .args(["--width", "1280", "--height", "720", "--out"])
                .arg(png),
            log,
        )?;
        m.check(&format!("disan render {}", target.display()))?;
        best = best.min(m.wall);
    }
    Ok(best)
}

/// `gltf-pipeline` under `target/bench-tools` (npm install on first use).
fn gltf_pipeline() -> Result<std::path::PathBuf> {
    let dir = crate::root().join("target/bench-tools");
    let bin = dir.join("node_modules/.bin/gltf-pipeline");
    if !bin.exists() {
        std::fs::create_dir_all(&dir)?;
        crate::run_cmd(
            Command::new("npm")
                .args(["install", "--no-audit", "--no-fund", "--prefix"])
                .arg(&dir)
                .arg("gltf-pipeline@4"),
        )?;
    }
    Ok(bin)
}

pub fn run(
    report: &mut Report,
    inputs: &Inputs,
    prepared: &std::result::Result<(), String>,
) -> Result<()> {
    let disan = inputs.disan()?;
    let root = crate::root();
    // Under dist/ so that the browser can open it; removed at the end.
    let dir = TempDir::create(root.join("dist/bench-scan"))?;
    let raw = dir.0.join("raw");
    let (triangles, texture) = crate::big::SCAN;
    let glb_bytes = crate::big::write_raw_scan(&raw)?;
    let log = dir.0.join("log.txt");

    let m = measure(
        Command::new(&disan)
            .arg("optimize")
            .arg(raw.join("boulder.glb"))
            .arg("--out")
            .arg(&dir.0),
        &log,
    )?;
    m.check("disan optimize")?;
    let text = std::fs::read_to_string(dir.0.join("tour.json"))?;
    let derived: serde_json::Value = serde_json::from_str(&text)?;
    let levels = derived["scenes"][0]["derivatives"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    report.line(format!(
        "Input: a generated boulder of {triangles} triangles with a {texture}×{} JPEG texture, a {} GLB.",
        texture / 2,
        size(glb_bytes)
    ));
    report.line("");
    report.table(
        &["step", ">wall s", ">CPU s", ">peak RSS"],
        &[vec![
            format!("disan optimize (4 levels)"),
            format!("{:.1}", m.wall.as_secs_f64()),
            m.cpu
                .map_or("—".into(), |c| format!("{:.1}", c.as_secs_f64())),
            m.peak_rss.map_or("—".into(), size),
        ]],
    );
    report.line("");

    // GPU memory: the levels as stated, and the original (vertices × 72 + indices × 4 + the
    // texture at the GPU's limit with mipmaps).
    let raw_gpu = disan_tour::derivatives::estimate_gpu_bytes(
        triangles / 2,
        triangles * 3,
        texture as u64 * (texture / 2) as u64,
    );
    let mut rows = vec![vec![
        "original".to_string(),
        triangles.to_string(),
        texture.to_string(),
        size(glb_bytes),
        size(raw_gpu),
    ]];
    for l in &levels {
        let file = dir.0.join(l["model"].as_str().unwrap_or_default());
        rows.push(vec![
            l["quality"].as_str().unwrap_or("?").to_string(),
            l["triangles"].to_string(),
            l["texture"].to_string(),
            std::fs::metadata(&file).map_or("—".into(), |m| size(m.len())),
            size(l["gpu_bytes"].as_u64().unwrap_or(0)),
        ]);
    }
    report.table(
        &["level", ">triangles", ">texture px", ">file", ">GPU memory"],
        &rows,
    );
    report.line("");

    let png = dir.0.join("out.png");
    let thumb = levels
        .iter()
        .find(|l| l["quality"] == "thumb")
        .and_then(|l| l["model"].as_str())
        .map(|m| dir.0.join(m));
    let t_raw = min_render(&disan, &raw, &log, &png)?;
    let t_final = min_render(&disan, &dir.0, &log, &png)?;
    let mut rows = vec![vec![
        "original (2M triangles, 8192 texture)".to_string(),
        ms(t_raw),
        "1.00".into(),
    ]];
    if let Some(t) = thumb {
        let t_thumb = min_render(&disan, &t, &log, &png)?;
        rows.push(vec![
            "derivatives: first frame (the thumb)".into(),
            ms(t_thumb),
            format!("{:.2}", t_thumb.as_secs_f64() / t_raw.as_secs_f64()),
        ]);
    }
    rows.push(vec![
        "derivatives: final level (thumb, then the level that fits)".into(),
        ms(t_final),
        format!("{:.2}", t_final.as_secs_f64() / t_raw.as_secs_f64()),
    ]);
    report.line(format!(
        "Native: whole `disan render` processes at 1280×720 on this machine's GPU (min of {RUNS}); process start and GPU set-up included."
    ));
    report.line("");
    report.table(&["opened", ">ms", ">/ original"], &rows);
    report.line("");

    // The browser, and the decode comparison.
    if let Err(e) = prepared {
        anyhow::bail!("{e}");
    }
    let small = disan_demo::scan::boulder_glb(500_000, 256)?;
    let mesh = dir.0.join("mesh.glb");
    std::fs::write(&mesh, &small)?;
    let mut decode = Vec::new();
    let gltfpack = root.join("web/node_modules/.bin/gltfpack");
    match gltf_pipeline() {
        Ok(gp) => {
            let draco = dir.0.join("mesh-draco.glb");
            let meshopt = dir.0.join("mesh-meshopt.glb");
            crate::run_cmd(
                Command::new(gp)
                    .arg("-i")
                    .arg(&mesh)
                    .arg("-o")
                    .arg(&draco)
                    .arg("-d"),
            )?;
            crate::run_cmd(
                Command::new(&gltfpack)
                    .arg("-i")
                    .arg(&mesh)
                    .arg("-o")
                    .arg(&meshopt)
                    .arg("-c"),
            )?;
            decode = vec![
                "--draco".to_string(),
                "bench-scan/mesh-draco.glb".into(),
                "--meshopt".into(),
                "bench-scan/mesh-meshopt.glb".into(),
            ];
        }
        Err(e) => report.line(format!(
            "_gltf-pipeline could not be installed ({e:#}): no decode comparison._"
        )),
    }
    let mut cmd = Command::new("node");
    cmd.arg(root.join("web/bench/scan.mjs"))
        .env("DISAN_DIST", root.join("dist"))
        .args([
            "--raw",
            "bench-scan/raw/tour.json",
            "--derived",
            "bench-scan/tour.json",
            "--runs",
            "2",
        ])
        .args(&decode)
        .current_dir(&root)
        .stderr(std::process::Stdio::inherit());
    eprintln!("$ {cmd:?}");
    let out = cmd.output().context("running node web/bench/scan.mjs")?;
    report.text(&String::from_utf8_lossy(&out.stdout));
    if !out.status.success() {
        anyhow::bail!(
            "web/bench/scan.mjs failed ({}); see its output above",
            out.status
        );
    }
    Ok(())
}
