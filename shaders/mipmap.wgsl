// mipmap.wgsl: draws one mip level from the level above with a linear (box) filter.

@group(0) @binding(0) var src_tex: texture_2d<f32>;
@group(0) @binding(1) var src_sampler: sampler;

@vertex
fn vs_main(@builtin(vertex_index) index: u32) -> FullscreenOut {
    return fullscreen_vertex(index);
}

@fragment
fn fs_main(in: FullscreenOut) -> @location(0) vec4<f32> {
    return textureSampleLevel(src_tex, src_sampler, in.uv, 0.0);
}
