//! Measuring a relic: the corpus Box (a unit cube in metres) measured through the visit core's
//! picking, from two opposite sides, gives its known size to 0.1 %; a scene's `metres_per_unit`
//! scales the reading; measuring is off on a kiosk that does not offer it.

mod common;

use disan_assets::model::load_and_decode;
use disan_tour::model::View;
use disan_tour::visit::{Resource, Visit};
use disan_tour::Tour;
use glam::Vec2;

fn visit_of_box(extra: &str) -> Option<Visit> {
    let corpus = common::corpus()?;
    let dir = corpus.join("gltf/Box/glTF");
    let (model, _) = load_and_decode(
        &std::fs::read(dir.join("Box.gltf")).expect("read Box.gltf"),
        "Box.gltf",
        &common::reader(&dir.join("Box.gltf")),
    )
    .expect("load the box");
    let json = format!(
        r#"{{"version":1,"scenes":[{{"id":"box","kind":"object","model":"Box.gltf"{extra}}}]}}"#
    );
    let tour = Tour::from_json(json.as_bytes(), "tour.json").expect("tour");
    let mut v = Visit::new(tour, 400.0, 400.0);
    v.start(None, None).expect("start");
    let mut clock = 0.0;
    for _ in 0..40 {
        for r in v.take_requests() {
            if r.resource == Resource::Model {
                v.model_loaded(r.id, model.triangle_mesh(), model.bounds);
            } else {
                v.loaded(r.id);
            }
        }
        v.take_entry();
        clock += 0.1;
        v.update(clock);
        v.frame_drawn(false);
    }
    Some(v)
}

fn look(v: &mut Visit, yaw: f32) {
    v.set_view(
        &View {
            yaw,
            pitch: 0.0,
            ..View::default()
        },
        false,
    );
}

#[test]
fn a_measurement_across_the_corpus_box_reads_its_size() {
    let Some(mut v) = visit_of_box("") else {
        return;
    };
    assert!(v.inspectable());
    assert!(v.set_measuring(true));
    let centre = Vec2::new(200.0, 200.0);
    look(&mut v, 0.0);
    let a = v.measure_at(centre).expect("the first click hits the box");
    look(&mut v, 180.0);
    let b = v.measure_at(centre).expect("the second click hits the box");
    let (list, pending) = v.measurements();
    assert_eq!(pending, None);
    assert_eq!(list.len(), 1, "{a} {b}");
    let size = list[0].metres;
    eprintln!("the box measures {size} m ({a} to {b})");
    assert!(
        (size - 1.0).abs() < 1e-3,
        "the box measures {size} m, not 1 m ({a} to {b})"
    );
    // A click beside the model picks nothing.
    assert_eq!(v.measure_at(Vec2::new(2.0, 2.0)), None);
    assert!(v.remove_measurement(0));
    assert!(v.measurements().0.is_empty());
}

#[test]
fn the_scene_scale_and_the_kiosk_setting_are_honoured() {
    let Some(mut v) = visit_of_box(r#","metres_per_unit":0.01"#) else {
        return;
    };
    v.set_measuring(true);
    look(&mut v, 90.0);
    v.measure_at(Vec2::new(200.0, 200.0)).expect("hit");
    look(&mut v, -90.0);
    v.measure_at(Vec2::new(200.0, 200.0)).expect("hit");
    let size = v.measurements().0[0].metres;
    assert!((size - 0.01).abs() < 1e-5, "{size}");
    // A kiosk without `inspection` offers no tools.
    v.set_kiosk(Some(disan_tour::model::Kiosk::default()));
    assert!(!v.inspectable());
    assert!(!v.set_measuring(true));
    assert_eq!(v.measure_at(Vec2::new(200.0, 200.0)), None);
    v.set_kiosk(Some(disan_tour::model::Kiosk {
        inspection: true,
        ..Default::default()
    }));
    assert!(v.inspectable());
}

#[test]
fn clicks_measure_and_drags_move_the_light_through_the_visit_input() {
    use disan_tour::input::{Input, PointerButton};
    let Some(mut v) = visit_of_box("") else {
        return;
    };
    let c = Vec2::new(200.0, 200.0);
    let click = |v: &mut Visit, at: Vec2, t: f64| {
        v.input(
            Input::PointerDown {
                id: 1,
                pos: at,
                button: PointerButton::Primary,
            },
            t,
        );
        v.input(Input::PointerUp { id: 1, pos: at }, t + 0.05);
    };
    v.set_measuring(true);
    click(&mut v, c, 1.0);
    click(&mut v, c + Vec2::new(60.0, 0.0), 2.0);
    let (list, _) = v.measurements();
    assert_eq!(list.len(), 1, "two clicks make one measurement");
    assert!(list[0].metres > 0.05, "{:?}", list[0]);
    v.set_measuring(false);
    // Drags move the raking light, not the camera.
    assert!(v.set_light_drag(true));
    let before = (v.view(), v.inspection().raking.expect("the light is on"));
    v.input(
        Input::PointerDown {
            id: 2,
            pos: c,
            button: PointerButton::Primary,
        },
        3.0,
    );
    v.input(
        Input::PointerMove {
            id: 2,
            pos: c + Vec2::new(100.0, -40.0),
        },
        3.1,
    );
    v.input(
        Input::PointerUp {
            id: 2,
            pos: c + Vec2::new(100.0, -40.0),
        },
        3.2,
    );
    let after = (v.view(), v.inspection().raking.expect("the light is on"));
    assert_eq!(before.0, after.0, "the camera did not move");
    assert!(
        (after.1.azimuth - before.1.azimuth).abs() > 10.0,
        "{before:?} {after:?}"
    );
    assert!(
        after.1.elevation > before.1.elevation,
        "dragging up raises the light"
    );
    assert!(v.inspect_frame().light.is_some());
}
