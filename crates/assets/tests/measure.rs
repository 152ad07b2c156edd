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
