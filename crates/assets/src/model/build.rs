//! From a checked [`Document`] and its buffers to [`ModelData`]: materials, primitives read with
//! our own accessor reader, generated normals and tangents, and the scene walk (instances,
//! cameras, bounds).

use super::accessor::{self, chunks};
use super::{
    tangents, AlphaMode, CameraInfo, CameraProjection, Document, Instance, Material, ModelData,
    Primitive, Sampler, TextureRef, Wrap, DRAW_BYTES, MAX_GEOMETRY_BYTES,
};
use crate::AssetError;
use disan_tour::camera::Bounds;
use glam::{Mat3, Mat4, Vec3, Vec4};
use gltf::mesh::{Mode, Semantic};
use std::collections::HashMap;
use std::rc::Rc;

/// Decoded accessors by index, so that an accessor shared by many primitives is read once.
#[derive(Default)]
struct Accessors {
    f32s: HashMap<usize, Rc<Vec<f32>>>,
    u32s: HashMap<usize, Rc<Vec<u32>>>,
}

impl Accessors {
    /// Reads accessor `a` as f32 components, flattened.
    fn f32(&mut self, a: &gltf::Accessor, buffers: &[Vec<u8>]) -> Result<Rc<Vec<f32>>, String> {
        if let Some(v) = self.f32s.get(&a.index()) {
            return Ok(v.clone());
        }
        let v = Rc::new(accessor::locate(a, buffers)?.read_f32()?);
        self.f32s.insert(a.index(), v.clone());
        Ok(v)
    }

    /// Reads accessor `a` as unsigned integers.
    fn u32(&mut self, a: &gltf::Accessor, buffers: &[Vec<u8>]) -> Result<Rc<Vec<u32>>, String> {
        if let Some(v) = self.u32s.get(&a.index()) {
            return Ok(v.clone());
        }
        let v = Rc::new(accessor::locate(a, buffers)?.read_u32()?);
        self.u32s.insert(a.index(), v.clone());
        Ok(v)
    }

    /// Reads an attribute as `N`-component vectors, or `None` when the primitive lacks it.
    fn attribute<const N: usize>(
        &mut self,
        prim: &gltf::Primitive,
        sem: Semantic,
        buffers: &[Vec<u8>],
    ) -> Result<Option<Vec<[f32; N]>>, String> {
        match prim.get(&sem) {
            Some(a) => Ok(Some(chunks::<N>(&self.f32(&a, buffers)?))),
            None => Ok(None),
        }
    }
}

/// A decoded `KHR_draco_mesh_compression` primitive: its geometry, the accessors its
/// attributes stand in for (in `mesh.attributes` order) and its indices accessor.
#[cfg(feature = "draco")]
pub(super) struct DracoPrimitive {
    pub mesh: super::compressed::DracoMesh,
    pub accessors: Vec<usize>,
    pub indices: usize,
}

/// Decodes the Draco stream of `prim` (`None`: the primitive is not Draco-compressed). `at` is
/// the primitive's JSON path. Used by the loader and by `model::unpack`.
#[cfg(feature = "draco")]
pub(super) fn decode_draco_primitive(
    prim: &gltf::Primitive,
    at: &str,
    doc: &Document,
    buffers: &[Vec<u8>],
) -> Result<Option<DracoPrimitive>, String> {
    use super::compressed::{self, DRACO};
    let Some(ext) = prim.extensions().and_then(|e| e.get(DRACO)) else {
        return Ok(None);
    };
    let at = format!("{at}.extensions.{DRACO}");
    let req = compressed::draco_request(ext, &at, |name| {
        prim.attributes()
            .find(|(sem, _)| sem.to_string() == name)
            .map(|(_, a)| (a.index(), a.dimensions().multiplicity()))
    })?;
    let count = doc.gltf.views().len();
    let view = doc.gltf.views().nth(req.view).ok_or_else(|| {
        format!(
            "{at}.bufferView: refers to bufferViews[{}], which does not exist (the file has {count} bufferViews)",
            req.view
        )
    })?;
    let bytes = accessor::view_bytes(&view, buffers)?;
    let indices = prim
        .indices()
        .ok_or_else(|| format!("{at}: the primitive has no indices accessor"))?
        .index();
    let mesh = compressed::decode_draco(bytes, &req.wanted, &at, MAX_GEOMETRY_BYTES)?;
    Ok(Some(DracoPrimitive {
        mesh,
        accessors: req.accessors,
        indices,
    }))
}

/// A Draco primitive's decoded attributes and indices go to the accessor cache in place of the
/// accessors' missing data.
#[cfg(feature = "draco")]
fn draco(
    prim: &gltf::Primitive,
    at: &str,
    doc: &Document,
    buffers: &[Vec<u8>],
    acc: &mut Accessors,
) -> Result<(), String> {
    let Some(d) = decode_draco_primitive(prim, at, doc, buffers)? else {
        return Ok(());
    };
    for ((_, values), a) in d.mesh.attributes.into_iter().zip(d.accessors) {
        acc.f32s.insert(a, Rc::new(values));
    }
    acc.u32s.insert(d.indices, Rc::new(d.mesh.indices));
    Ok(())
}

/// Accessors whose data a Draco stream gives (not read from buffers).
#[cfg(feature = "draco")]
pub fn draco_accessors(doc: &Document) -> std::collections::HashSet<usize> {
    let mut out = std::collections::HashSet::new();
    for mesh in doc.gltf.meshes() {
        for prim in mesh.primitives() {
            if prim
                .extensions()
                .is_some_and(|e| e.contains_key(super::compressed::DRACO))
            {
                out.extend(prim.attributes().map(|(_, a)| a.index()));
                out.extend(prim.indices().map(|a| a.index()));
            }
        }
    }
    out
}

/// Prefixes an attribute's error with its JSON path.
fn named<T>(at: &str, name: &str, r: Result<T, String>) -> Result<T, String> {
    r.map_err(|e| format!("{at}.attributes.{name}: {e}"))
}

/// Triangle list from the primitive's indices and mode (strips and fans are unrolled).
fn triangles(mode: Mode, idx: Vec<u32>) -> Vec<u32> {
    match mode {
        Mode::Triangles => {
            let mut idx = idx;
            idx.truncate(idx.len() / 3 * 3);
            idx
        }
        Mode::TriangleStrip => (2..idx.len())
            .flat_map(|i| {
                if i % 2 == 0 {
                    [idx[i - 2], idx[i - 1], idx[i]]
                } else {
                    [idx[i - 1], idx[i - 2], idx[i]]
                }
            })
            .collect(),
        Mode::TriangleFan => (2..idx.len())
            .flat_map(|i| [idx[0], idx[i - 1], idx[i]])
            .collect(),
        _ => Vec::new(),
    }
}

fn primitive(
    prim: &gltf::Primitive,
    at: &str,
    buffers: &[Vec<u8>],
    materials: &[Material],
    acc: &mut Accessors,
) -> Result<Primitive, String> {
    let positions: Vec<[f32; 3]> = acc
        .attribute(prim, Semantic::Positions, buffers)
        .map_err(|e| format!("{at}.attributes.POSITION: {e}"))?
        .ok_or_else(|| format!("{at}: has no POSITION attribute"))?;
    let n = positions.len();
    let indices = match prim.indices() {
        Some(a) => {
            let idx = acc
                .u32(&a, buffers)
                .map_err(|e| format!("{at}.indices: {e}"))?;
            if let Some((k, bad)) = idx.iter().enumerate().find(|(_, i)| **i as usize >= n) {
                return Err(format!(
                    "{at}.indices: accessors[{}] element {k} is {bad}, out of range: the primitive has {n} vertices",
                    a.index()
                ));
            }
            idx.to_vec()
        }
        None => (0..n as u32).collect(),
    };
    let indices = triangles(prim.mode(), indices);
    let uv0 = named(
        at,
        "TEXCOORD_0",
        acc.attribute::<2>(prim, Semantic::TexCoords(0), buffers),
    )?
    .unwrap_or_else(|| vec![[0.0; 2]; n]);
    let uv1 = named(
        at,
        "TEXCOORD_1",
        acc.attribute::<2>(prim, Semantic::TexCoords(1), buffers),
    )?
    .unwrap_or_else(|| vec![[0.0; 2]; n]);
    let colors = match prim.get(&Semantic::Colors(0)) {
        Some(a) => {
            let flat = named(at, "COLOR_0", acc.f32(&a, buffers))?;
            match a.dimensions() {
                gltf::accessor::Dimensions::Vec3 => chunks::<3>(&flat)
                    .into_iter()
                    .map(|[r, g, b]| [r, g, b, 1.0])
                    .collect(),
                _ => chunks::<4>(&flat),
            }
        }
        None => vec![[1.0; 4]; n],
    };
    let mut p = Primitive {
        positions,
        uv0,
        uv1,
        colors,
        indices,
        material: prim.material().index(),
        ..Default::default()
    };
    match named(
        at,
        "NORMAL",
        acc.attribute::<3>(prim, Semantic::Normals, buffers),
    )? {
        Some(normals) => {
            p.normals = normals
                .into_iter()
                .map(|v| Vec3::from(v).normalize_or(Vec3::Y).into())
                .collect()
        }
        None => flat_normals(&mut p),
    }
    let normal_map = p
        .material
        .and_then(|m| materials.get(m))
        .and_then(|m| m.normal_texture);
    let supplied = if p.positions.len() == n {
        named(
            at,
            "TANGENT",
            acc.attribute::<4>(prim, Semantic::Tangents, buffers),
        )?
    } else {
        None // flat normals unshared the vertices; supplied tangents no longer line up
    };
    match (supplied, normal_map) {
        (Some(t), _) => p.tangents = t,
        (None, Some(tex)) => tangents::generate(&mut p, tex.tex_coord),
        (None, None) => p.tangents = vec![[0.0; 4]; p.positions.len()],
    }
    Ok(p)
}

/// Builds the model. The document's references and the buffers' ranges are already checked.
pub fn build(doc: &Document, buffers: &[Vec<u8>]) -> Result<ModelData, AssetError> {
    let file = doc.file.as_str();
    let g = &doc.gltf;
    let mut image_is_srgb = vec![false; g.images().len()];

    let tex = |info: Option<(gltf::Texture, u32, Option<gltf::texture::TextureTransform>)>,
               srgb: bool,
               srgb_flags: &mut Vec<bool>| {
        info.and_then(|(t, tc, tt)| {
            let image = doc.texture_images.get(t.index()).copied().flatten()?;
            if srgb {
                if let Some(f) = srgb_flags.get_mut(image) {
                    *f = true;
                }
            }
            Some(TextureRef {
                image,
                sampler: sampler(&t.sampler()),
                tex_coord: tt.as_ref().and_then(|t| t.tex_coord()).unwrap_or(tc),
                transform: transform(tt),
            })
        })
    };

    let mut materials = Vec::new();
    for m in g.materials() {
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

    // Geometry: one Primitive per triangle primitive, indexed by (mesh, primitive). Every mesh
    // is read, so that a broken one is reported even when no node shows it.
    check_budget(doc, &materials)?;
    let mut acc = Accessors::default();
    let mut primitives = Vec::new();
    let mut mesh_prims: Vec<Vec<usize>> = Vec::new();
    for mesh in g.meshes() {
        let mut list = Vec::new();
        for prim in mesh.primitives() {
            if !matches!(
                prim.mode(),
                Mode::Triangles | Mode::TriangleStrip | Mode::TriangleFan
            ) {
                continue; // points and lines are not drawn
            }
            let at = format!("meshes[{}].primitives[{}]", mesh.index(), prim.index());
            #[cfg(feature = "draco")]
            draco(&prim, &at, doc, buffers, &mut acc).map_err(|e| AssetError::gltf(file, e))?;
            let p = primitive(&prim, &at, buffers, &materials, &mut acc)
                .map_err(|e| AssetError::gltf(file, e))?;
            list.push(primitives.len());
            primitives.push(p);
        }
        mesh_prims.push(list);
    }

    drop(acc);

    // Instances and cameras: walk the shown scene. The hierarchy is known to be a forest.
    let mut instances = Vec::new();
    let mut cameras = Vec::new();
    let mut stack: Vec<(gltf::Node, Mat4)> = scene_roots(g)
        .into_iter()
        .map(|n| (n, Mat4::IDENTITY))
        .collect();
    let mut visits = 0usize;
    while let Some((node, parent)) = stack.pop() {
        visits += 1;
        if visits > g.nodes().len() {
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
        if let Some(cam) = node.camera() {
            let projection = match cam.projection() {
                gltf::camera::Projection::Perspective(p) => CameraProjection::Perspective {
                    yfov: p.yfov(),
                    aspect: p.aspect_ratio(),
                    znear: p.znear(),
                    zfar: p.zfar(),
                },
                gltf::camera::Projection::Orthographic(o) => CameraProjection::Orthographic {
                    xmag: o.xmag(),
                    ymag: o.ymag(),
                    znear: o.znear(),
                    zfar: o.zfar(),
                },
            };
            cameras.push(CameraInfo {
                camera: cam.index(),
                node: node.index(),
                name: cam.name().or(node.name()).map(str::to_string),
                projection,
                world,
            });
        }
        for child in node.children() {
            stack.push((child, world));
        }
    }
    cameras.sort_by_key(|c| c.node);

    let mut min = Vec3::splat(f32::INFINITY);
    let mut max = Vec3::splat(f32::NEG_INFINITY);
    for inst in &instances {
        let p = &primitives[inst.primitive];
        if p.indices.is_empty() {
            continue;
        }
        for v in &p.positions {
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
        image_count: g.images().len(),
        image_is_srgb,
        bounds: Bounds { min, max },
        cameras,
    })
}

/// Bytes one decoded vertex takes: position, normal, tangent, two UV sets, colour.
const VERTEX_BYTES: u64 = 12 + 12 + 16 + 8 + 8 + 16;

/// What a model's geometry comes to once decoded and instanced ([`geometry_estimate`]).
#[derive(Debug, Default)]
struct GeometryEstimate {
    /// Bytes: every primitive decoded once, and every draw's world-space copy and draw state.
    bytes: u64,
    /// Triangle primitives in the meshes.
    primitives: usize,
    /// Nodes of the shown scene that show a mesh.
    mesh_nodes: u64,
    /// Primitives drawn: each mesh node draws every triangle primitive of its mesh.
    draws: u64,
    /// Triangles and vertices after instancing (each draw counts its primitive's again).
    triangles: u64,
    vertices: u64,
}

/// Estimates, from accessor counts and the node graph alone, the bytes of decoded geometry: every
/// primitive's vertices and triangle indices (flat normals and generated tangents may unshare
/// vertices, one per triangle corner), then geometry after instancing: for every primitive the
/// shown scene draws (every node showing its mesh, nested ones included), the world-space copy
/// [`ModelData::triangle_mesh`] makes (the flattener of `disan optimize` makes one too) and the
/// draw's own state ([`DRAW_BYTES`]).
fn geometry_estimate(doc: &Document, materials: &[Material]) -> GeometryEstimate {
    let g = &doc.gltf;
    let mut est = GeometryEstimate::default();
    // Per mesh, what one node showing it adds (a draw of each primitive): bytes of the
    // world-space copy and the draw state, triangles, vertices.
    let mut shown_once = vec![(0u64, 0u64, 0u64); g.meshes().len()];
    for mesh in g.meshes() {
        for prim in mesh.primitives() {
            // Accessors with a bufferView are known to fit their data; one without claiming more
            // than MAX_ZERO_FILLED elements is refused with its own message when read.
            let count = |a: gltf::Accessor| {
                if a.view().is_none() && a.count() > accessor::MAX_ZERO_FILLED {
                    0
                } else {
                    a.count() as u64
                }
            };
            let n = prim.get(&Semantic::Positions).map_or(0, count);
            let idx = prim.indices().map_or(n, count);
            let tri = match prim.mode() {
                Mode::Triangles => idx / 3 * 3,
                Mode::TriangleStrip | Mode::TriangleFan => idx.saturating_sub(2) * 3,
                _ => continue,
            };
            let normal_mapped = prim
                .material()
                .index()
                .and_then(|m| materials.get(m))
                .is_some_and(|m| m.normal_texture.is_some());
            let has = |s: Semantic| prim.get(&s).is_some();
            let verts = if has(Semantic::Normals) && (has(Semantic::Tangents) || !normal_mapped) {
                n
            } else {
                n.max(tri)
            };
            est.primitives += 1;
            est.bytes = est
                .bytes
                .saturating_add(verts.saturating_mul(VERTEX_BYTES) + tri * 4);
            if let Some((bytes, t, v)) = shown_once.get_mut(mesh.index()) {
                *bytes = bytes.saturating_add(verts * 12 + tri * 4 + DRAW_BYTES);
                *t += tri / 3;
                *v += verts;
            }
        }
    }
    // How often the shown scene draws each mesh. The hierarchy is a checked forest of at most
    // MAX_NODES nodes, so the walk visits each node once; the visit count guards anyway.
    let mut stack: Vec<gltf::Node> = scene_roots(g);
    let mut visits = 0usize;
    while let Some(node) = stack.pop() {
        visits += 1;
        if visits > g.nodes().len() {
            break;
        }
        if let Some(m) = node.mesh() {
            est.mesh_nodes += 1;
            est.draws += mesh_primitive_count(&m);
            let (bytes, t, v) = shown_once.get(m.index()).copied().unwrap_or_default();
            est.bytes = est.bytes.saturating_add(bytes);
            est.triangles = est.triangles.saturating_add(t);
            est.vertices = est.vertices.saturating_add(v);
        }
        stack.extend(node.children());
    }
    est
}

fn mesh_primitive_count(m: &gltf::Mesh) -> u64 {
    m.primitives()
        .filter(|p| {
            matches!(
                p.mode(),
                Mode::Triangles | Mode::TriangleStrip | Mode::TriangleFan
            )
        })
        .count() as u64
}

/// Refuses a model whose decoded and instanced geometry would exceed [`MAX_GEOMETRY_BYTES`],
/// before decoding.
fn check_budget(doc: &Document, materials: &[Material]) -> Result<(), AssetError> {
    let e = geometry_estimate(doc, materials);
    if e.bytes > MAX_GEOMETRY_BYTES {
        return Err(AssetError::gltf(
            &doc.file,
            format!(
                "the model's geometry would take about {} MB once decoded and instanced, more than the {} MB budget: {} primitives drawn {} times by {} nodes, {} triangles and {} vertices after instancing (each draw also takes {} KB of draw state)",
                e.bytes.div_ceil(1 << 20),
                MAX_GEOMETRY_BYTES >> 20,
                e.primitives,
                e.draws,
                e.mesh_nodes,
                e.triangles,
                e.vertices,
                DRAW_BYTES >> 10
            ),
        ));
    }
    Ok(())
}

/// The root nodes of the shown scene: the default one, else the first, else every parentless node.
fn scene_roots(g: &gltf::Document) -> Vec<gltf::Node<'_>> {
    match g.default_scene().or_else(|| g.scenes().next()) {
        Some(s) => s.nodes().collect(),
        None => {
            let mut has_parent = vec![false; g.nodes().len()];
            for n in g.nodes() {
                for c in n.children() {
                    if let Some(h) = has_parent.get_mut(c.index()) {
                        *h = true;
                    }
                }
            }
            g.nodes()
                .filter(|n| !has_parent.get(n.index()).copied().unwrap_or(false))
                .collect()
        }
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
