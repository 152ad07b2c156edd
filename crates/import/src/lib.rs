//! Converts the tours of other panorama viewers (Pannellum, Marzipano, krpano) into a Disan tour
//! folder: a `tour.json` and copies of the images and tiles it names.
//!
//! ```no_run
//! use disan_import::{import, Source};
//! use std::path::Path;
//! let done = import(Source::Pannellum, Path::new("old/config.json"), Path::new("new-tour"))?;
//! println!("{} scenes, {} files copied", done.scenes, done.copied);
//! for m in &done.missing { println!("missing: {m}"); }
//! for n in &done.notes { println!("note: {n}"); }
//! # Ok::<(), disan_import::ImportError>(())
//! ```
//!
//! # What an import does
//!
//! [`import`] reads one file (Pannellum `config.json`, Marzipano `data.js`, krpano `tour.xml`),
//! builds a [`disan_tour::model::Tour`], copies every file the source names into `out` keeping
//! its relative layout, and writes `out/tour.json`. Paths in the source are read relative to the
//! input file's folder (or [`Options::base`]); the same relative path is used inside `out` and in
//! `tour.json`.
//!
//! - A file that does not exist is not an error: it is listed in [`Imported::missing`] (as
//!   written in `tour.json`, which still names it, so `disan validate` reports it later).
//! - Nothing outside the source folder is read, and nothing outside `out` is written: an
//!   absolute path, a path whose `..` leaves the folder, or an `http(s)://` URL is not read or
//!   fetched. `tour.json` then names the file at the cleaned relative path (leading `/`, `..`,
//!   scheme and host removed), it is listed as missing and a note says where to put it.
//! - Every value of the source that has no Disan meaning is reported in [`Imported::notes`]
//!   (`scene pond: sceneFadeDuration 2000 ignored`), never silently dropped. A scene Disan
//!   cannot show (a video, a cylinder, a tiled sphere) is left out with a note, and so are links
//!   to it.
//! - Errors ([`ImportError`]) are kept for what makes the whole import impossible: the input
//!   cannot be read, is not JSON / XML, or is not the expected format. Each names the input file.
//!
//! Files are copied, not hard-linked, so editing the new tour never changes the old one.
//!
//! # Conventions, and where they were checked
//!
//! Disan: yaw in degrees, positive to the right, 0 = image centre; pitch positive up; `fov` is
//! the **vertical** field of view (`PanoCamera::projection` passes it to `perspective_rh` as
//! the vertical angle); cube faces front, right, back, left, up, down in Pannellum's
//! orientation (`disan_tour::tiles::face_direction`).
//!
//! **Fields of view.** A horizontal field of view is converted to the vertical one that shows
//! the same horizontal angle on a **4:3** view ([`REFERENCE_ASPECT`]):
//! `vfov = 2·atan(tan(hfov/2) / (4/3))`. On the usual wider screens Disan then shows at least
//! what the author framed, and this is krpano's `MFOV` rule with its default `mfovratio`
//! (the fov is the hfov of a 4:3 view). Pannellum's default `hfov` 100 becomes a vertical 83.6°.
//!
//! **Pannellum** (checked in mpetroff/pannellum @ 7769cc66, `doc/json-config-parameters.md`,
//! `src/js/pannellum.js`, `src/js/libpannellum.js`, `utils/multires/generate.py`):
//! - `yaw`, `pitch`, `hfov` in degrees; the right arrow key adds to `yaw` and the up arrow to
//!   `pitch` (`pannellum.js`, keyRepeat), so both signs are Disan's. `hfov` is horizontal
//!   (`libpannellum.js` derives `vfov = 2·atan(tan(hfov/2)/aspect)`).
//! - `northOffset` is the compass heading of the image centre (the compass is rotated by
//!   `-yaw - northOffset`, and it is read from the XMP `PoseHeadingDegrees`), so north lies at
//!   yaw `-northOffset`: Disan's `north_offset` (the yaw of north) is its negation.
//! - Image paths are `basePath + path` by string concatenation; `multiRes.basePath` is appended
//!   to `basePath` unless it is an absolute URL; a tile is `basePath + multiRes.basePath + path +
//!   "." + extension` with `%l` (level, 1 = coarsest), `%s` (face letter), `%x` (column),
//!   `%y` (row: `generate.py` crops row `i`, column `j` into `%s%y_%x`) and `%l0` (level − 1).
//!   Level `l` has side `cubeResolution / 2^(maxLevel − l)`, exactly Disan's
//!   `cube_resolution`/`max_level`/`tile_size` shorthand. The face letters are `f r b l u d`
//!   in Disan's order (`fallbackSides` in `libpannellum.js`).
//! - `cubeMap` lists front, right, back, left, up, down, like Disan's `cube`.
//! - When a config does not set `basePath`, the standalone viewer uses the config's folder,
//!   which is what this importer does.
//! - A tour file is `{default: {firstScene, …}, scenes: {id: {…}}}`; `default` values apply to
//!   every scene that does not set them. A UTF-8 byte-order mark is skipped.
//!
//! **Marzipano** (checked in google/marzipano @ 7936a4e0, `src/views/Rectilinear.js`,
//! `src/geometries/Cube.js`, `src/renderers/WebGlBase.js`, `src/stages/WebGl.js`,
//! `src/controls/registerDefaultControls.js`, `demos/sample-tour/`):
//! - `yaw`, `pitch`, `fov` are radians and `fov` is vertical (`RectilinearView`).
//! - **Pitch is positive downwards**, whatever the source comment says: a hotspot at `pitch`
//!   is projected from the ray `(sin yaw·cos pitch, −sin pitch, −cos yaw·cos pitch)`, the view
//!   matrix is `rotateX(pitch)·rotateY(yaw)` with `+y` up on screen, and the up arrow key
//!   *decreases* `pitch`. So Disan pitch = −Marzipano pitch. Yaw is positive to the right
//!   (right arrow increases it; `x = sin yaw`): kept.
//! - Cube faces: `f` looks at `−z`, `r` is `f` turned by `rotateY(−π/2)` (towards `+x`),
//!   `b` by `π`, `l` by `+π/2`, `u` by `rotateX(+π/2)` (`+y`), `d` by `−π/2`; tile `x` runs to
//!   the face's right and `y` downwards (`centerY = 0.5 − (y+0.5)/n`). Worked through, each face
//!   has the orientation of Disan's (Pannellum's) face with the same letter (textures are
//!   uploaded with `UNPACK_FLIP_Y`, so tiles stand upright), so `faces` stays `"frblud"`.
//! - The Marzipano Tool's export keeps tiles at `tiles/<scene id>/<z>/<f>/<y>/<x>.jpg`, `z` the
//!   index into `levels` (so `first_level` 0), with a cube-strip `tiles/<scene id>/preview.jpg`
//!   (the `urlPrefix = "tiles"` of the exported `index.js`; the repository's demos load the same
//!   layout from marzipano.net). `data.js` is `var data = {…};` (`var APP_DATA` in exports).
//!
//! **krpano** (from the krpano documentation: the *Coordinate Systems* page, the XML reference
//! for `<view>`, `<image>`, `<cube>`, `<hotspot>`, and the layout its MAKE VTOUR tool writes):
//! - `hlookat`/`ath` run from −180 (left) to +180 (right): Disan's yaw. `vlookat`/`atv` run
//!   from −90 (zenith) to +90 (nadir): Disan pitch = −atv. 0/0 is the image centre.
//! - `fovtype` `VFOV` is vertical, `HFOV` horizontal, `DFOV` diagonal, `MFOV` the horizontal
//!   fov of a view of aspect `mfovratio` (wider screens keep its vertical angle). The `<view>`
//!   defaults of the krpano 1.22 reference are `fovtype="VFOV"`, `fov="90.0"`,
//!   `mfovratio="1.333333"`; MAKE VTOUR writes `fovtype="MFOV"`. `HFOV`/`DFOV` use the 4:3
//!   reference aspect; `SFOV` and unknown types are read as vertical (noted).
//! - `<cube url="…%s…"/>`: `%s` is the face letter `l f r b u d`; with
//!   `multires="tilesize,size1,size2,…"` the sizes run from the smallest, `%l` is the level
//!   number (1 = smallest), `%v`/`%h` the row and column, which count from `<image
//!   baseindex>` (1 by default). The long form is `<image type="CUBE" multires="true"
//!   tilesize="…"><level tiledimagewidth="…"><cube url="…"/></level>…</image>`, levels
//!   listed from the largest; each level's url becomes an explicit Disan level path.
//! - krpano's cube faces are taken to have the usual orientation (that of Pannellum and of
//!   the cube faces panorama tools write: the bottom edge of `u` and the top edge of `d` touch
//!   `f`); krpano's own code is closed, so this was not checked there.
//! - `<sphere url>` is an equirectangular image; `<preview url>` is a small cube strip, which
//!   Disan's equirectangular `preview` cannot use (noted).
//! - Link hotspots name their target in `linkedscene` (optionally `linkedscene_lookat="h,v,fov"`
//!   for the arrival view) or in an `onclick="loadscene(name, …)"` call. Scene names compare
//!   without case, as krpano does.
//! - `url`s are relative to the XML file; `%CURRENTXML%`/`%FIRSTXML%` are its folder. Includes
//!   and actions are not followed (noted).

mod common;
mod files;
mod krpano;
mod marzipano;
mod pannellum;
pub mod scan;

use disan_tour::model::Tour;
use serde::Serialize;
use std::path::{Path, PathBuf};

pub use common::REFERENCE_ASPECT;

/// The viewer a tour comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// A Pannellum JSON config: one scene, or a tour (`default` + `scenes`).
    Pannellum,
    /// A Marzipano Tool `data.js` (`var data = {…};`), tiles under `tiles/<scene id>/`.
    Marzipano,
    /// A krpano `tour.xml`.
    Krpano,
}

impl Source {
    /// The lower-case name (`pannellum`, `marzipano`, `krpano`).
    pub fn name(self) -> &'static str {
        match self {
            Source::Pannellum => "pannellum",
            Source::Marzipano => "marzipano",
            Source::Krpano => "krpano",
        }
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Source {
    type Err = String;
    fn from_str(s: &str) -> Result<Source, String> {
        match s.to_ascii_lowercase().as_str() {
            "pannellum" => Ok(Source::Pannellum),
            "marzipano" => Ok(Source::Marzipano),
            "krpano" => Ok(Source::Krpano),
            _ => Err(format!(
                "unknown source \"{s}\" (pannellum, marzipano or krpano)"
            )),
        }
    }
}

/// What an import produced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Imported {
    /// The `tour.json` written.
    pub tour_json: PathBuf,
    /// Number of scenes in it.
    pub scenes: usize,
    /// Number of files copied into the tour folder.
    pub copied: usize,
    /// Files `tour.json` names that were not found (paths relative to the tour folder).
    pub missing: Vec<String>,
    /// What was converted approximately, left out, or not fetched.
    pub notes: Vec<String>,
}

/// Settings of [`import_with`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The folder the source's relative paths start from, instead of the input file's folder
    /// (for Pannellum, where `pannellum.htm` would be: the config's `basePath` still applies on
    /// top of it). Nothing outside it is read.
    pub base: Option<PathBuf>,
    /// Replace files that exist in the tour folder (`--force`); otherwise an import refuses to
    /// write over them.
    pub force: bool,
}

/// Why an import failed.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The input file cannot be read.
    #[error("{}: cannot read: {source}", file.display())]
    Read {
        /// The input file.
        file: PathBuf,
        /// The reason.
        source: std::io::Error,
    },
    /// The input is not JSON / XML / UTF-8, or is too large.
    #[error("{}: {message}", file.display())]
    Parse {
        /// The input file.
        file: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The input parsed but is not a tour of the expected viewer.
    #[error("{}: not a {viewer} tour: {message}", file.display())]
    Format {
        /// The input file.
        file: PathBuf,
        /// The viewer it was read as.
        viewer: Source,
        /// What is wrong.
        message: String,
    },
    /// The tour folder or `tour.json` cannot be written.
    #[error("{}: cannot write: {message}", path.display())]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

/// Largest input file read (a tour description, not its images).
pub const MAX_INPUT_BYTES: u64 = 64 << 20;

/// Converts the tour described by `input` into a Disan tour folder `out` (created if needed):
/// writes `out/tour.json` and copies the files it names. See the crate documentation.
pub fn import(source: Source, input: &Path, out: &Path) -> Result<Imported, ImportError> {
    import_with(source, input, out, &Options::default())
}

/// [`import`] with [`Options`].
pub fn import_with(
    source: Source,
    input: &Path,
    out: &Path,
    options: &Options,
) -> Result<Imported, ImportError> {
    let text = read_input(input)?;
    let root = match &options.base {
        Some(base) => base.clone(),
        None => match input.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        },
    };
    let mut job = files::Job::new(source, input, &root, out);
    job.force = options.force;
    // Refused before anything is copied (and before the folder is made): nothing of an
    // existing tour is half replaced.
    let existing = out.join("tour.json");
    if let (Ok(a), Ok(b)) = (
        std::fs::canonicalize(&existing),
        std::fs::canonicalize(input),
    ) {
        if a == b {
            return Err(ImportError::Write {
                path: existing,
                message: "it is the input file; choose another folder".into(),
            });
        }
    }
    if !options.force && std::fs::symlink_metadata(&existing).is_ok() {
        return Err(ImportError::Write {
            path: out.join("tour.json"),
            message: "already exists; not overwritten (use --force to replace it)".into(),
        });
    }
    let tour = match source {
        Source::Pannellum => pannellum::convert(&mut job, &text)?,
        Source::Marzipano => marzipano::convert(&mut job, &text)?,
        Source::Krpano => krpano::convert(&mut job, &text)?,
    };
    let tour_json = write_tour(&mut job, &tour)?;
    Ok(Imported {
        tour_json,
        scenes: tour.scenes.len(),
        copied: job.copied,
        missing: job.missing,
        notes: job.notes,
    })
}

/// Reads the input as UTF-8 text without a byte-order mark, through the one file layer (a
/// regular file, no larger than [`MAX_INPUT_BYTES`]).
fn read_input(input: &Path) -> Result<String, ImportError> {
    let parse = |message: String| ImportError::Parse {
        file: input.to_path_buf(),
        message,
    };
    let (folder, name) = disan_files::Folder::for_file(input).map_err(|e| match e {
        disan_files::FileError::Io { error, .. } => ImportError::Read {
            file: input.to_path_buf(),
            source: error,
        },
        e => parse(e.reason()),
    })?;
    let bytes = folder
        .read_capped(&name, disan_files::FileKind::Buffer, MAX_INPUT_BYTES)
        .map_err(|e| match e {
            disan_files::FileError::TooLarge { size, .. } => parse(format!(
                "{size} bytes, larger than the {} MB limit for a tour description",
                MAX_INPUT_BYTES >> 20
            )),
            disan_files::FileError::NotFound { .. } => ImportError::Read {
                file: input.to_path_buf(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
            },
            disan_files::FileError::Io { error, .. } => ImportError::Read {
                file: input.to_path_buf(),
                source: error,
            },
            e => parse(e.reason()),
        })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| parse(format!("not UTF-8 text: {e}")))
}

/// Writes `out/tour.json` (pretty JSON, as the model serialises) through the one file layer,
/// refusing, unless forced, to overwrite an existing tour. The tour is checked first
/// the way `disan validate` reads it: an import never writes a tour Disan would refuse.
fn write_tour(job: &mut files::Job, tour: &Tour) -> Result<PathBuf, ImportError> {
    let path = job.out.join("tour.json");
    let werr = |message: String| ImportError::Write {
        path: path.clone(),
        message,
    };
    // That `tour.json` is not the input was checked before anything was copied.
    let json = checked_tour_json(tour).map_err(|m| job.format_error(m))?;
    let out = job.output()?;
    out.write("tour.json", json.as_bytes())
        .map_err(|e| werr(e.reason()))
}

/// The tour as `tour.json` text, after checking that Disan reads it back as valid: within the
/// tour file's size limit, every number still a number (JSON has no NaN or infinity), no
/// structural problem.
pub(crate) fn checked_tour_json(tour: &Tour) -> Result<String, String> {
    let mut json = serde_json::to_string_pretty(tour).map_err(|e| e.to_string())?;
    json.push('\n');
    let limit = disan_assets::path::MAX_JSON_BYTES;
    if json.len() as u64 > limit {
        return Err(format!(
            "the tour would take {} MB, more than the {} a tour file may have; import fewer scenes at once",
            json.len().div_ceil(1 << 20),
            disan_assets::path::mib(limit)
        ));
    }
    let back = Tour::from_json(json.as_bytes(), "tour.json")
        .map_err(|e| format!("the converted tour would not be readable: {e}"))?;
    let report = disan_tour::validate::validate(&back, "tour.json");
    if !report.is_ok() {
        return Err(format!(
            "the converted tour would not be valid: {}",
            report
                .problems
                .iter()
                .take(5)
                .map(|p| format!("{}: {}", p.path, p.message))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    Ok(json)
}
