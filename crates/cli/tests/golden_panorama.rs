//! Panorama sources on the GPU (lavapipe in CI), with inputs generated here into a temporary
//! folder (`target/tmp/golden_panorama/<test>/`, kept for inspection, renders under `renders/`)
//! from one synthetic pattern known in every direction:
//!
//! - a partial equirectangular image (4094×1949, the full circle cropped top and bottom) equals
//!   the same pattern as a full 2:1 image with the fill outside, at the horizon and straight up,
//!   where its uncovered cap shows the neutral fill and is never stretched; without `coverage`
//!   the viewer infers the same from the aspect;
//! - a whole 4096×2048 equirectangular image shows no seam where yaw wraps at ±180°, no pinch at
//!   either pole, and the pattern's full detail when the view rests (a 256×128 copy is caught);
//! - six cube faces made with the tiler's face convention (`disan_tiler::direction`) render as
//!   the equirectangular image does, looking at each face, straight up and down;
//! - a tile pyramid made by `disan_tiler` renders as the equirectangular image does at a tile
//!   corner, a face edge and a cube corner, with no step across the tile and face boundaries;
//!   and every pixel comes from the level the view needs
//!   ([`tiled_views_are_drawn_from_the_level_they_need`]).
//!
//! Each check is also run on a deliberately broken input (a stretched cap, swapped and turned
//! faces, a wrong tile, a missing tile) and must fail there. A few renders are kept as golden
//! images in tests/golden/ (`pano-*.png`), compared like golden.rs does;
//! `DISAN_UPDATE_GOLDEN=1` rewrites them. Every measured number is printed (`--nocapture`).
#![cfg(not(target_arch = "wasm32"))]

use anyhow::{anyhow, bail, Context, Result};
use disan_assets::RgbaImage;
use disan_render::GpuContext;
use disan_tour::camera::{yaw_pitch_from_direction, PanoCamera, Projection};
use disan_tour::model::{TileSource, View};
use disan_tour::tiles::{face_direction, face_point, pixels_per_radian, Pyramid};
use disan_viewer::native::{self, RenderOptions, TourSource};
use glam::{Vec2, Vec3};
use std::fmt;
use std::path::{Path, PathBuf};

const W: u32 = 256;
const H: u32 = 192;

/// The neutral fill where a panorama has no picture: linear 0.03, sRGB 48.
const FILL: u8 = 48;

/// Vertical angle of view of a 4094×1949 full-circle panorama with square pixels.
const PARTIAL_VAOV: f64 = 171.38;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fresh folder for the generated inputs and the renders of one test.
fn work_dir(test: &str) -> Result<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("golden_panorama")
        .join(test);
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(dir.join("renders"))?;
    Ok(dir)
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

// ---------------------------------------------------------------------------------------------
// The pattern.

fn smoothstep(e0: f64, e1: f64, x: f64) -> f64 {
    let t = ((x - e0) / (e1 - e0)).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

/// Quadrant tints: yaw -180..-90 blue, -90..0 green, 0..90 red, 90..180 yellow.
const TINTS: [[f64; 3]; 4] = [
    [0.15, 0.35, 1.0],
    [0.2, 0.9, 0.25],
    [1.0, 0.25, 0.2],
    [1.0, 0.85, 0.1],
];

/// The sRGB colour of the test pattern in the direction (yaw, pitch), degrees (yaw 0 = image
/// centre, positive to the right; pitch positive up).
///
/// A base colour that is the direction itself (so every direction has its own colour and any
/// turned or swapped face shows), tinted per quadrant and shaded along each 30° cell of yaw,
/// with dark meridians every 30° of yaw and white parallels at 0 and ±30°. Above 50° of pitch
/// the tint and the shading fade out, then the meridians (58–66°): around the poles, where an
/// equirectangular image is drawn from coarse mip levels (blurred), the pattern is smooth. The
/// tint and shading jumps always lie under a meridian.
fn pattern(yaw: f64, pitch: f64) -> [u8; 3] {
    let yaw = (yaw + 180.0).rem_euclid(360.0) - 180.0;
    let (y, p) = (yaw.to_radians(), pitch.to_radians());
    let dir = [y.sin() * p.cos(), p.sin(), y.cos() * p.cos()];
    let mut c = dir.map(|d| 0.35 + 0.3 * d);
    let w = 1.0 - smoothstep(50.0, 58.0, pitch.abs());
    let q = (((yaw + 180.0) / 90.0).floor() as usize).min(3);
    let shade = 0.75 + 0.25 * ((yaw + 180.0) / 30.0).fract();
    for k in 0..3 {
        let tinted = (0.45 * c[k] + 0.55 * TINTS[q][k]) * shade;
        c[k] += w * (tinted - c[k]);
    }
    // Meridians: angular distance to the nearest multiple of 30° of yaw.
    let dy = (yaw - 30.0 * (yaw / 30.0).round()).to_radians();
    let dm = (dy.sin().abs() * p.cos()).asin().to_degrees();
    let am = (1.0 - smoothstep(0.8, 2.4, dm)) * (1.0 - smoothstep(58.0, 66.0, pitch.abs()));
    // Parallels at 0 and ±30°.
    let np = 30.0 * (pitch / 30.0).round();
    let ap = if np.abs() <= 30.0 {
        1.0 - smoothstep(0.8, 2.4, (pitch - np).abs())
    } else {
        0.0
    };
    for v in &mut c {
        *v += am * (0.06 - *v);
        *v += ap * (0.95 - *v);
    }
    c.map(|v| (v.clamp(0.0, 1.0) * 255.0).round() as u8)
}

/// An RGB8 image of `w` × `h` whose pixel (x, y) is `f(x, y)`, on all cores.
fn generate(w: u32, h: u32, f: impl Fn(u32, u32) -> [u8; 3] + Sync) -> Vec<u8> {
    let mut out = vec![0u8; (w * h * 3) as usize];
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let rows = (h as usize).div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        for (i, chunk) in out.chunks_mut(rows * w as usize * 3).enumerate() {
            let f = &f;
            scope.spawn(move || {
                for (j, row) in chunk.chunks_exact_mut(w as usize * 3).enumerate() {
                    let y = (i * rows + j) as u32;
                    for (x, px) in row.chunks_exact_mut(3).enumerate() {
                        px.copy_from_slice(&f(x as u32, y));
                    }
                }
            });
        }
    });
    out
}

/// The pattern as a `w` × `h` equirectangular image spanning the full circle and `vaov`
/// degrees of pitch around the horizon; rows whose centre lies beyond `±fill_beyond` degrees
/// of pitch are the neutral fill.
fn equirect(w: u32, h: u32, vaov: f64, fill_beyond: Option<f64>) -> Vec<u8> {
    generate(w, h, |x, y| {
        let yaw = -180.0 + (x as f64 + 0.5) * 360.0 / w as f64;
        let pitch = vaov / 2.0 - (y as f64 + 0.5) * vaov / h as f64;
        match fill_beyond {
            Some(limit) if pitch.abs() > limit => [FILL; 3],
            _ => pattern(yaw, pitch),
        }
    })
}

/// Cube face `face` (front, right, back, left, up, down) of the pattern at `n` × `n`, laid out
/// as the tiler lays its faces out (`disan_tiler::direction`: x right, y up, z forward).
fn cube_face(face: usize, n: u32) -> Vec<u8> {
    generate(n, n, |a, b| {
        let s = 2.0 * (a as f64 + 0.5) / n as f64 - 1.0;
        let t = 2.0 * (b as f64 + 0.5) / n as f64 - 1.0;
        let (x, y, z) = disan_tiler::direction(face, s, t);
        pattern(x.atan2(z).to_degrees(), y.atan2(x.hypot(z)).to_degrees())
    })
}

/// `rgb` (n × n) turned a quarter clockwise.
fn turn(rgb: &[u8], n: u32) -> Vec<u8> {
    let n = n as usize;
    let mut out = vec![0u8; rgb.len()];
    for y in 0..n {
        for x in 0..n {
            let (sx, sy) = (y, n - 1 - x);
            out[(y * n + x) * 3..][..3].copy_from_slice(&rgb[(sy * n + sx) * 3..][..3]);
        }
    }
    out
}

fn png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>> {
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    use image::ImageEncoder;
    let mut out = Vec::new();
    PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Sub).write_image(
        rgb,
        w,
        h,
        image::ExtendedColorType::Rgb8,
    )?;
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Views and renders.

fn view(yaw: f32, pitch: f32, fov: f32) -> View {
    View {
        yaw,
        pitch,
        fov: Some(fov),
        distance: None,
        target: None,
    }
}

/// The camera a render of `v` uses (the visit builds the same one).
fn projection(v: View) -> Projection {
    PanoCamera::new(v.yaw, v.pitch, v.fov.unwrap_or(75.0), None).projection(W as f32, H as f32)
}

/// (yaw, pitch) in degrees of the ray through the centre of pixel (x, y).
fn pixel_direction(proj: &Projection, x: u32, y: u32) -> (f64, f64) {
    let d = proj.ray(Vec2::new(x as f32 + 0.5, y as f32 + 0.5)).dir;
    let (yaw, pitch) = yaw_pitch_from_direction(d);
    (yaw as f64, pitch as f64)
}

/// What a perfect render of `v` shows: the pattern at each pixel centre's direction, the fill
/// beyond `±fill_beyond` degrees of pitch.
fn expected(v: View, fill_beyond: Option<f64>) -> RgbaImage {
    let proj = projection(v);
    let rgb = generate(W, H, |x, y| {
        let (yaw, pitch) = pixel_direction(&proj, x, y);
        match fill_beyond {
            Some(limit) if pitch.abs() > limit => [FILL; 3],
            _ => pattern(yaw, pitch),
        }
    });
    rgba(&rgb, W, H)
}

fn rgba(rgb: &[u8], w: u32, h: u32) -> RgbaImage {
    RgbaImage {
        width: w,
        height: h,
        pixels: rgb
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
    }
}

/// Renders `scene` of the tour in `dir` at `v` and keeps the render as `renders/<name>.png`.
fn render(ctx: &GpuContext, dir: &Path, scene: &str, v: View, name: &str) -> Result<RgbaImage> {
    let src = TourSource::locate(dir);
    let tour = native::load_tour(&src)?;
    let img = native::render_tour(
        ctx,
        &src,
        tour,
        &RenderOptions {
            scene: Some(scene.into()),
            view: Some(v),
            width: W,
            height: H,
            hide_markers: true,
            inspection: Default::default(),
        },
    )
    .with_context(|| format!("rendering {scene} at {v:?}"))?;
    native::write_png(&img, &dir.join("renders").join(format!("{name}.png")))?;
    Ok(img)
}

fn pixel(img: &RgbaImage, x: u32, y: u32) -> [u8; 3] {
    let i = ((y * img.width + x) * 4) as usize;
    [img.pixels[i], img.pixels[i + 1], img.pixels[i + 2]]
}

fn step(a: [u8; 3], b: [u8; 3]) -> f64 {
    (0..3)
        .map(|c| (a[c] as i32 - b[c] as i32).unsigned_abs())
        .max()
        .unwrap_or(0) as f64
}

// ---------------------------------------------------------------------------------------------
// Measures.

/// How two images differ over the pixels a mask keeps.
#[derive(Debug, Clone, Copy)]
struct Stats {
    /// Mean absolute difference of the worst channel (0..255).
    mean: f64,
    /// 99th percentile of the per-pixel difference (largest channel).
    p99: f64,
    /// Largest mean per-pixel difference over 16×16 blocks (a wrong tile or a seam shows here).
    block: f64,
    /// Pixels compared.
    count: usize,
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "mean {:.2}, p99 {:.0}, worst 16×16 block {:.1} ({} px)",
            self.mean, self.p99, self.block, self.count
        )
    }
}

/// Limits on [`Stats`].
#[derive(Debug, Clone, Copy)]
struct Limits {
    mean: f64,
    p99: f64,
    block: f64,
}

impl Stats {
    fn within(&self, l: Limits) -> bool {
        self.count > 0 && self.mean <= l.mean && self.p99 <= l.p99 && self.block <= l.block
    }
}

fn stats(a: &RgbaImage, b: &RgbaImage, keep: impl Fn(u32, u32) -> bool) -> Stats {
    assert_eq!((a.width, a.height), (b.width, b.height));
    let (w, h) = (a.width, a.height);
    let mut sums = [0u64; 3];
    let mut diffs = Vec::new();
    let bw = w.div_ceil(16) as usize;
    let mut blocks = vec![(0.0f64, 0usize); bw * h.div_ceil(16) as usize];
    for y in 0..h {
        for x in 0..w {
            if !keep(x, y) {
                continue;
            }
            let (pa, pb) = (pixel(a, x, y), pixel(b, x, y));
            for c in 0..3 {
                sums[c] += (pa[c] as i32 - pb[c] as i32).unsigned_abs() as u64;
            }
            let d = step(pa, pb);
            diffs.push(d);
            let blk = &mut blocks[(y / 16) as usize * bw + (x / 16) as usize];
            blk.0 += d;
            blk.1 += 1;
        }
    }
    let count = diffs.len();
    if count == 0 {
        return Stats {
            mean: 0.0,
            p99: 0.0,
            block: 0.0,
            count,
        };
    }
    diffs.sort_by(f64::total_cmp);
    let block = blocks
        .iter()
        .filter(|(_, n)| *n >= 64)
        .map(|(s, n)| s / *n as f64)
        .fold(0.0, f64::max);
    Stats {
        mean: sums
            .iter()
            .map(|&s| s as f64 / count as f64)
            .fold(0.0, f64::max),
        p99: diffs[(count * 99 / 100).min(count - 1)],
        block,
        count,
    }
}

fn all(_: u32, _: u32) -> bool {
    true
}

/// Steps across a boundary that projects to the straight screen line through `a` and `b`
/// (pixels), over that segment: for each row (or column, for a flat line) the step between the
/// two pixels on either side of the line, and the mean of the steps between the pixel pairs two
/// pixels to either side. Returns (mean across, mean beside, largest across, pairs measured).
fn seam_steps(img: &RgbaImage, a: Vec2, b: Vec2) -> (f64, f64, f64, usize) {
    let vertical = (b.y - a.y).abs() >= (b.x - a.x).abs();
    // Work in (along, across) coordinates: rows for a steep line, columns for a flat one.
    let (a, b) = if vertical {
        (a, b)
    } else {
        (Vec2::new(a.y, a.x), Vec2::new(b.y, b.x))
    };
    let (along_len, across_len) = if vertical {
        (img.height, img.width)
    } else {
        (img.width, img.height)
    };
    let get = |along: u32, across: i64| -> Option<[u8; 3]> {
        if across < 0 || across >= across_len as i64 {
            return None;
        }
        let across = across as u32;
        Some(if vertical {
            pixel(img, across, along)
        } else {
            pixel(img, along, across)
        })
    };
    let (lo, hi) = (a.y.min(b.y).max(0.0), a.y.max(b.y).min(along_len as f32));
    let (mut across_sum, mut beside_sum, mut worst, mut n) = (0.0, 0.0, 0.0f64, 0usize);
    for r in lo.ceil() as u32..hi.floor() as u32 {
        let t = (r as f32 + 0.5 - a.y) / (b.y - a.y);
        let c = a.x + t * (b.x - a.x);
        // The pixels whose centres straddle the line.
        let left = (c - 0.5).floor() as i64;
        let (Some(l0), Some(l1), Some(l2), Some(r0), Some(r1), Some(r2)) = (
            get(r, left - 3),
            get(r, left - 2),
            get(r, left),
            get(r, left + 1),
            get(r, left + 3),
            get(r, left + 4),
        ) else {
            continue;
        };
        let across = step(l2, r0);
        across_sum += across;
        beside_sum += (step(l0, l1) + step(r1, r2)) / 2.0;
        worst = worst.max(across);
        n += 1;
    }
    let k = n.max(1) as f64;
    (across_sum / k, beside_sum / k, worst, n)
}

/// The screen segment of the boundary through the world directions `from` and `to`, both in
/// view (pixels); `None` if one is behind the camera.
fn segment(proj: &Projection, from: Vec3, to: Vec3) -> Option<(Vec2, Vec2)> {
    Some((proj.project_direction(from)?, proj.project_direction(to)?))
}

// ---------------------------------------------------------------------------------------------
// Golden images.

/// Compares `img` with tests/golden/<name>.png as golden.rs does (at most 1 % of pixels off by
/// more than 24, mean difference at most 3); writes `<name>.actual.png` and `<name>.diff.png`
/// beside it on failure. Writes the reference when `DISAN_UPDATE_GOLDEN` is set or it is missing
/// (a missing one is an error: look at it and commit it).
fn check_golden(name: &str, img: &RgbaImage) -> Result<()> {
    let golden = root().join("tests/golden").join(format!("{name}.png"));
    disan_testkit::check_golden(&golden, name, img.width, img.height, &img.pixels, |c| {
        println!(
            "golden {name}: {:.2}% of pixels differ, mean {:.2}",
            c.bad * 100.0,
            c.mean
        )
    })
    .map_err(|e| anyhow!(e))
}

/// Collects failed checks so that one run reports (and prints) every number.
#[derive(Default)]
struct Report(Vec<String>);

impl Report {
    /// Prints `what: stats` and records a failure unless `stats` is within `limits`.
    fn expect(&mut self, what: &str, s: Stats, l: Limits) {
        let ok = s.within(l);
        println!(
            "{} {what}: {s} (limits mean {}, p99 {}, block {})",
            if ok { "ok  " } else { "FAIL" },
            l.mean,
            l.p99,
            l.block
        );
        if !ok {
            self.0.push(format!("{what}: {s} exceeds {l:?}"));
        }
    }

    /// Prints `what: stats` and records a failure if `stats` is within `limits`: the broken
    /// input must be caught by the same limits.
    fn expect_caught(&mut self, what: &str, s: Stats, l: Limits) {
        let caught = !s.within(l);
        println!(
            "{} {what} (broken on purpose): {s}",
            if caught { "ok  " } else { "FAIL" }
        );
        if !caught {
            self.0.push(format!(
                "{what}: a broken input passed the limits {l:?} ({s})"
            ));
        }
    }

    fn check(&mut self, what: &str, ok: bool, detail: String) {
        println!("{} {what}: {detail}", if ok { "ok  " } else { "FAIL" });
        if !ok {
            self.0.push(format!("{what}: {detail}"));
        }
    }

    fn golden(&mut self, name: &str, img: &RgbaImage) {
        if let Err(e) = check_golden(name, img) {
            println!("FAIL golden {name}: {e}");
            self.0.push(e.to_string());
        }
    }

    fn finish(self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(anyhow!("{}", self.0.join("\n")))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 1. A partial panorama.

/// Same render as a reference: only sampling differences.
const SAME: Limits = Limits {
    mean: 1.5,
    p99: 16.0,
    block: 8.0,
};

/// A render against the analytic pattern (filtering and rasterising differ slightly).
const PATTERN: Limits = Limits {
    mean: 3.0,
    p99: 30.0,
    block: 14.0,
};

/// The fill checks of a view straight up at a partial panorama covering ±`half_vaov`: pixels
/// whose direction is more than 0.6° inside the cap must be the fill ±3; returns (pixels
/// checked, pixels off by more than 3, worst difference).
fn cap_is_fill(img: &RgbaImage, v: View, half_vaov: f64) -> (usize, usize, f64) {
    let proj = projection(v);
    let (mut n, mut off, mut worst) = (0, 0, 0.0f64);
    for y in 0..H {
        for x in 0..W {
            let (_, pitch) = pixel_direction(&proj, x, y);
            if pitch > half_vaov + 0.6 {
                let d = step(pixel(img, x, y), [FILL; 3]);
                n += 1;
                worst = worst.max(d);
                if d > 3.0 {
                    off += 1;
                }
            }
        }
    }
    (n, off, worst)
}

#[test]
fn partial_panorama_keeps_its_band_and_a_neutral_cap() -> Result<()> {
    let ctx = GpuContext::headless()?;
    let dir = work_dir("partial")?;
    let half = PARTIAL_VAOV / 2.0;
    let (pw, ph) = (4094, 1949);
    write(
        &dir.join("partial.png"),
        &png(&equirect(pw, ph, PARTIAL_VAOV, None), pw, ph)?,
    )?;
    write(
        &dir.join("full.png"),
        &png(&equirect(4096, 2048, 180.0, Some(half)), 4096, 2048)?,
    )?;
    let tour = serde_json::json!({
        "version": 1,
        "scenes": [
            {"id": "partial", "kind": "panorama", "image": "partial.png",
             "coverage": {"haov": 360.0, "vaov": PARTIAL_VAOV}},
            {"id": "inferred", "kind": "panorama", "image": "partial.png"},
            {"id": "full", "kind": "panorama", "image": "full.png"},
            // Broken on purpose: the band stretched over the whole sphere.
            {"id": "stretched", "kind": "panorama", "image": "partial.png",
             "coverage": {"haov": 360.0, "vaov": 180.0}}
        ]
    });
    write(&dir.join("tour.json"), tour.to_string().as_bytes())?;
    let mut report = Report::default();

    // (a) The horizon, across the green/red quadrant boundary at yaw 0.
    let horizon = view(15.0, 0.0, 90.0);
    let partial = render(&ctx, &dir, "partial", horizon, "partial-horizon")?;
    let full = render(&ctx, &dir, "full", horizon, "full-horizon")?;
    let inferred = render(&ctx, &dir, "inferred", horizon, "inferred-horizon")?;
    let truth = expected(horizon, Some(half));
    report.expect(
        "partial vs full 2:1 image, horizon",
        stats(&partial, &full, all),
        SAME,
    );
    report.expect(
        "partial vs pattern, horizon",
        stats(&partial, &truth, all),
        PATTERN,
    );
    report.expect(
        "inferred coverage vs explicit, horizon",
        stats(&inferred, &partial, all),
        SAME,
    );
    let stretched = render(&ctx, &dir, "stretched", horizon, "stretched-horizon")?;
    report.expect_caught(
        "stretched vs full 2:1 image, horizon",
        stats(&stretched, &full, all),
        SAME,
    );

    // (b) Straight up: the cap beyond 85.69° is the fill, the ring keeps the pattern.
    let up = view(0.0, 90.0, 60.0);
    let partial_up = render(&ctx, &dir, "partial", up, "partial-up")?;
    let full_up = render(&ctx, &dir, "full", up, "full-up")?;
    let inferred_up = render(&ctx, &dir, "inferred", up, "inferred-up")?;
    let (n, off, worst) = cap_is_fill(&partial_up, up, half);
    report.check(
        "partial, up: the cap is the fill ±3",
        n > 200 && off == 0,
        format!("{n} cap pixels, {off} off, worst difference {worst}"),
    );
    let (n, off, worst) = cap_is_fill(&inferred_up, up, half);
    report.check(
        "inferred, up: the cap is the fill ±3",
        n > 200 && off == 0,
        format!("{n} cap pixels, {off} off, worst difference {worst}"),
    );
    let centre = pixel(&partial_up, W / 2, H / 2);
    report.check(
        "partial, up: the view centre is the fill",
        step(centre, [FILL; 3]) <= 3.0,
        format!("centre pixel {centre:?}"),
    );
    let proj = projection(up);
    let ring = |x: u32, y: u32| pixel_direction(&proj, x, y).1 < half - 0.6;
    let truth_up = expected(up, Some(half));
    report.expect(
        "partial vs pattern, up, covered ring",
        stats(&partial_up, &truth_up, ring),
        PATTERN,
    );
    // The full image's fill rows are sampled from its coarsest mip levels near the pole (a
    // blurred smudge, not a disc): compare below 80° only.
    let below_80 = |x: u32, y: u32| pixel_direction(&proj, x, y).1 < 80.0;
    report.expect(
        "partial vs full 2:1 image, up, below 80°",
        stats(&partial_up, &full_up, below_80),
        SAME,
    );
    report.expect(
        "inferred coverage vs explicit, up",
        stats(&inferred_up, &partial_up, all),
        SAME,
    );
    let stretched_up = render(&ctx, &dir, "stretched", up, "stretched-up")?;
    let (n, off, worst) = cap_is_fill(&stretched_up, up, half);
    report.check(
        "stretched, up (broken on purpose): the cap check catches it",
        off > n / 2,
        format!("{n} cap pixels, {off} off, worst difference {worst}"),
    );

    report.golden("pano-partial-horizon", &partial);
    report.golden("pano-partial-up", &partial_up);
    report.finish()
}

// ---------------------------------------------------------------------------------------------
// 1b. A whole equirectangular image: the seam, the poles, sharpness.

/// The detail an image shows: the mean of the largest 2 % of the steps between neighbours
/// (the pattern's lines; blur flattens them).
fn detail(img: &RgbaImage) -> f64 {
    let mut steps = Vec::new();
    for y in 1..img.height {
        for x in 1..img.width {
            let p = pixel(img, x, y);
            steps.push(step(pixel(img, x - 1, y), p));
            steps.push(step(pixel(img, x, y - 1), p));
        }
    }
    steps.sort_by(|a, b| b.total_cmp(a));
    let top = &steps[..(steps.len() / 50).max(1)];
    top.iter().sum::<f64>() / top.len() as f64
}

/// The columns on a dark meridian against the analytic pattern (point-sampled there, filtered
/// in the render: a line's edges differ most).
const WRAP: Limits = Limits {
    mean: 6.0,
    p99: 40.0,
    block: 14.0,
};

/// Largest step from the truth over the 9×9 pixels at the view centre (where a pinch at a pole
/// would be).
fn centre_worst(img: &RgbaImage, truth: &RgbaImage) -> f64 {
    let (cx, cy) = (W / 2, H / 2);
    let mut worst = 0.0f64;
    for y in cy - 4..=cy + 4 {
        for x in cx - 4..=cx + 4 {
            worst = worst.max(step(pixel(img, x, y), pixel(truth, x, y)));
        }
    }
    worst
}

/// The panorama pass (per-vertex rays, a polynomial atan2, the mip level from the angle) on a
/// whole 4096×2048 image of the pattern: no seam where yaw wraps at ±180°, no pinch or smudge
/// at either pole, and as sharp as the pattern when the view rests (a blurred copy of the image
/// is caught by the same check).
#[test]
fn equirect_has_no_seam_no_pinch_and_is_sharp() -> Result<()> {
    let ctx = GpuContext::headless()?;
    let dir = work_dir("equirect")?;
    write(
        &dir.join("full.png"),
        &png(&equirect(4096, 2048, 180.0, None), 4096, 2048)?,
    )?;
    // Broken on purpose: the same pattern at a sixteenth of the pixels (blurred when drawn).
    write(
        &dir.join("small.png"),
        &png(&equirect(256, 128, 180.0, None), 256, 128)?,
    )?;
    let tour = serde_json::json!({
        "version": 1,
        "scenes": [
            {"id": "full", "kind": "panorama", "image": "full.png"},
            {"id": "small", "kind": "panorama", "image": "small.png"}
        ]
    });
    write(&dir.join("tour.json"), tour.to_string().as_bytes())?;
    let mut report = Report::default();

    // (a) Behind: yaw ±180° runs down the middle of the view.
    let back = view(180.0, 10.0, 90.0);
    let back_img = render(&ctx, &dir, "full", back, "back")?;
    let truth = expected(back, None);
    report.expect(
        "whole image vs pattern, at ±180°",
        stats(&back_img, &truth, all),
        PATTERN,
    );
    // The pattern has a dark meridian at ±180°: the columns either side of the wrap must show
    // it as the pattern does (a seam is a line of wrong colour there).
    let wrap = |x: u32, y: u32| x.abs_diff(W / 2) <= 2 && (8..H - 8).contains(&y);
    report.expect(
        "no seam at ±180°: the 5 columns around the wrap vs pattern",
        stats(&back_img, &truth, wrap),
        WRAP,
    );
    // Broken on purpose: a one-pixel line down the wrap.
    let mut seamed = back_img.clone();
    for y in 0..H {
        let i = ((y * W + W / 2) * 4) as usize;
        seamed.pixels[i..i + 3].copy_from_slice(&[255, 255, 255]);
    }
    report.expect_caught(
        "a one-pixel seam at ±180°",
        stats(&seamed, &truth, wrap),
        WRAP,
    );

    // (b) Straight up and straight down: every meridian meets at the centre.
    for (name, pitch) in [("zenith", 90.0), ("nadir", -90.0)] {
        let v = view(30.0, pitch, 90.0);
        let img = render(&ctx, &dir, "full", v, name)?;
        let truth = expected(v, None);
        report.expect(
            &format!("whole image vs pattern, {name}"),
            stats(&img, &truth, all),
            PATTERN,
        );
        let worst = centre_worst(&img, &truth);
        report.check(
            &format!("no pinch at the {name}: the 9×9 centre is the pattern ±12"),
            worst <= 12.0,
            format!("worst step {worst:.1}"),
        );
        if pitch > 0.0 {
            report.golden("pano-equirect-zenith", &img);
        }
    }

    // (c) Sharp at rest: a narrower view near the horizon shows the pattern's detail.
    let near = view(-20.0, 12.0, 30.0);
    let img = render(&ctx, &dir, "full", near, "sharp")?;
    let truth = expected(near, None);
    let (got, want) = (detail(&img), detail(&truth));
    report.check(
        "sharp at rest: detail at least 0.9× the pattern's",
        got >= 0.9 * want,
        format!("detail {got:.2}, pattern {want:.2}"),
    );
    report.expect(
        "whole image vs pattern, 30° view",
        stats(&img, &truth, all),
        PATTERN,
    );
    let blurred = render(&ctx, &dir, "small", near, "blurred")?;
    let got = detail(&blurred);
    report.check(
        "a blurred image (256×128) is caught by the sharpness check",
        got < 0.9 * want,
        format!("detail {got:.2}, pattern {want:.2}"),
    );
    report.golden("pano-equirect-back", &back_img);
    report.finish()
}

// ---------------------------------------------------------------------------------------------
// 2. A six-face cube.

/// A face or tile render against the equirectangular render of the same view.
const CUBE: Limits = Limits {
    mean: 3.0,
    p99: 20.0,
    block: 12.0,
};

const FACE_LETTERS: [&str; 6] = ["f", "r", "b", "l", "u", "d"];

#[test]
fn cube_faces_are_oriented_as_the_tiler_makes_them() -> Result<()> {
    let ctx = GpuContext::headless()?;
    let dir = work_dir("cube")?;
    write(
        &dir.join("equirect.png"),
        &png(&equirect(2048, 1024, 180.0, None), 2048, 1024)?,
    )?;
    let n = 256;
    let mut up_face = Vec::new();
    for (i, letter) in FACE_LETTERS.iter().enumerate() {
        let face = cube_face(i, n);
        write(&dir.join(format!("{letter}.png")), &png(&face, n, n)?)?;
        if i == 4 {
            up_face = face;
        }
    }
    write(&dir.join("u-turned.png"), &png(&turn(&up_face, n), n, n)?)?;
    let tour = serde_json::json!({
        "version": 1,
        "scenes": [
            {"id": "equirect", "kind": "panorama", "image": "equirect.png"},
            {"id": "cube", "kind": "panorama",
             "cube": ["f.png", "r.png", "b.png", "l.png", "u.png", "d.png"]},
            // Broken on purpose: front and right swapped, the up face turned a quarter.
            {"id": "wrong", "kind": "panorama",
             "cube": ["r.png", "f.png", "b.png", "l.png", "u-turned.png", "d.png"]}
        ]
    });
    write(&dir.join("tour.json"), tour.to_string().as_bytes())?;
    let mut report = Report::default();
    let views = [
        ("front", view(0.0, 0.0, 90.0)),
        ("right", view(90.0, 0.0, 90.0)),
        ("back", view(180.0, 0.0, 90.0)),
        ("left", view(-90.0, 0.0, 90.0)),
        ("up", view(0.0, 90.0, 90.0)),
        ("down", view(0.0, -90.0, 90.0)),
        ("oblique", view(-60.0, 30.0, 90.0)),
    ];
    for (name, v) in views {
        let cube = render(&ctx, &dir, "cube", v, &format!("cube-{name}"))?;
        let equi = render(&ctx, &dir, "equirect", v, &format!("equirect-{name}"))?;
        report.expect(
            &format!("cube vs equirect, {name}"),
            stats(&cube, &equi, all),
            CUBE,
        );
        report.expect(
            &format!("equirect vs pattern, {name}"),
            stats(&equi, &expected(v, None), all),
            PATTERN,
        );
        if matches!(name, "front" | "right" | "up") {
            let wrong = render(&ctx, &dir, "wrong", v, &format!("wrong-{name}"))?;
            report.expect_caught(
                &format!("swapped/turned cube vs equirect, {name}"),
                stats(&wrong, &equi, all),
                CUBE,
            );
        }
        if name == "oblique" {
            report.golden("pano-cube-oblique", &cube);
        }
    }
    report.finish()
}

// ---------------------------------------------------------------------------------------------
// 3. A tile pyramid.

/// The seam check: the mean step across a boundary is at most the mean step beside it times
/// 1.5 plus 3, and at most the equirectangular render's step across the same pixels plus 3.
/// Prints the numbers; true when it passes.
fn seam(what: &str, tiled: &RgbaImage, reference: &RgbaImage, line: (Vec2, Vec2)) -> bool {
    let (across, beside, worst, n) = seam_steps(tiled, line.0, line.1);
    let (ref_across, ref_beside, ref_worst, _) = seam_steps(reference, line.0, line.1);
    let ok = n >= 20 && across <= beside * 1.5 + 3.0 && across <= ref_across + 3.0;
    println!(
        "{} seam {what}: {n} pairs from {:.1?} to {:.1?}: across {across:.2} (max {worst}), \
         beside {beside:.2}; equirect across {ref_across:.2} (max {ref_worst}), beside {ref_beside:.2}",
        if ok { "ok  " } else { "no  " },
        line.0,
        line.1
    );
    ok
}

/// A tile pyramid of the pattern made by the tiler, and the views that look at its boundaries.
struct Tiled {
    dir: PathBuf,
    /// The tiler's files (relative path, bytes).
    files: Vec<(String, Vec<u8>)>,
    config: serde_json::Value,
    pyramid: Pyramid,
    /// Index of the level a 90° view needs.
    level: usize,
    /// The tile corner nearest the front face's centre: face point (c, c), tile column and row
    /// k meet k - 1 there.
    c: f32,
    k: u32,
}

const TILED_FOV: f32 = 90.0;

impl Tiled {
    /// Generates the pattern (2048×1024), writes it as `equirect.png` and its tiles (64 px) under
    /// `tiles/`.
    fn new(dir: PathBuf) -> Result<Tiled> {
        let equi_png = png(&equirect(2048, 1024, 180.0, None), 2048, 1024)?;
        write(&dir.join("equirect.png"), &equi_png)?;
        let files = disan_tiler::tile_to_vec(
            &equi_png,
            &disan_tiler::TileOptions {
                tile_size: 64,
                quality: 95,
            },
        )?;
        copy_tiles(&files, &dir.join("tiles"))?;
        let config: serde_json::Value = serde_json::from_slice(
            &files
                .iter()
                .find(|(p, _)| p == "config.json")
                .ok_or_else(|| anyhow!("the tiler wrote no config.json"))?
                .1,
        )?;
        let pyramid = Pyramid::from_tiles(&serde_json::from_value::<TileSource>(tiles_source(
            &config, "tiles", "jpg",
        ))?)
        .map_err(|e| anyhow!(e))?;
        // The finest level a 90° view needs, and the tile corner nearest the front face's centre.
        let level = pyramid.level_for(pixels_per_radian(&projection(view(0.0, 0.0, TILED_FOV))));
        let l = &pyramid.levels[level];
        let (size, ts) = (l.size, l.tile_size);
        let per_side = pyramid.tiles_per_side(level);
        let k = ((size as f32 / 2.0 / ts as f32).round() as u32).clamp(1, per_side - 1);
        let t = Tiled {
            dir,
            files,
            config,
            pyramid,
            level,
            c: 2.0 * (k * ts) as f32 / size as f32 - 1.0,
            k,
        };
        println!(
            "pyramid: {} files, levels (side, tile) {:?}; a {TILED_FOV}° view needs level {} \
             ({size} px, {per_side} tiles a side)",
            t.files.len(),
            t.pyramid
                .levels
                .iter()
                .map(|l| (l.size, l.tile_size))
                .collect::<Vec<_>>(),
            t.level + 1
        );
        Ok(t)
    }

    fn size_and_tile(&self) -> (u32, u32) {
        let l = &self.pyramid.levels[self.level];
        (l.size, l.tile_size)
    }

    /// The scene's `tiles` for the pyramid under `folder` with files ending in `ext`.
    fn source(&self, folder: &str, ext: &str) -> serde_json::Value {
        tiles_source(&self.config, folder, ext)
    }

    /// The view centred on the tile corner; checks that four tiles meet there and that it
    /// projects to the view centre.
    fn corner_view(&self) -> Result<View> {
        let c = self.c;
        let (size, ts) = self.size_and_tile();
        let corner_dir = face_direction(0, c, c);
        let (yaw, pitch) = yaw_pitch_from_direction(corner_dir);
        let tile_of = |d: Vec3| {
            let (f, s, t) = face_point(d.normalize());
            let idx = |u: f32| ((u + 1.0) * 0.5 * size as f32 / ts as f32).floor() as u32;
            (f, idx(s), idx(t))
        };
        let around: std::collections::BTreeSet<_> =
            [(-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0), (1.0, 1.0)]
                .iter()
                .map(|(ds, dt)| tile_of(face_direction(0, c + 0.01 * ds, c + 0.01 * dt)))
                .collect();
        println!(
            "tile corner: tiles (face, column, row) {around:?} of level {} meet at face point \
             ({c:.4}, {c:.4}) = yaw {yaw:.3}, pitch {pitch:.3}",
            self.level + 1
        );
        if around.len() != 4 {
            bail!("the view centre is not a corner of four tiles: {around:?}");
        }
        let v = view(yaw, pitch, TILED_FOV);
        at_centre(&projection(v), corner_dir, "the tile corner")?;
        Ok(v)
    }
}

/// A scene's `tiles` from the tiler's `config.json`, for the pyramid under `folder` with files
/// ending in `ext`.
fn tiles_source(config: &serde_json::Value, folder: &str, ext: &str) -> serde_json::Value {
    let multi = &config["multiRes"];
    serde_json::json!({
        "path": format!("{folder}/%l/%s%y_%x.{ext}"),
        "tile_size": multi["tileResolution"],
        "cube_resolution": multi["cubeResolution"],
        "max_level": multi["maxLevel"],
        "preview": format!("{folder}/preview.{ext}"),
    })
}

fn copy_tiles(files: &[(String, Vec<u8>)], to: &Path) -> Result<()> {
    for (path, bytes) in files {
        write(&to.join(path), bytes)?;
    }
    Ok(())
}

const CENTRE: Vec2 = Vec2::new(W as f32 / 2.0, H as f32 / 2.0);

/// Fails unless the direction `d` projects to the view centre.
fn at_centre(proj: &Projection, d: Vec3, what: &str) -> Result<()> {
    let at = proj
        .project_direction(d)
        .ok_or_else(|| anyhow!("{what} is behind the camera"))?;
    if at.distance(CENTRE) > 0.5 {
        bail!("{what} projects to {at}, not the view centre");
    }
    Ok(())
}

/// The boundary through the view centre along the great circle through `a` and `b`: 60 px
/// either side of the centre.
fn through_centre(proj: &Projection, a: Vec3, b: Vec3) -> Result<(Vec2, Vec2)> {
    let (pa, pb) = segment(proj, a, b).ok_or_else(|| anyhow!("boundary behind the camera"))?;
    let d = (pb - pa).normalize();
    Ok((CENTRE - d * 60.0, CENTRE + d * 60.0))
}

/// The boundary from the view centre towards `towards`: from 4 px off the centre to 70 px.
fn from_centre(proj: &Projection, towards: Vec3) -> Result<(Vec2, Vec2)> {
    let b = proj
        .project_direction(towards)
        .ok_or_else(|| anyhow!("boundary behind the camera"))?;
    let u = (b - CENTRE).normalize();
    Ok((CENTRE + u * 4.0, CENTRE + u * 70.0))
}

/// The three cube edges from the front/right/up corner (at the centre of `cube_corner_view`).
fn cube_corner_edges(proj: &Projection) -> Result<[(&'static str, (Vec2, Vec2)); 3]> {
    at_centre(proj, face_direction(0, 1.0, -1.0), "the cube corner")?;
    Ok([
        (
            "front/right",
            from_centre(proj, face_direction(0, 1.0, -0.5))?,
        ),
        ("front/up", from_centre(proj, face_direction(0, 0.5, -1.0))?),
        (
            "right/up",
            from_centre(proj, face_direction(1, -0.5, -1.0))?,
        ),
    ])
}

/// Looking at the front/right face edge at the horizon.
fn face_edge_view() -> View {
    view(45.0, 0.0, TILED_FOV)
}

/// Looking at the front/right/up cube corner.
fn cube_corner_view() -> View {
    view(
        45.0,
        (1.0f32 / 2.0f32.sqrt()).atan().to_degrees(),
        TILED_FOV,
    )
}

#[test]
fn tiled_panorama_matches_the_equirect_at_tile_corners_and_face_edges() -> Result<()> {
    let ctx = GpuContext::headless()?;
    let t = Tiled::new(work_dir("tiles")?)?;
    let dir = t.dir.clone();
    let corner = t.corner_view()?;

    // Broken on purpose: the tile below-right of the corner is the back face's tile; and a
    // pyramid with that tile missing.
    let name = |face: &str| format!("{}/{face}{}_{}.jpg", t.level + 1, t.k, t.k);
    let (bad_path, wrong_path) = (name("f"), name("b"));
    let wrong = t
        .files
        .iter()
        .find(|(p, _)| *p == wrong_path)
        .ok_or_else(|| anyhow!("no tile {wrong_path}"))?
        .1
        .clone();
    let bad: Vec<(String, Vec<u8>)> = t
        .files
        .iter()
        .map(|(p, b)| {
            let b = if *p == bad_path {
                wrong.clone()
            } else {
                b.clone()
            };
            (p.clone(), b)
        })
        .collect();
    copy_tiles(&bad, &dir.join("tiles-bad"))?;
    let missing: Vec<(String, Vec<u8>)> = t
        .files
        .iter()
        .filter(|(p, _)| *p != bad_path)
        .cloned()
        .collect();
    copy_tiles(&missing, &dir.join("tiles-missing"))?;

    let tour = serde_json::json!({
        "version": 1,
        "scenes": [
            {"id": "equirect", "kind": "panorama", "image": "equirect.png"},
            {"id": "tiled", "kind": "panorama", "tiles": t.source("tiles", "jpg")},
            {"id": "bad", "kind": "panorama", "tiles": t.source("tiles-bad", "jpg")},
            {"id": "missing", "kind": "panorama", "tiles": t.source("tiles-missing", "jpg")}
        ]
    });
    write(&dir.join("tour.json"), tour.to_string().as_bytes())?;
    let mut report = Report::default();

    // (a) The tile corner: both boundaries through the view centre.
    let proj = projection(corner);
    let c = t.c;
    let lines = [
        (
            "vertical",
            through_centre(
                &proj,
                face_direction(0, c, c - 0.2),
                face_direction(0, c, c + 0.2),
            )?,
        ),
        (
            "horizontal",
            through_centre(
                &proj,
                face_direction(0, c - 0.2, c),
                face_direction(0, c + 0.2, c),
            )?,
        ),
    ];
    let tiled = render(&ctx, &dir, "tiled", corner, "tiled-corner")?;
    let equi = render(&ctx, &dir, "equirect", corner, "equirect-corner")?;
    report.expect(
        "tiled vs equirect, tile corner",
        stats(&tiled, &equi, all),
        CUBE,
    );
    report.expect(
        "equirect vs pattern, tile corner",
        stats(&equi, &expected(corner, None), all),
        PATTERN,
    );
    for (name, line) in lines {
        let ok = seam(&format!("tile corner, {name}"), &tiled, &equi, line);
        report.check(
            &format!("no seam at the tile corner, {name} boundary"),
            ok,
            "see the seam line above".into(),
        );
    }
    let bad = render(&ctx, &dir, "bad", corner, "bad-corner")?;
    report.expect_caught(
        "wrong tile vs equirect, tile corner",
        stats(&bad, &equi, all),
        CUBE,
    );
    let caught = lines
        .iter()
        .any(|(_, line)| !seam("wrong tile", &bad, &equi, *line));
    report.check(
        "the seam check catches the wrong tile (broken on purpose)",
        caught,
        "see the seam lines above".into(),
    );
    let missing = render(&ctx, &dir, "missing", corner, "missing-corner");
    report.check(
        "a missing tile fails the render (broken on purpose)",
        missing
            .as_ref()
            .is_err_and(|e| format!("{e:#}").contains(&bad_path)),
        match &missing {
            Ok(_) => "rendered".into(),
            Err(e) => format!("{e:#}").replace('\n', " "),
        },
    );
    report.golden("pano-tiles-corner", &tiled);

    // (b) The front/right face edge at the horizon.
    let edge = face_edge_view();
    let p = projection(edge);
    at_centre(&p, face_direction(0, 1.0, 0.0), "the face edge")?;
    let edge_line = through_centre(
        &p,
        face_direction(0, 1.0, -0.3),
        face_direction(0, 1.0, 0.3),
    )?;
    let tiled_edge = render(&ctx, &dir, "tiled", edge, "tiled-face-edge")?;
    let equi_edge = render(&ctx, &dir, "equirect", edge, "equirect-face-edge")?;
    report.expect(
        "tiled vs equirect, face edge",
        stats(&tiled_edge, &equi_edge, all),
        CUBE,
    );
    let ok = seam("face edge", &tiled_edge, &equi_edge, edge_line);
    report.check(
        "no seam at the face edge",
        ok,
        "see the seam line above".into(),
    );
    report.golden("pano-tiles-face-edge", &tiled_edge);

    // (b) The front/right/up cube corner (its seams: see the level test below).
    let cc = cube_corner_view();
    cube_corner_edges(&projection(cc))?;
    let tiled_cc = render(&ctx, &dir, "tiled", cc, "tiled-cube-corner")?;
    let equi_cc = render(&ctx, &dir, "equirect", cc, "equirect-cube-corner")?;
    report.expect(
        "tiled vs equirect, cube corner",
        stats(&tiled_cc, &equi_cc, all),
        CUBE,
    );
    report.finish()
}

/// Level colours of [`tiled_views_are_drawn_from_the_level_they_need`]: level 1, 2, … and the preview.
const LEVEL_COLOURS: [[u8; 3]; 5] = [
    [255, 0, 0],
    [0, 255, 0],
    [0, 0, 255],
    [255, 255, 0],
    [255, 0, 255],
];
const PREVIEW_COLOUR: [u8; 3] = [128, 128, 128];

/// Which level (1-based; 0 the preview) each colour of a render is, by the nearest colour.
fn level_of(p: [u8; 3]) -> usize {
    let mut best = (f64::MAX, 0);
    for (i, c) in std::iter::once(&PREVIEW_COLOUR)
        .chain(LEVEL_COLOURS.iter())
        .enumerate()
    {
        let d = step(p, *c);
        if d < best.0 {
            best = (d, i);
        }
    }
    best.1
}

/// `disan render` fetches tiles "until the view is as sharp as its tiles allow": every pixel
/// of a view must come from the level the view needs (or a finer one), and there must be no
/// step across the cube corner's edges.
///
/// It guards `Pyramid::visible`: sampling the screen alone misses tiles smaller than the
/// sampling step (the narrow last tile of a face's rows when the face side is not a multiple of
/// the tile side, 324 = 5·64 + 4 here; tiles foreshortened near a cube corner; a face corner
/// poking in at the screen's edge), and a coarser level then shows there.
#[test]
fn tiled_views_are_drawn_from_the_level_they_need() -> Result<()> {
    let ctx = GpuContext::headless()?;
    let t = Tiled::new(work_dir("tile-levels")?)?;
    let dir = t.dir.clone();
    // The same pyramid with every tile one flat colour per level (lossless PNG).
    for (path, bytes) in &t.files {
        let Some((level, _)) = path.split_once('/') else {
            continue;
        };
        let Ok(level) = level.parse::<usize>() else {
            continue;
        };
        let (w, h) = image::ImageReader::new(std::io::Cursor::new(bytes))
            .with_guessed_format()?
            .into_dimensions()?;
        let colour = LEVEL_COLOURS[(level - 1).min(LEVEL_COLOURS.len() - 1)];
        let rgb: Vec<u8> = colour.repeat((w * h) as usize);
        write(
            &dir.join("levels").join(path.replace(".jpg", ".png")),
            &png(&rgb, w, h)?,
        )?;
    }
    write(
        &dir.join("levels/preview.png"),
        &png(&PREVIEW_COLOUR.repeat(64 * 32), 64, 32)?,
    )?;
    let tour = serde_json::json!({
        "version": 1,
        "scenes": [
            {"id": "equirect", "kind": "panorama", "image": "equirect.png"},
            {"id": "tiled", "kind": "panorama", "tiles": t.source("tiles", "jpg")},
            {"id": "levels", "kind": "panorama", "tiles": t.source("levels", "png")}
        ]
    });
    write(&dir.join("tour.json"), tour.to_string().as_bytes())?;
    let mut report = Report::default();
    let needed = t.level + 1;
    let views = [
        ("tile corner", t.corner_view()?),
        ("face edge", face_edge_view()),
        ("cube corner", cube_corner_view()),
    ];
    for (name, v) in views {
        let img = render(
            &ctx,
            &dir,
            "levels",
            v,
            &format!("levels-{}", name.replace(' ', "-")),
        )?;
        let mut counts = [0usize; 6];
        let mut coarse_box: Option<[u32; 4]> = None;
        for y in 0..H {
            for x in 0..W {
                let l = level_of(pixel(&img, x, y));
                counts[l] += 1;
                if l < needed {
                    let b = coarse_box.get_or_insert([x, y, x, y]);
                    *b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
                }
            }
        }
        let coarse: usize = counts[..needed].iter().sum();
        report.check(
            &format!("{name}: every pixel from level {needed} or finer"),
            coarse == 0,
            format!(
                "pixels per level (preview, 1, 2, …): {counts:?}; coarser ones within (x0, y0, x1, y1) {coarse_box:?}"
            ),
        );
    }
    // The cube corner's edges with the pattern's tiles.
    let cc = cube_corner_view();
    let tiled_cc = render(&ctx, &dir, "tiled", cc, "tiled-cube-corner")?;
    let equi_cc = render(&ctx, &dir, "equirect", cc, "equirect-cube-corner")?;
    for (name, line) in cube_corner_edges(&projection(cc))? {
        let ok = seam(&format!("cube corner, {name}"), &tiled_cc, &equi_cc, line);
        report.check(
            &format!("no seam at the cube corner, {name} edge"),
            ok,
            "see the seam line above".into(),
        );
    }
    report.finish()
}
