//! Tests of guided tours, auto-rotation, kiosk mode and the soak of the visit core, with a
//! simulated clock (the shell's part is played by the test).

use super::*;
use crate::input::{Camera, Input, PointerButton};
use glam::Vec3;

/// The visit-core test tour with a guided tour and a kiosk section.
pub(super) fn guided_visit() -> Visit {
    let mut tour: serde_json::Value = serde_json::from_str(super::tests::TOUR).unwrap();
    tour["tours"] = serde_json::json!([{
    "id": "guided", "title": {"vi": "Tham quan", "en": "Guided visit"},
    "steps": [
        {"scene": "san", "view": {"yaw": 10, "pitch": 0, "fov": 80}, "duration": 3,
         "narration": {"vi": "Sân đình", "en": "The courtyard"}},
        {"scene": "san", "view": {"yaw": 30, "pitch": 5, "fov": 40}, "hotspot": "stele", "duration": 2,
         "narration": {"vi": "Bia đá", "en": "The stele"}, "audio": {"vi": "a/vi.mp3", "en": "a/en.mp3"},
         "captions": {"en": "a/en.vtt"}},
        {"scene": "trong", "view": {"yaw": 45, "pitch": 10, "distance": 5}, "duration": 2},
        {"scene": "trong", "view": {"yaw": 180, "pitch": 20, "distance": 5}, "duration": 2},
        {"scene": "hau", "narration": {"vi": "Hậu cung", "en": "The sanctuary"}}
    ]}]);
    tour["kiosk"] =
        serde_json::json!({"idle_seconds": 60, "attract": "guided", "scene_seconds": 5});
    let tour = Tour::from_json(tour.to_string().as_bytes(), "tour.json").unwrap();
    Visit::new(tour, 400.0, 400.0)
}

/// The shell: delivers every request (models as the unit cube) and runs the clock by `dt`.
fn tick(v: &mut Visit, clock: &mut f64, dt: f64) -> Vec<Event> {
    *clock += dt;
    for r in v.take_requests() {
        match r.resource {
            Resource::Model => {
                let b = Bounds {
                    min: Vec3::splat(-1.0),
                    max: Vec3::splat(1.0),
                };
                v.model_loaded(r.id, crate::picking::cube(), b);
            }
            _ => {
                v.loaded(r.id);
            }
        }
    }
    v.take_cancelled();
    v.take_entry();
    v.update(*clock);
    v.frame_drawn(false);
    v.take_events()
}

fn run(v: &mut Visit, clock: &mut f64, seconds: f64) -> Vec<Event> {
    let mut out = Vec::new();
    let end = *clock + seconds;
    while *clock < end {
        out.extend(tick(v, clock, 0.05));
    }
    out
}

fn pano_view(v: &Visit) -> (f32, f32, f32) {
    match v.camera() {
        Some(Camera::Pano(c)) => (c.yaw, c.pitch, c.fov),
        other => panic!("not a panorama: {other:?}"),
    }
}

#[test]
fn a_guided_tour_plays_every_step_in_order_across_scenes_and_opens_the_card() {
    let mut v = guided_visit();
    let mut clock = 0.0;
    v.start(None, None).unwrap();
    run(&mut v, &mut clock, 0.5);
    assert_eq!(
        v.guided_tours(),
        vec![("guided".into(), "Tham quan".into())]
    );
    v.play("guided", 0).unwrap();
    let events = run(&mut v, &mut clock, 30.0);
    let steps: Vec<usize> = events
        .iter()
        .filter_map(|e| match e {
            Event::TourStep { step, count: 5, .. } => Some(*step),
            _ => None,
        })
        .collect();
    assert_eq!(steps, vec![0, 1, 2, 3, 4], "{events:?}");
    let scenes: Vec<&str> = events
        .iter()
        .filter_map(|e| match e {
            Event::SceneChanged { scene } => Some(scene.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(scenes, vec!["trong", "hau"]);
    // The stele's card opened during step 2 and closed when step 3 began.
    let at = |f: &dyn Fn(&Event) -> bool| events.iter().position(f).unwrap();
    let card = at(&|e| matches!(e, Event::CardOpened { entry } if entry == "bia"));
    let step1 = at(&|e| matches!(e, Event::TourStep { step: 1, .. }));
    let step2 = at(&|e| matches!(e, Event::TourStep { step: 2, .. }));
    assert!(step1 < card && card < step2, "{events:?}");
    assert!(events[card..].contains(&Event::CardClosed));
    // The last step waits for the visitor: no end after 30 s; next ends the tour.
    assert!(!events.iter().any(|e| matches!(e, Event::TourEnd { .. })));
    let g = v.guide().unwrap();
    assert_eq!(
        (g.step, g.duration, g.narration.as_str()),
        (4, None, "Hậu cung")
    );
    assert_eq!(v.current(), Some("hau"));
    v.next_step();
    assert_eq!(
        v.take_events(),
        vec![Event::TourEnd {
            tour: "guided".into(),
            completed: true
        }]
    );
    assert!(v.guide().is_none());
}

#[test]
fn steps_fly_to_their_view_and_the_player_reads_the_visit_language() {
    let mut v = guided_visit();
    let mut clock = 0.0;
    v.start(None, None).unwrap();
    run(&mut v, &mut clock, 0.5);
    v.set_language("en");
    v.open_step("guided", 1, false).unwrap();
    // Flying (eased), then exactly at the step's view.
    tick(&mut v, &mut clock, 0.05);
    assert!(v.animating());
    run(&mut v, &mut clock, 3.0);
    let (yaw, pitch, fov) = pano_view(&v);
    assert!((yaw - 30.0).abs() < 1e-3 && (pitch - 5.0).abs() < 1e-3 && (fov - 40.0).abs() < 1e-3);
    let g = v.guide().unwrap();
    assert!(!g.playing, "opened paused");
    assert_eq!(g.narration, "The stele");
    assert_eq!(g.audio.as_deref(), Some("a/en.mp3"));
    assert_eq!(g.captions.as_deref(), Some("a/en.vtt"));
    assert_eq!(
        g.steps[0].title, "Courtyard",
        "an untitled step shows its scene's title"
    );
    // Paused: the step stays however long it waits.
    run(&mut v, &mut clock, 10.0);
    assert_eq!(v.guide().unwrap().step, 1);
    // Objects: the orbit flies too.
    v.goto_step(3).unwrap();
    run(&mut v, &mut clock, 4.0);
    match v.camera() {
        Some(Camera::Orbit(c)) => {
            assert!((c.yaw.abs() - 180.0).abs() < 1e-3 && (c.pitch - 20.0).abs() < 1e-3);
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        v.open_step("guided", 9, true),
        Err(VisitError::NoStep {
            step: 10,
            count: 5,
            ..
        })
    ));
    assert!(matches!(v.play("nope", 0), Err(VisitError::UnknownTour(_))));
}

#[test]
fn looking_around_pauses_the_step_and_resume_returns_to_its_view() {
    let mut v = guided_visit();
    let mut clock = 0.0;
    v.start(None, None).unwrap();
    run(&mut v, &mut clock, 0.5);
    v.play("guided", 0).unwrap();
    run(&mut v, &mut clock, 1.0);
    // The visitor drags the view away.
    let down = Input::PointerDown {
        id: 1,
        pos: Vec2::new(200.0, 200.0),
        button: PointerButton::Primary,
    };
    v.input(down, clock);
    v.input(
        Input::PointerMove {
            id: 1,
            pos: Vec2::new(100.0, 200.0),
        },
        clock + 0.1,
    );
    v.input(
        Input::PointerUp {
            id: 1,
            pos: Vec2::new(100.0, 200.0),
        },
        clock + 0.5,
    );
    let events = run(&mut v, &mut clock, 10.0);
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::TourPaused { step: 0, .. })));
    let g = v.guide().unwrap();
    assert!(!g.playing && g.away && g.step == 0, "{g:?}");
    assert!((pano_view(&v).0 - 10.0).abs() > 5.0, "the view moved away");
    v.resume();
    run(&mut v, &mut clock, 1.5);
    assert!(
        (pano_view(&v).0 - 10.0).abs() < 1e-3,
        "back at the step's view"
    );
    let events = run(&mut v, &mut clock, 3.0);
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::TourStep { step: 1, .. })));
    v.exit_tour();
    assert!(v.take_events().contains(&Event::TourEnd {
        tour: "guided".into(),
        completed: false
    }));
}

#[test]
fn autorotation_turns_after_its_delay_stops_on_input_and_draws_nothing_when_off() {
    let mut v = visit_started();
    let mut clock = 1.0;
    run(&mut v, &mut clock, 1.0);
    assert!(!v.update(clock), "at rest: no frame");
    v.set_autorotate(Some(10.0), 2.0);
    v.touch();
    let yaw0 = pano_view(&v).0;
    assert!(
        (v.wake_in().unwrap() - 0.0).abs() < 1e-9,
        "a frame for the change"
    );
    tick(&mut v, &mut clock, 0.05);
    let wake = v.wake_in().unwrap();
    assert!(
        wake > 1.5 && wake <= 2.0,
        "wakes when the delay is over: {wake}"
    );
    run(&mut v, &mut clock, 1.5);
    assert!(
        (pano_view(&v).0 - yaw0).abs() < 1e-6,
        "still within the delay"
    );
    run(&mut v, &mut clock, 2.0);
    let turned = pano_view(&v).0 - yaw0;
    assert!(turned > 5.0 && turned < 25.0, "{turned}");
    assert!(v.update(clock + 0.05), "rotating: frames");
    // A touch stops it for the delay.
    v.input(Input::Wheel { delta: 10.0 }, clock + 0.05);
    clock += 0.05;
    let yaw1 = pano_view(&v).0;
    run(&mut v, &mut clock, 1.0);
    assert!((pano_view(&v).0 - yaw1).abs() < 1e-6);
    // Off: nothing to draw, nothing to wake for.
    v.set_autorotate(None, 0.0);
    tick(&mut v, &mut clock, 0.05);
    assert!(!v.update(clock + 0.05));
    assert_eq!(v.wake_in(), None);
}

fn visit_started() -> Visit {
    let mut v = guided_visit();
    v.set_kiosk(None);
    v.start(None, None).unwrap();
    v
}

#[test]
fn a_kiosk_returns_to_its_start_when_idle_and_plays_its_attract_loop_until_touched() {
    let mut v = guided_visit();
    let kiosk = v.tour().kiosk.clone();
    v.set_kiosk(kiosk);
    let mut clock = 0.0;
    v.start(None, None).unwrap();
    run(&mut v, &mut clock, 1.0);
    // A visitor goes to the drum, opens a card and switches the language, then leaves.
    v.go("trong", None).unwrap();
    run(&mut v, &mut clock, 1.0);
    v.open_card("bia");
    v.set_language("en");
    v.touch();
    tick(&mut v, &mut clock, 0.05);
    let wake = v.wake_in().unwrap();
    assert!(wake > 55.0 && wake <= 60.0, "{wake}");
    let events = run(&mut v, &mut clock, 61.0);
    assert!(
        events.contains(&Event::Attract { running: true }),
        "{events:?}"
    );
    assert!(v.attracting());
    assert_eq!(v.language(), "vi", "back to the kiosk's language");
    assert!(v.card().is_none());
    // The attract loop plays the guided tour round and round.
    let events = run(&mut v, &mut clock, 40.0);
    let steps: Vec<usize> = events
        .iter()
        .filter_map(|e| match e {
            Event::TourStep { step, .. } => Some(*step),
            _ => None,
        })
        .collect();
    assert!(steps.windows(2).any(|w| w == [4, 0]), "loops: {steps:?}");
    assert!(v.guide().unwrap().attract);
    // The first touch stops it; the visitor has the kiosk.
    v.input(
        Input::PointerDown {
            id: 1,
            pos: Vec2::new(10.0, 10.0),
            button: PointerButton::Primary,
        },
        clock,
    );
    let events = run(&mut v, &mut clock, 1.0);
    assert!(events.contains(&Event::Attract { running: false }));
    assert!(!v.attracting() && v.guide().is_none());
}

#[test]
fn soak_ten_thousand_scene_changes_and_steps_keep_the_core_flat() {
    // A kiosk without an attract tour turns through the scenes; one with a tour plays it. Every
    // seventh model fails to load: it is skipped with a message, the loop goes on.
    for attract in [None, Some("guided")] {
        let mut v = guided_visit();
        let mut kiosk = v.tour().kiosk.clone().unwrap();
        kiosk.attract = attract.map(str::to_string);
        kiosk.scene_seconds = 0.5;
        kiosk.idle_seconds = 1.0;
        v.set_kiosk(Some(kiosk));
        v.start(None, None).unwrap();
        let mut clock = 0.0;
        let (mut changes, mut steps, mut errors, mut n) = (0usize, 0usize, 0usize, 0usize);
        let mut early = 0;
        let mut late = 0;
        let mut iterations = 0usize;
        while changes + steps < 10_000 {
            iterations += 1;
            clock += 0.05;
            for r in v.take_requests() {
                n += 1;
                if r.resource == Resource::Model && n % 7 == 0 {
                    v.failed(r.id, "drum.glb: truncated");
                } else if r.resource == Resource::Model {
                    let b = Bounds {
                        min: Vec3::splat(-1.0),
                        max: Vec3::splat(1.0),
                    };
                    v.model_loaded(r.id, crate::picking::cube(), b);
                } else {
                    v.loaded(r.id);
                }
            }
            v.take_cancelled();
            v.take_entry();
            v.update(clock);
            v.frame_drawn(false);
            let footprint = v.footprint();
            if iterations < 2_000 {
                early = early.max(footprint);
            } else {
                late = late.max(footprint);
            }
            for e in v.take_events() {
                match e {
                    Event::SceneChanged { .. } => changes += 1,
                    Event::TourStep { .. } => steps += 1,
                    Event::Error { .. } => errors += 1,
                    _ => {}
                }
            }
            assert!(
                iterations < 2_000_000,
                "the loop stalled at {changes} + {steps}"
            );
        }
        assert!(v.attracting(), "{attract:?}: still in its attract loop");
        assert!(
            errors > 100,
            "{attract:?}: failed models were reported ({errors})"
        );
        assert!(
            late <= early,
            "{attract:?}: the core grew: {early} then {late}"
        );
        assert!(early < 16, "{attract:?}: {early} things held at once");
    }
}

#[test]
fn hotspots_outside_the_view_get_edge_arrows_and_a_spoken_summary() {
    let mut v = visit_started();
    let mut clock = 0.0;
    run(&mut v, &mut clock, 0.5);
    assert!(
        v.edge_arrows().is_empty(),
        "all three hotspots are in the start view"
    );
    assert_eq!(v.offscreen_summary(), "");
    // Face the other way: the stele (yaw 30) is behind on the left, the hall (yaw -30) on the right.
    v.set_view(
        &View {
            yaw: 180.0,
            pitch: 0.0,
            fov: Some(90.0),
            ..View::default()
        },
        false,
    );
    let arrows = v.edge_arrows();
    assert_eq!(arrows.len(), 3, "{arrows:?}");
    let side = |i: usize| arrows.iter().find(|a| a.index == i).unwrap().side;
    assert_eq!((side(1), side(2)), ("left", "right"), "{arrows:?}");
    for a in &arrows {
        let p = a.position;
        assert!(
            p.x >= 29.0 && p.x <= 371.0 && p.y >= 29.0 && p.y <= 371.0,
            "inside the view: {a:?}"
        );
    }
    let left = arrows.iter().find(|a| a.index == 1).unwrap();
    assert!(left.angle.cos() < -0.9, "points left: {left:?}");
    let summary = v.offscreen_summary();
    assert!(
        summary.starts_with("Ngoài khung nhìn:") && summary.contains("Bia, bên trái"),
        "{summary}"
    );
    // Straight ahead of the hotspots' opposite, two of them lie the same way: their arrows
    // are spread along the edge, never drawn over each other.
    v.set_view(
        &View {
            yaw: 150.0,
            pitch: 0.0,
            fov: Some(60.0),
            ..View::default()
        },
        false,
    );
    let arrows = v.edge_arrows();
    assert_eq!(arrows.len(), 3, "{arrows:?}");
    for (i, a) in arrows.iter().enumerate() {
        for b in &arrows[i + 1..] {
            assert!(
                a.position.distance(b.position) >= crate::visit::EDGE_SPACING - 1.0,
                "arrows overlap: {a:?} {b:?}"
            );
        }
    }
    // Pressing the arrow turns the view towards the hotspot.
    assert!(v.look_at_hotspot(1));
    run(&mut v, &mut clock, 2.5);
    assert!((pano_view(&v).0 - 30.0).abs() < 1e-3);
    assert!(v.overlay()[1].visible);
    assert!(!v.edge_arrows().iter().any(|a| a.index == 1));
}

#[test]
fn the_compass_reads_the_bearing_from_the_scene_north() {
    let mut tour: serde_json::Value = serde_json::from_str(super::tests::TOUR).unwrap();
    tour["scenes"][0]["north_offset"] = serde_json::json!(-30);
    let tour = Tour::from_json(tour.to_string().as_bytes(), "tour.json").unwrap();
    let mut v = Visit::new(tour, 400.0, 400.0);
    let mut clock = 0.0;
    v.start(None, None).unwrap();
    run(&mut v, &mut clock, 0.5);
    // Looking at yaw 0 with north at yaw -30: the view faces 30° east of north.
    assert!((v.heading().unwrap() - 30.0).abs() < 1e-3);
    v.set_view(
        &View {
            yaw: -60.0,
            ..View::default()
        },
        false,
    );
    assert!((v.heading().unwrap() - 330.0).abs() < 1e-3);
    assert!(v.face_north());
    run(&mut v, &mut clock, 2.5);
    assert!(v.heading().unwrap().min(360.0 - v.heading().unwrap()) < 1e-3);
    v.go("trong", None).unwrap();
    run(&mut v, &mut clock, 1.0);
    assert_eq!(v.heading(), None, "objects have no compass");
}

#[test]
fn the_gyroscope_turns_the_view_as_the_phone_turns_and_pitch_follows_gravity() {
    // Held upright (beta 90): the horizon; tilted back 30° more: 30° up; turned left: yaw left.
    let (_, p) = device_view(0.0, 90.0, 0.0, 0.0);
    assert!(p.abs() < 1e-3, "{p}");
    let (_, p) = device_view(0.0, 120.0, 0.0, 0.0);
    assert!((p - 30.0).abs() < 1e-3, "{p}");
    let (y0, _) = device_view(0.0, 90.0, 0.0, 0.0);
    let (y1, _) = device_view(20.0, 90.0, 0.0, 0.0);
    assert!(
        (crate::camera::wrap_degrees(y1 - y0) + 20.0).abs() < 1e-3,
        "{y0} → {y1}"
    );
    // Flat on a table, screen up: looking straight down.
    assert!((device_view(0.0, 0.0, 0.0, 0.0).1 + 90.0).abs() < 1e-3);
    // Landscape (screen turned 90°), phone on its side and upright: still the horizon.
    let (_, p) = device_view(0.0, 0.0, -90.0, 90.0);
    assert!(p.abs() < 1e-2, "{p}");

    let mut v = visit_started();
    let mut clock = 0.0;
    run(&mut v, &mut clock, 0.5);
    v.device_orientation(0.0, 120.0, 0.0, 0.0);
    assert_eq!(
        pano_view(&v).0,
        0.0,
        "off by default: samples change nothing"
    );
    v.set_gyro(true);
    v.device_orientation(10.0, 90.0, 0.0, 0.0);
    let (yaw, pitch, _) = pano_view(&v);
    assert!(
        yaw.abs() < 1e-3 && pitch.abs() < 1e-3,
        "the first sample keeps the view"
    );
    v.device_orientation(40.0, 110.0, 0.0, 0.0);
    let (yaw, pitch, _) = pano_view(&v);
    assert!(
        (yaw + 30.0).abs() < 1e-2 && (pitch - 20.0).abs() < 1e-2,
        "{yaw} {pitch}"
    );
    assert!(v.update(clock + 0.05), "a frame for the new view");
    v.set_gyro(false);
    v.device_orientation(80.0, 90.0, 0.0, 0.0);
    assert!((pano_view(&v).0 + 30.0).abs() < 1e-2);
}

#[test]
fn a_kiosk_rotation_wakes_to_skip_a_scene_that_failed() {
    let mut v = guided_visit();
    let mut kiosk = v.tour().kiosk.clone().unwrap();
    kiosk.attract = None;
    kiosk.idle_seconds = 1.0;
    kiosk.scene_seconds = 30.0;
    v.set_kiosk(Some(kiosk));
    v.start(None, None).unwrap();
    let mut clock = 0.0;
    run(&mut v, &mut clock, 1.5);
    assert!(v.attracting());
    // The rotation moves on to the next scene after 30 s; that one fails to load.
    let mut failed = false;
    while !failed {
        clock += 0.5;
        for r in v.take_requests() {
            v.failed(r.id, "hau.jpg: truncated");
            failed = true;
        }
        v.update(clock);
        v.frame_drawn(false);
        assert!(clock < 40.0, "the rotation never moved on");
    }
    tick(&mut v, &mut clock, 0.05);
    assert!(v.scene_error().is_some());
    // A shell that sleeps until `wake_in` comes back within 2 s to skip it, not 30 s.
    let wake = v.wake_in().unwrap();
    assert!(wake <= 2.0, "{wake}");
}

#[test]
fn a_panel_over_the_view_moves_the_framing_into_the_part_left_and_picking_follows() {
    let mut v = guided_visit();
    let mut clock = 0.0;
    v.start(None, None).unwrap();
    run(&mut v, &mut clock, 0.5);
    let centre = |v: &Visit| {
        let (yaw, pitch, _) = pano_view(v);
        let d = crate::camera::direction_from_yaw_pitch(yaw, pitch);
        v.projection().project_direction(d).unwrap()
    };
    assert!(centre(&v).distance(Vec2::new(200.0, 200.0)) < 0.5);
    // A card sheet over the lower half (400 × 400 view): the view's centre moves to the middle
    // of the upper half, smoothly, and stays there.
    let sheet = Insets {
        bottom: 200.0,
        ..Insets::default()
    };
    assert!(
        v.apply(Command::SetInsets {
            top: 0.0,
            right: 0.0,
            bottom: 200.0,
            left: 0.0
        })
        .unwrap()
        .changed
    );
    tick(&mut v, &mut clock, 0.05);
    let halfway = centre(&v);
    assert!(halfway.y < 199.0 && halfway.y > 101.0, "eased: {halfway}");
    assert!(v.animating());
    run(&mut v, &mut clock, 1.5);
    assert_eq!(v.framing_insets(), sheet);
    assert!(!v.animating());
    assert!(
        centre(&v).distance(Vec2::new(200.0, 100.0)) < 0.5,
        "{}",
        centre(&v)
    );
    // What is drawn at a pixel is what a click there picks: the hotspot straight ahead.
    v.set_view(&View::new(30.0, 0.0), false);
    let stele = v.overlay()[1].position;
    assert!(stele.distance(Vec2::new(200.0, 100.0)) < 0.5, "{stele}");
    assert_eq!(v.pick(stele), Some(1));
    // A side card (landscape): the centre moves left.
    v.set_insets(Insets {
        right: 160.0,
        ..Insets::default()
    });
    run(&mut v, &mut clock, 1.5);
    assert!(
        centre(&v).distance(Vec2::new(120.0, 200.0)) < 0.5,
        "{}",
        centre(&v)
    );
    // Panels cannot take the whole view: at least 30 % of each side is left.
    v.set_insets(Insets {
        bottom: 10_000.0,
        top: f32::NAN,
        ..Insets::default()
    });
    run(&mut v, &mut clock, 2.0);
    assert!(
        centre(&v).distance(Vec2::new(200.0, 60.0)) < 0.5,
        "{}",
        centre(&v)
    );
}

#[test]
fn an_object_is_framed_whole_in_the_part_a_sheet_leaves() {
    let mut v = guided_visit();
    let mut clock = 0.0;
    v.start(Some("trong"), None).unwrap();
    run(&mut v, &mut clock, 0.5);
    v.set_insets(Insets {
        bottom: 200.0,
        ..Insets::default()
    });
    run(&mut v, &mut clock, 2.0);
    // The unit cube's corners all land in the upper half of the view.
    let p = v.projection();
    for x in [-1.0, 1.0] {
        for y in [-1.0, 1.0] {
            for z in [-1.0, 1.0] {
                let (px, _) = p.project(Vec3::new(x, y, z)).unwrap();
                assert!(
                    (0.0..=400.0).contains(&px.x) && (0.0..=200.0).contains(&px.y),
                    "corner {x},{y},{z} at {px}"
                );
            }
        }
    }
}

#[test]
fn touching_the_card_of_a_step_pauses_the_tour_so_it_waits_for_the_reader() {
    let mut v = guided_visit();
    let mut clock = 0.0;
    v.start(None, None).unwrap();
    run(&mut v, &mut clock, 0.5);
    // Without a card, touching it does nothing.
    assert!(!v.apply(Command::CardTouched).unwrap().changed);
    v.play("guided", 1).unwrap();
    run(&mut v, &mut clock, 0.5);
    assert!(v.card().is_some(), "step 2 opens the stele's card");
    assert!(v.guide().unwrap().playing);
    assert!(v.apply(Command::CardTouched).unwrap().changed);
    let events = v.take_events();
    assert!(
        events.contains(&Event::TourPaused {
            tour: "guided".into(),
            step: 1
        }),
        "{events:?}"
    );
    // The 2 s step does not move on while paused.
    run(&mut v, &mut clock, 10.0);
    let g = v.guide().unwrap();
    assert_eq!((g.step, g.playing), (1, false));
    // Touching it again changes nothing; resume plays on.
    assert!(!v.apply(Command::CardTouched).unwrap().changed);
    v.resume();
    run(&mut v, &mut clock, 3.0);
    assert_eq!(v.guide().unwrap().step, 2);
}

#[test]
fn the_link_names_a_step_only_once_its_scene_is_on_screen() {
    // A slow link: the next step's scene is still coming. The address of what is on screen
    // must not name that step yet (Back to it would name a step whose scene is not there).
    let mut v = guided_visit();
    let mut clock = 0.0;
    v.start(None, None).unwrap();
    run(&mut v, &mut clock, 0.5);
    v.play("guided", 1).unwrap();
    run(&mut v, &mut clock, 0.5);
    assert_eq!(v.link().step, Some(("guided".to_string(), 1)));
    v.next_step(); // step 3 is in the object scene: it has to be fetched
    assert_eq!((v.current(), v.arriving()), (Some("san"), Some("trong")));
    let l = v.link();
    assert_eq!((l.scene.as_deref(), l.step), (Some("san"), None));
    run(&mut v, &mut clock, 0.5);
    let l = v.link();
    assert_eq!(
        (l.scene.as_deref(), l.step),
        (Some("trong"), Some(("guided".to_string(), 2)))
    );
}
