//! File-level tour checks for `disan validate`: the tour and catalog parse, every path stays
//! inside the tour folder, files exist and can be read, panoramas and environments decode the way
//! the viewer decodes them (2:1, size limits, not truncated), models load within their memory
//! budget. Files are read through a closure so that no file system access is fixed here.

use crate::path::{self, is_web_url, normalize};
use disan_tour::model::{Catalog, Content, Tour};
use disan_tour::validate::{validate, Report};

/// Reads a file relative to the tour folder (the path is already normalised by
/// [`path::normalize`]). A missing file's error says "no such file" (or the system's "No such file
/// or directory"); any other failure is reported as "cannot read".
pub type ReadFile<'a> = &'a dyn Fn(&str) -> Result<Vec<u8>, String>;

/// True when a reader's error means the file does not exist.
pub fn is_not_found(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    m.contains("no such file") || m.contains("not found") || m.contains("cannot find")
}

/// Why a file named by the tour could not be had.
enum Failure {
    /// The path itself is refused.
    Refused(path::PathProblem),
    /// The file does not exist.
    Missing(String),
    /// It exists but cannot be read.
    Unreadable(String),
}

impl Failure {
    /// The message for the file `p` as the tour writes it.
    fn message(&self, p: &str) -> String {
        match self {
            Failure::Refused(e) => format!("refused path \"{p}\": {e}"),
            Failure::Missing(e) => format!("missing file \"{p}\": {e}"),
            Failure::Unreadable(e) => format!("cannot read \"{p}\": {e}"),
        }
    }
}

/// Normalises `p` and reads it.
fn read_checked(read: ReadFile, p: &str) -> Result<Vec<u8>, Failure> {
    let p = normalize(p).map_err(Failure::Refused)?;
    read(&p).map_err(|e| {
        if is_not_found(&e) {
            Failure::Missing(e)
        } else {
            Failure::Unreadable(e)
        }
    })
}

/// Checks a whole tour. `read("tour.json")` must give the tour. Returns the loaded tour (when it
/// parsed) and every problem found.
pub fn check_tour(tour_file: &str, read: ReadFile) -> (Option<Tour>, Report) {
    let mut report = Report::default();
    let bytes = match read_checked(read, tour_file) {
        Ok(b) => b,
        Err(f) => {
            let why = match f {
                Failure::Refused(e) => e.to_string(),
                Failure::Missing(e) | Failure::Unreadable(e) => e,
            };
            report.push(tour_file, "$", format!("cannot read the tour: {why}"));
            return (None, report);
        }
    };
    let mut tour = match Tour::from_json(&bytes, tour_file) {
        Ok(t) => t,
        Err(disan_tour::TourError::Parse {
            file,
            path,
            message,
        }) => {
            report.push(&file, path, message);
            return (None, report);
        }
        Err(e) => {
            report.push(tour_file, "$", e.to_string());
            return (None, report);
        }
    };
    let catalog_path = tour.catalog_path().to_string();
    let inline = tour.catalog.len();
    match read_checked(read, &catalog_path) {
        Ok(b) => match Catalog::from_json(&b, &catalog_path) {
            Ok(c) => tour.merge_catalog(c),
            Err(disan_tour::TourError::Parse {
                file,
                path,
                message,
            }) => report.push(&file, path, message),
            Err(e) => report.push(&catalog_path, "$", e.to_string()),
        },
        Err(e) if tour.catalog_file.is_some() => {
            report.push(tour_file, "$.catalog_file", e.message(&catalog_path))
        }
        // Without `catalog_file`, a missing catalog.json is no problem; an unreadable one is.
        Err(Failure::Missing(_)) => {}
        Err(e) => report.push(&catalog_path, "$", e.message(&catalog_path)),
    }
    // Entries that came from the catalog file are reported against that file.
    for mut p in validate(&tour, tour_file).problems {
        if let Some(rest) = p.path.strip_prefix("$.catalog[") {
            if let Some((k, tail)) = rest.split_once(']') {
                if let Ok(k) = k.parse::<usize>() {
                    if k >= inline {
                        p.file = catalog_path.clone();
                        p.path = format!("$.entries[{}]{tail}", k - inline);
                    }
                }
            }
        }
        report.problems.push(p);
    }

    for (i, scene) in tour.scenes.iter().enumerate() {
        match &scene.content {
            Content::Panorama(pano) => {
                let Some(image) = &pano.image else { continue };
                let at = format!("$.scenes[{i}].image");
                match read_checked(read, image) {
                    Err(e) => report.push(tour_file, at, e.message(image)),
                    Ok(bytes) => check_panorama(&mut report, tour_file, &at, image, &bytes),
                }
            }
            Content::Object(obj) => {
                if let Some(env) = tour.environment_of(scene) {
                    let at = if obj.environment.is_some() {
                        format!("$.scenes[{i}].environment")
                    } else {
                        "$.environment".to_string()
                    };
                    match read_checked(read, env) {
                        Err(e) => report.push(tour_file, at, e.message(env)),
                        Ok(bytes) => check_panorama(&mut report, tour_file, &at, env, &bytes),
                    }
                }
                let Some(model) = &obj.model else { continue };
                let at = format!("$.scenes[{i}].model");
                match read_checked(read, model) {
                    Err(e) => report.push(tour_file, at, e.message(model)),
                    Ok(bytes) => {
                        // Known to normalise: it was just read.
                        let base = normalize(model).unwrap_or_default();
                        let rel = |u: &str| match path::join(&base, u) {
                            Ok(p) => read(&p),
                            Err(e) => Err(format!("refused path: {e}")),
                        };
                        if let Err(e) = load_model(&bytes, model, &rel) {
                            report.push(tour_file, at, format!("model does not load: {e}"));
                        }
                    }
                }
            }
        }
    }
    for (i, entry) in tour.catalog.iter().enumerate() {
        for (j, img) in entry.images.iter().enumerate() {
            if is_web_url(&img.src) || img.src.starts_with("data:") {
                continue;
            }
            if let Err(e) = read_checked(read, &img.src) {
                report.push(
                    tour_file,
                    format!("$.catalog[{i}].images[{j}].src"),
                    e.message(&img.src),
                );
            }
        }
    }
    (Some(tour), report)
}

/// Decodes a panorama or environment exactly as the viewer does (a `.hdr` file as Radiance HDR),
/// so that validation finds what would stop the viewer: size limits, truncated or undecodable
/// data; then checks that it is 2:1.
#[cfg(feature = "decode")]
fn check_panorama(report: &mut Report, tour_file: &str, at: &str, image: &str, bytes: &[u8]) {
    let size = if image.to_ascii_lowercase().ends_with(".hdr") {
        crate::image::decode_hdr(bytes, image).map(|i| (i.width, i.height))
    } else {
        crate::image::decode(bytes, image).map(|i| (i.width, i.height))
    };
    match size {
        Err(e) => report.push(tour_file, at, e.to_string()),
        Ok((w, h)) if !crate::image::is_equirectangular(w, h) => report.push(
            tour_file,
            at,
            format!("\"{image}\" is {w}×{h}; an equirectangular panorama must be 2:1"),
        ),
        Ok(_) => {}
    }
}

#[cfg(not(feature = "decode"))]
fn check_panorama(_: &mut Report, _: &str, _: &str, _: &str, _: &[u8]) {}

/// Loads a model completely: with image decoding where this build decodes images.
#[cfg(feature = "decode")]
fn load_model(bytes: &[u8], file: &str, read: ReadFile) -> Result<(), crate::AssetError> {
    crate::model::load_and_decode(bytes, file, read).map(|_| ())
}

#[cfg(not(feature = "decode"))]
fn load_model(bytes: &[u8], file: &str, read: ReadFile) -> Result<(), crate::AssetError> {
    crate::model::load_with(bytes, file, read).map(|_| ())
}
