//! Tiles a generated equirectangular panorama whose colour encodes its direction and checks the
//! Pannellum layout, the face orientation, the header checks and determinism.
#![allow(clippy::unwrap_used)] // test helpers: a panic is how a test fails

use disan_tiler::{tile_to_vec, Layout, TileError, TileOptions};
use std::collections::BTreeMap;
use std::f64::consts::PI;

/// The colour of a unit direction (x right, y up, z forward): each component mapped to 0..255.
fn colour(d: (f64, f64, f64)) -> [f64; 3] {
    [
        (d.0 + 1.0) * 127.5,
        (d.1 + 1.0) * 127.5,
        (d.2 + 1.0) * 127.5,
    ]
}

/// A 2:1 PNG whose pixel centres are coloured by their direction.
fn synthetic(width: u32) -> Vec<u8> {
    let height = width / 2;
    let img = image::RgbImage::from_fn(width, height, |i, j| {
        let yaw = ((i as f64 + 0.5) / width as f64 - 0.5) * 2.0 * PI;
        let pitch = (0.5 - (j as f64 + 0.5) / height as f64) * PI;
        let d = (
            pitch.cos() * yaw.sin(),
            pitch.sin(),
            pitch.cos() * yaw.cos(),
        );
        let c = colour(d);
        image::Rgb([c[0].round() as u8, c[1].round() as u8, c[2].round() as u8])
    });
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn opts() -> TileOptions {
    TileOptions {
        tile_size: 128,
        quality: 90,
    }
}

#[test]
fn pannellum_layout_and_orientation() {
    let files = tile_to_vec(&synthetic(2048), &opts()).unwrap();
    let map: BTreeMap<&str, &Vec<u8>> = files.iter().map(|(p, b)| (p.as_str(), b)).collect();
    assert_eq!(map.len(), files.len(), "no file is written twice");

    // Layout: cube 648, levels 81, 162, 324, 648 → 1, 2, 3, 6 tiles a side.
    let layout = Layout::new(2048, 128);
    assert_eq!((layout.cube_resolution, layout.max_level), (648, 4));
    let sizes: [(u32, u32); 4] = [(1, 81), (2, 162), (3, 324), (4, 648)];
    let mut expected = vec!["config.json".to_string(), "preview.jpg".to_string()];
    for face in ["f", "r", "b", "l", "u", "d"] {
        expected.push(format!("fallback/{face}.jpg"));
        for (level, size) in sizes {
            let n = size.div_ceil(128);
            for y in 0..n {
                for x in 0..n {
                    let name = format!("{level}/{face}{y}_{x}.jpg");
                    let img = image::load_from_memory(map[name.as_str()]).unwrap();
                    let w = 128.min(size - x * 128);
                    let h = 128.min(size - y * 128);
                    assert_eq!((img.width(), img.height()), (w, h), "{name}");
                    expected.push(name);
                }
            }
        }
        // The fallback face is the largest level of at most 1024: the full 648.
        let fb = image::load_from_memory(map[format!("fallback/{face}.jpg").as_str()]).unwrap();
        assert_eq!((fb.width(), fb.height()), (648, 648));
    }
    expected.sort();
    let mut names: Vec<&str> = map.keys().copied().collect();
    names.sort();
    assert_eq!(names, expected);
    assert_eq!(files.len() as u64, layout.file_count());
    assert_eq!(files.last().unwrap().0, "config.json");

    let preview = image::load_from_memory(map["preview.jpg"]).unwrap();
    assert_eq!((preview.width(), preview.height()), (1024, 512));

    let config: serde_json::Value = serde_json::from_slice(map["config.json"]).unwrap();
    assert_eq!(
        config,
        serde_json::json!({
            "type": "multires",
            "multiRes": {
                "path": "/%l/%s%y_%x",
                "fallbackPath": "/fallback/%s",
                "extension": "jpg",
                "tileResolution": 128,
                "maxLevel": 4,
                "cubeResolution": 648
            }
        })
    );

    // Orientation: full-resolution pixels decode to their direction's colour. Independent of
    // the crate: front looks at +z, right at +x, up at +y with its top edge toward the back.
    let face_dir = |face: &str, s: f64, t: f64| match face {
        "f" => (s, -t, 1.0),
        "r" => (1.0, -t, -s),
        "u" => (s, 1.0, t),
        _ => unreachable!(),
    };
    let n = 648.0;
    for face in ["f", "r", "u"] {
        for (px, py) in [
            (324u32, 324u32),
            (60, 60),
            (600, 70),
            (70, 590),
            (590, 600),
            (300, 20),
        ] {
            let (tx, ty) = (px / 128, py / 128);
            let tile = image::load_from_memory(map[format!("4/{face}{ty}_{tx}.jpg").as_str()])
                .unwrap()
                .to_rgb8();
            let got = tile.get_pixel(px % 128, py % 128);
            let s = 2.0 * (px as f64 + 0.5) / n - 1.0;
            let t = 2.0 * (py as f64 + 0.5) / n - 1.0;
            let d = face_dir(face, s, t);
            let len = (d.0 * d.0 + d.1 * d.1 + d.2 * d.2).sqrt();
            let want = colour((d.0 / len, d.1 / len, d.2 / len));
            for c in 0..3 {
                assert!(
                    (got[c] as f64 - want[c]).abs() <= 8.0,
                    "{face} pixel ({px}, {py}): got {got:?}, want {want:?}"
                );
            }
        }
    }
}

#[test]
fn output_is_deterministic() {
    let input = synthetic(512);
    let a = tile_to_vec(&input, &opts()).unwrap();
    let b = tile_to_vec(&input, &opts()).unwrap();
    assert!(a.len() > 8);
    assert!(a == b, "two runs give different files");
}

#[test]
fn truncated_jpeg_is_a_clear_error() {
    let png = synthetic(512);
    let img = image::load_from_memory(&png).unwrap();
    let mut jpeg = Vec::new();
    img.write_to(
        &mut std::io::Cursor::new(&mut jpeg),
        image::ImageFormat::Jpeg,
    )
    .unwrap();
    for cut in [20, 300, jpeg.len() / 2] {
        let err = tile_to_vec(&jpeg[..cut], &opts())
            .map(|f| f.len())
            .unwrap_err();
        assert!(
            matches!(err, TileError::Unreadable(_) | TileError::Decode(_)),
            "cut at {cut}: {err}"
        );
    }
    let err = tile_to_vec(b"not an image at all", &opts()).unwrap_err();
    assert!(matches!(err, TileError::Unreadable(_)), "{err}");
}

/// A PNG that claims `width`×`height` RGB8: signature, IHDR, a tiny IDAT and IEND (CRCs
/// right), far too little data for its pixels.
fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [
        (&b"IHDR"[..], ihdr),
        (
            &b"IDAT"[..],
            vec![0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01],
        ),
        (&b"IEND"[..], Vec::new()),
    ] {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut chunk = kind.to_vec();
        chunk.extend_from_slice(&data);
        out.extend_from_slice(&chunk);
        out.extend_from_slice(&crc32(&chunk).to_be_bytes());
    }
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn oversized_and_misshapen_headers_are_refused_before_decoding() {
    let err = tile_to_vec(&png_header(40000, 20000), &opts()).unwrap_err();
    assert!(
        matches!(
            err,
            TileError::TooLarge {
                width: 40000,
                height: 20000
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("40000×20000"), "{err}");
    let err = tile_to_vec(&png_header(65536 + 64, 2), &opts()).unwrap_err();
    assert!(matches!(err, TileError::TooLarge { .. }), "{err}");
    let err = tile_to_vec(&png_header(3000, 2000), &opts()).unwrap_err();
    assert!(matches!(err, TileError::NotEquirectangular { .. }), "{err}");
    // A header that passes is refused only when its pixels are missing.
    let err = tile_to_vec(&png_header(4000, 2000), &opts()).unwrap_err();
    assert!(matches!(err, TileError::Decode(_)), "{err}");
    let bad = TileOptions {
        tile_size: 8,
        quality: 85,
    };
    assert!(matches!(
        tile_to_vec(&synthetic(512), &bad).unwrap_err(),
        TileError::Option(_)
    ));
}
