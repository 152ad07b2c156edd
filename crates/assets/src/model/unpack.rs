//! A compressed glTF made plain: one self-contained GLB whose geometry is decoded (meshopt views
//! and Draco primitives become ordinary accessors) and whose KTX2 / Basis Universal images are
//! PNG, so that any loader without the decoders reads it. The web engine gets its compressed
//! models this way from the lazily loaded decoder module (`disan_decoders`); external PNG and
//! JPEG images keep their URIs.

use super::compressed::{self, DRACO};
use super::load::read_buffers;
use super::{Document, COMPRESSED_EXTENSIONS};
use crate::AssetError;
use gltf::json::accessor::{ComponentType, GenericComponentType, Type};
use gltf::json::validation::{Checked, USize64};
use gltf::json::{self as json, Index};
use serde_json::Value;
use std::collections::HashSet;

/// The GLB's binary chunk being written.
#[derive(Default)]
struct Bin {
    data: Vec<u8>,
    views: Vec<json::buffer::View>,
}

impl Bin {
    /// Appends `bytes` (4-byte aligned) as a new buffer view; returns its index.
    fn view(&mut self, bytes: &[u8], first_view: usize) -> Index<json::buffer::View> {
        while !self.data.len().is_multiple_of(4) {
            self.data.push(0);
        }
        let offset = self.data.len();
        self.data.extend_from_slice(bytes);
        self.views.push(json::buffer::View {
            buffer: Index::new(0),
            byte_length: USize64(bytes.len() as u64),
            byte_offset: Some(USize64(offset as u64)),
            byte_stride: None,
            name: None,
            target: None,
            extensions: None,
            extras: Default::default(),
        });
        Index::new((first_view + self.views.len() - 1) as u32)
    }
}

fn f32_bytes(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// Encodes RGBA8 pixels as a PNG (fast compression: the file is only handed to the next loader).
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

/// Makes the compressed glTF `bytes` (named `file`) plain; `read` gives the files it names
/// (paths relative to it). Returns the GLB. KTX2 textures become PNG, or, for a GPU that samples
/// the block format `block`, that format's blocks with their mip chain
/// ([`crate::image::BLOCKS_MIME`]) where the texture suits it.
pub fn unpack(
    bytes: &[u8],
    file: &str,
    read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
    block: Option<crate::image::BlockFormat>,
) -> Result<Vec<u8>, AssetError> {
    let err = |m: String| AssetError::gltf(file, m);
    let doc = Document::parse(bytes, file)?;
    let buffers = read_buffers(&doc, read)?;
    doc.check_data(&buffers)?;
    let mut root = doc.gltf.document.as_json().clone();

    // Every buffer (decoded meshopt views included) into the one binary chunk.
    let mut bin = Bin::default();
    let mut base = Vec::with_capacity(buffers.len());
    for b in &buffers {
        while !bin.data.len().is_multiple_of(4) {
            bin.data.push(0);
        }
        base.push(bin.data.len() as u64);
        bin.data.extend_from_slice(b);
    }
    for view in &mut root.buffer_views {
        let b = view.buffer.value();
        let at = base.get(b).copied().unwrap_or(0);
        view.buffer = Index::new(0);
        view.byte_offset = Some(USize64(at + view.byte_offset.map_or(0, |o| o.0)));
        if let Some(e) = &mut view.extensions {
            for name in compressed::MESHOPT {
                e.others.remove(name);
            }
        }
    }
    let first_view = root.buffer_views.len();

    // Draco primitives: their attributes and indices become accessors with data (decoded from
    // the file's own buffers, as the loader does).
    for mesh in doc.gltf.meshes() {
        for prim in mesh.primitives() {
            let (m, p) = (mesh.index(), prim.index());
            let at = format!("meshes[{m}].primitives[{p}]");
            let Some(d) =
                super::build::decode_draco_primitive(&prim, &at, &doc, &buffers).map_err(err)?
            else {
                continue;
            };
            let points = d.mesh.points;
            for ((name, values), a) in d.mesh.attributes.iter().zip(&d.accessors) {
                let idx = bin.view(&f32_bytes(values), first_view);
                let acc = root
                    .accessors
                    .get_mut(*a)
                    .ok_or_else(|| err(format!("{at}: no accessors[{a}]")))?;
                acc.buffer_view = Some(idx);
                acc.byte_offset = None;
                acc.count = USize64(points as u64);
                acc.component_type = Checked::Valid(GenericComponentType(ComponentType::F32));
                acc.normalized = false;
                acc.sparse = None;
                if name == "POSITION" {
                    let mut lo = [f32::INFINITY; 3];
                    let mut hi = [f32::NEG_INFINITY; 3];
                    for c in values.chunks_exact(3) {
                        for k in 0..3 {
                            lo[k] = lo[k].min(c[k]);
                            hi[k] = hi[k].max(c[k]);
                        }
                    }
                    acc.min = Some(serde_json::json!(lo));
                    acc.max = Some(serde_json::json!(hi));
                }
            }
            let idx_bytes: Vec<u8> = d
                .mesh
                .indices
                .iter()
                .flat_map(|i| i.to_le_bytes())
                .collect();
            let idx = bin.view(&idx_bytes, first_view);
            let acc = root
                .accessors
                .get_mut(d.indices)
                .ok_or_else(|| err(format!("{at}: no accessors[{}]", d.indices)))?;
            acc.buffer_view = Some(idx);
            acc.byte_offset = None;
            acc.count = USize64(d.mesh.indices.len() as u64);
            acc.component_type = Checked::Valid(GenericComponentType(ComponentType::U32));
            acc.type_ = Checked::Valid(Type::Scalar);
            acc.sparse = None;
            if let Some(e) = root
                .meshes
                .get_mut(m)
                .and_then(|mesh| mesh.primitives.get_mut(p))
                .and_then(|prim| prim.extensions.as_mut())
            {
                e.others.remove(DRACO);
            }
        }
    }

    // KTX2 textures: transcoded once per image, written as PNG in the binary chunk.
    let mut done: HashSet<usize> = HashSet::new();
    for t in 0..root.textures.len() {
        let src = root.textures[t]
            .extensions
            .as_ref()
            .and_then(|e| e.others.get("KHR_texture_basisu"))
            .and_then(|v| v.get("source"))
            .and_then(Value::as_u64);
        let Some(s) = src.map(|s| s as usize) else {
            continue;
        };
        if s >= root.images.len() {
            return Err(err(format!(
                "textures[{t}].extensions.KHR_texture_basisu.source: no images[{s}]"
            )));
        }
        if done.insert(s) {
            let label = doc.image_label(s);
            let encoded = match doc.embedded_image(&buffers, s)? {
                Some(e) => e.bytes,
                None => {
                    let uri = root.images[s].uri.clone().unwrap_or_default();
                    let uri = crate::uri::percent_decode(&uri);
                    read(&uri).map_err(|message| AssetError::Missing {
                        file: file.to_string(),
                        at: format!("images[{s}].uri"),
                        uri: uri.clone(),
                        message,
                    })?
                }
            };
            let blocks = match block {
                Some(f) => crate::image::transcode_ktx2(&encoded, &label, f)?,
                None => None,
            };
            let (data, mime) = match blocks {
                Some(c) => (crate::image::encode_blocks(&c), crate::image::BLOCKS_MIME),
                None => {
                    let rgba = crate::image::decode_ktx2(&encoded, &label)?;
                    (png(&rgba, &label)?, "image/png")
                }
            };
            let view = bin.view(&data, first_view);
            let img = &mut root.images[s];
            img.uri = None;
            img.buffer_view = Some(view);
            img.mime_type = Some(json::image::MimeType(mime.into()));
        }
        let tex = &mut root.textures[t];
        tex.source = Index::new(s as u32);
        if let Some(e) = &mut tex.extensions {
            e.others.remove("KHR_texture_basisu");
        }
    }

    root.buffer_views.append(&mut bin.views);
    root.buffers = vec![json::Buffer {
        byte_length: USize64(bin.data.len() as u64),
        name: None,
        uri: None,
        extensions: None,
        extras: Default::default(),
    }];
    root.extensions_used
        .retain(|e| !COMPRESSED_EXTENSIONS.contains(&e.as_str()));
    root.extensions_required
        .retain(|e| !COMPRESSED_EXTENSIONS.contains(&e.as_str()));
    let text = serde_json::to_vec(&root).map_err(|e| err(format!("cannot write the JSON: {e}")))?;
    Ok(super::glb::pack(&text, &bin.data))
}
