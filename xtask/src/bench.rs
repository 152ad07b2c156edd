//! `cargo xtask bench`: prints figures (it asserts nothing about speed) and writes them to `target/bench.md`.
//!
//! 1. Native (`bench/native.rs`): wall time of `disan render` processes per scene of the demo tour
//!    and the corpus panorama, against a baseline process rendering a tiny scene, with the
//!    read + decode part timed in-process by the viewer's own asset code.
//! 2. Browser (`bench/browser.rs`): `web/bench/bench.mjs` in headless Chromium, WebGPU and WebGL2:
//!    navigation → `ready`, frame rate while the view turns, frames drawn by an idle view.
//! 3. Peers (`bench/peers.rs`): the shared harness `peer-bench` on this `dist/`, with Pannellum,
//!    Photo Sphere Viewer, `<model-viewer>` and a raw-WebGL2 floor in the same run: the harness's
//!    `ready` and frame rates, and the ratios the targets are stated in.
//! 4. The gzip size of every file in `dist/` and of each engine package against its target.
//! 5. Tiler (`bench/tiler.rs`): `disan tile` throughput and peak RSS on a generated 16384×8192
//!    JPEG (and 32768×16384 with `DISAN_BENCH_BIG=1`), against Pannellum's generate.py.
//! 6. Tiled panorama (`bench/tiled.rs`): first frame and full sharpness of the 16384×8192
//!    panorama's tiles, natively and in headless Chromium, against Pannellum's `load`.
//! 7. Huge scan (`bench/scan.rs`): a generated 2M-triangle scan opened as it is and through its
//!    derivatives (`disan optimize` time and peak RSS, load to first and final frame natively and
//!    in Chromium, GPU memory), and Draco against meshopt decode time on wasm.
//!
//! The corpus (for `examplepano.jpg`) is `$DISAN_CORPUS`, by default `<repo>/../shared/corpus`.
//! `DISAN_BENCH_ONLY` / `DISAN_BENCH_SKIP` (comma-separated keys: native, browser, peers, sizes,
//! tiler, tiled, scan) choose the sections.

mod bigpano;
mod browser;
mod native;
mod peers;
mod scan;
mod tiled;
mod tiler;

use anyhow::{Context, Result};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Targets for the gzip size of what a page loads before its first frame (issue 23): the
/// panorama-only WebGPU engine (Photo Sphere Viewer with three.js weighs 165 KB), the one with
/// objects (`<model-viewer>`: 284 KB), the WebGL2 engine, and the decoders of compressed glTF.
const PANO_TARGET_BYTES: u64 = 200 * 1024;
const OBJECTS_TARGET_BYTES: u64 = 284 * 1024;
const WEBGL_TARGET_BYTES: u64 = 800 * 1024;
const DECODERS_TARGET_BYTES: u64 = 400 * 1024;
/// The Draco decoder alone (a Draco model downloads nothing else).
const DRACO_TARGET_BYTES: u64 = 150 * 1024;

/// The panorama of the corpus used for the large-image rows.
const CORPUS_PANO: &str = "panoramas/examplepano.jpg";

/// Keys of the sections, in order (for `DISAN_BENCH_ONLY` and `DISAN_BENCH_SKIP`).
const SECTION_KEYS: [&str; 7] = [
    "native", "browser", "peers", "sizes", "tiler", "tiled", "scan",
];

/// Whether the section `key` runs: listed in `DISAN_BENCH_ONLY` when that is set, and not
/// listed in `DISAN_BENCH_SKIP`.
fn selected(key: &str) -> bool {
    let list = |name: &str| {
        std::env::var(name).ok().map(|v| {
            v.split(',')
                .map(|k| k.trim().to_ascii_lowercase())
                .filter(|k| !k.is_empty())
                .collect::<Vec<_>>()
        })
    };
    list("DISAN_BENCH_ONLY").is_none_or(|only| only.iter().any(|k| k == key))
        && !list("DISAN_BENCH_SKIP").is_some_and(|skip| skip.iter().any(|k| k == key))
}

pub fn run() -> Result<()> {
    let root = crate::root();
    for var in ["DISAN_BENCH_ONLY", "DISAN_BENCH_SKIP"] {
        if let Ok(v) = std::env::var(var) {
            for k in v.split(',').map(str::trim).filter(|k| !k.is_empty()) {
                if !SECTION_KEYS.contains(&k.to_ascii_lowercase().as_str()) {
                    anyhow::bail!(
                        "{var}: unknown section {k:?} (sections: {})",
                        SECTION_KEYS.join(", ")
                    );
                }
            }
        }
    }
    // Before the report starts, so that the build's own output (sizes on stdout) is not inside it.
    let prepared =
        if selected("browser") || selected("tiled") || selected("peers") || selected("scan") {
            browser::prepare().map_err(|e| format!("{e:#}"))
        } else {
            Ok(())
        };
    // The generated panoramas of the tiler and tiled sections (a temporary folder).
    let inputs = bigpano::Inputs::new()?;
    let mut report = Report::default();
    report.line("# Disan benchmarks");
    report.line("");
    report.line(format!(
        "Figures only: nothing here is asserted. Machine: {} CPU(s), {} {}.",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::env::consts::OS,
        std::env::consts::ARCH
    ));

    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        let load: Vec<&str> = load.split_whitespace().take(3).collect();
        report.line(format!(
            "Load average at the start (1, 5, 15 min): {} (other work on the machine skews the figures).",
            load.join(", ")
        ));
    }

    let pano = corpus_pano();
    let pano = pano.as_deref();
    let sections: [(&str, Section); 7] = [
        (
            "Native: `disan render` to a first frame",
            Box::new(|r| native::run(r, pano)),
        ),
        (
            "Browser: headless Chromium",
            Box::new(|r| match &prepared {
                Ok(()) => browser::run(r, pano),
                Err(e) => anyhow::bail!("{e}"),
            }),
        ),
        (
            "Peers: the shared peer-bench harness, Disan beside Pannellum, Photo Sphere Viewer, <model-viewer> and the raw-WebGL2 floor",
            Box::new(|r| match &prepared {
                Ok(()) => peers::run(r, &root),
                Err(e) => anyhow::bail!("{e}"),
            }),
        ),
        ("Sizes of dist/", Box::new(sizes)),
        (
            "Tiler: `disan tile` throughput and memory, against Pannellum's generate.py",
            Box::new(|r| tiler::run(r, &inputs)),
        ),
        (
            "Tiled panorama: first frame and full sharpness",
            Box::new(|r| tiled::run(r, &inputs, &prepared, pano)),
        ),
        (
            "Huge scan: 2M triangles as they are and through derivatives",
            Box::new(|r| scan::run(r, &inputs, &prepared)),
        ),
    ];
    let mut failures = Vec::new();
    for ((title, section), key) in sections.into_iter().zip(SECTION_KEYS) {
        if !selected(key) {
            continue;
        }
        report.line("");
        report.line(format!("## {title}"));
        report.line("");
        if let Err(e) = section(&mut report) {
            report.line(format!("**This section failed:** {e:#}"));
            failures.push(title);
        }
    }

    let out = root.join("target/bench.md");
    std::fs::create_dir_all(root.join("target"))?;
    std::fs::write(&out, &report.md).with_context(|| format!("writing {}", out.display()))?;
    eprintln!("\nreport written to {}", out.display());
    if !failures.is_empty() {
        anyhow::bail!(
            "these parts of the benchmark failed: {}",
            failures.join("; ")
        );
    }
    Ok(())
}

type Section<'a> = Box<dyn FnOnce(&mut Report) -> Result<()> + 'a>;

/// `examplepano.jpg` of the corpus, or `None` (with a notice on stderr) when it is absent.
fn corpus_pano() -> Option<PathBuf> {
    let corpus = std::env::var_os("DISAN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::root().join("../shared/corpus"));
    let pano = corpus.join(CORPUS_PANO);
    if pano.is_file() {
        Some(pano)
    } else {
        eprintln!(
            "notice: {} not found (set DISAN_CORPUS to the corpus folder); the corpus panorama rows are skipped",
            pano.display()
        );
        None
    }
}

/// The report: markdown, printed as it grows and written to `target/bench.md` at the end.
#[derive(Default)]
pub struct Report {
    md: String,
}

impl Report {
    /// Appends (and prints) one line.
    pub fn line(&mut self, text: impl AsRef<str>) {
        println!("{}", text.as_ref());
        self.md.push_str(text.as_ref());
        self.md.push('\n');
    }

    /// Appends (and prints) text that already ends its lines.
    pub fn text(&mut self, text: &str) {
        print!("{text}");
        self.md.push_str(text);
        if !text.is_empty() && !text.ends_with('\n') {
            println!();
            self.md.push('\n');
        }
    }

    /// A markdown table, columns padded so that it also reads well in a terminal. Columns
    /// whose header starts with `>` are right-aligned.
    pub fn table(&mut self, head: &[&str], rows: &[Vec<String>]) {
        let right: Vec<bool> = head.iter().map(|h| h.starts_with('>')).collect();
        let head: Vec<&str> = head.iter().map(|h| h.trim_start_matches('>')).collect();
        let width = |s: &str| s.chars().count();
        let mut widths: Vec<usize> = head.iter().map(|h| width(h).max(3)).collect();
        for row in rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(width(cell));
            }
        }
        let fmt_row = |cells: &[&str]| {
            let mut line = String::from("|");
            for (i, w) in widths.iter().enumerate() {
                let cell = cells.get(i).copied().unwrap_or("");
                let pad = " ".repeat(w - width(cell));
                if right[i] {
                    let _ = write!(line, " {pad}{cell} |");
                } else {
                    let _ = write!(line, " {cell}{pad} |");
                }
            }
            line
        };
        self.line(fmt_row(&head));
        let rule: Vec<String> = widths
            .iter()
            .zip(&right)
            .map(|(w, r)| {
                if *r {
                    format!("{}:", "-".repeat(w - 1))
                } else {
                    "-".repeat(*w)
                }
            })
            .collect();
        self.line(fmt_row(
            &rule.iter().map(String::as_str).collect::<Vec<_>>(),
        ));
        for row in rows {
            self.line(fmt_row(&row.iter().map(String::as_str).collect::<Vec<_>>()));
        }
    }
}

/// Milliseconds with one decimal below 100 ms, none above.
pub fn ms(d: Duration) -> String {
    let v = d.as_secs_f64() * 1000.0;
    if v.abs() < 100.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.0}")
    }
}

/// Bytes as KB (1024) or MB.
pub fn size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.2} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    }
}

/// A directory removed (with everything in it) when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// Creates `path` afresh.
    pub fn create(path: PathBuf) -> Result<TempDir> {
        if path.exists() {
            std::fs::remove_dir_all(&path)
                .with_context(|| format!("removing {}", path.display()))?;
        }
        std::fs::create_dir_all(&path).with_context(|| format!("creating {}", path.display()))?;
        Ok(TempDir(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A one-panorama tour in `dir`: `tour.json` naming `image` (relative to `dir`), scene `id`.
/// Corpus models measured as object scenes: (scene id, folder under corpus gltf/, file).
pub const BENCH_MODELS: [(&str, &str, &str); 3] = [
    (
        "damaged-helmet",
        "DamagedHelmet/glTF-Binary",
        "DamagedHelmet.glb",
    ),
    ("toy-car", "ToyCar/glTF", "ToyCar.gltf"),
    (
        "iridescence-abalone",
        "IridescenceAbalone/glTF",
        "IridescenceAbalone.gltf",
    ),
];

/// Writes into `dir` a tour of the corpus material that is measured: the 4096×2048 panorama and
/// the three models (copied, with their external files). Returns (scene id, asset path, is a model).
pub fn write_corpus_tour(dir: &Path, pano: &Path) -> Result<Vec<(String, String, bool)>> {
    let corpus = pano
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| anyhow::anyhow!("bad corpus path"))?;
    std::fs::copy(pano, dir.join("examplepano.jpg"))
        .with_context(|| format!("copying {}", pano.display()))?;
    let mut scenes = vec![
        serde_json::json!({"id": "examplepano", "kind": "panorama", "title": "examplepano.jpg", "image": "examplepano.jpg"}),
    ];
    let mut out = vec![(
        "examplepano".to_string(),
        "examplepano.jpg".to_string(),
        false,
    )];
    for (id, folder, file) in BENCH_MODELS {
        let from = corpus.join("gltf").join(folder);
        if !from.join(file).is_file() {
            eprintln!(
                "notice: {} not found; its rows are skipped",
                from.join(file).display()
            );
            continue;
        }
        let to = dir.join(id);
        crate::web::copy_dir(&from, &to)?;
        scenes.push(serde_json::json!({"id": id, "kind": "object", "title": file, "model": format!("{id}/{file}")}));
        out.push((id.to_string(), format!("{id}/{file}"), true));
    }
    let tour = serde_json::json!({"format": "disan-tour", "version": 1, "title": "bench: corpus", "scenes": scenes});
    std::fs::write(dir.join("tour.json"), serde_json::to_string_pretty(&tour)?)?;
    Ok(out)
}

pub fn write_pano_tour(dir: &Path, id: &str, image: &str) -> Result<()> {
    let tour = serde_json::json!({
        "format": "disan-tour",
        "version": 1,
        "title": format!("bench: {image}"),
        "scenes": [{"id": id, "kind": "panorama", "title": image, "image": image}]
    });
    std::fs::write(dir.join("tour.json"), serde_json::to_string_pretty(&tour)?)?;
    Ok(())
}

/// Section 3: the gzip size of every file in `dist/`, and the bundles.
fn sizes(report: &mut Report) -> Result<()> {
    let dist = crate::root().join("dist");
    if !dist.join("pkg").is_dir() {
        anyhow::bail!("{} has no pkg/; run `cargo xtask web`", dist.display());
    }
    let mut rows = Vec::new();
    let (mut raw_total, mut gz_total) = (0, 0);
    for rel in crate::web::files_under(&dist)? {
        // Test inputs generated into dist/ (the 16K/32K panoramas, the 8192×4096 one): not the site.
        if crate::web::generated_test_input(&rel) {
            continue;
        }
        let path = dist.join(&rel);
        let raw = std::fs::metadata(&path)?.len();
        let gz = crate::web::gzip_size(&path)?;
        raw_total += raw;
        gz_total += gz;
        let name = rel.to_string_lossy().replace('\\', "/");
        rows.push(vec![name, size(raw), size(gz)]);
    }
    rows.push(vec!["**total**".into(), size(raw_total), size(gz_total)]);
    report.table(&["file", ">raw", ">gzip -9"], &rows);

    // What a page fetches before its first frame: the panorama-only engine for tours without
    // objects, the full one for tours with them (docs/web-engine-api.md).
    report.line("");
    let verdict = |bytes: u64, target: u64| {
        if bytes <= target {
            format!("; target ≤ {}: met", size(target))
        } else {
            format!(
                "; target ≤ {}: **over by {}**",
                size(target),
                size(bytes - target)
            )
        }
    };
    for (name, what, target) in [
        (
            "disan_webgpu_pano",
            "WebGPU, panorama tours",
            PANO_TARGET_BYTES,
        ),
        (
            "disan_webgpu",
            "WebGPU, tours with objects",
            OBJECTS_TARGET_BYTES,
        ),
        (
            "disan_webgl_pano",
            "WebGL2, panorama tours",
            WEBGL_TARGET_BYTES,
        ),
        (
            "disan_webgl",
            "WebGL2, tours with objects",
            WEBGL_TARGET_BYTES,
        ),
    ] {
        let bytes = crate::web::bundle_gzip(&dist, name)?;
        report.line(format!(
            "- {what}: disan.js + pkg/{name}.js + pkg/{name}_bg.wasm = **{}** gzip{}",
            size(bytes),
            verdict(bytes, target)
        ));
    }
    // The decoders: one module a codec, and one with all three for a model that uses several,
    // fetched after the engine when a model needs them.
    for (codecs, name) in crate::web::DECODERS {
        let bytes = crate::web::gzip_size(&dist.join(format!("pkg/{name}.js")))?
            + crate::web::gzip_size(&dist.join(format!("pkg/{name}_bg.wasm")))?;
        let (what, target) = match codecs {
            "draco" => ("the Draco decoder", verdict(bytes, DRACO_TARGET_BYTES)),
            "meshopt" => ("the meshopt decoder", String::new()),
            "ktx2" => ("the KTX2 transcoder", String::new()),
            _ => (
                "the whole decoder set (a model with several codecs)",
                verdict(bytes, DECODERS_TARGET_BYTES),
            ),
        };
        report.line(format!(
            "- {what}, fetched only for a model that needs it: pkg/{name}.js + pkg/{name}_bg.wasm = **{}** gzip{target}",
            size(bytes)
        ));
    }
    Ok(())
}
