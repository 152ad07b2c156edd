//! What several subcommands share: opening a tour or a lone model, validation with the catalog
//! beside the tour, byte counts and peak memory in words.

use anyhow::{anyhow, Result};
use disan_viewer::native::files::FileKind;
use disan_viewer::native::{self, TourSource};
use std::path::Path;

/// A size in words: "812 bytes", "12.3 KiB", "4.5 MiB", "1.93 GiB".
pub(crate) fn human(n: u64) -> String {
    const K: f64 = 1024.0;
    let f = n as f64;
    if n < 1024 {
        format!("{n} bytes")
    } else if f < K * K {
        format!("{:.1} KiB", f / K)
    } else if f < K * K * K {
        format!("{:.1} MiB", f / (K * K))
    } else {
        format!("{:.2} GiB", f / (K * K * K))
    }
}

/// Peak resident memory of this process so far (Linux: `VmHWM`), in bytes.
pub(crate) fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

pub(crate) fn is_model(p: &Path) -> bool {
    matches!(
        p.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("gltf" | "glb")
    )
}

pub(crate) fn open(path: &Path) -> Result<(TourSource, disan_tour::Tour)> {
    if is_model(path) {
        native::single_model_tour(path)
    } else {
        let src = TourSource::locate(path);
        let tour = native::load_tour(&src)?;
        Ok((src, tour))
    }
}

/// The tour `file` checked with its catalog beside it, as `disan validate` checks it (the
/// tour file itself keeps its own catalog reference).
pub(crate) fn with_catalog(
    tour: &disan_tour::Tour,
    file: &Path,
    name: &str,
) -> disan_tour::validate::Report {
    let mut check = tour.clone();
    let src = native::TourSource::locate(file);
    if let Ok(b) = src.read_kind(check.catalog_path(), native::files::FileKind::Json) {
        if let Ok(c) = disan_tour::Catalog::from_json(&b, check.catalog_path()) {
            check.merge_catalog(c);
        }
    }
    disan_tour::validate::validate(&check, name)
}

/// Runs `f` on a lone model file: its bytes, its name, and a reader of the files it names,
/// which reads only inside the model's own folder.
pub(crate) fn with_lone_model<T>(
    path: &Path,
    f: impl FnOnce(&[u8], &str, &dyn Fn(&str) -> Result<Vec<u8>, String>) -> T,
) -> Result<T> {
    let (src, _) = native::single_model_tour(path)?;
    let name = src.file_name();
    let bytes = src
        .read_tour_file(FileKind::Model)
        .map_err(|e| anyhow!("{}: {}", path.display(), e.reason()))?;
    let read = |u: &str| match disan_assets::path::join(&name, u) {
        Ok(p) => src
            .read_kind(&p, FileKind::guess(&p))
            .map_err(|e| e.reason()),
        Err(e) => Err(format!("refused path: {e}")),
    };
    Ok(f(&bytes, &name, &read))
}
