//! Safe loading in `check_tour` and the decoders: paths that leave the tour folder are refused
//! before anything is read, and images that the viewer would refuse (too large, truncated, HDR over
//! the decoder's limit) are refused by validation too. Every crafted input is made here.
#![allow(clippy::unwrap_used)] // test helpers: a panic is how a test fails

use disan_assets::check_tour;
use disan_testkit::crc32;
use std::cell::RefCell;
use std::collections::HashMap;

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(w, h, |x, y| {
        image::Rgba([(x * 7) as u8, (y * 13) as u8, (x ^ y) as u8, 255])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x * 7) as u8, (y * 13) as u8, (x ^ y) as u8])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&img)
        .unwrap();
    out
}

/// Rewrites the size in a JPEG's SOF0 segment.
fn jpeg_claiming(mut bytes: Vec<u8>, w: u16, h: u16) -> Vec<u8> {
    let sof = bytes
        .windows(2)
        .position(|m| m == [0xFF, 0xC0])
        .expect("baseline JPEG");
    bytes[sof + 5..sof + 7].copy_from_slice(&h.to_be_bytes());
    bytes[sof + 7..sof + 9].copy_from_slice(&w.to_be_bytes());
    bytes
}

/// A Radiance HDR image of `w`×`h` flat (not run-length) pixels, or only its header.
fn hdr(w: u32, h: u32, pixels: bool) -> Vec<u8> {
    let mut out = format!("#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y {h} +X {w}\n").into_bytes();
    if pixels {
        for _ in 0..w * h {
            out.extend([128, 64, 32, 129]);
        }
    }
    out
}

/// A glTF triangle whose buffer and (used) texture are external files.
fn gltf_with(buffer_uri: &str, image_uri: &str) -> Vec<u8> {
    format!(
        r#"{{"asset":{{"version":"2.0"}},"scenes":[{{"nodes":[0]}}],"nodes":[{{"mesh":0}}],
        "meshes":[{{"primitives":[{{"attributes":{{"POSITION":0}},"material":0}}]}}],
        "materials":[{{"pbrMetallicRoughness":{{"baseColorTexture":{{"index":0}}}}}}],
        "textures":[{{"source":0}}],"images":[{{"uri":"{image_uri}"}}],
        "buffers":[{{"byteLength":36,"uri":"{buffer_uri}"}}],
        "bufferViews":[{{"buffer":0,"byteLength":36}}],
        "accessors":[{{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[0,0,0],"max":[1,1,0]}}]}}"#
    )
    .into_bytes()
}

fn triangle_bin() -> Vec<u8> {
    [0f32, 0., 0., 1., 0., 0., 0., 1., 0.]
        .iter()
        .flat_map(|f| f.to_le_bytes())
        .collect()
}

/// Runs `check_tour` over in-memory files. The reader serves any path it is asked for (a
/// "secret" for paths not in `files`, as a careless file system would) and records every request.
fn run(files: &[(&str, Vec<u8>)]) -> (bool, String, Vec<String>) {
    let mut map: HashMap<String, Vec<u8>> = files
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    map.entry("catalog.json".into())
        .or_insert_with(|| br#"{"version":1,"entries":[]}"#.to_vec());
    let asked = RefCell::new(Vec::new());
    let read = |p: &str| {
        asked.borrow_mut().push(p.to_string());
        Ok(map.get(p).cloned().unwrap_or_else(|| b"secret".to_vec()))
    };
    let (_, report) = check_tour("tour.json", &read);
    let asked = asked.into_inner();
    (report.is_ok(), report.to_string(), asked)
}

fn tour(scenes: &str, extra: &str) -> Vec<u8> {
    format!(r#"{{"version":1{extra},"scenes":[{scenes}]}}"#).into_bytes()
}

#[test]
fn paths_outside_the_tour_folder_are_refused_unread() {
    let bad = [
        "../../etc/passwd",
        "/etc/passwd",
        "panos/../../x.jpg",
        "C:/Windows/win.ini",
        "C:win.ini",
        "\\\\server\\share\\a.jpg",
        "..\\..\\x.jpg",
        "file:///etc/passwd",
    ];
    for p in bad {
        let esc = p.replace('\\', "\\\\");
        let scenes = format!(
            r#"{{"id":"a","kind":"panorama","image":"{esc}"}},
               {{"id":"b","kind":"object","model":"{esc}","environment":"{esc}"}}"#
        );
        let extra = format!(
            r#","catalog_file":"{esc}","catalog":[{{"id":"e","title":"E","images":[{{"src":"{esc}"}}]}}]"#
        );
        let (ok, text, asked) = run(&[("tour.json", tour(&scenes, &extra))]);
        assert!(!ok, "{p}: {text}");
        assert_eq!(asked, vec!["tour.json".to_string()], "{p} was read: {text}");
        for at in [
            "$.catalog_file",
            "$.scenes[0].image",
            "$.scenes[1].model",
            "$.scenes[1].environment",
            "$.catalog[0].images[0].src",
        ] {
            let want = format!("tour.json: {at}: refused path \"{p}\": ");
            assert!(text.contains(&want), "{want}\n{text}");
        }
        assert!(!text.contains("secret"), "{text}");
    }
    // Inside the folder after `..`: read as the normalised path.
    let scenes = r#"{"id":"a","kind":"panorama","image":"panos/../a.png"}"#;
    let (ok, text, asked) = run(&[("tour.json", tour(scenes, "")), ("a.png", png(8, 4))]);
    assert!(ok, "{text}");
    assert!(asked.contains(&"a.png".to_string()), "{asked:?}");
    // A catalog photo may be a web URL or a data URI (not fetched); other schemes are refused.
    let extra = r#","catalog":[{"id":"e","title":"E","images":[{"src":"https://example.org/a.jpg"},{"src":"data:image/png;base64,AA=="},{"src":"ftp://example.org/a.jpg"}]}]"#;
    let (ok, text, _) = run(&[
        ("tour.json", tour(scenes, extra)),
        ("a.png", png(8, 4)),
        ("catalog.json", br#"{"version":1,"entries":[]}"#.to_vec()),
    ]);
    assert!(!ok);
    assert!(
        !text.contains("images[0]") && !text.contains("images[1]"),
        "{text}"
    );
    assert!(
        text.contains("$.catalog[0].images[2].src: refused path \"ftp://example.org/a.jpg\""),
        "{text}"
    );
}

#[test]
fn gltf_uris_outside_the_tour_folder_are_refused_unread() {
    let scenes = r#"{"id":"b","kind":"object","model":"models/m.gltf"}"#;
    for (buffer, image, refused) in [
        ("../../etc/passwd", "t.png", "../../etc/passwd"),
        ("/etc/passwd", "t.png", "/etc/passwd"),
        ("file:///etc/passwd", "t.png", "file:///etc/passwd"),
        ("m.bin", "../../../etc/shadow", "../../../etc/shadow"),
        ("m.bin", "C:/x.png", "C:/x.png"),
        // Percent-encoded dots are decoded before the check.
        ("%2e%2e/%2e%2e/etc/passwd", "t.png", "../../etc/passwd"),
    ] {
        let (ok, text, asked) = run(&[
            ("tour.json", tour(scenes, "")),
            ("models/m.gltf", gltf_with(buffer, image)),
            ("models/m.bin", triangle_bin()),
            ("models/t.png", png(4, 4)),
        ]);
        assert!(!ok, "{buffer} {image}: {text}");
        assert!(
            asked
                .iter()
                .all(|p| p == "tour.json" || p == "catalog.json" || p.starts_with("models/")),
            "{asked:?}"
        );
        assert!(
            text.contains(&format!("cannot read \"{refused}\": refused path")),
            "{text}"
        );
        assert!(!text.contains("secret"), "{text}");
    }
    // `..` that stays inside the tour folder is fine.
    let (ok, text, _) = run(&[
        ("tour.json", tour(scenes, "")),
        (
            "models/m.gltf",
            gltf_with("../shared/m.bin", "../shared/t.png"),
        ),
        ("shared/m.bin", triangle_bin()),
        ("shared/t.png", png(4, 4)),
    ]);
    assert!(ok, "{text}");
}

#[test]
fn unreadable_is_not_called_missing() {
    let scenes = r#"{"id":"a","kind":"panorama","image":"a.png"}"#;
    let read = |p: &str| match p {
        "tour.json" => Ok(tour(scenes, "")),
        "catalog.json" => Err("is a directory".to_string()),
        _ => Err("permission denied".to_string()),
    };
    let (_, report) = check_tour("tour.json", &read);
    let text = report.to_string();
    assert!(
        text.contains("tour.json: $.scenes[0].image: cannot read \"a.png\": permission denied"),
        "{text}"
    );
    // Without catalog_file, an unreadable catalog.json (not a missing one) is named.
    assert!(
        text.contains("catalog.json: $: cannot read \"catalog.json\": is a directory"),
        "{text}"
    );
    assert!(!text.contains("missing file"), "{text}");
}

#[test]
fn validation_decodes_panoramas_like_the_viewer() {
    let scenes = r#"{"id":"a","kind":"panorama","image":"a.img"}"#;
    let check = |bytes: Vec<u8>| {
        let (ok, text, _) = run(&[
            ("tour.json", tour(scenes, "")),
            ("catalog.json", br#"{"version":1,"entries":[]}"#.to_vec()),
            ("a.img", bytes),
        ]);
        assert!(!ok, "passed");
        assert!(
            text.starts_with("tour.json: $.scenes[0].image: a.img: "),
            "{text}"
        );
        text
    };
    // Sanity: the good versions pass.
    for good in [png(64, 32), jpeg(64, 32)] {
        let (ok, text, _) = run(&[
            ("tour.json", tour(scenes, "")),
            ("catalog.json", br#"{"version":1,"entries":[]}"#.to_vec()),
            ("a.img", good),
        ]);
        assert!(ok, "{text}");
    }
    // 20000×10000 JPEG: over the 16384 per-side limit.
    let t = check(jpeg_claiming(jpeg(64, 32), 20000, 10000));
    assert!(t.contains("20000×10000") && t.contains("16384"), "{t}");
    // PNG cut short.
    let p = png(64, 32);
    let t = check(p[..p.len() - 20].to_vec());
    assert!(t.contains("cannot decode"), "{t}");
    // A 16384×8192 PNG header over a 17-byte IDAT.
    let mut p = png(2, 1);
    p[16..20].copy_from_slice(&16384u32.to_be_bytes());
    p[20..24].copy_from_slice(&8192u32.to_be_bytes());
    let crc = crc32(&p[12..29]);
    p[29..33].copy_from_slice(&crc.to_be_bytes());
    let idat = u32::from_be_bytes(p[33..37].try_into().unwrap());
    assert_eq!(&p[37..41], b"IDAT");
    assert!(idat < 32, "IDAT of {idat} bytes");
    let t = check(p);
    assert!(t.contains("too little"), "{t}");
    // Truncated JPEGs: cut in the middle and cut just before the end marker.
    let j = jpeg(64, 32);
    let t = check(j[..j.len() / 2].to_vec());
    assert!(t.contains("truncated"), "{t}");
    let t = check(j[..j.len() - 2].to_vec());
    assert!(t.contains("truncated"), "{t}");
    // A small JPEG claiming 16000×8000: refused before decoding.
    let t = check(jpeg_claiming(jpeg(16, 8), 16000, 8000));
    assert!(t.contains("16000×8000") && t.contains("too little"), "{t}");
}

#[test]
fn hdr_environments_are_decoded_with_the_viewers_limits() {
    let scenes = r#"{"id":"b","kind":"object","model":"m.gltf","environment":"env.hdr"}"#;
    let model = gltf_with("m.bin", "t.png");
    let check = |env: Vec<u8>| {
        let (ok, text, _) = run(&[
            ("tour.json", tour(scenes, "")),
            ("catalog.json", br#"{"version":1,"entries":[]}"#.to_vec()),
            ("m.gltf", model.clone()),
            ("m.bin", triangle_bin()),
            ("t.png", png(4, 4)),
            ("env.hdr", env),
        ]);
        (ok, text)
    };
    let (ok, text) = check(hdr(8, 4, true));
    assert!(ok, "{text}");
    // 16384×8192 RGB f32 is 1.5 GB: over the decoder's 512 MB.
    let (ok, text) = check(hdr(16384, 8192, false));
    assert!(!ok);
    assert!(
        text.contains("$.scenes[0].environment: env.hdr: HDR image is 16384×8192, more than"),
        "{text}"
    );
    // Truncated pixel data.
    let mut short = hdr(8, 4, true);
    short.truncate(short.len() - 10);
    let (ok, text) = check(short);
    assert!(!ok);
    assert!(text.contains("cannot decode HDR image"), "{text}");
    // decode_hdr gives the pixels.
    let img = disan_assets::image::decode_hdr(&hdr(8, 4, true), "e.hdr").unwrap();
    assert_eq!((img.width, img.height, img.rgb.len()), (8, 4, 96));
}
