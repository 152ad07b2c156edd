//! `disan import <scan.obj|scan.ply>`: photogrammetry output to glTF. OBJ with its MTL (diffuse
//! colour and texture, read with `tobj`) and PLY (ASCII and binary, both byte orders; positions,
//! normals, vertex colours, texture coordinates; our own reader) become one GLB with the
//! textures embedded, plus a one-scene `tour.json` that shows it. A scan coloured per vertex and
//! without a texture has its lighting baked in: its material is unlit (`KHR_materials_unlit`),
//! as Voyager and 3DHOP show such scans. Normals missing from the file are computed smooth
//! (area-weighted), not faceted. Nothing outside the scan's folder is read.

use crate::ImportError;
use disan_files::{FileError, FileKind, Folder, Output};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// Most vertices or triangles a scan may have (a 2 GiB GLB is out of reach well before).
pub const MAX_ELEMENTS: usize = 50_000_000;

/// Bytes one vertex of a scan takes once Disan loads the GLB (its attributes, and the
/// world-space copy made for picking): the model loader's own estimate
/// (`disan_assets::model`), so that an import never writes a model the viewer refuses.
const LOADED_VERTEX_BYTES: u64 = 72 + 12;
/// Bytes one triangle takes once loaded (its indices, twice).
const LOADED_TRIANGLE_BYTES: u64 = 24;

/// Refuses a scan whose geometry, once expanded into triangles, is over the model budget.
fn check_geometry(file: &Path, vertices: u64, triangles: u64) -> Result<(), ImportError> {
    let bytes = vertices
        .saturating_mul(LOADED_VERTEX_BYTES)
        .saturating_add(triangles.saturating_mul(LOADED_TRIANGLE_BYTES))
        .saturating_add(disan_assets::model::DRAW_BYTES);
    let limit = disan_assets::model::MAX_GEOMETRY_BYTES;
    if triangles > MAX_ELEMENTS as u64 || bytes > limit {
        return Err(bad(
            file,
            format!(
                "{vertices} vertices and at least {triangles} triangles once its polygons are split into triangles: about {} MB of geometry, more than the {} MB a model may take (simplify the scan first)",
                bytes.div_ceil(1 << 20),
                limit >> 20
            ),
        ));
    }
    Ok(())
}

/// One mesh of a scan, ready to write.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ScanMesh {
    /// Positions.
    pub positions: Vec<[f32; 3]>,
    /// Unit normals (computed when the file has none).
    pub normals: Vec<[f32; 3]>,
    /// Texture coordinates (glTF convention: v down), or empty.
    pub uvs: Vec<[f32; 2]>,
    /// Linear RGBA vertex colours, or empty.
    pub colors: Vec<[f32; 4]>,
    /// Three per triangle.
    pub indices: Vec<u32>,
    /// Index into [`Scan::materials`].
    pub material: Option<usize>,
}

/// A scan's material: a colour and maybe a texture (a file next to the scan).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ScanMaterial {
    /// Name from the MTL.
    pub name: String,
    /// Diffuse colour (linear).
    pub color: [f32; 3],
    /// Diffuse texture, relative to the scan's folder.
    pub texture: Option<String>,
}

/// A scan read from OBJ or PLY.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Scan {
    /// Meshes.
    pub meshes: Vec<ScanMesh>,
    /// Materials.
    pub materials: Vec<ScanMaterial>,
}

impl Scan {
    /// Vertex colours and no texture: lighting baked in, shown unlit.
    pub fn baked(&self) -> bool {
        self.meshes.iter().any(|m| !m.colors.is_empty())
            && self.materials.iter().all(|m| m.texture.is_none())
    }
}

fn bad(file: &Path, message: impl Into<String>) -> ImportError {
    ImportError::Parse {
        file: file.to_path_buf(),
        message: message.into(),
    }
}

/// `rel` (a path a scan names, `/` or `\\` separated) inside `dir`; `None` when it is absolute
/// or climbs out with `..`: nothing outside the scan's folder is read.
fn srgb_to_linear(c: f32) -> f32 {
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// Smooth normals, weighted by triangle area.
fn smooth_normals(positions: &[[f32; 3]], indices: &[u32]) -> Vec<[f32; 3]> {
    let mut n = vec![glam::Vec3::ZERO; positions.len()];
    for t in indices.chunks_exact(3) {
        let [a, b, c] = [t[0] as usize, t[1] as usize, t[2] as usize];
        let (pa, pb, pc) = (
            glam::Vec3::from(positions[a]),
            glam::Vec3::from(positions[b]),
            glam::Vec3::from(positions[c]),
        );
        let f = (pb - pa).cross(pc - pa);
        n[a] += f;
        n[b] += f;
        n[c] += f;
    }
    n.into_iter()
        .map(|v| v.normalize_or(glam::Vec3::Y).into())
        .collect()
}

fn check_indices(file: &Path, m: &ScanMesh) -> Result<(), ImportError> {
    let n = m.positions.len();
    if let Some(i) = m.indices.iter().find(|i| **i as usize >= n) {
        return Err(bad(
            file,
            format!("a face uses vertex {i}, but there are {n}"),
        ));
    }
    Ok(())
}

// --- OBJ ------------------------------------------------------------------------------------

/// Reads an OBJ and the MTL files it names (from `dir`, the scan's folder, through the one file
/// layer: nothing outside it is read).
pub fn read_obj(file: &Path, bytes: &[u8], dir: &Folder) -> Result<Scan, ImportError> {
    let opts = tobj::LoadOptions {
        triangulate: true,
        single_index: true,
        ..Default::default()
    };
    let mut reader = std::io::BufReader::new(bytes);
    let (models, mats) = tobj::load_obj_buf(&mut reader, &opts, |p| {
        let rel = p.to_string_lossy().trim().to_string();
        let text = dir
            .read(&rel, FileKind::Text)
            .map_err(|_| tobj::LoadError::OpenFileFailed)?;
        tobj::load_mtl_buf(&mut std::io::BufReader::new(text.as_slice()))
    })
    .map_err(|e| bad(file, format!("not a readable OBJ: {e}")))?;
    let mut scan = Scan::default();
    // A missing MTL is not fatal: the scan shows in its vertex colours or grey.
    if let Ok(mats) = mats {
        scan.materials = mats
            .into_iter()
            .map(|m| ScanMaterial {
                name: m.name,
                color: m.diffuse.unwrap_or([0.8; 3]).map(srgb_to_linear),
                texture: m.diffuse_texture.filter(|t| !t.trim().is_empty()),
            })
            .collect();
    }
    let (mut vertices, mut triangles) = (0u64, 0u64);
    for model in models {
        let m = model.mesh;
        if m.positions.len() / 3 > MAX_ELEMENTS || m.indices.len() / 3 > MAX_ELEMENTS {
            return Err(bad(
                file,
                format!("more than {MAX_ELEMENTS} vertices or triangles"),
            ));
        }
        vertices += (m.positions.len() / 3) as u64;
        triangles += (m.indices.len() / 3) as u64;
        check_geometry(file, vertices, triangles)?;
        let positions: Vec<[f32; 3]> = m
            .positions
            .chunks_exact(3)
            .map(|c| [c[0], c[1], c[2]])
            .collect();
        let mut mesh = ScanMesh {
            indices: m.indices,
            material: m.material_id.filter(|i| *i < scan.materials.len()),
            ..Default::default()
        };
        mesh.uvs = m
            .texcoords
            .chunks_exact(2)
            .map(|c| [c[0], 1.0 - c[1]])
            .collect();
        if mesh.uvs.len() != positions.len() {
            mesh.uvs.clear();
        }
        mesh.colors = m
            .vertex_color
            .chunks_exact(3)
            .map(|c| {
                [
                    srgb_to_linear(c[0]),
                    srgb_to_linear(c[1]),
                    srgb_to_linear(c[2]),
                    1.0,
                ]
            })
            .collect();
        if mesh.colors.len() != positions.len() {
            mesh.colors.clear();
        }
        let normals: Vec<[f32; 3]> = m
            .normals
            .chunks_exact(3)
            .map(|c| [c[0], c[1], c[2]])
            .collect();
        mesh.positions = positions;
        check_indices(file, &mesh)?;
        mesh.normals = if normals.len() == mesh.positions.len() {
            normals
        } else {
            smooth_normals(&mesh.positions, &mesh.indices)
        };
        if !mesh.indices.is_empty() {
            scan.meshes.push(mesh);
        }
    }
    if scan.meshes.is_empty() {
        return Err(bad(file, "the OBJ has no faces"));
    }
    Ok(scan)
}

// --- PLY ------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq)]
enum Format {
    Ascii,
    Little,
    Big,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    I8,
    U8,
    I16,
    U16,
    I32,
    U32,
    F32,
    F64,
}

impl Kind {
    fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "char" | "int8" => Kind::I8,
            "uchar" | "uint8" => Kind::U8,
            "short" | "int16" => Kind::I16,
            "ushort" | "uint16" => Kind::U16,
            "int" | "int32" => Kind::I32,
            "uint" | "uint32" => Kind::U32,
            "float" | "float32" => Kind::F32,
            "double" | "float64" => Kind::F64,
            _ => return None,
        })
    }
    fn size(self) -> usize {
        match self {
            Kind::I8 | Kind::U8 => 1,
            Kind::I16 | Kind::U16 => 2,
            Kind::I32 | Kind::U32 | Kind::F32 => 4,
            Kind::F64 => 8,
        }
    }
    /// Largest value of an integer colour channel (its 1.0).
    fn unit(self) -> f64 {
        match self {
            Kind::U8 | Kind::I8 => 255.0,
            Kind::U16 | Kind::I16 => 65535.0,
            _ => 1.0,
        }
    }
}

#[derive(Debug, Clone)]
struct Property {
    name: String,
    kind: Kind,
    /// A list: the kind of its count.
    list: Option<Kind>,
}

#[derive(Debug, Clone)]
struct Element {
    name: String,
    count: usize,
    props: Vec<Property>,
}

/// Reads values of a PLY body in order.
struct Body<'a> {
    format: Format,
    bytes: &'a [u8],
    pos: usize,
    words: std::str::SplitAsciiWhitespace<'a>,
}

impl Body<'_> {
    fn next(&mut self, kind: Kind) -> Option<f64> {
        match self.format {
            Format::Ascii => self.words.next()?.parse().ok(),
            f => {
                let b = self.bytes.get(self.pos..self.pos + kind.size())?;
                self.pos += kind.size();
                let le = f == Format::Little;
                macro_rules! num {
                    ($t:ty) => {{
                        let a = b.try_into().ok()?;
                        (if le {
                            <$t>::from_le_bytes(a)
                        } else {
                            <$t>::from_be_bytes(a)
                        }) as f64
                    }};
                }
                Some(match kind {
                    Kind::I8 => b[0] as i8 as f64,
                    Kind::U8 => b[0] as f64,
                    Kind::I16 => num!(i16),
                    Kind::U16 => num!(u16),
                    Kind::I32 => num!(i32),
                    Kind::U32 => num!(u32),
                    Kind::F32 => num!(f32),
                    Kind::F64 => num!(f64),
                })
            }
        }
    }
}

/// Reads a PLY (ASCII, binary little- or big-endian): vertices with x y z and optionally
/// nx ny nz, red green blue (alpha), s t / u v / texture_u texture_v; faces as lists of vertex
/// indices (polygons are fanned into triangles). The header's `comment TextureFile` names a
/// texture.
pub fn read_ply(file: &Path, bytes: &[u8]) -> Result<Scan, ImportError> {
    let end = bytes
        .windows(10)
        .position(|w| w == b"end_header")
        .ok_or_else(|| bad(file, "not a PLY file: no end_header"))?;
    let header =
        std::str::from_utf8(&bytes[..end]).map_err(|_| bad(file, "the PLY header is not text"))?;
    let mut body_start = end + 10;
    while body_start < bytes.len() && bytes[body_start] != b'\n' {
        body_start += 1;
    }
    body_start += 1;
    let mut lines = header.lines().map(str::trim);
    if lines.next() != Some("ply") {
        return Err(bad(file, "not a PLY file (it does not start with \"ply\")"));
    }
    let mut format = None;
    let mut elements: Vec<Element> = Vec::new();
    let mut texture = None;
    for line in lines {
        let w: Vec<&str> = line.split_ascii_whitespace().collect();
        match w.as_slice() {
            ["format", f, _] => {
                format = Some(match *f {
                    "ascii" => Format::Ascii,
                    "binary_little_endian" => Format::Little,
                    "binary_big_endian" => Format::Big,
                    other => return Err(bad(file, format!("unknown PLY format \"{other}\""))),
                })
            }
            ["comment", "TextureFile", name, ..] => texture = Some(name.to_string()),
            ["element", name, count] => {
                let count: usize = count
                    .parse()
                    .map_err(|_| bad(file, format!("element {name}: bad count \"{count}\"")))?;
                if count > MAX_ELEMENTS {
                    return Err(bad(
                        file,
                        format!("element {name}: {count} is more than {MAX_ELEMENTS}"),
                    ));
                }
                elements.push(Element {
                    name: name.to_string(),
                    count,
                    props: Vec::new(),
                });
            }
            ["property", "list", ck, vk, name] => {
                let (Some(ck), Some(vk)) = (Kind::parse(ck), Kind::parse(vk)) else {
                    return Err(bad(file, format!("property {name}: unknown type")));
                };
                let e = elements
                    .last_mut()
                    .ok_or_else(|| bad(file, "a property before any element"))?;
                e.props.push(Property {
                    name: name.to_string(),
                    kind: vk,
                    list: Some(ck),
                });
            }
            ["property", k, name] => {
                let kind = Kind::parse(k)
                    .ok_or_else(|| bad(file, format!("property {name}: unknown type \"{k}\"")))?;
                let e = elements
                    .last_mut()
                    .ok_or_else(|| bad(file, "a property before any element"))?;
                e.props.push(Property {
                    name: name.to_string(),
                    kind,
                    list: None,
                });
            }
            _ => {}
        }
    }
    let format = format.ok_or_else(|| bad(file, "the PLY header has no format line"))?;
    let rest = bytes.get(body_start..).unwrap_or(&[]);
    let text = if format == Format::Ascii {
        std::str::from_utf8(rest).map_err(|_| bad(file, "the ASCII PLY body is not text"))?
    } else {
        ""
    };
    let mut body = Body {
        format,
        bytes: rest,
        pos: 0,
        words: text.split_ascii_whitespace(),
    };
    let short = || bad(file, "the PLY body ends early");
    let mut mesh = ScanMesh::default();
    let (mut has_n, mut has_c, mut has_uv) = (false, false, false);
    for e in &elements {
        let find = |names: &[&str]| {
            e.props
                .iter()
                .position(|p| names.contains(&p.name.as_str()) && p.list.is_none())
        };
        let idx = |n: &str| find(&[n]);
        let (x, y, z) = (idx("x"), idx("y"), idx("z"));
        let normal = (idx("nx"), idx("ny"), idx("nz"));
        let color = (
            find(&["red", "r", "diffuse_red"]),
            find(&["green", "g", "diffuse_green"]),
            find(&["blue", "b", "diffuse_blue"]),
        );
        let alpha = find(&["alpha", "a"]);
        let uv = (
            find(&["s", "u", "texture_u", "texture_s"]),
            find(&["t", "v", "texture_v", "texture_t"]),
        );
        let faces = e.props.iter().position(|p| {
            p.list.is_some() && (p.name == "vertex_indices" || p.name == "vertex_index")
        });
        let corner_uv = e
            .props
            .iter()
            .position(|p| p.list.is_some() && p.name == "texcoord");
        let mut values = vec![0f64; e.props.len()];
        let mut triangles = 0u64;
        for _ in 0..e.count {
            let mut list: Vec<u32> = Vec::new();
            for (k, p) in e.props.iter().enumerate() {
                match p.list {
                    None => values[k] = body.next(p.kind).ok_or_else(short)?,
                    Some(ck) => {
                        let n = body.next(ck).ok_or_else(short)? as usize;
                        if n > 1 << 16 {
                            return Err(bad(file, format!("a list of {n} values")));
                        }
                        if Some(k) == faces {
                            list.clear();
                            for _ in 0..n {
                                list.push(body.next(p.kind).ok_or_else(short)? as u32);
                            }
                        } else {
                            // Lists we do not use (per-corner texcoords are not supported).
                            let _ = corner_uv;
                            for _ in 0..n {
                                body.next(p.kind).ok_or_else(short)?;
                            }
                        }
                    }
                }
            }
            if e.name == "vertex" {
                let (Some(x), Some(y), Some(z)) = (x, y, z) else {
                    return Err(bad(file, "the vertices have no x, y and z"));
                };
                mesh.positions
                    .push([values[x] as f32, values[y] as f32, values[z] as f32]);
                if let (Some(a), Some(b), Some(c)) = normal {
                    has_n = true;
                    mesh.normals
                        .push([values[a] as f32, values[b] as f32, values[c] as f32]);
                }
                if let (Some(r), Some(g), Some(b)) = color {
                    has_c = true;
                    let ch = |i: usize| {
                        let u = e.props[i].kind.unit();
                        srgb_to_linear((values[i] / u).clamp(0.0, 1.0) as f32)
                    };
                    let a = alpha.map_or(1.0, |i| {
                        (values[i] / e.props[i].kind.unit()).clamp(0.0, 1.0) as f32
                    });
                    mesh.colors.push([ch(r), ch(g), ch(b), a]);
                }
                if let (Some(s), Some(t)) = uv {
                    has_uv = true;
                    mesh.uvs.push([values[s] as f32, 1.0 - values[t] as f32]);
                }
            } else if e.name == "face" && list.len() >= 3 {
                // Budget what the faces expand to, before expanding them: an n-gon is n - 2
                // triangles.
                triangles += (list.len() - 2) as u64;
                check_geometry(file, mesh.positions.len() as u64, triangles)?;
                for i in 1..list.len() - 1 {
                    mesh.indices.extend([list[0], list[i], list[i + 1]]);
                }
            }
        }
    }
    if mesh.positions.is_empty() {
        return Err(bad(file, "the PLY has no vertices"));
    }
    if mesh.indices.is_empty() {
        return Err(bad(
            file,
            "the PLY has no faces (a point cloud is not a mesh Disan can show)",
        ));
    }
    check_indices(file, &mesh)?;
    if !has_n {
        mesh.normals = smooth_normals(&mesh.positions, &mesh.indices);
    }
    if !has_c {
        mesh.colors.clear();
    }
    if !has_uv {
        mesh.uvs.clear();
    }
    let mut scan = Scan::default();
    if texture.is_some() && has_uv {
        scan.materials.push(ScanMaterial {
            name: "texture".into(),
            color: [1.0; 3],
            texture,
        });
        mesh.material = Some(0);
    }
    scan.meshes.push(mesh);
    Ok(scan)
}

// --- GLB --------------------------------------------------------------------------------------

fn mime_of(path: &str) -> Option<&'static str> {
    let l = path.to_ascii_lowercase();
    if l.ends_with(".png") {
        Some("image/png")
    } else if l.ends_with(".jpg") || l.ends_with(".jpeg") {
        Some("image/jpeg")
    } else if l.ends_with(".webp") {
        Some("image/webp")
    } else {
        None
    }
}

/// Writes the scan as a GLB; textures are read from `dir` (the scan's folder, through the one
/// file layer) and embedded. Returns the GLB and notes (textures left out, and why).
pub fn to_glb(scan: &Scan, dir: &Folder) -> Result<(Vec<u8>, Vec<String>), ImportError> {
    let mut bin: Vec<u8> = Vec::new();
    let mut views: Vec<Value> = Vec::new();
    let mut accessors: Vec<Value> = Vec::new();
    let mut notes = Vec::new();
    let mut view = |bin: &mut Vec<u8>, bytes: &[u8], target: Option<u32>| -> usize {
        while !bin.len().is_multiple_of(4) {
            bin.push(0);
        }
        let mut v = json!({"buffer": 0, "byteOffset": bin.len(), "byteLength": bytes.len()});
        if let Some(t) = target {
            v["target"] = json!(t);
        }
        bin.extend_from_slice(bytes);
        views.push(v);
        views.len() - 1
    };
    let floats = |v: &[f32]| -> Vec<u8> { v.iter().flat_map(|f| f.to_le_bytes()).collect() };
    let baked = scan.baked();
    let mut materials: Vec<Value> = Vec::new();
    let mut images: Vec<Value> = Vec::new();
    let mut textures: Vec<Value> = Vec::new();
    for m in &scan.materials {
        let mut pbr = json!({
            "baseColorFactor": [m.color[0], m.color[1], m.color[2], 1.0],
            "metallicFactor": 0.0,
            "roughnessFactor": 1.0
        });
        if let Some(t) = &m.texture {
            let read = dir.read(t.trim(), FileKind::Image);
            match (read, mime_of(t)) {
                (Ok(bytes), Some(mime)) => {
                    let v = view(&mut bin, &bytes, None);
                    images.push(json!({"bufferView": v, "mimeType": mime}));
                    textures.push(json!({"source": images.len() - 1}));
                    pbr["baseColorTexture"] = json!({"index": textures.len() - 1});
                    pbr["baseColorFactor"] = json!([1.0, 1.0, 1.0, 1.0]);
                }
                (Err(FileError::NotFound { .. }), _) => notes.push(format!(
                    "texture \"{t}\" of material \"{}\" was not found; left out",
                    m.name
                )),
                (Err(e @ (FileError::Refused { .. } | FileError::Outside { .. })), _) => {
                    notes.push(format!(
                        "texture \"{t}\" of material \"{}\" was not found inside the scan's folder ({}); left out",
                        m.name,
                        e.reason()
                    ))
                }
                (Err(e), _) => notes.push(format!(
                    "texture of material \"{}\" not read: {e}; left out",
                    m.name
                )),
                (_, None) => notes.push(format!(
                    "texture \"{t}\": only PNG, JPEG and WebP are embedded; left out"
                )),
            }
        }
        let mut mat = json!({"name": m.name, "pbrMetallicRoughness": pbr});
        if baked {
            mat["extensions"] = json!({"KHR_materials_unlit": {}});
        }
        materials.push(mat);
    }
    // The default material of meshes without one.
    let plain = materials.len();
    let mut default = json!({"name": "scan", "pbrMetallicRoughness": {"baseColorFactor": [1.0, 1.0, 1.0, 1.0], "metallicFactor": 0.0, "roughnessFactor": 1.0}});
    if baked {
        default["extensions"] = json!({"KHR_materials_unlit": {}});
    }
    materials.push(default);

    let mut primitives = Vec::new();
    for mesh in &scan.meshes {
        let n = mesh.positions.len();
        let flat: Vec<f32> = mesh.positions.iter().flatten().copied().collect();
        let (mut lo, mut hi) = ([f32::INFINITY; 3], [f32::NEG_INFINITY; 3]);
        for p in &mesh.positions {
            for k in 0..3 {
                lo[k] = lo[k].min(p[k]);
                hi[k] = hi[k].max(p[k]);
            }
        }
        let mut attrs = serde_json::Map::new();
        let v = view(&mut bin, &floats(&flat), Some(34962));
        accessors.push(json!({"bufferView": v, "componentType": 5126, "count": n, "type": "VEC3", "min": lo, "max": hi}));
        attrs.insert("POSITION".into(), json!(accessors.len() - 1));
        let flat: Vec<f32> = mesh.normals.iter().flatten().copied().collect();
        let v = view(&mut bin, &floats(&flat), Some(34962));
        accessors.push(json!({"bufferView": v, "componentType": 5126, "count": n, "type": "VEC3"}));
        attrs.insert("NORMAL".into(), json!(accessors.len() - 1));
        if !mesh.uvs.is_empty() {
            let flat: Vec<f32> = mesh.uvs.iter().flatten().copied().collect();
            let v = view(&mut bin, &floats(&flat), Some(34962));
            accessors
                .push(json!({"bufferView": v, "componentType": 5126, "count": n, "type": "VEC2"}));
            attrs.insert("TEXCOORD_0".into(), json!(accessors.len() - 1));
        }
        if !mesh.colors.is_empty() {
            // 8-bit normalized: a quarter of the floats, and what scanners record.
            let bytes: Vec<u8> = mesh
                .colors
                .iter()
                .flatten()
                .map(|c| (c.clamp(0.0, 1.0) * 255.0).round() as u8)
                .collect();
            let v = view(&mut bin, &bytes, Some(34962));
            accessors.push(json!({"bufferView": v, "componentType": 5121, "normalized": true, "count": n, "type": "VEC4"}));
            attrs.insert("COLOR_0".into(), json!(accessors.len() - 1));
        }
        let idx: Vec<u8> = mesh.indices.iter().flat_map(|i| i.to_le_bytes()).collect();
        let v = view(&mut bin, &idx, Some(34963));
        accessors.push(json!({"bufferView": v, "componentType": 5125, "count": mesh.indices.len(), "type": "SCALAR"}));
        primitives.push(json!({
            "attributes": attrs,
            "indices": accessors.len() - 1,
            "material": mesh.material.unwrap_or(plain)
        }));
    }
    let mut root = json!({
        "asset": {"version": "2.0", "generator": "disan import"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0}],
        "meshes": [{"primitives": primitives}],
        "materials": materials,
        "accessors": accessors,
        "bufferViews": views,
        "buffers": [{"byteLength": bin.len()}]
    });
    if !images.is_empty() {
        root["images"] = json!(images);
        root["textures"] = json!(textures);
    }
    if baked {
        root["extensionsUsed"] = json!(["KHR_materials_unlit"]);
    }
    let text = serde_json::to_vec(&root)
        .map_err(|e| bad(dir.root(), format!("cannot write the glTF JSON: {e}")))?;
    Ok((disan_assets::model::pack_glb(&text, &bin), notes))
}

/// What `disan import <scan>` wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedScan {
    /// The GLB.
    pub glb: PathBuf,
    /// The one-scene tour that shows it.
    pub tour_json: PathBuf,
    /// Vertices and triangles.
    pub vertices: usize,
    /// Triangles.
    pub triangles: usize,
    /// The material is unlit (vertex colours with baked lighting).
    pub unlit: bool,
    /// What was left out.
    pub notes: Vec<String>,
}

/// Reads the scan `input` (`.obj` with its MTL and textures, or `.ply`) through the one file
/// layer (its folder confines every read) and packs it as a GLB: the scan, the GLB and notes.
pub fn load(input: &Path) -> Result<(Scan, Vec<u8>, Vec<String>), ImportError> {
    let (dir, name) = Folder::for_file(input).map_err(|e| bad(input, e.reason()))?;
    let bytes = dir.read(&name, FileKind::Scan).map_err(|e| match e {
        FileError::NotFound { .. } => ImportError::Read {
            file: input.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        },
        e => bad(input, e.reason()),
    })?;
    let ext = input
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let scan = match ext.as_str() {
        "obj" => read_obj(input, &bytes, &dir)?,
        "ply" => read_ply(input, &bytes)?,
        _ => return Err(bad(input, "a scan must be .obj or .ply")),
    };
    drop(bytes);
    let (glb, notes) = to_glb(&scan, &dir)?;
    Ok((scan, glb, notes))
}

/// Imports `input` (`.obj` or `.ply`) into the folder `out`: `<name>.glb` and `tour.json`,
/// refusing to replace either if it exists.
pub fn import_scan(input: &Path, out: &Path) -> Result<ImportedScan, ImportError> {
    import_scan_with(input, out, false)
}

/// [`import_scan`]; `force` replaces files that exist in `out`.
pub fn import_scan_with(
    input: &Path,
    out: &Path,
    force: bool,
) -> Result<ImportedScan, ImportError> {
    let (scan, glb, notes) = load(input)?;
    let werr = |rel: &str, e: FileError| ImportError::Write {
        path: out.join(rel),
        message: e.reason(),
    };
    let output = Output::create(out, force).map_err(|e| ImportError::Write {
        path: out.to_path_buf(),
        message: e.reason(),
    })?;
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "scan".into());
    let name = format!("{stem}.glb");
    let tour = json!({
        "format": "disan-tour",
        "version": 1,
        "title": stem,
        "scenes": [{"id": "scan", "kind": "object", "title": stem, "model": name}]
    });
    let mut text = serde_json::to_string_pretty(&tour).unwrap_or_default();
    text.push('\n');
    // Refuse before writing anything when the tour exists (nothing is half replaced).
    if !force && output.exists("tour.json") {
        return Err(werr(
            "tour.json",
            FileError::Exists {
                path: "tour.json".into(),
            },
        ));
    }
    let glb_path = output.write(&name, &glb).map_err(|e| werr(&name, e))?;
    let tour_json = output
        .write("tour.json", text.as_bytes())
        .map_err(|e| werr("tour.json", e))?;
    Ok(ImportedScan {
        glb: glb_path,
        tour_json,
        vertices: scan.meshes.iter().map(|m| m.positions.len()).sum(),
        triangles: scan.meshes.iter().map(|m| m.indices.len() / 3).sum(),
        unlit: scan.baked(),
        notes,
    })
}
