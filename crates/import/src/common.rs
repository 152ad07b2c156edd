//! Helpers shared by the importers: angle and field-of-view conversion, texts, and a JSON
//! object whose fields are taken one by one so that what is left can be reported.

use disan_tour::model::CatalogEntry;
use disan_tour::text::LangText;
use serde_json::{Map, Value};

/// Width / height of the view a horizontal (or diagonal) field of view is converted at: the
/// vertical angle stored is the one that shows the source's horizontal angle on a 4:3 view.
pub const REFERENCE_ASPECT: f64 = 4.0 / 3.0;

/// Vertical field of view (degrees) that shows `hfov` degrees across a view of `aspect`.
pub(crate) fn vfov_from_hfov(hfov: f64, aspect: f64) -> f64 {
    (2.0 * ((hfov.to_radians() * 0.5).tan() / aspect).atan()).to_degrees()
}

/// Vertical field of view (degrees) of a view of `aspect` whose diagonal spans `dfov` degrees.
pub(crate) fn vfov_from_dfov(dfov: f64, aspect: f64) -> f64 {
    let diagonal = (1.0 + aspect * aspect).sqrt();
    (2.0 * ((dfov.to_radians() * 0.5).tan() / diagonal).atan()).to_degrees()
}

/// A converted angle, rounded to 1/10000 of a degree (and stored as the model's `f32`).
pub(crate) fn angle(v: f64) -> f32 {
    let r = ((v * 10_000.0).round() / 10_000.0) as f32;
    // No "-0.0" in tour.json.
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// `v` wrapped into -180..180.
pub(crate) fn wrap180(v: f64) -> f64 {
    let w = (v + 180.0).rem_euclid(360.0) - 180.0;
    if w == -180.0 && v > 0.0 {
        180.0
    } else {
        w
    }
}

/// A language-neutral text (`und`), as a plain JSON string reads.
pub(crate) fn text(s: &str) -> LangText {
    LangText::plain(s)
}

/// A JSON value for a note: compact, at most about 80 characters.
pub(crate) fn show(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() <= 80 {
        s
    } else {
        let mut t: String = s.chars().take(77).collect();
        t.push('…');
        t
    }
}

/// A JSON object read field by field; [`Fields::rest`] is what nobody took.
#[derive(Debug, Clone, Default)]
pub(crate) struct Fields {
    map: Map<String, Value>,
}

impl Fields {
    /// The fields of `v` (none when it is not an object).
    pub(crate) fn of(v: &Value) -> Fields {
        Fields {
            map: v.as_object().cloned().unwrap_or_default(),
        }
    }

    /// From an object.
    pub(crate) fn from_map(map: Map<String, Value>) -> Fields {
        Fields { map }
    }

    /// Takes a field.
    pub(crate) fn take(&mut self, key: &str) -> Option<Value> {
        self.map.shift_remove(key)
    }

    /// True when the field is there (and not taken yet).
    pub(crate) fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// Takes a number field; a value of another type is put back (and so reported later).
    pub(crate) fn number(&mut self, key: &str) -> Option<f64> {
        match self.map.get(key).and_then(Value::as_f64) {
            Some(n) if n.is_finite() => {
                self.map.shift_remove(key);
                Some(n)
            }
            _ => None,
        }
    }

    /// Takes a string field; a value of another type is put back (and so reported later).
    pub(crate) fn string(&mut self, key: &str) -> Option<String> {
        let s = self.map.get(key).and_then(Value::as_str)?.to_string();
        self.map.shift_remove(key);
        Some(s)
    }

    /// Takes a boolean field; a value of another type is put back.
    pub(crate) fn boolean(&mut self, key: &str) -> Option<bool> {
        let b = self.map.get(key).and_then(Value::as_bool)?;
        self.map.shift_remove(key);
        Some(b)
    }

    /// What was not taken, in the source's order.
    pub(crate) fn rest(self) -> Map<String, Value> {
        self.map
    }

    /// Notes `"{what}: {key} {value} ignored"` for every field not taken.
    pub(crate) fn report(self, what: &str, notes: &mut Vec<String>) {
        for (k, v) in self.map {
            notes.push(format!("{what}: {k} {} ignored", show(&v)));
        }
    }
}

/// A catalog entry with a title and a description.
pub(crate) fn catalog_entry(id: String, title: &str, description: LangText) -> CatalogEntry {
    CatalogEntry::new(id, text(title)).with_description(description)
}

/// A scene id from a file name: `example-cube.json` → `example-cube`.
pub(crate) fn scene_id_from(path: &std::path::Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let id: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if id.is_empty() {
        "scene".into()
    } else {
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_of_view() {
        // 90° across a 4:3 view is 2·atan(0.75) vertically.
        let v = vfov_from_hfov(90.0, REFERENCE_ASPECT);
        assert!((v - 73.7398).abs() < 1e-3, "{v}");
        // A square view: horizontal = vertical.
        assert!((vfov_from_hfov(70.0, 1.0) - 70.0).abs() < 1e-9);
        // The diagonal of a 4:3 view is 5/3 of its height.
        let d = vfov_from_dfov(90.0, REFERENCE_ASPECT);
        assert!(((d.to_radians() / 2.0).tan() - 0.6).abs() < 1e-9, "{d}");
    }

    #[test]
    fn wraps_and_rounds() {
        assert_eq!(wrap180(270.0), -90.0);
        assert_eq!(wrap180(-190.0), 170.0);
        assert_eq!(wrap180(180.0), 180.0);
        assert_eq!(wrap180(-180.0), -180.0);
        assert_eq!(angle(1.234_567_89), 1.2346);
    }

    #[test]
    fn fields_report_what_is_left() {
        let v: Value =
            serde_json::from_str(r#"{"a": 1, "b": "x", "c": [1,2], "d": "no"}"#).unwrap();
        let mut f = Fields::of(&v);
        assert_eq!(f.number("a"), Some(1.0));
        assert_eq!(f.string("b").as_deref(), Some("x"));
        assert_eq!(f.number("d"), None, "a string is not a number");
        let mut notes = Vec::new();
        f.report("scene s", &mut notes);
        assert_eq!(
            notes,
            vec!["scene s: c [1,2] ignored", "scene s: d \"no\" ignored"]
        );
    }
}
