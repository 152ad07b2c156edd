//! Disan's tiler: an equirectangular panorama (JPEG, PNG or TIFF), full-sphere (2:1) or partial,
//! to a cube multiresolution tile pyramid in Pannellum's `multires` layout, so panoramas of any
//! size load a tile at a time.
//!
//! # Output
//!
//! Every file is handed to a callback with its path relative to the output folder:
//!
//! - `<level>/<face><y>_<x>.jpg`: the tiles. Faces `f r b l u d` (front, right, back, left,
//!   up, down; front looks at yaw 0, the centre of the equirectangular image, right at yaw
//!   +90°; the up face's top edge meets the back face, the down face's top edge the front
//!   face, as Pannellum's `generate.py` makes them with nona). `y` is the tile row, `x` the
//!   column. Level 1 is the smallest (one tile per face), `maxLevel` the full resolution
//!   `cubeResolution` = 8·⌊width / π / 8⌋ (for a partial panorama, `width` is the width it
//!   would have over the full circle, W·360/haov); each level below halves the side (rounding
//!   down). Tiles are `tileResolution` pixels square except at the right and bottom edges of a
//!   face, which keep the remainder (as Pannellum's `generate.py` does).
//! - `fallback/<face>.jpg`: the faces at the largest level of at most 1024 pixels a side.
//! - `preview.jpg`: the whole sphere as a 2:1 equirectangular image of at most 1024×512, for a
//!   first frame (a full panorama downsampled; a partial one placed where it lies, with the
//!   fill around it).
//! - `config.json`: Pannellum's configuration (`"type": "multires"` and its `multiRes` keys
//!   `path`, `fallbackPath`, `extension`, `tileResolution`, `maxLevel`, `cubeResolution`).
//!
//! The output is deterministic: the same input and options give the same bytes, in the same
//! order.
//!
//! # Partial panoramas
//!
//! A partial image is placed on the sphere by its [`Coverage`] (Pannellum's `haov`, `vaov`,
//! `vOffset`, and `h_offset`, the yaw of the image centre; degrees): given by the caller
//! ([`Panorama::decode_with`]), else read from the file's Google Photo Sphere (GPano) XMP,
//! else the image must be 2:1 and is the full sphere. Face pixels whose direction lies outside
//! the covered area get the neutral fill [`FILL`] (sRGB 48, 48, 48: the renderer's linear 0.03
//! grey); the image is never stretched to the full sphere.
//!
//! # Quality
//!
//! Each face pixel samples the equirectangular image at its centre's direction, bilinearly
//! (wrapping at the ±180° seam when the image spans the full circle, else clamped at its left
//! and right edges; clamped at the top and bottom), in linear light; each lower level is a box
//! filter (2×2 when the side halves exactly) in linear light. sRGB → linear is a 256-entry
//! table, linear → sRGB a 65 536-entry table of the exact sRGB curve.
//!
//! # Memory
//!
//! The header is checked before anything is decoded: at most 0.5 gigapixel
//! ([`MAX_PIXELS`]) and [`MAX_SIDE`] pixels a side; data enough for the pixels it declares
//! (a JPEG's scans at least one bit per 8×8 block, a PNG's deflate data at least 1/1032 of its
//! rows, a TIFF's strips what their compression can expand to: assets'
//! [`disan_assets::image::data_problem`]), so a small file claiming a huge size costs nothing;
//! 2:1 within 1 % unless a coverage places it, and then the full panorama it is part of
//! (W·360/haov wide, half as high) within the same limits. The decoder may allocate only what
//! the image needs in its own pixel format (a TIFF's decoder fills a copy of its own first, so
//! for a moment twice that, plus the compressed strips). The image is then kept as RGB8 and one
//! face is built at a time, its levels kept as sRGB RGB8, so the peak is about
//! ([`peak_memory_bound_with`]):
//!
//! ```text
//! 3·W·H (decoded RGB8) + 3·C²·(1 + 1/4) (a face level and the next)
//!   + 2·3·max(T·C, 2·threads·T²) (a batch of tiles: raw copies and JPEGs)
//!   + 2·3·Pw·Ph (the preview and the image scaled to its place in it)
//! ```
//!
//! where C is the cube resolution (of the equivalent full width, W·360/haov) and Pw×Ph the
//! preview (at most 1024×512). For a 32768×16384 input (C = 10424, T = 512) on 16 threads:
//! 1 610 612 736 (1.5 GiB) + 407 474 160 + 50 331 648 + 3 145 728 ≈ 2.07 GB (1.93 GiB), 1.29×
//! the decoded image. A partial panorama costs its own decoded size plus the faces of the full
//! panorama it is part of: 16384×4096 covering 360°×90° (C = 5208) needs 201 326 592 +
//! 101 712 240 + 50 331 648 + 3 145 728 ≈ 0.36 GB. (A face kept in linear f32 would be 1.3 GB
//! alone; linear u16, 0.65 GB.) A source that is not RGB8 (RGBA, 16-bit) is converted to RGB8
//! after decoding, so for a moment it needs its own decoded size as well. The caller's copy of
//! the encoded file comes on top ([`Panorama::decode`] lets it be dropped before tiling).

use image::{DynamicImage, ImageDecoder, ImageReader, Limits};
use rayon::prelude::*;
use std::f64::consts::{PI, TAU};
use std::io::Cursor;

pub use disan_assets::xmp::GPano;
pub use disan_tour::model::Coverage;

/// Most pixels an input may have (0.5 gigapixel).
pub const MAX_PIXELS: u64 = 536_870_912;
/// Longest side an input may have.
pub const MAX_SIDE: u32 = 65_535;
/// Largest side of a fallback face.
pub const FALLBACK_MAX: u32 = 1024;
/// Largest preview width (the height is half).
pub const PREVIEW_MAX_WIDTH: u32 = 1024;

/// The cube faces in output order, with their letters.
pub const FACES: [char; 6] = ['f', 'r', 'b', 'l', 'u', 'd'];

/// The neutral fill (sRGB RGB8) where a partial panorama has no picture: the renderer's fill,
/// linear 0.03 per channel.
pub const FILL: [u8; 3] = [48, 48, 48];

/// Everything that can go wrong while tiling.
#[derive(Debug, thiserror::Error)]
pub enum TileError {
    /// The bytes are not an image the tiler reads (unknown format, damaged header).
    #[error("not a readable image: {0}")]
    Unreadable(String),
    /// The header announces an image over the size limits.
    #[error(
        "the image is {width}×{height} ({} megapixels): the tiler takes at most {} megapixels \
         (0.5 gigapixel) and {MAX_SIDE} pixels a side",
        (*width as u64 * *height as u64) / 1_000_000,
        MAX_PIXELS / 1_000_000
    )]
    TooLarge { width: u32, height: u32 },
    /// The image is not 2:1 and nothing says what part of the sphere it covers.
    #[error(
        "the image is {width}×{height}, not 2:1 (±1 %), and has no Photo Sphere (GPano) XMP \
         saying what part of the sphere it covers: give its coverage in degrees (disan tile \
         --haov <horizontal angle> --vaov <vertical angle> [--v-offset <pitch of its centre>] \
         [--h-offset <yaw of its centre>])"
    )]
    NotEquirectangular { width: u32, height: u32 },
    /// The coverage is not a part of the sphere, or makes the full panorama too large.
    #[error("{0}")]
    Coverage(String),
    /// The image is too small to make a cube face.
    #[error("the image is {width}×{height}: too small for a cube face (at least 26 pixels wide)")]
    TooSmall { width: u32, height: u32 },
    /// The header declares more pixels than the file's data can hold (a truncated file, or a
    /// forged header): refused before decoding ([`disan_assets::image::data_problem`]).
    #[error("{0}")]
    TooLittleData(String),
    /// The pixel data could not be decoded (truncated or damaged file).
    #[error("could not decode the image: {0}")]
    Decode(String),
    /// An option is out of range.
    #[error("{0}")]
    Option(String),
    /// A tile could not be encoded.
    #[error("could not encode {path}: {message}")]
    Encode { path: String, message: String },
    /// The output callback refused a file.
    #[error("could not write {path}: {source}")]
    Output {
        path: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// Tiling options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TileOptions {
    /// Tile side in pixels (16..=4096; default 512).
    pub tile_size: u32,
    /// JPEG quality (1..=100; default 85).
    pub quality: u8,
}

impl Default for TileOptions {
    fn default() -> Self {
        TileOptions {
            tile_size: 512,
            quality: 85,
        }
    }
}

impl TileOptions {
    /// Refuses a tile size or a quality out of range (before any decoding).
    pub fn validate(&self) -> Result<(), TileError> {
        if !(16..=4096).contains(&self.tile_size) {
            return Err(TileError::Option(format!(
                "tile size {} is outside 16..=4096",
                self.tile_size
            )));
        }
        if !(1..=100).contains(&self.quality) {
            return Err(TileError::Option(format!(
                "JPEG quality {} is outside 1..=100",
                self.quality
            )));
        }
        Ok(())
    }
}

/// The pyramid's geometry, as Pannellum's `generate.py` computes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Full-resolution face side: 8·⌊width / π / 8⌋.
    pub cube_resolution: u32,
    /// Tile side.
    pub tile_size: u32,
    /// Number of levels; level `max_level` is full resolution, level 1 fits one tile.
    pub max_level: u32,
}

impl Layout {
    /// The layout for an equirectangular image `width` pixels wide.
    pub fn new(width: u32, tile_size: u32) -> Layout {
        let cube_resolution = 8 * ((width as f64 / PI / 8.0).floor() as u32);
        let mut extra = 0;
        while (tile_size as u64) << extra < cube_resolution as u64 {
            extra += 1;
        }
        Layout {
            cube_resolution,
            tile_size,
            max_level: extra + 1,
        }
    }

    /// Face side at `level` (1..=max_level): the full side halved (rounding down) once per
    /// level below the top.
    pub fn level_size(&self, level: u32) -> u32 {
        self.cube_resolution >> (self.max_level.saturating_sub(level))
    }

    /// Tiles per face side at `level`.
    pub fn tiles_per_side(&self, level: u32) -> u32 {
        self.level_size(level).div_ceil(self.tile_size)
    }

    /// The level written as the fallback faces: the largest of at most [`FALLBACK_MAX`] pixels.
    pub fn fallback_level(&self) -> u32 {
        (1..=self.max_level)
            .rev()
            .find(|&l| self.level_size(l) <= FALLBACK_MAX)
            .unwrap_or(1)
    }

    /// Number of tiles over all faces and levels.
    pub fn tile_count(&self) -> u64 {
        (1..=self.max_level)
            .map(|l| 6 * (self.tiles_per_side(l) as u64).pow(2))
            .sum()
    }

    /// Number of files written: tiles, 6 fallback faces, the preview and `config.json`.
    pub fn file_count(&self) -> u64 {
        self.tile_count() + 6 + 2
    }

    /// Pannellum's `config.json` for this pyramid (the keys `generate.py` writes).
    pub fn config_json(&self) -> String {
        let v = serde_json::json!({
            "type": "multires",
            "multiRes": {
                "path": "/%l/%s%y_%x",
                "fallbackPath": "/fallback/%s",
                "extension": "jpg",
                "tileResolution": self.tile_size,
                "maxLevel": self.max_level,
                "cubeResolution": self.cube_resolution,
            }
        });
        let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// Peak memory of tiling a full-sphere `width`×`height` panorama, in bytes
/// ([`peak_memory_bound_with`] for the full sphere).
pub fn peak_memory_bound(width: u32, height: u32, tile_size: u32) -> u64 {
    peak_memory_bound_with(width, height, &Coverage::default(), tile_size)
}

/// Peak memory of tiling a `width`×`height` image covering `coverage`, in bytes (see the crate
/// docs): the decoded RGB8 image, a face level and the next (of the equivalent full width), one
/// batch of tiles (raw copies and encoded, each at most the raw size: a tile row, or two tiles
/// per rayon thread if more), the preview and the image scaled into it. The caller's encoded
/// file is not included.
pub fn peak_memory_bound_with(width: u32, height: u32, coverage: &Coverage, tile_size: u32) -> u64 {
    let (w, h) = (width as u64, height as u64);
    let t = tile_size.max(1) as u64;
    let c = Layout::new(full_width(width, coverage), tile_size.max(1)).cube_resolution as u64;
    let (pw, ph) = Place::new(coverage, width, height).preview_size();
    let threads = rayon::current_num_threads() as u64;
    let batch = 3 * (t * c).max(2 * threads * t * t);
    3 * w * h + 3 * c * c + 3 * (c / 2) * (c / 2) + 2 * batch + 2 * 3 * pw as u64 * ph as u64
}

/// The width a `width`-pixel image covering `coverage` would have over the full circle:
/// W·360/haov, rounded (saturating; `width` when the coverage is not a valid angle).
pub fn full_width(width: u32, coverage: &Coverage) -> u32 {
    let haov = coverage.haov as f64;
    if haov >= 360.0 || haov.is_nan() || haov <= 0.0 {
        return width;
    }
    (width as f64 * 360.0 / haov).round().min(u32::MAX as f64) as u32
}

/// Refuses a coverage that is not a part of the sphere (the tour validator's rule).
pub fn check_coverage(c: &Coverage) -> Result<(), TileError> {
    let finite = [c.haov, c.vaov, c.v_offset, c.h_offset]
        .iter()
        .all(|v| v.is_finite());
    let ok = finite
        && c.haov > 0.0
        && c.haov <= 360.0
        && c.vaov > 0.0
        && c.vaov <= 180.0
        && c.v_offset.abs() + c.vaov / 2.0 <= 90.001;
    if ok {
        Ok(())
    } else {
        Err(TileError::Coverage(format!(
            "coverage haov {} / vaov {} / v_offset {} / h_offset {} must lie on the sphere \
             (degrees: 0 < haov <= 360, 0 < vaov <= 180, |v_offset| + vaov/2 <= 90)",
            c.haov, c.vaov, c.v_offset, c.h_offset
        )))
    }
}

/// Reads the header only and checks the size limits and the shape (2:1, or placed by Photo
/// Sphere XMP); returns the size.
pub fn probe(bytes: &[u8]) -> Result<(u32, u32), TileError> {
    let p = probe_decoder(bytes, None)?;
    Ok((p.width, p.height))
}

/// Reads the header only and checks the size limits and the coverage: `coverage`, else the
/// file's Photo Sphere XMP, else the full sphere for a 2:1 image. Returns the size and the
/// coverage used.
pub fn probe_with(
    bytes: &[u8],
    coverage: Option<Coverage>,
) -> Result<(u32, u32, Coverage), TileError> {
    let p = probe_decoder(bytes, coverage)?;
    Ok((p.width, p.height, p.coverage))
}

/// Reads the header only and checks the size limits, not the shape; returns the size (to
/// complete a coverage from the image's aspect before [`Panorama::decode_with`]).
pub fn image_size(bytes: &[u8]) -> Result<(u32, u32), TileError> {
    let (w, h, _) = header(bytes)?;
    Ok((w, h))
}

fn reader(bytes: &[u8]) -> Result<ImageReader<Cursor<&[u8]>>, TileError> {
    let mut r = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| TileError::Unreadable(e.to_string()))?;
    // BigTIFF (what a TIFF over 4 GB must be): the TIFF decoder reads it, `image` does not
    // recognise its signature.
    if r.format().is_none() && (bytes.starts_with(b"II+\0") || bytes.starts_with(b"MM\0+")) {
        r.set_format(image::ImageFormat::Tiff);
    }
    if r.format().is_none() {
        return Err(TileError::Unreadable(
            "unknown format (JPEG, PNG and TIFF are read)".into(),
        ));
    }
    Ok(r)
}

/// The header's size within the limits, its data plausible for that size, and the bytes the
/// decoder may allocate: the image in its own pixel format and the decoder's working memory.
fn header(bytes: &[u8]) -> Result<(u32, u32, u64), TileError> {
    let mut r = reader(bytes)?;
    let tiff = r.format() == Some(image::ImageFormat::Tiff);
    // Header parsing allocates little; the pixel buffer is refused before it exists.
    r.no_limits();
    let dec = r
        .into_decoder()
        .map_err(|e| TileError::Unreadable(e.to_string()))?;
    let (width, height) = dec.dimensions();
    if width > MAX_SIDE || height > MAX_SIDE || width as u64 * height as u64 > MAX_PIXELS {
        return Err(TileError::TooLarge { width, height });
    }
    // What the file expands to, checked against the data it has: a few hundred bytes claiming
    // 32000×16000 are refused here, not after the decoder has allocated and filled 1.5 GB.
    if let Some(message) = disan_assets::image::data_problem(bytes, width, height) {
        return Err(TileError::TooLittleData(message));
    }
    let pixels = width as u64 * height as u64;
    let native = dec.total_bytes();
    let alloc = if tiff {
        // The TIFF decoder fills a buffer of its own (in the file's colour type: CMYK has four
        // samples where the result has three) and copies it into the image, and reads each strip
        // or tile's compressed bytes and directory values (at most the file) on the side.
        let own = dec.color_type().bytes_per_pixel() as u64;
        let file = (dec.original_color_type().bits_per_pixel() as u64).div_ceil(8);
        native + pixels * own.max(file) + bytes.len() as u64 + (1 << 20)
    } else {
        native.max(3 * pixels)
    };
    Ok((width, height, alloc))
}

/// What the header checks found.
struct Probe {
    width: u32,
    height: u32,
    /// Bytes the decoder may allocate (the image and its working memory).
    alloc: u64,
    coverage: Coverage,
    gpano: Option<GPano>,
}

/// Size checks, the coverage (given, from XMP, or the full sphere of a 2:1 image), the size of
/// the full panorama it makes, then the bytes the decoder needs.
fn probe_decoder(bytes: &[u8], coverage: Option<Coverage>) -> Result<Probe, TileError> {
    let (width, height, alloc) = header(bytes)?;
    let gpano = GPano::from_bytes(bytes);
    let two_to_one = height > 0 && (width as f64 / height as f64 - 2.0).abs() <= 0.02;
    let coverage = match coverage {
        Some(c) => c,
        None => match gpano.as_ref().and_then(GPano::coverage) {
            Some(c) if check_coverage(&c).is_ok() => c,
            _ if two_to_one => Coverage::default(),
            _ => return Err(TileError::NotEquirectangular { width, height }),
        },
    };
    check_coverage(&coverage)?;
    if height == 0 || width == 0 {
        return Err(TileError::TooSmall { width, height });
    }
    let fw = full_width(width, &coverage);
    if !Place::new(&coverage, width, height).identity {
        let fh = fw as u64 / 2;
        if fw > MAX_SIDE || fw as u64 * fh > MAX_PIXELS {
            return Err(TileError::Coverage(format!(
                "the image is {width}×{height} over {}°×{}°: as a full panorama it would be \
                 {fw}×{fh}, over the tiler's {} megapixels (0.5 gigapixel) and {MAX_SIDE} pixels \
                 a side (its cube faces grow with it); check the coverage or scale the image down",
                coverage.haov,
                coverage.vaov,
                MAX_PIXELS / 1_000_000
            )));
        }
    }
    if Layout::new(fw, 16).cube_resolution == 0 {
        return Err(TileError::TooSmall { width, height });
    }
    Ok(Probe {
        width,
        height,
        alloc,
        coverage,
        gpano,
    })
}

/// Where the image lies on the sphere, in radians.
#[derive(Debug, Clone, Copy)]
struct Place {
    width: u32,
    height: u32,
    /// Yaw of the image centre, in -π..π.
    h_offset: f64,
    /// Pitch of the image centre.
    v_offset: f64,
    haov: f64,
    vaov: f64,
    /// The image spans the full circle: sampling wraps at its left and right edges.
    wrap: bool,
    /// The full sphere with the image centre at yaw 0: the image is its own preview.
    identity: bool,
    /// Width over the full circle.
    full_width: u32,
}

impl Place {
    fn new(c: &Coverage, width: u32, height: u32) -> Place {
        let wrap = c.haov >= 360.0;
        // Degrees → radians as deg/180·π: 360° and 180° give exactly 2π and π.
        let h_deg = (c.h_offset as f64 + 180.0).rem_euclid(360.0) - 180.0;
        let identity = wrap && c.vaov >= 180.0 && c.v_offset == 0.0 && h_deg == 0.0;
        Place {
            width,
            height,
            h_offset: h_deg / 180.0 * PI,
            v_offset: c.v_offset as f64 / 180.0 * PI,
            haov: if wrap {
                TAU
            } else {
                c.haov as f64 / 180.0 * PI
            },
            vaov: (c.vaov as f64).min(180.0) / 180.0 * PI,
            wrap,
            identity,
            full_width: full_width(width, c),
        }
    }

    /// Size of the preview: the image itself (at most 1024 wide) for the full sphere, else the
    /// full sphere at the image's resolution, at most 1024×512.
    fn preview_size(&self) -> (u32, u32) {
        if self.identity {
            if self.width <= PREVIEW_MAX_WIDTH {
                (self.width, self.height)
            } else {
                (PREVIEW_MAX_WIDTH, PREVIEW_MAX_WIDTH / 2)
            }
        } else {
            let pw = self.full_width.clamp(2, PREVIEW_MAX_WIDTH);
            (pw, pw / 2)
        }
    }

    /// The image's rectangle in a `pw`×`ph` full-sphere preview: left column (may lie outside
    /// 0..pw: it wraps), top row, width, height (each at least 1 and at most the preview's).
    fn preview_rect(&self, pw: u32, ph: u32) -> (i64, usize, usize, usize) {
        let (pw_f, ph_f) = (pw as f64, ph as f64);
        let x0 = (((self.h_offset - self.haov / 2.0) / TAU + 0.5) * pw_f).round() as i64;
        let x1 = (((self.h_offset + self.haov / 2.0) / TAU + 0.5) * pw_f).round() as i64;
        let top = ((0.5 - (self.v_offset + self.vaov / 2.0) / PI) * ph_f).round();
        let bottom = ((0.5 - (self.v_offset - self.vaov / 2.0) / PI) * ph_f).round();
        let y0 = (top.max(0.0) as usize).min(ph as usize - 1);
        let y1 = (bottom.max(0.0) as usize).clamp(y0 + 1, ph as usize);
        let dw = (x1 - x0).clamp(1, pw as i64) as usize;
        (x0, y0, dw, y1 - y0)
    }
}

/// A decoded equirectangular panorama (full or partial), kept as RGB8.
pub struct Panorama {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
    coverage: Coverage,
    place: Place,
    gpano: Option<GPano>,
}

impl Panorama {
    /// [`Panorama::decode_with`] without a coverage: the file's Photo Sphere XMP places it, else
    /// it must be a 2:1 full-sphere panorama.
    pub fn decode(bytes: &[u8]) -> Result<Panorama, TileError> {
        Panorama::decode_with(bytes, None)
    }

    /// Checks the header ([`probe_with`]), then decodes with the decoder limited to the image's
    /// own decoded size (a TIFF's: twice that, and its compressed strips), and converts to RGB8.
    /// `coverage` places a partial image on the sphere; when `None`, the file's Photo Sphere
    /// (GPano) XMP does, else the image must be 2:1.
    pub fn decode_with(bytes: &[u8], coverage: Option<Coverage>) -> Result<Panorama, TileError> {
        let Probe {
            width,
            height,
            alloc,
            coverage,
            gpano,
        } = probe_decoder(bytes, coverage)?;
        let mut r = reader(bytes)?;
        // Exactly this image (at most 0.5 gigapixel, checked above) and what its decoder needs;
        // not the `image` crate's default 512 MiB, which would refuse the tiler's own maximum.
        let mut limits = Limits::no_limits();
        limits.max_image_width = Some(width);
        limits.max_image_height = Some(height);
        limits.max_alloc = Some(alloc);
        r.limits(limits);
        let img = r.decode().map_err(|e| TileError::Decode(e.to_string()))?;
        let rgb = match img {
            DynamicImage::ImageRgb8(i) => i.into_raw(),
            other => other.into_rgb8().into_raw(),
        };
        Ok(Panorama {
            width,
            height,
            rgb,
            place: Place::new(&coverage, width, height),
            coverage,
            gpano,
        })
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The part of the sphere the image covers (the full sphere for a 2:1 panorama).
    pub fn coverage(&self) -> Coverage {
        self.coverage
    }

    /// The file's Photo Sphere XMP, if it has one (its heading gives the tour's
    /// `north_offset`).
    pub fn gpano(&self) -> Option<&GPano> {
        self.gpano.as_ref()
    }

    /// The width the panorama would have over the full circle (its own for a full one).
    pub fn full_width(&self) -> u32 {
        self.place.full_width
    }

    /// The pyramid layout these options give for this panorama.
    pub fn layout(&self, opts: &TileOptions) -> Layout {
        Layout::new(self.place.full_width, opts.tile_size)
    }

    /// Peak memory of tiling this panorama ([`peak_memory_bound_with`]).
    pub fn peak_memory_bound(&self, opts: &TileOptions) -> u64 {
        peak_memory_bound_with(self.width, self.height, &self.coverage, opts.tile_size)
    }

    /// Builds the pyramid and hands each file to `sink` (relative path, bytes) in a fixed
    /// order: the preview, each face's levels from the top (its fallback face when reached),
    /// `config.json` last. `progress(done, total)` is called after each file.
    pub fn tile<E, S, P>(
        &self,
        opts: &TileOptions,
        mut sink: S,
        progress: P,
    ) -> Result<Layout, TileError>
    where
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
        S: FnMut(&str, Vec<u8>) -> Result<(), E>,
        P: Fn(u64, u64),
    {
        opts.validate()?;
        let layout = self.layout(opts);
        let total = layout.file_count();
        let mut done = 0u64;
        let mut emit = |path: &str, bytes: Vec<u8>| -> Result<(), TileError> {
            sink(path, bytes).map_err(|e| TileError::Output {
                path: path.to_string(),
                source: e.into(),
            })?;
            done += 1;
            progress(done, total);
            Ok(())
        };
        let lin = Linear::new();

        let (preview, pw, ph) = self.preview(&lin);
        emit(
            "preview.jpg",
            jpeg(&preview, pw, ph, opts.quality, "preview.jpg")?,
        )?;
        drop(preview);

        let fallback_level = layout.fallback_level();
        for (fi, &letter) in FACES.iter().enumerate() {
            let n = layout.cube_resolution as usize;
            let mut level_img = self.face(fi, n, &lin);
            for level in (1..=layout.max_level).rev() {
                let size = layout.level_size(level) as usize;
                if level != layout.max_level {
                    // The previous level sits in `level_img`; filter it down.
                    let prev = layout.level_size(level + 1) as usize;
                    level_img = downsample(&level_img, prev, prev, size, size, &lin);
                }
                let ts = layout.tile_size as usize;
                let tiles = layout.tiles_per_side(level) as usize;
                // Tiles are encoded in batches of whole tile rows, at least two tiles per
                // thread, and handed over in order before the next batch starts.
                let per_batch = (2 * rayon::current_num_threads()).div_ceil(tiles).max(1);
                let mut y = 0;
                while y < tiles {
                    let y_end = (y + per_batch).min(tiles);
                    let batch: Vec<(String, Vec<u8>)> = (y * tiles..y_end * tiles)
                        .into_par_iter()
                        .map(|k| {
                            let (ty, tx) = (k / tiles, k % tiles);
                            let path = format!("{level}/{letter}{ty}_{tx}.jpg");
                            let (x0, y0) = (tx * ts, ty * ts);
                            let (tw, th) = (ts.min(size - x0), ts.min(size - y0));
                            let mut buf = Vec::with_capacity(tw * th * 3);
                            for r in y0..y0 + th {
                                let start = (r * size + x0) * 3;
                                buf.extend_from_slice(&level_img[start..start + tw * 3]);
                            }
                            let bytes = jpeg(&buf, tw as u32, th as u32, opts.quality, &path)?;
                            Ok((path, bytes))
                        })
                        .collect::<Result<_, TileError>>()?;
                    for (path, bytes) in batch {
                        emit(&path, bytes)?;
                    }
                    y = y_end;
                }
                if level == fallback_level {
                    let path = format!("fallback/{letter}.jpg");
                    let bytes = jpeg(&level_img, size as u32, size as u32, opts.quality, &path)?;
                    emit(&path, bytes)?;
                }
            }
        }
        emit("config.json", layout.config_json().into_bytes())?;
        Ok(layout)
    }

    /// Face `fi` (index into [`FACES`]) at `n`×`n`, sRGB RGB8; [`FILL`] where the image does
    /// not reach.
    fn face(&self, fi: usize, n: usize, lin: &Linear) -> Vec<u8> {
        let mut out = vec![0u8; n * n * 3];
        out.par_chunks_mut(n * 3).enumerate().for_each(|(b, row)| {
            let t = 2.0 * (b as f64 + 0.5) / n as f64 - 1.0;
            for (a, px) in row.chunks_exact_mut(3).enumerate() {
                let s = 2.0 * (a as f64 + 0.5) / n as f64 - 1.0;
                let (x, y, z) = direction(fi, s, t);
                let yaw = x.atan2(z);
                let pitch = y.atan2(x.hypot(z));
                match self.sample(lin, yaw, pitch) {
                    Some(c) => {
                        px[0] = lin.encode(c[0]);
                        px[1] = lin.encode(c[1]);
                        px[2] = lin.encode(c[2]);
                    }
                    None => px.copy_from_slice(&FILL),
                }
            }
        });
        out
    }

    /// The preview (RGB8, width, height): the whole sphere, 2:1. A full panorama at yaw 0 is
    /// downsampled; any other is scaled to its place (wrapping at the ±180° seam) on the fill.
    fn preview(&self, lin: &Linear) -> (Vec<u8>, u32, u32) {
        let (w, h) = (self.width as usize, self.height as usize);
        let (pw, ph) = self.place.preview_size();
        if self.place.identity {
            let out = downsample(&self.rgb, w, h, pw as usize, ph as usize, lin);
            return (out, pw, ph);
        }
        let mut out = FILL.repeat(pw as usize * ph as usize);
        let (x0, y0, dw, dh) = self.place.preview_rect(pw, ph);
        let piece = downsample(&self.rgb, w, h, dw, dh, lin);
        for (j, row) in piece.chunks_exact(dw * 3).enumerate() {
            let line = (y0 + j) * pw as usize;
            for (i, px) in row.chunks_exact(3).enumerate() {
                let x = (x0 + i as i64).rem_euclid(pw as i64) as usize;
                out[(line + x) * 3..(line + x) * 3 + 3].copy_from_slice(px);
            }
        }
        (out, pw, ph)
    }

    /// Bilinear sample of the image at (yaw, pitch) in radians, linear light; `None` outside
    /// the covered area. Wraps at the left and right edges only when the image spans the full
    /// circle; otherwise, like the top and bottom, they clamp.
    fn sample(&self, lin: &Linear, yaw: f64, pitch: f64) -> Option<[f32; 3]> {
        let p = &self.place;
        let (w, h) = (self.width as usize, self.height as usize);
        let src = &self.rgb;
        let dp = pitch - p.v_offset;
        if dp.abs() > p.vaov / 2.0 {
            return None;
        }
        let mut dy = yaw - p.h_offset;
        if dy > PI {
            dy -= TAU;
        } else if dy < -PI {
            dy += TAU;
        }
        let v = (0.5 - dp / p.vaov) * h as f64 - 0.5;
        let vf = v.floor();
        let fy = (v - vf) as f32;
        let (x0, x1, fx) = if p.wrap {
            let u = (dy / TAU + 0.5) * w as f64 - 0.5;
            let uf = u.floor();
            let x0 = (uf as i64).rem_euclid(w as i64) as usize;
            (x0, (x0 + 1) % w, (u - uf) as f32)
        } else {
            if dy.abs() > p.haov / 2.0 {
                return None;
            }
            let u = (dy / p.haov + 0.5) * w as f64 - 0.5;
            let uf = u.floor();
            let last = w as i64 - 1;
            (
                (uf as i64).clamp(0, last) as usize,
                (uf as i64 + 1).clamp(0, last) as usize,
                (u - uf) as f32,
            )
        };
        let y0 = (vf as i64).clamp(0, h as i64 - 1) as usize;
        let y1 = (vf as i64 + 1).clamp(0, h as i64 - 1) as usize;
        let (r0, r1) = (y0 * w, y1 * w);
        let mut out = [0f32; 3];
        for (c, o) in out.iter_mut().enumerate() {
            let p = |i: usize| lin.to_lin[src[i * 3 + c] as usize];
            let top = p(r0 + x0) * (1.0 - fx) + p(r0 + x1) * fx;
            let bottom = p(r1 + x0) * (1.0 - fx) + p(r1 + x1) * fx;
            *o = top * (1.0 - fy) + bottom * fy;
        }
        Some(out)
    }
}

/// Decodes `bytes` and tiles it ([`Panorama::decode`] then [`Panorama::tile`]).
pub fn tile<E, S, P>(
    bytes: &[u8],
    opts: &TileOptions,
    sink: S,
    progress: P,
) -> Result<Layout, TileError>
where
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
    S: FnMut(&str, Vec<u8>) -> Result<(), E>,
    P: Fn(u64, u64),
{
    tile_with(bytes, None, opts, sink, progress)
}

/// Decodes `bytes` placed by `coverage` and tiles it ([`Panorama::decode_with`] then
/// [`Panorama::tile`]).
pub fn tile_with<E, S, P>(
    bytes: &[u8],
    coverage: Option<Coverage>,
    opts: &TileOptions,
    sink: S,
    progress: P,
) -> Result<Layout, TileError>
where
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
    S: FnMut(&str, Vec<u8>) -> Result<(), E>,
    P: Fn(u64, u64),
{
    opts.validate()?;
    Panorama::decode_with(bytes, coverage)?.tile(opts, sink, progress)
}

/// Tiles `bytes` and returns every file (relative path, bytes) in output order.
pub fn tile_to_vec(bytes: &[u8], opts: &TileOptions) -> Result<Vec<(String, Vec<u8>)>, TileError> {
    tile_to_vec_with(bytes, None, opts)
}

/// Tiles `bytes` placed by `coverage` ([`Panorama::decode_with`]) and returns every file
/// (relative path, bytes) in output order.
pub fn tile_to_vec_with(
    bytes: &[u8],
    coverage: Option<Coverage>,
    opts: &TileOptions,
) -> Result<Vec<(String, Vec<u8>)>, TileError> {
    let mut files = Vec::new();
    tile_with(
        bytes,
        coverage,
        opts,
        |p: &str, b: Vec<u8>| -> Result<(), std::convert::Infallible> {
            files.push((p.to_string(), b));
            Ok(())
        },
        |_, _| {},
    )?;
    Ok(files)
}

/// The view direction (x right, y up, z forward) through face point (s, t), both in -1..1,
/// s to the right and t down the face image.
pub fn direction(face: usize, s: f64, t: f64) -> (f64, f64, f64) {
    match face {
        0 => (s, -t, 1.0),   // front: yaw 0
        1 => (1.0, -t, -s),  // right: yaw +90°
        2 => (-s, -t, -1.0), // back: yaw 180°
        3 => (-1.0, -t, s),  // left: yaw -90°
        4 => (s, 1.0, t),    // up: top edge toward the back
        _ => (s, -1.0, -t),  // down: top edge toward the front
    }
}

/// Box-filters `src` (sw×sh RGB8, sRGB) to dw×dh in linear light: each output pixel averages
/// the source pixels whose index maps into it (exactly 2×2 when the side halves).
fn downsample(src: &[u8], sw: usize, sh: usize, dw: usize, dh: usize, lin: &Linear) -> Vec<u8> {
    let mut out = vec![0u8; dw * dh * 3];
    let span = |i: usize, s: usize, d: usize| {
        let a = i * s / d;
        let b = ((i + 1) * s / d).max(a + 1).min(s);
        (a, b)
    };
    out.par_chunks_mut(dw * 3).enumerate().for_each(|(j, row)| {
        let (y0, y1) = span(j, sh, dh);
        for (i, px) in row.chunks_exact_mut(3).enumerate() {
            let (x0, x1) = span(i, sw, dw);
            let mut sum = [0f32; 3];
            for y in y0..y1 {
                let line = &src[(y * sw + x0) * 3..(y * sw + x1) * 3];
                for p in line.chunks_exact(3) {
                    sum[0] += lin.to_lin[p[0] as usize];
                    sum[1] += lin.to_lin[p[1] as usize];
                    sum[2] += lin.to_lin[p[2] as usize];
                }
            }
            let k = 1.0 / ((y1 - y0) * (x1 - x0)) as f32;
            px[0] = lin.encode(sum[0] * k);
            px[1] = lin.encode(sum[1] * k);
            px[2] = lin.encode(sum[2] * k);
        }
    });
    out
}

fn jpeg(rgb: &[u8], w: u32, h: u32, quality: u8, path: &str) -> Result<Vec<u8>, TileError> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode(rgb, w, h, image::ExtendedColorType::Rgb8)
        .map_err(|e| TileError::Encode {
            path: path.to_string(),
            message: e.to_string(),
        })?;
    Ok(out)
}

/// sRGB ↔ linear tables.
struct Linear {
    to_lin: [f32; 256],
    from_lin: Vec<u8>,
}

const ENCODE_STEPS: usize = 65_536;

impl Linear {
    fn new() -> Linear {
        let mut to_lin = [0f32; 256];
        for (i, v) in to_lin.iter_mut().enumerate() {
            let c = i as f64 / 255.0;
            *v = if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            } as f32;
        }
        let from_lin = (0..ENCODE_STEPS)
            .map(|i| {
                let l = i as f64 / (ENCODE_STEPS - 1) as f64;
                let c = if l <= 0.003_130_8 {
                    l * 12.92
                } else {
                    1.055 * l.powf(1.0 / 2.4) - 0.055
                };
                (c * 255.0).round().clamp(0.0, 255.0) as u8
            })
            .collect();
        Linear { to_lin, from_lin }
    }

    fn encode(&self, l: f32) -> u8 {
        let i = (l.clamp(0.0, 1.0) * (ENCODE_STEPS - 1) as f32 + 0.5) as usize;
        self.from_lin[i.min(ENCODE_STEPS - 1)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_matches_generate_py() {
        // 2048 wide: 8·⌊2048/π/8⌋ = 648; ⌈log2(648/128)⌉ + 1 = 4 levels.
        let l = Layout::new(2048, 128);
        assert_eq!((l.cube_resolution, l.max_level), (648, 4));
        assert_eq!(
            (1..=4).map(|i| l.level_size(i)).collect::<Vec<_>>(),
            [81, 162, 324, 648]
        );
        assert_eq!(l.tiles_per_side(4), 6);
        let big = Layout::new(32768, 512);
        assert_eq!((big.cube_resolution, big.max_level), (10424, 6));
    }

    #[test]
    fn srgb_round_trips() {
        let lin = Linear::new();
        for i in 0..256 {
            assert_eq!(lin.encode(lin.to_lin[i]) as usize, i);
        }
    }

    /// A `w`×`h` PNG: red grows to the right, green downwards, blue 200.
    fn gradient(w: u32, h: u32) -> (image::RgbImage, Vec<u8>) {
        let img = image::RgbImage::from_fn(w, h, |i, j| {
            image::Rgb([
                (i * 255 / (w - 1).max(1)) as u8,
                (j * 255 / (h - 1).max(1)) as u8,
                200,
            ])
        });
        let mut png = Vec::new();
        img.write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        (img, png)
    }

    /// The full circle, 72° high, centred on the horizon.
    fn band() -> Coverage {
        Coverage {
            haov: 360.0,
            vaov: 72.0,
            v_offset: 0.0,
            h_offset: 0.0,
        }
    }

    /// (yaw, pitch) in degrees of face pixel (a, b) of an n×n face.
    fn angles(face: usize, a: usize, b: usize, n: usize) -> (f64, f64) {
        let s = 2.0 * (a as f64 + 0.5) / n as f64 - 1.0;
        let t = 2.0 * (b as f64 + 0.5) / n as f64 - 1.0;
        let (x, y, z) = direction(face, s, t);
        (x.atan2(z).to_degrees(), y.atan2(x.hypot(z)).to_degrees())
    }

    fn near(got: &[u8], want: &[u8], tol: i32) -> bool {
        got.iter()
            .zip(want)
            .all(|(&g, &w)| (g as i32 - w as i32).abs() <= tol)
    }

    fn pixel(rgb: &[u8], w: usize, x: usize, y: usize) -> &[u8] {
        &rgb[(y * w + x) * 3..(y * w + x) * 3 + 3]
    }

    #[test]
    fn partial_band_is_placed_with_fill_around() {
        let (src, png) = gradient(1000, 400);
        let pano = Panorama::decode_with(&png, Some(band())).unwrap();
        // The cube follows the full width: 1000·360/360 = 1000 → 8·⌊1000/π/8⌋ = 312.
        let opts = TileOptions {
            tile_size: 128,
            quality: 95,
        };
        let layout = pano.layout(&opts);
        assert_eq!((layout.cube_resolution, layout.max_level), (312, 3));
        let lin = Linear::new();
        let n = 312;

        // Inside: the front face's centre looks at yaw 0.18°, pitch −0.18°: source column
        // (0.18/360 + 0.5)·1000 − 0.5 ≈ 500, row (0.5 + 0.18/72)·400 − 0.5 ≈ 200.5.
        let front = pano.face(0, n, &lin);
        let (yaw, pitch) = angles(0, 156, 156, n);
        let u = ((yaw / 360.0 + 0.5) * 1000.0 - 0.5).round() as u32;
        let v = ((0.5 - pitch / 72.0) * 400.0 - 0.5).round() as u32;
        let want = src.get_pixel(u, v).0;
        let got = pixel(&front, n, 156, 156);
        assert!(near(got, &want, 2), "inside: got {got:?}, want {want:?}");
        // Outside: the top row of the front face looks 45° up, above the band's 36°.
        assert_eq!(pixel(&front, n, 156, 0), FILL);
        assert_eq!(pixel(&front, n, 156, n - 1), FILL);

        // The up face lies above 35.26° (its corners) and mostly above 36°: fill wherever it
        // looks above the band; only its four corners dip into it.
        for (fi, face) in [(4, pano.face(4, n, &lin)), (5, pano.face(5, n, &lin))] {
            let mut picture = 0;
            for b in 0..n {
                for a in 0..n {
                    let (_, pitch) = angles(fi, a, b, n);
                    let px = pixel(&face, n, a, b);
                    if pitch.abs() > 36.0 {
                        assert_eq!(px, FILL, "face {fi} ({a}, {b}) at pitch {pitch}");
                    } else {
                        picture += 1;
                        let corner = a.min(n - 1 - a) < 12 && b.min(n - 1 - b) < 12;
                        assert!(corner, "face {fi} ({a}, {b}) at pitch {pitch}");
                    }
                }
            }
            assert!(
                picture < n * n / 200,
                "face {fi}: {picture} pixels of picture"
            );
        }

        // Through the whole pipeline (JPEG): the centre tile of the up face is all fill, the
        // front face's centre the source colour, its top rows fill.
        let files = tile_to_vec_with(&png, Some(band()), &opts).unwrap();
        let get = |name: &str| {
            let bytes = &files.iter().find(|(p, _)| p == name).unwrap().1;
            image::load_from_memory(bytes).unwrap().to_rgb8()
        };
        let up = get("3/u1_1.jpg");
        assert!(
            up.pixels().all(|p| near(&p.0, &FILL, 1)),
            "the up face's centre tile is fill"
        );
        let tile = get("3/f1_1.jpg");
        let got = tile.get_pixel(156 - 128, 156 - 128).0;
        assert!(near(&got, &want, 4), "inside: got {got:?}, want {want:?}");
        let top = get("3/f0_1.jpg");
        assert!(near(&top.get_pixel(28, 3).0, &FILL, 1));
        // The fallback up face (level 3, 312 ≤ 1024) is fill away from its corners.
        let fallback = get("fallback/u.jpg");
        assert_eq!(fallback.dimensions(), (312, 312));
        assert!(near(&fallback.get_pixel(156, 156).0, &FILL, 1));

        // The preview is the whole sphere, 1000×500: the band fills rows 150..350.
        let preview = get("preview.jpg");
        assert_eq!(preview.dimensions(), (1000, 500));
        assert!(near(&preview.get_pixel(500, 100).0, &FILL, 1));
        assert!(near(
            &preview.get_pixel(500, 250).0,
            &src.get_pixel(500, 200).0,
            4
        ));
        let (raw, pw, ph) = pano.preview(&lin);
        assert_eq!((pw, ph), (1000, 500));
        assert_eq!(pixel(&raw, 1000, 10, 149), FILL);
        assert_eq!(pixel(&raw, 1000, 10, 350), FILL);
        assert_ne!(pixel(&raw, 1000, 10, 150), FILL);
        assert_ne!(pixel(&raw, 1000, 10, 349), FILL);

        // Deterministic like a full panorama.
        assert!(files == tile_to_vec_with(&png, Some(band()), &opts).unwrap());
    }

    #[test]
    fn partial_image_clamps_at_its_edges_and_wraps_in_the_preview() {
        // 200×100 over 90°×45°: left half black, right half white. A wrap at the right edge
        // would mix in the black left column.
        let img = image::RgbImage::from_fn(200, 100, |i, _| {
            if i < 100 {
                image::Rgb([0, 0, 0])
            } else {
                image::Rgb([255, 255, 255])
            }
        });
        let mut png = Vec::new();
        img.write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let cov = Coverage {
            haov: 90.0,
            vaov: 45.0,
            v_offset: 0.0,
            h_offset: 0.0,
        };
        let pano = Panorama::decode_with(&png, Some(cov)).unwrap();
        // 200·360/90 = 800 wide over the full circle → 8·⌊800/π/8⌋ = 248.
        assert_eq!(pano.full_width(), 800);
        let n = 248;
        let lin = Linear::new();
        let front = pano.face(0, n, &lin);
        // Column 247 looks at yaw 44.88°: source column 199.24, between the last column and
        // (clamped) itself.
        let (yaw, _) = angles(0, 247, 124, n);
        assert!(yaw > 44.8 && yaw < 45.0, "{yaw}");
        assert_eq!(pixel(&front, n, 247, 124), [255, 255, 255]);
        assert_eq!(pixel(&front, n, 0, 124), [0, 0, 0]);
        // The right face looks past 45°: fill.
        let right = pano.face(1, n, &lin);
        assert_eq!(pixel(&right, n, 0, 124), FILL);

        // Centred on the seam (yaw 180°), the preview holds it at both of its ends.
        let back = Coverage {
            h_offset: 180.0,
            ..cov
        };
        let pano = Panorama::decode_with(&png, Some(back)).unwrap();
        let (raw, pw, ph) = pano.preview(&lin);
        assert_eq!((pw, ph), (800, 400));
        // Columns 700..800 hold the black half, 0..100 the white half; the middle is fill.
        assert_eq!(pixel(&raw, 800, 750, 200), [0, 0, 0]);
        assert_eq!(pixel(&raw, 800, 50, 200), [255, 255, 255]);
        assert_eq!(pixel(&raw, 800, 400, 200), FILL);
        assert_eq!(pixel(&raw, 800, 750, 100), FILL);
        // And the back face's centre (yaw 180°) sees it, the front's does not.
        assert_ne!(pixel(&pano.face(2, n, &lin), n, 124, 124), FILL);
        assert_eq!(pixel(&pano.face(0, n, &lin), n, 124, 124), FILL);
    }

    /// `jpeg` with an APP1 XMP segment after its start-of-image marker.
    fn with_xmp(jpeg: &[u8], xmp: &str) -> Vec<u8> {
        let header = b"http://ns.adobe.com/xap/1.0/\0";
        let len = (2 + header.len() + xmp.len()) as u16;
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(header);
        out.extend_from_slice(xmp.as_bytes());
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    #[test]
    fn coverage_from_xmp_else_a_clear_refusal() {
        let (img, png) = gradient(1000, 400);
        let err = Panorama::decode(&png).err().unwrap();
        assert!(matches!(err, TileError::NotEquirectangular { .. }), "{err}");
        let text = err.to_string();
        assert!(text.contains("--haov") && text.contains("--vaov"), "{text}");

        let mut jpeg = Vec::new();
        img.write_to(&mut Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
            .unwrap();
        // Rows 150..350 of a 1000×500 full panorama: 360° × 72° about the horizon.
        let xmp = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description
            xmlns:GPano="http://ns.google.com/photos/1.0/panorama/"
            GPano:ProjectionType="equirectangular" GPano:PoseHeadingDegrees="30"
            GPano:FullPanoWidthPixels="1000" GPano:FullPanoHeightPixels="500"
            GPano:CroppedAreaImageWidthPixels="1000" GPano:CroppedAreaImageHeightPixels="200"
            GPano:CroppedAreaLeftPixels="0" GPano:CroppedAreaTopPixels="150"/>
            </rdf:RDF></x:xmpmeta>"#;
        let tagged = with_xmp(&jpeg, xmp);
        let pano = Panorama::decode(&tagged).unwrap();
        assert_eq!(pano.coverage(), band());
        assert_eq!(pano.gpano().and_then(GPano::north_offset), Some(-30.0));
        assert_eq!(probe_with(&tagged, None).unwrap(), (1000, 400, band()));
        // A coverage given wins over the XMP.
        let other = Coverage {
            vaov: 90.0,
            ..band()
        };
        assert_eq!(
            Panorama::decode_with(&tagged, Some(other))
                .unwrap()
                .coverage(),
            other
        );
        assert_eq!(image_size(&png).unwrap(), (1000, 400));
    }

    #[test]
    fn bad_coverages_are_refused_before_decoding() {
        let (_, png) = gradient(100, 50);
        for c in [
            Coverage {
                haov: 0.0,
                ..Coverage::default()
            },
            Coverage {
                vaov: 200.0,
                ..Coverage::default()
            },
            Coverage {
                vaov: 90.0,
                v_offset: 60.0,
                ..Coverage::default()
            },
            Coverage {
                h_offset: f32::NAN,
                ..Coverage::default()
            },
        ] {
            let err = Panorama::decode_with(&png, Some(c)).err().unwrap();
            assert!(matches!(err, TileError::Coverage(_)), "{c:?}: {err}");
        }
        // 100 pixels over 0.01° would be a 3.6-million-pixel-wide panorama.
        let tiny = Coverage {
            haov: 0.01,
            vaov: 0.01,
            ..Coverage::default()
        };
        let err = Panorama::decode_with(&png, Some(tiny)).err().unwrap();
        assert!(
            matches!(err, TileError::Coverage(ref m) if m.contains("3600000")),
            "{err}"
        );
    }

    #[test]
    fn memory_bound_follows_the_full_width() {
        let t = 512;
        let threads = rayon::current_num_threads() as u64;
        let batch = |c: u64| 2 * 3 * (t * c).max(2 * threads * t * t);
        // Full: the crate docs' example.
        let c = 10424u64;
        assert_eq!(
            peak_memory_bound(32768, 16384, 512),
            3 * 32768 * 16384 + 3 * c * c + 3 * (c / 2) * (c / 2) + batch(c) + 2 * 3 * 1024 * 512
        );
        // 16384×4096 over 360°×90°: the faces of a 16384-wide panorama.
        let band = Coverage {
            vaov: 90.0,
            ..Coverage::default()
        };
        let c = 5208u64;
        assert_eq!(
            peak_memory_bound_with(16384, 4096, &band, 512),
            3 * 16384 * 4096 + 3 * c * c + 3 * (c / 2) * (c / 2) + batch(c) + 2 * 3 * 1024 * 512
        );
        // 4096×4096 over 90°×90°: its faces are those of a 16384-wide panorama too.
        let quarter = Coverage {
            haov: 90.0,
            vaov: 90.0,
            ..Coverage::default()
        };
        assert_eq!(
            peak_memory_bound_with(4096, 4096, &quarter, 512),
            3 * 4096 * 4096 + 3 * c * c + 3 * (c / 2) * (c / 2) + batch(c) + 2 * 3 * 1024 * 512
        );
    }
}
