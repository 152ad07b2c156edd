//! Pannellum imports: the corpus's example configs (images from `corpus/panoramas/`, given as
//! the base folder, as the corpus README says) and a handwritten tour for the finer rules.

#![allow(clippy::unwrap_used)] // test helpers: a panic is how a test fails

mod common;

use common::{close, corpus, noted, read_valid, und, Scratch};
use disan_import::{import, import_with, Options, Source};
use disan_tour::model::HotspotKind;
use disan_tour::tiles::{Pyramid, TileKey};

/// The corpus configs' images are in `panoramas/`, not beside the configs.
fn options(corpus: &std::path::Path) -> Options {
    Options {
        base: Some(corpus.join("panoramas")),
        ..Options::default()
    }
}

#[test]
fn example_tour_imports() {
    let Some(corpus) = corpus() else { return };
    let tmp = Scratch::new("pannellum-tour");
    let out = tmp.path().join("out");
    let input = corpus.join("tours/pannellum/example-tour.json");
    let done = import_with(Source::Pannellum, &input, &out, &options(&corpus)).unwrap();
    let tour = read_valid(&done.tour_json);
    assert_eq!(done.tour_json, out.join("tour.json"));
    assert_eq!(done.scenes, 2);
    assert_eq!(tour.start_scene.as_deref(), Some("pond"));
    assert_eq!(tour.start().unwrap().id, "pond");
    assert_eq!(tour.scenes[0].id, "pondCube");
    assert_eq!(und(&tour.scenes[0].title), "Jordan Pond (Cube)");

    // Seven images copied, keeping their names; nothing missing.
    assert!(done.missing.is_empty(), "{:?}", done.missing);
    assert_eq!(done.copied, 7);
    let cube = tour.scene("pondCube").unwrap();
    let faces = cube.panorama().unwrap().source.cube().unwrap();
    assert_eq!(faces[0], "examplepanocube0.jpg");
    assert_eq!(faces[5], "examplepanocube5.jpg");
    for f in faces {
        assert!(out.join(f).is_file(), "{f}");
    }
    let pond = tour.scene("pond").unwrap().panorama().unwrap();
    assert_eq!(pond.source.image(), Some("examplepano.jpg"));
    assert!(out.join("examplepano.jpg").is_file());

    // The scene link: degrees as they are, label from the text.
    let link = &cube.hotspots[2];
    assert_eq!(link.kind(), HotspotKind::Link);
    assert_eq!(link.target(), Some("pond"));
    assert_eq!(link.placement.direction(), Some((-60.0, 0.0)));
    assert_eq!(und(&link.label), "Pond");
    assert_eq!(link.view(), None, "the config sets no target view");
    let back = &tour.scene("pond").unwrap().hotspots[0];
    assert_eq!(back.target(), Some("pondCube"));
    assert_eq!(back.placement.direction(), Some((100.0, 0.0)));

    // Info hotspots become catalog entries; the URL is kept in the description.
    let info = &cube.hotspots[0];
    assert_eq!(info.kind(), HotspotKind::Info);
    assert_eq!(info.placement.direction(), Some((170.0, -12.0)));
    let entry = tour.entry(info.entry().unwrap()).unwrap();
    assert_eq!(
        und(&entry.title),
        "This is Jordan Pond, located in Acadia National Park."
    );
    let linked = tour.entry(cube.hotspots[1].entry().unwrap()).unwrap();
    assert!(und(&linked.description).contains("https://github.com/mpetroff/pannellum"));

    // What Disan has no use for is reported.
    for part in [
        "default: sceneFadeDuration 2000 ignored",
        "default: author \"Matthew Petroff\" ignored",
        "hotspot URL https://github.com/mpetroff/pannellum kept",
    ] {
        assert!(
            noted(&done.notes, part),
            "no note `{part}` in {:#?}",
            done.notes
        );
    }
}

#[test]
fn example_cube_imports_and_reports_its_missing_preview() {
    let Some(corpus) = corpus() else { return };
    let tmp = Scratch::new("pannellum-cube");
    let out = tmp.path().join("out");
    let input = corpus.join("tours/pannellum/example-cube.json");
    let done = import_with(Source::Pannellum, &input, &out, &options(&corpus)).unwrap();
    let tour = read_valid(&done.tour_json);
    assert_eq!(tour.scenes.len(), 1);
    let scene = &tour.scenes[0];
    assert_eq!(scene.id, "example-cube");
    assert_eq!(und(&scene.title), "Jordan Pond");
    assert_eq!(und(&tour.title), "Jordan Pond");
    assert_eq!(scene.panorama().unwrap().source.cube().unwrap().len(), 6);
    assert_eq!(scene.hotspots.len(), 2);
    assert_eq!(tour.catalog.len(), 2);
    assert_eq!(done.copied, 6);
    assert!(done.missing.is_empty(), "{:?}", done.missing);
    // The preview has no Disan meaning for a cube, and it is not in the corpus: both said.
    assert!(
        done.notes
            .iter()
            .any(|n| n.contains("examplepano-preview.jpg") && n.contains("not found")),
        "{:#?}",
        done.notes
    );
    assert!(noted(&done.notes, "author \"Matthew Petroff\" ignored"));
}

#[test]
fn example_multires_imports_every_tile() {
    let Some(corpus) = corpus() else { return };
    let tmp = Scratch::new("pannellum-multires");
    let out = tmp.path().join("out");
    let input = corpus.join("tours/pannellum/example-multires.json");
    let done = import_with(Source::Pannellum, &input, &out, &options(&corpus)).unwrap();
    let tour = read_valid(&done.tour_json);
    let tiles = tour.scenes[0]
        .panorama()
        .unwrap()
        .source
        .tiles()
        .cloned()
        .expect("a tiled scene");
    assert_eq!(tiles.path, "multires/%l/%s%x%y.png");
    assert_eq!(
        (tiles.tile_size, tiles.cube_resolution, tiles.max_level),
        (Some(256), Some(2048), Some(4))
    );
    let pyramid = Pyramid::from_tiles(&tiles).unwrap();
    let sizes: Vec<u32> = pyramid.levels.iter().map(|l| l.size).collect();
    assert_eq!(sizes, [256, 512, 1024, 2048]);
    // Level 2 (index 1), face f, column 0, row 1: multires/2/f01.png, copied.
    let key = TileKey {
        face: 0,
        level: 1,
        x: 0,
        y: 1,
    };
    assert_eq!(pyramid.path(key), "multires/2/f01.png");
    assert!(out.join("multires/2/f01.png").is_file());
    assert!(out.join("multires/4/d77.png").is_file());
    // 6 × (1 + 4 + 16 + 64) tiles, all present; the fallback faces are not tiles.
    assert_eq!(done.copied, 510);
    assert!(done.missing.is_empty(), "{:?}", done.missing);
    assert!(!out.join("multires/fallback").exists());
    assert!(noted(&done.notes, "fallbackPath /fallback/%s ignored"));
}

#[test]
fn handwritten_tour_converts_views_paths_and_links() {
    let tmp = Scratch::new("pannellum-rules");
    let src = tmp.path().join("src");
    let config = r#"{
      "default": {"firstScene": "a", "hfov": 90, "basePath": "img/", "autoLoad": true},
      "scenes": {
        "a": {"title": "A", "panorama": "a.jpg", "yaw": 10, "pitch": 5, "northOffset": 90,
              "haov": 200, "vaov": 100, "vOffset": 10, "minHfov": 60,
              "hotSpots": [
                {"yaw": 20, "pitch": -5, "type": "scene", "sceneId": "b",
                 "targetYaw": 45, "targetPitch": -10, "targetHfov": 120, "cssClass": "x"},
                {"yaw": 0, "pitch": 0, "type": "scene", "sceneId": "b", "targetYaw": "sameAzimuth"},
                {"yaw": 1, "pitch": 1, "type": "scene", "sceneId": "nowhere"}
              ]},
        "b": {"type": "cubemap", "pitch": 3,
              "cubeMap": ["../../outside.jpg", "https://example.org/m/r.jpg",
                          "f2.jpg", "f3.jpg", "f4.jpg", "f5.jpg"]},
        "c": {"type": "video"},
        "d": {"type": "multires", "multiRes": {"basePath": "t", "path": "/%l0/%s_%y_%x",
              "extension": "jpg", "tileResolution": 512, "maxLevel": 2, "cubeResolution": 1024}}
      }
    }"#;
    tmp.write("src/tour-config.json", config.as_bytes());
    for f in [
        "a.jpg",
        "f2.jpg",
        "f3.jpg",
        "f4.jpg",
        "f5.jpg",
        "t/0/f_0_0.jpg",
    ] {
        tmp.write(&format!("src/img/{f}"), b"jpeg");
    }
    // A file just outside the source folder, which must not be read.
    std::fs::write(tmp.path().join("outside.jpg"), b"secret").unwrap();
    let out = tmp.path().join("out");
    let done = import(Source::Pannellum, &src.join("tour-config.json"), &out).unwrap();
    let tour = read_valid(&done.tour_json);
    let ids: Vec<&str> = tour.scenes.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "d"], "{:#?}", done.notes);

    let a = tour.scene("a").unwrap();
    let pa = a.panorama().unwrap();
    assert_eq!(pa.source.image(), Some("img/a.jpg"));
    let view = pa.view.unwrap();
    assert_eq!((view.yaw, view.pitch), (10.0, 5.0));
    // hfov 90 (from default) on a 4:3 view: 2·atan(0.75) vertically.
    assert!(close(view.fov.unwrap(), 73.7398), "{view:?}");
    // Heading of the centre 90 (east): north is 90° to the left.
    assert_eq!(pa.north_offset, -90.0);
    let cov = pa.source.coverage().unwrap();
    assert_eq!((cov.haov, cov.vaov, cov.v_offset), (200.0, 100.0, 10.0));
    let range = pa.fov_range.unwrap();
    assert!(
        close(range[0], 46.8264) && close(range[1], 104.8218),
        "{range:?}"
    );

    // The arrival view: targetHfov 120 → vertical 104.82.
    let link = &a.hotspots[0];
    let v = *link.view().unwrap();
    assert_eq!((v.yaw, v.pitch), (45.0, -10.0));
    assert!(close(v.fov.unwrap(), 104.8218), "{v:?}");
    assert_eq!(a.hotspots[1].view(), None);
    assert_eq!(
        a.hotspots.len(),
        2,
        "the link to a missing scene is left out"
    );
    assert!(noted(&done.notes, "targetYaw \"sameAzimuth\" ignored"));
    assert!(noted(&done.notes, "links to scene \"nowhere\""));
    assert!(noted(&done.notes, "cssClass \"x\" ignored"));
    assert!(noted(
        &done.notes,
        "scene c: type \"video\" is not supported"
    ));
    assert!(noted(&done.notes, "default: autoLoad true ignored"));

    // Outside paths and URLs are not read; tour.json names a clean path inside the tour.
    let b = tour.scene("b").unwrap().panorama().unwrap();
    let faces = b.source.cube().unwrap();
    assert_eq!(faces[0], "outside.jpg");
    assert_eq!(faces[1], "m/r.jpg");
    assert_eq!(faces[2], "img/f2.jpg");
    assert!(!out.join("outside.jpg").exists());
    assert!(done.missing.contains(&"outside.jpg".to_string()));
    assert!(done.missing.contains(&"m/r.jpg".to_string()));
    assert!(noted(&done.notes, "leaves the source folder"));
    assert!(noted(&done.notes, "is a URL: not fetched"));

    // `%l0` counts levels from 0.
    let d = tour.scene("d").unwrap().panorama().unwrap();
    let t = d.source.tiles().unwrap();
    assert_eq!(
        (t.path.as_str(), t.first_level),
        ("img/t/%l/%s_%y_%x.jpg", 0)
    );
    let p = Pyramid::from_tiles(t).unwrap();
    assert_eq!(
        p.path(TileKey {
            face: 0,
            level: 0,
            x: 0,
            y: 0
        }),
        "img/t/0/f_0_0.jpg"
    );
    assert!(out.join("img/t/0/f_0_0.jpg").is_file());
    // 1 + 4 tiles a face, one present.
    assert_eq!(
        done.missing
            .iter()
            .filter(|m| m.starts_with("img/t/"))
            .count(),
        29
    );
}
