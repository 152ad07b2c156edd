//! Where the visitor looks: a [`View`] into a panorama or around an object, the arrival
//! [`Orbit`] of an object scene, and the [`Coverage`] of a partial panorama.

use serde::{Deserialize, Serialize};

/// A view into a panorama (degrees) or an arrival orbit on an object.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(optional_fields))]
pub struct View {
    /// Degrees, 0 = centre of the image, positive to the right.
    #[serde(default)]
    pub yaw: f32,
    /// Degrees, positive up, within ±90.
    #[serde(default)]
    pub pitch: f32,
    /// Vertical field of view in degrees (panoramas).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fov: Option<f32>,
    /// Distance from the target in model units (objects); auto-fit when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance: Option<f32>,
    /// Point looked at in model space (objects); the scene's orbit target when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<[f32; 3]>,
}

/// Initial orbit of an object scene.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Orbit {
    /// Degrees around the vertical axis, 0 = looking at the model's front (+Z towards the viewer).
    #[serde(default)]
    pub yaw: f32,
    /// Degrees above the horizon.
    #[serde(default)]
    pub pitch: f32,
    /// Distance from the target in model units; fitted to the model's bounds when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance: Option<f32>,
    /// Point looked at, in model space; the centre of the bounds when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<[f32; 3]>,
}

impl View {
    /// Looking towards `yaw`, `pitch` (degrees), with the scene's own field of view, distance
    /// and target.
    pub fn new(yaw: f32, pitch: f32) -> View {
        View {
            yaw,
            pitch,
            ..View::default()
        }
    }

    /// With a vertical field of view, degrees (panoramas).
    pub fn with_fov(self, fov: f32) -> View {
        View {
            fov: Some(fov),
            ..self
        }
    }

    /// With a distance from the target, model units (objects).
    pub fn with_distance(self, distance: f32) -> View {
        View {
            distance: Some(distance),
            ..self
        }
    }

    /// Looking at `target`, model space (objects).
    pub fn with_target(self, target: [f32; 3]) -> View {
        View {
            target: Some(target),
            ..self
        }
    }
}

impl Orbit {
    /// Turned `yaw` degrees around the model and `pitch` above the horizon, the distance fitted
    /// to the model's bounds and looking at their centre.
    pub fn new(yaw: f32, pitch: f32) -> Orbit {
        Orbit {
            yaw,
            pitch,
            ..Orbit::default()
        }
    }
}

/// The part of the sphere a partial equirectangular image covers (Pannellum's `haov`, `vaov`,
/// `vOffset`, and the yaw of the image centre). The rest is a neutral fill, never stretched.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coverage {
    /// Horizontal angle of view, degrees (0 < haov <= 360).
    #[serde(default = "full_haov")]
    pub haov: f32,
    /// Vertical angle of view, degrees (0 < vaov <= 180).
    #[serde(default = "full_vaov")]
    pub vaov: f32,
    /// Pitch of the image centre, degrees.
    #[serde(default)]
    pub v_offset: f32,
    /// Yaw of the image centre, degrees.
    #[serde(default)]
    pub h_offset: f32,
}

fn full_haov() -> f32 {
    360.0
}
fn full_vaov() -> f32 {
    180.0
}

impl Default for Coverage {
    fn default() -> Self {
        Coverage {
            haov: 360.0,
            vaov: 180.0,
            v_offset: 0.0,
            h_offset: 0.0,
        }
    }
}

impl Coverage {
    /// The angles a `width` × `height` image covers if its pixels are square in angle and it
    /// spans the full circle when wider than 2:1 (a cropped-top-and-bottom panorama).
    pub fn from_aspect(width: u32, height: u32) -> Coverage {
        let aspect = width as f32 / height.max(1) as f32;
        if aspect >= 2.0 {
            Coverage {
                vaov: 360.0 / aspect,
                ..Coverage::default()
            }
        } else {
            Coverage {
                haov: 180.0 * aspect,
                ..Coverage::default()
            }
        }
    }

    /// True for the full sphere.
    pub fn is_full(&self) -> bool {
        self.haov >= 360.0 && self.vaov >= 180.0 && self.v_offset == 0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn view_builders_write_only_what_is_given() {
        let v = View::new(10.0, -5.0).with_fov(80.0);
        assert_eq!(
            v,
            View {
                yaw: 10.0,
                pitch: -5.0,
                fov: Some(80.0),
                distance: None,
                target: None,
            }
        );
        assert_eq!(
            serde_json::to_value(v).ok(),
            Some(serde_json::json!({"yaw": 10.0, "pitch": -5.0, "fov": 80.0}))
        );
        let o = View::new(30.0, 15.0)
            .with_distance(2.5)
            .with_target([0.0, 1.0, 0.0]);
        assert_eq!(
            (o.fov, o.distance, o.target),
            (None, Some(2.5), Some([0.0, 1.0, 0.0]))
        );
        assert_eq!(
            Orbit::new(25.0, 20.0),
            Orbit {
                yaw: 25.0,
                pitch: 20.0,
                distance: None,
                target: None,
            }
        );
    }
}
