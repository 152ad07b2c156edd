//! `check_tour`: every kind of broken tour gives a message naming the file, the JSON path and the problem.
#![allow(clippy::unwrap_used)] // test helpers: a panic is how a test fails

use disan_assets::check_tour;
use std::collections::HashMap;

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_pixel(w, h, image::Rgba([10, 20, 30, 255]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A minimal valid glTF: one triangle in a data URI.
fn triangle_gltf() -> Vec<u8> {
    let positions: [f32; 9] = [0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0];
    let bytes: Vec<u8> = positions.iter().flat_map(|f| f.to_le_bytes()).collect();
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(&bytes);
    format!(
        r#"{{"asset":{{"version":"2.0"}},"scenes":[{{"nodes":[0]}}],"scene":0,"nodes":[{{"mesh":0}}],
        "meshes":[{{"primitives":[{{"attributes":{{"POSITION":0}}}}]}}],
        "buffers":[{{"byteLength":36,"uri":"data:application/octet-stream;base64,{b64}"}}],
        "bufferViews":[{{"buffer":0,"byteLength":36}}],
        "accessors":[{{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[0,0,0],"max":[1,1,0]}}]}}"#
    )
    .into_bytes()
}

fn run(files: &[(&str, Vec<u8>)]) -> (bool, String) {
    let map: HashMap<String, Vec<u8>> = files
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    let read = |p: &str| {
        map.get(p)
            .cloned()
            .ok_or_else(|| "No such file or directory".to_string())
    };
    let (_, report) = check_tour("tour.json", &read);
    (report.is_ok(), report.to_string())
}

const GOOD: &str = r#"{"version":1,"scenes":[
  {"id":"a","kind":"panorama","image":"a.png","hotspots":[
    {"kind":"link","yaw":0,"pitch":0,"target":"b","label":"B"},
    {"kind":"info","yaw":10,"pitch":0,"entry":"e","label":"E"}]},
  {"id":"b","kind":"object","model":"m.gltf"}]}"#;

const CATALOG: &str =
    r#"{"version":1,"entries":[{"id":"e","title":{"vi":"Bia đá","en":"Stele"}}]}"#;

#[test]
fn good_tour_passes() {
    let (ok, text) = run(&[
        ("tour.json", GOOD.into()),
        ("catalog.json", CATALOG.into()),
        ("a.png", png(8, 4)),
        ("m.gltf", triangle_gltf()),
    ]);
    assert!(ok, "{text}");
}

#[test]
fn missing_files_are_named() {
    let (ok, text) = run(&[("tour.json", GOOD.into()), ("catalog.json", CATALOG.into())]);
    assert!(!ok);
    assert!(
        text.contains("tour.json: $.scenes[0].image: missing file \"a.png\""),
        "{text}"
    );
    assert!(
        text.contains("tour.json: $.scenes[1].model: missing file \"m.gltf\""),
        "{text}"
    );
}

#[test]
fn bad_json_names_file_and_position() {
    let (ok, text) = run(&[("tour.json", b"{\"version\": 1, \"scenes\": [".to_vec())]);
    assert!(!ok);
    assert!(
        text.starts_with("tour.json: $")
            && text.contains("invalid JSON")
            && text.contains("line 1"),
        "{text}"
    );
    let (ok, text) = run(&[
        ("tour.json", GOOD.into()),
        ("catalog.json", b"{\"entries\": [{\"id\": 3}]}".to_vec()),
    ]);
    assert!(!ok);
    assert!(text.contains("catalog.json: $.entries[0].id"), "{text}");
}

#[test]
fn unknown_scene_and_entry() {
    let tour = GOOD.replace("\"target\":\"b\"", "\"target\":\"nowhere\"");
    let (ok, text) = run(&[
        ("tour.json", tour.into()),
        ("a.png", png(8, 4)),
        ("m.gltf", triangle_gltf()),
    ]);
    assert!(!ok);
    assert!(
        text.contains("$.scenes[0].hotspots[0].target: links to unknown scene \"nowhere\""),
        "{text}"
    );
    assert!(
        text.contains("$.scenes[0].hotspots[1].entry: refers to unknown catalog entry \"e\""),
        "{text}"
    );
}

#[test]
fn panorama_must_be_two_to_one() {
    let (ok, text) = run(&[
        ("tour.json", GOOD.into()),
        ("catalog.json", CATALOG.into()),
        ("a.png", png(8, 6)),
        ("m.gltf", triangle_gltf()),
    ]);
    assert!(!ok);
    assert!(text.contains("tour.json: $.scenes[0].image: \"a.png\" is 8×6; an equirectangular panorama must be 2:1"), "{text}");
}

#[test]
fn gltf_that_does_not_parse() {
    let (ok, text) = run(&[
        ("tour.json", GOOD.into()),
        ("catalog.json", CATALOG.into()),
        ("a.png", png(8, 4)),
        ("m.gltf", b"{\"asset\": 5}".to_vec()),
    ]);
    assert!(!ok);
    assert!(
        text.contains(
            "tour.json: $.scenes[1].model: model does not load: m.gltf: not valid glTF JSON"
        ),
        "{text}"
    );
    let mut bad_index = String::from_utf8(triangle_gltf()).unwrap();
    bad_index = bad_index.replace("\"count\":3", "\"count\":30");
    let (ok, text) = run(&[
        ("tour.json", GOOD.into()),
        ("catalog.json", CATALOG.into()),
        ("a.png", png(8, 4)),
        ("m.gltf", bad_index.into()),
    ]);
    assert!(!ok);
    assert!(
        text.contains("m.gltf: accessors[0]: 30 elements")
            && text.contains("do not fit in bufferViews[0]"),
        "{text}"
    );
}

#[test]
fn catalog_file_problems_name_the_catalog_file() {
    let cat = r#"{"version":1,"entries":[{"id":"e","title":{"vi":"Bia"}},{"id":"e","title":""}]}"#;
    let (ok, text) = run(&[
        ("tour.json", GOOD.into()),
        ("catalog.json", cat.into()),
        ("a.png", png(8, 4)),
        ("m.gltf", triangle_gltf()),
    ]);
    assert!(!ok);
    assert!(
        text.contains("catalog.json: $.entries[1].id: duplicate catalog entry id \"e\""),
        "{text}"
    );
    assert!(
        text.contains("catalog.json: $.entries[1].title: catalog entry needs a title"),
        "{text}"
    );
}

#[test]
fn derivatives_are_checked_like_the_model() {
    let tour = r#"{"version":1,"scenes":[
      {"id":"s","kind":"object","derivatives":[
        {"quality":"thumb","model":"d/s-thumb.gltf","triangles":1,"vertices":3,"gpu_bytes":300},
        {"quality":"low","model":"../outside.glb","triangles":1,"vertices":3,"gpu_bytes":300},
        {"quality":"medium","model":"d/missing.glb","triangles":1,"vertices":3,"gpu_bytes":300},
        {"quality":"medium","model":"d/broken.glb","triangles":1,"vertices":3,"gpu_bytes":300}]}]}"#;
    let (ok, text) = run(&[
        ("tour.json", tour.into()),
        ("d/s-thumb.gltf", triangle_gltf()),
        ("d/broken.glb", b"glTF garbage".to_vec()),
    ]);
    assert!(!ok);
    for expected in [
        "$.scenes[0].derivatives[1].model",
        "$.scenes[0].derivatives[2].model: missing file \"d/missing.glb\"",
        "$.scenes[0].derivatives[3].model: model does not load",
        "$.scenes[0].derivatives[3].quality: a second \"medium\" derivative",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }
    assert!(!text.contains("derivatives[0]"), "{text}");
    // No "model" is needed when derivatives are listed.
    assert!(!text.contains("needs a \"model\""), "{text}");
}

#[test]
fn captions_must_be_webvtt_text() {
    let tour = r#"{"version":1,"scenes":[{"id":"a","kind":"panorama","image":"a.png"}],
      "tours":[{"id":"t","title":"T","steps":[{"scene":"a",
        "narration":{"vi":"Bia"},"captions":{"vi":"a.vtt","en":"b.vtt"}}]}]}"#;
    let good = "WEBVTT\n\n00:00.000 --> 00:02.000\nBia đá\n";
    let cases: [(&[u8], Option<&str>); 3] = [
        (b"\x00\xff\xfe binary", Some("not UTF-8 text")),
        (b"just some text", Some("not a WebVTT file")),
        (good.as_bytes(), None),
    ];
    for (bytes, says) in cases {
        let (ok, text) = run(&[
            ("tour.json", tour.into()),
            ("a.png", png(8, 4)),
            ("a.vtt", bytes.to_vec()),
            ("b.vtt", good.into()),
        ]);
        match says {
            Some(s) => {
                assert!(!ok, "{text}");
                assert!(
                    text.contains("$.tours[0].steps[0].captions.vi") && text.contains(s),
                    "{text}"
                );
            }
            None => assert!(ok, "{text}"),
        }
    }
}
