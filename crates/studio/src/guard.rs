//! Who may talk to the studio: every request is checked before anything else is looked at.
//! The server listens on loopback only; a request must name this server in `Host` (a DNS
//! rebinding page names its own host), must come from no other origin (`Origin`, when the
//! browser sends one), and must carry the session's secret as the first part of its path
//! (`/s/SECRET/...`: another page in the same browser cannot know it, and the page's own
//! relative URLs carry it without any script).

/// What a request that passed the checks asks for, below `/s/SECRET/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// A file of the studio's page (`studio.html`, `disan.js`, `pkg/...`).
    App(String),
    /// A file of the tour folder (`tour/...`), for the engine.
    Tour(String),
    /// The tour and catalog as text, with their version (`GET`), or saved (`PUT`).
    Project,
    /// A file added to the tour folder (`POST api/upload?path=...`).
    Upload(String),
    /// A file added earlier, made ready to show (tiled, optimized, imported) into a scene.
    Prepare(String),
    /// A model's thumbnail rendered (for the scene list).
    Thumbnail(String),
    /// The problems `disan validate` would print for the tour on disk.
    Problems,
}

/// Why a request was refused (answered 403 or 404 with this text, nothing else done).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// `Host` names another server (DNS rebinding) or is missing.
    Host,
    /// `Origin` is another site.
    Origin,
    /// The path does not start with this session's secret.
    Secret,
    /// Nothing is there.
    NotFound,
    /// The method is not one this path takes.
    Method,
}

impl Refusal {
    /// The status code and the text answered.
    pub fn status(&self) -> (u16, &'static str) {
        match self {
            Refusal::Host => (403, "refused: the Host header does not name this studio\n"),
            Refusal::Origin => (403, "refused: a request from another site\n"),
            Refusal::Secret => (
                403,
                "refused: this address lacks the session's secret (open the address `disan studio` printed)\n",
            ),
            Refusal::NotFound => (404, "not found\n"),
            Refusal::Method => (405, "method not allowed\n"),
        }
    }
}

/// The checks of one studio session.
#[derive(Debug, Clone)]
pub struct Guard {
    /// The port the server listens on.
    pub port: u16,
    /// The session's secret (hex).
    pub secret: String,
}

impl Guard {
    /// The hosts this server answers to: itself on loopback, by number or by name.
    fn own_hosts(&self) -> [String; 3] {
        let p = self.port;
        [
            format!("127.0.0.1:{p}"),
            format!("localhost:{p}"),
            format!("[::1]:{p}"),
        ]
    }

    /// Checks a request: its method, its target (path and query, as sent) and its `Host` and
    /// `Origin` headers.
    pub fn check(
        &self,
        method: &str,
        target: &str,
        host: Option<&str>,
        origin: Option<&str>,
    ) -> Result<Route, Refusal> {
        let own = self.own_hosts();
        let host = host.map(|h| h.trim().to_ascii_lowercase());
        if !host.as_deref().is_some_and(|h| own.iter().any(|o| o == h)) {
            return Err(Refusal::Host);
        }
        if let Some(o) = origin {
            let o = o.trim().to_ascii_lowercase();
            if !own.iter().any(|h| o == format!("http://{h}")) {
                return Err(Refusal::Origin);
            }
        }
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let rest = path.strip_prefix("/s/").ok_or(Refusal::Secret)?;
        let (secret, rest) = rest.split_once('/').unwrap_or((rest, ""));
        if !same(secret.as_bytes(), self.secret.as_bytes()) {
            return Err(Refusal::Secret);
        }
        let rest = percent_decode(rest).ok_or(Refusal::NotFound)?;
        let get = matches!(method, "GET" | "HEAD");
        let route = match rest.as_str() {
            "api/project" => match method {
                "GET" | "HEAD" | "PUT" => Route::Project,
                _ => return Err(Refusal::Method),
            },
            "api/problems" if get => Route::Problems,
            // The file a POST is about: `?path=` (percent-encoded, confined later by the file layer).
            "api/upload" | "api/prepare" | "api/thumbnail" if method == "POST" => {
                let path = query
                    .split('&')
                    .find_map(|kv| kv.strip_prefix("path="))
                    .and_then(percent_decode)
                    .ok_or(Refusal::NotFound)?;
                match rest.as_str() {
                    "api/upload" => Route::Upload(path),
                    "api/prepare" => Route::Prepare(path),
                    _ => Route::Thumbnail(path),
                }
            }
            r if r.starts_with("api/") => return Err(Refusal::Method),
            _ if !get => return Err(Refusal::Method),
            "" => Route::App("studio.html".into()),
            r => match r.strip_prefix("tour/") {
                Some(t) => Route::Tour(t.to_string()),
                None => Route::App(r.to_string()),
            },
        };
        Ok(route)
    }
}

/// Compares two secrets in time independent of where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `%XX` escapes decoded (UTF-8); `None` when malformed.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard() -> Guard {
        Guard {
            port: 4567,
            secret: "0123abcd".into(),
        }
    }
    const HOST: Option<&str> = Some("127.0.0.1:4567");

    #[test]
    fn own_requests_pass() {
        let g = guard();
        assert_eq!(
            g.check("GET", "/s/0123abcd/", HOST, None),
            Ok(Route::App("studio.html".into()))
        );
        assert_eq!(
            g.check(
                "GET",
                "/s/0123abcd/pkg/disan_webgl.js",
                Some("localhost:4567"),
                None
            ),
            Ok(Route::App("pkg/disan_webgl.js".into()))
        );
        assert_eq!(
            g.check("GET", "/s/0123abcd/tour/panos/s%C3%A2n.jpg", HOST, None),
            Ok(Route::Tour("panos/sân.jpg".into()))
        );
        assert_eq!(
            g.check(
                "PUT",
                "/s/0123abcd/api/project",
                HOST,
                Some("http://127.0.0.1:4567")
            ),
            Ok(Route::Project)
        );
        assert_eq!(
            g.check(
                "POST",
                "/s/0123abcd/api/upload?path=panos%2Fa.jpg",
                HOST,
                None
            ),
            Ok(Route::Upload("panos/a.jpg".into()))
        );
    }

    #[test]
    fn other_hosts_origins_and_secrets_are_refused() {
        let g = guard();
        // DNS rebinding: the page's own host name, resolved to 127.0.0.1.
        for host in [
            None,
            Some("evil.example:4567"),
            Some("127.0.0.1:80"),
            Some("127.0.0.1"),
        ] {
            assert_eq!(
                g.check("GET", "/s/0123abcd/", host, None),
                Err(Refusal::Host)
            );
        }
        // Another page in the same browser.
        for origin in ["http://evil.example", "null", "https://127.0.0.1:4567"] {
            assert_eq!(
                g.check("PUT", "/s/0123abcd/api/project", HOST, Some(origin)),
                Err(Refusal::Origin),
                "{origin}"
            );
        }
        for target in [
            "/",
            "/studio.html",
            "/s/0123abcc/",
            "/s/0123abcd0/",
            "/s//api/project",
        ] {
            assert_eq!(
                g.check("GET", target, HOST, None),
                Err(Refusal::Secret),
                "{target}"
            );
        }
    }

    #[test]
    fn methods_are_checked() {
        let g = guard();
        assert_eq!(
            g.check("DELETE", "/s/0123abcd/api/project", HOST, None),
            Err(Refusal::Method)
        );
        assert_eq!(
            g.check("PUT", "/s/0123abcd/tour/tour.json", HOST, None),
            Err(Refusal::Method)
        );
        assert_eq!(
            g.check("GET", "/s/0123abcd/api/upload?path=a.jpg", HOST, None),
            Err(Refusal::Method)
        );
        assert_eq!(
            g.check("GET", "/s/0123abcd/tour/%zz", HOST, None),
            Err(Refusal::NotFound)
        );
    }
}
