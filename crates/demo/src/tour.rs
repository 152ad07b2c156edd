//! The demo's `tour.json` (format v1, see `crates/tour/src/model.rs`) and `catalog.json`, built
//! as `disan-tour` model types with the hotspots placed from the scene geometry, and the demo's
//! section of `assets/LICENSES.md`.

use disan_tour::model::{
    Catalog, CatalogEntry, CatalogImage, CatalogMedia, GuidedTour, Hotspot, Kiosk, MediaKind,
    ObjectScene, Orbit, PanoramaScene, Scene, Sound, Tour, TourStep, View,
};
use disan_tour::LangText;
use serde_json::{json, Map};

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

/// Rounded to 0.01 (degrees in the file).
fn r2(x: f32) -> f32 {
    ((x as f64 * 100.0).round() / 100.0) as f32
}

/// Rounded to 0.0001, without negative zeros (model-space positions and normals in the file).
fn r4(v: [f32; 3]) -> [f32; 3] {
    v.map(|x| {
        let y = (x as f64 * 10000.0).round() / 10000.0;
        if y == 0.0 {
            0.0
        } else {
            y as f32
        }
    })
}

fn t(vi: &str, en: &str) -> LangText {
    LangText::new([("vi", vi), ("en", en)])
}

/// An info hotspot opening catalog entry `entry` (placed by [`at`] or [`on`]).
fn info(id: &str, label: LangText, entry: &str) -> Hotspot {
    Hotspot::info(0.0, 0.0, entry).with_id(id).with_label(label)
}

/// A link hotspot to scene `target`, arriving with `view` (placed by [`at`]).
fn link(id: &str, label: LangText, target: &str, view: View) -> Hotspot {
    Hotspot::link(0.0, 0.0, target)
        .with_id(id)
        .with_label(label)
        .with_view(view)
}

/// Placed in a panorama at (yaw, pitch), degrees.
fn at(h: Hotspot, yp: (f32, f32)) -> Hotspot {
    h.at(r2(yp.0), r2(yp.1))
}

/// Placed on a model at (position, normal), model space.
fn on(h: Hotspot, pn: ([f32; 3], [f32; 3])) -> Hotspot {
    h.on(r4(pn.0), r4(pn.1))
}

fn view(yaw: f32, pitch: f32, fov: Option<f32>) -> View {
    View {
        fov,
        ..View::new(yaw, pitch)
    }
}

fn panorama(id: &str, title: LangText, image: &str, v: View, hotspots: Vec<Hotspot>) -> Scene {
    let pano = PanoramaScene {
        view: Some(v),
        fov_range: Some([30.0, 100.0]),
        ..PanoramaScene::from_image(image)
    };
    Scene::new(id, title, pano).with_hotspots(hotspots)
}

/// Builds `tour.json`.
pub fn tour(p: &Placements) -> Tour {
    let san_dinh = panorama(
        "san-dinh",
        t("Sân đình", "The courtyard"),
        "panos/san-dinh.jpg",
        view(0.0, 5.0, Some(80.0)),
        vec![
            at(
                link(
                    "vao-hau-cung",
                    t("Vào hậu cung", "Enter the inner sanctuary"),
                    "hau-cung",
                    view(0.0, 0.0, Some(75.0)),
                ),
                p.san_door,
            ),
            // Opening the stele's record also flies to a close-up of it.
            at(
                info("bia-da", t("Bia đá", "Stone stele"), "bia-da"),
                p.san_stele,
            )
            .with_view(view(r2(p.san_stele.0), r2(p.san_stele.1), Some(35.0))),
            at(
                info(
                    "dinh-lang",
                    t("Đình làng", "The communal house"),
                    "dinh-lang",
                ),
                p.san_hall,
            ),
        ],
    );
    let hau_cung = panorama(
        "hau-cung",
        t("Hậu cung", "The inner sanctuary"),
        "panos/hau-cung.jpg",
        view(15.0, -4.0, Some(80.0)),
        vec![
            at(
                link(
                    "ra-san-dinh",
                    t("Ra sân đình", "Back to the courtyard"),
                    "san-dinh",
                    view(180.0, 3.0, Some(75.0)),
                ),
                p.hau_door,
            ),
            at(
                link(
                    "xem-trong-dong",
                    t("Xem trống đồng", "Examine the bronze drum"),
                    "trong-dong",
                    view(0.0, 20.0, None),
                ),
                p.hau_drum,
            ),
            at(
                info("ban-tho", t("Ban thờ", "The altar"), "ban-tho"),
                p.hau_altar,
            ),
        ],
    );
    let drum = ObjectScene {
        orbit: Some(Orbit::new(25.0, 20.0)),
        // Lit by the hall it stands in.
        environment: Some("panos/hau-cung.jpg".into()),
        environment_intensity: Some(4.0),
        ..ObjectScene::from_model("models/trong-dong.glb")
    };
    let trong_dong = Scene::new("trong-dong", t("Trống đồng", "The bronze drum"), drum)
        .with_hotspots(vec![
            on(
                info(
                    "mat-trong",
                    t("Ngôi sao giữa mặt trống", "The star on the tympanum"),
                    "trong-dong-sao",
                ),
                p.drum_star,
            ),
            // The drum's beat, heard from its side (synthesised, `sound.rs`).
            Hotspot {
                sound: Some(Sound {
                    src: "sounds/trong-dong.wav".into(),
                    volume: 0.7,
                }),
                ..on(
                    info(
                        "than-trong",
                        t("Trống đồng Đông Sơn", "The Đông Sơn drum"),
                        "trong-dong",
                    ),
                    p.drum_front,
                )
            },
            on(
                info(
                    "hoa-van",
                    t("Hoa văn trên trống", "Decoration of the drum"),
                    "trong-dong-hoa-van",
                ),
                p.drum_back,
            ),
            on(
                link(
                    "ve-hau-cung",
                    t("Về hậu cung", "Back to the sanctuary"),
                    "hau-cung",
                    view(r2(p.hau_drum.0), -12.0, Some(65.0)),
                ),
                p.drum_foot,
            ),
        ]);
    Tour {
        id: Some("dinh-lang-demo".into()),
        start_scene: Some("san-dinh".into()),
        scenes: vec![
            san_dinh,
            Scene {
                // The bell and the wind of the sanctuary (synthesised, `sound.rs`).
                ambient: Some(Sound {
                    src: "sounds/hau-cung.wav".into(),
                    volume: 0.6,
                }),
                ..hau_cung
            },
            trong_dong,
        ],
        tours: vec![guided_tour(p)],
        kiosk: Some(Kiosk {
            attract: Some("tham-quan".into()),
            ..Kiosk::default()
        }),
        ..Tour::new(t(
            "Đình làng — chuyến tham quan mẫu",
            "Village communal house — demo tour",
        ))
    }
}

/// An orbit view of the drum (distance fitted).
fn orbit_view(yaw: f32, pitch: f32) -> View {
    View::new(yaw, pitch)
}

fn step(scene: &str, v: View, title: LangText, narration: LangText) -> TourStep {
    TourStep {
        scene: scene.into(),
        view: Some(v),
        hotspot: None,
        title,
        narration,
        audio: Default::default(),
        captions: Default::default(),
        duration: Some(12.0),
        extra: Map::new(),
    }
}

/// The demo's guided tour: the courtyard, the stele up close, the sanctuary, the drum from the
/// side and from above (the last step waits for the visitor).
fn guided_tour(p: &Placements) -> GuidedTour {
    let steps = vec![
        step(
            "san-dinh",
            view(0.0, 5.0, Some(80.0)),
            t("Sân đình", "The courtyard"),
            t(
                "Đây là sân đình, nơi dân làng tụ họp trong các dịp lễ hội. Phía trước là tòa đình, bên trái là nhà bia.",
                "This is the courtyard, where the villagers gather for festivals. Ahead stands the communal house; on the left, the stele pavilion.",
            ),
        ),
        TourStep {
            hotspot: Some("bia-da".into()),
            ..step(
                "san-dinh",
                view(r2(p.san_stele.0), r2(p.san_stele.1), Some(35.0)),
                t("Bia đá", "The stone stele"),
                t(
                    "Lại gần tấm bia đá trên lưng rùa: bia ghi lại việc dựng đình và công đức của dân làng. Hồ sơ hiện vật mở bên cạnh.",
                    "A closer look at the stone stele on its turtle: it records the building of the communal house and the villagers' donations. Its catalog record opens beside it.",
                ),
            )
        },
        step(
            "hau-cung",
            view(r2(p.hau_altar.0), r2(p.hau_altar.1), Some(70.0)),
            t("Hậu cung", "The inner sanctuary"),
            t(
                "Bước vào hậu cung, nơi đặt ban thờ. Ánh sáng ở đây dịu hơn, để giữ không khí trang nghiêm.",
                "We enter the inner sanctuary, where the altar stands. The light is softer here, to keep the place solemn.",
            ),
        ),
        step(
            "trong-dong",
            orbit_view(35.0, 12.0),
            t("Trống đồng — thân trống", "The bronze drum — its body"),
            t(
                "Chiếc trống đồng được đặt trong hậu cung. Hãy nhìn các băng hoa văn chạy quanh thân trống.",
                "The bronze drum kept in the sanctuary. Look at the bands of decoration running round its body.",
            ),
        ),
        TourStep {
            hotspot: Some("mat-trong".into()),
            duration: None,
            ..step(
                "trong-dong",
                orbit_view(35.0, 70.0),
                t("Trống đồng — mặt trống", "The bronze drum — the tympanum"),
                t(
                    "Nhìn từ trên xuống: ngôi sao nhiều cánh ở giữa mặt trống. Bạn có thể tự xoay trống; nhấn “Bước sau” để kết thúc chuyến tham quan.",
                    "Seen from above: the many-pointed star at the centre of the tympanum. Turn the drum yourself; press “Next step” to end the tour.",
                ),
            )
        },
    ];
    GuidedTour {
        id: "tham-quan".into(),
        title: t("Tham quan đình làng", "A walk through the communal house"),
        steps,
        extra: Map::new(),
    }
}

/// The cues of the drum's film (8 s), Vietnamese and English WebVTT.
pub fn film_captions() -> [String; 2] {
    let cues = |lines: [&str; 3]| {
        format!(
            "WEBVTT\n\n00:00.000 --> 00:02.600\n{}\n\n00:02.600 --> 00:05.300\n{}\n\n00:05.300 --> 00:08.000\n{}\n",
            lines[0], lines[1], lines[2]
        )
    };
    [
        cues([
            "Mặt trống đồng trong mô hình.",
            "Ngôi sao nhiều cánh ở giữa là hình tượng mặt trời.",
            "Tiếng chuông và gió: âm thanh tổng hợp của dự án Disan.",
        ]),
        cues([
            "The tympanum of the model drum.",
            "The many-pointed star at its centre is read as the sun.",
            "Bell and wind: sound synthesised by the Disan project.",
        ]),
    ]
}

/// An entry with what every demo record has: its inventory number, rights and credits.
fn common(number: &str) -> CatalogEntry {
    CatalogEntry {
        inventory_number: Some(number.into()),
        rights: Some(t(
            "CC0 1.0 — mô hình do dự án Disan tạo",
            "CC0 1.0 — model generated by the Disan project",
        )),
        credits: Some(t(
            "Dự án Disan — dữ liệu minh họa cho chuyến tham quan mẫu, không phải hồ sơ của bảo tàng",
            "The Disan project — demonstration data for the sample tour, not a museum record",
        )),
        ..CatalogEntry::new(String::new(), LangText::default())
    }
}

/// Builds `catalog.json`.
pub fn catalog() -> Catalog {
    let bia = CatalogEntry {
        id: "bia-da".into(),
        title: t("Bia đá trên lưng rùa", "Stone stele on a turtle"),
        description: t(
            "Tấm bia đá dựng trên lưng rùa, đặt trong nhà bia bên trái sân đình. Những tấm bia như thế thường ghi lại việc dựng đình, các lần trùng tu và công đức của dân làng. Cảnh và dòng chữ trên bia là hình minh họa do dự án Disan tạo bằng mã, không sao chép một tấm bia có thật.",
            "A stone stele standing on the back of a turtle, sheltered by the stele pavilion on the left of the courtyard. Steles like this usually record the building of the communal house, its restorations and the villagers' donations. The scene and the inscription are illustrations generated in code by the Disan project, not a copy of a real stele."
        ),
        object_type: Some(t("Bia đá", "Stele")),
        period: Some(t("Minh họa theo phong cách thế kỷ XVII–XIX", "Illustration in the style of the 17th–19th centuries")),
        material: Some(t("Đá xanh (mô phỏng)", "Bluestone (simulated)")),
        dimensions: Some(t("Thân bia cao khoảng 1,56 m, rộng 0,9 m (kích thước trong mô hình)", "Slab about 1.56 m high and 0.9 m wide (model dimensions)")),
        place_of_origin: Some(t("Ngôi đình giả định ở đồng bằng Bắc Bộ", "An imaginary communal house in the Red River Delta")),
        heritage_designation: Some(t("Không — hiện vật minh họa", "None — illustrative object")),
        current_location: Some(t("Nhà bia, sân đình (chuyến tham quan mẫu)", "Stele pavilion, courtyard (demo tour)")),
        ..common("DEMO-0001")
    };

    let dinh = CatalogEntry {
        id: "dinh-lang".into(),
        title: t("Đình làng", "The village communal house (đình)"),
        description: t(
            "Đình là nơi thờ Thành hoàng làng và là trung tâm sinh hoạt cộng đồng của làng Việt. Ngôi đình trong chuyến tham quan này được dựng bằng mã: bộ mái lớn lợp ngói mũi hài với các góc đao cong vút, những hàng cột gỗ trên nền đá và dãy cửa bức bàn. Đây là cảnh minh họa của dự án Disan, không mô tả một ngôi đình cụ thể nào.",
            "The đình is where a Vietnamese village worships its tutelary deity and gathers for community life. The hall in this tour is built in code: a great roof of fish-scale tiles with upswept corners, rows of wooden columns on a stone platform and a row of panelled doors. It is an illustration by the Disan project and does not depict any particular communal house."
        ),
        object_type: Some(t("Công trình kiến trúc tín ngưỡng", "Religious and communal building")),
        period: Some(t("Minh họa theo kiến trúc đình làng thế kỷ XVII–XIX", "Illustration after village communal houses of the 17th–19th centuries")),
        material: Some(t("Gỗ, ngói đất nung, đá, gạch (mô phỏng)", "Wood, terracotta tiles, stone, brick (simulated)")),
        dimensions: Some(t("Mặt bằng khoảng 24 × 8,6 m, bảy gian (kích thước trong mô hình)", "Platform about 24 × 8.6 m, seven bays (model dimensions)")),
        place_of_origin: Some(t("Ngôi đình giả định ở đồng bằng Bắc Bộ", "An imaginary communal house in the Red River Delta")),
        heritage_designation: Some(t("Không — công trình minh họa", "None — illustrative building")),
        current_location: Some(t("Cảnh “Sân đình” (chuyến tham quan mẫu)", "“The courtyard” scene (demo tour)")),
        ..common("DEMO-0002")
    };

    let ban = CatalogEntry {
        id: "ban-tho".into(),
        title: t("Ban thờ hậu cung", "Altar of the inner sanctuary"),
        description: t(
            "Hậu cung là gian trong cùng của đình, nơi đặt khám thờ Thành hoàng. Trước khám là hương án sơn son thếp vàng với bát hương, đôi chân nến và mâm bồng; hai bên là đôi hạc đứng trên lưng rùa, phía trên treo bức hoành phi. Toàn bộ ban thờ là hình minh họa do dự án Disan dựng bằng mã, không phải hiện vật thật.",
            "The inner sanctuary is the innermost part of the communal house, where the shrine of the tutelary deity stands. In front of the shrine is an altar table in red lacquer and gold with an incense burner, a pair of candlesticks and fruit stands; cranes standing on turtles flank it and a horizontal lacquered board hangs above. The whole altar is an illustration built in code by the Disan project, not a real object."
        ),
        object_type: Some(t("Ban thờ, khám thờ và đồ thờ", "Altar, shrine and ritual objects")),
        period: Some(t("Minh họa theo phong cách thế kỷ XIX", "Illustration in a 19th-century style")),
        material: Some(t("Gỗ sơn son thếp vàng, đồng (mô phỏng)", "Red-lacquered and gilded wood, bronze (simulated)")),
        dimensions: Some(t("Hương án dài khoảng 2,8 m, cao khoảng 1 m (kích thước trong mô hình)", "Altar table about 2.8 m long and 1 m high (model dimensions)")),
        place_of_origin: Some(t("Ngôi đình giả định ở đồng bằng Bắc Bộ", "An imaginary communal house in the Red River Delta")),
        heritage_designation: Some(t("Không — hiện vật minh họa", "None — illustrative object")),
        current_location: Some(t("Hậu cung (chuyến tham quan mẫu)", "Inner sanctuary (demo tour)")),
        ..common("DEMO-0003")
    };

    let image = vec![CatalogImage {
        src: "images/trong-dong-mat.jpg".into(),
        caption: Some(t(
            "Mặt trống trong mô hình: ngôi sao 14 cánh và các vành hoa văn",
            "The model's tympanum: the 14-pointed star and the bands of decoration",
        )),
        credit: Some("Disan project, CC0-1.0".into()),
        extra: Map::new(),
    }];

    let trong = CatalogEntry {
        id: "trong-dong".into(),
        title: t("Trống đồng kiểu Đông Sơn (mô hình)", "Đông Sơn style bronze drum (model)"),
        description: t(
            "Mô hình ba chiều một chiếc trống đồng loại I theo phân loại Heger, lấy cảm hứng từ trống đồng Ngọc Lũ — một Bảo vật quốc gia. Mô hình có cùng chiều cao 63 cm và đường kính mặt 79 cm như trống Ngọc Lũ: mặt trống phẳng, tang phình, thân thẳng và chân choãi, cùng bốn đôi quai. Hình dáng và hoa văn được dựng bằng mã theo lối phỏng, không sao chép hiện vật gốc. Đây là bản ghi minh họa của dự án Disan, không phải hồ sơ hiện vật của bảo tàng.",
            "A 3D model of a Heger type I bronze drum, inspired by the Ngọc Lũ drum, a National Treasure of Viet Nam. It shares the Ngọc Lũ drum's height of 63 cm and tympanum diameter of 79 cm: a flat tympanum, a bulging shoulder, a straight waist and a flared foot, with four pairs of handles. Its shape and decoration are freely adapted in code, not copied from the original. This is a demonstration record by the Disan project, not a museum record."
        ),
        object_type: Some(t("Trống đồng (mô hình số)", "Bronze drum (digital model)")),
        period: Some(t("Phong cách văn hóa Đông Sơn; mô hình số hiện đại", "Đông Sơn culture style; modern digital model")),
        material: Some(t("Hợp kim đồng có lớp gỉ xanh (mô phỏng)", "Bronze with green patina (simulated)")),
        dimensions: Some(t("Cao 63 cm, đường kính mặt 79 cm", "Height 63 cm, tympanum diameter 79 cm")),
        place_of_origin: Some(t("Tạo bằng mã (cargo xtask demo-assets); hình mẫu: trống Ngọc Lũ", "Generated in code (cargo xtask demo-assets); model after the Ngọc Lũ drum")),
        heritage_designation: Some(t("Không — mô hình minh họa (trống Ngọc Lũ, nguồn cảm hứng, là Bảo vật quốc gia)", "None — illustrative model (its inspiration, the Ngọc Lũ drum, is a National Treasure)")),
        current_location: Some(t("Hậu cung (chuyến tham quan mẫu)", "Inner sanctuary (demo tour)")),
        images: image.clone(),
        media: vec![CatalogMedia {
            src: "media/trong-dong.mp4".into(),
            kind: Some(MediaKind::Video),
            poster: Some("images/trong-dong-mat.jpg".into()),
            caption: Some(t(
                "Phim ngắn: mặt trống, với tiếng chuông tổng hợp",
                "A short film: the tympanum, with a synthesised bell",
            )),
            credit: Some("Disan project, CC0-1.0".into()),
            captions: [
                ("en".to_string(), "media/trong-dong.en.vtt".to_string()),
                ("vi".to_string(), "media/trong-dong.vi.vtt".to_string()),
            ]
            .into(),
            transcript: Some(t(
                "Mặt trống đồng trong mô hình. Ngôi sao nhiều cánh ở giữa là hình tượng mặt trời. [Tiếng chuông ngân, tiếng gió nhẹ.]",
                "The tympanum of the model drum. The many-pointed star at its centre is read as the sun. [A bell rings; a light wind.]",
            )),
            extra: Map::new(),
        }],
        extra: Map::from_iter([(
            "x-notes".to_string(),
            json!({
                "generator": "crates/demo/src/drum/",
                "note": "Extra field kept as it is by readers of format v1."
            }),
        )]),
        ..common("DEMO-0004")
    };

    let sao = CatalogEntry {
        id: "trong-dong-sao".into(),
        title: t("Ngôi sao 14 cánh", "The 14-pointed star"),
        description: t(
            "Chính giữa mặt trống là ngôi sao nhiều cánh; trên trống Ngọc Lũ ngôi sao có 14 cánh, xen giữa các cánh là họa tiết lông công. Ngôi sao thường được hiểu là hình tượng mặt trời. Trong mô hình, ngôi sao và các vành quanh nó được vẽ bằng mã theo lối phỏng, không sao chép hiện vật.",
            "At the centre of the tympanum is a many-pointed star; on the Ngọc Lũ drum it has 14 points, with feather motifs between them. The star is usually read as an image of the sun. In this model the star and the bands around it are drawn in code as a free adaptation, not a copy of the original."
        ),
        object_type: Some(t("Chi tiết hoa văn", "Decorative detail")),
        period: Some(t("Phong cách văn hóa Đông Sơn", "Đông Sơn culture style")),
        material: Some(t("Hợp kim đồng (mô phỏng)", "Bronze (simulated)")),
        dimensions: Some(t("Đường kính ngôi sao khoảng 8 cm (trong mô hình)", "Star about 8 cm across (in the model)")),
        place_of_origin: Some(t("Tạo bằng mã; hình mẫu: trống Ngọc Lũ", "Generated in code; model after the Ngọc Lũ drum")),
        heritage_designation: Some(t("Không — chi tiết của mô hình minh họa", "None — detail of an illustrative model")),
        current_location: Some(t("Mặt trống (chuyến tham quan mẫu)", "Tympanum (demo tour)")),
        images: image,
        ..common("DEMO-0004.1")
    };

    let hoa = CatalogEntry {
        id: "trong-dong-hoa-van".into(),
        title: t("Các vành hoa văn", "The bands of decoration"),
        description: t(
            "Mặt và thân trống phủ kín các vành hoa văn: vòng tròn có chấm giữa nối với nhau bằng những đường tiếp tuyến, vạch song song, răng cưa, nhà sàn mái cong, người hóa trang lông chim và đàn chim Lạc mỏ dài bay quanh ngôi sao. Trên tang trống là những con thuyền chở người đội mũ lông chim. Các hình trong mô hình được dự án Disan phỏng theo và giản lược bằng mã.",
            "Bands of decoration cover the tympanum and the body: circles with a central dot joined by tangent lines, parallel hatching, zig-zags, stilt houses with curved roofs, people in feathered costume and long-beaked Lạc birds flying around the star. Boats carrying men in feathered head-dresses sail around the shoulder. The figures in this model are simplified adaptations drawn in code by the Disan project."
        ),
        object_type: Some(t("Chi tiết hoa văn", "Decorative detail")),
        period: Some(t("Phong cách văn hóa Đông Sơn", "Đông Sơn culture style")),
        material: Some(t("Hợp kim đồng có lớp gỉ xanh (mô phỏng)", "Bronze with green patina (simulated)")),
        place_of_origin: Some(t("Tạo bằng mã; hình mẫu: trống Ngọc Lũ", "Generated in code; model after the Ngọc Lũ drum")),
        heritage_designation: Some(t("Không — chi tiết của mô hình minh họa", "None — detail of an illustrative model")),
        current_location: Some(t("Tang và thân trống, mặt sau (chuyến tham quan mẫu)", "Shoulder and body, back side (demo tour)")),
        ..common("DEMO-0004.2")
    };

    Catalog {
        version: 1,
        entries: vec![bia, dinh, ban, trong, sao, hoa],
        extra: Map::new(),
    }
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
         `crates/demo/` of this repository: the panoramas are rendered by its small ray tracer,\n\
         the bronze drum and its textures are built procedurally, the texts are written for the\n\
         demo, the ambient sound is synthesised (`sound.rs`). No photographs, scans, recordings,\n\
         fonts or other third-party material are used. The drum's film, `media/trong-dong.mp4`,\n\
         is made from these generated files by `crates/demo/media.sh` with Debian's ffmpeg.\n\n\
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
    use disan_tour::model::HotspotKind;

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
        let mut t = tour(&p);
        assert_eq!(t.scenes.len(), 3);
        let kinds: Vec<HotspotKind> = t
            .scenes
            .iter()
            .flat_map(|s| s.hotspots.iter().map(|h| h.kind()))
            .collect();
        assert!(kinds.contains(&HotspotKind::Link) && kinds.contains(&HotspotKind::Info));
        for h in t.scenes.iter().flat_map(|s| &s.hotspots) {
            assert!(h.id.is_some() && h.label.0.contains_key("vi") && h.label.0.contains_key("en"));
        }
        // With its catalog merged, the tour passes the viewer's own checks (links, entries, views).
        t.catalog = catalog().entries;
        let report = disan_tour::validate::validate(&t, "tour.json");
        assert!(report.is_ok(), "{report}");
        // And it reads back as it was written.
        let json = serde_json::to_string(&t).expect("a tour serialises");
        let back: Tour = serde_json::from_str(&json).expect("and reads back");
        assert_eq!(back, t);
    }
}
