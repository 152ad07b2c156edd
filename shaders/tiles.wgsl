// tiles.wgsl: the tiles of a cube panorama, one instanced quad each on the unit cube around the
// camera, read from a tile cache (a texture array, one tile a layer). Coarse tiles are drawn
// first and finer ones over them, so the sharpest tile that has arrived shows.

struct TileIn {
    // (s0, t0, s1, t1) on the face, -1..1, t down the face image.
    @location(0) rect: vec4<f32>,
    // x, y: fraction of the layer the tile fills; z: layer; w: face.
    @location(1) extent: vec4<f32>,
};

struct TileOut {
    @builtin(position) position: vec4<f32>,
    @location(0) uv: vec2<f32>,
    @location(1) @interpolate(flat) layer_extent: vec3<f32>,
};

@group(1) @binding(0) var tile_texture: texture_2d_array<f32>;
@group(1) @binding(1) var tile_sampler: sampler;

// The world direction through face point (s, t): front is yaw 0 (-z), then right, back, left,
// up, down, laid out as Pannellum's multires faces.
fn face_direction(face: u32, s: f32, t: f32) -> vec3<f32> {
    switch face {
        case 0u: { return vec3<f32>(s, -t, -1.0); }
        case 1u: { return vec3<f32>(1.0, -t, s); }
        case 2u: { return vec3<f32>(-s, -t, 1.0); }
        case 3u: { return vec3<f32>(-1.0, -t, -s); }
        case 4u: { return vec3<f32>(s, 1.0, -t); }
        default: { return vec3<f32>(s, -1.0, t); }
    }
}

@vertex
fn vs_main(@builtin(vertex_index) index: u32, tile: TileIn) -> TileOut {
    let corner = vec2<f32>(f32(index & 1u), f32(index >> 1u));
    let st = mix(tile.rect.xy, tile.rect.zw, corner);
    let dir = face_direction(u32(tile.extent.w + 0.5), st.x, st.y);
    var out: TileOut;
    out.position = frame.view_proj * vec4<f32>(dir, 1.0);
    out.uv = corner * tile.extent.xy;
    out.layer_extent = vec3<f32>(tile.extent.z, tile.extent.xy);
    return out;
}

@fragment
fn fs_main(in: TileOut) -> @location(0) vec4<f32> {
    // Stay half a texel inside the tile: edge tiles fill only part of their layer.
    let half = 0.5 / vec2<f32>(textureDimensions(tile_texture));
    let uv = clamp(in.uv, half, in.layer_extent.yz - half);
    let layer = i32(in.layer_extent.x + 0.5);
    let color = textureSampleLevel(tile_texture, tile_sampler, uv, layer, 0.0);
    return panorama_output(color.rgb, frame.env.z > 0.5);
}
