//! Tiler section of `cargo xtask bench`: throughput and peak memory of `disan tile` (release) on
//! generated 16384×8192 (and, with `DISAN_BENCH_BIG=1`, 32768×16384) equirectangular JPEGs,
//! side by side with Pannellum's own tiler, `utils/multires/generate.py` (Python + Pillow +
//! Hugin's `nona`), on the same image with the same tile size and JPEG quality.
//!
//! Each tool runs once per image as a whole process: wall time (→ megapixels of input per
//! second), CPU time and peak resident set (`wait4`'s rusage: the largest RSS of the process or
//! of any child it waited for, as GNU `time -v` reports it; for generate.py that is the larger
//! of Python's and nona's). Disan's peak is also given against the decoded image, W·H·3 bytes.

use super::bigpano::{dir_size, env_flag, measure, on_path, Inputs, Measured};
use super::{size, Report};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The tile side both tilers are given (both tools' default).
const TILE_SIZE: u32 = 512;
/// The JPEG quality both tilers are given (Disan's default; generate.py's is 75).
const QUALITY: u32 = 85;
/// Target: Disan's peak RSS at most this many times the decoded image.
const RSS_TARGET: f64 = 1.5;
/// Target: Disan's throughput at least this many times Pannellum's.
const SPEED_TARGET: f64 = 3.0;
/// The Pannellum release whose generate.py is the peer (web/package.json pins ^2.5.6).
const PANNELLUM_VERSION: &str = "2.5.6";
/// Environment variable that adds the 32768×16384 input.
pub const BIG_ENV: &str = "DISAN_BENCH_BIG";

/// Widths of the inputs measured (height = width / 2).
pub fn widths() -> Vec<u32> {
    if env_flag(BIG_ENV) {
        vec![16384, 32768]
    } else {
        vec![16384]
    }
}

pub fn run(report: &mut Report, inputs: &Inputs) -> Result<()> {
    let disan = inputs.disan()?;
    let peer = Pannellum::find(inputs.dir());
    let widths = widths();
    let mut rows = Vec::new();
    let mut verdicts = Vec::new();
    let mut notes = Vec::new();
    for &w in &widths {
        let h = w / 2;
        let image = inputs.image(w)?;
        let file_len = std::fs::metadata(&image)?.len();
        let input = format!("{w}×{h} ({})", size(file_len));
        let decoded = w as u64 * h as u64 * 3;
        let mp = w as f64 * h as f64 / 1e6;

        let out = inputs.dir().join(format!("disan-{w}"));
        eprintln!("== tiler: disan tile, {w}×{h}");
        let ours = measure(
            Command::new(&disan)
                .arg("tile")
                .arg(&image)
                .arg("--out")
                .arg(&out)
                .args([
                    "--tile-size",
                    &TILE_SIZE.to_string(),
                    "--quality",
                    &QUALITY.to_string(),
                ]),
            &inputs.dir().join(format!("disan-tile-{w}.log")),
        )?;
        ours.check("disan tile")?;
        rows.push(row("Disan `disan tile`", &input, &ours, mp, decoded, &out)?);
        if w == 16384 {
            // The tiled-viewer section opens these tiles.
            inputs.set_tiled(w, out);
        } else {
            std::fs::remove_dir_all(&out).ok();
        }
        if let Some(rss) = ours.peak_rss {
            let ratio = rss as f64 / decoded as f64;
            verdicts.push(format!(
                "{w}×{h}: Disan's peak RSS is **{ratio:.2}×** the decoded image ({} of {}); \
                 target ≤ {RSS_TARGET}×: {}.",
                size(rss),
                size(decoded),
                met(ratio <= RSS_TARGET)
            ));
        }

        match &peer {
            Ok(p) => {
                let out = inputs.dir().join(format!("pannellum-{w}"));
                eprintln!("== tiler: Pannellum generate.py, {w}×{h} (nona, then Pillow)");
                let theirs = p.run(
                    &image,
                    &out,
                    &inputs.dir().join(format!("pannellum-{w}.log")),
                )?;
                if theirs.status.success() {
                    rows.push(row(
                        "Pannellum `generate.py`",
                        &input,
                        &theirs,
                        mp,
                        decoded,
                        &out,
                    )?);
                    let ratio = theirs.wall.as_secs_f64() / ours.wall.as_secs_f64();
                    verdicts.push(format!(
                        "{w}×{h}: Disan's throughput is **{ratio:.1}×** Pannellum generate.py's \
                         ({:.1} against {:.1} MP/s); target ≥ {SPEED_TARGET}×: {}.",
                        mp / ours.wall.as_secs_f64(),
                        mp / theirs.wall.as_secs_f64(),
                        met(ratio >= SPEED_TARGET)
                    ));
                } else {
                    rows.push(vec![
                        "Pannellum `generate.py`".into(),
                        input.clone(),
                        format!("failed ({})", theirs.status),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                    ]);
                    notes.push(format!(
                        "Pannellum generate.py on {w}×{h} failed ({}); the end of its output:\n\n```\n{}\n```",
                        theirs.status,
                        theirs.log_tail(12)
                    ));
                }
                std::fs::remove_dir_all(&out).ok();
            }
            Err(why) if w == widths[0] => {
                notes.push(format!("Pannellum generate.py: **skipped**: {why}."))
            }
            Err(_) => {}
        }
    }

    report.line(format!(
        "Each tiler runs once per image, as a whole process (read, decode, cube faces, {TILE_SIZE}-pixel \
         tiles at JPEG quality {QUALITY}, fallback faces, files written): MP/s = input megapixels / \
         wall time. Peak RSS: the largest resident set of the process or of a child it waited for \
         (wait4 rusage, as GNU `time -v`). The inputs are generated procedural JPEGs (quality 90). {}",
        if widths.len() > 1 {
            format!("{BIG_ENV} is set: the 32768×16384 input too.")
        } else {
            format!("The 32768×16384 input is measured with {BIG_ENV}=1.")
        }
    ));
    if let Ok(p) = &peer {
        report.line(format!("Peer: {}.", p.describe()));
    }
    report.line("");
    report.table(
        &[
            "tiler",
            "input",
            ">wall s",
            ">MP/s",
            ">CPU s",
            ">peak RSS",
            ">RSS / decoded (W·H·3)",
            "output",
        ],
        &rows,
    );
    report.line("");
    for v in verdicts {
        report.line(format!("- {v}"));
    }
    for n in notes {
        report.line("");
        report.line(n);
    }
    Ok(())
}

fn met(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "**not met**"
    }
}

/// A row of the table for a finished tiler run.
fn row(
    tool: &str,
    input: &str,
    run: &Measured,
    mp: f64,
    decoded: u64,
    out: &Path,
) -> Result<Vec<String>> {
    let secs = run.wall.as_secs_f64();
    let (files, bytes) = dir_size(out)?;
    Ok(vec![
        tool.into(),
        input.into(),
        format!("{secs:.1}"),
        format!("{:.1}", mp / secs),
        run.cpu
            .map_or("—".into(), |c| format!("{:.1}", c.as_secs_f64())),
        run.peak_rss.map_or("—".into(), size),
        run.peak_rss.map_or("—".into(), |r| {
            format!("{:.2}×", r as f64 / decoded as f64)
        }),
        format!("{files} files, {}", size(bytes)),
    ])
}

/// Pannellum's generate.py, ready to run: a copy in the temporary folder, Python with Pillow,
/// and nona.
struct Pannellum {
    python: PathBuf,
    shim: PathBuf,
    script: PathBuf,
    /// Where generate.py came from.
    source: String,
    pillow: String,
    nona: String,
}

/// Runs generate.py unchanged on the Python and Pillow installed today: Pillow 10 removed
/// `Image.ANTIALIAS` (it was `Image.LANCZOS`) and Python 3.12 `distutils` (generate.py only uses
/// `distutils.spawn.find_executable`, which is `shutil.which`).
const SHIM: &str = r#"import runpy, shutil, sys, types
from PIL import Image
if not hasattr(Image, "ANTIALIAS"):
    Image.ANTIALIAS = Image.LANCZOS
try:
    import distutils.spawn
except ImportError:
    spawn = types.ModuleType("distutils.spawn")
    spawn.find_executable = shutil.which
    distutils = types.ModuleType("distutils")
    distutils.spawn = spawn
    sys.modules["distutils"] = distutils
    sys.modules["distutils.spawn"] = spawn
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"#;

impl Pannellum {
    /// Finds what generate.py needs and copies it into `tmp`, or says why it cannot run.
    fn find(tmp: &Path) -> std::result::Result<Pannellum, String> {
        let python = std::env::var_os("PYTHON")
            .map(PathBuf::from)
            .or_else(|| on_path("python3"))
            .or_else(|| on_path("python"));
        let pillow = python.as_ref().and_then(|py| {
            let out = Command::new(py)
                .args(["-c", "import PIL; print(PIL.__version__)"])
                .output()
                .ok()?;
            out.status
                .success()
                .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
        });
        let nona = on_path("nona");
        let mut missing = Vec::new();
        if nona.is_none() {
            missing.push("nona (Debian package hugin-tools) on PATH".to_string());
        }
        match (&python, &pillow) {
            (None, _) => missing.push("python3 (or $PYTHON)".into()),
            (Some(py), None) => missing.push(format!("Pillow for {}", py.display())),
            _ => {}
        }
        if !missing.is_empty() {
            return Err(format!(
                "install hugin-tools (apt) and pillow (pip); missing here: {}",
                missing.join(", ")
            ));
        }
        let nona = Command::new("nona")
            .arg("-h")
            .output()
            .ok()
            .and_then(|o| {
                let text = String::from_utf8_lossy(&o.stdout).to_string()
                    + &String::from_utf8_lossy(&o.stderr);
                text.lines()
                    .find(|l| l.contains("version"))
                    .map(|l| l.trim().to_string())
            })
            .unwrap_or_else(|| "nona".into());

        let script = tmp.join("generate.py");
        let npm = crate::root().join("web/node_modules/pannellum");
        let from_npm = npm.join("utils/multires/generate.py");
        let source = if from_npm.is_file() {
            std::fs::copy(&from_npm, &script).map_err(|e| format!("copying generate.py: {e}"))?;
            let version = std::fs::read_to_string(npm.join("VERSION")).unwrap_or_default();
            format!("web/node_modules/pannellum (npm, {})", version.trim())
        } else {
            let url = format!(
                "https://raw.githubusercontent.com/mpetroff/pannellum/{PANNELLUM_VERSION}/utils/multires/generate.py"
            );
            let got = Command::new("curl")
                .args(["-fsSL", "--max-time", "30", "-o"])
                .arg(&script)
                .arg(&url)
                .output();
            match got {
                Ok(o) if o.status.success() => url,
                Ok(o) => {
                    return Err(format!(
                        "generate.py is not in web/node_modules/pannellum (run npm ci in web/) and \
                         downloading {url} failed: {}",
                        String::from_utf8_lossy(&o.stderr).trim()
                    ))
                }
                Err(e) => {
                    return Err(format!(
                        "generate.py is not in web/node_modules/pannellum (run npm ci in web/) and \
                         curl could not run to download it: {e}"
                    ))
                }
            }
        };
        let shim = tmp.join("run-generate.py");
        std::fs::write(&shim, SHIM).map_err(|e| format!("writing the shim: {e}"))?;
        Ok(Pannellum {
            python: python.unwrap_or_default(),
            shim,
            script,
            source,
            pillow: pillow.unwrap_or_default(),
            nona,
        })
    }

    fn describe(&self) -> String {
        let py = Command::new(&self.python)
            .arg("--version")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default();
        format!(
            "Pannellum `utils/multires/generate.py` from {}, `-s {TILE_SIZE} -q {QUALITY}`, on {py}, \
             Pillow {}, {} (run through a shim that restores `Image.ANTIALIAS` and `distutils` where \
             newer Pillow and Python removed them)",
            self.source, self.pillow, self.nona
        )
    }

    fn run(&self, image: &Path, out: &Path, log: &Path) -> Result<Measured> {
        // generate.py refuses an existing output folder.
        if out.exists() {
            std::fs::remove_dir_all(out).with_context(|| format!("removing {}", out.display()))?;
        }
        measure(
            Command::new(&self.python)
                .arg(&self.shim)
                .arg(&self.script)
                .arg(image)
                .arg("-o")
                .arg(out)
                .args(["-s", &TILE_SIZE.to_string(), "-q", &QUALITY.to_string()])
                .current_dir(out.parent().unwrap_or(Path::new("."))),
            log,
        )
    }
}
