//! The demo-asset generator (`disan-demo`, run by `cargo xtask demo-assets`): generates the demo
//! tour in `assets/demo/` — two ray-traced equirectangular panoramas (Sân đình, Hậu cung), a
//! procedural Đông Sơn bronze drum (GLB with textures), `tour.json` and `catalog.json` (written
//! through the `disan-tour` model types) — and `assets/LICENSES.md`. Deterministic: no
//! randomness beyond fixed-seed hashes. The panorama width (4096 for the shipped assets) can be
//! lowered for quick previews.

mod drum;
mod glb;
mod hau_cung;
mod noise;
mod pano;
mod roof;
mod rt;
mod san_dinh;
pub mod scan;
pub mod sound;
mod tour;

use glam::Vec3;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Width of the shipped panoramas (their height is half of it).
pub const DEFAULT_WIDTH: usize = 4096;

/// Why generating failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file.
    #[error("{what} {}: {source}", path.display())]
    Io {
        /// What was being done (`writing`, `creating`, …).
        what: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Encoding a PNG or JPEG.
    #[error("encoding {what}: {source}")]
    Encode {
        /// The image.
        what: &'static str,
        /// The cause.
        source: image::ImageError,
    },
    /// Serialising `tour.json` or `catalog.json`.
    #[error("serialising {what}: {source}")]
    Json {
        /// The file.
        what: &'static str,
        /// The cause.
        source: serde_json::Error,
    },
    /// A bad panorama width.
    #[error("panorama width {0} must be even and at least 64")]
    Width(usize),
    /// The output folder has no parent (where `LICENSES.md` goes).
    #[error("the output folder {} has no parent", .0.display())]
    NoParent(PathBuf),
}

fn io(what: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.to_path_buf();
    move |source| Error::Io { what, path, source }
}

fn encode_png(rgb: &[u8], size: u32) -> Result<Vec<u8>, Error> {
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let mut out = Vec::new();
    let enc = PngEncoder::new_with_quality(&mut out, CompressionType::Best, FilterType::Adaptive);
    image::ImageEncoder::write_image(enc, rgb, size, size, image::ExtendedColorType::Rgb8)
        .map_err(|source| Error::Encode {
            what: "a PNG texture",
            source,
        })?;
    Ok(out)
}

fn encode_jpeg(rgb: &[u8], w: u32, h: u32, quality: u8) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
    image::ImageEncoder::write_image(enc, rgb, w, h, image::ExtendedColorType::Rgb8).map_err(
        |source| Error::Encode {
            what: "a JPEG",
            source,
        },
    )?;
    Ok(out)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io("creating", dir))?;
    }
    std::fs::write(path, bytes).map_err(io("writing", path))
}

/// Halves an RGB8 image (box filter); used for the ORM texture and the tympanum picture.
fn downsample(rgb: &[u8], size: usize, factor: usize) -> Vec<u8> {
    let out = size / factor;
    let mut v = Vec::with_capacity(out * out * 3);
    for j in 0..out {
        for i in 0..out {
            for c in 0..3 {
                let mut sum = 0u32;
                for dy in 0..factor {
                    for dx in 0..factor {
                        sum += rgb[((j * factor + dy) * size + i * factor + dx) * 3 + c] as u32;
                    }
                }
                v.push(((sum + (factor * factor / 2) as u32) / (factor * factor) as u32) as u8);
            }
        }
    }
    v
}

/// Crops a square of the base colour texture (the tympanum disc) and scales it to `out` px.
fn tympanum_picture(base: &[u8], out: usize) -> Vec<u8> {
    let tex = drum::TEX;
    let side = (0.75 * tex as f32) as usize; // the disc fills [0, 0.75] in u and v
    let mut v = Vec::with_capacity(out * out * 3);
    for j in 0..out {
        for i in 0..out {
            // Box filter over the source texels that fall in this pixel.
            let (x0, x1) = (
                i * side / out,
                ((i + 1) * side / out).max(i * side / out + 1),
            );
            let (y0, y1) = (
                j * side / out,
                ((j + 1) * side / out).max(j * side / out + 1),
            );
            let mut sum = [0u32; 3];
            for y in y0..y1 {
                for x in x0..x1 {
                    for c in 0..3 {
                        sum[c] += base[(y * tex + x) * 3 + c] as u32;
                    }
                }
            }
            let n = ((x1 - x0) * (y1 - y0)) as u32;
            // Outside the disc: a dark museum-style background.
            let (cx, cy) = (
                i as f32 + 0.5 - out as f32 * 0.5,
                j as f32 + 0.5 - out as f32 * 0.5,
            );
            let edge = out as f32 * 0.5 * (drum::TYMPANUM_UV_R / 0.375);
            if cx * cx + cy * cy > edge * edge {
                v.extend([28u8, 25, 22]);
                continue;
            }
            v.extend(sum.iter().map(|s| ((s + n / 2) / n) as u8));
        }
    }
    v
}

fn yaw_pitch(eye: Vec3, p: Vec3) -> (f32, f32) {
    pano::yaw_pitch_deg(eye, p)
}

/// Where the hotspots go, from the scene geometry (printed as it is computed).
fn placements(san: &san_dinh::SanDinh, hau: &hau_cung::HauCung) -> tour::Placements {
    let prof = drum::outer_profile();
    let on_drum = |y: f32, phi_deg: f32| {
        let (p, n) = drum::surface_point(&prof, y, phi_deg.to_radians());
        (p.to_array(), n.to_array())
    };
    let p = tour::Placements {
        san_door: yaw_pitch(san_dinh::EYE, san.targets.door),
        san_stele: yaw_pitch(san_dinh::EYE, san.targets.stele),
        san_hall: yaw_pitch(san_dinh::EYE, san.targets.hall),
        hau_drum: yaw_pitch(hau_cung::EYE, hau.targets.drum),
        hau_altar: yaw_pitch(hau_cung::EYE, hau.targets.altar),
        hau_door: yaw_pitch(hau_cung::EYE, hau.targets.door),
        drum_star: ([0.0, drum::TOP_Y, 0.0], [0.0, 1.0, 0.0]),
        drum_front: on_drum(0.28, 0.0),
        drum_back: on_drum(0.52, 180.0),
        drum_foot: on_drum(0.06, 90.0),
    };
    println!("hotspots (yaw°, pitch°):");
    for (scene, name, (yaw, pitch)) in [
        ("san-dinh", "door (link hau-cung)", p.san_door),
        ("san-dinh", "stele (bia-da)", p.san_stele),
        ("san-dinh", "hall (dinh-lang)", p.san_hall),
        ("hau-cung", "drum (link)", p.hau_drum),
        ("hau-cung", "altar (ban-tho)", p.hau_altar),
        ("hau-cung", "door (link san-dinh)", p.hau_door),
    ] {
        println!("  {scene}  {name:20} {yaw:7.2} {pitch:6.2}");
    }
    println!("hotspots on the drum (position; normal), model space:");
    for (name, (pos, n)) in [
        ("star", p.drum_star),
        ("front band", p.drum_front),
        ("back band", p.drum_back),
        ("foot (link)", p.drum_foot),
    ] {
        println!(
            "  {name:12} [{:.4}, {:.4}, {:.4}]; [{:.3}, {:.3}, {:.3}]",
            pos[0], pos[1], pos[2], n[0], n[1], n[2]
        );
    }
    p
}

/// Pretty JSON with a final newline, as the files are committed.
fn json_bytes(what: &'static str, v: &impl serde::Serialize) -> Result<Vec<u8>, Error> {
    let mut s = serde_json::to_string_pretty(v).map_err(|source| Error::Json { what, source })?;
    s.push('\n');
    Ok(s.into_bytes())
}

/// Writes `tour.json` and `catalog.json` into `out`; returns their names.
fn write_tour_files(out: &Path, p: &tour::Placements) -> Result<[&'static str; 2], Error> {
    write(
        &out.join("tour.json"),
        &json_bytes("tour.json", &tour::tour(p))?,
    )?;
    write(
        &out.join("catalog.json"),
        &json_bytes("catalog.json", &tour::catalog())?,
    )?;
    Ok(["tour.json", "catalog.json"])
}

/// Writes the inner sanctuary's ambient sound, the drum's beat and the captions of the drum's film (its video,
/// `media/trong-dong.mp4`, is made from the generated files by `crates/demo/media.sh` with
/// Debian's ffmpeg); returns their names.
fn write_sound_and_captions(out: &Path) -> Result<[&'static str; 4], Error> {
    let wav = "sounds/hau-cung.wav";
    write(&out.join(wav), &sound::wav(&sound::ambient_samples()))?;
    let drum = "sounds/trong-dong.wav";
    write(&out.join(drum), &sound::wav(&sound::drum_samples()))?;
    let names = ["media/trong-dong.vi.vtt", "media/trong-dong.en.vtt"];
    for (name, text) in names.iter().zip(tour::film_captions()) {
        write(&out.join(name), text.as_bytes())?;
    }
    Ok([wav, drum, names[0], names[1]])
}

/// Writes only `tour.json`, `catalog.json`, the sound and the captions into `out`, with the hotspots placed from the scene
/// geometry, without rendering the panoramas or the drum's GLB (seconds instead of minutes), and
/// updates their sizes in `LICENSES.md` when the other generated files are there.
pub fn write_json(out: &Path) -> Result<(), Error> {
    let tex = drum::textures();
    let san = san_dinh::SanDinh::new();
    let hau = hau_cung::HauCung::new(&tex.base);
    write_sound_and_captions(out)?;
    let names = write_tour_files(out, &placements(&san, &hau))?;
    println!("wrote {} to {}", names.join(" and "), out.display());
    if FILES.iter().all(|f| out.join(f).is_file()) {
        write_licences(out)?;
    } else {
        println!(
            "LICENSES.md left alone: not every generated file is in {}",
            out.display()
        );
    }
    Ok(())
}

/// Every file the generator writes into its output folder, sorted.
const FILES: [&str; 10] = [
    "catalog.json",
    "images/trong-dong-mat.jpg",
    "media/trong-dong.en.vtt",
    "media/trong-dong.vi.vtt",
    "models/trong-dong.glb",
    "panos/hau-cung.jpg",
    "panos/san-dinh.jpg",
    "sounds/hau-cung.wav",
    "sounds/trong-dong.wav",
    "tour.json",
];

/// Files made from the generated ones by `crates/demo/media.sh` (ffmpeg), listed when there.
const MADE_BY_SCRIPT: [&str; 1] = ["media/trong-dong.mp4"];

/// Puts the demo's section, with the size of each of [`FILES`], into `LICENSES.md` next to
/// `out`. Returns the total size.
fn write_licences(out: &Path) -> Result<u64, Error> {
    let mut listed = Vec::new();
    let made = MADE_BY_SCRIPT.into_iter().filter(|f| out.join(f).is_file());
    let mut all: Vec<&str> = FILES.into_iter().chain(made).collect();
    all.sort_unstable();
    for f in all {
        let path = out.join(f);
        let len = std::fs::metadata(&path)
            .map_err(io("reading the size of", &path))?
            .len();
        listed.push((f.to_string(), len));
    }
    let assets = out
        .parent()
        .ok_or_else(|| Error::NoParent(out.to_path_buf()))?;
    let lic_path = assets.join("LICENSES.md");
    let existing = match std::fs::read_to_string(&lic_path) {
        Ok(s) => Some(s),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io("reading", &lic_path)(e)),
    };
    write(
        &lic_path,
        tour::licenses(existing.as_deref(), &listed).as_bytes(),
    )?;
    Ok(listed.iter().map(|f| f.1).sum())
}

/// Generates the demo tour into `out` (normally `assets/demo`) with panoramas `width` pixels
/// wide (even, at least 64; [`DEFAULT_WIDTH`] for the shipped assets), and puts its section
/// into `LICENSES.md` next to `out`.
pub fn run(out: &Path, width: usize) -> Result<(), Error> {
    if width < 64 || width & 1 != 0 {
        return Err(Error::Width(width));
    }
    let start = Instant::now();
    let mut files: Vec<String> = Vec::new();

    // --- Bronze drum -------------------------------------------------------------------------
    let t = Instant::now();
    let mesh = drum::build_mesh();
    let tex = drum::textures();
    let size = drum::TEX as u32;
    let orm_small = downsample(&tex.orm, drum::TEX, 2);
    let images = glb::Images {
        base: (encode_png(&tex.base, size)?, "image/png"),
        orm: (encode_png(&orm_small, size / 2)?, "image/png"),
        normal: (encode_png(&tex.normal, size / 2)?, "image/png"),
    };
    let glb = glb::write(&mesh, &images, "trong-dong");
    write(&out.join("models/trong-dong.glb"), &glb)?;
    files.push("models/trong-dong.glb".into());
    let pic = tympanum_picture(&tex.base, 512);
    write(
        &out.join("images/trong-dong-mat.jpg"),
        &encode_jpeg(&pic, 512, 512, 88)?,
    )?;
    files.push("images/trong-dong-mat.jpg".into());
    println!(
        "drum: {} vertices, {} triangles, GLB {} bytes (textures {} + {} + {} bytes) in {:.1} s",
        mesh.pos.len(),
        mesh.tris.len(),
        glb.len(),
        images.base.0.len(),
        images.orm.0.len(),
        images.normal.0.len(),
        t.elapsed().as_secs_f32()
    );

    // --- Panoramas ---------------------------------------------------------------------------
    let t = Instant::now();
    let san = san_dinh::SanDinh::new();
    let rgb = pano::render(&san, width);
    write(
        &out.join("panos/san-dinh.jpg"),
        &encode_jpeg(&rgb, width as u32, (width / 2) as u32, 85)?,
    )?;
    files.push("panos/san-dinh.jpg".into());
    println!(
        "san-dinh: {width}×{} in {:.1} s",
        width / 2,
        t.elapsed().as_secs_f32()
    );

    let t = Instant::now();
    let hau = hau_cung::HauCung::new(&tex.base);
    let rgb = pano::render(&hau, width);
    write(
        &out.join("panos/hau-cung.jpg"),
        &encode_jpeg(&rgb, width as u32, (width / 2) as u32, 85)?,
    )?;
    files.push("panos/hau-cung.jpg".into());
    println!(
        "hau-cung: {width}×{} in {:.1} s",
        width / 2,
        t.elapsed().as_secs_f32()
    );

    let p = placements(&san, &hau);
    // --- Sound and captions --------------------------------------------------------------------
    files.extend(write_sound_and_captions(out)?.map(String::from));
    files.extend(write_tour_files(out, &p)?.map(String::from));
    files.sort();
    debug_assert_eq!(files, FILES);
    let total = write_licences(out)?;
    println!(
        "wrote {} files ({} bytes) to {} in {:.1} s",
        files.len(),
        total,
        out.display(),
        start.elapsed().as_secs_f32()
    );
    Ok(())
}
