//! Tests of guided tours, auto-rotation, kiosk mode and the soak of the visit core, with a
//! simulated clock (the shell's part is played by the test).

use super::*;
use crate::input::PointerButton;

/// The visit-core test tour with a guided tour and a kiosk section.
fn guided_visit() -> Visit {
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
