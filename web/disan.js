// disan.js — loads a Disan tour into a page: `Disan.mount(element, options)` and <disan-tour>.
// ES module, no dependencies. Drives the wasm `Engine` described in docs/web-engine-api.md: the
// engine decides (scenes, hotspots, card, language, errors); this file wires the parts that do
// the DOM (engine-start.js, overlay.js, card.js, address.js, input.js, player.js, controls.js,
// inspect.js) around the frame loop, and loader.js does the fetching and decoding.

import { UI, pick } from './ui-text.js';
import { createLoader } from './loader.js';
import { h } from './dom.js';
import { createPlayer } from './player.js';
import { createControls } from './controls.js';
import { createSound } from './sound.js';
import { createInspector } from './inspect.js';
import { createEngineStart, fetchTour, loadDecoders } from './engine-start.js';
import { createOverlay } from './overlay.js';
import { createCard } from './card.js';
import { createAddress } from './address.js';
import { createInput } from './input.js';
import { send, command } from './protocol.js';

const message = (e) => (e instanceof Error ? e.message : String(e));
/** The name of a language in that language ("Tiếng Việt", "English"). */
function languageName(l) {
  try { return new Intl.DisplayNames([l], { type: 'language' }).of(l) || l; } catch { return l; }
}

let mounts = 0;

/**
 * Mounts a tour into `element`. Options: `tour` (URL of tour.json), `lang`, `backend`
 * ("auto" | "webgpu" | "webgl2"), `scene` (first scene instead of the tour's), `hash` (follow and keep
 * the view in the address, `#scene=<id>&yaw=…&pitch=…&fov=…[&step=<tour>/<n>]`, with a history
 * entry per scene; default true), `autorotate` (degrees per second, after 3 s without a touch),
 * `guided` (the id of a guided tour to play at once), `kiosk` (idle reset and attract loop, as the
 * tour's `kiosk` section says), `maxTextureSide` (lower the GPU's texture limit, e.g. 4096 to
 * behave like a phone: a test hook), `gpuBudget` (megabytes of GPU memory a model may take:
 * objects with derivatives show the best level that fits), `text` (`{tour, catalog}`: the tour's
 * text instead of fetching `tour`, whose folder its files are still fetched from: the studio's
 * unsaved tour), `objects` (load the engine that shows 3D objects even when the tour has none yet).
 * Events on `element`: ready, scenechange, languagechange, hotspotclick, tourstep, tourpause, tourend, viewchange
 * (throttled), attract, error (CustomEvent, details in `detail`).
 */
export function mount(element, { tour = 'tour/tour.json', lang, backend = 'auto', scene: first, hash = true, autorotate = false,
  guided, kiosk = false, maxTextureSide, gpuBudget, text, objects = false } = {}) {
  const uid = `disan-${++mounts}`;
  const started = performance.now();
  const tourUrl = new URL(tour, document.baseURI).href;
  // What the parts share: the engine (null until it has started, and after `destroy`), whether
  // the viewer is gone, and the scene on screen. Only this function writes them.
  const state = { engine: null, destroyed: false, scene: '' };
  let raf = 0, ready = false, lastError = '', language = lang ?? '', wakeTimer = 0, playerAt = 0;
  const settleWaiters = [], sceneWaiters = [];
  let rotation = autorotate || 0;
  const t = () => UI[language] ?? UI.vi; // interface strings (ui-text.js, generated from the Rust table)
  const loader = createLoader({
    base: tourUrl,
    onProgress: (file, got, total) => !state.destroyed && progress(file, got, total),
    onDone: () => pump(),
    decoders: (name) => loadDecoders(name, (got, total) => !state.destroyed && progress(`disan_${name}.wasm`, got, total)),
  });

  // DOM: the viewer, then its parts, then the parts put in their places.
  const wrap = h('div', { class: 'disan', tabindex: 0, role: 'region', 'aria-label': 'Disan', 'aria-describedby': `${uid}-hint` });
  const title = h('h2', { class: 'disan-title', 'aria-live': 'polite' });
  const langs = h('div', { class: 'disan-langs', role: 'group' });
  const bar = h('span', { class: 'disan-progress-bar' });
  const loadText = h('span', { class: 'disan-progress-text' });
  const loading = h('div', { class: 'disan-loading', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, hidden: true },
    h('span', { class: 'disan-progress' }, bar), loadText);
  // Errors: what happened in plain words, in the visit's language; the technical account (the
  // file, what its reader found) folded away below it.
  const details = () => {
    const text = h('p', { class: 'disan-error-detail-text' });
    const summary = h('summary');
    return { el: h('details', { class: 'disan-error-detail', hidden: true }, summary, text), text, summary };
  };
  const errText = h('p', { class: 'disan-error-text' });
  const errDetail = details();
  const errBox = h('div', { class: 'disan-error', role: 'alert', hidden: true },
    h('div', { class: 'disan-error-body' }, errText, errDetail.el),
    h('button', { class: 'disan-error-close', type: 'button', text: '×', onclick: () => { errBox.hidden = true; } }));
  // A scene whose file failed: why, and the way back to the start.
  const sceneErrText = h('p', { class: 'disan-scene-error-text' });
  const sceneErrDetail = details();
  const backToStart = h('button', { type: 'button', class: 'disan-back-to-start', onclick: () => {
    const start = state.engine?.start_scene();
    if (start) { send(state.engine, command.touch()); goTo(start); }
  } });
  const sceneError = h('div', { class: 'disan-scene-error', role: 'status', hidden: true }, sceneErrText, sceneErrDetail.el, backToStart);
  const hint = h('p', { class: 'disan-sr-only', id: `${uid}-hint` });
  const starter = createEngineStart({
    state, wrap, tourUrl, backend, maxTextureSide, gpuBudget, objects, t, loader, progress, doneLoading, showError, requestRedraw,
  });
  const overlay = createOverlay({
    state, wrap, t, requestRedraw,
    onActivate: (index, opener) => {
      if (!state.engine) return;
      card.setOpener(opener ?? null);
      send(state.engine, command.activate(index));
      pump();
    },
  });
  const card = createCard({
    uid, wrap, t, base: tourUrl,
    content: () => state.engine?.card(),
    onClose: () => { if (state.engine) send(state.engine, command.closeCard()); pump(); },
    onTouch: () => { if (state.engine && send(state.engine, command.cardTouched()).changed) pump(); },
    onLayout: () => layout(),
  });
  const address = createAddress({ state, hash, emit, showError, pump, t, toast: (text) => controls.toast(text) });
  const input = createInput({
    state, wrap, t, pump, requestRedraw,
    canvas: () => starter.el,
    onResize: () => starter.resize(),
    onRelease: () => card.setOpener(null),
    onGyro: (refused) => { if (refused) controls.toast(refused); renderControls(); requestRedraw(); },
  });
  const player = createPlayer({
    t, base: tourUrl,
    control: (what) => control(what),
    openStep: (n) => { const g = state.engine?.guide(); if (g) openStep(g.tour, n, g.playing); },
  });
  const controls = createControls({
    t, wrap, base: tourUrl,
    onZoom: (dir) => { if (state.engine?.key(dir > 0 ? '+' : '-')) { send(state.engine, command.touch()); requestRedraw(); } },
    onAutorotate: () => setAutorotate(rotation ? false : (autorotate || state.engine?.default_autorotate_speed())),
    // After a choice in a list, the focus goes where the visitor goes on: the view, the player.
    onScene: (id) => { if (state.engine) send(state.engine, command.touch()); wrap.focus({ preventScroll: true }); goTo(id); },
    onShare: () => address.share(),
    onTour: (id) => { if (play(id, 0)) player.el.querySelector('.disan-player-play')?.focus({ preventScroll: true }); },
    onGyro: () => input.toggleGyro(),
    onSound: () => {
      const on = state.engine?.sound()?.on;
      if (on == null) return;
      send(state.engine, command.setSound(!on));
      syncSound();
      renderControls();
    },
  });
  const sound = createSound({ base: tourUrl, wrap });
  function syncSound() {
    sound.sync(state.engine?.sound() ?? null);
    sound.place(state.engine?.placed_sounds() ?? []);
  }
  // The inspection tools (object scenes): the button joins the toolbar, the panel sits above it.
  const inspector = createInspector({
    t,
    onSet: (what, value) => {
      if (state.engine?.inspect(what, value ?? null)) requestRedraw();
      renderInspector();
    },
  });
  controls.el.querySelector('.disan-ctl-group')?.prepend(inspector.button);
  controls.el.prepend(inspector.panel);
  wrap.append(starter.el, inspector.lines, overlay.el, overlay.edges, sceneError,
    h('div', { class: 'disan-bar' }, h('div', { class: 'disan-bar-start' }, title, overlay.compass), langs),
    input.el, loading, errBox, card.el, hint, overlay.offscreen, player.el, controls.el);
  element.append(wrap);
  // The panels over the view (the card, the player on a phone) are told to the engine, which
  // frames the subject in the rest; the card sheet sits above the player.
  let insetsSent = '';
  function layout() {
    overlay.chromeMoved();
    const box = wrap.getBoundingClientRect();
    const p = player.visible ? player.el.getBoundingClientRect() : null;
    wrap.style.setProperty('--disan-below', p ? `${Math.max(0, Math.round(box.bottom - p.top))}px` : '0px');
    // A panel as tall as the view on its right side covers that side; a panel as wide as what is
    // left covers the bottom (a sheet, the player on a phone or beside a side card).
    const insets = { top: 0, right: 0, bottom: 0, left: 0 };
    // (The inspection panel is not one: the relic stays where the tools' pictures are compared.)
    const panels = [card.hidden ? null : card.el, p ? player.el : null].map((x) => x?.getBoundingClientRect()).filter((r) => r?.width && r.height);
    for (const r of panels) {
      if (r.height >= 0.6 * box.height && r.left > box.left + box.width / 2) insets.right = Math.max(insets.right, box.right - r.left);
    }
    for (const r of panels) {
      if (r.height < 0.6 * box.height && r.width >= 0.6 * (box.width - insets.right)) insets.bottom = Math.max(insets.bottom, box.bottom - r.top);
    }
    const key = JSON.stringify(insets);
    if (!state.engine || key === insetsSent) return;
    insetsSent = key;
    if (send(state.engine, command.setInsets(insets)).changed) requestRedraw();
  }
  if (typeof ResizeObserver !== 'undefined') {
    const watch = new ResizeObserver(() => layout());
    for (const x of [wrap, card.el, player.el, controls.el, ...wrap.querySelectorAll('.disan-bar > *, .disan-panel')]) watch.observe(x);
  }

  function emit(type, detail) { element.dispatchEvent(new CustomEvent(type, { detail })); }
  /** Shows `msg` (plain words, the visitor's language) with `detail` (technical) folded below. */
  function showError(msg, detail = '') {
    lastError = detail ? `${msg} (${detail})` : msg;
    console.error('[disan]', msg, detail);
    errText.textContent = msg;
    errDetail.text.textContent = detail;
    errDetail.el.hidden = !detail;
    errBox.hidden = false;
    emit('error', { message: msg, detail });
  }
  /** A failure whose own text is technical (a thrown error): said in plain words, kept below. */
  function fail(e) { showError(t().error, message(e)); }
  function progress(label, got, total) {
    if (state.destroyed) return;
    loading.hidden = false;
    const pct = total ? Math.min(100, Math.round((100 * got) / total)) : null;
    const size = (n) => (n < 1048576 ? `${Math.ceil(n / 1024)} KB` : `${(n / 1048576).toFixed(1)} MB`);
    const text = `${t().loading} ${label}${pct == null ? '' : ` — ${pct}%`}${got ? ` (${size(got)}${total ? ` / ${size(total)}` : ''})` : ''}`;
    loadText.textContent = text;
    loading.setAttribute('aria-label', t().loading);
    loading.setAttribute('aria-valuetext', text);
    if (pct == null) loading.removeAttribute('aria-valuenow'); else loading.setAttribute('aria-valuenow', pct);
    loading.classList.toggle('disan-indeterminate', pct == null);
    bar.style.width = `${pct ?? 100}%`;
  }
  function doneLoading() { loading.hidden = true; }

  // Frame loop: runs only while the engine asks for frames or after input.
  function requestRedraw() {
    if (!raf && state.engine && !state.destroyed) raf = requestAnimationFrame(onFrame);
  }
  function onFrame(time) {
    raf = 0;
    if (!state.engine || state.destroyed) return;
    let more = false;
    try { more = state.engine.frame(time); } catch (e) { fail(e); }
    overlay.render();
    address.render(time);
    sound.place(state.engine.placed_sounds());
    if (player.visible && time - playerAt > 250) { playerAt = time; player.render(state.engine.guide()); }
    // Measurement lines follow the camera; the panel follows clicks that measure.
    if (!inspector.button.hidden) renderInspector();
    if (!ready && state.engine.has_content()) {
      ready = true;
      emit('ready', { scene: state.scene, backend: state.engine.backend(), ms: Math.round(performance.now() - started) });
    }
    // A tiled panorama asks for the tiles the new view needs while it draws; the visit's timers
    // (a guided step ending, its card, the kiosk's reset) happen inside frames too.
    fetchRequested();
    for (const e of state.engine.take_events()) onEvent(e);
    if (more) requestRedraw();
    else {
      // The visit may have something due by itself (auto-rotation, a step's end, a kiosk's reset).
      clearTimeout(wakeTimer);
      const wake = state.engine.wake_in();
      if (wake != null) wakeTimer = setTimeout(requestRedraw, Math.max(16, wake * 1000));
      overlay.tellOffscreen();
      address.render(time, true);
      if (!loader.busy) settleWaiters.splice(0).forEach((f) => f());
    }
  }
  function fetchRequested() {
    const cancelled = state.engine.take_cancelled();
    if (cancelled.length) loader.cancel(cancelled);
    const requests = state.engine.take_requests();
    if (requests.length) loader.submit(requests);
  }

  // After anything that may have changed the visit: fetch what it asks for, drop what it no
  // longer wants, show what happened.
  function pump() {
    if (!state.engine || state.destroyed) return;
    fetchRequested();
    for (const e of state.engine.take_events()) onEvent(e);
    if (!loader.busy) doneLoading();
    requestRedraw();
  }
  function onEvent(e) {
    switch (e.type) {
      case 'scenechange': {
        state.scene = e.scene;
        overlay.invalidate();
        renderScene();
        address.sceneChanged();
        renderControls();
        syncSound();
        emit('scenechange', { scene: state.scene });
        sceneWaiters.splice(0).forEach((w) => w(state.scene));
        overlay.render();
        break;
      }
      case 'hotspotclick':
        emit('hotspotclick', { scene: e.scene, hotspot: e.hotspot, index: e.index, kind: e.kind, target: e.target, entry: e.entry });
        break;
      case 'cardopen': card.open(); break;
      case 'cardclose': card.hide(); break;
      case 'language': language = e.lang; renderLanguage(); break;
      case 'error': showError(e.message, e.detail); sceneWaiters.splice(0).forEach((w) => w(null)); break;
      case 'tourstep':
        emit('tourstep', { tour: e.tour, step: e.step, count: e.count });
        player.render(state.engine.guide());
        layout();
        break;
      case 'tourpause': emit('tourpause', { tour: e.tour, step: e.step }); player.render(state.engine.guide()); break;
      case 'tourend':
        emit('tourend', { tour: e.tour, completed: e.completed });
        player.render(null);
        if (e.completed) controls.toast(t().tour_end);
        layout();
        break;
      case 'attract': emit('attract', { running: e.running }); renderControls(); break;
      default: break;
    }
  }

  function setLanguage(next) {
    if (!next) return;
    language = next;
    if (state.engine) { send(state.engine, command.setLanguage(next)); pump(); }
    renderLanguage();
    emit('languagechange', { lang: language });
  }
  function renderScene() {
    title.textContent = state.engine?.scene_title() ?? '';
    const err = state.engine?.scene_error();
    sceneError.hidden = !err;
    sceneErrText.textContent = err ?? '';
    const detail = state.engine?.scene_error_detail() ?? '';
    sceneErrDetail.text.textContent = detail;
    sceneErrDetail.el.hidden = !detail;
    sceneErrDetail.summary.textContent = errDetail.summary.textContent = t().details;
    backToStart.textContent = t().back_to_start;
    backToStart.hidden = !err || state.engine?.start_scene() === state.scene;
  }
  function renderLanguage() {
    const next = language || 'vi';
    wrap.lang = next;
    hint.textContent = t().hint;
    langs.setAttribute('aria-label', t().languages);
    errBox.querySelector('.disan-error-close').setAttribute('aria-label', t().close);
    for (const b of langs.children) b.setAttribute('aria-pressed', String(b.dataset.lang === next));
    if (state.engine) wrap.setAttribute('aria-label', state.engine.tour_title() || 'Disan');
    overlay.invalidate();
    renderScene();
    card.render();
    input.render();
    renderControls();
    if (state.engine) player.render(state.engine.guide());
    overlay.render();
  }
  function renderInspector() { inspector.render(state.engine?.inspection() ?? null); }
  function renderControls() {
    renderInspector();
    if (!state.engine) return;
    controls.render({ scenes: state.engine.scenes(), current: state.scene, tours: state.engine.guided_tours(), autorotate: rotation,
      gyro: input.gyro, panorama: state.engine.heading() != null, kiosk, sound: state.engine.sound() });
  }

  // Scenes and guided tours.
  function goTo(id, view) {
    if (!state.engine || state.destroyed) return Promise.resolve(false);
    const done = new Promise((resolve) => sceneWaiters.push((s) => resolve(s === id)));
    try {
      state.engine.go(id, view?.yaw, view?.pitch, view?.fov, view?.distance);
    } catch (e) {
      fail(e);
      return Promise.resolve(false);
    }
    pump();
    return done;
  }
  function openStep(tourId, n, playing) {
    if (!state.engine) return false;
    try { state.engine.open_step(tourId, n, playing); } catch (e) { fail(e); return false; }
    send(state.engine, command.touch());
    pump();
    player.render(state.engine.guide());
    return true;
  }
  function play(tourId, n = 0) { input.hideHint(); return openStep(tourId, n, true); }
  /** The player's controls: pause, resume, next, prev, exit. */
  function control(what) {
    if (!state.engine) return;
    if (what === 'exit' && player.el.contains(document.activeElement)) wrap.focus({ preventScroll: true });
    try { send(state.engine, command.guide(what)); send(state.engine, command.touch()); } catch (e) { fail(e); }
    pump();
    player.render(state.engine.guide());
  }
  function setAutorotate(speed) {
    rotation = speed && Number.isFinite(Number(speed)) ? Number(speed) : 0;
    if (state.engine) send(state.engine, command.setAutorotate(rotation || undefined));
    renderControls();
    requestRedraw();
  }

  // The start: the engine (engine-start.js), then the visit's languages, address and options.
  async function start() {
    starter.resize();
    progress(t().viewer, 0, 0);
    // The tour's text given (the studio's tour before its first save), or its file fetched
    // alongside the wasm and the GPU set-up; its pictures and models are fetched beside `tour`.
    const files = text ? { tourText: Promise.resolve(text.tour), catalog: Promise.resolve(text.catalog ? { text: text.catalog, file: 'catalog.json' } : null) }
      : fetchTour(tourUrl);
    // The tour's title from the first moment its file is here, while the engine still loads.
    files.tourText.then((text) => {
      let name = null;
      try { name = JSON.parse(text.replace(/^\uFEFF/, '')).title; } catch { /* the engine says why */ }
      if (name && !title.textContent) title.textContent = typeof name === 'string' ? name : pick(name, language || 'vi');
    }, () => {});
    const startLink = address.startLink(first);
    const loaded = await starter.start(files, startLink, (engine) => {
      state.engine = engine;
      input.bind();
      starter.resize();
    });
    if (!loaded || state.destroyed) return;
    const offered = state.engine.languages();
    if (!language || (!UI[language] && !offered.includes(language))) language = offered[0] ?? 'vi';
    for (const l of offered) {
      langs.append(h('button', { type: 'button', 'data-lang': l, text: l.toUpperCase(), lang: l,
        'aria-label': languageName(l), onclick: () => setLanguage(l) }));
    }
    langs.hidden = langs.childElementCount < 2;
    setLanguage(language);
    loader.setEngine(state.engine);
    address.listen();
    try {
      address.start(startLink);
      if (kiosk) state.engine.set_kiosk(true);
      if (rotation) send(state.engine, command.setAutorotate(rotation));
      if (guided && !state.engine.guide()) state.engine.open_step(guided, 0, true);
    } catch (e) {
      doneLoading();
      fail(e);
      return;
    }
    renderControls();
    player.render(state.engine.guide());
    if (!input.hinted && !state.engine.guide()) input.showHint();
    pump();
  }

  const handle = {
    goTo: (id, view) => goTo(id, view),
    setLanguage,
    /** Plays guided tour `tourId` from step `step` (from 0). */
    play: (tourId, step = 0) => play(tourId, step),
    pause: () => control('pause'),
    resume: () => control('resume'),
    next: () => control('next'),
    prev: () => control('prev'),
    exitTour: () => control('exit'),
    /** Auto-rotation at `speed` degrees per second (after 3 s without a touch), or `false`. */
    setAutorotate,
    /** `{yaw, pitch, fov}` (panoramas) or `{yaw, pitch, distance, target}` (objects), or null. */
    getView: () => state.engine?.view() ?? null,
    /** Turns the view (any of yaw, pitch, fov, distance), flying there with `{animate: true}`. */
    setView(view, { animate = false } = {}) {
      if (!state.engine) return false;
      const ok = state.engine.set_view(view?.yaw, view?.pitch, view?.fov, view?.distance, !!animate);
      requestRedraw();
      return ok;
    },
    /**
     * Shows an edited tour (its text, and its catalog file's text or null) without starting
     * again: the scene on screen stays at its view unless its picture or model changed.
     */
    updateTour(tourText, catalogText) {
      if (!state.engine) return false;
      let stayed = false;
      try { stayed = state.engine.update_tour(tourText, catalogText ?? undefined, 'tour.json'); } catch (e) { fail(e); return false; }
      title.textContent = '';
      overlay.invalidate();
      renderLanguage();
      if (!stayed) card.hide();
      pump();
      return stayed;
    },
    /** Where a hotspot clicked at (x, y) of the view would sit (`{yaw, pitch}` or `{position, normal}`), or null. */
    pointAt: (x, y) => state.engine?.point_at(x, y) ?? null,
    /** The guided-tour player's state, or null. */
    get guide() { return state.engine?.guide() ?? null; },
    /** The visit's sound: `{ on, src, playing, gain, unlocked }` (the ambient track now). */
    get sound() { return { on: state.engine?.sound()?.on ?? true, ...sound.state }; },
    /** The address fragment of the view on screen (`scene=…&yaw=…`). */
    get link() { return state.engine?.link() ?? ''; },
    destroy() {
      if (state.destroyed) return;
      state.destroyed = true;
      if (raf) cancelAnimationFrame(raf);
      raf = 0;
      input.stop();
      address.stop();
      clearTimeout(wakeTimer);
      player.stop();
      sound.stop();
      loader.destroy();
      wrap.remove();
      state.engine?.free();
      state.engine = null;
      settleWaiters.splice(0).forEach((f) => f());
      sceneWaiters.splice(0).forEach((f) => f(null));
    },
    /** Resolves once no frame is pending (the view is at rest). */
    settled: () => new Promise((resolve) => (raf || loader.busy ? settleWaiters.push(resolve) : resolve())),
    requestRedraw,
    get scene() { return state.scene; },
    get backend() { return state.engine?.backend() ?? null; },
    /** The GPU's largest texture side (after a `maxTextureSide` cap). */
    get maxTextureSide() { return state.engine?.max_texture_side() ?? null; },
    get language() { return language; },
    get ready() { return ready; },
    get error() { return lastError; },
    get engine() { return state.engine; },
    element,
  };
  renderLanguage();
  start();
  return handle;
}

// The stylesheet beside this module, added once unless the page links it already or carries it
// inline (`<style data-disan-css>`: a tour published as one file).
function addStyles() {
  const href = new URL('./disan.css', import.meta.url).href;
  if (document.querySelector('style[data-disan-css]')) return;
  if ([...document.querySelectorAll('link[rel=stylesheet]')].some((l) => l.href === href)) return;
  document.head.append(h('link', { rel: 'stylesheet', href }));
}

/**
 * `<disan-tour src="tour/tour.json" lang="vi" backend="auto" scene="id" hash autorotate="5"
 * tour="guided-id" kiosk>`; `.handle` once connected.
 */
class DisanTour extends HTMLElement {
  static observedAttributes = ['src', 'backend', 'lang', 'scene', 'autorotate'];
  connectedCallback() {
    if (this.handle) return;
    this.handle = mount(this, {
      tour: this.getAttribute('src') || 'tour/tour.json',
      lang: this.getAttribute('lang') || undefined,
      backend: this.getAttribute('backend') || 'auto',
      scene: this.getAttribute('scene') || undefined,
      hash: this.hasAttribute('hash'),
      autorotate: this.hasAttribute('autorotate') ? (Number(this.getAttribute('autorotate')) || 5) : false,
      guided: this.getAttribute('tour') || undefined,
      kiosk: this.hasAttribute('kiosk'),
      maxTextureSide: Number(this.getAttribute('max-texture-side')) || undefined,
      gpuBudget: Number(this.getAttribute('gpu-budget')) || undefined,
    });
  }
  disconnectedCallback() {
    this.handle?.destroy();
    this.handle = null;
  }
  attributeChangedCallback(name, old, value) {
    if (!this.handle || old === value) return;
    if (name === 'lang') { if (value) this.handle.setLanguage(value); return; }
    if (name === 'autorotate') { this.handle.setAutorotate(value == null ? false : (Number(value) || 5)); return; }
    this.disconnectedCallback();
    this.connectedCallback();
  }
}

export { pick };
// For the studio page (studio.js): the DOM helper and the interface strings it shares.
export { h } from './dom.js';
export { UI } from './ui-text.js';
export const Disan = { mount, pick, version: '0.1.0' };
if (typeof window !== 'undefined') {
  window.Disan = Disan;
  addStyles();
  if (!customElements.get('disan-tour')) customElements.define('disan-tour', DisanTour);
}
