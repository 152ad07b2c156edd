//! The loading protocol of a visit: the core asks for resources as a list of [`Request`]s (what,
//! for which scene, priority); a shell fulfils them, many at a time, and reports each one back.
//! Requests of a scene the visitor has left are cancelled, and anything arriving for them later
//! is answered [`Delivery::Stale`]. The [`Visit`]'s side of it is here too: handing requests
//! out, and taking each answer to the scene it is for.

use super::Visit;
use crate::camera::Bounds;
use crate::picking::TriangleMesh;

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
    /// Intensity of the light that follows the camera (`ObjectScene::key_light`).
    pub key_light: f32,
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

impl Visit {
    /// New requests, most urgent first; each is returned once.
    pub fn take_requests(&mut self) -> Vec<Request> {
        let mut out = std::mem::take(&mut self.queue);
        out.sort_by_key(|r| r.priority);
        out
    }

    /// Requests handed out earlier that are no longer wanted: stop fetching them if you can.
    pub fn take_cancelled(&mut self) -> Vec<RequestId> {
        std::mem::take(&mut self.cancelled)
    }

    /// True while request `id` is still wanted (check before expensive work on its result).
    pub fn is_wanted(&self, id: RequestId) -> bool {
        self.requested(id).is_some()
    }

    /// What request `id` asks for, while it is wanted.
    pub fn requested(&self, id: RequestId) -> Option<Resource> {
        if self.detail_request(id).is_some() {
            return Some(Resource::Model);
        }
        if let Some(a) = &self.arriving {
            if let Some(w) = a.waiting.iter().find(|w| w.0 == id) {
                return Some(w.1);
            }
        }
        let streams = [
            self.arriving.as_ref().and_then(|a| a.stream.as_ref()),
            self.shown.as_ref().and_then(|s| s.stream.as_ref()),
        ];
        streams.into_iter().flatten().find_map(|st| {
            let key = st.loading_key(id)?;
            let slot = st.slot_of_key(key)?;
            Some(Resource::Tile {
                face: key.face,
                level: key.level,
                x: key.x,
                y: key.y,
                slot,
            })
        })
    }

    /// Request `id` (an image: panorama or environment) has arrived and is decoded.
    pub fn loaded(&mut self, id: RequestId) -> Delivery {
        self.answer(id, None, None)
    }

    /// Request `id` (a model) has arrived: its triangles and bounds, for picking and framing.
    pub fn model_loaded(&mut self, id: RequestId, mesh: TriangleMesh, bounds: Bounds) -> Delivery {
        self.answer(id, Some((mesh, bounds)), None)
    }

    /// Request `id` failed with `message` (which names the file). A failed panorama or model is
    /// shown as the scene's error; a failed environment only falls back to the neutral studio.
    pub fn failed(&mut self, id: RequestId, message: &str) -> Delivery {
        self.answer(id, None, Some(message.to_string()))
    }

    fn answer(
        &mut self,
        id: RequestId,
        model: Option<(TriangleMesh, Bounds)>,
        failure: Option<String>,
    ) -> Delivery {
        // A finer level of the object on screen.
        if let Some(level) = self.detail_request(id) {
            let Some(shown) = self.shown.as_mut() else {
                return Delivery::Stale;
            };
            let Some(d) = shown.detail.as_mut() else {
                return Delivery::Stale;
            };
            d.loading = None;
            return match (failure, model) {
                (None, Some(m)) => {
                    d.shown = level;
                    shown.model = Some(m);
                    self.dirty = true;
                    Delivery::Swap
                }
                _ => {
                    // The level shown stays (a lighter view of the same object, not an error
                    // worth interrupting the visit); this one is not asked for again.
                    d.failed.push(level);
                    Delivery::Stale
                }
            };
        }
        // A tile of the scene on screen.
        if let Some(st) = self.shown.as_mut().and_then(|s| s.stream.as_mut()) {
            if st.loading_key(id).is_some() {
                return match failure {
                    None => {
                        st.arrived(id);
                        self.dirty = true;
                        Delivery::Show
                    }
                    Some(m) => {
                        st.failed(id);
                        if !std::mem::replace(&mut st.reported, true) {
                            let scene = self.shown.as_ref().map_or(0, |s| s.scene);
                            let text = self.failed_text(scene, &m);
                            self.error(text, &m);
                        }
                        Delivery::Stale
                    }
                };
            }
        }
        let Some(a) = self.arriving.as_mut() else {
            return Delivery::Stale;
        };
        let Some(k) = a.waiting.iter().position(|w| w.0 == id) else {
            // A tile of the arriving scene it does not wait for: kept until it enters.
            let Some(st) = a.stream.as_mut() else {
                return Delivery::Stale;
            };
            let Some(key) = st.loading_key(id) else {
                return Delivery::Stale;
            };
            let slot = st.slot_of_key(key).unwrap_or(0);
            if failure.is_none() {
                st.arrived(id);
                a.arrived.push((
                    id,
                    Resource::Tile {
                        face: key.face,
                        level: key.level,
                        x: key.x,
                        y: key.y,
                        slot,
                    },
                ));
                return Delivery::Wait;
            }
            st.failed(id);
            return Delivery::Stale;
        };
        let (rid, resource) = a.waiting.remove(k);
        if let Some(st) = a.stream.as_mut() {
            if failure.is_none() {
                st.arrived(rid);
            } else if st.failed(rid).is_some() {
                // A base tile failed: the scene still enters (that face shows the fill).
                if !a.waiting.is_empty() {
                    return Delivery::Wait;
                }
                return match self.try_enter() {
                    Some(e) => Delivery::Enter(e),
                    None => Delivery::Wait,
                };
            }
        }
        match failure {
            Some(m) if resource == Resource::Environment => a.environment_failed = Some(m),
            Some(m) => {
                if a.failure.is_none() {
                    a.failure = Some(m);
                }
            }
            None => {
                if model.is_some() {
                    a.model = model;
                }
                a.arrived.push((rid, resource));
            }
        }
        if !a.waiting.is_empty() {
            return Delivery::Wait;
        }
        match self.try_enter() {
            Some(e) => Delivery::Enter(e),
            None => Delivery::Wait,
        }
    }
}
