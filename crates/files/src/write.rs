//! The writer: files into one output folder, atomically (a temporary file beside the target,
//! then a rename, so a reader never sees half a file and a failed write leaves the old one),
//! never through a symbolic link (a `thumbs` link in a downloaded tour cannot send files
//! elsewhere), and never over an existing file unless the command was asked to (`--force`) or
//! the file is one it is meant to update.

use crate::{file_type_name, FileError};
use disan_assets::path::normalize;
use std::collections::HashSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// An output folder.
#[derive(Debug)]
pub struct Output {
    /// The folder as given (created if missing).
    root: PathBuf,
    /// Existing files may be replaced.
    force: bool,
    /// Folders below the root already checked to be real folders (not links).
    checked: Mutex<HashSet<String>>,
    /// Numbers the temporary files of this process.
    counter: AtomicU64,
}

/// How a write treats a file that exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replace {
    /// Refused unless the output was opened with `force`.
    IfForced,
    /// Replaced: the command updates this file by design (the tour it was asked to edit).
    Always,
}

impl Output {
    /// The folder `dir`, created if it does not exist. `force` lets writes replace existing
    /// files. The folder itself is refused when it is a symbolic link or not a folder.
    pub fn create(dir: &Path, force: bool) -> Result<Output, FileError> {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let shown = || dir.display().to_string();
        match std::fs::symlink_metadata(dir) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(FileError::Link {
                    path: shown(),
                    link: shown(),
                })
            }
            Ok(m) if !m.is_dir() => {
                return Err(FileError::NotRegular {
                    path: shown(),
                    what: "not a folder",
                })
            }
            Ok(_) => {}
            Err(_) => std::fs::create_dir_all(dir).map_err(|error| FileError::Io {
                path: shown(),
                error,
            })?,
        }
        Ok(Output {
            root: dir.to_path_buf(),
            force,
            checked: Mutex::new(HashSet::new()),
            counter: AtomicU64::new(0),
        })
    }

    /// The folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether existing files may be replaced.
    pub fn force(&self) -> bool {
        self.force
    }

    /// Where `rel` is written (for messages).
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// True when something (a file, folder or link) is at `rel`.
    pub fn exists(&self, rel: &str) -> bool {
        normalize(rel).is_ok_and(|n| std::fs::symlink_metadata(self.root.join(n)).is_ok())
    }

    /// Writes `bytes` to `rel`, refusing to replace an existing file unless forced.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<PathBuf, FileError> {
        self.write_with(rel, bytes, Replace::IfForced)
    }

    /// Writes `bytes` to `rel`, replacing what is there (a file the command updates by design).
    pub fn replace(&self, rel: &str, bytes: &[u8]) -> Result<PathBuf, FileError> {
        self.write_with(rel, bytes, Replace::Always)
    }

    /// Writes `bytes` to `rel` (a `/`-separated path inside the folder): its folders are made
    /// (each must be a real folder, not a link), the file must not be a link nor, unless
    /// `replace` allows it, exist; the bytes go to a new temporary file beside it that is then
    /// renamed over it.
    pub fn write_with(
        &self,
        rel: &str,
        bytes: &[u8],
        replace: Replace,
    ) -> Result<PathBuf, FileError> {
        let norm = normalize(rel).map_err(|problem| FileError::Refused {
            path: rel.to_string(),
            problem,
        })?;
        let (dir_rel, name) = match norm.rsplit_once('/') {
            Some((d, n)) => (Some(d), n),
            None => (None, norm.as_str()),
        };
        let dir = match dir_rel {
            Some(d) => self.folder(rel, d)?,
            None => self.root.clone(),
        };
        let target = dir.join(name);
        let io = |error| FileError::Io {
            path: rel.to_string(),
            error,
        };
        match std::fs::symlink_metadata(&target) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(FileError::Link {
                    path: rel.to_string(),
                    link: norm.clone(),
                })
            }
            Ok(m) if !m.is_file() => {
                return Err(FileError::NotRegular {
                    path: rel.to_string(),
                    what: file_type_name(m.file_type()),
                })
            }
            Ok(_) if replace == Replace::IfForced && !self.force => {
                return Err(FileError::Exists {
                    path: rel.to_string(),
                })
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(e)),
        }
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.{}-{n}.disan-tmp", std::process::id()));
        // `create_new` never follows a link: it fails if anything is at the temporary name.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(io)?;
        let written = file.write_all(bytes).and_then(|_| file.flush());
        drop(file);
        if let Err(e) = written.and_then(|_| std::fs::rename(&tmp, &target)) {
            std::fs::remove_file(&tmp).ok();
            return Err(io(e));
        }
        Ok(target)
    }

    /// Makes the folder `dir_rel` (normalised) below the root, each part a real folder.
    fn folder(&self, rel: &str, dir_rel: &str) -> Result<PathBuf, FileError> {
        if self.checked.lock().is_ok_and(|c| c.contains(dir_rel)) {
            return Ok(self.root.join(dir_rel));
        }
        let mut at = self.root.clone();
        let mut so_far = String::new();
        for part in dir_rel.split('/') {
            at.push(part);
            if !so_far.is_empty() {
                so_far.push('/');
            }
            so_far.push_str(part);
            match std::fs::symlink_metadata(&at) {
                Ok(m) if m.file_type().is_symlink() => {
                    return Err(FileError::Link {
                        path: rel.to_string(),
                        link: so_far,
                    })
                }
                Ok(m) if m.is_dir() => {}
                Ok(m) => {
                    return Err(FileError::NotRegular {
                        path: so_far,
                        what: file_type_name(m.file_type()),
                    })
                }
                Err(_) => match std::fs::create_dir(&at) {
                    Ok(()) => {}
                    // Made meanwhile by another thread: checked again below.
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        let m = std::fs::symlink_metadata(&at).map_err(|error| FileError::Io {
                            path: rel.to_string(),
                            error,
                        })?;
                        if !m.is_dir() || m.file_type().is_symlink() {
                            return Err(FileError::Link {
                                path: rel.to_string(),
                                link: so_far,
                            });
                        }
                    }
                    Err(error) => {
                        return Err(FileError::Io {
                            path: rel.to_string(),
                            error,
                        })
                    }
                },
            }
        }
        if let Ok(mut c) = self.checked.lock() {
            c.insert(dir_rel.to_string());
        }
        Ok(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("disan-write-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn writes_atomically_and_does_not_overwrite_unless_asked() {
        let d = temp("basic");
        let out = Output::create(&d.join("out"), false).unwrap();
        let p = out.write("a/b/c.txt", b"one").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"one");
        let e = out.write("a/b/c.txt", b"two").unwrap_err();
        assert!(matches!(e, FileError::Exists { .. }), "{e}");
        assert!(e.to_string().contains("use --force"), "{e}");
        assert_eq!(std::fs::read(&p).unwrap(), b"one");
        out.replace("a/b/c.txt", b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let forced = Output::create(&d.join("out"), true).unwrap();
        forced.write("a/b/c.txt", b"three").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"three");
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(d.join("out/a/b"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("c.txt")]);
        for bad in ["../x", "/etc/x", "a/../../x"] {
            let e = out.write(bad, b"x").unwrap_err();
            assert!(matches!(e, FileError::Refused { .. }), "{bad}: {e}");
        }
        std::fs::remove_dir_all(&d).ok();
    }

    #[cfg(unix)]
    #[test]
    fn never_writes_through_a_link() {
        let d = temp("links");
        let elsewhere = d.join("elsewhere");
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::create_dir_all(d.join("out")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, d.join("out/thumbs")).unwrap();
        std::os::unix::fs::symlink(elsewhere.join("t.json"), d.join("out/tour.json")).unwrap();
        let out = Output::create(&d.join("out"), true).unwrap();
        let e = out.write("thumbs/a.jpg", b"x").unwrap_err();
        assert!(matches!(e, FileError::Link { .. }), "{e}");
        assert_eq!(
            e.to_string(),
            "\"thumbs/a.jpg\": not written: thumbs is a symbolic link"
        );
        let e = out.replace("tour.json", b"{}").unwrap_err();
        assert!(matches!(e, FileError::Link { .. }), "{e}");
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
        // The output folder itself may not be a link either.
        std::os::unix::fs::symlink(&elsewhere, d.join("linked")).unwrap();
        assert!(matches!(
            Output::create(&d.join("linked"), true).unwrap_err(),
            FileError::Link { .. }
        ));
        std::fs::remove_dir_all(&d).ok();
    }

    #[test]
    fn parallel_writes_share_folders() {
        let d = temp("par");
        let out = Output::create(&d.join("out"), false).unwrap();
        std::thread::scope(|s| {
            for t in 0..4 {
                let out = &out;
                s.spawn(move || {
                    for i in 0..50 {
                        out.write(&format!("l/{}/{t}_{i}.jpg", i % 3), b"x")
                            .unwrap();
                    }
                });
            }
        });
        let count: usize = (0..3)
            .map(|i| {
                std::fs::read_dir(d.join(format!("out/l/{i}")))
                    .unwrap()
                    .count()
            })
            .sum();
        assert_eq!(count, 200);
        std::fs::remove_dir_all(&d).ok();
    }
}
