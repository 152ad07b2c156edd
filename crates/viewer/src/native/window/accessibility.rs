//! Accessibility: AccessKit requests from screen readers, and the polite live region that
//! reads out text (where the hotspots outside the view are).

use super::{UserEvent, Viewer};

impl From<egui_winit::accesskit_winit::Event> for UserEvent {
    fn from(e: egui_winit::accesskit_winit::Event) -> Self {
        UserEvent::Access(e)
    }
}

impl Viewer {
    /// A screen reader asked for the interface's tree, or for an action on it.
    pub(super) fn access_event(&mut self, e: egui_winit::accesskit_winit::Event) {
        use egui_winit::accesskit_winit::WindowEvent as A;
        let Some(gfx) = &mut self.gfx else { return };
        match e.window_event {
            A::InitialTreeRequested => gfx.egui_ctx.enable_accesskit(),
            A::ActionRequested(request) => {
                gfx.egui_state.on_accesskit_action_request(request);
            }
            A::AccessibilityDeactivated => gfx.egui_ctx.disable_accesskit(),
        }
        gfx.window.request_redraw();
    }
}

/// A polite live region for screen readers (AccessKit): `text` is read out when it changes.
/// Nothing is drawn; the node exists only while a screen reader listens.
pub(super) fn announce(ctx: &egui::Context, key: &str, text: &str) {
    use egui::accesskit::{Live, Role};
    ctx.accesskit_node_builder(egui::Id::unique(("disan-live", key)), |node| {
        node.set_role(Role::Status);
        node.set_live(Live::Polite);
        if text.is_empty() {
            node.clear_value();
        } else {
            node.set_value(text);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::announce;
    use egui::accesskit::{Live, Role};

    /// The live region's node in the tree a screen reader gets, after one pass.
    fn live_node(ctx: &egui::Context, text: &str) -> Option<(Role, Option<Live>, Option<String>)> {
        let mut out = ctx.run_ui(egui::RawInput::default(), |ui| {
            ui.label("Disan");
            announce(ui.ctx(), "offscreen", text);
        });
        out.textures_delta.clear();
        let update = out.platform_output.accesskit_update?;
        update.nodes.iter().find_map(|(_, n)| {
            (n.live().is_some()).then(|| (n.role(), n.live(), n.value().map(str::to_string)))
        })
    }

    #[test]
    fn screen_readers_hear_the_hotspots_outside_the_view_through_a_polite_live_region() {
        let ctx = egui::Context::default();
        // No screen reader: no tree at all.
        assert!(live_node(&ctx, "Ngoài khung nhìn: Bia, bên trái").is_none());
        ctx.enable_accesskit();
        let said = "Ngoài khung nhìn: Bia, bên trái";
        assert_eq!(
            live_node(&ctx, said),
            Some((Role::Status, Some(Live::Polite), Some(said.to_string())))
        );
        // Every hotspot in view: the region stays, empty.
        assert_eq!(
            live_node(&ctx, ""),
            Some((Role::Status, Some(Live::Polite), None))
        );
    }
}
