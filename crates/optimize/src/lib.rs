//! `disan optimize`: derivatives of a huge scan, as Smithsonian Voyager serves them. From any
//! glTF Disan reads (compressed too, or an imported OBJ/PLY), it makes a thumb (under 200 KB),
//! and low, medium and high levels: geometry simplified by meshoptimizer (UV seams, colour
//! seams and open borders kept), textures resized to 256/1k/2k/4k and compressed to KTX2
//! (Basis Universal: ETC1S, UASTC for normal maps or on request), and
//! vertex and index streams compressed with `EXT_meshopt_compression`. Each level is one
//! self-contained GLB whose transforms are baked in; the tour lists them as the object scene's
//! `derivatives`.

pub mod ktx2;
mod write;

use disan_assets::model::{Material, ModelData};
use disan_assets::RgbaImage;
use disan_tour::derivatives::{estimate_gpu_bytes, Quality};
use glam::{Mat3, Vec3};
use meshoptimizer_rs as mo;

/// Errors of `disan optimize`; each names the file.
#[derive(Debug, thiserror::Error)]
pub enum OptimizeError {
    /// The scan does not load.
    #[error("{0}")]
    Load(#[from] disan_assets::AssetError),
    /// Simplification or compression failed.
    #[error("{file}: {message}")]
    Mesh {
        /// The scan.
        file: String,
        /// What failed.
        message: String,
    },
}

/// What one level aims at.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LevelSpec {
    /// Its quality.
    pub quality: Quality,
    /// Most triangles.
    pub triangles: u64,
    /// Largest texture side.
    pub texture: u32,
}

/// The levels written, lightest first (Voyager's thumb, low, medium, high).
pub const LEVELS: [LevelSpec; 4] = [
    LevelSpec {
        quality: Quality::Thumb,
        triangles: 5_000,
        texture: 256,
    },
    LevelSpec {
        quality: Quality::Low,
        triangles: 150_000,
        texture: 1024,
    },
    LevelSpec {
        quality: Quality::Medium,
        triangles: 500_000,
        texture: 2048,
    },
    LevelSpec {
        quality: Quality::High,
        triangles: 1_500_000,
        texture: 4096,
    },
];

/// How the derivatives' textures are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Textures {
    /// KTX2 with Basis Universal (`KHR_texture_basisu`), with mip chains: they stay
    /// block-compressed on the GPU (BC7, ASTC or ETC2). ETC1S for colour and data textures
    /// (small downloads), UASTC for normal maps (ETC1S bands them), as glTF-Transform and
    /// gltfpack advise. Sides are rounded to multiples of 4, as block formats need.
    #[default]
    Ktx2,
    /// KTX2 with UASTC for every texture: near-BC7 detail for close study (fine lettering),
    /// at several times ETC1S's size and encoding time.
    Uastc,
    /// JPEG (PNG where there is alpha), for viewers that do not read KTX2.
    Jpeg,
}

/// Largest thumb.
pub const THUMB_MAX_BYTES: usize = 200 * 1024;

/// One derivative made.
#[derive(Debug, Clone)]
pub struct Level {
    /// Its quality.
    pub quality: Quality,
    /// The GLB.
    pub glb: Vec<u8>,
    /// Triangles.
    pub triangles: u64,
    /// Vertices.
    pub vertices: u64,
    /// Largest texture side (0: untextured).
    pub texture: u32,
    /// GPU memory once shown ([`estimate_gpu_bytes`]).
    pub gpu_bytes: u64,
}

/// A mesh of the scan in world space (instances baked).
#[derive(Debug, Clone, Default)]
pub(crate) struct Mesh {
    pub positions: Vec<[f32; 3]>,
    pub normals: Vec<[f32; 3]>,
    pub uv0: Vec<[f32; 2]>,
    pub uv1: Vec<[f32; 2]>,
    /// Empty when every vertex is white.
    pub colors: Vec<[f32; 4]>,
    pub indices: Vec<u32>,
    pub material: Option<usize>,
}

impl Mesh {
    fn triangles(&self) -> u64 {
        (self.indices.len() / 3) as u64
    }
}

/// The scan, flattened: meshes in world space, materials, decoded images.
pub(crate) struct Scan {
    pub meshes: Vec<Mesh>,
    pub materials: Vec<Material>,
    pub images: Vec<RgbaImage>,
}

fn flatten(model: ModelData, images: Vec<RgbaImage>) -> Scan {
    let mut meshes = Vec::new();
    for inst in &model.instances {
        let Some(p) = model.primitives.get(inst.primitive) else {
            continue;
        };
        let normal_m = Mat3::from_mat4(inst.world).inverse().transpose();
        let white = p.colors.iter().all(|c| c.iter().all(|v| *v >= 0.999));
        meshes.push(Mesh {
            positions: p
                .positions
                .iter()
                .map(|v| inst.world.transform_point3(Vec3::from(*v)).to_array())
                .collect(),
            normals: p
                .normals
                .iter()
                .map(|n| (normal_m * Vec3::from(*n)).normalize_or_zero().to_array())
                .collect(),
            uv0: p.uv0.clone(),
            uv1: p.uv1.clone(),
            colors: if white { Vec::new() } else { p.colors.clone() },
            indices: p.indices.clone(),
            material: p.material,
        });
    }
    Scan {
        meshes,
        materials: model.materials,
        images,
    }
}

/// Simplifies `mesh` to about `target` triangles, keeping UV and colour seams (vertices that
/// share a position but not their attributes) and, while the target can still be reached, its
/// open borders. Returns the mesh with only the vertices it uses, in vertex-cache order.
fn simplify(mesh: &Mesh, target: u64, ws: &mut mo::Workspace) -> Result<Mesh, mo::Error> {
    let n = mesh.positions.len();
    // Degenerate triangles (two corners at one point) are dropped first: they would pin the
    // simplifier (a scan's poles, zero-area slivers of a mesher).
    let mut indices: Vec<u32> = mesh
        .indices
        .chunks_exact(3)
        .filter(|t| {
            let p = |i: u32| mesh.positions.get(i as usize);
            p(t[0]) != p(t[1]) && p(t[1]) != p(t[2]) && p(t[0]) != p(t[2])
        })
        .flatten()
        .copied()
        .collect();
    if target < (indices.len() / 3) as u64 && n > 0 {
        let flat: Vec<f32> = mesh.positions.iter().flatten().copied().collect();
        // Attributes: normal, UVs, colour; each seam between different values stays a seam.
        let mut width = 3;
        let mut weights = vec![0.5f32; 3];
        if mesh.uv0.len() == n {
            width += 2;
            weights.extend([1.0, 1.0]);
        }
        if mesh.uv1.len() == n {
            width += 2;
            weights.extend([1.0, 1.0]);
        }
        if mesh.colors.len() == n {
            width += 3;
            weights.extend([1.0, 1.0, 1.0]);
        }
        let mut attrs = Vec::with_capacity(n * width);
        for i in 0..n {
            attrs.extend(mesh.normals.get(i).copied().unwrap_or([0.0, 0.0, 1.0]));
            if mesh.uv0.len() == n {
                attrs.extend(mesh.uv0[i]);
            }
            if mesh.uv1.len() == n {
                attrs.extend(mesh.uv1[i]);
            }
            if mesh.colors.len() == n {
                attrs.extend(&mesh.colors[i][..3]);
            }
        }
        let run = |options: mo::SimplifyOptions, ws: &mut mo::Workspace| {
            let positions = mo::Positions::from_interleaved(&flat, n, 3, 0)?;
            let attributes = mo::Attributes::from_interleaved(&attrs, n, width, width, 0)?;
            let settings = mo::SimplifySettings {
                target_index_count: (target * 3) as usize,
                target_error: 1.0,
                options,
            };
            mo::simplify_with_attributes(
                &indices, positions, attributes, &weights, None, settings, ws,
            )
        };
        let close = |r: &[u32]| (r.len() as u64) <= target * 3 * 3 / 2;
        let locked = run(mo::SimplifyOptions::LOCK_BORDER, ws)?.indices;
        indices = if close(&locked) {
            locked
        } else {
            // A scan full of holes: its borders may move too (still along themselves).
            let free = run(mo::SimplifyOptions::EMPTY, ws)?.indices;
            if close(&free) {
                free
            } else {
                // Still far off (unwelded or flat-shaded triangles: every edge is a seam): the
                // sloppy simplifier, which ignores topology, as gltfpack's aggressive mode does.
                let positions = mo::Positions::from_interleaved(&flat, n, 3, 0)?;
                let sloppy =
                    mo::simplify_sloppy(&indices, positions, None, (target * 3) as usize, 1.0, ws)?
                        .indices;
                if sloppy.len() < free.len() {
                    sloppy
                } else {
                    free
                }
            }
        };
    }
    if n > 0 && !indices.is_empty() {
        indices = mo::optimize_vertex_cache(&indices, n, ws)?;
    }
    // Only the vertices used, in first-use order (vertex fetch order).
    let mut remap = vec![u32::MAX; n];
    let mut out = Mesh {
        material: mesh.material,
        ..Default::default()
    };
    let mut new_indices = Vec::with_capacity(indices.len());
    for &i in &indices {
        let i = i as usize;
        if remap[i] == u32::MAX {
            remap[i] = out.positions.len() as u32;
            out.positions.push(mesh.positions[i]);
            if let Some(v) = mesh.normals.get(i) {
                out.normals.push(*v);
            }
            if let Some(v) = mesh.uv0.get(i) {
                out.uv0.push(*v);
            }
            if let Some(v) = mesh.uv1.get(i) {
                out.uv1.push(*v);
            }
            if let Some(v) = mesh.colors.get(i) {
                out.colors.push(*v);
            }
        }
        new_indices.push(remap[i]);
    }
    out.indices = new_indices;
    Ok(out)
}

/// `image` resized so that its longest side is at most `side` (never enlarged beyond rounding):
/// with `blocks`, each side is then rounded to a multiple of 4 (4×4 texel blocks).
pub(crate) fn resize(image: &RgbaImage, side: u32, blocks: bool) -> RgbaImage {
    let longest = image.width.max(image.height);
    let scale = (side as f64 / longest.max(1) as f64).min(1.0);
    let mut w = ((image.width as f64 * scale).round() as u32).max(1);
    let mut h = ((image.height as f64 * scale).round() as u32).max(1);
    if blocks {
        (w, h) = (((w + 2) / 4).max(1) * 4, ((h + 2) / 4).max(1) * 4);
    }
    if (w, h) == (image.width, image.height) {
        return image.clone();
    }
    // Borrowed, not copied: an 8K texture is 128 MB.
    let Some(src) = image::ImageBuffer::<image::Rgba<u8>, &[u8]>::from_raw(
        image.width,
        image.height,
        &image.pixels[..],
    ) else {
        return image.clone();
    };
    let out = image::imageops::resize(&src, w, h, image::imageops::FilterType::Triangle);
    RgbaImage {
        width: w,
        height: h,
        pixels: out.into_raw(),
    }
}

/// What each image holds, for its codec and colour space: colour where a material shows it as
/// base colour or emission, a normal map where one uses it so (and not as colour), else data.
fn image_roles(materials: &[Material], count: usize) -> Vec<ktx2::Role> {
    let mut roles = vec![ktx2::Role::Data; count];
    for m in materials {
        let [base, _, normal, _, emissive] = m.textures();
        if let Some(r) = normal.and_then(|t| roles.get_mut(t.image)) {
            *r = ktx2::Role::Normal;
        }
        for t in [base, emissive].into_iter().flatten() {
            if let Some(r) = roles.get_mut(t.image) {
                *r = ktx2::Role::Color;
            }
        }
    }
    roles
}

/// The level's images encoded as `textures` asks.
fn encode_images(
    images: &[Option<RgbaImage>],
    roles: &[ktx2::Role],
    textures: Textures,
) -> Result<Vec<Option<write::Encoded>>, String> {
    images
        .iter()
        .zip(roles)
        .map(|(img, &role)| {
            let Some(img) = img else { return Ok(None) };
            let codec = match textures {
                Textures::Jpeg => return write::jpeg_or_png(img).map(Some),
                Textures::Ktx2 if role != ktx2::Role::Normal => ktx2::Codec::Etc1s,
                Textures::Ktx2 | Textures::Uastc => ktx2::Codec::Uastc,
            };
            Ok(Some(write::Encoded {
                bytes: ktx2::encode(img, codec, role)?,
                mime: "image/ktx2",
            }))
        })
        .collect()
}

/// The images the materials use.
fn used_images(materials: &[Material]) -> Vec<usize> {
    let mut used: Vec<usize> = materials
        .iter()
        .flat_map(|m| m.textures().into_iter().flatten().map(|t| t.image))
        .collect();
    used.sort_unstable();
    used.dedup();
    used
}

/// Makes the derivatives of the glTF/GLB `bytes` (named `file`; its external files are read
/// with `read`, relative to it), with textures written as `textures` says.
/// `progress(done, total, what)` is called after each step.
/// Levels that would repeat the one below (a scan smaller than their target, textures no larger)
/// are left out; the thumb is always made and kept under [`THUMB_MAX_BYTES`].
pub fn optimize(
    bytes: &[u8],
    file: &str,
    read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
    textures: Textures,
    progress: &mut dyn FnMut(u64, u64, &str),
) -> Result<Vec<Level>, OptimizeError> {
    let total = 1 + LEVELS.len() as u64 * 2;
    let (model, images) = disan_assets::model::load_and_decode(bytes, file, read)?;
    let scan = flatten(model, images);
    progress(1, total, "read");
    let mesh_err = |e: mo::Error| OptimizeError::Mesh {
        file: file.to_string(),
        message: format!("simplification failed: {e}"),
    };
    let source_triangles: u64 = scan.meshes.iter().map(Mesh::triangles).sum();
    let used = used_images(&scan.materials);
    let roles = image_roles(&scan.materials, scan.images.len());
    let blocks = textures != Textures::Jpeg;
    let source_side = used
        .iter()
        .filter_map(|&i| scan.images.get(i))
        .map(|img| img.width.max(img.height))
        .max()
        .unwrap_or(0);
    let mut ws = mo::Workspace::new(mo::Limits {
        max_bytes: usize::MAX / 2,
        max_work: u64::MAX / 2,
    });
    let mut levels: Vec<Level> = Vec::new();
    // What the last level made asked for (triangles, texture side): a level asking no more
    // would repeat it. (Not what it made: simplification may fall a little short of its
    // target, and block rounding may shrink a side by up to 2 pixels.)
    let mut asked: Option<(u64, u32)> = None;
    for (k, spec) in LEVELS.iter().enumerate() {
        let done = 1 + k as u64 * 2;
        let triangles = spec.triangles.min(source_triangles);
        let side = spec.texture.min(source_side);
        if let Some((prev_triangles, prev_side)) = asked {
            if prev_triangles >= triangles && prev_side >= side {
                progress(done + 2, total, spec.quality.name());
                continue;
            }
        }
        let mut target = triangles;
        let mut side = side;
        let level = loop {
            let meshes: Vec<Mesh> = scan
                .meshes
                .iter()
                .map(|m| {
                    let share = if source_triangles == 0 {
                        0
                    } else {
                        (target as f64 * m.triangles() as f64 / source_triangles as f64).ceil()
                            as u64
                    };
                    simplify(m, share.max(1), &mut ws)
                })
                .collect::<Result<_, _>>()
                .map_err(mesh_err)?;
            progress(done + 1, total, spec.quality.name());
            let resized: Vec<Option<RgbaImage>> = (0..scan.images.len())
                .map(|i| {
                    used.contains(&i)
                        .then(|| resize(&scan.images[i], side, blocks))
                })
                .collect();
            let err = |message| OptimizeError::Mesh {
                file: file.to_string(),
                message,
            };
            let encoded = encode_images(&resized, &roles, textures).map_err(err)?;
            let glb = write::glb(&meshes, &scan.materials, &encoded).map_err(err)?;
            let vertices: u64 = meshes.iter().map(|m| m.positions.len() as u64).sum();
            let indices: u64 = meshes.iter().map(|m| m.indices.len() as u64).sum();
            let pixels: u64 = resized
                .iter()
                .flatten()
                .map(|i| i.width as u64 * i.height as u64)
                .sum();
            let made_side = resized
                .iter()
                .flatten()
                .map(|i| i.width.max(i.height))
                .max()
                .unwrap_or(0);
            let level = Level {
                quality: spec.quality,
                glb,
                triangles: indices / 3,
                vertices,
                texture: made_side,
                gpu_bytes: estimate_gpu_bytes(vertices, indices, pixels),
            };
            // The thumb must stay small: fewer triangles and a smaller texture until it does.
            if spec.quality == Quality::Thumb && level.glb.len() > THUMB_MAX_BYTES && target > 64 {
                target /= 2;
                side = (side / 2).max(64);
                continue;
            }
            asked = Some((target, side));
            break level;
        };
        progress(done + 2, total, spec.quality.name());
        levels.push(level);
    }
    Ok(levels)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A flat 64×64-quad grid over [0, 1]² cut by a UV seam at x = 0.5: the two halves are two
    /// UV islands (the right one's u is shifted by 10), sharing positions along the seam.
    fn seamed_grid() -> Mesh {
        let n = 64usize;
        let mut m = Mesh::default();
        let mut index = std::collections::HashMap::new();
        for half in 0..2 {
            for y in 0..=n {
                for x in 0..=n / 2 {
                    let gx = x + half * n / 2;
                    let (px, py) = (gx as f32 / n as f32, y as f32 / n as f32);
                    index.insert((half, gx, y), m.positions.len() as u32);
                    m.positions.push([px, py, 0.0]);
                    m.normals.push([0.0, 0.0, 1.0]);
                    m.uv0.push([px + 10.0 * half as f32, py]);
                }
            }
        }
        for half in 0..2 {
            for y in 0..n {
                for x in 0..n / 2 {
                    let gx = x + half * n / 2;
                    let v = |dx: usize, dy: usize| index[&(half, gx + dx, y + dy)];
                    m.indices
                        .extend([v(0, 0), v(1, 0), v(1, 1), v(0, 0), v(1, 1), v(0, 1)]);
                }
            }
        }
        m
    }

    #[test]
    fn simplification_keeps_uv_seams_and_borders() {
        let grid = seamed_grid();
        let mut ws = mo::Workspace::new(mo::Limits::default());
        let out = simplify(&grid, 200, &mut ws).unwrap();
        assert!(out.triangles() <= 300, "{} triangles", out.triangles());
        // No triangle spans the two UV islands.
        for t in out.indices.chunks_exact(3) {
            let right = t.iter().filter(|&&i| out.uv0[i as usize][0] >= 5.0).count();
            assert!(
                right == 0 || right == 3,
                "a triangle crosses the seam: {t:?}"
            );
        }
        // The seam keeps both sides, from bottom to top; the border keeps its corners.
        let on_seam = |island: bool| {
            let ys: Vec<f32> = (0..out.positions.len())
                .filter(|&i| (out.positions[i][0] - 0.5).abs() < 1e-6)
                .filter(|&i| (out.uv0[i][0] >= 5.0) == island)
                .map(|i| out.positions[i][1])
                .collect();
            ys.contains(&0.0) && ys.contains(&1.0)
        };
        assert!(on_seam(false) && on_seam(true), "the seam lost its ends");
        for corner in [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]] {
            assert!(
                out.positions
                    .iter()
                    .any(|p| p[0] == corner[0] && p[1] == corner[1]),
                "corner {corner:?} gone"
            );
        }
        // The area is kept: the grid is flat, so the triangles still cover the unit square.
        let area: f32 = out
            .indices
            .chunks_exact(3)
            .map(|t| {
                let [a, b, c] = [0, 1, 2].map(|k| glam::Vec3::from(out.positions[t[k] as usize]));
                (b - a).cross(c - a).length() / 2.0
            })
            .sum();
        assert!((area - 1.0).abs() < 1e-3, "area {area}");
    }

    /// A GLB of one triangle textured with a `width`×`height` PNG, all in its binary chunk.
    fn textured_triangle(width: u32, height: u32) -> Vec<u8> {
        let mut png = Vec::new();
        image::ImageEncoder::write_image(
            image::codecs::png::PngEncoder::new(&mut png),
            &vec![150u8; width as usize * height as usize * 4],
            width,
            height,
            image::ExtendedColorType::Rgba8,
        )
        .unwrap();
        let mut bin: Vec<u8> = [[0f32, 0., 0.], [1., 0., 0.], [0., 1., 0.]]
            .iter()
            .flatten()
            .chain([0f32, 0., 1., 0., 0., 1.].iter())
            .flat_map(|f| f.to_le_bytes())
            .collect();
        bin.extend([0u16, 1, 2, 0].iter().flat_map(|i| i.to_le_bytes()));
        let png_at = bin.len();
        bin.extend(&png);
        while !bin.len().is_multiple_of(4) {
            bin.push(0);
        }
        let json = serde_json::json!({
            "asset": {"version": "2.0"},
            "scenes": [{"nodes": [0]}], "nodes": [{"mesh": 0}],
            "meshes": [{"primitives": [{"attributes": {"POSITION": 0, "TEXCOORD_0": 1}, "indices": 2, "material": 0}]}],
            "materials": [{"pbrMetallicRoughness": {"baseColorTexture": {"index": 0}}}],
            "textures": [{"source": 0}],
            "images": [{"bufferView": 3, "mimeType": "image/png"}],
            "accessors": [
                {"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3", "min": [0, 0, 0], "max": [1, 1, 0]},
                {"bufferView": 1, "componentType": 5126, "count": 3, "type": "VEC2"},
                {"bufferView": 2, "componentType": 5123, "count": 3, "type": "SCALAR"}
            ],
            "bufferViews": [
                {"buffer": 0, "byteOffset": 0, "byteLength": 36},
                {"buffer": 0, "byteOffset": 36, "byteLength": 24},
                {"buffer": 0, "byteOffset": 60, "byteLength": 6},
                {"buffer": 0, "byteOffset": png_at, "byteLength": png.len()}
            ],
            "buffers": [{"byteLength": bin.len()}]
        });
        disan_assets::model::pack_glb(json.to_string().as_bytes(), &bin)
    }

    /// One textured triangle with a 1021×8 texture: block rounding makes it 1020 wide, which
    /// must not make the low level look smaller than the medium one asks for (a repeat).
    #[test]
    fn a_texture_rounded_down_to_blocks_does_not_repeat_a_level() {
        let glb = textured_triangle(1021, 8);
        let levels = optimize(
            &glb,
            "strip.glb",
            &|_| Err("none".into()),
            Textures::Ktx2,
            &mut |_, _, _| {},
        )
        .unwrap();
        let made: Vec<_> = levels.iter().map(|l| (l.quality, l.texture)).collect();
        assert_eq!(made, [(Quality::Thumb, 256), (Quality::Low, 1020)]);
    }

    /// What this crate writes (meshopt views decoding into a fallback buffer, KTX2 textures) made
    /// plain by `model::unpack`, as the web's decoder modules do, is the same model: the same
    /// triangles and vertices, the texture as large, and no extension left to decode. The
    /// fallback buffer is neither read nor asked for.
    #[test]
    fn unpacked_derivatives_are_the_same_model() {
        let glb = textured_triangle(64, 32);
        let levels = optimize(
            &glb,
            "t.glb",
            &|_| Err("none".into()),
            Textures::Ktx2,
            &mut |_, _, _| {},
        )
        .unwrap();
        let no_files = |p: &str| Err::<Vec<u8>, String>(format!("asked for {p}"));
        for level in &levels {
            let used = disan_assets::model::codecs_used(&level.glb);
            assert_eq!(
                used,
                [
                    disan_assets::model::Codec::Meshopt,
                    disan_assets::model::Codec::Ktx2
                ]
            );
            assert!(disan_assets::model::unpack_needs(&level.glb, "t.glb")
                .unwrap()
                .is_empty());
            let plain = disan_assets::model::unpack(&level.glb, "t.glb", &no_files, None).unwrap();
            assert!(disan_assets::model::codecs_used(&plain).is_empty());
            let (a, ai) =
                disan_assets::model::load_and_decode(&level.glb, "t.glb", &no_files).unwrap();
            let (b, bi) = disan_assets::model::load_and_decode(&plain, "t.glb", &no_files).unwrap();
            let geometry = |m: &disan_assets::ModelData| {
                m.primitives
                    .iter()
                    .map(|p| (p.positions.clone(), p.indices.clone(), p.uv0.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(geometry(&a), geometry(&b), "{:?}", level.quality);
            let sides = |i: &[RgbaImage]| i.iter().map(|i| (i.width, i.height)).collect::<Vec<_>>();
            assert_eq!(sides(&ai), sides(&bi), "{:?}", level.quality);
        }
    }

    #[test]
    fn resizing_never_enlarges_and_keeps_the_aspect() {
        let img = RgbaImage {
            width: 800,
            height: 200,
            pixels: vec![200; 800 * 200 * 4],
        };
        let r = resize(&img, 256, false);
        assert_eq!((r.width, r.height), (256, 64));
        let same = resize(&img, 4096, false);
        assert_eq!((same.width, same.height), (800, 200));
        // For block formats, sides become multiples of 4.
        let odd = RgbaImage {
            width: 301,
            height: 2,
            pixels: vec![200; 301 * 2 * 4],
        };
        let b = resize(&odd, 4096, true);
        assert_eq!((b.width, b.height), (300, 4));
        let b = resize(&img, 100, true);
        assert_eq!((b.width, b.height), (100, 24));
    }
}
