//! Winit events and keys to the visit's input: the kiosk's exit chord, presses that restart the
//! idle timer, pointer, wheel, pinch and touch translation, and the key mapping.

use super::send;
use super::Viewer;
use disan_tour::input::{Input, Key, PointerButton};
use disan_tour::visit::Command;
use glam::Vec2;
use std::time::Instant;
use winit::event::{ElementState, MouseButton, MouseScrollDelta, TouchPhase, WindowEvent};
use winit::keyboard::{Key as WKey, ModifiersState, NamedKey};
use winit::window::Fullscreen;

/// A key chord such as `Ctrl+Alt+Q` (the kiosk's way out).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Chord {
    modifiers: ModifiersState,
    key: String,
}

impl Chord {
    pub(super) fn parse(text: &str) -> Option<Chord> {
        let mut modifiers = ModifiersState::empty();
        let mut key = None;
        for part in text.split('+').map(str::trim).filter(|p| !p.is_empty()) {
            match part.to_ascii_lowercase().as_str() {
                "ctrl" | "control" => modifiers |= ModifiersState::CONTROL,
                "alt" | "option" => modifiers |= ModifiersState::ALT,
                "shift" => modifiers |= ModifiersState::SHIFT,
                "super" | "meta" | "cmd" | "win" => modifiers |= ModifiersState::SUPER,
                k => key = Some(k.to_string()),
            }
        }
        Some(Chord {
            modifiers,
            key: key?,
        })
    }

    pub(super) fn matches(&self, modifiers: ModifiersState, key: &WKey) -> bool {
        let name = match key {
            WKey::Character(c) => c.to_lowercase(),
            WKey::Named(n) => format!("{n:?}").to_ascii_lowercase(),
            _ => return false,
        };
        modifiers == self.modifiers && name == self.key
    }
}

impl Viewer {
    fn input(&mut self, input: Input) {
        let now = self.now();
        let Some(app) = &mut self.app else { return };
        app.visit.input(input, now);
        self.pump_and_redraw();
    }

    /// Any press, even on a control, is the visitor at the kiosk: the idle timer restarts (and,
    /// outside the interface, the first-use hint goes).
    pub(super) fn note_press(&mut self, event: &WindowEvent, consumed: bool) {
        let pressed = matches!(
            event,
            WindowEvent::MouseInput {
                state: ElementState::Pressed,
                ..
            } | WindowEvent::Touch(winit::event::Touch {
                phase: TouchPhase::Started,
                ..
            }) | WindowEvent::KeyboardInput { .. }
                | WindowEvent::MouseWheel { .. }
        );
        if pressed {
            if let Some(app) = &mut self.app {
                send(&mut app.visit, Command::Touch);
            }
            if !consumed {
                self.hinted = true;
            }
        }
    }

    /// A pointer, wheel, pinch, touch or key event (not taken by the interface) as the visit's
    /// input; `scale` turns physical pixels into logical ones.
    pub(super) fn visitor_input(&mut self, event: WindowEvent, consumed: bool, scale: f32) {
        match event {
            WindowEvent::CursorMoved { position, .. } => {
                self.cursor = Vec2::new(position.x as f32, position.y as f32) / scale;
                if !consumed {
                    self.input(Input::PointerMove {
                        id: 0,
                        pos: self.cursor,
                    });
                }
            }
            WindowEvent::CursorLeft { .. } => self.input(Input::PointerCancel { id: 0 }),
            WindowEvent::MouseInput { state, button, .. } => {
                let button = match button {
                    MouseButton::Left => PointerButton::Primary,
                    MouseButton::Right => PointerButton::Secondary,
                    MouseButton::Middle => PointerButton::Middle,
                    _ => return,
                };
                match state {
                    ElementState::Pressed if !consumed => {
                        let now = Instant::now();
                        if button == PointerButton::Primary {
                            if let Some((t, p)) = self.last_click {
                                if now - t < std::time::Duration::from_millis(350)
                                    && (p - self.cursor).length() < 6.0
                                {
                                    self.input(Input::DoubleClick { pos: self.cursor });
                                }
                            }
                            self.last_click = Some((now, self.cursor));
                        }
                        self.input(Input::PointerDown {
                            id: 0,
                            pos: self.cursor,
                            button,
                        });
                    }
                    ElementState::Released => self.input(Input::PointerUp {
                        id: 0,
                        pos: self.cursor,
                    }),
                    _ => {}
                }
            }
            WindowEvent::MouseWheel { delta, .. } if !consumed => {
                let dy = match delta {
                    MouseScrollDelta::LineDelta(_, y) => -y * 60.0,
                    MouseScrollDelta::PixelDelta(p) => -p.y as f32,
                };
                self.input(Input::Wheel { delta: dy });
            }
            WindowEvent::PinchGesture { delta, .. } if !consumed => self.input(Input::Pinch {
                scale: 1.0 + delta as f32,
            }),
            WindowEvent::Touch(t) if !consumed => {
                let id = t.id + 1;
                let pos = Vec2::new(t.location.x as f32, t.location.y as f32) / scale;
                self.input(match t.phase {
                    TouchPhase::Started => Input::PointerDown {
                        id,
                        pos,
                        button: PointerButton::Primary,
                    },
                    TouchPhase::Moved => Input::PointerMove { id, pos },
                    TouchPhase::Ended => Input::PointerUp { id, pos },
                    TouchPhase::Cancelled => Input::PointerCancel { id },
                });
            }
            WindowEvent::KeyboardInput { event, .. }
                if !consumed && event.state == ElementState::Pressed =>
            {
                let key = match &event.logical_key {
                    WKey::Named(NamedKey::ArrowLeft) => Some(Key::Left),
                    WKey::Named(NamedKey::ArrowRight) => Some(Key::Right),
                    WKey::Named(NamedKey::ArrowUp) => Some(Key::Up),
                    WKey::Named(NamedKey::ArrowDown) => Some(Key::Down),
                    WKey::Named(NamedKey::Home) => Some(Key::Reset),
                    WKey::Named(NamedKey::Escape) => {
                        if let Some(app) = &mut self.app {
                            send(&mut app.visit, Command::CloseCard);
                        }
                        self.pump_and_redraw();
                        None
                    }
                    WKey::Named(NamedKey::F11) if !self.opts.kiosk => {
                        if let Some(g) = &self.gfx {
                            let fs = g.window.fullscreen().is_some();
                            g.window
                                .set_fullscreen((!fs).then_some(Fullscreen::Borderless(None)));
                        }
                        None
                    }
                    WKey::Character(c) => match c.as_str() {
                        "+" | "=" => Some(Key::ZoomIn),
                        "-" | "_" => Some(Key::ZoomOut),
                        "0" => Some(Key::Reset),
                        _ => None,
                    },
                    _ => None,
                };
                if let Some(k) = key {
                    self.input(Input::Key(k));
                }
            }
            _ => {}
        }
    }
}
