//! A compressed glTF made plain: one self-contained GLB whose geometry is decoded (meshopt views
//! and Draco primitives become ordinary accessors) and whose KTX2 / Basis Universal images are
//! PNG (or GPU blocks), so that any loader without the decoders reads it. The web engine gets its
//! compressed models this way from the lazily loaded decoder modules (`disan_meshopt`,
//! `disan_draco`, `disan_ktx2`, one a codec): each decodes what its build has
//! ([`Codec::built`]) and leaves the data of the others as it is, views and image URIs intact,
//! for the next module; external PNG and JPEG images keep their URIs.
//!
//! The file is handled as plain JSON (`serde_json::Value`), not as the glTF tree: a decoder
//! module then carries no glTF schema (the engine parses and checks the plain model it returns,
//! as any other), and everything read here is checked where it is used. The codecs, the buffer
//! sources and the size budgets are the loader's own.

use super::document::{buffer_data, trim_json};
use super::{glb, Codec};
use crate::uri::percent_decode;
use crate::AssetError;
use serde_json::{Map, Value};

/// The JSON object of a glTF and its GLB binary chunk.
struct Raw<'a> {
    root: Map<String, Value>,
    blob: Option<&'a [u8]>,
}

fn parse<'a>(bytes: &'a [u8], file: &str) -> Result<Raw<'a>, AssetError> {
    let err = |m: String| AssetError::gltf(file, m);
    let (json, blob) = if bytes.starts_with(glb::MAGIC) {
        let g = glb::parse(bytes).map_err(err)?;
        (g.json, g.bin)
    } else {
        (bytes, None)
    };
    match serde_json::from_slice(trim_json(json)) {
        Ok(Value::Object(root)) => Ok(Raw { root, blob }),
        Ok(_) => Err(err("the JSON is not an object".into())),
        Err(e) => Err(err(format!("not valid glTF JSON: {e}"))),
    }
}

/// The array `root[key]` (empty when absent).
fn list<'a>(root: &'a Map<String, Value>, key: &str) -> &'a [Value] {
    root.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The extension `name` of a JSON object.
fn extension<'a>(v: &'a Value, name: &str) -> Option<&'a Value> {
    v.get("extensions")?.get(name)
}

/// The extensions object of a JSON object, as the codecs read it.
#[cfg(feature = "meshopt")]
fn extensions(v: &Value) -> Option<&Map<String, Value>> {
    v.get("extensions")?.as_object()
}

fn index(v: Option<&Value>, at: &str) -> Result<usize, String> {
    v.and_then(Value::as_u64)
        .map(|n| n as usize)
        .ok_or_else(|| format!("{at}: missing or not an index"))
}

/// The file's meshopt views and the fallback buffers that only stand in for them (no data of
/// their own), as the loader finds them.
#[cfg(feature = "meshopt")]
fn meshopt(root: &Map<String, Value>) -> Result<super::compressed::Meshopt, String> {
    super::compressed::meshopt_views(
        list(root, "buffers")
            .iter()
            .map(|b| (b.get("uri").is_some(), extensions(b)))
            .collect(),
        list(root, "bufferViews").iter().map(extensions),
        super::MAX_GEOMETRY_BYTES,
    )
}

/// A build without meshopt decodes no views, so no buffer is a fallback to it.
#[cfg(not(feature = "meshopt"))]
#[derive(Default)]
struct NoMeshopt {
    fallback: Vec<usize>,
}

#[cfg(not(feature = "meshopt"))]
fn meshopt(_: &Map<String, Value>) -> Result<NoMeshopt, String> {
    Ok(NoMeshopt::default())
}

/// Paths (relative to the model, percent-decoded) of the files [`unpack`] reads for the glTF
/// `bytes` in this build: external buffers, and the external KTX2 images where it transcodes
/// them.
pub fn unpack_needs(bytes: &[u8], file: &str) -> Result<Vec<String>, AssetError> {
    let raw = parse(bytes, file)?;
    let fallback = meshopt(&raw.root)
        .map_err(|m| AssetError::gltf(file, m))?
        .fallback;
    let mut out = Vec::new();
    let mut external = |uri: Option<&Value>| {
        if let Some(u) = uri.and_then(Value::as_str) {
            if !u.starts_with("data:") {
                out.push(percent_decode(u));
            }
        }
    };
    for (i, b) in list(&raw.root, "buffers").iter().enumerate() {
        if !fallback.contains(&i) {
            external(b.get("uri"));
        }
    }
    if Codec::Ktx2.built() {
        let images = list(&raw.root, "images");
        for t in list(&raw.root, "textures") {
            let source = extension(t, "KHR_texture_basisu")
                .and_then(|e| e.get("source"))
                .and_then(Value::as_u64);
            if let Some(img) = source.and_then(|s| images.get(s as usize)) {
                external(img.get("uri"));
            }
        }
    }
    Ok(out)
}

/// The GLB's binary chunk being written.
#[derive(Default)]
struct Bin {
    data: Vec<u8>,
    /// Buffer views appended after the file's own.
    views: Vec<Value>,
    /// The file's view count.
    #[cfg_attr(not(any(feature = "draco", feature = "ktx2")), allow(dead_code))]
    first_view: usize,
}

impl Bin {
    /// Appends `bytes` at a 4-byte boundary; returns their offset.
    fn push(&mut self, bytes: &[u8]) -> usize {
        while !self.data.len().is_multiple_of(4) {
            self.data.push(0);
        }
        let at = self.data.len();
        self.data.extend_from_slice(bytes);
        at
    }

    /// Appends `bytes` as a new buffer view; returns its index.
    #[cfg(any(feature = "draco", feature = "ktx2"))]
    fn view(&mut self, bytes: &[u8]) -> usize {
        let at = self.push(bytes);
        self.views.push(serde_json::json!({
            "buffer": 0, "byteOffset": at, "byteLength": bytes.len()
        }));
        self.first_view + self.views.len() - 1
    }

    /// The bytes of buffer view `i` of the file (already moved into this chunk).
    #[cfg(any(feature = "draco", feature = "ktx2"))]
    fn view_bytes(&self, views: &[Value], i: usize, at: &str) -> Result<Vec<u8>, String> {
        let v = views
            .get(i)
            .ok_or_else(|| format!("{at}: refers to bufferViews[{i}], which does not exist"))?;
        let start = v.get("byteOffset").and_then(Value::as_u64).unwrap_or(0) as usize;
        let len = index(v.get("byteLength"), &format!("bufferViews[{i}].byteLength"))?;
        start
            .checked_add(len)
            .and_then(|end| self.data.get(start..end))
            .map(<[u8]>::to_vec)
            .ok_or_else(|| format!("bufferViews[{i}]: lies outside its buffer"))
    }
}

/// Makes the compressed glTF `bytes` (named `file`) plain as far as this build decodes
/// ([`Codec::built`]); `read` gives the files it names (paths relative to it). Returns the GLB.
/// KTX2 textures become PNG, or, for a GPU that samples the block format `block`, that format's
/// blocks with their mip chain ([`crate::image::BLOCKS_MIME`]) where the texture suits it.
pub fn unpack(
    bytes: &[u8],
    file: &str,
    read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
    block: Option<crate::image::BlockFormat>,
) -> Result<Vec<u8>, AssetError> {
    let err = |m: String| AssetError::gltf(file, m);
    let Raw { mut root, blob } = parse(bytes, file)?;

    // Every buffer into the one binary chunk (fallbacks have no data).
    let meshopt = meshopt(&root).map_err(err)?;
    let fallback = &meshopt.fallback;
    let mut buffers = Vec::new();
    for (i, b) in list(&root, "buffers").iter().enumerate() {
        if fallback.contains(&i) {
            buffers.push(Vec::new());
            continue;
        }
        let length =
            index(b.get("byteLength"), &format!("buffers[{i}].byteLength")).map_err(err)?;
        let uri = match b.get("uri") {
            None => None,
            Some(u) => Some(
                u.as_str()
                    .ok_or_else(|| err(format!("buffers[{i}].uri: not a string")))?,
            ),
        };
        buffers.push(buffer_data(file, i, uri, length, blob, || {
            read(&percent_decode(uri.unwrap_or_default()))
        })?);
    }
    let mut bin = Bin {
        first_view: list(&root, "bufferViews").len(),
        ..Default::default()
    };
    let base: Vec<usize> = buffers.iter().map(|b| bin.push(b)).collect();

    let mut views = match root.remove("bufferViews") {
        Some(Value::Array(v)) => v,
        None => Vec::new(),
        Some(_) => return Err(err("bufferViews: not an array".into())),
    };
    for (i, view) in views.iter_mut().enumerate() {
        let at = format!("bufferViews[{i}]");
        let b = index(view.get("buffer"), &format!("{at}.buffer")).map_err(err)?;
        let data = buffers.get(b).ok_or_else(|| {
            err(format!(
                "{at}.buffer: refers to buffers[{b}], which does not exist (the file has {} buffers)",
                buffers.len()
            ))
        })?;
        let offset = view.get("byteOffset").and_then(Value::as_u64).unwrap_or(0) as usize;
        let len = index(view.get("byteLength"), &format!("{at}.byteLength")).map_err(err)?;
        if !fallback.contains(&b) && offset.checked_add(len).is_none_or(|end| end > data.len()) {
            return Err(err(format!(
                "{at}: bytes {offset}..{} lie outside buffers[{b}] ({} bytes)",
                offset as u128 + len as u128,
                data.len()
            )));
        }
        if let Some(o) = view.as_object_mut() {
            o.insert("buffer".into(), 0.into());
            o.insert("byteOffset".into(), (base[b] + offset).into());
        }
    }
    #[cfg(feature = "meshopt")]
    for v in &meshopt.views {
        let decoded = super::compressed::decode_meshopt(v, &buffers).map_err(err)?;
        let at = bin.push(&decoded);
        if let Some(o) = views.get_mut(v.view).and_then(Value::as_object_mut) {
            o.insert("buffer".into(), 0.into());
            o.insert("byteOffset".into(), at.into());
            o.insert("byteLength".into(), decoded.len().into());
            if let Some(e) = o.get_mut("extensions").and_then(Value::as_object_mut) {
                for name in Codec::Meshopt.extensions() {
                    e.remove(*name);
                }
            }
        }
    }
    drop(buffers);

    #[cfg(feature = "draco")]
    draco(&mut root, &views, &mut bin).map_err(err)?;
    #[cfg(feature = "ktx2")]
    ktx2(&mut root, &views, &mut bin, file, read, block)?;
    #[cfg(not(feature = "ktx2"))]
    let _ = block;

    views.append(&mut bin.views);
    root.insert("bufferViews".into(), Value::Array(views));
    root.insert(
        "buffers".into(),
        serde_json::json!([{ "byteLength": bin.data.len() }]),
    );
    // The extensions decoded here are gone; those of codecs this build lacks stay, for the next
    // decoder module.
    for key in ["extensionsUsed", "extensionsRequired"] {
        if let Some(list) = root.get_mut(key).and_then(Value::as_array_mut) {
            list.retain(|e| {
                !e.as_str()
                    .and_then(Codec::of_extension)
                    .is_some_and(Codec::built)
            });
        }
    }
    let text = serde_json::to_vec(&Value::Object(root))
        .map_err(|e| err(format!("cannot write the JSON: {e}")))?;
    Ok(glb::pack(&text, &bin.data))
}

/// Draco primitives: their attributes and indices become accessors with data, decoded within
/// the geometry budget of the whole model.
#[cfg(feature = "draco")]
fn draco(root: &mut Map<String, Value>, views: &[Value], bin: &mut Bin) -> Result<(), String> {
    use super::compressed::{self, DRACO};
    let mut budget = super::MAX_GEOMETRY_BYTES;
    let mut meshes = root.remove("meshes").unwrap_or(Value::Null);
    let mut accessors = root.remove("accessors").unwrap_or(Value::Null);
    let result: Result<(), String> = (|| {
        let meshes = meshes.as_array_mut().map_or(&mut [][..], Vec::as_mut_slice);
        let accessors = accessors
            .as_array_mut()
            .map_or(&mut [][..], Vec::as_mut_slice);
        for (m, mesh) in meshes.iter_mut().enumerate() {
            let prims = mesh
                .get_mut("primitives")
                .and_then(Value::as_array_mut)
                .map_or(&mut [][..], Vec::as_mut_slice);
            for (p, prim) in prims.iter_mut().enumerate() {
                let Some(ext) = extension(prim, DRACO).cloned() else {
                    continue;
                };
                let at = format!("meshes[{m}].primitives[{p}].extensions.{DRACO}");
                let attributes = prim.get("attributes").cloned().unwrap_or(Value::Null);
                let req = compressed::draco_request(&ext, &at, |name| {
                    let a = attributes.get(name)?.as_u64()? as usize;
                    let components = match accessors.get(a)?.get("type")?.as_str()? {
                        "SCALAR" => 1,
                        "VEC2" => 2,
                        "VEC3" => 3,
                        "VEC4" => 4,
                        _ => return None,
                    };
                    Some((a, components))
                })?;
                let indices = index(
                    prim.get("indices"),
                    &format!("meshes[{m}].primitives[{p}].indices"),
                )?;
                let stream = bin.view_bytes(views, req.view, &format!("{at}.bufferView"))?;
                let mesh = compressed::decode_draco(&stream, &req.wanted, &at, budget)?;
                let size = mesh
                    .attributes
                    .iter()
                    .map(|(_, v)| v.len() * 4)
                    .sum::<usize>()
                    + mesh.indices.len() * 4;
                budget = budget.saturating_sub(size as u64);
                let missing =
                    |a: usize| format!("{at}: refers to accessors[{a}], which does not exist");
                for ((name, values), a) in mesh.attributes.iter().zip(&req.accessors) {
                    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
                    let view = bin.view(&bytes);
                    let acc = accessors
                        .get_mut(*a)
                        .and_then(Value::as_object_mut)
                        .ok_or_else(|| missing(*a))?;
                    acc.insert("bufferView".into(), view.into());
                    acc.insert("count".into(), mesh.points.into());
                    acc.insert("componentType".into(), 5126.into()); // FLOAT
                    for key in ["byteOffset", "normalized", "sparse"] {
                        acc.remove(key);
                    }
                    if name == "POSITION" {
                        let mut lo = [f32::INFINITY; 3];
                        let mut hi = [f32::NEG_INFINITY; 3];
                        for c in values.chunks_exact(3) {
                            for k in 0..3 {
                                lo[k] = lo[k].min(c[k]);
                                hi[k] = hi[k].max(c[k]);
                            }
                        }
                        acc.insert("min".into(), serde_json::json!(lo));
                        acc.insert("max".into(), serde_json::json!(hi));
                    }
                }
                let bytes: Vec<u8> = mesh.indices.iter().flat_map(|i| i.to_le_bytes()).collect();
                let view = bin.view(&bytes);
                let acc = accessors
                    .get_mut(indices)
                    .and_then(Value::as_object_mut)
                    .ok_or_else(|| missing(indices))?;
                acc.insert("bufferView".into(), view.into());
                acc.insert("count".into(), mesh.indices.len().into());
                acc.insert("componentType".into(), 5125.into()); // UNSIGNED_INT
                acc.insert("type".into(), "SCALAR".into());
                for key in ["byteOffset", "sparse"] {
                    acc.remove(key);
                }
                if let Some(e) = prim.get_mut("extensions").and_then(Value::as_object_mut) {
                    e.remove(DRACO);
                }
            }
        }
        Ok(())
    })();
    if !meshes.is_null() {
        root.insert("meshes".into(), meshes);
    }
    if !accessors.is_null() {
        root.insert("accessors".into(), accessors);
    }
    result
}

/// KTX2 textures: transcoded once per image, within the model's texture budget, written as PNG
/// (or this GPU's blocks) in the binary chunk.
#[cfg(feature = "ktx2")]
fn ktx2(
    root: &mut Map<String, Value>,
    views: &[Value],
    bin: &mut Bin,
    file: &str,
    read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
    block: Option<crate::image::BlockFormat>,
) -> Result<(), AssetError> {
    let err = |m: String| AssetError::gltf(file, m);
    let mut images = root.remove("images").unwrap_or(Value::Null);
    let mut textures = root.remove("textures").unwrap_or(Value::Null);
    let mut budget = super::MAX_TEXTURE_BYTES;
    let result: Result<(), AssetError> = (|| {
        let images = images.as_array_mut().map_or(&mut [][..], Vec::as_mut_slice);
        let textures = textures
            .as_array_mut()
            .map_or(&mut [][..], Vec::as_mut_slice);
        let mut done = Vec::new();
        for (t, tex) in textures.iter_mut().enumerate() {
            let at = format!("textures[{t}].extensions.KHR_texture_basisu.source");
            let Some(ext) = extension(tex, "KHR_texture_basisu") else {
                continue;
            };
            let s = index(ext.get("source"), &at).map_err(err)?;
            let count = images.len();
            let img = images.get_mut(s).ok_or_else(|| {
                err(format!(
                    "{at}: refers to images[{s}], which does not exist (the file has {count} images)"
                ))
            })?;
            if !done.contains(&s) {
                done.push(s);
                let uri = img.get("uri").and_then(Value::as_str).map(str::to_string);
                let (label, encoded) = match (&uri, img.get("bufferView")) {
                    (Some(u), _) => match crate::uri::decode_data_uri(u) {
                        Some(Ok((_, bytes))) => (format!("images[{s}] (data URI)"), bytes),
                        Some(Err(e)) => return Err(err(format!("images[{s}].uri: {e}"))),
                        None => {
                            let path = percent_decode(u);
                            let bytes = read(&path).map_err(|message| AssetError::Missing {
                                file: file.to_string(),
                                at: format!("images[{s}].uri"),
                                uri: path.clone(),
                                message,
                            })?;
                            (path, bytes)
                        }
                    },
                    (None, v) => {
                        let v = index(v, &format!("images[{s}].bufferView")).map_err(err)?;
                        let bytes = bin
                            .view_bytes(views, v, &format!("images[{s}].bufferView"))
                            .map_err(err)?;
                        (format!("bufferViews[{v}]"), bytes)
                    }
                };
                let blocks = match block {
                    Some(f) => crate::image::transcode_ktx2(&encoded, &label, f)?,
                    None => None,
                };
                let (data, mime, size) = match blocks {
                    Some(c) => {
                        let size = c.levels.iter().map(|l| l.len() as u64).sum::<u64>();
                        (
                            crate::image::encode_blocks(&c),
                            crate::image::BLOCKS_MIME,
                            size,
                        )
                    }
                    None => {
                        let rgba = crate::image::decode_ktx2(&encoded, &label)?;
                        let size = rgba.pixels.len() as u64;
                        (png(&rgba, &label)?, "image/png", size)
                    }
                };
                budget = budget.checked_sub(size).ok_or_else(|| {
                    err(format!(
                        "images[{s}] ({label}): the model's textures would exceed the {} MiB texture budget",
                        super::MAX_TEXTURE_BYTES >> 20
                    ))
                })?;
                let view = bin.view(&data);
                if let Some(o) = img.as_object_mut() {
                    o.remove("uri");
                    o.insert("bufferView".into(), view.into());
                    o.insert("mimeType".into(), mime.into());
                }
            }
            if let Some(o) = tex.as_object_mut() {
                o.insert("source".into(), s.into());
                if let Some(e) = o.get_mut("extensions").and_then(Value::as_object_mut) {
                    e.remove("KHR_texture_basisu");
                }
            }
        }
        Ok(())
    })();
    if !images.is_null() {
        root.insert("images".into(), images);
    }
    if !textures.is_null() {
        root.insert("textures".into(), textures);
    }
    result
}

/// Encodes RGBA8 pixels as a PNG (fast compression: the file is only handed to the next loader).
#[cfg(feature = "ktx2")]
fn png(img: &crate::RgbaImage, file: &str) -> Result<Vec<u8>, AssetError> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, img.width, img.height);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fastest);
    let fail = |e: png::EncodingError| AssetError::Image {
        file: file.into(),
        message: format!("cannot write the transcoded texture as PNG: {e}"),
    };
    let mut w = enc.write_header().map_err(fail)?;
    w.write_image_data(&img.pixels).map_err(fail)?;
    w.finish().map_err(fail)?;
    Ok(out)
}
