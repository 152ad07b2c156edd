//! Shared links: the address fragment `#scene=<id>&yaw=…&pitch=…&fov=…` (objects: `distance`
//! and `target=x,y,z` instead of `fov`) and `&step=<tour>/<n>`, read and written once for both
//! shells (the web's address bar, `disan view --link`).

use crate::model::View;
use crate::visit::{Visit, VisitError};
use crate::Camera;

/// What a shared link names. Unknown keys and numbers that do not parse are left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Link {
    /// The scene.
    pub scene: Option<String>,
    /// The view in it (any of yaw, pitch, fov, distance, target given).
    pub view: Option<View>,
    /// A guided tour's step: its id and the step from 0 (written from 1).
    pub step: Option<(String, usize)>,
}

fn number(v: &str) -> Option<f32> {
    v.trim().parse::<f32>().ok().filter(|x| x.is_finite())
}

/// Up to `places` decimals, without trailing zeros (`12.5`, `-3`, `0.25`).
fn short(x: f32, places: usize) -> String {
    let s = format!("{x:.places$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

impl Link {
    /// Reads an address fragment (with or without its `#`).
    pub fn parse(fragment: &str) -> Link {
        let text = fragment.strip_prefix('#').unwrap_or(fragment);
        let mut link = Link::default();
        let mut view = View::default();
        let mut any_view = false;
        for (key, value) in form_urlencoded::parse(text.as_bytes()) {
            match key.as_ref() {
                "scene" if !value.is_empty() => link.scene = Some(value.into_owned()),
                "yaw" => {
                    if let Some(x) = number(&value) {
                        view.yaw = x;
                        any_view = true;
                    }
                }
                "pitch" => {
                    if let Some(x) = number(&value) {
                        view.pitch = x.clamp(-90.0, 90.0);
                        any_view = true;
                    }
                }
                "fov" => {
                    view.fov = number(&value).filter(|f| *f > 0.0 && *f < 180.0);
                    any_view |= view.fov.is_some();
                }
                "distance" => {
                    view.distance = number(&value).filter(|d| *d > 0.0);
                    any_view |= view.distance.is_some();
                }
                "target" => {
                    let xs: Vec<f32> = value.split(',').filter_map(number).collect();
                    if let [x, y, z] = xs[..] {
                        view.target = Some([x, y, z]);
                        any_view = true;
                    }
                }
                "step" => {
                    if let Some((tour, n)) = value.rsplit_once('/') {
                        if let Ok(n) = n.trim().parse::<usize>() {
                            if n >= 1 && !tour.is_empty() {
                                link.step = Some((tour.to_string(), n - 1));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        link.view = any_view.then_some(view);
        link
    }

    /// The fragment, without its `#`: `scene=…&yaw=…&pitch=…&fov=…[&step=…]`.
    pub fn to_fragment(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        if let Some(s) = &self.scene {
            out.append_pair("scene", s);
        }
        if let Some(v) = &self.view {
            out.append_pair("yaw", &short(v.yaw, 1));
            out.append_pair("pitch", &short(v.pitch, 1));
            if let Some(f) = v.fov {
                out.append_pair("fov", &short(f, 1));
            }
            if let Some(d) = v.distance {
                out.append_pair("distance", &short(d, 3));
            }
            if let Some([x, y, z]) = v.target {
                let t = [x, y, z].map(|c| short(c, 3)).join(",");
                out.append_pair("target", &t);
            }
        }
        if let Some((tour, n)) = &self.step {
            out.append_pair("step", &format!("{tour}/{}", n + 1));
        }
        out.finish()
    }
}

impl Visit {
    /// The link to what is on screen: the scene, the view, and the guided step when one is on.
    pub fn link(&self) -> Link {
        let mut view = self.view();
        // An object's target is written only when the visitor moved it off the fitted one.
        if let (Some(v), Some(Camera::Orbit(c))) = (&mut view, self.camera()) {
            if c.target == c.home_target() {
                v.target = None;
            }
        }
        // While a step's scene is still on its way, the screen shows the scene before it: the
        // link names what is on screen, not the step that is coming (else Back to it would
        // name a step whose scene is not there).
        let coming = self.arriving().is_some();
        Link {
            scene: self.current().map(str::to_string),
            view,
            step: self.guide().filter(|_| !coming).map(|g| (g.tour, g.step)),
        }
    }

    /// Opens a shared link: its guided step (paused, so that the visitor starts it), else its
    /// scene at its view; the tour's start when it names neither. Returns the scene.
    pub fn open_link(&mut self, link: &Link) -> Result<String, VisitError> {
        if let Some((tour, step)) = &link.step {
            if self.open_step(tour, *step, false).is_ok() {
                let id = self
                    .arriving()
                    .or(self.current())
                    .map(str::to_string)
                    .unwrap_or_default();
                return Ok(id);
            }
        }
        let wanted = link
            .scene
            .as_deref()
            .filter(|s| self.tour().scene(s).is_some());
        self.start(wanted, link.view.filter(|_| wanted.is_some()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_bad_values() {
        let l = Link {
            scene: Some("sân đình & hậu cung".into()),
            view: Some(View {
                yaw: -12.25,
                pitch: 5.0,
                fov: Some(60.0),
                ..View::default()
            }),
            step: Some(("guided".into(), 3)),
        };
        let f = l.to_fragment();
        assert!(f.contains("step=guided%2F4"), "{f}");
        assert!(f.contains("yaw=-12.3") || f.contains("yaw=-12.2"), "{f}");
        let back = Link::parse(&format!("#{f}"));
        assert_eq!(back.scene, l.scene);
        assert_eq!(back.step, l.step);
        let v = back.view.unwrap();
        assert!((v.yaw + 12.25).abs() < 0.06 && v.pitch == 5.0 && v.fov == Some(60.0));
        // Objects: distance and target.
        let o = Link::parse("scene=drum&yaw=30&pitch=10&distance=1.5&target=0,0.25,-1");
        let v = o.view.unwrap();
        assert_eq!((v.distance, v.target), (Some(1.5), Some([0.0, 0.25, -1.0])));
        // Bad values are left out; a link without a view has none.
        let bad = Link::parse("scene=a&yaw=NaN&fov=500&step=guided/0&pitch=abc");
        assert_eq!(bad.scene.as_deref(), Some("a"));
        assert_eq!((bad.view, bad.step), (None, None));
        assert_eq!(Link::parse(""), Link::default());
    }
}
