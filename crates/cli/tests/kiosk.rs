//! The native kiosk under Xvfb (lavapipe), by screenshots: left alone it returns to its start and
//! plays its attract loop (the demo's guided tour, shortened), a touch stops the loop, and only
//! its key chord closes it. Screenshots come from `xwd` (x11-apps), input from `xdotool`; the
//! visit's events are logged through `DISAN_EVENT_LOG`. PNGs of each shot go to the target dir.
//! The viewer's share button puts the view's link on the X clipboard (read back with `xclip`).
#![cfg(target_os = "linux")]

mod common;

use common::copy_dir;
use disan_testkit::{mean_difference, tool, Kill, Xvfb};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// An RGB screenshot.
struct Shot {
    width: usize,
    height: usize,
    rgb: Vec<u8>,
}

impl Shot {
    /// The root window of `display`, read from `xwd`'s ZPixmap (24-bit colour in 32-bit pixels).
    fn take(display: &str) -> Shot {
        let out = Command::new("xwd")
            .args(["-root", "-silent", "-display", display])
            .output()
            .expect("run xwd");
        assert!(out.status.success(), "xwd failed");
        let b = out.stdout;
        let u = |i: usize| u32::from_be_bytes([b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]]);
        let (header, width, height) = (u(0) as usize, u(4) as usize, u(5) as usize);
        let (lsb, bpp, bpl) = (u(7) == 0, u(11) as usize, u(12) as usize);
        let (rm, gm, bm, ncolors) = (u(14), u(15), u(16), u(19) as usize);
        assert_eq!(bpp, 32, "expected 32-bit pixels from a 24-bit Xvfb screen");
        let data = &b[header + 12 * ncolors..];
        let mut rgb = Vec::with_capacity(width * height * 3);
        for y in 0..height {
            for x in 0..width {
                let p = &data[y * bpl + 4 * x..y * bpl + 4 * x + 4];
                let v = if lsb {
                    u32::from_le_bytes([p[0], p[1], p[2], p[3]])
                } else {
                    u32::from_be_bytes([p[0], p[1], p[2], p[3]])
                };
                let c = |m: u32| ((v & m) >> m.trailing_zeros()) as u8;
                rgb.extend([c(rm), c(gm), c(bm)]);
            }
        }
        Shot { width, height, rgb }
    }

    /// Mean absolute difference per channel over the top 70 % of the screen (the view, above
    /// the player and the toolbar).
    fn diff(&self, other: &Shot) -> f64 {
        let rows = self.height * 7 / 10;
        let n = self.width * rows * 3;
        mean_difference(&self.rgb[..n], &other.rgb[..n])
    }

    fn save(&self, name: &str) {
        let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
        let img =
            image::RgbImage::from_raw(self.width as u32, self.height as u32, self.rgb.clone());
        if let Some(img) = img {
            let _ = img.save(&path);
        }
    }
}

fn frames(file: &Path) -> u64 {
    std::fs::read_to_string(file)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0)
}

/// Waits until no frame was drawn for `quiet` (the view rests), at most 60 s.
fn rest(count: &Path, quiet: Duration) {
    let start = Instant::now();
    let mut last = (frames(count), Instant::now());
    loop {
        std::thread::sleep(Duration::from_millis(100));
        let now = frames(count);
        if now != last.0 {
            last = (now, Instant::now());
        } else if now > 0 && last.1.elapsed() >= quiet {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the kiosk never came to rest"
        );
    }
}

fn log(file: &Path) -> String {
    std::fs::read_to_string(file).unwrap_or_default()
}

/// Waits until the event log has `needle` `times` times, at most 60 s.
fn wait_log(file: &Path, needle: &str, times: usize) {
    let start = Instant::now();
    while log(file).matches(needle).count() < times {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "`{needle}` ×{times} never came; events:\n{}",
            log(file)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn xdotool(display: &str, args: &[&str]) {
    let ok = Command::new("xdotool")
        .args(args)
        .env("DISPLAY", display)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "xdotool {args:?} failed");
}

#[test]
fn kiosk_returns_to_its_start_when_idle_plays_its_attract_loop_and_leaves_by_its_chord() {
    let (Some(xvfb), Some(_), Some(_)) = (tool("Xvfb"), tool("xwd"), tool("xdotool")) else {
        eprintln!(
            "skipped: needs Xvfb, xwd and xdotool (Debian xvfb, x11-apps, xdotool; .ci/run installs them)"
        );
        return;
    };
    // The demo tour with a short idle time and short steps, in its own folder.
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("kiosk-tour");
    let _ = std::fs::remove_dir_all(&dir);
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo");
    copy_dir(&demo, &dir);
    let text = std::fs::read_to_string(dir.join("tour.json")).expect("read tour.json");
    let mut tour: serde_json::Value = serde_json::from_str(&text).expect("parse tour.json");
    let attract = tour["tours"][0]["id"].clone();
    tour["kiosk"] = serde_json::json!({"idle_seconds": 4, "attract": attract, "scene_seconds": 3});
    for step in tour["tours"][0]["steps"]
        .as_array_mut()
        .expect("the demo has a guided tour")
    {
        step["duration"] = serde_json::json!(3.5);
    }
    std::fs::write(dir.join("tour.json"), tour.to_string()).expect("write tour.json");

    let x = Xvfb::start(&xvfb, 900 + std::process::id() % 800, "1280x800x24");
    let display = x.display().to_string();
    let tmp = std::env::temp_dir();
    let count = tmp.join(format!("disan-kiosk-frames-{}.txt", std::process::id()));
    let events = tmp.join(format!("disan-kiosk-events-{}.txt", std::process::id()));
    let _ = std::fs::remove_file(&count);
    let _ = std::fs::remove_file(&events);
    let mut kiosk = Kill(
        Command::new(env!("CARGO_BIN_EXE_disan"))
            .arg("kiosk")
            .arg(&dir)
            .env("DISPLAY", &display)
            .env_remove("WAYLAND_DISPLAY")
            .env("DISAN_FRAME_COUNT_FILE", &count)
            .env("DISAN_EVENT_LOG", &events)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start disan kiosk"),
    );
    // A visitor turns the view at once (the idle timer starts again).
    wait_log(&events, "SceneChanged", 1);
    rest(&count, Duration::from_millis(700));
    let start = Shot::take(&display);
    start.save("kiosk-0-start.png");
    xdotool(&display, &["mousemove", "700", "300", "mousedown", "1"]);
    for x in [650, 550, 450, 350, 250] {
        xdotool(&display, &["mousemove", &x.to_string(), "320"]);
    }
    xdotool(&display, &["mouseup", "1"]);
    rest(&count, Duration::from_millis(700));
    let moved = Shot::take(&display);
    moved.save("kiosk-1-moved.png");
    assert!(
        moved.diff(&start) > 8.0,
        "the drag did not turn the view ({:.1})",
        moved.diff(&start)
    );
    assert!(!log(&events).contains("Attract"), "{}", log(&events));
    // Left alone: back to the start, the attract loop plays the guided tour.
    wait_log(&events, "Attract { running: true }", 1);
    // A playing step redraws its progress bar once a second: wait out the flight (at most 2 s).
    std::thread::sleep(Duration::from_millis(2500));
    let reset = Shot::take(&display);
    reset.save("kiosk-2-reset.png");
    assert!(
        reset.diff(&start) < 4.0 && reset.diff(&moved) > 8.0,
        "not back at the start view: {:.1} from the start, {:.1} from the moved view",
        reset.diff(&start),
        reset.diff(&moved)
    );
    wait_log(&events, "step: 2,", 1);
    wait_log(&events, "SceneChanged", 2);
    std::thread::sleep(Duration::from_millis(1500));
    let later = Shot::take(&display);
    later.save("kiosk-3-attract.png");
    assert!(
        later.diff(&reset) > 8.0,
        "the attract loop does not move on ({:.1})",
        later.diff(&reset)
    );
    // The first touch stops it.
    xdotool(&display, &["mousemove", "640", "250", "click", "1"]);
    wait_log(&events, "Attract { running: false }", 1);
    // Closing the window does nothing; the chord leaves.
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        kiosk.0.try_wait().expect("wait").is_none(),
        "the kiosk left by itself"
    );
    xdotool(&display, &["key", "ctrl+alt+q"]);
    let t = Instant::now();
    loop {
        if kiosk.0.try_wait().expect("wait").is_some() {
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "Ctrl+Alt+Q did not close the kiosk"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = std::fs::remove_file(&count);
    let _ = std::fs::remove_file(&events);
}

#[test]
fn the_share_button_copies_the_tour_address_with_the_view() {
    let tools = (tool("Xvfb"), tool("xwd"), tool("xdotool"), tool("xclip"));
    let (Some(xvfb), Some(_), Some(_), Some(xclip)) = tools else {
        eprintln!(
            "skipped: needs Xvfb, xwd, xdotool and xclip (Debian xvfb, x11-apps, xdotool, xclip; .ci/run installs them)"
        );
        return;
    };
    // The demo tour, published at an address.
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("share-tour");
    let _ = std::fs::remove_dir_all(&dir);
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo");
    copy_dir(&demo, &dir);
    let text = std::fs::read_to_string(dir.join("tour.json")).expect("read tour.json");
    let mut tour: serde_json::Value = serde_json::from_str(&text).expect("parse tour.json");
    let published = "https://bao-tang.example.vn/den-hung/";
    tour["share_url"] = serde_json::json!(published);
    let scene = tour["scenes"][1]["id"]
        .as_str()
        .expect("a second scene")
        .to_string();
    std::fs::write(dir.join("tour.json"), tour.to_string()).expect("write tour.json");

    // Another display than the kiosk test's (the tests of a file run at once).
    let x = Xvfb::start(&xvfb, 1700 + std::process::id() % 800, "1280x800x24");
    let display = x.display().to_string();
    let tmp = std::env::temp_dir();
    let count = tmp.join(format!("disan-share-frames-{}.txt", std::process::id()));
    let _ = std::fs::remove_file(&count);
    let _viewer = Kill(
        Command::new(env!("CARGO_BIN_EXE_disan"))
            .arg("view")
            .arg(&dir)
            .args(["--lang", "en", "--link"])
            .arg(format!("scene={scene}&yaw=40&pitch=5&fov=70"))
            .env("DISPLAY", &display)
            .env_remove("WAYLAND_DISPLAY")
            .env("DISAN_FRAME_COUNT_FILE", &count)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start disan view"),
    );
    rest(&count, Duration::from_millis(700));
    Shot::take(&display).save("share-before.png");
    // The share button ends the row of controls at the bottom right of the 1280×760 window.
    xdotool(&display, &["mousemove", "1234", "730", "click", "1"]);
    let start = Instant::now();
    let copied = loop {
        let out = Command::new(&xclip)
            .args(["-selection", "clipboard", "-o"])
            .env("DISPLAY", &display)
            .output()
            .expect("run xclip");
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        if out.status.success() && !text.is_empty() {
            break text;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "nothing reached the clipboard"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    std::thread::sleep(Duration::from_millis(300));
    Shot::take(&display).save("share-copied.png");
    let fragment = copied
        .strip_prefix(&format!("{published}#"))
        .unwrap_or_else(|| panic!("not the tour's address: {copied}"));
    let link = disan_tour::Link::parse(fragment);
    assert_eq!(link.scene.as_deref(), Some(scene.as_str()), "{copied}");
    let view = link.view.unwrap_or_else(|| panic!("no view in {copied}"));
    assert!(
        (view.yaw - 40.0).abs() < 0.5 && (view.pitch - 5.0).abs() < 0.5,
        "{copied}"
    );
    assert!(view.fov.is_some_and(|f| (f - 70.0).abs() < 0.5), "{copied}");
    let _ = std::fs::remove_file(&count);
}
