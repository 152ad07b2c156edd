//! The web's compressed-glTF decoders: one wasm module a codec (`disan_meshopt`, `disan_draco`,
//! `disan_ktx2`, built from this crate with one feature each), that the page loads only when the
//! engine says a model needs it (`model_needs` answers `{decoders: ["draco", "ktx2"]}`, in the
//! order they run): the engine stays lean, a Draco model downloads no Basis transcoder, and tours
//! without compressed models pay nothing. Each module makes the model plainer
//! ([`disan_assets::model::unpack`]): its codec's data decoded, the others' left for the next
//! module, all in one GLB that the engine then loads as any other.
//!
//! The same code decodes natively (`disan-assets` with its `compressed` feature), so native and
//! web draw the same picture.

use disan_assets::model::unpack_needs;

/// Paths (relative to the tour file) of the files that [`unpack_model`] reads for the model at
/// `path`: its external buffers and, where this build transcodes them, its external KTX2 images.
/// Each is checked to stay inside the tour folder.
pub fn files_needed(path: &str, bytes: &[u8]) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for uri in unpack_needs(bytes, path).map_err(|e| e.to_string())? {
        let joined = disan_assets::path::join(path, &uri)
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
        // The KTX2 image a texture shows through KHR_texture_basisu is read by the KTX2 module;
        // the PNG one keeps its URI for the engine.
        let gltf = br#"{"asset":{"version":"2.0"},"buffers":[{"uri":"a.bin","byteLength":4}],
            "images":[{"uri":"t.ktx2"},{"uri":"p.png"}],
            "textures":[{"extensions":{"KHR_texture_basisu":{"source":0}}},{"source":1}]}"#;
        let mut want = vec!["models/a.bin".to_string()];
        if cfg!(feature = "ktx2") {
            want.push("models/t.ktx2".to_string());
        }
        assert_eq!(files_needed("models/a.gltf", gltf).expect("needs"), want);
        let e = unpack_model("models/a.gltf", gltf, &|_| None, None).expect_err("nothing supplied");
        assert!(e.contains("models/a.bin"), "{e}");
    }

    /// The Draco module alone (`cargo test -p disan-decoders --no-default-features --features
    /// draco`, run by `cargo xtask test`): a model with Draco geometry and a KTX2 texture comes
    /// out with its geometry plain and its KTX2 image, extension and requirement left for the
    /// KTX2 module, which it does not read.
    #[test]
    #[cfg(all(feature = "draco", not(feature = "ktx2"), not(feature = "meshopt")))]
    fn the_draco_module_decodes_draco_and_leaves_ktx2_for_the_next_module() {
        use serde_json::Value;
        let corpus = std::env::var_os("DISAN_CORPUS")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| {
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
            });
        let dir = corpus.join("gltf-compressed/Box/glTF-Draco");
        let Ok(text) = std::fs::read(dir.join("Box.gltf")) else {
            println!(
                "# skipped: no corpus at {} (set DISAN_CORPUS)",
                corpus.display()
            );
            return;
        };
        let mut gltf: Value = serde_json::from_slice(&text).expect("Box.gltf");
        gltf["images"] = serde_json::json!([{"uri": "t.ktx2"}]);
        gltf["textures"] =
            serde_json::json!([{"extensions": {"KHR_texture_basisu": {"source": 0}}}]);
        for key in ["extensionsUsed", "extensionsRequired"] {
            gltf[key]
                .as_array_mut()
                .expect(key)
                .push("KHR_texture_basisu".into());
        }
        let bytes = serde_json::to_vec(&gltf).expect("JSON");
        assert_eq!(
            files_needed("m/Box.gltf", &bytes).expect("needs"),
            vec!["m/Box.bin".to_string()],
            "the Draco module reads no KTX2 image"
        );
        let bin = std::fs::read(dir.join("Box.bin")).expect("Box.bin");
        let glb = unpack_model(
            "m/Box.gltf",
            &bytes,
            &|p| (p == "m/Box.bin").then(|| bin.clone()),
            None,
        )
        .expect("unpacked");
        let out = disan_assets::model::parse_glb(&glb).expect("a GLB");
        let json: Value = serde_json::from_slice(out.json).expect("its JSON");
        let names = |key: &str| -> Vec<&str> {
            json[key]
                .as_array()
                .expect(key)
                .iter()
                .filter_map(Value::as_str)
                .collect()
        };
        assert_eq!(names("extensionsRequired"), ["KHR_texture_basisu"]);
        assert_eq!(names("extensionsUsed"), ["KHR_texture_basisu"]);
        assert_eq!(json["images"][0]["uri"], "t.ktx2");
        assert_eq!(
            json["textures"][0]["extensions"]["KHR_texture_basisu"]["source"],
            0
        );
        let prim = &json["meshes"][0]["primitives"][0];
        assert!(prim["extensions"]
            .get("KHR_draco_mesh_compression")
            .is_none());
        for a in [
            &prim["indices"],
            &prim["attributes"]["POSITION"],
            &prim["attributes"]["NORMAL"],
        ] {
            let acc = &json["accessors"][a.as_u64().expect("an index") as usize];
            assert!(acc["bufferView"].is_u64(), "{acc}");
        }
        assert_eq!(json["buffers"].as_array().map(Vec::len), Some(1));
    }
}
