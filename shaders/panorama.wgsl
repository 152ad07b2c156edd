// panorama.wgsl: full-screen triangle; each pixel's view direction looks up the equirectangular image.

@group(1) @binding(0) var pano_texture: texture_2d<f32>;
@group(1) @binding(1) var pano_sampler: sampler;

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
    let u = 0.5 + yaw / (2.0 * PI);
    let v = 0.5 - pitch / PI;
    // u jumps from 1 to 0 at yaw ±180°: take derivatives of a copy that is continuous there
    // (Tarini's trick) so the mip level does not collapse into a visible seam.
    let u2 = fract(u + 0.5) - 0.5;
    let dux1 = dpdx(u);
    let duy1 = dpdy(u);
    let dux2 = dpdx(u2);
    let duy2 = dpdy(u2);
    let dux = select(dux1, dux2, abs(dux2) < abs(dux1));
    let duy = select(duy1, duy2, abs(duy2) < abs(duy1));
    let dvx = dpdx(v);
    let dvy = dpdy(v);
    let color = textureSampleGrad(pano_texture, pano_sampler, vec2<f32>(u, v), vec2<f32>(dux, dvx), vec2<f32>(duy, dvy));
    // Drawn straight into a non-sRGB output (no fade running): encode by hand.
    if (frame.env.z > 0.5) {
        return vec4<f32>(linear_to_srgb(color.rgb), 1.0);
    }
    return vec4<f32>(color.rgb, 1.0);
}
