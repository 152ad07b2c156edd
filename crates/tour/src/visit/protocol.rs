//! What a shell asks of a visit, as one typed value: [`Command`], handed to [`Visit::apply`].
//! Both shells can send every action of a visitor through this one entry point (the web engine
//! as JSON, `{"type": "go", "scene": "san-dinh"}`), and what it did comes back as one
//! [`Reply`]. The visit's events (`Visit::take_events`) stay the other direction of the contract.
//!
//! The JSON form is the commands' serde form: `type` names the command in snake case, the
//! other fields are its arguments (`Input` and the inspection types use their own serde forms).

use super::{Action, Visit, VisitError};
use crate::input::Input;
use crate::inspect::{InspectView, Raking, Section};
use crate::model::View;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One thing a shell asks of the visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(optional_fields))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    /// Go to a scene, at `view` or the scene's own start view.
    Go {
        /// The scene's id.
        scene: String,
        /// The view to arrive at.
        #[serde(default)]
        view: Option<View>,
    },
    /// Activate the hotspot with this index of the current scene (as a click or Enter does).
    Activate {
        /// Index among the scene's hotspots.
        hotspot: usize,
    },
    /// Turn the view towards a hotspot (an edge arrow pressed).
    LookAtHotspot {
        /// Index among the scene's hotspots.
        hotspot: usize,
    },
    /// Close the catalog card.
    CloseCard,
    /// The visitor touched or scrolled the open card: a guided tour that plays pauses, so that
    /// it does not move on while they read.
    CardTouched,
    /// What the shell's panels cover of the view, in logical pixels from each edge (a card
    /// sheet, the player): the camera frames its subject in the rest.
    SetInsets {
        /// From the top edge.
        top: f32,
        /// From the right edge.
        right: f32,
        /// From the bottom edge.
        bottom: f32,
        /// From the left edge.
        left: f32,
    },
    /// Show the tour in this language.
    SetLanguage {
        /// A language code the tour has (`vi`, `en`).
        lang: String,
    },
    /// A pointer, wheel, pinch or key event at time `now` (seconds of the shell's clock).
    Input {
        /// The event.
        input: Input,
        /// The shell's clock.
        now: f64,
    },
    /// The visitor did something (restarts the idle timers).
    Touch,
    /// Set the view (a shared link, an API call).
    SetView {
        /// The view.
        view: View,
        /// Fly there instead of jumping.
        #[serde(default)]
        animate: bool,
    },
    /// Turn the view to face north.
    FaceNorth,
    /// Auto-rotation at `speed` degrees per second after `delay` seconds without a touch
    /// (`DEFAULT_AUTOROTATE_DELAY` when absent); no speed stops it.
    SetAutorotate {
        /// Degrees per second; `None` stops it.
        #[serde(default)]
        speed: Option<f32>,
        /// Seconds without a touch before it starts.
        #[serde(default)]
        delay: Option<f32>,
    },
    /// Follow the device's orientation (gyroscope) or stop.
    SetGyro {
        /// On or off.
        on: bool,
    },
    /// The visitor's one sound control: ambient and placed sounds on or off (muted).
    SetSound {
        /// On or off.
        on: bool,
    },
    /// The device's orientation (DeviceOrientationEvent angles, degrees).
    DeviceOrientation {
        /// Compass heading.
        alpha: f32,
        /// Front-back tilt.
        beta: f32,
        /// Left-right tilt.
        gamma: f32,
        /// Screen orientation angle.
        screen: f32,
    },
    /// Play a guided tour from `step` (0-based).
    Play {
        /// The guided tour's id.
        tour: String,
        /// The step to start at.
        #[serde(default)]
        step: usize,
    },
    /// Pause the guided tour.
    Pause,
    /// Resume it (flying back to the step's view).
    Resume,
    /// The next step.
    NextStep,
    /// The previous step.
    PrevStep,
    /// Go to a step (0-based).
    GotoStep {
        /// The step.
        step: usize,
    },
    /// Leave the guided tour.
    ExitTour,
    /// How the relic's surface is shown.
    SetInspectView {
        /// Normal, clay, normals or wireframe.
        view: InspectView,
    },
    /// A raking light, or none.
    SetRaking {
        /// The light's direction; `None` turns it off.
        #[serde(default)]
        raking: Option<Raking>,
    },
    /// Drags move the raking light (instead of turning the relic).
    SetLightDrag {
        /// On or off.
        on: bool,
    },
    /// The raking light back to its first direction.
    ResetLight,
    /// A section plane, or none.
    SetSection {
        /// The plane; `None` removes it.
        #[serde(default)]
        section: Option<Section>,
    },
    /// Clicks measure (instead of activating hotspots).
    SetMeasuring {
        /// On or off.
        on: bool,
    },
    /// Remove one measurement.
    RemoveMeasurement {
        /// Its index.
        index: usize,
    },
    /// Every inspection tool back to off.
    ResetInspection,
}

/// What a command did.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(optional_fields))]
pub struct Reply {
    /// Something on screen may have changed: draw a frame.
    pub changed: bool,
    /// What activating a hotspot (or a click) did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<Action>,
}

impl Reply {
    fn changed(changed: bool) -> Reply {
        Reply {
            changed,
            action: None,
        }
    }
}

impl Command {
    /// Reads a command from its JSON form (the serde form above, which `web/protocol.d.ts`
    /// declares); the error names what is wrong: an unknown command, a missing, misspelt or
    /// mistyped field. Read by hand from a `serde_json::Value` rather than by serde's derive:
    /// on the web path that keeps the engine about 25 KB gzip smaller. The unit tests check it
    /// against the derived form for every command.
    pub fn from_json(text: &str) -> Result<Command, String> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| format!("not a visit command: {e}"))?;
        Command::from_value(&value).map_err(|e| format!("not a visit command: {e}"))
    }

    /// [`Command::from_json`] from parsed JSON.
    pub fn from_value(value: &Value) -> Result<Command, String> {
        let obj = value.as_object().ok_or("a command is a JSON object")?;
        let kind = obj
            .get("type")
            .and_then(Value::as_str)
            .ok_or("missing field `type`")?;
        let f = Fields { obj, kind };
        let command = match kind {
            "go" => {
                f.only(&["scene", "view"])?;
                Command::Go {
                    scene: f.string("scene")?,
                    view: f.opt("view", view)?,
                }
            }
            "activate" => {
                f.only(&["hotspot"])?;
                Command::Activate {
                    hotspot: f.index("hotspot")?,
                }
            }
            "look_at_hotspot" => {
                f.only(&["hotspot"])?;
                Command::LookAtHotspot {
                    hotspot: f.index("hotspot")?,
                }
            }
            "close_card" => f.unit(Command::CloseCard)?,
            "card_touched" => f.unit(Command::CardTouched)?,
            "set_insets" => {
                f.only(&["top", "right", "bottom", "left"])?;
                Command::SetInsets {
                    top: f.float("top")?,
                    right: f.float("right")?,
                    bottom: f.float("bottom")?,
                    left: f.float("left")?,
                }
            }
            "set_language" => {
                f.only(&["lang"])?;
                Command::SetLanguage {
                    lang: f.string("lang")?,
                }
            }
            "input" => {
                f.only(&["input", "now"])?;
                Command::Input {
                    input: input(f.get("input")?)?,
                    now: f.number("now")?,
                }
            }
            "touch" => f.unit(Command::Touch)?,
            "set_view" => {
                f.only(&["view", "animate"])?;
                Command::SetView {
                    view: view(f.get("view")?)?,
                    animate: f.opt("animate", boolean)?.unwrap_or(false),
                }
            }
            "face_north" => f.unit(Command::FaceNorth)?,
            "set_autorotate" => {
                f.only(&["speed", "delay"])?;
                Command::SetAutorotate {
                    speed: f.opt("speed", float)?,
                    delay: f.opt("delay", float)?,
                }
            }
            "set_gyro" => {
                f.only(&["on"])?;
                Command::SetGyro {
                    on: f.boolean("on")?,
                }
            }
            "set_sound" => {
                f.only(&["on"])?;
                Command::SetSound {
                    on: f.boolean("on")?,
                }
            }
            "device_orientation" => {
                f.only(&["alpha", "beta", "gamma", "screen"])?;
                Command::DeviceOrientation {
                    alpha: f.float("alpha")?,
                    beta: f.float("beta")?,
                    gamma: f.float("gamma")?,
                    screen: f.float("screen")?,
                }
            }
            "play" => {
                f.only(&["tour", "step"])?;
                Command::Play {
                    tour: f.string("tour")?,
                    step: f.opt("step", index)?.unwrap_or(0),
                }
            }
            "pause" => f.unit(Command::Pause)?,
            "resume" => f.unit(Command::Resume)?,
            "next_step" => f.unit(Command::NextStep)?,
            "prev_step" => f.unit(Command::PrevStep)?,
            "goto_step" => {
                f.only(&["step"])?;
                Command::GotoStep {
                    step: f.index("step")?,
                }
            }
            "exit_tour" => f.unit(Command::ExitTour)?,
            "set_inspect_view" => {
                f.only(&["view"])?;
                let name = f.string("view")?;
                Command::SetInspectView {
                    view: InspectView::parse(&name)
                        .filter(|_| !name.is_empty())
                        .ok_or_else(|| format!("unknown inspection view `{name}`"))?,
                }
            }
            "set_raking" => {
                f.only(&["raking"])?;
                Command::SetRaking {
                    raking: f.opt("raking", raking)?,
                }
            }
            "set_light_drag" => {
                f.only(&["on"])?;
                Command::SetLightDrag {
                    on: f.boolean("on")?,
                }
            }
            "reset_light" => f.unit(Command::ResetLight)?,
            "set_section" => {
                f.only(&["section"])?;
                Command::SetSection {
                    section: f.opt("section", section)?,
                }
            }
            "set_measuring" => {
                f.only(&["on"])?;
                Command::SetMeasuring {
                    on: f.boolean("on")?,
                }
            }
            "remove_measurement" => {
                f.only(&["index"])?;
                Command::RemoveMeasurement {
                    index: f.index("index")?,
                }
            }
            "reset_inspection" => f.unit(Command::ResetInspection)?,
            other => return Err(format!("unknown command `{other}`")),
        };
        Ok(command)
    }
}

impl Reply {
    /// The reply as JSON text (`{"changed": …, "action": {"type": "open", …}}`), the serde form
    /// above, written by hand for the web path's size (a unit test checks it against serde).
    pub fn to_json(&self) -> String {
        let text = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
        let action = match &self.action {
            None => String::new(),
            Some(Action::Go { scene, hotspot }) => format!(
                ",\"action\":{{\"type\":\"go\",\"scene\":{},\"hotspot\":{hotspot}}}",
                text(scene)
            ),
            Some(Action::Open { entry, hotspot }) => format!(
                ",\"action\":{{\"type\":\"open\",\"entry\":{},\"hotspot\":{hotspot}}}",
                text(entry)
            ),
        };
        format!("{{\"changed\":{}{action}}}", self.changed)
    }
}

/// The fields of one command object.
struct Fields<'a> {
    obj: &'a Map<String, Value>,
    kind: &'a str,
}

impl Fields<'_> {
    /// Refuses a field the command does not have (a misspelt one would otherwise be ignored).
    fn only(&self, known: &[&str]) -> Result<(), String> {
        match self
            .obj
            .keys()
            .find(|k| *k != "type" && !known.contains(&k.as_str()))
        {
            Some(k) => Err(format!("unknown field `{k}` of `{}`", self.kind)),
            None => Ok(()),
        }
    }

    /// A command without fields.
    fn unit(&self, c: Command) -> Result<Command, String> {
        self.only(&[])?;
        Ok(c)
    }

    fn get(&self, name: &str) -> Result<&Value, String> {
        self.obj
            .get(name)
            .ok_or_else(|| format!("missing field `{name}` of `{}`", self.kind))
    }

    /// An optional field: absent and `null` are `None`.
    fn opt<T>(
        &self,
        name: &str,
        read: impl Fn(&Value) -> Result<T, String>,
    ) -> Result<Option<T>, String> {
        match self.obj.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => read(v)
                .map(Some)
                .map_err(|e| format!("field `{name}` of `{}`: {e}", self.kind)),
        }
    }

    fn with<T>(&self, name: &str, read: impl Fn(&Value) -> Result<T, String>) -> Result<T, String> {
        read(self.get(name)?).map_err(|e| format!("field `{name}` of `{}`: {e}", self.kind))
    }

    fn string(&self, name: &str) -> Result<String, String> {
        self.with(name, |v| {
            v.as_str()
                .map(str::to_string)
                .ok_or_else(|| "not a string".to_string())
        })
    }

    fn index(&self, name: &str) -> Result<usize, String> {
        self.with(name, index)
    }

    fn float(&self, name: &str) -> Result<f32, String> {
        self.with(name, float)
    }

    fn number(&self, name: &str) -> Result<f64, String> {
        self.with(name, |v| {
            v.as_f64().ok_or_else(|| "not a number".to_string())
        })
    }

    fn boolean(&self, name: &str) -> Result<bool, String> {
        self.with(name, boolean)
    }
}

fn index(v: &Value) -> Result<usize, String> {
    v.as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| "not a whole number".to_string())
}

fn float(v: &Value) -> Result<f32, String> {
    v.as_f64()
        .map(|n| n as f32)
        .ok_or_else(|| "not a number".to_string())
}

fn boolean(v: &Value) -> Result<bool, String> {
    v.as_bool().ok_or_else(|| "not true or false".to_string())
}

fn object<'a>(v: &'a Value, what: &'a str) -> Result<Fields<'a>, String> {
    Ok(Fields {
        obj: v
            .as_object()
            .ok_or_else(|| format!("{what} is an object"))?,
        kind: what,
    })
}

fn view(v: &Value) -> Result<View, String> {
    let f = object(v, "view")?;
    f.only(&["yaw", "pitch", "fov", "distance", "target"])?;
    Ok(View {
        yaw: f.opt("yaw", float)?.unwrap_or(0.0),
        pitch: f.opt("pitch", float)?.unwrap_or(0.0),
        fov: f.opt("fov", float)?,
        distance: f.opt("distance", float)?,
        target: f.opt("target", |t| {
            let a = t
                .as_array()
                .filter(|a| a.len() == 3)
                .ok_or("not 3 numbers")?;
            Ok([float(&a[0])?, float(&a[1])?, float(&a[2])?])
        })?,
    })
}

fn raking(v: &Value) -> Result<Raking, String> {
    let f = object(v, "raking")?;
    f.only(&["azimuth", "elevation"])?;
    Ok(Raking {
        azimuth: f.float("azimuth")?,
        elevation: f.float("elevation")?,
    })
}

fn section(v: &Value) -> Result<Section, String> {
    let f = object(v, "section")?;
    f.only(&["axis", "position", "flip"])?;
    let axis = f.string("axis")?;
    Ok(Section {
        axis: crate::inspect::Axis::parse(&axis)
            .filter(|_| axis.len() == 1 && axis.chars().all(|c| c.is_ascii_lowercase()))
            .ok_or_else(|| format!("unknown axis `{axis}`"))?,
        position: f.float("position")?,
        flip: f.boolean("flip")?,
    })
}

/// An [`Input`] in serde's external tagging: `{"key": "reset"}`, `{"wheel": {"delta": 3}}`.
fn input(v: &Value) -> Result<Input, String> {
    use crate::input::{Key, PointerButton};
    let obj = v
        .as_object()
        .filter(|o| o.len() == 1)
        .ok_or("an input is an object with one key")?;
    let (name, body) = obj.iter().next().ok_or("an empty input")?;
    if name == "key" {
        let key = body.as_str().ok_or("a key is a string")?;
        return Ok(Input::Key(match key {
            "left" => Key::Left,
            "right" => Key::Right,
            "up" => Key::Up,
            "down" => Key::Down,
            "zoom_in" => Key::ZoomIn,
            "zoom_out" => Key::ZoomOut,
            "reset" => Key::Reset,
            other => return Err(format!("unknown key `{other}`")),
        }));
    }
    let f = object(body, name)?;
    let id = || {
        f.with("id", |v| {
            v.as_u64().ok_or_else(|| "not a whole number".to_string())
        })
    };
    let pos = || {
        f.with("pos", |p| {
            let a = p
                .as_array()
                .filter(|a| a.len() == 2)
                .ok_or("not 2 numbers")?;
            Ok(glam::Vec2::new(float(&a[0])?, float(&a[1])?))
        })
    };
    Ok(match name.as_str() {
        "pointer_down" => {
            f.only(&["id", "pos", "button"])?;
            let button = f.string("button")?;
            Input::PointerDown {
                id: id()?,
                pos: pos()?,
                button: match button.as_str() {
                    "primary" => PointerButton::Primary,
                    "secondary" => PointerButton::Secondary,
                    "middle" => PointerButton::Middle,
                    other => return Err(format!("unknown pointer button `{other}`")),
                },
            }
        }
        "pointer_move" => {
            f.only(&["id", "pos"])?;
            Input::PointerMove {
                id: id()?,
                pos: pos()?,
            }
        }
        "pointer_up" => {
            f.only(&["id", "pos"])?;
            Input::PointerUp {
                id: id()?,
                pos: pos()?,
            }
        }
        "pointer_cancel" => {
            f.only(&["id"])?;
            Input::PointerCancel { id: id()? }
        }
        "wheel" => {
            f.only(&["delta"])?;
            Input::Wheel {
                delta: f.float("delta")?,
            }
        }
        "pinch" => {
            f.only(&["scale"])?;
            Input::Pinch {
                scale: f.float("scale")?,
            }
        }
        "double_click" => {
            f.only(&["pos"])?;
            Input::DoubleClick { pos: pos()? }
        }
        other => return Err(format!("unknown input `{other}`")),
    })
}

impl Visit {
    /// Does what the shell asks: the one entry point for every action of a visitor.
    pub fn apply(&mut self, command: Command) -> Result<Reply, VisitError> {
        Ok(match command {
            Command::Go { scene, view } => {
                self.go(&scene, view)?;
                Reply::changed(true)
            }
            Command::Activate { hotspot } => {
                let action = self.activate(hotspot);
                Reply {
                    changed: true,
                    action,
                }
            }
            Command::LookAtHotspot { hotspot } => Reply::changed(self.look_at_hotspot(hotspot)),
            Command::CloseCard => {
                self.close_card();
                Reply::changed(true)
            }
            Command::CardTouched => Reply::changed(self.card_touched()),
            Command::SetInsets {
                top,
                right,
                bottom,
                left,
            } => Reply::changed(self.set_insets(super::Insets {
                top,
                right,
                bottom,
                left,
            })),
            Command::SetLanguage { lang } => {
                self.set_language(&lang);
                Reply::changed(true)
            }
            Command::Input { input, now } => {
                let action = self.input(input, now);
                Reply {
                    changed: true,
                    action,
                }
            }
            Command::Touch => {
                self.touch();
                Reply::changed(false)
            }
            Command::SetView { view, animate } => Reply::changed(self.set_view(&view, animate)),
            Command::FaceNorth => Reply::changed(self.face_north()),
            Command::SetAutorotate { speed, delay } => {
                self.set_autorotate(speed, delay.unwrap_or(super::DEFAULT_AUTOROTATE_DELAY));
                Reply::changed(true)
            }
            Command::SetGyro { on } => {
                self.set_gyro(on);
                Reply::changed(true)
            }
            Command::SetSound { on } => {
                self.set_sound(on);
                Reply::changed(false)
            }
            Command::DeviceOrientation {
                alpha,
                beta,
                gamma,
                screen,
            } => {
                self.device_orientation(alpha, beta, gamma, screen);
                Reply::changed(true)
            }
            Command::Play { tour, step } => {
                self.play(&tour, step)?;
                Reply::changed(true)
            }
            Command::Pause => {
                self.pause();
                Reply::changed(true)
            }
            Command::Resume => {
                self.resume();
                Reply::changed(true)
            }
            Command::NextStep => {
                self.next_step();
                Reply::changed(true)
            }
            Command::PrevStep => {
                self.prev_step();
                Reply::changed(true)
            }
            Command::GotoStep { step } => {
                self.goto_step(step)?;
                Reply::changed(true)
            }
            Command::ExitTour => {
                self.exit_tour();
                Reply::changed(true)
            }
            Command::SetInspectView { view } => Reply::changed(self.set_inspect_view(view)),
            Command::SetRaking { raking } => Reply::changed(self.set_raking(raking)),
            Command::SetLightDrag { on } => Reply::changed(self.set_light_drag(on)),
            Command::ResetLight => Reply::changed(self.reset_light()),
            Command::SetSection { section } => Reply::changed(self.set_section(section)),
            Command::SetMeasuring { on } => Reply::changed(self.set_measuring(on)),
            Command::RemoveMeasurement { index } => Reply::changed(self.remove_measurement(index)),
            Command::ResetInspection => {
                self.reset_inspection();
                Reply::changed(true)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Key;
    use crate::inspect::Axis;
    use glam::Vec2;

    /// One command of each kind, in the order of the enum.
    pub(super) fn all() -> Vec<Command> {
        vec![
            Command::Go {
                scene: "hau".into(),
                view: None,
            },
            Command::Activate { hotspot: 1 },
            Command::LookAtHotspot { hotspot: 0 },
            Command::CloseCard,
            Command::CardTouched,
            Command::SetInsets {
                top: 0.0,
                right: 0.0,
                bottom: 320.0,
                left: 0.0,
            },
            Command::SetLanguage { lang: "en".into() },
            Command::Input {
                input: Input::Key(Key::Reset),
                now: 1.0,
            },
            Command::Touch,
            Command::SetView {
                view: View::new(40.0, 5.0),
                animate: false,
            },
            Command::FaceNorth,
            Command::SetAutorotate {
                speed: Some(5.0),
                delay: None,
            },
            Command::SetGyro { on: false },
            Command::SetSound { on: false },
            Command::DeviceOrientation {
                alpha: 10.0,
                beta: 80.0,
                gamma: 0.0,
                screen: 0.0,
            },
            Command::Play {
                tour: "guided".into(),
                step: 0,
            },
            Command::Pause,
            Command::Resume,
            Command::NextStep,
            Command::PrevStep,
            Command::GotoStep { step: 1 },
            Command::ExitTour,
            Command::SetInspectView {
                view: InspectView::Clay,
            },
            Command::SetRaking {
                raking: Some(Raking::default()),
            },
            Command::SetLightDrag { on: true },
            Command::ResetLight,
            Command::SetSection {
                section: Some(Section {
                    axis: Axis::Y,
                    position: 0.5,
                    flip: false,
                }),
            },
            Command::SetMeasuring { on: true },
            Command::RemoveMeasurement { index: 0 },
            Command::ResetInspection,
        ]
    }

    /// The position of a command in the enum: a new command that is not in [`all`] fails the
    /// test below, and one missing here does not compile.
    fn index(c: &Command) -> usize {
        match c {
            Command::Go { .. } => 0,
            Command::Activate { .. } => 1,
            Command::LookAtHotspot { .. } => 2,
            Command::CloseCard => 3,
            Command::CardTouched => 4,
            Command::SetInsets { .. } => 5,
            Command::SetLanguage { .. } => 6,
            Command::Input { .. } => 7,
            Command::Touch => 8,
            Command::SetView { .. } => 9,
            Command::FaceNorth => 10,
            Command::SetAutorotate { .. } => 11,
            Command::SetGyro { .. } => 12,
            Command::SetSound { .. } => 13,
            Command::DeviceOrientation { .. } => 14,
            Command::Play { .. } => 15,
            Command::Pause => 16,
            Command::Resume => 17,
            Command::NextStep => 18,
            Command::PrevStep => 19,
            Command::GotoStep { .. } => 20,
            Command::ExitTour => 21,
            Command::SetInspectView { .. } => 22,
            Command::SetRaking { .. } => 23,
            Command::SetLightDrag { .. } => 24,
            Command::ResetLight => 25,
            Command::SetSection { .. } => 26,
            Command::SetMeasuring { .. } => 27,
            Command::RemoveMeasurement { .. } => 28,
            Command::ResetInspection => 29,
        }
    }

    use crate::visit::guide_tests::guided_visit as visit;
    use crate::visit::tests::fulfil;

    #[test]
    fn every_command_has_a_json_form_that_reads_back() {
        let all = all();
        let indices: Vec<usize> = all.iter().map(index).collect();
        assert_eq!(indices, (0..all.len()).collect::<Vec<_>>());
        for c in all {
            let json = serde_json::to_string(&c).expect("json");
            assert_eq!(Command::from_json(&json).as_ref(), Ok(&c), "{json}");
        }
        // The form a page writes by hand.
        assert_eq!(
            Command::from_json(r#"{"type": "go", "scene": "san"}"#),
            Ok(Command::Go {
                scene: "san".into(),
                view: None
            })
        );
        assert_eq!(
            Command::from_json(r#"{"type": "input", "input": {"key": "reset"}, "now": 2}"#),
            Ok(Command::Input {
                input: Input::Key(Key::Reset),
                now: 2.0
            })
        );
        // A misspelt command or field is an error that says so, not a silent no-op.
        let e = Command::from_json(r#"{"type": "goto", "scene": "san"}"#).unwrap_err();
        assert!(e.contains("goto"), "{e}");
        let e = Command::from_json(r#"{"type": "go", "scen": "san"}"#).unwrap_err();
        assert!(e.contains("scen"), "{e}");
    }

    #[test]
    fn the_hand_reader_agrees_with_the_declared_form() {
        // Every command, and every kind of input, read back by hand as serde's derive reads
        // it (the derive is what web/protocol.d.ts declares).
        let inputs = [
            Input::PointerDown {
                id: 3,
                pos: Vec2::new(1.5, 2.0),
                button: crate::input::PointerButton::Secondary,
            },
            Input::PointerMove {
                id: 3,
                pos: Vec2::new(4.0, 5.0),
            },
            Input::PointerUp {
                id: 3,
                pos: Vec2::new(4.0, 5.0),
            },
            Input::PointerCancel { id: 3 },
            Input::Wheel { delta: -2.0 },
            Input::Pinch { scale: 1.25 },
            Input::DoubleClick {
                pos: Vec2::new(7.0, 8.0),
            },
            Input::Key(Key::ZoomOut),
        ];
        let with_inputs = inputs
            .into_iter()
            .map(|input| Command::Input { input, now: 0.5 });
        let views = [
            View::new(10.0, -5.0)
                .with_fov(60.0)
                .with_distance(3.0)
                .with_target([1.0, 2.0, 3.0]),
            View::default(),
        ];
        let with_views = views.into_iter().map(|view| Command::Go {
            scene: "san".into(),
            view: Some(view),
        });
        for c in all().into_iter().chain(with_inputs).chain(with_views) {
            let json = serde_json::to_string(&c).expect("json");
            let derived: Command = serde_json::from_str(&json).expect("derive");
            assert_eq!(derived, c, "{json}");
            assert_eq!(Command::from_json(&json).as_ref(), Ok(&c), "{json}");
        }
        // Replies, as serde writes them.
        for r in [
            Reply::default(),
            Reply {
                changed: true,
                action: Some(Action::Open {
                    entry: "bia \"đá\"".into(),
                    hotspot: 2,
                }),
            },
            Reply {
                changed: false,
                action: Some(Action::Go {
                    scene: "hau".into(),
                    hotspot: 0,
                }),
            },
        ] {
            let ours: Value = serde_json::from_str(&r.to_json()).expect("reply json");
            assert_eq!(
                ours,
                serde_json::to_value(&r).expect("serde"),
                "{}",
                r.to_json()
            );
        }
        // Mistyped and unknown values are refused with what is wrong.
        for (bad, says) in [
            (r#"{"type": "go"}"#, "missing field `scene`"),
            (r#"{"type": "activate", "hotspot": -1}"#, "hotspot"),
            (r#"{"type": "set_gyro", "on": 1}"#, "not true or false"),
            (
                r#"{"type": "input", "input": {"key": "enter"}, "now": 0}"#,
                "unknown key",
            ),
            (
                r#"{"type": "set_section", "section": {"axis": "w", "position": 0, "flip": false}}"#,
                "unknown axis",
            ),
            (
                r#"{"type": "go", "scene": "a", "view": {"yaw": 1, "roll": 2}}"#,
                "roll",
            ),
            (r#"[1, 2]"#, "object"),
        ] {
            let e = Command::from_json(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn every_command_goes_through_apply() {
        let mut v = visit();
        v.start(None, None).expect("start");
        fulfil(&mut v);
        for c in all() {
            // The inspection tools work on the relic: go there first.
            if index(&c) == 19 {
                v.apply(Command::Go {
                    scene: "trong".into(),
                    view: None,
                })
                .expect("go");
                fulfil(&mut v);
            }
            let shown = format!("{c:?}");
            let reply = v.apply(c);
            assert!(reply.is_ok(), "{shown}: {reply:?}");
            fulfil(&mut v);
        }
    }

    #[test]
    fn commands_do_what_the_methods_do() {
        let mut v = visit();
        v.start(None, None).expect("start");
        fulfil(&mut v);
        // Activating the stele opens its card, and the reply says so.
        let r = v.apply(Command::Activate { hotspot: 1 }).expect("activate");
        assert_eq!(
            r.action,
            Some(Action::Open {
                entry: "bia".into(),
                hotspot: 1
            })
        );
        assert!(v.card().is_some());
        v.apply(Command::CloseCard).expect("close");
        assert!(v.card().is_none());
        v.apply(Command::SetLanguage { lang: "en".into() })
            .expect("lang");
        assert_eq!(v.language(), "en");
        // A turned view comes back with Home (the Reset key), as in both shells.
        let start = v.view().expect("view").yaw;
        v.apply(Command::SetView {
            view: View::new(start + 50.0, 0.0),
            animate: false,
        })
        .expect("set view");
        assert!((v.view().expect("view").yaw - start - 50.0).abs() < 0.01);
        v.apply(Command::Input {
            input: Input::Key(Key::Reset),
            now: 1.0,
        })
        .expect("home");
        assert!((v.view().expect("view").yaw - start).abs() < 0.01);
        // Errors of the visit come back as errors.
        assert!(v
            .apply(Command::Go {
                scene: "nowhere".into(),
                view: None
            })
            .is_err());
        assert!(v
            .apply(Command::Play {
                tour: "nowhere".into(),
                step: 0
            })
            .is_err());
        // A pointer press and release on the stele is a click that opens it too.
        let at: Vec2 = v.overlay()[1].position;
        v.apply(Command::Input {
            input: Input::PointerDown {
                id: 1,
                pos: at,
                button: crate::input::PointerButton::Primary,
            },
            now: 2.0,
        })
        .expect("down");
        let r = v
            .apply(Command::Input {
                input: Input::PointerUp { id: 1, pos: at },
                now: 2.05,
            })
            .expect("up");
        assert!(matches!(r.action, Some(Action::Open { .. })), "{r:?}");
    }
}

/// The TypeScript declarations of the protocol, `web/protocol.d.ts`, made from the Rust types
/// by ts-rs; `web/protocol.js` is type-checked against them (`tsc` in `cargo xtask test`), so a
/// field renamed here fails the check until the page follows.
#[cfg(test)]
mod typescript {
    use super::*;
    use crate::input::{Key, PointerButton};
    use crate::inspect::Axis;
    use ts_rs::{Config, TS};

    fn declarations() -> String {
        let cfg = Config::default();
        let mut out = String::from(
            "// protocol.d.ts — the commands a page sends to the visit (`Engine.send`) and its\n\
             // replies. Generated from crates/tour/src/visit/protocol.rs by\n\
             // `DISAN_BLESS=1 cargo test -p disan-tour --lib typescript`; do not edit by hand.\n\n",
        );
        for decl in [
            Command::decl(&cfg),
            Reply::decl(&cfg),
            Action::decl(&cfg),
            Input::decl(&cfg),
            Key::decl(&cfg),
            PointerButton::decl(&cfg),
            View::decl(&cfg),
            InspectView::decl(&cfg),
            Raking::decl(&cfg),
            Section::decl(&cfg),
            Axis::decl(&cfg),
        ] {
            out.push_str("export ");
            out.push_str(&decl);
            out.push_str("\n\n");
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
        out
    }

    /// One command of each kind as JSON, for the shells' tests (`web/tests/commands.json`: the
    /// browser test sends each through `Engine.send`, the native window's test through its
    /// dispatcher).
    fn examples() -> String {
        let all: Vec<serde_json::Value> = super::tests::all()
            .iter()
            .map(|c| serde_json::to_value(c).expect("json"))
            .collect();
        let mut text = serde_json::to_string_pretty(&all).expect("json");
        text.push('\n');
        text
    }

    #[test]
    fn web_protocol_examples_match_the_commands() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/tests/commands.json");
        let want = examples();
        if std::env::var_os("DISAN_BLESS").is_some() {
            std::fs::write(&path, &want).expect("write web/tests/commands.json");
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "web/tests/commands.json is not one command of each kind: run DISAN_BLESS=1 cargo test -p disan-tour --lib typescript"
        );
    }

    #[test]
    fn web_protocol_declarations_match_the_types() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/protocol.d.ts");
        let want = declarations();
        if std::env::var_os("DISAN_BLESS").is_some() {
            std::fs::write(&path, &want).expect("write web/protocol.d.ts");
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "web/protocol.d.ts is not what the Rust types give: run DISAN_BLESS=1 cargo test -p disan-tour --lib typescript"
        );
    }
}
