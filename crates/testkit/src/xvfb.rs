//! An X server for the native window tests: [`Xvfb`] starts one on a display of its own and
//! stops it when dropped; [`Kill`] does the same for any child process (the viewer), and
//! [`tool`] finds a program on `PATH` (a test skips when one is missing).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A child process (Xvfb, the viewer) killed and reaped when dropped.
pub struct Kill(pub Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The program `name` on PATH, if installed.
pub fn tool(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| Path::new(d).join(name))
        .find(|p| p.is_file())
}

/// A running `Xvfb`, stopped when dropped.
pub struct Xvfb {
    display: String,
    _server: Kill,
}

impl Xvfb {
    /// Starts the `Xvfb` program `xvfb` (from [`tool`]) on display `:number` with one screen of
    /// `screen` (`WIDTHxHEIGHTxDEPTH`, e.g. `1280x800x24`), listening on no TCP port, and gives it
    /// 800 ms to come up. Panics if it cannot be started.
    pub fn start(xvfb: &Path, number: u32, screen: &str) -> Xvfb {
        let display = format!(":{number}");
        let server = Kill(
            Command::new(xvfb)
                .args([display.as_str(), "-screen", "0", screen, "-nolisten", "tcp"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start Xvfb"),
        );
        std::thread::sleep(Duration::from_millis(800));
        Xvfb {
            display,
            _server: server,
        }
    }

    /// The display, `:number` (for `DISPLAY`).
    pub fn display(&self) -> &str {
        &self.display
    }
}
