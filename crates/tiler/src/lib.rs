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

mod coverage;
mod header;
mod layout;
mod linear;
mod panorama;
mod pyramid;

pub use coverage::{check_coverage, full_width};
pub use disan_assets::xmp::GPano;
pub use disan_tour::model::Coverage;
pub use header::{image_size, probe, probe_with};
pub use layout::{peak_memory_bound, peak_memory_bound_with, Layout};
pub use panorama::{direction, Panorama};
pub use pyramid::{tile, tile_to_vec, tile_to_vec_with, tile_with};

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
