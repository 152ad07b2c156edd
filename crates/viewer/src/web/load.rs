//! The loading protocol on the web: the requests handed to `web/loader.js`, cancellations, and
//! the delivery of what it fetched (decoded images, panorama pieces, glTF models), plus
//! `first_requests`, what a visit fetches first before the GPU has started.

#[cfg(feature = "objects")]
use super::js::{err, opt_str};
use super::js::{id_of, inside_tour, numbers, object};
use super::{loaded, Engine};
use crate::app::Payload;
#[cfg(feature = "objects")]
use disan_assets::model::Document;
use disan_render::TextureSource;
use disan_tour::model::Tour;
use disan_tour::visit::Resource;
use wasm_bindgen::prelude::*;

/// A model being fetched: parsed once, its buffers resolved once.
#[cfg(feature = "objects")]
pub(super) struct StagedModel {
    file: String,
    doc: Document,
    buffers: Option<Vec<Vec<u8>>>,
}

/// Why the panorama-only build refuses what only object scenes need.
#[cfg(not(feature = "objects"))]
const NO_OBJECTS: &str =
    "this build of the viewer has no 3D objects (the page should load the full build)";

/// An `ImageBitmap` or an `ImageData` (browser-decoded pixels) as a texture source.
fn image_source(value: JsValue) -> Option<TextureSource> {
    // A KTX2 texture the decoder module transcoded to this GPU's block format.
    if let Some(bytes) = value.dyn_ref::<js_sys::Uint8Array>() {
        return match disan_assets::image::decode_blocks(&bytes.to_vec(), "model image") {
            Ok(c) => Some(TextureSource::Compressed(c)),
            Err(e) => {
                web_sys::console::error_1(&format!("[disan] {e}").into());
                None
            }
        };
    }
    if value.is_instance_of::<web_sys::ImageBitmap>() {
        return value
            .dyn_into::<web_sys::ImageBitmap>()
            .ok()
            .map(TextureSource::Bitmap);
    }
    let data = value.dyn_into::<web_sys::ImageData>().ok()?;
    Some(TextureSource::Rgba(disan_assets::RgbaImage {
        width: data.width(),
        height: data.height(),
        pixels: data.data().0,
    }))
}

#[cfg(feature = "objects")]
fn bytes_list(array: &js_sys::Array) -> Vec<Vec<u8>> {
    array
        .iter()
        .map(|v| js_sys::Uint8Array::new(&v).to_vec())
        .collect()
}

#[wasm_bindgen]
impl Engine {
    /// New requests, most urgent first: `{id, scene, resource: "panorama"|"model"|"environment",
    /// path, priority}`. Paths are normalised inside the tour folder; a path that would leave it
    /// fails its request here and is never fetched.
    pub fn take_requests(&mut self) -> js_sys::Array {
        let out = js_sys::Array::new();
        let ctx = &self.ctx;
        if let Some(app) = &mut self.app {
            for r in app.visit.take_requests() {
                let path = match inside_tour(&r.path) {
                    Ok(p) => p,
                    Err(e) => {
                        app.fail(ctx, r.id, &e);
                        continue;
                    }
                };
                // The panorama-only build refuses what only object scenes need, here, once: the
                // loader is never asked for it.
                #[cfg(not(feature = "objects"))]
                if matches!(r.resource, Resource::Model | Resource::Environment) {
                    app.fail(ctx, r.id, &format!("{path}: {NO_OBJECTS}"));
                    continue;
                }
                out.push(&object(&[
                    ("id", JsValue::from_f64(r.id as f64)),
                    ("scene", JsValue::from_str(&r.scene)),
                    ("resource", JsValue::from_str(r.resource.name())),
                    ("path", JsValue::from_str(&path)),
                    ("priority", JsValue::from_f64(r.priority as f64)),
                ]));
            }
        }
        out
    }

    /// Ids of requests no longer wanted (abort their fetches).
    pub fn take_cancelled(&mut self) -> Vec<f64> {
        let Some(app) = &mut self.app else {
            return Vec::new();
        };
        let ids = app.visit.take_cancelled();
        app.forget(&ids);
        #[cfg(feature = "objects")]
        for id in &ids {
            self.models.remove(id);
        }
        ids.into_iter().map(|i| i as f64).collect()
    }

    /// True while request `id` is still wanted.
    pub fn is_wanted(&self, id: f64) -> bool {
        self.app
            .as_ref()
            .is_some_and(|a| a.visit.is_wanted(id_of(id)))
    }

    /// The decoded image of request `id` (a panorama or an environment): `ImageBitmap` or `ImageData`.
    pub fn deliver_image(&mut self, id: f64, image: JsValue) -> Result<(), JsError> {
        let source = image_source(image)
            .ok_or_else(|| JsError::new("deliver_image expects an ImageBitmap or ImageData"))?;
        let ctx = &self.ctx;
        let app = loaded(&mut self.app)?;
        let id = id_of(id);
        let payload = match app.visit.requested(id) {
            #[cfg(feature = "objects")]
            Some(Resource::Environment) => {
                Payload::Environment(disan_render::Environment::Image(source, 1.0))
            }
            Some(Resource::Tile { .. }) => Payload::Tile(source),
            _ => Payload::Panorama(source),
        };
        app.deliver(ctx, id, payload);
        Ok(())
    }

    /// How a decoded panorama of `width` × `height` must be cut for this GPU: `[[x, y, w, h]]`,
    /// one rectangle when it fits. Cut it (`createImageBitmap(image, x, y, w, h)`) and hand the
    /// pieces to [`Engine::deliver_pieces`] when there are several.
    pub fn panorama_pieces(&self, width: u32, height: u32) -> js_sys::Array {
        let out = js_sys::Array::new();
        for r in disan_render::panorama_pieces(width, height, self.ctx.max_texture_side()) {
            out.push(&numbers(r.map(f64::from)));
        }
        out
    }

    /// The pieces of panorama request `id` (of `width` × `height`), in the order of
    /// [`Engine::panorama_pieces`].
    pub fn deliver_pieces(
        &mut self,
        id: f64,
        images: js_sys::Array,
        width: u32,
        height: u32,
    ) -> Result<(), JsError> {
        let rects = disan_render::panorama_pieces(width, height, self.ctx.max_texture_side());
        if images.length() as usize != rects.len() {
            return Err(JsError::new(&format!(
                "deliver_pieces: {} pieces given, {} expected",
                images.length(),
                rects.len()
            )));
        }
        let mut parts = Vec::new();
        for (img, rect) in images.iter().zip(rects) {
            let source = image_source(img)
                .ok_or_else(|| JsError::new("deliver_pieces expects ImageBitmaps or ImageData"))?;
            parts.push((source, rect));
        }
        let ctx = &self.ctx;
        let app = loaded(&mut self.app)?;
        app.deliver(
            ctx,
            id_of(id),
            Payload::PanoramaPieces(parts, (width, height)),
        );
        Ok(())
    }

    /// Tiled panoramas: `{ready, loading}` tile counts of the scene on screen, else null.
    pub fn tile_status(&self) -> JsValue {
        match self.app.as_ref().and_then(|a| a.visit.tile_status()) {
            Some((ready, loading)) => object(&[
                ("ready", JsValue::from_f64(ready as f64)),
                ("loading", JsValue::from_f64(loading as f64)),
            ]),
            None => JsValue::NULL,
        }
    }

    /// Request `id` failed (`message` names the file).
    pub fn fail(&mut self, id: f64, message: &str) {
        let ctx = &self.ctx;
        #[cfg(feature = "objects")]
        self.models.remove(&id_of(id));
        if let Some(app) = &mut self.app {
            app.fail(ctx, id_of(id), message);
        }
    }
}

/// Object scenes: glTF models (only in the builds with the `objects` feature; a tour without
/// object scenes is served by the smaller build without them).
#[cfg(feature = "objects")]
#[wasm_bindgen]
impl Engine {
    /// The bytes of model request `id` (at `path` in the tour) have arrived: parses them once
    /// and says what else it needs: `{buffers: [path | null], images: [{path | null, mime | null}]}`
    /// (paths relative to the tour file, checked to stay inside the tour folder; `null`: embedded),
    /// or `{decoders: ["meshopt" | "draco" | "ktx2" | "decoders", …]}` when the model is
    /// compressed: the page then runs those decoder modules over it in that order and calls again
    /// with the plain model they make of it.
    pub fn model_needs(&mut self, id: f64, path: &str, bytes: &[u8]) -> Result<JsValue, JsError> {
        let file = path;
        // Compressed geometry or textures: the page makes the model plain with one decoder module
        // a codec (`pkg/disan_<codec>.js`, each loaded only now) and hands the result back here.
        let modules =
            disan_assets::model::decoder_modules(&disan_assets::model::decoders_needed(bytes));
        if !modules.is_empty() {
            let names = js_sys::Array::new();
            for m in modules {
                names.push(&JsValue::from_str(m));
            }
            return Ok(object(&[("decoders", names.into())]));
        }
        let doc = Document::parse(bytes, file).map_err(err)?;
        let n = doc.needs();
        let inside = |uri: &Option<String>| -> Result<JsValue, JsError> {
            match uri {
                None => Ok(JsValue::NULL),
                Some(u) => disan_assets::path::join(path, u)
                    .map(|p| JsValue::from_str(&p))
                    .map_err(|e| JsError::new(&format!("{file}: refused path \"{u}\": {e}"))),
            }
        };
        let buffers = js_sys::Array::new();
        for b in &n.buffers {
            buffers.push(&inside(b)?);
        }
        let images = js_sys::Array::new();
        for (uri, mime) in &n.images {
            images.push(&object(&[
                ("path", inside(uri)?),
                ("mime", opt_str(mime.as_deref())),
            ]));
        }
        self.models.insert(
            id_of(id),
            StagedModel {
                file: file.to_string(),
                doc,
                buffers: None,
            },
        );
        Ok(object(&[
            ("buffers", buffers.into()),
            ("images", images.into()),
        ]))
    }

    /// The external buffers of model request `id` (empty arrays for the GLB's own); returns
    /// the encoded bytes of each embedded image (`null` for images with a URI).
    pub fn model_buffers(
        &mut self,
        id: f64,
        buffers: js_sys::Array,
    ) -> Result<js_sys::Array, JsError> {
        let staged = self
            .models
            .get_mut(&id_of(id))
            .ok_or_else(|| JsError::new("model_buffers: no such model request"))?;
        let resolved = staged
            .doc
            .resolve_buffers(&bytes_list(&buffers))
            .map_err(err)?;
        let out = js_sys::Array::new();
        for i in 0..staged.doc.needs().images.len() {
            match staged.doc.embedded_image(&resolved, i).map_err(err)? {
                Some(img) => out.push(&js_sys::Uint8Array::from(img.bytes.as_slice())),
                None => out.push(&JsValue::NULL),
            };
        }
        staged.buffers = Some(resolved);
        Ok(out)
    }

    /// The decoded images of model request `id` (in the order of `model_needs`): builds the
    /// model and hands it to the visit.
    pub fn deliver_model(&mut self, id: f64, images: js_sys::Array) -> Result<(), JsError> {
        let rid = id_of(id);
        let staged = self
            .models
            .remove(&rid)
            .ok_or_else(|| JsError::new("deliver_model: no such model request"))?;
        let ctx = &self.ctx;
        let app = loaded(&mut self.app)?;
        let built = staged
            .buffers
            .as_ref()
            .ok_or("deliver_model before model_buffers")
            .map_err(|e| e.to_string())
            .and_then(|b| staged.doc.build(b).map_err(|e| e.to_string()));
        match built {
            Ok(model) => {
                let textures = images.iter().map(image_source).collect();
                app.deliver(ctx, rid, Payload::Model(Box::new(model), textures));
            }
            Err(e) => {
                let msg = if e.contains(&staged.file) {
                    e
                } else {
                    format!("{}: {e}", staged.file)
                };
                app.fail(ctx, rid, &msg);
            }
        }
        Ok(())
    }
}

/// What the visit of `tour_text` fetches first when it opens at `wanted` (a shared link):
/// `[{resource, path}]`. Lets the page start downloading the first scene while the GPU starts,
/// without deciding anything itself.
#[wasm_bindgen]
pub fn first_requests(tour_text: &str, link: &str) -> js_sys::Array {
    let out = js_sys::Array::new();
    let Ok(tour) = Tour::from_json(tour_text.as_bytes(), "tour.json") else {
        return out;
    };
    let mut visit = disan_tour::visit::Visit::new(tour, 1.0, 1.0);
    if visit.open_link(&disan_tour::Link::parse(link)).is_ok() {
        // Only what the engine would hand out itself: nothing above the tour folder.
        for r in visit.take_requests() {
            if let Ok(path) = inside_tour(&r.path) {
                out.push(&object(&[
                    ("resource", JsValue::from_str(r.resource.name())),
                    ("path", JsValue::from_str(&path)),
                ]));
            }
        }
    }
    out
}
