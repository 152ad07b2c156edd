//! Tiled-viewer section of `cargo xtask bench`: a 16384×8192 panorama cut by `disan tile`,
//! time to a first frame and to full sharpness of the start view.
//!
//! - Natively, whole `disan render` processes (min of 3): the tiled scene as it is (render
//!   fetches tiles until the view is sharp), the same scene with `max_level` cut to the base
//!   level (preview + level 1: what a first frame needs), and the untiled JPEG for comparison.
//! - In headless Chromium (WebGPU and WebGL2), `web/bench/tiled.mjs`: the tiles are copied under
//!   `dist/bench-tiled/`, and the page records `ready` (first frame) and the moment
//!   `handle.settled()` resolves with the loader idle (full sharpness), against Pannellum's `load`
//!   of the 4096×2048 corpus `examplepano.jpg` in the same browser.

use super::bigpano::{measure, Inputs, Measured};
use super::{ms, size, Report, TempDir};
use anyhow::{anyhow, bail, Context, Result};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// The panorama measured.
const WIDTH: u32 = 16384;
const RUNS: usize = 3;
const VIEW_W: u32 = 1280;
const VIEW_H: u32 = 720;

pub fn run(
    report: &mut Report,
    inputs: &Inputs,
    prepared: &std::result::Result<(), String>,
    corpus_pano: Option<&Path>,
) -> Result<()> {
    let disan = inputs.disan()?;
    let tiled = inputs.tiled(WIDTH)?;
    let image = inputs.image(WIDTH)?;
    let file = tiled.join("tour.json");
    let text =
        std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
    let tour: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))?;
    let scene = &tour["scenes"][0];
    let id = scene["id"]
        .as_str()
        .ok_or_else(|| anyhow!("{}: no scene id", file.display()))?
        .to_string();
    let tiles = &scene["tiles"];
    let (Some(cube), Some(max), Some(tile)) = (
        tiles["cube_resolution"].as_u64(),
        tiles["max_level"].as_u64(),
        tiles["tile_size"].as_u64(),
    ) else {
        bail!("{}: the scene has no Pannellum-style tiles", file.display());
    };

    // The same scene cut to its base level: level 1 keeps its number and files, and its face
    // side is cube_resolution >> (max_level - 1).
    let base_side = cube >> (max - 1);
    let mut base = tour.clone();
    base["scenes"][0]["tiles"]["cube_resolution"] = base_side.into();
    base["scenes"][0]["tiles"]["max_level"] = 1.into();
    std::fs::write(
        tiled.join("tour-base.json"),
        serde_json::to_string_pretty(&base)?,
    )?;
    // The untiled image, in a folder of its own.
    let whole = inputs.dir().join("whole");
    std::fs::create_dir_all(&whole)?;
    if std::fs::hard_link(&image, whole.join("pano.jpg")).is_err() {
        std::fs::copy(&image, whole.join("pano.jpg"))?;
    }
    super::write_pano_tour(&whole, "whole", "pano.jpg")?;

    let out = inputs.dir().join("render.png");
    let cases = [
        (
            format!(
                "preview + base level only (`max_level` 1: {}-pixel faces, {} tile{} a face) ≈ first frame",
                base_side,
                base_side.div_ceil(tile).pow(2),
                if base_side <= tile { "" } else { "s" }
            ),
            tiled.join("tour-base.json"),
            id.as_str(),
        ),
        (
            format!("all {max} levels, fetched until the view is sharp ({cube}-pixel faces)"),
            tiled.join("tour.json"),
            id.as_str(),
        ),
        (
            format!("the untiled {WIDTH}×{} JPEG, whole", WIDTH / 2),
            whole.join("tour.json"),
            "whole",
        ),
    ];
    let mut rows = Vec::new();
    let mut times = Vec::new();
    for (label, tour, scene) in &cases {
        eprintln!("== tiled: disan render {label}");
        let (best, rss) = time_render(&disan, tour, scene, &out, inputs.dir())?;
        times.push(best);
        rows.push(vec![label.clone(), ms(best), rss.map_or("—".into(), size)]);
    }
    report.line(format!(
        "A {WIDTH}×{} procedural panorama tiled by `disan tile` ({max} levels of {tile}-pixel tiles, \
         cube faces {cube} pixels, preview 1024×512).",
        WIDTH / 2
    ));
    report.line("");
    let adapter = adapter_name(&disan, &cases[0].1, &out);
    report.line(format!(
        "Native: release `disan render <tour> --width {VIEW_W} --height {VIEW_H}` of the start view, \
         whole-process wall time (process start and headless GPU set-up included), min of {RUNS} runs; \
         peak RSS of the process (largest of the runs). Adapter: {adapter}."
    ));
    report.line("");
    report.table(&["what is loaded", ">process ms", ">peak RSS"], &rows);
    report.line("");
    report.line(format!(
        "Native first frame (base level) **{} ms**, full sharpness **{} ms**: the tiles the view needs \
         beyond the base level cost {} ms; the untiled JPEG takes {} ms.",
        ms(times[0]),
        ms(times[1]),
        ms(times[1].saturating_sub(times[0])),
        ms(times[2])
    ));
    report.line("");

    // The browser.
    if let Err(e) = prepared {
        bail!("the browser rows need dist/: {e}");
    }
    let root = crate::root();
    let dist = root.join("dist");
    let served = TempDir::create(dist.join("bench-tiled"))?;
    crate::web::copy_dir(&tiled, &served.0)?;
    let mut args = vec![
        "--tour".to_string(),
        "bench-tiled/tour.json".to_string(),
        "--runs".into(),
        RUNS.to_string(),
    ];
    let pannellum = root.join("web/node_modules/pannellum/build");
    match corpus_pano {
        Some(pano) if pannellum.join("pannellum.js").is_file() => {
            let dir = served.0.join("pannellum");
            std::fs::create_dir_all(&dir)?;
            for f in ["pannellum.js", "pannellum.css"] {
                std::fs::copy(pannellum.join(f), dir.join(f))?;
            }
            std::fs::copy(pano, dir.join("examplepano.jpg"))?;
            std::fs::write(dir.join("index.html"), PANNELLUM_PAGE)?;
            args.extend(["--pannellum".into(), "bench-tiled/pannellum/index.html".into()]);
        }
        Some(_) => report.line(format!(
            "_Pannellum is not in {} (run `npm ci` in web/): its rows are skipped._\n",
            pannellum.display()
        )),
        None => report.line(format!(
            "_The corpus panorama ({}) was not found (set DISAN_CORPUS): the Pannellum rows are skipped._\n",
            super::CORPUS_PANO
        )),
    }
    let mut cmd = Command::new("node");
    cmd.arg(root.join("web/bench/tiled.mjs"))
        .args(&args)
        .env("DISAN_DIST", &dist)
        .current_dir(&root)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    eprintln!("$ {cmd:?}");
    let result = cmd
        .output()
        .context("running node (is Node.js installed?)")?;
    drop(served);
    report.text(&String::from_utf8_lossy(&result.stdout));
    if !result.status.success() {
        bail!(
            "web/bench/tiled.mjs failed ({}); see its output above",
            result.status
        );
    }
    Ok(())
}

/// Pannellum's own equirectangular viewer on the corpus panorama, full page, `load` recorded.
const PANNELLUM_PAGE: &str = r#"<!doctype html>
<meta charset="utf-8">
<title>Pannellum: examplepano.jpg</title>
<link rel="stylesheet" href="pannellum.css">
<script src="pannellum.js"></script>
<style>html, body { margin: 0; height: 100%; } #p { position: fixed; inset: 0; }</style>
<div id="p"></div>
<script>
  window.viewer = pannellum.viewer('p', { type: 'equirectangular', panorama: 'examplepano.jpg', autoLoad: true,
    showControls: false });
  window.viewer.on('load', () => { window.loadedAt = performance.now(); });
  window.viewer.on('error', (e) => { window.failed = String(e); });
</script>
"#;

/// Min wall time of `RUNS` `disan render` processes, and the largest peak RSS.
fn time_render(
    exe: &Path,
    tour: &Path,
    scene: &str,
    out: &Path,
    tmp: &Path,
) -> Result<(Duration, Option<u64>)> {
    let mut best = Duration::MAX;
    let mut rss = None;
    for _ in 0..RUNS {
        let run: Measured = measure(
            Command::new(exe)
                .arg("render")
                .arg(tour)
                .args([
                    "--scene",
                    scene,
                    "--width",
                    &VIEW_W.to_string(),
                    "--height",
                    &VIEW_H.to_string(),
                ])
                .arg("--out")
                .arg(out),
            &tmp.join("render.log"),
        )?;
        run.check(&format!("disan render {} --scene {scene}", tour.display()))?;
        best = best.min(run.wall);
        rss = rss.max(run.peak_rss);
    }
    Ok((best, rss))
}

/// The adapter `disan render` gets, from wgpu's log, or "unknown".
fn adapter_name(exe: &Path, tour: &Path, out: &Path) -> String {
    let result = Command::new(exe)
        .arg("render")
        .arg(tour)
        .args(["--width", "16", "--height", "16", "--out"])
        .arg(out)
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output();
    let Ok(result) = result else {
        return "unknown".into();
    };
    String::from_utf8_lossy(&result.stderr)
        .lines()
        .find_map(|l| {
            let rest = &l[l.find("name: \"")? + 7..];
            Some(rest[..rest.find('"')?].to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}
