//! krpano `tour.xml` (scenes with `<view>`, `<image>` and `<hotspot>`) to a Disan tour.

use crate::common::{
    angle, catalog_entry, scene_id_from, text, vfov_from_dfov, vfov_from_hfov, REFERENCE_ASPECT,
};
use crate::files::Job;
use crate::ImportError;
use disan_tour::model::{
    CatalogEntry, Coverage, Hotspot, PanoramaScene, PanoramaSource, Scene, TileLevel, TileSource,
    Tour, View,
};
use roxmltree::Node;
use std::collections::BTreeMap;

/// The six face elements of an old-style cube, in Disan's order.
const FACE_ELEMENTS: [&str; 6] = ["front", "right", "back", "left", "up", "down"];

/// The face letters krpano puts for `%s`, in Disan's order.
const FACE_LETTERS: [&str; 6] = ["f", "r", "b", "l", "u", "d"];

/// How a krpano `fov` is measured.
#[derive(Debug, Clone, Copy, PartialEq)]
enum FovType {
    Vertical,
    Horizontal,
    Diagonal,
    /// The horizontal fov of a view of this aspect.
    Maximum(f64),
}

impl FovType {
    fn vertical(self, fov: f64) -> f64 {
        match self {
            FovType::Vertical => fov,
            FovType::Horizontal => vfov_from_hfov(fov, REFERENCE_ASPECT),
            FovType::Diagonal => vfov_from_dfov(fov, REFERENCE_ASPECT),
            FovType::Maximum(ratio) => vfov_from_hfov(fov, ratio),
        }
    }
}

/// A scene as read, before its hotspots.
struct Read<'a, 'input> {
    id: String,
    title: Option<String>,
    pano: PanoramaScene,
    fovtype: FovType,
    hotspots: Vec<Node<'a, 'input>>,
}

/// Converts a krpano XML file.
pub(crate) fn convert(job: &mut Job, source: &str) -> Result<Tour, ImportError> {
    let doc = roxmltree::Document::parse(source)
        .map_err(|e| job.parse_error(format!("invalid XML: {e}")))?;
    let root = doc.root_element();
    if !root.has_tag_name("krpano") {
        return Err(job.format_error(format!(
            "the root element is <{}>, not <krpano>",
            root.tag_name().name()
        )));
    }
    let mut tour_title = None;
    let mut start = None;
    for a in root.attributes() {
        match a.name() {
            "title" => tour_title = Some(a.value().to_string()),
            "onstart" => {
                start = loadscene_target(a.value());
                note_attr(job, "<krpano>", a.name(), a.value());
            }
            name => note_attr(job, "<krpano>", name, a.value()),
        }
    }
    let scene_nodes: Vec<Node> = root
        .children()
        .filter(|n| n.has_tag_name("scene"))
        .collect();
    let mut ignored: BTreeMap<String, usize> = BTreeMap::new();
    let mut actions = Vec::new();
    for n in root.children().filter(Node::is_element) {
        let tag = n.tag_name().name();
        match tag {
            "scene" => {}
            "include" => job.note(format!(
                "<include url=\"{}\"> not read: what it defines is not imported",
                n.attribute("url").unwrap_or("")
            )),
            "action" => {
                let name = n.attribute("name").unwrap_or("?");
                if n.attribute("autorun") == Some("onstart") && start.is_none() {
                    start = n.text().and_then(loadscene_target);
                }
                actions.push(name.to_string());
            }
            "view" | "image" | "hotspot" | "preview" if scene_nodes.is_empty() => {}
            _ => *ignored.entry(tag.to_string()).or_default() += 1,
        }
    }
    if !actions.is_empty() {
        job.note(format!("actions ignored: {}", actions.join(", ")));
    }
    if !ignored.is_empty() {
        let list: Vec<String> = ignored
            .iter()
            .map(|(t, n)| {
                if *n > 1 {
                    format!("<{t}> ×{n}")
                } else {
                    format!("<{t}>")
                }
            })
            .collect();
        let place = if scene_nodes.is_empty() {
            ""
        } else {
            " (outside the scenes)"
        };
        job.note(format!("elements ignored{place}: {}", list.join(", ")));
    }

    let mut read = Vec::new();
    if scene_nodes.is_empty() {
        let id = scene_id_from(&job.input);
        if let Some(r) = scene(job, root, id, tour_title.clone())? {
            read.push(r);
        }
    } else {
        for (i, n) in scene_nodes.iter().enumerate() {
            let Some(name) = n.attribute("name").filter(|s| !s.trim().is_empty()) else {
                job.note(format!("scene {}: no name: left out", i + 1));
                continue;
            };
            if read.iter().any(|r: &Read| r.id.eq_ignore_ascii_case(name)) {
                job.note(format!(
                    "scene {name}: a second scene of that name (krpano names ignore case): left out"
                ));
                continue;
            }
            for a in n.attributes() {
                if !matches!(a.name(), "name" | "title") {
                    note_attr(job, &format!("scene {name}"), a.name(), a.value());
                }
            }
            let title = n.attribute("title").map(str::to_string);
            if let Some(r) = scene(job, *n, name.to_string(), title)? {
                read.push(r);
            }
        }
    }
    if read.is_empty() {
        return Err(job.no_scene_error());
    }
    let start_scene = match start {
        Some(s) => match read.iter().position(|r| r.id.eq_ignore_ascii_case(&s)) {
            Some(0) => None,
            Some(i) => Some(read[i].id.clone()),
            None => {
                job.note(format!(
                    "start scene \"{s}\" was not imported: the first scene opens first"
                ));
                None
            }
        },
        None => None,
    };

    let mut catalog = Vec::new();
    let mut scenes = Vec::new();
    for r in &read {
        let mut hotspots = Vec::new();
        for (n, node) in r.hotspots.iter().enumerate() {
            let name = node
                .attribute("name")
                .map(str::to_string)
                .unwrap_or_else(|| (n + 1).to_string());
            let what = format!("scene {} hotspot {name}", r.id);
            if let Some(h) = hotspot(job, &what, r, *node, &read, &mut catalog) {
                hotspots.push(h);
            }
        }
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
        start_scene,
        scenes,
        catalog,
        ..Tour::new(tour_title.as_deref().map(text).unwrap_or_default())
    })
}

/// Notes an attribute that has no Disan meaning (empty ones say nothing and are skipped).
fn note_attr(job: &mut Job, what: &str, name: &str, value: &str) {
    if !value.trim().is_empty() {
        job.note(format!("{what}: {name}=\"{value}\" ignored"));
    }
}

/// The first argument of the first `loadscene(…)` call in an action, when it is a plain name.
fn loadscene_target(action: &str) -> Option<String> {
    first_argument(action, "loadscene(").filter(|s| !s.contains('('))
}

/// The first argument of the first `call(` (case-insensitive) in `action`, unquoted.
fn first_argument(action: &str, call: &str) -> Option<String> {
    let lower = action.to_ascii_lowercase();
    let at = lower.find(call)? + call.len();
    let rest = &action[at..];
    let end = rest.find([',', ')']).unwrap_or(rest.len());
    let arg = rest[..end].trim().trim_matches(['\'', '"']).trim();
    (!arg.is_empty() && arg != "null").then(|| arg.to_string())
}

fn number(node: Node, name: &str) -> Option<f64> {
    node.attribute(name)?
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

/// Reads a scene (or the root of a file without scenes); `None` when it has no usable image.
fn scene<'a, 'input>(
    job: &mut Job,
    node: Node<'a, 'input>,
    id: String,
    title: Option<String>,
) -> Result<Option<Read<'a, 'input>>, ImportError> {
    let what = format!("scene {id}");
    let (mut start_view, mut fov_range) = (None, None);
    let mut fovtype = FovType::Vertical;
    let mut images = Vec::new();
    let mut hotspots = Vec::new();
    for child in node.children().filter(Node::is_element) {
        match child.tag_name().name() {
            "view" => fovtype = view(job, &what, child, &mut start_view, &mut fov_range),
            "image" => images.push(child),
            "hotspot" => hotspots.push(child),
            "preview" => preview(job, &what, child),
            // A file without scenes: its other elements were reported with the file's.
            _ if node.has_tag_name("krpano") => {}
            tag => job.note(format!("{what}: <{tag}> ignored")),
        }
    }
    // An <image if="…"> is for some devices only (VR, mobile): take one without a condition.
    let chosen = images
        .iter()
        .position(|i| i.attribute("if").is_none())
        .or(if images.is_empty() { None } else { Some(0) });
    for (i, img) in images.iter().enumerate() {
        if Some(i) != chosen {
            job.note(format!(
                "{what}: <image if=\"{}\"> ignored (another <image> is used)",
                img.attribute("if").unwrap_or("")
            ));
        }
    }
    let Some(img) = chosen.map(|i| images[i]) else {
        job.note(format!("{what}: no <image>: left out"));
        return Ok(None);
    };
    let Some(source) = image(job, &what, img)? else {
        return Ok(None);
    };
    let pano = PanoramaScene {
        view: start_view,
        fov_range,
        ..PanoramaScene::new(source)
    };
    Ok(Some(Read {
        id,
        title,
        pano,
        fovtype,
        hotspots,
    }))
}

/// `<view>`: the initial view and the zoom range; returns how its fov is measured.
fn view(
    job: &mut Job,
    what: &str,
    node: Node,
    start_view: &mut Option<View>,
    fov_range: &mut Option<[f32; 2]>,
) -> FovType {
    let ratio = number(node, "mfovratio").unwrap_or(REFERENCE_ASPECT);
    let fovtype = match node
        .attribute("fovtype")
        .map(|s| s.trim().to_ascii_uppercase())
        .as_deref()
    {
        None | Some("") | Some("VFOV") => FovType::Vertical,
        Some("HFOV") => FovType::Horizontal,
        Some("DFOV") => FovType::Diagonal,
        Some("MFOV") => FovType::Maximum(ratio),
        Some(other) => {
            job.note(format!(
                "{what}: fovtype {other} read as VFOV (vertical field of view)"
            ));
            FovType::Vertical
        }
    };
    let yaw = number(node, "hlookat");
    let pitch = number(node, "vlookat");
    let fov = number(node, "fov");
    if yaw.is_some() || pitch.is_some() || fov.is_some() {
        *start_view = Some(View {
            fov: fov.map(|f| angle(fovtype.vertical(f))),
            ..View::new(
                yaw.unwrap_or(0.0) as f32,
                // krpano's vlookat is positive downwards.
                angle(-pitch.unwrap_or(0.0)),
            )
        });
    }
    let (lo, hi) = (number(node, "fovmin"), number(node, "fovmax"));
    if lo.is_some() || hi.is_some() {
        // krpano's defaults: 1 and 179.
        let lo = fovtype.vertical(lo.unwrap_or(1.0));
        let hi = fovtype.vertical(hi.unwrap_or(179.0));
        *fov_range = Some([angle(lo), angle(hi)]);
    }
    for a in node.attributes() {
        if !matches!(
            a.name(),
            "hlookat" | "vlookat" | "fov" | "fovtype" | "fovmin" | "fovmax" | "mfovratio"
        ) {
            note_attr(job, &format!("{what}: <view>"), a.name(), a.value());
        }
    }
    fovtype
}

/// `<preview>` (a small cube strip or grid): Disan's `preview` is equirectangular.
fn preview(job: &mut Job, what: &str, node: Node) {
    let url = node.attribute("url").map(clean_url).unwrap_or_default();
    job.note(format!(
        "{what}: <preview url=\"{url}\"> not used: krpano's preview is a cube strip and \
         Disan's is an equirectangular image"
    ));
}

/// A krpano url relative to the XML file: `%CURRENTXML%/` and `%FIRSTXML%/` are that folder;
/// other leading placeholders are read the same way (noted by the caller's output).
fn clean_url(url: &str) -> String {
    let url = url.trim();
    for p in [
        "%CURRENTXML%/",
        "%FIRSTXML%/",
        "%SWFPATH%/",
        "%HTMLPATH%/",
        "%VIEWER%/",
    ] {
        if let Some(rest) = url.strip_prefix(p) {
            return rest.to_string();
        }
    }
    url.to_string()
}

/// A url for `job.map`, noting placeholders Disan cannot fill.
fn url_of(job: &mut Job, what: &str, raw: &str) -> String {
    let trimmed = raw.trim();
    if trimmed.starts_with('%') && !trimmed.starts_with("%s") && !trimmed.starts_with("%l") {
        let end = trimmed[1..].find('%').map(|i| i + 2).unwrap_or(1);
        let ph = &trimmed[..end];
        if !matches!(ph, "%CURRENTXML%" | "%FIRSTXML%") {
            job.note(format!(
                "{what}: {ph} in {trimmed} read as the folder of the XML file"
            ));
        }
    }
    let url = clean_url(raw);
    if url.contains("%0") {
        job.note(format!(
            "{what}: {url} uses zero-padded numbers (%0…), which Disan's tile paths do not support"
        ));
    }
    url
}

/// `<image>`: the scene's picture; none (with a note) when Disan cannot show it.
fn image(job: &mut Job, what: &str, node: Node) -> Result<Option<PanoramaSource>, ImportError> {
    let tile_size = number(node, "tilesize").map(|v| v as u32);
    let base_index = number(node, "baseindex").map(|v| v as u32).unwrap_or(1);
    for a in node.attributes() {
        if !matches!(
            a.name(),
            "type" | "multires" | "tilesize" | "baseindex" | "if" | "hfov" | "vfov" | "voffset"
        ) {
            note_attr(job, &format!("{what}: <image>"), a.name(), a.value());
        }
    }
    let mut levels: Vec<(u32, Option<u32>, String)> = Vec::new();
    let mut cube: Option<Node> = None;
    let mut sphere: Option<Node> = None;
    let mut faces: [Option<String>; 6] = Default::default();
    for child in node.children().filter(Node::is_element) {
        let tag = child.tag_name().name();
        match tag {
            "cube" if cube.is_none() => cube = Some(child),
            "sphere" if sphere.is_none() => sphere = Some(child),
            "level" => {
                let size = number(child, "tiledimagewidth").map(|v| v as u32);
                let ts = number(child, "tilesize").map(|v| v as u32);
                let url = child
                    .children()
                    .find(|c| c.has_tag_name("cube"))
                    .and_then(|c| c.attribute("url"));
                match (size, url) {
                    (Some(size), Some(url)) => levels.push((size, ts, url.to_string())),
                    _ => job.note(format!(
                        "{what}: <level> without tiledimagewidth and a <cube url>: ignored"
                    )),
                }
            }
            "preview" => preview(job, what, child),
            t if FACE_ELEMENTS.contains(&t) => {
                let i = FACE_ELEMENTS.iter().position(|f| *f == t).unwrap_or(0);
                faces[i] = child.attribute("url").map(str::to_string);
            }
            _ => job.note(format!(
                "{what}: <image><{tag}> ignored (Disan shows cube and sphere images)"
            )),
        }
    }
    if !levels.is_empty() {
        // The long multires form: one <level> per size, each with its own url.
        levels.sort_by_key(|l| l.0);
        let mut readable = true;
        let mut tl = Vec::new();
        for (size, ts, url) in &levels {
            let url = url_of(job, what, url);
            let Some(m) = job.map(what, &url) else {
                job.note(format!("{what}: a <level> has no usable url: left out"));
                return Ok(None);
            };
            readable &= m.readable;
            tl.push(TileLevel {
                size: *size,
                tile_size: ts.or(tile_size),
                path: Some(m.rel),
            });
        }
        let tiles = TileSource {
            path: tl[0].path.clone().unwrap_or_default(),
            tile_size,
            levels: tl,
            first_index: base_index,
            ..TileSource::default()
        };
        job.tiles(what, &tiles, readable)?;
        return Ok(Some(PanoramaSource::Tiles(tiles)));
    }
    if let Some(c) = cube {
        let url = url_of(job, what, c.attribute("url").unwrap_or(""));
        if let Some(spec) = c.attribute("multires") {
            let Some((ts, sizes)) = multires_sizes(spec) else {
                job.note(format!(
                    "{what}: <cube multires=\"{spec}\"> is not \"tilesize,size1,size2,…\": left out"
                ));
                return Ok(None);
            };
            let Some(m) = job.map(what, &url) else {
                return Ok(None);
            };
            let tiles = TileSource {
                path: m.rel,
                tile_size: Some(ts),
                levels: sizes
                    .into_iter()
                    .map(|size| TileLevel {
                        size,
                        tile_size: None,
                        path: None,
                    })
                    .collect(),
                first_level: 1,
                first_index: base_index,
                ..TileSource::default()
            };
            job.tiles(what, &tiles, m.readable)?;
            return Ok(Some(PanoramaSource::Tiles(tiles)));
        }
        if ["%l", "%v", "%h", "%x", "%y"]
            .iter()
            .any(|p| url.contains(p))
        {
            job.note(format!(
                "{what}: <cube url=\"{url}\"> names tiles but gives no multires sizes or <level>s: left out"
            ));
            return Ok(None);
        }
        if !url.contains("%s") {
            job.note(format!(
                "{what}: <cube url=\"{url}\"> has no %s (a cube strip?): left out"
            ));
            return Ok(None);
        }
        let mut list = Vec::new();
        for letter in FACE_LETTERS {
            let face = url.replace("%s", letter);
            match job.file(what, &face)? {
                Some(rel) => list.push(rel),
                None => return Ok(None),
            }
        }
        return Ok(Some(PanoramaSource::Cube(list)));
    }
    if faces.iter().all(Option::is_some) {
        let mut list = Vec::new();
        for f in faces.iter().flatten() {
            let url = url_of(job, what, f);
            match job.file(what, &url)? {
                Some(rel) => list.push(rel),
                None => return Ok(None),
            }
        }
        return Ok(Some(PanoramaSource::Cube(list)));
    }
    if let Some(s) = sphere {
        if s.attribute("multires").is_some() {
            job.note(format!(
                "{what}: a tiled (multires) sphere is not supported (Disan tiles cubes): left out"
            ));
            return Ok(None);
        }
        let url = url_of(job, what, s.attribute("url").unwrap_or(""));
        let Some(image) = job.file(what, &url)? else {
            return Ok(None);
        };
        let (h, v) = (number(node, "hfov"), number(node, "vfov"));
        let mut coverage = None;
        if h.is_some_and(|h| h < 360.0) || v.is_some_and(|v| v < 180.0) {
            coverage = Some(Coverage {
                haov: h.unwrap_or(360.0).min(360.0) as f32,
                vaov: v.unwrap_or(180.0).min(180.0) as f32,
                ..Coverage::default()
            });
        }
        if let Some(o) = number(node, "voffset").filter(|o| *o != 0.0) {
            job.note(format!(
                "{what}: <image voffset=\"{o}\"> not converted (its sign convention is not \
                 verified): set coverage.v_offset by hand"
            ));
        }
        return Ok(Some(PanoramaSource::Image { image, coverage }));
    }
    job.note(format!(
        "{what}: the <image> has no cube, cube faces, <level>s or sphere Disan can show: left out"
    ));
    Ok(None)
}

/// `multires="tilesize,size1,size2,…"` (sizes from the smallest; `WxH` sizes use W).
fn multires_sizes(spec: &str) -> Option<(u32, Vec<u32>)> {
    let mut numbers = spec.split(',').map(|t| {
        t.trim()
            .split(['x', 'X', ':'])
            .next()
            .and_then(|n| n.trim().parse::<u32>().ok())
    });
    let ts = numbers.next()??;
    let sizes: Option<Vec<u32>> = numbers.collect();
    let sizes = sizes?;
    (!sizes.is_empty()).then_some((ts, sizes))
}

/// A `<hotspot>`: a link (`linkedscene`, or `loadscene(…)` in `onclick`) or an info hotspot
/// (a text and/or an `openurl(…)`), with its catalog entry.
fn hotspot(
    job: &mut Job,
    what: &str,
    scene: &Read,
    node: Node,
    read: &[Read],
    catalog: &mut Vec<CatalogEntry>,
) -> Option<Hotspot> {
    let (Some(ath), Some(atv)) = (number(node, "ath"), number(node, "atv")) else {
        let kind = if node.children().any(|c| c.has_tag_name("point")) {
            "a polygonal hotspot"
        } else {
            "no ath / atv"
        };
        job.note(format!("{what}: {kind}: left out"));
        return None;
    };
    let onclick = node.attribute("onclick").unwrap_or("");
    let label = ["tooltip", "title", "text", "html"]
        .iter()
        .find_map(|a| node.attribute(*a).filter(|s| !s.trim().is_empty()));
    let linked = node
        .attribute("linkedscene")
        .filter(|s| !s.trim().is_empty())
        .map(str::to_string);
    let mut used = vec![
        "name",
        "ath",
        "atv",
        "linkedscene",
        "tooltip",
        "title",
        "text",
        "html",
    ];
    let target = match linked {
        Some(t) => Some(t),
        None => {
            let t = loadscene_target(onclick);
            if t.is_some() {
                used.push("onclick");
                job.note(format!(
                    "{what}: onclick=\"{onclick}\": only its loadscene target is used"
                ));
            }
            t
        }
    };
    let (yaw, pitch) = (ath as f32, angle(-atv));
    let h = if let Some(target) = target {
        let Some(t) = read.iter().find(|r| r.id.eq_ignore_ascii_case(&target)) else {
            job.note(format!(
                "{what}: links to scene \"{target}\", which was not imported: left out"
            ));
            return None;
        };
        let mut h = Hotspot::link(yaw, pitch, t.id.clone())
            .with_label(text(label.or(t.title.as_deref()).unwrap_or(&t.id)));
        if let Some(lookat) = node.attribute("linkedscene_lookat") {
            used.push("linkedscene_lookat");
            let parts: Vec<Option<f64>> = lookat
                .split(',')
                .map(|p| p.trim().parse::<f64>().ok().filter(|v| v.is_finite()))
                .collect();
            match parts.as_slice() {
                [Some(hh), Some(v), rest @ ..] => {
                    h = h.with_view(View {
                        fov: rest
                            .first()
                            .copied()
                            .flatten()
                            .map(|f| angle(t.fovtype.vertical(f))),
                        ..View::new(*hh as f32, angle(-v))
                    });
                }
                _ => job.note(format!(
                    "{what}: linkedscene_lookat=\"{lookat}\" is not \"h,v,fov\": ignored"
                )),
            }
        }
        h
    } else {
        let url = first_argument(onclick, "openurl(");
        if url.is_some() {
            used.push("onclick");
            job.note(format!(
                "{what}: onclick=\"{onclick}\": only its openurl URL is used"
            ));
        }
        if label.is_none() && url.is_none() {
            job.note(format!(
                "{what}: no linked scene, text or URL: left out{}",
                if onclick.is_empty() {
                    String::new()
                } else {
                    format!(" (onclick=\"{onclick}\")")
                }
            ));
            return None;
        }
        let title = label
            .map(str::to_string)
            .or_else(|| url.clone())
            .unwrap_or_default();
        let mut id = format!("{}-{}", scene.id, node.attribute("name").unwrap_or("info"));
        while catalog.iter().any(|e| e.id == id) {
            id.push('x');
        }
        let description = match &url {
            Some(u) => {
                job.note(format!(
                    "{what}: hotspot URL {u} kept in the description of catalog entry {id}"
                ));
                text(&format!("Link: {u}"))
            }
            None => Default::default(),
        };
        catalog.push(catalog_entry(id.clone(), &title, description));
        Hotspot::info(yaw, pitch, id).with_label(text(&title))
    };
    for a in node.attributes() {
        if !used.contains(&a.name()) {
            note_attr(job, what, a.name(), a.value());
        }
    }
    Some(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_actions() {
        assert_eq!(
            loadscene_target("loadscene(scene_a, null, MERGE, BLEND(1));").as_deref(),
            Some("scene_a")
        );
        assert_eq!(
            loadscene_target("skin_hidetooltips(); LoadScene('Hall');").as_deref(),
            Some("Hall")
        );
        assert_eq!(loadscene_target("loadscene(get(linkedscene), null);"), None);
        assert_eq!(loadscene_target("lookto(0,0);"), None);
        assert_eq!(
            first_argument("openurl('https://example.org/a',_blank);", "openurl(").as_deref(),
            Some("https://example.org/a")
        );
    }

    #[test]
    fn reads_multires_specs() {
        assert_eq!(
            multires_sizes("512,640,1280,2560"),
            Some((512, vec![640, 1280, 2560]))
        );
        assert_eq!(multires_sizes("512,1024x512"), Some((512, vec![1024])));
        assert_eq!(multires_sizes("512"), None);
        assert_eq!(multires_sizes("a,b"), None);
    }

    #[test]
    fn converts_fov_types() {
        assert_eq!(FovType::Vertical.vertical(80.0), 80.0);
        let m = FovType::Maximum(4.0 / 3.0).vertical(90.0);
        assert!((m - FovType::Horizontal.vertical(90.0)).abs() < 1e-12);
        assert!(FovType::Diagonal.vertical(90.0) < m);
    }
}
