//! `disan catalog import | export`: a tour's catalog from and to a museum's spreadsheet (CSV,
//! XLSX, ODS in; CSV, XLSX out). The cells are read here; which column is which field, how rows
//! become records and every problem's row and column are the core's (`disan_tour::sheet`).

use anyhow::{anyhow, bail, Context, Result};
use disan_assets::path::MAX_SHEET_EXPANDED_BYTES;
use disan_files::{Folder, Output};
use disan_tour::sheet::{self, Cell, Sheet};
use disan_viewer::native::files::FileKind;
use disan_viewer::native::TourSource;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// A tour's catalog file as opened.
struct Opened {
    src: TourSource,
    /// Its name in the tour folder.
    name: String,
    /// Its JSON (a new, empty one when there is none).
    json: Value,
    /// Its text as read (None when new).
    text: Option<String>,
    /// The tour's languages.
    langs: Vec<String>,
}

fn open_catalog(tour: &Path) -> Result<Opened> {
    let src = TourSource::locate(tour);
    let t = disan_viewer::native::load_tour(&src)?;
    let name = t.catalog_path().to_string();
    let langs = t.languages.clone();
    match src.read_kind(&name, FileKind::Json) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes)
                .map_err(|_| anyhow!("{}: not UTF-8 text", src.dir.join(&name).display()))?;
            let json: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
                .with_context(|| format!("{}: not JSON", src.dir.join(&name).display()))?;
            Ok(Opened {
                src,
                name,
                json,
                text: Some(text),
                langs,
            })
        }
        Err(e) if disan_assets::check::is_not_found(&e.reason()) => Ok(Opened {
            src,
            name,
            json: serde_json::json!({"version": 1, "entries": []}),
            text: None,
            langs,
        }),
        Err(e) => Err(anyhow!("{}: {}", src.dir.join(&name).display(), e.reason())),
    }
}

/// `disan catalog import records.csv|xlsx|ods --tour DIR [--mapping map.json]`.
pub(crate) fn import(file: &Path, tour: &Path, mapping: Option<&Path>) -> Result<()> {
    let sheet = read_sheet(file)?;
    let mapping = match mapping {
        Some(m) => read_mapping(m)?,
        None => BTreeMap::new(),
    };
    let Opened {
        src,
        name,
        mut json,
        text: old_text,
        langs,
    } = open_catalog(tour)?;
    let folder =
        Folder::new(&src.dir).map_err(|e| anyhow!("{}: {}", src.dir.display(), e.reason()))?;
    let exists = |p: &str| folder.read(p, FileKind::Image).is_ok();
    let done = match sheet::import(&mut json, &sheet, &mapping, &langs, &exists) {
        Ok(d) => d,
        Err(problems) => {
            for p in &problems {
                eprintln!("{p}");
            }
            bail!(
                "{}: not imported: {} problem(s); {} is unchanged",
                file.display(),
                problems.len(),
                src.dir.join(&name).display()
            );
        }
    };
    if done.added == 0 && done.updated == 0 && old_text.is_some() {
        println!(
            "{}: {} record(s), all as they are in {}; nothing written",
            file.display(),
            done.unchanged,
            name
        );
        return Ok(());
    }
    let text = serde_json::to_string_pretty(&json)? + "\n";
    let output = Output::create(&src.dir, false)
        .map_err(|e| anyhow!("{}: {}", src.dir.display(), e.reason()))?;
    output
        .replace(&name, text.as_bytes())
        .map_err(|e| anyhow!("{}: {e}", src.dir.join(&name).display()))?;
    println!(
        "{}: {} record(s) added, {} updated, {} unchanged in {}",
        file.display(),
        done.added,
        done.updated,
        done.unchanged,
        src.dir.join(&name).display()
    );
    Ok(())
}

/// `disan catalog export records.csv|xlsx --tour DIR [--force]`.
pub(crate) fn export(file: &Path, tour: &Path, force: bool) -> Result<()> {
    let Opened { json, langs, .. } = open_catalog(tour)?;
    let rows = sheet::export(&json, &langs);
    let ext = extension(file);
    let bytes = match ext.as_str() {
        "csv" => {
            let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
            for r in &rows {
                w.write_record(r)?;
            }
            // A byte-order mark: spreadsheet programs then read the accents right.
            let mut out = "\u{feff}".as_bytes().to_vec();
            out.extend(w.into_inner().map_err(|e| anyhow!("{e}"))?);
            out
        }
        "xlsx" => {
            let mut book = rust_xlsxwriter::Workbook::new();
            let ws = book.add_worksheet();
            ws.set_name("catalog").map_err(|e| anyhow!("{e}"))?;
            let text = rust_xlsxwriter::Format::new().set_num_format("@");
            for (r, row) in rows.iter().enumerate() {
                for (c, v) in row.iter().enumerate() {
                    ws.write_string_with_format(r as u32, c as u16, v, &text)
                        .map_err(|e| anyhow!("{e}"))?;
                }
            }
            book.save_to_buffer().map_err(|e| anyhow!("{e}"))?
        }
        other => bail!(
            "{}: a catalog is exported as .csv or .xlsx, not .{other}",
            file.display()
        ),
    };
    let dir = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| anyhow!("{}: not a file name", file.display()))?;
    let output =
        Output::create(dir, force).map_err(|e| anyhow!("{}: {}", dir.display(), e.reason()))?;
    output
        .write(&name, &bytes)
        .map_err(|e| anyhow!("{}: {}", file.display(), e.reason()))?;
    println!(
        "{}: {} record(s)",
        file.display(),
        rows.len().saturating_sub(1)
    );
    Ok(())
}

fn extension(file: &Path) -> String {
    file.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// `{"columns": {"Header in the sheet": "title_vi", "Ignored": "-"}}`.
fn read_mapping(file: &Path) -> Result<BTreeMap<String, String>> {
    let (folder, name) =
        Folder::for_file(file).map_err(|e| anyhow!("{}: {}", file.display(), e.reason()))?;
    let bytes = folder
        .read(&name, FileKind::Json)
        .map_err(|e| anyhow!("{}: {}", file.display(), e.reason()))?;
    let v: Value =
        serde_json::from_slice(&bytes).with_context(|| format!("{}: not JSON", file.display()))?;
    let cols = v.get("columns").and_then(Value::as_object).ok_or_else(|| {
        anyhow!(
            "{}: wants {{\"columns\": {{\"header\": \"field_lang\", …}}}}",
            file.display()
        )
    })?;
    cols.iter()
        .map(|(k, v)| {
            v.as_str()
                .map(|s| (k.clone(), s.to_string()))
                .ok_or_else(|| anyhow!("{}: $.columns[\"{k}\"]: not text", file.display()))
        })
        .collect()
}

/// The first sheet of a CSV, XLSX or ODS file, read through the one file layer.
fn read_sheet(file: &Path) -> Result<Sheet> {
    let (folder, name) =
        Folder::for_file(file).map_err(|e| anyhow!("{}: {}", file.display(), e.reason()))?;
    let bytes = folder
        .read(&name, FileKind::Sheet)
        .map_err(|e| anyhow!("{}: {}", file.display(), e.reason()))?;
    let shown = file.display().to_string();
    let mut rows: Vec<Vec<Cell>> = match extension(file).as_str() {
        "csv" => {
            let text = std::str::from_utf8(&bytes)
                .map_err(|_| anyhow!("{shown}: not UTF-8 text (save the CSV as UTF-8)"))?;
            let text = text.trim_start_matches('\u{feff}');
            // Spreadsheets in Vietnamese and many other locales write `;` between cells.
            let first = text.lines().next().unwrap_or("");
            let delim = if first.matches(';').count() > first.matches(',').count() {
                b';'
            } else {
                b','
            };
            let mut r = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(delim)
                .from_reader(text.as_bytes());
            let mut rows = Vec::new();
            for (i, rec) in r.records().enumerate() {
                let rec = rec.map_err(|e| anyhow!("{shown}: row {}: {e}", i + 1))?;
                rows.push(
                    rec.iter()
                        .map(|c| {
                            if c.is_empty() {
                                Cell::Empty
                            } else {
                                Cell::Text(c.to_string())
                            }
                        })
                        .collect(),
                );
            }
            rows
        }
        "xlsx" | "ods" => {
            expanded_size(&bytes, &shown)?;
            use calamine::{Data, Reader};
            let cursor = std::io::Cursor::new(bytes);
            let mut book = calamine::open_workbook_auto_from_rs(cursor)
                .map_err(|e| anyhow!("{shown}: not a spreadsheet that can be read: {e}"))?;
            let range = book
                .worksheet_range_at(0)
                .ok_or_else(|| anyhow!("{shown}: has no sheet"))?
                .map_err(|e| anyhow!("{shown}: {e}"))?;
            // Rows and columns from A1, as the spreadsheet numbers them.
            let (r0, c0) = range.start().unwrap_or((0, 0));
            let mut rows = vec![Vec::new(); r0 as usize];
            for row in range.rows() {
                let mut cells = vec![Cell::Empty; c0 as usize];
                cells.extend(row.iter().map(|d| match d {
                    Data::Empty => Cell::Empty,
                    Data::String(s) => Cell::Text(s.clone()),
                    Data::Float(f) => Cell::Number(*f),
                    Data::Int(i) => Cell::Number(*i as f64),
                    Data::Bool(b) => Cell::Other(format!("true/false ({b})")),
                    Data::DateTime(d) => Cell::Other(format!("a date ({d})")),
                    Data::DateTimeIso(d) => Cell::Other(format!("a date ({d})")),
                    Data::DurationIso(d) => Cell::Other(format!("a duration ({d})")),
                    Data::Error(e) => Cell::Other(format!("an error ({e:?})")),
                    #[allow(unreachable_patterns)]
                    _ => Cell::Other("not text".into()),
                }));
                rows.push(cells);
            }
            rows
        }
        other => bail!("{shown}: records are read from .csv, .xlsx or .ods, not .{other}"),
    };
    if rows.is_empty() {
        bail!("{shown}: is empty (its first row names the columns)");
    }
    let header = rows.remove(0);
    Ok(Sheet {
        file: shown,
        header,
        rows,
    })
}

/// An XLSX or ODS is a zip: what it unpacks to is counted (by unpacking it, not by what it
/// declares) and held to the cap before the spreadsheet reader sees it.
fn expanded_size(bytes: &[u8], shown: &str) -> Result<u64> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| anyhow!("{shown}: not an XLSX or ODS file (not a zip: {e})"))?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let f = zip
            .by_index(i)
            .map_err(|e| anyhow!("{shown}: damaged ({e})"))?;
        let left = MAX_SHEET_EXPANDED_BYTES.saturating_sub(total) + 1;
        let n = std::io::copy(&mut f.take(left), &mut std::io::sink())
            .map_err(|e| anyhow!("{shown}: damaged ({e})"))?;
        total += n;
        if total > MAX_SHEET_EXPANDED_BYTES {
            bail!(
                "{shown}: unpacks to more than {} MB; not read",
                MAX_SHEET_EXPANDED_BYTES >> 20
            );
        }
    }
    Ok(total)
}
