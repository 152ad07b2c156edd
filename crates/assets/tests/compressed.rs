//! Compressed glTF from the corpus (`gltf-compressed/`): Draco geometry decodes to the same
//! geometry as the uncompressed twin, and damaged Draco, meshopt and KTX2 data give an error that
//! names the file, never a panic. (That they render alike is checked in the conformance tests.)

mod common;

use disan_assets::model::load_and_decode;
use std::path::Path;

fn load(path: &Path) -> disan_assets::ModelData {
    let bytes = std::fs::read(path).expect("read the model");
    load_and_decode(&bytes, "m.gltf", &common::reader(path))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .0
}

#[test]
fn draco_geometry_matches_the_uncompressed_twin() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    for (draco, plain) in [
        (
            "gltf-compressed/Box/glTF-Draco/Box.gltf",
            "gltf/Box/glTF/Box.gltf",
        ),
        (
            "gltf-compressed/Duck/glTF-Draco/Duck.gltf",
            "gltf/Duck/glTF-Binary/Duck.glb",
        ),
    ] {
        let a = load(&corpus.join(draco));
        let b = load(&corpus.join(plain));
        let tris = |m: &disan_assets::ModelData| {
            m.primitives
                .iter()
                .map(|p| p.indices.len() / 3)
                .sum::<usize>()
        };
        assert_eq!(tris(&a), tris(&b), "{draco}: triangles");
        let (ea, eb) = (a.bounds.max - a.bounds.min, b.bounds.max - b.bounds.min);
        assert!(
            (ea - eb).abs().max_element() < 1e-3 * eb.max_element(),
            "{draco}: bounds {:?} against {:?}",
            a.bounds,
            b.bounds
        );
        // Decoded UVs are real texture coordinates, not the zeros of an accessor without data.
        let uv_spread = |m: &disan_assets::ModelData| {
            m.primitives
                .iter()
                .flat_map(|p| p.uv0.iter())
                .fold(0.0f32, |s, uv| s.max(uv[0].abs() + uv[1].abs()))
        };
        if uv_spread(&b) > 0.0 {
            assert!(uv_spread(&a) > 0.0, "{draco}: no texture coordinates");
        }
    }
}

#[test]
fn damaged_compressed_data_is_an_error_naming_the_file() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let dir = corpus.join("gltf-compressed/Duck/glTF-Draco");
    let gltf = std::fs::read(dir.join("Duck.gltf")).expect("read Duck.gltf");
    let bin = std::fs::read(dir.join("Duck.bin")).expect("read Duck.bin");
    let mut failures = 0;
    for k in 0..40usize {
        let mut bad = bin.clone();
        match k {
            0 => bad.truncate(bad.len() / 2),
            1 => bad.iter_mut().for_each(|b| *b = !*b),
            _ => {
                for i in (k * 13..bad.len()).step_by(17 + k) {
                    bad[i] = bad[i].wrapping_mul(31).wrapping_add(k as u8);
                }
            }
        }
        let read = |uri: &str| -> Result<Vec<u8>, String> {
            if uri == "Duck.bin" {
                Ok(bad.clone())
            } else {
                std::fs::read(dir.join(uri)).map_err(|e| e.to_string())
            }
        };
        if let Err(e) = load_and_decode(&gltf, "Duck.gltf", &read) {
            failures += 1;
            assert!(e.to_string().contains("Duck.gltf"), "{e}");
        }
    }
    assert!(failures > 0, "no damaged stream was refused");

    // A KTX2 header over junk.
    let mut ktx = disan_assets::image::KTX2_MAGIC.to_vec();
    ktx.extend((0..200u32).map(|i| (i * 7) as u8));
    let e = disan_assets::image::decode(&ktx, "lamp.ktx2").expect_err("junk decoded");
    assert!(e.to_string().contains("lamp.ktx2"), "{e}");
}

/// A KTX2 texture whose second mip level is damaged is refused where it is decoded (validate,
/// the RGBA8 path), as the GPU path that uploads every level refuses it: they agree.
#[test]
fn a_damaged_mip_level_is_refused() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let file = corpus.join(
        "gltf-compressed/StainedGlassLamp/glTF-KTX-BasisU/StainedGlassLamp_base_basecolor.ktx2",
    );
    let good = std::fs::read(&file).expect("read the texture");
    assert!(disan_assets::image::decode_ktx2(&good, "t.ktx2").is_ok());
    // The level index (after the 80-byte header): byteOffset, byteLength, uncompressed length.
    let u64_at = |b: &[u8], at: usize| u64::from_le_bytes(b[at..at + 8].try_into().unwrap());
    let levels = u32::from_le_bytes(good[40..44].try_into().unwrap());
    assert!(levels > 2, "{levels} levels");
    let (offset, length) = (
        u64_at(&good, 80 + 24) as usize,
        u64_at(&good, 80 + 32) as usize,
    );
    let mut bad = good.clone();
    for (i, b) in bad[offset..offset + length].iter_mut().enumerate() {
        *b = (i as u8).wrapping_mul(151).wrapping_add(7);
    }
    let Err(e) = disan_assets::image::decode_ktx2(&bad, "t.ktx2") else {
        panic!("a texture with a damaged mip level 1 decoded");
    };
    assert!(
        e.to_string().contains("t.ktx2") && e.to_string().contains("level"),
        "{e}"
    );
}
