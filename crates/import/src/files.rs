//! The files of an import: turning the paths a source names into tour-relative paths (refusing
//! what lies outside the source folder), copying what exists, listing what does not, and
//! enumerating the tiles of a tile pyramid.

use crate::{ImportError, Source};
use disan_files::{FileError, FileKind, Folder, Output};
use disan_tour::model::TileSource;
use disan_tour::tiles::Pyramid;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A tile pyramid with more tiles than this is not enumerated (a 2-gigapixel panorama has
/// about 20 000 tiles at its finest level).
pub(crate) const MAX_TILES: u64 = 1 << 21;

/// A source path made tour-relative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mapped {
    /// The path inside the tour folder (and, when `readable`, inside the source folder).
    pub rel: String,
    /// False for URLs, absolute paths and paths leaving the source folder: not read.
    pub readable: bool,
}

/// One import in progress: where files come from and go, and what has been said.
#[derive(Debug)]
pub(crate) struct Job {
    /// The viewer the input is read as.
    pub source: Source,
    /// The input file.
    pub input: PathBuf,
    /// The folder relative paths start from.
    pub root: PathBuf,
    /// The tour folder.
    pub out: PathBuf,
    /// Notes for the user.
    pub notes: Vec<String>,
    /// Tour-relative paths that were not found.
    pub missing: Vec<String>,
    /// Files copied.
    pub copied: usize,
    /// Existing files of `out` may be replaced (`--force`).
    pub force: bool,
    /// Tour-relative paths handled so far, and whether they exist.
    done: HashMap<String, bool>,
    /// The source folder, opened on first use (every read goes through it).
    folder: Option<Folder>,
    /// The tour folder is the source folder (importing in place): nothing is copied.
    in_place: bool,
    /// The tour folder, opened on first use (every write goes through it).
    output: Option<Output>,
}

impl Job {
    /// A new import of `input`, reading relative paths from `root`, writing into `out`.
    pub(crate) fn new(source: Source, input: &Path, root: &Path, out: &Path) -> Job {
        Job {
            source,
            input: input.to_path_buf(),
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            notes: Vec::new(),
            missing: Vec::new(),
            copied: 0,
            force: false,
            done: HashMap::new(),
            folder: None,
            in_place: false,
            output: None,
        }
    }

    /// The source folder (read through the one file layer).
    fn folder(&mut self) -> Result<&Folder, ImportError> {
        if self.folder.is_none() {
            let f = Folder::new(&self.root).map_err(|e| ImportError::Parse {
                file: self.root.clone(),
                message: format!("the source folder cannot be read: {}", e.reason()),
            })?;
            // Known once: a tour folder that does not exist yet is not the source folder.
            self.in_place = std::fs::canonicalize(&self.out).is_ok_and(|o| o == f.root());
            self.folder = Some(f);
        }
        self.folder
            .as_ref()
            .ok_or_else(|| self.parse_error("no source folder"))
    }

    /// The tour folder (written through the one file layer).
    pub(crate) fn output(&mut self) -> Result<&Output, ImportError> {
        if self.output.is_none() {
            let o = Output::create(&self.out, self.force).map_err(|e| ImportError::Write {
                path: self.out.clone(),
                message: e.reason(),
            })?;
            self.output = Some(o);
        }
        self.output
            .as_ref()
            .ok_or_else(|| self.parse_error("no tour folder"))
    }

    /// Adds a note.
    pub(crate) fn note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }

    /// A format error naming the input.
    pub(crate) fn format_error(&self, message: impl Into<String>) -> ImportError {
        ImportError::Format {
            file: self.input.clone(),
            viewer: self.source,
            message: message.into(),
        }
    }

    /// The error when every scene was left out: names why (the notes that said so).
    pub(crate) fn no_scene_error(&self) -> ImportError {
        let why: Vec<&str> = self
            .notes
            .iter()
            .filter(|n| n.contains("left out"))
            .take(5)
            .map(String::as_str)
            .collect();
        let why = if why.is_empty() {
            "no scene found".to_string()
        } else {
            why.join("; ")
        };
        self.format_error(format!("no scene could be imported: {why}"))
    }

    /// A parse error naming the input.
    pub(crate) fn parse_error(&self, message: impl Into<String>) -> ImportError {
        ImportError::Parse {
            file: self.input.clone(),
            message: message.into(),
        }
    }

    /// The tour-relative path for `raw` as the source writes it (`what` names it in notes);
    /// `None` when nothing usable is left of it (empty, a `data:` URI).
    pub(crate) fn map(&mut self, what: &str, raw: &str) -> Option<Mapped> {
        let raw = raw.trim();
        if raw.is_empty() {
            self.note(format!("{what}: empty path ignored"));
            return None;
        }
        if raw
            .get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case("data:"))
        {
            self.note(format!("{what}: embedded data: URI not imported"));
            return None;
        }
        if let Some(path) = url_path(raw) {
            let (rel, _) = normalise(path);
            if rel.is_empty() {
                self.note(format!("{what}: {raw} is a URL: not fetched"));
                return None;
            }
            self.note(format!(
                "{what}: {raw} is a URL: not fetched; tour.json names {rel}: put the file there"
            ));
            return Some(Mapped {
                rel,
                readable: false,
            });
        }
        let path = raw.replace('\\', "/");
        let drive = path.len() >= 2
            && path.as_bytes()[0].is_ascii_alphabetic()
            && path.as_bytes()[1] == b':';
        let absolute = drive || path.starts_with('/');
        let (rel, escapes) = normalise(if drive { &path[2..] } else { &path });
        if rel.is_empty() {
            self.note(format!("{what}: path {raw} names no file: ignored"));
            return None;
        }
        if absolute || escapes {
            let why = if absolute {
                "is absolute".to_string()
            } else {
                format!("leaves the source folder {}", self.root.display())
            };
            self.note(format!(
                "{what}: {raw} {why}: not read; tour.json names {rel}: put the file there"
            ));
            return Some(Mapped {
                rel,
                readable: false,
            });
        }
        Some(Mapped {
            rel,
            readable: true,
        })
    }

    /// Maps `raw` and copies the file: its tour-relative path, listed in `missing` when absent.
    pub(crate) fn file(&mut self, what: &str, raw: &str) -> Result<Option<String>, ImportError> {
        let Some(m) = self.map(what, raw) else {
            return Ok(None);
        };
        self.copy(&m.rel, m.readable)?;
        Ok(Some(m.rel))
    }

    /// Whether the file `raw` names exists in the source (without copying it or noting).
    pub(crate) fn exists(&self, raw: &str) -> bool {
        if url_path(raw).is_some() || raw.starts_with('/') {
            return false;
        }
        let (rel, escapes) = normalise(&raw.replace('\\', "/"));
        !escapes && !rel.is_empty() && Folder::new(&self.root).is_ok_and(|f| f.is_file(&rel))
    }

    /// Copies `rel` from the source folder into the tour folder: true when it exists; false
    /// (and listed in `missing`) when it does not or is not `readable`.
    pub(crate) fn copy(&mut self, rel: &str, readable: bool) -> Result<bool, ImportError> {
        if let Some(&ok) = self.done.get(rel) {
            return Ok(ok);
        }
        let ok = readable && is_safe(rel) && self.copy_one(rel)?;
        if !ok {
            self.missing.push(rel.to_string());
        }
        self.done.insert(rel.to_string(), ok);
        Ok(ok)
    }

    /// Reads `rel` from the source folder (confined to it: a link out of it, a FIFO or a device
    /// is not read, and said so in a note) and writes it into the tour folder (never through a
    /// link, never over an existing file unless forced).
    fn copy_one(&mut self, rel: &str) -> Result<bool, ImportError> {
        self.folder()?;
        let in_place = self.in_place;
        let folder = self.folder()?;
        // In place the file is already where the tour wants it: checked, not read.
        let found = if in_place {
            folder.size(rel).map(|_| Vec::new())
        } else {
            folder.read(rel, FileKind::guess(rel))
        };
        let bytes = match found {
            Ok(b) => b,
            Err(FileError::NotFound { .. }) => return Ok(false),
            Err(e) => {
                self.note(format!("{rel}: not copied: {}", e.reason()));
                return Ok(false);
            }
        };
        if in_place {
            return Ok(true);
        }
        let out = self.output()?;
        out.write(rel, &bytes).map_err(|e| ImportError::Write {
            path: out.path(rel),
            message: e.reason(),
        })?;
        self.copied += 1;
        Ok(true)
    }

    /// Copies every tile of `tiles` (whose paths are tour-relative, and source-relative when
    /// `readable`), listing the absent ones in `missing`. `what` names the scene in notes.
    pub(crate) fn tiles(
        &mut self,
        what: &str,
        tiles: &TileSource,
        readable: bool,
    ) -> Result<(), ImportError> {
        let pyramid = match Pyramid::from_tiles(tiles) {
            Ok(p) => p,
            Err(e) => {
                self.note(format!("{what}: tiles not copied: {e}"));
                return Ok(());
            }
        };
        let count = pyramid.tile_count();
        if count > MAX_TILES {
            self.note(format!(
                "{what}: {count} tiles, more than {MAX_TILES}: not copied, copy them yourself"
            ));
            return Ok(());
        }
        for level in 0..pyramid.levels.len() {
            for key in pyramid.level_tiles(level) {
                let rel = pyramid.path(key);
                self.copy(&rel, readable)?;
            }
        }
        Ok(())
    }
}

/// The path part of a URL (`http://host/a/b.jpg` → `a/b.jpg`, query and fragment dropped);
/// `None` when `s` is not a URL. `C:` (a drive letter) is not a scheme.
fn url_path(s: &str) -> Option<&str> {
    let rest = if let Some(r) = s.strip_prefix("//") {
        r
    } else {
        let colon = s.find(':')?;
        let scheme = &s[..colon];
        let is_scheme = scheme.len() > 1
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if !is_scheme {
            return None;
        }
        match s[colon + 1..].strip_prefix("//") {
            Some(r) => r,
            None => return Some(&s[colon + 1..]),
        }
    };
    // Drop the host, then the query and fragment.
    let path = rest.find('/').map(|i| &rest[i + 1..]).unwrap_or("");
    let end = path.find(['?', '#']).unwrap_or(path.len());
    Some(&path[..end])
}

/// `path` with `.` and empty components removed and `..` applied; the flag is true when a
/// `..` went above the start (those components are dropped).
fn normalise(path: &str) -> (String, bool) {
    let mut parts: Vec<&str> = Vec::new();
    let mut escapes = false;
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    escapes = true;
                }
            }
            c => parts.push(c),
        }
    }
    (parts.join("/"), escapes)
}

/// True for a clean relative path (what [`normalise`] makes): joining it stays inside.
fn is_safe(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.starts_with('/')
        && !rel.contains('\\')
        && !rel.contains(':')
        && rel
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job() -> Job {
        Job::new(
            Source::Pannellum,
            Path::new("in/config.json"),
            Path::new("in"),
            Path::new("out"),
        )
    }

    #[test]
    fn relative_paths_are_cleaned() {
        let mut j = job();
        let m = j.map("scene a", "./images/../panos/a.jpg").unwrap();
        assert_eq!(
            m,
            Mapped {
                rel: "panos/a.jpg".into(),
                readable: true
            }
        );
        assert!(j.notes.is_empty());
        assert_eq!(
            j.map("x", "tiles\\%l\\%s.jpg").unwrap().rel,
            "tiles/%l/%s.jpg"
        );
    }

    #[test]
    fn outside_paths_and_urls_are_not_read() {
        let mut j = job();
        for (raw, rel) in [
            ("../secret/a.jpg", "secret/a.jpg"),
            ("a/../../b.jpg", "b.jpg"),
            ("/etc/passwd", "etc/passwd"),
            ("C:\\pano\\a.jpg", "pano/a.jpg"),
            ("https://example.org/media/p.jpg?v=2", "media/p.jpg"),
            ("//cdn.example.org/t/%s.jpg", "t/%s.jpg"),
        ] {
            let m = j.map("scene a", raw).unwrap();
            assert_eq!((m.rel.as_str(), m.readable), (rel, false), "{raw}");
        }
        assert_eq!(j.notes.len(), 6);
        assert!(
            j.notes[0].contains("leaves the source folder"),
            "{:?}",
            j.notes
        );
        assert!(
            j.notes[4].contains("is a URL: not fetched"),
            "{:?}",
            j.notes
        );
        assert!(j.map("scene a", "data:image/png;base64,AAAA").is_none());
        assert!(j.map("scene a", "  ").is_none());
        assert!(j.map("scene a", "..").is_none());
    }

    #[test]
    fn unsafe_tile_paths_are_not_copied() {
        let mut j = job();
        assert!(!j.copy("../x.jpg", true).unwrap());
        assert!(!j.copy("a/./b.jpg", true).unwrap());
        assert_eq!(j.missing, vec!["../x.jpg", "a/./b.jpg"]);
        assert!(is_safe("a/b.jpg"));
    }
}
