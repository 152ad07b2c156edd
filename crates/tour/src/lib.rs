//! Platform-free core of Disan: the tour and catalog model, validation, cameras, navigation,
//! picking, input, interface strings and the visit core (the state machine both shells drive).

pub mod camera;
pub mod derivatives;
pub mod edit;
pub mod editor;
pub mod input;
pub mod inspect;
pub mod link;
pub mod model;
pub mod picking;
pub mod scale;
pub mod sheet;
pub mod text;
pub mod tiles;
pub mod ui_text;
pub mod validate;
pub mod visit;
pub mod vtt;

pub use camera::{Bounds, OrbitCamera, PanoCamera, Projection, Ray};
pub use input::{Camera, Input, Key, Navigator, PointerButton, Response};
pub use link::Link;
pub use model::{
    Catalog, CatalogEntry, Content, GuidedTour, Hotspot, HotspotAction, HotspotKind,
    HotspotPlacement, Kiosk, ObjectScene, Orbit, PanoramaScene, PanoramaSource, Scene, SceneKind,
    Tour, TourJson, TourStep, View,
};
pub use text::LangText;
pub use validate::{Problem, Report};

/// Errors raised while reading a tour or a catalog.
#[derive(Debug, thiserror::Error)]
pub enum TourError {
    /// The file is not valid JSON or does not match the format.
    #[error("{file}: {path}: {message}")]
    Parse {
        /// File the error was found in.
        file: String,
        /// JSON path (`scenes[2].hotspots[0].yaw`) of the offending value.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The tour parsed but is not consistent.
    #[error("{0}")]
    Invalid(Report),
    /// A studio edit was refused (nothing changed).
    #[error("{0}")]
    Edit(String),
}
