//! Bad input: the 40 malformed files of the Khronos validator suite (corpus `gltf-invalid/`) and
//! hand-made broken files each end in an error that names the file and says what is wrong and
//! where; no panic, no hang. `cargo test -p disan-assets --test invalid -- --nocapture` prints
//! every message.

mod common;

use disan_assets::model::load_and_decode;
use std::sync::mpsc;
use std::time::Duration;

/// What the message of some files must contain (beyond the file name).
const KEYWORDS: &[(&str, &str)] = &[
    // Missing external files: an I/O error naming the file.
    ("buffer/not_found.gltf", "not_found.bin"),
    ("image/not_found.gltf", "not_found.png"),
    // Truncated GLB.
    ("glb/no_header.glb", "cut short"),
    ("glb/truncated_chunk_header.glb", "cut short"),
    ("glb/truncated_chunk_data.glb", "cut short"),
    ("glb/empty_file.glb", "empty"),
    // Wrong magic.
    ("glb/invalid_magic.glb", "magic"),
    ("glb/invalid_version.glb", "version"),
    ("glb/only_header.glb", "too small"),
    ("glb/zero_length.glb", "too small"),
    ("glb/length_mismatch.glb", "file has 48 bytes"),
    ("glb/chunk_too_big.glb", "does not fit"),
    ("glb/unaligned_chunk.glb", "multiple of 4"),
    ("glb/empty_json_chunk.glb", "empty"),
    ("glb/invalid_json_chunk.glb", "JSON"),
    ("glb/only_bin_chunk.glb", "must be JSON"),
    ("glb/two_bin_chunks.glb", "must be JSON"),
    ("glb/json_and_two_buffers.glb", "second BIN chunk"),
    ("buffer/no_bin_chunk.glb", "binary chunk"),
    ("buffer/wrong_bytelength.glb", "byteLength is 17"),
    ("json/empty_file.gltf", "empty"),
    ("json/invalid_syntax.gltf", "not valid glTF JSON"),
    ("asset/1_0_version.gltf", "asset.version"),
    // Unresolved references, with the JSON path.
    (
        "accessor/unresolved_bufferviews.gltf",
        "accessors[0].bufferView",
    ),
    (
        "mesh/unresolved_indices.gltf",
        "meshes[0].primitives[0].indices",
    ),
    ("mesh/unresolved_positions.gltf", "attributes.POSITION"),
    (
        "material/unresolved_basecolor.gltf",
        "baseColorTexture.index",
    ),
    ("texture/unresolved_source.gltf", "textures[0].source"),
    ("scene/unresolved_default_scene.gltf", "scenes[0]"),
    // Cyclic node graph.
    ("node/node_loop.gltf", "cycle"),
    ("node/node_loop_scene.gltf", "cycle"),
    ("buffer/invalid_uri_data.gltf", "buffers[0].uri"),
    // Buffer view beyond its buffer.
    ("buffer_view/invalid_length.gltf", "outside buffers[0]"),
    ("accessor_data/invalid_elements_float.gltf", "finite"),
    // Index out of range.
    ("mesh_data/index_buffer_oob.gltf", "out of range"),
    ("mesh/accessor_unequal_count.gltf", "same count"),
    ("mesh/indices_invalid_format.gltf", "UNSIGNED_INT"),
    (
        "image/invalid_image_data.gltf",
        "images[0] (invalid_image_data.jpg)",
    ),
    ("image/png_eos.gltf", "images[0] (png_eos.png)"),
    ("root/undefined_used_extensions.gltf", "extensionsUsed"),
];

/// Loads `path` on a worker thread; `Err` describes a panic or a hang.
fn load_guarded(path: &std::path::Path, name: &str) -> Result<Result<(), String>, String> {
    let (tx, rx) = mpsc::channel();
    let path = path.to_path_buf();
    let name = name.to_string();
    std::thread::spawn(move || {
        let bytes = std::fs::read(&path).unwrap_or_default();
        let read = common::reader(&path);
        let r = std::panic::catch_unwind(|| {
            load_and_decode(&bytes, &name, &read)
                .map(|_| ())
                .map_err(|e| e.to_string())
        });
        let _ = tx.send(r.map_err(|_| "panicked".to_string()));
    });
    rx.recv_timeout(Duration::from_secs(20))
        .unwrap_or_else(|_| Err("hung (no answer within 20 s)".into()))
}

#[test]
fn every_validator_sample_is_refused_clearly() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let base = corpus.join("gltf-invalid");
    let files = common::models_under(&base);
    assert_eq!(files.len(), 40, "the corpus has 40 malformed inputs");
    let mut failures = Vec::new();
    for path in &files {
        let name = common::relative(path, &base);
        let file_name = path.file_name().unwrap().to_string_lossy().to_string();
        match load_guarded(path, &name) {
            Err(why) => failures.push(format!("{name}: {why}")),
            Ok(Ok(())) => failures.push(format!("{name}: loaded without an error")),
            Ok(Err(message)) => {
                println!("{message}");
                if message.trim().is_empty() || !message.contains(&file_name) {
                    failures.push(format!("{name}: message does not name the file: {message}"));
                }
                if let Some((_, kw)) = KEYWORDS.iter().find(|(f, _)| *f == name) {
                    if !message.contains(kw) {
                        failures.push(format!("{name}: message lacks \"{kw}\": {message}"));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A `.gltf` with one buffer in a data URI and the given extra JSON members.
fn gltf_with(buffer: &[u8], body: &str) -> Vec<u8> {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(buffer);
    format!(
        r#"{{"asset":{{"version":"2.0"}},"buffers":[{{"byteLength":{},"uri":"data:application/octet-stream;base64,{b64}"}}],{body}}}"#,
        buffer.len()
    )
    .into_bytes()
}

fn load_err(bytes: &[u8]) -> String {
    let read = |u: &str| Err(format!("no file {u}"));
    match load_and_decode(bytes, "hand.gltf", &read) {
        Ok(_) => panic!("loaded"),
        Err(e) => {
            let m = e.to_string();
            println!("{m}");
            assert!(m.starts_with("hand.gltf: "), "{m}");
            m
        }
    }
}

fn floats(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|f| f.to_le_bytes()).collect()
}

const TRIANGLE_MESH: &str = r#""scenes":[{"nodes":[0]}],"nodes":[{"mesh":0}],
    "meshes":[{"primitives":[{"attributes":{"POSITION":0}}]}]"#;

#[test]
fn accessor_beyond_its_buffer_view() {
    let data = floats(&[0., 0., 0., 1., 0., 0., 0., 1., 0.]);
    let m = load_err(&gltf_with(
        &data,
        &format!(
            r#"{TRIANGLE_MESH},"bufferViews":[{{"buffer":0,"byteLength":36}}],
            "accessors":[{{"bufferView":0,"byteOffset":4,"componentType":5126,"count":3,"type":"VEC3","min":[0,0,0],"max":[1,1,0]}}]"#
        ),
    ));
    assert!(
        m.contains("accessors[0]") && m.contains("bufferViews[0]"),
        "{m}"
    );
    assert!(m.contains("do not fit"), "{m}");
}

#[test]
fn index_out_of_range() {
    let mut data = floats(&[0., 0., 0., 1., 0., 0., 0., 1., 0.]);
    data.extend([0u8, 1, 3, 0]);
    let m = load_err(&gltf_with(
        &data,
        r#""scenes":[{"nodes":[0]}],"nodes":[{"mesh":0}],
        "meshes":[{"primitives":[{"attributes":{"POSITION":0},"indices":1}]}],
        "bufferViews":[{"buffer":0,"byteLength":36},{"buffer":0,"byteOffset":36,"byteLength":3}],
        "accessors":[{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[0,0,0],"max":[1,1,0]},
                     {"bufferView":1,"componentType":5121,"count":3,"type":"SCALAR"}]"#,
    ));
    assert!(m.contains("meshes[0].primitives[0].indices"), "{m}");
    assert!(m.contains("element 2 is 3, out of range"), "{m}");
}

#[test]
fn cyclic_and_shared_nodes() {
    let data = floats(&[0., 0., 0., 1., 0., 0., 0., 1., 0.]);
    let accessors = r#""bufferViews":[{"buffer":0,"byteLength":36}],
        "accessors":[{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[0,0,0],"max":[1,1,0]}],
        "meshes":[{"primitives":[{"attributes":{"POSITION":0}}]}]"#;
    let m = load_err(&gltf_with(
        &data,
        &format!(
            r#"{accessors},"nodes":[{{"mesh":0,"children":[1]}},{{"children":[2]}},{{"children":[0]}}]"#
        ),
    ));
    assert!(m.contains("cycle"), "{m}");
    // A diamond (one node with two parents) would be drawn twice and can blow up exponentially.
    let m = load_err(&gltf_with(
        &data,
        &format!(
            r#"{accessors},"scenes":[{{"nodes":[0]}}],"nodes":[{{"children":[1,2]}},{{"children":[3]}},{{"children":[3]}},{{"mesh":0}}]"#
        ),
    ));
    assert!(m.contains("only one parent"), "{m}");
}

#[test]
fn missing_external_file() {
    let gltf =
        br#"{"asset":{"version":"2.0"},"buffers":[{"byteLength":4,"uri":"gone%20away.bin"}]}"#;
    let m = load_err(gltf);
    assert!(m.contains("gone away.bin"), "{m}");
    assert!(m.contains("buffers[0].uri"), "{m}");
}

#[test]
fn unsupported_required_extension_is_named() {
    let m = load_err(
        br#"{"asset":{"version":"2.0"},"extensionsUsed":["KHR_gaussian_splatting"],"extensionsRequired":["KHR_gaussian_splatting"]}"#,
    );
    assert!(m.contains("KHR_gaussian_splatting"), "{m}");
    assert!(m.contains("extensionsRequired[0]"), "{m}");
}

#[test]
fn wrong_attribute_type() {
    let data = floats(&[0., 0., 0., 1., 0., 0., 0., 1., 0.]);
    let m = load_err(&gltf_with(
        &data,
        &format!(
            r#"{TRIANGLE_MESH},"bufferViews":[{{"buffer":0,"byteLength":36}}],
            "accessors":[{{"bufferView":0,"componentType":5126,"count":4,"type":"VEC2","min":[0,0,0],"max":[1,1,0]}}]"#
        ),
    ));
    assert!(m.contains("POSITION") && m.contains("VEC2"), "{m}");
}

#[test]
fn bad_json_says_where() {
    let m = load_err(br#"{"asset":{"version":"2.0"},"accessors":[{"count":"three"}]}"#);
    assert!(m.contains("accessors[0].count"), "{m}");
    let m = load_err(b"{\"asset\":{\"version\":\"2.0\"},\n\"nodes\":[{]}");
    assert!(m.contains("line 2"), "{m}");
}

#[test]
fn gltf_1_is_named_as_such() {
    // glTF 1.0 keeps meshes in an object, which fails the 2.0 schema before the version check.
    let m = load_err(br#"{"asset":{"version":"1.0"},"meshes":{"m":{"primitives":[]}}}"#);
    assert!(m.contains("asset.version is \"1.0\""), "{m}");
}

#[test]
fn camera_type_without_its_object() {
    let m = load_err(
        br#"{"asset":{"version":"2.0"},"cameras":[{"type":"perspective","orthographic":{"xmag":1,"ymag":1,"znear":0.1,"zfar":10}}]}"#,
    );
    assert!(m.contains("cameras[0]"), "{m}");
}
