//! The inspection tools' panel of an object scene (view, raking light, section plane,
//! measuring) and the measurements drawn over the relic.

use super::send;
use disan_tour::ui_text::text;
use disan_tour::visit::Command;

/// The inspection tools of an object scene (the visit keeps their state): view, raking light,
/// section plane, measuring. Returns true when something was changed.
pub(super) fn inspect_menu(
    ui: &mut egui::Ui,
    visit: &mut disan_tour::visit::Visit,
    lang: &str,
) -> bool {
    use disan_tour::inspect::{format_length, Axis, InspectView, Raking, Section};
    let ins = visit.inspection();
    let mut changed = false;
    ui.horizontal(|ui| {
        for (v, key) in [
            (InspectView::Normal, "view.normal"),
            (InspectView::Clay, "view.clay"),
            (InspectView::Normals, "view.normals"),
            (InspectView::Wireframe, "view.wireframe"),
        ] {
            if ui
                .selectable_label(ins.view == v, text(lang, key))
                .clicked()
            {
                changed |= send(visit, Command::SetInspectView { view: v });
            }
        }
    });
    ui.separator();
    let mut raking = ins.raking.is_some();
    if ui.checkbox(&mut raking, text(lang, "raking")).changed() {
        changed |= send(
            visit,
            Command::SetRaking {
                raking: raking.then(Raking::default),
            },
        );
        if !raking {
            send(visit, Command::SetLightDrag { on: false });
        }
    }
    if raking {
        ui.horizontal(|ui| {
            let mut drag = visit.light_drag();
            if ui.checkbox(&mut drag, text(lang, "move_light")).changed() {
                changed |= send(visit, Command::SetLightDrag { on: drag });
            }
            if ui.button(text(lang, "reset_light")).clicked() {
                changed |= send(visit, Command::ResetLight);
            }
        });
    }
    ui.separator();
    let mut cut = ins.section.is_some();
    if ui.checkbox(&mut cut, text(lang, "section")).changed() {
        let section = cut.then_some(Section {
            axis: Axis::Y,
            position: 0.5,
            flip: false,
        });
        changed |= send(visit, Command::SetSection { section });
    }
    if let Some(mut sec) = ins.section {
        let before = sec;
        ui.horizontal(|ui| {
            for (a, name) in [(Axis::X, "X"), (Axis::Y, "Y"), (Axis::Z, "Z")] {
                if ui.selectable_label(sec.axis == a, name).clicked() {
                    sec.axis = a;
                }
            }
            ui.checkbox(&mut sec.flip, "⇄");
        });
        ui.add(egui::Slider::new(&mut sec.position, 0.0..=1.0).show_value(false));
        if sec != before {
            changed |= send(visit, Command::SetSection { section: Some(sec) });
        }
    }
    ui.separator();
    let mut measuring = visit.measuring();
    if ui.checkbox(&mut measuring, text(lang, "measure")).changed() {
        changed |= send(visit, Command::SetMeasuring { on: measuring });
    }
    if measuring {
        ui.label(egui::RichText::new(text(lang, "measure_hint")).weak());
    }
    let (list, _) = visit.measurements();
    let mut remove = None;
    for (i, m) in list.iter().enumerate() {
        ui.horizontal(|ui| {
            ui.label(format!("{}. {}", i + 1, format_length(m.metres)));
            if ui.small_button(text(lang, "remove")).clicked() {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        changed |= send(visit, Command::RemoveMeasurement { index: i });
    }
    if ins.view != InspectView::Normal
        || ins.raking.is_some()
        || ins.section.is_some()
        || !list.is_empty()
    {
        ui.separator();
        if ui.button(text(lang, "reset_tools")).clicked() {
            send(visit, Command::ResetInspection);
            changed = true;
        }
    }
    changed
}

/// Each measurement as a line between its points with its length, and the first point of one
/// under way, over the view.
pub(super) fn draw_measurements(ctx: &egui::Context, visit: &disan_tour::visit::Visit) {
    let (list, pending) = visit.measurements();
    if list.is_empty() && pending.is_none() {
        return;
    }
    let painter = ctx.layer_painter(egui::LayerId::new(
        egui::Order::Background,
        egui::Id::unique("measurements"),
    ));
    let pos = |p: glam::Vec3| visit.project_point(p).map(|v| egui::pos2(v.x, v.y));
    let yellow = egui::Color32::from_rgb(255, 214, 64);
    for m in &list {
        let (Some(a), Some(b)) = (pos(m.a), pos(m.b)) else {
            continue;
        };
        painter.line_segment(
            [a, b],
            egui::Stroke::new(4.0, egui::Color32::from_black_alpha(160)),
        );
        painter.line_segment([a, b], egui::Stroke::new(2.0, yellow));
        for p in [a, b] {
            painter.circle_filled(p, 4.0, yellow);
        }
        let mid = a + (b - a) * 0.5;
        let label = disan_tour::inspect::format_length(m.metres);
        let galley = painter.layout_no_wrap(
            label,
            egui::FontId::proportional(15.0),
            egui::Color32::BLACK,
        );
        let rect = egui::Rect::from_center_size(mid, galley.size() + egui::vec2(10.0, 4.0));
        painter.rect_filled(rect, 4.0, yellow);
        painter.galley(
            rect.min + egui::vec2(5.0, 2.0),
            galley,
            egui::Color32::BLACK,
        );
    }
    if let Some(p) = pending.and_then(pos) {
        painter.circle_filled(p, 5.0, yellow);
    }
}
