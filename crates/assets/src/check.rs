//! File-level tour checks for `disan validate`: the tour and catalog parse, files exist,
//! panoramas are 2:1, models parse. Files are read through a closure so that no path logic is fixed here.

use crate::uri::join;
use disan_tour::model::{Catalog, SceneKind, Tour};
use disan_tour::validate::{validate, Report};

/// Reads a file relative to the tour folder.
pub type ReadFile<'a> = &'a dyn Fn(&str) -> Result<Vec<u8>, String>;

/// Checks a whole tour. `read("tour.json")` must give the tour. Returns the loaded tour (when it
/// parsed) and every problem found.
pub fn check_tour(tour_file: &str, read: ReadFile) -> (Option<Tour>, Report) {
    let mut report = Report::default();
    let bytes = match read(tour_file) {
        Ok(b) => b,
        Err(e) => {
            report.push(tour_file, "$", format!("cannot read the tour: {e}"));
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
    match read(&catalog_path) {
        Ok(b) => match Catalog::from_json(&b, &catalog_path) {
            Ok(c) => tour.merge_catalog(c),
            Err(disan_tour::TourError::Parse {
                file,
                path,
                message,
            }) => report.push(&file, path, message),
            Err(e) => report.push(&catalog_path, "$", e.to_string()),
        },
        Err(e) if tour.catalog_file.is_some() => report.push(
            tour_file,
            "$.catalog_file",
            format!("cannot read \"{catalog_path}\": {e}"),
        ),
        Err(_) => {}
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
        match scene.kind {
            SceneKind::Panorama => {
                let Some(image) = &scene.image else { continue };
                let at = format!("$.scenes[{i}].image");
                match read(image) {
                    Err(e) => report.push(tour_file, at, format!("missing file \"{image}\": {e}")),
                    Ok(bytes) => check_panorama(&mut report, tour_file, &at, image, &bytes),
                }
            }
            SceneKind::Object => {
                if let Some(env) = tour.environment_of(scene) {
                    let at = if scene.environment.is_some() {
                        format!("$.scenes[{i}].environment")
                    } else {
                        "$.environment".to_string()
                    };
                    match read(env) {
                        Err(e) => {
                            report.push(tour_file, at, format!("missing file \"{env}\": {e}"))
                        }
                        Ok(bytes) => check_panorama(&mut report, tour_file, &at, env, &bytes),
                    }
                }
                let Some(model) = &scene.model else { continue };
                let at = format!("$.scenes[{i}].model");
                match read(model) {
                    Err(e) => report.push(tour_file, at, format!("missing file \"{model}\": {e}")),
                    Ok(bytes) => {
                        let rel = |u: &str| read(&join(model, u));
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
            if img.src.contains("://") || img.src.starts_with("data:") {
                continue;
            }
            if let Err(e) = read(&img.src) {
                report.push(
                    tour_file,
                    format!("$.catalog[{i}].images[{j}].src"),
                    format!("missing file \"{}\": {e}", img.src),
                );
            }
        }
    }
    (Some(tour), report)
}

#[cfg(feature = "decode")]
fn check_panorama(report: &mut Report, tour_file: &str, at: &str, image: &str, bytes: &[u8]) {
    match crate::image::dimensions(bytes, image) {
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
