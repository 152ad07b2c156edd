//! The loading protocol of a visit: the core asks for resources as a list of [`Request`]s (what,
//! for which scene, priority); a shell fulfils them, many at a time, and reports each one back.
//! Requests of a scene the visitor has left are cancelled, and anything arriving for them later
//! is answered [`Delivery::Stale`].

/// Identifies one request for the lifetime of a visit (never reused).
pub type RequestId = u64;

/// What a request asks for. Paths are relative to the tour folder, as written in the tour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resource {
    /// An equirectangular panorama image, decoded.
    Panorama,
    /// A glTF/GLB model with the buffers and images it names, decoded.
    Model,
    /// The equirectangular image that lights an object scene (a panorama or a `.hdr`).
    Environment,
    /// One tile of a cube panorama (or one face of a six-face cube), decoded, to be put in
    /// slot `slot` of the renderer's tile cache.
    Tile {
        /// Face 0..6 (front, right, back, left, up, down).
        face: u8,
        /// Level, 0 = coarsest.
        level: u8,
        /// Column.
        x: u32,
        /// Row.
        y: u32,
        /// Cache slot.
        slot: u32,
    },
}

impl Resource {
    /// A short name for messages and the web API: `panorama`, `model`, `environment`, `tile`.
    pub fn name(self) -> &'static str {
        match self {
            Resource::Panorama => "panorama",
            Resource::Model => "model",
            Resource::Environment => "environment",
            Resource::Tile { .. } => "tile",
        }
    }

    /// The cache slot of a tile.
    pub fn slot(self) -> Option<u32> {
        match self {
            Resource::Tile { slot, .. } => Some(slot),
            _ => None,
        }
    }
}

/// One resource the visit needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// Its id, given back with [`super::Visit::loaded`] or [`super::Visit::failed`].
    pub id: RequestId,
    /// Id of the scene it is for.
    pub scene: String,
    /// What it is.
    pub resource: Resource,
    /// File, relative to the tour folder.
    pub path: String,
    /// Lower first: 0 is what the first picture needs; larger numbers can wait.
    pub priority: u32,
}

/// What the shell does with a resource that has arrived.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    /// Nobody wants it any more (the visitor left that scene): drop it.
    Stale,
    /// Keep it: the scene still waits for other resources.
    Wait,
    /// Everything the scene needs has arrived (or failed): show it now.
    Enter(Entering),
    /// A tile of the scene on screen: put it in its slot now (and draw a frame).
    Show,
    /// A finer level of the object on screen (its scene lists derivatives): replace the model
    /// shown with it, cross-fading, without moving the camera.
    Swap,
}

/// How to put a scene on screen once its resources are in.
#[derive(Debug, Clone, PartialEq)]
pub struct Entering {
    /// Id of the scene.
    pub scene: String,
    /// The resources to hand to the renderer, in this order (the environment before the model).
    pub resources: Vec<(RequestId, Resource)>,
    /// Light objects with the neutral studio again (the scene names no environment, or its
    /// environment failed).
    pub neutral_environment: bool,
    /// Exposure of lit materials.
    pub exposure: f32,
    /// Intensity of the environment light.
    pub environment_intensity: f32,
    /// A tiled panorama: set up the renderer's tile cache so (the tiles in `resources` go in
    /// their slots; the panorama in `resources`, if any, is the preview behind them).
    pub tiles: Option<super::stream::TileSetup>,
    /// The part of the sphere the scene's equirectangular image covers, when the tour says.
    pub coverage: Option<crate::model::Coverage>,
    /// The scene's content failed: show an empty scene (the message is in the visit's
    /// [`super::Visit::scene_error`]); nothing in `resources` is to be shown.
    pub failed: bool,
}

/// The scene being fetched.
#[derive(Debug, Clone)]
pub(crate) struct Arriving {
    pub scene: usize,
    pub view: Option<crate::model::View>,
    /// Requests not answered yet.
    pub waiting: Vec<(RequestId, Resource)>,
    /// Requests answered with their resource, in request order.
    pub arrived: Vec<(RequestId, Resource)>,
    /// The model's triangles and bounds, once it arrived.
    pub model: Option<(crate::picking::TriangleMesh, crate::camera::Bounds)>,
    /// The environment to light the scene with (path), if it asked for one.
    pub environment: Option<String>,
    /// The first failure of the scene's content (not of its environment).
    pub failure: Option<String>,
    /// The environment failed (objects fall back to the neutral studio).
    pub environment_failed: Option<String>,
    /// Tiled panoramas: the tile stream, started while the scene arrives.
    pub stream: Option<super::stream::TileStream>,
    /// Object scenes with derivatives: the level requested (index into `derivatives`).
    pub level: Option<usize>,
}
