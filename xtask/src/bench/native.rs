//! Native half of `cargo xtask bench`: time to a first frame with the release `disan render`, and
//! the frame rate while the view turns at kiosk sizes (`disan render --turn`).
//!
//! First frame: each scene is rendered at 1280×720 by a whole
//! `disan render` process (min of 3 runs), which creates a headless `GpuContext`, the `App`,
//! reads and decodes the scene's assets, uploads them, draws one frame, reads it back and writes
//! a PNG. A baseline process renders a tiny 32×16 panorama at 16×16: process start, GPU
//! context, pipelines and an almost empty frame. Reading + decoding is timed again in this
//! process with the same `disan-assets` functions the viewer calls (release build), and writing
//! the 1280×720 PNG with the same `image` crate, so that what remains estimates the upload and
//! the first frame.

use super::{ms, size, write_pano_tour, Report, TempDir};
use anyhow::{anyhow, bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 3;
const WIDTH: u32 = 1280;
const HEIGHT: u32 = 720;

/// What a scene loads, relative to its tour folder.
enum Asset {
    Panorama(String),
    Model(String),
}

impl Asset {
    fn path(&self) -> &str {
        match self {
            Asset::Panorama(p) | Asset::Model(p) => p,
        }
    }
}

/// One row: a scene of a tour on disk.
struct Case {
    label: String,
    dir: PathBuf,
    scene: String,
    asset: Asset,
}

pub fn run(report: &mut Report, corpus_pano: Option<&Path>) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    crate::run_cmd(Command::new(cargo).args(["build", "--release", "-p", "disan-cli"]))?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::root().join("target"));
    let exe = target
        .join("release")
        .join(format!("disan{}", std::env::consts::EXE_SUFFIX));
    if !exe.is_file() {
        bail!("{} is missing after the build", exe.display());
    }

    let tmp =
        TempDir::create(std::env::temp_dir().join(format!("disan-bench-{}", std::process::id())))?;
    let out = tmp.0.join("out.png");

    // The baseline: a tiny panorama rendered at 16×16.
    let tiny = tmp.0.join("tiny");
    std::fs::create_dir_all(&tiny)?;
    image::RgbImage::from_fn(32, 16, |x, y| {
        image::Rgb([(x * 8) as u8, (y * 16) as u8, 128])
    })
    .save(tiny.join("tiny.jpg"))
    .context("writing the tiny panorama")?;
    write_pano_tour(&tiny, "tiny", "tiny.jpg")?;
    eprintln!("== native: baseline (tiny scene at 16×16)");
    let baseline = time_render(&exe, &tiny, "tiny", 16, 16, &out)?;

    let mut cases = demo_cases()?;
    // Kiosk frame rates: a panorama and an object (the corpus's when present, else the demo's).
    let mut kiosk = vec![
        (
            "san-dinh (demo)".to_string(),
            crate::root().join("assets/demo"),
            "san-dinh".to_string(),
        ),
        (
            "trong-dong (demo)".to_string(),
            crate::root().join("assets/demo"),
            "trong-dong".to_string(),
        ),
    ];
    match corpus_pano {
        Some(pano) => {
            let dir = tmp.0.join("corpus");
            std::fs::create_dir_all(&dir)?;
            for (id, path, model) in super::write_corpus_tour(&dir, pano)? {
                if id == "examplepano" || id == "damaged-helmet" {
                    let k = usize::from(model);
                    kiosk[k] = (format!("{id} (corpus)"), dir.clone(), id.clone());
                }
                cases.push(Case {
                    label: format!("{id} (corpus)"),
                    dir: dir.clone(),
                    scene: id,
                    asset: if model {
                        Asset::Model(path)
                    } else {
                        Asset::Panorama(path)
                    },
                });
            }
        }
        None => report.line(format!(
            "_The corpus panorama ({}) was not found (set DISAN_CORPUS): its row is skipped._\n",
            super::CORPUS_PANO
        )),
    }

    let adapter = adapter_name(&exe, &tiny, &out);
    let mut rows = Vec::new();
    for case in &cases {
        eprintln!("== native: {} at {WIDTH}×{HEIGHT}", case.label);
        let total = time_render(&exe, &case.dir, &case.scene, WIDTH, HEIGHT, &out)?;
        let (load, what) = min_of(|| load_and_decode(&case.dir, &case.asset))?;
        let png = png_write_time(&out, &tmp.0.join("rewrite.png"))?;
        let scene_cost = total.saturating_sub(baseline);
        let rest = ms_f(total) - ms_f(baseline) - ms_f(load) - ms_f(png);
        rows.push(vec![
            case.label.clone(),
            format!("{} ({what})", case.asset.path()),
            ms(load),
            format!("{rest:.0}"),
            ms(png),
            ms(scene_cost),
            ms(total),
        ]);
    }

    report.line(format!(
        "Release `disan render <tour> --scene <id> --width {WIDTH} --height {HEIGHT} --out x.png`, \
         whole-process wall time, min of {RUNS} runs. Adapter: {adapter}."
    ));
    report.line(format!(
        "Baseline process (a 32×16 panorama rendered at 16×16: process start, headless GpuContext, \
         App and pipelines, a tiny frame read back): **{} ms**.",
        ms(baseline)
    ));
    report.line("");
    report.table(
        &[
            "scene",
            "asset",
            ">load+decode ms",
            ">upload+first frame ms",
            ">PNG write ms",
            ">scene ms (process − baseline)",
            ">process ms",
        ],
        &rows,
    );
    report.line("");
    report.line(
        "load+decode: read + decode with the viewer's `disan-assets` code, timed in-process (min of 3). \
         upload+first frame = process − baseline − load+decode − PNG write (an estimate: it includes \
         texture upload, drawing at 1280×720 and reading the frame back). Time to a first frame in \
         a running process ≈ baseline's GPU set-up + load+decode + upload+first frame.",
    );
    report.line("");
    kiosk_rates(report, &exe, &kiosk, &out, &adapter)
}

/// Kiosk sizes: frames per second while the view turns, natively.
const KIOSK_SIZES: [(u32, u32); 2] = [(1920, 1080), (3840, 2160)];
const TURN_SECONDS: f64 = 3.0;

/// Frames per second while a visitor turns a panorama and an object at kiosk sizes
/// (`disan render --turn`).
fn kiosk_rates(
    report: &mut Report,
    exe: &Path,
    cases: &[(String, PathBuf, String)],
    out: &Path,
    adapter: &str,
) -> Result<()> {
    let mut rows = Vec::new();
    for (label, dir, scene) in cases {
        let mut row = vec![label.clone()];
        for (w, h) in KIOSK_SIZES {
            eprintln!("== native: turning {label} at {w}×{h}");
            let output = render_cmd(exe, dir, scene, w, h)
                .args(["--turn", &TURN_SECONDS.to_string(), "--out"])
                .arg(out)
                .stderr(Stdio::inherit())
                .output()
                .context("running disan render --turn")?;
            let text = String::from_utf8_lossy(&output.stdout);
            if !output.status.success() {
                bail!("disan render --turn of {label} at {w}×{h} failed: {text}");
            }
            let fps = text
                .lines()
                .find_map(|l| l.strip_prefix("turned: "))
                .and_then(|l| l.rsplit(": ").next())
                .and_then(|l| l.trim_end_matches(" fps").parse::<f64>().ok())
                .ok_or_else(|| {
                    anyhow!("no frame rate in the output of disan render --turn: {text}")
                })?;
            row.push(format!("{fps:.1}"));
            // Per-pass GPU times (timestamp queries), when the adapter has them.
            for prefix in ["gpu per frame turning: ", "gpu per frame at rest: "] {
                row.push(
                    text.lines()
                        .find_map(|l| l.strip_prefix(prefix))
                        .unwrap_or("—")
                        .to_string(),
                );
            }
        }
        rows.push(row);
    }
    report.line(format!(
        "Kiosks: release `disan render <tour> --scene <id> --width W --height H --turn {TURN_SECONDS}`: \
         the view is dragged (a panorama at 12°/s, an object at 30°/s) for {TURN_SECONDS} s, every frame \
         drawn into a window-format target and waited for; then one frame at rest. GPU per pass: \
         timestamp queries, mean milliseconds (`direct`: one pass into the output, as panoramas \
         always and objects while they turn are drawn; `scene` + `compose`: the multisampled \
         scene texture of an object at rest, and its pass to the output). Adapter: {adapter}."
    ));
    report.line("");
    let mut head = vec!["scene".to_string()];
    for (w, h) in KIOSK_SIZES {
        head.push(format!(">fps at {w}×{h}"));
        head.push(format!("GPU turning {w}×{h}"));
        head.push(format!("GPU at rest {w}×{h}"));
    }
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    report.table(&head, &rows);
    Ok(())
}

/// The scenes of the demo tour (assets/demo).
fn demo_cases() -> Result<Vec<Case>> {
    let dir = crate::root().join("assets/demo");
    let file = dir.join("tour.json");
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("reading {} (run `cargo xtask demo-assets`)", file.display()))?;
    let tour: serde_json::Value =
        serde_json::from_str(text.trim_start_matches('\u{feff}')).context("parsing tour.json")?;
    let scenes = tour["scenes"]
        .as_array()
        .ok_or_else(|| anyhow!("{}: no scenes", file.display()))?;
    scenes
        .iter()
        .map(|s| {
            let id = s["id"].as_str().unwrap_or_default().to_string();
            let asset = match (s["kind"].as_str(), s["image"].as_str(), s["model"].as_str()) {
                (Some("panorama"), Some(img), _) => Asset::Panorama(img.into()),
                (Some("object"), _, Some(model)) => Asset::Model(model.into()),
                _ => bail!(
                    "{}: scene {id} has neither a panorama nor a model",
                    file.display()
                ),
            };
            Ok(Case {
                label: id.clone(),
                dir: dir.clone(),
                scene: id,
                asset,
            })
        })
        .collect()
}

/// `disan render <tour> --scene <scene> --width <w> --height <h>`, the rest to add.
fn render_cmd(exe: &Path, tour: &Path, scene: &str, w: u32, h: u32) -> Command {
    let mut cmd = Command::new(exe);
    cmd.arg("render").arg(tour).args([
        "--scene",
        scene,
        "--width",
        &w.to_string(),
        "--height",
        &h.to_string(),
    ]);
    cmd
}

/// Min wall time of `RUNS` runs of `disan render`.
fn time_render(
    exe: &Path,
    tour: &Path,
    scene: &str,
    w: u32,
    h: u32,
    out: &Path,
) -> Result<Duration> {
    let (d, ()) = min_of(|| {
        let mut cmd = render_cmd(exe, tour, scene, w, h);
        cmd.arg("--out")
            .arg(out)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let start = Instant::now();
        let result = cmd
            .output()
            .with_context(|| format!("running {}", exe.display()))?;
        let took = start.elapsed();
        if !result.status.success() {
            bail!(
                "`disan render {} --scene {scene}` failed ({}):\n{}",
                tour.display(),
                result.status,
                String::from_utf8_lossy(&result.stderr).trim()
            );
        }
        Ok((took, ()))
    })?;
    Ok(d)
}

/// Reads and decodes a scene's assets as `native::load_assets` does; returns a description.
fn load_and_decode(dir: &Path, asset: &Asset) -> Result<(Duration, String)> {
    let start = Instant::now();
    let what = match asset {
        Asset::Panorama(path) => {
            let bytes = std::fs::read(dir.join(path))?;
            let img = disan_assets::image::decode(&bytes, path)?;
            format!("{}×{}, {}", img.width, img.height, size(bytes.len() as u64))
        }
        Asset::Model(path) => {
            let bytes = std::fs::read(dir.join(path))?;
            let base = path.rfind('/').map_or("", |i| &path[..=i]);
            let read =
                |u: &str| std::fs::read(dir.join(format!("{base}{u}"))).map_err(|e| e.to_string());
            let (_model, images) = disan_assets::model::load_with(&bytes, path, &read)?;
            let mut sides = Vec::new();
            for (i, img) in images.iter().enumerate() {
                let img = disan_assets::image::decode(&img.bytes, &format!("{path}: images[{i}]"))?;
                sides.push(format!("{}×{}", img.width, img.height));
            }
            let images = if sides.is_empty() {
                String::new()
            } else {
                format!(", images {}", sides.join(" "))
            };
            format!("{}{images}", size(bytes.len() as u64))
        }
    };
    Ok((start.elapsed(), what))
}

/// Min time of writing the PNG at `from` again to `to` with the `image` crate (what
/// `native::write_png` does).
fn png_write_time(from: &Path, to: &Path) -> Result<Duration> {
    let img = image::open(from)
        .with_context(|| format!("reading {}", from.display()))?
        .to_rgba8();
    let (d, ()) = min_of(|| {
        let start = Instant::now();
        img.save(to)?;
        Ok((start.elapsed(), ()))
    })?;
    Ok(d)
}

/// Min duration of `RUNS` runs of `f`, with the value of the last run.
fn min_of<T>(mut f: impl FnMut() -> Result<(Duration, T)>) -> Result<(Duration, T)> {
    let (mut best, mut value) = f()?;
    for _ in 1..RUNS {
        let (d, v) = f()?;
        best = best.min(d);
        value = v;
    }
    Ok((best, value))
}

fn ms_f(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
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
    let log = String::from_utf8_lossy(&result.stderr);
    log.lines()
        .find_map(|l| {
            let rest = &l[l.find("name: \"")? + 7..];
            Some(rest[..rest.find('"')?].to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}
