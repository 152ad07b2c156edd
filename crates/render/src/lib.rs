//! The only crate that touches wgpu: GPU context, renderer (panorama, glTF objects, hotspot markers,
//! cross-fades), render targets (window surface or texture) and PNG-ready capture.

mod content;
mod context;
mod descriptors;
mod frame;
mod fullscreen;
mod gpu_model;
mod ibl;
mod pipelines;
mod renderer;
mod shaders;
mod target;
mod texture;
mod timing;

pub use content::markers::{Marker, MarkerKind};
pub use content::model::LEVEL_FADE_SECONDS;
pub use content::panorama::pieces as panorama_pieces;
pub use content::SceneContent;
pub use context::GpuContext;
pub use frame::FrameInput;
pub use ibl::Environment;
pub use renderer::{GpuMemory, Renderer, FADE_SECONDS};
pub use target::{RenderTarget, SurfaceFrame};
pub use texture::TextureSource;
pub use timing::PassTime;
pub use wgpu;

/// Errors of the renderer.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// No GPU adapter could be found for the requested backends.
    #[error("no usable GPU adapter: {0}")]
    NoAdapter(String),
    /// The device could not be created.
    #[error("cannot create the GPU device: {0}")]
    Device(String),
    /// The surface could not be created or configured.
    #[error("cannot use the window surface: {0}")]
    Surface(String),
    /// A texture is larger than the GPU allows.
    #[error("image is {width}×{height}, larger than this GPU's limit of {limit} pixels per side")]
    TooLarge {
        /// Width.
        width: u32,
        /// Height.
        height: u32,
        /// The limit.
        limit: u32,
    },
    /// Reading back a captured frame failed.
    #[error("cannot read back the frame: {0}")]
    Capture(String),
}
