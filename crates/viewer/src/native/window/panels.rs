//! The egui panels over the view: the top bar (titles, language), loading and error messages,
//! hotspot labels, the catalog card, and the controls (edge arrows, compass, toolbar, the
//! guided-tour player, the first-use hint, the share message).

use super::accessibility::announce;
use super::inspect_panel::{draw_measurements, inspect_menu};
use super::send;
use super::{Viewer, SHARE_TOAST};
use crate::native::files::FileKind;
use disan_tour::input::{Input, Key};
use disan_tour::ui_text::text;
use disan_tour::visit::Command;
use std::time::Instant;

impl Viewer {
    pub(super) fn ui(&mut self, ctx: &egui::Context) {
        let lang = self
            .app
            .as_ref()
            .map(|a| a.visit.language().to_string())
            .unwrap_or_else(|| "vi".into());
        // Top bar: tour and scene titles, language switch.
        egui::Area::new(egui::Id::unique("topbar"))
            .fixed_pos(egui::pos2(12.0, 12.0))
            .show(ctx, |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.horizontal(|ui| {
                        if let Some(app) = &mut self.app {
                            ui.strong(app.visit.tour_title());
                            let title = app.visit.scene_title();
                            if !title.is_empty() {
                                ui.label("·");
                                ui.label(title);
                            }
                            ui.separator();
                            let langs = app.tour().languages.clone();
                            for l in langs {
                                if ui
                                    .selectable_label(app.visit.language() == l, l.to_uppercase())
                                    .clicked()
                                {
                                    send(&mut app.visit, Command::SetLanguage { lang: l.clone() });
                                }
                            }
                        } else {
                            ui.strong("Disan");
                        }
                    });
                });
            });
        let arriving = self.app.as_ref().and_then(|a| {
            let id = a.visit.arriving()?;
            let t = a.tour().scene(id)?.title.get(&lang).to_string();
            Some(if t.is_empty() { id.to_string() } else { t })
        });
        if let Some(scene) = &arriving {
            egui::Area::new(egui::Id::unique("loading"))
                .anchor(egui::Align2::CENTER_BOTTOM, [0.0, -24.0])
                .show(ctx, |ui| {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.horizontal(|ui| {
                            ui.spinner();
                            ui.label(format!("{} {scene}", text(&lang, "loading")));
                        });
                    });
                });
        }
        if let Some(err) = self.error.clone() {
            egui::Area::new(egui::Id::unique("error"))
                .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
                .show(ctx, |ui| {
                    egui::Frame::popup(ui.style())
                        .fill(egui::Color32::from_rgb(70, 20, 20))
                        .show(ui, |ui| {
                            ui.set_max_width(560.0);
                            ui.heading(text(&lang, "error"));
                            ui.label(egui::RichText::new(&err).color(egui::Color32::WHITE));
                            if self.app.is_some() && ui.button(text(&lang, "close")).clicked() {
                                self.error = None;
                            }
                        });
                });
        }
        let Some(app) = &mut self.app else { return };
        // The error of a scene whose content failed, in the scene itself.
        if let (Some(msg), None) = (app.visit.scene_error(), &self.error) {
            egui::Area::new(egui::Id::unique("scene-error"))
                .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
                .show(ctx, |ui| {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.set_max_width(560.0);
                        ui.label(egui::RichText::new(msg).color(egui::Color32::WHITE));
                    });
                });
        }
        // Hotspot labels beside the markers.
        let labels = app.visit.hotspot_labels();
        let mut activate = None;
        for item in app.visit.overlay() {
            if !item.visible {
                continue;
            }
            let Some(h) = labels.get(item.index) else {
                continue;
            };
            let pos = egui::pos2(
                item.position.x + crate::app::MARKER_RADIUS + 6.0,
                item.position.y - 12.0,
            );
            egui::Area::new(egui::Id::unique(("hotspot", item.index)))
                .fixed_pos(pos)
                .interactable(true)
                .show(ctx, |ui| {
                    let mut label = h.label.clone();
                    if item.hidden {
                        label = format!("{label} ({})", text(&lang, "hidden"));
                    }
                    let mut rich = egui::RichText::new(label);
                    if item.hidden {
                        rich = rich.color(egui::Color32::from_gray(170));
                    }
                    let b = ui.add(
                        egui::Button::new(rich)
                            .wrap_mode(egui::TextWrapMode::Extend)
                            .corner_radius(10.0),
                    );
                    if b.clicked() && !item.hidden {
                        activate = Some(item.index);
                    }
                    b.on_hover_text(&h.action);
                });
        }
        if let Some(i) = activate {
            send(&mut app.visit, Command::Activate { hotspot: i });
        }
        // Catalog card. The view frames its subject in the part the card leaves, and a touch or
        // a scroll in the card pauses a guided tour while it is read.
        let mut covered = 0.0;
        if let Some(card) = app.visit.card() {
            let mut open = true;
            let shown = egui::Window::new(card.title.clone())
                .id(egui::Id::unique("card"))
                .open(&mut open)
                .default_width(380.0)
                .anchor(egui::Align2::RIGHT_TOP, [-12.0, 12.0])
                .collapsible(false)
                .show(ctx, |ui| {
                    egui::ScrollArea::vertical()
                        .max_height(ctx.content_rect().height() - 120.0)
                        .show(ui, |ui| {
                            ui.label(&card.description);
                            ui.add_space(8.0);
                            egui::Grid::new("fields")
                                .num_columns(2)
                                .spacing([12.0, 6.0])
                                .show(ui, |ui| {
                                    for f in &card.fields {
                                        ui.strong(f.label);
                                        ui.add(egui::Label::new(&f.value).wrap());
                                        ui.end_row();
                                    }
                                });
                            // Recordings: audio plays here with its captions; video plays
                            // on the web page (no video decoder natively yet).
                            for m in &card.media {
                                ui.add_space(8.0);
                                ui.separator();
                                if !m.caption.is_empty() {
                                    ui.add(egui::Label::new(&m.caption).wrap());
                                }
                                match m.kind {
                                    disan_tour::model::MediaKind::Audio => {
                                        let on = self.card_audio.is_playing(&card.entry, &m.src);
                                        // Words: the embedded font has no ▶ / ⏸.
                                        let label = text(&lang, if on { "pause" } else { "play" });
                                        if ui.button(label).clicked() {
                                            if let Some(src) = &self.source {
                                                let read = |p: &str| {
                                                    src.read_kind(p, FileKind::Media)
                                                        .map_err(|e| format!("{p}: {}", e.reason()))
                                                };
                                                if let Some(msg) = self.card_audio.toggle(
                                                    &card.entry,
                                                    m,
                                                    &read,
                                                    &mut self.audio,
                                                ) {
                                                    self.error = Some(msg);
                                                }
                                            }
                                        }
                                        if on {
                                            let cue = self.card_audio.caption();
                                            if !cue.is_empty() {
                                                ui.add(egui::Label::new(cue).wrap());
                                            }
                                        }
                                    }
                                    disan_tour::model::MediaKind::Video => {
                                        ui.weak(text(&lang, "video_native"));
                                    }
                                }
                                if !m.transcript.is_empty() {
                                    ui.collapsing(text(&lang, "transcript"), |ui| {
                                        ui.add(egui::Label::new(&m.transcript).wrap());
                                    });
                                }
                            }
                        });
                });
            if let Some(r) = shown {
                covered = (ctx.content_rect().right() - r.response.rect.left()).max(0.0);
                let read = ctx.input(|i| {
                    i.pointer.any_pressed() || i.smooth_scroll_delta != egui::Vec2::ZERO
                });
                if read && r.response.contains_pointer() {
                    send(&mut app.visit, Command::CardTouched);
                }
            }
            if !open {
                send(&mut app.visit, Command::CloseCard);
            }
        }
        let insets = Command::SetInsets {
            top: 0.0,
            right: covered,
            bottom: 0.0,
            left: 0.0,
        };
        send(&mut app.visit, insets);
        self.controls_ui(ctx, &lang, &labels);
    }

    /// The view controls (bottom right), the compass, arrows towards hotspots outside the view,
    /// and the guided-tour player (bottom left).
    fn controls_ui(
        &mut self,
        ctx: &egui::Context,
        lang: &str,
        labels: &[disan_tour::visit::HotspotLabel],
    ) {
        let Some(app) = &mut self.app else { return };
        let mut touched = false;
        // Arrows at the edge of the view towards hotspots outside it.
        let mut look = None;
        for a in app.visit.edge_arrows() {
            let size = 40.0;
            egui::Area::new(egui::Id::unique(("edge", a.index)))
                .fixed_pos(egui::pos2(
                    a.position.x - size / 2.0,
                    a.position.y - size / 2.0,
                ))
                .show(ctx, |ui| {
                    let (rect, resp) =
                        ui.allocate_exact_size(egui::vec2(size, size), egui::Sense::click());
                    let p = ui.painter();
                    let c = rect.center();
                    let fill = if resp.hovered() { 220 } else { 150 };
                    p.circle_filled(c, size / 2.0, egui::Color32::from_black_alpha(fill));
                    let d = egui::vec2(a.angle.cos(), a.angle.sin());
                    let n = egui::vec2(-d.y, d.x);
                    let stroke = egui::Stroke::new(3.0, egui::Color32::WHITE);
                    p.line_segment([c - d * 10.0, c + d * 10.0], stroke);
                    p.line_segment([c + d * 10.0, c + d * 3.0 + n * 6.0], stroke);
                    p.line_segment([c + d * 10.0, c + d * 3.0 - n * 6.0], stroke);
                    let label = labels.get(a.index).map_or("", |l| l.label.as_str());
                    if resp
                        .on_hover_text(format!("{} {label}", text(lang, "look_at")))
                        .clicked()
                    {
                        look = Some(a.index);
                    }
                });
        }
        if let Some(i) = look {
            send(&mut app.visit, Command::LookAtHotspot { hotspot: i });
            touched = true;
        }
        // The compass of a panorama: the view's bearing; pressed, it faces north.
        if let Some(heading) = app.visit.heading() {
            egui::Area::new(egui::Id::unique("compass"))
                .anchor(egui::Align2::LEFT_TOP, [12.0, 64.0])
                .show(ctx, |ui| {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        let label = format!("N {:.0}°", heading.round() % 360.0);
                        if ui
                            .button(label)
                            .on_hover_text(text(lang, "compass"))
                            .clicked()
                        {
                            send(&mut app.visit, Command::FaceNorth);
                            touched = true;
                        }
                    });
                });
        }
        egui::Area::new(egui::Id::unique("controls"))
            .anchor(egui::Align2::RIGHT_BOTTOM, [-12.0, -12.0])
            .show(ctx, |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.horizontal(|ui| {
                        let tours = app.visit.guided_tours();
                        if !tours.is_empty() {
                            ui.menu_button(text(lang, "guided"), |ui| {
                                for (id, title) in tours {
                                    if ui
                                        .button(if title.is_empty() { &id } else { &title })
                                        .clicked()
                                    {
                                        send(
                                            &mut app.visit,
                                            Command::Play {
                                                tour: id.clone(),
                                                step: 0,
                                            },
                                        );
                                        touched = true;
                                        ui.close();
                                    }
                                }
                            });
                        }
                        if app.tour().scenes.len() > 1 {
                            ui.menu_button(text(lang, "scenes"), |ui| {
                                let scenes: Vec<(String, String, Option<String>)> = app
                                    .tour()
                                    .scenes
                                    .iter()
                                    .map(|s| {
                                        (
                                            s.id.clone(),
                                            s.title.get(lang).to_string(),
                                            s.thumbnail.clone(),
                                        )
                                    })
                                    .collect();
                                for (id, title, thumb) in scenes {
                                    let here = app.visit.current() == Some(id.as_str());
                                    let name = if title.is_empty() { id.clone() } else { title };
                                    // Its thumbnail, read and decoded the first time the list opens.
                                    let tex = thumb.and_then(|rel| {
                                        self.thumbs
                                            .entry(rel.clone())
                                            .or_insert_with(|| {
                                                let src = self.source.as_ref()?;
                                                let bytes =
                                                    src.read_kind(&rel, FileKind::Image).ok()?;
                                                let img = disan_assets::image::decode(&bytes, &rel)
                                                    .ok()?;
                                                let c = egui::ColorImage::from_rgba_unmultiplied(
                                                    [img.width as usize, img.height as usize],
                                                    &img.pixels,
                                                );
                                                Some(ui.ctx().load_texture(
                                                    rel.clone(),
                                                    c,
                                                    egui::TextureOptions::LINEAR,
                                                ))
                                            })
                                            .clone()
                                    });
                                    let clicked = match &tex {
                                        Some(t) => ui
                                            .add(
                                                egui::Button::image_and_text(
                                                    egui::Image::new(t)
                                                        .fit_to_exact_size(egui::vec2(96.0, 54.0)),
                                                    name,
                                                )
                                                .selected(here),
                                            )
                                            .clicked(),
                                        None => ui.selectable_label(here, name).clicked(),
                                    };
                                    if clicked {
                                        send(
                                            &mut app.visit,
                                            Command::Go {
                                                scene: id.clone(),
                                                view: None,
                                            },
                                        );
                                        touched = true;
                                        ui.close();
                                    }
                                }
                            });
                        }
                        if app.visit.inspectable() {
                            // A panel that stays open while the tools are set.
                            if ui
                                .selectable_label(self.inspect_open, text(lang, "inspect"))
                                .clicked()
                            {
                                self.inspect_open = !self.inspect_open;
                            }
                        }
                        let on = app.visit.autorotate().is_some() && !app.visit.attracting();
                        if ui
                            .selectable_label(on, text(lang, "autorotate"))
                            .on_hover_text(text(lang, "autorotate"))
                            .clicked()
                        {
                            self.rotation = if on {
                                0.0
                            } else {
                                self.opts
                                    .autorotate
                                    .unwrap_or(disan_tour::visit::DEFAULT_AUTOROTATE_SPEED)
                            };
                            send(
                                &mut app.visit,
                                Command::SetAutorotate {
                                    speed: (self.rotation != 0.0).then_some(self.rotation),
                                    delay: None,
                                },
                            );
                            touched = true;
                        }
                        if ui
                            .button("  -  ")
                            .on_hover_text(text(lang, "zoom_out"))
                            .clicked()
                        {
                            app.visit.input(Input::Key(Key::ZoomOut), app.visit.time());
                        }
                        if ui
                            .button("  +  ")
                            .on_hover_text(text(lang, "zoom_in"))
                            .clicked()
                        {
                            app.visit.input(Input::Key(Key::ZoomIn), app.visit.time());
                        }
                        // The one sound control, where the tour has sound.
                        if app.visit.has_sound() {
                            let on = app.visit.sound_on();
                            let label = text(lang, if on { "sound_off" } else { "sound_on" });
                            if ui
                                .selectable_label(!on, label)
                                .on_hover_text(label)
                                .clicked()
                            {
                                send(&mut app.visit, Command::SetSound { on: !on });
                                touched = true;
                            }
                        }
                        if !self.opts.kiosk && ui.button(text(lang, "fullscreen")).clicked() {
                            self.toggle_fullscreen = true;
                        }
                        // Share: the view's link on the clipboard (not on a kiosk: the visitor
                        // would have nowhere to paste it).
                        if !self.opts.kiosk && ui.button(text(lang, "share")).clicked() {
                            let link = app.visit.link().to_fragment();
                            let copied = crate::native::share_text(
                                app.tour().share_url.as_deref(),
                                self.path.as_deref(),
                                &link,
                            );
                            ui.ctx().copy_text(copied.clone());
                            self.shared = Some((copied, Instant::now()));
                            touched = true;
                        }
                    });
                });
            });
        // The guided-tour player.
        if let Some(g) = app.visit.guide() {
            let mut action: Option<&str> = None;
            let mut goto = None;
            egui::Area::new(egui::Id::unique("player"))
                .anchor(egui::Align2::LEFT_BOTTOM, [12.0, -12.0])
                .show(ctx, |ui| {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.set_max_width(420.0);
                        ui.horizontal(|ui| {
                            ui.strong(if g.title.is_empty() {
                                text(lang, "guided")
                            } else {
                                &g.title
                            });
                            let n = text(lang, "step_of")
                                .replace("{n}", &(g.step + 1).to_string())
                                .replace("{count}", &g.count.to_string());
                            ui.label(n);
                            if ui
                                .button("×")
                                .on_hover_text(text(lang, "exit_tour"))
                                .clicked()
                            {
                                action = Some("exit");
                            }
                        });
                        if !g.narration.is_empty() {
                            ui.add(egui::Label::new(&g.narration).wrap());
                        } else if g.duration.is_none() && !g.attract {
                            ui.label(text(lang, "waits"));
                        }
                        // The narration's captions, timed by its audio.
                        if self.narration.has_captions() {
                            let cue = self.narration.caption();
                            ui.add(
                                egui::Label::new(
                                    egui::RichText::new(cue)
                                        .italics()
                                        .color(egui::Color32::from_rgb(255, 236, 160)),
                                )
                                .wrap(),
                            );
                        }
                        if let Some(d) = g.duration {
                            ui.add(
                                egui::ProgressBar::new((g.elapsed / d).clamp(0.0, 1.0))
                                    .desired_height(4.0),
                            );
                        }
                        ui.horizontal(|ui| {
                            if ui
                                .add_enabled(g.step > 0, egui::Button::new(text(lang, "prev")))
                                .on_hover_text(text(lang, "prev"))
                                .clicked()
                            {
                                action = Some("prev");
                            }
                            // Noto Sans has no media symbols: the buttons say what they do.
                            let (label, what) = if g.playing {
                                (text(lang, "pause"), "pause")
                            } else if g.away {
                                (text(lang, "resume"), "resume")
                            } else {
                                (text(lang, "play"), "resume")
                            };
                            if ui.button(label).clicked() {
                                action = Some(what);
                            }
                            if ui.button(text(lang, "next")).clicked() {
                                action = Some("next");
                            }
                            ui.menu_button(text(lang, "steps"), |ui| {
                                for (i, st) in g.steps.iter().enumerate() {
                                    if ui
                                        .selectable_label(
                                            i == g.step,
                                            format!("{}. {}", i + 1, st.title),
                                        )
                                        .clicked()
                                    {
                                        goto = Some(i);
                                        ui.close();
                                    }
                                }
                            });
                        });
                    });
                });
            match action {
                Some("pause") => Some(Command::Pause),
                Some("resume") => Some(Command::Resume),
                Some("next") => Some(Command::NextStep),
                Some("prev") => Some(Command::PrevStep),
                Some("exit") => Some(Command::ExitTour),
                _ => None,
            }
            .map(|c| send(&mut app.visit, c));
            if let Some(i) = goto {
                send(&mut app.visit, Command::GotoStep { step: i });
            }
            touched |= action.is_some() || goto.is_some();
        }
        // The first-use hint, until the visitor first drags or presses a key (not while a
        // guided tour shows the way).
        if !self.hinted && app.visit.guide().is_none() && app.visit.time() < 10.0 {
            egui::Area::new(egui::Id::unique("hint"))
                .anchor(egui::Align2::CENTER_CENTER, [0.0, 120.0])
                .interactable(false)
                .show(ctx, |ui| {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.strong(text(lang, "first_hint"));
                    });
                });
        }
        if self.inspect_open && app.visit.inspectable() {
            egui::Area::new(egui::Id::unique("inspect"))
                .anchor(egui::Align2::RIGHT_BOTTOM, [-12.0, -64.0])
                .show(ctx, |ui| {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.set_max_width(300.0);
                        touched |= inspect_menu(ui, &mut app.visit, lang);
                    });
                });
        }
        // Measurements on the relic: a line between the two points and the length.
        draw_measurements(ctx, &app.visit);
        // What the share button copied, for a while (selectable: the link may be typed out).
        if let Some((copied, at)) = &self.shared {
            if at.elapsed().as_secs_f32() < SHARE_TOAST {
                egui::Area::new(egui::Id::unique("shared"))
                    .anchor(egui::Align2::RIGHT_BOTTOM, [-12.0, -64.0])
                    .show(ctx, |ui| {
                        egui::Frame::popup(ui.style()).show(ui, |ui| {
                            ui.set_max_width(520.0);
                            ui.strong(text(lang, "copied"));
                            ui.add(egui::Label::new(copied.as_str()).wrap());
                        });
                    });
            } else {
                self.shared = None;
            }
        }
        // Screen readers hear where the hotspots outside the view are, once the view rests.
        if !app.visit.needs_frame() {
            self.spoken = app.visit.offscreen_summary();
        }
        announce(ctx, "offscreen", &self.spoken);
        if touched {
            send(&mut app.visit, Command::Touch);
        }
    }
}
