//! Pannellum JSON configs (one scene, or a tour of `default` + `scenes`) to a Disan tour.

use crate::common::{
    angle, catalog_entry, scene_id_from, show, text, vfov_from_hfov, wrap180, Fields,
    REFERENCE_ASPECT,
};
use crate::files::Job;
use crate::ImportError;
use disan_tour::model::{
    CatalogEntry, Coverage, Hotspot, PanoramaScene, PanoramaSource, Scene, TileSource, Tour, View,
};
use serde_json::{Map, Value};
use std::collections::HashSet;

/// Scene options that have a Disan meaning (a `default` value of these applies to every scene).
const SCENE_KEYS: &[&str] = &[
    "type",
    "title",
    "panorama",
    "cubeMap",
    "multiRes",
    "basePath",
    "yaw",
    "pitch",
    "hfov",
    "minHfov",
    "maxHfov",
    "northOffset",
    "haov",
    "vaov",
    "vOffset",
    "hotSpots",
    "preview",
];

/// Pannellum's default `minHfov` / `maxHfov`.
const DEFAULT_HFOV_RANGE: [f64; 2] = [50.0, 120.0];

/// A scene as read, before its hotspots (which need every scene).
struct Read {
    id: String,
    title: Option<String>,
    pano: PanoramaScene,
    hotspots: Vec<Value>,
}

/// Converts a Pannellum config.
pub(crate) fn convert(job: &mut Job, source: &str) -> Result<Tour, ImportError> {
    let root: Value =
        serde_json::from_str(source).map_err(|e| job.parse_error(format!("invalid JSON: {e}")))?;
    let Value::Object(root) = root else {
        return Err(job.format_error("expected a JSON object"));
    };
    let mut listed: Vec<(String, Map<String, Value>, HashSet<String>)> = Vec::new();
    let mut start = None;
    let tour_title;
    if root.contains_key("scenes") {
        let mut root = Fields::from_map(root);
        let Some(Value::Object(scenes)) = root.take("scenes") else {
            return Err(job.format_error("\"scenes\" must be an object of scenes by id"));
        };
        let default = match root.take("default") {
            None => Map::new(),
            Some(Value::Object(m)) => m,
            Some(_) => return Err(job.format_error("\"default\" must be an object")),
        };
        root.report("tour file", &mut job.notes);
        let mut default = Fields::from_map(default);
        start = default.string("firstScene");
        if start.is_none() {
            job.note("default.firstScene is not set: the first scene opens first");
        }
        let mut inherited = Map::new();
        for key in SCENE_KEYS {
            if let Some(v) = default.take(key) {
                inherited.insert(key.to_string(), v);
            }
        }
        default.report("default", &mut job.notes);
        tour_title = inherited
            .get("title")
            .and_then(Value::as_str)
            .map(str::to_string);
        for (id, scene) in scenes {
            let Value::Object(own) = scene else {
                job.note(format!("scene {id}: not an object: left out"));
                continue;
            };
            let own_keys: HashSet<String> = own.keys().cloned().collect();
            let mut merged = inherited.clone();
            for (k, v) in own {
                merged.insert(k, v);
            }
            listed.push((id, merged, own_keys));
        }
    } else if ["type", "panorama", "cubeMap", "multiRes"]
        .iter()
        .any(|k| root.contains_key(*k))
    {
        let id = scene_id_from(&job.input);
        tour_title = root
            .get("title")
            .and_then(Value::as_str)
            .map(str::to_string);
        let own = root.keys().cloned().collect();
        listed.push((id, root, own));
    } else {
        return Err(job.format_error(
            "no \"scenes\" (a tour) and no \"panorama\", \"cubeMap\" or \"multiRes\" (a scene)",
        ));
    }

    let mut read = Vec::new();
    for (id, map, own) in listed {
        if let Some(r) = scene(job, id, Fields::from_map(map), own)? {
            read.push(r);
        }
    }
    if read.is_empty() {
        return Err(job.no_scene_error());
    }
    if let Some(s) = &start {
        if !read.iter().any(|r| &r.id == s) {
            job.note(format!(
                "first scene \"{s}\" was not imported: the first scene opens first"
            ));
            start = None;
        }
    }

    let mut catalog = Vec::new();
    let mut scenes = Vec::new();
    for i in 0..read.len() {
        let hotspots = hotspots(job, &read, i, &mut catalog);
        let r = &read[i];
        scenes.push(
            Scene::new(
                r.id.clone(),
                text(r.title.as_deref().unwrap_or(&r.id)),
                r.pano.clone(),
            )
            .with_hotspots(hotspots),
        );
    }
    Ok(Tour {
        start_scene: start,
        scenes,
        catalog,
        ..Tour::new(tour_title.as_deref().map(text).unwrap_or_default())
    })
}

/// Pannellum's `absoluteURL`: a scheme-relative or absolute URL, or a site-absolute path.
fn absolute_url(p: &str) -> bool {
    p.starts_with('/') || p.starts_with("blob:") || {
        let letters = p.bytes().take_while(u8::is_ascii_alphabetic).count();
        p[letters..].starts_with("://") && letters > 0
    }
}

/// `basePath + p` as Pannellum joins them.
fn joined(base: &str, p: &str) -> String {
    if absolute_url(p) {
        p.to_string()
    } else {
        format!("{base}{p}")
    }
}

/// Reads one scene; `None` (with a note) when it has nothing Disan can show.
fn scene(
    job: &mut Job,
    id: String,
    mut f: Fields,
    own: HashSet<String>,
) -> Result<Option<Read>, ImportError> {
    let what = format!("scene {id}");
    let kind = f.string("type").unwrap_or_else(|| "equirectangular".into());
    let base = f.string("basePath").unwrap_or_default();
    let title = f.string("title");
    let preview = f.string("preview");
    let source = match kind.as_str() {
        "equirectangular" => {
            let Some(p) = f.string("panorama") else {
                job.note(format!(
                    "{what}: no \"panorama\" image (or not a file name): left out"
                ));
                report_own(job, &what, f, &own);
                return Ok(None);
            };
            let Some(image) = job.file(&what, &joined(&base, &p))? else {
                job.note(format!("{what}: no usable panorama image: left out"));
                report_own(job, &what, f, &own);
                return Ok(None);
            };
            let (haov, vaov, voff) = (f.number("haov"), f.number("vaov"), f.number("vOffset"));
            let coverage = (haov.is_some() || vaov.is_some() || voff.is_some()).then(|| Coverage {
                haov: haov.unwrap_or(360.0) as f32,
                vaov: vaov.unwrap_or(180.0) as f32,
                v_offset: voff.unwrap_or(0.0) as f32,
                h_offset: 0.0,
            });
            if let Some(p) = preview {
                preview_ignored(job, &what, &joined(&base, &p));
            }
            PanoramaSource::Image { image, coverage }
        }
        "cubemap" => {
            let faces = f.take("cubeMap");
            let list: Option<Vec<String>> =
                faces.as_ref().and_then(Value::as_array).and_then(|a| {
                    a.iter()
                        .map(|v| v.as_str().filter(|s| *s != "null").map(str::to_string))
                        .collect()
                });
            let Some(list) = list.filter(|l| l.len() == 6) else {
                job.note(format!(
                    "{what}: cubeMap {} is not six face images (partial cubes are not supported): left out",
                    faces.as_ref().map(show).unwrap_or_else(|| "(absent)".into())
                ));
                report_own(job, &what, f, &own);
                return Ok(None);
            };
            let mut cube = Vec::new();
            for (i, p) in list.iter().enumerate() {
                match job.file(&format!("{what} face {i}"), &joined(&base, p))? {
                    Some(rel) => cube.push(rel),
                    None => {
                        job.note(format!("{what}: face {i} has no usable path: left out"));
                        report_own(job, &what, f, &own);
                        return Ok(None);
                    }
                }
            }
            if let Some(p) = preview {
                preview_ignored(job, &what, &joined(&base, &p));
            }
            PanoramaSource::Cube(cube)
        }
        "multires" => {
            let Some(mr) = f.take("multiRes") else {
                job.note(format!(
                    "{what}: type multires without \"multiRes\": left out"
                ));
                report_own(job, &what, f, &own);
                return Ok(None);
            };
            let Some(tiles) = multires(job, &what, &base, mr, preview.as_deref())? else {
                report_own(job, &what, f, &own);
                return Ok(None);
            };
            PanoramaSource::Tiles(tiles)
        }
        other => {
            job.note(format!(
                "{what}: type \"{other}\" is not supported (equirectangular, cubemap, multires): left out"
            ));
            report_own(job, &what, f, &own);
            return Ok(None);
        }
    };
    let mut pano = PanoramaScene::new(source);
    let (yaw, pitch, hfov) = (f.number("yaw"), f.number("pitch"), f.number("hfov"));
    if yaw.is_some() || pitch.is_some() || hfov.is_some() {
        pano.view = Some(View {
            fov: hfov.map(|h| angle(vfov_from_hfov(h, REFERENCE_ASPECT))),
            ..View::new(yaw.unwrap_or(0.0) as f32, pitch.unwrap_or(0.0) as f32)
        });
    }
    let (lo, hi) = (f.number("minHfov"), f.number("maxHfov"));
    if lo.is_some() || hi.is_some() {
        let lo = lo.unwrap_or(DEFAULT_HFOV_RANGE[0]);
        let hi = hi.unwrap_or(DEFAULT_HFOV_RANGE[1]);
        pano.fov_range = Some([
            angle(vfov_from_hfov(lo, REFERENCE_ASPECT)),
            angle(vfov_from_hfov(hi, REFERENCE_ASPECT)),
        ]);
    }
    if let Some(n) = f.number("northOffset") {
        pano.north_offset = angle(wrap180(-n));
    }
    let hotspots = match f.take("hotSpots") {
        None => Vec::new(),
        Some(Value::Array(a)) => a,
        Some(other) => {
            job.note(format!(
                "{what}: hotSpots {} is not a list: ignored",
                show(&other)
            ));
            Vec::new()
        }
    };
    report_own(job, &what, f, &own);
    Ok(Some(Read {
        id,
        title,
        pano,
        hotspots,
    }))
}

/// Notes the fields left in `f` that the scene itself set (those from `default` were noted once).
fn report_own(job: &mut Job, what: &str, f: Fields, own: &HashSet<String>) {
    for (k, v) in f.rest() {
        if own.contains(&k) {
            job.note(format!("{what}: {k} {} ignored", show(&v)));
        }
    }
}

/// A `preview` of a scene that is not tiled: Disan shows previews only while tiles load.
fn preview_ignored(job: &mut Job, what: &str, path: &str) {
    let found = if job.exists(path) {
        ""
    } else {
        ", and not found"
    };
    job.note(format!(
        "{what}: preview {path} ignored (Disan shows a preview only for tiled panoramas){found}"
    ));
}

/// `multiRes` to a tile source (Pannellum's `cube_resolution` + `max_level` shorthand).
fn multires(
    job: &mut Job,
    what: &str,
    base: &str,
    mr: Value,
    preview: Option<&str>,
) -> Result<Option<TileSource>, ImportError> {
    let mut m = Fields::of(&mr);
    let path = m.string("path");
    let extension = m.string("extension");
    let tile = m.number("tileResolution");
    let max = m.number("maxLevel");
    let cube = m.number("cubeResolution");
    let mr_base = m.string("basePath");
    let (Some(path), Some(tile), Some(max), Some(cube)) = (path, tile, max, cube) else {
        job.note(format!(
            "{what}: multiRes needs path, tileResolution, maxLevel and cubeResolution: left out"
        ));
        m.report(&format!("{what}: multiRes"), &mut job.notes);
        return Ok(None);
    };
    // Pannellum: basePath + multiRes.basePath (unless that is an absolute URL) + path + ".ext".
    let scheme_relative = mr_base.as_deref().is_some_and(|b| {
        let letters = b.bytes().take_while(u8::is_ascii_alphabetic).count();
        b[letters..].starts_with("//")
    });
    let prefix = match mr_base {
        Some(b) if !base.is_empty() && !scheme_relative => format!("{base}{b}"),
        Some(b) => b,
        None => base.to_string(),
    };
    let mut template = format!("{prefix}{path}");
    if let Some(ext) = extension.as_deref().filter(|e| !e.is_empty()) {
        template.push('.');
        template.push_str(ext);
    }
    // `%l0` is the level counted from 0: Disan's `first_level` 0 with `%l`.
    let mut first_level = 1;
    if template.contains("%l0") {
        if template.replace("%l0", "").contains("%l") {
            job.note(format!(
                "{what}: the tile path uses both %l and %l0: %l0 is read as %l followed by 0"
            ));
        } else {
            template = template.replace("%l0", "%l");
            first_level = 0;
        }
    }
    let Some(mapped) = job.map(what, &template) else {
        job.note(format!("{what}: no usable tile path: left out"));
        return Ok(None);
    };
    let mut tiles = TileSource {
        path: mapped.rel,
        tile_size: Some(tile as u32),
        cube_resolution: Some(cube as u32),
        max_level: Some(max as u32),
        first_level,
        ..TileSource::default()
    };
    job.tiles(what, &tiles, mapped.readable)?;
    if let Some(p) = m.string("fallbackPath") {
        job.note(format!(
            "{what}: multiRes.fallbackPath {p} ignored (fallback faces for browsers without WebGL; not copied)"
        ));
    }
    if m.has("missingTiles") {
        job.note(format!(
            "{what}: multiRes.missingTiles ignored: the tiles it lists are expected in \"missing\""
        ));
        m.take("missingTiles");
    }
    m.report(&format!("{what}: multiRes"), &mut job.notes);
    if let Some(p) = preview {
        job.note(format!(
            "{what}: preview {p} used as the tiles' preview (Disan expects a small equirectangular image)"
        ));
        tiles.preview = job.file(what, &joined(base, p))?;
    }
    Ok(Some(tiles))
}

/// The hotspots of scene `i`; info hotspots add catalog entries.
fn hotspots(
    job: &mut Job,
    read: &[Read],
    i: usize,
    catalog: &mut Vec<CatalogEntry>,
) -> Vec<Hotspot> {
    let scene = &read[i];
    let mut out = Vec::new();
    for (n, raw) in scene.hotspots.iter().enumerate() {
        let what = format!("scene {} hotspot {}", scene.id, n + 1);
        if !raw.is_object() {
            job.note(format!("{what}: {} is not an object: ignored", show(raw)));
            continue;
        }
        let mut f = Fields::of(raw);
        let (Some(yaw), Some(pitch)) = (f.number("yaw"), f.number("pitch")) else {
            job.note(format!("{what}: no yaw and pitch: left out"));
            continue;
        };
        let kind = f.string("type").unwrap_or_else(|| "info".into());
        let label = f.string("text");
        let id = f.string("id");
        let (yaw, pitch) = (yaw as f32, pitch as f32);
        let h = if kind == "scene" {
            let Some(target) = f.string("sceneId") else {
                job.note(format!("{what}: scene hotspot without sceneId: left out"));
                f.report(&what, &mut job.notes);
                continue;
            };
            let Some(t) = read.iter().find(|r| r.id == target) else {
                job.note(format!(
                    "{what}: links to scene \"{target}\", which was not imported: left out"
                ));
                f.report(&what, &mut job.notes);
                continue;
            };
            let label = text(label.as_deref().or(t.title.as_deref()).unwrap_or(&t.id));
            let view = arrival(job, &what, &mut f, t);
            let link = Hotspot::link(yaw, pitch, target).with_label(label);
            match view {
                Some(v) => link.with_view(v),
                None => link,
            }
        } else {
            if kind != "info" {
                job.note(format!("{what}: type \"{kind}\" read as an info hotspot"));
            }
            let url = f.string("URL");
            let title = label
                .clone()
                .or_else(|| url.clone())
                .unwrap_or_else(|| "Information".into());
            let mut entry_id = format!("{}-info-{}", scene.id, n + 1);
            while catalog.iter().any(|e: &CatalogEntry| e.id == entry_id) {
                entry_id.push('x');
            }
            let description = match &url {
                Some(u) => {
                    job.note(format!(
                        "{what}: hotspot URL {u} kept in the description of catalog entry {entry_id}"
                    ));
                    text(&format!("Link: {u}"))
                }
                None => Default::default(),
            };
            if let Some(a) = f.take("attributes") {
                job.note(format!("{what}: link attributes {} ignored", show(&a)));
            }
            for media in ["image", "video"] {
                if let Some(p) = f.string(media) {
                    job.note(format!(
                        "{what}: {media} {p} not imported (add it to catalog entry {entry_id} as an image)"
                    ));
                }
            }
            catalog.push(catalog_entry(entry_id.clone(), &title, description));
            Hotspot::info(yaw, pitch, entry_id).with_label(text(&title))
        };
        f.report(&what, &mut job.notes);
        out.push(Hotspot { id, ..h });
    }
    out
}

/// `targetYaw` / `targetPitch` / `targetHfov` of a scene hotspot; what is not given comes from
/// the target's own view, as Pannellum does.
fn arrival(job: &mut Job, what: &str, f: &mut Fields, target: &Read) -> Option<View> {
    let mut given = false;
    let mut read = |f: &mut Fields, key: &str| -> Option<f64> {
        let v = f.take(key)?;
        match v.as_f64() {
            Some(n) if n.is_finite() => {
                given = true;
                Some(n)
            }
            _ => {
                job.note(format!(
                    "{what}: {key} {} ignored (the target's own view is kept)",
                    show(&v)
                ));
                None
            }
        }
    };
    let yaw = read(f, "targetYaw");
    let pitch = read(f, "targetPitch");
    let hfov = read(f, "targetHfov");
    if !given {
        return None;
    }
    let own = target.pano.view.unwrap_or_default();
    Some(View {
        fov: hfov
            .map(|h| angle(vfov_from_hfov(h, REFERENCE_ASPECT)))
            .or(own.fov),
        ..View::new(
            yaw.map(|y| y as f32).unwrap_or(own.yaw),
            pitch.map(|p| p as f32).unwrap_or(own.pitch),
        )
    })
}
