// panorama.wgsl: full-screen triangle; each pixel's view direction looks up an equirectangular
// image, or one piece of it: a piece covers a yaw/pitch rectangle (a partial panorama, or one of
// the pieces an image larger than the GPU allows is split into); pixels outside it are left to
// the pass's clear colour (the neutral fill) or to the other pieces.

struct Piece {
    // Centre yaw, centre pitch, horizontal and vertical angle of view (radians).
    cover: vec4<f32>,
    // x: 1 when the piece closes the full circle (wraps), y/z: texel size (1/width, 1/height).
    params: vec4<f32>,
};

@group(1) @binding(0) var pano_texture: texture_2d<f32>;
@group(1) @binding(1) var pano_sampler: sampler;
@group(1) @binding(2) var<uniform> piece: Piece;

@vertex
fn vs_main(@builtin(vertex_index) index: u32) -> FullscreenOut {
    return fullscreen_vertex(index);
}

@fragment
fn fs_main(in: FullscreenOut) -> @location(0) vec4<f32> {
    let ndc = vec2<f32>(in.uv.x * 2.0 - 1.0, 1.0 - in.uv.y * 2.0);
    let far = frame.inv_view_proj * vec4<f32>(ndc, 1.0, 1.0);
    let near = frame.inv_view_proj * vec4<f32>(ndc, 0.0, 1.0);
    let dir = normalize(far.xyz / far.w - near.xyz / near.w);
    // yaw 0 = image centre, positive to the right; pitch positive up.
    let yaw = atan2(dir.x, -dir.z);
    let pitch = asin(clamp(dir.y, -1.0, 1.0));
    var dyaw = yaw - piece.cover.x;
    dyaw = dyaw - 2.0 * PI * round(dyaw / (2.0 * PI));
    let u = 0.5 + dyaw / piece.cover.z;
    let v = 0.5 - (pitch - piece.cover.y) / piece.cover.w;
    // u jumps where dyaw wraps (behind the piece): take derivatives of a copy that is
    // continuous there (Tarini's trick) so the mip level does not collapse into a visible seam.
    let u2 = fract(u + 0.5) - 0.5;
    let dux1 = dpdx(u);
    let duy1 = dpdy(u);
    let dux2 = dpdx(u2);
    let duy2 = dpdy(u2);
    let dux = select(dux1, dux2, abs(dux2) < abs(dux1));
    let duy = select(duy1, duy2, abs(duy2) < abs(duy1));
    let dvx = dpdx(v);
    let dvy = dpdy(v);
    let wraps = piece.params.x > 0.5;
    let outside = v < 0.0 || v > 1.0 || (!wraps && (u < 0.0 || u > 1.0));
    // Inside a piece that does not wrap, stay half a texel from its edges: its neighbour (or
    // the fill) takes over there, and nothing is sampled across.
    let half = piece.params.yz * 0.5;
    let uc = select(clamp(u, half.x, 1.0 - half.x), u, wraps);
    let vc = clamp(v, half.y, 1.0 - half.y);
    let color = textureSampleGrad(pano_texture, pano_sampler, vec2<f32>(uc, vc), vec2<f32>(dux, dvx), vec2<f32>(duy, dvy));
    if (outside) {
        discard;
    }
    // Drawn straight into a non-sRGB output (no fade running): encode by hand.
    if (frame.env.z > 0.5) {
        return vec4<f32>(linear_to_srgb(color.rgb), 1.0);
    }
    return vec4<f32>(color.rgb, 1.0);
}
