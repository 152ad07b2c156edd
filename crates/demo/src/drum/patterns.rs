//! Relief patterns of the drum's textures: strokes, bands, circles and zig-zags, the dancers,
//! houses, birds and boats of the friezes, and the relief height of the tympanum, the body and
//! the handles. Heights are in [0, 1]: 1 is raised relief (cast lines and figures).

use super::TYMPANUM_R;
use crate::noise::smoothstep;
use glam::Vec2;
use std::f32::consts::TAU;

/// Anti-aliased stroke of width `w` at distance `d`.
fn stroke(d: f32, w: f32, aa: f32) -> f32 {
    let w = w.max(aa * 1.5);
    1.0 - smoothstep(w * 0.5 - aa, w * 0.5 + aa, d)
}

fn seg(p: Vec2, a: Vec2, b: Vec2) -> f32 {
    let pa = p - a;
    let ba = b - a;
    let h = (pa.dot(ba) / ba.dot(ba).max(1e-12)).clamp(0.0, 1.0);
    (pa - ba * h).length()
}

/// Polyline distance.
fn poly(p: Vec2, pts: &[Vec2]) -> f32 {
    pts.windows(2)
        .map(|w| seg(p, w[0], w[1]))
        .fold(f32::INFINITY, f32::min)
}

/// Inside a convex or simple polygon (even-odd).
fn inside(p: Vec2, pts: &[Vec2]) -> bool {
    let mut c = false;
    let n = pts.len();
    let mut j = n - 1;
    for i in 0..n {
        let (a, b) = (pts[i], pts[j]);
        if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
            c = !c;
        }
        j = i;
    }
    c
}

/// Two thin lines at the edges of a band `[a, b]` (coordinate `x`).
fn band_edges(x: f32, a: f32, b: f32, aa: f32) -> f32 {
    stroke((x - a).abs(), 0.0016, aa).max(stroke((x - b).abs(), 0.0016, aa))
}

/// Ladder: short bars across a band, `spacing` apart along `s`.
fn ladder(s: f32, spacing: f32, aa: f32) -> f32 {
    let f = (s / spacing).rem_euclid(1.0) - 0.5;
    stroke(f.abs() * spacing, 0.0014, aa)
}

/// Circles with a centre dot, tangent lines joining them; `s` along the band, `t` across it
/// (0 at the band centre), `count` circles per `length`.
fn circles(s: f32, t: f32, length: f32, count: f32, radius: f32, aa: f32) -> f32 {
    let spacing = length / count;
    let f = ((s / spacing).rem_euclid(1.0) - 0.5) * spacing;
    let d = Vec2::new(f, t).length();
    let ring = stroke((d - radius).abs(), 0.0015, aa);
    let dot = stroke(d, radius * 0.6, aa);
    // Tangent lines between neighbours: from the top of one circle to the bottom of the next.
    let slope = (2.0 * radius) / spacing;
    let g = ((s / spacing + 0.5).rem_euclid(1.0) - 0.5) * spacing;
    let tangent = if d > radius * 1.05 {
        stroke(
            (t - g * slope).abs() / (1.0 + slope * slope).sqrt(),
            0.0013,
            aa,
        )
    } else {
        0.0
    };
    ring.max(dot).max(tangent)
}

/// Zig-zag lines across a band of half-height `hh`.
fn zigzag(s: f32, t: f32, period: f32, hh: f32, aa: f32) -> f32 {
    let f = (s / period).rem_euclid(1.0);
    let tri = (f * 2.0 - 1.0).abs() * 2.0 - 1.0; // -1..1
    let mut v: f32 = 0.0;
    for k in [-1.0, 0.0, 1.0] {
        let y = tri * hh * 0.55 + k * hh * 0.6;
        v = v.max(stroke((t - y).abs(), 0.0013, aa));
    }
    v
}

/// A dancer with a feathered head-dress; `p` in metres, feet at y = 0, facing +x.
fn dancer(p: Vec2, size: f32, aa: f32) -> f32 {
    let q = p / size;
    let a = aa / size;
    let mut d = seg(q, Vec2::new(0.0, 0.36), Vec2::new(0.02, 0.7)); // body
    d = d.min(seg(q, Vec2::new(0.0, 0.36), Vec2::new(-0.12, 0.0))); // legs
    d = d.min(seg(q, Vec2::new(0.0, 0.36), Vec2::new(0.14, 0.02)));
    d = d.min(poly(
        q,
        &[
            Vec2::new(-0.2, 0.5),
            Vec2::new(0.02, 0.62),
            Vec2::new(0.26, 0.72),
        ],
    )); // arms
    let head = (q - Vec2::new(0.04, 0.8)).length() - 0.08;
    let mut v = stroke(d, 0.07, a).max(stroke(head.max(0.0), 0.05, a));
    // Head-dress: feathers sweeping back.
    for k in 0..5 {
        let ang = 1.9 + 0.22 * k as f32;
        let tip =
            Vec2::new(0.04, 0.86) + Vec2::new(ang.cos(), ang.sin()) * (0.55 - 0.04 * k as f32);
        v = v.max(stroke(seg(q, Vec2::new(0.04, 0.86), tip), 0.035, a));
    }
    v
}

/// A stilt house with a saddle roof ending in bird heads; `p` in metres, ground at y = 0.
fn house(p: Vec2, size: f32, aa: f32) -> f32 {
    let q = p / size;
    let a = aa / size;
    let mut d = f32::INFINITY;
    for x in [-0.4, -0.14, 0.14, 0.4] {
        d = d.min(seg(q, Vec2::new(x, 0.0), Vec2::new(x, 0.32)));
    }
    d = d.min(seg(q, Vec2::new(-0.5, 0.32), Vec2::new(0.5, 0.32)));
    d = d.min(poly(
        q,
        &[
            Vec2::new(-0.42, 0.32),
            Vec2::new(-0.42, 0.55),
            Vec2::new(0.42, 0.55),
            Vec2::new(0.42, 0.32),
        ],
    ));
    // Saddle roof: two curves rising to upturned ends.
    let roof = |x: f32, lift: f32| 0.58 + lift + 0.45 * (x / 0.8).powi(4);
    let lower: Vec<Vec2> = (0..=16)
        .map(|i| {
            let x = -0.8 + 1.6 * i as f32 / 16.0;
            Vec2::new(x, roof(x, 0.0))
        })
        .collect();
    let upper: Vec<Vec2> = (0..=16)
        .map(|i| {
            let x = -0.7 + 1.4 * i as f32 / 16.0;
            Vec2::new(x, roof(x, 0.2))
        })
        .collect();
    d = d.min(poly(q, &lower)).min(poly(q, &upper));
    let mut v = stroke(d, 0.06, a);
    // Hatching between the roof curves.
    if q.x.abs() < 0.72 && q.y > roof(q.x, 0.0) && q.y < roof(q.x, 0.2) {
        let f = ((q.x + q.y) / 0.09).rem_euclid(1.0) - 0.5;
        v = v.max(0.7 * stroke(f.abs() * 0.09, 0.03, a));
    }
    // Bird heads at the roof ends.
    for sx in [-1.0f32, 1.0] {
        let h = (q - Vec2::new(0.86 * sx, 1.12)).length() - 0.05;
        v = v.max(stroke(h.max(0.0), 0.05, a));
        v = v.max(stroke(
            seg(q, Vec2::new(0.86 * sx, 1.12), Vec2::new(1.05 * sx, 1.1)),
            0.03,
            a,
        ));
    }
    v
}

/// A long-beaked bird (chim Lạc) seen from above, flying towards +x; `p` in metres.
fn bird(p: Vec2, size: f32, aa: f32) -> f32 {
    let q = p / size;
    let a = aa / size;
    // Body ellipse.
    let e = Vec2::new(q.x / 0.36, q.y / 0.085);
    let body = (e.length() - 1.0) * 0.085;
    let mut v = stroke(body.max(0.0), 0.03, a);
    let head = (q - Vec2::new(0.42, 0.0)).length() - 0.075;
    v = v.max(stroke(head.max(0.0), 0.03, a));
    v = v.max(stroke(
        seg(q, Vec2::new(0.48, 0.0), Vec2::new(0.98, -0.045)),
        0.035,
        a,
    )); // beak
    v = v.max(stroke(
        poly(
            q,
            &[
                Vec2::new(0.4, 0.07),
                Vec2::new(0.3, 0.2),
                Vec2::new(0.12, 0.27),
            ],
        ),
        0.025,
        a,
    )); // crest
    for sy in [-1.0f32, 1.0] {
        let wing = [
            Vec2::new(0.15, 0.05 * sy),
            Vec2::new(-0.15, 0.62 * sy),
            Vec2::new(-0.34, 0.6 * sy),
            Vec2::new(-0.12, 0.05 * sy),
        ];
        let mut outline = wing.to_vec();
        outline.push(wing[0]);
        v = v.max(stroke(poly(q, &outline), 0.03, a));
        if inside(q, &wing) {
            let f = ((q.x * 0.8 + q.y.abs() * 0.6) / 0.07).rem_euclid(1.0) - 0.5;
            v = v.max(0.75 * stroke(f.abs() * 0.07, 0.022, a));
        }
    }
    for k in -1..=1 {
        let tip = Vec2::new(-0.82, 0.16 * k as f32);
        v = v.max(stroke(seg(q, Vec2::new(-0.3, 0.0), tip), 0.03, a));
    }
    v
}

/// A boat with feathered oarsmen, for the shoulder frieze; `p` in metres, keel at y = 0.
fn boat(p: Vec2, size: f32, aa: f32) -> f32 {
    let q = p / size;
    let a = aa / size;
    let hull = |x: f32| 0.08 + 0.5 * (x / 1.0).powi(6);
    let keel: Vec<Vec2> = (0..=20)
        .map(|i| {
            let x = -1.0 + 2.0 * i as f32 / 20.0;
            Vec2::new(x, 0.5 * (x / 1.0).powi(6))
        })
        .collect();
    let deck: Vec<Vec2> = keel
        .iter()
        .map(|k| Vec2::new(k.x * 0.96, hull(k.x * 0.96)))
        .collect();
    let mut v = stroke(poly(q, &keel), 0.04, a).max(stroke(poly(q, &deck), 0.04, a));
    if q.x.abs() < 0.95 && q.y > 0.5 * q.x.powi(6) && q.y < hull(q.x) {
        v = v.max(0.6);
    }
    // Bird-head prow and stern.
    for sx in [-1.0f32, 1.0] {
        let h = (q - Vec2::new(1.02 * sx, 0.62)).length() - 0.05;
        v = v.max(stroke(h.max(0.0), 0.04, a));
    }
    for k in 0..4 {
        let x = -0.54 + 0.36 * k as f32;
        v = v.max(dancer(q - Vec2::new(x, 0.1), 0.42, a));
    }
    v
}

/// Relief height of the tympanum at radius `r` (metres) and angle `th`.
pub(super) fn tympanum_height(r: f32, th: f32, aa: f32) -> f32 {
    let rn = r / TYMPANUM_R;
    let s_at = |rad: f32| th * rad; // arc length at a band's radius
    let mut h: f32 = 0.0;
    // Bands as fractions of the radius.
    let b = |x: f32| x * TYMPANUM_R;
    if rn < 0.105 {
        // 14-ray star with feather hatching between the rays.
        let sector = TAU / 14.0;
        let f = (th / sector).rem_euclid(1.0) - 0.5; // -0.5..0.5, 0 at a ray
        let half = 0.5 * (1.0 - rn / 0.105);
        let ray = if f.abs() < half { 1.0 } else { 0.0 };
        let edge = ((f.abs() - half) * sector * r).abs();
        h = h.max(ray).max(stroke(edge, 0.0012, aa));
        if ray < 0.5 {
            let g = ((r * (f * sector).cos()) / 0.0045).rem_euclid(1.0) - 0.5;
            h = h.max(0.55 * stroke(g.abs() * 0.0045, 0.0013, aa));
        }
        h = h.max(stroke((r - b(0.018)).max(0.0), 0.002, aa));
    }
    let band = |lo: f32, hi: f32| rn >= lo && rn < hi;
    h = h.max(band_edges(r, b(0.105), b(0.115), aa));
    if band(0.115, 0.165) {
        let mid = b(0.14);
        h = h.max(circles(s_at(mid), r - mid, TAU * mid, 20.0, b(0.018), aa));
    }
    h = h.max(band_edges(r, b(0.165), b(0.175), aa));
    if band(0.175, 0.215) {
        h = h.max(ladder(s_at(b(0.195)), 0.004, aa));
    }
    h = h.max(band_edges(r, b(0.215), b(0.225), aa));
    if band(0.225, 0.40) {
        // Eight groups: a stilt house and three dancers, moving counter-clockwise.
        let lo = b(0.23);
        let mid = b(0.31);
        let sector = TAU / 8.0;
        let f = (th / sector).rem_euclid(1.0) * sector; // angle within the group
        let s = f * mid;
        let y = r - lo;
        let len = sector * mid;
        let mut v = house(Vec2::new(s - len * 0.32, y), 0.028, aa);
        for k in 0..3 {
            v = v.max(dancer(
                Vec2::new(s - len * (0.62 + 0.14 * k as f32), y),
                0.04,
                aa,
            ));
        }
        h = h.max(v);
    }
    h = h.max(band_edges(r, b(0.40), b(0.41), aa));
    if band(0.41, 0.46) {
        let mid = b(0.435);
        h = h.max(circles(s_at(mid), r - mid, TAU * mid, 54.0, b(0.016), aa));
    }
    h = h.max(band_edges(r, b(0.46), b(0.47), aa));
    if band(0.47, 0.66) {
        let mid = b(0.565);
        let sector = TAU / 18.0;
        let f = ((th / sector).rem_euclid(1.0) - 0.5) * sector;
        h = h.max(bird(Vec2::new(f * mid, r - mid), 0.042, aa));
    }
    h = h.max(band_edges(r, b(0.66), b(0.67), aa));
    if band(0.67, 0.72) {
        let mid = b(0.695);
        let len = TAU * mid;
        h = h.max(zigzag(s_at(mid), r - mid, len / 90.0, b(0.025), aa));
    }
    h = h.max(band_edges(r, b(0.72), b(0.73), aa));
    if band(0.73, 0.78) {
        let mid = b(0.755);
        h = h.max(circles(s_at(mid), r - mid, TAU * mid, 96.0, b(0.016), aa));
    }
    h = h.max(band_edges(r, b(0.78), b(0.79), aa));
    if band(0.79, 0.83) {
        h = h.max(ladder(s_at(b(0.81)), 0.0045, aa));
    }
    h = h.max(band_edges(r, b(0.83), b(0.84), aa));
    h
}

/// Relief height of the body at angle `phi` and distance `s` (metres) down from the top of
/// the rim; `neck_s` is where the outer wall starts, `wall` its length.
pub(super) fn body_height(phi: f32, s: f32, neck_s: f32, wall: f32, aa: f32) -> f32 {
    let r_ref = 0.36;
    let x = phi * r_ref; // arc length
    let len = TAU * r_ref;
    let d = s - neck_s; // down the outer wall from the neck
    let mut h: f32 = 0.0;
    if d < 0.0 {
        return 0.0;
    }
    let edges = [
        0.012, 0.016, 0.034, 0.038, 0.052, 0.056, 0.15, 0.154, 0.168, 0.172,
    ];
    for e in edges {
        h = h.max(stroke((d - e).abs(), 0.0016, aa));
    }
    if d > 0.016 && d < 0.034 {
        h = h.max(circles(x, d - 0.025, len, 90.0, 0.0055, aa));
    }
    if d > 0.038 && d < 0.052 {
        h = h.max(ladder(x, 0.007, aa));
    }
    if d > 0.056 && d < 0.15 {
        // Six boats.
        let sector = len / 6.0;
        let f = ((x / sector).rem_euclid(1.0) - 0.5) * sector;
        h = h.max(boat(Vec2::new(f, 0.142 - d), 0.12, aa));
    }
    if d > 0.154 && d < 0.168 {
        h = h.max(ladder(x, 0.007, aa));
    }
    // Waist: eight panels of two warriors between vertical ladder bands.
    let w0 = 0.19;
    let w1 = 0.36;
    for e in [w0 - 0.004, w0, w1, w1 + 0.004] {
        h = h.max(stroke((d - e).abs(), 0.0016, aa));
    }
    if d > w0 && d < w1 {
        let sector = len / 8.0;
        let f = (x / sector).rem_euclid(1.0) * sector;
        if f < 0.03 {
            h = h.max(ladder(d, 0.006, aa));
            h = h
                .max(stroke(f.abs(), 0.0016, aa))
                .max(stroke((f - 0.03).abs(), 0.0016, aa));
        } else {
            let cx = 0.03 + (sector - 0.03) * 0.5;
            for k in [-1.0, 0.0, 1.0] {
                let p = Vec2::new(f - cx - k * 0.07, w1 - 0.012 - d);
                h = h.max(dancer(p, 0.1, aa));
            }
        }
    }
    if d > w1 + 0.004 && d < w1 + 0.03 {
        h = h.max(zigzag(x, d - (w1 + 0.017), len / 110.0, 0.011, aa));
    }
    h = h.max(stroke((d - (w1 + 0.034)).abs(), 0.0016, aa));
    // The foot stays plain; a thin line just above the rim of the foot.
    h = h.max(stroke((d - (wall - 0.02)).abs(), 0.0016, aa));
    h
}

/// Braided pattern of a handle band.
pub(super) fn handle_height(u: f32, v: f32) -> f32 {
    let f = ((u * 4.0 + v * 30.0).rem_euclid(1.0) - 0.5).abs();
    let g = ((u * 4.0 - v * 30.0).rem_euclid(1.0) - 0.5).abs();
    (1.0 - smoothstep(0.18, 0.3, f.min(g))) * 0.8
}
