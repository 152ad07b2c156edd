//! Checks on the parsed glTF JSON before any data is read: asset version, extensions, the gltf
//! crate's reference validation (with readable messages), the node hierarchy, primitive attribute
//! counts and formats, cameras and texture sources. Messages start with the JSON path.

use super::{supported_extension, MAX_NODES};
use gltf::json::accessor::{ComponentType, Type};
use gltf::json::mesh::Semantic;
use gltf::json::validation::{Checked, Error as VError, Validate};
use gltf::json::{Path, Root};
use serde_json::Value;

/// True when a version string's major version is 2 (`"2.0"`, `"2.1"`).
pub fn major_is_2(v: &str) -> bool {
    v.trim().split('.').next() == Some("2")
}

/// `asset.version` must have major version 2.
pub fn asset_version(root: &Root) -> Result<(), String> {
    let v = root.asset.version.trim();
    if !major_is_2(v) {
        return Err(format!(
            "asset.version is \"{v}\"; only glTF 2.x is supported"
        ));
    }
    Ok(())
}

/// Every required extension must be listed in `extensionsUsed` and supported by Disan.
pub fn extensions(root: &Root) -> Result<(), String> {
    for (i, ext) in root.extensions_required.iter().enumerate() {
        if !root.extensions_used.contains(ext) {
            return Err(format!(
                "extensionsRequired[{i}]: \"{ext}\" is required but not listed in extensionsUsed"
            ));
        }
        if super::Codec::of_extension(ext).is_some() && !supported_extension(ext) {
            return Err(format!(
                "extensionsRequired[{i}]: requires extension {ext}; this build of Disan has no decoder for it"
            ));
        }
        if !supported_extension(ext) {
            return Err(format!(
                "extensionsRequired[{i}]: requires extension {ext}, which Disan does not support"
            ));
        }
    }
    Ok(())
}

fn missing_ref(path: &str, what: &str, index: usize, len: usize) -> String {
    format!("{path}: refers to {what}[{index}], which does not exist (the file has {len} {what})")
}

/// References the gltf crate's own validation would index without checking (it indexes
/// `accessors[POSITION]` directly), checked first.
pub fn attribute_references(root: &Root) -> Result<(), String> {
    let n = root.accessors.len();
    for (m, mesh) in root.meshes.iter().enumerate() {
        for (p, prim) in mesh.primitives.iter().enumerate() {
            for (sem, acc) in &prim.attributes {
                if acc.value() >= n {
                    let path =
                        format!("meshes[{m}].primitives[{p}].attributes.{}", sem.to_string());
                    return Err(missing_ref(&path, "accessors", acc.value(), n));
                }
            }
        }
    }
    Ok(())
}

/// `a["b"]` → `a.b`, the style of the rest of our messages.
fn tidy_path(p: &str) -> String {
    p.replace("[\"", ".").replace("\"]", "")
}

/// Path segments: field names and array indices.
enum Seg {
    Field(String),
    Index(usize),
}

fn segments(path: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let mut rest = part;
        if let Some(b) = rest.find('[') {
            if b > 0 {
                out.push(Seg::Field(rest[..b].to_string()));
            }
            rest = &rest[b..];
            while let Some(inner) = rest.strip_prefix('[') {
                let Some(e) = inner.find(']') else { break };
                if let Ok(i) = inner[..e].parse() {
                    out.push(Seg::Index(i));
                }
                rest = &inner[e + 1..];
            }
        } else if !rest.is_empty() {
            out.push(Seg::Field(rest.to_string()));
        }
    }
    out
}

fn lookup<'v>(root: &'v Value, segs: &[Seg]) -> Option<&'v Value> {
    let mut v = root;
    for s in segs {
        v = match s {
            Seg::Field(f) => v.get(f)?,
            Seg::Index(i) => v.get(*i)?,
        };
    }
    Some(v)
}

/// The top-level array a reference field points into.
fn target_of(segs: &[Seg]) -> Option<&'static str> {
    let last_field = segs.iter().rev().find_map(|s| match s {
        Seg::Field(f) => Some(f.as_str()),
        Seg::Index(_) => None,
    })?;
    let in_attributes = segs
        .iter()
        .rev()
        .nth(1)
        .is_some_and(|s| matches!(s, Seg::Field(f) if f == "attributes"));
    if in_attributes {
        return Some("accessors");
    }
    let in_animation = matches!(segs.first(), Some(Seg::Field(f)) if f == "animations");
    Some(match last_field {
        "bufferView" => "bufferViews",
        "buffer" => "buffers",
        "indices" | "input" | "output" | "inverseBindMatrices" => "accessors",
        "index" => "textures",
        "source" => "images",
        "sampler" if in_animation => "samplers of this animation",
        "sampler" => "samplers",
        "scene" => "scenes",
        "nodes" | "children" | "joints" | "skeleton" | "node" => "nodes",
        "mesh" => "meshes",
        "skin" => "skins",
        "camera" => "cameras",
        "material" => "materials",
        _ => return None,
    })
}

/// `accessors[N].bufferView` exactly.
fn is_accessor_buffer_view(p: &str) -> bool {
    p.strip_prefix("accessors[")
        .and_then(|r| r.strip_suffix("].bufferView"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Runs the gltf crate's validation (references, enums, required fields) and turns its findings
/// into messages with JSON paths and the offending values. Two findings are not errors for us:
/// extensions it does not know (we check those ourselves) and accessors without a bufferView
/// (the spec allows them: their data is zeros).
pub fn validate(root: &Root, json: &[u8]) -> Result<(), String> {
    let mut found: Vec<(String, VError)> = Vec::new();
    root.validate(root, Path::new, &mut |path, err| {
        let p = path().as_str().to_string();
        let skip = (err == VError::Unsupported && p.starts_with("extensionsRequired"))
            || (err == VError::Missing && is_accessor_buffer_view(&p));
        if !skip {
            found.push((p, err));
        }
    });
    if found.is_empty() {
        return Ok(());
    }
    let value: Value = serde_json::from_slice(json).unwrap_or(Value::Null);
    let total = found.len();
    let mut parts: Vec<String> = found
        .iter()
        .take(4)
        .map(|(p, err)| {
            let path = tidy_path(p);
            let segs = segments(&path);
            let v = lookup(&value, &segs);
            match err {
                VError::IndexOutOfBounds => match (v.and_then(Value::as_u64), target_of(&segs)) {
                    (Some(i), Some(what)) => {
                        let len = value
                            .get(what)
                            .and_then(Value::as_array)
                            .map(Vec::len)
                            .unwrap_or(0);
                        if what.contains(' ') {
                            format!("{path}: refers to {what} [{i}], which does not exist")
                        } else {
                            missing_ref(&path, what, i as usize, len)
                        }
                    }
                    _ => format!("{path}: unresolved reference"),
                },
                VError::Invalid => match v {
                    Some(v) => format!("{path}: invalid value {v}"),
                    None => format!("{path}: invalid value"),
                },
                VError::Missing => format!("{path}: required but missing"),
                VError::Oversize => format!("{path}: value too large"),
                VError::Unsupported => format!("{path}: not supported"),
            }
        })
        .collect();
    if total > parts.len() {
        parts.push(format!("and {} more problems", total - parts.len()));
    }
    Err(parts.join("; "))
}

/// At most [`MAX_NODES`] nodes.
pub fn node_limit(n: usize) -> Result<(), String> {
    if n > MAX_NODES {
        return Err(format!(
            "nodes: the file has {n} nodes, more than the {MAX_NODES} a model may have"
        ));
    }
    Ok(())
}

/// At most [`MAX_NODES`] nodes, each with at most one parent, the hierarchy has no cycles, and
/// scenes list only roots.
pub fn nodes(root: &Root) -> Result<(), String> {
    let n = root.nodes.len();
    node_limit(n)?;
    let mut parent: Vec<Option<usize>> = vec![None; n];
    for (i, node) in root.nodes.iter().enumerate() {
        for (k, c) in node.children.iter().flatten().enumerate() {
            let c = c.value();
            if c >= n {
                return Err(missing_ref(
                    &format!("nodes[{i}].children[{k}]"),
                    "nodes",
                    c,
                    n,
                ));
            }
            if c == i {
                return Err(format!(
                    "nodes[{i}].children[{k}]: nodes[{i}] is its own child (the node hierarchy has a cycle)"
                ));
            }
            if let Some(p) = parent[c] {
                return Err(format!(
                    "nodes[{i}].children[{k}]: nodes[{c}] already has parent nodes[{p}]; a node can have only one parent"
                ));
            }
            parent[c] = Some(i);
        }
    }
    // With one parent each, a cycle is a parent chain that comes back to itself.
    // state: 0 = unvisited, 1 = on the current chain, 2 = known to reach a root.
    let mut state = vec![0u8; n];
    for start in 0..n {
        let mut chain = Vec::new();
        let mut at = Some(start);
        while let Some(i) = at {
            match state[i] {
                2 => break,
                1 => {
                    return Err(format!(
                    "nodes[{i}]: the node hierarchy has a cycle (nodes[{i}] is its own ancestor)"
                ))
                }
                _ => {
                    state[i] = 1;
                    chain.push(i);
                    at = parent[i];
                }
            }
        }
        for i in chain {
            state[i] = 2;
        }
    }
    for (s, scene) in root.scenes.iter().enumerate() {
        for (k, node) in scene.nodes.iter().enumerate() {
            if let Some(p) = parent.get(node.value()).copied().flatten() {
                return Err(format!(
                    "scenes[{s}].nodes[{k}]: nodes[{}] is a child of nodes[{p}], not a root node",
                    node.value()
                ));
            }
        }
    }
    Ok(())
}

fn type_name(t: ComponentType) -> &'static str {
    match t {
        ComponentType::I8 => "BYTE",
        ComponentType::U8 => "UNSIGNED_BYTE",
        ComponentType::I16 => "SHORT",
        ComponentType::U16 => "UNSIGNED_SHORT",
        ComponentType::U32 => "UNSIGNED_INT",
        ComponentType::F32 => "FLOAT",
    }
}

fn shape_name(t: Type) -> &'static str {
    match t {
        Type::Scalar => "SCALAR",
        Type::Vec2 => "VEC2",
        Type::Vec3 => "VEC3",
        Type::Vec4 => "VEC4",
        Type::Mat2 => "MAT2",
        Type::Mat3 => "MAT3",
        Type::Mat4 => "MAT4",
    }
}

/// Primitive attributes: equal counts, the right types for what Disan reads, and index accessors
/// of an unsigned integer type.
pub fn primitives(root: &Root) -> Result<(), String> {
    let acc = |i: usize| root.accessors.get(i);
    let format = |i: usize| -> Option<(ComponentType, Type, bool, u64)> {
        let a = acc(i)?;
        match (&a.component_type, &a.type_) {
            (Checked::Valid(c), Checked::Valid(t)) => Some((c.0, *t, a.normalized, a.count.0)),
            _ => None,
        }
    };
    for (m, mesh) in root.meshes.iter().enumerate() {
        for (p, prim) in mesh.primitives.iter().enumerate() {
            let at = format!("meshes[{m}].primitives[{p}]");
            let pos = prim
                .attributes
                .get(&Checked::Valid(Semantic::Positions))
                .map(|i| i.value());
            let pos_count = pos.and_then(format).map(|f| f.3);
            for (sem, index) in &prim.attributes {
                let i = index.value();
                let name = sem.to_string();
                let Some((ctype, shape, normalized, count)) = format(i) else {
                    continue;
                };
                if let Some(pc) = pos_count {
                    if count != pc {
                        return Err(format!(
                            "{at}.attributes.{name}: accessors[{i}] has {count} elements but POSITION has {pc}; all attributes of a primitive must have the same count"
                        ));
                    }
                }
                let Checked::Valid(sem) = sem else { continue };
                let want: &[Type] = match sem {
                    Semantic::Positions | Semantic::Normals => &[Type::Vec3],
                    Semantic::Tangents => &[Type::Vec4],
                    Semantic::TexCoords(_) => &[Type::Vec2],
                    Semantic::Colors(_) => &[Type::Vec3, Type::Vec4],
                    _ => continue,
                };
                if !want.contains(&shape) {
                    let names: Vec<&str> = want.iter().map(|t| shape_name(*t)).collect();
                    return Err(format!(
                        "{at}.attributes.{name}: accessors[{i}] is {}, must be {}",
                        shape_name(shape),
                        names.join(" or ")
                    ));
                }
                if matches!(sem, Semantic::Colors(_))
                    && !(ctype == ComponentType::F32
                        || (normalized && matches!(ctype, ComponentType::U8 | ComponentType::U16)))
                {
                    return Err(format!(
                        "{at}.attributes.{name}: accessors[{i}] is {}{}; colours must be FLOAT or normalized UNSIGNED_BYTE / UNSIGNED_SHORT",
                        if normalized { "normalized " } else { "" },
                        type_name(ctype)
                    ));
                }
            }
            if let Some(ind) = prim.indices {
                let i = ind.value();
                if let Some((ctype, shape, _, _)) = format(i) {
                    let ok_type = matches!(
                        ctype,
                        ComponentType::U8 | ComponentType::U16 | ComponentType::U32
                    );
                    if !ok_type || shape != Type::Scalar {
                        return Err(format!(
                            "{at}.indices: accessors[{i}] is {{{}, {}}}; indices must be SCALAR UNSIGNED_BYTE, UNSIGNED_SHORT or UNSIGNED_INT",
                            shape_name(shape),
                            type_name(ctype)
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// A camera's `type` must have its matching object (the gltf crate assumes it).
pub fn cameras(root: &Root) -> Result<(), String> {
    use gltf::json::camera::Type as CamType;
    for (i, c) in root.cameras.iter().enumerate() {
        match c.type_ {
            Checked::Valid(CamType::Perspective) if c.perspective.is_none() => {
                return Err(format!(
                    "cameras[{i}]: type is \"perspective\" but there is no perspective object"
                ))
            }
            Checked::Valid(CamType::Orthographic) if c.orthographic.is_none() => {
                return Err(format!(
                    "cameras[{i}]: type is \"orthographic\" but there is no orthographic object"
                ))
            }
            _ => {}
        }
    }
    Ok(())
}

/// Each image has exactly one of `uri` and `bufferView`, and a `mimeType` with a bufferView (the
/// gltf crate assumes both).
pub fn images(root: &Root) -> Result<(), String> {
    for (i, img) in root.images.iter().enumerate() {
        match (&img.uri, &img.buffer_view) {
            (None, None) => return Err(format!("images[{i}]: has neither a uri nor a bufferView")),
            (Some(_), Some(_)) => {
                return Err(format!(
                    "images[{i}]: has both a uri and a bufferView; only one is allowed"
                ))
            }
            (None, Some(_)) if img.mime_type.is_none() => {
                return Err(format!(
                    "images[{i}].mimeType: required when the image is in a bufferView"
                ))
            }
            _ => {}
        }
    }
    Ok(())
}

/// The image of texture `i`: `EXT_texture_webp.source` when present, else `source`.
pub fn texture_source(root: &Root, i: usize) -> Result<Option<usize>, String> {
    let Some(t) = root.textures.get(i) else {
        return Ok(None);
    };
    // An image in a format of an extension first (KTX2 only where this build transcodes it).
    let mut names = vec!["EXT_texture_webp"];
    if cfg!(feature = "ktx2") {
        names.insert(0, "KHR_texture_basisu");
    }
    let found = names.iter().find_map(|name| {
        t.extensions
            .as_ref()
            .and_then(|e| e.others.get(*name))
            .map(|v| (*name, v))
    });
    if let Some((name, ext)) = found {
        let src = ext.get("source").and_then(Value::as_u64);
        return match src {
            Some(s) if (s as usize) < root.images.len() => Ok(Some(s as usize)),
            Some(s) => Err(missing_ref(
                &format!("textures[{i}].extensions.{name}.source"),
                "images",
                s as usize,
                root.images.len(),
            )),
            None => Err(format!(
                "textures[{i}].extensions.{name}.source: missing or not an index"
            )),
        };
    }
    let s = t.source.value();
    Ok((s != u32::MAX as usize).then_some(s))
}

/// Every texture has an image Disan can use.
pub fn textures(root: &Root) -> Result<(), String> {
    for i in 0..root.textures.len() {
        if texture_source(root, i)?.is_none() {
            return Err(format!(
                "textures[{i}]: has no source image (nor an EXT_texture_webp source)"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments() {
        let s = segments("meshes[0].primitives[12].attributes.POSITION");
        assert_eq!(s.len(), 6);
        assert_eq!(target_of(&s), Some("accessors"));
        assert_eq!(target_of(&segments("nodes[3].children[1]")), Some("nodes"));
        assert_eq!(
            target_of(&segments("animations[0].channels[1].sampler")),
            Some("samplers of this animation")
        );
        assert_eq!(tidy_path("a[\"POSITION\"]"), "a.POSITION");
    }
}
