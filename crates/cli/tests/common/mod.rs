//! Helpers shared by the native test files (each includes this module): a folder copied. The
//! X server, child-process guard and tool lookup of the window tests are `disan_testkit`'s.
#![allow(dead_code)] // each test file uses its own part

use std::path::Path;

/// Copies the folder `from` (recursively) to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("make the folder");
    for e in std::fs::read_dir(from).expect("read the folder").flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).expect("copy a file");
        }
    }
}
