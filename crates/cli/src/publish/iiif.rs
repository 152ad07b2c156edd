//! `disan publish --iiif`: a IIIF Presentation 3 manifest per catalog record with photos, static
//! (no image server: each photo is one canvas painted with the whole image), so that a record
//! opens in Mirador, Universal Viewer or any IIIF viewer.

use disan_tour::model::CatalogEntry;
use disan_tour::ui_text;
use disan_tour::LangText;
use serde_json::{json, Map, Value};

/// A language map as IIIF writes it: `{"vi": ["…"], "en": ["…"]}` (`none` for no language).
fn lang_map(t: &LangText) -> Value {
    let mut m = Map::new();
    for (lang, text) in &t.0 {
        if text.trim().is_empty() {
            continue;
        }
        let key = if lang == "und" { "none" } else { lang.as_str() };
        m.insert(key.to_string(), json!([text]));
    }
    Value::Object(m)
}

/// A field's label in each of the tour's languages.
fn label(field: &str, langs: &[String]) -> Value {
    let mut m = Map::new();
    for l in langs {
        let t = ui_text::field_label(field, l);
        if !t.is_empty() {
            m.insert(l.clone(), json!([t]));
        }
    }
    Value::Object(m)
}

/// A photo of the record: its address and its pixel size.
pub(crate) struct Photo {
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub format: &'static str,
    pub caption: Option<LangText>,
}

/// The manifest of record `e` at `id` (an absolute address), its photos given.
pub(crate) fn manifest(
    e: &CatalogEntry,
    id: &str,
    homepage: &str,
    photos: &[Photo],
    langs: &[String],
) -> Value {
    let base = id.trim_end_matches("manifest.json");
    let mut metadata = Vec::new();
    if let Some(n) = &e.inventory_number {
        metadata.push(json!({"label": label("inventory_number", langs), "value": {"none": [n]}}));
    }
    for (name, value) in e.fields() {
        if name == "rights" || value.is_empty() {
            continue;
        }
        metadata.push(json!({"label": label(name, langs), "value": lang_map(value)}));
    }
    let items: Vec<Value> = photos
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let canvas = format!("{base}canvas/{}", i + 1);
            let mut c = json!({
                "id": canvas,
                "type": "Canvas",
                "width": p.width,
                "height": p.height,
                "items": [{
                    "id": format!("{base}page/{}", i + 1),
                    "type": "AnnotationPage",
                    "items": [{
                        "id": format!("{base}annotation/{}", i + 1),
                        "type": "Annotation",
                        "motivation": "painting",
                        "target": canvas,
                        "body": {"id": p.url, "type": "Image", "format": p.format, "width": p.width, "height": p.height}
                    }]
                }]
            });
            if let Some(cap) = &p.caption {
                c["label"] = lang_map(cap);
            }
            c
        })
        .collect();
    let mut m = json!({
        "@context": "http://iiif.io/api/presentation/3/context.json",
        "id": id,
        "type": "Manifest",
        "label": lang_map(&e.title),
        "metadata": metadata,
        "homepage": [{"id": homepage, "type": "Text", "format": "text/html", "label": lang_map(&e.title)}],
        "items": items,
    });
    if !e.description.is_empty() {
        m["summary"] = lang_map(&e.description);
    }
    if let Some(r) = e.rights.as_ref().filter(|r| !r.is_empty()) {
        m["requiredStatement"] = json!({"label": label("rights", langs), "value": lang_map(r)});
    }
    if let Some(p) = photos.first() {
        m["thumbnail"] = json!([{"id": p.url, "type": "Image", "format": p.format}]);
    }
    m
}
