// mesh.wgsl: glTF metallic-roughness materials with vertex colours, normal/occlusion/emissive maps and unlit.

struct Draw {
    model: mat4x4<f32>,
    normal: mat4x4<f32>,
    // x: side of a level cross-fade: 1 the level coming in, -1 the one going (frame.env.w is
    // the fade's progress, 1 when none runs).
    fade: vec4<f32>,
};

// Ordered dither threshold of a pixel (4×4 Bayer), in (0, 1).
fn dither(p: vec2<f32>) -> f32 {
    let x = u32(p.x) % 4u;
    let y = u32(p.y) % 4u;
    let m = array<f32, 16>(0.0, 8.0, 2.0, 10.0, 12.0, 4.0, 14.0, 6.0, 3.0, 11.0, 1.0, 9.0, 15.0, 7.0, 13.0, 5.0);
    return (m[y * 4u + x] + 0.5) / 16.0;
}

struct MaterialU {
    base_color: vec4<f32>,
    // x metallic, y roughness, z normal scale, w occlusion strength
    mr: vec4<f32>,
    // rgb emissive, w alpha cutoff (negative: no cutoff)
    emissive: vec4<f32>,
    // x unlit, y has normal map, z double sided
    flags: vec4<f32>,
    // per texture slot: uv set (0/1) in x; base, mr, normal, occlusion, emissive
    uv_sets: array<vec4<f32>, 5>,
    // per texture slot: the 2x3 texture transform rows
    tr0: array<vec4<f32>, 5>,
    tr1: array<vec4<f32>, 5>,
};

@group(1) @binding(0) var<uniform> material: MaterialU;
@group(1) @binding(1) var base_tex: texture_2d<f32>;
@group(1) @binding(2) var base_smp: sampler;
@group(1) @binding(3) var mr_tex: texture_2d<f32>;
@group(1) @binding(4) var mr_smp: sampler;
@group(1) @binding(5) var normal_tex: texture_2d<f32>;
@group(1) @binding(6) var normal_smp: sampler;
@group(1) @binding(7) var occl_tex: texture_2d<f32>;
@group(1) @binding(8) var occl_smp: sampler;
@group(1) @binding(9) var emis_tex: texture_2d<f32>;
@group(1) @binding(10) var emis_smp: sampler;

@group(2) @binding(0) var<uniform> draw: Draw;

// Image-based lighting (ibl.wgsl prepares these from the environment).
@group(3) @binding(0) var env_specular: texture_2d<f32>;
@group(3) @binding(1) var env_irradiance: texture_2d<f32>;
@group(3) @binding(2) var env_brdf: texture_2d<f32>;
@group(3) @binding(3) var env_sampler: sampler;

struct VertexIn {
    @location(0) position: vec3<f32>,
    @location(1) normal: vec3<f32>,
    @location(2) tangent: vec4<f32>,
    @location(3) uv0: vec2<f32>,
    @location(4) uv1: vec2<f32>,
    @location(5) color: vec4<f32>,
};

struct VertexOut {
    @builtin(position) position: vec4<f32>,
    @location(0) world_pos: vec3<f32>,
    @location(1) normal: vec3<f32>,
    @location(2) tangent: vec4<f32>,
    @location(3) uv0: vec2<f32>,
    @location(4) uv1: vec2<f32>,
    @location(5) color: vec4<f32>,
};

fn transform(v: VertexIn) -> VertexOut {
    var out: VertexOut;
    let world = draw.model * vec4<f32>(v.position, 1.0);
    out.position = frame.view_proj * world;
    out.world_pos = world.xyz;
    out.normal = (draw.normal * vec4<f32>(v.normal, 0.0)).xyz;
    out.tangent = vec4<f32>((draw.model * vec4<f32>(v.tangent.xyz, 0.0)).xyz, v.tangent.w);
    out.uv0 = v.uv0;
    out.uv1 = v.uv1;
    out.color = v.color;
    return out;
}

@vertex
fn vs_main(v: VertexIn) -> VertexOut {
    return transform(v);
}

// Wireframe view: the triangles' edges as lines, pulled a little towards the camera so that they
// win the depth test against the surface they lie on.
@vertex
fn vs_wire(v: VertexIn) -> VertexOut {
    var out = transform(v);
    out.position.z = out.position.z - 0.0004 * out.position.w;
    return out;
}

@fragment
fn fs_wire(in: VertexOut) -> @location(0) vec4<f32> {
    if (frame.inspect.z > 0.5 && dot(frame.section.xyz, in.world_pos) > frame.section.w) {
        discard;
    }
    return encode_output(vec4<f32>(0.02, 0.05, 0.12, 1.0));
}

fn slot_uv(slot: i32, in: VertexOut) -> vec2<f32> {
    let uv = select(in.uv0, in.uv1, material.uv_sets[slot].x > 0.5);
    let p = vec3<f32>(uv, 1.0);
    return vec2<f32>(dot(material.tr0[slot].xyz, p), dot(material.tr1[slot].xyz, p));
}

fn distribution_ggx(n_dot_h: f32, a: f32) -> f32 {
    let a2 = a * a;
    let d = n_dot_h * n_dot_h * (a2 - 1.0) + 1.0;
    return a2 / (PI * d * d);
}

fn visibility_smith(n_dot_v: f32, n_dot_l: f32, a: f32) -> f32 {
    let a2 = a * a;
    let gv = n_dot_l * sqrt(n_dot_v * n_dot_v * (1.0 - a2) + a2);
    let gl = n_dot_v * sqrt(n_dot_l * n_dot_l * (1.0 - a2) + a2);
    return 0.5 / max(gv + gl, 1e-5);
}

// Drawn straight into a plain output while the view moves (`frame.env.z`): encoded by hand.
fn encode_output(c: vec4<f32>) -> vec4<f32> {
    return select(c, vec4<f32>(linear_to_srgb(c.rgb), c.a), frame.env.z > 0.5);
}

// Draws whose fragments may be dropped: an alpha-masked material, the section plane, two
// levels of a model cross-fading (each pixel shows one of them: complementary dither).
@fragment
fn fs_main(in: VertexOut, @builtin(front_facing) front: bool) -> @location(0) vec4<f32> {
    let color = shade(in, front);
    let alpha = material.base_color.a * textureSample(base_tex, base_smp, slot_uv(0, in)).a * in.color.a;
    let cut = frame.inspect.z > 0.5 && dot(frame.section.xyz, in.world_pos) > frame.section.w;
    let d = dither(in.position.xy);
    let faded = (draw.fade.x > 0.5 && d > frame.env.w) || (draw.fade.x < -0.5 && d <= frame.env.w);
    if (cut || faded || (material.emissive.w >= 0.0 && alpha < material.emissive.w)) {
        discard;
    }
    return encode_output(color);
}

// Every other draw: no discard anywhere, so the depth test runs before the shading.
@fragment
fn fs_opaque(in: VertexOut, @builtin(front_facing) front: bool) -> @location(0) vec4<f32> {
    return encode_output(shade(in, front));
}

fn shade(in: VertexOut, front: bool) -> vec4<f32> {
    // Sample everything first (uniform control flow for derivatives).
    let base_s = textureSample(base_tex, base_smp, slot_uv(0, in));
    let mr_s = textureSample(mr_tex, mr_smp, slot_uv(1, in));
    let normal_s = textureSample(normal_tex, normal_smp, slot_uv(2, in));
    let occl_s = textureSample(occl_tex, occl_smp, slot_uv(3, in));
    let emis_s = textureSample(emis_tex, emis_smp, slot_uv(4, in));

    // Clay (1), and under the wireframe's lines (3).
    let clay = (frame.inspect.x > 0.5 && frame.inspect.x < 1.5) || frame.inspect.x > 2.5;
    let normals_view = frame.inspect.x > 1.5 && frame.inspect.x < 2.5;
    var base = material.base_color * base_s * in.color;
    // Clay: one matte material that shows the relief alone.
    if (clay) {
        base = vec4<f32>(0.62, 0.60, 0.56, 1.0);
    }
    // Unlit (baked lighting) unless a tool asks for the surface's shape.
    let inspecting = clay || normals_view || frame.inspect.y > 0.5;
    if (material.flags.x > 0.5 && !inspecting) {
        return vec4<f32>(base.rgb, base.a);
    }
    var metallic = clamp(material.mr.x * mr_s.b, 0.0, 1.0);
    var roughness = clamp(material.mr.y * mr_s.g, 0.04, 1.0);
    if (clay || material.flags.x > 0.5) {
        metallic = 0.0;
        roughness = 0.8;
    }

    var n = normalize(in.normal);
    if (!front) {
        n = -n;
    }
    if (material.flags.y > 0.5) {
        var t = in.tangent.xyz - n * dot(n, in.tangent.xyz);
        if (dot(t, t) > 1e-10) {
            t = normalize(t);
            let b = cross(n, t) * select(-1.0, 1.0, in.tangent.w >= 0.0);
            var tn = normal_s.xyz * 2.0 - 1.0;
            tn = vec3<f32>(tn.xy * material.mr.z, tn.z);
            n = normalize(t * tn.x + b * tn.y + n * tn.z);
        }
    }
    if (normals_view) {
        // Normals as colours (world space, 0.5 + n / 2), not tone-mapped.
        return vec4<f32>(n * 0.5 + 0.5, 1.0);
    }
    let v = normalize(frame.camera_pos.xyz - in.world_pos);
    let n_dot_v = max(abs(dot(n, v)), 1e-4);
    let a = roughness * roughness;
    let f0 = mix(vec3<f32>(0.04), base.rgb, metallic);
    let c_diff = base.rgb * (1.0 - metallic);

    // Image-based lighting: split-sum specular and irradiance, with the roughness-dependent
    // Fresnel of the Khronos sample viewer.
    let levels = frame.env.y;
    let r = reflect(-v, n);
    let f_ab = textureSampleLevel(env_brdf, env_sampler, vec2<f32>(n_dot_v, 1.0 - roughness), 0.0).rg;
    let fr = max(vec3<f32>(1.0 - roughness), f0) - f0;
    let k_s = f0 + fr * pow(1.0 - n_dot_v, 5.0);
    let fss_ess = k_s * f_ab.x + f_ab.y;
    let spec_env = textureSampleLevel(env_specular, env_sampler, equirect_uv(r), roughness * (levels - 1.0)).rgb;
    let irradiance = textureSampleLevel(env_irradiance, env_sampler, equirect_uv(n), 0.0).rgb;
    // Multiple scattering compensation (Fdez-Agüera), as in the sample viewer.
    let ems = 1.0 - (f_ab.x + f_ab.y);
    let f_avg = f0 + (1.0 - f0) / 21.0;
    let fms_ems = ems * fss_ess * f_avg / (1.0 - f_avg * ems);
    let k_d = c_diff * (1.0 - fss_ess - fms_ems);
    let ambient = (spec_env * fss_ess + (fms_ems + k_d) * irradiance) * frame.env.x;

    // One optional directional key light (off by default: a uniform branch skips it).
    var direct = vec3<f32>(0.0);
    if (frame.light_dir.w > 0.0) {
        let l = normalize(frame.light_dir.xyz);
        let h = normalize(v + l);
        let n_dot_l = max(dot(n, l), 0.0);
        let n_dot_h = max(dot(n, h), 0.0);
        let v_dot_h = max(dot(v, h), 0.0);
        let fresnel = f0 + (vec3<f32>(1.0) - f0) * pow(1.0 - v_dot_h, 5.0);
        let spec = fresnel * distribution_ggx(n_dot_h, a) * visibility_smith(n_dot_v, n_dot_l, a);
        let diffuse = (vec3<f32>(1.0) - fresnel) * c_diff / PI;
        direct = (diffuse + spec) * frame.light_color.rgb * frame.light_dir.w * n_dot_l;
    }

    let occlusion = mix(1.0, occl_s.r, material.mr.w);
    let emissive = select(material.emissive.rgb * emis_s.rgb, vec3<f32>(0.0), clay);
    let color = direct + ambient * occlusion + emissive;
    return vec4<f32>(tone_map_pbr_neutral(color * frame.viewport.w), base.a);
}
