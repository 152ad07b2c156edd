//! The published site's pages: a tour's page (its start scene's poster in plain HTML, then the
//! live view), one page per scene and per catalog record, the index of several tours, and the
//! sitemap. Every page carries its title, description, language, Open Graph and Twitter-card
//! tags and schema.org JSON-LD, and reads as plain, accessible HTML without script or GPU.

use super::{Poster, Published};
use disan_tour::link::Link;
use disan_tour::model::{CatalogEntry, Content, HotspotAction};
use disan_tour::ui_text::text;
use disan_tour::visit::Card;
use serde_json::{json, Value};

/// The site being written.
pub(crate) struct Site<'a> {
    /// Records with photos have IIIF manifests (`iiif/<id>/manifest.json`).
    pub iiif: bool,
    /// The engine's folder, from the site's root (`engine/0123…`).
    pub engine: &'a str,
    /// The site's address, ending in `/`.
    pub base_url: Option<&'a str>,
    pub tours: &'a [Published],
}

/// Which page of a tour.
enum At<'a> {
    Tour,
    Scene(&'a str),
    Record(&'a CatalogEntry),
}

/// Text for HTML content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A path segment of a URL (scene and record ids may hold any character).
pub(super) fn seg(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A file path of the tour as a relative URL (each segment escaped).
pub(super) fn file_url(path: &str) -> String {
    path.split('/').map(seg).collect::<Vec<_>>().join("/")
}

/// JSON for a `<script>` element: `</` cannot close it.
fn script_json(v: &Value) -> String {
    v.to_string().replace("</", "<\\/")
}

/// A text cut at a word to at most `max` characters (descriptions for cards and search).
fn short(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= max {
        return s;
    }
    let cut: String = s.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map(|(a, _)| a).unwrap_or(&cut);
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':']))
}

fn og_locale(lang: &str) -> &str {
    match lang {
        "vi" => "vi_VN",
        "en" => "en_GB",
        "fr" => "fr_FR",
        "zh" => "zh_CN",
        "ja" => "ja_JP",
        "ko" => "ko_KR",
        other => other,
    }
}

impl Site<'_> {
    /// The tour's pages: `(path in the site, text)`.
    pub fn tour_pages(&self, p: &Published) -> Vec<(String, String)> {
        let mut pages = vec![(format!("{}index.html", p.prefix), self.page(p, At::Tour))];
        for s in &p.tour.scenes {
            pages.push((
                format!("{}scene/{}/index.html", p.prefix, seg(&s.id)),
                self.page(p, At::Scene(&s.id)),
            ));
        }
        for e in &p.tour.catalog {
            pages.push((
                format!("{}record/{}/index.html", p.prefix, seg(&e.id)),
                self.page(p, At::Record(e)),
            ));
        }
        pages
    }

    /// The tour's title; an untitled one (an imported tour) is named after its start scene.
    fn title(p: &Published, lang: &str) -> String {
        let t = p.tour.title.get(lang);
        if !t.trim().is_empty() {
            return t.to_string();
        }
        p.tour
            .start()
            .map(|s| s.title.get(lang).to_string())
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| p.prefix.trim_end_matches('/').to_string())
    }

    fn lang(p: &Published) -> &str {
        p.tour.languages.first().map(String::as_str).unwrap_or("vi")
    }

    /// The tour's description: its own (`description`, a text per language), else a line made
    /// of its scenes.
    fn description(p: &Published, lang: &str) -> String {
        if let Some(d) = p.tour.extra.get("description") {
            let d = match d {
                Value::String(s) => s.clone(),
                Value::Object(m) => m
                    .get(lang)
                    .or_else(|| m.values().next())
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                _ => String::new(),
            };
            if !d.trim().is_empty() {
                return short(&d, 300);
            }
        }
        let scenes: Vec<&str> = p
            .tour
            .scenes
            .iter()
            .map(|s| s.title.get(lang))
            .filter(|t| !t.is_empty())
            .collect();
        short(
            &format!("{}: {}.", text(lang, "site.tour_of"), scenes.join(", ")),
            300,
        )
    }

    fn poster<'p>(p: &'p Published, scene: &str) -> Option<&'p Poster> {
        p.posters.iter().find(|x| x.scene == scene)
    }

    /// The scene a record is seen in: its own `scene`, else the first scene with a hotspot
    /// that opens it, else the start.
    fn record_scene(p: &Published, e: &CatalogEntry) -> String {
        e.scene
            .clone()
            .or_else(|| {
                p.tour.scenes.iter().find_map(|s| {
                    s.hotspots
                        .iter()
                        .any(|h| matches!(&h.action, HotspotAction::Info { entry, .. } if *entry == e.id))
                        .then(|| s.id.clone())
                })
            })
            .unwrap_or_else(|| Self::start_id(p))
    }

    /// The view a record is seen from: its own, else the close-up of the hotspot that opens it.
    fn record_view(p: &Published, e: &CatalogEntry) -> Option<disan_tour::model::View> {
        if e.scene.is_some() {
            return e.view;
        }
        p.tour
            .scenes
            .iter()
            .flat_map(|s| &s.hotspots)
            .find_map(|h| match &h.action {
                HotspotAction::Info { entry, view } if *entry == e.id => *view,
                _ => None,
            })
    }

    fn start_id(p: &Published) -> String {
        p.tour.start().map(|s| s.id.clone()).unwrap_or_default()
    }

    /// An absolute address of `rel` (a path in the site) when the site's address is known;
    /// else `rel` from the page (`up` leads to the site's root).
    fn url(&self, rel: &str, up: &str) -> String {
        match self.base_url {
            Some(b) => format!("{b}{rel}"),
            None => format!("{up}{rel}"),
        }
    }

    fn page(&self, p: &Published, at: At) -> String {
        let lang = Self::lang(p);
        let tour_title = Self::title(p, lang).to_string();
        // From this page to the tour's folder, and to the site's root.
        let up_tour = match at {
            At::Tour => "",
            _ => "../../",
        };
        let up_root = format!("{up_tour}{}", "../".repeat(p.prefix.matches('/').count()));
        let (scene_id, title, description, here, link) = match &at {
            At::Tour => (
                Self::start_id(p),
                tour_title.clone(),
                Self::description(p, lang),
                String::new(),
                None,
            ),
            At::Scene(id) => {
                let t = p.tour.scene(id).map(|s| s.title.get(lang)).unwrap_or(id);
                (
                    id.to_string(),
                    format!("{t} — {tour_title}"),
                    Self::description(p, lang),
                    format!("scene/{}/", seg(id)),
                    Some(Link {
                        scene: Some(id.to_string()),
                        ..Link::default()
                    }),
                )
            }
            At::Record(e) => {
                let scene = Self::record_scene(p, e);
                let card = Card::of(e, lang);
                let desc = if card.description.is_empty() {
                    Self::description(p, lang)
                } else {
                    short(&card.description, 300)
                };
                (
                    scene.clone(),
                    format!("{} — {tour_title}", card.title),
                    desc,
                    format!("record/{}/", seg(&e.id)),
                    Some(Link {
                        scene: Some(scene),
                        view: Self::record_view(p, e),
                        step: None,
                    }),
                )
            }
        };
        let poster = Self::poster(p, &scene_id);
        let page_url = self.base_url.map(|b| format!("{b}{}{here}", p.prefix));
        // The picture a shared link shows: the record's first photo, else the scene's view.
        let record_photo = match &at {
            At::Record(e) => e
                .images
                .iter()
                .map(|i| i.src.as_str())
                .find(|s| !s.starts_with("data:") && !s.contains("://"))
                .map(|s| format!("{}tour/{}", p.prefix, file_url(s))),
            _ => None,
        };
        let social = record_photo
            .clone()
            .or_else(|| poster.map(|x| format!("{}{}", p.prefix, file_url(&x.social))));
        let social_url = social.as_deref().map(|s| self.url(s, &up_root));

        let mut head = String::new();
        head.push_str(&format!(
            "<title>{}</title>\n<meta name=\"description\" content=\"{}\">\n",
            esc(&title),
            esc(&description)
        ));
        if let Some(u) = &page_url {
            head.push_str(&format!("<link rel=\"canonical\" href=\"{}\">\n", esc(u)));
            head.push_str(&format!(
                "<meta property=\"og:url\" content=\"{}\">\n",
                esc(u)
            ));
        }
        head.push_str(&format!(
            "<meta property=\"og:type\" content=\"website\">\n<meta property=\"og:site_name\" content=\"{}\">\n\
             <meta property=\"og:title\" content=\"{}\">\n<meta property=\"og:description\" content=\"{}\">\n\
             <meta property=\"og:locale\" content=\"{}\">\n",
            esc(&tour_title),
            esc(&title),
            esc(&description),
            og_locale(lang)
        ));
        for other in p.tour.languages.iter().skip(1) {
            head.push_str(&format!(
                "<meta property=\"og:locale:alternate\" content=\"{}\">\n",
                og_locale(other)
            ));
        }
        head.push_str(&format!(
            "<meta name=\"twitter:card\" content=\"summary_large_image\">\n<meta name=\"twitter:title\" content=\"{}\">\n\
             <meta name=\"twitter:description\" content=\"{}\">\n",
            esc(&title),
            esc(&description)
        ));
        if let Some(img) = &social_url {
            head.push_str(&format!(
                "<meta property=\"og:image\" content=\"{0}\">\n<meta name=\"twitter:image\" content=\"{0}\">\n",
                esc(img)
            ));
            if record_photo.is_none() {
                head.push_str(&format!(
                    "<meta property=\"og:image:width\" content=\"{}\">\n<meta property=\"og:image:height\" content=\"{}\">\n",
                    super::SOCIAL.0,
                    super::SOCIAL.1
                ));
            }
            head.push_str(&format!(
                "<meta property=\"og:image:alt\" content=\"{}\">\n",
                esc(&title)
            ));
        }
        let engine = format!("./{up_root}{}/", self.engine);
        head.push_str(&format!(
            "<link rel=\"stylesheet\" href=\"{engine}disan.css\">\n<link rel=\"modulepreload\" href=\"{engine}disan.js\">\n"
        ));
        head.push_str(&format!(
            "<script type=\"application/ld+json\">{}</script>\n",
            script_json(&self.json_ld(p, &at, lang, &up_root))
        ));

        // The poster: the start view, in plain HTML, shown before any script runs.
        let hero = match poster {
            Some(x) => format!(
                "<div class=\"hero{}\" id=\"hero\" role=\"img\" aria-label=\"{}\"{}>\n<picture>\
                 <source media=\"(max-aspect-ratio: 1/1)\" srcset=\"{up_tour}{}\">\
                 <img src=\"{up_tour}{}\" alt=\"\" fetchpriority=\"high\" decoding=\"async\" elementtiming=\"disan-poster\" draggable=\"false\"></picture>\n\
                 <div class=\"progress\" role=\"progressbar\" aria-label=\"{}\"><span></span></div>\n</div>\n",
                if x.panorama { "" } else { " object" },
                esc(&title),
                // A panorama's start view, for the poster's drag before the engine is there.
                match p.tour.scene(&x.scene).map(|s| &s.content) {
                    Some(Content::Panorama(pano)) if matches!(at, At::Tour | At::Scene(_)) => {
                        let v = pano.view.unwrap_or_default();
                        format!(" data-yaw=\"{}\" data-fov=\"{}\"", v.yaw, v.fov.unwrap_or(75.0))
                    }
                    _ => String::new(),
                },
                file_url(&x.tall),
                file_url(&x.wide),
                esc(text(lang, "site.loading")),
            ),
            None => String::new(),
        };
        // Deep links (`#scene=`) on the tour's page: that scene's poster, before the first paint.
        let posters: serde_json::Map<String, Value> = p
            .posters
            .iter()
            .map(|x| {
                (
                    x.scene.clone(),
                    json!([file_url(&x.wide), file_url(&x.tall), x.panorama]),
                )
            })
            .collect();
        let swap = if matches!(at, At::Tour) {
            format!(
                "<script>(function(){{var m=/[#&]scene=([^&]*)/.exec(location.hash);if(!m)return;\
                 var p={}[decodeURIComponent(m[1])];if(!p)return;var h=document.getElementById('hero');if(!h)return;\
                 h.querySelector('img').src=p[0];h.querySelector('source').srcset=p[1];h.classList.toggle('object',!p[2]);delete h.dataset.fov;}})();</script>\n",
                script_json(&Value::Object(posters))
            )
        } else {
            String::new()
        };

        let swap = format!("{swap}<script>{POSTER_DRAG}</script>\n");
        let about = self.about(p, &at, lang, up_tour);
        let start = link.map(|l| l.to_fragment()).unwrap_or_default();
        let script = format!(
            "<script type=\"module\">\n\
             import {{ Disan }} from '{engine}disan.js';\n\
             const root = document.documentElement, element = document.getElementById('tour');\n\
             window.disanEvents = [];\n\
             for (const type of ['ready', 'scenechange', 'languagechange', 'hotspotclick', 'error', 'tourstep', 'tourend'])\n\
             \x20 element.addEventListener(type, (e) => window.disanEvents.push({{ type, detail: e.detail, t: performance.now() }}));\n\
             const start = {start};\n\
             if (start && !/[#&](scene|step)=/.test(location.hash)) history.replaceState(null, '', '#' + start);\n\
             // A turn given to the poster before the engine was there: the live view starts from it.\n\
             let applied = null;\n\
             const follow = () => {{ const y = window.disanPosterYaw; if (y != null && y !== applied && window.disanHandle?.setView({{ yaw: y }})) applied = y; if (!root.classList.contains('live')) requestAnimationFrame(follow); }};\n\
             requestAnimationFrame(follow);\n\
             element.addEventListener('ready', () => {{ applied = null; follow(); root.classList.add('live'); setTimeout(() => document.getElementById('hero')?.remove(), 400); }}, {{ once: true }});\n\
             element.addEventListener('error', () => {{ if (element.querySelector('.disan-failed') || element.classList.contains('disan-failed')) {{ root.classList.remove('js'); root.classList.add('no-engine'); }} }});\n\
             const retitle = () => {{ const t = element.querySelector('.disan-title')?.textContent; if (t) document.title = t + ' — ' + {tour_title}; if (window.disanHandle?.language) root.lang = window.disanHandle.language; }};\n\
             element.addEventListener('scenechange', retitle);\n\
             element.addEventListener('languagechange', retitle);\n\
             window.disanHandle = Disan.mount(element, {{ tour: './{up_tour}tour/tour.json', backend: new URLSearchParams(location.search).get('backend') || 'auto' }});\n\
             </script>\n",
            start = Value::String(start),
            tour_title = script_json(&Value::String(tour_title.clone())),
        );
        format!(
            "<!doctype html>\n<!-- Published by disan publish: {what}. -->\n<html lang=\"{lang}\" class=\"no-js\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <script>document.documentElement.className='js';</script>\n{head}<link rel=\"icon\" href=\"data:,\">\n<style>{css}</style>\n</head>\n<body>\n\
             {hero}{swap}<main id=\"tour\" aria-label=\"{label}\"></main>\n{about}{script}</body>\n</html>\n",
            what = match at {
                At::Tour => "a tour",
                At::Scene(_) => "one scene of a tour",
                At::Record(_) => "one catalog record of a tour",
            },
            lang = esc(lang),
            css = PAGE_CSS,
            label = esc(&tour_title),
        )
    }

    /// The page as a document: title, description, the scenes and the catalog records (the
    /// card of one record on its page), readable without script or GPU.
    fn about(&self, p: &Published, at: &At, lang: &str, up_tour: &str) -> String {
        let mut s = String::from("<article class=\"about\" id=\"about\">\n");
        s.push_str(&format!(
            "<p class=\"no-engine-note\">{}</p>\n",
            esc(text(lang, "site.no_engine"))
        ));
        let title = Self::title(p, lang);
        match at {
            At::Record(e) => {
                let card = Card::of(e, lang);
                s.push_str(&format!(
                    "<p><a href=\"../../\">{} — {}</a></p>\n",
                    esc(text(lang, "site.back")),
                    esc(&title)
                ));
                s.push_str(&record_html(&card, up_tour, "h1"));
                let local = e
                    .images
                    .iter()
                    .any(|i| !i.src.starts_with("data:") && !i.src.contains("://"));
                if self.iiif && local {
                    s.push_str(&format!(
                        "<p><a href=\"{up_tour}iiif/{}/manifest.json\" type=\"application/ld+json\">IIIF</a></p>\n",
                        seg(&e.id)
                    ));
                }
            }
            _ => {
                s.push_str(&format!("<h1>{}</h1>\n", esc(&title)));
                if let At::Scene(id) = at {
                    let t = p.tour.scene(id).map(|x| x.title.get(lang)).unwrap_or(id);
                    s.push_str(&format!("<p class=\"lead\">{}</p>\n", esc(t)));
                } else {
                    s.push_str(&format!(
                        "<p class=\"lead\">{}</p>\n",
                        esc(&Self::description(p, lang))
                    ));
                }
            }
        }
        s.push_str(&format!(
            "<h2>{}</h2>\n<ul class=\"scenes\">\n",
            esc(text(lang, "site.scenes"))
        ));
        for scene in &p.tour.scenes {
            let img = Self::poster(p, &scene.id)
                .map(|x| format!("<img src=\"{up_tour}{}\" alt=\"\" loading=\"lazy\" width=\"320\" height=\"136\">", file_url(&x.wide)))
                .unwrap_or_default();
            s.push_str(&format!(
                "<li><a href=\"{up_tour}scene/{}/\">{img}<span>{}</span></a></li>\n",
                seg(&scene.id),
                esc(scene.title.get(lang))
            ));
        }
        s.push_str("</ul>\n");
        if !p.tour.catalog.is_empty() && !matches!(at, At::Record(_)) {
            s.push_str(&format!("<h2>{}</h2>\n", esc(text(lang, "site.catalog"))));
            for e in &p.tour.catalog {
                let card = Card::of(e, lang);
                s.push_str(&format!(
                    "<section class=\"record\" id=\"record-{}\">\n",
                    esc(&e.id)
                ));
                s.push_str(&record_html(&card, up_tour, "h3"));
                s.push_str(&format!(
                    "<p><a href=\"{up_tour}record/{}/\">{}</a></p>\n</section>\n",
                    seg(&e.id),
                    esc(text(lang, "site.open"))
                ));
            }
        }
        s.push_str("</article>\n");
        s
    }

    /// schema.org: the site as a tourist attraction (a museum when the tour says so), its
    /// records as visual artworks (creative works when they give no material).
    fn json_ld(&self, p: &Published, at: &At, lang: &str, up_root: &str) -> Value {
        let abs = |rel: &str| self.url(rel, up_root);
        let kind = match p.tour.extra.get("x-schema-type").and_then(Value::as_str) {
            Some("Museum") => "Museum",
            _ => "TouristAttraction",
        };
        let image = Self::poster(p, &Self::start_id(p))
            .map(|x| abs(&format!("{}{}", p.prefix, file_url(&x.social))));
        let records: Vec<Value> = p
            .tour
            .catalog
            .iter()
            .map(|e| self.record_ld(p, e, lang, up_root))
            .collect();
        let mut site = json!({
            "@type": kind,
            "name": Self::title(p, lang),
            "description": Self::description(p, lang),
            "inLanguage": p.tour.languages,
            "url": abs(&p.prefix),
        });
        if let Some(i) = image {
            site["image"] = Value::String(i);
        }
        let main = match at {
            At::Record(e) => {
                let mut r = self.record_ld(p, e, lang, up_root);
                r["@context"] = json!("https://schema.org");
                r["isPartOf"] = site;
                return r;
            }
            _ => {
                site["subjectOf"] = Value::Array(records);
                site
            }
        };
        let mut out = main;
        out["@context"] = json!("https://schema.org");
        out
    }

    fn record_ld(&self, p: &Published, e: &CatalogEntry, lang: &str, up_root: &str) -> Value {
        let abs = |rel: &str| self.url(rel, up_root);
        let kind = if e.material.is_some() {
            "VisualArtwork"
        } else {
            "CreativeWork"
        };
        let mut r = json!({
            "@type": kind,
            "name": e.title.get(lang),
            "url": abs(&format!("{}record/{}/", p.prefix, seg(&e.id))),
        });
        let desc = e.description.get(lang);
        if !desc.is_empty() {
            r["description"] = json!(desc);
        }
        if let Some(n) = &e.inventory_number {
            r["identifier"] = json!(n);
        }
        let put = |r: &mut Value, key: &str, v: &Option<disan_tour::LangText>| {
            if let Some(t) = v.as_ref().map(|t| t.get(lang)).filter(|t| !t.is_empty()) {
                r[key] = json!(t);
            }
        };
        put(
            &mut r,
            if kind == "VisualArtwork" {
                "artMedium"
            } else {
                "material"
            },
            &e.material,
        );
        put(&mut r, "material", &e.material);
        put(&mut r, "temporalCoverage", &e.period);
        // A period that is a date ("1010", "1428-1527") is also when it was made.
        if let Some(p) = e.period.as_ref().map(|t| t.get(lang)) {
            if p.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                r["dateCreated"] = json!(p);
            }
        }
        put(&mut r, "size", &e.dimensions);
        put(&mut r, "artform", &e.object_type);
        put(&mut r, "copyrightNotice", &e.rights);
        put(&mut r, "creditText", &e.credits);
        put(&mut r, "locationCreated", &e.place_of_origin);
        let images: Vec<String> = e
            .images
            .iter()
            .filter(|i| !i.src.starts_with("data:"))
            .map(|i| {
                if i.src.contains("://") {
                    i.src.clone()
                } else {
                    abs(&format!("{}tour/{}", p.prefix, file_url(&i.src)))
                }
            })
            .collect();
        if !images.is_empty() {
            r["image"] = json!(images);
        }
        r
    }

    /// The index of several tours: poster, title, place, languages; a search box.
    pub fn index_page(&self) -> String {
        let lang = self
            .tours
            .first()
            .map(|p| Self::lang(p).to_string())
            .unwrap_or_else(|| "vi".into());
        let mut items = String::new();
        let mut ld = Vec::new();
        for p in self.tours {
            let l = Self::lang(p);
            let title = Self::title(p, l);
            let poster = Self::poster(p, &Self::start_id(p))
                .map(|x| {
                    format!(
                        "<img src=\"{}{}\" alt=\"\" loading=\"lazy\" width=\"640\" height=\"272\">",
                        p.prefix,
                        file_url(&x.wide)
                    )
                })
                .unwrap_or_default();
            let place = p
                .tour
                .extra
                .get("x-place")
                .and_then(Value::as_str)
                .map(|s| format!("<span class=\"place\">{}</span>", esc(s)))
                .unwrap_or_default();
            let description = Self::description(p, l);
            items.push_str(&format!(
                "<li data-search=\"{}\"><a href=\"{}\" lang=\"{}\">{poster}<strong>{}</strong></a>{place}<p>{}</p>\
                 <p class=\"langs\">{}: {}</p></li>\n",
                esc(&format!("{title} {description}")),
                p.prefix,
                esc(l),
                esc(&title),
                esc(&description),
                esc(text(&lang, "site.languages")),
                esc(&p.tour.languages.join(", ")),
            ));
            ld.push(json!({"@type": "ListItem", "position": ld.len() + 1, "url": self.url(&p.prefix, ""), "name": title}));
        }
        let tours = text(&lang, "site.tours");
        let json = json!({"@context": "https://schema.org", "@type": "ItemList", "name": tours, "itemListElement": ld});
        format!(
            "<!doctype html>\n<!-- Published by disan publish: the index of its tours. -->\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{t}</title>\n\
             <meta name=\"description\" content=\"{t}: {names}\">\n<meta property=\"og:title\" content=\"{t}\">\n{canon}\
             <link rel=\"icon\" href=\"data:,\">\n<script type=\"application/ld+json\">{ld}</script>\n<style>{css}</style>\n</head>\n<body class=\"index\">\n\
             <main>\n<h1>{t}</h1>\n<label class=\"search\" hidden>{search}<input type=\"search\" id=\"search\" autocomplete=\"off\"></label>\n\
             <ul class=\"tours\" id=\"tours\">\n{items}</ul>\n</main>\n\
             <script>\n(function () {{\n\
             var fold = function (s) {{ return s.normalize('NFD').replace(/[\\u0300-\\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase(); }};\n\
             var box = document.getElementById('search'); box.parentNode.hidden = false;\n\
             var items = Array.prototype.slice.call(document.querySelectorAll('#tours > li'));\n\
             box.addEventListener('input', function () {{ var q = fold(box.value.trim());\n\
             items.forEach(function (li) {{ li.hidden = q !== '' && fold(li.dataset.search).indexOf(q) < 0; }}); }});\n\
             }})();\n</script>\n</body>\n</html>\n",
            t = esc(tours),
            names = esc(&self.tours.iter().map(|p| Self::title(p, Self::lang(p)).to_string()).collect::<Vec<_>>().join(", ")),
            canon = self
                .base_url
                .map(|b| format!("<link rel=\"canonical\" href=\"{}\">\n", esc(b)))
                .unwrap_or_default(),
            ld = script_json(&json),
            css = PAGE_CSS,
            search = esc(text(&lang, "site.search")),
        )
    }
}

/// A record as HTML: its title, description, fields and photos with their credits.
fn record_html(card: &Card, up_tour: &str, heading: &str) -> String {
    let mut s = format!("<{heading}>{}</{heading}>\n", esc(&card.title));
    for para in card
        .description
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
    {
        s.push_str(&format!("<p>{}</p>\n", esc(para.trim())));
    }
    if !card.fields.is_empty() {
        s.push_str("<dl>\n");
        for f in &card.fields {
            s.push_str(&format!(
                "<dt>{}</dt><dd>{}</dd>\n",
                esc(f.label),
                esc(&f.value)
            ));
        }
        s.push_str("</dl>\n");
    }
    for img in &card.images {
        let src = if img.src.starts_with("data:") || img.src.contains("://") {
            img.src.clone()
        } else {
            format!("{up_tour}tour/{}", file_url(&img.src))
        };
        s.push_str(&format!(
            "<figure><img src=\"{}\" alt=\"{}\" loading=\"lazy\">{}</figure>\n",
            esc(&src),
            esc(&img.alt),
            if img.caption.is_empty() {
                String::new()
            } else {
                format!("<figcaption>{}</figcaption>", esc(&img.caption))
            }
        ));
    }
    s
}

/// The sitemap of the site's pages (their folders' addresses).
pub(crate) fn sitemap(base: &str, pages: &[String]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in pages {
        let path = p.strip_suffix("index.html").unwrap_or(p);
        s.push_str(&format!(
            "<url><loc>{}</loc></url>\n",
            esc(&format!("{base}{path}"))
        ));
    }
    s.push_str("</urlset>\n");
    s
}

/// Before the engine is there, a drag on a panorama's poster slides it with the finger (up to
/// 10° either way, where a slide still looks like a turn, and as far as the poster is wider than
/// the screen), and `window.disanPosterYaw` is the yaw that puts the
/// same point at the centre of the view; the page's module gives it to the engine.
const POSTER_DRAG: &str = "(function(){var h=document.getElementById('hero');if(!h||!h.dataset.fov)return;\
var img=h.querySelector('img'),sx=null,dx=0;\
function slack(){var k=2*Math.tan(h.dataset.fov*Math.PI/360)/h.clientHeight;\
return Math.min(Math.tan(10*Math.PI/180)/k,Math.max(0,(img.getBoundingClientRect().width-innerWidth)/2));}\
h.addEventListener('pointerdown',function(e){if(!h.dataset.fov||document.documentElement.classList.contains('live'))return;e.preventDefault();sx=e.clientX-dx;\
try{h.setPointerCapture(e.pointerId);}catch(_){}});\
h.addEventListener('pointermove',function(e){if(sx===null||!h.dataset.fov)return;var s=slack();dx=Math.max(-s,Math.min(s,e.clientX-sx));\
img.style.transform='translateX(calc(-50% + '+dx+'px))';var k=2*Math.tan(h.dataset.fov*Math.PI/360)/h.clientHeight;\
window.disanPosterYaw=+h.dataset.yaw-Math.atan(dx*k)*180/Math.PI;});\
['pointerup','pointercancel'].forEach(function(t){h.addEventListener(t,function(){sx=null;});});})();";

/// The pages' own style: the poster over the view until its first frame, then the view; the
/// document below it when there is no script or no engine.
const PAGE_CSS: &str = "\
html,body{margin:0;background:#111;color:#eee;font:16px/1.5 system-ui,'Noto Sans',sans-serif}\
a{color:#9cf}\
.hero{position:relative;height:100vh;height:100svh;overflow:hidden;background:#111;touch-action:none;cursor:grab}\
.hero img{position:absolute;top:0;left:50%;height:100%;width:auto;max-width:none;transform:translateX(-50%);-webkit-user-drag:none;user-select:none}\
@media (max-aspect-ratio:1/1){.hero.object img{top:50%;left:0;width:100%;height:auto;transform:translateY(-50%)}}\
.progress{position:absolute;left:0;right:0;bottom:0;height:4px;background:rgba(255,255,255,.15);overflow:hidden}\
.progress span{position:absolute;top:0;bottom:0;width:30%;background:#e8b04a;animation:disan-progress 1.2s ease-in-out infinite}\
@keyframes disan-progress{from{left:-30%}to{left:100%}}\
.no-js .progress,.no-engine .progress{display:none}\
#tour{display:none}\
.js #tour{display:block;position:fixed;inset:0}\
.js .hero{position:fixed;inset:0;z-index:5;transition:opacity .3s}\
.js.live .hero{opacity:0;pointer-events:none}\
.js .about{display:none}\
.about{max-width:46rem;margin:0 auto;padding:1.5rem 1rem 3rem}\
.no-engine-note{display:none;background:#332;padding:.5rem .75rem;border-radius:4px}\
.no-engine .no-engine-note{display:block}\
.about img{max-width:100%;height:auto}\
.scenes{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(12rem,1fr));gap:.75rem}\
.scenes a{display:block;text-decoration:none}.scenes span{display:block}\
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{color:#bbb}dd{margin:0}\
figure{margin:1rem 0}figcaption{color:#bbb;font-size:.9rem}\
.index main{max-width:64rem;margin:0 auto;padding:1.5rem 1rem}\
.tours{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(18rem,1fr));gap:1rem}\
.tours img{width:100%;height:auto;display:block;border-radius:4px}\
.tours a{text-decoration:none;color:#fff;display:block}.tours p{margin:.25rem 0}.langs,.place{color:#bbb;font-size:.9rem}\
.search input{margin-left:.5rem;font:inherit;padding:.25rem .5rem}\
";
