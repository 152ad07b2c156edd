//! Tests of the visit core, without any GPU: the shell's part is played by the test.

use super::*;
use crate::input::{Input, PointerButton};
use crate::model::{Catalog, Content, HotspotPlacement};
use glam::Vec3;

pub(super) const TOUR: &str = r#"{
  "version": 1, "title": {"vi": "Đình làng", "en": "Village hall"},
  "start_scene": "san",
  "environment": "hall.jpg",
  "scenes": [
    {"id": "san", "kind": "panorama", "image": "san.jpg", "title": {"vi": "Sân đình", "en": "Courtyard"},
     "view": {"yaw": 0, "pitch": 0, "fov": 90},
     "hotspots": [
       {"id": "to-drum", "kind": "link", "yaw": 0, "pitch": 0, "target": "trong", "label": {"vi": "Trống", "en": "Drum"}},
       {"id": "stele", "kind": "info", "yaw": 30, "pitch": 0, "entry": "bia", "label": {"vi": "Bia", "en": "Stele"}},
       {"id": "to-hall", "kind": "link", "yaw": -30, "pitch": 0, "target": "hau", "label": "Hậu cung"}
     ]},
    {"id": "hau", "kind": "panorama", "image": "hau.jpg", "title": "Hậu cung",
     "hotspots": [{"kind": "link", "yaw": 180, "pitch": 0, "target": "san", "label": "Sân"}]},
    {"id": "trong", "kind": "object", "model": "drum.glb", "title": {"vi": "Trống đồng", "en": "Bronze drum"},
     "orbit": {"yaw": 0, "pitch": 0, "distance": 6},
     "hotspots": [
       {"id": "front", "kind": "info", "position": [0, 0, 1], "normal": [0, 0, 1], "entry": "bia", "label": "Mặt trước"},
       {"id": "back", "kind": "link", "position": [0, 0, -1], "normal": [0, 0, -1], "target": "san", "label": "Mặt sau"}
     ]}
  ],
  "catalog": [{"id": "bia", "title": {"vi": "Bia đá", "en": "Stone stele"}, "inventory_number": "BT-1",
               "period": {"vi": "Thế kỷ 18", "en": "18th century"}}]
}"#;

fn visit() -> Visit {
    let tour = Tour::from_json(TOUR.as_bytes(), "tour.json").unwrap();
    Visit::new(tour, 400.0, 400.0)
}

/// A cube from -1 to 1, as the model's triangles and bounds.
fn cube() -> (TriangleMesh, Bounds) {
    let bounds = Bounds {
        min: Vec3::splat(-1.0),
        max: Vec3::splat(1.0),
    };
    (crate::picking::cube(), bounds)
}

/// Fulfils every open request (models with the cube); returns the last delivery.
pub(super) fn fulfil(v: &mut Visit) -> Option<Delivery> {
    let mut last = None;
    for r in v.take_requests() {
        last = Some(match r.resource {
            Resource::Model => {
                let (m, b) = cube();
                v.model_loaded(r.id, m, b)
            }
            _ => v.loaded(r.id),
        });
    }
    last
}

fn click(v: &mut Visit, at: Vec2) -> Option<Action> {
    v.input(
        Input::PointerDown {
            id: 1,
            pos: at,
            button: PointerButton::Primary,
        },
        0.0,
    );
    v.input(Input::PointerUp { id: 1, pos: at }, 0.05)
}

fn position_of(v: &Visit, index: usize) -> Vec2 {
    v.overlay()[index].position
}

#[test]
fn start_scene_from_link_tour_or_first() {
    let v = visit();
    assert_eq!(v.start_scene(None).unwrap(), "san");
    assert_eq!(v.start_scene(Some("hau")).unwrap(), "hau");
    assert_eq!(v.start_scene(Some("nope")).unwrap(), "san");
    let mut v = visit();
    assert_eq!(v.start(None, None).unwrap(), "san");
    let reqs = v.take_requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].resource, Resource::Panorama);
    assert_eq!(reqs[0].path, "san.jpg");
    assert_eq!(reqs[0].scene, "san");
    assert!(
        v.current().is_none(),
        "nothing is shown before the image arrives"
    );
    match v.loaded(reqs[0].id) {
        Delivery::Enter(e) => {
            assert_eq!(e.scene, "san");
            assert!(!e.failed);
            assert_eq!(e.resources, vec![(reqs[0].id, Resource::Panorama)]);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(v.current(), Some("san"));
    assert_eq!(
        v.take_events(),
        vec![Event::SceneChanged {
            scene: "san".into()
        }]
    );
}

#[test]
fn link_goes_to_the_object_with_its_environment_first() {
    let mut v = visit();
    v.start(None, None).unwrap();
    fulfil(&mut v);
    v.take_events();
    // The link hotspot straight ahead, in the middle of the view.
    let at = position_of(&v, 0);
    assert!((at - Vec2::splat(200.0)).length() < 1.0, "{at}");
    let action = click(&mut v, at);
    assert_eq!(
        action,
        Some(Action::Go {
            scene: "trong".into(),
            hotspot: 0
        })
    );
    assert_eq!(v.arriving(), Some("trong"));
    assert_eq!(
        v.current(),
        Some("san"),
        "the old scene stays until the new one is in"
    );
    let reqs = v.take_requests();
    let kinds: Vec<_> = reqs.iter().map(|r| (r.resource, r.path.as_str())).collect();
    assert_eq!(
        kinds,
        vec![
            (Resource::Model, "drum.glb"),
            (Resource::Environment, "hall.jpg")
        ]
    );
    assert!(reqs[0].priority < reqs[1].priority);
    // The environment arrives first, then the model: the scene enters with both, the
    // environment handed over before the model.
    assert_eq!(v.loaded(reqs[1].id), Delivery::Wait);
    let (m, b) = cube();
    let Delivery::Enter(e) = v.model_loaded(reqs[0].id, m, b) else {
        panic!("the scene should enter")
    };
    assert_eq!(
        e.resources,
        vec![
            (reqs[1].id, Resource::Environment),
            (reqs[0].id, Resource::Model)
        ]
    );
    assert_eq!(v.current(), Some("trong"));
    let events = v.take_events();
    assert!(matches!(&events[0], Event::HotspotActivated { id: Some(id), .. } if id == "to-drum"));
    assert!(events.contains(&Event::SceneChanged {
        scene: "trong".into()
    }));
    // Back to the panorama and to the drum again: the environment is already loaded.
    v.go("san", None).unwrap();
    fulfil(&mut v);
    v.go("trong", None).unwrap();
    let reqs = v.take_requests();
    assert_eq!(reqs.len(), 1, "{reqs:?}");
}

#[test]
fn info_hotspot_opens_the_card_in_the_language() {
    let mut v = visit();
    v.start(None, None).unwrap();
    fulfil(&mut v);
    v.take_events();
    let at = position_of(&v, 1);
    assert_eq!(
        click(&mut v, at),
        Some(Action::Open {
            entry: "bia".into(),
            hotspot: 1
        })
    );
    assert!(v.take_events().contains(&Event::CardOpened {
        entry: "bia".into()
    }));
    let card = v.card().unwrap();
    assert_eq!(card.title, "Bia đá");
    assert_eq!(card.fields[0].label, "Số hiệu");
    assert_eq!(card.fields[0].value, "BT-1");
    assert_eq!(card.fields[1].value, "Thế kỷ 18");
    v.close_card();
    assert!(v.card().is_none());
    assert_eq!(v.take_events(), vec![Event::CardClosed]);
}

#[test]
fn a_tap_beside_the_open_card_closes_it_and_a_drag_does_not() {
    let mut v = visit();
    v.start(None, None).unwrap();
    fulfil(&mut v);
    let at = position_of(&v, 1);
    click(&mut v, at);
    assert!(v.card().is_some());
    // A drag turns the view and leaves the card open.
    let down = Vec2::new(20.0, 380.0);
    v.input(
        Input::PointerDown {
            id: 1,
            pos: down,
            button: PointerButton::Primary,
        },
        1.0,
    );
    v.input(
        Input::PointerMove {
            id: 1,
            pos: down + Vec2::new(80.0, 0.0),
        },
        1.1,
    );
    v.input(
        Input::PointerUp {
            id: 1,
            pos: down + Vec2::new(80.0, 0.0),
        },
        1.2,
    );
    assert!(v.card().is_some());
    v.take_events();
    // A tap where no hotspot is closes it.
    assert_eq!(click(&mut v, Vec2::new(20.0, 380.0)), None);
    assert!(v.card().is_none());
    assert_eq!(v.take_events(), vec![Event::CardClosed]);
}

#[test]
fn language_switch_changes_labels_card_and_messages() {
    let mut v = visit();
    v.start(None, None).unwrap();
    fulfil(&mut v);
    assert_eq!(v.language(), "vi");
    assert_eq!(v.hotspot_labels()[0].label, "Trống");
    assert_eq!(v.hotspot_labels()[0].action, "Đi tới Trống đồng");
    v.open_card("bia");
    v.set_language("en");
    assert!(v
        .take_events()
        .contains(&Event::LanguageChanged { lang: "en".into() }));
    assert_eq!(v.hotspot_labels()[0].label, "Drum");
    assert_eq!(v.hotspot_labels()[0].action, "Go to Bronze drum");
    assert_eq!(v.hotspot_labels()[1].action, "Open the record");
    // A plain-string label stays as written.
    assert_eq!(v.hotspot_labels()[2].label, "Hậu cung");
    assert_eq!(v.scene_title(), "Courtyard");
    let card = v.card().unwrap();
    assert_eq!(card.title, "Stone stele");
    assert_eq!(card.fields[0].label, "Inventory no.");
    assert_eq!(card.fields[1].value, "18th century");
}

#[test]
fn hidden_hotspot_is_not_clickable_through_the_model() {
    let mut v = visit();
    v.start(Some("trong"), None).unwrap();
    fulfil(&mut v);
    v.take_events();
    let overlay = v.overlay();
    // Looking at the front: the back hotspot projects onto the same pixel, behind the cube.
    assert!(!overlay[0].hidden && overlay[1].hidden, "{overlay:?}");
    assert!((overlay[0].position - overlay[1].position).length() < 1.0);
    let at = overlay[1].position;
    assert_eq!(
        click(&mut v, at),
        Some(Action::Open {
            entry: "bia".into(),
            hotspot: 0
        }),
        "the click goes to the visible hotspot, never to the hidden one"
    );
    // Activated directly (a DOM button, the keyboard), the hidden hotspot does nothing.
    assert_eq!(v.activate(1), None);
    assert!(v.arriving().is_none());
    let markers = v.markers();
    assert_eq!(markers.len(), 2);
    assert!(markers.iter().any(|m| m.hidden && m.link));
}

#[test]
fn failed_asset_shows_its_message_and_the_tour_goes_on() {
    let mut v = visit();
    let behind = View::new(180.0, 0.0);
    v.start(Some("hau"), Some(behind)).unwrap();
    let r = v.take_requests().remove(0);
    let Delivery::Enter(e) = v.failed(r.id, "hau.jpg: HTTP 404 Not Found") else {
        panic!("a failed scene still enters")
    };
    assert!(e.failed && e.resources.is_empty());
    assert_eq!(v.current(), Some("hau"));
    // In plain words for the visitor, in the visit's language; the technical account beside.
    let err = v.scene_error().unwrap();
    assert_eq!(
        err,
        "Không mở được ảnh toàn cảnh này: không tải được tệp (tệp không có, hoặc mất kết nối)."
    );
    assert_eq!(v.scene_error_detail(), Some("hau.jpg: HTTP 404 Not Found"));
    assert!(v.take_events().iter().any(|e| matches!(e,
        Event::Error { message, detail } if message == &err && detail == "hau.jpg: HTTP 404 Not Found")));
    v.set_language("en");
    assert_eq!(
        v.scene_error().unwrap(),
        "This panorama could not be opened: its file could not be fetched (missing, or the connection dropped)."
    );
    // Its hotspots still work: the link back to the courtyard.
    let back = v.overlay()[0];
    assert!(back.visible);
    assert!(matches!(
        click(&mut v, back.position),
        Some(Action::Go { .. })
    ));
    fulfil(&mut v);
    assert_eq!(v.current(), Some("san"));
    assert!(v.scene_error().is_none());
}

#[test]
fn failed_environment_falls_back_to_the_studio() {
    let mut v = visit();
    v.start(Some("trong"), None).unwrap();
    let reqs = v.take_requests();
    let env = reqs
        .iter()
        .find(|r| r.resource == Resource::Environment)
        .unwrap();
    let model = reqs.iter().find(|r| r.resource == Resource::Model).unwrap();
    assert_eq!(v.failed(env.id, "hall.jpg: not found"), Delivery::Wait);
    let (m, b) = cube();
    let Delivery::Enter(e) = v.model_loaded(model.id, m, b) else {
        panic!()
    };
    assert!(!e.failed);
    assert_eq!(e.resources, vec![(model.id, Resource::Model)]);
    assert!(v.scene_error().is_none());
    assert!(v
        .take_events()
        .iter()
        .any(|e| matches!(e, Event::Error { message, detail }
            if message.contains("ánh sáng") && detail.contains("hall.jpg"))));
}

#[test]
fn link_while_loading_drops_the_stale_scene() {
    let mut v = visit();
    v.start(None, None).unwrap();
    fulfil(&mut v);
    v.go("hau", None).unwrap();
    let slow = v.take_requests().remove(0);
    // The visitor goes elsewhere before the first scene's image has arrived.
    v.go("trong", None).unwrap();
    assert_eq!(v.take_cancelled(), vec![slow.id]);
    assert!(!v.is_wanted(slow.id));
    // It arrives anyway: it is stale and never shown.
    assert_eq!(v.loaded(slow.id), Delivery::Stale);
    assert_eq!(v.current(), Some("san"));
    assert_eq!(v.arriving(), Some("trong"));
    let Some(Delivery::Enter(e)) = fulfil(&mut v) else {
        panic!()
    };
    assert_eq!(e.scene, "trong");
    assert_eq!(v.current(), Some("trong"));
    // A late failure of the abandoned request changes nothing either.
    assert_eq!(v.failed(slow.id, "late"), Delivery::Stale);
    assert!(v.scene_error().is_none());
}

#[test]
fn unknown_scene_and_missing_catalog_entry_are_errors() {
    let mut v = visit();
    assert_eq!(
        v.go("nope", None),
        Err(VisitError::UnknownScene("nope".into()))
    );
    assert!(!v.open_card("nope"));
    assert!(matches!(&v.take_events()[0], Event::Error { .. }));
    let mut tour = Tour::from_json(TOUR.as_bytes(), "tour.json").unwrap();
    tour.merge_catalog(Catalog::default());
    tour.scenes.clear();
    tour.start_scene = None;
    assert_eq!(
        Visit::new(tour, 10.0, 10.0).start_scene(None),
        Err(VisitError::NoScenes)
    );
}

#[test]
fn idle_visit_wants_no_frames() {
    let mut v = visit();
    v.start(None, None).unwrap();
    fulfil(&mut v);
    assert!(v.needs_frame());
    assert!(!v.frame_drawn(false));
    for _ in 0..10 {
        assert!(!v.update(0.016), "an idle visit draws nothing");
    }
    v.input(Input::Key(crate::input::Key::Left), 1.0);
    assert!(v.update(0.016));
}

const TILED: &str = r#"{
  "version": 1, "title": "Tiles",
  "scenes": [
    {"id": "big", "kind": "panorama", "view": {"yaw": 0, "pitch": 0, "fov": 90},
     "tiles": {"path": "big/%l/%s%y_%x.jpg", "tile_size": 512, "cube_resolution": 4096, "max_level": 4,
               "preview": "big/preview.jpg"}},
    {"id": "cube", "kind": "panorama", "cube": ["f.jpg", "r.jpg", "b.jpg", "l.jpg", "u.jpg", "d.jpg"]},
    {"id": "flat", "kind": "panorama", "image": "flat.jpg"}
  ]
}"#;

#[test]
fn a_tiled_panorama_enters_with_its_preview_and_streams_what_the_view_needs() {
    let tour = Tour::from_json(TILED.as_bytes(), "tour.json").unwrap();
    let mut v = Visit::new(tour, 1000.0, 1000.0);
    v.set_tile_budget(64 << 20, 256);
    v.start(None, None).unwrap();
    let reqs = v.take_requests();
    // The preview first, then the six tiles of the coarsest level.
    assert_eq!(reqs[0].resource, Resource::Panorama);
    assert_eq!(reqs[0].path, "big/preview.jpg");
    let tiles: Vec<&Request> = reqs
        .iter()
        .filter(|r| r.resource.name() == "tile")
        .collect();
    assert_eq!(tiles.len(), 6);
    assert!(tiles.iter().any(|r| r.path == "big/1/f0_0.jpg"));
    assert!(tiles.iter().any(|r| r.path == "big/1/d0_0.jpg"));
    // A base tile arriving before the preview waits with the scene.
    assert_eq!(v.loaded(tiles[0].id), Delivery::Wait);
    let Delivery::Enter(e) = v.loaded(reqs[0].id) else {
        panic!("the preview lets the scene enter");
    };
    let setup = e.tiles.expect("a tiled scene sets up a tile cache");
    assert_eq!(setup.side, 512);
    // A 1000×1000 view is about four 512² tiles: the 6 base tiles and 8 × 4 slots (the 64 MiB
    // budget alone would allow 64).
    assert_eq!(setup.slots, 6 + 8 * 4);
    assert_eq!(e.resources.len(), 2, "the preview and the early tile");
    // The other base tiles arrive while the scene is on screen.
    for r in &tiles[1..] {
        assert_eq!(v.loaded(r.id), Delivery::Show);
    }
    v.refresh_tiles();
    assert_eq!(
        v.tile_draws().len(),
        1,
        "the front base tile is what a 90° view sees"
    );
    // A 90° view 1000 px tall needs level 2 (1024 px faces, 500 px per radian on screen): the
    // 2×2 front tiles.
    let reqs = v.take_requests();
    let mut paths: Vec<&str> = reqs.iter().map(|r| r.path.as_str()).collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "big/2/f0_0.jpg",
            "big/2/f0_1.jpg",
            "big/2/f1_0.jpg",
            "big/2/f1_1.jpg"
        ],
        "only the front face is visible"
    );
    for r in &reqs {
        assert_eq!(v.loaded(r.id), Delivery::Show);
    }
    v.refresh_tiles();
    let draws = v.tile_draws();
    assert_eq!(
        draws.len(),
        1 + 4,
        "coarse levels under the fine ones: {draws:?}"
    );
    assert!(draws
        .windows(2)
        .all(|w| w[0].rect[2] - w[0].rect[0] >= w[1].rect[2] - w[1].rect[0]));
    // Zooming in asks for finer tiles; going elsewhere cancels them.
    v.input(Input::Wheel { delta: -450.0 }, 0.0);
    v.refresh_tiles();
    let finer = v.take_requests();
    assert!(
        finer.iter().any(|r| r.path.starts_with("big/3/")),
        "{finer:?}"
    );
    v.go("flat", None).unwrap();
    let cancelled = v.take_cancelled();
    for r in &finer {
        assert!(cancelled.contains(&r.id));
        assert_eq!(v.loaded(r.id), Delivery::Stale);
    }
}

#[test]
fn a_six_face_cube_waits_for_its_faces_and_a_missing_face_is_reported() {
    let tour = Tour::from_json(TILED.as_bytes(), "tour.json").unwrap();
    let mut v = Visit::new(tour, 800.0, 600.0);
    v.start(Some("cube"), None).unwrap();
    let reqs = v.take_requests();
    let paths: Vec<&str> = reqs.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(paths.len(), 6);
    for f in ["f.jpg", "r.jpg", "b.jpg", "l.jpg", "u.jpg", "d.jpg"] {
        assert!(paths.contains(&f));
    }
    assert_eq!(
        v.failed(reqs[0].id, "missing file \"f.jpg\""),
        Delivery::Wait
    );
    let mut last = Delivery::Wait;
    for r in &reqs[1..] {
        last = v.loaded(r.id);
    }
    let Delivery::Enter(e) = last else {
        panic!("the faces let the scene enter");
    };
    assert!(!e.failed);
    assert_eq!(e.tiles.map(|t| t.side), Some(0));
    assert_eq!(e.resources.len(), 5);
}

#[test]
fn a_small_tile_cache_evicts_the_least_recently_drawn_tiles_and_fetches_them_again() {
    let tour = Tour::from_json(TILED.as_bytes(), "tour.json").unwrap();
    let mut v = Visit::new(tour, 600.0, 600.0);
    // Room for the base and 8 more tiles only.
    v.set_tile_budget(1 << 20, 256);
    v.start(None, Some(View::new(0.0, 0.0).with_fov(80.0)))
        .unwrap();
    for r in v.take_requests() {
        v.loaded(r.id);
    }
    let fetch = |v: &mut Visit| -> Vec<Request> {
        v.refresh_tiles();
        let reqs = v.take_requests();
        for r in &reqs {
            assert_ne!(v.loaded(r.id), Delivery::Stale);
        }
        v.refresh_tiles();
        reqs
    };
    let front = fetch(&mut v);
    assert_eq!(
        front.len(),
        4,
        "the 2×2 front tiles of the level the view needs"
    );
    let front_slots: Vec<u32> = front.iter().filter_map(|r| r.resource.slot()).collect();
    assert!(
        front_slots.iter().all(|s| *s >= 6),
        "the base keeps slots 0..6"
    );
    // Behind: the back tiles need the slots the front ones hold (6 base + 8).
    v.go("big", Some(View::new(180.0, 0.0).with_fov(80.0)))
        .unwrap();
    settle(&mut v);
    let back = fetch(&mut v);
    assert_eq!(back.len(), 4);
    assert!(back.iter().all(|r| r.path.contains("/b")), "{back:?}");
    let draws = v.tile_draws().to_vec();
    assert!(
        draws.iter().all(|d| d.face == 2),
        "only the back face is drawn: {draws:?}"
    );
    // Turn right, then front again: the front tiles were evicted for those and come back.
    v.go("big", Some(View::new(90.0, 0.0).with_fov(80.0)))
        .unwrap();
    settle(&mut v);
    let right = fetch(&mut v);
    assert_eq!(right.len(), 4);
    let reused: Vec<u32> = right.iter().filter_map(|r| r.resource.slot()).collect();
    assert!(
        reused.iter().any(|s| front_slots.contains(s)),
        "the least recently drawn (front) slots are reused: {reused:?} vs {front_slots:?}"
    );
    v.go("big", Some(View::new(0.0, 0.0).with_fov(80.0)))
        .unwrap();
    settle(&mut v);
    let again = fetch(&mut v);
    assert!(!again.is_empty(), "evicted tiles are fetched again");
    assert!(again.iter().all(|r| r.path.contains("/f")), "{again:?}");
    let draws = v.tile_draws();
    assert_eq!(draws.iter().filter(|d| d.face == 0).count(), 1 + 4);
}

/// Runs the visit's clock on until the camera rests (a flight ends).
fn settle(v: &mut Visit) {
    let t0 = v.time();
    for i in 1..=100 {
        v.update(t0 + i as f64 * 0.05);
        if !v.animating() {
            return;
        }
    }
    panic!("the view never came to rest");
}

/// A tour whose object lists derivatives (as `disan optimize` writes them).
fn derivative_visit(width: f32, height: f32) -> Visit {
    let tour = Tour::from_json(
        br#"{"version": 1, "scenes": [
          {"id": "bia", "kind": "panorama", "image": "bia.jpg"},
          {"id": "scan", "kind": "object", "model": "scan.glb", "derivatives": [
            {"quality": "thumb", "model": "d/scan-thumb.glb", "triangles": 6000, "vertices": 3000, "texture": 256, "gpu_bytes": 600000},
            {"quality": "low", "model": "d/scan-low.glb", "triangles": 150000, "vertices": 75000, "texture": 1024, "gpu_bytes": 13000000},
            {"quality": "medium", "model": "d/scan-medium.glb", "triangles": 500000, "vertices": 250000, "texture": 2048, "gpu_bytes": 47000000},
            {"quality": "high", "model": "d/scan-high.glb", "triangles": 1500000, "vertices": 750000, "texture": 8192, "gpu_bytes": 420000000}
          ]}]}"#,
        "tour.json",
    )
    .unwrap();
    Visit::new(tour, width, height)
}

#[test]
fn an_object_with_derivatives_opens_with_the_thumb_then_swaps_in_what_the_device_allows() {
    let mut v = derivative_visit(1280.0, 720.0);
    v.set_device_limits(crate::derivatives::DeviceLimits {
        max_texture: 4096,
        gpu_budget: 256 << 20,
    });
    v.go("scan", None).unwrap();
    let r = v.take_requests();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].path, "d/scan-thumb.glb");
    let (m, b) = cube();
    assert!(matches!(v.model_loaded(r[0].id, m, b), Delivery::Enter(_)));
    assert_eq!(
        v.detail().unwrap().shown.quality,
        crate::derivatives::Quality::Thumb
    );
    // The finer level is asked for once the thumb shows, and only once.
    v.refresh_detail();
    v.refresh_detail();
    let r = v.take_requests();
    assert_eq!(r.len(), 1, "{r:?}");
    // High has an 8192 texture: over the limit. Medium fits 256 MB and the view.
    assert_eq!(r[0].path, "d/scan-medium.glb");
    assert_eq!(v.requested(r[0].id), Some(Resource::Model));
    let camera_before = v.projection().view;
    let (m, b) = cube();
    assert_eq!(v.model_loaded(r[0].id, m, b), Delivery::Swap);
    assert_eq!(
        v.detail().unwrap().shown.quality,
        crate::derivatives::Quality::Medium
    );
    assert_eq!(
        v.projection().view,
        camera_before,
        "a swap does not move the camera"
    );
    v.refresh_detail();
    assert!(v.take_requests().is_empty(), "nothing finer fits");
    let status = v.detail().unwrap();
    assert_eq!(status.shown.model, "d/scan-medium.glb");
    assert!(status.loading.is_none());
}

#[test]
fn a_finer_level_being_fetched_is_cancelled_when_the_visitor_leaves() {
    let mut v = derivative_visit(1280.0, 720.0);
    v.go("scan", None).unwrap();
    fulfil(&mut v);
    v.refresh_detail();
    let r = v.take_requests();
    assert_eq!(r.len(), 1);
    v.go("bia", None).unwrap();
    assert!(v.take_cancelled().contains(&r[0].id));
    assert_eq!(v.model_loaded(r[0].id, cube().0, cube().1), Delivery::Stale);
}

#[test]
fn a_tiny_budget_refuses_every_derivative_with_a_clear_error() {
    let mut v = derivative_visit(400.0, 400.0);
    v.set_device_limits(crate::derivatives::DeviceLimits {
        max_texture: 128,
        gpu_budget: 1 << 30,
    });
    v.go("scan", None).unwrap();
    // The scene names a master model too: it is shown instead.
    let r = v.take_requests();
    assert_eq!(r[0].path, "scan.glb");
    let mut tour = v.tour().clone();
    if let Content::Object(o) = &mut tour.scenes[1].content {
        o.model = None;
    }
    let mut v = Visit::new(tour, 400.0, 400.0);
    v.set_device_limits(crate::derivatives::DeviceLimits {
        max_texture: 128,
        gpu_budget: 1 << 30,
    });
    v.go("scan", None).unwrap();
    let e = v.take_entry().expect("entered with its error");
    assert!(e.failed);
    let err = v.scene_error().unwrap();
    assert_eq!(
        err,
        "Không mở được hiện vật này: tệp quá lớn cho thiết bị này."
    );
    let detail = v.scene_error_detail().unwrap();
    assert!(detail.contains("none of its derivatives fits"), "{detail}");
}

#[test]
fn zooming_in_on_a_small_view_asks_for_a_finer_level() {
    // A small view opens with the low level; zooming in asks for more.
    let mut v = derivative_visit(500.0, 500.0);
    v.go("scan", None).unwrap();
    fulfil(&mut v);
    v.refresh_detail();
    let r = v.take_requests();
    assert_eq!(
        r[0].path, "d/scan-low.glb",
        "500×500 px: 125 000 px covered"
    );
    let (m, b) = cube();
    assert_eq!(v.model_loaded(r[0].id, m, b), Delivery::Swap);
    v.refresh_detail();
    assert!(v.take_requests().is_empty());
    for _ in 0..40 {
        v.input(Input::Wheel { delta: -60.0 }, 0.0);
    }
    v.update(10.0);
    v.refresh_detail();
    let r = v.take_requests();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].path, "d/scan-medium.glb");
}

#[test]
fn a_click_gives_where_a_hotspot_would_sit_and_the_marker_lands_there() {
    let mut v = visit();
    v.start(None, None).unwrap();
    fulfil(&mut v);
    // The middle of a panorama view looks straight ahead; a point to its right has a yaw there.
    let Some(HotspotPlacement::Direction { yaw, pitch }) = v.point_at(Vec2::splat(200.0)) else {
        panic!("a direction")
    };
    assert!(yaw.abs() < 0.01 && pitch.abs() < 0.01, "{yaw} {pitch}");
    let Some(HotspotPlacement::Direction { yaw, pitch }) = v.point_at(Vec2::new(300.0, 120.0))
    else {
        panic!("a direction")
    };
    assert!(yaw > 10.0 && pitch > 10.0, "{yaw} {pitch}");
    // On the cube seen from +Z: the front face, its normal towards the eye; beside it, nothing.
    v.go("trong", None).unwrap();
    fulfil(&mut v);
    let Some(HotspotPlacement::Surface { position, normal }) = v.point_at(Vec2::new(220.0, 190.0))
    else {
        panic!("a surface point")
    };
    assert!((position[2] - 1.0).abs() < 1e-4, "{position:?}");
    assert_eq!(normal, Some([0.0, 0.0, 1.0]));
    assert_eq!(v.point_at(Vec2::new(5.0, 5.0)), None);
    // A hotspot placed there is drawn where it was clicked.
    let text = TOUR.replace(
        r#"{"id": "front", "kind": "info", "position": [0, 0, 1], "normal": [0, 0, 1]"#,
        &format!(
            r#"{{"id": "front", "kind": "info", "position": [{}, {}, {}], "normal": [0, 0, 1]"#,
            position[0], position[1], position[2]
        ),
    );
    let tour = Tour::from_json(text.as_bytes(), "tour.json").unwrap();
    assert!(
        v.replace_tour(tour).unwrap(),
        "the same model stays on screen"
    );
    let at = position_of(&v, 0);
    assert!((at - Vec2::new(220.0, 190.0)).length() < 2.0, "{at}");
}

#[test]
fn an_edited_tour_replaces_the_one_on_screen_without_reloading_what_is_the_same() {
    let mut v = visit();
    v.start(None, None).unwrap();
    fulfil(&mut v);
    v.set_view(
        &View {
            yaw: 40.0,
            pitch: 5.0,
            fov: Some(60.0),
            distance: None,
            target: None,
        },
        false,
    );
    v.take_events();
    // A new hotspot, a new title and a moved scene: the panorama stays, at its view.
    let text = TOUR
        .replace(r#""title": "Hậu cung","#, r#""title": "Hậu cung mới","#)
        .replace(
            r#"{"id": "to-hall", "kind": "link", "yaw": -30, "pitch": 0, "target": "hau", "label": "Hậu cung"}"#,
            r#"{"id": "to-hall", "kind": "link", "yaw": -30, "pitch": 0, "target": "hau", "label": "Hậu cung"},
               {"kind": "link", "yaw": 45, "pitch": 2, "target": "hau", "label": "Mới"}"#,
        );
    let tour = Tour::from_json(text.as_bytes(), "tour.json").unwrap();
    assert!(v.replace_tour(tour).unwrap());
    assert!(v.take_requests().is_empty(), "nothing fetched again");
    assert_eq!(v.hotspots().len(), 4);
    assert!((v.view().unwrap().yaw - 40.0).abs() < 0.01);
    // Another picture: the scene is entered again, at the view it had.
    let text = TOUR.replace(r#""image": "san.jpg""#, r#""image": "san-2.jpg""#);
    let tour = Tour::from_json(text.as_bytes(), "tour.json").unwrap();
    assert!(!v.replace_tour(tour).unwrap());
    let r = v.take_requests();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].path, "san-2.jpg");
    v.loaded(r[0].id);
    assert_eq!(v.current(), Some("san"));
    assert!((v.view().unwrap().yaw - 40.0).abs() < 0.01);
    // The scene gone: the start of the new tour.
    let text = TOUR
        .replace(r#""start_scene": "san","#, r#""start_scene": "hau","#)
        .replace(r#""id": "san""#, r#""id": "san-x""#);
    let tour = Tour::from_json(text.as_bytes(), "tour.json").unwrap();
    assert!(!v.replace_tour(tour).unwrap());
    fulfil(&mut v);
    assert_eq!(v.current(), Some("hau"));
}

/// The ambient track is the scene on screen's: none before it shows, the next scene's after a
/// link, none in a scene without one, none while the visitor's sound control is off.
#[test]
fn the_ambient_track_follows_the_scene_on_screen_and_the_sound_control() {
    let tour = Tour::from_json(
        br#"{"version": 1, "scenes": [
          {"id": "a", "kind": "panorama", "image": "a.jpg", "ambient": {"src": "audio/chuong.mp3", "volume": 0.8}},
          {"id": "b", "kind": "panorama", "image": "b.jpg", "ambient": {"src": "audio/cho.ogg"}},
          {"id": "c", "kind": "panorama", "image": "c.jpg"}
        ]}"#,
        "tour.json",
    )
    .unwrap();
    let mut v = Visit::new(tour, 400.0, 400.0);
    v.start(None, None).unwrap();
    assert_eq!(v.ambient(), None, "the scene is not on screen yet");
    fulfil(&mut v);
    assert_eq!(
        v.ambient(),
        Some(AmbientSound {
            src: "audio/chuong.mp3".into(),
            volume: 0.8
        })
    );
    v.go("b", None).unwrap();
    fulfil(&mut v);
    settle(&mut v);
    assert_eq!(
        v.ambient().map(|a| (a.src, a.volume)),
        Some(("audio/cho.ogg".into(), 0.5))
    );
    v.apply(Command::SetSound { on: false }).unwrap();
    assert!(!v.sound_on());
    assert_eq!(v.ambient(), None, "muted");
    v.apply(Command::SetSound { on: true }).unwrap();
    assert!(v.ambient().is_some());
    v.go("c", None).unwrap();
    fulfil(&mut v);
    settle(&mut v);
    assert_eq!(v.ambient(), None, "a scene without a track is silent");
}

/// A record's recordings reach its card: kind from the extension, captions in the visit's
/// language first and shown, caption and credit joined, the transcript in the language.
#[test]
fn a_records_recordings_are_on_its_card_in_the_language() {
    let mut catalog: Vec<crate::model::CatalogEntry> = serde_json::from_str(
        r#"[{"id": "chieng", "title": {"vi": "Cồng chiêng", "en": "Gongs"},
             "media": [
               {"src": "video/le-hoi.mp4", "poster": "video/le-hoi.jpg",
                "caption": {"vi": "Lễ hội", "en": "The festival"}, "credit": "Bảo tàng",
                "captions": {"en": "video/le-hoi.en.vtt", "vi": "video/le-hoi.vi.vtt"},
                "transcript": {"vi": "Tiếng chiêng", "en": "Gongs sound"}},
               {"src": "audio/bai-hat.MP3"}
             ]}]"#,
    )
    .unwrap();
    let e = catalog.remove(0);
    let card = Card::of(&e, "en");
    assert_eq!(card.media.len(), 2);
    let v = &card.media[0];
    assert_eq!(v.kind, crate::model::MediaKind::Video);
    assert_eq!(v.caption, "The festival — Bảo tàng");
    assert_eq!(v.transcript, "Gongs sound");
    assert_eq!(v.poster.as_deref(), Some("video/le-hoi.jpg"));
    let langs: Vec<(&str, bool)> = v
        .captions
        .iter()
        .map(|c| (c.lang.as_str(), c.default))
        .collect();
    assert_eq!(langs, [("en", true), ("vi", false)]);
    let vi = Card::of(&e, "vi");
    assert_eq!(vi.media[0].captions[0].lang, "vi");
    assert_eq!(vi.media[0].transcript, "Tiếng chiêng");
    assert_eq!(card.media[1].kind, crate::model::MediaKind::Audio);
    assert!(card.media[1].captions.is_empty() && card.media[1].caption.is_empty());
}

/// A hotspot's sound is heard from its side: to the right when it is to the right of the view,
/// ahead once the view turns to it; on an object, ahead and nearer as the camera comes closer.
/// Muted, there is none.
#[test]
fn a_hotspots_sound_is_heard_from_where_it_sits() {
    let tour = Tour::from_json(
        br#"{"version": 1, "scenes": [
          {"id": "a", "kind": "panorama", "image": "a.jpg", "view": {"yaw": 0, "pitch": 0, "fov": 90},
           "hotspots": [
             {"kind": "link", "yaw": 90, "pitch": 0, "target": "o", "label": "Gong",
              "sound": {"src": "gong.mp3", "volume": 0.9}},
             {"kind": "link", "yaw": 0, "pitch": 0, "target": "o", "label": "Quiet"}]},
          {"id": "o", "kind": "object", "model": "m.glb", "orbit": {"yaw": 0, "pitch": 0, "distance": 6},
           "hotspots": [{"kind": "link", "position": [0, 0, 1], "normal": [0, 0, 1], "target": "a",
             "label": "Bell", "sound": {"src": "bell.ogg"}}]}
        ]}"#,
        "tour.json",
    )
    .unwrap();
    let mut v = Visit::new(tour, 400.0, 400.0);
    v.start(None, None).unwrap();
    fulfil(&mut v);
    let s = v.placed_sounds();
    assert_eq!(s.len(), 1, "only the hotspot with a sound");
    assert_eq!(
        (s[0].hotspot, s[0].src.as_str(), s[0].volume),
        (0, "gong.mp3", 0.9)
    );
    let [x, y, z] = s[0].position;
    assert!(
        x > 0.99 && y.abs() < 0.01 && z.abs() < 0.01,
        "not to the right: {:?}",
        s[0].position
    );
    v.set_view(&View::new(90.0, 0.0), false);
    let [x, _, z] = v.placed_sounds()[0].position;
    assert!(
        x.abs() < 0.01 && z < -0.99,
        "not ahead once faced: {:?}",
        (x, z)
    );
    v.apply(Command::SetSound { on: false }).unwrap();
    assert!(v.placed_sounds().is_empty(), "muted");
    v.apply(Command::SetSound { on: true }).unwrap();
    v.go("o", None).unwrap();
    fulfil(&mut v);
    settle(&mut v);
    let far = v.placed_sounds()[0].position;
    assert!(
        far[2] < 0.0 && far[0].abs() < 0.01,
        "the bell is not ahead: {far:?}"
    );
    let distance = |p: [f32; 3]| glam::Vec3::from(p).length();
    v.set_view(
        &View {
            distance: Some(3.0),
            ..View::new(0.0, 0.0)
        },
        false,
    );
    let near = v.placed_sounds()[0].position;
    assert!(
        distance(near) < distance(far),
        "not nearer: {near:?} against {far:?}"
    );
}
