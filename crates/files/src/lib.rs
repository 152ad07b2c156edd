//! The one file layer of every Disan command (viewer, validate, render, import, tile, optimize,
//! thumbnails): [`Folder`] reads files confined to a folder (no `..` above it, no absolute
//! paths, symbolic links must resolve inside, regular files only, a size cap per kind checked
//! before reading), and [`Output`] writes files into a folder atomically (a temporary file, then
//! a rename), never through a symbolic link, and never over an existing file unless asked.
//!
//! Native only: the web shell fetches instead. `disan-assets` keeps the path rules
//! (`assets::path`), which need no file system.

mod fingerprint;
mod read;
mod write;

pub use disan_assets::path::{FileKind, PathProblem};
pub use fingerprint::Fingerprint;
pub use read::Folder;
pub use write::{Output, Replace};

/// Why a file was not read or written. Every message names the path as the caller wrote it.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The path is refused before looking at the disk.
    #[error("\"{path}\": refused path: {problem}")]
    Refused {
        /// The path as written.
        path: String,
        /// Why.
        problem: PathProblem,
    },
    /// The path resolves (through a symbolic link) to a place outside the folder.
    #[error("\"{path}\": refused path: a symbolic link leads outside the folder")]
    Outside {
        /// The path as written.
        path: String,
    },
    /// Nothing is there.
    #[error("\"{path}\": no such file")]
    NotFound {
        /// The path as written.
        path: String,
    },
    /// Something is there but it is not a regular file (a folder, FIFO, device, socket).
    #[error("\"{path}\": not a regular file ({what})")]
    NotRegular {
        /// The path as written.
        path: String,
        /// What it is instead.
        what: &'static str,
    },
    /// The file is larger than its kind allows.
    #[error("\"{path}\": {size} bytes, larger than the {} limit for {}", disan_assets::path::mib(kind.limit()), kind.name())]
    TooLarge {
        /// The path as written.
        path: String,
        /// Its size in bytes.
        size: u64,
        /// What it was read as.
        kind: FileKind,
    },
    /// A write would go through a symbolic link (the file or one of its folders is a link).
    #[error("\"{path}\": not written: {link} is a symbolic link")]
    Link {
        /// The path as written.
        path: String,
        /// The link met on the way, relative to the output folder.
        link: String,
    },
    /// A write would replace a file that exists, and the caller did not ask to.
    #[error("\"{path}\": already exists; not overwritten (use --force to replace it)")]
    Exists {
        /// The path as written.
        path: String,
    },
    /// The system refused (permission denied, I/O error…).
    #[error("\"{path}\": {}", io_reason(error))]
    Io {
        /// The path as written.
        path: String,
        /// The system's error.
        error: std::io::Error,
    },
}

/// The name the viewer has used for read errors.
pub type ReadError = FileError;

impl FileError {
    /// True when the file does not exist (as opposed to being refused or unreadable).
    pub fn is_not_found(&self) -> bool {
        matches!(self, FileError::NotFound { .. })
    }

    /// The path as written.
    pub fn path(&self) -> &str {
        match self {
            FileError::Refused { path, .. }
            | FileError::Outside { path }
            | FileError::NotFound { path }
            | FileError::NotRegular { path, .. }
            | FileError::TooLarge { path, .. }
            | FileError::Link { path, .. }
            | FileError::Exists { path }
            | FileError::Io { path, .. } => path,
        }
    }

    /// The reason without the path (for messages that name the path already).
    pub fn reason(&self) -> String {
        let full = self.to_string();
        let prefix = format!("\"{}\": ", self.path());
        full.strip_prefix(&prefix).unwrap_or(&full).to_string()
    }
}

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
    } else if t.is_symlink() {
        "a symbolic link"
    } else {
        "not a file"
    }
}
