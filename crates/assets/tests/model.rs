//! Hand-made glTF files for what the loader must read correctly: sparse accessors, quantized
//! positions, unsigned byte / short colours, interleaved data, strips, cameras, multiple scenes,
//! `EXT_texture_webp`, and the step-by-step `Document` API the web shell uses.

use base64::Engine as _;
use disan_assets::model::{load_with, CameraProjection, Document};
use disan_assets::ModelData;
use glam::Vec3;

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A `.gltf` with one buffer in a data URI and the given extra JSON members.
fn gltf_with(buffer: &[u8], body: &str) -> Vec<u8> {
    format!(
        r#"{{"asset":{{"version":"2.0"}},"buffers":[{{"byteLength":{},"uri":"data:application/octet-stream;base64,{}"}}],{body}}}"#,
        buffer.len(),
        b64(buffer)
    )
    .into_bytes()
}

fn load(bytes: &[u8]) -> ModelData {
    let read = |u: &str| Err(format!("no file {u}"));
    match load_with(bytes, "hand.gltf", &read) {
        Ok((m, _)) => m,
        Err(e) => panic!("{e}"),
    }
}

fn floats(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|f| f.to_le_bytes()).collect()
}

const TRIANGLE: [f32; 9] = [0., 0., 0., 1., 0., 0., 0., 1., 0.];

fn one_mesh(attributes: &str) -> String {
    format!(
        r#""scenes":[{{"nodes":[0]}}],"nodes":[{{"mesh":0}}],"meshes":[{{"primitives":[{{"attributes":{{{attributes}}}}}]}}]"#
    )
}

#[test]
fn sparse_over_base_and_over_zeros() {
    let mut data = floats(&TRIANGLE); // 0..36: base positions
    data.extend([2u8, 0, 0, 0]); // 36..40: sparse index 2 (u8, padded)
    data.extend(floats(&[5., 5., 5.])); // 40..52: sparse value
    let body = format!(
        r#"{},
        "bufferViews":[{{"buffer":0,"byteLength":36}},{{"buffer":0,"byteOffset":36,"byteLength":1}},{{"buffer":0,"byteOffset":40,"byteLength":12}}],
        "accessors":[
          {{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[0,0,0],"max":[5,5,5],
            "sparse":{{"count":1,"indices":{{"bufferView":1,"componentType":5121}},"values":{{"bufferView":2}}}}}},
          {{"componentType":5126,"count":3,"type":"VEC3",
            "sparse":{{"count":1,"indices":{{"bufferView":1,"componentType":5121}},"values":{{"bufferView":2}}}}}}]"#,
        one_mesh(r#""POSITION":0,"NORMAL":1"#)
    );
    let m = load(&gltf_with(&data, &body));
    let p = &m.primitives[0];
    assert_eq!(p.positions, vec![[0., 0., 0.], [1., 0., 0.], [5., 5., 5.]]);
    // The zero-based NORMAL accessor has (5,5,5) at vertex 2, normalized; zeros fall back to +Y.
    let n2 = Vec3::from(p.normals[2]);
    assert!((n2 - Vec3::splat(1.0 / 3f32.sqrt())).length() < 1e-5);
    assert_eq!(p.normals[0], [0., 1., 0.]);
}

#[test]
fn quantized_positions_with_stride_and_node_scale() {
    // SHORT positions (not normalized), 6 bytes each in an 8-byte stride, as KHR_mesh_quantization allows.
    let mut data = Vec::new();
    for v in [[0i16, 0, 0], [100, 0, 0], [0, 200, 0]] {
        for c in v {
            data.extend(c.to_le_bytes());
        }
        data.extend([0, 0]);
    }
    let body = r#""extensionsUsed":["KHR_mesh_quantization"],"extensionsRequired":["KHR_mesh_quantization"],
        "scenes":[{"nodes":[0]}],"nodes":[{"mesh":0,"scale":[0.01,0.01,0.01]}],
        "meshes":[{"primitives":[{"attributes":{"POSITION":0}}]}],
        "bufferViews":[{"buffer":0,"byteLength":24,"byteStride":8}],
        "accessors":[{"bufferView":0,"componentType":5122,"count":3,"type":"VEC3","min":[0,0,0],"max":[100,200,0]}]"#;
    let m = load(&gltf_with(&data, body));
    assert_eq!(
        m.primitives[0].positions,
        vec![[0., 0., 0.], [100., 0., 0.], [0., 200., 0.]]
    );
    assert!((m.bounds.max - Vec3::new(1.0, 2.0, 0.0)).length() < 1e-5);
}

#[test]
fn normalized_byte_normals_and_short_texcoords() {
    let mut data = floats(&TRIANGLE);
    for _ in 0..3 {
        data.extend([0u8, 0, 127, 0]); // BYTE normalized (0,0,1), padded to 4
    }
    for uv in [[0u16, 0], [65535, 0], [0, 65535]] {
        for c in uv {
            data.extend(c.to_le_bytes());
        }
    }
    let body = format!(
        r#"{},
        "bufferViews":[{{"buffer":0,"byteLength":36}},{{"buffer":0,"byteOffset":36,"byteLength":12,"byteStride":4}},{{"buffer":0,"byteOffset":48,"byteLength":12}}],
        "accessors":[{{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[0,0,0],"max":[1,1,0]}},
                     {{"bufferView":1,"componentType":5120,"normalized":true,"count":3,"type":"VEC3"}},
                     {{"bufferView":2,"componentType":5123,"normalized":true,"count":3,"type":"VEC2"}}]"#,
        one_mesh(r#""POSITION":0,"NORMAL":1,"TEXCOORD_0":2"#)
    );
    let p = &load(&gltf_with(&data, &body)).primitives[0];
    assert_eq!(p.normals, vec![[0., 0., 1.]; 3]);
    assert_eq!(p.uv0, vec![[0., 0.], [1., 0.], [0., 1.]]);
}

#[test]
fn unsigned_byte_and_short_colours() {
    let mut data = floats(&TRIANGLE);
    for c in [[255u8, 0, 0], [0, 255, 0], [0, 0, 255]] {
        data.extend(c);
        data.push(0); // VEC3 of bytes: 4-byte stride
    }
    for c in [
        [65535u16, 0, 0, 65535],
        [0, 32768, 0, 0],
        [0, 0, 65535, 65535],
    ] {
        for x in c {
            data.extend(x.to_le_bytes());
        }
    }
    let views = r#""bufferViews":[{"buffer":0,"byteLength":36},{"buffer":0,"byteOffset":36,"byteLength":12,"byteStride":4},{"buffer":0,"byteOffset":48,"byteLength":24}]"#;
    let pos = r#"{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[0,0,0],"max":[1,1,0]}"#;
    let body = format!(
        r#"{},{views},"accessors":[{pos},{{"bufferView":1,"componentType":5121,"normalized":true,"count":3,"type":"VEC3"}}]"#,
        one_mesh(r#""POSITION":0,"COLOR_0":1"#)
    );
    let p = &load(&gltf_with(&data, &body)).primitives[0];
    assert_eq!(
        p.colors,
        vec![[1., 0., 0., 1.], [0., 1., 0., 1.], [0., 0., 1., 1.]]
    );
    let body = format!(
        r#"{},{views},"accessors":[{pos},{{"bufferView":2,"componentType":5123,"normalized":true,"count":3,"type":"VEC4"}}]"#,
        one_mesh(r#""POSITION":0,"COLOR_0":1"#)
    );
    let p = &load(&gltf_with(&data, &body)).primitives[0];
    assert_eq!(p.colors[0], [1., 0., 0., 1.]);
    assert!((p.colors[1][1] - 32768.0 / 65535.0).abs() < 1e-6);
    assert_eq!(p.colors[1][3], 0.0);
}

#[test]
fn strips_fans_and_interleaved_data() {
    // Interleaved position + uv (20-byte stride), four vertices of a quad drawn as a strip
    // (zig-zag order) and as a fan (around the corner).
    let quad = |order: [usize; 4]| {
        let corners = [
            ([0f32, 0., 0.], [0f32, 1.]),
            ([1., 0., 0.], [1., 1.]),
            ([0., 1., 0.], [0., 0.]),
            ([1., 1., 0.], [1., 0.]),
        ];
        let mut data = Vec::new();
        for i in order {
            data.extend(floats(&corners[i].0));
            data.extend(floats(&corners[i].1));
        }
        data
    };
    for (mode, order) in [(5, [0, 1, 2, 3]), (6, [0, 1, 3, 2])] {
        let data = quad(order);
        let body = format!(
            r#""scenes":[{{"nodes":[0]}}],"nodes":[{{"mesh":0}}],
            "meshes":[{{"primitives":[{{"attributes":{{"POSITION":0,"TEXCOORD_0":1}},"mode":{mode}}}]}}],
            "bufferViews":[{{"buffer":0,"byteLength":80,"byteStride":20}}],
            "accessors":[{{"bufferView":0,"componentType":5126,"count":4,"type":"VEC3","min":[0,0,0],"max":[1,1,0]}},
                         {{"bufferView":0,"byteOffset":12,"componentType":5126,"count":4,"type":"VEC2"}}]"#
        );
        let p = &load(&gltf_with(&data, &body)).primitives[0];
        assert_eq!(p.indices.len(), 6, "mode {mode}: two triangles");
        // Flat normals (no NORMAL given) of a strip/fan in the XY plane all face +Z.
        assert!(
            p.normals.iter().all(|n| (n[2] - 1.0).abs() < 1e-6),
            "mode {mode}"
        );
        assert_eq!(p.uv0[..2], [[0., 1.], [1., 1.]]);
    }
}

#[test]
fn cameras_and_the_default_scene() {
    let data = floats(&TRIANGLE);
    let body = r#""scene":1,
        "scenes":[{"nodes":[0]},{"nodes":[1,2]}],
        "nodes":[{"mesh":0,"translation":[100,0,0]},
                 {"mesh":0},
                 {"name":"rig","translation":[0,0,5],"children":[3]},
                 {"camera":0,"rotation":[0,0,0,1]}],
        "cameras":[{"name":"front","type":"perspective","perspective":{"yfov":0.8,"znear":0.1,"aspectRatio":1.5}},
                   {"type":"orthographic","orthographic":{"xmag":2,"ymag":1,"znear":0.1,"zfar":50}}],
        "meshes":[{"primitives":[{"attributes":{"POSITION":0}}]}],
        "bufferViews":[{"buffer":0,"byteLength":36}],
        "accessors":[{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[0,0,0],"max":[1,1,0]}]"#;
    let m = load(&gltf_with(&data, body));
    // Scene 1 is shown: the mesh at the origin, not the one at x = 100.
    assert_eq!(m.instances.len(), 1);
    assert!(m.bounds.max.x < 2.0);
    assert_eq!(m.cameras.len(), 1);
    let c = &m.cameras[0];
    assert_eq!((c.camera, c.node, c.name.as_deref()), (0, 3, Some("front")));
    assert_eq!(
        c.projection,
        CameraProjection::Perspective {
            yfov: 0.8,
            aspect: Some(1.5),
            znear: 0.1,
            zfar: None
        }
    );
    assert_eq!(
        c.world.transform_point3(Vec3::ZERO),
        Vec3::new(0.0, 0.0, 5.0)
    );
}

#[test]
fn webp_texture_source_and_extras() {
    let data = floats(&TRIANGLE);
    let body = format!(
        r#""extensionsUsed":["EXT_texture_webp"],"extensionsRequired":["EXT_texture_webp"],
        "extras":{{"author":"test"}},
        {},
        "materials":[{{"pbrMetallicRoughness":{{"baseColorTexture":{{"index":0}}}},"extras":[1,2]}}],
        "textures":[{{"extensions":{{"EXT_texture_webp":{{"source":1}}}}}}],
        "images":[{{"uri":"fallback.png"}},{{"uri":"colour.webp"}}],
        "bufferViews":[{{"buffer":0,"byteLength":36}}],
        "accessors":[{{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[0,0,0],"max":[1,1,0]}}]"#,
        r#""scenes":[{"nodes":[0]}],"nodes":[{"mesh":0}],"meshes":[{"primitives":[{"attributes":{"POSITION":0},"material":0}]}]"#
    );
    let bytes = gltf_with(&data, &body);
    let read = |u: &str| Ok(u.as_bytes().to_vec());
    let (m, images) = load_with(&bytes, "hand.gltf", &read).unwrap();
    let t = m.materials[0].base_color_texture.unwrap();
    assert_eq!(t.image, 1);
    assert!(m.image_is_srgb[1] && !m.image_is_srgb[0]);
    assert_eq!(images[1].bytes, b"colour.webp");
    assert_eq!(images[1].mime.as_deref(), Some("image/webp"));
}

#[test]
fn document_steps_as_the_web_shell_uses_them() {
    let data = floats(&TRIANGLE);
    let body = format!(
        r#"{},"bufferViews":[{{"buffer":0,"byteLength":36}}],
        "accessors":[{{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[0,0,0],"max":[1,1,0]}}]"#,
        one_mesh(r#""POSITION":0"#)
    );
    // The same model with its buffer as an external file with a space in its name.
    let text = String::from_utf8(gltf_with(&data, &body)).unwrap();
    let start = text.find("data:").unwrap();
    let end = start + text[start..].find('"').unwrap();
    let external = format!("{}tri%20angle.bin{}", &text[..start], &text[end..]);
    let doc = Document::parse(external.as_bytes(), "tri.gltf").unwrap();
    let needs = doc.needs();
    assert_eq!(needs.buffers, vec![Some("tri angle.bin".to_string())]);
    assert!(doc.resolve_buffers(&[]).is_err());
    let buffers = doc.resolve_buffers(std::slice::from_ref(&data)).unwrap();
    let m = doc.build(&buffers).unwrap();
    assert_eq!(m, load(text.as_bytes()));
}
