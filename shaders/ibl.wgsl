// ibl.wgsl: image-based lighting preparation from an equirectangular environment:
// GGX-prefiltered specular mips, diffuse irradiance, and the split-sum BRDF lookup table.

struct IblParams {
    // x: roughness of the level being drawn, y: source mip count, z: source width, w: intensity
    a: vec4<f32>,
    // x: source mip level used for irradiance, y: its width, z: its height
    b: vec4<f32>,
};

@group(0) @binding(0) var src_tex: texture_2d<f32>;
@group(0) @binding(1) var src_sampler: sampler;
@group(0) @binding(2) var<uniform> params: IblParams;

@vertex
fn vs_main(@builtin(vertex_index) index: u32) -> FullscreenOut {
    return fullscreen_vertex(index);
}

fn radical_inverse(bits_in: u32) -> f32 {
    var bits = bits_in;
    bits = (bits << 16u) | (bits >> 16u);
    bits = ((bits & 0x55555555u) << 1u) | ((bits & 0xAAAAAAAAu) >> 1u);
    bits = ((bits & 0x33333333u) << 2u) | ((bits & 0xCCCCCCCCu) >> 2u);
    bits = ((bits & 0x0F0F0F0Fu) << 4u) | ((bits & 0xF0F0F0F0u) >> 4u);
    bits = ((bits & 0x00FF00FFu) << 8u) | ((bits & 0xFF00FF00u) >> 8u);
    return f32(bits) * 2.3283064365386963e-10;
}

fn hammersley(i: u32, n: u32) -> vec2<f32> {
    return vec2<f32>(f32(i) / f32(n), radical_inverse(i));
}

// GGX half vector around the normal n for roughness a = roughness².
fn importance_sample_ggx(xi: vec2<f32>, n: vec3<f32>, a: f32) -> vec3<f32> {
    let phi = 2.0 * PI * xi.x;
    let cos_theta = sqrt((1.0 - xi.y) / (1.0 + (a * a - 1.0) * xi.y));
    let sin_theta = sqrt(1.0 - cos_theta * cos_theta);
    let h = vec3<f32>(cos(phi) * sin_theta, sin(phi) * sin_theta, cos_theta);
    let up = select(vec3<f32>(1.0, 0.0, 0.0), vec3<f32>(0.0, 0.0, 1.0), abs(n.z) < 0.999);
    let tx = normalize(cross(up, n));
    let ty = cross(n, tx);
    return normalize(tx * h.x + ty * h.y + n * h.z);
}

fn d_ggx(n_dot_h: f32, a: f32) -> f32 {
    let a2 = a * a;
    let d = n_dot_h * n_dot_h * (a2 - 1.0) + 1.0;
    return a2 / (PI * d * d);
}

@fragment
fn fs_prefilter(in: FullscreenOut) -> @location(0) vec4<f32> {
    let n = equirect_direction(in.uv);
    let roughness = params.a.x;
    let src_levels = params.a.y;
    let src_width = params.a.z;
    let intensity = params.a.w;
    if (roughness <= 0.0) {
        // Mirror: the source at the resolution of this level.
        let lod = max(log2(src_width / 256.0), 0.0);
        return vec4<f32>(textureSampleLevel(src_tex, src_sampler, equirect_uv(n), lod).rgb * intensity, 1.0);
    }
    let a = roughness * roughness;
    let count = 96u;
    var sum = vec3<f32>(0.0);
    var weight = 0.0;
    // Solid angle of one source texel (equirect, at the equator).
    let texel = 4.0 * PI / (src_width * src_width * 0.5);
    for (var i = 0u; i < count; i = i + 1u) {
        let h = importance_sample_ggx(hammersley(i, count), n, a);
        let l = normalize(2.0 * dot(n, h) * h - n);
        let n_dot_l = dot(n, l);
        if (n_dot_l > 0.0) {
            let n_dot_h = max(dot(n, h), 0.0);
            // Filtered importance sampling: pick the mip whose texel matches the sample's solid angle.
            let pdf = d_ggx(n_dot_h, a) * 0.25;
            let sample_angle = 1.0 / (f32(count) * pdf + 1e-4);
            let lod = clamp(0.5 * log2(sample_angle / texel) + 1.0, 0.0, src_levels - 1.0);
            sum = sum + textureSampleLevel(src_tex, src_sampler, equirect_uv(l), lod).rgb * n_dot_l;
            weight = weight + n_dot_l;
        }
    }
    return vec4<f32>(sum / max(weight, 1e-4) * intensity, 1.0);
}

@fragment
fn fs_irradiance(in: FullscreenOut) -> @location(0) vec4<f32> {
    let n = equirect_direction(in.uv);
    let level = i32(params.b.x);
    let w = i32(params.b.y);
    let h = i32(params.b.z);
    var sum = vec3<f32>(0.0);
    var total = 0.0;
    // Exact quadrature over a small mip: every texel, weighted by its solid angle and the cosine.
    for (var y = 0; y < h; y = y + 1) {
        let v = (f32(y) + 0.5) / f32(h);
        let pitch = (0.5 - v) * PI;
        let solid = cos(pitch);
        for (var x = 0; x < w; x = x + 1) {
            let u = (f32(x) + 0.5) / f32(w);
            let d = equirect_direction(vec2<f32>(u, v));
            let c = dot(n, d);
            total = total + solid;
            if (c > 0.0) {
                sum = sum + textureLoad(src_tex, vec2<i32>(x, y), level).rgb * c * solid;
            }
        }
    }
    // Mean radiance weighted by the cosine: E / π. total ≈ the full sphere (4π) in these units.
    return vec4<f32>(sum * 4.0 / total * params.a.w, 1.0);
}

@fragment
fn fs_brdf(in: FullscreenOut) -> @location(0) vec4<f32> {
    let n_dot_v = max(in.uv.x, 1e-3);
    let roughness = max(1.0 - in.uv.y, 1e-3);
    let a = roughness * roughness;
    let v = vec3<f32>(sqrt(1.0 - n_dot_v * n_dot_v), 0.0, n_dot_v);
    let n = vec3<f32>(0.0, 0.0, 1.0);
    var ab = vec2<f32>(0.0);
    let count = 256u;
    for (var i = 0u; i < count; i = i + 1u) {
        let h = importance_sample_ggx(hammersley(i, count), n, a);
        let l = normalize(2.0 * dot(v, h) * h - v);
        let n_dot_l = max(l.z, 0.0);
        let n_dot_h = max(h.z, 0.0);
        let v_dot_h = max(dot(v, h), 0.0);
        if (n_dot_l > 0.0) {
            // Height-correlated Smith visibility, as in the Khronos sample viewer.
            let a2 = a * a;
            let gv = n_dot_l * sqrt(n_dot_v * n_dot_v * (1.0 - a2) + a2);
            let gl = n_dot_v * sqrt(n_dot_l * n_dot_l * (1.0 - a2) + a2);
            let vis = 0.5 / (gv + gl);
            let g = 4.0 * vis * n_dot_l * v_dot_h / max(n_dot_h, 1e-5);
            let fc = pow(1.0 - v_dot_h, 5.0);
            ab = ab + vec2<f32>((1.0 - fc) * g, fc * g);
        }
    }
    return vec4<f32>(ab / f32(count), 0.0, 1.0);
}
