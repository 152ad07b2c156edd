//! `disan validate`: every problem of a tour or a lone model.

use crate::common::{is_model, with_lone_model};
use anyhow::Result;
use disan_viewer::native::files::FileKind;
use disan_viewer::native::TourSource;
use std::path::Path;

pub(crate) fn validate(path: &Path) -> Result<bool> {
    if is_model(path) {
        let loaded = with_lone_model(path, |bytes, name, read| {
            disan_assets::model::load_and_decode(bytes, name, read).map(|_| ())
        })?;
        return match loaded {
            Ok(_) => {
                println!("{}: valid", path.display());
                Ok(true)
            }
            Err(e) => {
                println!("{e}");
                Ok(false)
            }
        };
    }
    let src = TourSource::locate(path);
    let name = src.file_name();
    // Every read goes through the tour folder's checks; the tour and catalog as JSON.
    let read = |rel: &str| {
        let kind = if rel == name {
            FileKind::Json
        } else {
            FileKind::guess(rel)
        };
        src.read_kind(rel, kind).map_err(|e| e.reason())
    };
    let (_, report) = disan_assets::check_tour(&name, &read);
    for n in &report.notes {
        println!("note: {n}");
    }
    if report.is_ok() {
        println!("{}: valid", src.file.display());
        Ok(true)
    } else {
        for p in &report.problems {
            println!("{p}");
        }
        println!(
            "{} problem(s) in {}",
            report.problems.len(),
            src.file.display()
        );
        Ok(false)
    }
}
