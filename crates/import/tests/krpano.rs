//! krpano import of the handwritten `tests/fixtures/krpano/tour.xml`, with placeholder tiles.

#![allow(clippy::unwrap_used)] // test helpers: a panic is how a test fails

mod common;

use common::{close, fixtures, noted, read_valid, und, Scratch};
use disan_import::{import, Source};
use disan_tour::model::HotspotKind;
use disan_tour::tiles::{Pyramid, TileKey};

#[test]
fn fixture_tour_imports() {
    let tmp = Scratch::new("krpano");
    let xml = std::fs::read(fixtures().join("krpano/tour.xml")).unwrap();
    let input = tmp.write("vtour/tour.xml", &xml);
    // One tile of the 640 px level (face f, row 1, column 2; krpano counts from 1) and the sphere.
    tmp.write("vtour/panos/hall.tiles/f/l1/1/l1_f_1_2.jpg", b"jpeg");
    tmp.write("vtour/panos/yard.jpg", b"jpeg");
    let out = tmp.path().join("out");
    let done = import(Source::Krpano, &input, &out).unwrap();
    let tour = read_valid(&done.tour_json);
    assert_eq!(und(&tour.title), "Fixture tour");
    let ids: Vec<&str> = tour.scenes.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["scene_hall", "scene_yard"]);
    assert_eq!(tour.start().unwrap().id, "scene_hall");

    // The view: vlookat -10 (up) is pitch +10; MFOV 120 is the hfov of a 4:3 view.
    let hall = tour.scene("scene_hall").unwrap();
    let ph = hall.panorama().unwrap();
    let view = ph.view.unwrap();
    assert_eq!((view.yaw, view.pitch), (30.0, 10.0));
    assert!(close(view.fov.unwrap(), 104.8218), "{view:?}");
    let range = ph.fov_range.unwrap();
    assert!(
        close(range[0], 55.4129) && close(range[1], 128.226),
        "{range:?}"
    );

    // The tiles: two levels (640, 1280) of 512 px tiles, numbered from 1.
    let tiles = ph.source.tiles().cloned().unwrap();
    assert_eq!(tiles.path, "panos/hall.tiles/%s/l%l/%v/l%l_%s_%v_%h.jpg");
    assert_eq!((tiles.first_level, tiles.first_index), (1, 1));
    let pyramid = Pyramid::from_tiles(&tiles).unwrap();
    let sizes: Vec<u32> = pyramid.levels.iter().map(|l| l.size).collect();
    assert_eq!(sizes, [640, 1280]);
    let key = TileKey {
        face: 0,
        level: 0,
        x: 1,
        y: 0,
    };
    assert_eq!(pyramid.path(key), "panos/hall.tiles/f/l1/1/l1_f_1_2.jpg");
    assert!(out.join("panos/hall.tiles/f/l1/1/l1_f_1_2.jpg").is_file());
    let last = TileKey {
        face: 5,
        level: 1,
        x: 2,
        y: 2,
    };
    assert_eq!(pyramid.path(last), "panos/hall.tiles/d/l2/3/l2_d_3_3.jpg");
    // 6 × (4 + 9) tiles, one present; the sphere image is copied.
    assert_eq!(done.copied, 2);
    assert_eq!(done.missing.len(), 77);
    assert!(done
        .missing
        .contains(&"panos/hall.tiles/d/l2/3/l2_d_3_3.jpg".to_string()));
    let yard = tour.scene("scene_yard").unwrap();
    assert_eq!(
        yard.panorama().unwrap().source.image(),
        Some("panos/yard.jpg")
    );
    assert!(out.join("panos/yard.jpg").is_file());

    // The link: ath/atv converted, arrival view from linkedscene_lookat (the target is VFOV).
    let link = &hall.hotspots[0];
    assert_eq!(link.kind(), HotspotKind::Link);
    assert_eq!(link.target(), Some("scene_yard"));
    assert_eq!(link.placement.direction(), Some((-45.5, -12.25)));
    assert_eq!(und(&link.label), "Courtyard");
    let v = *link.view().unwrap();
    assert_eq!((v.yaw, v.pitch, v.fov), (90.0, -5.0, Some(100.0)));
    // An openurl() hotspot becomes a catalog entry keeping the URL.
    let info = &hall.hotspots[1];
    assert_eq!(info.kind(), HotspotKind::Info);
    assert_eq!(info.placement.direction(), Some((10.0, 20.0)));
    let entry = tour.entry(info.entry().unwrap()).unwrap();
    assert_eq!(und(&entry.title), "Bronze drum");
    assert!(und(&entry.description).contains("https://example.org/drum"));
    // A loadscene() onclick links too; scene names compare without case.
    let back = &yard.hotspots[0];
    assert_eq!(back.target(), Some("scene_hall"));
    assert_eq!(und(&back.label), "Main hall");
    assert_eq!(back.placement.direction(), Some((180.0, 0.0)));

    for part in [
        "<include url=\"skin/vtourskin.xml\"> not read",
        "actions ignored: startup",
        "elements ignored (outside the scenes): <skin_settings>",
        "<preview url=\"panos/hall.tiles/preview.jpg\"> not used",
        "scene scene_hall: thumburl=\"panos/hall.tiles/thumb.jpg\" ignored",
        "<view>: maxpixelzoom=\"2.0\" ignored",
        "hotspot spot1: style=\"skin_hotspotstyle\" ignored",
        "hotspot URL https://example.org/drum kept",
    ] {
        assert!(
            noted(&done.notes, part),
            "no note `{part}` in {:#?}",
            done.notes
        );
    }
    // Empty attributes say nothing and are not reported.
    assert!(!noted(&done.notes, "lat=\"\""));
}

#[test]
fn a_file_without_scenes_and_the_long_multires_form() {
    let tmp = Scratch::new("krpano-single");
    let input = tmp.write(
        "single.xml",
        br#"<krpano>
  <view hlookat="-20" vlookat="30" fov="90" fovtype="HFOV" />
  <image type="CUBE" multires="true" tilesize="512" baseindex="0">
    <level tiledimagewidth="1280" tiledimageheight="1280"><cube url="t/%s/l2/%v/%h.jpg" /></level>
    <level tiledimagewidth="640" tiledimageheight="640"><cube url="t/%s/l1/%v/%h.jpg" /></level>
  </image>
  <plugin name="gyro" />
  <hotspot name="p" url="spot.png"><point ath="0" atv="0" /></hotspot>
</krpano>"#,
    );
    let out = tmp.path().join("out");
    let done = import(Source::Krpano, &input, &out).unwrap();
    let tour = read_valid(&done.tour_json);
    assert_eq!(tour.scenes.len(), 1);
    let scene = &tour.scenes[0];
    assert_eq!(scene.id, "single");
    let p = scene.panorama().unwrap();
    let v = p.view.unwrap();
    assert_eq!((v.yaw, v.pitch), (-20.0, -30.0));
    assert!(close(v.fov.unwrap(), 73.7398), "{v:?}");
    let tiles = p.source.tiles().cloned().unwrap();
    let pyramid = Pyramid::from_tiles(&tiles).unwrap();
    let sizes: Vec<u32> = pyramid.levels.iter().map(|l| l.size).collect();
    assert_eq!(sizes, [640, 1280], "levels sorted from the smallest");
    let key = TileKey {
        face: 3,
        level: 1,
        x: 2,
        y: 0,
    };
    assert_eq!(pyramid.path(key), "t/l/l2/0/2.jpg");
    assert_eq!(done.missing.len(), 6 * (4 + 9));
    assert_eq!(
        done.notes.iter().filter(|n| n.contains("<plugin>")).count(),
        1,
        "{:#?}",
        done.notes
    );
    assert!(noted(
        &done.notes,
        "hotspot p: a polygonal hotspot: left out"
    ));
}

#[test]
fn cube_faces_and_refused_scenes() {
    let tmp = Scratch::new("krpano-faces");
    let input = tmp.write(
        "tour.xml",
        br#"<krpano>
  <scene name="cube"><image><cube url="faces/pano_%s.jpg" /></image></scene>
  <scene name="tiled_sphere"><image><sphere url="s/%l/%v_%h.jpg" multires="512,1024,2048" /></image></scene>
  <scene name="CUBE"><image><sphere url="dup.jpg" /></image></scene>
  <scene name="outside"><image><sphere url="../../etc/pano.jpg" /></image>
    <hotspot name="go" ath="0" atv="0" linkedscene="tiled_sphere" /></scene>
</krpano>"#,
    );
    tmp.write("faces/pano_r.jpg", b"jpeg");
    let out = tmp.path().join("out");
    let done = import(Source::Krpano, &input, &out).unwrap();
    let tour = read_valid(&done.tour_json);
    let ids: Vec<&str> = tour.scenes.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["cube", "outside"]);
    let faces = tour.scenes[0]
        .panorama()
        .unwrap()
        .source
        .cube()
        .unwrap()
        .to_vec();
    assert_eq!(
        faces,
        [
            "faces/pano_f.jpg",
            "faces/pano_r.jpg",
            "faces/pano_b.jpg",
            "faces/pano_l.jpg",
            "faces/pano_u.jpg",
            "faces/pano_d.jpg"
        ]
    );
    assert_eq!(done.copied, 1);
    assert!(out.join("faces/pano_r.jpg").is_file());
    let outside = tour.scenes[1].panorama().unwrap();
    assert_eq!(outside.source.image(), Some("etc/pano.jpg"));
    assert!(done.missing.contains(&"etc/pano.jpg".to_string()));
    assert!(tour.scenes[1].hotspots.is_empty());
    for part in [
        "scene tiled_sphere: a tiled (multires) sphere is not supported",
        "scene CUBE: a second scene of that name",
        "links to scene \"tiled_sphere\", which was not imported",
        "../../etc/pano.jpg leaves the source folder",
    ] {
        assert!(
            noted(&done.notes, part),
            "no note `{part}` in {:#?}",
            done.notes
        );
    }
}
