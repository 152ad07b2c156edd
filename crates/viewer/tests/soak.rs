//! A kiosk runs for days: the app (visit core + renderer on lavapipe) is driven through 10,000
//! scene changes and guided-tour steps with a simulated clock (panoramas and an object, every
//! seventh panorama failing to load), drawing frames as a shell does, and the GPU memory the
//! renderer holds and what the core holds for the shell must stay flat.
#![cfg(not(target_arch = "wasm32"))]

use anyhow::{Context, Result};
use disan_assets::RgbaImage;
use disan_render::{GpuContext, RenderTarget, TextureSource};
use disan_tour::model::Tour;
use disan_tour::visit::{Event, Resource};
use disan_viewer::app::{App, Payload};

/// A one-triangle GLB (positions only).
fn triangle_glb() -> Vec<u8> {
    let positions: [f32; 9] = [-0.5, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.8, 0.1];
    let bin: Vec<u8> = positions.iter().flat_map(|f| f.to_le_bytes()).collect();
    let json = r#"{"asset":{"version":"2.0"},"scene":0,"scenes":[{"nodes":[0]}],"nodes":[{"mesh":0}],
      "meshes":[{"primitives":[{"attributes":{"POSITION":0}}]}],
      "accessors":[{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[-0.5,0,0],"max":[0.5,0.8,0.1]}],
      "bufferViews":[{"buffer":0,"byteLength":36}],"buffers":[{"byteLength":36}]}"#;
    disan_assets::model::pack_glb(json.as_bytes(), &bin)
}

fn pano(seed: u8) -> RgbaImage {
    let (w, h) = (32u32, 16u32);
    let mut pixels = Vec::with_capacity((w * h * 4) as usize);
    for y in 0..h {
        for x in 0..w {
            pixels.extend([(x * 8) as u8 ^ seed, (y * 16) as u8, seed, 255]);
        }
    }
    RgbaImage {
        width: w,
        height: h,
        pixels,
    }
}

const TOUR: &str = r#"{"version":1,"start_scene":"a","scenes":[
  {"id":"a","kind":"panorama","image":"a.png","hotspots":[{"id":"i","kind":"info","yaw":0,"pitch":0,"entry":"e","label":"E"}]},
  {"id":"b","kind":"panorama","image":"b.png"},
  {"id":"o","kind":"object","model":"o.glb"},
  {"id":"c","kind":"panorama","image":"c.png"}],
  "catalog":[{"id":"e","title":"E"}],
  "tours":[{"id":"g","steps":[
    {"scene":"a","view":{"yaw":20,"pitch":0},"duration":1,"hotspot":"i"},
    {"scene":"o","view":{"yaw":90,"pitch":20},"duration":1},
    {"scene":"b","duration":1},
    {"scene":"o","view":{"yaw":200,"pitch":-10},"duration":1},
    {"scene":"c","duration":1}]}],
  "kiosk":{"idle_seconds":1,"scene_seconds":1}}"#;

#[test]
fn soak_ten_thousand_scene_changes_and_steps_keep_gpu_and_core_memory_flat() -> Result<()> {
    let ctx = GpuContext::headless()?;
    let tour = Tour::from_json(TOUR.as_bytes(), "tour.json")?;
    let glb = triangle_glb();
    let (model, _) = disan_assets::model::load_and_decode(&glb, "o.glb", &|_| {
        Err("no external files".to_string())
    })
    .context("the test's triangle")?;
    let mut app = App::new(&ctx, tour.clone(), 48.0, 32.0, 1.0);
    let target = RenderTarget::texture(&ctx, 48, 32);
    let disan_render::RenderTarget::Texture { texture } = &target else {
        anyhow::bail!("not a texture target");
    };
    let view = texture.create_view(&Default::default());
    app.visit.start(None, None)?;
    // Half the run is the kiosk's attract loop playing the guided tour, half its rotation
    // through the scenes.
    let mut attract = tour.kiosk.clone().context("kiosk")?;
    attract.attract = Some("g".into());
    app.visit.set_kiosk(Some(attract.clone()));
    let (mut clock, mut n) = (0.0f64, 0u64);
    let (mut changes, mut steps, mut errors) = (0usize, 0usize, 0usize);
    let mut early: (u64, usize) = (0, 0);
    let mut late: (u64, usize) = (0, 0);
    let mut switched = false;
    let mut frames = 0u64;
    while changes + steps < 10_000 {
        clock += 0.25;
        for r in app.visit.take_requests() {
            n += 1;
            match r.resource {
                Resource::Model => app.deliver(
                    &ctx,
                    r.id,
                    Payload::Model(Box::new(model.clone()), Vec::new()),
                ),
                _ if n % 7 == 0 => app.fail(&ctx, r.id, "broken.png: truncated"),
                _ => app.deliver(
                    &ctx,
                    r.id,
                    Payload::Panorama(TextureSource::Rgba(pano(n as u8))),
                ),
            }
        }
        let cancelled = app.visit.take_cancelled();
        app.forget(&cancelled);
        app.visit.update(clock);
        app.render(&ctx, &view, target.format(), clock);
        frames += 1;
        for e in app.visit.take_events() {
            match e {
                Event::SceneChanged { .. } => changes += 1,
                Event::TourStep { .. } => steps += 1,
                Event::Error { .. } => errors += 1,
                _ => {}
            }
        }
        let gpu = app.renderer.gpu_memory().total();
        let core = app.visit.footprint();
        if frames < 2_000 {
            early = (early.0.max(gpu), early.1.max(core));
        } else {
            late = (late.0.max(gpu), late.1.max(core));
        }
        if !switched && changes + steps >= 5_000 {
            switched = true;
            let mut rotate = attract.clone();
            rotate.attract = None;
            app.visit.set_kiosk(Some(rotate));
        }
        anyhow::ensure!(
            frames < 400_000,
            "the loop stalled at {changes} scene changes and {steps} steps"
        );
    }
    assert!(app.visit.attracting(), "still in its attract loop");
    assert!(errors > 50, "failed panoramas were reported ({errors})");
    assert!(early.0 > 0, "the renderer holds something");
    assert!(
        late.0 <= early.0 && late.1 <= early.1,
        "memory grew: GPU {} → {} bytes, core {} → {} things",
        early.0,
        late.0,
        early.1,
        late.1
    );
    println!(
        "{changes} scene changes and {steps} steps in {frames} frames: GPU at most {} bytes, core at most {} things",
        late.0, late.1
    );
    Ok(())
}
