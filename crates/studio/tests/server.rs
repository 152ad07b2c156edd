//! The studio's server over real sockets: who may talk to it (secret, Host, Origin), what it
//! may read (the tour folder only), and saving (byte-identical when nothing changed, refused
//! when the files changed on disk, the previous version kept, bad uploads refused).

#![allow(clippy::unwrap_used)]

use anyhow::Result;
use disan_studio::{Options, Studio};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("disan-studio-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A studio on `folder` with a stand-in page, running in a thread: (port, secret).
fn start(folder: &Path, root: &Path) -> (u16, String) {
    let web = root.join("web");
    std::fs::create_dir_all(&web).unwrap();
    std::fs::write(
        web.join("studio.html"),
        "<!doctype html><title>studio</title>",
    )
    .unwrap();
    let studio = Studio::start(&Options {
        folder: folder.to_path_buf(),
        web,
        port: 0,
        prepare: None,
    })
    .unwrap();
    let url = studio.url();
    let rest = url.strip_prefix("http://127.0.0.1:").unwrap();
    let (port, rest) = rest.split_once('/').unwrap();
    let secret = rest
        .trim_start_matches("s/")
        .trim_end_matches('/')
        .to_string();
    std::thread::spawn(move || studio.run());
    (port.parse().unwrap(), secret)
}

/// One raw HTTP/1.1 request: (status, body).
fn request(port: u16, raw: &str, body: &[u8]) -> Result<(u16, Vec<u8>)> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.write_all(raw.as_bytes())?;
    s.write_all(body)?;
    let mut out = Vec::new();
    s.read_to_end(&mut out)?;
    let text = String::from_utf8_lossy(&out);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let at = out
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(out.len(), |p| p + 4);
    Ok((status, out[at..].to_vec()))
}

fn get(port: u16, path: &str, host: &str, origin: Option<&str>) -> (u16, Vec<u8>) {
    let origin = origin.map_or(String::new(), |o| format!("Origin: {o}\r\n"));
    request(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n{origin}Connection: close\r\n\r\n"),
        b"",
    )
    .unwrap()
}

fn send(port: u16, method: &str, path: &str, origin: Option<&str>, body: &[u8]) -> (u16, String) {
    let origin = origin.map_or(String::new(), |o| format!("Origin: {o}\r\n"));
    let (status, body) = request(
        port,
        &format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{origin}Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        ),
        body,
    )
    .unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

const TOUR: &str = "{\n  \"version\": 1,\n  \"x-note\": \"kept\",\n  \"scenes\": [\n    {\"id\": \"a\", \"kind\": \"panorama\", \"image\": \"a.jpg\"}\n  ]\n}\n";

#[test]
fn only_this_session_on_this_host_may_ask() {
    let root = temp("guard");
    let tour = root.join("tour");
    std::fs::create_dir_all(&tour).unwrap();
    std::fs::write(tour.join("tour.json"), TOUR).unwrap();
    std::fs::write(root.join("secret.txt"), "outside the tour").unwrap();
    let (port, secret) = start(&tour, &root);
    let host = format!("127.0.0.1:{port}");
    let own = format!("http://127.0.0.1:{port}");
    // The page and the tour, with the secret.
    let (s, body) = get(port, &format!("/s/{secret}/"), &host, None);
    assert_eq!(s, 200);
    assert!(String::from_utf8_lossy(&body).contains("studio"));
    let (s, body) = get(
        port,
        &format!("/s/{secret}/tour/tour.json"),
        &host,
        Some(&own),
    );
    assert_eq!((s, body.as_slice()), (200, TOUR.as_bytes()));
    // Without it, with another, with a DNS-rebinding Host, from another origin: refused.
    assert_eq!(get(port, "/tour/tour.json", &host, None).0, 403);
    assert_eq!(
        get(
            port,
            "/s/00000000000000000000000000000000/tour/tour.json",
            &host,
            None
        )
        .0,
        403
    );
    assert_eq!(
        get(
            port,
            &format!("/s/{secret}/tour/tour.json"),
            &format!("evil.example:{port}"),
            None
        )
        .0,
        403
    );
    assert_eq!(
        get(
            port,
            &format!("/s/{secret}/api/project"),
            &host,
            Some("http://evil.example")
        )
        .0,
        403
    );
    // A cross-origin save changes nothing.
    let save = format!(
        "{{\"base\":\"x\",\"tour\":{}}}",
        serde_json_string("{\"version\":1,\"scenes\":[]}")
    );
    let (s, _) = send(
        port,
        "PUT",
        &format!("/s/{secret}/api/project"),
        Some("http://evil.example"),
        save.as_bytes(),
    );
    assert_eq!(s, 403);
    assert_eq!(
        std::fs::read_to_string(tour.join("tour.json")).unwrap(),
        TOUR
    );
    // A FIFO is not served (and the server does not hang on it).
    #[cfg(unix)]
    {
        let made = std::process::Command::new("mkfifo")
            .arg(tour.join("pipe.json"))
            .status()
            .is_ok_and(|s| s.success());
        if made {
            let (s, _) = get(port, &format!("/s/{secret}/tour/pipe.json"), &host, None);
            assert_eq!(s, 403);
        }
    }
    // Nothing outside the tour folder, however the path is written.
    for p in [
        "tour/../secret.txt",
        "tour/%2e%2e/secret.txt",
        "tour/..%2fsecret.txt",
        "tour//etc/passwd",
        "tour/%2Fetc%2Fpasswd",
    ] {
        let (s, body) = get(port, &format!("/s/{secret}/{p}"), &host, None);
        assert!(matches!(s, 403 | 404), "{p}: {s}");
        assert!(
            !String::from_utf8_lossy(&body).contains("outside the tour"),
            "{p}"
        );
        assert!(!String::from_utf8_lossy(&body).contains("root:"), "{p}");
    }
}

fn serde_json_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

#[test]
fn saves_write_what_changed_keep_the_previous_version_and_refuse_stale_bases() {
    let root = temp("save");
    let tour = root.join("tour");
    std::fs::create_dir_all(&tour).unwrap();
    std::fs::write(tour.join("tour.json"), TOUR).unwrap();
    let (port, secret) = start(&tour, &root);
    let api = format!("/s/{secret}/api/project");
    let (s, body) = get(port, &api, &format!("127.0.0.1:{port}"), None);
    assert_eq!(s, 200);
    let p: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(p["tour"].as_str(), Some(TOUR));
    let version = p["version"].as_str().unwrap().to_string();
    let before = std::fs::metadata(tour.join("tour.json"))
        .unwrap()
        .modified()
        .unwrap();
    // Unchanged: nothing written, the bytes and the file's time untouched.
    let save = |base: &str, text: &str| {
        let body = format!(
            "{{\"base\":\"{base}\",\"tour\":{}}}",
            serde_json_string(text)
        );
        send(
            port,
            "PUT",
            &api,
            Some(&format!("http://127.0.0.1:{port}")),
            body.as_bytes(),
        )
    };
    let (s, r) = save(&version, TOUR);
    assert_eq!(s, 200, "{r}");
    assert!(r.contains("\"written\":[]"), "{r}");
    assert_eq!(
        std::fs::read_to_string(tour.join("tour.json")).unwrap(),
        TOUR
    );
    assert_eq!(
        std::fs::metadata(tour.join("tour.json"))
            .unwrap()
            .modified()
            .unwrap(),
        before
    );
    // Changed: written, the old text kept.
    let edited = TOUR.replace("\"a.jpg\"", "\"b.jpg\"");
    let (s, r) = save(&version, &edited);
    assert_eq!(s, 200, "{r}");
    let v2: serde_json::Value = serde_json::from_str(&r).unwrap();
    assert_eq!(
        std::fs::read_to_string(tour.join("tour.json")).unwrap(),
        edited
    );
    assert_eq!(
        std::fs::read_to_string(tour.join(".disan-studio/previous/tour.json")).unwrap(),
        TOUR
    );
    // A save from the old version (another tab, or the file changed under it): refused.
    let (s, r) = save(&version, TOUR);
    assert_eq!(s, 409, "{r}");
    assert!(r.contains("changed on disk"), "{r}");
    assert_eq!(
        std::fs::read_to_string(tour.join("tour.json")).unwrap(),
        edited
    );
    // Changed on disk by someone else: the page's version no longer matches.
    std::fs::write(tour.join("tour.json"), TOUR).unwrap();
    let (s, _) = save(v2["version"].as_str().unwrap(), &edited);
    assert_eq!(s, 409);
    assert_eq!(
        std::fs::read_to_string(tour.join("tour.json")).unwrap(),
        TOUR
    );
    // Not a tour: refused before anything is written.
    let (_, body) = get(port, &api, &format!("127.0.0.1:{port}"), None);
    let p: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let (s, r) = save(
        p["version"].as_str().unwrap(),
        "{\"version\":1,\"scenes\":[",
    );
    assert_eq!(s, 422, "{r}");
    assert_eq!(
        std::fs::read_to_string(tour.join("tour.json")).unwrap(),
        TOUR
    );
    // No temporary files left behind.
    let left: Vec<_> = std::fs::read_dir(&tour)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("disan-tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn uploads_are_checked_before_anything_is_written() {
    let root = temp("upload");
    let tour = root.join("new-tour");
    // The folder does not exist yet: the studio makes it.
    let (port, secret) = start(&tour, &root);
    assert!(tour.is_dir());
    let up = |path: &str, bytes: &[u8]| {
        send(
            port,
            "POST",
            &format!("/s/{secret}/api/upload?path={path}"),
            None,
            bytes,
        )
    };
    let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];
    assert_eq!(up("panos/hall.jpg", &jpeg).0, 200);
    assert_eq!(std::fs::read(tour.join("panos/hall.jpg")).unwrap(), jpeg);
    // Not overwritten; not what the name says; not a kind the studio takes; outside the folder.
    assert_eq!(up("panos/hall.jpg", &jpeg).0, 409);
    let (s, r) = up("panos/fake.jpg", b"<html><script>");
    assert_eq!(s, 422, "{r}");
    assert!(r.contains("not a JPEG"), "{r}");
    assert_eq!(up("page.html", b"<html>").0, 422);
    assert!(matches!(up("..%2Foutside.jpg", &jpeg).0, 403 | 422));
    assert!(!tour.join("panos/fake.jpg").exists());
    assert!(!tour.join("page.html").exists());
    assert!(!root.join("outside.jpg").exists());
    // A body larger than the kind's cap is refused from its declared length.
    let (s, _) = request(
        port,
        &format!("POST /s/{secret}/api/upload?path=captions.vtt HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 999999999999\r\nConnection: close\r\n\r\n"),
        b"WEBVTT",
    )
    .unwrap();
    assert_eq!(s, 413);
    assert!(!tour.join("captions.vtt").exists());
}
