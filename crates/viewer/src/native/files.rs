//! Reading files of a tour folder (or a lone model's folder) safely: the path is normalised and
//! must stay inside the folder (no `..` above it, no absolute, drive or UNC paths), symbolic links
//! must resolve inside it too, only regular files are read (no FIFOs or devices), and each kind of
//! file has a size cap checked before reading. A downloaded tour cannot make a kiosk or a
//! thumbnail server read anything else.

pub use disan_assets::path::FileKind;
use disan_assets::path::{mib, normalize, PathProblem};
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// Why a file of the folder was not read. Every message names the path as the tour writes it.
#[derive(Debug)]
pub enum ReadError {
    /// The path is refused before looking at the disk.
    Refused {
        /// The path as written.
        path: String,
        /// Why.
        problem: PathProblem,
    },
    /// The path resolves (through a symbolic link) to a place outside the folder.
    Outside {
        /// The path as written.
        path: String,
    },
    /// Nothing is there.
    NotFound {
        /// The path as written.
        path: String,
    },
    /// Something is there but it is not a regular file (a folder, FIFO, device, socket).
    NotRegular {
        /// The path as written.
        path: String,
        /// What it is instead.
        what: &'static str,
    },
    /// The file is larger than its kind allows.
    TooLarge {
        /// The path as written.
        path: String,
        /// Its size in bytes.
        size: u64,
        /// What it was read as.
        kind: FileKind,
    },
    /// The system refused (permission denied, I/O error…).
    Io {
        /// The path as written.
        path: String,
        /// The system's error.
        error: std::io::Error,
    },
}

impl ReadError {
    /// True when the file does not exist (as opposed to being refused or unreadable).
    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::NotFound { .. })
    }

    /// The path as written.
    pub fn path(&self) -> &str {
        match self {
            ReadError::Refused { path, .. }
            | ReadError::Outside { path }
            | ReadError::NotFound { path }
            | ReadError::NotRegular { path, .. }
            | ReadError::TooLarge { path, .. }
            | ReadError::Io { path, .. } => path,
        }
    }

    /// The reason without the path (for messages that name the path already).
    pub fn reason(&self) -> String {
        match self {
            ReadError::Refused { problem, .. } => format!("refused path: {problem}"),
            ReadError::Outside { .. } => {
                "refused path: a symbolic link leads outside the folder".into()
            }
            ReadError::NotFound { .. } => "no such file".into(),
            ReadError::NotRegular { what, .. } => format!("not a regular file ({what})"),
            ReadError::TooLarge { size, kind, .. } => format!(
                "{size} bytes, larger than the {} limit for {}",
                mib(kind.limit()),
                kind.name()
            ),
            ReadError::Io { error, .. } => io_reason(error),
        }
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "\"{}\": {}", self.path(), self.reason())
    }
}

impl std::error::Error for ReadError {}

/// An I/O error in lower-case words without the OS error number.
fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        PermissionDenied => "permission denied".into(),
        IsADirectory => "is a directory".into(),
        NotFound => "no such file".into(),
        _ => e.to_string(),
    }
}

/// What a non-regular file is, for messages.
fn file_type_name(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a directory"
    } else {
        "not a file"
    }
}

/// A folder whose files are read: a tour folder or a lone model's folder.
#[derive(Debug, Clone)]
pub struct TourFolder {
    /// The folder, canonical (symbolic links resolved), so that containment can be checked.
    root: PathBuf,
}

impl TourFolder {
    /// The folder `dir` (an empty path is the current folder). Fails if it cannot be resolved.
    pub fn new(dir: &Path) -> Result<TourFolder, ReadError> {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let root = dir.canonicalize().map_err(|error| ReadError::Io {
            path: dir.display().to_string(),
            error,
        })?;
        Ok(TourFolder { root })
    }

    /// The canonical folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Reads `rel` (a `/`-separated path relative to the folder) as a file of `kind`: the path is
    /// normalised and must stay inside, symbolic links must resolve inside, the file must be a
    /// regular file no larger than `kind`'s cap; the size is checked before reading and the read
    /// itself is bounded by the cap.
    pub fn read(&self, rel: &str, kind: FileKind) -> Result<Vec<u8>, ReadError> {
        let path = || rel.to_string();
        let norm = normalize(rel).map_err(|problem| ReadError::Refused {
            path: path(),
            problem,
        })?;
        let full = self.root.join(&norm);
        let real = full.canonicalize().map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => ReadError::NotFound { path: path() },
            _ => ReadError::Io {
                path: path(),
                error,
            },
        })?;
        if !real.starts_with(&self.root) {
            return Err(ReadError::Outside { path: path() });
        }
        // Before opening: opening a FIFO for reading would block until a writer comes.
        let meta = std::fs::metadata(&real).map_err(|error| ReadError::Io {
            path: path(),
            error,
        })?;
        if !meta.is_file() {
            return Err(ReadError::NotRegular {
                path: path(),
                what: file_type_name(meta.file_type()),
            });
        }
        let limit = kind.limit();
        if meta.len() > limit {
            return Err(ReadError::TooLarge {
                path: path(),
                size: meta.len(),
                kind,
            });
        }
        let file = std::fs::File::open(&real).map_err(|error| ReadError::Io {
            path: path(),
            error,
        })?;
        // The file may have changed since: check again on the open handle, and never read more
        // than the cap whatever it says.
        let meta = file.metadata().map_err(|error| ReadError::Io {
            path: path(),
            error,
        })?;
        if !meta.is_file() {
            return Err(ReadError::NotRegular {
                path: path(),
                what: file_type_name(meta.file_type()),
            });
        }
        let mut out = Vec::with_capacity(meta.len().min(limit) as usize);
        file.take(limit + 1)
            .read_to_end(&mut out)
            .map_err(|error| ReadError::Io {
                path: path(),
                error,
            })?;
        if out.len() as u64 > limit {
            return Err(ReadError::TooLarge {
                path: path(),
                size: out.len() as u64,
                kind,
            });
        }
        Ok(out)
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
        let f = TourFolder::new(&d.join("tour")).unwrap();
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
            assert!(matches!(e, ReadError::Refused { .. }), "{bad}: {e}");
            assert!(
                e.to_string()
                    .starts_with(&format!("\"{bad}\": refused path")),
                "{e}"
            );
        }
        let e = f.read("panos/b.jpg", FileKind::Image).unwrap_err();
        assert!(e.is_not_found(), "{e}");
        assert_eq!(e.to_string(), "\"panos/b.jpg\": no such file");
        let e = f.read("panos", FileKind::Image).unwrap_err();
        assert_eq!(e.to_string(), "\"panos\": not a regular file (a directory)");
        std::fs::remove_dir_all(&d).ok();
    }

    #[test]
    fn size_cap_before_reading() {
        let d = temp("cap");
        let big = vec![b' '; FileKind::Json.limit() as usize + 1];
        std::fs::write(d.join("tour/tour.json"), &big).unwrap();
        let f = TourFolder::new(&d.join("tour")).unwrap();
        let e = f.read("tour.json", FileKind::Json).unwrap_err();
        assert!(matches!(e, ReadError::TooLarge { .. }), "{e}");
        assert!(
            e.to_string()
                .contains("larger than the 16 MB limit for JSON files"),
            "{e}"
        );
        // The same file is within an image's cap.
        assert_eq!(
            f.read("tour.json", FileKind::Image).unwrap().len(),
            big.len()
        );
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
        let f = TourFolder::new(&t).unwrap();
        for p in ["out.jpg", "etc/passwd", "zero.jpg"] {
            let e = f.read(p, FileKind::Image).unwrap_err();
            assert!(matches!(e, ReadError::Outside { .. }), "{p}: {e}");
            assert!(e.to_string().contains("leads outside the folder"), "{e}");
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
        std::fs::remove_dir_all(&d).ok();
    }
}
