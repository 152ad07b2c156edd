//! The pyramid built and handed out in order: the preview, each face's levels from the top
//! cut into JPEG tiles (encoded in parallel, in batches of whole rows), the fallback faces and
//! `config.json`.

use crate::linear::{downsample, Linear};
use crate::{Coverage, Layout, Panorama, TileError, TileOptions, FACES};
use rayon::prelude::*;

impl Panorama {
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
