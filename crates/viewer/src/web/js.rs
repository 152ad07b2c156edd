//! The helpers that build and read the JS values crossing the boundary: plain objects, number
//! arrays, nullable strings, tour paths, errors, request ids and the visit's events.

use crate::app::Event;
use disan_tour::model::HotspotKind;
use disan_tour::visit::RequestId;
use wasm_bindgen::prelude::*;

/// Any error as a JS `Error` with its message.
pub(super) fn err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// A request id as JS passes it (a number).
pub(super) fn id_of(id: f64) -> RequestId {
    id as RequestId
}

/// A plain JS object from key/value pairs.
pub(super) fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}

/// A JS array of numbers (a point `[x, y]`, a rectangle `[x, y, w, h]`).
pub(super) fn numbers(values: impl IntoIterator<Item = f64>) -> js_sys::Array {
    let a = js_sys::Array::new();
    for v in values {
        a.push(&JsValue::from_f64(v));
    }
    a
}

/// A string, or null.
pub(super) fn opt_str(s: Option<&str>) -> JsValue {
    s.map(JsValue::from_str).unwrap_or(JsValue::NULL)
}

/// A request's path, normalised inside the tour folder, or why it is refused.
pub(super) fn inside_tour(path: &str) -> Result<String, String> {
    disan_assets::path::normalize(path).map_err(|e| format!("refused path \"{path}\": {e}"))
}

/// A path the tour names, normalised inside its folder, or null (none, or one that would leave
/// the folder: never fetched).
pub(super) fn tour_path(path: Option<&str>) -> JsValue {
    match path.map(inside_tour) {
        Some(Ok(p)) => JsValue::from_str(&p),
        _ => JsValue::NULL,
    }
}

/// A hotspot kind's name: `"link"` or `"info"`.
pub(super) fn kind_name(k: HotspotKind) -> &'static str {
    match k {
        HotspotKind::Link => "link",
        HotspotKind::Info => "info",
    }
}

/// One of the visit's events as the page receives it: `{type, …}` (see `Engine::take_events`).
pub(super) fn event(e: Event) -> JsValue {
    match e {
        Event::SceneChanged { scene } => object(&[
            ("type", "scenechange".into()),
            ("scene", JsValue::from_str(&scene)),
        ]),
        Event::HotspotActivated {
            scene,
            index,
            id,
            kind,
            target,
            entry,
        } => object(&[
            ("type", "hotspotclick".into()),
            ("scene", JsValue::from_str(&scene)),
            ("index", JsValue::from_f64(index as f64)),
            ("hotspot", opt_str(id.as_deref())),
            ("kind", kind_name(kind).into()),
            ("target", opt_str(target.as_deref())),
            ("entry", opt_str(entry.as_deref())),
        ]),
        Event::CardOpened { entry } => object(&[
            ("type", "cardopen".into()),
            ("entry", JsValue::from_str(&entry)),
        ]),
        Event::CardClosed => object(&[("type", "cardclose".into())]),
        Event::LanguageChanged { lang } => object(&[
            ("type", "language".into()),
            ("lang", JsValue::from_str(&lang)),
        ]),
        Event::Error { message, detail } => object(&[
            ("type", "error".into()),
            ("message", JsValue::from_str(&message)),
            ("detail", JsValue::from_str(&detail)),
        ]),
        Event::TourStep { tour, step, count } => object(&[
            ("type", "tourstep".into()),
            ("tour", JsValue::from_str(&tour)),
            ("step", JsValue::from_f64(step as f64)),
            ("count", JsValue::from_f64(count as f64)),
        ]),
        Event::TourPaused { tour, step } => object(&[
            ("type", "tourpause".into()),
            ("tour", JsValue::from_str(&tour)),
            ("step", JsValue::from_f64(step as f64)),
        ]),
        Event::TourEnd { tour, completed } => object(&[
            ("type", "tourend".into()),
            ("tour", JsValue::from_str(&tour)),
            ("completed", JsValue::from_bool(completed)),
        ]),
        Event::Attract { running } => object(&[
            ("type", "attract".into()),
            ("running", JsValue::from_bool(running)),
        ]),
    }
}
