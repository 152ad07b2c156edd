//! `disan studio`: the tour editor's local server. It serves the studio page (the same engine as
//! a published tour) and the tour folder to one author's browser, and saves what the page sends.
//! Safe by construction: it listens on 127.0.0.1 only, every request must carry the session's
//! secret and name this server in `Host` and, when it says, in `Origin` ([`guard`]); every file
//! it reads or writes goes through the one file layer, confined to the tour folder
//! ([`disan_files`]); added files are size-capped and type-checked before anything is written
//! ([`upload`]); a save is refused when the files changed on disk since they were opened
//! ([`project`]).

pub mod guard;
mod http;
pub mod project;
pub mod upload;

use guard::{Guard, Refusal, Route};
use project::Project;
use std::path::{Path, PathBuf};

/// Why the studio could not start, read or save.
#[derive(Debug, thiserror::Error)]
pub enum StudioError {
    /// A file could not be read or written.
    #[error(transparent)]
    File(#[from] disan_files::FileError),
    /// The studio's page is not built.
    #[error(
        "{0}: the studio page is missing (build it with `cargo xtask web`, or give --web DIR)"
    )]
    NoPage(String),
    /// The server could not listen.
    #[error("cannot listen on 127.0.0.1: {0}")]
    Listen(String),
    /// The tour or catalog on disk changed since the page opened it.
    #[error("the tour changed on disk since it was opened (another editor, a git pull): nothing was written; re-open it to see the new version")]
    Changed,
    /// What the page sent as the tour is not a tour.
    #[error("not saved: the tour is not valid JSON of a tour ({0})")]
    NotATour(String),
    /// What the page sent as the catalog is not JSON.
    #[error("not saved: the catalog is not valid JSON ({0})")]
    NotACatalog(String),
    /// A file of the project is not UTF-8 text.
    #[error("\"{0}\": not UTF-8 text")]
    NotText(String),
    /// An added file was refused.
    #[error("{0}")]
    Upload(String),
    /// A request's body is larger than its kind allows.
    #[error("refused: larger than {0} MB")]
    TooLarge(u64),
    /// The request's body was malformed.
    #[error("bad request: {0}")]
    BadRequest(String),
}

impl StudioError {
    /// The HTTP status this error is answered with.
    fn status(&self) -> u16 {
        match self {
            StudioError::Changed => 409,
            StudioError::TooLarge(_) => 413,
            StudioError::NotATour(_)
            | StudioError::NotACatalog(_)
            | StudioError::Upload(_)
            | StudioError::BadRequest(_) => 422,
            StudioError::File(disan_files::FileError::Exists { .. }) => 409,
            StudioError::File(disan_files::FileError::NotFound { .. }) => 404,
            StudioError::File(
                disan_files::FileError::Refused { .. }
                | disan_files::FileError::Outside { .. }
                | disan_files::FileError::Link { .. }
                | disan_files::FileError::NotRegular { .. },
            ) => 403,
            StudioError::File(disan_files::FileError::TooLarge { .. }) => 413,
            _ => 500,
        }
    }
}

/// How to start a studio.
#[derive(Clone)]
pub struct Options {
    /// The tour folder (made when missing).
    pub folder: PathBuf,
    /// The built web page (`dist/`: `studio.html`, `disan.js`, `pkg/`).
    pub web: PathBuf,
    /// The port (0: any free one).
    pub port: u16,
    /// What makes an added file ready to show (`disan` gives its tiler, optimizer and importer);
    /// without one, files are used as they are.
    pub prepare: Option<std::sync::Arc<dyn Prepare>>,
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("folder", &self.folder)
            .field("web", &self.web)
            .field("port", &self.port)
            .field("prepare", &self.prepare.is_some())
            .finish()
    }
}

/// Makes an added file ready to show, as `disan tile`, `disan optimize` and `disan import` do:
/// a panorama over the web's texture limit tiled, a model over the web's budget cut into
/// derivatives, a scan imported. What it writes goes into a folder of its own, with a
/// one-scene `tour.json` there that names what it wrote.
pub trait Prepare: Send + Sync {
    /// What `file` (relative to `folder`, just added) needs before it is shown, in a word for
    /// the author (`"tile"`, `"optimize"`, `"import"`), or `None` when it is shown as it is.
    fn needs(&self, folder: &Path, file: &str) -> Option<&'static str>;
    /// Does it, writing into `out` (relative to `folder`, not there yet).
    fn run(&self, folder: &Path, file: &str, out: &str) -> Result<(), String>;
    /// Renders a thumbnail of the model `file` into `out` (a PNG, relative to `folder`, not
    /// there yet), as `disan thumbnails` does.
    fn thumbnail(&self, folder: &Path, file: &str, out: &str) -> Result<(), String>;
}

/// A running studio.
pub struct Studio {
    listener: std::net::TcpListener,
    guard: Guard,
    project: Project,
    app: disan_files::Folder,
    /// One save at a time.
    saving: std::sync::Mutex<()>,
    prepare: Option<std::sync::Arc<dyn Prepare>>,
}

impl std::fmt::Debug for Studio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Studio")
            .field("port", &self.guard.port)
            .finish_non_exhaustive()
    }
}

/// Largest request body accepted for a save (the tour and catalog as JSON text).
const MAX_SAVE_BYTES: u64 = 64 << 20;

/// How long a connection may stay silent.
const IDLE: std::time::Duration = std::time::Duration::from_secs(30);

impl Studio {
    /// Opens the tour folder and listens on 127.0.0.1.
    pub fn start(options: &Options) -> Result<Studio, StudioError> {
        let app = disan_files::Folder::new(&options.web)
            .map_err(|_| StudioError::NoPage(options.web.display().to_string()))?;
        if !app.is_file("studio.html") {
            return Err(StudioError::NoPage(
                options.web.join("studio.html").display().to_string(),
            ));
        }
        let project = Project::open(&options.folder)?;
        let listener = std::net::TcpListener::bind(("127.0.0.1", options.port))
            .map_err(|e| StudioError::Listen(e.to_string()))?;
        let port = listener
            .local_addr()
            .map_err(|e| StudioError::Listen(e.to_string()))?
            .port();
        Ok(Studio {
            listener,
            guard: Guard {
                port,
                secret: secret()?,
            },
            project,
            app,
            saving: std::sync::Mutex::new(()),
            prepare: options.prepare.clone(),
        })
    }

    /// The address to open (with the session's secret).
    pub fn url(&self) -> String {
        format!(
            "http://127.0.0.1:{}/s/{}/",
            self.guard.port, self.guard.secret
        )
    }

    /// The tour folder.
    pub fn folder(&self) -> &Path {
        self.project.folder().root()
    }

    /// Answers requests until the process ends, each connection in a thread of its own.
    pub fn run(&self) {
        std::thread::scope(|scope| {
            for stream in self.listener.incoming().flatten() {
                scope.spawn(move || self.connection(stream));
            }
        });
    }

    fn connection(&self, stream: std::net::TcpStream) {
        let _ = stream.set_read_timeout(Some(IDLE));
        let _ = stream.set_write_timeout(Some(IDLE));
        let mut request = match http::Request::read(stream) {
            Ok(r) => r,
            Err((Some(s), http::ReadError::Bad(why))) => return http::reject(s, why),
            Err(_) => return,
        };
        let reply = match self.guard.check(
            &request.method,
            &request.target,
            request.header("host"),
            request.header("origin"),
        ) {
            Err(r) => refusal(&r),
            Ok(route) => {
                let method = request.method.clone();
                match self.route(&method, route, &mut request) {
                    Ok(r) => r,
                    Err(e) => text(e.status(), &format!("{e}\n")),
                }
            }
        };
        request.respond(reply);
    }

    fn route(
        &self,
        method: &str,
        route: Route,
        request: &mut http::Request,
    ) -> Result<Reply, StudioError> {
        match route {
            Route::App(path) => file(&self.app, &path),
            Route::Tour(path) => file(self.project.folder(), &path),
            Route::Project if method == "PUT" => {
                let body = body(request, MAX_SAVE_BYTES)?;
                let v: serde_json::Value = serde_json::from_slice(&body)
                    .map_err(|e| StudioError::BadRequest(e.to_string()))?;
                let field = |k: &str| v.get(k).and_then(|x| x.as_str());
                let base = field("base")
                    .ok_or_else(|| StudioError::BadRequest("no \"base\" version".into()))?;
                let tour =
                    field("tour").ok_or_else(|| StudioError::BadRequest("no \"tour\"".into()))?;
                let _one = self.saving.lock().unwrap_or_else(|p| p.into_inner());
                let saved = self.project.save(base, tour, field("catalog"))?;
                Ok(json(&serde_json::json!({
                    "written": saved.written,
                    "version": saved.version,
                })))
            }
            Route::Project => {
                let s = self.project.snapshot()?;
                let folder = self.folder().file_name().map(|n| n.to_string_lossy());
                Ok(json(&serde_json::json!({
                    "folder": folder,
                    "tour": s.tour,
                    "catalog_file": s.catalog_file,
                    "catalog": s.catalog,
                    "version": s.version,
                })))
            }
            Route::Problems => {
                let folder = self.project.folder();
                let read = |rel: &str| {
                    let kind = if rel == "tour.json" {
                        disan_files::FileKind::Json
                    } else {
                        disan_files::FileKind::guess(rel)
                    };
                    folder.read(rel, kind).map_err(|e| e.reason())
                };
                let (_, report) = disan_assets::check_tour("tour.json", &read);
                let problems: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
                Ok(json(&serde_json::json!({ "problems": problems })))
            }
            Route::Upload(path) => {
                let bytes = body(request, upload::cap(&path)?)?;
                let _one = self.saving.lock().unwrap_or_else(|p| p.into_inner());
                let written = upload::add(self.project.output(), &path, &bytes)?;
                let needs = self
                    .prepare
                    .as_ref()
                    .and_then(|p| p.needs(self.folder(), &written));
                Ok(json(
                    &serde_json::json!({ "path": written, "prepare": needs }),
                ))
            }
            Route::Prepare(path) => {
                let scene = self.prepared(&path)?;
                Ok(json(&serde_json::json!({ "scene": scene })))
            }
            Route::Thumbnail(path) => {
                let made = self.thumbnail(&path)?;
                Ok(json(&serde_json::json!({ "path": made })))
            }
        }
    }
}

impl Studio {
    /// A thumbnail of the model `file`, rendered into `thumbs/` under a free name; its path.
    fn thumbnail(&self, file: &str) -> Result<String, StudioError> {
        let refuse = |m: String| StudioError::Upload(format!("\"{file}\": {m}"));
        let prepare = self
            .prepare
            .as_ref()
            .ok_or_else(|| refuse("this studio cannot render thumbnails".into()))?;
        let folder = self.project.folder();
        let ext = file.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        if !matches!(ext.as_deref(), Some("glb" | "gltf")) || !folder.is_file(file) {
            return Err(refuse("not a model of the tour".into()));
        }
        let name = file.rsplit('/').next().unwrap_or(file);
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
        let out = free(folder, &format!("thumbs/{stem}"), ".png")
            .ok_or_else(|| refuse("no free name in thumbs/".into()))?;
        prepare
            .thumbnail(self.folder(), file, &out)
            .map_err(refuse)?;
        Ok(out)
    }

    /// Makes the added file `file` ready (see [`Prepare`]) into a folder beside it of its own,
    /// and answers the scene that shows it, its paths from the tour folder.
    fn prepared(&self, file: &str) -> Result<serde_json::Value, StudioError> {
        let refuse = |m: String| StudioError::Upload(format!("\"{file}\": {m}"));
        let prepare = self
            .prepare
            .as_ref()
            .ok_or_else(|| refuse("this studio cannot prepare files".into()))?;
        let folder = self.project.folder();
        if !folder.is_file(file) {
            return Err(refuse("no such file in the tour".into()));
        }
        if prepare.needs(self.folder(), file).is_none() {
            return Err(refuse("needs no preparing".into()));
        }
        // `panos/big.jpg` -> `panos/big/` (or `panos/big-2/` when that is taken).
        let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
        let out = free(folder, stem, "")
            .ok_or_else(|| refuse("no free folder for what it makes".into()))?;
        prepare.run(self.folder(), file, &out).map_err(refuse)?;
        let made = folder.read(&format!("{out}/tour.json"), disan_files::FileKind::Json)?;
        let made: serde_json::Value =
            serde_json::from_slice(&made).map_err(|e| refuse(format!("{out}/tour.json: {e}")))?;
        let mut scene = made
            .get("scenes")
            .and_then(|s| s.get(0))
            .cloned()
            .ok_or_else(|| refuse(format!("{out}/tour.json has no scene")))?;
        disan_tour::editor::rebase_scene(&mut scene, &out);
        if let Some(s) = scene.as_object_mut() {
            s.remove("hotspots");
            s.insert("hotspots".into(), serde_json::Value::Array(Vec::new()));
        }
        Ok(scene)
    }
}

/// `{stem}{ext}`, else `{stem}-2{ext}`, … : the first name nothing in the folder has.
fn free(folder: &disan_files::Folder, stem: &str, ext: &str) -> Option<String> {
    (1..100)
        .map(|n| match n {
            1 => format!("{stem}{ext}"),
            n => format!("{stem}-{n}{ext}"),
        })
        .find(|d| !folder.root().join(d).exists())
}

use http::Reply;

fn reply(status: u16, body: Vec<u8>, content_type: &str) -> Reply {
    let mut headers = vec![("Content-Type", content_type.to_string())];
    // The page is never framed by another site, nor cached, nor does it leak its address.
    for (k, v) in [
        ("X-Frame-Options", "DENY"),
        ("Content-Security-Policy", "frame-ancestors 'none'"),
        ("Referrer-Policy", "no-referrer"),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
    ] {
        headers.push((k, v.to_string()));
    }
    Reply {
        status,
        headers,
        body,
    }
}

fn text(status: u16, body: &str) -> Reply {
    reply(
        status,
        body.as_bytes().to_vec(),
        "text/plain; charset=utf-8",
    )
}

fn refusal(r: &Refusal) -> Reply {
    let (status, body) = r.status();
    text(status, body)
}

fn json(v: &serde_json::Value) -> Reply {
    reply(
        200,
        v.to_string().into_bytes(),
        "application/json; charset=utf-8",
    )
}

/// A file of `folder` (confined, capped by its kind), with its type.
fn file(folder: &disan_files::Folder, rel: &str) -> Result<Reply, StudioError> {
    let kind = disan_files::FileKind::guess(rel);
    let bytes = folder.read(rel, kind)?;
    let ext = rel.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    let ty = match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "wasm" => "application/wasm",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "glb" => "model/gltf-binary",
        "gltf" => "model/gltf+json",
        "vtt" => "text/vtt; charset=utf-8",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        _ => "application/octet-stream",
    };
    Ok(reply(200, bytes, ty))
}

/// The request's body, refused when its declared length is over `cap` bytes (before reading).
fn body(request: &mut http::Request, cap: u64) -> Result<Vec<u8>, StudioError> {
    request.body(cap).map_err(|e| match e {
        Some(cap) => StudioError::TooLarge(cap >> 20),
        None => StudioError::BadRequest("a body needs a Content-Length".into()),
    })
}

/// A new session secret: 128 random bits, hex.
fn secret() -> Result<String, StudioError> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| StudioError::Listen(format!("no randomness: {e}")))?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}
