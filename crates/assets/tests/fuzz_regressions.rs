//! Inputs the fuzz target (`fuzz/`, `scripts/fuzz.sh`) found to crash the loader, rewritten as
//! small hand-made files. Each must now end in a clear error.

use disan_assets::model::load_and_decode;

fn refused(json: &str, keyword: &str) {
    let read = |u: &str| Err(format!("no file {u}"));
    match load_and_decode(json.as_bytes(), "fuzz.gltf", &read) {
        Ok(_) => panic!("loaded: {json}"),
        Err(e) => {
            let m = e.to_string();
            println!("{m}");
            assert!(m.starts_with("fuzz.gltf: ") && m.contains(keyword), "{m}");
        }
    }
}

/// Found by the fuzzer from BoxTextured.glb with `mimeType` mutated: the gltf crate unwraps the
/// missing mimeType of an image in a bufferView.
#[test]
fn image_in_buffer_view_without_mime_type() {
    refused(
        r#"{"asset":{"version":"2.0"},"buffers":[{"byteLength":4,"uri":"data:,abcd"}],
        "bufferViews":[{"buffer":0,"byteLength":4}],"images":[{"bufferView":0}]}"#,
        "images[0].mimeType",
    );
    // The same crate unwraps the uri of an image that has neither.
    refused(
        r#"{"asset":{"version":"2.0"},"images":[{"name":"nothing"}]}"#,
        "images[0]: has neither",
    );
}
