//! The project the studio edits is the tour folder itself: `tour.json` and its catalog, read and
//! written as text through the one file layer. A save names the version it was made from; when
//! the files on disk are no longer that version (another editor, a `git pull`) nothing is written
//! and the author is told. A save writes only what changed, each file atomically, and keeps the
//! version it replaces in `.disan-studio/previous/`.

use crate::StudioError;
use disan_files::{FileKind, Folder, Output, Replace};
use disan_tour::TourJson;

/// The studio's own folder inside the tour folder (nothing is added there from the page).
pub const STUDIO_DIR: &str = ".disan-studio";

/// Where the versions a save replaced are kept, inside the tour folder.
pub const PREVIOUS: &str = ".disan-studio/previous";

/// The tour folder being edited.
#[derive(Debug)]
pub struct Project {
    folder: Folder,
    output: Output,
}

/// The project's files as text, and their version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// `tour.json` as it is on disk (`None`: a new tour, not saved yet).
    pub tour: Option<String>,
    /// The catalog file's path in the folder (the tour's `catalog_file`, else `catalog.json`).
    pub catalog_file: String,
    /// Its text (`None`: no catalog file).
    pub catalog: Option<String>,
    /// A fingerprint of both texts: what a save must name to be written.
    pub version: String,
}

/// What a save did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// The files written (those whose text changed), in the folder.
    pub written: Vec<String>,
    /// The version now on disk.
    pub version: String,
}

impl Project {
    /// Opens the tour folder `dir`, made when it does not exist.
    pub fn open(dir: &std::path::Path) -> Result<Project, StudioError> {
        let output = Output::create(dir, false)?;
        let folder = Folder::new(dir)?;
        clear_stale_temporaries(dir);
        clear_stale_temporaries(&dir.join(PREVIOUS));
        Ok(Project { folder, output })
    }

    /// The folder's reader (the engine's files are served through it).
    pub fn folder(&self) -> &Folder {
        &self.folder
    }

    /// The writer into the folder (added files).
    pub fn output(&self) -> &Output {
        &self.output
    }

    /// Reads `rel` as text, exactly as it is (a byte-order mark kept), when it exists.
    fn text(&self, rel: &str) -> Result<Option<String>, StudioError> {
        match self.folder.read(rel, FileKind::Json) {
            Ok(bytes) => String::from_utf8(bytes)
                .map(Some)
                .map_err(|_| StudioError::NotText(rel.to_string())),
            Err(disan_files::FileError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The tour and its catalog as they are on disk now.
    pub fn snapshot(&self) -> Result<Snapshot, StudioError> {
        let tour = self.text("tour.json")?;
        let catalog_file = tour
            .as_deref()
            .and_then(catalog_file_of)
            .unwrap_or_else(|| "catalog.json".to_string());
        let catalog = self.text(&catalog_file)?;
        let version = version_of(tour.as_deref(), catalog.as_deref());
        Ok(Snapshot {
            tour,
            catalog_file,
            catalog,
            version,
        })
    }

    /// Saves `tour` (and `catalog`, when given) if the files on disk are still `base`. A tour
    /// that is not a tour (it does not parse) is refused before anything is written.
    pub fn save(
        &self,
        base: &str,
        tour: &str,
        catalog: Option<&str>,
    ) -> Result<Saved, StudioError> {
        TourJson::parse(tour.as_bytes(), "tour.json")
            .map_err(|e| StudioError::NotATour(e.to_string()))?;
        if let Some(c) = catalog {
            serde_json::from_str::<serde_json::Value>(c.trim_start_matches('\u{feff}'))
                .map_err(|e| StudioError::NotACatalog(e.to_string()))?;
        }
        let now = self.snapshot()?;
        if now.version != base {
            return Err(StudioError::Changed);
        }
        let catalog_file = catalog_file_of(tour).unwrap_or_else(|| "catalog.json".to_string());
        let mut written = Vec::new();
        let mut put = |rel: &str, old: Option<&str>, new: &str| -> Result<(), StudioError> {
            if old == Some(new) {
                return Ok(());
            }
            if let Some(old) = old {
                let keep = format!("{PREVIOUS}/{}", rel.replace('/', "%2F"));
                self.output
                    .write_with(&keep, old.as_bytes(), Replace::Always)?;
            }
            self.output
                .write_with(rel, new.as_bytes(), Replace::Always)?;
            written.push(rel.to_string());
            Ok(())
        };
        // The catalog first: a tour is never on disk before the records it names.
        if let Some(c) = catalog {
            let old = if catalog_file == now.catalog_file {
                now.catalog.clone()
            } else {
                self.text(&catalog_file)?
            };
            put(&catalog_file, old.as_deref(), c)?;
        }
        put("tour.json", now.tour.as_deref(), tour)?;
        Ok(Saved {
            written,
            version: self.snapshot()?.version,
        })
    }
}

/// Removes what a save killed mid-write left in `dir`: the writer's temporary files of JSON
/// files (`.NAME.json.PID-N.disan-tmp`) whose process is gone. The files themselves are whole:
/// a temporary file only replaces its target by a rename once it is complete.
fn clear_stale_temporaries(dir: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(stem) = name
            .strip_prefix('.')
            .and_then(|n| n.strip_suffix(".disan-tmp"))
        else {
            continue;
        };
        let Some((target, id)) = stem.rsplit_once('.') else {
            continue;
        };
        let pid = id.split('-').next().unwrap_or("");
        let alive = cfg!(target_os = "linux") && std::path::Path::new("/proc").join(pid).exists();
        let regular = e.file_type().is_ok_and(|t| t.is_file());
        if target.ends_with(".json") && regular && !alive {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// The `catalog_file` a tour text names, when it names one.
fn catalog_file_of(tour: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(tour.trim_start_matches('\u{feff}')).ok()?;
    v.get("catalog_file")?.as_str().map(str::to_string)
}

/// A fingerprint of the two texts (FNV-1a, 64 bits, with each text's presence and length).
pub fn version_of(tour: Option<&str>, catalog: Option<&str>) -> String {
    let mut h = disan_files::Fingerprint::default();
    for part in [tour, catalog] {
        match part {
            Some(t) => {
                h.write(&[1]);
                h.write(&(t.len() as u64).to_le_bytes());
                h.write(t.as_bytes());
            }
            None => h.write(&[0]),
        }
    }
    h.hex()
}
