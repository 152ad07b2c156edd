//! A glTF file parsed and checked ([`Document`]): the GLB container and the JSON (node count
//! first, then the glTF tree with JSON paths in its errors), every check that needs no data, then
//! its buffers resolved, its data checked, its images found, the model built.

use super::{accessor, build, checks, glb, ModelData};
#[cfg(feature = "meshopt")]
use super::{compressed, MAX_GEOMETRY_BYTES};
use crate::uri::{decode_data_uri, percent_decode};
use crate::AssetError;
use gltf::Gltf;

/// What a model needs from outside itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ModelNeeds {
    /// Per buffer: the external URI (percent-decoded, relative to the model), or `None` if embedded.
    pub buffers: Vec<Option<String>>,
    /// Per image: external URI or `None` if embedded, and the MIME type if given.
    pub images: Vec<(Option<String>, Option<String>)>,
}

/// A parsed and checked glTF document with its GLB binary chunk.
pub struct Document {
    pub(super) gltf: Gltf,
    pub(super) file: String,
    /// Meshopt-compressed views and the buffers their decoded bytes go to.
    #[cfg(feature = "meshopt")]
    pub(super) meshopt: compressed::Meshopt,
    /// Per texture: the image it shows (`EXT_texture_webp` source first).
    pub(super) texture_images: Vec<Option<usize>>,
}

/// Removes a UTF-8 byte order mark and the trailing padding some exporters leave (spaces, NULs).
pub(super) fn trim_json(bytes: &[u8]) -> &[u8] {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let end = b
        .iter()
        .rposition(|c| !matches!(c, b' ' | b'\t' | b'\r' | b'\n' | 0))
        .map_or(0, |i| i + 1);
    &b[..end]
}

/// The data of `buffers[i]` (`uri`: its URI, `None` for the GLB binary chunk `blob`), cut to its
/// `byteLength` `length`; `external()` reads an external file. A buffer shorter than its
/// `byteLength`, without a source, or with a broken data URI is an error naming it.
pub(super) fn buffer_data(
    file: &str,
    i: usize,
    uri: Option<&str>,
    length: usize,
    blob: Option<&[u8]>,
    external: impl FnOnce() -> Result<Vec<u8>, String>,
) -> Result<Vec<u8>, AssetError> {
    let err = |m: String| AssetError::gltf(file, m);
    let mut data = match uri {
        None if i != 0 => {
            return Err(err(format!(
                "buffers[{i}] has no uri; only buffers[0] may refer to the GLB binary chunk"
            )))
        }
        None => match blob {
            Some(b) => b.to_vec(),
            None if !file.to_ascii_lowercase().ends_with(".glb") => {
                return Err(err(format!(
                    "buffers[{i}] has no uri (only a GLB file's first buffer may omit it)"
                )))
            }
            None => {
                return Err(err(format!(
                    "buffers[{i}] refers to the GLB binary chunk, which the file does not have"
                )))
            }
        },
        Some(u) => match decode_data_uri(u) {
            Some(Ok((_, bytes))) => bytes,
            Some(Err(e)) => return Err(err(format!("buffers[{i}].uri: {e}"))),
            None => external().map_err(|message| AssetError::Missing {
                file: file.to_string(),
                at: format!("buffers[{i}].uri"),
                uri: percent_decode(u),
                message,
            })?,
        },
    };
    if data.len() < length {
        return Err(err(format!(
            "buffers[{i}]: byteLength is {length} but only {} bytes are there",
            data.len()
        )));
    }
    data.truncate(length);
    Ok(data)
}

/// The length of the top-level `nodes` array, counted in one pass that builds nothing (every
/// other value is skipped); `None` when the JSON does not parse this way (the full parse then says
/// why).
fn node_count(json: &[u8]) -> Option<usize> {
    use serde::de::{Deserialize, Deserializer, IgnoredAny, SeqAccess, Visitor};
    struct Count(usize);
    impl<'de> Deserialize<'de> for Count {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Count, D::Error> {
            struct Counter;
            impl<'de> Visitor<'de> for Counter {
                type Value = Count;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("an array")
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Count, A::Error> {
                    let mut n = 0;
                    while seq.next_element::<IgnoredAny>()?.is_some() {
                        n += 1;
                    }
                    Ok(Count(n))
                }
            }
            d.deserialize_seq(Counter)
        }
    }
    #[derive(serde::Deserialize)]
    struct Top {
        nodes: Option<Count>,
    }
    let top: Top = serde_json::from_slice(json).ok()?;
    top.nodes.map(|c| c.0)
}

/// Parses the glTF JSON into the gltf crate's tree; errors carry the JSON path and line/column.
fn parse_json(json: &[u8], chunk: Option<usize>) -> Result<gltf::json::Root, String> {
    let place = match chunk {
        Some(at) => format!(" (JSON chunk at byte {at})"),
        None => String::new(),
    };
    if json.is_empty() {
        return Err(format!("the glTF JSON is empty{place}"));
    }
    let mut de = serde_json::Deserializer::from_slice(json);
    // The web build leaves out the JSON path: wrapping the whole glTF schema in
    // serde_path_to_error more than doubles the wasm size; line and column remain.
    #[cfg(target_arch = "wasm32")]
    let root: gltf::json::Root = serde::Deserialize::deserialize(&mut de)
        .map_err(|e| format!("not valid glTF JSON{place}: {e}"))?;
    #[cfg(not(target_arch = "wasm32"))]
    let root: gltf::json::Root = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        if path == "." || path == "?" || path.is_empty() {
            format!("not valid glTF JSON{place}: {}", e.inner())
        } else {
            format!("not valid glTF JSON{place} at {path}: {}", e.inner())
        }
    })?;
    de.end()
        .map_err(|e| format!("not valid glTF JSON{place}: {e}"))?;
    Ok(root)
}

impl Document {
    /// Parses and checks `.gltf` or `.glb` bytes; `file` names the file in messages. Checks
    /// everything that does not need buffer data: the GLB container, the JSON, the asset version,
    /// required extensions, every reference, the node hierarchy, primitive attributes, cameras.
    pub fn parse(bytes: &[u8], file: &str) -> Result<Document, AssetError> {
        let err = |m: String| AssetError::gltf(file, m);
        if bytes.is_empty() {
            return Err(err("the file is empty (0 bytes)".into()));
        }
        let first = bytes
            .iter()
            .copied()
            .find(|c| !c.is_ascii_whitespace() && *c != 0xEF && *c != 0xBB && *c != 0xBF);
        let is_glb = bytes.starts_with(glb::MAGIC)
            || (first != Some(b'{') && file.to_ascii_lowercase().ends_with(".glb"));
        let (json, chunk, blob) = if is_glb {
            let g = glb::parse(bytes).map_err(err)?;
            (g.json, Some(g.json_offset), g.bin.map(<[u8]>::to_vec))
        } else {
            (bytes, None, None)
        };
        let json = trim_json(json);
        // Absurd node counts are refused before any tree (a few hundred bytes a node) is built.
        if let Some(n) = node_count(json) {
            checks::node_limit(n).map_err(err)?;
        }
        let root = parse_json(json, chunk).map_err(|e| {
            // A glTF 1.0 file fails the 2.0 schema; say why instead of where.
            let version = serde_json::from_slice::<serde_json::Value>(json)
                .ok()
                .and_then(|v| v.get("asset")?.get("version")?.as_str().map(str::to_string));
            match version {
                Some(v) if !checks::major_is_2(&v) => err(format!(
                    "asset.version is \"{v}\"; only glTF 2.x is supported"
                )),
                _ => err(e),
            }
        })?;
        checks::asset_version(&root).map_err(err)?;
        checks::extensions(&root).map_err(err)?;
        #[cfg(feature = "meshopt")]
        let mut root = root;
        #[cfg(feature = "meshopt")]
        let meshopt = compressed::meshopt_rewrite(&mut root, MAX_GEOMETRY_BYTES).map_err(err)?;
        checks::attribute_references(&root).map_err(err)?;
        checks::validate(&root, json).map_err(err)?;
        checks::nodes(&root).map_err(err)?;
        checks::primitives(&root).map_err(err)?;
        checks::cameras(&root).map_err(err)?;
        checks::images(&root).map_err(err)?;
        checks::textures(&root).map_err(err)?;
        let texture_images = (0..root.textures.len())
            .map(|i| checks::texture_source(&root, i).ok().flatten())
            .collect();
        Ok(Document {
            gltf: Gltf {
                document: gltf::Document::from_json_without_validation(root),
                blob,
            },
            file: file.to_string(),
            #[cfg(feature = "meshopt")]
            meshopt,
            texture_images,
        })
    }

    /// The file name used in messages.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// External files this model refers to.
    pub fn needs(&self) -> ModelNeeds {
        let buffers = self
            .gltf
            .buffers()
            .map(|b| match b.source() {
                _ if self.produced(b.index()) => None,
                gltf::buffer::Source::Bin => None,
                gltf::buffer::Source::Uri(u) if u.starts_with("data:") => None,
                gltf::buffer::Source::Uri(u) => Some(percent_decode(u)),
            })
            .collect();
        let images = self
            .gltf
            .images()
            .map(|i| match i.source() {
                gltf::image::Source::View { mime_type, .. } => (None, Some(mime_type.to_string())),
                gltf::image::Source::Uri { uri, mime_type } => {
                    if let Some(rest) = uri.strip_prefix("data:") {
                        (
                            None,
                            Some(rest.split([';', ',']).next().unwrap_or("").to_string()),
                        )
                    } else {
                        (
                            Some(percent_decode(uri)),
                            mime_type.map(str::to_string).or_else(|| guess_mime(uri)),
                        )
                    }
                }
            })
            .collect();
        ModelNeeds { buffers, images }
    }

    /// The data of every buffer: the GLB chunk, data URIs, or `external[i]` for external ones.
    /// Each is cut to its `byteLength`; one shorter than its `byteLength` is an error.
    pub fn resolve_buffers(&self, external: &[Vec<u8>]) -> Result<Vec<Vec<u8>>, AssetError> {
        let mut out = Vec::new();
        for b in self.gltf.buffers() {
            let i = b.index();
            if self.produced(i) {
                // Filled below (a decoded view) or never read (a fallback).
                out.push(Vec::new());
                continue;
            }
            let uri = match b.source() {
                gltf::buffer::Source::Bin => None,
                gltf::buffer::Source::Uri(u) => Some(u),
            };
            let blob = self.gltf.blob.as_deref();
            let data = buffer_data(&self.file, i, uri, b.length(), blob, || {
                external
                    .get(i)
                    .cloned()
                    .ok_or_else(|| "not supplied".to_string())
            })?;
            out.push(data);
        }
        #[cfg(feature = "meshopt")]
        for v in &self.meshopt.views {
            let decoded =
                compressed::decode_meshopt(v, &out).map_err(|m| AssetError::gltf(&self.file, m))?;
            if let Some(slot) = out.get_mut(v.target) {
                *slot = decoded;
            }
        }
        Ok(out)
    }

    /// True when buffer `i` holds decoded meshopt data or is a meshopt fallback: nothing is read
    /// for it.
    fn produced(&self, i: usize) -> bool {
        #[cfg(feature = "meshopt")]
        return self.meshopt.produced(i);
        #[cfg(not(feature = "meshopt"))]
        {
            let _ = i;
            false
        }
    }

    /// Encoded bytes of an embedded image (buffer view or data URI); `None` for external ones.
    pub fn embedded_image(
        &self,
        buffers: &[Vec<u8>],
        index: usize,
    ) -> Result<Option<crate::EncodedImage>, AssetError> {
        let img =
            self.gltf.images().nth(index).ok_or_else(|| {
                AssetError::gltf(&self.file, format!("there is no images[{index}]"))
            })?;
        match img.source() {
            gltf::image::Source::View { view, mime_type } => {
                let data = buffers.get(view.buffer().index()).ok_or_else(|| {
                    AssetError::gltf(
                        &self.file,
                        format!(
                            "images[{index}]: buffers[{}] has no data",
                            view.buffer().index()
                        ),
                    )
                })?;
                let end = view
                    .offset()
                    .checked_add(view.length())
                    .filter(|e| *e <= data.len())
                    .ok_or_else(|| {
                        AssetError::gltf(
                            &self.file,
                            format!(
                                "images[{index}]: bufferViews[{}] lies outside buffers[{}]",
                                view.index(),
                                view.buffer().index()
                            ),
                        )
                    })?;
                Ok(Some(crate::EncodedImage {
                    bytes: data[view.offset()..end].to_vec(),
                    mime: Some(mime_type.to_string()),
                }))
            }
            gltf::image::Source::Uri { uri, .. } => match decode_data_uri(uri) {
                Some(Ok((mime, bytes))) => Ok(Some(crate::EncodedImage {
                    bytes,
                    mime: Some(mime),
                })),
                Some(Err(e)) => Err(AssetError::gltf(
                    &self.file,
                    format!("images[{index}].uri: {e}"),
                )),
                None => Ok(None),
            },
        }
    }

    /// Checks that every buffer view lies within its buffer and every accessor within its buffer
    /// view, and that float accessor data is finite.
    pub fn check_data(&self, buffers: &[Vec<u8>]) -> Result<(), AssetError> {
        let err = |m: String| AssetError::gltf(&self.file, m);
        for v in self.gltf.views() {
            let b = v.buffer().index();
            let len = buffers.get(b).map(Vec::len).unwrap_or(0);
            if v.offset().checked_add(v.length()).is_none_or(|e| e > len) {
                return Err(err(format!(
                    "bufferViews[{}]: bytes {}..{} lie outside buffers[{b}] ({len} bytes)",
                    v.index(),
                    v.offset(),
                    v.offset() as u128 + v.length() as u128,
                )));
            }
        }
        #[cfg(feature = "draco")]
        let draco = build::draco_accessors(self);
        for a in self.gltf.accessors() {
            #[cfg(feature = "draco")]
            if draco.contains(&a.index()) {
                continue;
            }
            accessor::locate(&a, buffers)
                .and_then(|l| l.check_finite())
                .map_err(err)?;
        }
        Ok(())
    }

    /// Builds the model from resolved buffers (see [`Document::resolve_buffers`]).
    pub fn build(&self, buffers: &[Vec<u8>]) -> Result<ModelData, AssetError> {
        self.check_data(buffers)?;
        build::build(self, buffers)
    }

    /// Every image's encoded bytes: embedded ones from the buffers, external ones through `read`.
    pub(super) fn encoded_images(
        &self,
        buffers: &[Vec<u8>],
        read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
    ) -> Result<Vec<crate::EncodedImage>, AssetError> {
        let needs = self.needs();
        let mut images = Vec::new();
        for (i, (uri, mime)) in needs.images.iter().enumerate() {
            images.push(match uri {
                Some(u) => crate::EncodedImage {
                    bytes: read(u).map_err(|message| AssetError::Missing {
                        file: self.file.clone(),
                        at: format!("images[{i}].uri"),
                        uri: u.clone(),
                        message,
                    })?,
                    mime: mime.clone(),
                },
                None => self.embedded_image(buffers, i)?.ok_or_else(|| {
                    AssetError::gltf(&self.file, format!("images[{i}] has no data"))
                })?,
            });
        }
        Ok(images)
    }

    /// A short name of image `i` for messages: its URI, or where it is embedded.
    pub fn image_label(&self, i: usize) -> String {
        match self.gltf.images().nth(i).map(|img| img.source()) {
            Some(gltf::image::Source::Uri { uri, .. }) if !uri.starts_with("data:") => {
                percent_decode(uri)
            }
            Some(gltf::image::Source::Uri { .. }) => "data URI".into(),
            Some(gltf::image::Source::View { view, .. }) => {
                format!("bufferViews[{}]", view.index())
            }
            None => "missing".into(),
        }
    }
}

fn guess_mime(uri: &str) -> Option<String> {
    let lower = uri.to_ascii_lowercase();
    if lower.ends_with(".png") {
        Some("image/png".into())
    } else if lower.ends_with(".jpg") || lower.ends_with(".jpeg") {
        Some("image/jpeg".into())
    } else if lower.ends_with(".webp") {
        Some("image/webp".into())
    } else {
        None
    }
}
