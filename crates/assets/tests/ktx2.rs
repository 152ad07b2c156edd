//! Damaged KTX2 / Basis Universal textures (cut short, bytes flipped) give an error naming the
//! file, never a panic, through every path that transcodes them: to RGBA8 and to each block
//! format. The textures are the corpus lamp's smallest (ETC1S and UASTC).

#![allow(clippy::unwrap_used)] // test code: a panic is how a test fails

use disan_assets::image::{decode, transcode_ktx2, BlockFormat};
use std::path::PathBuf;

fn corpus() -> PathBuf {
    std::env::var_os("DISAN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"))
}

#[test]
fn damaged_ktx2_textures_are_refused_without_a_panic() {
    let dir = corpus().join("gltf-compressed/StainedGlassLamp/glTF-KTX-BasisU");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!(
            "# skipped: no corpus at {} (set DISAN_CORPUS)",
            dir.display()
        );
        return;
    };
    let mut files: Vec<(u64, PathBuf)> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ktx2"))
        .map(|p| (std::fs::metadata(&p).unwrap().len(), p))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "the lamp's KTX2 textures");
    let mut refused = 0;
    for (_, path) in files.iter().take(3) {
        let bytes = std::fs::read(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        decode(&bytes, &name).unwrap();
        let mut variants: Vec<Vec<u8>> = [0, 12, 48, 80, 120, bytes.len() / 3, bytes.len() - 1]
            .iter()
            .map(|&n| bytes[..n].to_vec())
            .collect();
        for k in 1..48 {
            let mut v = bytes.clone();
            v[k * bytes.len() / 48] ^= 0xA5;
            variants.push(v);
        }
        for v in &variants {
            let results = [
                decode(v, &name).err(),
                transcode_ktx2(v, &name, BlockFormat::Bc7).err(),
                transcode_ktx2(v, &name, BlockFormat::Astc4x4).err(),
                transcode_ktx2(v, &name, BlockFormat::Etc2Rgba8).err(),
            ];
            for e in results.into_iter().flatten() {
                assert!(e.to_string().contains(&name), "{e}");
                refused += 1;
            }
        }
    }
    // Cut files always fail; most flipped bytes land in data the codecs check.
    assert!(refused >= 3 * 7 * 4, "only {refused} refusals");
}
