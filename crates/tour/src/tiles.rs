//! Cube panoramas as tile pyramids: the tour's `tiles` and `cube` sources resolved into levels,
//! the tile under a view direction, which level a view needs, which tiles it sees (nearest the
//! view centre first), and the file of each tile. No GPU, no files: both shells and the
//! renderer use this, so "which tile, from where, drawn where" is written once.
//!
//! Faces are numbered front, right, back, left, up, down (Pannellum's order). Face point
//! (s, t), both in -1..1, s to the right and t down the face image, looks in the world
//! direction [`face_direction`] (yaw 0 = -z, y up), as Pannellum's `generate.py` lays them out.

use crate::camera::Projection;
use crate::model::{TileLevel, TileSource};
use glam::{Vec2, Vec3};

/// One tile: face, level (index into [`Pyramid::levels`], 0 = coarsest), column and row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileKey {
    /// Face 0..6: front, right, back, left, up, down.
    pub face: u8,
    /// Level index, 0 = coarsest.
    pub level: u8,
    /// Column.
    pub x: u32,
    /// Row.
    pub y: u32,
}

/// One resolved level.
#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    /// Face side in pixels (0: not known before the faces arrive, six-face cubes).
    pub size: u32,
    /// Tile side in pixels (0: one tile per face).
    pub tile_size: u32,
    /// File template of this level (`%s` face letter, `%x`/`%y` column/row, `%l` level).
    pub path: String,
    /// The number `%l` stands for.
    pub number: u32,
}

/// A cube panorama's tiles: levels from the coarsest, face letters, file names.
#[derive(Debug, Clone, PartialEq)]
pub struct Pyramid {
    /// Levels, coarsest first.
    pub levels: Vec<Level>,
    /// Letters `%s` stands for, per face (front, right, back, left, up, down).
    pub faces: [String; 6],
    /// Number of the first column and row in file names (0, or 1 for krpano).
    pub first_index: u32,
    /// Six-face cube: one file per face, named in full (`faces` holds the paths).
    pub whole_faces: bool,
}

/// Why a tile source cannot be used.
pub type PyramidError = String;

/// Largest face side accepted (a 2-gigapixel panorama is about 26000 px a face).
pub const MAX_FACE: u32 = 1 << 17;

impl Pyramid {
    /// Resolves a `tiles` source: explicit `levels`, or Pannellum's `cube_resolution` +
    /// `max_level` + `tile_size` (level l has side `cube_resolution >> (max_level - l)`).
    pub fn from_tiles(src: &TileSource) -> Result<Pyramid, PyramidError> {
        let letters: Vec<char> = src.faces.chars().collect();
        if letters.len() != 6 {
            return Err(format!(
                "\"faces\" must have six letters (front, right, back, left, up, down), not \"{}\"",
                src.faces
            ));
        }
        if !src.path.contains("%s") && src.levels.iter().all(|l| l.path.is_none()) {
            return Err("\"path\" must contain %s (the face letter)".into());
        }
        let mut levels = Vec::new();
        if !src.levels.is_empty() {
            for (
                i,
                TileLevel {
                    size,
                    tile_size,
                    path,
                },
            ) in src.levels.iter().enumerate()
            {
                let ts = tile_size.or(src.tile_size).unwrap_or(0);
                levels.push(Level {
                    size: *size,
                    tile_size: ts,
                    path: path.clone().unwrap_or_else(|| src.path.clone()),
                    number: src.first_level + i as u32,
                });
            }
        } else {
            let (Some(cube), Some(max), Some(ts)) =
                (src.cube_resolution, src.max_level, src.tile_size)
            else {
                return Err(
                    "give \"levels\", or \"cube_resolution\", \"max_level\" and \"tile_size\""
                        .into(),
                );
            };
            if !(1..=20).contains(&max) {
                return Err(format!("\"max_level\" {max} is outside 1..=20"));
            }
            for l in 1..=max {
                levels.push(Level {
                    size: cube >> (max - l),
                    tile_size: ts,
                    path: src.path.clone(),
                    number: src.first_level + (l - 1),
                });
            }
        }
        for (i, l) in levels.iter().enumerate() {
            if l.size == 0 || l.size > MAX_FACE {
                return Err(format!(
                    "level {} has a face side of {} pixels (1..={MAX_FACE})",
                    l.number, l.size
                ));
            }
            if !(16..=8192).contains(&l.tile_size) {
                return Err(format!(
                    "level {} has a tile side of {} pixels (16..=8192)",
                    l.number, l.tile_size
                ));
            }
            if i > 0 && l.size <= levels[i - 1].size {
                return Err("levels must grow from the coarsest to the finest".into());
            }
            if l.size.div_ceil(l.tile_size) > 4096 {
                return Err(format!("level {} has too many tiles", l.number));
            }
        }
        Ok(Pyramid {
            levels,
            faces: std::array::from_fn(|i| letters[i].to_string()),
            first_index: src.first_index,
            whole_faces: false,
        })
    }

    /// A six-face cube (`cube`: front, right, back, left, up, down): one level, one tile a face.
    pub fn from_faces(faces: &[String]) -> Result<Pyramid, PyramidError> {
        let faces: [String; 6] = faces
            .to_vec()
            .try_into()
            .map_err(|v: Vec<String>| format!("\"cube\" needs six faces, not {}", v.len()))?;
        Ok(Pyramid {
            levels: vec![Level {
                size: 0,
                tile_size: 0,
                path: String::new(),
                number: 1,
            }],
            faces,
            first_index: 0,
            whole_faces: true,
        })
    }

    /// Tiles per face side at `level`.
    pub fn tiles_per_side(&self, level: usize) -> u32 {
        match self.levels.get(level) {
            Some(l) if l.tile_size > 0 && l.size > 0 => l.size.div_ceil(l.tile_size),
            Some(_) => 1,
            None => 0,
        }
    }

    /// The largest tile side of any level (the side of a tile cache slot); 0 when unknown.
    pub fn max_tile_side(&self) -> u32 {
        self.levels
            .iter()
            .map(|l| {
                if l.tile_size > 0 {
                    l.tile_size.min(l.size)
                } else {
                    l.size
                }
            })
            .max()
            .unwrap_or(0)
    }

    /// Number of tiles over all faces and levels.
    pub fn tile_count(&self) -> u64 {
        (0..self.levels.len())
            .map(|l| 6 * (self.tiles_per_side(l) as u64).pow(2))
            .sum()
    }

    /// All tiles of `level`.
    pub fn level_tiles(&self, level: usize) -> Vec<TileKey> {
        let n = self.tiles_per_side(level);
        let mut out = Vec::new();
        for face in 0..6u8 {
            for y in 0..n {
                for x in 0..n {
                    out.push(TileKey {
                        face,
                        level: level as u8,
                        x,
                        y,
                    });
                }
            }
        }
        out
    }

    /// The file of `key`, relative to the tour folder.
    pub fn path(&self, key: TileKey) -> String {
        if self.whole_faces {
            return self.faces[key.face as usize % 6].clone();
        }
        let Some(level) = self.levels.get(key.level as usize) else {
            return String::new();
        };
        let (x, y) = (key.x + self.first_index, key.y + self.first_index);
        let mut out = String::with_capacity(level.path.len() + 8);
        let mut chars = level.path.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('s') => out.push_str(&self.faces[key.face as usize % 6]),
                Some('l') => out.push_str(&level.number.to_string()),
                Some('x') | Some('h') => out.push_str(&x.to_string()),
                Some('y') | Some('v') => out.push_str(&y.to_string()),
                Some('%') => out.push('%'),
                Some(o) => {
                    out.push('%');
                    out.push(o);
                }
                None => out.push('%'),
            }
        }
        out
    }

    /// Where `key` lies on its face, (s0, t0, s1, t1) in -1..1, and the fraction of a tile
    /// of `slot_side` pixels it fills (edge tiles are smaller).
    pub fn placement(&self, key: TileKey, slot_side: u32) -> ([f32; 4], [f32; 2]) {
        let Some(level) = self.levels.get(key.level as usize) else {
            return ([-1.0, -1.0, 1.0, 1.0], [1.0, 1.0]);
        };
        if level.tile_size == 0 || level.size == 0 {
            return ([-1.0, -1.0, 1.0, 1.0], [1.0, 1.0]);
        }
        let size = level.size as f32;
        let ts = level.tile_size;
        let x0 = key.x * ts;
        let y0 = key.y * ts;
        let w = ts.min(level.size.saturating_sub(x0));
        let h = ts.min(level.size.saturating_sub(y0));
        let s = |p: u32| p as f32 / size * 2.0 - 1.0;
        let side = slot_side.max(1) as f32;
        (
            [s(x0), s(y0), s(x0 + w), s(y0 + h)],
            [w as f32 / side, h as f32 / side],
        )
    }

    /// The level a view needs: the coarsest whose texels are no larger than the screen's
    /// pixels at the view centre (`pixels_per_radian` = half the viewport height over the tangent
    /// of half the vertical field of view), else the finest.
    pub fn level_for(&self, pixels_per_radian: f32) -> usize {
        let last = self.levels.len().saturating_sub(1);
        self.levels
            .iter()
            .position(|l| l.size as f32 / 2.0 >= pixels_per_radian)
            .unwrap_or(last)
    }

    /// The tiles of `level` the view `proj` (physical pixels) sees, nearest the view centre
    /// first. The screen is sampled every `step` pixels and along its edges; what the view
    /// shows of a face is convex, so every tile in the range the samples span on a face is
    /// taken, and where neighbouring samples fall on two faces the range reaches that face edge
    /// (thin edge tiles and foreshortened corners are not missed between samples).
    pub fn visible(&self, level: usize, proj: &Projection, step: f32) -> Vec<TileKey> {
        let n = self.tiles_per_side(level);
        if n == 0 {
            return Vec::new();
        }
        let centre = proj.ray(proj.viewport * 0.5).dir;
        // Face side and tile side in pixels (one tile a face when unknown).
        let (size, ts) = match self.levels.get(level) {
            Some(l) if l.size > 0 && l.tile_size > 0 => (l.size as f32, l.tile_size as f32),
            _ => (n as f32, 1.0),
        };
        let cols = (proj.viewport.x / step.max(4.0)).ceil().max(1.0) as usize;
        let rows = (proj.viewport.y / step.max(4.0)).ceil().max(1.0) as usize;
        let inv = proj.view_proj().inverse();
        let mut samples = Vec::with_capacity((rows + 1) * (cols + 1));
        for j in 0..=rows {
            for i in 0..=cols {
                let ndc = Vec2::new(
                    2.0 * i as f32 / cols as f32 - 1.0,
                    1.0 - 2.0 * j as f32 / rows as f32,
                );
                let near = inv.project_point3(ndc.extend(0.0));
                let far = inv.project_point3(ndc.extend(1.0));
                samples.push(face_point((far - near).normalize_or(Vec3::NEG_Z)));
            }
        }
        // Per face: the (s0, t0, s1, t1) range the samples span.
        let mut ranges: [Option<[f32; 4]>; 6] = [None; 6];
        let mut grow = |face: u8, s: f32, t: f32| {
            let r = ranges[face as usize % 6].get_or_insert([s, t, s, t]);
            *r = [r[0].min(s), r[1].min(t), r[2].max(s), r[3].max(t)];
        };
        for &(face, s, t) in &samples {
            grow(face, s, t);
        }
        // Two neighbouring samples on two faces: the view crosses the edge between them.
        let at = |i: usize, j: usize| samples[j * (cols + 1) + i];
        for j in 0..=rows {
            for i in 0..=cols {
                let a = at(i, j);
                for b in [
                    (i < cols).then(|| at(i + 1, j)),
                    (j < rows).then(|| at(i, j + 1)),
                ]
                .into_iter()
                .flatten()
                {
                    if a.0 == b.0 {
                        continue;
                    }
                    for (face, s, t) in [a, b] {
                        if s.abs() >= t.abs() {
                            grow(face, s.signum(), t);
                        } else {
                            grow(face, s, t.signum());
                        }
                    }
                }
            }
        }
        // The screen's border, finer: a face's corner can poke in between two grid samples.
        let dense = ((proj.viewport.x + proj.viewport.y) * 2.0 / 4.0)
            .ceil()
            .max(8.0) as usize;
        let mut last: Option<(u8, f32, f32)> = None;
        for k in 0..=dense {
            let u = 4.0 * k as f32 / dense as f32; // 0..4 around the border
            let ndc = match u as u32 {
                0 => Vec2::new(-1.0 + 2.0 * u, 1.0),
                1 => Vec2::new(1.0, 1.0 - 2.0 * (u - 1.0)),
                2 => Vec2::new(1.0 - 2.0 * (u - 2.0), -1.0),
                _ => Vec2::new(-1.0, -1.0 + 2.0 * (u - 3.0).min(1.0)),
            };
            let near = inv.project_point3(ndc.extend(0.0));
            let far = inv.project_point3(ndc.extend(1.0));
            let p = face_point((far - near).normalize_or(Vec3::NEG_Z));
            grow(p.0, p.1, p.2);
            if let Some(q) = last.filter(|q| q.0 != p.0) {
                for (face, s, t) in [p, q] {
                    if s.abs() >= t.abs() {
                        grow(face, s.signum(), t);
                    } else {
                        grow(face, s, t.signum());
                    }
                }
            }
            last = Some(p);
        }
        let tile = |c: f32| {
            ((c + 1.0) * 0.5 * size / ts)
                .floor()
                .clamp(0.0, n as f32 - 1.0) as u32
        };
        let mut out: Vec<(TileKey, f32)> = Vec::new();
        for (face, r) in ranges.iter().enumerate() {
            let Some([s0, t0, s1, t1]) = *r else { continue };
            for y in tile(t0)..=tile(t1) {
                for x in tile(s0)..=tile(s1) {
                    let key = TileKey {
                        face: face as u8,
                        level: level as u8,
                        x,
                        y,
                    };
                    let (rect, _) = self.placement(key, 1);
                    let mid = face_direction(
                        face as u8,
                        (rect[0] + rect[2]) * 0.5,
                        (rect[1] + rect[3]) * 0.5,
                    )
                    .normalize();
                    out.push((key, 1.0 - mid.dot(centre)));
                }
            }
        }
        out.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        out.into_iter().map(|(k, _)| k).collect()
    }
}

/// Pixels per radian at the centre of a view (physical pixels).
pub fn pixels_per_radian(proj: &Projection) -> f32 {
    // proj.proj[1][1] = 1 / tan(fov_y / 2).
    proj.viewport.y * 0.5 * proj.proj.y_axis.y
}

/// The world direction through face point (s, t).
pub fn face_direction(face: u8, s: f32, t: f32) -> Vec3 {
    // Pannellum's layout with z toward the front; the world looks down -z at yaw 0.
    let (x, y, z) = match face {
        0 => (s, -t, 1.0),
        1 => (1.0, -t, -s),
        2 => (-s, -t, -1.0),
        3 => (-1.0, -t, s),
        4 => (s, 1.0, t),
        _ => (s, -1.0, -t),
    };
    Vec3::new(x, y, -z)
}

/// The face and face point (s, t) a world direction looks at (inverse of [`face_direction`]).
pub fn face_point(dir: Vec3) -> (u8, f32, f32) {
    let (x, y, z) = (dir.x, dir.y, -dir.z);
    let (ax, ay, az) = (x.abs(), y.abs(), z.abs());
    if az >= ax && az >= ay {
        if z > 0.0 {
            (0, x / az, -y / az)
        } else {
            (2, -x / az, -y / az)
        }
    } else if ax >= ay {
        if x > 0.0 {
            (1, -z / ax, -y / ax)
        } else {
            (3, z / ax, -y / ax)
        }
    } else if y > 0.0 {
        (4, x / ay, z / ay)
    } else {
        (5, x / ay, -z / ay)
    }
}

/// One tile to draw this frame: where on which face, from which cache slot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TileDraw {
    /// Face 0..6.
    pub face: u32,
    /// (s0, t0, s1, t1) on the face, -1..1.
    pub rect: [f32; 4],
    /// Cache slot (texture array layer).
    pub slot: u32,
    /// Fraction of the slot the tile fills (width, height).
    pub extent: [f32; 2],
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::camera::PanoCamera;

    fn pannellum(cube: u32, max: u32, ts: u32) -> Pyramid {
        let src = TileSource {
            path: "t/%l/%s%y_%x.jpg".into(),
            cube_resolution: Some(cube),
            max_level: Some(max),
            tile_size: Some(ts),
            ..TileSource::default()
        };
        Pyramid::from_tiles(&src).expect("valid")
    }

    #[test]
    fn face_point_inverts_face_direction() {
        for face in 0..6u8 {
            for (s, t) in [(0.0, 0.0), (0.5, -0.25), (-0.9, 0.8)] {
                let d = face_direction(face, s, t).normalize();
                let (f, s2, t2) = face_point(d);
                assert_eq!(f, face);
                assert!(
                    (s - s2).abs() < 1e-5 && (t - t2).abs() < 1e-5,
                    "{face} {s} {t}"
                );
            }
        }
        // Front is yaw 0 (-z), right is yaw 90 (+x), up is +y.
        assert_eq!(face_point(Vec3::NEG_Z).0, 0);
        assert_eq!(face_point(Vec3::X).0, 1);
        assert_eq!(face_point(Vec3::Z).0, 2);
        assert_eq!(face_point(Vec3::NEG_X).0, 3);
        assert_eq!(face_point(Vec3::Y).0, 4);
        assert_eq!(face_point(Vec3::NEG_Y).0, 5);
    }

    #[test]
    fn paths_follow_the_template() {
        let p = pannellum(2048, 3, 512);
        assert_eq!(p.levels.len(), 3);
        assert_eq!(p.levels[0].size, 512);
        assert_eq!(p.tiles_per_side(2), 4);
        let key = TileKey {
            face: 1,
            level: 2,
            x: 3,
            y: 1,
        };
        assert_eq!(p.path(key), "t/3/r1_3.jpg");
        let mut k = TileSource {
            path: "p/%s/l%l/%v/l%l_%s_%v_%h.jpg".into(),
            faces: "frblud".into(),
            levels: vec![TileLevel {
                size: 1000,
                tile_size: Some(512),
                path: None,
            }],
            first_index: 1,
            ..TileSource::default()
        };
        let kp = Pyramid::from_tiles(&k).expect("valid");
        let key = TileKey {
            face: 0,
            level: 0,
            x: 1,
            y: 0,
        };
        assert_eq!(kp.path(key), "p/f/l1/1/l1_f_1_2.jpg");
        // Edge tile: 1000 = 512 + 488.
        let (rect, extent) = kp.placement(key, 512);
        assert!((rect[0] - 0.024).abs() < 1e-6 && rect[2] == 1.0);
        assert!((extent[0] - 488.0 / 512.0).abs() < 1e-6 && extent[1] == 1.0);
        k.faces = "abc".into();
        assert!(Pyramid::from_tiles(&k).is_err());
    }

    #[test]
    fn the_view_picks_its_level_and_sees_its_tiles_centre_first() {
        let p = pannellum(4096, 4, 512);
        let cam = PanoCamera::new(0.0, 0.0, 90.0, None);
        let proj = cam.projection(1000.0, 1000.0);
        // 500 px per radian: the 1024 px level (512 texels per radian), index 1.
        let level = p.level_for(pixels_per_radian(&proj));
        assert_eq!(level, 1);
        let tiles = p.visible(level, &proj, 32.0);
        // A 90° view straight ahead sees the front face only, all 2×2 tiles of it.
        assert_eq!(tiles.len(), 4, "{tiles:?}");
        assert!(tiles.iter().all(|t| t.face == 0));
        // Looking a little right of the centre puts the right column first.
        let cam = PanoCamera::new(20.0, 10.0, 60.0, None);
        let proj = cam.projection(1000.0, 800.0);
        let tiles = p.visible(3, &proj, 32.0);
        assert_eq!(
            (tiles[0].face, tiles[0].x, tiles[0].y),
            (0, 5, 3),
            "{tiles:?}"
        );
        // Straight up: the up face.
        let cam = PanoCamera::new(0.0, 90.0, 60.0, None);
        let tiles = p.visible(0, &cam.projection(800.0, 600.0), 32.0);
        assert_eq!(tiles[0].face, 4);
    }
}
