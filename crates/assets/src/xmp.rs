//! Google Photo Sphere (GPano) XMP: what part of the sphere a (partial) equirectangular image
//! covers, and its compass heading, read from the image file's XMP packet.
//!
//! The packet (`<x:xmpmeta` … `</x:xmpmeta>`) is found by plain byte scanning in the first
//! [`SCAN_LIMIT`] bytes of any file (a JPEG keeps it in an APP1 segment near the start; PNG,
//! TIFF and WebP carry the same text). Properties are read in both RDF forms, attributes
//! (`GPano:FullPanoWidthPixels="8192"`) and elements
//! (`<GPano:FullPanoWidthPixels>8192</GPano:FullPanoWidthPixels>`), under whatever prefix the
//! packet binds to the GPano namespace (`GPano` when it binds none). No XML parser: anything
//! malformed is skipped, nothing panics.

use disan_tour::model::Coverage;

/// How far into a file the XMP packet is looked for (4 MiB).
pub const SCAN_LIMIT: usize = 4 << 20;

/// The GPano namespace URI.
pub const GPANO_NS: &str = "http://ns.google.com/photos/1.0/panorama/";

/// The Photo Sphere properties Disan uses. Pixel values are as written (they may describe a
/// larger original than the file: only their ratios matter).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GPano {
    /// `ProjectionType` (`equirectangular` for the panoramas Disan reads).
    pub projection_type: Option<String>,
    /// `FullPanoWidthPixels`: width of the whole 360° panorama the image is cut from.
    pub full_width: Option<f64>,
    /// `FullPanoHeightPixels`: height of the whole 180° panorama.
    pub full_height: Option<f64>,
    /// `CroppedAreaImageWidthPixels`: width of the part the image holds.
    pub cropped_width: Option<f64>,
    /// `CroppedAreaImageHeightPixels`: height of the part the image holds.
    pub cropped_height: Option<f64>,
    /// `CroppedAreaLeftPixels`: column of the part's left edge in the whole panorama.
    pub cropped_left: Option<f64>,
    /// `CroppedAreaTopPixels`: row of the part's top edge in the whole panorama.
    pub cropped_top: Option<f64>,
    /// `PoseHeadingDegrees`: compass heading of the whole panorama's centre (0 = north, 90 =
    /// east).
    pub heading: Option<f64>,
}

impl GPano {
    /// Reads the GPano properties of the first XMP packet in the first [`SCAN_LIMIT`] bytes
    /// that has any. `None` when there is no packet or no GPano property in one.
    pub fn from_bytes(bytes: &[u8]) -> Option<GPano> {
        let bytes = &bytes[..bytes.len().min(SCAN_LIMIT)];
        let mut rest = bytes;
        while let Some(start) = find(rest, b"<x:xmpmeta") {
            let packet = &rest[start..];
            let end = find(packet, b"</x:xmpmeta>").map_or(packet.len(), |e| e + 12);
            if let Some(g) = GPano::from_xmp(&packet[..end]) {
                return Some(g);
            }
            rest = &packet[end.max(1)..];
        }
        None
    }

    /// Reads the GPano properties of one XMP packet (the text between `<x:xmpmeta` and
    /// `</x:xmpmeta>`, or any RDF/XML text). `None` when it has none.
    pub fn from_xmp(xmp: &[u8]) -> Option<GPano> {
        let prefix = gpano_prefix(xmp);
        let prefix = prefix.as_deref().unwrap_or(b"GPano");
        let num = |name: &str| {
            property(xmp, prefix, name)
                .and_then(|v| v.trim().parse::<f64>().ok())
                .filter(|v| v.is_finite())
        };
        let g = GPano {
            projection_type: property(xmp, prefix, "ProjectionType")
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty()),
            full_width: num("FullPanoWidthPixels"),
            full_height: num("FullPanoHeightPixels"),
            cropped_width: num("CroppedAreaImageWidthPixels"),
            cropped_height: num("CroppedAreaImageHeightPixels"),
            cropped_left: num("CroppedAreaLeftPixels"),
            cropped_top: num("CroppedAreaTopPixels"),
            heading: num("PoseHeadingDegrees"),
        };
        (g != GPano::default()).then_some(g)
    }

    /// What part of the sphere the image covers: `haov` = 360·cropped width / full width,
    /// `vaov` = 180·cropped height / full height, `h_offset` the yaw and `v_offset` the pitch of
    /// the crop's centre (yaw 0 is the full panorama's centre, positive to the right; pitch
    /// positive up). A missing crop is the whole panorama at (0, 0). `None` when the full size is
    /// missing, the numbers do not describe a crop of the sphere, or the projection is not
    /// equirectangular.
    pub fn coverage(&self) -> Option<Coverage> {
        if let Some(p) = &self.projection_type {
            if !p.eq_ignore_ascii_case("equirectangular") {
                return None;
            }
        }
        let (fw, fh) = (self.full_width?, self.full_height?);
        let cw = self.cropped_width.unwrap_or(fw);
        let ch = self.cropped_height.unwrap_or(fh);
        let left = self.cropped_left.unwrap_or(0.0);
        let top = self.cropped_top.unwrap_or(0.0);
        let ok = fw > 0.0
            && fh > 0.0
            && cw > 0.0
            && ch > 0.0
            && cw <= fw
            && ch <= fh
            && left >= 0.0
            && left < fw
            && top >= 0.0
            && top + ch <= fh;
        if !ok {
            return None;
        }
        let mut h_offset = ((left + cw / 2.0) / fw - 0.5) * 360.0;
        if h_offset > 180.0 {
            // A crop that runs across the right edge of the full panorama.
            h_offset -= 360.0;
        }
        let c = Coverage {
            haov: (360.0 * cw / fw) as f32,
            vaov: (180.0 * ch / fh) as f32,
            v_offset: ((0.5 - (top + ch / 2.0) / fh) * 180.0) as f32,
            h_offset: h_offset as f32,
        };
        let finite = [c.haov, c.vaov, c.v_offset, c.h_offset]
            .iter()
            .all(|v| v.is_finite());
        (finite && c.haov > 0.0 && c.vaov > 0.0).then_some(c)
    }

    /// Compass heading of the panorama's centre, degrees in 0..360 (`PoseHeadingDegrees`).
    pub fn heading(&self) -> Option<f32> {
        let h = self.heading?.rem_euclid(360.0);
        // A tiny negative heading wraps to exactly 360.
        Some(if h >= 360.0 { 0.0 } else { h as f32 })
    }

    /// Disan's `north_offset`: the yaw at which north lies, −heading, in -180..=180.
    pub fn north_offset(&self) -> Option<f32> {
        let h = self.heading()?;
        Some(if h > 180.0 { 360.0 - h } else { 0.0 - h })
    }
}

/// First position of `needle` in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    let first = needle[0];
    let last_start = hay.len() - needle.len();
    let mut i = 0;
    while i <= last_start {
        match hay[i..=last_start].iter().position(|&b| b == first) {
            None => return None,
            Some(p) => {
                i += p;
                if hay[i..].starts_with(needle) {
                    return Some(i);
                }
                i += 1;
            }
        }
    }
    None
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':') || b >= 0x80
}

/// The prefix the packet binds to [`GPANO_NS`] (`xmlns:PREFIX="…"`), if any.
fn gpano_prefix(xmp: &[u8]) -> Option<Vec<u8>> {
    let mut rest = xmp;
    while let Some(at) = find(rest, GPANO_NS.as_bytes()) {
        // Walk back over the quote, `=`, blanks and the prefix to `xmlns:`.
        let before = &rest[..at];
        let mut i = before.len();
        if i > 0 && matches!(before[i - 1], b'"' | b'\'') {
            i -= 1;
            while i > 0 && before[i - 1].is_ascii_whitespace() {
                i -= 1;
            }
            if i > 0 && before[i - 1] == b'=' {
                i -= 1;
                while i > 0 && before[i - 1].is_ascii_whitespace() {
                    i -= 1;
                }
                let end = i;
                while i > 0 && is_name_byte(before[i - 1]) && before[i - 1] != b':' {
                    i -= 1;
                }
                let name = &before[i..end];
                if !name.is_empty() && before[..i].ends_with(b"xmlns:") {
                    return Some(name.to_vec());
                }
            }
        }
        rest = &rest[at + GPANO_NS.len()..];
    }
    None
}

/// The value of `prefix:name`, as an attribute (`prefix:name="v"`) or an element
/// (`<prefix:name>v</prefix:name>`): the first occurrence that reads as either.
fn property(xmp: &[u8], prefix: &[u8], name: &str) -> Option<String> {
    let mut key = prefix.to_vec();
    key.push(b':');
    key.extend_from_slice(name.as_bytes());
    let mut pos = 0;
    while pos < xmp.len() {
        let at = pos + find(&xmp[pos..], &key)?;
        pos = at + 1;
        let after = at + key.len();
        // Whole names only: not `XGPano:Name` nor `GPano:NameMore`.
        if at > 0 && is_name_byte(xmp[at - 1]) {
            continue;
        }
        if xmp.get(after).is_some_and(|&b| is_name_byte(b)) {
            continue;
        }
        if at > 0 && xmp[at - 1] == b'<' {
            // Element: skip its attributes to `>`, then the text up to the next `<`.
            let gt = after + find(&xmp[after..], b">")?;
            if xmp[gt - 1] == b'/' {
                continue; // empty element
            }
            let text_end = gt + 1 + find(&xmp[gt + 1..], b"<")?;
            let text = &xmp[gt + 1..text_end];
            if let Ok(s) = std::str::from_utf8(text) {
                return Some(unescape(s));
            }
            continue;
        }
        // Attribute: blanks, `=`, blanks, a quote, the value, the same quote.
        let mut i = after;
        while xmp.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        if xmp.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while xmp.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        let Some(&quote) = xmp.get(i).filter(|&&q| q == b'"' || q == b'\'') else {
            continue;
        };
        let start = i + 1;
        let Some(len) = xmp
            .get(start..)
            .and_then(|r| r.iter().position(|&b| b == quote))
        else {
            continue;
        };
        if let Ok(s) = std::str::from_utf8(&xmp[start..start + len]) {
            return Some(unescape(s));
        }
    }
    None
}

/// The five predefined XML entities (values here are numbers and words; no others matter).
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ATTRS: &str = r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Test">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:GPano="http://ns.google.com/photos/1.0/panorama/"
   GPano:UsePanoramaViewer="True"
   GPano:ProjectionType="equirectangular"
   GPano:PoseHeadingDegrees="350.0"
   GPano:CroppedAreaImageWidthPixels="4000"
   GPano:CroppedAreaImageHeightPixels="1000"
   GPano:FullPanoWidthPixels="8000"
   GPano:FullPanoHeightPixels="4000"
   GPano:CroppedAreaLeftPixels="2000"
   GPano:CroppedAreaTopPixels="1000"/>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#;

    const ELEMENTS: &str = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:gp='http://ns.google.com/photos/1.0/panorama/'>
   <gp:ProjectionType>equirectangular</gp:ProjectionType>
   <gp:PoseHeadingDegrees>90</gp:PoseHeadingDegrees>
   <gp:FullPanoWidthPixels>6000</gp:FullPanoWidthPixels>
   <gp:FullPanoHeightPixels>3000</gp:FullPanoHeightPixels>
   <gp:CroppedAreaImageWidthPixels>6000</gp:CroppedAreaImageWidthPixels>
   <gp:CroppedAreaImageHeightPixels> 1500 </gp:CroppedAreaImageHeightPixels>
   <gp:CroppedAreaLeftPixels>0</gp:CroppedAreaLeftPixels>
   <gp:CroppedAreaTopPixels>300</gp:CroppedAreaTopPixels>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>"#;

    /// A JPEG-like file: SOI, an APP1 XMP segment, junk.
    fn jpeg_with(xmp: &str) -> Vec<u8> {
        let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
        let header = b"http://ns.adobe.com/xap/1.0/\0";
        let len = (2 + header.len() + xmp.len()) as u16;
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(header);
        out.extend_from_slice(xmp.as_bytes());
        out.extend_from_slice(&[0xFF, 0xDB, 0x00, 0x04, 0x01, 0x02, 0xFF, 0xD9]);
        out
    }

    fn close(a: f32, b: f32) -> bool {
        (a - b).abs() < 1e-4
    }

    #[test]
    fn attribute_form() {
        let g = GPano::from_bytes(&jpeg_with(ATTRS)).unwrap();
        assert_eq!(g.projection_type.as_deref(), Some("equirectangular"));
        assert_eq!(g.full_width, Some(8000.0));
        assert_eq!(g.cropped_top, Some(1000.0));
        let c = g.coverage().unwrap();
        // 4000 of 8000 wide = 180°, 1000 of 4000 high = 45°; the crop centre is column 4000
        // (the full centre: yaw 0) and row 1500 (pitch (0.5 − 0.375)·180 = 22.5°).
        assert!(close(c.haov, 180.0), "{c:?}");
        assert!(close(c.vaov, 45.0), "{c:?}");
        assert!(close(c.h_offset, 0.0), "{c:?}");
        assert!(close(c.v_offset, 22.5), "{c:?}");
        assert_eq!(g.heading(), Some(350.0));
        assert_eq!(g.north_offset(), Some(10.0));
    }

    #[test]
    fn element_form_with_another_prefix() {
        let g = GPano::from_bytes(ELEMENTS.as_bytes()).unwrap();
        assert_eq!(g.cropped_height, Some(1500.0));
        let c = g.coverage().unwrap();
        assert!(close(c.haov, 360.0), "{c:?}");
        assert!(close(c.vaov, 90.0), "{c:?}");
        // Rows 300..1800 of 3000: centre 1050 → pitch (0.5 − 0.35)·180 = 27°.
        assert!(close(c.v_offset, 27.0), "{c:?}");
        assert!(close(c.h_offset, 0.0), "{c:?}");
        assert_eq!(g.north_offset(), Some(-90.0));
    }

    #[test]
    fn crop_offsets_and_seam() {
        let xmp = |left: u32| {
            format!(
                r#"<x:xmpmeta><rdf:Description GPano:FullPanoWidthPixels="3600" GPano:FullPanoHeightPixels="1800"
                GPano:CroppedAreaImageWidthPixels="900" GPano:CroppedAreaImageHeightPixels="1800"
                GPano:CroppedAreaLeftPixels="{left}" GPano:CroppedAreaTopPixels="0"/></x:xmpmeta>"#
            )
        };
        let c = GPano::from_bytes(xmp(2700).as_bytes())
            .unwrap()
            .coverage()
            .unwrap();
        // Columns 2700..3600: centre 3150 → yaw (0.875 − 0.5)·360 = 135°.
        assert!(close(c.h_offset, 135.0) && close(c.haov, 90.0), "{c:?}");
        // Columns 3400..4300 wrap past the seam: centre 3850 → yaw 205°, that is −155°.
        let c = GPano::from_bytes(xmp(3400).as_bytes())
            .unwrap()
            .coverage()
            .unwrap();
        assert!(close(c.h_offset, -155.0), "{c:?}");
        assert!(close(c.vaov, 180.0) && close(c.v_offset, 0.0), "{c:?}");
    }

    #[test]
    fn missing_or_inconsistent_values_give_no_coverage() {
        let only_heading = r#"<x:xmpmeta><x GPano:PoseHeadingDegrees="-30"/></x:xmpmeta>"#;
        let g = GPano::from_bytes(only_heading.as_bytes()).unwrap();
        assert_eq!(g.coverage(), None);
        assert_eq!(g.heading(), Some(330.0));
        assert_eq!(g.north_offset(), Some(30.0));
        let cylinder = ATTRS.replace("equirectangular", "cylindrical");
        assert_eq!(
            GPano::from_bytes(cylinder.as_bytes()).unwrap().coverage(),
            None
        );
        let too_tall = ATTRS.replace(
            r#"CroppedAreaTopPixels="1000""#,
            r#"CroppedAreaTopPixels="3500""#,
        );
        assert_eq!(
            GPano::from_bytes(too_tall.as_bytes()).unwrap().coverage(),
            None
        );
        let nan = ATTRS.replace(
            r#"FullPanoWidthPixels="8000""#,
            r#"FullPanoWidthPixels="NaN""#,
        );
        assert_eq!(GPano::from_bytes(nan.as_bytes()).unwrap().coverage(), None);
        // No GPano property at all, no packet at all.
        assert_eq!(
            GPano::from_bytes(b"<x:xmpmeta><rdf:RDF/></x:xmpmeta>"),
            None
        );
        assert_eq!(GPano::from_bytes(b"\xFF\xD8\xFF\xD9"), None);
        assert_eq!(GPano::from_bytes(b""), None);
    }

    #[test]
    fn whole_names_only_and_later_packets() {
        let xmp = r#"<x:xmpmeta><a XGPano:FullPanoWidthPixels="1" GPano:FullPanoWidthPixelsX="2"/></x:xmpmeta>
        <x:xmpmeta><a GPano:FullPanoWidthPixels = '7'/></x:xmpmeta>"#;
        let g = GPano::from_bytes(xmp.as_bytes()).unwrap();
        assert_eq!(g.full_width, Some(7.0));
    }

    /// A small deterministic generator for the garbage tests.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            self.0 >> 33
        }
    }

    #[test]
    fn truncated_and_garbage_input_never_panics() {
        for text in [ATTRS, ELEMENTS] {
            let file = jpeg_with(text);
            for cut in 0..file.len() {
                if let Some(g) = GPano::from_bytes(&file[..cut]) {
                    let _ = (g.coverage(), g.north_offset());
                }
            }
        }
        let mut rng = Lcg(42);
        let pieces: [&[u8]; 12] = [
            b"<x:xmpmeta",
            b"</x:xmpmeta>",
            b"GPano:FullPanoWidthPixels",
            b"GPano:CroppedAreaTopPixels",
            b"<GPano:FullPanoHeightPixels>",
            b"</",
            b"=\"",
            b"'",
            b"xmlns:GPano=\"http://ns.google.com/photos/1.0/panorama/\"",
            b"12.5",
            b"\xFF\xC0\x00",
            b">",
        ];
        for _ in 0..2000 {
            let mut buf = Vec::new();
            for _ in 0..rng.next() % 24 {
                if rng.next() % 3 < 1 {
                    buf.push(rng.next() as u8);
                } else {
                    buf.extend_from_slice(pieces[(rng.next() % 12) as usize]);
                }
            }
            if let Some(g) = GPano::from_bytes(&buf) {
                let _ = (g.coverage(), g.heading(), g.north_offset());
            }
        }
        // Non-UTF-8 values are skipped, not decoded.
        let bad = b"<x:xmpmeta GPano:FullPanoWidthPixels=\"\xFF\xFE\"/>";
        assert_eq!(GPano::from_bytes(bad), None);
    }
}
