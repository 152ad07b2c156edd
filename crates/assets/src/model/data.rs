//! What a loaded model is: primitives in mesh space, instances with world transforms,
//! metallic-roughness materials and their texture references, samplers, cameras.

use disan_tour::camera::Bounds;
use disan_tour::picking::TriangleMesh;
use glam::{Mat4, Vec3, Vec4};

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
