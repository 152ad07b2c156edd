//! glTF 2.0 (`.gltf`, `.glb`) to CPU data: primitives in mesh space, instances with world
//! transforms, materials, samplers, cameras. Images are handed out encoded (the platform decodes
//! them) or, natively, decoded by [`load_and_decode`].
//!
//! Nothing here trusts the file: the GLB container, the JSON, every reference, every byte range
//! and every index is checked, and a broken file gives an [`AssetError`] naming the file and the
//! JSON path or byte offset, never a panic or an allocation larger than the data.

mod accessor;
mod build;
mod checks;
#[cfg(feature = "compressed")]
mod compressed;
mod glb;
mod tangents;
#[cfg(feature = "compressed")]
mod unpack;

use crate::uri::{decode_data_uri, percent_decode};
use crate::AssetError;
use disan_tour::camera::Bounds;
use disan_tour::picking::TriangleMesh;
use glam::{Mat4, Vec3, Vec4};
use gltf::Gltf;

pub use accessor::MAX_ZERO_FILLED;
pub use glb::{pack as pack_glb, parse as parse_glb, Glb};
#[cfg(feature = "compressed")]
pub use unpack::unpack;

/// Memory budget of a model's decoded geometry, estimated from accessor counts and the scene's
/// node graph before anything is decoded: 512 MiB, about seven million vertices drawn once. It
/// counts each primitive's vertices and indices once, and geometry after instancing: every time
/// the shown scene draws a primitive (every node that shows its mesh, nested nodes included) its
/// world-space copy (the one made for picking, and by the scan flattener) and [`DRAW_BYTES`].
pub const MAX_GEOMETRY_BYTES: u64 = 512 << 20;

/// Memory one drawn instance of a primitive takes besides its geometry: the renderer's draw
/// record, uniform buffer and bind group (one each per draw), the flattener's mesh record.
/// Measured: 200 000 draws of one triangle took 2.7 GB in `disan render`, about 13.5 KB each.
/// 16 KiB, so a model draws at most 32 768 primitive instances within [`MAX_GEOMETRY_BYTES`].
pub const DRAW_BYTES: u64 = 16 << 10;

/// Most nodes a model may have: the node graph is counted before the JSON is parsed into the glTF
/// tree, then walked (checked, instanced) before anything is decoded. 131 072: four times the
/// draws [`DRAW_BYTES`] allows, room for the transforms, joints and cameras around them.
pub const MAX_NODES: usize = 1 << 17;

/// Memory budget of a model's decoded textures (RGBA8, from the image headers, before decoding):
/// 1 GiB, e.g. two 16384×8192 or four 8192×8192 textures.
pub const MAX_TEXTURE_BYTES: u64 = 1 << 30;

/// Extensions Disan renders; a file requiring anything else is refused.
pub const SUPPORTED_EXTENSIONS: &[&str] = &[
    "KHR_materials_unlit",
    "KHR_texture_transform",
    "KHR_materials_emissive_strength",
    "KHR_mesh_quantization",
    "EXT_texture_webp",
];

/// Compressed-data extensions, decoded where the `compressed` feature is built in.
pub const COMPRESSED_EXTENSIONS: &[&str] = &[
    "KHR_draco_mesh_compression",
    "EXT_meshopt_compression",
    "KHR_meshopt_compression",
    "KHR_texture_basisu",
];

/// True when the glTF or GLB `bytes` use a compressed-data extension ([`COMPRESSED_EXTENSIONS`])
/// that this build cannot decode: the web engine then has the file made plain by its decoder
/// module first ([`unpack`] there). Only the JSON's `extensionsUsed` is read; a file that does not
/// parse answers `false` (the loader reports what is wrong with it).
pub fn needs_decoders(bytes: &[u8]) -> bool {
    if cfg!(feature = "compressed") {
        return false;
    }
    let json = if bytes.starts_with(glb::MAGIC) {
        match glb::parse(bytes) {
            Ok(g) => g.json,
            Err(_) => return false,
        }
    } else {
        bytes
    };
    #[derive(serde::Deserialize)]
    struct Used {
        #[serde(default, rename = "extensionsUsed")]
        used: Vec<String>,
    }
    serde_json::from_slice::<Used>(trim_json(json))
        .map(|u| {
            u.used
                .iter()
                .any(|e| COMPRESSED_EXTENSIONS.contains(&e.as_str()))
        })
        .unwrap_or(false)
}

/// True when this build renders files that require extension `ext`.
pub fn supported_extension(ext: &str) -> bool {
    SUPPORTED_EXTENSIONS.contains(&ext)
        || (cfg!(feature = "compressed") && COMPRESSED_EXTENSIONS.contains(&ext))
}

/// How a material's alpha is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlphaMode {
    /// Alpha ignored.
    Opaque,
    /// Cut out below the cutoff.
    Mask,
    /// Blended.
    Blend,
}

/// Texture wrap mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Wrap {
    /// Repeat.
    Repeat,
    /// Clamp to edge.
    Clamp,
    /// Mirrored repeat.
    Mirror,
}

/// Sampler settings of a texture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sampler {
    /// U wrap.
    pub wrap_u: Wrap,
    /// V wrap.
    pub wrap_v: Wrap,
    /// Magnification is linear (else nearest).
    pub mag_linear: bool,
    /// Minification is linear (else nearest).
    pub min_linear: bool,
    /// Mipmaps are used.
    pub mipmaps: bool,
}

impl Default for Sampler {
    fn default() -> Self {
        Sampler {
            wrap_u: Wrap::Repeat,
            wrap_v: Wrap::Repeat,
            mag_linear: true,
            min_linear: true,
            mipmaps: true,
        }
    }
}

/// A material's use of a texture.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextureRef {
    /// Index into [`ModelData::images`] order (the glTF image index).
    pub image: usize,
    /// Sampler.
    pub sampler: Sampler,
    /// Which UV set (0 or 1).
    pub tex_coord: u32,
    /// `KHR_texture_transform` as the rows of a 2×3 matrix applied to (u, v, 1).
    pub transform: [[f32; 3]; 2],
}

/// A metallic-roughness material.
#[derive(Debug, Clone, PartialEq)]
pub struct Material {
    /// Name, for messages.
    pub name: Option<String>,
    /// Linear RGBA factor.
    pub base_color: Vec4,
    /// Base colour texture (sRGB).
    pub base_color_texture: Option<TextureRef>,
    /// Metallic factor.
    pub metallic: f32,
    /// Roughness factor.
    pub roughness: f32,
    /// Occlusion (R) roughness (G) metallic (B) textures.
    pub metallic_roughness_texture: Option<TextureRef>,
    /// Tangent-space normal map.
    pub normal_texture: Option<TextureRef>,
    /// Normal map scale.
    pub normal_scale: f32,
    /// Occlusion texture (R channel).
    pub occlusion_texture: Option<TextureRef>,
    /// Occlusion strength.
    pub occlusion_strength: f32,
    /// Linear RGB emissive factor.
    pub emissive: Vec3,
    /// Emissive texture (sRGB).
    pub emissive_texture: Option<TextureRef>,
    /// Alpha mode.
    pub alpha_mode: AlphaMode,
    /// Cutoff for [`AlphaMode::Mask`].
    pub alpha_cutoff: f32,
    /// Both faces drawn.
    pub double_sided: bool,
    /// `KHR_materials_unlit`.
    pub unlit: bool,
}

impl Material {
    /// Its texture slots: base colour, metallic-roughness, normal, occlusion, emissive.
    pub fn textures(&self) -> [Option<TextureRef>; 5] {
        [
            self.base_color_texture,
            self.metallic_roughness_texture,
            self.normal_texture,
            self.occlusion_texture,
            self.emissive_texture,
        ]
    }
}

impl Default for Material {
    fn default() -> Self {
        Material {
            name: None,
            base_color: Vec4::ONE,
            base_color_texture: None,
            metallic: 1.0,
            roughness: 1.0,
            metallic_roughness_texture: None,
            normal_texture: None,
            normal_scale: 1.0,
            occlusion_texture: None,
            occlusion_strength: 1.0,
            emissive: Vec3::ZERO,
            emissive_texture: None,
            alpha_mode: AlphaMode::Opaque,
            alpha_cutoff: 0.5,
            double_sided: false,
            unlit: false,
        }
    }
}

/// Triangle geometry of one glTF primitive, in mesh space.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Primitive {
    /// Positions.
    pub positions: Vec<[f32; 3]>,
    /// Unit normals.
    pub normals: Vec<[f32; 3]>,
    /// Tangents with handedness in w (zeros when there is no normal map).
    pub tangents: Vec<[f32; 4]>,
    /// First UV set.
    pub uv0: Vec<[f32; 2]>,
    /// Second UV set.
    pub uv1: Vec<[f32; 2]>,
    /// Linear vertex colours (white when absent).
    pub colors: Vec<[f32; 4]>,
    /// Three indices per triangle.
    pub indices: Vec<u32>,
    /// Material index; `None` = default material.
    pub material: Option<usize>,
}

/// One drawn primitive with its world transform.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Instance {
    /// Index into [`ModelData::primitives`].
    pub primitive: usize,
    /// Model-to-world matrix.
    pub world: Mat4,
}

/// A loaded model.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelData {
    /// Geometry.
    pub primitives: Vec<Primitive>,
    /// What to draw where.
    pub instances: Vec<Instance>,
    /// Materials.
    pub materials: Vec<Material>,
    /// Number of images the materials refer to (decoded by the platform).
    pub image_count: usize,
    /// Images that hold colour (sRGB); the others are linear data.
    pub image_is_srgb: Vec<bool>,
    /// World-space bounds of what is drawn.
    pub bounds: Bounds,
    /// Cameras placed in the shown scene, in node order.
    pub cameras: Vec<CameraInfo>,
}

/// A camera's projection, as the file gives it (angles in radians).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CameraProjection {
    /// Perspective.
    Perspective {
        /// Vertical field of view.
        yfov: f32,
        /// Width / height, when the file fixes it.
        aspect: Option<f32>,
        /// Near plane.
        znear: f32,
        /// Far plane; `None` = infinite.
        zfar: Option<f32>,
    },
    /// Orthographic.
    Orthographic {
        /// Half width of the view volume.
        xmag: f32,
        /// Half height of the view volume.
        ymag: f32,
        /// Near plane.
        znear: f32,
        /// Far plane.
        zfar: f32,
    },
}

/// A camera of the file placed by a node of the shown scene. It looks down its local −Z with +Y up.
#[derive(Debug, Clone, PartialEq)]
pub struct CameraInfo {
    /// Index in the file's `cameras`.
    pub camera: usize,
    /// The node that places it.
    pub node: usize,
    /// The camera's name, or else the node's.
    pub name: Option<String>,
    /// Projection.
    pub projection: CameraProjection,
    /// The node's world transform (camera to world).
    pub world: Mat4,
}

impl ModelData {
    /// All triangles in world space, for picking and occlusion.
    pub fn triangle_mesh(&self) -> TriangleMesh {
        let mut mesh = TriangleMesh::default();
        for inst in &self.instances {
            let Some(p) = self.primitives.get(inst.primitive) else {
                continue;
            };
            let base = mesh.positions.len() as u32;
            mesh.positions.extend(
                p.positions
                    .iter()
                    .map(|v| inst.world.transform_point3(Vec3::from(*v))),
            );
            mesh.indices.extend(p.indices.iter().map(|i| base + i));
        }
        mesh
    }
}

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
    gltf: Gltf,
    file: String,
    /// Meshopt-compressed views and the buffers their decoded bytes go to.
    #[cfg(feature = "compressed")]
    meshopt: compressed::Meshopt,
    /// Per texture: the image it shows (`EXT_texture_webp` source first).
    texture_images: Vec<Option<usize>>,
}

/// Removes a UTF-8 byte order mark and the trailing padding some exporters leave (spaces, NULs).
fn trim_json(bytes: &[u8]) -> &[u8] {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let end = b
        .iter()
        .rposition(|c| !matches!(c, b' ' | b'\t' | b'\r' | b'\n' | 0))
        .map_or(0, |i| i + 1);
    &b[..end]
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
        #[cfg(feature = "compressed")]
        let mut root = root;
        #[cfg(feature = "compressed")]
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
            #[cfg(feature = "compressed")]
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
            let mut data = match b.source() {
                gltf::buffer::Source::Bin if i != 0 => {
                    return Err(AssetError::gltf(
                        &self.file,
                        format!("buffers[{i}] has no uri; only buffers[0] may refer to the GLB binary chunk"),
                    ))
                }
                gltf::buffer::Source::Bin => self.gltf.blob.clone().ok_or_else(|| {
                    AssetError::gltf(
                        &self.file,
                        if self.gltf.blob.is_none() && !self.file.to_ascii_lowercase().ends_with(".glb") {
                            format!("buffers[{i}] has no uri (only a GLB file's first buffer may omit it)")
                        } else {
                            format!("buffers[{i}] refers to the GLB binary chunk, which the file does not have")
                        },
                    )
                })?,
                gltf::buffer::Source::Uri(u) => match decode_data_uri(u) {
                    Some(Ok((_, bytes))) => bytes,
                    Some(Err(e)) => {
                        return Err(AssetError::gltf(
                            &self.file,
                            format!("buffers[{i}].uri: {e}"),
                        ))
                    }
                    None => external
                        .get(i)
                        .cloned()
                        .ok_or_else(|| AssetError::Missing {
                            file: self.file.clone(),
                            at: format!("buffers[{i}].uri"),
                            uri: percent_decode(u),
                            message: "not supplied".into(),
                        })?,
                },
            };
            if data.len() < b.length() {
                return Err(AssetError::gltf(
                    &self.file,
                    format!(
                        "buffers[{i}]: byteLength is {} but only {} bytes are there",
                        b.length(),
                        data.len()
                    ),
                ));
            }
            data.truncate(b.length());
            out.push(data);
        }
        #[cfg(feature = "compressed")]
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
        #[cfg(feature = "compressed")]
        return self.meshopt.produced(i);
        #[cfg(not(feature = "compressed"))]
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
        #[cfg(feature = "compressed")]
        let draco = build::draco_accessors(self);
        for a in self.gltf.accessors() {
            #[cfg(feature = "compressed")]
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
    fn encoded_images(
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

/// Reads the model's buffers through `read` and resolves them.
fn read_buffers(
    doc: &Document,
    read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
) -> Result<Vec<Vec<u8>>, AssetError> {
    let mut external = Vec::new();
    for (i, uri) in doc.needs().buffers.iter().enumerate() {
        external.push(match uri {
            Some(u) => read(u).map_err(|message| AssetError::Missing {
                file: doc.file.clone(),
                at: format!("buffers[{i}].uri"),
                uri: u.clone(),
                message,
            })?,
            None => Vec::new(),
        });
    }
    let buffers = doc.resolve_buffers(&external)?;
    doc.check_data(&buffers)?;
    Ok(buffers)
}

/// Loads a model completely, reading external files with `read` (paths relative to the model
/// file's folder, already percent-decoded). Returns the model and its encoded images (one per
/// glTF image, in file order).
pub fn load_with(
    bytes: &[u8],
    file: &str,
    read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
) -> Result<(ModelData, Vec<crate::EncodedImage>), AssetError> {
    let doc = Document::parse(bytes, file)?;
    let buffers = read_buffers(&doc, read)?;
    let images = doc.encoded_images(&buffers, read)?;
    let model = build::build(&doc, &buffers)?;
    Ok((model, images))
}

/// Like [`load_with`], but also decodes the images natively: one [`crate::RgbaImage`] per glTF
/// image. Every image's header is checked (size limits, readable format) before anything is
/// decoded; the images the materials use are decoded (in parallel), the unused ones become 1×1
/// white. An image that cannot be read fails the load with `images[i] (name): …`.
#[cfg(feature = "decode")]
pub fn load_and_decode(
    bytes: &[u8],
    file: &str,
    read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
) -> Result<(ModelData, Vec<crate::RgbaImage>), AssetError> {
    let (model, images) = load_and_decode_for(bytes, file, read, None)?;
    let images = images
        .into_iter()
        .map(|i| match i {
            crate::image::DecodedImage::Rgba(i) => i,
            // Not asked for: never made.
            crate::image::DecodedImage::Compressed(_) => crate::RgbaImage::solid([255; 4]),
        })
        .collect();
    Ok((model, images))
}

/// Like [`load_and_decode`], for a device that samples the block format `gpu`: KTX2 / Basis
/// Universal textures are transcoded to it, with their mip chains ([`crate::image::transcode_ktx2`];
/// RGBA8 where that does not suit them), instead of to RGBA8.
#[cfg(feature = "decode")]
pub fn load_and_decode_for(
    bytes: &[u8],
    file: &str,
    read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
    gpu: Option<crate::image::BlockFormat>,
) -> Result<(ModelData, Vec<crate::image::DecodedImage>), AssetError> {
    use crate::image::DecodedImage;
    let doc = Document::parse(bytes, file)?;
    let buffers = read_buffers(&doc, read)?;
    let images = doc.encoded_images(&buffers, read)?;
    let image_err = |i: usize, e: AssetError| {
        let message = match e {
            AssetError::Image { message, .. } => message,
            other => other.to_string(),
        };
        AssetError::Image {
            file: file.to_string(),
            message: format!("images[{i}] ({}): {message}", doc.image_label(i)),
        }
    };
    let mut sizes = Vec::with_capacity(images.len());
    for (i, img) in images.iter().enumerate() {
        sizes.push(crate::image::check_header(&img.bytes, file).map_err(|e| image_err(i, e))?);
    }
    let model = build::build(&doc, &buffers)?;
    let mut used = vec![false; images.len()];
    for m in &model.materials {
        for t in m.textures().into_iter().flatten() {
            if let Some(u) = used.get_mut(t.image) {
                *u = true;
            }
        }
    }
    let texture_bytes: u64 = sizes
        .iter()
        .zip(&used)
        .filter(|(_, u)| **u)
        .map(|((w, h), _)| *w as u64 * *h as u64 * 4)
        .sum();
    if texture_bytes > MAX_TEXTURE_BYTES {
        return Err(AssetError::Image {
            file: file.to_string(),
            message: format!(
                "the model's textures would take {} MB once decoded ({} images used), more than the {} MB budget",
                texture_bytes.div_ceil(1 << 20),
                used.iter().filter(|u| **u).count(),
                MAX_TEXTURE_BYTES >> 20
            ),
        });
    }
    let decode_one = |i: usize| -> Result<DecodedImage, AssetError> {
        if !used[i] {
            return Ok(DecodedImage::Rgba(crate::RgbaImage::solid([255; 4])));
        }
        // Blocks a decoder module made for this kind of GPU (`model::unpack`).
        if images[i].bytes.starts_with(b"DSNB") {
            let c =
                crate::image::decode_blocks(&images[i].bytes, file).map_err(|e| image_err(i, e))?;
            if gpu != Some(c.format) {
                let message = format!(
                    "images[{i}] ({}): {} blocks, which this GPU does not sample",
                    doc.image_label(i),
                    c.format.name()
                );
                return Err(AssetError::Image {
                    file: file.to_string(),
                    message,
                });
            }
            return Ok(DecodedImage::Compressed(c));
        }
        #[cfg(feature = "compressed")]
        if let (Some(format), true) = (gpu, crate::image::is_ktx2(&images[i].bytes)) {
            if let Some(c) = crate::image::transcode_ktx2(&images[i].bytes, file, format)
                .map_err(|e| image_err(i, e))?
            {
                return Ok(DecodedImage::Compressed(c));
            }
        }
        #[cfg(not(feature = "compressed"))]
        let _ = gpu;
        crate::image::decode(&images[i].bytes, file)
            .map(DecodedImage::Rgba)
            .map_err(|e| image_err(i, e))
    };
    let decoded = decode_all(images.len(), &decode_one)?;
    Ok((model, decoded))
}

/// Runs `f` for `0..n`, on several threads where there are any.
#[cfg(feature = "decode")]
fn decode_all<T: Send>(
    n: usize,
    f: &(dyn Fn(usize) -> Result<T, AssetError> + Sync),
) -> Result<Vec<T>, AssetError> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let threads = std::thread::available_parallelism()
            .map(|t| t.get())
            .unwrap_or(1)
            .min(n);
        if threads > 1 {
            let next = std::sync::atomic::AtomicUsize::new(0);
            let mut results: Vec<(usize, Result<T, AssetError>)> = std::thread::scope(|s| {
                let handles: Vec<_> = (0..threads)
                    .map(|_| {
                        s.spawn(|| {
                            let mut out = Vec::new();
                            loop {
                                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                                if i >= n {
                                    break out;
                                }
                                out.push((i, f(i)));
                            }
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap_or_default())
                    .collect()
            });
            results.sort_by_key(|(i, _)| *i);
            if results.len() == n {
                return results.into_iter().map(|(_, r)| r).collect();
            }
        }
    }
    (0..n).map(f).collect()
}
