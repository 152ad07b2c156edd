//! Where a (partial) panorama lies on the sphere: its coverage checked, the full width it
//! implies, and its placement in radians.

use crate::{Coverage, TileError, PREVIEW_MAX_WIDTH};
use std::f64::consts::{PI, TAU};

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

/// Where the image lies on the sphere, in radians.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Place {
    pub(crate) width: u32,
    pub(crate) height: u32,
    /// Yaw of the image centre, in -π..π.
    pub(crate) h_offset: f64,
    /// Pitch of the image centre.
    pub(crate) v_offset: f64,
    pub(crate) haov: f64,
    pub(crate) vaov: f64,
    /// The image spans the full circle: sampling wraps at its left and right edges.
    pub(crate) wrap: bool,
    /// The full sphere with the image centre at yaw 0: the image is its own preview.
    pub(crate) identity: bool,
    /// Width over the full circle.
    pub(crate) full_width: u32,
}

impl Place {
    pub(crate) fn new(c: &Coverage, width: u32, height: u32) -> Place {
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
    pub(crate) fn preview_size(&self) -> (u32, u32) {
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
    pub(crate) fn preview_rect(&self, pw: u32, ph: u32) -> (i64, usize, usize, usize) {
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
