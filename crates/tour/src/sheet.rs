//! Catalog records as a spreadsheet (`disan catalog import` / `export`): a museum inventory's
//! columns (inventory number, title, description, material, date, dimensions, rights, photos…)
//! with the language in the header (`title_vi`, `title (en)`, `Tên (vi)`), or named by a
//! mapping; rows matched to records by inventory number (else by id), so re-importing updates
//! them and the hotspots that open them keep working. Every problem names its row and column;
//! an import with any problem changes nothing. The cells come from the caller (CSV, XLSX, ODS
//! are read in the `disan` command); this is only the mapping, written once.

use crate::text::fold_diacritics;
use crate::ui_text;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};

/// One cell as the spreadsheet holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text.
    Text(String),
    /// A number.
    Number(f64),
    /// Anything else (a date, true/false, an error like `#N/A`), in words.
    Other(String),
}

/// A sheet: its first row names the columns.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// The file, for messages.
    pub file: String,
    /// The first row.
    pub header: Vec<Cell>,
    /// The rows after it.
    pub rows: Vec<Vec<Cell>>,
}

/// The text fields of a record, in the order they are exported.
pub const TEXT_FIELDS: [&str; 11] = [
    "title",
    "description",
    "object_type",
    "period",
    "material",
    "dimensions",
    "place_of_origin",
    "heritage_designation",
    "current_location",
    "rights",
    "credits",
];

/// What a column holds.
#[derive(Debug, Clone, PartialEq)]
enum Field {
    Id,
    InventoryNumber,
    /// A text field in a language.
    Text(&'static str, String),
    /// Photo or recording paths, separated by `;`.
    Files(Files),
}

/// The lists of files a record's row may give.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Files {
    /// Photos: the record's `images`.
    Photos,
    /// Video and audio recordings: the record's `media`.
    Media,
}

impl Files {
    /// The record's field.
    fn key(self) -> &'static str {
        match self {
            Files::Photos => "images",
            Files::Media => "media",
        }
    }

    /// The column's name, as export writes it.
    fn column(self) -> &'static str {
        match self {
            Files::Photos => "photos",
            Files::Media => "media",
        }
    }

    /// One of them, in messages.
    fn word(self) -> &'static str {
        match self {
            Files::Photos => "photo",
            Files::Media => "recording",
        }
    }
}

/// "A", "B", … "Z", "AA" for column `i` (from 0).
pub fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// A header's words, compared without accents, case, or `_`/`-`/spaces.
fn key(s: &str) -> String {
    fold_diacritics(s)
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The field a header word names: the field's own name, its label in the interface strings
/// (`Số hiệu`, `Inventory no.`, `Chất liệu`), and a few common words.
fn field_named(name: &str) -> Option<&'static str> {
    let k = key(name);
    let extra: &[(&str, &str)] = &[
        ("inventory number", "inventory_number"),
        ("inventory no", "inventory_number"),
        ("so hieu", "inventory_number"),
        ("ma hien vat", "inventory_number"),
        ("id", "id"),
        ("title", "title"),
        ("name", "title"),
        ("ten", "title"),
        ("ten goi", "title"),
        ("description", "description"),
        ("mo ta", "description"),
        ("date", "period"),
        ("photos", "photos"),
        ("photo", "photos"),
        ("images", "photos"),
        ("anh", "photos"),
        ("hinh anh", "photos"),
        ("media", "media"),
        ("video", "media"),
        ("videos", "media"),
        ("audio", "media"),
        ("recordings", "media"),
        ("phim", "media"),
        ("am thanh", "media"),
        ("ghi am", "media"),
        ("tu lieu nghe nhin", "media"),
    ];
    if let Some((_, f)) = extra.iter().find(|(w, _)| *w == k) {
        return Some(f);
    }
    std::iter::once("inventory_number")
        .chain(TEXT_FIELDS)
        .find(|f| {
            key(f) == k
                || ["vi", "en"]
                    .iter()
                    .any(|l| key(ui_text::field_label(f, l)) == k)
        })
}

/// A header split into its field and language: `title_vi`, `title (vi)`, `Tên [en]`, `title`.
fn parse_header(h: &str, langs: &[String]) -> Option<(&'static str, Option<String>)> {
    let h = h.trim();
    let is_lang = |l: &str| {
        let l = l.trim().to_ascii_lowercase();
        (langs.contains(&l) || (l.len() == 2 && l.chars().all(|c| c.is_ascii_lowercase())))
            .then_some(l)
    };
    for (open, close) in [('(', ')'), ('[', ']')] {
        if let Some(rest) = h.strip_suffix(close) {
            if let Some((name, lang)) = rest.rsplit_once(open) {
                if let (Some(f), Some(l)) = (field_named(name), is_lang(lang)) {
                    return Some((f, Some(l)));
                }
            }
        }
    }
    for sep in ['_', '-', ' ', '.'] {
        if let Some((name, lang)) = h.rsplit_once(sep) {
            if let (Some(f), Some(l)) = (field_named(name), is_lang(lang)) {
                return Some((f, Some(l)));
            }
        }
    }
    field_named(h).map(|f| (f, None))
}

/// The columns of `sheet`: each header through `mapping` (header -> `title_vi`-style name) first.
fn columns(
    sheet: &Sheet,
    mapping: &BTreeMap<String, String>,
    langs: &[String],
    problems: &mut Vec<String>,
) -> Vec<Option<Field>> {
    let lang0 = langs.first().cloned().unwrap_or_else(|| "vi".into());
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut out = Vec::new();
    for (i, cell) in sheet.header.iter().enumerate() {
        let col = column_letter(i);
        let h = match cell {
            Cell::Text(t) => t.trim().to_string(),
            Cell::Empty => {
                out.push(None);
                continue;
            }
            Cell::Number(n) => n.to_string(),
            Cell::Other(o) => o.clone(),
        };
        if h.is_empty() {
            out.push(None);
            continue;
        }
        let mapped = mapping.get(&h).map(String::as_str);
        if mapped == Some("") || mapped == Some("-") {
            out.push(None); // the mapping leaves it out
            continue;
        }
        let Some((f, lang)) = parse_header(mapped.unwrap_or(&h), langs) else {
            problems.push(format!(
                "{}: row 1, column {col} (\"{h}\"): not a catalog field; name it in a mapping file \
                 (--mapping: {{\"columns\": {{\"{h}\": \"title_vi\"}}}}), or \"-\" to leave it out",
                sheet.file
            ));
            out.push(None);
            continue;
        };
        let field = match f {
            "id" => Field::Id,
            "inventory_number" => Field::InventoryNumber,
            "photos" => Field::Files(Files::Photos),
            "media" => Field::Files(Files::Media),
            // `field_named` names only the fields above and the text fields.
            text => Field::Text(text, lang.unwrap_or_else(|| lang0.clone())),
        };
        let id = format!("{field:?}");
        if let Some(prev) = seen.insert(id, col.clone()) {
            problems.push(format!(
                "{}: row 1, column {col} (\"{h}\"): the same field as column {prev}",
                sheet.file
            ));
        }
        out.push(Some(field));
    }
    out
}

/// What an import did.
#[derive(Debug, Default, PartialEq)]
pub struct Imported {
    /// Records added.
    pub added: usize,
    /// Records whose fields changed.
    pub updated: usize,
    /// Records the sheet names that were already so.
    pub unchanged: usize,
}

/// Sets `field`'s text in `lang` (a plain string stands for the tour's first language): removes
/// the language when `text` is empty. Returns whether anything changed.
fn set_lang(
    entry: &mut Map<String, Value>,
    field: &str,
    lang: &str,
    text: &str,
    lang0: &str,
) -> bool {
    let text = text.trim();
    match entry.get_mut(field) {
        Some(Value::String(s)) if lang == lang0 && s == text => false,
        Some(Value::Object(m)) if m.get(lang).and_then(Value::as_str) == Some(text) => false,
        Some(Value::Object(m)) if text.is_empty() && !m.contains_key(lang) => false,
        None if text.is_empty() => false,
        Some(v) => {
            let mut m = match std::mem::take(v) {
                Value::Object(m) => m,
                Value::String(s) if !s.is_empty() => {
                    Map::from_iter([(lang0.to_string(), Value::String(s))])
                }
                _ => Map::new(),
            };
            if text.is_empty() {
                m.remove(lang);
            } else {
                m.insert(lang.to_string(), Value::from(text));
            }
            if m.is_empty() {
                entry.remove(field);
            } else {
                *v = Value::Object(m);
            }
            true
        }
        None => {
            entry.insert(
                field.to_string(),
                Value::Object(Map::from_iter([(lang.to_string(), Value::from(text))])),
            );
            true
        }
    }
}

/// Imports `sheet` into `catalog` (the catalog file's JSON: `{"entries": […]}` or a list).
/// `exists(path)` says whether a photo is in the tour folder. Nothing changes when any row has
/// a problem; the problems name their row and column.
pub fn import(
    catalog: &mut Value,
    sheet: &Sheet,
    mapping: &BTreeMap<String, String>,
    langs: &[String],
    exists: &dyn Fn(&str) -> bool,
) -> Result<Imported, Vec<String>> {
    let lang0 = langs.first().cloned().unwrap_or_else(|| "vi".into());
    let mut problems = Vec::new();
    let cols = columns(sheet, mapping, langs, &mut problems);
    if !cols
        .iter()
        .any(|c| matches!(c, Some(Field::InventoryNumber | Field::Id)))
    {
        problems.push(format!(
            "{}: row 1: no column of inventory numbers (\"inventory_number\", \"Số hiệu\") to match the records by",
            sheet.file
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut work = catalog.clone();
    let list = match &mut work {
        Value::Array(l) => l,
        Value::Object(m) => {
            let e = m
                .entry("entries")
                .or_insert_with(|| Value::Array(Vec::new()));
            if !e.is_array() {
                return Err(vec![format!("{}: \"entries\" is not a list", sheet.file)]);
            }
            match e.as_array_mut() {
                Some(l) => l,
                None => return Err(vec!["the catalog has no list of entries".into()]),
            }
        }
        _ => return Err(vec!["the catalog is neither a list nor an object".into()]),
    };
    let mut taken: Vec<String> = list
        .iter()
        .filter_map(|e| e.get("id").and_then(Value::as_str).map(str::to_string))
        .collect();
    let mut done = Imported::default();
    let mut keys_seen: HashMap<String, usize> = HashMap::new();
    for (r, row) in sheet.rows.iter().enumerate() {
        let rownum = r + 2;
        if row
            .iter()
            .all(|c| matches!(c, Cell::Empty) || matches!(c, Cell::Text(t) if t.trim().is_empty()))
        {
            continue;
        }
        let at = |i: usize| {
            let h = match sheet.header.get(i) {
                Some(Cell::Text(t)) => t.trim().to_string(),
                _ => String::new(),
            };
            format!(
                "{}: row {rownum}, column {} (\"{h}\")",
                sheet.file,
                column_letter(i)
            )
        };
        // The row's values as text; cells that are not text are refused.
        let mut values: Vec<(Field, String, usize)> = Vec::new();
        for (i, col) in cols.iter().enumerate() {
            let Some(field) = col else { continue };
            let cell = row.get(i).cloned().unwrap_or(Cell::Empty);
            let text = match cell {
                Cell::Empty => String::new(),
                Cell::Text(t) => t,
                Cell::Number(n) => {
                    let numeric_ok = matches!(field, Field::InventoryNumber | Field::Id)
                        || matches!(field, Field::Text("period" | "dimensions", _));
                    if numeric_ok && n.fract() == 0.0 && n.abs() < 1e15 {
                        format!("{}", n as i64)
                    } else {
                        problems.push(format!(
                            "{}: is a number ({n}), not text: format the column as text",
                            at(i)
                        ));
                        continue;
                    }
                }
                Cell::Other(what) => {
                    problems.push(format!("{}: is {what}, not text", at(i)));
                    continue;
                }
            };
            values.push((field.clone(), text, i));
        }
        let get = |f: &Field| {
            values
                .iter()
                .find(|(x, _, _)| x == f)
                .map(|(_, t, i)| (t.trim().to_string(), *i))
        };
        let inv = get(&Field::InventoryNumber).filter(|(t, _)| !t.is_empty());
        let id = get(&Field::Id).filter(|(t, _)| !t.is_empty());
        let Some((match_key, key_col)) = inv.clone().or(id.clone()) else {
            let c = cols
                .iter()
                .position(|c| matches!(c, Some(Field::InventoryNumber)))
                .unwrap_or(0);
            problems.push(format!("{}: no inventory number", at(c)));
            continue;
        };
        if let Some(prev) = keys_seen.insert(match_key.clone(), rownum) {
            problems.push(format!(
                "{}: \"{match_key}\" again (it is on row {prev} too)",
                at(key_col)
            ));
            continue;
        }
        for (f, t, i) in &values {
            if let Field::Files(list) = f {
                for p in t.split(';').map(str::trim).filter(|p| !p.is_empty()) {
                    let web = p.starts_with("https://") || p.starts_with("http://");
                    if !web && !exists(p) {
                        problems.push(format!(
                            "{}: {} \"{p}\" is not in the tour folder",
                            at(*i),
                            list.word()
                        ));
                    }
                }
            }
        }
        // The record: by inventory number, else by id.
        let pos = list.iter().position(|e| match &inv {
            Some((n, _)) => e.get("inventory_number").and_then(Value::as_str) == Some(n.as_str()),
            None => false,
        });
        let pos = pos.or_else(|| {
            id.as_ref().and_then(|(i, _)| {
                list.iter()
                    .position(|e| e.get("id").and_then(Value::as_str) == Some(i.as_str()))
            })
        });
        let is_new = pos.is_none();
        if is_new {
            let title_given = values
                .iter()
                .any(|(f, t, _)| matches!(f, Field::Text("title", _)) && !t.trim().is_empty());
            if !title_given {
                problems.push(format!("{}: a new record needs a title", at(key_col)));
                continue;
            }
            let new_id = match &id {
                Some((i, _)) if !taken.contains(i) => i.clone(),
                _ => crate::editor::id_from_file(&format!("{match_key}.x"), &taken),
            };
            taken.push(new_id.clone());
            let mut m = Map::new();
            m.insert("id".into(), Value::from(new_id));
            list.push(Value::Object(m));
        }
        let index = pos.unwrap_or(list.len() - 1);
        let Some(entry) = list[index].as_object_mut() else {
            problems.push(format!(
                "{}: the record it matches is not an object",
                at(key_col)
            ));
            continue;
        };
        let mut changed = false;
        for (f, t, _) in &values {
            match f {
                Field::Id => {}
                Field::InventoryNumber => {
                    let t = t.trim();
                    if entry.get("inventory_number").and_then(Value::as_str) != Some(t)
                        && !t.is_empty()
                    {
                        entry.insert("inventory_number".into(), Value::from(t));
                        changed = true;
                    }
                }
                Field::Text(name, lang) => {
                    changed |= set_lang(entry, name, lang, t, &lang0);
                }
                Field::Files(list) => {
                    let srcs: Vec<&str> = t
                        .split(';')
                        .map(str::trim)
                        .filter(|p| !p.is_empty())
                        .collect();
                    let key = list.key();
                    let old: Vec<Value> = entry
                        .get(key)
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    let old_srcs: Vec<&str> = old
                        .iter()
                        .filter_map(|i| i.get("src").and_then(Value::as_str))
                        .collect();
                    if old_srcs == srcs {
                        continue;
                    }
                    // A file already there keeps its caption, credit and captions.
                    let items: Vec<Value> = srcs
                        .iter()
                        .map(|s| {
                            old.iter()
                                .find(|i| i.get("src").and_then(Value::as_str) == Some(s))
                                .cloned()
                                .unwrap_or_else(|| {
                                    Value::Object(Map::from_iter([(
                                        "src".to_string(),
                                        Value::from(*s),
                                    )]))
                                })
                        })
                        .collect();
                    if items.is_empty() {
                        entry.remove(key);
                    } else {
                        entry.insert(key.into(), Value::Array(items));
                    }
                    changed = true;
                }
            }
        }
        if is_new {
            done.added += 1;
        } else if changed {
            done.updated += 1;
        } else {
            done.unchanged += 1;
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    *catalog = work;
    Ok(done)
}

/// The catalog as a sheet of text: `id`, `inventory_number`, each text field that any record
/// has in each language (`title_vi`, `title_en`, …; title and description always), `photos`,
/// and `media` where a record has recordings.
/// Importing it gives the same records back.
pub fn export(catalog: &Value, langs: &[String]) -> Vec<Vec<String>> {
    let lang0 = langs.first().cloned().unwrap_or_else(|| "vi".into());
    let empty = Vec::new();
    let list = match catalog {
        Value::Array(l) => l,
        Value::Object(m) => m.get("entries").and_then(Value::as_array).unwrap_or(&empty),
        _ => &empty,
    };
    // Languages: the tour's, then any other a record uses.
    let mut all_langs: Vec<String> = langs.to_vec();
    for e in list {
        for f in TEXT_FIELDS {
            if let Some(Value::Object(m)) = e.get(f) {
                for l in m.keys() {
                    if !all_langs.contains(l) {
                        all_langs.push(l.clone());
                    }
                }
            }
        }
    }
    let text_of = |e: &Value, f: &str, l: &str| -> String {
        match e.get(f) {
            Some(Value::String(s)) if l == lang0 => s.clone(),
            Some(Value::Object(m)) => m.get(l).and_then(Value::as_str).unwrap_or("").to_string(),
            _ => String::new(),
        }
    };
    let mut cols: Vec<(&str, String)> = Vec::new();
    for f in TEXT_FIELDS {
        for l in &all_langs {
            let used = list.iter().any(|e| !text_of(e, f, l).is_empty());
            if used || (matches!(f, "title" | "description") && langs.contains(l)) {
                cols.push((f, l.clone()));
            }
        }
    }
    let mut header = vec!["id".to_string(), "inventory_number".to_string()];
    header.extend(cols.iter().map(|(f, l)| format!("{f}_{l}")));
    // Recordings only where a record has some (a photo column always).
    let srcs = |e: &Value, list: Files| -> Vec<String> {
        e.get(list.key())
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|i| i.get("src").and_then(Value::as_str).map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let lists: Vec<Files> = [Files::Photos, Files::Media]
        .into_iter()
        .filter(|&l| l == Files::Photos || list.iter().any(|e| !srcs(e, l).is_empty()))
        .collect();
    header.extend(lists.iter().map(|l| l.column().to_string()));
    let mut rows = vec![header];
    for e in list {
        let s = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let mut row = vec![s("id"), s("inventory_number")];
        row.extend(cols.iter().map(|(f, l)| text_of(e, f, l)));
        row.extend(lists.iter().map(|&l| srcs(e, l).join("; ")));
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn headers_in_any_of_the_usual_forms() {
        let langs = vec!["vi".to_string(), "en".to_string()];
        assert_eq!(
            parse_header("title_vi", &langs),
            Some(("title", Some("vi".into())))
        );
        assert_eq!(
            parse_header("Tên (vi)", &langs),
            Some(("title", Some("vi".into())))
        );
        assert_eq!(
            parse_header("Title [en]", &langs),
            Some(("title", Some("en".into())))
        );
        assert_eq!(
            parse_header("Số hiệu", &langs),
            Some(("inventory_number", None))
        );
        assert_eq!(
            parse_header("Inventory no.", &langs),
            Some(("inventory_number", None))
        );
        assert_eq!(
            parse_header("Chất liệu (en)", &langs),
            Some(("material", Some("en".into())))
        );
        assert_eq!(
            parse_header("object_type_vi", &langs),
            Some(("object_type", Some("vi".into())))
        );
        assert_eq!(parse_header("Date", &langs), Some(("period", None)));
        assert_eq!(parse_header("Ghi chú", &langs), None);
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
    }

    /// A `Video` / `Ghi âm` column gives a record its recordings: one already there keeps its
    /// captions and transcript, a missing file is named, and export writes the column back
    /// (only when a record has recordings).
    #[test]
    fn a_media_column_gives_records_their_recordings() {
        let langs = vec!["vi".to_string()];
        let mut catalog = serde_json::json!([
            {"id": "chieng", "inventory_number": "CC-1", "title": "Chiêng",
             "media": [{"src": "v/le.mp4", "captions": {"vi": "v/le.vtt"}}]}]);
        assert_eq!(
            export(&catalog, &langs)[0].last().map(String::as_str),
            Some("media")
        );
        let sheet = Sheet {
            file: "r.csv".into(),
            header: vec![text("Số hiệu"), text("Ghi âm")],
            rows: vec![vec![text("CC-1"), text("v/le.mp4; a/bai-hat.mp3")]],
        };
        let files = |p: &str| matches!(p, "v/le.mp4" | "a/bai-hat.mp3");
        import(&mut catalog, &sheet, &BTreeMap::new(), &langs, &files).unwrap();
        assert_eq!(
            catalog[0]["media"],
            serde_json::json!([
                {"src": "v/le.mp4", "captions": {"vi": "v/le.vtt"}},
                {"src": "a/bai-hat.mp3"}])
        );
        let rows = export(&catalog, &langs);
        assert_eq!(
            rows[1].last().map(String::as_str),
            Some("v/le.mp4; a/bai-hat.mp3")
        );
        let missing = Sheet {
            rows: vec![vec![text("CC-1"), text("v/none.mp4")]],
            ..sheet
        };
        let errs = import(&mut catalog, &missing, &BTreeMap::new(), &langs, &files).unwrap_err();
        assert!(
            errs.join("\n")
                .contains("recording \"v/none.mp4\" is not in the tour folder"),
            "{errs:?}"
        );
        let plain = serde_json::json!([{"id": "a", "title": "A"}]);
        assert!(!export(&plain, &langs)[0].contains(&"media".to_string()));
    }

    #[test]
    fn rows_update_by_inventory_number_and_a_bad_row_changes_nothing() {
        let langs = vec!["vi".to_string(), "en".to_string()];
        let mut catalog = serde_json::json!({"version": 1, "entries": [
            {"id": "bia", "inventory_number": "DB-1", "title": "Bia", "scene": "san", "x-k": 1}]});
        let sheet = Sheet {
            file: "r.csv".into(),
            header: vec![
                text("Số hiệu"),
                text("Tên (vi)"),
                text("Tên (en)"),
                text("Chất liệu (vi)"),
            ],
            rows: vec![
                vec![text("DB-1"), text("Bia"), text("Stele"), text("Đá")],
                vec![text("DB-2"), text("Chuông"), Cell::Empty, text("Đồng")],
            ],
        };
        let done = import(&mut catalog, &sheet, &BTreeMap::new(), &langs, &|_| true).unwrap();
        assert_eq!(
            done,
            Imported {
                added: 1,
                updated: 1,
                unchanged: 0
            }
        );
        let e = &catalog["entries"];
        assert_eq!(e[0]["id"], "bia");
        assert_eq!(
            e[0]["title"],
            serde_json::json!({"vi": "Bia", "en": "Stele"})
        );
        assert_eq!(e[0]["scene"], "san");
        assert_eq!(e[0]["x-k"], 1);
        assert_eq!(e[1]["id"], "db-2");
        let before = catalog.clone();
        let again = import(&mut catalog, &sheet, &BTreeMap::new(), &langs, &|_| true).unwrap();
        assert_eq!(again.unchanged, 2);
        assert_eq!(catalog, before);
        // Export, then import: the same records.
        let rows = export(&catalog, &langs);
        let back = Sheet {
            file: "e.csv".into(),
            header: rows[0].iter().map(|s| text(s)).collect(),
            rows: rows[1..]
                .iter()
                .map(|r| r.iter().map(|s| text(s)).collect())
                .collect(),
        };
        let mut copy = catalog.clone();
        let d = import(&mut copy, &back, &BTreeMap::new(), &langs, &|_| true).unwrap();
        assert_eq!(d.unchanged, 2);
        assert_eq!(copy, catalog);
        // A duplicate, a missing photo and a cell that is not text: each named; nothing changes.
        let bad = Sheet {
            file: "bad.csv".into(),
            header: vec![text("inventory_number"), text("title_vi"), text("photos")],
            rows: vec![
                vec![text("DB-3"), text("Trống"), text("images/a.jpg")],
                vec![text("DB-3"), text("Trống 2"), Cell::Empty],
                vec![text("DB-4"), Cell::Number(12.5), text("images/none.jpg")],
                vec![
                    text("DB-5"),
                    Cell::Other("a date (2024-01-02)".into()),
                    Cell::Empty,
                ],
            ],
        };
        let errs = import(&mut catalog, &bad, &BTreeMap::new(), &langs, &|p| {
            p == "images/a.jpg"
        })
        .unwrap_err();
        let all = errs.join("\n");
        assert!(all.contains("bad.csv: row 3, column A (\"inventory_number\"): \"DB-3\" again (it is on row 2 too)"), "{all}");
        assert!(
            all.contains("row 4, column B (\"title_vi\"): is a number (12.5), not text"),
            "{all}"
        );
        assert!(
            all.contains(
                "row 4, column C (\"photos\"): photo \"images/none.jpg\" is not in the tour folder"
            ),
            "{all}"
        );
        assert!(
            all.contains("row 5, column B (\"title_vi\"): is a date (2024-01-02), not text"),
            "{all}"
        );
        assert_eq!(catalog, before);
    }
}
