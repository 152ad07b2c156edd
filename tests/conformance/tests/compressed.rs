//! Compressed glTF renders like its uncompressed original: Draco (`KHR_draco_mesh_compression`)
//! and KTX2 / Basis Universal (`KHR_texture_basisu`) variants from the corpus, and meshopt
//! variants (`EXT_meshopt_compression` and `KHR_meshopt_compression`) made here from corpus
//! models with `gltfpack` (npm, in `web/node_modules`). Each pair is drawn with the same camera,
//! framed on the original, and compared with the golden tests' tolerance (at most 1 % of pixels
//! off by more than 24 in a channel, mean difference at most 3); `*.actual.png` and
//! `*.original.png` are written to the target folder on failure. The KTX2 lamp's textures are
//! lossy (ETC1S and UASTC), and its fringe is alpha-masked: a texel a little off flips a masked
//! pixel, so that pair may have up to 3 % of pixels off (its mean stays under 3). Its 17 textures
//! with a PNG/JPEG twin are also transcoded and compared with the twins one by one.
//!
//! Each variant is also made plain with `model::unpack` (the web's lazily loaded decoders do
//! that) and must render the same.
//!
//! The corpus is `$DISAN_CORPUS`, by default `<repo>/../shared/corpus`; without it the test is
//! skipped with a notice, as are the meshopt pairs without gltfpack.

use anyhow::{anyhow, Context, Result};
use disan_assets::RgbaImage;
use disan_conformance as conformance;
use disan_render::GpuContext;
use disan_tour::camera::OrbitCamera;
use std::path::{Path, PathBuf};
use std::process::Command;

const WIDTH: u32 = 320;
const HEIGHT: u32 = 240;

/// Writes `img` as a PNG named `name` in the target folder (for a failing test to show).
fn save(img: &RgbaImage, name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = disan_testkit::save_png(&path, img.width, img.height, &img.pixels);
    path
}

/// The extensions a glTF or GLB file requires.
fn required(file: &Path) -> Result<Vec<String>> {
    let bytes = std::fs::read(file).with_context(|| format!("read {}", file.display()))?;
    let json = if bytes.starts_with(b"glTF") {
        let len = u32::from_le_bytes([bytes[12], bytes[13], bytes[14], bytes[15]]) as usize;
        bytes[20..20 + len].to_vec()
    } else {
        bytes
    };
    let v: serde_json::Value = serde_json::from_slice(&json)?;
    Ok(v["extensionsRequired"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e.as_str().map(str::to_string))
        .collect())
}

/// Renders both files with the camera fitted to `original`; `Err` when they differ by more than
/// `max_bad` pixels (share) or a mean of 3.
fn compare(
    ctx: &GpuContext,
    name: &str,
    compressed: &Path,
    original: &Path,
    max_bad: f64,
) -> Result<String> {
    let (model, _) = conformance::load_model(original)?;
    let projection = OrbitCamera::fit(model.bounds, 30.0, 25.0, None, None)
        .projection(WIDTH as f32, HEIGHT as f32);
    let a = conformance::render_file(ctx, original, projection)
        .with_context(|| format!("{name}: the original"))?;
    let b = conformance::render_file(ctx, compressed, projection)
        .with_context(|| format!("{name}: the compressed variant"))?;
    let cmp = disan_testkit::compare(&a.pixels, &b.pixels);
    let (bad, mean) = (cmp.bad, cmp.mean);
    let line = format!("{name}: {:.2} % of pixels off, mean {mean:.2}", bad * 100.0);
    if bad > max_bad || mean > 3.0 {
        let actual = save(&b, &format!("compressed-{name}.actual.png"));
        save(&a, &format!("compressed-{name}.original.png"));
        return Err(anyhow!(
            "{line} (limits {} %, 3.0); see {}",
            max_bad * 100.0,
            actual.display()
        ));
    }
    Ok(line)
}

/// `web/node_modules/.bin/gltfpack`, if installed.
fn gltfpack() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../web/node_modules/.bin/gltfpack");
    p.exists().then_some(p)
}

#[test]
fn compressed_variants_render_like_their_originals() -> Result<()> {
    let Some(corpus) =
        conformance::corpus_or_skip("compressed_variants_render_like_their_originals")
    else {
        return Ok(());
    };
    let gltf = corpus.join("gltf");
    let packed = corpus.join("gltf-compressed");
    let mut pairs: Vec<(String, PathBuf, PathBuf, &str)> = vec![
        (
            "draco-box".into(),
            packed.join("Box/glTF-Draco/Box.gltf"),
            gltf.join("Box/glTF/Box.gltf"),
            "KHR_draco_mesh_compression",
        ),
        (
            "draco-duck".into(),
            packed.join("Duck/glTF-Draco/Duck.gltf"),
            gltf.join("Duck/glTF-Binary/Duck.glb"),
            "KHR_draco_mesh_compression",
        ),
        (
            "ktx2-lamp".into(),
            packed.join("StainedGlassLamp/glTF-KTX-BasisU/StainedGlassLamp.gltf"),
            packed.join("StainedGlassLamp/glTF-JPG-PNG/StainedGlassLamp.gltf"),
            "KHR_texture_basisu",
        ),
    ];
    // Meshopt fixtures, made now (never committed): EXT and KHR, with the octahedral, quaternion
    // and exponential filters gltfpack picks for normals, tangents and UVs.
    match gltfpack() {
        Some(pack) => {
            let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("meshopt");
            std::fs::create_dir_all(&out)?;
            for (name, src, args, ext) in [
                (
                    "duck",
                    "Duck/glTF-Binary/Duck.glb",
                    &["-cc"][..],
                    "EXT_meshopt_compression",
                ),
                (
                    "duck-khr",
                    "Duck/glTF-Binary/Duck.glb",
                    &["-cc", "-ce", "khr"][..],
                    "KHR_meshopt_compression",
                ),
                (
                    "helmet",
                    "DamagedHelmet/glTF-Binary/DamagedHelmet.glb",
                    &["-cc"][..],
                    "EXT_meshopt_compression",
                ),
                (
                    "box-textured",
                    "BoxTextured/glTF/BoxTextured.gltf",
                    &["-c"][..],
                    "EXT_meshopt_compression",
                ),
            ] {
                let file = out.join(format!("{name}.glb"));
                let ok = Command::new(&pack)
                    .arg("-i")
                    .arg(gltf.join(src))
                    .arg("-o")
                    .arg(&file)
                    .args(args)
                    .output()
                    .map(|o| o.status.success())
                    .unwrap_or(false);
                assert!(ok, "gltfpack failed on {src}");
                pairs.push((format!("meshopt-{name}"), file, gltf.join(src), ext));
            }
        }
        None => eprintln!(
            "notice: gltfpack is not installed (cd web && npm ci): the meshopt pairs are skipped"
        ),
    }
    let ctx = GpuContext::headless()?;
    let mut failures = Vec::new();
    for (name, compressed, original, ext) in &pairs {
        // The variant must really need the decoder, or the pair proves nothing.
        let req = required(compressed)?;
        assert!(
            req.iter().any(|e| e == ext),
            "{name}: {} does not require {ext} ({req:?})",
            compressed.display()
        );
        let max_bad = if *ext == "KHR_texture_basisu" {
            0.03
        } else {
            0.01
        };
        match compare(&ctx, name, compressed, original, max_bad) {
            Ok(line) => eprintln!("{line}"),
            Err(e) => failures.push(format!("{e:#}")),
        }
        // The same file made plain (what the web's decoder module hands the engine): no
        // compressed extension left, and the same picture. Written beside a copy of the
        // variant's folder, whose external images it still names.
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("unpacked-{name}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        let from = compressed.parent().ok_or_else(|| anyhow!("no folder"))?;
        for e in std::fs::read_dir(from)? {
            let p = e?.path();
            if p.is_file() {
                std::fs::copy(&p, dir.join(p.file_name().unwrap_or_default()))?;
            }
        }
        let bytes = std::fs::read(compressed)?;
        let read = |uri: &str| std::fs::read(from.join(uri)).map_err(|e| e.to_string());
        let file = compressed
            .file_name()
            .map(|f| f.to_string_lossy().to_string());
        let glb = disan_assets::model::unpack(&bytes, &file.unwrap_or_default(), &read, None)?;
        let plain = dir.join("plain.glb");
        std::fs::write(&plain, glb)?;
        let left: Vec<String> = required(&plain)?
            .into_iter()
            .filter(|e| disan_assets::model::Codec::of_extension(e).is_some())
            .collect();
        assert!(
            left.is_empty(),
            "{name}: unpacked but still requires {left:?}"
        );
        match compare(&ctx, &format!("{name}-unpacked"), &plain, original, max_bad) {
            Ok(line) => eprintln!("{line}"),
            Err(e) => failures.push(format!("{e:#}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    Ok(())
}

#[test]
fn ktx2_textures_transcode_to_their_png_and_jpeg_twins() -> Result<()> {
    let Some(corpus) =
        conformance::corpus_or_skip("ktx2_textures_transcode_to_their_png_and_jpeg_twins")
    else {
        return Ok(());
    };
    let lamp = corpus.join("gltf-compressed/StainedGlassLamp");
    let mut formats = std::collections::BTreeSet::new();
    let mut compared = 0;
    for entry in std::fs::read_dir(lamp.join("glTF-KTX-BasisU"))? {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("ktx2") {
            continue;
        }
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let twin = ["png", "jpg"]
            .iter()
            .map(|e| lamp.join(format!("glTF-JPG-PNG/{stem}.{e}")))
            .find(|p| p.exists());
        let Some(twin) = twin else { continue };
        let bytes = std::fs::read(&path)?;
        let t = basisu::Transcoder::new(&bytes).map_err(|e| anyhow!("{stem}: {e:?}"))?;
        formats.insert(format!("{:?}", t.source_format()));
        let a = disan_assets::image::decode(&bytes, &stem)?;
        let b = disan_assets::image::decode(&std::fs::read(&twin)?, &stem)?;
        assert_eq!((a.width, a.height), (b.width, b.height), "{stem}");
        let sum: u64 = a
            .pixels
            .iter()
            .zip(&b.pixels)
            .map(|(p, q)| u64::from(p.abs_diff(*q)))
            .sum();
        let mean = sum as f64 / a.pixels.len() as f64;
        eprintln!("{stem}: mean difference {mean:.2}");
        assert!(
            mean < 4.0,
            "{stem}: transcoded texture is {mean:.2} off its twin"
        );
        compared += 1;
    }
    assert!(compared >= 10, "only {compared} textures compared");
    assert!(
        formats.len() >= 2,
        "both ETC1S and UASTC should be covered: {formats:?}"
    );
    Ok(())
}

/// Disan's own KTX2 dispatch (the four targets it uses, so the web module carries only their
/// tables) gives the very bytes of the `basisu` crate's full transcoder, for every texture of the
/// lamp (ETC1S and UASTC, with and without alpha), every level, every block format.
#[test]
fn ktx2_block_transcodes_match_the_basisu_transcoder_byte_for_byte() -> Result<()> {
    use disan_assets::image::BlockFormat;
    let Some(corpus) = conformance::corpus_or_skip(
        "ktx2_block_transcodes_match_the_basisu_transcoder_byte_for_byte",
    ) else {
        return Ok(());
    };
    let dir = corpus.join("gltf-compressed/StainedGlassLamp/glTF-KTX-BasisU");
    let mut compared = 0;
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("ktx2") {
            continue;
        }
        let name = path.display().to_string();
        let bytes = std::fs::read(&path)?;
        let reference = basisu::Transcoder::new(&bytes).map_err(|e| anyhow!("{name}: {e:?}"))?;
        for (format, target) in [
            (BlockFormat::Bc7, basisu::TargetFormat::Bc7Rgba),
            (BlockFormat::Astc4x4, basisu::TargetFormat::Astc4x4Rgba),
            (BlockFormat::Etc2Rgba8, basisu::TargetFormat::Etc2Rgba),
        ] {
            let ours = disan_assets::image::transcode_ktx2(&bytes, &name, format)?
                .ok_or_else(|| anyhow!("{name}: not transcoded to {format:?}"))?;
            for (level, data) in ours.levels.iter().enumerate() {
                let want = reference
                    .transcode(level as u32, target, basisu::DecodeFlags::NONE)
                    .map_err(|e| anyhow!("{name} level {level}: {e:?}"))?;
                assert!(*data == want, "{name} level {level} {format:?} differs");
            }
        }
        let rgba = disan_assets::image::decode(&bytes, &name)?;
        let want = reference
            .transcode(0, basisu::TargetFormat::Rgba32, basisu::DecodeFlags::NONE)
            .map_err(|e| anyhow!("{name}: {e:?}"))?;
        assert!(rgba.pixels == want, "{name} RGBA differs");
        compared += 1;
    }
    assert!(compared >= 10, "only {compared} textures compared");
    Ok(())
}

/// Where the GPU samples a block format (BC7, ASTC or ETC2), KTX2 textures go to it with their
/// mip chains instead of to RGBA8: the lamp then takes much less GPU memory and still renders
/// like its RGBA8 self (the golden tolerance with the lamp's 3 % of masked-fringe pixels).
#[test]
fn ktx2_textures_stay_block_compressed_on_the_gpu() -> Result<()> {
    use disan_render::TextureSource;
    let Some(corpus) =
        conformance::corpus_or_skip("ktx2_textures_stay_block_compressed_on_the_gpu")
    else {
        return Ok(());
    };
    let ctx = GpuContext::headless()?;
    let Some(format) = ctx.block_format() else {
        eprintln!("skipped: this GPU samples no block-compressed format (BC, ASTC, ETC2)");
        return Ok(());
    };
    let file =
        corpus.join("gltf-compressed/StainedGlassLamp/glTF-KTX-BasisU/StainedGlassLamp.gltf");
    let src = disan_viewer::native::TourSource {
        dir: file.parent().map(Path::to_path_buf).unwrap_or_default(),
        file: file.clone(),
    };
    let name = "StainedGlassLamp.gltf";
    let (model, rgba) =
        disan_viewer::native::loader::load_model(&src, name, None).map_err(|e| anyhow!(e))?;
    let (_, blocks) = disan_viewer::native::loader::load_model(&src, name, Some(format))
        .map_err(|e| anyhow!(e))?;
    let compressed = blocks
        .iter()
        .filter(|i| matches!(i, Some(TextureSource::Compressed(_))))
        .count();
    assert!(
        compressed > 0,
        "no texture of the lamp was kept block-compressed ({format:?})"
    );
    let projection = OrbitCamera::fit(model.bounds, 30.0, 25.0, None, None)
        .projection(WIDTH as f32, HEIGHT as f32);
    let draw = |images| conformance::capture_measured(&ctx, &model, images, projection);
    let (a, bytes_rgba) = draw(rgba)?;
    let (b, bytes_blocks) = draw(blocks)?;
    let cmp = disan_testkit::compare(&a.pixels, &b.pixels);
    let (bad, mean) = (cmp.bad, cmp.mean);
    eprintln!(
        "lamp, {compressed} textures as {format:?}: GPU {} MB (RGBA8 {} MB); {:.2} % of pixels off, mean {mean:.2}",
        bytes_blocks >> 20,
        bytes_rgba >> 20,
        bad * 100.0
    );
    assert!(
        bytes_blocks * 2 < bytes_rgba,
        "block-compressed textures should take well under half the memory: {bytes_blocks} vs {bytes_rgba}"
    );
    if bad > 0.03 || mean > 3.0 {
        let p = save(&b, "ktx2-blocks.actual.png");
        save(&a, "ktx2-blocks.rgba.png");
        return Err(anyhow!(
            "{:.2} % of pixels off, mean {mean:.2}; see {}",
            bad * 100.0,
            p.display()
        ));
    }

    // What the web's decoder module hands the engine for this GPU: a plain GLB whose KTX2
    // textures are already this format's blocks (`image::BLOCKS_MIME`). It loads for a GPU
    // of that format (and draws the same), and is refused by name for one without it.
    let from = file.parent().ok_or_else(|| anyhow!("no folder"))?;
    let read = |uri: &str| std::fs::read(from.join(uri)).map_err(|e| e.to_string());
    let glb = disan_assets::model::unpack(&std::fs::read(&file)?, name, &read, Some(format))?;
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("unpacked-blocks");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("lamp.glb"), &glb)?;
    let src = disan_viewer::native::TourSource {
        dir: dir.clone(),
        file: dir.join("lamp.glb"),
    };
    let (plain_model, plain) =
        disan_viewer::native::loader::load_model(&src, "lamp.glb", Some(format))
            .map_err(|e| anyhow!(e))?;
    let blocks_in_glb = plain
        .iter()
        .filter(|i| matches!(i, Some(TextureSource::Compressed(_))))
        .count();
    assert_eq!(
        blocks_in_glb, compressed,
        "the unpacked GLB lost block-compressed textures"
    );
    let (c, bytes_plain) = conformance::capture_measured(&ctx, &plain_model, plain, projection)?;
    assert_eq!(
        bytes_plain, bytes_blocks,
        "the unpacked GLB's textures take other memory"
    );
    let cmp = disan_testkit::compare(&b.pixels, &c.pixels);
    let (bad, mean) = (cmp.bad, cmp.mean);
    assert!(
        bad < 0.001 && mean < 0.1,
        "the unpacked GLB draws otherwise: {bad} {mean}"
    );
    let refused = disan_viewer::native::loader::load_model(&src, "lamp.glb", None)
        .err()
        .unwrap_or_default();
    assert!(
        refused.contains("lamp.glb") && refused.contains("does not sample"),
        "{refused}"
    );
    Ok(())
}
