//! `web/ui-text.js` is generated from the one table of interface strings; this test fails when
//! they differ (`DISAN_BLESS=1` rewrites the file).

use std::path::PathBuf;

#[test]
fn web_ui_text_matches_the_table() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../web/ui-text.js");
    let want = disan_tour::ui_text::javascript();
    if std::env::var_os("DISAN_BLESS").is_some() {
        std::fs::write(&path, &want).expect("write web/ui-text.js");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "web/ui-text.js is out of date: run DISAN_BLESS=1 cargo test -p disan-tour --test ui_text"
    );
}
