//! Shared test helpers: finding the corpus and reading files next to a model.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The test corpus: `$DISAN_CORPUS`, else `<repo>/../shared/corpus`. `None` (with a notice) when
/// it is not there, so that the corpus tests skip instead of failing on a fresh clone.
pub fn corpus() -> Option<PathBuf> {
    let dir = match std::env::var_os("DISAN_CORPUS") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"),
    };
    let ok = dir.join("README.md").is_file()
        && dir.join("gltf").is_dir()
        && dir.join("gltf-invalid").is_dir();
    if ok {
        Some(dir)
    } else {
        eprintln!(
            "skipping: no test corpus at {} (set DISAN_CORPUS to its folder)",
            dir.display()
        );
        None
    }
}

/// Every `.gltf` / `.glb` file under `dir`, sorted.
pub fn models_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| x.eq_ignore_ascii_case("gltf") || x.eq_ignore_ascii_case("glb"))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A reader for files next to `model` (URIs are already percent-decoded).
pub fn reader(model: &Path) -> impl Fn(&str) -> Result<Vec<u8>, String> {
    let dir = model.parent().map(Path::to_path_buf).unwrap_or_default();
    move |uri: &str| std::fs::read(dir.join(uri)).map_err(|e| e.to_string())
}

/// `model`'s path relative to `base`, with '/' separators.
pub fn relative(model: &Path, base: &Path) -> String {
    model
        .strip_prefix(base)
        .unwrap_or(model)
        .to_string_lossy()
        .replace('\\', "/")
}
