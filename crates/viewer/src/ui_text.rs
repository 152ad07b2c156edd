//! Interface strings of the native viewer in Vietnamese and English.

/// An interface string in `lang` (Vietnamese when the language is unknown).
pub fn text(lang: &str, key: &str) -> &'static str {
    let en = lang == "en";
    match key {
        "loading" => {
            if en {
                "Loading"
            } else {
                "Đang tải"
            }
        }
        "error" => {
            if en {
                "Something went wrong"
            } else {
                "Đã xảy ra lỗi"
            }
        }
        "close" => {
            if en {
                "Close"
            } else {
                "Đóng"
            }
        }
        "hidden" => {
            if en {
                "behind the object"
            } else {
                "bị che khuất"
            }
        }
        "go" => {
            if en {
                "Go to this place"
            } else {
                "Đi tới nơi này"
            }
        }
        "info" => {
            if en {
                "Open the record"
            } else {
                "Xem thông tin"
            }
        }
        _ => "",
    }
}

/// Label of a catalog field.
pub fn field_label(name: &str, lang: &str) -> &'static str {
    let en = lang == "en";
    match name {
        "inventory_number" => {
            if en {
                "Inventory no."
            } else {
                "Số hiệu"
            }
        }
        "object_type" => {
            if en {
                "Type"
            } else {
                "Loại hiện vật"
            }
        }
        "period" => {
            if en {
                "Period"
            } else {
                "Niên đại"
            }
        }
        "material" => {
            if en {
                "Material"
            } else {
                "Chất liệu"
            }
        }
        "dimensions" => {
            if en {
                "Dimensions"
            } else {
                "Kích thước"
            }
        }
        "place_of_origin" => {
            if en {
                "Place of origin"
            } else {
                "Nơi phát hiện"
            }
        }
        "heritage_designation" => {
            if en {
                "Designation"
            } else {
                "Xếp hạng"
            }
        }
        "current_location" => {
            if en {
                "Kept at"
            } else {
                "Nơi lưu giữ"
            }
        }
        "rights" => {
            if en {
                "Rights"
            } else {
                "Bản quyền"
            }
        }
        "credits" => {
            if en {
                "Credits"
            } else {
                "Ghi công"
            }
        }
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_labels() {
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
    }
}
