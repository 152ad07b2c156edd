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
#[cfg(any(feature = "draco", feature = "meshopt"))]
mod compressed;
mod data;
mod document;
mod glb;
mod load;
mod tangents;
#[cfg(any(feature = "draco", feature = "meshopt", feature = "ktx2"))]
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
#[cfg(any(feature = "draco", feature = "meshopt", feature = "ktx2"))]
pub use unpack::{unpack, unpack_needs};

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

/// A codec of compressed glTF, each a feature of this crate (`compressed` has all three) and a
/// decoder module of its own on the web. [`Codec::ALL`] is the order in which the web's modules
/// run over a model: meshopt first (it rewrites buffer views that the others then find plain),
/// then Draco (primitives), then KTX2 (images); each leaves the later codecs' data as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    /// `EXT_meshopt_compression` / `KHR_meshopt_compression` buffer views (feature `meshopt`).
    Meshopt,
    /// `KHR_draco_mesh_compression` primitives (feature `draco`).
    Draco,
    /// `KHR_texture_basisu` KTX2 images (feature `ktx2`).
    Ktx2,
}

impl Codec {
    /// Every codec, in the order the web's decoder modules run.
    pub const ALL: [Codec; 3] = [Codec::Meshopt, Codec::Draco, Codec::Ktx2];

    /// Its glTF extensions.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Codec::Meshopt => &["EXT_meshopt_compression", "KHR_meshopt_compression"],
            Codec::Draco => &["KHR_draco_mesh_compression"],
            Codec::Ktx2 => &["KHR_texture_basisu"],
        }
    }

    /// The codec of extension `ext`, if it is a compressed-data one.
    pub fn of_extension(ext: &str) -> Option<Codec> {
        Codec::ALL
            .into_iter()
            .find(|c| c.extensions().contains(&ext))
    }

    /// Its name: the feature, and the web module `pkg/disan_<name>.js`.
    pub fn name(self) -> &'static str {
        match self {
            Codec::Meshopt => "meshopt",
            Codec::Draco => "draco",
            Codec::Ktx2 => "ktx2",
        }
    }

    /// True when this build decodes it.
    pub fn built(self) -> bool {
        match self {
            Codec::Meshopt => cfg!(feature = "meshopt"),
            Codec::Draco => cfg!(feature = "draco"),
            Codec::Ktx2 => cfg!(feature = "ktx2"),
        }
    }
}

/// The codecs whose extensions the glTF or GLB `bytes` list in `extensionsUsed`, in the order of
/// [`Codec::ALL`] (what a published tour must ship decoders for). Only `extensionsUsed` is read;
/// a file that does not parse answers none (the loader reports what is wrong with it).
pub fn codecs_used(bytes: &[u8]) -> Vec<Codec> {
    let json = if bytes.starts_with(glb::MAGIC) {
        match glb::parse(bytes) {
            Ok(g) => g.json,
            Err(_) => return Vec::new(),
        }
    } else {
        bytes
    };
    #[derive(serde::Deserialize)]
    struct Used {
        #[serde(default, rename = "extensionsUsed")]
        used: Vec<String>,
    }
    let Ok(u) = serde_json::from_slice::<Used>(trim_json(json)) else {
        return Vec::new();
    };
    Codec::ALL
        .into_iter()
        .filter(|c| u.used.iter().any(|e| c.extensions().contains(&e.as_str())))
        .collect()
}

/// The web decoder modules (`pkg/disan_<name>.js`) that make a model using `codecs` plain, in the
/// order to run them: the codec's own module when it uses one (a Draco model downloads no Basis
/// transcoder), else the module with all three (`decoders`), smaller than the sum of theirs
/// (each carries the JSON layer, the allocator, the formatting); none for a plain model.
pub fn decoder_modules(codecs: &[Codec]) -> Vec<&'static str> {
    match codecs {
        [] => Vec::new(),
        [one] => vec![one.name()],
        _ => vec!["decoders"],
    }
}

/// The codecs of [`codecs_used`] that this build cannot decode: the web engine has the file made
/// plain by those decoder modules first ([`unpack`] there), one after the other.
pub fn decoders_needed(bytes: &[u8]) -> Vec<Codec> {
    if Codec::ALL.iter().all(|c| c.built()) {
        return Vec::new();
    }
    let mut used = codecs_used(bytes);
    used.retain(|c| !c.built());
    used
}

/// True when this build renders files that require extension `ext`.
pub fn supported_extension(ext: &str) -> bool {
    SUPPORTED_EXTENSIONS.contains(&ext) || Codec::of_extension(ext).is_some_and(Codec::built)
}
