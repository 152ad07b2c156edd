// controls.js — the buttons every panorama viewer has, for disan.js: full screen, zoom in and
// out, auto-rotation, the scene list, share (Web Share where the browser has it, else the link
// copied), and the guided tours of the tour. Each press calls back into disan.js, which asks the
// engine; nothing here decides what a scene or a view is.
import { h } from './dom.js';

/**
 * `createControls({ t, wrap, base, onZoom, onAutorotate, onScene, onShare, onTour, onGyro, onSound })`
 * (`base`: the tour's URL, thumbnails are relative to it). Returns
 * `{ el, render({ scenes, current, tours, autorotate, gyro, panorama, kiosk, sound }), toast(text) }`
 * (`sound`: `Engine.sound()`; its button shows where the tour has sound).
 */
export function createControls({ t, wrap, base, onZoom, onAutorotate, onScene, onShare, onTour, onGyro, onSound }) {
  const button = (cls, onclick, symbol) => h('button', { type: 'button', class: `disan-ctl disan-ctl-${cls}`, onclick },
    h('span', { 'aria-hidden': 'true', text: symbol }));
  const fullscreen = button('fullscreen', toggleFullscreen, '⛶');
  const zoomIn = button('zoom-in', () => onZoom(+1), '+');
  const zoomOut = button('zoom-out', () => onZoom(-1), '−');
  const rotate = button('autorotate', () => onAutorotate(), '⟳');
  const share = button('share', () => onShare(), '⤴');
  // A phone drawn in SVG: an emoji would be an empty box where the device has no emoji font.
  const gyro = h('button', { type: 'button', class: 'disan-ctl disan-ctl-gyro', onclick: () => onGyro() });
  gyro.innerHTML = '<svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"><rect x="7" y="2.5" width="10" height="19" rx="2"/><path d="M11 18.5h2"/><path d="M3 9a9 9 0 0 0 0 6M21 9a9 9 0 0 1 0 6"/></svg>';
  // A speaker drawn in SVG, with waves while the sound is on.
  const sound = h('button', { type: 'button', class: 'disan-ctl disan-ctl-sound', onclick: () => onSound() });
  const speaker = (on) => `<svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M4 9h4l5-4v14l-5-4H4z"/>${on ? '<path d="M16.5 8.5a5 5 0 0 1 0 7M19 6a8.5 8.5 0 0 1 0 12"/>' : '<path d="M17 9l5 6M22 9l-5 6"/>'}</svg>`;
  // Only where a phone can report its orientation (a touch screen with DeviceOrientation).
  const canGyro = typeof window.DeviceOrientationEvent !== 'undefined' && window.matchMedia?.('(pointer: coarse)').matches;
  const scenesBtn = button('scenes', () => togglePanel(sceneList, scenesBtn), '▦');
  const toursText = h('span', { class: 'disan-ctl-text' });
  const toursBtn = button('tours', () => togglePanel(tourList, toursBtn), '▶');
  toursBtn.append(toursText);
  const sceneList = h('ul', { class: 'disan-panel disan-scene-list', hidden: true });
  const tourList = h('ul', { class: 'disan-panel disan-tour-list', hidden: true });
  const note = h('p', { class: 'disan-toast', role: 'status', hidden: true });
  const el = h('div', { class: 'disan-controls' },
    h('div', { class: 'disan-ctl-group', role: 'toolbar' }, toursBtn, scenesBtn, sound, gyro, rotate, zoomOut, zoomIn, share, fullscreen),
    sceneList, tourList, note);
  for (const b of [scenesBtn, toursBtn]) b.setAttribute('aria-expanded', 'false');
  el.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    for (const [panel, b] of [[sceneList, scenesBtn], [tourList, toursBtn]]) {
      if (!panel.hidden) { e.stopPropagation(); panel.hidden = true; b.setAttribute('aria-expanded', 'false'); b.focus(); }
    }
  });
  if (!(document.fullscreenEnabled || document.webkitFullscreenEnabled)) fullscreen.hidden = true;

  function togglePanel(panel, b) {
    const open = panel.hidden;
    sceneList.hidden = tourList.hidden = true;
    scenesBtn.setAttribute('aria-expanded', 'false');
    toursBtn.setAttribute('aria-expanded', 'false');
    panel.hidden = !open;
    b.setAttribute('aria-expanded', String(open));
    if (open) panel.querySelector('button')?.focus();
  }
  function toggleFullscreen() {
    const doc = document;
    if (doc.fullscreenElement || doc.webkitFullscreenElement) (doc.exitFullscreen || doc.webkitExitFullscreen).call(doc);
    else (wrap.requestFullscreen || wrap.webkitRequestFullscreen)?.call(wrap)?.catch?.(() => {});
  }
  let toastTimer = 0;
  function toast(text) {
    note.textContent = text;
    note.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { note.hidden = true; }, 2500);
  }
  function label(b, text) { b.setAttribute('aria-label', text); b.title = text; }

  function render({ scenes, current, tours, autorotate, gyro: gyroOn, panorama, kiosk = false, sound: soundState = null }) {
    const s = t();
    label(fullscreen, s.fullscreen); label(zoomIn, s.zoom_in); label(zoomOut, s.zoom_out);
    label(rotate, s.autorotate); label(share, s.share); label(scenesBtn, s.scenes); label(toursBtn, s.guided);
    toursText.textContent = s.guided;
    rotate.setAttribute('aria-pressed', String(!!autorotate));
    label(gyro, s.gyro);
    gyro.setAttribute('aria-pressed', String(!!gyroOn));
    gyro.hidden = !canGyro || !panorama;
    const on = soundState?.on ?? true;
    label(sound, on ? s.sound_off : s.sound_on);
    sound.setAttribute('aria-pressed', String(!on));
    if (sound.dataset.on !== String(on)) { sound.innerHTML = speaker(on); sound.dataset.on = String(on); }
    sound.hidden = !soundState?.any;
    share.hidden = kiosk; // a kiosk's visitors take nothing home from a share sheet
    scenesBtn.hidden = scenes.length < 2;
    toursBtn.hidden = tours.length === 0;
    sceneList.setAttribute('aria-label', s.scenes);
    tourList.setAttribute('aria-label', s.guided);
    sceneList.replaceChildren(...scenes.map((sc) => h('li', {}, h('button', { type: 'button', 'data-scene': sc.id,
      'aria-current': sc.id === current ? 'page' : null,
      onclick: () => { togglePanel(sceneList, scenesBtn); onScene(sc.id); } },
      sc.thumbnail ? h('img', { src: new URL(sc.thumbnail, base).href, alt: '', loading: 'lazy', width: 96, height: 54 }) : null,
      h('span', { text: sc.title || sc.id })))));
    tourList.replaceChildren(...tours.map((tr) => h('li', {}, h('button', { type: 'button', 'data-tour': tr.id,
      text: tr.title || tr.id, onclick: () => { togglePanel(tourList, toursBtn); onTour(tr.id); } }))));
  }
  return { el, render, toast };
}
