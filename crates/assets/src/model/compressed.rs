//! Compressed glTF, decoded here in pure Rust (offline, the same natively and on the web):
//! `EXT_meshopt_compression` / `KHR_meshopt_compression` buffer views (meshoptimizer-rs) and
//! `KHR_draco_mesh_compression` primitives (draco-core). KTX2 / Basis Universal images
//! (`KHR_texture_basisu`) are transcoded in [`crate::image`].
//!
//! A meshopt view is decoded into a buffer of its own: at parse time the view is pointed at a new
//! buffer (index past the file's buffers) that [`decode_meshopt`] fills once the compressed
//! buffers are read, so the accessor reader sees plain data. A Draco primitive's accessors have
//! no bufferView; its decoded attributes are handed to the accessor cache in their place.

#[cfg(feature = "meshopt")]
use gltf::json::validation::USize64;
#[cfg(feature = "meshopt")]
use gltf::json::Root;
#[cfg(feature = "meshopt")]
use serde_json::Value;

#[cfg(feature = "meshopt")]
/// The two names of the meshopt extension (KHR adds vertex codec v1 and the COLOR filter).
pub const MESHOPT: [&str; 2] = ["EXT_meshopt_compression", "KHR_meshopt_compression"];
#[cfg(feature = "draco")]
/// The Draco extension.
pub const DRACO: &str = "KHR_draco_mesh_compression";

#[cfg(feature = "meshopt")]
/// A compressed buffer view: where its bytes are, and what they decode to.
#[derive(Debug, Clone, PartialEq)]
pub struct MeshoptView {
    /// The bufferView.
    pub view: usize,
    /// Buffer, offset and length of the compressed bytes.
    pub buffer: usize,
    pub offset: usize,
    pub length: usize,
    /// Elements and bytes per element once decoded.
    pub count: usize,
    pub stride: usize,
    /// `ATTRIBUTES`, `TRIANGLES` or `INDICES`.
    pub mode: String,
    /// `NONE`, `OCTAHEDRAL`, `QUATERNION`, `EXPONENTIAL` or (KHR) `COLOR`.
    pub filter: String,
    /// The buffer the decoded bytes go to.
    pub target: usize,
}

#[cfg(feature = "meshopt")]
/// The meshopt views of a file and the buffers that only stand in for them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meshopt {
    /// Views to decode, in the order of their target buffers.
    pub views: Vec<MeshoptView>,
    /// Buffers marked `fallback`: no data of their own is needed.
    pub fallback: Vec<usize>,
    /// Index of the first buffer made for decoded views (the file's buffer count).
    pub first_target: usize,
}

#[cfg(feature = "meshopt")]
impl Meshopt {
    /// True when buffer `i` is filled by decoding, or is a fallback that needs no data.
    pub fn produced(&self, i: usize) -> bool {
        i >= self.first_target || self.fallback.contains(&i)
    }
}

#[cfg(feature = "meshopt")]
fn ext(others: &serde_json::Map<String, Value>) -> Option<(&str, &Value)> {
    MESHOPT
        .iter()
        .find_map(|name| others.get(*name).map(|v| (*name, v)))
}

#[cfg(feature = "meshopt")]
fn field(v: &Value, at: &str, name: &str) -> Result<usize, String> {
    v.get(name)
        .and_then(Value::as_u64)
        .map(|n| n as usize)
        .ok_or_else(|| format!("{at}.{name}: missing or not a non-negative integer"))
}

#[cfg(feature = "meshopt")]
/// Extensions of a buffer or buffer view, as JSON.
pub type Extensions<'a> = Option<&'a serde_json::Map<String, Value>>;

#[cfg(feature = "meshopt")]
/// Finds the meshopt views of `root` and points each at a buffer of its own (appended to
/// `root.buffers`), so that the rest of the loader reads decoded data. `max_bytes` bounds the
/// decoded size of all views together.
pub fn meshopt_rewrite(root: &mut Root, max_bytes: u64) -> Result<Meshopt, String> {
    let out = meshopt_views(
        root.buffers
            .iter()
            .map(|b| (b.uri.is_some(), b.extensions.as_ref().map(|e| &e.others)))
            .collect(),
        root.buffer_views
            .iter()
            .map(|v| v.extensions.as_ref().map(|e| &e.others)),
        max_bytes,
    )?;
    for v in &out.views {
        let bytes = (v.count as u64).saturating_mul(v.stride as u64);
        root.buffers.push(gltf::json::Buffer {
            byte_length: USize64(bytes),
            name: None,
            uri: None,
            extensions: None,
            extras: Default::default(),
        });
        if let Some(view) = root.buffer_views.get_mut(v.view) {
            view.buffer = gltf::json::Index::new(v.target as u32);
            view.byte_offset = Some(USize64(0));
            view.byte_length = USize64(bytes);
        }
    }
    Ok(out)
}

#[cfg(feature = "meshopt")]
/// The meshopt views of a glTF, from each buffer's (has a `uri`, extensions) and each buffer
/// view's extensions: the view `i`-th found decodes to buffer `buffers.len() + i`. `max_bytes`
/// bounds the decoded size of all views together. Shared by the loader ([`meshopt_rewrite`]) and
/// the decoder module (`model::unpack`, on plain JSON).
pub fn meshopt_views<'a>(
    buffers: Vec<(bool, Extensions<'a>)>,
    views: impl Iterator<Item = Extensions<'a>>,
    max_bytes: u64,
) -> Result<Meshopt, String> {
    let first_target = buffers.len();
    let mut out = Meshopt {
        first_target,
        ..Default::default()
    };
    for (i, (has_uri, e)) in buffers.into_iter().enumerate() {
        let fallback = e
            .and_then(ext)
            .and_then(|(_, v)| v.get("fallback"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if fallback {
            if has_uri {
                // A fallback with data of its own is an ordinary buffer for us.
                continue;
            }
            out.fallback.push(i);
        }
    }
    let mut total: u64 = 0;
    for (i, e) in views.enumerate() {
        let Some((name, v)) = e.and_then(ext) else {
            continue;
        };
        let at = format!("bufferViews[{i}].extensions.{name}");
        let buffer = field(v, &at, "buffer")?;
        if buffer >= first_target {
            return Err(format!(
                "{at}.buffer: refers to buffers[{buffer}], which does not exist (the file has {first_target} buffers)"
            ));
        }
        let offset = v.get("byteOffset").and_then(Value::as_u64).unwrap_or(0) as usize;
        let length = field(v, &at, "byteLength")?;
        let stride = field(v, &at, "byteStride")?;
        let count = field(v, &at, "count")?;
        let mode = v
            .get("mode")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{at}.mode: missing"))?
            .to_string();
        let filter = v
            .get("filter")
            .and_then(Value::as_str)
            .unwrap_or("NONE")
            .to_string();
        let known_filter = match name {
            "KHR_meshopt_compression" => {
                matches!(
                    filter.as_str(),
                    "NONE" | "OCTAHEDRAL" | "QUATERNION" | "EXPONENTIAL" | "COLOR"
                )
            }
            _ => matches!(
                filter.as_str(),
                "NONE" | "OCTAHEDRAL" | "QUATERNION" | "EXPONENTIAL"
            ),
        };
        if !known_filter {
            return Err(format!("{at}.filter: unknown filter \"{filter}\""));
        }
        if !matches!(mode.as_str(), "ATTRIBUTES" | "TRIANGLES" | "INDICES") {
            return Err(format!("{at}.mode: unknown mode \"{mode}\""));
        }
        let bytes = (count as u64).saturating_mul(stride as u64);
        total = total.saturating_add(bytes);
        if total > max_bytes {
            return Err(format!(
                "{at}: decodes to {bytes} bytes; the model's compressed views would exceed the {} MiB geometry budget",
                max_bytes >> 20
            ));
        }
        let target = first_target + out.views.len();
        out.views.push(MeshoptView {
            view: i,
            buffer,
            offset,
            length,
            count,
            stride,
            mode,
            filter,
            target,
        });
    }
    Ok(out)
}

#[cfg(feature = "meshopt")]
/// Decodes one meshopt view from the file's buffers.
pub fn decode_meshopt(v: &MeshoptView, buffers: &[Vec<u8>]) -> Result<Vec<u8>, String> {
    use meshoptimizer_rs::codec as mc;
    let at = format!("bufferViews[{}]", v.view);
    let data = buffers
        .get(v.buffer)
        .ok_or_else(|| format!("{at}: buffers[{}] has no data", v.buffer))?;
    let src = v
        .offset
        .checked_add(v.length)
        .and_then(|end| data.get(v.offset..end))
        .ok_or_else(|| {
            format!(
                "{at}: compressed bytes {}..{} lie outside buffers[{}] ({} bytes)",
                v.offset,
                v.offset as u128 + v.length as u128,
                v.buffer,
                data.len()
            )
        })?;
    let mut ws = meshoptimizer_rs::Workspace::new(meshoptimizer_rs::Limits::default());
    let fail = |e: meshoptimizer_rs::Error| format!("{at}: the meshopt data does not decode ({e})");
    let mut out = match v.mode.as_str() {
        "ATTRIBUTES" => mc::decode_vertex_buffer(v.count, v.stride, src, &mut ws).map_err(fail)?,
        "TRIANGLES" => mc::decode_index_buffer(v.count, v.stride, src, &mut ws).map_err(fail)?,
        _ => mc::decode_index_sequence(v.count, v.stride, src, &mut ws).map_err(fail)?,
    };
    match v.filter.as_str() {
        "OCTAHEDRAL" => mc::decode_filter_oct(&mut out, v.count, v.stride, &mut ws),
        "QUATERNION" => mc::decode_filter_quat(&mut out, v.count, v.stride, &mut ws),
        "EXPONENTIAL" => mc::decode_filter_exp(&mut out, v.count, v.stride, &mut ws),
        "COLOR" => mc::decode_filter_color(&mut out, v.count, v.stride, &mut ws),
        _ => Ok(()),
    }
    .map_err(|e| format!("{at}: the {} filter fails ({e})", v.filter))?;
    Ok(out)
}

#[cfg(feature = "draco")]
/// A Draco primitive's decoded geometry: per glTF attribute name, its values flattened
/// (`components` per vertex), and the triangle indices.
#[derive(Debug, Default)]
pub struct DracoMesh {
    /// Vertices.
    pub points: usize,
    /// `(attribute name, values)`.
    pub attributes: Vec<(String, Vec<f32>)>,
    /// Three per triangle.
    pub indices: Vec<u32>,
}

/// What a Draco primitive's extension asks for: the buffer view of its stream, and per glTF
/// attribute it draws (name, Draco unique id, components) with that attribute's accessor.
#[cfg(feature = "draco")]
pub struct DracoRequest {
    /// `bufferView` of the compressed stream.
    pub view: usize,
    /// `(attribute name, Draco unique id, components)`, for [`decode_draco`].
    pub wanted: Vec<(String, u32, usize)>,
    /// The accessor of each attribute of `wanted`.
    pub accessors: Vec<usize>,
}

/// Reads a `KHR_draco_mesh_compression` extension `ext` (at JSON path `at`); `attribute(name)`
/// gives the accessor and component count of the primitive's attribute `name` (attributes the
/// primitive does not list are not drawn). Shared by the loader and the decoder module.
#[cfg(feature = "draco")]
pub fn draco_request(
    ext: &serde_json::Value,
    at: &str,
    attribute: impl Fn(&str) -> Option<(usize, usize)>,
) -> Result<DracoRequest, String> {
    use serde_json::Value;
    let view =
        ext.get("bufferView")
            .and_then(Value::as_u64)
            .ok_or_else(|| format!("{at}.bufferView: missing or not an index"))? as usize;
    let attributes = ext
        .get("attributes")
        .and_then(Value::as_object)
        .ok_or_else(|| format!("{at}.attributes: missing or not an object"))?;
    let mut out = DracoRequest {
        view,
        wanted: Vec::new(),
        accessors: Vec::new(),
    };
    for (name, id) in attributes {
        let id = id
            .as_u64()
            .and_then(|i| u32::try_from(i).ok())
            .ok_or_else(|| format!("{at}.attributes.{name}: not a Draco attribute id"))?;
        let Some((accessor, components)) = attribute(name) else {
            continue;
        };
        out.wanted.push((name.clone(), id, components));
        out.accessors.push(accessor);
    }
    Ok(out)
}

#[cfg(feature = "draco")]
/// Decodes the Draco stream `bytes` of a primitive; `wanted` lists each glTF attribute with its
/// Draco unique id and component count. `max_bytes` bounds the decoded size.
pub fn decode_draco(
    bytes: &[u8],
    wanted: &[(String, u32, usize)],
    at: &str,
    max_bytes: u64,
) -> Result<DracoMesh, String> {
    use draco_core::{DecoderBuffer, Mesh, MeshDecoder};
    let mut limits = draco_core::DecodeLimits::default();
    limits.max_decoded_bytes = max_bytes;
    let mut buffer = DecoderBuffer::new(bytes).with_limits(limits);
    let mut decoder = MeshDecoder::new();
    let mut mesh = Mesh::new();
    decoder
        .decode(&mut buffer, &mut mesh)
        .map_err(|e| format!("{at}: the Draco data does not decode ({e})"))?;
    let points = mesh.num_points();
    let mut out = DracoMesh {
        points,
        ..Default::default()
    };
    for (name, id, comps) in wanted {
        let attr = mesh.attribute_by_unique_id(*id).ok_or_else(|| {
            format!("{at}.attributes.{name}: the Draco data has no attribute {id}")
        })?;
        let mut values = attr.read_f32s(points, *comps);
        // Normalized integers (colours, some UVs) read as raw integers: scale them to 0..1.
        if attr.normalized() {
            if let Some(max) = integer_max(attr.data_type()) {
                values.iter_mut().for_each(|v| *v /= max);
            }
        }
        out.attributes.push((name.clone(), values));
    }
    out.indices = Vec::with_capacity(mesh.num_faces() * 3);
    for f in mesh.faces() {
        for p in f {
            if p.0 as usize >= points {
                return Err(format!(
                    "{at}: the Draco data has a face on point {} of {points}",
                    p.0
                ));
            }
            out.indices.push(p.0);
        }
    }
    Ok(out)
}

#[cfg(feature = "draco")]
fn integer_max(t: draco_core::DataType) -> Option<f32> {
    use draco_core::DataType as D;
    Some(match t {
        D::Uint8 => 255.0,
        D::Int8 => 127.0,
        D::Uint16 => 65535.0,
        D::Int16 => 32767.0,
        D::Uint32 => u32::MAX as f32,
        D::Int32 => i32::MAX as f32,
        _ => return None,
    })
}
