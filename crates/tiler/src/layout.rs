//! The pyramid's geometry (Pannellum's `generate.py`: cube resolution, levels, tiles, the
//! fallback level, `config.json`) and the peak memory a tiling takes.

use crate::coverage::{full_width, Place};
use crate::{Coverage, FALLBACK_MAX};
use std::f64::consts::PI;

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
