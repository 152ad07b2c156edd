//! Fuzz target for the glTF loader: any bytes, read as `.glb` and as `.gltf`, go through every
//! step the shells use (`Document::parse`, `needs`, `resolve_buffers`, `build`, embedded images)
//! and through `load_and_decode`, with a reader that hands back the same bytes for some URIs and
//! an error for the others. Any panic, hang or oversized allocation is a bug.

#![no_main]

use disan_assets::model::{load_and_decode, Document};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for file in ["fuzz.glb", "fuzz.gltf"] {
        if let Ok(doc) = Document::parse(data, file) {
            let needs = doc.needs();
            let external: Vec<Vec<u8>> = needs.buffers.iter().map(|_| data.to_vec()).collect();
            if let Ok(buffers) = doc.resolve_buffers(&external) {
                let _ = doc.build(&buffers);
                for i in 0..needs.images.len() {
                    let _ = doc.embedded_image(&buffers, i);
                }
            }
        }
        let read = |uri: &str| {
            if uri.len() % 2 == 0 {
                Ok(data.to_vec())
            } else {
                Err(format!("{uri}: not found"))
            }
        };
        let _ = load_and_decode(data, file, &read);
    }
});
