//! Bytes to CPU data for Disan: glTF models, images and panoramas, plus file-level tour checks. No GPU here.

pub mod check;
pub mod image;
pub mod media;
pub mod model;
pub mod path;
mod uri;
pub mod xmp;

pub use check::check_tour;
pub use image::{BlockFormat, CompressedImage, DecodedImage, EncodedImage, HdrImage, RgbaImage};
pub use model::{
    AlphaMode, CameraInfo, CameraProjection, Instance, Material, ModelData, ModelNeeds, Primitive,
    Sampler, TextureRef, Wrap,
};

/// Errors raised while reading assets. Messages name the file and what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum AssetError {
    /// The glTF file is broken.
    #[error("{file}: {message}")]
    Gltf {
        /// File name.
        file: String,
        /// What is wrong, with the glTF JSON path where known.
        message: String,
    },
    /// An image could not be decoded or is unusable.
    #[error("{file}: {message}")]
    Image {
        /// File name.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// A file the asset refers to could not be read.
    #[error("{file}: {at}: cannot read \"{uri}\": {message}")]
    Missing {
        /// The file that refers to it.
        file: String,
        /// Where it refers to it (JSON path, e.g. `buffers[0].uri`).
        at: String,
        /// The reference.
        uri: String,
        /// Why.
        message: String,
    },
}

impl AssetError {
    pub(crate) fn gltf(file: &str, message: impl Into<String>) -> Self {
        AssetError::Gltf {
            file: file.to_string(),
            message: message.into(),
        }
    }
}
