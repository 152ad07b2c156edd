//! The Đông Sơn style bronze drum: lathe profile (shared with the Hậu cung panorama), mesh with
//! handles, and its textures (base colour with the tympanum star, bird and figure bands and
//! verdigris patina; occlusion-roughness-metallic; normal map from the relief height).
//!
//! The lathe profile and the mesh are in `geometry`, the relief patterns (heights of the cast
//! lines and figures) in `patterns`, and the texture maps baked from them in `maps`.

mod geometry;
mod maps;
mod patterns;

pub use geometry::{build_mesh, outer_profile, surface_point, DrumMesh};
pub use maps::{linear_texture, sample_linear, textures};

/// Height of the drum (top of the tympanum), metres.
pub const TOP_Y: f32 = 0.63;
/// Radius of the tympanum, metres (79 cm across).
pub const TYMPANUM_R: f32 = 0.395;
/// Underside of the overhanging rim.
pub const RIM_Y: f32 = 0.612;
/// Bronze wall thickness.
const WALL: f32 = 0.008;
/// Underside of the tympanum plate, inside.
const INNER_TOP_Y: f32 = 0.618;
/// Segments around the axis (a multiple of 8, so 0°, 45°, 90°… fall on vertex columns).
pub const SEGMENTS: usize = 96;
/// Texture size of the base colour and normal maps.
pub const TEX: usize = 1024;

/// Texture layout (in UV units, v down).
const TYMP_C: f32 = 0.375;
/// Radius of the tympanum disc in the texture atlas (UV units, centred at 0.375, 0.375).
pub const TYMPANUM_UV_R: f32 = 0.37;
const BODY_V0: f32 = 0.76;
const BODY_V1: f32 = 0.995;
const SIDE_U0: f32 = 0.76;
const SIDE_U1: f32 = 0.99;
const INNER_V0: f32 = 0.01;
const INNER_V1: f32 = 0.60;
const HANDLE_V0: f32 = 0.62;
const HANDLE_V1: f32 = 0.74;
