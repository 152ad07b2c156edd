//! glTF 2.0 (`.gltf`, `.glb`) to CPU data: primitives in mesh space, instances with world
//! transforms, materials, samplers. Images are handed out encoded; the platform decodes them.

use crate::uri::{decode_data_uri, percent_decode};
use crate::AssetError;
use disan_tour::camera::Bounds;
use disan_tour::picking::TriangleMesh;
use glam::{Mat3, Mat4, Vec2, Vec3, Vec4};
use gltf::Gltf;

/// Extensions Disan renders; a file requiring anything else is refused.
pub const SUPPORTED_EXTENSIONS: &[&str] = &[
    "KHR_materials_unlit",
    "KHR_texture_transform",
    "KHR_materials_emissive_strength",
];

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

/// A parsed glTF document with its GLB binary chunk.
pub struct Document {
    gltf: Gltf,
    file: String,
}

fn accessor_elem_size(a: &gltf::Accessor) -> usize {
    a.size()
}

impl Document {
    /// Parses `.gltf` or `.glb` bytes; `file` names the file in messages.
    pub fn parse(bytes: &[u8], file: &str) -> Result<Document, AssetError> {
        if bytes.is_empty() {
            return Err(AssetError::gltf(file, "file is empty"));
        }
        let gltf =
            Gltf::from_slice(bytes).map_err(|e| AssetError::gltf(file, describe_gltf_error(e)))?;
        for ext in gltf.extensions_required() {
            if !SUPPORTED_EXTENSIONS.contains(&ext) {
                return Err(AssetError::gltf(
                    file,
                    format!("requires extension {ext}, which Disan does not support"),
                ));
            }
        }
        Ok(Document {
            gltf,
            file: file.to_string(),
        })
    }

    /// External files this model refers to.
    pub fn needs(&self) -> ModelNeeds {
        let buffers = self
            .gltf
            .buffers()
            .map(|b| match b.source() {
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
    pub fn resolve_buffers(&self, external: &[Vec<u8>]) -> Result<Vec<Vec<u8>>, AssetError> {
        let mut out = Vec::new();
        for b in self.gltf.buffers() {
            let i = b.index();
            let data = match b.source() {
                gltf::buffer::Source::Bin => self.gltf.blob.clone().ok_or_else(|| {
                    AssetError::gltf(
                        &self.file,
                        format!("buffers[{i}] refers to a GLB binary chunk, which is missing"),
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
            out.push(data);
        }
        Ok(out)
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
                            "images[{index}]: buffer {} is missing",
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
                                "images[{index}]: bufferViews[{}] lies outside its buffer",
                                view.index()
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

    /// Checks that every accessor and buffer view lies within its buffer.
    fn check_ranges(&self, buffers: &[Vec<u8>]) -> Result<(), AssetError> {
        for v in self.gltf.views() {
            let len = buffers.get(v.buffer().index()).map(Vec::len).unwrap_or(0);
            if v.offset().checked_add(v.length()).is_none_or(|e| e > len) {
                return Err(AssetError::gltf(
                    &self.file,
                    format!(
                        "bufferViews[{}]: bytes {}..{} lie outside buffers[{}] ({len} bytes)",
                        v.index(),
                        v.offset(),
                        v.offset() + v.length(),
                        v.buffer().index()
                    ),
                ));
            }
        }
        for a in self.gltf.accessors() {
            let elem = accessor_elem_size(&a);
            if let Some(view) = a.view() {
                let stride = view.stride().unwrap_or(elem);
                let need = if a.count() == 0 {
                    0
                } else {
                    a.offset() + stride * (a.count() - 1) + elem
                };
                if need > view.length() {
                    return Err(AssetError::gltf(
                        &self.file,
                        format!(
                            "accessors[{}]: needs {need} bytes but bufferViews[{}] has {}",
                            a.index(),
                            view.index(),
                            view.length()
                        ),
                    ));
                }
            }
            if let Some(sparse) = a.sparse() {
                for (what, view, off, size) in [
                    (
                        "indices",
                        sparse.indices().view(),
                        sparse.indices().offset(),
                        sparse.indices().index_type().size(),
                    ),
                    (
                        "values",
                        sparse.values().view(),
                        sparse.values().offset(),
                        elem,
                    ),
                ] {
                    let need = off + size * sparse.count();
                    if need > view.length() {
                        return Err(AssetError::gltf(
                            &self.file,
                            format!("accessors[{}].sparse.{what}: needs {need} bytes but bufferViews[{}] has {}", a.index(), view.index(), view.length()),
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// Builds the model from resolved buffers (see [`Document::resolve_buffers`]).
    pub fn build(&self, buffers: &[Vec<u8>]) -> Result<ModelData, AssetError> {
        self.check_ranges(buffers)?;
        let file = &self.file;
        let get = |b: gltf::Buffer| buffers.get(b.index()).map(Vec::as_slice);
        let mut image_is_srgb = vec![false; self.gltf.images().len()];

        let tex = |info: Option<(gltf::Texture, u32, Option<gltf::texture::TextureTransform>)>,
                   srgb: bool,
                   srgb_flags: &mut Vec<bool>| {
            info.map(|(t, tc, tt)| {
                let image = t.source().index();
                if srgb {
                    if let Some(f) = srgb_flags.get_mut(image) {
                        *f = true;
                    }
                }
                TextureRef {
                    image,
                    sampler: sampler(&t.sampler()),
                    tex_coord: tt.as_ref().and_then(|t| t.tex_coord()).unwrap_or(tc),
                    transform: transform(tt),
                }
            })
        };

        let mut materials = Vec::new();
        for m in self.gltf.materials() {
            let pbr = m.pbr_metallic_roughness();
            let base_tex = pbr
                .base_color_texture()
                .map(|i| (i.texture(), i.tex_coord(), i.texture_transform()));
            let mr_tex = pbr
                .metallic_roughness_texture()
                .map(|i| (i.texture(), i.tex_coord(), i.texture_transform()));
            let em_tex = m
                .emissive_texture()
                .map(|i| (i.texture(), i.tex_coord(), i.texture_transform()));
            let normal = m.normal_texture();
            let occl = m.occlusion_texture();
            materials.push(Material {
                name: m.name().map(str::to_string),
                base_color: Vec4::from(pbr.base_color_factor()),
                base_color_texture: tex(base_tex, true, &mut image_is_srgb),
                metallic: pbr.metallic_factor(),
                roughness: pbr.roughness_factor(),
                metallic_roughness_texture: tex(mr_tex, false, &mut image_is_srgb),
                normal_scale: normal.as_ref().map(|n| n.scale()).unwrap_or(1.0),
                normal_texture: tex(
                    normal.map(|n| (n.texture(), n.tex_coord(), None)),
                    false,
                    &mut image_is_srgb,
                ),
                occlusion_strength: occl.as_ref().map(|o| o.strength()).unwrap_or(1.0),
                occlusion_texture: tex(
                    occl.map(|o| (o.texture(), o.tex_coord(), None)),
                    false,
                    &mut image_is_srgb,
                ),
                emissive: Vec3::from(m.emissive_factor()) * m.emissive_strength().unwrap_or(1.0),
                emissive_texture: tex(em_tex, true, &mut image_is_srgb),
                alpha_mode: match m.alpha_mode() {
                    gltf::material::AlphaMode::Opaque => AlphaMode::Opaque,
                    gltf::material::AlphaMode::Mask => AlphaMode::Mask,
                    gltf::material::AlphaMode::Blend => AlphaMode::Blend,
                },
                alpha_cutoff: m.alpha_cutoff().unwrap_or(0.5),
                double_sided: m.double_sided(),
                unlit: m.unlit(),
            });
        }

        // Geometry: one Primitive per glTF primitive, indexed by (mesh, primitive).
        let mut primitives = Vec::new();
        let mut mesh_prims: Vec<Vec<usize>> = Vec::new();
        for mesh in self.gltf.meshes() {
            let mut list = Vec::new();
            for prim in mesh.primitives() {
                let at = format!("meshes[{}].primitives[{}]", mesh.index(), prim.index());
                if prim.mode() != gltf::mesh::Mode::Triangles {
                    continue; // points and lines are not drawn
                }
                let r = prim.reader(get);
                let positions: Vec<[f32; 3]> = r
                    .read_positions()
                    .ok_or_else(|| {
                        AssetError::gltf(file, format!("{at}: has no POSITION attribute"))
                    })?
                    .collect();
                let n = positions.len();
                let mut indices: Vec<u32> = match r.read_indices() {
                    Some(i) => i.into_u32().collect(),
                    None => (0..n as u32).collect(),
                };
                if let Some(bad) = indices.iter().find(|i| **i as usize >= n) {
                    return Err(AssetError::gltf(file, format!("{at}.indices: index {bad} is out of range (the primitive has {n} vertices)")));
                }
                indices.truncate(indices.len() / 3 * 3);
                let fit = |v: Vec<[f32; 2]>| if v.len() == n { v } else { vec![[0.0; 2]; n] };
                let uv0 = fit(r
                    .read_tex_coords(0)
                    .map(|t| t.into_f32().collect())
                    .unwrap_or_default());
                let uv1 = fit(r
                    .read_tex_coords(1)
                    .map(|t| t.into_f32().collect())
                    .unwrap_or_default());
                let colors = r
                    .read_colors(0)
                    .map(|c| c.into_rgba_f32().collect::<Vec<_>>())
                    .filter(|c| c.len() == n)
                    .unwrap_or_else(|| vec![[1.0; 4]; n]);
                let mut p = Primitive {
                    positions,
                    uv0,
                    uv1,
                    colors,
                    indices,
                    material: prim.material().index(),
                    ..Default::default()
                };
                match r
                    .read_normals()
                    .map(|x| x.collect::<Vec<_>>())
                    .filter(|x| x.len() == n)
                {
                    Some(normals) => {
                        p.normals = normals
                            .into_iter()
                            .map(|v| Vec3::from(v).normalize_or(Vec3::Y).into())
                            .collect()
                    }
                    None => flat_normals(&mut p),
                }
                let has_normal_map = p
                    .material
                    .and_then(|m| materials.get(m))
                    .is_some_and(|m: &Material| m.normal_texture.is_some());
                match r
                    .read_tangents()
                    .map(|x| x.collect::<Vec<_>>())
                    .filter(|x| x.len() == p.positions.len())
                {
                    Some(t) => p.tangents = t,
                    None if has_normal_map => generate_tangents(&mut p),
                    None => p.tangents = vec![[0.0; 4]; p.positions.len()],
                }
                list.push(primitives.len());
                primitives.push(p);
            }
            mesh_prims.push(list);
        }

        // Instances: walk the default scene (or the first, or every node if there is none).
        let mut instances = Vec::new();
        let roots: Vec<gltf::Node> = match self
            .gltf
            .default_scene()
            .or_else(|| self.gltf.scenes().next())
        {
            Some(s) => s.nodes().collect(),
            None => self.gltf.nodes().collect(),
        };
        let node_count = self.gltf.nodes().len();
        let mut stack: Vec<(gltf::Node, Mat4, usize)> =
            roots.into_iter().map(|n| (n, Mat4::IDENTITY, 0)).collect();
        while let Some((node, parent, depth)) = stack.pop() {
            if depth > node_count {
                return Err(AssetError::gltf(
                    file,
                    format!("nodes[{}]: the node hierarchy has a cycle", node.index()),
                ));
            }
            let world = parent * Mat4::from_cols_array_2d(&node.transform().matrix());
            if let Some(mesh) = node.mesh() {
                for &pi in mesh_prims.get(mesh.index()).into_iter().flatten() {
                    instances.push(Instance {
                        primitive: pi,
                        world,
                    });
                }
            }
            for child in node.children() {
                stack.push((child, world, depth + 1));
            }
        }

        let mut min = Vec3::splat(f32::INFINITY);
        let mut max = Vec3::splat(f32::NEG_INFINITY);
        for inst in &instances {
            for v in &primitives[inst.primitive].positions {
                let w = inst.world.transform_point3(Vec3::from(*v));
                if w.is_finite() {
                    min = min.min(w);
                    max = max.max(w);
                }
            }
        }
        if instances.is_empty() || !min.is_finite() {
            return Err(AssetError::gltf(file, "the scene has no triangles to show"));
        }
        Ok(ModelData {
            primitives,
            instances,
            materials,
            image_count: self.gltf.images().len(),
            image_is_srgb,
            bounds: Bounds { min, max },
        })
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

fn describe_gltf_error(e: gltf::Error) -> String {
    match e {
        gltf::Error::Binary(b) => format!("not a valid GLB file: {b}"),
        gltf::Error::Deserialize(d) => format!("not valid glTF JSON: {d}"),
        gltf::Error::Validation(list) => {
            let parts: Vec<String> = list
                .iter()
                .take(8)
                .map(|(path, err)| format!("{path}: {err}"))
                .collect();
            format!("invalid glTF: {}", parts.join("; "))
        }
        other => other.to_string(),
    }
}

fn sampler(s: &gltf::texture::Sampler) -> Sampler {
    use gltf::texture::{MagFilter, MinFilter, WrappingMode};
    let wrap = |w: WrappingMode| match w {
        WrappingMode::ClampToEdge => Wrap::Clamp,
        WrappingMode::MirroredRepeat => Wrap::Mirror,
        WrappingMode::Repeat => Wrap::Repeat,
    };
    let (min_linear, mipmaps) = match s.min_filter() {
        None => (true, true),
        Some(MinFilter::Nearest) => (false, false),
        Some(MinFilter::Linear) => (true, false),
        Some(MinFilter::NearestMipmapNearest) | Some(MinFilter::NearestMipmapLinear) => {
            (false, true)
        }
        Some(MinFilter::LinearMipmapNearest) | Some(MinFilter::LinearMipmapLinear) => (true, true),
    };
    Sampler {
        wrap_u: wrap(s.wrap_s()),
        wrap_v: wrap(s.wrap_t()),
        mag_linear: s.mag_filter() != Some(MagFilter::Nearest),
        min_linear,
        mipmaps,
    }
}

fn transform(t: Option<gltf::texture::TextureTransform>) -> [[f32; 3]; 2] {
    let Some(t) = t else {
        return [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]];
    };
    let [ox, oy] = t.offset();
    let [sx, sy] = t.scale();
    let r = t.rotation();
    let (s, c) = r.sin_cos();
    // T * R * S as in the KHR_texture_transform spec.
    let m = Mat3::from_cols(
        Vec3::new(1.0, 0.0, 0.0),
        Vec3::new(0.0, 1.0, 0.0),
        Vec3::new(ox, oy, 1.0),
    ) * Mat3::from_cols(Vec3::new(c, -s, 0.0), Vec3::new(s, c, 0.0), Vec3::Z)
        * Mat3::from_diagonal(Vec3::new(sx, sy, 1.0));
    [
        [m.x_axis.x, m.y_axis.x, m.z_axis.x],
        [m.x_axis.y, m.y_axis.y, m.z_axis.y],
    ]
}

/// Flat normals: unshares vertices so that every triangle has its face normal.
fn flat_normals(p: &mut Primitive) {
    let mut out = Primitive {
        material: p.material,
        ..Default::default()
    };
    for tri in p.indices.chunks_exact(3) {
        let v: Vec<Vec3> = tri
            .iter()
            .map(|&i| Vec3::from(p.positions[i as usize]))
            .collect();
        let n = (v[1] - v[0]).cross(v[2] - v[0]).normalize_or(Vec3::Y);
        for &i in tri {
            let i = i as usize;
            out.indices.push(out.positions.len() as u32);
            out.positions.push(p.positions[i]);
            out.normals.push(n.into());
            out.uv0.push(p.uv0[i]);
            out.uv1.push(p.uv1[i]);
            out.colors.push(p.colors[i]);
        }
    }
    *p = out;
}

/// Per-vertex tangents accumulated from triangle UV derivatives.
fn generate_tangents(p: &mut Primitive) {
    let n = p.positions.len();
    let mut tan = vec![Vec3::ZERO; n];
    let mut bit = vec![Vec3::ZERO; n];
    for tri in p.indices.chunks_exact(3) {
        let [a, b, c] = [tri[0] as usize, tri[1] as usize, tri[2] as usize];
        let (p0, p1, p2) = (
            Vec3::from(p.positions[a]),
            Vec3::from(p.positions[b]),
            Vec3::from(p.positions[c]),
        );
        let (t0, t1, t2) = (
            Vec2::from(p.uv0[a]),
            Vec2::from(p.uv0[b]),
            Vec2::from(p.uv0[c]),
        );
        let (e1, e2) = (p1 - p0, p2 - p0);
        let (d1, d2) = (t1 - t0, t2 - t0);
        let det = d1.x * d2.y - d2.x * d1.y;
        if det.abs() < 1e-12 {
            continue;
        }
        let r = 1.0 / det;
        let t = (e1 * d2.y - e2 * d1.y) * r;
        let bt = (e2 * d1.x - e1 * d2.x) * r;
        for i in [a, b, c] {
            tan[i] += t;
            bit[i] += bt;
        }
    }
    p.tangents = (0..n)
        .map(|i| {
            let nrm = Vec3::from(p.normals[i]);
            let t = (tan[i] - nrm * nrm.dot(tan[i]))
                .try_normalize()
                .unwrap_or_else(|| nrm.any_orthonormal_vector());
            let w = if nrm.cross(t).dot(bit[i]) < 0.0 {
                -1.0
            } else {
                1.0
            };
            [t.x, t.y, t.z, w]
        })
        .collect();
}

/// Loads a model completely, reading external files with `read` (paths relative to the model
/// file's folder, already percent-decoded). Returns the model and its encoded images.
pub fn load_with(
    bytes: &[u8],
    file: &str,
    read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
) -> Result<(ModelData, Vec<crate::EncodedImage>), AssetError> {
    let doc = Document::parse(bytes, file)?;
    let needs = doc.needs();
    let mut external = Vec::new();
    for uri in &needs.buffers {
        external.push(match uri {
            Some(u) => read(u).map_err(|message| AssetError::Missing {
                file: file.into(),
                uri: u.clone(),
                message,
            })?,
            None => Vec::new(),
        });
    }
    let buffers = doc.resolve_buffers(&external)?;
    let model = doc.build(&buffers)?;
    let mut images = Vec::new();
    for (i, (uri, mime)) in needs.images.iter().enumerate() {
        images.push(match uri {
            Some(u) => crate::EncodedImage {
                bytes: read(u).map_err(|message| AssetError::Missing {
                    file: file.into(),
                    uri: u.clone(),
                    message,
                })?,
                mime: mime.clone(),
            },
            None => doc
                .embedded_image(&buffers, i)?
                .ok_or_else(|| AssetError::gltf(file, format!("images[{i}] has no data")))?,
        });
    }
    Ok((model, images))
}
