//! `disan optimize` makes derivatives that render like the model they come from. Corpus models
//! (textured, vertex-coloured, several materials and nodes) go through `disan_optimize`, each
//! level is read back with the viewer's loader (meshopt decoding included) and rendered with
//! the camera fitted to the original:
//! - a level that keeps every triangle (a small model's low/medium/high) must match the original
//!   within the golden tolerance widened for re-encoded textures (at most 3 % of pixels off by
//!   more than 24, mean at most 4): it proves the baked transforms, materials, samplers, UVs,
//!   colours and quantized normals;
//! - the thumb must stay under 200 KB, draw the object where the original is (at most 12 % of
//!   pixels off by more than 24), and not be blank;
//! - every texture is KTX2 (`KHR_texture_basisu`, ETC1S or UASTC), read back as the viewer
//!   reads it.
//!
//! Skipped with a notice without the corpus.

use anyhow::{anyhow, Context, Result};
use disan_assets::RgbaImage;
use disan_conformance as conformance;
use disan_render::GpuContext;
use disan_tour::camera::OrbitCamera;
use disan_tour::derivatives::Quality;
use std::path::{Path, PathBuf};

const WIDTH: u32 = 320;
const HEIGHT: u32 = 240;

/// Writes `img` as a PNG named `name` in the target folder (for a failing test to show).
fn save(img: &RgbaImage, name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = disan_testkit::save_png(&path, img.width, img.height, &img.pixels);
    path
}

fn read_beside(model: &Path) -> impl Fn(&str) -> Result<Vec<u8>, String> + '_ {
    move |rel: &str| {
        let dir = model.parent().unwrap_or(Path::new("."));
        std::fs::read(dir.join(rel)).map_err(|e| e.to_string())
    }
}

#[test]
fn derivatives_render_like_their_original() -> Result<()> {
    let Some(corpus) = conformance::corpus_or_skip("derivatives_render_like_their_original") else {
        return Ok(());
    };
    let gltf = corpus.join("gltf");
    let models = [
        gltf.join("DamagedHelmet/glTF-Binary/DamagedHelmet.glb"),
        gltf.join("Duck/glTF-Binary/Duck.glb"),
        gltf.join("BoxVertexColors/glTF-Binary/BoxVertexColors.glb"),
        gltf.join("ToyCar/glTF/ToyCar.gltf"),
        gltf.join("TextureTransformTest/glTF/TextureTransformTest.gltf"),
    ];
    let ctx = GpuContext::headless()?;
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("derivatives");
    std::fs::create_dir_all(&out)?;
    let mut failures = Vec::new();
    let mut lines = Vec::new();
    for model in models.iter().filter(|m| m.is_file()) {
        let name = model
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = std::fs::read(model)?;
        let file = model
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut steps = 0;
        let levels = disan_optimize::optimize(
            &bytes,
            &file,
            &read_beside(model),
            disan_optimize::Textures::Ktx2,
            &mut |_, _, _| steps += 1,
        )
        .with_context(|| format!("optimize {name}"))?;
        assert!(steps >= 3, "{name}: progress was reported {steps} times");
        assert_eq!(levels[0].quality, Quality::Thumb, "{name}: no thumb first");
        let (original_model, _) = conformance::load_model(model)?;
        let source_triangles: usize = original_model
            .instances
            .iter()
            .map(|i| original_model.primitives[i.primitive].indices.len() / 3)
            .sum();
        let projection = OrbitCamera::fit(original_model.bounds, 30.0, 25.0, None, None)
            .projection(WIDTH as f32, HEIGHT as f32);
        let original = conformance::render_file(&ctx, model, projection)?;
        for level in &levels {
            let q = level.quality.name();
            // Textures are KTX2 (KHR_texture_basisu), with no JPEG/PNG twin.
            let glb = disan_assets::model::parse_glb(&level.glb).map_err(|e| anyhow!(e))?;
            let json: serde_json::Value = serde_json::from_slice(glb.json)?;
            let images = json["images"].as_array().cloned().unwrap_or_default();
            let required = json["extensionsRequired"].to_string();
            if images.iter().any(|i| i["mimeType"] != "image/ktx2")
                || (!images.is_empty() && !required.contains("KHR_texture_basisu"))
            {
                failures.push(format!("{name} {q}: textures are not all KTX2: {images:?}"));
            }
            let path = out.join(format!("{name}-{q}.glb"));
            std::fs::write(&path, &level.glb)?;
            let img = conformance::render_file(&ctx, &path, projection)
                .with_context(|| format!("{name} {q} does not load"))?;
            let cmp = disan_testkit::compare(&original.pixels, &img.pixels);
            let (bad, mean) = (cmp.bad, cmp.mean);
            let line = format!(
                "{name} {q}: {} triangles of {source_triangles}, {} KB, {:.2} % off, mean {mean:.2}",
                level.triangles,
                level.glb.len() / 1024,
                bad * 100.0
            );
            let whole = level.triangles as usize == source_triangles;
            let (max_bad, max_mean) = if level.quality == Quality::Thumb && !whole {
                (0.12, 12.0)
            } else {
                (0.03, 4.0)
            };
            if level.quality == Quality::Thumb && level.glb.len() > disan_optimize::THUMB_MAX_BYTES
            {
                failures.push(format!("{line}: the thumb is over 200 KB"));
            }
            if bad > max_bad || mean > max_mean {
                let actual = save(&img, &format!("derivative-{name}-{q}.actual.png"));
                save(&original, &format!("derivative-{name}-{q}.original.png"));
                failures.push(format!(
                    "{line} (limits {} %, {max_mean}); see {}",
                    max_bad * 100.0,
                    actual.display()
                ));
            }
            lines.push(line);
        }
    }
    for l in &lines {
        eprintln!("{l}");
    }
    if !failures.is_empty() {
        return Err(anyhow!("{}", failures.join("\n")));
    }
    Ok(())
}

/// A scan that is not glTF gives an error naming the file.
#[test]
fn a_broken_scan_is_refused_with_its_name() {
    let err = disan_optimize::optimize(
        b"glTF\x02\0\0\0garbage",
        "broken.glb",
        &|_| Err("no".into()),
        disan_optimize::Textures::Ktx2,
        &mut |_, _, _| {},
    )
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(err.contains("broken.glb"), "{err}");
}
