//! glTF 2.0 (`.gltf`, `.glb`) to CPU data: primitives in mesh space, instances with world
//! transforms, materials, samplers, cameras. Images are handed out encoded (the platform decodes
//! them) or, natively, decoded by [`load_and_decode`].
//!
//! Nothing here trusts the file: the GLB container, the JSON, every reference, every byte range
//! and every index is checked, and a broken file gives an [`AssetError`](crate::AssetError) naming the file and the
//! JSON path or byte offset, never a panic or an allocation larger than the data.
//!
//! By concept: data.rs (what a loaded model is), document.rs (a parsed and checked file, its
//! buffers and images), load.rs (loading it whole, images decoded natively), and beside them the
//! GLB container, the checks, the accessor reader, the builder, tangents, and the compressed
//! extensions.

mod accessor;
mod build;
mod checks;
#[cfg(feature = "compressed")]
mod compressed;
mod data;
mod document;
mod glb;
mod load;
mod tangents;
#[cfg(feature = "compressed")]
mod unpack;

use document::trim_json;

pub use accessor::MAX_ZERO_FILLED;
pub use data::{
    AlphaMode, CameraInfo, CameraProjection, Instance, Material, ModelData, Primitive, Sampler,
    TextureRef, Wrap,
};
pub use document::{Document, ModelNeeds};
pub use glb::{pack as pack_glb, parse as parse_glb, Glb};
pub use load::load_with;
#[cfg(feature = "decode")]
pub use load::{load_and_decode, load_and_decode_for};
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
