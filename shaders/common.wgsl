// common.wgsl: shared declarations, prepended to every pass.

struct Frame {
    view_proj: mat4x4<f32>,
    inv_view_proj: mat4x4<f32>,
    camera_pos: vec4<f32>,
    // xy: viewport size in pixels, z: time in seconds, w: exposure
    viewport: vec4<f32>,
    // xyz: direction towards the light, w: intensity
    light_dir: vec4<f32>,
    light_color: vec4<f32>,
    // sky (upper hemisphere) and ground ambient colours
    ambient_sky: vec4<f32>,
    ambient_ground: vec4<f32>,
};

@group(0) @binding(0) var<uniform> frame: Frame;

const PI: f32 = 3.14159265358979;

// A triangle that covers the screen: vertex 0..2 -> clip positions and uv (0..1, y down).
struct FullscreenOut {
    @builtin(position) position: vec4<f32>,
    @location(0) uv: vec2<f32>,
};

fn fullscreen_vertex(index: u32) -> FullscreenOut {
    var out: FullscreenOut;
    let x = f32((index << 1u) & 2u);
    let y = f32(index & 2u);
    out.position = vec4<f32>(x * 2.0 - 1.0, 1.0 - y * 2.0, 0.0, 1.0);
    out.uv = vec2<f32>(x, y);
    return out;
}

fn linear_to_srgb(c: vec3<f32>) -> vec3<f32> {
    let lo = c * 12.92;
    let hi = 1.055 * pow(max(c, vec3<f32>(0.0)), vec3<f32>(1.0 / 2.4)) - 0.055;
    return select(hi, lo, c <= vec3<f32>(0.0031308));
}
