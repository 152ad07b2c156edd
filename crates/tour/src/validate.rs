//! Structural validation of a tour: every problem with its file and JSON path.
//! File-level checks (missing files, image aspect, glTF parse) live in `disan-assets`.

use crate::model::{HotspotKind, SceneJson, SceneKind, Tour, TourJson, View, FORMAT_VERSION};
use std::collections::HashSet;
use std::fmt;

/// One problem found in a tour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// File the problem is in (as named in the tour folder).
    pub file: String,
    /// JSON path, e.g. `$.scenes[1].hotspots[0].target`.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.path, self.message)
    }
}

/// All problems of a tour; empty means valid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Problems in the order found.
    pub problems: Vec<Problem>,
    /// Advice that does not make the tour invalid (e.g. "tile this panorama for phones").
    pub notes: Vec<Problem>,
}

impl Report {
    /// Records a problem.
    pub fn push(&mut self, file: &str, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            file: file.to_string(),
            path: path.into(),
            message: message.into(),
        });
    }

    /// Records a note (advice; the tour stays valid).
    pub fn note(&mut self, file: &str, path: impl Into<String>, message: impl Into<String>) {
        self.notes.push(Problem {
            file: file.to_string(),
            path: path.into(),
            message: message.into(),
        });
    }

    /// True when nothing is wrong.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

fn check_view(report: &mut Report, file: &str, path: &str, yaw: f32, pitch: f32, fov: Option<f32>) {
    if !yaw.is_finite() {
        report.push(
            file,
            format!("{path}.yaw"),
            "yaw must be a finite number of degrees",
        );
    }
    if !(-90.0..=90.0).contains(&pitch) {
        report.push(
            file,
            format!("{path}.pitch"),
            format!("pitch {pitch} is outside -90..90 degrees"),
        );
    }
    if let Some(fov) = fov {
        if !(fov > 0.0 && fov < 180.0) {
            report.push(
                file,
                format!("{path}.fov"),
                format!("fov {fov} is outside 0..180 degrees"),
            );
        }
    }
}

/// Checks a tour (with its catalog already merged) for consistency. `file` is the tour file's
/// name.
pub fn validate(tour: &Tour, file: &str) -> Report {
    validate_json(&TourJson::from(tour.clone()), file)
}

/// The scene with this id, as written.
fn scene_of<'a>(tour: &'a TourJson, id: &str) -> Option<&'a SceneJson> {
    tour.scenes.iter().find(|s| s.id == id)
}

/// A looping sound (at `at`) names a file and a volume from 0 to 1.
fn sound_is_playable(r: &mut Report, file: &str, at: &str, sound: &crate::model::Sound) {
    if sound.src.trim().is_empty() {
        r.push(file, format!("{at}.src"), "empty file name");
    }
    if !(0.0..=1.0).contains(&sound.volume) {
        r.push(
            file,
            format!("{at}.volume"),
            "volume must be between 0 (silent) and 1 (as recorded)",
        );
    }
}

/// Captions (per language, below `at`) are WebVTT files.
fn captions_are_vtt(
    r: &mut Report,
    file: &str,
    at: &str,
    captions: &std::collections::BTreeMap<String, String>,
) {
    for (lang, path) in captions {
        if !path.to_ascii_lowercase().ends_with(".vtt") {
            r.push(
                file,
                format!("{at}.captions.{lang}"),
                "captions must be a WebVTT file (.vtt)",
            );
        }
    }
}

/// Checks a tour as written (with its catalog already merged): what keeps a scene from being
/// read ([`SceneJson::shape_problems`]) and everything else, all at once.
pub fn validate_json(tour: &TourJson, file: &str) -> Report {
    let mut r = Report::default();
    if tour.version != FORMAT_VERSION {
        r.push(
            file,
            "$.version",
            format!(
                "unsupported version {} (this build reads version {FORMAT_VERSION})",
                tour.version
            ),
        );
    }
    if let Some(format) = &tour.format {
        if format != "disan-tour" {
            r.push(
                file,
                "$.format",
                format!("format is \"{format}\", expected \"disan-tour\""),
            );
        }
    }
    if tour.scenes.is_empty() {
        r.push(file, "$.scenes", "a tour needs at least one scene");
    }
    if let Some(start) = &tour.start_scene {
        if scene_of(tour, start).is_none() {
            r.push(
                file,
                "$.start_scene",
                format!("start scene \"{start}\" does not exist"),
            );
        }
    }
    let mut ids = HashSet::new();
    for (i, scene) in tour.scenes.iter().enumerate() {
        let sp = format!("$.scenes[{i}]");
        if scene.id.trim().is_empty() {
            r.push(file, format!("{sp}.id"), "scene id is empty");
        } else if !ids.insert(scene.id.as_str()) {
            r.push(
                file,
                format!("{sp}.id"),
                format!("duplicate scene id \"{}\"", scene.id),
            );
        }
        for (at, message) in scene.shape_problems() {
            r.push(file, format!("{sp}{at}"), message);
        }
        if let Some(a) = &scene.ambient {
            sound_is_playable(&mut r, file, &format!("{sp}.ambient"), a);
        }
        for (j, h) in scene.hotspots.iter().enumerate() {
            if let Some(a) = &h.sound {
                sound_is_playable(&mut r, file, &format!("{sp}.hotspots[{j}].sound"), a);
            }
        }
        match scene.kind {
            SceneKind::Panorama => {
                if let Some(c) = &scene.coverage {
                    let ok = c.haov > 0.0
                        && c.haov <= 360.0
                        && c.vaov > 0.0
                        && c.vaov <= 180.0
                        && c.v_offset.abs() + c.vaov / 2.0 <= 90.001;
                    if !ok {
                        r.push(
                            file,
                            format!("{sp}.coverage"),
                            format!(
                                "coverage haov {} / vaov {} / v_offset {} must lie on the sphere (0 < haov <= 360, 0 < vaov <= 180, |v_offset| + vaov/2 <= 90)",
                                c.haov, c.vaov, c.v_offset
                            ),
                        );
                    }
                }
                if let Some(faces) = &scene.cube {
                    if let Err(e) = crate::tiles::Pyramid::from_faces(faces) {
                        r.push(file, format!("{sp}.cube"), e);
                    }
                }
                if let Some(t) = &scene.tiles {
                    if let Err(e) = crate::tiles::Pyramid::from_tiles(t) {
                        r.push(file, format!("{sp}.tiles"), e);
                    }
                    for k in t.extra.keys() {
                        r.push(
                            file,
                            format!("{sp}.tiles.{k}"),
                            format!("unknown field \"{k}\""),
                        );
                    }
                }
                if scene.model.is_some() {
                    r.push(
                        file,
                        format!("{sp}.model"),
                        "\"model\" belongs to object scenes, not panoramas",
                    );
                }
                if let Some(v) = &scene.view {
                    check_view(&mut r, file, &format!("{sp}.view"), v.yaw, v.pitch, v.fov);
                }
                if let Some([lo, hi]) = scene.fov_range {
                    if !(lo > 0.0 && lo <= hi && hi < 180.0) {
                        r.push(
                            file,
                            format!("{sp}.fov_range"),
                            format!("fov_range [{lo}, {hi}] must be increasing within 0..180"),
                        );
                    }
                }
            }
            SceneKind::Object => {
                if scene.model.is_none() && scene.derivatives.is_empty() {
                    r.push(
                        file,
                        format!("{sp}.model"),
                        "object scene needs a \"model\" (or \"derivatives\")",
                    );
                }
                for (j, d) in scene.derivatives.iter().enumerate() {
                    let dp = format!("{sp}.derivatives[{j}]");
                    if d.model.trim().is_empty() {
                        r.push(file, format!("{dp}.model"), "derivative needs a \"model\"");
                    }
                    if scene.derivatives[..j]
                        .iter()
                        .any(|o| o.quality == d.quality)
                    {
                        r.push(
                            file,
                            format!("{dp}.quality"),
                            format!("a second \"{}\" derivative", d.quality.name()),
                        );
                    }
                    if d.triangles == 0 || d.gpu_bytes == 0 {
                        r.push(
                            file,
                            &dp,
                            "triangles and gpu_bytes must be positive (disan optimize writes them)",
                        );
                    }
                }
                if scene.image.is_some() {
                    r.push(
                        file,
                        format!("{sp}.image"),
                        "\"image\" belongs to panorama scenes, not objects",
                    );
                }
                for (name, v) in [
                    ("environment_intensity", scene.environment_intensity),
                    ("key_light", scene.key_light),
                    ("exposure", scene.exposure),
                ] {
                    if let Some(v) = v {
                        if !(v >= 0.0 && v.is_finite()) {
                            r.push(
                                file,
                                format!("{sp}.{name}"),
                                format!("{name} must be a number ≥ 0"),
                            );
                        }
                    }
                }
                if let Some(m) = scene.metres_per_unit {
                    if !(m > 0.0 && m.is_finite()) {
                        r.push(
                            file,
                            format!("{sp}.metres_per_unit"),
                            "metres_per_unit must be a positive number",
                        );
                    }
                }
                if let Some(o) = &scene.orbit {
                    check_view(&mut r, file, &format!("{sp}.orbit"), o.yaw, o.pitch, None);
                    if let Some(d) = o.distance {
                        if !(d > 0.0 && d.is_finite()) {
                            r.push(
                                file,
                                format!("{sp}.orbit.distance"),
                                "distance must be positive",
                            );
                        }
                    }
                }
            }
        }
        for (j, h) in scene.hotspots.iter().enumerate() {
            let hp = format!("{sp}.hotspots[{j}]");
            if h.label.is_empty() {
                r.push(
                    file,
                    format!("{hp}.label"),
                    "hotspot needs a label (it is shown and read aloud)",
                );
            }
            // A missing placement, target or entry is among the shape problems above.
            match scene.kind {
                SceneKind::Panorama => {
                    if let (Some(yaw), Some(pitch)) = (h.yaw, h.pitch) {
                        check_view(&mut r, file, &hp, yaw, pitch, None)
                    }
                }
                SceneKind::Object => match h.position {
                    Some(p) if p.iter().all(|c| c.is_finite()) => {
                        if let Some(n) = h.normal {
                            if glam::Vec3::from(n).length() < 1e-6 {
                                r.push(file, format!("{hp}.normal"), "normal must not be zero");
                            }
                        }
                    }
                    Some(_) => r.push(file, format!("{hp}.position"), "position must be finite"),
                    None => {}
                },
            }
            match h.kind {
                HotspotKind::Link => match &h.target {
                    None => {}
                    Some(t) => match scene_of(tour, t) {
                        None => r.push(
                            file,
                            format!("{hp}.target"),
                            format!("links to unknown scene \"{t}\""),
                        ),
                        Some(target) => {
                            if let Some(v) = &h.view {
                                let fov = if target.kind == SceneKind::Panorama {
                                    v.fov
                                } else {
                                    None
                                };
                                check_view(
                                    &mut r,
                                    file,
                                    &format!("{hp}.view"),
                                    v.yaw,
                                    v.pitch,
                                    fov,
                                );
                            }
                        }
                    },
                },
                HotspotKind::Info => {
                    match &h.entry {
                        None => {}
                        Some(e) if tour.entry(e).is_none() => r.push(
                            file,
                            format!("{hp}.entry"),
                            format!("refers to unknown catalog entry \"{e}\""),
                        ),
                        Some(_) => {}
                    }
                    if let Some(v) = &h.view {
                        check_any_view(&mut r, file, &format!("{hp}.view"), v, scene.kind);
                    }
                }
            }
        }
    }
    let mut entries = HashSet::new();
    for (i, e) in tour.catalog.iter().enumerate() {
        let ep = format!("$.catalog[{i}]");
        if e.id.trim().is_empty() {
            r.push(file, format!("{ep}.id"), "catalog entry id is empty");
        } else if !entries.insert(e.id.as_str()) {
            r.push(
                file,
                format!("{ep}.id"),
                format!("duplicate catalog entry id \"{}\"", e.id),
            );
        }
        if e.title.is_empty() {
            r.push(file, format!("{ep}.title"), "catalog entry needs a title");
        }
        for (j, m) in e.media.iter().enumerate() {
            let mp = format!("{ep}.media[{j}]");
            if m.src.trim().is_empty() {
                r.push(file, format!("{mp}.src"), "empty file name");
            }
            if m.poster.as_deref().is_some_and(|p| p.trim().is_empty()) {
                r.push(file, format!("{mp}.poster"), "empty file name");
            }
            captions_are_vtt(&mut r, file, &mp, &m.captions);
        }
        let kind = match &e.scene {
            Some(s) => match scene_of(tour, s) {
                Some(found) => Some(found.kind),
                None => {
                    r.push(
                        file,
                        format!("{ep}.scene"),
                        format!("unknown scene \"{s}\""),
                    );
                    None
                }
            },
            None => None,
        };
        if let Some(v) = &e.view {
            let kind = kind.unwrap_or(if v.distance.is_some() || v.target.is_some() {
                SceneKind::Object
            } else {
                SceneKind::Panorama
            });
            check_any_view(&mut r, file, &format!("{ep}.view"), v, kind);
        }
    }
    validate_guides(tour, file, &mut r);
    r
}

/// A view of a scene of `kind`: angles, and fov (panoramas) or distance and target (objects).
fn check_any_view(r: &mut Report, file: &str, path: &str, v: &View, kind: SceneKind) {
    let fov = if kind == SceneKind::Panorama {
        v.fov
    } else {
        None
    };
    check_view(r, file, path, v.yaw, v.pitch, fov);
    if let Some(d) = v.distance {
        if !(d > 0.0 && d.is_finite()) {
            r.push(
                file,
                format!("{path}.distance"),
                "distance must be positive",
            );
        }
    }
    if let Some(t) = v.target {
        if !t.iter().all(|c| c.is_finite()) {
            r.push(file, format!("{path}.target"), "target must be finite");
        }
    }
}

/// Guided tours and the kiosk section.
fn validate_guides(tour: &TourJson, file: &str, r: &mut Report) {
    let mut ids = HashSet::new();
    for (i, t) in tour.tours.iter().enumerate() {
        let tp = format!("$.tours[{i}]");
        if t.id.trim().is_empty() || t.id.contains('/') {
            r.push(
                file,
                format!("{tp}.id"),
                "guided tour id must be non-empty, without \"/\" (links name it)",
            );
        } else if !ids.insert(t.id.as_str()) {
            r.push(
                file,
                format!("{tp}.id"),
                format!("duplicate guided tour id \"{}\"", t.id),
            );
        }
        if t.steps.is_empty() {
            r.push(
                file,
                format!("{tp}.steps"),
                "a guided tour needs at least one step",
            );
        }
        for (j, step) in t.steps.iter().enumerate() {
            let sp = format!("{tp}.steps[{j}]");
            let Some(found) = scene_of(tour, &step.scene) else {
                r.push(
                    file,
                    format!("{sp}.scene"),
                    format!("unknown scene \"{}\"", step.scene),
                );
                continue;
            };
            if let Some(v) = &step.view {
                check_any_view(r, file, &format!("{sp}.view"), v, found.kind);
            }
            if let Some(h) = &step.hotspot {
                let hotspot = found
                    .hotspots
                    .iter()
                    .find(|x| x.id.as_deref() == Some(h.as_str()));
                match hotspot {
                    None => r.push(
                        file,
                        format!("{sp}.hotspot"),
                        format!("scene \"{}\" has no hotspot \"{h}\"", found.id),
                    ),
                    Some(x) if x.kind != HotspotKind::Info => r.push(
                        file,
                        format!("{sp}.hotspot"),
                        format!(
                            "hotspot \"{h}\" is a link; a step opens the card of an info hotspot"
                        ),
                    ),
                    Some(_) => {}
                }
            }
            if let Some(d) = step.duration {
                if !(d > 0.0 && d.is_finite()) {
                    r.push(
                        file,
                        format!("{sp}.duration"),
                        "duration must be a positive number of seconds (leave it out to wait for the visitor)",
                    );
                }
            }
            for (what, map) in [("audio", &step.audio), ("captions", &step.captions)] {
                for (lang, path) in map {
                    if path.trim().is_empty() {
                        r.push(file, format!("{sp}.{what}.{lang}"), "empty file name");
                    }
                }
            }
            captions_are_vtt(r, file, &sp, &step.captions);
        }
    }
    if let Some(u) = &tour.share_url {
        let scheme = u.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
        let host = u.split_once("://").map_or("", |(_, rest)| rest);
        if !matches!(scheme.as_deref(), Some("http" | "https"))
            || host.is_empty()
            || u.contains('#')
        {
            r.push(
                file,
                "$.share_url",
                "share_url must be an http:// or https:// address without a #fragment",
            );
        }
    }
    if let Some(k) = &tour.kiosk {
        for (name, v) in [
            ("idle_seconds", k.idle_seconds),
            ("scene_seconds", k.scene_seconds),
        ] {
            if !(v > 0.0 && v.is_finite()) {
                r.push(
                    file,
                    format!("$.kiosk.{name}"),
                    format!("{name} must be a positive number of seconds"),
                );
            }
        }
        if !k.autorotate.is_finite() {
            r.push(
                file,
                "$.kiosk.autorotate",
                "autorotate must be degrees per second",
            );
        }
        if let Some(a) = &k.attract {
            if tour.guided(a).is_none() {
                r.push(
                    file,
                    "$.kiosk.attract",
                    format!("unknown guided tour \"{a}\""),
                );
            }
        }
        if let Some(s) = &k.start_scene {
            if scene_of(tour, s).is_none() {
                r.push(
                    file,
                    "$.kiosk.start_scene",
                    format!("unknown scene \"{s}\""),
                );
            }
        }
        if let Some(l) = &k.language {
            if !tour.languages.contains(l) {
                r.push(
                    file,
                    "$.kiosk.language",
                    format!("\"{l}\" is not one of the tour's languages"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tour(json: &str) -> Tour {
        Tour::from_json(json.as_bytes(), "tour.json").unwrap()
    }

    /// Validates a tour as written (scenes that cannot be read included).
    fn validate_written(json: &str) -> Report {
        let written = TourJson::parse(json.as_bytes(), "tour.json").unwrap();
        validate_json(&written, "tour.json")
    }

    #[test]
    fn valid_tour_has_no_problems() {
        let t = tour(
            r#"{"version":1,"scenes":[
              {"id":"a","kind":"panorama","image":"a.jpg","hotspots":[{"kind":"link","yaw":0,"pitch":0,"target":"b","label":"B"}]},
              {"id":"b","kind":"object","model":"b.glb","hotspots":[{"kind":"info","position":[0,0,0],"normal":[0,1,0],"entry":"e","label":"E"}]}],
              "catalog":[{"id":"e","title":"E"}]}"#,
        );
        let r = validate(&t, "tour.json");
        assert!(r.is_ok(), "{r}");
    }

    #[test]
    fn reports_every_problem_with_path() {
        let r = validate_written(
            r#"{"version":2,"start_scene":"zz","scenes":[
              {"id":"a","kind":"panorama","view":{"pitch":120},"hotspots":[
                 {"kind":"link","yaw":0,"pitch":0,"target":"nowhere","label":"x"},
                 {"kind":"info","yaw":0,"pitch":0,"entry":"missing"},
                 {"kind":"info","position":[0,0,0],"entry":"e","label":"y"}]},
              {"id":"a","kind":"object","key_light":-1}],
              "catalog":[{"id":"e","title":""}]}"#,
        );
        let text = r.to_string();
        for expected in [
            "tour.json: $.version: unsupported version 2",
            "tour.json: $.start_scene: start scene \"zz\" does not exist",
            "tour.json: $.scenes[0].image: panorama scene needs an \"image\"",
            "tour.json: $.scenes[0].view.pitch: pitch 120 is outside",
            "tour.json: $.scenes[0].hotspots[0].target: links to unknown scene \"nowhere\"",
            "tour.json: $.scenes[0].hotspots[1].label: hotspot needs a label",
            "tour.json: $.scenes[0].hotspots[1].entry: refers to unknown catalog entry \"missing\"",
            "tour.json: $.scenes[0].hotspots[2]: panorama hotspot needs \"yaw\" and \"pitch\"",
            "tour.json: $.scenes[1].id: duplicate scene id \"a\"",
            "tour.json: $.scenes[1].model: object scene needs a \"model\"",
            "tour.json: $.scenes[1].key_light: key_light must be a number ≥ 0",
            "tour.json: $.catalog[0].title: catalog entry needs a title",
        ] {
            assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
        }
        assert_eq!(r.problems.len(), 12, "{text}");
    }

    #[test]
    fn media_and_ambient_sound_are_checked() {
        let t = tour(
            r#"{"version":1,"scenes":[
              {"id":"a","kind":"panorama","image":"a.jpg","ambient":{"src":"audio/a.mp3","volume":1.5}},
              {"id":"b","kind":"panorama","image":"b.jpg","ambient":{"src":" "}},
              {"id":"c","kind":"panorama","image":"c.jpg","ambient":{"src":"audio/c.ogg","volume":0.2},
               "hotspots":[{"kind":"link","yaw":0,"pitch":0,"target":"a","label":"A","sound":{"src":"g.mp3","volume":-1}}]}],
              "catalog":[{"id":"e","title":"E","media":[
                {"src":"v.mp4","poster":"","captions":{"vi":"v.vi.vtt","en":"v.en.srt"}},
                {"src":""}]}]}"#,
        );
        let text = validate(&t, "tour.json").to_string();
        for expected in [
            "$.scenes[0].ambient.volume: volume must be between 0 (silent) and 1",
            "$.scenes[1].ambient.src: empty file name",
            "$.catalog[0].media[0].poster: empty file name",
            "$.catalog[0].media[0].captions.en: captions must be a WebVTT file",
            "$.catalog[0].media[1].src: empty file name",
            "$.scenes[2].hotspots[0].sound.volume: volume must be between 0",
        ] {
            assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
        }
        assert_eq!(text.lines().count(), 6, "{text}");
    }

    #[test]
    fn guided_tours_and_kiosk_are_checked() {
        let t = tour(
            r#"{"version":1,"scenes":[
              {"id":"a","kind":"panorama","image":"a.jpg","hotspots":[
                 {"id":"go","kind":"link","yaw":0,"pitch":0,"target":"b","label":"B"},
                 {"id":"rec","kind":"info","yaw":0,"pitch":0,"entry":"e","label":"E","view":{"yaw":0,"pitch":0,"fov":400}}]},
              {"id":"b","kind":"object","model":"b.glb"}],
              "catalog":[{"id":"e","title":"E","scene":"zz"}],
              "tours":[
                {"id":"g","steps":[
                  {"scene":"a","hotspot":"rec","duration":5,"captions":{"en":"c.vtt"}},
                  {"scene":"nowhere"},
                  {"scene":"a","hotspot":"go"},
                  {"scene":"a","hotspot":"none","duration":-1},
                  {"scene":"b","view":{"yaw":0,"pitch":0,"distance":-2},"captions":{"vi":"c.srt"}}]},
                {"id":"g","steps":[]}],
              "kiosk":{"idle_seconds":0,"attract":"x","start_scene":"q","language":"fr"},
              "share_url":"museum.vn/tour#x"}"#,
        );
        let text = validate(&t, "tour.json").to_string();
        for expected in [
            "$.scenes[0].hotspots[1].view.fov: fov 400 is outside",
            "$.catalog[0].scene: unknown scene \"zz\"",
            "$.tours[0].steps[1].scene: unknown scene \"nowhere\"",
            "$.tours[0].steps[2].hotspot: hotspot \"go\" is a link",
            "$.tours[0].steps[3].hotspot: scene \"a\" has no hotspot \"none\"",
            "$.tours[0].steps[3].duration: duration must be a positive number",
            "$.tours[0].steps[4].view.distance: distance must be positive",
            "$.tours[0].steps[4].captions.vi: captions must be a WebVTT file",
            "$.tours[1].id: duplicate guided tour id \"g\"",
            "$.tours[1].steps: a guided tour needs at least one step",
            "$.kiosk.idle_seconds: idle_seconds must be a positive number",
            "$.kiosk.attract: unknown guided tour \"x\"",
            "$.kiosk.start_scene: unknown scene \"q\"",
            "$.kiosk.language: \"fr\" is not one of the tour's languages",
            "$.share_url: share_url must be an http:// or https:// address",
        ] {
            assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
        }
        assert_eq!(validate(&t, "tour.json").problems.len(), 15, "{text}");
    }
}
