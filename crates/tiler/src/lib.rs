//! Disan's tiler: a full-sphere equirectangular panorama (JPEG, PNG or TIFF, 2:1) to a cube
//! multiresolution tile pyramid in Pannellum's `multires` layout, so panoramas of any size load
//! a tile at a time.
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
//!   `cubeResolution` = 8·⌊width / π / 8⌋; each level below halves the side (rounding down).
//!   Tiles are `tileResolution` pixels square except at the right and bottom edges of a face,
//!   which keep the remainder (as Pannellum's `generate.py` does).
//! - `fallback/<face>.jpg`: the faces at the largest level of at most 1024 pixels a side.
//! - `preview.jpg`: the whole equirectangular image at most 1024×512, for a first frame.
//! - `config.json`: Pannellum's configuration (`"type": "multires"` and its `multiRes` keys
//!   `path`, `fallbackPath`, `extension`, `tileResolution`, `maxLevel`, `cubeResolution`).
//!
//! The output is deterministic: the same input and options give the same bytes, in the same
//! order.
//!
//! # Quality
//!
//! Each face pixel samples the equirectangular image at its centre's direction, bilinearly
//! (wrapping at the ±180° seam, clamped at the poles), in linear light; each lower level is a
//! box filter (2×2 when the side halves exactly) in linear light. sRGB → linear is a 256-entry
//! table, linear → sRGB a 65 536-entry table of the exact sRGB curve.
//!
//! # Memory
//!
//! The header is checked before anything is decoded: at most 0.5 gigapixel
//! ([`MAX_PIXELS`]) and [`MAX_SIDE`] pixels a side, 2:1 within 1 %. The decoder may allocate
//! only what the image needs in its own pixel format. The image is then kept as RGB8 and one
//! face is built at a time, its levels kept as sRGB RGB8, so the peak is about
//! ([`peak_memory_bound`]):
//!
//! ```text
//! 3·W·H (decoded RGB8) + 3·C²·(1 + 1/4) (a face level and the next)
//!   + 2·3·max(T·C, 2·threads·T²) (a batch of tiles: raw copies and JPEGs) + the preview
//! ```
//!
//! For a 32768×16384 input (C = 10424, T = 512) on 16 threads: 1 610 612 736 (1.5 GiB) +
//! 407 480 160 + 50 331 648 + 1 572 864 ≈ 2.07 GB (1.93 GiB), 1.29× the decoded image. (A
//! face kept in linear f32 would be 1.3 GB alone; linear u16, 0.65 GB.) A source that is not RGB8 (RGBA,
//! 16-bit) is converted to RGB8 after decoding, so for a moment it needs its own decoded size
//! as well. The caller's copy of the encoded file comes on top ([`Panorama::decode`] lets it
//! be dropped before tiling).

use image::{DynamicImage, ImageDecoder, ImageReader, Limits};
use rayon::prelude::*;
use std::f64::consts::{PI, TAU};
use std::io::Cursor;

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
    /// The image is not a full-sphere equirectangular panorama.
    #[error("the image is {width}×{height}, not 2:1 (±1 %): only full 360°×180° equirectangular panoramas can be tiled")]
    NotEquirectangular { width: u32, height: u32 },
    /// The image is too small to make a cube face.
    #[error("the image is {width}×{height}: too small for a cube face (at least 26 pixels wide)")]
    TooSmall { width: u32, height: u32 },
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

/// Peak memory of tiling a `width`×`height` panorama, in bytes (see the crate docs): the
/// decoded RGB8 image, a face level and the next, one batch of tiles (raw copies and encoded,
/// each at most the raw size: a tile row, or two tiles per rayon thread if more) and the
/// preview. The caller's encoded file is not included.
pub fn peak_memory_bound(width: u32, height: u32, tile_size: u32) -> u64 {
    let (w, h) = (width as u64, height as u64);
    let t = tile_size.max(1) as u64;
    let c = Layout::new(width, tile_size.max(1)).cube_resolution as u64;
    let (pw, ph) = preview_size(width, height);
    let threads = rayon::current_num_threads() as u64;
    let batch = 3 * (t * c).max(2 * threads * t * t);
    3 * w * h + 3 * c * c + 3 * (c / 2) * (c / 2) + 2 * batch + 3 * pw as u64 * ph as u64
}

/// Reads the header only and checks the size limits and the 2:1 shape; returns the size.
pub fn probe(bytes: &[u8]) -> Result<(u32, u32), TileError> {
    let (w, h, _) = probe_decoder(bytes)?;
    Ok((w, h))
}

fn reader(bytes: &[u8]) -> Result<ImageReader<Cursor<&[u8]>>, TileError> {
    let r = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| TileError::Unreadable(e.to_string()))?;
    if r.format().is_none() {
        return Err(TileError::Unreadable(
            "unknown format (JPEG, PNG and TIFF are read)".into(),
        ));
    }
    Ok(r)
}

/// Size checks, then the bytes the decoder needs for the image in its own pixel format.
fn probe_decoder(bytes: &[u8]) -> Result<(u32, u32, u64), TileError> {
    let mut r = reader(bytes)?;
    // Header parsing allocates little; the pixel buffer is refused before it exists.
    r.no_limits();
    let dec = r
        .into_decoder()
        .map_err(|e| TileError::Unreadable(e.to_string()))?;
    let (width, height) = dec.dimensions();
    if width > MAX_SIDE || height > MAX_SIDE || width as u64 * height as u64 > MAX_PIXELS {
        return Err(TileError::TooLarge { width, height });
    }
    if height == 0 || (width as f64 / height as f64 - 2.0).abs() > 0.02 {
        return Err(TileError::NotEquirectangular { width, height });
    }
    if Layout::new(width, 16).cube_resolution == 0 {
        return Err(TileError::TooSmall { width, height });
    }
    Ok((width, height, dec.total_bytes()))
}

/// A decoded equirectangular panorama, kept as RGB8.
pub struct Panorama {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
}

impl Panorama {
    /// Checks the header ([`probe`]), then decodes with the decoder limited to the image's own
    /// decoded size, and converts to RGB8.
    pub fn decode(bytes: &[u8]) -> Result<Panorama, TileError> {
        let (width, height, native) = probe_decoder(bytes)?;
        let mut r = reader(bytes)?;
        if r.format() == Some(image::ImageFormat::Jpeg) && !jpeg_is_complete(bytes) {
            return Err(TileError::Decode(
                "the JPEG data is truncated (no end-of-image marker after its last scan)".into(),
            ));
        }
        let mut limits = Limits::default();
        limits.max_image_width = Some(width);
        limits.max_image_height = Some(height);
        limits.max_alloc = Some(native.max(3 * width as u64 * height as u64));
        r.limits(limits);
        let img = r.decode().map_err(|e| TileError::Decode(e.to_string()))?;
        let rgb = match img {
            DynamicImage::ImageRgb8(i) => i.into_raw(),
            other => other.into_rgb8().into_raw(),
        };
        Ok(Panorama { width, height, rgb })
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The pyramid layout these options give for this panorama.
    pub fn layout(&self, opts: &TileOptions) -> Layout {
        Layout::new(self.width, opts.tile_size)
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
        let (w, h) = (self.width as usize, self.height as usize);

        let (pw, ph) = preview_size(self.width, self.height);
        let preview = downsample(&self.rgb, w, h, pw as usize, ph as usize, &lin);
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

    /// Face `fi` (index into [`FACES`]) at `n`×`n`, sRGB RGB8.
    fn face(&self, fi: usize, n: usize, lin: &Linear) -> Vec<u8> {
        let mut out = vec![0u8; n * n * 3];
        let (w, h) = (self.width as usize, self.height as usize);
        out.par_chunks_mut(n * 3).enumerate().for_each(|(b, row)| {
            let t = 2.0 * (b as f64 + 0.5) / n as f64 - 1.0;
            for (a, px) in row.chunks_exact_mut(3).enumerate() {
                let s = 2.0 * (a as f64 + 0.5) / n as f64 - 1.0;
                let (x, y, z) = direction(fi, s, t);
                let yaw = x.atan2(z);
                let pitch = y.atan2(x.hypot(z));
                let c = sample(&self.rgb, w, h, lin, yaw, pitch);
                px[0] = lin.encode(c[0]);
                px[1] = lin.encode(c[1]);
                px[2] = lin.encode(c[2]);
            }
        });
        out
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
    opts.validate()?;
    Panorama::decode(bytes)?.tile(opts, sink, progress)
}

/// Tiles `bytes` and returns every file (relative path, bytes) in output order.
pub fn tile_to_vec(bytes: &[u8], opts: &TileOptions) -> Result<Vec<(String, Vec<u8>)>, TileError> {
    let mut files = Vec::new();
    tile(
        bytes,
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

fn preview_size(width: u32, height: u32) -> (u32, u32) {
    if width <= PREVIEW_MAX_WIDTH {
        (width, height)
    } else {
        (PREVIEW_MAX_WIDTH, PREVIEW_MAX_WIDTH / 2)
    }
}

/// Bilinear sample of the equirectangular image at (yaw, pitch) in radians, linear light.
fn sample(src: &[u8], w: usize, h: usize, lin: &Linear, yaw: f64, pitch: f64) -> [f32; 3] {
    let u = (yaw / TAU + 0.5) * w as f64 - 0.5;
    let v = (0.5 - pitch / PI) * h as f64 - 0.5;
    let (uf, vf) = (u.floor(), v.floor());
    let (fx, fy) = ((u - uf) as f32, (v - vf) as f32);
    let x0 = (uf as i64).rem_euclid(w as i64) as usize;
    let x1 = (x0 + 1) % w;
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
    out
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

/// Whether a JPEG ends its last scan: an end-of-image marker (FF D9) follows the last
/// start-of-scan marker (FF DA). Neither can occur inside entropy-coded data (an FF there is
/// followed by 00 or a restart marker), so a file cut inside its pixel data fails; embedded
/// thumbnails come before the main image's scans, extra images after it end with their own
/// marker. (The decoder fills a truncated image with grey instead of failing.)
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let last = |m: u8| bytes.windows(2).rposition(|w| w[0] == 0xFF && w[1] == m);
    match (last(0xDA), last(0xD9)) {
        (Some(sos), Some(eoi)) => eoi > sos,
        _ => false,
    }
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
}
