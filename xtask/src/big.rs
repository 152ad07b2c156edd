//! `cargo xtask big-panos`: the large panoramas of issue 7, generated (never committed): a
//! 16384×8192 and a 32768×16384 equirectangular JPEG are tiled with `disan tile` into
//! `dist/big/<name>/` (a one-scene tour each), checked with `disan validate`, and rendered
//! headless with `disan render`, which must not be blank. The browser tests then open them at a
//! 4096 texture limit. Each step fails loudly; a tour already tiled from the same size is kept.
//!
//! It also makes the huge scan of issue 10 ([`scan_2m`]): a generated 2M-triangle boulder with an
//! 8192-pixel texture in `dist/big/scan2m/raw/` (a tour showing it as it is) and its derivatives
//! by `disan optimize` in `dist/big/scan2m/` (a tour listing them), validated and rendered.

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// (width, name) of each generated panorama.
pub const SIZES: [(u32, &str); 2] = [(16384, "big16k"), (32768, "big32k")];

/// A recognisable pattern: colour gradients, a yellow grid every 512 pixels and a checker of
/// 2048, computed per pixel as the JPEG encoder asks (no 1.5 GiB pixel buffer for the 32K).
struct Pattern {
    w: u32,
    h: u32,
}

impl image::GenericImageView for Pattern {
    type Pixel = image::Rgb<u8>;

    fn dimensions(&self) -> (u32, u32) {
        (self.w, self.h)
    }

    fn get_pixel(&self, x: u32, y: u32) -> image::Rgb<u8> {
        if x % 512 < 8 || y % 512 < 8 {
            return image::Rgb([250, 250, 40]);
        }
        let check = ((x / 2048) + (y / 2048)).is_multiple_of(2);
        image::Rgb([
            (x as u64 * 255 / self.w as u64) as u8,
            (y as u64 * 255 / self.h as u64) as u8,
            if check { 200 } else { 60 },
        ])
    }
}

fn generate(path: &Path, w: u32) -> Result<()> {
    let h = w / 2;
    eprintln!("== generating {w}×{h} → {}", path.display());
    let file =
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&Pattern { w, h })
        .context("encoding the JPEG")?;
    std::io::Write::flush(&mut out)?;
    Ok(())
}

fn run_disan(disan: &Path, args: &[&std::ffi::OsStr]) -> Result<String> {
    let out = Command::new(disan)
        .args(args)
        .output()
        .context("running disan")?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if !out.status.success() {
        bail!("disan {:?} failed ({}):\n{text}", args, out.status);
    }
    Ok(text)
}

/// Triangles and texture width of the generated huge scan.
pub const SCAN: (u64, u32) = (2_000_000, 8192);

/// `disan render` of the tour in `dir` at 640×400 (`view`: extra options) into `png`; the image
/// and its number of distinct colours (5 bits a channel).
fn render_640x400(
    disan: &Path,
    dir: &Path,
    view: &[&str],
    png: &Path,
) -> Result<(image::RgbImage, usize)> {
    let mut args: Vec<&std::ffi::OsStr> = vec!["render".as_ref(), dir.as_os_str()];
    args.extend(view.iter().map(|a| std::ffi::OsStr::new(*a)));
    args.extend(["--width", "640", "--height", "400", "--out"].map(std::ffi::OsStr::new));
    args.push(png.as_os_str());
    run_disan(disan, &args)?;
    let img = image::open(png).context("reading the render")?.to_rgb8();
    let colours: std::collections::HashSet<_> = img
        .pixels()
        .map(|p| (p[0] >> 3, p[1] >> 3, p[2] >> 3))
        .collect();
    Ok((img, colours.len()))
}

/// Writes the generated scan ([`SCAN`]) into `raw` as `boulder.glb` with a one-scene tour that
/// shows it as it is; returns the GLB's size in bytes.
pub fn write_raw_scan(raw: &Path) -> Result<u64> {
    std::fs::create_dir_all(raw)?;
    let glb = disan_demo::scan::boulder_glb(SCAN.0, SCAN.1)?;
    std::fs::write(raw.join("boulder.glb"), &glb)?;
    let tour = serde_json::json!({"version": 1, "title": "Generated 2M-triangle scan",
        "scenes": [{"id": "scan", "kind": "object", "title": "Boulder (2M triangles)", "model": "boulder.glb"}]});
    std::fs::write(raw.join("tour.json"), serde_json::to_string_pretty(&tour)?)?;
    Ok(glb.len() as u64)
}

/// `dist/big/scan2m`: the generated 2M-triangle scan (`raw/`) and its derivatives, made once.
pub fn scan_2m(disan: &Path) -> Result<PathBuf> {
    let dir = crate::root().join("dist").join("big").join("scan2m");
    let raw = dir.join("raw");
    let stamp = dir.join(format!("made-from-{}-{}", SCAN.0, SCAN.1));
    if !stamp.exists() {
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        let t = std::time::Instant::now();
        let bytes = write_raw_scan(&raw)?;
        eprintln!(
            "== generated a {}-triangle scan ({:.0} MB) in {:.1} s",
            SCAN.0,
            bytes as f64 / 1e6,
            t.elapsed().as_secs_f64()
        );
        let text = run_disan(
            disan,
            &[
                "optimize".as_ref(),
                raw.join("boulder.glb").as_os_str(),
                "--out".as_ref(),
                dir.as_os_str(),
            ],
        )?;
        eprintln!("== disan optimize:\n{}", text.trim_end());
        std::fs::write(&stamp, b"")?;
    }
    for d in [&dir, &raw] {
        let text = run_disan(disan, &["validate".as_ref(), d.as_os_str()])?;
        eprintln!("== disan validate {}: {}", d.display(), text.trim_end());
    }
    let png = crate::root()
        .join("target")
        .join("big-panos")
        .join("scan2m-render.png");
    let (img, colours) = render_640x400(disan, &dir, &[], &png)?;
    // The stone fills a good part of the frame, textured (many colours).
    let stone = img.pixels().filter(|p| p[0] > 120 && p[1] > 110).count();
    if stone < (img.width() * img.height() / 8) as usize || colours < 64 {
        bail!(
            "disan render of the scan's derivatives looks blank ({stone} stone pixels, {colours} colours): see {}",
            png.display()
        );
    }
    eprintln!(
        "== disan render scan2m: {stone} stone pixels, {colours} colours ({})",
        png.display()
    );
    Ok(dir)
}

/// Generates, tiles, validates and renders each size into `dist/big/`.
pub fn run(disan: &Path) -> Result<()> {
    scan_2m(disan)?;
    let root = crate::root();
    let work = root.join("target").join("big-panos");
    let dist = root.join("dist").join("big");
    std::fs::create_dir_all(&work)?;
    std::fs::create_dir_all(&dist)?;
    for (w, name) in SIZES {
        let jpg = work.join(format!("{name}.jpg"));
        let dir = dist.join(name);
        let stamp = dir.join(format!("made-from-{w}"));
        if !stamp.exists() {
            if !jpg.exists() {
                generate(&jpg, w)?;
            }
            if dir.exists() {
                std::fs::remove_dir_all(&dir)?;
            }
            let t = std::time::Instant::now();
            let text = run_disan(
                disan,
                &[
                    "tile".as_ref(),
                    jpg.as_os_str(),
                    "--out".as_ref(),
                    dir.as_os_str(),
                    "--scene".as_ref(),
                    name.as_ref(),
                ],
            )?;
            eprintln!(
                "== disan tile {name}: {:.1} s\n{}",
                t.elapsed().as_secs_f64(),
                text.trim_end()
            );
            std::fs::write(&stamp, b"")?;
        }
        let text = run_disan(disan, &["validate".as_ref(), dir.as_os_str()])?;
        eprintln!("== disan validate {name}: {}", text.trim_end());
        let png: PathBuf = work.join(format!("{name}-render.png"));
        let view = ["--yaw", "30", "--pitch", "10", "--fov", "40"];
        let (img, colours) = render_640x400(disan, &dir, &view, &png)?;
        // The grid lines must be sharp: the yellow of the grid, at full strength, somewhere.
        let sharp = img.pixels().any(|p| p[0] > 230 && p[1] > 230 && p[2] < 90);
        if colours < 64 || !sharp {
            bail!(
                "disan render of {name} looks blank or blurred ({} colours, sharp grid: {sharp}): see {}",
                colours,
                png.display()
            );
        }
        eprintln!(
            "== disan render {name}: {} colours, sharp grid ({})",
            colours,
            png.display()
        );
    }
    Ok(())
}
