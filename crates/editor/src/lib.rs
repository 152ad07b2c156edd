//! The studio's edits for the web page, a wasm module of its own (`disan_editor`) that only the
//! studio loads: the core's [`disan_tour::editor::Editor`] with JSON in and out. What an edit
//! does is written once, in the core; this is its door for the page.

use disan_tour::editor::{Edit, Editor};

/// The tour being edited, driven by JSON edits (`{"type": "add_panorama", "image": …}`).
#[cfg_attr(target_arch = "wasm32", wasm_bindgen::prelude::wasm_bindgen)]
#[derive(Debug)]
pub struct StudioEditor {
    editor: Editor,
}

impl StudioEditor {
    /// Opens a tour's text (`None`: a new tour titled `title`) and its catalog file's text.
    pub fn open(
        text: Option<String>,
        catalog: Option<String>,
        title: &str,
    ) -> Result<StudioEditor, String> {
        Editor::open(text.as_deref(), catalog.as_deref(), title)
            .map(|editor| StudioEditor { editor })
            .map_err(|e| e.to_string())
    }

    /// Applies a JSON edit; returns what it made as JSON (`"san-dinh"`, `0`, `null`).
    pub fn apply_json(&mut self, edit: &str) -> Result<String, String> {
        let edit: Edit = serde_json::from_str(edit).map_err(|e| format!("not an edit: {e}"))?;
        let made = self.editor.apply(edit).map_err(|e| e.to_string())?;
        Ok(made.map_or_else(|| "null".to_string(), |v| v.to_string()))
    }

    /// The problems now, as a JSON array of strings.
    pub fn problems_json(&self) -> String {
        serde_json::Value::from(self.editor.problems()).to_string()
    }
}

#[cfg(target_arch = "wasm32")]
mod web {
    use super::StudioEditor;
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    impl StudioEditor {
        /// `new StudioEditor(text, catalog, title)`: `text` the tour's text, or null for a new
        /// tour; `catalog` its catalog file's text, or null.
        #[wasm_bindgen(constructor)]
        pub fn new(
            text: Option<String>,
            catalog: Option<String>,
            title: &str,
        ) -> Result<StudioEditor, JsError> {
            StudioEditor::open(text, catalog, title).map_err(|e| JsError::new(&e))
        }

        /// Applies an edit given as JSON; returns what it made, as JSON.
        pub fn apply(&mut self, edit: &str) -> Result<String, JsError> {
            self.apply_json(edit).map_err(|e| JsError::new(&e))
        }

        /// Undoes the last edit; false when there is none.
        pub fn undo(&mut self) -> bool {
            self.editor.undo()
        }

        /// Redoes the last undone edit; false when there is none.
        pub fn redo(&mut self) -> bool {
            self.editor.redo()
        }

        /// True when an edit can be undone.
        pub fn can_undo(&self) -> bool {
            self.editor.can_undo()
        }

        /// True when an undone edit can be redone.
        pub fn can_redo(&self) -> bool {
            self.editor.can_redo()
        }

        /// The text to save (the opened bytes when nothing changed).
        pub fn text(&self) -> String {
            self.editor.text()
        }

        /// The tour's JSON now, as text.
        pub fn json(&self) -> String {
            self.editor.json().to_string()
        }

        /// The catalog file's text to save, or undefined when there is nothing to write.
        pub fn catalog_text(&self) -> Option<String> {
            self.editor.catalog_text()
        }

        /// The catalog file's JSON now, as text (`null`: none).
        pub fn catalog_json(&self) -> String {
            self.editor.catalog_json().to_string()
        }

        /// The problems now: a JSON array of strings.
        pub fn problems(&self) -> String {
            self.problems_json()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_as_json() {
        let mut ed = StudioEditor::open(None, None, "Đình").expect("new tour");
        let made = ed
            .apply_json(r#"{"type":"add_panorama","image":"panos/sân.jpg"}"#)
            .expect("added");
        assert_eq!(made, "\"san\"");
        assert!(ed.apply_json(r#"{"type":"fly"}"#).is_err());
        assert_eq!(ed.problems_json(), "[]");
    }
}
