//! Positive control: every variant of every corpus model (`gltf/<Model>/<variant>/*.gltf|glb`)
//! loads, with its images decoded, and the models that exercise a feature show it.
#![allow(clippy::unwrap_used)] // test helpers: a panic is how a test fails

mod common;

use disan_assets::model::load_and_decode;
use disan_assets::ModelData;
use std::collections::HashMap;

fn load_all() -> Option<HashMap<String, ModelData>> {
    let corpus = common::corpus()?;
    let base = corpus.join("gltf");
    let files = common::models_under(&base);
    assert!(
        files.len() >= 35,
        "expected the 25 models' variants, found {}",
        files.len()
    );
    let mut out = HashMap::new();
    let mut failures = Vec::new();
    for path in &files {
        let name = common::relative(path, &base);
        let bytes = std::fs::read(path).unwrap();
        let read = common::reader(path);
        match load_and_decode(&bytes, &name, &read) {
            Ok((model, images)) => {
                assert_eq!(images.len(), model.image_count, "{name}");
                for img in &images {
                    assert_eq!(img.pixels.len(), (img.width * img.height * 4) as usize);
                }
                assert!(!model.instances.is_empty(), "{name}");
                for p in &model.primitives {
                    let n = p.positions.len();
                    assert!(
                        p.normals.len() == n
                            && p.tangents.len() == n
                            && p.uv0.len() == n
                            && p.uv1.len() == n
                            && p.colors.len() == n,
                        "{name}: attribute lengths differ"
                    );
                    assert!(p.indices.iter().all(|i| (*i as usize) < n), "{name}");
                }
                println!(
                    "{name}: {} primitives, {} instances, {} images",
                    model.primitives.len(),
                    model.instances.len(),
                    images.len()
                );
                out.insert(name, model);
            }
            Err(e) => failures.push(e.to_string()),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    Some(out)
}

#[test]
fn every_corpus_model_loads_and_decodes() {
    let Some(models) = load_all() else { return };

    // The same asset in three containers gives the same model.
    let box_gltf = &models["Box/glTF/Box.gltf"];
    assert_eq!(box_gltf, &models["Box/glTF-Binary/Box.glb"]);
    assert_eq!(box_gltf, &models["Box/glTF-Embedded/Box.gltf"]);

    // Quantized Duck: same bounds as the float Duck, within the quantization step.
    let q = &models["Duck/glTF-Quantized/Duck.gltf"].bounds;
    let f = &models["Duck/glTF-Binary/Duck.glb"].bounds;
    let size = (f.max - f.min).length();
    assert!(
        (q.min - f.min).length() < size * 0.01 && (q.max - f.max).length() < size * 0.01,
        "quantized {q:?} vs float {f:?}"
    );

    // The sparse accessor moves some vertices up: the embedded and external variants agree and
    // the bounds reach above the base plane.
    let s = &models["SimpleSparseAccessor/glTF/SimpleSparseAccessor.gltf"];
    assert_eq!(
        s,
        &models["SimpleSparseAccessor/glTF-Embedded/SimpleSparseAccessor.gltf"]
    );
    assert!(s.bounds.max.y > 1.5, "{:?}", s.bounds);

    // Vertex colours reach the primitives (this version of the model has float colours; unsigned
    // byte and short ones are tested with hand-made files in tests/model.rs).
    let vc = &models["VertexColorTest/glTF/VertexColorTest.gltf"];
    let coloured = vc
        .primitives
        .iter()
        .filter(|p| {
            p.colors
                .iter()
                .any(|c| c[0] < 0.99 || c[1] < 0.99 || c[2] < 0.99)
        })
        .count();
    assert!(coloured >= 1, "{coloured} primitives with vertex colours");

    // Normal maps without TANGENT get MikkTSpace tangents of unit length with w = ±1.
    let helmet = &models["DamagedHelmet/glTF-Binary/DamagedHelmet.glb"];
    for p in &helmet.primitives {
        for t in &p.tangents {
            let len = (t[0] * t[0] + t[1] * t[1] + t[2] * t[2]).sqrt();
            assert!((len - 1.0).abs() < 1e-3 && t[3].abs() == 1.0, "{t:?}");
        }
    }

    // URIs with spaces and percent-encoding.
    assert!(models.contains_key("Box With Spaces/glTF/Box With Spaces.gltf"));
}
