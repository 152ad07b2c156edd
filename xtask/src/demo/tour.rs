//! The demo's `tour.json` (format v1, see `crates/tour/src/model.rs`), `catalog.json` and
//! `assets/LICENSES.md`, with hotspots placed from the scene geometry.

use serde_json::{json, Value};

/// Where the hotspots go, computed from the scenes.
pub struct Placements {
    /// Sân đình: (yaw, pitch) of the hall door, the stele, the hall roof.
    pub san_door: (f32, f32),
    pub san_stele: (f32, f32),
    pub san_hall: (f32, f32),
    /// Hậu cung: (yaw, pitch) of the drum, the altar, the door.
    pub hau_drum: (f32, f32),
    pub hau_altar: (f32, f32),
    pub hau_door: (f32, f32),
    /// Drum, model space: (position, normal) of the star, the front band, the back band, the foot.
    pub drum_star: ([f32; 3], [f32; 3]),
    pub drum_front: ([f32; 3], [f32; 3]),
    pub drum_back: ([f32; 3], [f32; 3]),
    pub drum_foot: ([f32; 3], [f32; 3]),
}

fn r2(x: f32) -> f64 {
    (x as f64 * 100.0).round() / 100.0
}

fn r4(v: [f32; 3]) -> Vec<f64> {
    v.iter()
        .map(|&x| {
            let y = (x as f64 * 10000.0).round() / 10000.0;
            if y == 0.0 {
                0.0
            } else {
                y
            }
        })
        .collect()
}

fn t(vi: &str, en: &str) -> Value {
    json!({"vi": vi, "en": en})
}

fn dir(id: &str, kind: &str, yp: (f32, f32), label: Value) -> Value {
    json!({"id": id, "kind": kind, "label": label, "yaw": r2(yp.0), "pitch": r2(yp.1)})
}

fn surf(id: &str, kind: &str, pn: ([f32; 3], [f32; 3]), label: Value) -> Value {
    json!({"id": id, "kind": kind, "label": label, "position": r4(pn.0), "normal": r4(pn.1)})
}

/// Builds `tour.json`.
pub fn tour(p: &Placements) -> Value {
    let mut to_hau = dir(
        "vao-hau-cung",
        "link",
        p.san_door,
        t("Vào hậu cung", "Enter the inner sanctuary"),
    );
    to_hau["target"] = json!("hau-cung");
    to_hau["view"] = json!({"yaw": 0.0, "pitch": 0.0, "fov": 75.0});
    let mut stele = dir("bia-da", "info", p.san_stele, t("Bia đá", "Stone stele"));
    stele["entry"] = json!("bia-da");
    let mut hall = dir(
        "dinh-lang",
        "info",
        p.san_hall,
        t("Đình làng", "The communal house"),
    );
    hall["entry"] = json!("dinh-lang");

    let mut back = dir(
        "ra-san-dinh",
        "link",
        p.hau_door,
        t("Ra sân đình", "Back to the courtyard"),
    );
    back["target"] = json!("san-dinh");
    back["view"] = json!({"yaw": 180.0, "pitch": 3.0, "fov": 75.0});
    let mut to_drum = dir(
        "xem-trong-dong",
        "link",
        p.hau_drum,
        t("Xem trống đồng", "Examine the bronze drum"),
    );
    to_drum["target"] = json!("trong-dong");
    to_drum["view"] = json!({"yaw": 0.0, "pitch": 20.0});
    let mut altar = dir("ban-tho", "info", p.hau_altar, t("Ban thờ", "The altar"));
    altar["entry"] = json!("ban-tho");

    let mut star = surf(
        "mat-trong",
        "info",
        p.drum_star,
        t("Ngôi sao giữa mặt trống", "The star on the tympanum"),
    );
    star["entry"] = json!("trong-dong-sao");
    let mut front = surf(
        "than-trong",
        "info",
        p.drum_front,
        t("Trống đồng Đông Sơn", "The Đông Sơn drum"),
    );
    front["entry"] = json!("trong-dong");
    let mut motifs = surf(
        "hoa-van",
        "info",
        p.drum_back,
        t("Hoa văn trên trống", "Decoration of the drum"),
    );
    motifs["entry"] = json!("trong-dong-hoa-van");
    let mut leave = surf(
        "ve-hau-cung",
        "link",
        p.drum_foot,
        t("Về hậu cung", "Back to the sanctuary"),
    );
    leave["target"] = json!("hau-cung");
    leave["view"] = json!({"yaw": r2(p.hau_drum.0), "pitch": -12.0, "fov": 65.0});

    json!({
        "format": "disan-tour",
        "version": 1,
        "id": "dinh-lang-demo",
        "title": t("Đình làng — chuyến tham quan mẫu", "Village communal house — demo tour"),
        "languages": ["vi", "en"],
        "start_scene": "san-dinh",
        "scenes": [
            {
                "id": "san-dinh",
                "kind": "panorama",
                "title": t("Sân đình", "The courtyard"),
                "image": "panos/san-dinh.jpg",
                "view": {"yaw": 0.0, "pitch": 5.0, "fov": 80.0},
                "fov_range": [30.0, 100.0],
                "hotspots": [to_hau, stele, hall]
            },
            {
                "id": "hau-cung",
                "kind": "panorama",
                "title": t("Hậu cung", "The inner sanctuary"),
                "image": "panos/hau-cung.jpg",
                "view": {"yaw": 15.0, "pitch": -4.0, "fov": 80.0},
                "fov_range": [30.0, 100.0],
                "hotspots": [back, to_drum, altar]
            },
            {
                "id": "trong-dong",
                "kind": "object",
                "title": t("Trống đồng", "The bronze drum"),
                "model": "models/trong-dong.glb",
                "orbit": {"yaw": 25.0, "pitch": 20.0},
                // Lit by the hall it stands in.
                "environment": "panos/hau-cung.jpg",
                "environment_intensity": 4.0,
                "hotspots": [star, front, motifs, leave]
            }
        ]
    })
}

fn common(entry: &mut Value, number: &str) {
    entry["inventory_number"] = json!(number);
    entry["rights"] = t(
        "CC0 1.0 — mô hình do dự án Disan tạo",
        "CC0 1.0 — model generated by the Disan project",
    );
    entry["credits"] = t(
        "Dự án Disan — dữ liệu minh họa cho chuyến tham quan mẫu, không phải hồ sơ của bảo tàng",
        "The Disan project — demonstration data for the sample tour, not a museum record",
    );
}

/// Builds `catalog.json`.
pub fn catalog() -> Value {
    let mut bia = json!({
        "id": "bia-da",
        "title": t("Bia đá trên lưng rùa", "Stone stele on a turtle"),
        "description": t(
            "Tấm bia đá dựng trên lưng rùa, đặt trong nhà bia bên trái sân đình. Những tấm bia như thế thường ghi lại việc dựng đình, các lần trùng tu và công đức của dân làng. Cảnh và dòng chữ trên bia là hình minh họa do dự án Disan tạo bằng mã, không sao chép một tấm bia có thật.",
            "A stone stele standing on the back of a turtle, sheltered by the stele pavilion on the left of the courtyard. Steles like this usually record the building of the communal house, its restorations and the villagers' donations. The scene and the inscription are illustrations generated in code by the Disan project, not a copy of a real stele."
        ),
        "object_type": t("Bia đá", "Stele"),
        "period": t("Minh họa theo phong cách thế kỷ XVII–XIX", "Illustration in the style of the 17th–19th centuries"),
        "material": t("Đá xanh (mô phỏng)", "Bluestone (simulated)"),
        "dimensions": t("Thân bia cao khoảng 1,56 m, rộng 0,9 m (kích thước trong mô hình)", "Slab about 1.56 m high and 0.9 m wide (model dimensions)"),
        "place_of_origin": t("Ngôi đình giả định ở đồng bằng Bắc Bộ", "An imaginary communal house in the Red River Delta"),
        "heritage_designation": t("Không — hiện vật minh họa", "None — illustrative object"),
        "current_location": t("Nhà bia, sân đình (chuyến tham quan mẫu)", "Stele pavilion, courtyard (demo tour)")
    });
    common(&mut bia, "DEMO-0001");

    let mut dinh = json!({
        "id": "dinh-lang",
        "title": t("Đình làng", "The village communal house (đình)"),
        "description": t(
            "Đình là nơi thờ Thành hoàng làng và là trung tâm sinh hoạt cộng đồng của làng Việt. Ngôi đình trong chuyến tham quan này được dựng bằng mã: bộ mái lớn lợp ngói mũi hài với các góc đao cong vút, những hàng cột gỗ trên nền đá và dãy cửa bức bàn. Đây là cảnh minh họa của dự án Disan, không mô tả một ngôi đình cụ thể nào.",
            "The đình is where a Vietnamese village worships its tutelary deity and gathers for community life. The hall in this tour is built in code: a great roof of fish-scale tiles with upswept corners, rows of wooden columns on a stone platform and a row of panelled doors. It is an illustration by the Disan project and does not depict any particular communal house."
        ),
        "object_type": t("Công trình kiến trúc tín ngưỡng", "Religious and communal building"),
        "period": t("Minh họa theo kiến trúc đình làng thế kỷ XVII–XIX", "Illustration after village communal houses of the 17th–19th centuries"),
        "material": t("Gỗ, ngói đất nung, đá, gạch (mô phỏng)", "Wood, terracotta tiles, stone, brick (simulated)"),
        "dimensions": t("Mặt bằng khoảng 24 × 8,6 m, bảy gian (kích thước trong mô hình)", "Platform about 24 × 8.6 m, seven bays (model dimensions)"),
        "place_of_origin": t("Ngôi đình giả định ở đồng bằng Bắc Bộ", "An imaginary communal house in the Red River Delta"),
        "heritage_designation": t("Không — công trình minh họa", "None — illustrative building"),
        "current_location": t("Cảnh “Sân đình” (chuyến tham quan mẫu)", "“The courtyard” scene (demo tour)")
    });
    common(&mut dinh, "DEMO-0002");

    let mut ban = json!({
        "id": "ban-tho",
        "title": t("Ban thờ hậu cung", "Altar of the inner sanctuary"),
        "description": t(
            "Hậu cung là gian trong cùng của đình, nơi đặt khám thờ Thành hoàng. Trước khám là hương án sơn son thếp vàng với bát hương, đôi chân nến và mâm bồng; hai bên là đôi hạc đứng trên lưng rùa, phía trên treo bức hoành phi. Toàn bộ ban thờ là hình minh họa do dự án Disan dựng bằng mã, không phải hiện vật thật.",
            "The inner sanctuary is the innermost part of the communal house, where the shrine of the tutelary deity stands. In front of the shrine is an altar table in red lacquer and gold with an incense burner, a pair of candlesticks and fruit stands; cranes standing on turtles flank it and a horizontal lacquered board hangs above. The whole altar is an illustration built in code by the Disan project, not a real object."
        ),
        "object_type": t("Ban thờ, khám thờ và đồ thờ", "Altar, shrine and ritual objects"),
        "period": t("Minh họa theo phong cách thế kỷ XIX", "Illustration in a 19th-century style"),
        "material": t("Gỗ sơn son thếp vàng, đồng (mô phỏng)", "Red-lacquered and gilded wood, bronze (simulated)"),
        "dimensions": t("Hương án dài khoảng 2,8 m, cao khoảng 1 m (kích thước trong mô hình)", "Altar table about 2.8 m long and 1 m high (model dimensions)"),
        "place_of_origin": t("Ngôi đình giả định ở đồng bằng Bắc Bộ", "An imaginary communal house in the Red River Delta"),
        "heritage_designation": t("Không — hiện vật minh họa", "None — illustrative object"),
        "current_location": t("Hậu cung (chuyến tham quan mẫu)", "Inner sanctuary (demo tour)")
    });
    common(&mut ban, "DEMO-0003");

    let image = json!([{
        "src": "images/trong-dong-mat.jpg",
        "caption": t("Mặt trống trong mô hình: ngôi sao 14 cánh và các vành hoa văn", "The model's tympanum: the 14-pointed star and the bands of decoration"),
        "credit": "Disan project, CC0-1.0"
    }]);

    let mut trong = json!({
        "id": "trong-dong",
        "title": t("Trống đồng kiểu Đông Sơn (mô hình)", "Đông Sơn style bronze drum (model)"),
        "description": t(
            "Mô hình ba chiều một chiếc trống đồng loại I theo phân loại Heger, lấy cảm hứng từ trống đồng Ngọc Lũ — một Bảo vật quốc gia. Mô hình có cùng chiều cao 63 cm và đường kính mặt 79 cm như trống Ngọc Lũ: mặt trống phẳng, tang phình, thân thẳng và chân choãi, cùng bốn đôi quai. Hình dáng và hoa văn được dựng bằng mã theo lối phỏng, không sao chép hiện vật gốc. Đây là bản ghi minh họa của dự án Disan, không phải hồ sơ hiện vật của bảo tàng.",
            "A 3D model of a Heger type I bronze drum, inspired by the Ngọc Lũ drum, a National Treasure of Viet Nam. It shares the Ngọc Lũ drum's height of 63 cm and tympanum diameter of 79 cm: a flat tympanum, a bulging shoulder, a straight waist and a flared foot, with four pairs of handles. Its shape and decoration are freely adapted in code, not copied from the original. This is a demonstration record by the Disan project, not a museum record."
        ),
        "object_type": t("Trống đồng (mô hình số)", "Bronze drum (digital model)"),
        "period": t("Phong cách văn hóa Đông Sơn; mô hình số hiện đại", "Đông Sơn culture style; modern digital model"),
        "material": t("Hợp kim đồng có lớp gỉ xanh (mô phỏng)", "Bronze with green patina (simulated)"),
        "dimensions": t("Cao 63 cm, đường kính mặt 79 cm", "Height 63 cm, tympanum diameter 79 cm"),
        "place_of_origin": t("Tạo bằng mã (cargo xtask demo-assets); hình mẫu: trống Ngọc Lũ", "Generated in code (cargo xtask demo-assets); model after the Ngọc Lũ drum"),
        "heritage_designation": t("Không — mô hình minh họa (trống Ngọc Lũ, nguồn cảm hứng, là Bảo vật quốc gia)", "None — illustrative model (its inspiration, the Ngọc Lũ drum, is a National Treasure)"),
        "current_location": t("Hậu cung (chuyến tham quan mẫu)", "Inner sanctuary (demo tour)"),
        "images": image.clone(),
        "x-notes": {
            "generator": "xtask/src/demo/drum.rs",
            "note": "Extra field kept as it is by readers of format v1."
        }
    });
    common(&mut trong, "DEMO-0004");

    let mut sao = json!({
        "id": "trong-dong-sao",
        "title": t("Ngôi sao 14 cánh", "The 14-pointed star"),
        "description": t(
            "Chính giữa mặt trống là ngôi sao nhiều cánh; trên trống Ngọc Lũ ngôi sao có 14 cánh, xen giữa các cánh là họa tiết lông công. Ngôi sao thường được hiểu là hình tượng mặt trời. Trong mô hình, ngôi sao và các vành quanh nó được vẽ bằng mã theo lối phỏng, không sao chép hiện vật.",
            "At the centre of the tympanum is a many-pointed star; on the Ngọc Lũ drum it has 14 points, with feather motifs between them. The star is usually read as an image of the sun. In this model the star and the bands around it are drawn in code as a free adaptation, not a copy of the original."
        ),
        "object_type": t("Chi tiết hoa văn", "Decorative detail"),
        "period": t("Phong cách văn hóa Đông Sơn", "Đông Sơn culture style"),
        "material": t("Hợp kim đồng (mô phỏng)", "Bronze (simulated)"),
        "dimensions": t("Đường kính ngôi sao khoảng 8 cm (trong mô hình)", "Star about 8 cm across (in the model)"),
        "place_of_origin": t("Tạo bằng mã; hình mẫu: trống Ngọc Lũ", "Generated in code; model after the Ngọc Lũ drum"),
        "heritage_designation": t("Không — chi tiết của mô hình minh họa", "None — detail of an illustrative model"),
        "current_location": t("Mặt trống (chuyến tham quan mẫu)", "Tympanum (demo tour)"),
        "images": image
    });
    common(&mut sao, "DEMO-0004.1");

    let mut hoa = json!({
        "id": "trong-dong-hoa-van",
        "title": t("Các vành hoa văn", "The bands of decoration"),
        "description": t(
            "Mặt và thân trống phủ kín các vành hoa văn: vòng tròn có chấm giữa nối với nhau bằng những đường tiếp tuyến, vạch song song, răng cưa, nhà sàn mái cong, người hóa trang lông chim và đàn chim Lạc mỏ dài bay quanh ngôi sao. Trên tang trống là những con thuyền chở người đội mũ lông chim. Các hình trong mô hình được dự án Disan phỏng theo và giản lược bằng mã.",
            "Bands of decoration cover the tympanum and the body: circles with a central dot joined by tangent lines, parallel hatching, zig-zags, stilt houses with curved roofs, people in feathered costume and long-beaked Lạc birds flying around the star. Boats carrying men in feathered head-dresses sail around the shoulder. The figures in this model are simplified adaptations drawn in code by the Disan project."
        ),
        "object_type": t("Chi tiết hoa văn", "Decorative detail"),
        "period": t("Phong cách văn hóa Đông Sơn", "Đông Sơn culture style"),
        "material": t("Hợp kim đồng có lớp gỉ xanh (mô phỏng)", "Bronze with green patina (simulated)"),
        "place_of_origin": t("Tạo bằng mã; hình mẫu: trống Ngọc Lũ", "Generated in code; model after the Ngọc Lũ drum"),
        "heritage_designation": t("Không — chi tiết của mô hình minh họa", "None — detail of an illustrative model"),
        "current_location": t("Tang và thân trống, mặt sau (chuyến tham quan mẫu)", "Shoulder and body, back side (demo tour)")
    });
    common(&mut hoa, "DEMO-0004.2");

    json!({"version": 1, "entries": [bia, dinh, ban, trong, sao, hoa]})
}

const BEGIN: &str =
    "<!-- BEGIN demo-assets: written by `cargo xtask demo-assets`, edits inside are replaced -->";
const END: &str = "<!-- END demo-assets -->";

/// The demo's section of `assets/LICENSES.md`.
fn licence_section(files: &[(String, u64)]) -> String {
    let mut s = String::from(BEGIN);
    s.push_str(
        "\n## Demo tour (`assets/demo/`)\n\n\
         Everything in `assets/demo/` is generated by `cargo xtask demo-assets` from the code in\n\
         `xtask/src/demo/` of this repository: the panoramas are rendered by its small ray tracer,\n\
         the bronze drum and its textures are built procedurally, the texts are written for the\n\
         demo. No photographs, scans, fonts or other third-party material are used.\n\n\
         The generated files are dedicated to the public domain under\n\
         [CC0 1.0](https://creativecommons.org/publicdomain/zero/1.0/) (SPDX: `CC0-1.0`).\n\n\
         The catalog records are demonstration data, not museum records. The drum is inspired by\n\
         the Ngọc Lũ bronze drum (a National Treasure of Viet Nam) but is not a copy of it.\n\n\
         | File | Bytes | Licence |\n|---|---:|---|\n",
    );
    for (name, size) in files {
        s.push_str(&format!("| `demo/{name}` | {size} | CC0-1.0 |\n"));
    }
    s.push_str(END);
    s.push('\n');
    s
}

/// `assets/LICENSES.md` with the demo's section put in or replaced; the rest of an existing
/// file (other assets' licences) is kept.
pub fn licenses(existing: Option<&str>, files: &[(String, u64)]) -> String {
    let section = licence_section(files);
    let head = "# Licences of the bundled assets\n\n";
    match existing {
        Some(old) => match (old.find(BEGIN), old.find(END)) {
            (Some(a), Some(b)) if b > a => {
                let rest = old[b + END.len()..].trim_start_matches('\n');
                let mut s = format!("{}{section}", &old[..a]);
                if !rest.is_empty() {
                    s.push('\n');
                    s.push_str(rest);
                }
                s
            }
            _ if old.trim().is_empty()
                || old.starts_with(
                    "# Licences of the bundled assets\n\nEverything in `assets/demo/`",
                ) =>
            {
                format!("{head}{section}")
            }
            _ => format!("{}\n\n{section}", old.trim_end()),
        },
        None => format!("{head}{section}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licence_section_keeps_other_text_and_is_idempotent() {
        let files = [("tour.json".to_string(), 10)];
        let fresh = licenses(None, &files);
        assert!(fresh.starts_with("# Licences") && fresh.contains("`demo/tour.json` | 10"));
        let other = format!("{fresh}\n## Fonts\n\nNoto Sans, OFL-1.1.\n");
        let again = licenses(Some(&other), &[("tour.json".to_string(), 12)]);
        assert!(again.contains("## Fonts") && again.contains("`demo/tour.json` | 12"));
        assert!(!again.contains("| 10 |"));
        assert_eq!(
            licenses(Some(&again), &[("tour.json".to_string(), 12)]),
            again
        );
        let foreign = licenses(Some("# Licences\n\nFonts: OFL.\n"), &files);
        assert!(foreign.starts_with("# Licences\n\nFonts: OFL.") && foreign.contains(BEGIN));
    }

    #[test]
    fn tour_has_every_hotspot_kind() {
        let p = Placements {
            san_door: (0.0, 1.0),
            san_stele: (-60.0, -1.0),
            san_hall: (-27.0, 11.0),
            hau_drum: (40.0, -19.0),
            hau_altar: (0.0, -1.0),
            hau_door: (180.0, -1.0),
            drum_star: ([0.0, 0.63, 0.0], [0.0, 1.0, 0.0]),
            drum_front: ([0.0, 0.28, 0.32], [0.0, 0.0, 1.0]),
            drum_back: ([0.0, 0.52, -0.37], [0.0, -0.2, -1.0]),
            drum_foot: ([0.35, 0.06, 0.0], [0.9, 0.3, 0.0]),
        };
        let t = tour(&p);
        assert_eq!(t["scenes"].as_array().map(Vec::len), Some(3));
        let cat = catalog();
        let ids: Vec<&str> = cat["entries"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["id"].as_str())
            .collect();
        for scene in t["scenes"].as_array().into_iter().flatten() {
            for h in scene["hotspots"].as_array().into_iter().flatten() {
                assert!(
                    h["id"].is_string()
                        && h["label"]["vi"].is_string()
                        && h["label"]["en"].is_string()
                );
                if let Some(e) = h["entry"].as_str() {
                    assert!(ids.contains(&e), "{e}");
                }
            }
        }
    }
}
