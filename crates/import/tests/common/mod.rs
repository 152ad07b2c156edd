//! Shared test helpers: the corpus folder, scratch folders, and reading back a written tour.

#![allow(dead_code)]

use disan_tour::model::Tour;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The test corpus: `$DISAN_CORPUS`, else `<repo>/../shared/corpus`. `None` (with a notice) when
/// its tours are not there, so that the corpus tests skip instead of failing on a fresh clone.
pub fn corpus() -> Option<PathBuf> {
    let dir = match std::env::var_os("DISAN_CORPUS") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"),
    };
    if dir.join("tours/README.md").is_file() && dir.join("panoramas").is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipping: no test corpus with tours/ at {} (set DISAN_CORPUS to its folder)",
            dir.display()
        );
        None
    }
}

/// The crate's `tests/fixtures` folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A fresh folder under the system temp folder, removed when dropped.
pub struct Scratch(PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "disan-import-test-{name}-{}-{n}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `contents` to `rel` inside the folder (creating folders).
    pub fn write(&self, rel: &str, contents: &[u8]) -> PathBuf {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, contents).unwrap();
        p
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Reads a written `tour.json` back and checks that `validate` finds nothing wrong.
pub fn read_valid(tour_json: &Path) -> Tour {
    let bytes = std::fs::read(tour_json).unwrap();
    let tour = Tour::from_json(&bytes, "tour.json").unwrap();
    let report = disan_tour::validate::validate(&tour, "tour.json");
    assert!(report.is_ok(), "{report}");
    tour
}

/// The language-neutral text of a LangText.
pub fn und(t: &disan_tour::LangText) -> &str {
    t.get("und")
}

/// True when some note contains `part`.
pub fn noted(notes: &[String], part: &str) -> bool {
    notes.iter().any(|n| n.contains(part))
}

pub fn close(a: f32, b: f64) -> bool {
    (a as f64 - b).abs() < 1e-3
}
