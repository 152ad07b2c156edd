//! `disan catalog import | export`: a museum's spreadsheet in and out. Round trips (import ->
//! export -> import changes nothing, CSV and XLSX); headers in Vietnamese with `;` between cells;
//! records updated by inventory number with the hotspots that open them kept; a bad row (a
//! duplicate inventory number, a photo that is not there, a cell that is not text, a column
//! that is no field) refused naming its row and column, and the catalog untouched.

#![allow(clippy::unwrap_used)] // test code: a panic is how a test fails

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn demo_copy(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("disan-catalog-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&repo().join("assets/demo"), &dir.join("tour"));
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

fn disan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_disan"))
        .args(args)
        .output()
        .unwrap()
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn import_export_import_changes_nothing_in_csv_and_xlsx() {
    let root = demo_copy("round");
    let tour = root.join("tour");
    let t = tour.to_str().unwrap();
    let original = std::fs::read(tour.join("catalog.json")).unwrap();
    for ext in ["csv", "xlsx"] {
        let first = root.join(format!("records.{ext}"));
        ok(&disan(&[
            "catalog",
            "export",
            first.to_str().unwrap(),
            "--tour",
            t,
        ]));
        let said = ok(&disan(&[
            "catalog",
            "import",
            first.to_str().unwrap(),
            "--tour",
            t,
        ]));
        assert!(said.contains("nothing written"), "{said}");
        assert_eq!(std::fs::read(tour.join("catalog.json")).unwrap(), original);
        let second = root.join(format!("again.{ext}"));
        ok(&disan(&[
            "catalog",
            "export",
            second.to_str().unwrap(),
            "--tour",
            t,
        ]));
        if ext == "csv" {
            assert_eq!(
                std::fs::read(&first).unwrap(),
                std::fs::read(&second).unwrap()
            );
        }
    }
    // An export never replaces a file unless asked.
    let o = disan(&[
        "catalog",
        "export",
        root.join("records.csv").to_str().unwrap(),
        "--tour",
        t,
    ]);
    assert!(!o.status.success());
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_museum_sheet_updates_records_by_inventory_number_and_keeps_the_hotspots() {
    let root = demo_copy("update");
    let tour = root.join("tour");
    let t = tour.to_str().unwrap();
    // Vietnamese headers, `;` between cells (as spreadsheets write CSV in Vietnamese), a column
    // named by a mapping file, one left out.
    let sheet = root.join("kiem-ke.csv");
    std::fs::write(
        &sheet,
        "Số hiệu;Tên (vi);Tên (en);Chất liệu (vi);Tên gọi khác;Ghi chú;Ảnh\n\
         DEMO-0001;Bia đá trên lưng rùa;Stele on a stone turtle;Đá xanh;Bia rùa;x;images/trong-dong-mat.jpg\n\
         BT-2024-17;Chuông đồng;Bronze bell;Đồng;;;\n",
    )
    .unwrap();
    let mapping = root.join("map.json");
    std::fs::write(
        &mapping,
        r#"{"columns": {"Tên gọi khác": "-", "Ghi chú": "-"}}"#,
    )
    .unwrap();
    // Without the mapping, the unknown column is named.
    let o = disan(&["catalog", "import", sheet.to_str().unwrap(), "--tour", t]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("row 1, column E (\"Tên gọi khác\"): not a catalog field"),
        "{err}"
    );
    let said = ok(&disan(&[
        "catalog",
        "import",
        sheet.to_str().unwrap(),
        "--tour",
        t,
        "--mapping",
        mapping.to_str().unwrap(),
    ]));
    assert!(said.contains("1 record(s) added, 1 updated"), "{said}");
    let cat: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tour.join("catalog.json")).unwrap()).unwrap();
    let entries = cat["entries"].as_array().unwrap();
    let bia = entries
        .iter()
        .find(|e| e["inventory_number"] == "DEMO-0001")
        .unwrap();
    assert_eq!(
        bia["id"], "bia-da",
        "the record keeps its id: the hotspots that open it still do"
    );
    assert_eq!(bia["title"]["en"], "Stele on a stone turtle");
    assert_eq!(bia["material"]["vi"], "Đá xanh");
    assert_eq!(bia["images"][0]["src"], "images/trong-dong-mat.jpg");
    assert!(
        bia["description"]["vi"].as_str().unwrap().len() > 20,
        "fields the sheet has not are kept"
    );
    let bell = entries
        .iter()
        .find(|e| e["inventory_number"] == "BT-2024-17")
        .unwrap();
    assert_eq!(bell["title"]["vi"], "Chuông đồng");
    ok(&disan(&["validate", t]));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_bad_row_is_refused_naming_its_row_and_column_and_nothing_is_written() {
    let root = demo_copy("bad");
    let tour = root.join("tour");
    let t = tour.to_str().unwrap();
    let before = std::fs::read(tour.join("catalog.json")).unwrap();
    let sheet = root.join("bad.csv");
    std::fs::write(
        &sheet,
        "inventory_number,title_vi,photos\n\
         DEMO-0001,Bia,\n\
         X-1,Trống,images/khong-co.jpg\n\
         DEMO-0001,Bia lần hai,\n",
    )
    .unwrap();
    let o = disan(&["catalog", "import", sheet.to_str().unwrap(), "--tour", t]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("bad.csv: row 3, column C (\"photos\"): photo \"images/khong-co.jpg\" is not in the tour folder"), "{err}");
    assert!(err.contains("bad.csv: row 4, column A (\"inventory_number\"): \"DEMO-0001\" again (it is on row 2 too)"), "{err}");
    assert!(err.contains("unchanged"), "{err}");
    assert_eq!(std::fs::read(tour.join("catalog.json")).unwrap(), before);
    // A spreadsheet cell that is not text: a number where a title goes, a formula's error.
    let xlsx = root.join("bad.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (c, h) in ["Số hiệu", "Tên (vi)", "Niên đại (vi)"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "DEMO-0002").unwrap();
    ws.write_number(1, 1, 3.25).unwrap();
    ws.write_number(1, 2, 1736).unwrap(); // a year: fine as a date
    ws.write_string(2, 0, "DEMO-0003").unwrap();
    ws.write_boolean(2, 1, true).unwrap();
    book.save(&xlsx).unwrap();
    let o = disan(&["catalog", "import", xlsx.to_str().unwrap(), "--tour", t]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("row 2, column B (\"Tên (vi)\"): is a number (3.25), not text"),
        "{err}"
    );
    assert!(
        err.contains("row 3, column B (\"Tên (vi)\"): is true/false"),
        "{err}"
    );
    assert!(!err.contains("column C"), "a year is a date: {err}");
    assert_eq!(std::fs::read(tour.join("catalog.json")).unwrap(), before);
    // Not a spreadsheet at all.
    std::fs::write(root.join("fake.xlsx"), b"PK\x03\x04 not really").unwrap();
    let o = disan(&[
        "catalog",
        "import",
        root.join("fake.xlsx").to_str().unwrap(),
        "--tour",
        t,
    ]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("fake.xlsx"));
    assert_eq!(std::fs::read(tour.join("catalog.json")).unwrap(), before);
    let _ = std::fs::remove_dir_all(&root);
}
