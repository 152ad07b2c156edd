//! A generated stand-in for a huge museum scan (never committed): a weathered stone boulder
//! about a metre tall, as a latitude-longitude grid of about `triangles` triangles with relief
//! (rough stone, and a band of carved grooves like a worn inscription), normals, UVs with a seam
//! at longitude 0, and one `texture_width` × `texture_width / 2` JPEG colour texture with a
//! grid every 512 pixels. Written as one GLB; `cargo xtask big-panos` makes the 2M-triangle one
//! with an 8192-pixel texture, and `disan optimize` its derivatives.

use crate::noise::{fbm3, hash2, value2};
use crate::Error;
use glam::{Vec2, Vec3};
use serde_json::json;
use std::f32::consts::PI;

/// The boulder's surface at longitude `u` and latitude `v` (both 0..1).
fn surface(u: f32, v: f32) -> [f32; 3] {
    let lon = u * 2.0 * PI;
    let lat = (v - 0.5) * PI;
    let dir = [lat.cos() * lon.sin(), lat.sin(), lat.cos() * lon.cos()];
    let radii = [0.32, 0.55, 0.24];
    let mut r = 1.0 + 0.08 * (fbm3(Vec3::from(dir) * 3.0, 4, 11) - 0.5);
    // A band of carved grooves around the middle: a worn inscription.
    if lat.abs() < 0.35 {
        let g = ((lon * 40.0).sin() * (lat * 60.0).sin()).abs();
        if g > 0.85 {
            r -= 0.012 * ((g - 0.85) / 0.15);
        }
    }
    [
        dir[0] * radii[0] * r,
        dir[1] * radii[1] * r + 0.55,
        dir[2] * radii[2] * r,
    ]
}

/// The GLB of a boulder of about `triangles` triangles with a `texture_width`-wide texture.
pub fn boulder_glb(triangles: u64, texture_width: u32) -> Result<Vec<u8>, Error> {
    // 2 × segments × rows triangles, with segments = 2 × rows.
    let rows = ((triangles as f64 / 4.0).sqrt().round() as usize).max(4);
    let segs = rows * 2;
    let mut positions: Vec<f32> = Vec::with_capacity((rows + 1) * (segs + 1) * 3);
    let mut uvs: Vec<f32> = Vec::with_capacity((rows + 1) * (segs + 1) * 2);
    for i in 0..=rows {
        for j in 0..=segs {
            let (u, v) = (j as f32 / segs as f32, i as f32 / rows as f32);
            positions.extend(surface(u % 1.0, v));
            uvs.extend([u, 1.0 - v]);
        }
    }
    let at = |i: usize, j: usize| -> [f32; 3] {
        let k = (i * (segs + 1) + j) * 3;
        [positions[k], positions[k + 1], positions[k + 2]]
    };
    let mut normals: Vec<f32> = Vec::with_capacity(positions.len());
    for i in 0..=rows {
        for j in 0..=segs {
            let (jl, jr) = (
                if j == 0 { segs - 1 } else { j - 1 },
                if j == segs { 1 } else { j + 1 },
            );
            let (iu, id) = (i.saturating_sub(1), (i + 1).min(rows));
            let a = at(i, jl);
            let b = at(i, jr);
            let c = at(iu, j);
            let d = at(id, j);
            let t = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
            let s = [d[0] - c[0], d[1] - c[1], d[2] - c[2]];
            let mut n = [
                s[1] * t[2] - s[2] * t[1],
                s[2] * t[0] - s[0] * t[2],
                s[0] * t[1] - s[1] * t[0],
            ];
            let len = (n[0] * n[0] + n[1] * n[1] + n[2] * n[2]).sqrt();
            if len > 1e-12 {
                n = n.map(|c| c / len);
            } else {
                n = [0.0, if i == 0 { -1.0 } else { 1.0 }, 0.0];
            }
            normals.extend(n);
        }
    }
    // Quads between rows; at the poles, one fan around the pole's first vertex (the others of
    // the pole row are then unused: a scan has no degenerate triangles there).
    let mut indices: Vec<u32> = Vec::with_capacity(rows * segs * 6);
    let north = (rows * (segs + 1)) as u32;
    for i in 0..rows {
        for j in 0..segs {
            let a = (i * (segs + 1) + j) as u32;
            let b = a + 1;
            let c = a + (segs + 1) as u32;
            let d = c + 1;
            if i == 0 {
                indices.extend([0, c, d]);
            } else if i == rows - 1 {
                indices.extend([a, north, b]);
            } else {
                indices.extend([a, c, b, b, c, d]);
            }
        }
    }
    let texture = texture(texture_width)?;

    let mut bin = Vec::new();
    let mut views = Vec::new();
    let mut push = |bin: &mut Vec<u8>, bytes: &[u8]| {
        while !bin.len().is_multiple_of(4) {
            bin.push(0);
        }
        views.push(json!({"buffer": 0, "byteOffset": bin.len(), "byteLength": bytes.len()}));
        bin.extend_from_slice(bytes);
        views.len() - 1
    };
    let f = |v: &[f32]| -> Vec<u8> { v.iter().flat_map(|x| x.to_le_bytes()).collect() };
    let (mut lo, mut hi) = ([f32::MAX; 3], [f32::MIN; 3]);
    for p in positions.chunks_exact(3) {
        for k in 0..3 {
            lo[k] = lo[k].min(p[k]);
            hi[k] = hi[k].max(p[k]);
        }
    }
    let n = positions.len() / 3;
    let vp = push(&mut bin, &f(&positions));
    let vn = push(&mut bin, &f(&normals));
    let vt = push(&mut bin, &f(&uvs));
    let idx: Vec<u8> = indices.iter().flat_map(|i| i.to_le_bytes()).collect();
    let vi = push(&mut bin, &idx);
    let vimg = push(&mut bin, &texture);
    let root = json!({
        "asset": {"version": "2.0", "generator": "cargo xtask (generated scan)"},
        "scene": 0, "scenes": [{"nodes": [0]}], "nodes": [{"mesh": 0, "name": "boulder"}],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0, "NORMAL": 1, "TEXCOORD_0": 2}, "indices": 3, "material": 0}]}],
        "materials": [{"name": "stone", "pbrMetallicRoughness": {"baseColorTexture": {"index": 0}, "metallicFactor": 0.0, "roughnessFactor": 0.9}}],
        "textures": [{"source": 0}],
        "images": [{"bufferView": vimg, "mimeType": "image/jpeg"}],
        "accessors": [
            {"bufferView": vp, "componentType": 5126, "count": n, "type": "VEC3", "min": lo, "max": hi},
            {"bufferView": vn, "componentType": 5126, "count": n, "type": "VEC3"},
            {"bufferView": vt, "componentType": 5126, "count": n, "type": "VEC2"},
            {"bufferView": vi, "componentType": 5125, "count": indices.len(), "type": "SCALAR"}
        ],
        "bufferViews": views,
        "buffers": [{"byteLength": bin.len()}]
    });
    let text = serde_json::to_vec(&root).map_err(|source| Error::Json {
        what: "the scan's glTF",
        source,
    })?;
    Ok(disan_assets::model::pack_glb(&text, &bin))
}

/// Stone colour with blotches, and a grid every 512 pixels (recognisable at every level).
struct Stone {
    w: u32,
}

impl image::GenericImageView for Stone {
    type Pixel = image::Rgb<u8>;

    fn dimensions(&self) -> (u32, u32) {
        (self.w, self.w / 2)
    }

    fn get_pixel(&self, x: u32, y: u32) -> image::Rgb<u8> {
        if x % 512 < 6 || y % 512 < 6 {
            return image::Rgb([150, 60, 40]);
        }
        let s = 64.0 / self.w as f32;
        let n = value2(Vec2::new(x as f32, y as f32) * s, 5);
        let fine = hash2(x as i32 / 3, y as i32 / 3, 7);
        let v = 0.55 + 0.3 * n + 0.1 * fine;
        image::Rgb([(v * 190.0) as u8, (v * 180.0) as u8, (v * 160.0) as u8])
    }
}

fn texture(w: u32) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&Stone { w })
        .map_err(|source| Error::Encode {
            what: "the scan's texture",
            source,
        })?;
    Ok(out)
}
