//! Marzipano imports of the corpus's demo `data.js` files (their tiles are not in the corpus, so
//! every tile is listed as missing), and one with a local placeholder tile.

#![allow(clippy::unwrap_used)] // test helpers: a panic is how a test fails

mod common;

use common::{close, corpus, noted, read_valid, und, Scratch};
use disan_import::{import, Source};
use disan_tour::model::HotspotKind;
use disan_tour::tiles::{Pyramid, TileKey};

#[test]
fn sample_tour_imports() {
    let Some(corpus) = corpus() else { return };
    let tmp = Scratch::new("marzipano-sample");
    let out = tmp.path().join("out");
    let input = corpus.join("tours/marzipano/sample-tour/data.js");
    let done = import(Source::Marzipano, &input, &out).unwrap();
    let tour = read_valid(&done.tour_json);
    assert_eq!(done.scenes, 3);
    assert_eq!(und(&tour.title), "Sample Tour");
    let ids: Vec<&str> = tour.scenes.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["oriente-station", "electricity-museum", "jeronimos"]);
    assert_eq!(und(&tour.scenes[2].title), "Jerónimos Monastery");

    // No tile is in the corpus: `missing` is exactly every tile, 6 × (1+1+4+16+64) a scene.
    assert_eq!(done.copied, 0);
    assert_eq!(done.missing.len(), 3 * 6 * 86);
    assert!(done
        .missing
        .iter()
        .all(|m| m.starts_with("tiles/") && m.ends_with(".jpg") && !m.ends_with("preview.jpg")));
    for m in [
        "tiles/oriente-station/0/f/0/0.jpg",
        "tiles/jeronimos/4/d/7/7.jpg",
        "tiles/electricity-museum/2/u/1/0.jpg",
    ] {
        assert!(done.missing.iter().any(|x| x == m), "{m}");
    }

    let oriente = tour.scene("oriente-station").unwrap();
    let tiles = oriente.panorama().unwrap().source.tiles().cloned().unwrap();
    assert_eq!(tiles.path, "tiles/oriente-station/%l/%s/%y/%x.jpg");
    assert_eq!(tiles.first_level, 0);
    let pyramid = Pyramid::from_tiles(&tiles).unwrap();
    let sizes: Vec<u32> = pyramid.levels.iter().map(|l| l.size).collect();
    assert_eq!(sizes, [256, 512, 1024, 2048, 4096]);
    let key = TileKey {
        face: 1,
        level: 4,
        x: 3,
        y: 5,
    };
    assert_eq!(pyramid.path(key), "tiles/oriente-station/4/r/5/3.jpg");

    // Radians to degrees; Marzipano's pitch is positive downwards.
    let view = oriente.panorama().unwrap().view.unwrap();
    assert_eq!((view.yaw, view.pitch), (0.0, 0.0));
    assert!(close(view.fov.unwrap(), 90.0));
    let link = &oriente.hotspots[0];
    assert_eq!(link.kind(), HotspotKind::Link);
    assert_eq!(link.target(), Some("electricity-museum"));
    assert_eq!(und(&link.label), "Electricity Museum");
    assert!(
        close(link.placement.direction().unwrap().0, 179.1515),
        "{link:?}"
    );
    assert!(
        close(link.placement.direction().unwrap().1, 0.4374),
        "{link:?}"
    );
    let museum = tour.scene("electricity-museum").unwrap();
    let info = museum
        .hotspots
        .iter()
        .find(|h| h.kind() == HotspotKind::Info)
        .unwrap();
    // -0.1743 rad down in Marzipano is 9.99° up.
    assert!(
        close(info.placement.direction().unwrap().1, 9.9885),
        "{info:?}"
    );
    let entry = tour.entry(info.entry().unwrap()).unwrap();
    assert_eq!(und(&entry.title), "Boilers Room");
    assert!(und(&entry.description).starts_with("In the impressive Boilers Room"));

    for part in [
        "settings.mouseViewMode \"drag\" ignored",
        "settings.autorotateEnabled true ignored",
        "is fallbackOnly in Marzipano",
        "faceSize 4096 ignored",
        "tiles/oriente-station/preview.jpg (not found) not used",
        "rotation 5.497787143782138 of the marker ignored",
    ] {
        assert!(
            noted(&done.notes, part),
            "no note `{part}` in {:#?}",
            done.notes
        );
    }
}

#[test]
fn touch_gestures_imports_the_older_shape() {
    let Some(corpus) = corpus() else { return };
    let tmp = Scratch::new("marzipano-touch");
    let out = tmp.path().join("out");
    let input = corpus.join("tours/marzipano/touch-gestures/data.js");
    let done = import(Source::Marzipano, &input, &out).unwrap();
    let tour = read_valid(&done.tour_json);
    assert_eq!(done.scenes, 3);
    assert_eq!(done.missing.len(), 3 * 6 * 22);
    assert!(done
        .missing
        .contains(&"tiles/oriente-station/0/f/0/0.jpg".to_string()));
    let museum = tour.scene("electricity-museum").unwrap();
    let view = museum.panorama().unwrap().view.unwrap();
    assert!(
        close(view.yaw, 51.5662) && close(view.pitch, 34.3775),
        "{view:?}"
    );
    assert!(close(view.fov.unwrap(), 57.2958));
    let link = &museum.hotspots[0];
    assert_eq!(link.target(), Some("jeronimos"));
    assert!(
        close(link.placement.direction().unwrap().0, 91.6732),
        "{link:?}"
    );
    let jer = tour.scene("jeronimos").unwrap();
    assert!(close(
        jer.hotspots[0].placement.direction().unwrap().1,
        -11.4592
    ));
}

#[test]
fn local_tiles_are_copied() {
    let Some(corpus) = corpus() else { return };
    let tmp = Scratch::new("marzipano-local");
    let data = std::fs::read(corpus.join("tours/marzipano/sample-tour/data.js")).unwrap();
    let input = tmp.write("app/data.js", &data);
    tmp.write("app/tiles/jeronimos/0/b/0/0.jpg", b"jpeg");
    tmp.write("app/tiles/jeronimos/preview.jpg", b"jpeg");
    let out = tmp.path().join("out");
    let done = import(Source::Marzipano, &input, &out).unwrap();
    assert_eq!(done.copied, 1);
    assert!(out.join("tiles/jeronimos/0/b/0/0.jpg").is_file());
    assert_eq!(done.missing.len(), 3 * 6 * 86 - 1);
    assert!(!out.join("tiles/jeronimos/preview.jpg").exists());
    assert!(noted(
        &done.notes,
        "tiles/jeronimos/preview.jpg (present) not used"
    ));
}
