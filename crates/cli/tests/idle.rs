//! The native window rests: opened on the demo under Xvfb (lavapipe) and left alone, it draws
//! no frames (a kiosk must not burn its CPU or GPU while nobody touches it). Frames are counted
//! through `DISAN_FRAME_COUNT_FILE`, as the browser test counts animation frames.
#![cfg(target_os = "linux")]

use disan_testkit::{tool, Kill, Xvfb};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn frames(file: &Path) -> Option<u64> {
    std::fs::read_to_string(file).ok()?.trim().parse().ok()
}

#[test]
fn idle_window_draws_no_frames() {
    let Some(xvfb) = tool("Xvfb") else {
        eprintln!("skipped: Xvfb is not installed (Debian package xvfb; .ci/run installs it)");
        return;
    };
    let x = Xvfb::start(&xvfb, 90 + std::process::id() % 800, "1024x700x24");
    let display = x.display().to_string();
    let count = std::env::temp_dir().join(format!("disan-idle-{}.txt", std::process::id()));
    let _ = std::fs::remove_file(&count);
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo");
    let _viewer = Kill(
        Command::new(env!("CARGO_BIN_EXE_disan"))
            .arg("view")
            .arg(&demo)
            .env("DISPLAY", &display)
            .env_remove("WAYLAND_DISPLAY")
            .env("DISAN_FRAME_COUNT_FILE", &count)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start disan view"),
    );
    // Wait for the first scene to be drawn and for its fade-in to end (a second without frames).
    let start = Instant::now();
    let mut last = (None, Instant::now());
    loop {
        std::thread::sleep(Duration::from_millis(200));
        let now = frames(&count);
        if now != last.0 {
            last = (now, Instant::now());
        } else if now.is_some() && last.1.elapsed() > Duration::from_secs(1) {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(90),
            "the window never came to rest: {now:?} frames after {:?}",
            start.elapsed()
        );
    }
    let before = frames(&count).unwrap_or(0);
    assert!(before > 0, "the window drew nothing");
    std::thread::sleep(Duration::from_secs(3));
    let after = frames(&count).unwrap_or(0);
    assert_eq!(
        after - before,
        0,
        "{} frames drawn in 3 idle seconds",
        after - before
    );
    let _ = std::fs::remove_file(&count);
}
