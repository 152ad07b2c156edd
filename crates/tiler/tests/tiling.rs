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
            matches!(
                err,
                TileError::Unreadable(_) | TileError::TooLittleData(_) | TileError::Decode(_)
            ),
            "cut at {cut}: {err}"
        );
    }
    // Cut inside its scan: the shared check (assets' `data_problem`) says so before decoding.
    let err = tile_to_vec(&jpeg[..jpeg.len() / 2], &opts()).unwrap_err();
    assert!(
        matches!(err, TileError::TooLittleData(_)) && err.to_string().contains("truncated"),
        "{err}"
    );
    let err = tile_to_vec(b"not an image at all", &opts()).unwrap_err();
    assert!(matches!(err, TileError::Unreadable(_)), "{err}");
}

/// A PNG that claims `width`×`height` RGB8: signature, IHDR, a tiny IDAT and IEND (CRCs
/// right), far too little data for its pixels.
fn png_header(width: u32, height: u32) -> Vec<u8> {
    disan_testkit::png(&[
        (b"IHDR", &disan_testkit::ihdr(width, height, 8, 2)),
        (
            b"IDAT",
            &[0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01],
        ),
        (b"IEND", &[]),
    ])
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
    let mut png = Vec::new();
    image::RgbImage::new(300, 200)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let err = tile_to_vec(&png, &opts()).unwrap_err();
    assert!(matches!(err, TileError::NotEquirectangular { .. }), "{err}");
    // A header within the limits over 9 bytes of deflate data: refused before decoding.
    let err = tile_to_vec(&png_header(4000, 2000), &opts()).unwrap_err();
    assert!(
        matches!(err, TileError::TooLittleData(_)) && err.to_string().contains("4000×2000"),
        "{err}"
    );
    let bad = TileOptions {
        tile_size: 8,
        quality: 85,
    };
    assert!(matches!(
        tile_to_vec(&synthetic(512), &bad).unwrap_err(),
        TileError::Option(_)
    ));
}

/// `img` encoded as an (uncompressed) TIFF by the `image` crate.
fn tiff(img: &image::DynamicImage) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(
        &mut std::io::Cursor::new(&mut out),
        image::ImageFormat::Tiff,
    )
    .unwrap();
    assert!(out.starts_with(b"II*\0") || out.starts_with(b"MM\0*"));
    out
}

#[test]
fn tiff_input_is_tiled_like_the_same_png() {
    // The issue's case first: a 64×32 TIFF, then a larger one, RGB8 and RGBA8; each must give
    // exactly the tiles of the same pixels as a PNG.
    for (width, alpha) in [(64, false), (512, false), (512, true)] {
        let png = synthetic(width);
        let img = image::load_from_memory(&png).unwrap();
        let img = if alpha {
            image::DynamicImage::ImageRgba8(img.to_rgba8())
        } else {
            img
        };
        let tif = tiff(&img);
        assert_eq!(disan_tiler::image_size(&tif).unwrap(), (width, width / 2));
        assert_eq!(disan_tiler::probe(&tif).unwrap(), (width, width / 2));
        let from_tiff = tile_to_vec(&tif, &opts()).unwrap_or_else(|e| panic!("{width}: {e}"));
        let from_png = tile_to_vec(&png, &opts()).unwrap();
        assert!(from_tiff.len() > 8, "{width}: {} files", from_tiff.len());
        assert!(
            from_tiff == from_png,
            "{width}×{} TIFF (alpha {alpha}) tiles differ from the PNG's",
            width / 2
        );
    }
}

/// Sets the value of TIFF tag `tag` (SHORT, LONG or LONG8, one value, in the first directory of
/// a little-endian TIFF or BigTIFF) to `value`.
fn patch_tiff_tag(tif: &mut [u8], tag: u16, value: u32) {
    let big = tif.starts_with(b"II+\0");
    assert!(big || tif.starts_with(b"II*\0"));
    let int = |b: &[u8], at: usize, n: usize| {
        (0..n).fold(0usize, |v, k| v | (b[at + k] as usize) << (8 * k))
    };
    let (ifd, head, size, field) = if big {
        (int(tif, 8, 8), 8, 20, 12)
    } else {
        (int(tif, 4, 4), 2, 12, 8)
    };
    for e in 0..int(tif, ifd, head) {
        let at = ifd + head + size * e;
        if int(tif, at, 2) == tag as usize {
            let at = at + field;
            match int(tif, at - field + 2, 2) {
                3 => tif[at..at + 2].copy_from_slice(&(value as u16).to_le_bytes()),
                4 => tif[at..at + 4].copy_from_slice(&value.to_le_bytes()),
                16 => tif[at..at + 8].copy_from_slice(&(value as u64).to_le_bytes()),
                t => panic!("tag {tag} has type {t}"),
            }
            return;
        }
    }
    panic!("no tag {tag}");
}

/// `rgb` (`width`×`height` RGB8) as a TIFF written by the `tiff` crate with `compression`, as
/// BigTIFF when `big`, with the horizontal predictor when `predict`.
fn tiff_with(
    rgb: &[u8],
    width: u32,
    height: u32,
    compression: tiff::encoder::Compression,
    big: bool,
    predict: bool,
) -> Vec<u8> {
    use tiff::encoder::{colortype::RGB8, Predictor, TiffEncoder};
    let mut out = std::io::Cursor::new(Vec::new());
    let predictor = if predict {
        Predictor::Horizontal
    } else {
        Predictor::None
    };
    if big {
        TiffEncoder::new_big(&mut out)
            .unwrap()
            .with_compression(compression)
            .with_predictor(predictor)
            .write_image::<RGB8>(width, height, rgb)
            .unwrap();
    } else {
        TiffEncoder::new(&mut out)
            .unwrap()
            .with_compression(compression)
            .with_predictor(predictor)
            .write_image::<RGB8>(width, height, rgb)
            .unwrap();
    }
    out.into_inner()
}

#[test]
fn compressed_tiff_and_bigtiff_are_tiled_like_the_same_png() {
    use tiff::encoder::{Compression, DeflateLevel};
    let png = synthetic(256);
    let rgb = image::load_from_memory(&png).unwrap().to_rgb8();
    let from_png = tile_to_vec(&png, &opts()).unwrap();
    for (name, compression, big, predict) in [
        ("LZW", Compression::Lzw, false, false),
        ("LZW, predictor", Compression::Lzw, false, true),
        (
            "Deflate",
            Compression::Deflate(DeflateLevel::Best),
            false,
            false,
        ),
        ("PackBits", Compression::Packbits, false, false),
        ("BigTIFF", Compression::Uncompressed, true, false),
        (
            "BigTIFF, Deflate",
            Compression::Deflate(DeflateLevel::Fast),
            true,
            true,
        ),
    ] {
        let tif = tiff_with(&rgb, 256, 128, compression, big, predict);
        let from_tiff = tile_to_vec(&tif, &opts()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(from_tiff == from_png, "{name}: tiles differ from the PNG's");
    }
    // A flat-colour TIFF compresses far: its few hundred bytes still hold 1024×512.
    let flat = vec![128u8; 1024 * 512 * 3];
    for (name, compression) in [
        ("LZW", Compression::Lzw),
        ("Deflate", Compression::Deflate(DeflateLevel::Best)),
        ("PackBits", Compression::Packbits),
    ] {
        let tif = tiff_with(&flat, 1024, 512, compression, false, false);
        assert!(
            disan_tiler::probe(&tif).is_ok(),
            "{name}, {} bytes",
            tif.len()
        );
    }
}

#[test]
fn small_files_claiming_huge_sizes_are_refused_before_decoding() {
    let img = image::load_from_memory(&synthetic(64)).unwrap();
    // A 64×32 JPEG whose SOF0 claims 32000×16000 (512 megapixels, within the tiler's size
    // limits): its few hundred bytes of scan data cannot hold 8 million 8×8 blocks.
    let mut jpg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpg, 90)
        .encode_image(&img)
        .unwrap();
    let sof = jpg.windows(2).position(|m| m == [0xFF, 0xC0]).unwrap();
    jpg[sof + 5..sof + 7].copy_from_slice(&16000u16.to_be_bytes());
    jpg[sof + 7..sof + 9].copy_from_slice(&32000u16.to_be_bytes());
    assert!(jpg.len() < 4096, "{} bytes", jpg.len());
    for err in [
        disan_tiler::image_size(&jpg).unwrap_err(),
        disan_tiler::probe(&jpg).unwrap_err(),
        tile_to_vec(&jpg, &opts()).unwrap_err(),
    ] {
        let m = err.to_string();
        println!("{m}");
        assert!(matches!(err, TileError::TooLittleData(_)), "{m}");
        assert!(
            m.contains("32000×16000") && m.contains("too little") && m.contains("8×8 block"),
            "{m}"
        );
    }
    // A 64×32 TIFF (one uncompressed strip) whose directory claims 32000×16000.
    let mut tif = tiff(&img);
    patch_tiff_tag(&mut tif, 256, 32000);
    patch_tiff_tag(&mut tif, 257, 16000);
    patch_tiff_tag(&mut tif, 278, 16000);
    let err = tile_to_vec(&tif, &opts()).unwrap_err();
    let m = err.to_string();
    println!("{m}");
    assert!(matches!(err, TileError::TooLittleData(_)), "{m}");
    assert!(
        m.contains("32000×16000") && m.contains("uncompressed") && m.contains("too little"),
        "{m}"
    );
    // A Deflate BigTIFF of 64×32 claiming the same.
    let rgb = img.to_rgb8();
    let compression = tiff::encoder::Compression::Deflate(tiff::encoder::DeflateLevel::Best);
    let mut tif = tiff_with(&rgb, 64, 32, compression, true, false);
    patch_tiff_tag(&mut tif, 256, 32000);
    patch_tiff_tag(&mut tif, 257, 16000);
    patch_tiff_tag(&mut tif, 278, 16000);
    let err = tile_to_vec(&tif, &opts()).unwrap_err();
    let m = err.to_string();
    println!("{m}");
    assert!(matches!(err, TileError::TooLittleData(_)), "{m}");
    assert!(m.contains("32000×16000") && m.contains("1032:1"), "{m}");
    // A PNG claiming 32000×16000 over 9 bytes of deflate data.
    let err = tile_to_vec(&png_header(32000, 16000), &opts()).unwrap_err();
    let m = err.to_string();
    println!("{m}");
    assert!(matches!(err, TileError::TooLittleData(_)), "{m}");
    assert!(m.contains("32000×16000") && m.contains("1032:1"), "{m}");
}
