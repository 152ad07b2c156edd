//! Reading glTF accessors ourselves: every component type, `normalized`, byteStride, byteOffset,
//! matrix column padding, sparse substitution and accessors without a buffer view. Every range is
//! checked before anything is allocated, and errors name `accessors[i]` and its bufferView/buffer.

use gltf::accessor::{DataType, Dimensions};

/// Most elements an accessor without a bufferView may describe: its data is all zeros (plus sparse
/// values), so the file's size does not bound it; a million is beyond any real primitive.
pub const MAX_ZERO_FILLED: usize = 1 << 20;

/// Size in bytes of one component.
fn comp_size(t: DataType) -> usize {
    match t {
        DataType::I8 | DataType::U8 => 1,
        DataType::I16 | DataType::U16 => 2,
        DataType::U32 | DataType::F32 => 4,
    }
}

/// glTF name of a component type, for messages.
pub fn type_name(t: DataType) -> &'static str {
    match t {
        DataType::I8 => "BYTE",
        DataType::U8 => "UNSIGNED_BYTE",
        DataType::I16 => "SHORT",
        DataType::U16 => "UNSIGNED_SHORT",
        DataType::U32 => "UNSIGNED_INT",
        DataType::F32 => "FLOAT",
    }
}

/// (rows, columns) of an accessor type.
fn shape(d: Dimensions) -> (usize, usize) {
    match d {
        Dimensions::Scalar => (1, 1),
        Dimensions::Vec2 => (2, 1),
        Dimensions::Vec3 => (3, 1),
        Dimensions::Vec4 => (4, 1),
        Dimensions::Mat2 => (2, 2),
        Dimensions::Mat3 => (3, 3),
        Dimensions::Mat4 => (4, 4),
    }
}

/// Memory layout of one element.
#[derive(Debug, Clone, Copy)]
struct Format {
    ctype: DataType,
    normalized: bool,
    rows: usize,
    cols: usize,
}

impl Format {
    fn comps(&self) -> usize {
        self.rows * self.cols
    }
    /// Bytes per column: matrix columns start on 4-byte boundaries.
    fn col_stride(&self) -> usize {
        let c = self.rows * comp_size(self.ctype);
        if self.cols > 1 {
            c.div_ceil(4) * 4
        } else {
            c
        }
    }
    fn elem_size(&self) -> usize {
        self.cols * self.col_stride()
    }
    /// Offset of component `k` (column-major) within an element.
    fn comp_offset(&self, k: usize) -> usize {
        (k / self.rows) * self.col_stride() + (k % self.rows) * comp_size(self.ctype)
    }
}

/// Converts one component to f32 following the glTF rules: normalized integers map to [0, 1] or
/// [-1, 1]; other integers keep their value (as `KHR_mesh_quantization` allows).
fn to_f32(f: Format, b: &[u8]) -> f32 {
    let n = f.normalized;
    match f.ctype {
        DataType::I8 => {
            let v = b[0] as i8 as f32;
            if n {
                (v / 127.0).max(-1.0)
            } else {
                v
            }
        }
        DataType::U8 => {
            let v = b[0] as f32;
            if n {
                v / 255.0
            } else {
                v
            }
        }
        DataType::I16 => {
            let v = i16::from_le_bytes([b[0], b[1]]) as f32;
            if n {
                (v / 32767.0).max(-1.0)
            } else {
                v
            }
        }
        DataType::U16 => {
            let v = u16::from_le_bytes([b[0], b[1]]) as f32;
            if n {
                v / 65535.0
            } else {
                v
            }
        }
        DataType::U32 => {
            let v = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
            if n {
                (v as f64 / u32::MAX as f64) as f32
            } else {
                v as f32
            }
        }
        DataType::F32 => f32::from_le_bytes([b[0], b[1], b[2], b[3]]),
    }
}

/// Reads an unsigned integer component (`None` for signed or float types).
fn to_u32(t: DataType, b: &[u8]) -> Option<u32> {
    match t {
        DataType::U8 => Some(b[0] as u32),
        DataType::U16 => Some(u16::from_le_bytes([b[0], b[1]]) as u32),
        DataType::U32 => Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]])),
        _ => None,
    }
}

/// Bytes of a buffer view, checked against its buffer.
pub(super) fn view_bytes<'b>(
    view: &gltf::buffer::View,
    buffers: &'b [Vec<u8>],
) -> Result<&'b [u8], String> {
    let b = view.buffer().index();
    let data = buffers
        .get(b)
        .ok_or_else(|| format!("bufferViews[{}]: buffers[{b}] has no data", view.index()))?;
    let start = view.offset();
    match start.checked_add(view.length()) {
        Some(end) if end <= data.len() => Ok(&data[start..end]),
        _ => Err(format!(
            "bufferViews[{}]: bytes {start}..{} lie outside buffers[{b}] ({} bytes)",
            view.index(),
            start as u128 + view.length() as u128,
            data.len()
        )),
    }
}

/// Sparse substitution: `count` indices and values, each range checked.
struct SparseParts<'b> {
    count: usize,
    index_type: DataType,
    indices: &'b [u8],
    values: &'b [u8],
}

/// An accessor located in its buffers: every byte it will read is known to exist.
pub struct Located<'b> {
    index: usize,
    fmt: Format,
    count: usize,
    /// Element data from the first element on, and the stride.
    base: Option<(&'b [u8], usize)>,
    sparse: Option<SparseParts<'b>>,
}

/// Finds an accessor's bytes and checks that they all exist (no allocation).
pub fn locate<'b>(a: &gltf::Accessor, buffers: &'b [Vec<u8>]) -> Result<Located<'b>, String> {
    let i = a.index();
    let (rows, cols) = shape(a.dimensions());
    let fmt = Format {
        ctype: a.data_type(),
        normalized: a.normalized(),
        rows,
        cols,
    };
    let elem = fmt.elem_size();
    let count = a.count();
    let base = match a.view() {
        Some(view) => {
            let bytes = view_bytes(&view, buffers)?;
            let stride = view.stride().unwrap_or(elem);
            if stride < elem {
                return Err(format!(
                    "accessors[{i}]: bufferViews[{}].byteStride {stride} is smaller than one element ({elem} bytes)",
                    view.index()
                ));
            }
            let need = match count {
                0 => Some(0),
                n => (n - 1)
                    .checked_mul(stride)
                    .and_then(|x| x.checked_add(elem))
                    .and_then(|x| x.checked_add(a.offset())),
            };
            match need {
                Some(need) if need <= bytes.len() => Some((&bytes[a.offset().min(need)..], stride)),
                _ => {
                    return Err(format!(
                        "accessors[{i}]: {count} elements of {elem} bytes (stride {stride}) from byteOffset {} do not fit in bufferViews[{}] ({} bytes of buffers[{}])",
                        a.offset(),
                        view.index(),
                        bytes.len(),
                        view.buffer().index()
                    ))
                }
            }
        }
        None => None,
    };
    let sparse = match a.sparse() {
        None => None,
        Some(s) => {
            let n = s.count();
            if n > count {
                return Err(format!(
                    "accessors[{i}].sparse.count is {n}, more than the accessor's count {count}"
                ));
            }
            let index_type = match s.indices().index_type() {
                gltf::accessor::sparse::IndexType::U8 => DataType::U8,
                gltf::accessor::sparse::IndexType::U16 => DataType::U16,
                gltf::accessor::sparse::IndexType::U32 => DataType::U32,
            };
            let part = |what: &str, view: gltf::buffer::View, offset: usize, size: usize| {
                let bytes = view_bytes(&view, buffers)?;
                match n
                    .checked_mul(size)
                    .and_then(|x| x.checked_add(offset))
                    .filter(|end| *end <= bytes.len())
                {
                    Some(end) => Ok(&bytes[offset..end]),
                    None => Err(format!(
                        "accessors[{i}].sparse.{what}: {n} × {size} bytes from byteOffset {offset} do not fit in bufferViews[{}] ({} bytes)",
                        view.index(),
                        bytes.len()
                    )),
                }
            };
            let indices = part(
                "indices",
                s.indices().view(),
                s.indices().offset(),
                comp_size(index_type),
            )?;
            let values = part("values", s.values().view(), s.values().offset(), elem)?;
            Some(SparseParts {
                count: n,
                index_type,
                indices,
                values,
            })
        }
    };
    Ok(Located {
        index: i,
        fmt,
        count,
        base,
        sparse,
    })
}

impl Located<'_> {
    /// Checks that every float component is finite (glTF's ACCESSOR_INVALID_FLOAT), without
    /// allocating.
    pub fn check_finite(&self) -> Result<(), String> {
        if self.fmt.ctype != DataType::F32 {
            return Ok(());
        }
        let comps = self.fmt.comps();
        let elem = self.fmt.elem_size();
        let bad = |e: usize, k: usize, v: f32, sparse: bool| {
            Err(format!(
                "accessors[{}]{}: element {e} component {k} is {v}; float data must be finite",
                self.index,
                if sparse { ".sparse.values" } else { "" }
            ))
        };
        if let Some((data, stride)) = self.base {
            for e in 0..self.count {
                for k in 0..comps {
                    let at = e * stride + self.fmt.comp_offset(k);
                    let v = to_f32(self.fmt, &data[at..at + 4]);
                    if !v.is_finite() {
                        return bad(e, k, v, false);
                    }
                }
            }
        }
        if let Some(s) = &self.sparse {
            for e in 0..s.count {
                for k in 0..comps {
                    let at = e * elem + self.fmt.comp_offset(k);
                    let v = to_f32(self.fmt, &s.values[at..at + 4]);
                    if !v.is_finite() {
                        return bad(e, k, v, true);
                    }
                }
            }
        }
        Ok(())
    }

    /// Reads all components, flattened, converting each with `conv`.
    fn read<T: Copy + Default>(&self, conv: impl Fn(&[u8]) -> T) -> Result<Vec<T>, String> {
        let comps = self.fmt.comps();
        let csize = comp_size(self.fmt.ctype);
        let elem = self.fmt.elem_size();
        if self.base.is_none() && self.count > MAX_ZERO_FILLED {
            return Err(format!(
                "accessors[{}] has no bufferView and claims {} elements (at most {MAX_ZERO_FILLED} are accepted)",
                self.index, self.count
            ));
        }
        let mut out = Vec::with_capacity(self.count * comps);
        match self.base {
            Some((data, stride)) => {
                for e in 0..self.count {
                    for k in 0..comps {
                        let at = e * stride + self.fmt.comp_offset(k);
                        out.push(conv(&data[at..at + csize]));
                    }
                }
            }
            None => out.resize(self.count * comps, T::default()),
        }
        if let Some(s) = &self.sparse {
            let isize = comp_size(s.index_type);
            for e in 0..s.count {
                let at = e * isize;
                let target = to_u32(s.index_type, &s.indices[at..at + isize]).unwrap_or(0) as usize;
                if target >= self.count {
                    return Err(format!(
                        "accessors[{}].sparse.indices: element {e} is {target}, but the accessor has {} elements",
                        self.index, self.count
                    ));
                }
                for k in 0..comps {
                    let v = e * elem + self.fmt.comp_offset(k);
                    out[target * comps + k] = conv(&s.values[v..v + csize]);
                }
            }
        }
        Ok(out)
    }

    /// All components as f32 (glTF conversion rules), flattened.
    pub fn read_f32(&self) -> Result<Vec<f32>, String> {
        let f = self.fmt;
        self.read(|b| to_f32(f, b))
    }

    /// All components as unsigned integers (UNSIGNED_BYTE / SHORT / INT only).
    pub fn read_u32(&self) -> Result<Vec<u32>, String> {
        let t = self.fmt.ctype;
        if to_u32(t, &[0; 4]).is_none() {
            return Err(format!(
                "accessors[{}]: componentType {} where an unsigned integer type is required",
                self.index,
                type_name(t)
            ));
        }
        self.read(|b| to_u32(t, b).unwrap_or(0))
    }
}

/// Groups a flat component list into fixed-size arrays (`N` must match the accessor's type).
pub fn chunks<const N: usize>(flat: &[f32]) -> Vec<[f32; N]> {
    flat.chunks_exact(N)
        .map(|c| {
            let mut a = [0.0; N];
            a.copy_from_slice(c);
            a
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions() {
        let f = |ctype, normalized| Format {
            ctype,
            normalized,
            rows: 1,
            cols: 1,
        };
        assert_eq!(to_f32(f(DataType::U8, true), &[255]), 1.0);
        assert_eq!(to_f32(f(DataType::U8, false), &[255]), 255.0);
        assert_eq!(to_f32(f(DataType::I8, true), &[0x80]), -1.0);
        assert_eq!(to_f32(f(DataType::I8, true), &[127]), 1.0);
        assert_eq!(to_f32(f(DataType::I16, true), &[0x00, 0x80]), -1.0);
        assert_eq!(to_f32(f(DataType::I16, false), &[0xFF, 0xFF]), -1.0);
        assert_eq!(to_f32(f(DataType::U16, true), &[0xFF, 0xFF]), 1.0);
        assert_eq!(to_f32(f(DataType::F32, false), &1.5f32.to_le_bytes()), 1.5);
    }

    #[test]
    fn matrix_padding() {
        // MAT2 of bytes: each column padded to 4 bytes.
        let m = Format {
            ctype: DataType::U8,
            normalized: false,
            rows: 2,
            cols: 2,
        };
        assert_eq!(m.elem_size(), 8);
        assert_eq!(m.comp_offset(2), 4);
        // MAT3 of shorts: 6 bytes per column padded to 8.
        let m = Format {
            ctype: DataType::I16,
            normalized: false,
            rows: 3,
            cols: 3,
        };
        assert_eq!(m.elem_size(), 24);
        assert_eq!(m.comp_offset(4), 10);
    }
}
