//! The reader: files of one folder (a tour, a lone model's folder, an import's source folder),
//! confined to it. A downloaded tour cannot make a kiosk, an import or a thumbnail run read
//! anything else, block on a FIFO, or read gigabytes from a device.

use crate::{file_type_name, FileError, FileKind};
use disan_assets::path::normalize;
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// A folder whose files are read.
#[derive(Debug, Clone)]
pub struct Folder {
    /// The folder, canonical (symbolic links resolved), so that containment can be checked.
    root: PathBuf,
}

impl Folder {
    /// The folder `dir` (an empty path is the current folder). Fails if it cannot be resolved.
    pub fn new(dir: &Path) -> Result<Folder, FileError> {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let root = dir.canonicalize().map_err(|error| FileError::Io {
            path: dir.display().to_string(),
            error,
        })?;
        if !root.is_dir() {
            return Err(FileError::NotRegular {
                path: dir.display().to_string(),
                what: "not a folder",
            });
        }
        Ok(Folder { root })
    }

    /// The folder of the file `file` (as named on a command line) and the file's name in it:
    /// the file itself is then read through the folder like any other, so a link that leads out
    /// of its folder, a FIFO or a device is refused for it too.
    pub fn for_file(file: &Path) -> Result<(Folder, String), FileError> {
        let shown = || file.display().to_string();
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .filter(|n| !n.is_empty() && *n != "." && *n != "..")
            .ok_or_else(|| FileError::NotRegular {
                path: shown(),
                what: "not a file name",
            })?;
        let dir = file.parent().unwrap_or(Path::new(""));
        let folder = Folder::new(dir).map_err(|e| match e {
            FileError::Io { error, .. } => FileError::Io {
                path: shown(),
                error,
            },
            e => e,
        })?;
        Ok((folder, name.to_string()))
    }

    /// The canonical folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The place `rel` names, for messages (not checked).
    pub fn display(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// The canonical path of `rel` after the checks that precede reading (normalised, inside
    /// the folder through any links, a regular file), and its size.
    fn resolve(&self, rel: &str) -> Result<(PathBuf, u64), FileError> {
        let path = || rel.to_string();
        let norm = normalize(rel).map_err(|problem| FileError::Refused {
            path: path(),
            problem,
        })?;
        let full = self.root.join(&norm);
        let real = full.canonicalize().map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => FileError::NotFound { path: path() },
            _ => FileError::Io {
                path: path(),
                error,
            },
        })?;
        if !real.starts_with(&self.root) {
            return Err(FileError::Outside { path: path() });
        }
        // Before opening: opening a FIFO for reading would block until a writer comes.
        let meta = std::fs::metadata(&real).map_err(|error| FileError::Io {
            path: path(),
            error,
        })?;
        if !meta.is_file() {
            return Err(FileError::NotRegular {
                path: path(),
                what: file_type_name(meta.file_type()),
            });
        }
        Ok((real, meta.len()))
    }

    /// True when `rel` is a regular file inside the folder that could be read (whatever its
    /// size).
    pub fn is_file(&self, rel: &str) -> bool {
        self.resolve(rel).is_ok()
    }

    /// The size of `rel` after the same checks as [`Folder::read`] but the cap.
    pub fn size(&self, rel: &str) -> Result<u64, FileError> {
        self.resolve(rel).map(|(_, len)| len)
    }

    /// Reads `rel` (a `/`-separated path relative to the folder) as a file of `kind`: the path is
    /// normalised and must stay inside, symbolic links must resolve inside, the file must be a
    /// regular file no larger than `kind`'s cap; the size is checked before reading and the read
    /// itself is bounded by the cap.
    pub fn read(&self, rel: &str, kind: FileKind) -> Result<Vec<u8>, FileError> {
        self.read_capped(rel, kind, kind.limit())
    }

    /// [`Folder::read`] with a cap lower than the kind's (a command's own budget).
    pub fn read_capped(&self, rel: &str, kind: FileKind, cap: u64) -> Result<Vec<u8>, FileError> {
        let path = || rel.to_string();
        let limit = cap.min(kind.limit());
        let (real, len) = self.resolve(rel)?;
        if len > limit {
            return Err(FileError::TooLarge {
                path: path(),
                size: len,
                kind,
            });
        }
        let file = std::fs::File::open(&real).map_err(|error| FileError::Io {
            path: path(),
            error,
        })?;
        // The file may have changed since: check again on the open handle, and never read more
        // than the cap whatever it says.
        let meta = file.metadata().map_err(|error| FileError::Io {
            path: path(),
            error,
        })?;
        if !meta.is_file() {
            return Err(FileError::NotRegular {
                path: path(),
                what: file_type_name(meta.file_type()),
            });
        }
        let mut out = Vec::with_capacity(meta.len().min(limit) as usize);
        file.take(limit + 1)
            .read_to_end(&mut out)
            .map_err(|error| FileError::Io {
                path: path(),
                error,
            })?;
        if out.len() as u64 > limit {
            return Err(FileError::TooLarge {
                path: path(),
                size: out.len() as u64,
                kind,
            });
        }
        Ok(out)
    }

    /// Reads `rel` as UTF-8 text of `kind` (a leading byte-order mark is dropped).
    pub fn read_text(&self, rel: &str, kind: FileKind) -> Result<String, FileError> {
        let bytes = self.read(rel, kind)?;
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        String::from_utf8(bytes.to_vec()).map_err(|_| FileError::NotRegular {
            path: rel.to_string(),
            what: "not UTF-8 text",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("disan-files-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("tour/panos")).unwrap();
        d
    }

    #[test]
    fn reads_inside_and_refuses_the_rest() {
        let d = temp("basic");
        std::fs::write(d.join("secret.txt"), b"secret").unwrap();
        std::fs::write(d.join("tour/panos/a.jpg"), b"jpeg").unwrap();
        let f = Folder::new(&d.join("tour")).unwrap();
        assert_eq!(f.read("panos/a.jpg", FileKind::Image).unwrap(), b"jpeg");
        assert_eq!(
            f.read("./panos/../panos/a.jpg", FileKind::Image).unwrap(),
            b"jpeg"
        );
        for bad in [
            "../secret.txt",
            "panos/../../secret.txt",
            "/etc/passwd",
            "C:/x",
            "\\\\s\\x",
        ] {
            let e = f.read(bad, FileKind::Image).unwrap_err();
            assert!(matches!(e, FileError::Refused { .. }), "{bad}: {e}");
            assert!(
                e.to_string()
                    .starts_with(&format!("\"{bad}\": refused path")),
                "{e}"
            );
        }
        let e = f.read("panos/b.jpg", FileKind::Image).unwrap_err();
        assert!(e.is_not_found(), "{e}");
        assert_eq!(e.to_string(), "\"panos/b.jpg\": no such file");
        assert_eq!(e.reason(), "no such file");
        let e = f.read("panos", FileKind::Image).unwrap_err();
        assert_eq!(e.to_string(), "\"panos\": not a regular file (a directory)");
        std::fs::remove_dir_all(&d).ok();
    }

    #[test]
    fn size_cap_before_reading() {
        let d = temp("cap");
        let big = vec![b' '; FileKind::Json.limit() as usize + 1];
        std::fs::write(d.join("tour/tour.json"), &big).unwrap();
        let f = Folder::new(&d.join("tour")).unwrap();
        let e = f.read("tour.json", FileKind::Json).unwrap_err();
        assert!(matches!(e, FileError::TooLarge { .. }), "{e}");
        assert!(
            e.to_string()
                .contains("larger than the 16 MB limit for JSON files"),
            "{e}"
        );
        // The same file is within an image's cap, but not within a command's lower cap.
        assert_eq!(
            f.read("tour.json", FileKind::Image).unwrap().len(),
            big.len()
        );
        let e = f.read_capped("tour.json", FileKind::Image, 10).unwrap_err();
        assert!(matches!(e, FileError::TooLarge { .. }), "{e}");
        std::fs::remove_dir_all(&d).ok();
    }

    #[test]
    fn a_file_named_on_the_command_line_is_read_through_its_folder() {
        let d = temp("forfile");
        std::fs::write(d.join("tour/a.json"), b"\xEF\xBB\xBF{}").unwrap();
        let (f, name) = Folder::for_file(&d.join("tour/a.json")).unwrap();
        assert_eq!(name, "a.json");
        assert_eq!(f.read_text(&name, FileKind::Json).unwrap(), "{}");
        assert!(Folder::for_file(Path::new("/")).is_err());
        std::fs::remove_dir_all(&d).ok();
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_fifos_and_devices_are_refused() {
        let d = temp("links");
        std::fs::write(d.join("secret.txt"), b"secret").unwrap();
        std::fs::write(d.join("tour/inside.jpg"), b"ok").unwrap();
        let t = d.join("tour");
        std::os::unix::fs::symlink(d.join("secret.txt"), t.join("out.jpg")).unwrap();
        std::os::unix::fs::symlink("/etc", t.join("etc")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", t.join("zero.jpg")).unwrap();
        std::os::unix::fs::symlink(t.join("inside.jpg"), t.join("panos/link.jpg")).unwrap();
        let f = Folder::new(&t).unwrap();
        for p in ["out.jpg", "etc/passwd", "zero.jpg"] {
            let e = f.read(p, FileKind::Image).unwrap_err();
            assert!(matches!(e, FileError::Outside { .. }), "{p}: {e}");
            assert!(e.to_string().contains("leads outside the folder"), "{e}");
            assert!(!f.is_file(p));
        }
        // A link that stays inside is fine.
        assert_eq!(f.read("panos/link.jpg", FileKind::Image).unwrap(), b"ok");
        // A FIFO inside the folder: refused without opening it (opening would block).
        let fifo = t.join("fifo.jpg");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let e = f.read("fifo.jpg", FileKind::Image).unwrap_err();
            assert_eq!(e.to_string(), "\"fifo.jpg\": not a regular file (a FIFO)");
        }
        // A link named on the command line that leads out of its folder.
        let e = Folder::for_file(&t.join("zero.jpg"))
            .and_then(|(f, n)| f.read(&n, FileKind::Image))
            .unwrap_err();
        assert!(matches!(e, FileError::Outside { .. }), "{e}");
        std::fs::remove_dir_all(&d).ok();
    }
}
