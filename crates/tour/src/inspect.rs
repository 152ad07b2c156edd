//! The tools a teacher or curator uses on a relic (object scenes), written once for both shells:
//! how the surface is shown (as it is, clay, normals), a raking light moved across it, a section
//! plane along X/Y/Z, and measurements between picked points. The visit keeps this state
//! (`Visit::inspection`, `Visit::measure_at`); the renderer reads [`InspectFrame`].

use crate::camera::Bounds;
use glam::{Vec3, Vec4};

/// How the surface of an object is shown.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InspectView {
    /// Its materials.
    #[default]
    Normal,
    /// A uniform matte material that shows the relief (textures and vertex colours left out).
    Clay,
    /// Surface normals as colours (curators check a scan's geometry).
    Normals,
    /// The triangles' edges over the clay surface (curators check a scan's mesh density).
    Wireframe,
}

impl InspectView {
    /// `normal`, `clay`, `normals`.
    pub fn name(self) -> &'static str {
        match self {
            InspectView::Normal => "normal",
            InspectView::Clay => "clay",
            InspectView::Normals => "normals",
            InspectView::Wireframe => "wireframe",
        }
    }

    /// From [`InspectView::name`].
    pub fn parse(s: &str) -> Option<InspectView> {
        Some(match s {
            "normal" | "" => InspectView::Normal,
            "clay" => InspectView::Clay,
            "normals" => InspectView::Normals,
            "wireframe" => InspectView::Wireframe,
            _ => return None,
        })
    }
}

/// An axis of the model's bounding box.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Axis {
    /// X.
    X,
    /// Y (up).
    Y,
    /// Z.
    Z,
}

impl Axis {
    /// From `x`, `y` or `z`.
    pub fn parse(s: &str) -> Option<Axis> {
        match s.trim().to_ascii_lowercase().as_str() {
            "x" => Some(Axis::X),
            "y" => Some(Axis::Y),
            "z" => Some(Axis::Z),
            _ => None,
        }
    }

    fn unit(self) -> Vec3 {
        match self {
            Axis::X => Vec3::X,
            Axis::Y => Vec3::Y,
            Axis::Z => Vec3::Z,
        }
    }
}

/// A section plane across the model: what lies beyond `position` along `axis` is cut away.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Section {
    /// Across which axis.
    pub axis: Axis,
    /// Where, from 0 (the bounds' minimum) to 1 (their maximum).
    pub position: f32,
    /// Keep the far side instead.
    pub flip: bool,
}

/// The raking light: a directional light at `azimuth` degrees around the vertical (0: from +Z,
/// 90: from +X) and `elevation` degrees above the horizon (low: it rakes).
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Raking {
    /// Degrees around +Y.
    pub azimuth: f32,
    /// Degrees above the horizon, 2..=89.
    pub elevation: f32,
}

impl Default for Raking {
    /// Low from the upper left of the default view, the way conservators first place it.
    fn default() -> Self {
        Raking {
            azimuth: -60.0,
            elevation: 12.0,
        }
    }
}

impl Raking {
    /// Unit vector towards the light.
    pub fn direction(&self) -> Vec3 {
        let (a, e) = (self.azimuth.to_radians(), self.elevation.to_radians());
        Vec3::new(e.cos() * a.sin(), e.sin(), e.cos() * a.cos()).normalize_or(Vec3::Y)
    }

    /// Moves the light by a drag of `(dx, dy)` logical pixels: across turns it round the
    /// relic, up raises it (kept between 2° and 89° so that it still rakes or tops).
    pub fn drag(&mut self, dx: f32, dy: f32) {
        self.azimuth = (self.azimuth + dx * 0.4).rem_euclid(360.0);
        self.elevation = (self.elevation - dy * 0.25).clamp(2.0, 89.0);
    }
}

/// The inspection tools' state in an object scene.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Inspection {
    /// How the surface is shown.
    pub view: InspectView,
    /// The raking light, when on (the environment is then dimmed).
    pub raking: Option<Raking>,
    /// The section plane, when on.
    pub section: Option<Section>,
}

/// What the renderer needs of the inspection for one frame.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct InspectFrame {
    /// How the surface is shown.
    pub view: InspectView,
    /// Unit vector towards the raking light.
    pub light: Option<Vec3>,
    /// The section plane `(n, d)`: world points with `n·p > d` are cut away.
    pub plane: Option<Vec4>,
}

impl Inspection {
    /// The frame's settings for a model with world `bounds`.
    pub fn frame(&self, bounds: &Bounds) -> InspectFrame {
        InspectFrame {
            view: self.view,
            light: self.raking.map(|r| r.direction()),
            plane: self.section.map(|s| {
                let n = s.axis.unit();
                let (lo, hi) = (bounds.min.dot(n), bounds.max.dot(n));
                let at = lo + (hi - lo) * s.position.clamp(0.0, 1.0);
                if s.flip {
                    (-n).extend(-at)
                } else {
                    n.extend(at)
                }
            }),
        }
    }

    /// True when anything is on.
    pub fn active(&self) -> bool {
        *self != Inspection::default()
    }
}

/// One measurement between two points on the surface (world space, model units).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measurement {
    /// First point.
    pub a: Vec3,
    /// Second point.
    pub b: Vec3,
    /// The distance in metres (model units × the scene's `metres_per_unit`).
    pub metres: f32,
}

/// A length for people: "1.24 m", "37.5 cm", "8.2 mm".
pub fn format_length(metres: f32) -> String {
    let m = metres.abs();
    if m >= 1.0 {
        format!("{m:.3} m")
    } else if m >= 0.01 {
        format!("{:.1} cm", m * 100.0)
    } else {
        format!("{:.1} mm", m * 1000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_section_plane_and_the_raking_light_follow_their_settings() {
        let b = Bounds {
            min: Vec3::new(-1.0, 0.0, -2.0),
            max: Vec3::new(1.0, 4.0, 2.0),
        };
        let mut i = Inspection {
            section: Some(Section {
                axis: Axis::Y,
                position: 0.25,
                flip: false,
            }),
            ..Default::default()
        };
        assert_eq!(i.frame(&b).plane, Some(Vec4::new(0.0, 1.0, 0.0, 1.0)));
        i.section = Some(Section {
            axis: Axis::X,
            position: 1.0,
            flip: true,
        });
        assert_eq!(i.frame(&b).plane, Some(Vec4::new(-1.0, 0.0, 0.0, -1.0)));
        let mut r = Raking::default();
        assert!(r.direction().y > 0.0 && r.direction().y < 0.25, "it rakes");
        r.drag(0.0, -10_000.0);
        assert_eq!(r.elevation, 89.0);
        r.drag(0.0, 10_000.0);
        assert_eq!(r.elevation, 2.0);
        assert_eq!(format_length(1.2344), "1.234 m");
        assert_eq!(format_length(0.375), "37.5 cm");
        assert_eq!(format_length(0.0082), "8.2 mm");
    }
}
