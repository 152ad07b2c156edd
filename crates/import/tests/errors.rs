//! Malformed inputs: an error that names the input file and what is wrong, never a panic, and
//! nothing written.

#![allow(clippy::unwrap_used)] // test helpers: a panic is how a test fails

mod common;

use common::Scratch;
use disan_import::{import, ImportError, Source};

fn fails(tmp: &Scratch, source: Source, name: &str, contents: &str) -> (ImportError, String) {
    let input = tmp.write(name, contents.as_bytes());
    let out = tmp.path().join(format!("out-{name}"));
    let err = import(source, &input, &out).unwrap_err();
    let text = err.to_string();
    assert!(text.contains(name), "`{text}` does not name {name}");
    assert!(
        !out.exists(),
        "{name}: the tour folder was created for a failed import"
    );
    (err, text)
}

#[test]
fn pannellum_errors_name_the_file() {
    let tmp = Scratch::new("errors-pannellum");
    let (e, t) = fails(&tmp, Source::Pannellum, "bad.json", "{\"scenes\": {");
    assert!(
        matches!(e, ImportError::Parse { .. }) && t.contains("invalid JSON"),
        "{t}"
    );
    let (e, t) = fails(&tmp, Source::Pannellum, "array.json", "[1, 2]");
    assert!(matches!(e, ImportError::Format { .. }), "{t}");
    assert!(
        t.contains("not a pannellum tour: expected a JSON object"),
        "{t}"
    );
    let (_, t) = fails(&tmp, Source::Pannellum, "other.json", "{\"foo\": 1}");
    assert!(t.contains("no \"scenes\""), "{t}");
    let (_, t) = fails(&tmp, Source::Pannellum, "scenes.json", "{\"scenes\": [1]}");
    assert!(t.contains("\"scenes\" must be an object"), "{t}");
    let (_, t) = fails(
        &tmp,
        Source::Pannellum,
        "video.json",
        "{\"scenes\": {\"a\": {\"type\": \"video\"}}}",
    );
    assert!(t.contains("no scene could be imported"), "{t}");
    let (_, t) = fails(&tmp, Source::Pannellum, "binary.json", "\u{0}\u{1}");
    assert!(t.contains("invalid JSON"), "{t}");
}

#[test]
fn a_missing_or_unreadable_input_is_named() {
    let tmp = Scratch::new("errors-missing");
    let input = tmp.path().join("nope.json");
    let err = import(Source::Pannellum, &input, &tmp.path().join("out")).unwrap_err();
    assert!(matches!(err, ImportError::Read { .. }), "{err}");
    assert!(err.to_string().contains("nope.json"), "{err}");
    // A folder is not a config.
    let err = import(Source::Krpano, tmp.path(), &tmp.path().join("out")).unwrap_err();
    assert!(err.to_string().contains("not a regular file"), "{err}");
    // Non-UTF-8 bytes.
    let input = tmp.write("latin1.xml", b"<krpano title=\"\xe9\"/>");
    let err = import(Source::Krpano, &input, &tmp.path().join("out")).unwrap_err();
    assert!(err.to_string().contains("latin1.xml: not UTF-8"), "{err}");
}

#[test]
fn marzipano_errors_name_the_file() {
    let tmp = Scratch::new("errors-marzipano");
    let (_, t) = fails(&tmp, Source::Marzipano, "code.js", "console.log(1);");
    assert!(t.contains("expected `var data = {...};`"), "{t}");
    let (e, t) = fails(
        &tmp,
        Source::Marzipano,
        "broken.js",
        "/* licence */\nvar data = {\n  \"scenes\": [,]\n};",
    );
    assert!(matches!(e, ImportError::Parse { .. }), "{t}");
    assert!(
        t.contains("invalid JSON in the data object at line 3"),
        "{t}"
    );
    let (_, t) = fails(
        &tmp,
        Source::Marzipano,
        "noscenes.js",
        "var data = {\"name\": \"x\"};",
    );
    assert!(t.contains("no \"scenes\" list"), "{t}");
    let (_, t) = fails(&tmp, Source::Marzipano, "empty.js", "var data = ");
    assert!(t.contains("no data object after `=`"), "{t}");
}

#[test]
fn krpano_errors_name_the_file() {
    let tmp = Scratch::new("errors-krpano");
    let (e, t) = fails(
        &tmp,
        Source::Krpano,
        "bad.xml",
        "<krpano><scene name=\"a\">",
    );
    assert!(
        matches!(e, ImportError::Parse { .. }) && t.contains("invalid XML"),
        "{t}"
    );
    let (_, t) = fails(&tmp, Source::Krpano, "html.xml", "<html><body/></html>");
    assert!(
        t.contains("the root element is <html>, not <krpano>"),
        "{t}"
    );
    let (_, t) = fails(
        &tmp,
        Source::Krpano,
        "empty.xml",
        "<krpano><scene name=\"a\"><view fov=\"90\"/></scene></krpano>",
    );
    assert!(
        t.contains("no scene could be imported: scene a: no <image>: left out"),
        "{t}"
    );
}

#[test]
fn the_input_is_never_overwritten() {
    let tmp = Scratch::new("errors-overwrite");
    tmp.write("a.jpg", b"jpeg");
    let input = tmp.write("tour.json", br#"{"panorama": "a.jpg"}"#);
    let err = import(Source::Pannellum, &input, tmp.path()).unwrap_err();
    assert!(err.to_string().contains("it is the input file"), "{err}");
    assert_eq!(
        std::fs::read(&input).unwrap(),
        br#"{"panorama": "a.jpg"}"#.to_vec()
    );
    assert_eq!(std::fs::read(tmp.path().join("a.jpg")).unwrap(), b"jpeg");
}
