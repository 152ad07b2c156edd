//! `disan tile`: the pyramid and the scene that shows it, as a new one-scene tour, added to an
//! existing tour, and for a partial panorama.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)] // a panic is how a test fails

use disan_tour::model::{Content, TileSource, Tour};
use disan_tour::tiles::{Pyramid, TileKey};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn disan() -> Command {
    Command::new(env!("CARGO_BIN_EXE_disan"))
}

/// A fresh folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("disan-tile-cli-{}-{name}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A `w`×`h` PNG with a smooth colour gradient.
fn png(path: &Path, w: u32, h: u32) {
    image::RgbImage::from_fn(w, h, |i, j| {
        image::Rgb([(i * 255 / w) as u8, (j * 255 / h) as u8, 160])
    })
    .save(path)
    .unwrap();
}

fn run(cmd: &mut Command) -> (Output, String) {
    let out = cmd.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out, text)
}

/// Reads and checks a tour file: it parses, validates, and returns it.
fn read_tour(file: &Path) -> Tour {
    let bytes = std::fs::read(file).unwrap();
    let tour = Tour::from_json(&bytes, "tour.json").unwrap();
    let report = disan_tour::validate::validate(&tour, "tour.json");
    assert!(report.is_ok(), "{report}");
    tour
}

fn tiles_of<'a>(tour: &'a Tour, id: &str) -> &'a TileSource {
    match &tour.scene(id).unwrap().content {
        Content::Panorama(p) => p.source.tiles().expect("a tiled panorama"),
        other => panic!("scene {id} is {other:?}"),
    }
}

/// The file of the finest level's top-left front tile, relative to the tour folder.
fn finest_tile(tiles: &TileSource) -> String {
    let pyramid = Pyramid::from_tiles(tiles).unwrap();
    pyramid.path(TileKey {
        face: 0,
        level: (pyramid.levels.len() - 1) as u8,
        x: 0,
        y: 0,
    })
}

#[test]
fn tile_writes_a_one_scene_tour() {
    let dir = scratch("new");
    png(&dir.join("hall.png"), 256, 128);
    let out = dir.join("out");
    let (status, text) = run(disan()
        .arg("tile")
        .arg(dir.join("hall.png"))
        .arg("--out")
        .arg(&out)
        .args(["--tile-size", "64"]));
    assert!(status.status.success(), "{text}");
    // Small sizes print in KiB, not "0 MiB".
    assert!(text.contains("KiB") && !text.contains(" 0 MiB"), "{text}");
    assert!(text.contains("tour.json"), "{text}");

    let tour = read_tour(&out.join("tour.json"));
    assert_eq!(tour.scenes.len(), 1);
    assert_eq!(tour.scenes[0].id, "hall");
    let tiles = tiles_of(&tour, "hall");
    // 256 wide: 8·⌊256/π/8⌋ = 80; 64-pixel tiles, two levels.
    assert_eq!(tiles.cube_resolution, Some(80));
    assert_eq!(tiles.max_level, Some(2));
    assert_eq!(tiles.tile_size, Some(64));
    assert_eq!(tiles.path, "%l/%s%y_%x.jpg");
    let tile = finest_tile(tiles);
    assert_eq!(tile, "2/f0_0.jpg");
    assert!(out.join(&tile).is_file(), "{tile}");
    assert!(out.join(tiles.preview.as_deref().unwrap()).is_file());

    // Again into the same folder: its own tour is replaced. Another folder's tour is not.
    let (status, text) = run(disan()
        .arg("tile")
        .arg(dir.join("hall.png"))
        .arg("--out")
        .arg(&out)
        .args(["--tile-size", "64"]));
    assert!(status.status.success(), "{text}");
    let (status, text) = run(disan()
        .arg("tile")
        .arg(dir.join("hall.png"))
        .arg("--out")
        .arg(&out)
        .args(["--scene", "other"]));
    assert!(!status.status.success(), "{text}");
    assert!(text.contains("--tour"), "{text}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn tile_adds_a_scene_to_an_existing_tour() {
    let dir = scratch("add");
    let tour_dir = dir.join("tour");
    std::fs::create_dir_all(&tour_dir).unwrap();
    let original = r#"{
  "version": 1,
  "title": {"vi": "Đình", "en": "Hall"},
  "x-museum": {"code": 7},
  "scenes": [
    {"id": "gate", "kind": "panorama", "image": "gate.jpg", "x-note": "kept",
     "hotspots": [{"kind": "link", "yaw": 10, "pitch": 0, "target": "yard", "label": "Yard"}]},
    {"id": "yard", "kind": "panorama", "image": "old-yard.jpg", "view": {"yaw": 30, "pitch": 5},
     "hotspots": [{"kind": "link", "yaw": -10, "pitch": 0, "target": "gate", "label": "Gate"}]}
  ]
}"#;
    std::fs::write(tour_dir.join("tour.json"), original).unwrap();
    png(&dir.join("court.png"), 256, 128);
    png(&dir.join("yard.png"), 256, 128);

    // A new scene, tiles in a sub-folder.
    let (status, text) = run(disan()
        .arg("tile")
        .arg(dir.join("court.png"))
        .arg("--out")
        .arg(tour_dir.join("tiles/court"))
        .arg("--tour")
        .arg(tour_dir.join("tour.json"))
        .args(["--tile-size", "64"]));
    assert!(status.status.success(), "{text}");
    let tour = read_tour(&tour_dir.join("tour.json"));
    let ids: Vec<&str> = tour.scenes.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["gate", "yard", "court"]);
    let tiles = tiles_of(&tour, "court");
    assert_eq!(tiles.path, "tiles/court/%l/%s%y_%x.jpg");
    assert_eq!(tiles.preview.as_deref(), Some("tiles/court/preview.jpg"));
    let tile = finest_tile(tiles);
    assert!(tour_dir.join(&tile).is_file(), "{tile}");
    assert!(tour_dir.join("tiles/court/preview.jpg").is_file());

    // Everything else means what it meant.
    let before: serde_json::Value = serde_json::from_str(original).unwrap();
    let after: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tour_dir.join("tour.json")).unwrap()).unwrap();
    assert_eq!(after["x-museum"], before["x-museum"]);
    assert_eq!(after["title"], before["title"]);
    assert_eq!(after["scenes"][0], before["scenes"][0]);
    assert_eq!(after["scenes"][1], before["scenes"][1]);

    // The same id again (given with --scene, the tour as its folder): its picture becomes the
    // tiles; its view and hotspots stay.
    let (status, text) = run(disan()
        .arg("tile")
        .arg(dir.join("yard.png"))
        .arg("--out")
        .arg(tour_dir.join("tiles/yard"))
        .arg("--tour")
        .arg(&tour_dir)
        .args(["--scene", "yard", "--tile-size", "64"]));
    assert!(status.status.success(), "{text}");
    let tour = read_tour(&tour_dir.join("tour.json"));
    assert_eq!(tour.scenes.len(), 3);
    let yard = tour.scene("yard").unwrap();
    assert_eq!(tiles_of(&tour, "yard").path, "tiles/yard/%l/%s%y_%x.jpg");
    assert_eq!(yard.hotspots.len(), 1);
    assert_eq!(yard.panorama().unwrap().view.unwrap().yaw, 30.0);
    assert!(tour_dir
        .join(finest_tile(tiles_of(&tour, "yard")))
        .is_file());

    // Outside the tour's folder, or the folder itself: refused, the tour untouched.
    let kept = std::fs::read(tour_dir.join("tour.json")).unwrap();
    for bad in [dir.join("elsewhere"), tour_dir.clone()] {
        let (status, text) = run(disan()
            .arg("tile")
            .arg(dir.join("court.png"))
            .arg("--out")
            .arg(&bad)
            .arg("--tour")
            .arg(tour_dir.join("tour.json")));
        assert!(!status.status.success(), "{text}");
        assert!(text.contains("tour's folder"), "{text}");
    }
    assert!(!dir.join("elsewhere").exists());
    assert_eq!(std::fs::read(tour_dir.join("tour.json")).unwrap(), kept);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn tile_places_a_partial_panorama() {
    let dir = scratch("partial");
    // 512×128 over the full circle and 90° about the horizon.
    png(&dir.join("strip.png"), 512, 128);
    let out = dir.join("out");
    let (status, text) = run(disan()
        .arg("tile")
        .arg(dir.join("strip.png"))
        .arg("--out")
        .arg(&out)
        .args(["--haov", "360", "--vaov", "90", "--tile-size", "64"]));
    assert!(status.status.success(), "{text}");
    assert!(text.contains("partial panorama"), "{text}");
    let tour = read_tour(&out.join("tour.json"));
    let tiles = tiles_of(&tour, "strip");
    // The cube follows the width over the full circle: 8·⌊512/π/8⌋ = 160.
    assert_eq!(tiles.cube_resolution, Some(160));
    assert!(out.join(finest_tile(tiles)).is_file());
    // The up face's centre looks straight up, far above the strip's 45°: neutral grey.
    let up = image::open(out.join("3/u1_1.jpg")).unwrap().to_rgb8();
    for p in up.pixels() {
        assert!(p.0.iter().all(|&c| c.abs_diff(48) <= 1), "{p:?}");
    }
    // The preview is the whole sphere, 2:1.
    let preview = image::open(out.join("preview.jpg")).unwrap();
    assert_eq!((preview.width(), preview.height()), (512, 256));

    // The same strip as a JPEG with Photo Sphere XMP (rows 64..192 of a 512×256 panorama,
    // heading 90°): placed without options, north at yaw −90°.
    let mut jpeg = Vec::new();
    image::open(dir.join("strip.png"))
        .unwrap()
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    let xmp = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description
        xmlns:GPano="http://ns.google.com/photos/1.0/panorama/"
        GPano:ProjectionType="equirectangular" GPano:PoseHeadingDegrees="90"
        GPano:FullPanoWidthPixels="512" GPano:FullPanoHeightPixels="256"
        GPano:CroppedAreaImageWidthPixels="512" GPano:CroppedAreaImageHeightPixels="128"
        GPano:CroppedAreaLeftPixels="0" GPano:CroppedAreaTopPixels="64"/></rdf:RDF></x:xmpmeta>"#;
    let header = b"http://ns.adobe.com/xap/1.0/\0";
    let mut tagged = jpeg[..2].to_vec();
    tagged.extend_from_slice(&[0xFF, 0xE1]);
    tagged.extend_from_slice(&((2 + header.len() + xmp.len()) as u16).to_be_bytes());
    tagged.extend_from_slice(header);
    tagged.extend_from_slice(xmp.as_bytes());
    tagged.extend_from_slice(&jpeg[2..]);
    std::fs::write(dir.join("sphere.jpg"), tagged).unwrap();
    let out = dir.join("xmp");
    let (status, text) = run(disan()
        .arg("tile")
        .arg(dir.join("sphere.jpg"))
        .arg("--out")
        .arg(&out)
        .args(["--tile-size", "64"]));
    assert!(status.status.success(), "{text}");
    assert!(text.contains("Photo Sphere"), "{text}");
    let tour = read_tour(&out.join("tour.json"));
    assert_eq!(tiles_of(&tour, "sphere").cube_resolution, Some(160));
    assert_eq!(
        tour.scenes[0].panorama().unwrap().north_offset,
        -90.0,
        "{text}"
    );
    let up = image::open(out.join("3/u1_1.jpg")).unwrap().to_rgb8();
    assert!(up
        .pixels()
        .all(|p| p.0.iter().all(|&c| c.abs_diff(48) <= 1)));

    // Not 2:1 and nothing to place it: refused with the way to give the coverage.
    let (status, text) = run(disan()
        .arg("tile")
        .arg(dir.join("strip.png"))
        .arg("--out")
        .arg(dir.join("refused")));
    assert!(!status.status.success(), "{text}");
    assert!(text.contains("--haov") && text.contains("--vaov"), "{text}");
    std::fs::remove_dir_all(&dir).ok();
}
