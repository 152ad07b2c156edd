//! Marzipano Tool tours (`data.js`: `var data = {…};`, tiles under `tiles/<scene id>/`) to a
//! Disan tour.

use crate::common::{angle, catalog_entry, show, text, Fields};
use crate::files::Job;
use crate::ImportError;
use disan_tour::model::{Hotspot, PanoramaScene, Scene, TileLevel, TileSource, Tour, View};
use serde_json::Value;

/// A scene as read, before its hotspots.
struct Read {
    id: String,
    title: String,
    pano: PanoramaScene,
    links: Vec<Value>,
    infos: Vec<Value>,
    old: Vec<Value>,
}

/// Converts a Marzipano `data.js`.
pub(crate) fn convert(job: &mut Job, source: &str) -> Result<Tour, ImportError> {
    let data = data_object(job, source)?;
    let Value::Object(root) = data else {
        return Err(job.format_error("the data is not a JSON object"));
    };
    let mut root = Fields::from_map(root);
    let Some(Value::Array(list)) = root.take("scenes") else {
        return Err(job.format_error("no \"scenes\" list in the data object"));
    };
    let title = root.string("name");
    if let Some(settings) = root.take("settings") {
        match settings {
            Value::Object(m) => {
                for (k, v) in m {
                    job.note(format!("settings.{k} {} ignored", show(&v)));
                }
            }
            other => job.note(format!("settings {} ignored", show(&other))),
        }
    }
    root.report("data", &mut job.notes);
    job.note(
        "tiles are read from the Marzipano Tool's layout tiles/<scene id>/<z>/<f>/<y>/<x>.jpg \
         (index.js is not read)",
    );

    let mut read = Vec::new();
    for (i, raw) in list.iter().enumerate() {
        if let Some(r) = scene(job, i, raw)? {
            if read.iter().any(|o: &Read| o.id == r.id) {
                job.note(format!(
                    "scene {}: a second scene with that id: left out",
                    r.id
                ));
                continue;
            }
            read.push(r);
        }
    }
    if read.is_empty() {
        return Err(job.no_scene_error());
    }
    let mut catalog = Vec::new();
    let mut scenes = Vec::new();
    for r in &read {
        let what = format!("scene {}", r.id);
        let mut hotspots = Vec::new();
        for (n, raw) in r.links.iter().chain(&r.old).enumerate() {
            if let Some(h) = link(job, &format!("{what} link {}", n + 1), raw, &read) {
                hotspots.push(h);
            }
        }
        for (n, raw) in r.infos.iter().enumerate() {
            let hw = format!("{what} info {}", n + 1);
            let Some(((yaw, pitch), mut f)) = placed(job, &hw, raw) else {
                continue;
            };
            let title = f
                .string("title")
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| "Information".into());
            let description = f.string("text").map(|t| text(&t)).unwrap_or_default();
            let mut id = format!("{}-info-{}", r.id, n + 1);
            while catalog
                .iter()
                .any(|e: &disan_tour::CatalogEntry| e.id == id)
            {
                id.push('x');
            }
            catalog.push(catalog_entry(id.clone(), &title, description));
            f.report(&hw, &mut job.notes);
            hotspots.push(Hotspot::info(yaw, pitch, id).with_label(text(&title)));
        }
        scenes
            .push(Scene::new(r.id.clone(), text(&r.title), r.pano.clone()).with_hotspots(hotspots));
    }
    Ok(Tour {
        start_scene: None,
        scenes,
        catalog,
        ..Tour::new(title.as_deref().map(text).unwrap_or_default())
    })
}

/// The JSON value of `data.js`: comments, then `var NAME =` (or `NAME =`), the value, `;`.
/// A bare JSON object is accepted too.
fn data_object(job: &mut Job, source: &str) -> Result<Value, ImportError> {
    let mut s = skip_blank(source);
    for keyword in ["var ", "let ", "const "] {
        if let Some(rest) = s.strip_prefix(keyword) {
            s = rest;
            break;
        }
    }
    if !s.starts_with(['{', '[']) {
        let name_len = s
            .find(|c: char| {
                !(c.is_alphanumeric() || c == '_' || c == '$' || c == '.' || c.is_whitespace())
            })
            .unwrap_or(s.len());
        let after = skip_blank(&s[name_len..]);
        match after.strip_prefix('=') {
            Some(rest) if name_len > 0 => s = skip_blank(rest),
            _ => {
                return Err(job.format_error(
                    "expected `var data = {...};` (a Marzipano Tool data.js) or a JSON object",
                ))
            }
        }
    }
    let start = source.len() - s.len();
    let mut values = serde_json::Deserializer::from_str(s).into_iter::<Value>();
    let value = match values.next() {
        Some(Ok(v)) => v,
        Some(Err(e)) => {
            let line = source[..start].matches('\n').count() + e.line();
            let full = e.to_string();
            let message = full
                .rsplit_once(" at line ")
                .map(|(m, _)| m)
                .unwrap_or(&full);
            return Err(job.parse_error(format!(
                "invalid JSON in the data object at line {line}: {message}"
            )));
        }
        None => return Err(job.format_error("no data object after `=`")),
    };
    let tail = skip_blank(&s[values.byte_offset()..]);
    let tail = skip_blank(tail.strip_prefix(';').unwrap_or(tail));
    if !tail.is_empty() {
        let shown: String = tail.chars().take(40).collect();
        job.note(format!("text after the data object ignored: {shown}…"));
    }
    Ok(value)
}

/// `s` without leading white space and `//` / `/* */` comments.
fn skip_blank(mut s: &str) -> &str {
    loop {
        s = s.trim_start();
        if let Some(rest) = s.strip_prefix("//") {
            s = rest.find('\n').map(|i| &rest[i..]).unwrap_or("");
        } else if let Some(rest) = s.strip_prefix("/*") {
            s = rest.find("*/").map(|i| &rest[i + 2..]).unwrap_or("");
        } else {
            return s;
        }
    }
}

/// Reads scene number `i`; `None` (with a note) when Disan cannot show it.
fn scene(job: &mut Job, i: usize, raw: &Value) -> Result<Option<Read>, ImportError> {
    if !raw.is_object() {
        job.note(format!("scene {}: not an object: left out", i + 1));
        return Ok(None);
    }
    let mut f = Fields::of(raw);
    let Some(id) = f.string("id").filter(|s| !s.trim().is_empty()) else {
        job.note(format!("scene {}: no \"id\": left out", i + 1));
        return Ok(None);
    };
    let what = format!("scene {id}");
    let title = f.string("name").unwrap_or_else(|| id.clone());
    let mut levels = Vec::new();
    let raw_levels = f.take("levels");
    for (z, l) in raw_levels
        .as_ref()
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let mut lf = Fields::of(l);
        if lf.has("width") || lf.has("height") {
            job.note(format!(
                "{what}: level {z} has a width/height (an equirectangular or flat geometry): \
                 only cube geometries are imported: left out"
            ));
            f.report(&what, &mut job.notes);
            return Ok(None);
        }
        let (Some(size), Some(tile)) = (lf.number("size"), lf.number("tileSize")) else {
            job.note(format!(
                "{what}: level {z} {} lacks size / tileSize: left out",
                show(l)
            ));
            f.report(&what, &mut job.notes);
            return Ok(None);
        };
        if lf.boolean("fallbackOnly") == Some(true) {
            job.note(format!(
                "{what}: level {z} ({size} px) is fallbackOnly in Marzipano: kept as an ordinary level"
            ));
        }
        lf.report(&format!("{what}: level {z}"), &mut job.notes);
        levels.push(TileLevel {
            size: size as u32,
            tile_size: Some(tile as u32),
            path: None,
        });
    }
    if levels.is_empty() {
        job.note(format!("{what}: no \"levels\": left out"));
        f.report(&what, &mut job.notes);
        return Ok(None);
    }
    if let Some(face) = f.number("faceSize") {
        job.note(format!(
            "{what}: faceSize {face} ignored (the finest level gives the face size)"
        ));
    }
    let mut start_view = None;
    if let Some(v) = f.take("initialViewParameters") {
        let mut vf = Fields::of(&v);
        let yaw = vf.number("yaw").unwrap_or(0.0);
        let pitch = vf.number("pitch").unwrap_or(0.0);
        let fov = vf.number("fov");
        start_view = Some(View {
            fov: fov.map(|r| angle(r.to_degrees())),
            ..View::new(
                angle(yaw.to_degrees()),
                // Marzipano's pitch is positive downwards.
                angle(-pitch.to_degrees()),
            )
        });
        vf.report(&format!("{what}: initialViewParameters"), &mut job.notes);
    }
    let template = format!("tiles/{id}/%l/%s/%y/%x.jpg");
    let Some(mapped) = job.map(&what, &template) else {
        f.report(&what, &mut job.notes);
        return Ok(None);
    };
    let tiles = TileSource {
        path: mapped.rel,
        levels,
        first_level: 0,
        first_index: 0,
        ..TileSource::default()
    };
    job.tiles(&what, &tiles, mapped.readable)?;
    let pano = PanoramaScene {
        view: start_view,
        ..PanoramaScene::from_tiles(tiles)
    };
    let preview = format!("tiles/{id}/preview.jpg");
    let found = if job.exists(&preview) {
        "present"
    } else {
        "not found"
    };
    job.note(format!(
        "{what}: {preview} ({found}) not used: it is a cube strip and Disan's preview is an \
         equirectangular image"
    ));
    let list = |key: &str, job: &mut Job, f: &mut Fields| match f.take(key) {
        None => Vec::new(),
        Some(Value::Array(a)) => a,
        Some(other) => {
            job.note(format!(
                "{what}: {key} {} is not a list: ignored",
                show(&other)
            ));
            Vec::new()
        }
    };
    let links = list("linkHotspots", job, &mut f);
    let infos = list("infoHotspots", job, &mut f);
    let old = list("hotspots", job, &mut f);
    f.report(&what, &mut job.notes);
    Ok(Some(Read {
        id,
        title,
        pano,
        links,
        infos,
        old,
    }))
}

/// A hotspot's direction (radians, pitch positive down) as Disan's yaw and pitch (degrees),
/// and the fields left to read.
fn placed(job: &mut Job, what: &str, raw: &Value) -> Option<((f32, f32), Fields)> {
    if !raw.is_object() {
        job.note(format!("{what}: {} is not an object: ignored", show(raw)));
        return None;
    }
    let mut f = Fields::of(raw);
    let (Some(yaw), Some(pitch)) = (f.number("yaw"), f.number("pitch")) else {
        job.note(format!("{what}: no yaw and pitch: left out"));
        return None;
    };
    Some(((angle(yaw.to_degrees()), angle(-pitch.to_degrees())), f))
}

/// A link hotspot (`linkHotspots` or the older `hotspots`).
fn link(job: &mut Job, what: &str, raw: &Value, read: &[Read]) -> Option<Hotspot> {
    let ((yaw, pitch), mut f) = placed(job, what, raw)?;
    let Some(target) = f.string("target") else {
        job.note(format!("{what}: no target: left out"));
        f.report(what, &mut job.notes);
        return None;
    };
    let Some(t) = read.iter().find(|r| r.id == target) else {
        job.note(format!(
            "{what}: links to scene \"{target}\", which was not imported: left out"
        ));
        f.report(what, &mut job.notes);
        return None;
    };
    if let Some(r) = f.number("rotation") {
        job.note(format!("{what}: rotation {r} of the marker ignored"));
    }
    f.report(what, &mut job.notes);
    Some(Hotspot::link(yaw, pitch, target).with_label(text(&t.title)))
}
