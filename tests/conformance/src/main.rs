//! `disan-conformance` (run by `cargo xtask conformance`, or
//! `cargo run -p disan-conformance --release -- [--model M]… [--side-by-side DIR]`): renders every
//! corpus model with its Render-Fidelity camera, scores it against every reference render with
//! the masked SSIM of this crate's library, writes
//! our renders to `docs/conformance/<Model>.png` and the table into `docs/conformance.md`
//! (between the `conformance:table` markers; the hand-written text around it is kept).
//!
//! The corpus is `$DISAN_CORPUS`, by default `<repo>/../shared/corpus`; without it the command
//! prints a notice and does nothing.

use anyhow::{anyhow, Context, Result};
use clap::Parser;
use disan_assets::RgbaImage;
use disan_conformance::{self as conf, Prepared, Scenario, GATE_WIDTH, REFERENCE_WIDTH};
use disan_render::GpuContext;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

const BEGIN: &str = "<!-- conformance:table:begin (written by `cargo xtask conformance`) -->";
const END: &str = "<!-- conformance:table:end -->";

/// Render every corpus model with its Render-Fidelity camera, score it against the reference
/// renders (masked SSIM) and write docs/conformance.md and docs/conformance/<Model>.png.
#[derive(Parser)]
#[command(name = "disan-conformance")]
struct Options {
    /// Also write our render and the composited references side by side into this folder.
    #[arg(long)]
    side_by_side: Option<PathBuf>,
    /// Only these models (prints the table; docs/ is left alone).
    #[arg(long = "model")]
    models: Vec<String>,
}

/// The workspace root (two levels above this crate).
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[derive(Clone, Copy)]
struct Score {
    rgb: f64,
    luma: f64,
}

struct Row {
    model: String,
    /// Renderer → our render against its reference, colour and luma SSIM (`None`: the
    /// reference is blank, left out).
    scores: BTreeMap<String, Option<Score>>,
    /// Best colour SSIM of the empty frame (no model) against the usable references.
    empty: Option<f64>,
    /// Reference against reference (colour SSIM): the lowest of each renderer's best match, and
    /// the mean of all pairs.
    spread: Option<(f64, f64)>,
    /// At the gate's 256 px: the best score and the best score without the model.
    gate: Option<(f64, f64)>,
    coverage: f64,
    colours: usize,
    png: String,
    notes: Vec<String>,
}

impl Row {
    fn usable(&self) -> impl Iterator<Item = Score> + '_ {
        self.scores.values().flatten().copied()
    }
    fn best(&self) -> Option<f64> {
        self.usable().map(|s| s.rgb).reduce(f64::max)
    }
    fn best_luma(&self) -> Option<f64> {
        self.usable().map(|s| s.luma).reduce(f64::max)
    }
    fn mean(&self) -> Option<f64> {
        let v: Vec<f64> = self.usable().map(|s| s.rgb).collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    }
}

/// The file name of our render of a model (no spaces).
fn png_name(model: &str) -> String {
    format!("{}.png", model.replace(' ', ""))
}

/// Writes an opaque render as a small RGB PNG (best compression) for the repo.
fn write_rgb_png(img: &RgbaImage, path: &Path) -> Result<()> {
    use image::ImageEncoder as _;
    let rgb: Vec<u8> = img
        .pixels
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let file =
        std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    image::codecs::png::PngEncoder::new_with_quality(
        std::io::BufWriter::new(file),
        image::codecs::png::CompressionType::Best,
        image::codecs::png::FilterType::Adaptive,
    )
    .write_image(&rgb, img.width, img.height, image::ExtendedColorType::Rgb8)
    .with_context(|| format!("cannot encode {}", path.display()))
}

/// Writes `images` in a grid, four to a row, our render first (for looking, not for the repo).
fn side_by_side(images: &[&RgbaImage], path: &Path) -> Result<()> {
    const COLUMNS: u32 = 4;
    let gap = 4;
    let cw = images.iter().map(|i| i.width).max().unwrap_or(1) + gap;
    let ch = images.iter().map(|i| i.height).max().unwrap_or(1) + gap;
    let rows = (images.len() as u32).div_ceil(COLUMNS).max(1);
    let columns = (images.len() as u32).clamp(1, COLUMNS);
    let mut out =
        image::RgbaImage::from_pixel(cw * columns, ch * rows, image::Rgba([255, 255, 255, 255]));
    for (k, img) in images.iter().enumerate() {
        let buf = image::RgbaImage::from_raw(img.width, img.height, img.pixels.clone())
            .ok_or_else(|| anyhow!("bad image buffer"))?;
        let (x, y) = (k as u32 % COLUMNS * cw, k as u32 / COLUMNS * ch);
        image::imageops::overlay(&mut out, &buf, x as i64, y as i64);
    }
    out.save(path)
        .with_context(|| format!("cannot write {}", path.display()))
}

fn run_one(ctx: &GpuContext, s: &Scenario, opts: &Options, out_dir: &Path) -> Result<Row> {
    let rendered = conf::render(ctx, s, REFERENCE_WIDTH)?;
    let png = png_name(&s.model);
    write_rgb_png(&rendered.image, &out_dir.join(&png))?;
    let mut notes = Vec::new();
    if rendered.undecodable > 0 {
        notes.push(format!(
            "{} image(s) could not be decoded (drawn white)",
            rendered.undecodable
        ));
    }
    let (ours, comparisons) = conf::compare(&rendered, s)?;
    let mut scores = BTreeMap::new();
    let mut empty: Option<f64> = None;
    for c in &comparisons {
        let score = match c.ours {
            Some(rgb) => {
                empty = Some(empty.map_or(c.empty, |b| b.max(c.empty)));
                Some(Score {
                    rgb,
                    luma: conf::score_luma(&ours, &c.reference)?,
                })
            }
            None => {
                notes.push(format!("the {} reference is blank (left out)", c.renderer));
                None
            }
        };
        scores.insert(c.renderer.clone(), score);
    }
    let usable: Vec<&Prepared> = comparisons
        .iter()
        .filter(|c| c.ours.is_some())
        .map(|c| &c.reference)
        .collect();
    let spread = if usable.len() >= 2 {
        let mut best_each = vec![f64::MIN; usable.len()];
        let (mut sum, mut n) = (0.0, 0);
        for i in 0..usable.len() {
            for j in i + 1..usable.len() {
                let v = conf::score(usable[i], usable[j])?;
                best_each[i] = best_each[i].max(v);
                best_each[j] = best_each[j].max(v);
                sum += v;
                n += 1;
            }
        }
        Some((
            best_each.into_iter().fold(f64::MAX, f64::min),
            sum / n as f64,
        ))
    } else {
        None
    };
    let small = conf::render(ctx, s, GATE_WIDTH)?;
    let gate = conf::summarize(&small, &conf::compare(&small, s)?.1)?;
    if let Some(dir) = &opts.side_by_side {
        std::fs::create_dir_all(dir)?;
        let mut all = vec![rendered.image.clone()];
        for r in &s.references {
            all.push(conf::composite(&conf::load_reference(&r.file)?, &rendered.background)?.0);
        }
        side_by_side(&all.iter().collect::<Vec<_>>(), &dir.join(&png))?;
    }
    Ok(Row {
        model: s.model.clone(),
        scores,
        empty,
        spread,
        gate: gate.best.zip(gate.empty),
        coverage: conf::coverage(&rendered.image, &rendered.background),
        colours: conf::distinct_colours(&rendered.image, &rendered.background),
        png,
        notes,
    })
}

fn table(rows: &[Row], adapter: &str, seconds: f64) -> String {
    let renderers: BTreeSet<&str> = rows
        .iter()
        .flat_map(|r| r.scores.keys().map(String::as_str))
        .collect();
    let mut t = String::new();
    let _ = writeln!(
        t,
        "Masked colour SSIM (mean of R, G, B) of our render against each reference: 1 = identical, \
         `·` = no reference from that renderer, `blank` = the reference is empty and left out. \
         *best luma* = the best SSIM on luma alone. *empty* = the best score of a frame without the \
         model, what a render that lost the model would get. *refs* = reference against reference: \
         the lowest of each renderer's best match / the mean of all pairs. *gate* = what the gate \
         test sees at 256 px wide: best / without the model. Rendered at 512 px wide with \
         {adapter} in {seconds:.0} s.\n"
    );
    let _ = write!(t, "| Model |");
    for r in &renderers {
        let _ = write!(t, " {r} |");
    }
    let _ = writeln!(
        t,
        " **best** | mean | best luma | empty | refs | gate | ours |"
    );
    let _ = write!(t, "|---|");
    for _ in &renderers {
        let _ = write!(t, "---:|");
    }
    let _ = writeln!(t, "---:|---:|---:|---:|---:|---:|---|");
    let f = |v: Option<f64>| v.map_or("·".to_string(), |v| format!("{v:.3}"));
    for row in rows {
        let _ = write!(t, "| {} |", row.model);
        for r in &renderers {
            let cell = match row.scores.get(*r) {
                None => "·".to_string(),
                Some(None) => "blank".to_string(),
                Some(Some(s)) => format!("{:.3}", s.rgb),
            };
            let _ = write!(t, " {cell} |");
        }
        let best = row
            .best()
            .map_or("no golden".to_string(), |v| format!("**{v:.3}**"));
        let spread = row.spread.map_or("·".to_string(), |(lo, mean)| {
            format!("{lo:.2} / {mean:.2}")
        });
        let gate = row
            .gate
            .map_or("·".to_string(), |(b, e)| format!("{b:.2} / {e:.2}"));
        let _ = writeln!(
            t,
            " {best} | {} | {} | {} | {spread} | {gate} | [{}](conformance/{}) |",
            f(row.mean()),
            f(row.best_luma()),
            f(row.empty),
            row.png,
            row.png
        );
    }
    let _ = writeln!(
        t,
        "\nCoverage (share of the frame where our render differs from the empty frame) and distinct \
         colours there (5 bits per channel):\n"
    );
    for row in rows {
        let mut line = format!(
            "- {}: {:.1} %, {} colours",
            row.model,
            row.coverage * 100.0,
            row.colours
        );
        for n in &row.notes {
            let _ = write!(line, "; {n}");
        }
        let _ = writeln!(t, "{line}");
    }
    t
}

const SKELETON: &str = "# Conformance against the Khronos reference renderers\n\n";

fn write_doc(path: &Path, table: &str) -> Result<()> {
    let old = std::fs::read_to_string(path).unwrap_or_else(|_| SKELETON.to_string());
    let block = format!("{BEGIN}\n{table}{END}");
    let new = match (old.find(BEGIN), old.find(END)) {
        (Some(a), Some(b)) if b > a => {
            format!("{}{block}{}", &old[..a], &old[b + END.len()..])
        }
        _ => format!("{old}\n{block}\n"),
    };
    std::fs::write(path, new).with_context(|| format!("cannot write {}", path.display()))
}

fn main() -> Result<()> {
    let opts = Options::parse();
    let corpus = match conf::corpus_dir() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("conformance: skipped: {e}");
            return Ok(());
        }
    };
    let started = Instant::now();
    let docs = root().join("docs");
    // Only the full run updates docs/; a run over a few models writes its renders elsewhere.
    let out_dir = if opts.models.is_empty() {
        docs.join("conformance")
    } else {
        std::env::temp_dir().join("disan-conformance")
    };
    std::fs::create_dir_all(&out_dir)?;
    let ctx = GpuContext::headless()?;
    let info = ctx.adapter.get_info();
    let adapter = format!("{} ({:?})", info.name, info.backend);
    eprintln!("conformance: corpus {}, GPU {adapter}", corpus.display());
    let mut rows = Vec::new();
    let mut failed = Vec::new();
    for s in conf::scenarios(&corpus)? {
        if !opts.models.is_empty() && !opts.models.contains(&s.model) {
            continue;
        }
        let t = Instant::now();
        match run_one(&ctx, &s, &opts, &out_dir) {
            Ok(row) => {
                eprintln!(
                    "{:32} best {}  ({:.1} s)",
                    row.model,
                    row.best().map_or("no golden".into(), |b| format!("{b:.3}")),
                    t.elapsed().as_secs_f64()
                );
                rows.push(row);
            }
            Err(e) => {
                eprintln!("{:32} FAILED: {e:#}", s.model);
                failed.push(format!("{}: {e:#}", s.model));
            }
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let mut t = table(&rows, &adapter, seconds);
    for f in &failed {
        let _ = writeln!(t, "- **failed** {f}");
    }
    if opts.models.is_empty() {
        write_doc(&docs.join("conformance.md"), &t)?;
        eprintln!("conformance: wrote docs/conformance.md and docs/conformance/ ({seconds:.0} s)");
    } else {
        println!("{t}");
        eprintln!("conformance: our renders are in {}", out_dir.display());
    }
    if !failed.is_empty() {
        anyhow::bail!("{} model(s) failed to render", failed.len());
    }
    Ok(())
}
