// disan.js — loads a Disan tour into a page: `Disan.mount(element, options)` and <disan-tour>.
// ES module, no dependencies. Drives the wasm `Engine` described in docs/web-engine-api.md: the
// engine decides (scenes, hotspots, card, language, errors); this file does the DOM, and
// loader.js does the fetching and decoding.

import { UI, pick } from './ui-text.js';
import { createLoader, fetchOk, fileName, withProgress } from './loader.js';
import { h } from './dom.js';
import { createPlayer } from './player.js';
import { createControls } from './controls.js';
import { createInspector } from './inspect.js';

// Per backend: the full engine, and the smaller one without object scenes (glTF) for tours of
// panoramas only.
const PKG = {
  webgpu: { full: './pkg/disan_webgpu.js', pano: './pkg/disan_webgpu_pano.js' },
  webgl2: { full: './pkg/disan_webgl.js', pano: './pkg/disan_webgl_pano.js' },
};
// The compressed-glTF decoders (Draco, meshopt, KTX2), fetched only when a model needs them.
const DECODERS = './pkg/disan_decoders.js';
const CREATE_TIMEOUT_MS = 10000;
const KEYS = { ArrowLeft: 'ArrowLeft', ArrowRight: 'ArrowRight', ArrowUp: 'ArrowUp', ArrowDown: 'ArrowDown',
  '+': '+', '=': '+', '-': '-', _: '-', '0': '0', Home: 'Home' };

const message = (e) => (e instanceof Error ? e.message : String(e));
/** The name of a language in that language ("Tiếng Việt", "English"). */
function languageName(l) {
  try { return new Intl.DisplayNames([l], { type: 'language' }).of(l) || l; } catch { return l; }
}

/** The tour text parsed (a BOM allowed), or null when it is not JSON: the engine reports why. */
function tourJson(text) {
  try { return JSON.parse(text.replace(/^\uFEFF/, '')); } catch { return null; }
}

/** True when the tour text has object scenes (then the full engine is fetched). */
function needsObjects(text) {
  const scenes = tourJson(text)?.scenes;
  return !Array.isArray(scenes) || scenes.some((s) => !s || s.kind !== 'panorama');
}

// One wasm module per package, initialised once per page; listeners get its download progress.
const packages = {};
function loadPackage(file, onProgress) {
  let pkg = packages[file];
  if (!pkg) {
    const listeners = new Set();
    const promise = (async () => {
      const glue = new URL(file, import.meta.url);
      const mod = await import(glue.href);
      const wasm = new URL(glue.pathname.replace(/\.js$/, '_bg.wasm'), glue);
      const res = withProgress(await fetchOk(wasm), (g, t) => listeners.forEach((f) => f(g, t)));
      await mod.default({ module_or_path: res });
      performance.mark('disan:wasm');
      return mod;
    })();
    pkg = packages[file] = { promise, listeners };
    promise.catch(() => { if (packages[file] === pkg) delete packages[file]; });
  }
  pkg.listeners.add(onProgress);
  const done = () => pkg.listeners.delete(onProgress);
  pkg.promise.then(done, done);
  return pkg.promise;
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
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
 * objects with derivatives show the best level that fits).
 * Events on `element`: ready, scenechange, hotspotclick, tourstep, tourpause, tourend, viewchange
 * (throttled), attract, error (CustomEvent, details in `detail`).
 */
export function mount(element, { tour = 'tour/tour.json', lang, backend = 'auto', scene: first, hash = true, autorotate = false,
  guided, kiosk = false, maxTextureSide, gpuBudget } = {}) {
  const uid = `disan-${++mounts}`;
  const started = performance.now();
  const tourUrl = new URL(tour, document.baseURI).href;
  let engine = null, destroyed = false, raf = 0, ready = false, lastError = '';
  let language = lang ?? '', scene = '', buttons = [], labels = [], labelsDirty = true, builtFor = null;
  let cardOpener = null, settleWaiters = [], sceneWaiters = [], observer = null, fromHistory = false;
  let wakeTimer = 0, lastLink = '', linkTimer = 0, viewAt = 0, playerAt = 0, rotation = autorotate || 0;
  const t = () => UI[language] ?? UI.vi; // interface strings (ui-text.js, generated from the Rust table)
  const loader = createLoader({
    base: tourUrl,
    onProgress: (file, got, total) => !destroyed && progress(file, got, total),
    onDone: () => pump(),
    decoders: () => loadPackage(DECODERS, (got, total) => !destroyed && progress('disan_decoders.wasm', got, total)),
  });

  // DOM
  let canvas = h('canvas', { class: 'disan-canvas' });
  const overlay = h('div', { class: 'disan-overlay' });
  const title = h('h2', { class: 'disan-title', 'aria-live': 'polite' });
  const langs = h('div', { class: 'disan-langs', role: 'group' });
  const bar = h('span', { class: 'disan-progress-bar' });
  const loadText = h('span', { class: 'disan-progress-text' });
  const loading = h('div', { class: 'disan-loading', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, hidden: true },
    h('span', { class: 'disan-progress' }, bar), loadText);
  const errText = h('p', { class: 'disan-error-text' });
  const errBox = h('div', { class: 'disan-error', role: 'alert', hidden: true }, errText,
    h('button', { class: 'disan-error-close', type: 'button', text: '×', onclick: () => { errBox.hidden = true; } }));
  const sceneError = h('p', { class: 'disan-scene-error', role: 'status', hidden: true });
  const card = h('section', { class: 'disan-card', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': `${uid}-card-title`, tabindex: -1, hidden: true });
  const hint = h('p', { class: 'disan-sr-only', id: `${uid}-hint` });
  const firstHint = h('p', { class: 'disan-first-hint', 'aria-hidden': 'true', hidden: true });
  // Arrows at the edge towards hotspots outside the view, and the same told to screen readers.
  const edges = h('div', { class: 'disan-edges' });
  const offscreen = h('p', { class: 'disan-sr-only', 'aria-live': 'polite' });
  const needle = h('span', { class: 'disan-needle', 'aria-hidden': 'true' }, h('span', { text: 'N' }));
  const compass = h('button', { type: 'button', class: 'disan-compass', hidden: true, onclick: () => {
    if (engine?.face_north()) { engine.touch(); requestRedraw(); }
  } }, needle);
  let arrowButtons = [], lastSummary = '', lastHeading = null;
  const wrap = h('div', { class: 'disan', tabindex: 0, role: 'region', 'aria-label': 'Disan', 'aria-describedby': `${uid}-hint` },
    canvas, overlay, edges, sceneError, h('div', { class: 'disan-bar' }, h('div', { class: 'disan-bar-start' }, title, compass), langs),
    firstHint, loading, errBox, card, hint, offscreen);
  const player = createPlayer({
    t, base: tourUrl,
    control: (what) => control(what),
    openStep: (n) => { const g = engine?.guide(); if (g) openStep(g.tour, n, g.playing); },
  });
  const controls = createControls({
    t, wrap, base: tourUrl,
    onZoom: (dir) => { if (engine?.key(dir > 0 ? '+' : '-')) { engine.touch(); requestRedraw(); } },
    onAutorotate: () => setAutorotate(rotation ? false : (autorotate || 5)),
    onScene: (id) => { engine?.touch(); goTo(id); },
    onShare: () => share(),
    onTour: (id) => play(id, 0),
    onGyro: () => toggleGyro(),
  });
  // The inspection tools (object scenes): the button joins the toolbar, the panel sits above it.
  const inspector = createInspector({
    t,
    onSet: (what, value) => {
      if (engine?.inspect(what, value ?? null)) requestRedraw();
      renderInspector();
    },
  });
  controls.el.querySelector('.disan-ctl-group')?.prepend(inspector.button);
  controls.el.prepend(inspector.panel);
  overlay.before(inspector.lines);
  wrap.append(player.el, controls.el);
  element.append(wrap);

  const emit = (type, detail) => element.dispatchEvent(new CustomEvent(type, { detail }));
  function showError(msg) {
    lastError = msg;
    console.error('[disan]', msg);
    errText.textContent = msg;
    errBox.hidden = false;
    emit('error', { message: msg });
  }
  function progress(label, got, total) {
    if (destroyed) return;
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
  const doneLoading = () => { loading.hidden = true; };

  // Frame loop: runs only while the engine asks for frames or after input.
  function requestRedraw() {
    if (!raf && engine && !destroyed) raf = requestAnimationFrame(onFrame);
  }
  function onFrame(time) {
    raf = 0;
    if (!engine || destroyed) return;
    let more = false;
    try { more = engine.frame(time); } catch (e) { showError(message(e)); }
    syncOverlay();
    followView(time);
    if (player.visible && time - playerAt > 250) { playerAt = time; player.render(engine.guide()); }
    // Measurement lines follow the camera; the panel follows clicks that measure.
    if (!inspector.button.hidden) renderInspector();
    if (!ready && engine.has_content()) {
      ready = true;
      emit('ready', { scene, backend: engine.backend(), ms: Math.round(performance.now() - started) });
    }
    // A tiled panorama asks for the tiles the new view needs while it draws; the visit's timers
    // (a guided step ending, its card, the kiosk's reset) happen inside frames too.
    fetchRequested();
    for (const e of engine.take_events()) onEvent(e);
    if (more) requestRedraw();
    else {
      // The visit may have something due by itself (auto-rotation, a step's end, a kiosk's reset).
      clearTimeout(wakeTimer);
      const wake = engine.wake_in();
      if (wake != null) wakeTimer = setTimeout(requestRedraw, Math.max(16, wake * 1000));
      followView(time, true);
      if (!loader.busy) settleWaiters.splice(0).forEach((f) => f());
    }
  }
  // The address and `viewchange` follow the view: events at most every 250 ms, the address once
  // the view rests (replaced, not pushed: Back moves between scenes, not views).
  function followView(time, rest = false) {
    if (!rest && time - viewAt < 250) return;
    viewAt = time;
    if (rest) {
      const summary = engine.offscreen_summary();
      if (summary !== lastSummary) { lastSummary = summary; offscreen.textContent = summary; }
    }
    const link = engine.link();
    if (link === lastLink) return;
    lastLink = link;
    emit('viewchange', { scene, view: engine.view() });
    if (!hash || !scene) return;
    clearTimeout(linkTimer);
    linkTimer = setTimeout(() => {
      // Only the entry of the scene on screen (Back may have moved to another meanwhile).
      if (destroyed || !engine || history.state?.disanScene !== scene) return;
      const now = engine.link();
      if (now && location.hash.slice(1) !== now) history.replaceState({ disanScene: scene }, '', `#${now}`);
    }, rest ? 0 : 400);
  }
  function fetchRequested() {
    const cancelled = engine.take_cancelled();
    if (cancelled.length) loader.cancel(cancelled);
    const requests = engine.take_requests();
    if (requests.length) loader.submit(requests);
  }

  // After anything that may have changed the visit: fetch what it asks for, drop what it no
  // longer wants, show what happened.
  function pump() {
    if (!engine || destroyed) return;
    fetchRequested();
    for (const e of engine.take_events()) onEvent(e);
    if (!loader.busy) doneLoading();
    requestRedraw();
  }
  function onEvent(e) {
    switch (e.type) {
      case 'scenechange': {
        scene = e.scene;
        labelsDirty = true;
        renderScene();
        if (hash) {
          const link = engine.link();
          // A history entry per scene, so Back and Forward move between scenes.
          if (fromHistory || !history.state?.disanScene) history.replaceState({ disanScene: scene }, '', `#${link}`);
          else if (history.state.disanScene !== scene) history.pushState({ disanScene: scene }, '', `#${link}`);
          lastLink = link;
        }
        renderControls();
        fromHistory = false;
        emit('scenechange', { scene });
        sceneWaiters.splice(0).forEach((w) => w(scene));
        syncOverlay();
        break;
      }
      case 'hotspotclick':
        emit('hotspotclick', { scene: e.scene, hotspot: e.hotspot, index: e.index, kind: e.kind, target: e.target, entry: e.entry });
        break;
      case 'cardopen': openCard(); break;
      case 'cardclose': hideCard(); break;
      case 'language': language = e.lang; renderLanguage(); break;
      case 'error': showError(e.message); sceneWaiters.splice(0).forEach((w) => w(null)); break;
      case 'tourstep':
        emit('tourstep', { tour: e.tour, step: e.step, count: e.count });
        player.render(engine.guide());
        break;
      case 'tourpause': emit('tourpause', { tour: e.tour, step: e.step }); player.render(engine.guide()); break;
      case 'tourend':
        emit('tourend', { tour: e.tour, completed: e.completed });
        player.render(null);
        break;
      case 'attract': emit('attract', { running: e.running }); renderControls(); break;
      default: break;
    }
  }

  // Hotspot buttons, rebuilt when the scene or the language changes, moved after every frame.
  function syncOverlay() {
    if (!engine) return;
    if (labelsDirty) {
      labelsDirty = false;
      // Rebuilding removes the focused button (a link followed by keyboard, a language change):
      // the focus stays in the viewer, on the same hotspot when the scene is the same.
      const focused = overlay.contains(document.activeElement) ? Number(document.activeElement.dataset.index) : null;
      const sameScene = builtFor === scene;
      builtFor = scene;
      labels = engine.hotspots();
      buttons = labels.map((l) => h('button', {
        type: 'button', class: 'disan-hotspot', 'data-hotspot-id': l.id ?? '', 'data-kind': l.kind,
        'data-index': l.index, onclick: (ev) => activate(l.index, ev.currentTarget),
      }, h('span', { class: 'disan-dot', 'aria-hidden': 'true' }), h('span', { class: 'disan-label', text: l.label })));
      buttons.forEach((b, i) => b.setAttribute('aria-label', labels[i].label ? `${labels[i].label} — ${labels[i].action}` : labels[i].action));
      overlay.replaceChildren(...buttons);
      edges.replaceChildren();
      arrowButtons = [];
      if (focused != null) {
        const again = sameScene ? buttons[focused] : null;
        (again ?? wrap).focus({ preventScroll: true });
      }
    }
    const at = engine.overlay();
    buttons.forEach((b, i) => {
      const x = at[3 * i], y = at[3 * i + 1], flags = at[3 * i + 2];
      b.hidden = !(flags & 1);
      b.style.setProperty('--x', x);
      b.style.setProperty('--y', y);
      b.classList.toggle('disan-flip', x > wrap.clientWidth - 200 && x > 200); // label on the left
      // Hidden behind the object: shown, but it takes no click and no focus.
      const behind = !!(flags & 2);
      if (b.classList.toggle('hidden-behind', behind)) {
        b.title = t().hidden;
        b.tabIndex = -1;
        b.setAttribute('aria-disabled', 'true');
      } else {
        b.removeAttribute('title');
        b.removeAttribute('tabindex');
        b.removeAttribute('aria-disabled');
      }
    });
    syncEdges();
  }
  // Edge arrows (one button per hotspot outside the view) and the compass, after every frame.
  function syncEdges() {
    const a = engine.edge_arrows();
    const shown = new Set();
    for (let k = 0; k < a.length; k += 4) {
      const i = a[k];
      shown.add(i);
      let b = arrowButtons[i];
      if (!b) {
        b = arrowButtons[i] = h('button', { type: 'button', class: 'disan-edge', onclick: () => {
          engine?.look_at_hotspot(i); engine?.touch(); requestRedraw();
        } }, h('span', { 'aria-hidden': 'true', text: '➜' }));
        edges.append(b);
      }
      const label = labels[i]?.label ?? '';
      b.setAttribute('aria-label', `${t().look_at} ${label}`);
      b.title = label;
      b.hidden = false;
      b.style.setProperty('--x', a[k + 1]);
      b.style.setProperty('--y', a[k + 2]);
      b.style.setProperty('--a', `${a[k + 3]}rad`);
    }
    arrowButtons.forEach((b, i) => { if (b && !shown.has(i)) b.hidden = true; });
    const heading = engine.heading();
    compass.hidden = heading == null;
    if (heading != null && heading !== lastHeading) {
      lastHeading = heading;
      needle.style.transform = `rotate(${-heading}deg)`;
      compass.setAttribute('aria-label', `${t().compass}: ${Math.round(heading) % 360}°`);
      compass.title = compass.getAttribute('aria-label');
    }
  }

  function activate(index, opener) {
    if (!engine) return;
    cardOpener = opener ?? null;
    engine.activate(index);
    pump();
  }

  // Catalog card (its content comes from the engine, in the visit's language).
  function openCard() {
    renderCard();
    card.hidden = false;
    wrap.classList.add('disan-card-open');
    card.querySelector('.disan-card-close')?.focus();
  }
  function renderCard() {
    const c = engine?.card();
    if (!c) return;
    const dl = h('dl', { class: 'disan-fields' });
    for (const f of c.fields) dl.append(h('dt', { text: f.label }), h('dd', { text: f.value }));
    const figures = c.images.map((img) => h('figure', {},
      h('img', { src: new URL(img.src, tourUrl).href, alt: img.alt, loading: 'lazy' }),
      img.caption ? h('figcaption', { text: img.caption }) : null));
    card.replaceChildren(
      h('button', { type: 'button', class: 'disan-card-close', 'aria-label': t().close, text: '×', onclick: closeCard }),
      h('h3', { id: `${uid}-card-title`, class: 'disan-card-title', text: c.title }),
      c.description ? h('p', { class: 'disan-card-description', text: c.description }) : null,
      dl.childElementCount ? dl : null, ...figures);
  }
  function closeCard() {
    engine?.close_card();
    pump();
  }
  function hideCard() {
    if (card.hidden) return;
    card.hidden = true;
    wrap.classList.remove('disan-card-open');
    (cardOpener?.isConnected && !cardOpener.hidden ? cardOpener : wrap).focus({ preventScroll: true });
    cardOpener = null;
  }
  // The card is modal: Tab stays inside it.
  card.addEventListener('keydown', (e) => {
    if (e.key !== 'Tab') return;
    const items = [...card.querySelectorAll('button, a[href], [tabindex]:not([tabindex="-1"])')].filter((x) => !x.hidden);
    if (!items.length) return;
    const [firstItem, last] = [items[0], items[items.length - 1]];
    if (e.shiftKey && document.activeElement === firstItem) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); firstItem.focus(); }
  });

  function setLanguage(next) {
    if (!next) return;
    language = next;
    if (engine) { engine.set_language(next); pump(); }
    renderLanguage();
  }
  function renderScene() {
    title.textContent = engine?.scene_title() ?? '';
    const err = engine?.scene_error();
    sceneError.hidden = !err;
    sceneError.textContent = err ?? '';
  }
  function renderLanguage() {
    const next = language || 'vi';
    wrap.lang = next;
    hint.textContent = t().hint;
    langs.setAttribute('aria-label', t().languages);
    errBox.querySelector('.disan-error-close').setAttribute('aria-label', t().close);
    for (const b of langs.children) b.setAttribute('aria-pressed', String(b.dataset.lang === next));
    if (engine) wrap.setAttribute('aria-label', engine.tour_title() || 'Disan');
    labelsDirty = true;
    renderScene();
    if (!card.hidden) renderCard();
    firstHint.textContent = t().first_hint;
    renderControls();
    if (engine) player.render(engine.guide());
    syncOverlay();
  }
  function renderInspector() { inspector.render(engine?.inspection() ?? null); }
  function renderControls() {
    renderInspector();
    if (!engine) return;
    controls.render({ scenes: engine.scenes(), current: scene, tours: engine.guided_tours(), autorotate: rotation,
      gyro: gyroOn, panorama: engine.heading() != null });
  }

  // Scenes.
  function goTo(id, view) {
    if (!engine || destroyed) return Promise.resolve(false);
    const done = new Promise((resolve) => sceneWaiters.push((s) => resolve(s === id)));
    try {
      engine.go(id, view?.yaw, view?.pitch, view?.fov, view?.distance);
    } catch (e) {
      showError(message(e));
      return Promise.resolve(false);
    }
    pump();
    return done;
  }
  // Back, Forward, or an address typed: the engine opens the link (its scene, view or step).
  function onHistory() {
    const link = location.hash.slice(1);
    clearTimeout(linkTimer);
    if (!engine || link === engine.link()) return; // the address names what is on screen
    fromHistory = true;
    try { engine.start_link(link); } catch (e) { showError(message(e)); }
    lastLink = link;
    pump();
  }
  function openStep(tourId, n, playing) {
    if (!engine) return false;
    try { engine.open_step(tourId, n, playing); } catch (e) { showError(message(e)); return false; }
    engine.touch();
    pump();
    player.render(engine.guide());
    return true;
  }
  function play(tourId, n = 0) { firstHint.hidden = true; return openStep(tourId, n, true); }
  /** The player's controls: pause, resume, next, prev, exit. */
  function control(what) {
    if (!engine) return;
    try { engine.guide_control(what); } catch (e) { showError(message(e)); }
    pump();
    player.render(engine.guide());
  }
  function setAutorotate(speed) {
    rotation = speed && Number.isFinite(Number(speed)) ? Number(speed) : 0;
    engine?.set_autorotate(rotation || undefined, undefined);
    renderControls();
    requestRedraw();
  }
  // The gyroscope (phones): off by default; iOS asks permission on the press that turns it on.
  let gyroOn = false;
  function onOrientation(e) {
    if (!engine || e.alpha == null) return;
    engine.device_orientation(e.alpha, e.beta ?? 0, e.gamma ?? 0, screen.orientation?.angle ?? window.orientation ?? 0);
    requestRedraw();
  }
  async function toggleGyro() {
    if (!engine) return;
    engine.touch();
    if (!gyroOn) {
      const D = window.DeviceOrientationEvent;
      try {
        if (typeof D?.requestPermission === 'function' && (await D.requestPermission()) !== 'granted') return;
      } catch { return; }
      window.addEventListener('deviceorientation', onOrientation);
    } else window.removeEventListener('deviceorientation', onOrientation);
    gyroOn = !gyroOn;
    engine.set_gyro(gyroOn);
    renderControls();
    requestRedraw();
  }
  async function share() {
    if (!engine) return;
    engine.touch();
    const url = `${location.href.split('#')[0]}#${engine.link()}`;
    try {
      if (navigator.share) { await navigator.share({ title: engine.tour_title() || document.title, url }); return; }
    } catch (e) { if (e?.name === 'AbortError') return; }
    try { await navigator.clipboard.writeText(url); controls.toast(t().copied); } catch { controls.toast(url); }
  }
  // The first-use hint: shown until the visitor first drags, presses a key or uses a control.
  let hinted = false;
  try { hinted = localStorage.getItem('disan-hinted') === '1'; } catch { /* storage off */ }
  function dismissHint() {
    if (hinted) return;
    hinted = true;
    firstHint.hidden = true;
    try { localStorage.setItem('disan-hinted', '1'); } catch { /* storage off */ }
  }

  // Input.
  function bindInput() {
    wrap.addEventListener('pointerdown', dismissHint);
    canvas.addEventListener('pointerdown', (e) => {
      try { canvas.setPointerCapture(e.pointerId); } catch { /* not an active pointer (synthetic events) */ }
      engine.pointer_down(e.pointerId, e.offsetX, e.offsetY, e.button);
      wrap.focus({ preventScroll: true });
      pump();
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!engine) return;
      engine.pointer_move(e.pointerId, e.offsetX, e.offsetY);
      requestRedraw();
    });
    canvas.addEventListener('pointerup', (e) => {
      cardOpener = null;
      engine.pointer_up(e.pointerId, e.offsetX, e.offsetY);
      pump();
    });
    canvas.addEventListener('pointercancel', (e) => { engine.pointer_cancel(e.pointerId); requestRedraw(); });
    canvas.addEventListener('wheel', (e) => {
      e.preventDefault();
      const scale = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? canvas.clientHeight : 1;
      engine.wheel(e.deltaY * scale);
      requestRedraw();
    }, { passive: false });
    canvas.addEventListener('dblclick', (e) => { engine.double_click(e.offsetX, e.offsetY); requestRedraw(); });
    observer = new ResizeObserver(resize);
    observer.observe(wrap);
  }
  function resize() {
    const w = wrap.clientWidth, hgt = wrap.clientHeight, dpr = window.devicePixelRatio || 1;
    if (!w || !hgt) return;
    // Assigning a canvas size clears it, even to the same value: only when it changes.
    const cw = Math.round(w * dpr), ch = Math.round(hgt * dpr);
    if (canvas.width !== cw) canvas.width = cw;
    if (canvas.height !== ch) canvas.height = ch;
    if (engine) { engine.resize(w, hgt, dpr); requestRedraw(); }
  }
  wrap.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !card.hidden) { e.preventDefault(); closeCard(); return; }
    const name = KEYS[e.key];
    if (!engine || !name || e.target !== wrap || e.altKey || e.ctrlKey || e.metaKey) return;
    dismissHint();
    if (engine.key(name)) { e.preventDefault(); requestRedraw(); }
  });

  async function createEngine(tourText, startLink) {
    const want = backend === 'webgl' ? 'webgl2' : backend;
    const order = want === 'webgpu' || want === 'webgl2' ? [want] : navigator.gpu ? ['webgpu', 'webgl2'] : ['webgl2'];
    const failures = [];
    let loadFailed = false, prefetched = false;
    for (const b of order) {
      if (failures.length) { // a canvas that had a context cannot get another kind: use a fresh one
        const fresh = h('canvas', { class: 'disan-canvas' });
        canvas.replaceWith(fresh);
        canvas = fresh;
        resize();
      }
      let mod;
      try {
        // Tours of panoramas only get the smaller engine; a site that ships only the full one
        // still works.
        const onProgress = (g, n) => progress(t().viewer, g, n);
        const objects = await tourText.then(needsObjects, () => true);
        if (!objects) mod = await loadPackage(PKG[b].pano, onProgress).catch(() => null);
        if (!mod) mod = await loadPackage(PKG[b].full, onProgress);
      } catch (e) { // not the browser's fault: a missing or broken package
        failures.push(`${b}: ${message(e)}`);
        console.error('[disan] cannot load the engine:', b, e);
        loadFailed = true;
        continue;
      }
      if (destroyed) return null;
      // The first scene's images download and decode while the GPU starts (the engine says which).
      if (!prefetched) {
        prefetched = true;
        tourText.then((text) => {
          for (const r of mod.first_requests(text, startLink)) {
            if (r.resource !== 'model') loader.prefetch(r.path, b === 'webgpu');
          }
        }).catch(() => {});
      }
      let timedOut = false;
      try {
        const created = mod.Engine.create(canvas, b, maxTextureSide ?? undefined);
        created.then((e) => { performance.mark('disan:gpu'); if (timedOut) e.free(); }, () => {});
        return await withTimeout(created, CREATE_TIMEOUT_MS, `Engine.create(${b})`);
      } catch (e) {
        timedOut = true;
        failures.push(`${b}: ${message(e)}`);
        console.warn('[disan] backend failed:', b, e);
      }
    }
    const headline = loadFailed ? `${UI.vi.not_loaded} / ${UI.en.not_loaded}` : `${UI.vi.no_backend} / ${UI.en.no_backend}`;
    throw new Error(`${headline}\n(${failures.join('; ')})`);
  }

  async function start() {
    resize();
    progress(t().viewer, 0, 0);
    // tour.json downloads alongside the wasm and the GPU set-up.
    const tourText = fetchOk(tourUrl).then((r) => r.text());
    tourText.catch(() => {});
    // So does the catalog, once the tour says where it is (catalog.json beside it by default).
    const catalog = tourText.then(async (text) => {
      const declared = tourJson(text)?.catalog_file;
      const url = new URL(declared || 'catalog.json', tourUrl);
      const res = await fetch(url).catch((e) => { throw new Error(`${fileName(url)}: ${message(e)}`); });
      if (res.ok) return { text: await res.text(), file: fileName(url) };
      if (declared || res.status !== 404) throw new Error(`${fileName(url)}: HTTP ${res.status}`);
      return null; // no catalog: the tour works without one
    });
    catalog.catch(() => {});
    // Where the visit starts: the address's link (scene, view, step), else the `scene` option.
    const fromHash = hash ? location.hash.slice(1) : '';
    const startLink = fromHash || (first ? new URLSearchParams({ scene: first }).toString() : '');
    try {
      engine = await createEngine(tourText, startLink);
    } catch (e) {
      doneLoading();
      wrap.classList.add('disan-failed');
      showError(message(e));
      return;
    }
    if (!engine) return;
    if (destroyed) { engine.free(); engine = null; return; }
    bindInput();
    resize();
    let text;
    try {
      progress('tour.json', 0, 0);
      text = await tourText;
      if (destroyed) return;
      if (gpuBudget) engine.set_gpu_budget(gpuBudget);
      engine.load_tour(text, fileName(tourUrl));
    } catch (e) {
      doneLoading();
      if (!destroyed) showError(message(e));
      return;
    }
    try {
      const cat = await catalog;
      if (destroyed) return;
      if (cat) engine.add_catalog(cat.text, cat.file);
    } catch (e) {
      if (destroyed) return;
      showError(message(e)); // the tour still works without its catalog
    }
    if (destroyed) return;
    const problems = engine.problems();
    if (problems.length) console.warn('[disan] tour problems:\n' + problems.join('\n'));
    const offered = engine.languages();
    if (!language || (!UI[language] && !offered.includes(language))) language = offered[0] ?? 'vi';
    for (const l of offered) {
      langs.append(h('button', { type: 'button', 'data-lang': l, text: l.toUpperCase(), lang: l,
        'aria-label': languageName(l), onclick: () => setLanguage(l) }));
    }
    langs.hidden = langs.childElementCount < 2;
    setLanguage(language);
    loader.setEngine(engine);
    if (hash) {
      window.addEventListener('popstate', onHistory);
      window.addEventListener('hashchange', onHistory);
    }
    try {
      lastLink = startLink;
      engine.start_link(startLink);
      if (kiosk) engine.set_kiosk(true);
      if (rotation) engine.set_autorotate(rotation, undefined);
      if (guided && !engine.guide()) engine.open_step(guided, 0, true);
    } catch (e) {
      doneLoading();
      showError(message(e));
      return;
    }
    renderControls();
    player.render(engine.guide());
    if (!hinted && !engine.guide()) {
      firstHint.hidden = false;
      setTimeout(() => { firstHint.hidden = true; }, 7000); // shown again next visit until used
    }
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
    getView: () => engine?.view() ?? null,
    /** Turns the view (any of yaw, pitch, fov, distance), flying there with `{animate: true}`. */
    setView(view, { animate = false } = {}) {
      if (!engine) return false;
      const ok = engine.set_view(view?.yaw, view?.pitch, view?.fov, view?.distance, !!animate);
      requestRedraw();
      return ok;
    },
    /** The guided-tour player's state, or null. */
    get guide() { return engine?.guide() ?? null; },
    /** The address fragment of the view on screen (`scene=…&yaw=…`). */
    get link() { return engine?.link() ?? ''; },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      if (raf) cancelAnimationFrame(raf);
      raf = 0;
      observer?.disconnect();
      window.removeEventListener('popstate', onHistory);
      window.removeEventListener('hashchange', onHistory);
      clearTimeout(wakeTimer);
      clearTimeout(linkTimer);
      window.removeEventListener('deviceorientation', onOrientation);
      player.stop();
      loader.destroy();
      wrap.remove();
      engine?.free();
      engine = null;
      settleWaiters.splice(0).forEach((f) => f());
      sceneWaiters.splice(0).forEach((f) => f(null));
    },
    /** Resolves once no frame is pending (the view is at rest). */
    settled: () => new Promise((resolve) => (raf || loader.busy ? settleWaiters.push(resolve) : resolve())),
    requestRedraw,
    get scene() { return scene; },
    get backend() { return engine?.backend() ?? null; },
    /** The GPU's largest texture side (after a `maxTextureSide` cap). */
    get maxTextureSide() { return engine?.max_texture_side() ?? null; },
    get language() { return language; },
    get ready() { return ready; },
    get error() { return lastError; },
    get engine() { return engine; },
    element,
  };
  renderLanguage();
  start();
  return handle;
}

// The stylesheet beside this module, added once unless the page links it already.
function addStyles() {
  const href = new URL('./disan.css', import.meta.url).href;
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
export const Disan = { mount, pick, version: '0.1.0' };
if (typeof window !== 'undefined') {
  window.Disan = Disan;
  addStyles();
  if (!customElements.get('disan-tour')) customElements.define('disan-tour', DisanTour);
}
