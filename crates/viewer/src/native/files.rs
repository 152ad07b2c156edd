//! The native shell reads through the one file layer (`disan-files`): see [`disan_files::Folder`].

pub use disan_files::{FileError, FileKind, Folder as TourFolder, Output, ReadError};
