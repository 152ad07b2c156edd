//! `disan render`: the checks of its arguments (views, inspection tools, sizes).

use anyhow::{anyhow, Result};
use disan_render::GpuContext;
use disan_tour::model::View;

/// The inspection tools asked for on the command line (`disan render --clay --rake 30,10
/// --section y:0.5`).
pub(crate) fn parse_inspection(
    clay: bool,
    normals: bool,
    wireframe: bool,
    rake: Option<&str>,
    section: Option<&str>,
) -> Result<disan_tour::inspect::Inspection> {
    use disan_tour::inspect::{Axis, InspectView, Inspection, Raking, Section};
    let mut i = Inspection {
        view: if clay {
            InspectView::Clay
        } else if normals {
            InspectView::Normals
        } else if wireframe {
            InspectView::Wireframe
        } else {
            InspectView::Normal
        },
        ..Default::default()
    };
    if let Some(r) = rake {
        let v: Vec<f32> = r
            .split(',')
            .map(|x| x.trim().parse::<f32>())
            .collect::<Result<_, _>>()
            .map_err(|_| anyhow!("--rake wants AZIMUTH,ELEVATION in degrees, got \"{r}\""))?;
        let [azimuth, elevation] = v[..] else {
            return Err(anyhow!(
                "--rake wants AZIMUTH,ELEVATION in degrees, got \"{r}\""
            ));
        };
        i.raking = Some(Raking {
            azimuth,
            elevation: elevation.clamp(2.0, 89.0),
        });
    }
    if let Some(s) = section {
        let bad = || anyhow!("--section wants x|y|z:POSITION[:flip] (0..1), got \"{s}\"");
        let mut parts = s.split(':');
        let axis = parts.next().and_then(Axis::parse).ok_or_else(bad)?;
        let position = parts
            .next()
            .and_then(|p| p.trim().parse::<f32>().ok())
            .filter(|p| (0.0..=1.0).contains(p))
            .ok_or_else(bad)?;
        let flip = match parts.next() {
            None => false,
            Some("flip") => true,
            Some(_) => return Err(bad()),
        };
        i.section = Some(Section {
            axis,
            position,
            flip,
        });
    }
    Ok(i)
}

pub(crate) fn parse_orbit(s: &str) -> Result<View> {
    let parts: Vec<f32> = s
        .split(',')
        .map(|p| {
            p.trim()
                .parse::<f32>()
                .map_err(|_| anyhow!("--orbit expects yaw,pitch[,distance], got \"{s}\""))
        })
        .collect::<Result<_>>()?;
    match parts.as_slice() {
        [y, p] => Ok(View {
            yaw: *y,
            pitch: *p,
            fov: None,
            distance: None,
            target: None,
        }),
        [y, p, d] => Ok(View {
            yaw: *y,
            pitch: *p,
            fov: None,
            distance: Some(*d),
            target: None,
        }),
        _ => Err(anyhow!("--orbit expects yaw,pitch[,distance], got \"{s}\"")),
    }
}

/// Refuses view angles the renderer cannot use (NaN, infinities, out-of-range values).
pub(crate) fn check_view(v: &View) -> Result<()> {
    if !v.yaw.is_finite() {
        return Err(anyhow!(
            "yaw must be a finite number of degrees (got {})",
            v.yaw
        ));
    }
    if !(v.pitch.is_finite() && (-90.0..=90.0).contains(&v.pitch)) {
        return Err(anyhow!("pitch {} is outside -90..90 degrees", v.pitch));
    }
    if let Some(f) = v.fov {
        if !(f.is_finite() && f > 0.0 && f < 180.0) {
            return Err(anyhow!("--fov {f} is outside 0..180 degrees"));
        }
    }
    if let Some(d) = v.distance {
        if !(d.is_finite() && d > 0.0) {
            return Err(anyhow!("orbit distance must be positive (got {d})"));
        }
    }
    Ok(())
}

/// Refuses an output the device cannot hold, before anything is created for it: a side over
/// its texture limit, or a read-back buffer over its buffer limit.
pub(crate) fn check_render_size(ctx: &GpuContext, width: u32, height: u32) -> Result<()> {
    let side = ctx.max_texture_side();
    if width > side || height > side {
        return Err(anyhow!(
            "{width}×{height} is too large: this GPU renders at most {side} pixels a side"
        ));
    }
    let row = (width as u64 * 4).div_ceil(256) * 256;
    let max = ctx.device.limits().max_buffer_size;
    if row * height as u64 > max {
        return Err(anyhow!(
            "{width}×{height} is too large: its {} MB image exceeds this GPU's {} MB buffer limit",
            (row * height as u64).div_ceil(1 << 20),
            max >> 20
        ));
    }
    Ok(())
}
