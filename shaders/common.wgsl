// common.wgsl: shared helpers (no bindings), prepended to every pass.

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

fn srgb_to_linear(c: vec3<f32>) -> vec3<f32> {
    let lo = c / 12.92;
    let hi = pow((max(c, vec3<f32>(0.0)) + 0.055) / 1.055, vec3<f32>(2.4));
    return select(hi, lo, c <= vec3<f32>(0.04045));
}

// A panorama texel (panoramas are stored and filtered sRGB-encoded, as every panorama viewer
// does: no decode per texel) as the pass writes it: as it is when the pass draws straight into a
// non-sRGB output (`frame.env.z`), else decoded to linear for an sRGB target.
fn panorama_output(encoded: vec3<f32>, straight: bool) -> vec4<f32> {
    if (straight) {
        return vec4<f32>(encoded, 1.0);
    }
    return vec4<f32>(srgb_to_linear(encoded), 1.0);
}

// Equirectangular convention shared with panoramas: u = 0.5 at -Z (yaw 0), growing to the
// right (+X); v = 0 at the zenith.
fn equirect_uv(d: vec3<f32>) -> vec2<f32> {
    let yaw = atan2(d.x, -d.z);
    let pitch = asin(clamp(d.y, -1.0, 1.0));
    return vec2<f32>(0.5 + yaw / (2.0 * PI), 0.5 - pitch / PI);
}

fn equirect_direction(uv: vec2<f32>) -> vec3<f32> {
    let yaw = (uv.x - 0.5) * 2.0 * PI;
    let pitch = (0.5 - uv.y) * PI;
    return vec3<f32>(sin(yaw) * cos(pitch), sin(pitch), -cos(yaw) * cos(pitch));
}

// Khronos PBR Neutral tone mapping (https://github.com/KhronosGroup/ToneMapping).
fn tone_map_pbr_neutral(color_in: vec3<f32>) -> vec3<f32> {
    let start_compression = 0.8 - 0.04;
    let desaturation = 0.15;
    let x = min(color_in.r, min(color_in.g, color_in.b));
    let offset = select(0.04, x - 6.25 * x * x, x < 0.08);
    var color = color_in - offset;
    let peak = max(color.r, max(color.g, color.b));
    if (peak < start_compression) {
        return color;
    }
    let d = 1.0 - start_compression;
    let new_peak = 1.0 - d * d / (peak + d - start_compression);
    color = color * (new_peak / peak);
    let g = 1.0 - 1.0 / (desaturation * (peak - new_peak) + 1.0);
    return mix(color, vec3<f32>(new_peak), g);
}
