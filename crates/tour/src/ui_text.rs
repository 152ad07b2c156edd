//! Interface strings in Vietnamese and English: one table for the native UI and for `disan.js`
//! (which imports `web/ui-text.js`, generated from this table and checked by a test).

/// `(key, Vietnamese, English)` for every interface string.
pub const STRINGS: &[(&str, &str, &str)] = &[
    ("loading", "Đang tải", "Loading"),
    ("viewer", "bộ máy hiển thị", "the viewer"),
    ("error", "Đã xảy ra lỗi", "Something went wrong"),
    (
        "scene_failed",
        "Không mở được cảnh này",
        "This scene could not be opened",
    ),
    ("unknown_scene", "Không có cảnh", "There is no scene"),
    (
        "panorama_failed",
        "Không mở được ảnh toàn cảnh này",
        "This panorama could not be opened",
    ),
    (
        "object_failed",
        "Không mở được hiện vật này",
        "This object could not be opened",
    ),
    (
        "cause.missing",
        "không tải được tệp (tệp không có, hoặc mất kết nối)",
        "its file could not be fetched (missing, or the connection dropped)",
    ),
    ("cause.damaged", "tệp bị hỏng", "its file is damaged"),
    (
        "cause.too_big",
        "tệp quá lớn cho thiết bị này",
        "its file is too large for this device",
    ),
    (
        "environment_failed",
        "Không tải được ánh sáng của cảnh; hiện vật được chiếu bằng ánh sáng mặc định",
        "The scene's lighting could not be loaded; the object is lit by the default light",
    ),
    ("no_entry", "Không có hồ sơ này", "There is no such record"),
    ("details", "Chi tiết kỹ thuật", "Technical details"),
    ("back_to_start", "Về cảnh đầu", "Back to the start"),
    (
        "tour_failed",
        "Không mở được chuyến tham quan này",
        "This tour could not be opened",
    ),
    ("close", "Đóng", "Close"),
    ("transcript", "Lời thoại", "Transcript"),
    ("sound_on", "Bật âm thanh", "Turn the sound on"),
    ("sound_off", "Tắt âm thanh", "Turn the sound off"),
    (
        "video_native",
        "Video này xem được trên trang web của chuyến tham quan.",
        "This video plays on the tour's web page.",
    ),
    (
        "hidden",
        "bị hiện vật che khuất",
        "hidden behind the object",
    ),
    ("go", "Đi tới", "Go to"),
    ("info", "Xem thông tin", "Open the record"),
    ("languages", "Ngôn ngữ", "Language"),
    (
        "hint",
        "Kéo hoặc dùng phím mũi tên để nhìn quanh, + và − để phóng to, thu nhỏ.",
        "Drag or use the arrow keys to look around, + and − to zoom.",
    ),
    (
        "no_backend",
        "Trình duyệt này không hỗ trợ WebGPU hay WebGL2.",
        "This browser supports neither WebGPU nor WebGL2.",
    ),
    (
        "not_loaded",
        "Không tải được bộ máy hiển thị.",
        "The viewer could not be loaded.",
    ),
    ("record", "Hồ sơ hiện vật", "Catalog record"),
    ("guided", "Tham quan có hướng dẫn", "Guided tour"),
    ("play", "Phát", "Play"),
    ("pause", "Tạm dừng", "Pause"),
    ("resume", "Tiếp tục", "Resume"),
    ("next", "Bước sau", "Next step"),
    ("prev", "Bước trước", "Previous step"),
    ("steps", "Các bước", "Steps"),
    ("step_of", "Bước {n}/{count}", "Step {n} of {count}"),
    ("exit_tour", "Thoát chuyến tham quan", "Leave the tour"),
    (
        "waits",
        "Nhấn “Bước sau” để tiếp tục",
        "Press “Next step” to go on",
    ),
    ("fullscreen", "Toàn màn hình", "Full screen"),
    ("zoom_in", "Phóng to", "Zoom in"),
    ("zoom_out", "Thu nhỏ", "Zoom out"),
    ("scenes", "Các cảnh", "Scenes"),
    ("share", "Chia sẻ", "Share"),
    ("copied", "Đã chép liên kết", "Link copied"),
    ("autorotate", "Tự xoay", "Auto-rotate"),
    ("first_hint", "Kéo để nhìn quanh", "Drag to look around"),
    (
        "wheel_hint",
        "Giữ Ctrl và lăn chuột để phóng to, hoặc bấm vào khung trước",
        "Hold Ctrl and scroll to zoom, or click the view first",
    ),
    (
        "gyro_denied",
        "Trình duyệt không cho dùng cảm biến hướng",
        "The browser did not allow the orientation sensor",
    ),
    (
        "tour_end",
        "Chuyến tham quan đã kết thúc",
        "The guided tour has ended",
    ),
    ("offscreen", "Ngoài khung nhìn:", "Outside the view:"),
    ("side.left", "bên trái", "to the left"),
    ("side.right", "bên phải", "to the right"),
    ("side.top", "phía trên", "above"),
    ("side.bottom", "phía dưới", "below"),
    ("look_at", "Quay về phía", "Turn towards"),
    ("compass", "Hướng nhìn", "View direction"),
    (
        "gyro",
        "Con quay: nhìn quanh bằng cách xoay điện thoại",
        "Gyroscope: look around by turning the phone",
    ),
    ("inspect", "Khảo sát", "Inspect"),
    ("view.normal", "Chất liệu", "Materials"),
    ("view.clay", "Đất sét", "Clay"),
    ("view.normals", "Pháp tuyến", "Normals"),
    ("view.wireframe", "Khung lưới", "Wireframe"),
    ("raking", "Đèn xiên", "Raking light"),
    ("move_light", "Kéo để di chuyển đèn", "Drag moves the light"),
    ("reset_light", "Đặt lại đèn", "Reset light"),
    ("section", "Mặt cắt", "Section"),
    ("section_axis", "Trục cắt", "Cut along"),
    (
        "section_position",
        "Vị trí mặt cắt",
        "Where the section cuts",
    ),
    ("flip_section", "Lật phía cắt", "Flip the cut side"),
    (
        "section_hint",
        "Cắt hiện vật để xem bên trong",
        "Cut the object to see inside it",
    ),
    (
        "raking_hint",
        "Đèn chiếu xiên làm nổi rõ nét khắc",
        "A low light brings out carving",
    ),
    ("measure", "Đo", "Measure"),
    (
        "measure_hint",
        "Nhấn hai điểm trên bề mặt",
        "Click two points on the surface",
    ),
    ("remove", "Xoá", "Remove"),
    ("reset_tools", "Đặt lại", "Reset"),
    ("field.inventory_number", "Số hiệu", "Inventory no."),
    ("field.object_type", "Loại hiện vật", "Type"),
    ("field.period", "Niên đại", "Period"),
    ("field.material", "Chất liệu", "Material"),
    ("field.dimensions", "Kích thước", "Dimensions"),
    ("field.place_of_origin", "Nơi phát hiện", "Place of origin"),
    ("field.heritage_designation", "Xếp hạng", "Designation"),
    ("field.current_location", "Nơi lưu giữ", "Kept at"),
    ("field.rights", "Bản quyền", "Rights"),
    ("field.credits", "Ghi công", "Credits"),
    // The studio (studio.html).
    ("studio.title", "Disan studio", "Disan studio"),
    ("studio.save", "Lưu", "Save"),
    ("studio.undo", "Hoàn tác", "Undo"),
    ("studio.redo", "Làm lại", "Redo"),
    ("studio.scenes", "Cảnh", "Scenes"),
    ("studio.problems", "Vấn đề", "Problems"),
    ("studio.no_problems", "Không có vấn đề", "No problems"),
    ("studio.tour_title", "Tên chuyến tham quan", "Tour title"),
    ("studio.scene_title", "Tên cảnh", "Scene title"),
    ("studio.start", "Cảnh đầu", "Start scene"),
    ("studio.set_start", "Đặt làm cảnh đầu", "Make it the start"),
    ("studio.move_up", "Lên", "Up"),
    ("studio.move_down", "Xuống", "Down"),
    ("studio.delete", "Xóa", "Delete"),
    (
        "studio.delete_confirm",
        "Xóa cảnh này? Các điểm liên kết và bước tham quan dẫn tới nó cũng bị xóa:",
        "Delete this scene? The links and guided steps that lead to it go too:",
    ),
    ("studio.saved", "Đã lưu", "Saved"),
    ("studio.unchanged", "Không có thay đổi", "Nothing changed"),
    ("studio.unsaved", "Chưa lưu", "Not saved"),
    ("studio.new_tour", "Chuyến tham quan mới", "A new tour"),
    (
        "studio.add",
        "Thêm ảnh 360°, mô hình 3D hay bản quét (chọn hoặc thả tệp vào đây)",
        "Add a 360° panorama, a 3D model or a scan (choose, or drop files here)",
    ),
    ("studio.adding", "Đang thêm", "Adding"),
    ("studio.added", "Đã thêm cảnh", "Scene added"),
    (
        "studio.not_a_scene",
        "không phải ảnh 360° (jpg, png, webp) hay mô hình (glb, gltf, obj, ply)",
        "not a panorama (jpg, png, webp) nor a model (glb, gltf, obj, ply)",
    ),
    ("studio.kind.panorama", "ảnh 360°", "360° panorama"),
    ("studio.kind.object", "hiện vật 3D", "3D object"),
    (
        "studio.prepare.tile",
        "Đang cắt ảnh thành ô cho điện thoại",
        "Tiling it for phones",
    ),
    (
        "studio.prepare.optimize",
        "Đang làm các bản nhẹ của mô hình",
        "Making lighter versions of the model",
    ),
    (
        "studio.prepare.import",
        "Đang nhập bản quét",
        "Importing the scan",
    ),
    ("studio.preview", "Xem như khách", "Preview as a visitor"),
    (
        "studio.empty_hint",
        "Thêm ảnh 360° hoặc mô hình 3D để bắt đầu.",
        "Add a 360° panorama or a 3D model to begin.",
    ),
    (
        "studio.tour_description",
        "Giới thiệu ngắn (cho trang công bố)",
        "Short description (for the published page)",
    ),
    ("studio.here", "Cảnh đang xem", "This scene"),
    (
        "studio.initial_view",
        "Đặt góc nhìn đầu từ góc đang xem",
        "Set the initial view from this view",
    ),
    (
        "studio.north_here",
        "Hướng bắc ở chính giữa",
        "North is straight ahead",
    ),
    ("studio.north", "Hướng bắc (độ)", "North offset (degrees)"),
    (
        "studio.coverage",
        "Ảnh toàn cảnh một phần: phần hình cầu mà ảnh phủ",
        "Partial panorama: how much of the sphere the picture covers",
    ),
    ("studio.coverage.haov", "Chiều ngang (độ)", "Across (degrees)"),
    ("studio.coverage.vaov", "Chiều dọc (độ)", "Up and down (degrees)"),
    (
        "studio.coverage.v_offset",
        "Lệch lên xuống (độ)",
        "Raised or lowered by (degrees)",
    ),
    (
        "studio.coverage_guessed",
        "Ảnh không phải 2:1: đã đoán phần hình cầu mà ảnh phủ, hãy kiểm tra ở mục cảnh",
        "The picture is not 2:1: how much of the sphere it covers was guessed; check it in the scene's form",
    ),
    (
        "studio.environment",
        "Ánh sáng môi trường",
        "Lighting environment",
    ),
    (
        "studio.environment_default",
        "Mặc định của chuyến",
        "The tour's default",
    ),
    ("studio.hotspots", "Điểm tương tác", "Hotspots"),
    ("studio.add_link", "Thêm liên kết", "Add a link"),
    (
        "studio.add_info",
        "Thêm điểm thông tin",
        "Add an info point",
    ),
    (
        "studio.place_centre",
        "Đặt ở giữa khung nhìn",
        "Place at the centre of the view",
    ),
    (
        "studio.click_to_place",
        "Bấm vào khung nhìn để đặt điểm (kéo để xoay; Esc để hủy).",
        "Click in the view to place it (drag to turn; Esc cancels).",
    ),
    (
        "studio.click_to_move",
        "Bấm vào chỗ mới của điểm (Esc để hủy).",
        "Click where the hotspot goes (Esc cancels).",
    ),
    (
        "studio.missed",
        "Chỗ bấm không trúng hiện vật.",
        "The click missed the object.",
    ),
    ("studio.placed", "Đã đặt điểm", "Hotspot placed"),
    ("studio.label", "Nhãn", "Label"),
    ("studio.target", "Đi tới cảnh", "Goes to scene"),
    (
        "studio.arrival_view",
        "Chọn góc nhìn khi tới",
        "Choose the arrival view",
    ),
    (
        "studio.arrival_default",
        "Dùng góc nhìn đầu của cảnh",
        "Use the scene's initial view",
    ),
    ("studio.arrival_is", "Tới với góc nhìn", "Arrives at"),
    (
        "studio.arrival_default_is",
        "Tới với góc nhìn đầu của cảnh.",
        "Arrives at the scene's initial view.",
    ),
    (
        "studio.choose_arrival",
        "Xoay tới góc nhìn khách sẽ thấy khi tới, rồi bấm",
        "Turn to the view visitors arrive at, then press",
    ),
    ("studio.use_view", "Dùng góc nhìn này", "Use this view"),
    ("studio.cancel", "Hủy", "Cancel"),
    (
        "studio.arrival_set",
        "Đã đặt góc nhìn khi tới",
        "Arrival view set",
    ),
    ("studio.card", "Thẻ hiện vật", "Catalog card"),
    ("studio.card.title", "Tên", "Title"),
    ("studio.card.description", "Mô tả", "Description"),
    ("studio.photos", "Ảnh", "Photos"),
    ("studio.recordings", "Phim và ghi âm", "Films and recordings"),
    ("studio.add_recording", "Thêm phim hoặc ghi âm…", "Add a film or recording…"),
    ("studio.ambient", "Âm thanh nền", "Ambient sound"),
    ("studio.add_ambient", "Chọn âm thanh nền…", "Choose an ambient sound…"),
    ("studio.hotspot_sound", "Âm thanh tại điểm này", "Sound from this hotspot"),
    ("studio.add_sound", "Chọn âm thanh…", "Choose a sound…"),
    ("studio.volume", "Âm lượng (0–1)", "Volume (0–1)"),
    ("studio.transcript", "Lời thoại", "Transcript"),
    (
        "studio.add_photo",
        "Thêm ảnh (chọn tệp)",
        "Add a photo (choose a file)",
    ),
    ("studio.credit", "Tác giả ảnh", "Credit"),
    ("studio.caption", "Chú thích", "Caption"),
    ("studio.new_card", "Hiện vật", "Object"),
    (
        "studio.move",
        "Di chuyển (bấm chỗ mới hoặc kéo điểm)",
        "Move (click the new place, or drag the marker)",
    ),
    ("studio.guided", "Tham quan có hướng dẫn", "Guided tour"),
    ("studio.guided_title", "Tên tham quan", "Guided tour title"),
    ("studio.guided_default", "Tham quan", "Guided tour"),
    ("studio.new_guided", "Tham quan mới", "New guided tour"),
    (
        "studio.add_step",
        "Thêm bước ở góc nhìn này",
        "Add a step at this view",
    ),
    ("studio.step_added", "Đã thêm bước", "Step added:"),
    ("studio.play", "Phát", "Play"),
    ("studio.show", "Xem", "Show"),
    (
        "studio.step_view",
        "Dùng góc nhìn đang xem",
        "Use the view on screen",
    ),
    (
        "studio.step_view_scene",
        "Hãy mở cảnh của bước này trước.",
        "Show this step's scene first.",
    ),
    ("studio.narration", "Lời thuyết minh", "Narration"),
    ("studio.duration", "Thời lượng (giây)", "Duration (seconds)"),
    ("studio.wait", "chờ bấm Tiếp", "waits for Next"),
    ("studio.step_card", "Mở thẻ", "Opens card"),
    ("studio.audio", "Âm thanh", "Audio"),
    ("studio.captions", "Phụ đề", "Captions"),
    (
        "studio.upload_failed",
        "tải lên không thành công",
        "the upload failed",
    ),
    ("studio.kiosk", "Chế độ kiosk", "Kiosk"),
    (
        "studio.kiosk.idle_seconds",
        "Số giây không chạm trước khi về đầu",
        "Seconds without a touch before it resets",
    ),
    ("studio.kiosk.attract", "Khi không có ai", "While idle"),
    (
        "studio.kiosk.rotate",
        "Tự xoay qua các cảnh",
        "Turn slowly through the scenes",
    ),
    (
        "studio.kiosk.autorotate",
        "Tốc độ xoay (độ/giây)",
        "Rotation speed (degrees a second)",
    ),
    (
        "studio.kiosk.scene_seconds",
        "Số giây mỗi cảnh",
        "Seconds each scene",
    ),
    (
        "studio.kiosk.language",
        "Ngôn ngữ trở về",
        "Language it returns to",
    ),
    (
        "studio.kiosk.start_scene",
        "Cảnh trở về",
        "Scene it returns to",
    ),
    ("studio.kiosk.exit_keys", "Phím thoát", "Exit keys"),
    (
        "studio.kiosk.inspection",
        "Cho dùng công cụ quan sát",
        "Offer the inspection tools",
    ),
    // The published site (`disan publish`): its pages in plain HTML.
    ("site.scenes", "Các cảnh", "Scenes"),
    ("site.catalog", "Hiện vật", "Catalog records"),
    ("site.open", "Xem trong chuyến tham quan", "Open in the tour"),
    ("site.loading", "Đang tải chuyến tham quan…", "Loading the tour…"),
    ("site.tours", "Các chuyến tham quan", "Tours"),
    ("site.search", "Tìm chuyến tham quan", "Search the tours"),
    ("site.languages", "Ngôn ngữ", "Languages"),
    (
        "site.tour_of",
        "Chuyến tham quan trực tuyến",
        "An online tour",
    ),
    (
        "site.no_engine",
        "Trình duyệt này không hiển thị được chuyến tham quan; đây là hình ảnh và hồ sơ hiện vật của nó.",
        "This browser cannot show the tour; here are its pictures and records.",
    ),
    ("site.back", "Về chuyến tham quan", "Back to the tour"),
];

/// Languages the interface is written in (a tour may offer others; they fall back to Vietnamese).
pub const UI_LANGUAGES: &[&str] = &["vi", "en"];

/// The interface string `key` in `lang` (Vietnamese for a language the table lacks; "" for an
/// unknown key).
pub fn text(lang: &str, key: &str) -> &'static str {
    STRINGS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, vi, en)| if lang == "en" { *en } else { *vi })
        .unwrap_or("")
}

/// Label of a catalog field (`inventory_number`, `period`, …).
pub fn field_label(name: &str, lang: &str) -> &'static str {
    text(lang, &format!("field.{name}"))
}

/// The table as the ES module `web/ui-text.js` (`export const UI = {vi: {…}, en: {…}}`).
pub fn javascript() -> String {
    let mut out = String::from(
        "// ui-text.js — interface strings (vi, en). Generated from crates/tour/src/ui_text.rs by\n\
         // `DISAN_BLESS=1 cargo test -p disan-tour --test ui_text`; do not edit by hand.\n\
         export const UI = {\n",
    );
    for (i, lang) in UI_LANGUAGES.iter().enumerate() {
        out.push_str(&format!("  {lang}: {{\n"));
        for (key, vi, en) in STRINGS {
            let s = if i == 0 { vi } else { en };
            let v = serde_json::to_string(s).unwrap_or_default();
            out.push_str(&format!("    '{key}': {v},\n"));
        }
        out.push_str("  },\n");
    }
    out.push_str("};\n");
    // The one language fallback (`text::pick`), for the page's own texts (`Disan.pick`).
    let order = serde_json::to_string(&crate::text::FALLBACK_ORDER).unwrap_or_default();
    out.push_str(&format!(
        "\n/** Languages tried, in order, when the wanted one is missing (`text::FALLBACK_ORDER`). */\n\
         export const FALLBACK_ORDER = {order};\n\n\
         /** Text of a language map in `lang`, else the fallback order, else the first language in\n\
         \x20* alphabetical order: what `LangText::get` answers in Rust. */\n\
         export function pick(text, lang) {{\n\
         \x20 if (text == null || typeof text !== 'object') return text == null ? '' : String(text);\n\
         \x20 for (const l of [lang, ...FALLBACK_ORDER]) if (text[l] != null) return text[l];\n\
         \x20 const first = Object.keys(text).sort()[0];\n\
         \x20 return first == null ? '' : text[first];\n\
         }}\n"
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_string_in_both_languages_and_keys_unique() {
        let mut keys = std::collections::HashSet::new();
        for (k, vi, en) in STRINGS {
            assert!(keys.insert(*k), "duplicate key {k}");
            assert!(!vi.is_empty() && !en.is_empty(), "{k}");
        }
        for f in [
            "inventory_number",
            "object_type",
            "period",
            "material",
            "dimensions",
            "place_of_origin",
            "heritage_designation",
            "current_location",
            "rights",
            "credits",
        ] {
            assert!(
                !field_label(f, "vi").is_empty() && !field_label(f, "en").is_empty(),
                "{f}"
            );
            assert_ne!(field_label(f, "vi"), field_label(f, "en"));
        }
        assert_eq!(field_label("inventory_number", "en"), "Inventory no.");
        assert_eq!(field_label("inventory_number", "fr"), "Số hiệu");
        assert_eq!(text("en", "nope"), "");
    }
}
