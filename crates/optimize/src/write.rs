//! One derivative as a GLB: each mesh's vertex streams (positions f32, normals as normalized
//! 16-bit integers by `KHR_mesh_quantization`, UVs f32, colours u16) and its u32 indices compressed with
//! `EXT_meshopt_compression` (the data the extension decodes lives in a fallback buffer with no
//! bytes), materials as the scan had them, textures as the caller encoded them (KTX2 under
//! `KHR_texture_basisu`, or JPEG/PNG).

use crate::Mesh;
use disan_assets::model::{Material, Sampler, TextureRef, Wrap};
use disan_assets::RgbaImage;
use meshoptimizer_rs as mo;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// Builds the JSON and the binary chunk.
struct Writer {
    bin: Vec<u8>,
    /// Bytes of the fallback buffer (what the compressed views decode to).
    fallback: usize,
    views: Vec<Value>,
    accessors: Vec<Value>,
    ws: mo::Workspace,
}

impl Writer {
    fn align(&mut self) {
        while !self.bin.len().is_multiple_of(4) {
            self.bin.push(0);
        }
    }

    /// A plain view of `bytes` in the binary chunk.
    fn plain(&mut self, bytes: &[u8]) -> usize {
        self.align();
        self.views
            .push(json!({"buffer": 0, "byteOffset": self.bin.len(), "byteLength": bytes.len()}));
        self.bin.extend_from_slice(bytes);
        self.views.len() - 1
    }

    /// A meshopt-compressed view of `count` elements of `stride` bytes (`mode` ATTRIBUTES or
    /// TRIANGLES, whose data is already `encoded`).
    fn compressed(
        &mut self,
        encoded: &[u8],
        count: usize,
        stride: usize,
        mode: &str,
        target: u32,
    ) -> usize {
        self.align();
        let offset = self.bin.len();
        self.bin.extend_from_slice(encoded);
        let length = count * stride;
        let mut view = json!({
            "buffer": 1,
            "byteOffset": self.fallback,
            "byteLength": length,
            "target": target,
            "extensions": {"EXT_meshopt_compression": {
                "buffer": 0, "byteOffset": offset, "byteLength": encoded.len(),
                "byteStride": stride, "count": count, "mode": mode
            }}
        });
        if mode == "ATTRIBUTES" {
            view["byteStride"] = json!(stride);
        }
        self.fallback += length.next_multiple_of(4);
        self.views.push(view);
        self.views.len() - 1
    }

    /// A vertex stream: `count` elements of `stride` bytes.
    fn attribute(&mut self, bytes: &[u8], count: usize, stride: usize) -> Result<usize, String> {
        let encoding = mo::codec::VertexEncoding::new(0, 0).map_err(|e| e.to_string())?;
        let encoded = mo::codec::encode_vertex_buffer(bytes, count, stride, encoding, &mut self.ws)
            .map_err(|e| format!("meshopt vertex encoding failed: {e}"))?;
        Ok(self.compressed(&encoded, count, stride, "ATTRIBUTES", 34962))
    }

    fn accessor(&mut self, a: Value) -> usize {
        self.accessors.push(a);
        self.accessors.len() - 1
    }
}

fn wrap_code(w: Wrap) -> u32 {
    match w {
        Wrap::Repeat => 10497,
        Wrap::Clamp => 33071,
        Wrap::Mirror => 33648,
    }
}

fn sampler_json(s: &Sampler) -> Value {
    let min = match (s.min_linear, s.mipmaps) {
        (true, true) => 9987,
        (false, true) => 9984,
        (true, false) => 9729,
        (false, false) => 9728,
    };
    json!({
        "magFilter": if s.mag_linear { 9729 } else { 9728 },
        "minFilter": min,
        "wrapS": wrap_code(s.wrap_u),
        "wrapT": wrap_code(s.wrap_v),
    })
}

/// `KHR_texture_transform` of a 2×3 matrix (offset, rotation, scale), or none for identity.
fn transform_json(t: &[[f32; 3]; 2]) -> Option<Value> {
    let identity = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]];
    if t.iter()
        .flatten()
        .zip(identity.iter().flatten())
        .all(|(a, b)| (a - b).abs() < 1e-7)
    {
        return None;
    }
    let [[a, b, c], [d, e, f]] = *t;
    let sx = (a * a + d * d).sqrt();
    let sy = (b * b + e * e).sqrt();
    let rotation = (-d).atan2(a);
    Some(json!({"offset": [c, f], "rotation": rotation, "scale": [sx, sy]}))
}

/// A texture image, encoded.
pub(crate) struct Encoded {
    pub bytes: Vec<u8>,
    /// `image/ktx2`, `image/jpeg` or `image/png`.
    pub mime: &'static str,
}

/// The image as JPEG (opaque) or PNG (with alpha).
pub(crate) fn jpeg_or_png(img: &RgbaImage) -> Result<Encoded, String> {
    let opaque = img.pixels.chunks_exact(4).all(|p| p[3] == 255);
    let mut out = Vec::new();
    if opaque {
        let rgb: Vec<u8> = img
            .pixels
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 88)
            .encode(&rgb, img.width, img.height, image::ExtendedColorType::Rgb8)
            .map_err(|e| format!("JPEG encoding failed: {e}"))?;
        Ok(Encoded {
            bytes: out,
            mime: "image/jpeg",
        })
    } else {
        use image::ImageEncoder;
        image::codecs::png::PngEncoder::new(&mut out)
            .write_image(
                &img.pixels,
                img.width,
                img.height,
                image::ExtendedColorType::Rgba8,
            )
            .map_err(|e| format!("PNG encoding failed: {e}"))?;
        Ok(Encoded {
            bytes: out,
            mime: "image/png",
        })
    }
}

/// Writes `meshes` (world space) with `materials`; `images[i]` is image `i` encoded at this
/// level's size (`None`: unused).
pub(crate) fn glb(
    meshes: &[Mesh],
    materials: &[Material],
    images: &[Option<Encoded>],
) -> Result<Vec<u8>, String> {
    let mut w = Writer {
        bin: Vec::new(),
        fallback: 0,
        views: Vec::new(),
        accessors: Vec::new(),
        ws: mo::Workspace::new(mo::Limits {
            max_bytes: usize::MAX / 2,
            max_work: u64::MAX / 2,
        }),
    };
    let mut required = vec!["EXT_meshopt_compression", "KHR_mesh_quantization"];
    // Images and textures (one texture per image and sampler).
    let mut image_json: Vec<Value> = Vec::new();
    let mut image_index: HashMap<usize, usize> = HashMap::new();
    for (i, img) in images.iter().enumerate() {
        let Some(img) = img else { continue };
        let v = w.plain(&img.bytes);
        image_index.insert(i, image_json.len());
        image_json.push(json!({"bufferView": v, "mimeType": img.mime}));
    }
    let ktx2 = |image: usize| image_json[image]["mimeType"] == "image/ktx2";
    // KTX2 images have no JPEG/PNG twin: readers must know KHR_texture_basisu.
    if (0..image_json.len()).any(ktx2) {
        required.push("KHR_texture_basisu");
    }
    let mut used = required.clone();
    let mut samplers: Vec<Sampler> = Vec::new();
    let mut textures: Vec<(usize, usize)> = Vec::new();
    let mut texture_ref = |t: &TextureRef, used: &mut Vec<&'static str>| -> Option<Value> {
        let image = *image_index.get(&t.image)?;
        let sampler = match samplers.iter().position(|s| *s == t.sampler) {
            Some(s) => s,
            None => {
                samplers.push(t.sampler);
                samplers.len() - 1
            }
        };
        let index = match textures.iter().position(|x| *x == (image, sampler)) {
            Some(x) => x,
            None => {
                textures.push((image, sampler));
                textures.len() - 1
            }
        };
        let mut r = json!({"index": index, "texCoord": t.tex_coord});
        if let Some(tr) = transform_json(&t.transform) {
            r["extensions"] = json!({"KHR_texture_transform": tr});
            used.push("KHR_texture_transform");
        }
        Some(r)
    };
    let mut material_json: Vec<Value> = Vec::new();
    for m in materials {
        let [base, mr, normal, occlusion, emissive] = m.textures();
        let mut pbr = json!({
            "baseColorFactor": m.base_color.to_array(),
            "metallicFactor": m.metallic,
            "roughnessFactor": m.roughness,
        });
        if let Some(t) = base.and_then(|t| texture_ref(&t, &mut used)) {
            pbr["baseColorTexture"] = t;
        }
        if let Some(t) = mr.and_then(|t| texture_ref(&t, &mut used)) {
            pbr["metallicRoughnessTexture"] = t;
        }
        let mut mat = json!({"pbrMetallicRoughness": pbr, "doubleSided": m.double_sided});
        if let Some(n) = &m.name {
            mat["name"] = json!(n);
        }
        if let Some(mut t) = normal.and_then(|t| texture_ref(&t, &mut used)) {
            t["scale"] = json!(m.normal_scale);
            mat["normalTexture"] = t;
        }
        if let Some(mut t) = occlusion.and_then(|t| texture_ref(&t, &mut used)) {
            t["strength"] = json!(m.occlusion_strength);
            mat["occlusionTexture"] = t;
        }
        if let Some(t) = emissive.and_then(|t| texture_ref(&t, &mut used)) {
            mat["emissiveTexture"] = t;
        }
        let e = m.emissive;
        let strength = e.max_element();
        let mut exts = Map::new();
        if strength > 1.0 {
            mat["emissiveFactor"] = json!((e / strength).to_array());
            exts.insert(
                "KHR_materials_emissive_strength".into(),
                json!({"emissiveStrength": strength}),
            );
            used.push("KHR_materials_emissive_strength");
        } else if strength > 0.0 {
            mat["emissiveFactor"] = json!(e.to_array());
        }
        match m.alpha_mode {
            disan_assets::model::AlphaMode::Opaque => {}
            disan_assets::model::AlphaMode::Mask => {
                mat["alphaMode"] = json!("MASK");
                mat["alphaCutoff"] = json!(m.alpha_cutoff);
            }
            disan_assets::model::AlphaMode::Blend => mat["alphaMode"] = json!("BLEND"),
        }
        if m.unlit {
            exts.insert("KHR_materials_unlit".into(), json!({}));
            used.push("KHR_materials_unlit");
        }
        if !exts.is_empty() {
            mat["extensions"] = Value::Object(exts);
        }
        material_json.push(mat);
    }

    let mut primitives = Vec::new();
    for mesh in meshes {
        let n = mesh.positions.len();
        if n == 0 || mesh.indices.is_empty() {
            continue;
        }
        let mut attrs = Map::new();
        let (mut lo, mut hi) = ([f32::INFINITY; 3], [f32::NEG_INFINITY; 3]);
        for p in &mesh.positions {
            for k in 0..3 {
                lo[k] = lo[k].min(p[k]);
                hi[k] = hi[k].max(p[k]);
            }
        }
        let bytes: Vec<u8> = mesh
            .positions
            .iter()
            .flatten()
            .flat_map(|f| f.to_le_bytes())
            .collect();
        let v = w.attribute(&bytes, n, 12)?;
        let a = w.accessor(json!({"bufferView": v, "componentType": 5126, "count": n, "type": "VEC3", "min": lo, "max": hi}));
        attrs.insert("POSITION".into(), json!(a));
        if mesh.normals.len() == n {
            let q = |c: f32| ((c.clamp(-1.0, 1.0) * 32767.0).round() as i16).to_le_bytes();
            let bytes: Vec<u8> = mesh
                .normals
                .iter()
                .flat_map(|c| [q(c[0]), q(c[1]), q(c[2]), [0, 0]])
                .flatten()
                .collect();
            let v = w.attribute(&bytes, n, 8)?;
            let a = w.accessor(json!({"bufferView": v, "componentType": 5122, "normalized": true, "count": n, "type": "VEC3"}));
            attrs.insert("NORMAL".into(), json!(a));
        }
        for (name, uv) in [("TEXCOORD_0", &mesh.uv0), ("TEXCOORD_1", &mesh.uv1)] {
            if uv.len() != n {
                continue;
            }
            let bytes: Vec<u8> = uv.iter().flatten().flat_map(|f| f.to_le_bytes()).collect();
            let v = w.attribute(&bytes, n, 8)?;
            let a = w.accessor(
                json!({"bufferView": v, "componentType": 5126, "count": n, "type": "VEC2"}),
            );
            attrs.insert(name.into(), json!(a));
        }
        if mesh.colors.len() == n {
            let q = |c: f32| (c.clamp(0.0, 1.0) * 65535.0).round() as u16;
            let bytes: Vec<u8> = mesh
                .colors
                .iter()
                .flatten()
                .flat_map(|c| q(*c).to_le_bytes())
                .collect();
            let v = w.attribute(&bytes, n, 8)?;
            let a = w.accessor(json!({"bufferView": v, "componentType": 5123, "normalized": true, "count": n, "type": "VEC4"}));
            attrs.insert("COLOR_0".into(), json!(a));
        }
        let encoded = mo::codec::encode_index_buffer(
            &mesh.indices,
            mo::codec::IndexEncoding::DEFAULT,
            &mut w.ws,
        )
        .map_err(|e| format!("meshopt index encoding failed: {e}"))?;
        let count = mesh.indices.len();
        let v = w.compressed(&encoded, count, 4, "TRIANGLES", 34963);
        let idx = w.accessor(
            json!({"bufferView": v, "componentType": 5125, "count": count, "type": "SCALAR"}),
        );
        let mut prim = json!({"attributes": attrs, "indices": idx});
        if let Some(m) = mesh.material.filter(|m| *m < materials.len()) {
            prim["material"] = json!(m);
        }
        primitives.push(prim);
    }
    used.sort_unstable();
    used.dedup();
    let mut root = json!({
        "asset": {"version": "2.0", "generator": "disan optimize"},
        "extensionsUsed": used,
        "extensionsRequired": required,
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0}],
        "meshes": [{"primitives": primitives}],
        "accessors": w.accessors,
        "bufferViews": w.views,
        "buffers": [
            {"byteLength": w.bin.len()},
            {"byteLength": w.fallback, "extensions": {"EXT_meshopt_compression": {"fallback": true}}}
        ]
    });
    if !material_json.is_empty() {
        root["materials"] = json!(material_json);
    }
    if !image_json.is_empty() {
        root["samplers"] = json!(samplers.iter().map(sampler_json).collect::<Vec<_>>());
        root["textures"] = json!(textures
            .iter()
            .map(|&(i, s)| if ktx2(i) {
                json!({"sampler": s, "extensions": {"KHR_texture_basisu": {"source": i}}})
            } else {
                json!({"source": i, "sampler": s})
            })
            .collect::<Vec<_>>());
        root["images"] = json!(image_json);
    }
    let text = serde_json::to_vec(&root).map_err(|e| format!("cannot write the glTF JSON: {e}"))?;
    Ok(disan_assets::model::pack_glb(&text, &w.bin))
}
