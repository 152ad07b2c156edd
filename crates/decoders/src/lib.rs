//! The web's compressed-glTF decoders, a wasm module of their own (`disan_decoders`) that the page
//! loads only when the engine says a model needs it (`model_needs` answers `{decoders: true}`):
//! the engine stays lean and the decoders cost nothing to tours without compressed models. They
//! make the model plain ([`disan_assets::model::unpack`]): Draco and meshopt geometry decoded,
//! KTX2 textures transcoded, all in one GLB that the engine then loads as any other.
//!
//! The same code decodes natively (`disan-assets` with its `compressed` feature), so native and
//! web draw the same picture.

use disan_assets::model::Document;

/// Paths (relative to the tour file) of the files that [`unpack_model`] reads for the model at
/// `path`: its external buffers and its external KTX2 images. Each is checked to stay inside the
/// tour folder.
pub fn files_needed(path: &str, bytes: &[u8]) -> Result<Vec<String>, String> {
    let doc = Document::parse(bytes, path).map_err(|e| e.to_string())?;
    let needs = doc.needs();
    let ktx2 = |uri: &str, mime: Option<&str>| {
        mime == Some("image/ktx2") || uri.to_ascii_lowercase().ends_with(".ktx2")
    };
    let mut out = Vec::new();
    let uris = needs.buffers.iter().flatten().chain(
        needs
            .images
            .iter()
            .filter_map(|(u, m)| u.as_ref().filter(|u| ktx2(u, m.as_deref()))),
    );
    for uri in uris {
        let joined = disan_assets::path::join(path, uri)
            .map_err(|e| format!("{path}: refused path \"{uri}\": {e}"))?;
        if !out.contains(&joined) {
            out.push(joined);
        }
    }
    Ok(out)
}

/// The model at `path` made plain; `file(p)` gives the bytes of a path of [`files_needed`].
/// KTX2 textures go to `block` (a GPU block format) where they suit it, else to PNG.
pub fn unpack_model(
    path: &str,
    bytes: &[u8],
    file: &dyn Fn(&str) -> Option<Vec<u8>>,
    block: Option<disan_assets::BlockFormat>,
) -> Result<Vec<u8>, String> {
    let read = |uri: &str| -> Result<Vec<u8>, String> {
        let joined = disan_assets::path::join(path, uri).map_err(|e| e.to_string())?;
        file(&joined).ok_or_else(|| format!("\"{joined}\" was not supplied"))
    };
    disan_assets::model::unpack(bytes, path, &read, block).map_err(|e| e.to_string())
}

#[cfg(target_arch = "wasm32")]
mod web {
    use wasm_bindgen::prelude::*;

    /// `files_needed` for the page: an array of paths relative to the tour file.
    #[wasm_bindgen]
    pub fn needs(path: &str, bytes: &[u8]) -> Result<js_sys::Array, JsError> {
        let out = js_sys::Array::new();
        for p in super::files_needed(path, bytes).map_err(|e| JsError::new(&e))? {
            out.push(&JsValue::from_str(&p));
        }
        Ok(out)
    }

    /// `unpack_model` for the page: `files` maps each path of `needs` to its bytes
    /// (`Uint8Array`); `block` is the engine's `block_format()` (`"bc7"`, `"astc"`, `"etc2"` or
    /// null: KTX2 textures then become PNG). Returns the plain GLB.
    #[wasm_bindgen]
    pub fn unpack(
        path: &str,
        bytes: &[u8],
        files: js_sys::Map,
        block: Option<String>,
    ) -> Result<Vec<u8>, JsError> {
        let file = |p: &str| {
            let v = files.get(&JsValue::from_str(p));
            v.dyn_ref::<js_sys::Uint8Array>().map(|a| a.to_vec())
        };
        let block = block.as_deref().and_then(disan_assets::BlockFormat::parse);
        super::unpack_model(path, bytes, &file, block).map_err(|e| JsError::new(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_that_leaves_the_tour_folder_is_refused_and_one_inside_is_listed() {
        let gltf =
            br#"{"asset":{"version":"2.0"},"buffers":[{"uri":"../../secret.bin","byteLength":4}]}"#;
        let e = files_needed("models/a.gltf", gltf).expect_err("a path above the tour");
        assert!(e.contains("secret.bin"), "{e}");
        let gltf = br#"{"asset":{"version":"2.0"},"buffers":[{"uri":"a.bin","byteLength":4}],
            "images":[{"uri":"t.ktx2"},{"uri":"p.png"}]}"#;
        assert_eq!(
            files_needed("models/a.gltf", gltf).expect("needs"),
            vec!["models/a.bin".to_string(), "models/t.ktx2".to_string()]
        );
        let e = unpack_model("models/a.gltf", gltf, &|_| None, None).expect_err("nothing supplied");
        assert!(e.contains("models/a.bin"), "{e}");
    }
}
