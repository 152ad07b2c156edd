//! MikkTSpace tangents for normal-mapped primitives that come without TANGENT, as the glTF spec
//! asks. glTF's bitangent is `cross(normal, tangent.xyz) * tangent.w` and a normal map's +Y points
//! up in the image, while glTF's v grows downward; MikkTSpace therefore gets `(u, 1 - v)`.

use super::Primitive;
use glam::Vec3;
use std::collections::HashMap;

struct Mesh<'a> {
    p: &'a Primitive,
    uv: &'a [[f32; 2]],
    /// One tangent per triangle corner.
    out: Vec<[f32; 4]>,
}

impl Mesh<'_> {
    fn vertex(&self, face: usize, vert: usize) -> usize {
        self.p.indices[face * 3 + vert] as usize
    }
}

impl bevy_mikktspace::Geometry for Mesh<'_> {
    fn num_faces(&self) -> usize {
        self.p.indices.len() / 3
    }
    fn num_vertices_of_face(&self, _face: usize) -> usize {
        3
    }
    fn position(&self, face: usize, vert: usize) -> [f32; 3] {
        self.p.positions[self.vertex(face, vert)]
    }
    fn normal(&self, face: usize, vert: usize) -> [f32; 3] {
        self.p.normals[self.vertex(face, vert)]
    }
    fn tex_coord(&self, face: usize, vert: usize) -> [f32; 2] {
        let [u, v] = self.uv[self.vertex(face, vert)];
        [u, 1.0 - v]
    }
    fn set_tangent(
        &mut self,
        tangent_space: Option<bevy_mikktspace::TangentSpace>,
        face: usize,
        vert: usize,
    ) {
        // Degenerate corners (no UV area, no neighbour to borrow from) get any tangent
        // perpendicular to the normal: there is no UV direction to follow there.
        let t = match tangent_space.map(|ts| ts.tangent_encoded()) {
            Some(t) if Vec3::new(t[0], t[1], t[2]).length_squared() > 1e-12 => t,
            _ => {
                let n = Vec3::from(self.p.normals[self.vertex(face, vert)]);
                let t = n.any_orthonormal_vector();
                [t.x, t.y, t.z, 1.0]
            }
        };
        self.out[face * 3 + vert] = t;
    }
}

/// Generates MikkTSpace tangents from the UV set `uv_set` (0 or 1). Vertices whose corners get
/// different tangents (UV seams, mirrored halves) are split; the others stay shared.
pub fn generate(p: &mut Primitive, uv_set: u32) {
    let uv = if uv_set == 1 { &p.uv1 } else { &p.uv0 };
    let corners = p.indices.len() / 3 * 3;
    let mut mesh = Mesh {
        p,
        uv,
        out: vec![[1.0, 0.0, 0.0, 1.0]; corners],
    };
    // The error type has no variants: generation cannot fail.
    let _ = bevy_mikktspace::generate_tangents(&mut mesh);
    let corner_tangents = mesh.out;

    let mut out = Primitive {
        material: p.material,
        ..Default::default()
    };
    let mut seen: HashMap<(u32, [u32; 4]), u32> = HashMap::with_capacity(p.positions.len());
    for (corner, &i) in p.indices.iter().take(corners).enumerate() {
        let t = corner_tangents[corner];
        let key = (i, t.map(f32::to_bits));
        let next = out.positions.len() as u32;
        let index = *seen.entry(key).or_insert(next);
        if index == next {
            let v = i as usize;
            out.positions.push(p.positions[v]);
            out.normals.push(p.normals[v]);
            out.tangents.push(t);
            out.uv0.push(p.uv0[v]);
            out.uv1.push(p.uv1[v]);
            out.colors.push(p.colors[v]);
        }
        out.indices.push(index);
    }
    *p = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A quad in the XY plane facing +Z, with glTF UVs: u to the right (+X), v downward (−Y).
    fn quad() -> Primitive {
        Primitive {
            positions: vec![[0., 0., 0.], [1., 0., 0.], [1., 1., 0.], [0., 1., 0.]],
            normals: vec![[0., 0., 1.]; 4],
            uv0: vec![[0., 1.], [1., 1.], [1., 0.], [0., 0.]],
            uv1: vec![[0.; 2]; 4],
            colors: vec![[1.; 4]; 4],
            indices: vec![0, 1, 2, 0, 2, 3],
            ..Default::default()
        }
    }

    #[test]
    fn handedness_follows_gltf() {
        let mut p = quad();
        generate(&mut p, 0);
        assert_eq!(p.positions.len(), 4, "no seams, no split vertices");
        for t in &p.tangents {
            let tv = Vec3::new(t[0], t[1], t[2]);
            assert!((tv - Vec3::X).length() < 1e-5, "tangent follows +u: {t:?}");
            // bitangent = cross(n, t) * w must point up in the image, i.e. +Y here.
            let b = Vec3::Z.cross(tv) * t[3];
            assert!((b - Vec3::Y).length() < 1e-5, "bitangent points up: {b:?}");
        }
        // Mirrored UVs (u flipped) flip the handedness.
        let mut m = quad();
        for uv in &mut m.uv0 {
            uv[0] = 1.0 - uv[0];
        }
        generate(&mut m, 0);
        for t in &m.tangents {
            assert!((Vec3::new(t[0], t[1], t[2]) + Vec3::X).length() < 1e-5);
            let b = Vec3::Z.cross(Vec3::new(t[0], t[1], t[2])) * t[3];
            assert!((b - Vec3::Y).length() < 1e-5);
        }
    }

    #[test]
    fn many_corners_at_one_position_stay_fast() {
        // The reference implementation's welding is quadratic in the corners that share a
        // position; the corrected welding (a sorted map) is not. 60 000 corners at the origin.
        let n = 60_000;
        let mut p = Primitive {
            positions: vec![[0.0; 3]; n],
            normals: (0..n)
                .map(|i| [0.0, (i as f32 * 0.1).sin(), (i as f32 * 0.1).cos()])
                .collect(),
            uv0: (0..n)
                .map(|i| [i as f32 * 1e-3, (i as f32 * 0.37) % 1.0])
                .collect(),
            uv1: vec![[0.0; 2]; n],
            colors: vec![[1.0; 4]; n],
            indices: (0..n as u32).collect(),
            ..Default::default()
        };
        let t = std::time::Instant::now();
        generate(&mut p, 0);
        assert_eq!(p.tangents.len(), p.positions.len());
        assert!(t.elapsed().as_secs() < 20, "{:?}", t.elapsed());
    }
}
