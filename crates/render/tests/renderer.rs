//! Renderer behaviour on a real (or software: lavapipe) GPU: the empty scene and its
//! cross-fade, `has_drawn_content`, and the direct panorama path against the composed one.
#![cfg(not(target_arch = "wasm32"))]

use anyhow::Result;
use disan_assets::RgbaImage;
use disan_render::{
    wgpu, FrameInput, GpuContext, RenderTarget, Renderer, SceneContent, TextureSource, FADE_SECONDS,
};
use disan_tour::camera::PanoCamera;

const W: u32 = 32;
const H: u32 = 16;

fn input(time: f64) -> FrameInput<'static> {
    FrameInput {
        projection: PanoCamera::default().projection(W as f32, H as f32),
        markers: &[],
        time,
        marker_radius: 8.0,
        tiles: &[],
        moving: false,
    }
}

/// Renders one frame into `target`, returns (more frames needed, centre pixel RGB).
fn draw(
    ctx: &GpuContext,
    renderer: &mut Renderer,
    target: &RenderTarget,
    time: f64,
) -> Result<(bool, [u8; 3])> {
    let RenderTarget::Texture { texture } = target else {
        anyhow::bail!("texture target expected");
    };
    let view = texture.create_view(&Default::default());
    let more = renderer.render(ctx, &view, target.format(), &input(time));
    let img = target.read_back(ctx)?;
    let i = (((H / 2) * W + W / 2) * 4) as usize;
    Ok((more, [img.pixels[i], img.pixels[i + 1], img.pixels[i + 2]]))
}

/// Renders one frame seen through `projection` into the texture target `target` (`moving`: the
/// view moves); returns whether more frames are needed.
fn render_into(
    ctx: &GpuContext,
    renderer: &mut Renderer,
    target: &RenderTarget,
    projection: disan_tour::camera::Projection,
    time: f64,
    moving: bool,
) -> Result<bool> {
    let RenderTarget::Texture { texture } = target else {
        anyhow::bail!("texture target expected");
    };
    let view = texture.create_view(&Default::default());
    let input = FrameInput {
        projection,
        markers: &[],
        time,
        marker_radius: 8.0,
        tiles: &[],
        moving,
    };
    Ok(renderer.render(ctx, &view, target.format(), &input))
}

fn near(a: [u8; 3], b: [u8; 3], tolerance: u8) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= tolerance)
}

/// Linear 0.02 grey, sRGB-encoded.
const EMPTY_SRGB: [u8; 3] = [39, 39, 39];
const PANO: [u8; 4] = [200, 60, 30, 255];

#[test]
fn empty_scene_fades_in_and_counts_as_content() -> Result<()> {
    let ctx = GpuContext::headless()?;
    let target = RenderTarget::texture(&ctx, W, H);
    let mut renderer = Renderer::new(&ctx);
    assert_eq!(renderer.content(), SceneContent::Empty);
    draw(&ctx, &mut renderer, &target, 0.0)?;
    assert!(
        !renderer.has_drawn_content(),
        "nothing shown yet is not content"
    );

    renderer.show_panorama(&ctx, TextureSource::Rgba(RgbaImage::solid(PANO)), None)?;
    let (more, px) = draw(&ctx, &mut renderer, &target, 0.0)?;
    assert!(!more, "no fade from nothing");
    assert!(near(px, [200, 60, 30], 1), "panorama colour, got {px:?}");
    assert!(renderer.has_drawn_content());

    renderer.show_empty(&ctx);
    assert_eq!(renderer.content(), SceneContent::Empty);
    let (more, px) = draw(&ctx, &mut renderer, &target, 10.0)?;
    assert!(more, "the fade to the empty scene runs");
    assert!(
        near(px, [200, 60, 30], 1),
        "the fade starts from the panorama"
    );
    let (more, px) = draw(&ctx, &mut renderer, &target, 10.0 + FADE_SECONDS / 2.0)?;
    assert!(more);
    assert!(px[0] < 200 && px[0] > EMPTY_SRGB[0], "half-way, got {px:?}");
    let (more, px) = draw(&ctx, &mut renderer, &target, 10.0 + FADE_SECONDS + 0.01)?;
    assert!(!more, "fade over");
    assert!(
        near(px, EMPTY_SRGB, 1),
        "dark neutral background, got {px:?}"
    );

    // And from the empty scene to a panorama: cross-fades too.
    renderer.show_panorama(&ctx, TextureSource::Rgba(RgbaImage::solid(PANO)), None)?;
    let (more, px) = draw(&ctx, &mut renderer, &target, 20.0)?;
    assert!(more);
    assert!(
        near(px, EMPTY_SRGB, 1),
        "the fade starts from the empty scene"
    );
    Ok(())
}

#[test]
fn empty_scene_first_is_drawn_content() -> Result<()> {
    let ctx = GpuContext::headless()?;
    let target = RenderTarget::texture(&ctx, W, H);
    let mut renderer = Renderer::new(&ctx);
    renderer.show_empty(&ctx);
    let (more, px) = draw(&ctx, &mut renderer, &target, 0.0)?;
    assert!(!more, "no fade from nothing");
    assert!(near(px, EMPTY_SRGB, 1), "got {px:?}");
    assert!(
        renderer.has_drawn_content(),
        "an error scene is drawn content"
    );
    Ok(())
}

#[test]
fn direct_panorama_matches_the_composed_one() -> Result<()> {
    let ctx = GpuContext::headless()?;
    let (pw, ph) = (64u32, 32u32);
    let mut pixels = Vec::with_capacity((pw * ph * 4) as usize);
    for y in 0..ph {
        for x in 0..pw {
            pixels.extend_from_slice(&[(x * 4) as u8, (y * 8) as u8, 128, 255]);
        }
    }
    let pano = || {
        TextureSource::Rgba(RgbaImage {
            width: pw,
            height: ph,
            pixels: pixels.clone(),
        })
    };
    // An sRGB target goes through the scene texture and the compose pass.
    let composed_target = RenderTarget::texture(&ctx, W, H);
    // A plain one (like window surfaces) is drawn into directly, encoding by hand.
    let direct_target = plain_target(&ctx, W, H);
    let mut renderer = Renderer::new(&ctx);
    renderer.show_panorama(&ctx, pano(), None)?;
    draw(&ctx, &mut renderer, &composed_target, 0.0)?;
    draw(&ctx, &mut renderer, &direct_target, 0.0)?;
    let composed = composed_target.read_back(&ctx)?;
    let direct = direct_target.read_back(&ctx)?;
    let worst = composed
        .pixels
        .iter()
        .zip(&direct.pixels)
        .map(|(a, b)| a.abs_diff(*b))
        .max()
        .unwrap_or(0);
    assert!(worst <= 1, "direct and composed differ by {worst}");
    Ok(())
}

#[test]
fn texture_targets_have_no_surface_frame() -> Result<()> {
    let ctx = GpuContext::headless()?;
    let mut target = RenderTarget::texture(&ctx, W, H);
    assert!(target.acquire(&ctx).is_none());
    Ok(())
}

/// A 2×2 quad facing +Z, unlit, of one colour (a "level" of an object).
fn quad(rgb: [f32; 3]) -> disan_assets::ModelData {
    use disan_assets::model::{Instance, Material, Primitive};
    use disan_tour::camera::Bounds;
    disan_assets::ModelData {
        primitives: vec![Primitive {
            positions: vec![
                [-1.0, -1.0, 0.0],
                [1.0, -1.0, 0.0],
                [1.0, 1.0, 0.0],
                [-1.0, 1.0, 0.0],
            ],
            normals: vec![[0.0, 0.0, 1.0]; 4],
            indices: vec![0, 1, 2, 0, 2, 3],
            material: Some(0),
            ..Default::default()
        }],
        instances: vec![Instance {
            primitive: 0,
            world: glam::Mat4::IDENTITY,
        }],
        materials: vec![Material {
            base_color: glam::Vec4::new(rgb[0], rgb[1], rgb[2], 1.0),
            unlit: true,
            double_sided: true,
            ..Default::default()
        }],
        image_count: 0,
        image_is_srgb: Vec::new(),
        bounds: Bounds {
            min: glam::Vec3::new(-1.0, -1.0, 0.0),
            max: glam::Vec3::new(1.0, 1.0, 0.0),
        },
        cameras: Vec::new(),
    }
}

/// Renders the quad's view (close enough that it fills the frame); returns (more frames
/// needed, counts of red, blue and other pixels).
fn draw_object(
    ctx: &GpuContext,
    renderer: &mut Renderer,
    target: &RenderTarget,
    time: f64,
) -> Result<(bool, [usize; 3])> {
    let bounds = disan_tour::camera::Bounds {
        min: glam::Vec3::new(-1.0, -1.0, 0.0),
        max: glam::Vec3::new(1.0, 1.0, 0.0),
    };
    let cam = disan_tour::camera::OrbitCamera::fit(bounds, 0.0, 0.0, Some(1.2), None);
    let projection = cam.projection(W as f32, H as f32);
    let more = render_into(ctx, renderer, target, projection, time, false)?;
    let img = target.read_back(ctx)?;
    let mut counts = [0usize; 3];
    for p in img.pixels.chunks_exact(4) {
        let k = if p[0] > 150 && p[2] < 80 {
            0
        } else if p[2] > 150 && p[0] < 80 {
            1
        } else {
            2
        };
        counts[k] += 1;
    }
    Ok((more, counts))
}

#[test]
fn a_finer_level_cross_fades_in_without_a_blank_frame() -> Result<()> {
    let ctx = GpuContext::headless()?;
    let target = RenderTarget::texture(&ctx, W, H);
    let mut r = Renderer::new(&ctx);
    r.show_model(&ctx, &quad([0.9, 0.05, 0.05]), Vec::new());
    // Let the scene's own fade-in finish: the coarse level alone.
    draw_object(&ctx, &mut r, &target, 0.0)?;
    let (_, coarse) = draw_object(&ctx, &mut r, &target, 10.0)?;
    let n = (W * H) as usize;
    assert_eq!(coarse[0], n, "the coarse level fills the frame: {coarse:?}");
    let one = r.gpu_memory().content;

    r.swap_model(&ctx, &quad([0.05, 0.05, 0.9]), Vec::new());
    assert_eq!(r.content(), SceneContent::Object);
    let (more, start) = draw_object(&ctx, &mut r, &target, 20.0)?;
    assert!(more, "a cross-fade asks for more frames");
    assert_eq!(
        start[0], n,
        "the fade starts from the coarse level: {start:?}"
    );
    assert!(
        r.gpu_memory().content > one,
        "both levels are held while they fade"
    );
    let half = 20.0 + disan_render::LEVEL_FADE_SECONDS / 2.0;
    let (more, mid) = draw_object(&ctx, &mut r, &target, half)?;
    assert!(more);
    // Every pixel shows one level or the other (no blank pixel), about half each.
    assert_eq!(mid[2], 0, "a pixel of neither level mid-fade: {mid:?}");
    assert!(
        mid[0] > n / 4 && mid[1] > n / 4,
        "not a cross-fade: {mid:?}"
    );
    let (more, end) = draw_object(&ctx, &mut r, &target, 21.0)?;
    assert!(!more, "the fade is over");
    assert_eq!(end[1], n, "the finer level alone: {end:?}");
    assert!(
        r.gpu_memory().content <= one + 4096,
        "the coarse level was not freed"
    );
    Ok(())
}

/// A plain RGBA target (like a window surface or a canvas): what the moving pass draws into.
fn plain_target(ctx: &GpuContext, w: u32, h: u32) -> RenderTarget {
    let texture = ctx.device.create_texture(&wgpu::TextureDescriptor {
        label: Some("plain"),
        size: wgpu::Extent3d {
            width: w,
            height: h,
            depth_or_array_layers: 1,
        },
        mip_level_count: 1,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format: wgpu::TextureFormat::Rgba8Unorm,
        usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
        view_formats: &[],
    });
    RenderTarget::Texture { texture }
}

#[test]
fn a_moving_object_is_drawn_in_one_pass_like_the_one_at_rest() -> Result<()> {
    let ctx = GpuContext::headless()?;
    let (w, h) = (96u32, 64u32);
    // A lit quad turned a little (edges to antialias, shading to encode), smaller than the frame.
    let mut model = quad([0.8, 0.5, 0.2]);
    model.materials[0].unlit = false;
    model.instances[0].world = glam::Mat4::from_rotation_y(0.5) * glam::Mat4::from_rotation_z(0.3);
    let bounds = disan_tour::camera::Bounds {
        min: glam::Vec3::splat(-0.8),
        max: glam::Vec3::splat(0.8),
    };
    let cam = disan_tour::camera::OrbitCamera::fit(bounds, 0.0, 0.0, None, None);
    let mut r = Renderer::new(&ctx);
    r.show_model(&ctx, &model, Vec::new());
    let frame = |r: &mut Renderer, target: &RenderTarget, moving: bool, time: f64| {
        render_into(
            &ctx,
            r,
            target,
            cam.projection(w as f32, h as f32),
            time,
            moving,
        )?;
        target.read_back(&ctx).map_err(anyhow::Error::from)
    };
    let plain = plain_target(&ctx, w, h);
    // The scene's first frame is drawn like a moving one (sooner on screen)...
    let first = frame(&mut r, &plain, false, 0.0)?;
    let multisampled = r.samples() > 1;
    assert_eq!(
        r.drew_reduced(),
        multisampled,
        "the first frame has one sample"
    );
    // ...and the next one at rest goes through the multisampled scene texture.
    let rest = frame(&mut r, &plain, false, 10.0)?;
    assert!(!r.drew_reduced());
    assert_eq!(first.pixels.len(), rest.pixels.len());
    let targets = r.gpu_memory().targets;
    let moving = frame(&mut r, &plain, true, 10.1)?;
    assert_eq!(
        r.drew_reduced(),
        multisampled,
        "the moving frame has one sample"
    );
    assert_eq!(
        r.gpu_memory().targets,
        targets,
        "frames moving and at rest keep their targets (nothing is made again)"
    );
    // The same picture but for the edges' antialiasing: the same colours inside the quad and
    // in the background (encoded by hand the same way), the quad in the same place.
    let (mut differ, mut lit) = (0usize, 0usize);
    let background = &rest.pixels[0..3];
    let far = |a: &[u8], b: &[u8], by: u8| (0..3).any(|i| a[i].abs_diff(b[i]) > by);
    for (a, b) in rest
        .pixels
        .chunks_exact(4)
        .zip(moving.pixels.chunks_exact(4))
    {
        if far(a, b, 3) {
            differ += 1;
        }
        if far(a, background, 20) {
            lit += 1;
        }
    }
    let n = (w * h) as usize;
    assert!(
        lit > n / 10 && lit < n * 9 / 10,
        "the quad is not in view: {lit} of {n}"
    );
    assert!(
        differ < n / 20,
        "{differ} of {n} pixels differ beyond the edges"
    );
    // Back at rest: multisampled again.
    let again = frame(&mut r, &plain, false, 10.2)?;
    assert!(!r.drew_reduced());
    assert_eq!(
        again.pixels, rest.pixels,
        "the frame at rest is the same as before the move"
    );
    Ok(())
}

#[test]
fn passes_are_timed_on_the_gpu_when_asked() -> Result<()> {
    let ctx = GpuContext::headless()?;
    let mut r = Renderer::new(&ctx);
    r.show_model(&ctx, &quad([0.8, 0.5, 0.2]), Vec::new());
    if !r.set_pass_timing(&ctx, true) {
        eprintln!("skipped: this adapter has no timestamp queries");
        return Ok(());
    }
    let plain = plain_target(&ctx, W, H);
    let cam = disan_tour::camera::OrbitCamera::fit(
        disan_tour::camera::Bounds {
            min: glam::Vec3::splat(-1.0),
            max: glam::Vec3::splat(1.0),
        },
        0.0,
        0.0,
        None,
        None,
    );
    // The first frame and a moving one: the direct pass; then one at rest: scene + compose.
    for (time, moving) in [(0.0, false), (10.0, true), (10.1, false)] {
        render_into(
            &ctx,
            &mut r,
            &plain,
            cam.projection(W as f32, H as f32),
            time,
            moving,
        )?;
        ctx.device.poll(wgpu::PollType::Wait {
            submission_index: None,
            timeout: None,
        })?;
    }
    let times = r.take_pass_timings();
    let passes: Vec<&str> = times.iter().map(|t| t.pass).collect();
    assert_eq!(passes, ["compose", "direct", "scene"], "{times:?}");
    let direct = times.iter().find(|t| t.pass == "direct");
    assert_eq!(direct.map(|t| t.frames), Some(2), "{times:?}");
    assert!(
        times.iter().all(|t| t.ms > 0.0 && t.ms < 10_000.0),
        "{times:?}"
    );
    // Taken: nothing until more frames are drawn; off: nothing at all.
    assert!(r.take_pass_timings().is_empty());
    assert!(!r.set_pass_timing(&ctx, false));
    Ok(())
}
