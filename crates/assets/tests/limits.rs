//! Tiny files that claim huge sizes (a 4-GB buffer, a 100000×100000 texture, billions of
//! elements) are refused before anything of that size is allocated. A counting allocator records
//! the largest single allocation while each file loads.

use disan_assets::model::{load_and_decode, pack_glb};
use disan_testkit::png_header;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

struct Counting;

static LARGEST: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LARGEST.fetch_max(new_size, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Tests in this file share the counter: one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

/// Loads `bytes`, expects an error containing `keyword`, and returns the largest allocation.
fn refused(bytes: &[u8], file: &str, keyword: &str) -> usize {
    let read = |_: &str| Ok(vec![0u8; 16]);
    LARGEST.store(0, Ordering::Relaxed);
    let r = load_and_decode(bytes, file, &read);
    let largest = LARGEST.load(Ordering::Relaxed);
    let m = match r {
        Ok(_) => panic!("{file} loaded"),
        Err(e) => e.to_string(),
    };
    println!("{m}  (largest allocation {largest} bytes)");
    assert!(m.contains(keyword), "{m}");
    largest
}

fn data_uri(bytes: &[u8]) -> String {
    use base64::Engine as _;
    format!(
        "data:application/octet-stream;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// Allocations stay far below the claimed sizes (parsing a small JSON needs a few KB).
const SMALL: usize = 1 << 20;

#[test]
fn huge_buffer_claims() {
    let _g = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // byteLength 4 GB in a data URI of 3 bytes.
    let gltf = format!(
        r#"{{"asset":{{"version":"2.0"}},"buffers":[{{"byteLength":4294967296,"uri":"{}"}}]}}"#,
        data_uri(&[1, 2, 3])
    );
    assert!(refused(gltf.as_bytes(), "big.gltf", "byteLength is 4294967296") < SMALL);
    // The same claim for an external file the reader gives 16 bytes of.
    let gltf =
        r#"{"asset":{"version":"2.0"},"buffers":[{"byteLength":4294967296,"uri":"big.bin"}]}"#;
    assert!(refused(gltf.as_bytes(), "big.gltf", "byteLength is 4294967296") < SMALL);
    // A GLB whose BIN chunk claims 4 GB: 8 bytes of data under a forged chunk length.
    let json = br#"{"asset":{"version":"2.0"},"buffers":[{"byteLength":4294967200}]}"#;
    let mut glb = pack_glb(json, &[0u8; 8]);
    let bin = glb.len() - 16;
    glb[bin..bin + 4].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    assert!(refused(&glb, "big.glb", "BIN chunk") < SMALL);
}

#[test]
fn huge_accessor_claims() {
    let _g = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let mesh = r#""scenes":[{"nodes":[0]}],"nodes":[{"mesh":0}],"meshes":[{"primitives":[{"attributes":{"POSITION":0}}]}]"#;
    // Four billion positions in a 36-byte buffer view.
    let gltf = format!(
        r#"{{"asset":{{"version":"2.0"}},"buffers":[{{"byteLength":36,"uri":"{}"}}],{mesh},
        "bufferViews":[{{"buffer":0,"byteLength":36}}],
        "accessors":[{{"bufferView":0,"componentType":5126,"count":4000000000,"type":"VEC3","min":[0,0,0],"max":[1,1,1]}}]}}"#,
        data_uri(&[0; 36])
    );
    assert!(refused(gltf.as_bytes(), "count.gltf", "do not fit") < SMALL);
    // Four billion zero positions without a buffer view.
    let gltf = format!(
        r#"{{"asset":{{"version":"2.0"}},{mesh},
        "accessors":[{{"componentType":5126,"count":4000000000,"type":"VEC3","min":[0,0,0],"max":[1,1,1]}}]}}"#
    );
    assert!(refused(gltf.as_bytes(), "zeros.gltf", "no bufferView") < SMALL);
    // A sparse accessor claiming four billion substitutions.
    let gltf = format!(
        r#"{{"asset":{{"version":"2.0"}},"buffers":[{{"byteLength":36,"uri":"{}"}}],{mesh},
        "bufferViews":[{{"buffer":0,"byteLength":36}}],
        "accessors":[{{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[0,0,0],"max":[1,1,1],
          "sparse":{{"count":4000000000,"indices":{{"bufferView":0,"componentType":5125}},"values":{{"bufferView":0}}}}}}]}}"#,
        data_uri(&[0; 36])
    );
    assert!(refused(gltf.as_bytes(), "sparse.gltf", "sparse.count") < SMALL);
    // An index accessor with a byteOffset near usize::MAX.
    let gltf = format!(
        r#"{{"asset":{{"version":"2.0"}},"buffers":[{{"byteLength":36,"uri":"{}"}}],
        "scenes":[{{"nodes":[0]}}],"nodes":[{{"mesh":0}}],"meshes":[{{"primitives":[{{"attributes":{{"POSITION":0}},"indices":1}}]}}],
        "bufferViews":[{{"buffer":0,"byteLength":36}}],
        "accessors":[{{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[0,0,0],"max":[1,1,1]}},
                     {{"bufferView":0,"byteOffset":18446744073709551610,"componentType":5125,"count":3,"type":"SCALAR"}}]}}"#,
        data_uri(&[0; 36])
    );
    assert!(refused(gltf.as_bytes(), "offset.gltf", "accessors[1]") < SMALL);
}

#[test]
fn huge_texture_claim() {
    let _g = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let positions: Vec<u8> = [0f32, 0., 0., 1., 0., 0., 0., 1., 0.]
        .iter()
        .flat_map(|f| f.to_le_bytes())
        .collect();
    let png_uri = {
        use base64::Engine as _;
        let png = base64::engine::general_purpose::STANDARD.encode(png_header(100_000, 100_000));
        format!("data:image/png;base64,{png}")
    };
    let gltf = format!(
        r#"{{"asset":{{"version":"2.0"}},"buffers":[{{"byteLength":36,"uri":"{}"}}],
        "scenes":[{{"nodes":[0]}}],"nodes":[{{"mesh":0}}],
        "meshes":[{{"primitives":[{{"attributes":{{"POSITION":0}},"material":0}}]}}],
        "materials":[{{"pbrMetallicRoughness":{{"baseColorTexture":{{"index":0}}}}}}],
        "textures":[{{"source":0}}],"images":[{{"uri":"{}"}}],
        "bufferViews":[{{"buffer":0,"byteLength":36}}],
        "accessors":[{{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[0,0,0],"max":[1,1,0]}}]}}"#,
        data_uri(&positions),
        png_uri
    );
    let largest = refused(gltf.as_bytes(), "texture.gltf", "100000×100000");
    assert!(largest < SMALL, "largest allocation {largest}");
    assert!(refused(gltf.as_bytes(), "texture.gltf", "images[0] (data URI)") < SMALL);
}

/// A GLB of `json` (with `{BIN}` replaced by the binary chunk's length) and `bin`.
fn glb(json: &str, bin: &[u8]) -> Vec<u8> {
    pack_glb(
        json.replace("{BIN}", &bin.len().to_string()).as_bytes(),
        bin,
    )
}

#[test]
fn shared_accessor_geometry_budget() {
    let _g = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // One 100k-vertex accessor (1.2 MB) drawn by 100 primitives: about 800 MB once decoded.
    let n = 100_000;
    let bin: Vec<u8> = (0..n)
        .flat_map(|i| [i as f32, (i % 7) as f32, 0.0])
        .flat_map(f32::to_le_bytes)
        .collect();
    let prims = [r#"{"attributes":{"POSITION":0}}"#; 100].join(",");
    let json = format!(
        r#"{{"asset":{{"version":"2.0"}},"scenes":[{{"nodes":[0]}}],"nodes":[{{"mesh":0}}],
        "meshes":[{{"primitives":[{prims}]}}],"buffers":[{{"byteLength":{{BIN}}}}],
        "bufferViews":[{{"buffer":0,"byteLength":{{BIN}}}}],
        "accessors":[{{"bufferView":0,"componentType":5126,"count":{n},"type":"VEC3","min":[0,0,0],"max":[{},6,0]}}]}}"#,
        n - 1
    );
    let file = glb(&json, &bin);
    let largest = refused(&file, "shared.glb", "more than the 512 MB budget");
    assert!(largest < 4 * SMALL, "largest allocation {largest}");
    // The same accessor in 10 primitives is within the budget and loads (decoded once).
    let prims = [r#"{"attributes":{"POSITION":0}}"#; 10].join(",");
    let json = json.replace(
        &vec![r#"{"attributes":{"POSITION":0}}"#; 100].join(","),
        &prims,
    );
    let read = |_: &str| Err("no external files".to_string());
    let (model, _) = load_and_decode(&glb(&json, &bin), "ten.glb", &read).unwrap();
    assert_eq!(model.primitives.len(), 10);
    assert!(model.primitives.iter().all(|p| p.positions.len() == 99_999));
}

/// A PNG of `w`×`h` whose IDAT holds `idat` bytes (not valid deflate data: only the header is read).
fn png_with_idat(w: u32, h: u32, idat: usize) -> Vec<u8> {
    let mut p = png_header(w, h);
    // Replace the empty IDAT (after the 8-byte signature and 25-byte IHDR chunk) with a long one.
    let iend = p.split_off(33 + 12);
    p.truncate(33);
    p.extend((idat as u32).to_be_bytes());
    p.extend(b"IDAT");
    p.extend(std::iter::repeat_n(0x55u8, idat));
    p.extend(0u32.to_be_bytes());
    p.extend(iend);
    p
}

#[test]
fn texture_budget() {
    let _g = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // Three 16384×8192 textures (each at the per-image limit, with enough data to be plausible):
    // 1.5 GB decoded, over the 1 GB texture budget. Refused from the headers, before decoding.
    let img = png_with_idat(16384, 8192, 530_000);
    let positions: Vec<u8> = [0f32, 0., 0., 1., 0., 0., 0., 1., 0.]
        .iter()
        .flat_map(|f| f.to_le_bytes())
        .collect();
    let mut bin = positions.clone();
    let mut views = vec![r#"{"buffer":0,"byteLength":36}"#.to_string()];
    for _ in 0..3 {
        views.push(format!(
            r#"{{"buffer":0,"byteOffset":{},"byteLength":{}}}"#,
            bin.len(),
            img.len()
        ));
        bin.extend(&img);
    }
    let json = format!(
        r#"{{"asset":{{"version":"2.0"}},"scenes":[{{"nodes":[0]}}],"nodes":[{{"mesh":0}}],
        "meshes":[{{"primitives":[{{"attributes":{{"POSITION":0}},"material":0}}]}}],
        "materials":[{{"pbrMetallicRoughness":{{"baseColorTexture":{{"index":0}},"metallicRoughnessTexture":{{"index":1}}}},"emissiveTexture":{{"index":2}}}}],
        "textures":[{{"source":0}},{{"source":1}},{{"source":2}}],
        "images":[{{"bufferView":1,"mimeType":"image/png"}},{{"bufferView":2,"mimeType":"image/png"}},{{"bufferView":3,"mimeType":"image/png"}}],
        "buffers":[{{"byteLength":{{BIN}}}}],"bufferViews":[{}],
        "accessors":[{{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[0,0,0],"max":[1,1,0]}}]}}"#,
        views.join(",")
    );
    let file = glb(&json, &bin);
    let largest = refused(&file, "textures.glb", "more than the 1024 MB budget");
    assert!(largest < 16 * SMALL, "largest allocation {largest}");
}

#[test]
fn small_jpeg_claiming_a_huge_size() {
    let _g = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // A 16×8 JPEG (a few hundred bytes) whose frame header claims 16000×8000: decoding it would
    // allocate over a gigabyte of pixels that its data cannot fill. Refused from the markers.
    let img = image::RgbImage::from_fn(16, 8, |x, y| image::Rgb([x as u8 * 9, y as u8 * 17, 99]));
    let mut jpg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpg, 90)
        .encode_image(&img)
        .unwrap();
    let sof = jpg.windows(2).position(|m| m == [0xFF, 0xC0]).unwrap();
    jpg[sof + 5..sof + 7].copy_from_slice(&8000u16.to_be_bytes());
    jpg[sof + 7..sof + 9].copy_from_slice(&16000u16.to_be_bytes());
    assert!(jpg.len() < 1000, "{} bytes", jpg.len());
    LARGEST.store(0, Ordering::Relaxed);
    let e = disan_assets::image::decode(&jpg, "claim.jpg")
        .unwrap_err()
        .to_string();
    let largest = LARGEST.load(Ordering::Relaxed);
    assert!(e.contains("16000×8000") && e.contains("too little"), "{e}");
    assert!(largest < SMALL, "largest allocation {largest}");
}

/// A GLB of one triangle mesh shown by `mesh_nodes` nodes: all roots (`nested: false`), or half
/// of them roots whose one child shows the mesh again (`nested: true`).
fn instanced_glb(mesh_nodes: usize, nested: bool) -> Vec<u8> {
    let bin: Vec<u8> = [0.0f32, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
        .iter()
        .flat_map(|f| f.to_le_bytes())
        .collect();
    let (nodes, roots): (Vec<String>, Vec<usize>) = if nested {
        let half = mesh_nodes / 2;
        let parents = (0..half).map(|i| format!(r#"{{"mesh":0,"children":[{}]}}"#, half + i));
        let children = (0..mesh_nodes - half).map(|_| r#"{"mesh":0}"#.to_string());
        // An odd one out is a root too.
        let roots = (0..half).chain(2 * half..mesh_nodes).collect();
        (parents.chain(children).collect(), roots)
    } else {
        (
            vec![r#"{"mesh":0}"#.to_string(); mesh_nodes],
            (0..mesh_nodes).collect(),
        )
    };
    let roots: Vec<String> = roots.iter().map(usize::to_string).collect();
    let json = format!(
        r#"{{"asset":{{"version":"2.0"}},"scene":0,"scenes":[{{"nodes":[{}]}}],"nodes":[{}],
        "meshes":[{{"primitives":[{{"attributes":{{"POSITION":0}}}}]}}],"buffers":[{{"byteLength":{{BIN}}}}],
        "bufferViews":[{{"buffer":0,"byteLength":{{BIN}}}}],
        "accessors":[{{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[0,0,0],"max":[1,1,0]}}]}}"#,
        roots.join(","),
        nodes.join(",")
    );
    glb(&json, &bin)
}

/// What `disan validate` says of a tour whose one object scene is `model` (as `m.glb`).
fn validate(model: Vec<u8>) -> String {
    let tour = br#"{"version":1,"scenes":[{"id":"o","kind":"object","model":"m.glb"}]}"#.to_vec();
    let read = move |p: &str| match p {
        "tour.json" => Ok(tour.clone()),
        "m.glb" => Ok(model.clone()),
        _ => Err("No such file or directory".to_string()),
    };
    let (_, report) = disan_assets::check_tour("tour.json", &read);
    report.to_string()
}

#[test]
fn instanced_geometry_budget() {
    use disan_assets::model::{DRAW_BYTES, MAX_GEOMETRY_BYTES};
    let _g = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // One triangle (36 bytes of positions) shown by enough nodes that their draws alone pass
    // the geometry budget: each node counts the mesh again, as the renderer and the flattener
    // expand it, nested nodes included.
    let nodes = ((MAX_GEOMETRY_BYTES / DRAW_BYTES + 2) & !1) as usize;
    for nested in [false, true] {
        let file = instanced_glb(nodes, nested);
        assert!(file.len() < 1 << 20, "{} bytes", file.len());
        // Nothing is decoded: the largest allocation is the JSON tree of its nodes.
        let largest = refused(&file, "instanced.glb", "more than the 512 MB budget");
        assert!(largest < 32 * SMALL, "largest allocation {largest}");
        let read = |_: &str| Err("no external files".to_string());
        let m = disan_assets::model::load_with(&file, "instanced.glb", &read)
            .err()
            .unwrap()
            .to_string();
        assert!(
            m.starts_with("instanced.glb: ")
                && m.contains(&format!(
                    "1 primitives drawn {nodes} times by {nodes} nodes"
                ))
                && m.contains(&format!("{nodes} triangles and {} vertices", 3 * nodes)),
            "{m}"
        );
        let report = validate(file);
        assert!(
            report.contains("instanced.glb") || report.contains("m.glb"),
            "{report}"
        );
        assert!(
            report.contains("more than the 512 MB budget")
                && report.contains(&format!("drawn {nodes} times")),
            "{report}"
        );
    }
    // Half as many draws are within the budget, and every one is an instance.
    let read = |_: &str| Err("no external files".to_string());
    for nested in [false, true] {
        let (model, _) =
            load_and_decode(&instanced_glb(nodes / 2, nested), "half.glb", &read).unwrap();
        assert_eq!(model.primitives.len(), 1);
        assert_eq!(model.instances.len(), nodes / 2);
    }
    let report = validate(instanced_glb(nodes / 2, true));
    assert!(!report.contains("budget"), "{report}");
}

#[test]
fn absurd_node_counts() {
    use disan_assets::model::MAX_NODES;
    let _g = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // The issue's file: 200 000 roots showing one triangle, about 4 MB. Refused from a count of
    // the JSON's nodes, before the glTF tree (a few hundred bytes a node) is built.
    let file = instanced_glb(200_000, false);
    assert!(file.len() > 3 << 20, "{} bytes", file.len());
    let largest = refused(&file, "nodes.glb", "200000 nodes");
    assert!(largest < SMALL, "largest allocation {largest}");
    let m = validate(file);
    assert!(
        m.contains(&format!("200000 nodes, more than the {MAX_NODES}")),
        "{m}"
    );
    // Just over the limit, nodes that show nothing: the same.
    let nodes = vec!["{}"; MAX_NODES + 1].join(",");
    let json =
        format!(r#"{{"asset":{{"version":"2.0"}},"scenes":[{{"nodes":[0]}}],"nodes":[{nodes}]}}"#);
    let largest = refused(
        json.as_bytes(),
        "empty.gltf",
        &format!(
            "{} nodes, more than the {MAX_NODES} a model may have",
            MAX_NODES + 1
        ),
    );
    assert!(largest < SMALL, "largest allocation {largest}");
}
