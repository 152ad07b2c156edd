//! File-level tour checks for `disan validate`: the tour and catalog parse, every path stays
//! inside the tour folder, files exist and can be read, panoramas and environments decode the way
//! the viewer decodes them (2:1, size limits, not truncated), models load within their memory
//! budget. Files are read through a closure so that no file system access is fixed here.

use crate::path::{self, is_web_url, normalize};
use disan_tour::model::{Catalog, Content, MediaKind, PanoramaSource, Tour, TourJson};
use disan_tour::validate::{validate_json, Report};

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
    // Read as written, so that every scene's problems are listed, then checked.
    let mut tour = match TourJson::parse(&bytes, tour_file) {
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
    for mut p in validate_json(&tour, tour_file).problems {
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
    // A scene that cannot be read has its problems above; the files are checked once it can.
    let Ok(tour) = tour.into_tour(tour_file) else {
        return (None, report);
    };

    for (i, scene) in tour.scenes.iter().enumerate() {
        match &scene.content {
            Content::Panorama(pano) => match &pano.source {
                PanoramaSource::Image { image, coverage } => {
                    let at = format!("$.scenes[{i}].image");
                    match read_checked(read, image) {
                        Err(e) => report.push(tour_file, at, e.message(image)),
                        Ok(bytes) => {
                            let partial = coverage.is_some();
                            check_equirect(&mut report, tour_file, &at, image, &bytes, partial)
                        }
                    }
                }
                PanoramaSource::Cube(faces) => check_faces(&mut report, tour_file, i, faces, read),
                PanoramaSource::Tiles(tiles) => check_tiles(&mut report, tour_file, i, tiles, read),
            },
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
                // The model, and each of its derivatives.
                let models =
                    obj.model
                        .iter()
                        .map(|m| (format!("$.scenes[{i}].model"), m))
                        .chain(obj.derivatives.iter().enumerate().map(|(j, d)| {
                            (format!("$.scenes[{i}].derivatives[{j}].model"), &d.model)
                        }));
                for (at, model) in models {
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
    }
    // Thumbnails of the scene list, and the narration of guided tours.
    for (i, scene) in tour.scenes.iter().enumerate() {
        if let Some(t) = &scene.thumbnail {
            let at = format!("$.scenes[{i}].thumbnail");
            check_image(&mut report, tour_file, read, &at, t, "thumbnail");
        }
    }
    for (i, guided) in tour.tours.iter().enumerate() {
        for (j, step) in guided.steps.iter().enumerate() {
            let at = format!("$.tours[{i}].steps[{j}]");
            for (lang, file) in &step.audio {
                let at = format!("{at}.audio.{lang}");
                check_media(&mut report, tour_file, read, &at, file, MediaKind::Audio);
            }
            check_captions(&mut report, tour_file, read, &at, &step.captions);
        }
    }
    for (i, scene) in tour.scenes.iter().enumerate() {
        if let Some(a) = &scene.ambient {
            let at = format!("$.scenes[{i}].ambient.src");
            check_media(&mut report, tour_file, read, &at, &a.src, MediaKind::Audio);
        }
        for (j, h) in scene.hotspots.iter().enumerate() {
            if let Some(a) = &h.sound {
                let at = format!("$.scenes[{i}].hotspots[{j}].sound.src");
                check_media(&mut report, tour_file, read, &at, &a.src, MediaKind::Audio);
            }
        }
    }
    for (i, entry) in tour.catalog.iter().enumerate() {
        for (j, m) in entry.media.iter().enumerate() {
            let at = format!("$.catalog[{i}].media[{j}]");
            check_media(
                &mut report,
                tour_file,
                read,
                &format!("{at}.src"),
                &m.src,
                m.kind(),
            );
            if let Some(p) = &m.poster {
                check_image(
                    &mut report,
                    tour_file,
                    read,
                    &format!("{at}.poster"),
                    p,
                    "poster",
                );
            }
            check_captions(&mut report, tour_file, read, &at, &m.captions);
        }
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

/// A small picture (a thumbnail, a video's poster): read, and decoded as the viewer decodes it.
fn check_image(
    report: &mut Report,
    tour_file: &str,
    read: ReadFile,
    at: &str,
    p: &str,
    what: &str,
) {
    match read_checked(read, p) {
        Err(e) => report.push(tour_file, at, e.message(p)),
        #[cfg(feature = "decode")]
        Ok(bytes) => {
            if let Err(e) = crate::image::decode(&bytes, p) {
                report.push(tour_file, at, format!("{what} does not decode: {e}"));
            }
        }
        #[cfg(not(feature = "decode"))]
        Ok(_) => {
            let _ = what;
        }
    }
}

/// Captions per language (below `at`): read as the players read them, UTF-8 WebVTT.
fn check_captions(
    report: &mut Report,
    tour_file: &str,
    read: ReadFile,
    at: &str,
    captions: &std::collections::BTreeMap<String, String>,
) {
    for (lang, file) in captions {
        let at = format!("{at}.captions.{lang}");
        match read_checked(read, file) {
            Err(e) => report.push(tour_file, at, e.message(file)),
            Ok(bytes) => {
                let parsed = std::str::from_utf8(&bytes)
                    .map_err(|_| format!("{file}: not UTF-8 text (a WebVTT file is)"))
                    .and_then(|text| disan_tour::vtt::parse(text, file));
                if let Err(e) = parsed {
                    report.push(tour_file, at, e);
                }
            }
        }
    }
}

/// An audio or video file: read, its container and codecs probed (a file that is not media, or
/// is cut short, is a problem), and a note for each shell that will not play it, or for a
/// recording given as a video that holds no picture.
fn check_media(
    report: &mut Report,
    tour_file: &str,
    read: ReadFile,
    at: &str,
    file: &str,
    kind: MediaKind,
) {
    let bytes = match read_checked(read, file) {
        Ok(b) => b,
        Err(e) => return report.push(tour_file, at, e.message(file)),
    };
    let info = match crate::media::probe(&bytes, file) {
        Ok(i) => i,
        Err(e) => return report.push(tour_file, at, e),
    };
    if kind == MediaKind::Video && info.video.is_none() {
        report.note(
            tour_file,
            at,
            format!("\"{file}\" has no video track: give it \"kind\": \"audio\""),
        );
    }
    if kind == MediaKind::Audio && info.audio.is_none() {
        return report.push(tour_file, at, format!("\"{file}\" has no sound track"));
    }
    for (shell, why) in crate::media::unplayable(&info) {
        let shell = match shell {
            crate::media::Shell::Web => "in the browser",
            crate::media::Shell::Native => "in the native viewer",
        };
        report.note(
            tour_file,
            at,
            format!("\"{file}\" ({}) {shell}: {why}", describe(&info)),
        );
    }
}

/// `MP4, H.264 + AAC` for messages.
fn describe(info: &crate::media::MediaInfo) -> String {
    let codecs: Vec<&str> = [info.video.as_deref(), info.audio.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    format!("{}, {}", info.container, codecs.join(" + "))
}

/// Width above which a plain panorama should be tiled for phones (their GPUs take 4096-pixel
/// textures: a larger image is drawn in pieces, all of it in memory).
pub const PHONE_SIDE: u32 = 4096;

/// A panorama's equirectangular image: decodes as the viewer does; 2:1, or wider (a full circle
/// cropped top and bottom, as the viewer places it) or `partial` (the tour gives its coverage).
fn check_equirect(
    report: &mut Report,
    tour_file: &str,
    at: &str,
    image: &str,
    bytes: &[u8],
    partial: bool,
) {
    let Some((w, h)) = decoded_size(report, tour_file, at, image, bytes) else {
        return;
    };
    let aspect = w as f64 / h.max(1) as f64;
    if !partial && !crate::image::is_equirectangular(w, h) {
        if aspect < 2.0 {
            report.push(
                tour_file,
                at,
                format!("\"{image}\" is {w}×{h}; an equirectangular panorama must be 2:1 (or give its \"coverage\" for a partial panorama)"),
            );
            return;
        }
        report.note(
            tour_file,
            at,
            format!(
                "\"{image}\" is {w}×{h}, wider than 2:1: shown as a full circle {:.1}° high, centred on the horizon (give \"coverage\" to place it otherwise)",
                360.0 / aspect
            ),
        );
    }
    if w > PHONE_SIDE || h > PHONE_SIDE {
        report.note(
            tour_file,
            at,
            format!("\"{image}\" is {w}×{h}: phones (4096-pixel textures) get it in pieces, all of it in memory; tile it with `disan tile` so that phones load only what they show"),
        );
    }
}

/// Decodes `image` as the viewer does; its size, or the problem recorded.
#[cfg(feature = "decode")]
fn decoded_size(
    report: &mut Report,
    tour_file: &str,
    at: &str,
    image: &str,
    bytes: &[u8],
) -> Option<(u32, u32)> {
    match crate::image::decode(bytes, image) {
        Ok(i) => Some((i.width, i.height)),
        Err(e) => {
            let mut m = e.to_string();
            if m.contains("pixels") {
                m.push_str("; tile it with `disan tile` to show it at full size");
            }
            report.push(tour_file, at, m);
            None
        }
    }
}

#[cfg(not(feature = "decode"))]
fn decoded_size(_: &mut Report, _: &str, _: &str, _: &str, _: &[u8]) -> Option<(u32, u32)> {
    None
}

/// Six cube faces: each is read and decodes, all square and of one size.
fn check_faces(
    report: &mut Report,
    tour_file: &str,
    scene: usize,
    faces: &[String],
    read: ReadFile,
) {
    let mut sizes = Vec::new();
    for (k, face) in faces.iter().enumerate() {
        let at = format!("$.scenes[{scene}].cube[{k}]");
        match read_checked(read, face) {
            Err(e) => report.push(tour_file, at, e.message(face)),
            Ok(bytes) => {
                if let Some((w, h)) = decoded_size(report, tour_file, &at, face, &bytes) {
                    if w != h {
                        report.push(
                            tour_file,
                            &at,
                            format!("cube face \"{face}\" is {w}×{h}, not square"),
                        );
                    }
                    sizes.push((w, face.clone()));
                }
            }
        }
    }
    if let Some((first, name)) = sizes.first() {
        for (w, f) in &sizes[1..] {
            if w != first {
                report.push(
                    tour_file,
                    format!("$.scenes[{scene}].cube"),
                    format!("cube faces differ in size: \"{name}\" is {first} pixels, \"{f}\" {w}"),
                );
                break;
            }
        }
    }
}

/// A tile pyramid: every tile file exists (each missing one is named); the preview and the
/// coarsest level decode (what the first frame needs).
fn check_tiles(
    report: &mut Report,
    tour_file: &str,
    scene: usize,
    tiles: &disan_tour::model::TileSource,
    read: ReadFile,
) {
    let at = format!("$.scenes[{scene}].tiles");
    let Ok(pyramid) = disan_tour::tiles::Pyramid::from_tiles(tiles) else {
        return; // reported by the model's validation
    };
    if let Some(preview) = &tiles.preview {
        match read_checked(read, preview) {
            Err(e) => report.push(tour_file, format!("{at}.preview"), e.message(preview)),
            Ok(bytes) => {
                decoded_size(report, tour_file, &format!("{at}.preview"), preview, &bytes);
            }
        }
    }
    if pyramid.tile_count() > 4_000_000 {
        report.note(
            tour_file,
            &at,
            "more than 4 million tiles: not checked one by one",
        );
        return;
    }
    for level in 0..pyramid.levels.len() {
        for key in pyramid.level_tiles(level) {
            let file = pyramid.path(key);
            match read_checked(read, &file) {
                Err(e) => report.push(tour_file, &at, e.message(&file)),
                Ok(bytes) if level == 0 => {
                    decoded_size(report, tour_file, &at, &file, &bytes);
                }
                Ok(_) => {}
            }
        }
    }
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
