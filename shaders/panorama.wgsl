// panorama.wgsl: a full-screen triangle whose vertices carry their view rays (a pinhole camera's
// rays are linear across the screen, so interpolating them is exact); each pixel's ray looks up
// an equirectangular image, or one piece of it: a piece covers a yaw/pitch rectangle (a partial
// panorama, or one of the pieces an image larger than the GPU allows is split into); pixels
// outside it are left to the pass's clear colour (the neutral fill) or to the other pieces.
//
// Cheap per pixel (this pass covers every pixel of every frame): no matrix product, no
// derivatives, no library atan2/asin, no sRGB decode or encode (the image is stored and
// filtered as it is encoded, and written as it is into a non-sRGB output). The mip level comes from the pixel's angular size (one over the length of its
// ray in pixel units) and the image's texels per radian (horizontally divided by cos(pitch),
// up to twice the vertical density, so the poles neither pinch nor smudge);
// below level 0 (the view magnifies) only level 0 is read. No seam where yaw wraps: nothing
// is differentiated across it.

struct Piece {
    // Centre yaw, centre pitch, horizontal and vertical angle of view (radians).
    cover: vec4<f32>,
    // x: 1 when the piece closes the full circle (wraps), y/z: texel size (1/width, 1/height),
    // w: highest mip level made (0 for the first frame, before the chain exists).
    params: vec4<f32>,
};

@group(1) @binding(0) var pano_texture: texture_2d<f32>;
@group(1) @binding(1) var pano_sampler: sampler;
@group(1) @binding(2) var<uniform> piece: Piece;

struct PanoOut {
    @builtin(position) position: vec4<f32>,
    // View ray in pixel units: its length is the distance to the screen in pixels at this point.
    @location(0) ray: vec3<f32>,
};

fn view_ray(ndc: vec2<f32>) -> vec3<f32> {
    let far = frame.inv_view_proj * vec4<f32>(ndc, 1.0, 1.0);
    let near = frame.inv_view_proj * vec4<f32>(ndc, 0.0, 1.0);
    return far.xyz / far.w - near.xyz / near.w;
}

@vertex
fn vs_main(@builtin(vertex_index) index: u32) -> PanoOut {
    let f = fullscreen_vertex(index);
    let ndc = f.position.xy;
    // One pixel's step on the ray plane: rays scaled so that it is 1.
    let step = length(view_ray(vec2<f32>(0.0, 2.0 / frame.viewport.y)) - view_ray(vec2<f32>(0.0, 0.0)));
    var out: PanoOut;
    out.position = f.position;
    out.ray = view_ray(ndc) / max(step, 1e-20);
    return out;
}

// atan2 by a minimax polynomial on [0, 1] (error under 1e-5 rad, a twentieth of a texel of a
// 32K panorama): far cheaper than the library's atan2 and asin where the GPU is slow at them.
fn fast_atan2(y: f32, x: f32) -> f32 {
    let ax = abs(x);
    let ay = abs(y);
    let a = min(ax, ay) / max(max(ax, ay), 1e-30);
    let s = a * a;
    var r = ((((-0.0117212 * s + 0.05265332) * s - 0.11643287) * s + 0.19354346) * s - 0.33262347) * s + 0.99997726;
    r = r * a;
    r = select(r, 0.5 * PI - r, ay > ax);
    r = select(r, PI - r, x < 0.0);
    return select(r, -r, y < 0.0);
}

@fragment
fn fs_main(in: PanoOut) -> @location(0) vec4<f32> {
    let len2 = dot(in.ray, in.ray);
    let dir = in.ray * inverseSqrt(len2);
    // yaw 0 = image centre, positive to the right; pitch positive up.
    let horiz = length(dir.xz);
    let yaw = fast_atan2(dir.x, -dir.z);
    let pitch = fast_atan2(dir.y, horiz);
    var dyaw = yaw - piece.cover.x;
    dyaw = dyaw - 2.0 * PI * round(dyaw / (2.0 * PI));
    let u = 0.5 + dyaw / piece.cover.z;
    let v = 0.5 - (pitch - piece.cover.y) / piece.cover.w;
    let wraps = piece.params.x > 0.5;
    if (v < 0.0 || v > 1.0 || (!wraps && (u < 0.0 || u > 1.0))) {
        discard;
    }
    // Texels per pixel: the pixel's angle (1 / |ray|) times the texels per radian, the larger
    // of the two directions (a row of texels shrinks by cos(pitch) towards the poles). Rows
    // beyond 60° of pitch only repeat what the columns hold (an equirectangular image stretches
    // them by 1 / cos(pitch)), so the horizontal density counts at most twice the vertical one:
    // without that cap the mip level runs to the top of the chain at a pole, and the average of
    // the whole image shows there as a smudge.
    let per_radian_v = 1.0 / (piece.params.z * piece.cover.w);
    let per_radian_u = min(1.0 / (piece.params.y * piece.cover.z * max(horiz, 1e-4)), 2.0 * per_radian_v);
    let lod = log2(max(per_radian_u, per_radian_v)) - 0.5 * log2(len2);
    // Inside a piece that does not wrap, stay half a texel from its edges: its neighbour (or
    // the fill) takes over there, and nothing is sampled across.
    let half = piece.params.yz * 0.5;
    let uc = select(clamp(u, half.x, 1.0 - half.x), u, wraps);
    let vc = clamp(v, half.y, 1.0 - half.y);
    let color = textureSampleLevel(pano_texture, pano_sampler, vec2<f32>(uc, vc), clamp(lod, 0.0, piece.params.w));
    return panorama_output(color.rgb, frame.env.z > 0.5);
}
