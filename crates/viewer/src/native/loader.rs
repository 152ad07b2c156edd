//! Native fetching, written once: a request of the visit is read from the tour folder and
//! decoded ([`load`]), on a small pool of worker threads ([`Loader`]) for the window, or in
//! place for `disan render` and the tests.

use super::{load_environment, TourSource};
use crate::app::Payload;
use disan_assets::model::load_and_decode_for;
use disan_assets::{BlockFormat, DecodedImage};
use disan_render::TextureSource;
use disan_tour::visit::{Request, RequestId, Resource};
use std::collections::{HashSet, VecDeque};
use std::sync::{Arc, Condvar, Mutex};

/// Reads and decodes what request `req` names (blocking). The error names the file. `gpu` is the
/// block format the device samples (`GpuContext::block_format`): KTX2 textures go to it.
pub fn load(src: &TourSource, req: &Request, gpu: Option<BlockFormat>) -> Result<Payload, String> {
    let path = req.path.as_str();
    match req.resource {
        Resource::Panorama => {
            let bytes = src.read(path)?;
            let img = disan_assets::image::decode(&bytes, path).map_err(|e| e.to_string())?;
            Ok(Payload::Panorama(TextureSource::Rgba(img)))
        }
        Resource::Tile { .. } => {
            let bytes = src.read(path)?;
            let img = disan_assets::image::decode(&bytes, path).map_err(|e| e.to_string())?;
            Ok(Payload::Tile(TextureSource::Rgba(img)))
        }
        Resource::Model => {
            let (model, images) = load_model(src, path, gpu)?;
            Ok(Payload::Model(Box::new(model), images))
        }
        Resource::Environment => load_environment(src, path)
            .map(Payload::Environment)
            .map_err(|e| format!("{e:#}")),
    }
}

/// Reads a glTF/GLB (and the files it names, inside the tour folder) and decodes its images.
/// A broken image is an error, not a silently white texture.
pub fn load_model(
    src: &TourSource,
    path: &str,
    gpu: Option<BlockFormat>,
) -> Result<(disan_assets::ModelData, Vec<Option<TextureSource>>), String> {
    let bytes = src.read(path)?;
    // URIs inside the model are relative to its folder and must stay inside the tour folder.
    let read = |u: &str| match disan_assets::path::join(path, u) {
        Ok(p) => src.read(&p),
        Err(e) => Err(format!("refused path \"{u}\": {e}")),
    };
    let (model, images) =
        load_and_decode_for(&bytes, path, &read, gpu).map_err(|e| e.to_string())?;
    let decoded = images
        .into_iter()
        .map(|img| {
            Some(match img {
                DecodedImage::Rgba(i) => TextureSource::Rgba(i),
                DecodedImage::Compressed(c) => TextureSource::Compressed(c),
            })
        })
        .collect();
    Ok((model, decoded))
}

/// What a worker reports: the request's id and its payload or error.
pub type Done = (RequestId, Result<Payload, String>);

struct Shared {
    queue: Mutex<(VecDeque<Request>, HashSet<RequestId>, bool)>,
    wake: Condvar,
}

/// A small pool of threads fulfilling requests, most urgent first; cancelled requests that have
/// not started are skipped. Results go to `deliver` (e.g. a winit event-loop proxy).
pub struct Loader {
    shared: Arc<Shared>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Loader {
    /// Starts `threads` workers reading from `src`.
    pub fn new(
        src: TourSource,
        gpu: Option<BlockFormat>,
        threads: usize,
        deliver: impl Fn(Done) + Send + Sync + 'static,
    ) -> Loader {
        let shared = Arc::new(Shared {
            queue: Mutex::new((VecDeque::new(), HashSet::new(), false)),
            wake: Condvar::new(),
        });
        let deliver = Arc::new(deliver);
        let threads = (0..threads.max(1))
            .map(|i| {
                let shared = shared.clone();
                let deliver = deliver.clone();
                let src = src.clone();
                std::thread::Builder::new()
                    .name(format!("disan-loader-{i}"))
                    .spawn(move || worker(&shared, &src, gpu, &*deliver))
            })
            .filter_map(Result::ok)
            .collect();
        Loader { shared, threads }
    }

    /// Queues requests (kept in priority order).
    pub fn submit(&self, requests: Vec<Request>) {
        if requests.is_empty() {
            return;
        }
        if let Ok(mut q) = self.shared.queue.lock() {
            q.0.extend(requests);
            q.0.make_contiguous().sort_by_key(|r| r.priority);
        }
        self.shared.wake.notify_all();
    }

    /// Drops queued requests that are no longer wanted.
    pub fn cancel(&self, ids: &[RequestId]) {
        if ids.is_empty() {
            return;
        }
        if let Ok(mut q) = self.shared.queue.lock() {
            q.0.retain(|r| !ids.contains(&r.id));
            q.1.extend(ids.iter().copied());
        }
    }
}

impl Drop for Loader {
    fn drop(&mut self) {
        if let Ok(mut q) = self.shared.queue.lock() {
            q.2 = true;
        }
        self.shared.wake.notify_all();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

fn worker(
    shared: &Shared,
    src: &TourSource,
    gpu: Option<BlockFormat>,
    deliver: &(dyn Fn(Done) + Send + Sync),
) {
    loop {
        let req = {
            let Ok(mut q) = shared.queue.lock() else {
                return;
            };
            loop {
                if q.2 {
                    return;
                }
                if let Some(r) = q.0.pop_front() {
                    if q.1.remove(&r.id) {
                        continue;
                    }
                    break r;
                }
                q = match shared.wake.wait(q) {
                    Ok(q) => q,
                    Err(_) => return,
                };
            }
        };
        deliver((req.id, load(src, &req, gpu)));
    }
}
