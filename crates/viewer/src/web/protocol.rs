//! The one entry point of the page into the visit: `Engine.send(command)` takes a command of
//! `web/protocol.d.ts` (generated from `disan_tour::visit::Command`) as JSON text and answers
//! its reply (`{changed, action?}`) as JSON text. Pointer, wheel and key events, device
//! orientation samples and the per-frame calls stay direct methods, for speed.

use super::Engine;
use disan_tour::visit::{Command, Reply};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl Engine {
    /// Does what the visitor asked (see `web/protocol.d.ts`); before a tour is loaded a command
    /// does nothing. A malformed command or one the tour cannot satisfy (an unknown scene or
    /// guided tour) is an error that says so.
    pub fn send(&mut self, command: &str) -> Result<String, JsError> {
        let command = Command::from_json(command).map_err(|e| JsError::new(&e))?;
        if self.app.is_none() {
            return Ok(Reply::default().to_json());
        }
        self.act(|app| {
            let reply = app
                .visit
                .apply(command)
                .map_err(|e| JsError::new(&e.to_string()))?;
            Ok(reply.to_json())
        })
    }
}
