//! `disan import` of scans: PLY (ASCII, binary little- and big-endian) with vertex colours and
//! OBJ + MTL with a texture become GLBs that Disan's loader reads back with the same geometry,
//! colours, texture and material; broken scans are errors naming the file.

use disan_assets::model::load_and_decode;
use disan_import::scan::import_scan;
use std::path::{Path, PathBuf};

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("disan-scan-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

/// Positions, sRGB colours and triangles.
type Mesh = (Vec<[f32; 3]>, Vec<[u8; 3]>, Vec<[u32; 3]>);

/// A relief: an `n`×`n` grid with a bump, coloured by position (sRGB bytes).
fn relief(n: usize) -> Mesh {
    let mut p = Vec::new();
    let mut c = Vec::new();
    for j in 0..=n {
        for i in 0..=n {
            let (x, z) = (i as f32 / n as f32 - 0.5, j as f32 / n as f32 - 0.5);
            p.push([x, 0.2 * (-(x * x + z * z) * 12.0).exp(), z]);
            c.push([(i * 255 / n) as u8, (j * 255 / n) as u8, 90]);
        }
    }
    let mut f = Vec::new();
    let w = (n + 1) as u32;
    for j in 0..n as u32 {
        for i in 0..n as u32 {
            let a = j * w + i;
            f.push([a, a + w, a + 1]);
            f.push([a + 1, a + w, a + w + 1]);
        }
    }
    (p, c, f)
}

fn ply(format: &str, n: usize) -> Vec<u8> {
    let (p, c, f) = relief(n);
    let mut out = format!(
        "ply\nformat {format} 1.0\ncomment made by the test\nelement vertex {}\nproperty float x\nproperty float y\nproperty float z\nproperty uchar red\nproperty uchar green\nproperty uchar blue\nelement face {}\nproperty list uchar int vertex_indices\nend_header\n",
        p.len(),
        f.len()
    )
    .into_bytes();
    let big = format == "binary_big_endian";
    for (v, col) in p.iter().zip(&c) {
        if format == "ascii" {
            out.extend(
                format!(
                    "{} {} {} {} {} {}\n",
                    v[0], v[1], v[2], col[0], col[1], col[2]
                )
                .bytes(),
            );
        } else {
            for x in v {
                out.extend(if big {
                    x.to_be_bytes()
                } else {
                    x.to_le_bytes()
                });
            }
            out.extend(col);
        }
    }
    for t in &f {
        if format == "ascii" {
            out.extend(format!("3 {} {} {}\n", t[0], t[1], t[2]).bytes());
        } else {
            out.push(3);
            for x in t {
                out.extend(if big {
                    (*x as i32).to_be_bytes()
                } else {
                    (*x as i32).to_le_bytes()
                });
            }
        }
    }
    out
}

fn load(glb: &Path) -> (disan_assets::ModelData, Vec<disan_assets::RgbaImage>) {
    let bytes = std::fs::read(glb).expect("read the GLB");
    let dir = glb.parent().expect("folder").to_path_buf();
    load_and_decode(&bytes, "scan.glb", &|u: &str| {
        std::fs::read(dir.join(u)).map_err(|e| e.to_string())
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

fn srgb(c: u8) -> f32 {
    let c = c as f32 / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

#[test]
fn ply_in_every_encoding_imports_with_its_colours_unlit() {
    let (p, c, f) = relief(20);
    let mut first: Option<Vec<[f32; 3]>> = None;
    for format in ["ascii", "binary_little_endian", "binary_big_endian"] {
        let dir = tmp(format);
        let input = dir.join("relic.ply");
        std::fs::write(&input, ply(format, 20)).expect("write the PLY");
        let done = import_scan(&input, &dir.join("out")).expect("import");
        assert_eq!(
            (done.vertices, done.triangles),
            (p.len(), f.len()),
            "{format}"
        );
        assert!(
            done.unlit,
            "{format}: vertex colours without a texture are shown unlit"
        );
        let (m, _) = load(&done.glb);
        assert_eq!(m.primitives.len(), 1);
        let prim = &m.primitives[0];
        assert_eq!(prim.positions.len(), p.len(), "{format}");
        assert_eq!(prim.indices.len(), f.len() * 3, "{format}");
        assert!(
            m.materials[prim.material.expect("a material")].unlit,
            "{format}"
        );
        for k in [0, 7, 200, p.len() - 1] {
            for (got, want) in prim.colors[k].iter().zip(c[k]) {
                assert!((got - srgb(want)).abs() < 0.01, "{format}: colour {k}");
            }
        }
        // Smooth normals were computed: at the bump's top they point up.
        let top = p.len() / 2;
        assert!(
            prim.normals[top][1] > 0.99,
            "{format}: {:?}",
            prim.normals[top]
        );
        match &first {
            None => first = Some(prim.positions.clone()),
            Some(f) => assert_eq!(f, &prim.positions, "{format}: positions differ"),
        }
        let tour = std::fs::read_to_string(&done.tour_json).expect("tour.json");
        assert!(tour.contains("relic.glb"), "{tour}");
    }
}

#[test]
fn obj_with_mtl_and_texture_imports_textured_and_lit() {
    let dir = tmp("obj");
    let img = image::RgbImage::from_fn(8, 8, |x, _| image::Rgb([x as u8 * 30, 100, 50]));
    img.save(dir.join("albedo.png")).expect("png");
    std::fs::write(
        dir.join("relic.mtl"),
        "newmtl stone\nKd 1 1 1\nmap_Kd albedo.png\n",
    )
    .expect("mtl");
    std::fs::write(
        dir.join("relic.obj"),
        "mtllib relic.mtl\nv 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nvt 0 0\nvt 1 0\nvt 1 1\nvt 0 1\nusemtl stone\nf 1/1 2/2 3/3 4/4\n",
    )
    .expect("obj");
    let done = import_scan(&dir.join("relic.obj"), &dir.join("out")).expect("import");
    assert_eq!((done.vertices, done.triangles), (4, 2));
    assert!(!done.unlit);
    assert!(done.notes.is_empty(), "{:?}", done.notes);
    let (m, images) = load(&done.glb);
    assert_eq!(images.len(), 1, "the texture is embedded");
    assert_eq!((images[0].width, images[0].height), (8, 8));
    let prim = &m.primitives[0];
    let mat = &m.materials[prim.material.expect("material")];
    assert!(mat.base_color_texture.is_some() && !mat.unlit);
    // OBJ's v runs up, glTF's down.
    assert_eq!(prim.uv0[0], [0.0, 1.0]);
    assert_eq!(prim.uv0[2], [1.0, 0.0]);
    // A texture outside the scan's folder is not read.
    std::fs::write(
        dir.join("relic.mtl"),
        "newmtl stone\nmap_Kd ../../etc/passwd.png\n",
    )
    .expect("mtl");
    let done = import_scan(&dir.join("relic.obj"), &dir.join("out2")).expect("import");
    assert!(
        done.notes.iter().any(|n| n.contains("not found")),
        "{:?}",
        done.notes
    );
    assert_eq!(load(&done.glb).1.len(), 0);
}

#[test]
fn broken_scans_are_errors_naming_the_file() {
    let dir = tmp("bad");
    let good = ply("binary_little_endian", 6);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("cut.ply", good[..good.len() - 40].to_vec()),
        ("noheader.ply", b"ply\nformat ascii 1.0\nelement vertex 1\n".to_vec()),
        ("points.ply", b"ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\nend_header\n0 0 0\n".to_vec()),
        ("outside.ply", b"ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0\n1 0 0\n0 1 0\n3 0 1 9\n".to_vec()),
        ("huge.ply", b"ply\nformat ascii 1.0\nelement vertex 999999999999\nproperty float x\nend_header\n".to_vec()),
        ("empty.obj", b"v 0 0 0\n".to_vec()),
    ];
    for (name, bytes) in cases {
        let input = dir.join(name);
        std::fs::write(&input, bytes).expect("write");
        let e = import_scan(&input, &dir.join("out"))
            .expect_err(name)
            .to_string();
        assert!(e.contains(name), "{name}: {e}");
    }
}
