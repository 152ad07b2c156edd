// compose.wgsl: the resolved scene texture to the output, cross-faded over the previous scene.

struct Compose {
    // x: fade (0 = previous only, 1 = current only), y: encode to sRGB by hand (0/1)
    params: vec4<f32>,
};

@group(0) @binding(0) var current_tex: texture_2d<f32>;
@group(0) @binding(1) var previous_tex: texture_2d<f32>;
@group(0) @binding(2) var compose_sampler: sampler;
@group(0) @binding(3) var<uniform> compose: Compose;

@vertex
fn vs_main(@builtin(vertex_index) index: u32) -> FullscreenOut {
    return fullscreen_vertex(index);
}

@fragment
fn fs_main(in: FullscreenOut) -> @location(0) vec4<f32> {
    let cur = textureSampleLevel(current_tex, compose_sampler, in.uv, 0.0);
    let prev = textureSampleLevel(previous_tex, compose_sampler, in.uv, 0.0);
    let t = clamp(compose.params.x, 0.0, 1.0);
    // Smoothstep easing for the cross-fade.
    let e = t * t * (3.0 - 2.0 * t);
    var c = mix(prev.rgb, cur.rgb, e);
    if (compose.params.y > 0.5) {
        c = linear_to_srgb(c);
    }
    return vec4<f32>(c, 1.0);
}
