// marker.wgsl: hotspot markers as screen-space discs; hidden ones (behind the object) as faint dashed rings.

struct MarkerIn {
    @location(0) center_px: vec2<f32>,
    @location(1) radius_px: f32,
    // x: kind (0 info, 1 link), y: hidden (0/1), z: highlighted (0/1)
    @location(2) style: vec3<f32>,
};

struct MarkerOut {
    @builtin(position) position: vec4<f32>,
    @location(0) local: vec2<f32>,
    @location(1) radius: f32,
    @location(2) style: vec3<f32>,
};

@vertex
fn vs_main(@builtin(vertex_index) vi: u32, m: MarkerIn) -> MarkerOut {
    var corners = array<vec2<f32>, 6>(
        vec2<f32>(-1.0, -1.0), vec2<f32>(1.0, -1.0), vec2<f32>(1.0, 1.0),
        vec2<f32>(-1.0, -1.0), vec2<f32>(1.0, 1.0), vec2<f32>(-1.0, 1.0));
    let c = corners[vi];
    let r = m.radius_px + 2.0;
    let px = m.center_px + c * r;
    var out: MarkerOut;
    out.position = vec4<f32>(px.x / frame.viewport.x * 2.0 - 1.0, 1.0 - px.y / frame.viewport.y * 2.0, 0.0, 1.0);
    out.local = c * r;
    out.radius = m.radius_px;
    out.style = m.style;
    return out;
}

// Drawn straight into a non-sRGB output (no fade running): encode by hand.
fn encode(c: vec3<f32>) -> vec3<f32> {
    return select(c, linear_to_srgb(c), frame.env.z > 0.5);
}

@fragment
fn fs_main(in: MarkerOut) -> @location(0) vec4<f32> {
    let d = length(in.local);
    let r = in.radius;
    let aa = 1.0;
    let outer = 1.0 - smoothstep(r - aa, r, d);
    let ring = outer * smoothstep(r * 0.72 - aa, r * 0.72, d);
    let hidden = in.style.y > 0.5;
    let link = in.style.x > 0.5;
    // Accent: warm gold for information, teal for links.
    let accent = select(vec3<f32>(0.95, 0.66, 0.18), vec3<f32>(0.16, 0.72, 0.68), link);
    if (hidden) {
        // Dashed ring: 12 dashes around the circle.
        let ang = atan2(in.local.y, in.local.x);
        let dash = step(0.0, sin(ang * 12.0));
        let a = ring * dash * 0.75;
        return vec4<f32>(encode(vec3<f32>(0.85)) * a, a);
    }
    // Inner disc with a symbol: a dot for info, a chevron (up arrow) for links.
    let inner = 1.0 - smoothstep(r * 0.72 - aa, r * 0.72, d);
    var symbol = 0.0;
    let p = in.local / r;
    if (link) {
        let q = vec2<f32>(abs(p.x), -p.y + 0.12);
        let dist = abs(q.y + q.x - 0.28);
        symbol = (1.0 - smoothstep(0.08, 0.14, dist)) * step(q.x, 0.36);
    } else {
        symbol = 1.0 - smoothstep(0.16, 0.22, length(p));
    }
    let highlight = in.style.z;
    let fill = mix(accent * 0.9, vec3<f32>(1.0), symbol);
    var color = vec3<f32>(1.0) * ring + fill * inner * (1.0 - ring);
    color = mix(color, vec3<f32>(1.0), highlight * 0.25 * inner);
    let alpha = max(ring, inner * 0.92);
    // Soft shadow outside the ring for contrast on bright panoramas.
    let shadow = (1.0 - smoothstep(r, r + 2.0, d)) * (1.0 - outer) * 0.35;
    let a = max(alpha, shadow);
    return vec4<f32>(encode(color) * alpha, a);
}
