// disan.js — loads a Disan tour into a page: `Disan.mount(element, options)` and <disan-tour>.
// ES module, no dependencies. Drives the wasm `Engine` described in docs/web-engine-api.md.

const PKG = { webgpu: './pkg/disan_webgpu.js', webgl2: './pkg/disan_webgl.js' };
const CREATE_TIMEOUT_MS = 10000;

const UI = {
  vi: {
    loading: 'Đang tải', viewer: 'bộ máy hiển thị', close: 'Đóng', info: 'mở thông tin', goTo: 'đi tới',
    behind: '(bị hiện vật che khuất)', languages: 'Ngôn ngữ', hint: 'Kéo hoặc dùng phím mũi tên để nhìn quanh, + và − để phóng to, thu nhỏ.',
    noBackend: 'Trình duyệt này không hỗ trợ WebGPU hay WebGL2.',
    fields: { inventory_number: 'Số hiệu', object_type: 'Loại hiện vật', period: 'Niên đại', material: 'Chất liệu',
      dimensions: 'Kích thước', place_of_origin: 'Xuất xứ', heritage_designation: 'Xếp hạng di sản',
      current_location: 'Nơi lưu giữ', rights: 'Bản quyền', credits: 'Ghi công' },
  },
  en: {
    loading: 'Loading', viewer: 'the viewer', close: 'Close', info: 'opens information', goTo: 'go to',
    behind: '(hidden behind the object)', languages: 'Language', hint: 'Drag or use the arrow keys to look around, + and − to zoom.',
    noBackend: 'This browser supports neither WebGPU nor WebGL2.',
    fields: { inventory_number: 'Inventory number', object_type: 'Object type', period: 'Period', material: 'Material',
      dimensions: 'Dimensions', place_of_origin: 'Place of origin', heritage_designation: 'Heritage designation',
      current_location: 'Current location', rights: 'Rights', credits: 'Credits' },
  },
};
const FIELDS = Object.keys(UI.en.fields);
const KEYS = { ArrowLeft: 'ArrowLeft', ArrowRight: 'ArrowRight', ArrowUp: 'ArrowUp', ArrowDown: 'ArrowDown',
  '+': '+', '=': '+', '-': '-', _: '-', '0': '0' };

/** Text of a language map (`{"vi": …, "en": …}` or a plain string) in `lang`, else vi, en, any. */
export function pick(text, lang) {
  if (text == null || typeof text !== 'object') return text == null ? '' : String(text);
  return text[lang] ?? text.vi ?? text.en ?? text.und ?? Object.values(text)[0] ?? '';
}

const message = (e) => (e instanceof Error ? e.message : String(e));
const fileName = (url) => decodeURIComponent(new URL(url).pathname.split('/').pop() || String(url));

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  el.append(...children.filter((c) => c != null));
  return el;
}

/** A Response whose body reports `(bytesSoFar, total)` while it is read. */
function withProgress(res, onProgress) {
  const total = Number(res.headers.get('Content-Length')) || 0;
  if (!res.body || !onProgress) return res;
  let got = 0;
  const counted = res.body.pipeThrough(new TransformStream({
    transform(chunk, ctl) { got += chunk.byteLength; onProgress(got, total); ctl.enqueue(chunk); },
  }));
  return new Response(counted, { status: res.status, statusText: res.statusText, headers: res.headers });
}

async function fetchOk(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${fileName(url)}: HTTP ${res.status} ${res.statusText}`.trim());
  return res;
}

async function fetchBytes(url, onProgress) {
  const res = withProgress(await fetchOk(url), onProgress);
  return new Uint8Array(await res.arrayBuffer());
}

/** Chromium's WebGPU cannot always copy an ImageBitmap into a texture (it fails under
 *  SwiftShader), so the WebGPU build gets the browser-decoded pixels as ImageData instead;
 *  the WebGL2 build takes the bitmap as it is. */
function forEngine(engine, bitmap) {
  if (!(bitmap instanceof ImageBitmap) || engine.backend() !== 'webgpu') return bitmap;
  return toImageData(bitmap);
}

/** The pixels of a decoded image (closes the bitmap). */
function toImageData(bitmap) {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const g = canvas.getContext('2d', { willReadFrequently: true });
  g.drawImage(bitmap, 0, 0);
  const data = g.getImageData(0, 0, bitmap.width, bitmap.height);
  bitmap.close();
  return data;
}

async function decodeImage(blob, url) {
  try {
    return await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch (e) {
    throw new Error(`${fileName(url)}: the image cannot be decoded (${message(e)})`);
  }
}

// One wasm module per backend, initialised once per page; listeners get its download progress.
const packages = {};
function loadPackage(backend, onProgress) {
  let pkg = packages[backend];
  if (!pkg) {
    const listeners = new Set();
    const promise = (async () => {
      const glue = new URL(PKG[backend], import.meta.url);
      const mod = await import(glue.href);
      const wasm = new URL(glue.pathname.replace(/\.js$/, '_bg.wasm'), glue);
      const res = withProgress(await fetchOk(wasm), (g, t) => listeners.forEach((f) => f(g, t)));
      await mod.default({ module_or_path: res });
      return mod;
    })();
    pkg = packages[backend] = { promise, listeners };
    promise.catch(() => { if (packages[backend] === pkg) delete packages[backend]; });
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
 * `#scene=<id>` in the address; default true).
 * Events on `element`: ready, scenechange, hotspotclick, error (CustomEvent, details in `detail`).
 */
export function mount(element, { tour = 'tour/tour.json', lang, backend = 'auto', scene: first, hash = true } = {}) {
  const uid = `disan-${++mounts}`;
  const started = performance.now();
  const tourUrl = new URL(tour, document.baseURI).href;
  let engine = null, data = null, destroyed = false, raf = 0, ready = false, lastError = '';
  const prefetched = new Map(); // URL -> promise of a decoded first panorama (see start)
  let language = lang ?? '', scene = '', builtFor = null, items = [], buttons = [], goSeq = 0;
  let cardEntry = null, cardOpener = null, settleWaiters = [], observer = null;
  const t = () => UI[language || 'vi'] ?? UI.en; // interface strings: Vietnamese until the tour says

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
  const card = h('section', { class: 'disan-card', role: 'dialog', 'aria-labelledby': `${uid}-card-title`, tabindex: -1, hidden: true });
  const hint = h('p', { class: 'disan-sr-only', id: `${uid}-hint` });
  const wrap = h('div', { class: 'disan', tabindex: 0, role: 'region', 'aria-label': 'Disan', 'aria-describedby': `${uid}-hint` },
    canvas, overlay, h('div', { class: 'disan-bar' }, title, langs), loading, errBox, card, hint);
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
    if (!ready && engine.has_content()) {
      ready = true;
      emit('ready', { scene, backend: engine.backend(), ms: Math.round(performance.now() - started) });
    }
    if (more) requestRedraw();
    else settleWaiters.splice(0).forEach((f) => f());
  }

  // Hotspot buttons, rebuilt when the scene on screen changes, moved after every frame.
  function sceneData(id) { return data?.scenes.find((s) => s.id === id); }
  function syncOverlay() {
    try { items = JSON.parse(engine.overlay() || '[]'); } catch { items = []; }
    const current = engine.current_scene();
    if (current !== builtFor) {
      builtFor = current;
      buttons = items.map((item) => h('button', {
        type: 'button', class: 'disan-hotspot', 'data-hotspot-id': item.id ?? '', 'data-kind': item.kind,
        'data-index': item.index, onclick: () => activate(item.index, buttons[item.index]),
      }, h('span', { class: 'disan-dot', 'aria-hidden': 'true' }), h('span', { class: 'disan-label' })));
      overlay.replaceChildren(...buttons);
      relabel();
    }
    items.forEach((item, i) => {
      const b = buttons[i];
      if (!b) return;
      b.hidden = !item.visible;
      b.style.setProperty('--x', item.x);
      b.style.setProperty('--y', item.y);
      b.classList.toggle('disan-flip', item.x > wrap.clientWidth - 200 && item.x > 200); // label on the left
      if (b.classList.toggle('hidden-behind', !!item.hidden)) b.title = t().behind; else b.removeAttribute('title');
    });
  }
  function relabel() {
    items.forEach((item, i) => {
      const b = buttons[i];
      if (!b) return;
      const label = pick(item.label, language);
      b.querySelector('.disan-label').textContent = label;
      const more = item.kind === 'link' ? `${t().goTo} ${pick(sceneData(item.target)?.title, language) || item.target}` : t().info;
      b.setAttribute('aria-label', label ? `${label} — ${more}` : more);
    });
  }

  function activate(index, opener) {
    const item = items.find((it) => it.index === index);
    if (!item) return;
    const current = engine.current_scene();
    emit('hotspotclick', { scene: current, hotspot: item.id ?? null, index, kind: item.kind, target: item.target ?? null, entry: item.entry ?? null });
    if (item.kind === 'link' && item.target) goTo(item.target, sceneData(current)?.hotspots?.[index]?.view);
    else if (item.kind === 'info' && item.entry) openCard(item.entry, opener);
  }

  // Catalog card.
  function openCard(id, opener) {
    let entry;
    try { entry = JSON.parse(engine.entry_json(id) || 'null'); } catch (e) { showError(message(e)); return; }
    if (!entry) { showError(`catalog: no entry "${id}"`); return; }
    cardEntry = entry;
    cardOpener = opener ?? cardOpener;
    renderCard();
    card.hidden = false;
    wrap.classList.add('disan-card-open');
    card.querySelector('.disan-card-close').focus();
  }
  function renderCard() {
    if (!cardEntry) return;
    const e = cardEntry, L = language, dl = h('dl', { class: 'disan-fields' });
    for (const f of FIELDS) {
      const v = pick(e[f], L);
      if (v) dl.append(h('dt', { text: t().fields[f] }), h('dd', { text: v }));
    }
    const figures = (e.images ?? []).map((img) => {
      const caption = [pick(img.caption, L), img.credit].filter(Boolean).join(' — ');
      return h('figure', {}, h('img', { src: new URL(img.src, tourUrl).href, alt: pick(img.caption, L) || pick(e.title, L), loading: 'lazy' }),
        caption ? h('figcaption', { text: caption }) : null);
    });
    card.replaceChildren(
      h('button', { type: 'button', class: 'disan-card-close', 'aria-label': t().close, text: '×', onclick: closeCard }),
      h('h3', { id: `${uid}-card-title`, class: 'disan-card-title', text: pick(e.title, L) }),
      pick(e.description, L) ? h('p', { class: 'disan-card-description', text: pick(e.description, L) }) : null,
      dl.childElementCount ? dl : null, ...figures);
  }
  function closeCard() {
    if (card.hidden) return;
    card.hidden = true;
    wrap.classList.remove('disan-card-open');
    cardEntry = null;
    (cardOpener?.isConnected && !cardOpener.hidden ? cardOpener : wrap).focus({ preventScroll: true });
    cardOpener = null;
  }

  function setLanguage(next) {
    language = next || language;
    renderLanguage();
  }
  function renderLanguage() {
    const next = language || 'vi';
    wrap.lang = next;
    hint.textContent = t().hint;
    langs.setAttribute('aria-label', t().languages);
    errBox.querySelector('.disan-error-close').setAttribute('aria-label', t().close);
    for (const b of langs.children) b.setAttribute('aria-pressed', String(b.dataset.lang === next));
    if (data) wrap.setAttribute('aria-label', pick(data.title, next) || 'Disan');
    title.textContent = pick(sceneData(scene)?.title, next);
    relabel();
    renderCard();
  }

  // Scenes.
  async function goTo(id, view) {
    if (!engine || destroyed) return false;
    const seq = ++goSeq;
    const stale = () => destroyed || seq !== goSeq;
    let file = id;
    try {
      const need = JSON.parse(engine.begin_scene(id, view ? JSON.stringify(view) : ''));
      if (need.kind === 'panorama') {
        const url = new URL(need.image, tourUrl);
        file = fileName(url);
        const early = prefetched.get(url.href);
        prefetched.delete(url.href);
        const bitmap = early
          ? await early
          : await decodeImage(new Blob([await fetchBytes(url, (g, n) => !stale() && progress(file, g, n))]), url);
        if (stale()) { bitmap.close?.(); return false; }
        engine.set_panorama(id, forEngine(engine, bitmap));
      } else {
        if (need.environment) { // an image (e.g. a panorama of the tour) lighting the object
          const envUrl = new URL(need.environment, tourUrl);
          file = fileName(envUrl);
          const env = await decodeImage(new Blob([await fetchBytes(envUrl)]), envUrl);
          if (stale()) { env.close(); return false; }
          engine.set_environment(need.environment, forEngine(engine, env));
        }
        const url = new URL(need.model, tourUrl);
        file = fileName(url);
        const bytes = await fetchBytes(url, (g, n) => !stale() && progress(file, g, n));
        if (stale()) return false;
        const needs = JSON.parse(engine.model_needs(bytes));
        const buffers = await Promise.all(needs.buffers.map((uri) => (uri == null ? new Uint8Array(0) : fetchBytes(new URL(uri, url)))));
        if (stale()) return false;
        const bitmaps = await Promise.all(needs.images.map(async (img, i) => {
          if (img.uri != null) {
            const u = new URL(img.uri, url);
            return decodeImage(new Blob([await fetchBytes(u)], img.mime ? { type: img.mime } : {}), u);
          }
          const raw = engine.model_embedded_image(bytes, buffers, i);
          return decodeImage(new Blob([raw], { type: img.mime || 'image/png' }), `${url}#image${i}`);
        }));
        if (stale()) { bitmaps.forEach((b) => b.close()); return false; }
        engine.set_model(id, bytes, buffers, bitmaps.map((b) => forEngine(engine, b)));
      }
    } catch (e) {
      if (stale()) return false;
      doneLoading();
      const msg = message(e);
      showError(msg.includes(file) ? msg : `${file}: ${msg}`);
      return false;
    }
    doneLoading();
    scene = id;
    title.textContent = pick(sceneData(id)?.title, language);
    if (hash) {
      const params = new URLSearchParams(location.hash.slice(1));
      if (params.get('scene') !== id) {
        params.set('scene', id);
        history.replaceState(history.state, '', `#${params}`);
      }
    }
    requestRedraw();
    emit('scenechange', { scene: id });
    return true;
  }
  function onHashChange() {
    const id = new URLSearchParams(location.hash.slice(1)).get('scene');
    if (id && id !== scene && sceneData(id)) goTo(id);
  }

  // Input.
  function bindInput() {
    canvas.addEventListener('pointerdown', (e) => {
      canvas.setPointerCapture(e.pointerId);
      engine.pointer_down(e.pointerId, e.offsetX, e.offsetY, e.button);
      wrap.focus({ preventScroll: true });
      requestRedraw();
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!engine) return;
      engine.pointer_move(e.pointerId, e.offsetX, e.offsetY);
      requestRedraw();
    });
    canvas.addEventListener('pointerup', (e) => {
      const hit = engine.pointer_up(e.pointerId, e.offsetX, e.offsetY);
      requestRedraw();
      if (hit >= 0) activate(hit, buttons[hit]);
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
    if (engine.key(name)) { e.preventDefault(); requestRedraw(); }
  });

  async function createEngine() {
    const want = backend === 'webgl' ? 'webgl2' : backend;
    const order = want === 'webgpu' || want === 'webgl2' ? [want] : navigator.gpu ? ['webgpu', 'webgl2'] : ['webgl2'];
    const failures = [];
    let loadFailed = false;
    for (const b of order) {
      if (failures.length) { // a canvas that had a context cannot get another kind: use a fresh one
        const fresh = h('canvas', { class: 'disan-canvas' });
        canvas.replaceWith(fresh);
        canvas = fresh;
        resize();
      }
      let mod;
      try {
        mod = await loadPackage(b, (g, n) => progress(t().viewer, g, n));
      } catch (e) { // not the browser's fault: a missing or broken package
        failures.push(`${b}: ${message(e)}`);
        console.error('[disan] cannot load the engine:', b, e);
        loadFailed = true;
        continue;
      }
      if (destroyed) return null;
      let timedOut = false;
      try {
        const created = mod.Engine.create(canvas, b);
        created.then((e) => { if (timedOut) e.free(); }, () => {});
        return await withTimeout(created, CREATE_TIMEOUT_MS, `Engine.create(${b})`);
      } catch (e) {
        timedOut = true;
        failures.push(`${b}: ${message(e)}`);
        console.warn('[disan] backend failed:', b, e);
      }
    }
    const headline = loadFailed ? 'Không tải được bộ máy hiển thị. / The viewer could not be loaded.' : `${UI.vi.noBackend} / ${UI.en.noBackend}`;
    throw new Error(`${headline}\n(${failures.join('; ')})`);
  }

  async function start() {
    resize();
    progress(t().viewer, 0, 0);
    // What does not need the engine starts at once, alongside the wasm download and the GPU
    // set-up: tour.json, and the first scene's panorama (downloaded and decoded).
    const tourText = fetchOk(tourUrl).then((r) => r.text());
    tourText.then((text) => {
      const t0 = JSON.parse(text.replace(/^\uFEFF/, ''));
      const fromHash = hash ? new URLSearchParams(location.hash.slice(1)).get('scene') : null;
      const ids = (t0.scenes ?? []).map((x) => x.id);
      const id = [fromHash, first, t0.start_scene, ids[0]].find((x) => x && ids.includes(x));
      const sc = t0.scenes.find((x) => x.id === id);
      if (sc?.kind !== 'panorama' || !sc.image) return;
      const url = new URL(sc.image, tourUrl);
      const file = fileName(url);
      const webgpuLikely = !!navigator.gpu && backend !== 'webgl2' && backend !== 'webgl';
      const job = fetchBytes(url, (g, n) => !engine && progress(file, g, n))
        .then((bytes) => decodeImage(new Blob([bytes]), url))
        // The WebGPU build takes pixels (see forEngine); ImageData suits WebGL2 too.
        .then((bitmap) => (webgpuLikely ? toImageData(bitmap) : bitmap));
      job.catch(() => {}); // reported when goTo uses it
      prefetched.set(url.href, job);
    }).catch(() => {});
    try {
      engine = await createEngine();
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
    try {
      progress('tour.json', 0, 0);
      const text = await tourText;
      if (destroyed) return;
      engine.load_tour(text, fileName(tourUrl));
      const declared = JSON.parse(text).catalog_file;
      const catUrl = new URL(declared || 'catalog.json', tourUrl);
      try {
        const res = await fetch(catUrl);
        if (destroyed) return;
        if (res.ok) engine.add_catalog(await res.text(), fileName(catUrl));
        else if (declared || res.status !== 404) throw new Error(`${fileName(catUrl)}: HTTP ${res.status}`);
      } catch (e) {
        if (destroyed) return;
        showError(message(e)); // the tour still works without its catalog
      }
      if (destroyed) return;
      const problems = JSON.parse(engine.problems() || '[]');
      if (problems.length) console.warn('[disan] tour problems:\n' + problems.join('\n'));
      data = JSON.parse(engine.tour_json());
    } catch (e) {
      doneLoading();
      if (!destroyed) showError(message(e));
      return;
    }
    if (!UI[language] && !(data.languages ?? []).includes(language)) language = data.languages?.[0] ?? 'vi';
    for (const l of data.languages ?? []) {
      langs.append(h('button', { type: 'button', 'data-lang': l, text: l.toUpperCase(), lang: l, onclick: () => setLanguage(l) }));
    }
    langs.hidden = langs.childElementCount < 2;
    setLanguage(language);
    const fromHash = hash ? new URLSearchParams(location.hash.slice(1)).get('scene') : null;
    if (hash) window.addEventListener('hashchange', onHashChange);
    await goTo([fromHash, first].find((id) => id && sceneData(id)) ?? engine.start_scene());
  }

  const handle = {
    goTo: (id, view) => goTo(id, view),
    setLanguage,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      if (raf) cancelAnimationFrame(raf);
      raf = 0;
      observer?.disconnect();
      window.removeEventListener('hashchange', onHashChange);
      wrap.remove();
      engine?.free();
      engine = null;
      settleWaiters.splice(0).forEach((f) => f());
    },
    /** Resolves once no frame is pending (the view is at rest). */
    settled: () => new Promise((resolve) => (raf ? settleWaiters.push(resolve) : resolve())),
    requestRedraw,
    get scene() { return scene; },
    get backend() { return engine?.backend() ?? null; },
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

/** `<disan-tour src="tour/tour.json" lang="vi" backend="auto" scene="id" hash>`; `.handle` once connected. */
class DisanTour extends HTMLElement {
  static observedAttributes = ['src', 'backend', 'lang', 'scene'];
  connectedCallback() {
    if (this.handle) return;
    this.handle = mount(this, {
      tour: this.getAttribute('src') || 'tour/tour.json',
      lang: this.getAttribute('lang') || undefined,
      backend: this.getAttribute('backend') || 'auto',
      scene: this.getAttribute('scene') || undefined,
      hash: this.hasAttribute('hash'),
    });
  }
  disconnectedCallback() {
    this.handle?.destroy();
    this.handle = null;
  }
  attributeChangedCallback(name, old, value) {
    if (!this.handle || old === value) return;
    if (name === 'lang') { if (value) this.handle.setLanguage(value); return; }
    this.disconnectedCallback();
    this.connectedCallback();
  }
}

export const Disan = { mount, pick, version: '0.1.0' };
if (typeof window !== 'undefined') {
  window.Disan = Disan;
  addStyles();
  if (!customElements.get('disan-tour')) customElements.define('disan-tour', DisanTour);
}
