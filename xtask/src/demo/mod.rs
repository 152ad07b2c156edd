//! `cargo xtask demo-assets`: generates the demo tour in `assets/demo/` — two ray-traced
//! equirectangular panoramas (Sân đình, Hậu cung), a procedural Đông Sơn bronze drum (GLB with
//! textures), `tour.json`, `catalog.json` — and `assets/LICENSES.md`. Deterministic: no
//! randomness beyond fixed-seed hashes. `DISAN_DEMO_WIDTH` (default 4096) sets the panorama
//! width for quick previews.

mod drum;
mod glb;
mod hau_cung;
mod noise;
mod pano;
mod roof;
mod rt;
mod san_dinh;
mod tour;

use anyhow::Context;
use glam::Vec3;
use std::path::Path;
use std::time::Instant;

fn encode_png(rgb: &[u8], size: u32) -> anyhow::Result<Vec<u8>> {
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let mut out = Vec::new();
    let enc = PngEncoder::new_with_quality(&mut out, CompressionType::Best, FilterType::Adaptive);
    image::ImageEncoder::write_image(enc, rgb, size, size, image::ExtendedColorType::Rgb8)
        .context("encoding a PNG texture")?;
    Ok(out)
}

fn encode_jpeg(rgb: &[u8], w: u32, h: u32, quality: u8) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
    image::ImageEncoder::write_image(enc, rgb, w, h, image::ExtendedColorType::Rgb8)
        .context("encoding a JPEG")?;
    Ok(out)
}

fn write(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

fn json_bytes(v: &serde_json::Value) -> anyhow::Result<Vec<u8>> {
    let mut s = serde_json::to_string_pretty(v).context("serialising JSON")?;
    s.push('\n');
    Ok(s.into_bytes())
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

/// Generates the demo tour into `out` (normally `assets/demo`).
pub fn run(out: &Path) -> anyhow::Result<()> {
    let width: usize = match std::env::var("DISAN_DEMO_WIDTH") {
        Ok(s) => s
            .parse()
            .with_context(|| format!("DISAN_DEMO_WIDTH={s} is not a number"))?,
        Err(_) => 4096,
    };
    anyhow::ensure!(
        width >= 64 && width & 1 == 0,
        "panorama width must be even and at least 64"
    );
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

    // --- Hotspots from the geometry ----------------------------------------------------------
    let prof = drum::outer_profile();
    let on_drum = |y: f32, phi_deg: f32| {
        let (p, n) = drum::surface_point(&prof, y, phi_deg.to_radians());
        (p.to_array(), n.to_array())
    };
    let placements = tour::Placements {
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
    let p = &placements;
    println!("hotspots (yaw°, pitch°):");
    println!(
        "  san-dinh  door (link hau-cung) {:7.2} {:6.2}",
        p.san_door.0, p.san_door.1
    );
    println!(
        "  san-dinh  stele (bia-da)       {:7.2} {:6.2}",
        p.san_stele.0, p.san_stele.1
    );
    println!(
        "  san-dinh  hall (dinh-lang)     {:7.2} {:6.2}",
        p.san_hall.0, p.san_hall.1
    );
    println!(
        "  hau-cung  drum (link)          {:7.2} {:6.2}",
        p.hau_drum.0, p.hau_drum.1
    );
    println!(
        "  hau-cung  altar (ban-tho)      {:7.2} {:6.2}",
        p.hau_altar.0, p.hau_altar.1
    );
    println!(
        "  hau-cung  door (link san-dinh) {:7.2} {:6.2}",
        p.hau_door.0, p.hau_door.1
    );
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

    write(&out.join("tour.json"), &json_bytes(&tour::tour(p))?)?;
    write(&out.join("catalog.json"), &json_bytes(&tour::catalog())?)?;
    files.push("tour.json".into());
    files.push("catalog.json".into());
    files.sort();

    let mut listed = Vec::new();
    for f in &files {
        let len = std::fs::metadata(out.join(f))
            .with_context(|| format!("reading the size of {f}"))?
            .len();
        listed.push((f.clone(), len));
    }
    let assets = out.parent().context("the output folder has no parent")?;
    let lic_path = assets.join("LICENSES.md");
    let existing = match std::fs::read_to_string(&lic_path) {
        Ok(s) => Some(s),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("reading {}", lic_path.display())),
    };
    write(
        &lic_path,
        tour::licenses(existing.as_deref(), &listed).as_bytes(),
    )?;
    let total: u64 = listed.iter().map(|f| f.1).sum();
    println!(
        "wrote {} files ({} bytes) to {} in {:.1} s",
        listed.len(),
        total,
        out.display(),
        start.elapsed().as_secs_f32()
    );
    Ok(())
}
