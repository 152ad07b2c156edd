// studio.js — the studio page's DOM (`disan studio` serves it): the tour shown live by the same
// engine as a published one, hotspots placed and dragged by clicking in it, views captured from
// it, and forms for titles, scenes, catalog cards, guided tours and kiosk settings. What an edit
// does is the core's (pkg/disan_editor.js, crates/tour/src/editor.rs); where a click lands is
// the engine's (`pointAt`); this file sends edits, uploads files and saves.
import { Disan, h, UI, pick } from './disan.js';
import init, { StudioEditor } from './pkg/disan_editor.js';

const params = new URLSearchParams(location.search);
let lang = params.get('lang') === 'en' ? 'en' : 'vi';
const t = (key) => UI[lang]?.[`studio.${key}`] ?? key;
const $ = (id) => document.getElementById(id);

// The project as it is on disk (the version a save starts from), and the tour being edited.
let project = null;
let editor = null;
let saved = { tour: null, catalog: null };
let serverProblems = [];
let handle = null;
// What the author is doing: the hotspot selected, a click that will place or move one, a view
// being chosen in another scene, the guided tour being recorded.
let selected = null; // { scene, index }
let mode = null; // { place: 'link' | 'info' } or { move: index }
let capture = null; // { scene, index } while choosing a link's arrival view
let guided = null;

function status(text) { $('status').textContent = text; }
const tour = () => JSON.parse(editor.json());
const catalog = () => JSON.parse(editor.catalog_json());
const languages = () => {
  const l = tour().languages;
  return Array.isArray(l) && l.length ? l : ['vi', 'en'];
};
const textIn = (field, l) => (typeof field === 'string' ? (l === languages()[0] ? field : '') : (field?.[l] ?? ''));
const scenesOf = () => tour().scenes ?? [];
const currentScene = () => scenesOf().find((s) => s.id === handle?.scene) ?? null;
const cards = () => { const c = catalog(); return [...(tour().catalog ?? []), ...(Array.isArray(c) ? c : c?.entries ?? [])]; };
const round = (v, d = 2) => Math.round(v * 10 ** d) / 10 ** d;
const sig = (v) => Number(v.toPrecision(6));

/** Applies an edit (a plain object); a refusal is said. Returns what it made. */
function edit(e) {
  try {
    const made = JSON.parse(editor.apply(JSON.stringify(e)));
    changed();
    return made;
  } catch (err) {
    status(String(err.message ?? err));
    return undefined;
  }
}

// After an edit: the panel drawn again once the focus has moved on (a field left with Tab
// keeps the next one focused), and the tour on screen replaced by the edited one.
let renderTimer = 0, previewTimer = 0;
function changed() {
  clearTimeout(renderTimer);
  renderTimer = setTimeout(render, 0);
  clearTimeout(previewTimer);
  previewTimer = setTimeout(() => { previewTimer = 0; preview(); }, 60);
}
// Undo and redo come from buttons and keys, not fields: the panel follows at once.
function undo() { if (editor.undo()) { changed(); render(); } }
/** The engine given the edits not shown yet (before it is asked to go somewhere or to play). */
function flush() {
  if (!previewTimer) return;
  clearTimeout(previewTimer);
  previewTimer = 0;
  preview();
}
function redo() { if (editor.redo()) { changed(); render(); } }

function labelled(text, input) {
  return h('label', { class: 'studio-field' }, h('span', { text }), input);
}
/** One text field per language, side by side; an empty translation is flagged. */
function perLanguage(key, name, field, onSet, { area = false, required = true } = {}) {
  return h('div', { class: 'studio-langs' }, ...languages().map((l) => {
    const value = textIn(field, l);
    const missing = !value && (required || Object.values(typeof field === 'object' && field ? field : {}).some(Boolean) || (typeof field === 'string' && field));
    const input = h(area ? 'textarea' : 'input', { id: `${key}-${l}`, type: area ? null : 'text', lang: l, 'aria-label': `${name} (${l})`,
      'aria-invalid': missing ? 'true' : null, onchange: (ev) => onSet(l, ev.target.value) });
    input.value = value;
    return labelled(`${name} · ${l.toUpperCase()}`, input);
  }));
}
function field(key, name, value, onSet, attrs = {}) {
  const input = h('input', { id: key, type: 'text', ...attrs, onchange: (ev) => onSet(ev.target.value) });
  input.value = value ?? '';
  return labelled(name, input);
}
function select(key, name, options, value, onSet) {
  const s = h('select', { id: key, onchange: (ev) => onSet(ev.target.value) },
    ...options.map(([v, text]) => h('option', { value: v, text })));
  s.value = value ?? '';
  return labelled(name, s);
}
function button(id, text, onclick, attrs = {}) {
  return h('button', { type: 'button', id, onclick, ...attrs }, text);
}
/** Audio and video the studio takes (what the media probe reads). */
const MEDIA_ACCEPT = '.mp4,.m4v,.mov,.webm,.mp3,.m4a,.aac,.ogg,.oga,.opus,.wav,.flac';
const AUDIO_ACCEPT = '.mp3,.ogg,.oga,.wav';

/** A looping sound (`{src, volume}` or none) chosen from a file, its volume, and a remove button. */
function soundPicker(key, name, sound, onSet) {
  return h('div', { class: 'studio-box', id: key },
    h('h3', { text: name }),
    sound ? h('div', { class: 'studio-row' },
      h('span', { class: 'studio-small', text: sound.src }),
      field(`${key}-volume`, t('volume'), sound.volume ?? 0.5, (v) => {
        const volume = Math.min(1, Math.max(0, Number(v)));
        onSet({ ...sound, volume: Number.isFinite(volume) ? volume : 0.5 });
      }, { type: 'number', min: '0', max: '1', step: '0.05' }),
      button(`${key}-remove`, t('delete'), () => onSet(null), { class: 'studio-delete' })) : null,
    h('label', { class: 'studio-add' }, h('span', { text: sound ? t('add_sound') : name }),
      h('input', { id: `${key}-input`, type: 'file', accept: AUDIO_ACCEPT, onchange: async (e) => {
        const file = e.target.files[0];
        e.target.value = '';
        const path = file && await upload(file, 'sounds');
        if (path) onSet({ src: path, volume: sound?.volume ?? 0.5 });
      } })));
}

function section(id, title, ...children) {
  return h('section', { class: 'studio-section', id }, h('h2', { text: title }), ...children);
}

// ---- The panel --------------------------------------------------------------------------------

function render() {
  document.documentElement.lang = lang;
  document.title = t('title');
  const focused = document.activeElement?.id;
  for (const [id, key] of [['save', 'save'], ['undo', 'undo'], ['redo', 'redo'], ['preview', 'preview']]) $(id).textContent = t(key);
  $('undo').disabled = !editor.can_undo();
  $('redo').disabled = !editor.can_redo();
  const dirty = editor.text() !== saved.tour || (editor.catalog_text() ?? null) !== saved.catalog;
  $('save').disabled = !dirty;
  $('dirty').textContent = dirty ? t('unsaved') : '';
  renderBanner();
  const doc = tour();
  const scene = currentScene();
  $('panel').replaceChildren(
    section('sec-tour', t('tour_title'),
      perLanguage('tour-title', t('tour_title'), doc.title, (l, text) => edit({ type: 'set_tour_title', lang: l, text })),
      // What the published page says of the tour (its description, share cards, search engines).
      perLanguage('tour-description', t('tour_description'), doc.description ?? {},
        (l, text) => edit({ type: 'set_text', at: { kind: 'tour' }, field: 'description', lang: l, text }), { area: true, required: false })),
    scene ? renderHere(scene) : h('p', { class: 'studio-hint', text: scenesOf().length ? '' : t('empty_hint') }),
    renderScenes(doc),
    renderGuided(doc),
    renderKiosk(doc),
    renderProblems(),
  );
  markSelected();
  if (focused && $(focused) && document.activeElement !== $(focused)) $(focused).focus({ preventScroll: true });
}

function renderScenes(doc) {
  const start = doc.start_scene ?? doc.scenes?.[0]?.id;
  const scenes = doc.scenes ?? [];
  return section('sec-scenes', t('scenes'),
    h('label', { class: 'studio-add' }, h('span', { text: t('add') }),
      h('input', { id: 'add-input', type: 'file', multiple: true, accept: '.jpg,.jpeg,.png,.webp,.glb,.gltf,.obj,.ply', onchange: (e) => { addFiles([...e.target.files]); e.target.value = ''; } })),
    h('ul', { id: 'scenes' }, ...scenes.map((s, i) => h('li', { class: `studio-scene${s.id === handle?.scene ? ' studio-current' : ''}`, 'data-scene': s.id },
      h('div', { class: 'studio-scene-head' },
        s.thumbnail ? h('img', { class: 'studio-thumb', src: `tour/${s.thumbnail}`, alt: '' }) : null,
        h('button', { type: 'button', class: 'studio-show', id: `show-${s.id}`, 'aria-current': s.id === handle?.scene ? 'true' : null,
          onclick: () => show(s.id) }, pick(s.title, lang) || s.id),
        h('span', { class: 'studio-kind', text: ` ${t(`kind.${s.kind}`)}${s.id === start ? ` · ${t('start')}` : ''}` })),
      perLanguage(`scene-title-${s.id}`, t('scene_title'), s.title, (l, text) => edit({ type: 'set_scene_title', scene: s.id, lang: l, text })),
      h('div', { class: 'studio-row' },
        button(`up-${s.id}`, t('move_up'), () => edit({ type: 'move_scene', scene: s.id, to: i - 1 }), { class: 'studio-up', disabled: i === 0 }),
        button(`down-${s.id}`, t('move_down'), () => edit({ type: 'move_scene', scene: s.id, to: i + 1 }), { class: 'studio-down', disabled: i === scenes.length - 1 }),
        button(`start-${s.id}`, t('set_start'), () => edit({ type: 'set_start', scene: s.id }), { class: 'studio-start', disabled: s.id === start }),
        button(`delete-${s.id}`, t('delete'), () => deleteScene(s.id), { class: 'studio-delete' }))))));
}

/** The scene on screen: its views, and its hotspots with the one selected (and its card). */
function renderHere(scene) {
  const at = { kind: 'scene', scene: scene.id };
  const others = scenesOf().filter((s) => s.id !== scene.id);
  const hs = scene.hotspots ?? [];
  const sel = selected?.scene === scene.id ? hs[selected.index] : null;
  const views = [button('initial-view', t('initial_view'), () => setInitialView(scene))];
  let partial = null;
  if (scene.kind === 'panorama') {
    views.push(button('north-here', t('north_here'), () => { const v = handle.getView(); if (v) edit({ type: 'set_field', at, field: 'north_offset', value: round(v.yaw) }); }),
      field('north', t('north'), scene.north_offset ?? 0, (v) => edit({ type: 'set_field', at, field: 'north_offset', value: Number(v) || null }), { type: 'number', step: 'any' }));
    // A partial panorama (not 2:1): how much of the sphere the picture covers.
    if (scene.image) {
      const c = scene.coverage ?? {};
      const set = (k) => (v) => {
        const next = { ...c, [k]: v === '' ? undefined : Number(v) };
        for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
        edit({ type: 'set_field', at, field: 'coverage', value: Object.keys(next).length ? next : null });
      };
      partial = h('details', { class: 'studio-box', open: scene.coverage ? true : null }, h('summary', { text: t('coverage') }),
        h('div', { class: 'studio-row' },
          field('coverage-haov', t('coverage.haov'), c.haov ?? '', set('haov'), { type: 'number', step: 'any', placeholder: '360' }),
          field('coverage-vaov', t('coverage.vaov'), c.vaov ?? '', set('vaov'), { type: 'number', step: 'any', placeholder: '180' }),
          field('coverage-voffset', t('coverage.v_offset'), c.v_offset ?? '', set('v_offset'), { type: 'number', step: 'any', placeholder: '0' })));
    }
  } else {
    const panos = scenesOf().filter((s) => s.kind === 'panorama' && s.image);
    views.push(select('environment', t('environment'), [['', t('environment_default')], ...panos.map((p) => [p.image, pick(p.title, lang) || p.id])],
      scene.environment ?? '', (v) => edit({ type: 'set_field', at, field: 'environment', value: v || null })));
  }
  const placing = mode?.place;
  return section('sec-here', `${t('here')}: ${pick(scene.title, lang) || scene.id}`,
    h('div', { class: 'studio-row' }, ...views),
    partial,
    soundPicker('ambient', t('ambient'), scene.ambient, (v) => edit({ type: 'set_field', at, field: 'ambient', value: v })),
    h('h3', { text: t('hotspots') }),
    h('div', { class: 'studio-row' },
      button('add-link', t('add_link'), () => setMode(placing === 'link' ? null : { place: 'link' }), { 'aria-pressed': String(placing === 'link'), disabled: !others.length }),
      button('add-info', t('add_info'), () => setMode(placing === 'info' ? null : { place: 'info' }), { 'aria-pressed': String(placing === 'info') }),
      mode ? button('place-centre', t('place_centre'), () => placeAt(centre())) : null),
    mode ? h('p', { class: 'studio-hint', role: 'status', text: mode.place ? t('click_to_place') : t('click_to_move') }) : null,
    h('ul', { id: 'hotspots' }, ...hs.map((x, i) => h('li', {},
      h('button', { type: 'button', id: `hotspot-${i}`, class: 'studio-hotspot', 'aria-pressed': String(sel === x),
        onclick: () => select1(scene.id, i) }, `${x.kind === 'link' ? '→' : 'ⓘ'} ${pick(x.label, lang) || `#${i + 1}`}`)))),
    sel ? renderHotspot(scene, selected.index, sel, others) : null);
}

function renderHotspot(scene, index, x, others) {
  const at = { kind: 'hotspot', scene: scene.id, index };
  const parts = [
    perLanguage(`label`, t('label'), x.label, (l, text) => edit({ type: 'set_hotspot_label', scene: scene.id, index, lang: l, text })),
  ];
  if (x.kind === 'link') {
    parts.push(select('target', t('target'), [['', '—'], ...others.map((s) => [s.id, pick(s.title, lang) || s.id])], x.target,
      (v) => edit({ type: 'set_field', at, field: 'target', value: v || null })));
    parts.push(h('div', { class: 'studio-row' },
      button('arrival', t('arrival_view'), () => chooseArrival(scene.id, index, x.target), { disabled: !x.target }),
      x.view ? button('arrival-clear', t('arrival_default'), () => edit({ type: 'set_field', at, field: 'view', value: null })) : null),
      h('p', { class: 'studio-small', text: x.view ? `${t('arrival_is')} ${fmtView(x.view)}` : t('arrival_default_is') }));
  } else {
    const list = cards();
    parts.push(select('entry', t('card'), [['', '—'], ...list.map((c) => [c.id, pick(c.title, lang) || c.id])], x.entry,
      (v) => edit({ type: 'set_field', at, field: 'entry', value: v || null })));
    const c = list.find((e) => e.id === x.entry);
    if (c) parts.push(renderCard(c));
  }
  parts.push(soundPicker('hotspot-sound', t('hotspot_sound'), x.sound, (v) => edit({ type: 'set_field', at, field: 'sound', value: v })));
  parts.push(h('div', { class: 'studio-row' },
    button('move-hotspot', t('move'), () => setMode({ move: index })),
    button('delete-hotspot', t('delete'), () => { selected = null; edit({ type: 'delete_hotspot', scene: scene.id, index }); }, { class: 'studio-delete' })));
  return h('div', { class: 'studio-box', id: 'hotspot-editor' }, ...parts);
}

const cardLabel = (f) => UI[lang]?.[`field.${f}`] ?? t(`card.${f}`);
const CARD_TEXT = ['title', 'description', 'object_type', 'period', 'material', 'dimensions', 'place_of_origin', 'heritage_designation', 'current_location', 'rights', 'credits'];
function renderCard(c) {
  const at = { kind: 'card', entry: c.id };
  const images = c.images ?? [];
  const setImages = (list) => edit({ type: 'set_field', at, field: 'images', value: list.length ? list : null });
  return h('div', { class: 'studio-card', id: 'card-editor' },
    h('h3', { text: `${t('card')}: ${c.id}` }),
    ...CARD_TEXT.map((f) => perLanguage(`card-${f}`, cardLabel(f), c[f], (l, text) => edit({ type: 'set_text', at, field: f, lang: l, text }),
      { area: f === 'description', required: f === 'title' })),
    field('card-inventory', cardLabel('inventory_number'), c.inventory_number, (v) => edit({ type: 'set_field', at, field: 'inventory_number', value: v || null })),
    h('h3', { text: t('photos') }),
    h('ul', {}, ...images.map((img, i) => h('li', { class: 'studio-photo' },
      h('img', { src: `tour/${img.src}`, alt: '', loading: 'lazy' }),
      h('div', {},
        h('span', { class: 'studio-small', text: img.src }),
        field(`photo-credit-${i}`, t('credit'), img.credit, (v) => setImages(images.map((m, k) => (k === i ? { ...m, credit: v || undefined } : m)))),
        perLanguage(`photo-caption-${i}`, t('caption'), img.caption, (l, text) => {
          const cap = typeof img.caption === 'object' && img.caption ? { ...img.caption } : (img.caption ? { [languages()[0]]: img.caption } : {});
          if (text) cap[l] = text; else delete cap[l];
          setImages(images.map((m, k) => (k === i ? { ...m, caption: Object.keys(cap).length ? cap : undefined } : m)));
        }, { required: false }),
        button(`photo-delete-${i}`, t('delete'), () => setImages(images.filter((_, k) => k !== i)), { class: 'studio-delete' }))))),
    h('label', { class: 'studio-add' }, h('span', { text: t('add_photo') }),
      h('input', { id: 'photo-input', type: 'file', accept: '.jpg,.jpeg,.png,.webp', onchange: async (e) => {
        const file = e.target.files[0];
        e.target.value = '';
        const path = file && await upload(file, 'photos');
        if (path) setImages([...images, { src: path }]);
      } })),
    ...renderRecordings(at, c.media ?? []));
}

/** A card's films and recordings: each with its caption, credit and transcript per language. */
function renderRecordings(at, media) {
  const setMedia = (list) => edit({ type: 'set_field', at, field: 'media', value: list.length ? list : null });
  const setLang = (i, key) => (l, text) => {
    const m = media[i];
    const was = typeof m[key] === 'object' && m[key] ? { ...m[key] } : (m[key] ? { [languages()[0]]: m[key] } : {});
    if (text) was[l] = text; else delete was[l];
    setMedia(media.map((x, k) => (k === i ? { ...x, [key]: Object.keys(was).length ? was : undefined } : x)));
  };
  return [
    h('h3', { text: t('recordings') }),
    h('ul', {}, ...media.map((m, i) => h('li', { class: 'studio-recording' },
      h('span', { class: 'studio-small', text: m.src }),
      field(`media-credit-${i}`, t('credit'), m.credit, (v) => setMedia(media.map((x, k) => (k === i ? { ...x, credit: v || undefined } : x)))),
      perLanguage(`media-caption-${i}`, t('caption'), m.caption, setLang(i, 'caption'), { required: false }),
      perLanguage(`media-transcript-${i}`, t('transcript'), m.transcript, setLang(i, 'transcript'), { area: true, required: false }),
      button(`media-delete-${i}`, t('delete'), () => setMedia(media.filter((_, k) => k !== i)), { class: 'studio-delete' })))),
    h('label', { class: 'studio-add' }, h('span', { text: t('add_recording') }),
      h('input', { id: 'media-input', type: 'file', accept: MEDIA_ACCEPT, onchange: async (e) => {
        const file = e.target.files[0];
        e.target.value = '';
        const path = file && await upload(file, 'media');
        if (path) setMedia([...media, { src: path }]);
      } })),
  ];
}

function renderGuided(doc) {
  const tours = doc.tours ?? [];
  if (!tours.some((g) => g.id === guided)) guided = tours[0]?.id ?? null;
  const g = tours.find((x) => x.id === guided);
  const steps = g?.steps ?? [];
  const scene = currentScene();
  return section('sec-guided', t('guided'),
    tours.length > 1 ? select('guided-select', t('guided'), tours.map((x) => [x.id, pick(x.title, lang) || x.id]), guided, (v) => { guided = v; render(); }) : null,
    g ? perLanguage('guided-title', t('guided_title'), g.title, (l, text) => edit({ type: 'set_text', at: { kind: 'guided', tour: g.id }, field: 'title', lang: l, text })) : null,
    h('div', { class: 'studio-row' },
      button('add-step', t('add_step'), () => addStep(), { disabled: !scene }),
      g ? button('play', t('play'), () => { flush(); handle?.play(g.id, 0); }) : null,
      button('new-guided', t('new_guided'), () => { guided = newGuidedId(tours); addStep(true); }, { disabled: !scene || !g })),
    h('ol', { id: 'steps' }, ...steps.map((st, i) => renderStep(g, st, i, steps.length))));
}

function newGuidedId(tours) {
  const ids = new Set(tours.map((x) => x.id));
  let id = 'tham-quan';
  for (let n = 2; ids.has(id); n++) id = `tham-quan-${n}`;
  return id;
}

function renderStep(g, st, i, count) {
  const at = { kind: 'step', tour: g.id, index: i };
  const s = scenesOf().find((x) => x.id === st.scene);
  const infos = (s?.hotspots ?? []).map((x, k) => [x, k]).filter(([x]) => x.kind === 'info');
  const li = h('li', { class: 'studio-step', draggable: 'true', 'data-step': i },
    h('div', { class: 'studio-scene-head' },
      h('strong', { text: `${pick(s?.title, lang) || st.scene} ${st.view ? fmtView(st.view) : ''}` })),
    perLanguage(`step-narration-${i}`, t('narration'), st.narration, (l, text) => edit({ type: 'set_text', at, field: 'narration', lang: l, text }), { area: true, required: false }),
    h('div', { class: 'studio-row' },
      field(`step-duration-${i}`, t('duration'), st.duration ?? '', (v) => edit({ type: 'set_field', at, field: 'duration', value: v === '' ? null : Number(v) }), { type: 'number', min: '0', step: 'any', placeholder: t('wait') }),
      select(`step-card-${i}`, t('step_card'), [['', '—'], ...infos.map(([x, k]) => [x.id ?? `#${k}`, pick(x.label, lang) || x.entry])], st.hotspot ?? '',
        (v) => stepCard(at, st.scene, v))),
    h('div', { class: 'studio-row' }, ...languages().flatMap((l) => [
      fileButton(`step-audio-${i}-${l}`, `${t('audio')} ${l.toUpperCase()}${st.audio?.[l] ? ' ✓' : ''}`, '.mp3,.ogg,.wav', 'audio',
        (path) => edit({ type: 'set_text', at, field: 'audio', lang: l, text: path })),
      fileButton(`step-captions-${i}-${l}`, `${t('captions')} ${l.toUpperCase()}${st.captions?.[l] ? ' ✓' : ''}`, '.vtt', 'audio',
        (path) => edit({ type: 'set_text', at, field: 'captions', lang: l, text: path })),
    ])),
    h('div', { class: 'studio-row' },
      button(`step-go-${i}`, t('show'), () => show(st.scene, st.view)),
      button(`step-view-${i}`, t('step_view'), () => { const v = viewNow(); if (v && handle.scene === st.scene) edit({ type: 'set_field', at, field: 'view', value: v }); else status(t('step_view_scene')); }),
      button(`step-up-${i}`, t('move_up'), () => edit({ type: 'move_step', tour: g.id, index: i, to: i - 1 }), { disabled: i === 0 }),
      button(`step-down-${i}`, t('move_down'), () => edit({ type: 'move_step', tour: g.id, index: i, to: i + 1 }), { disabled: i === count - 1 }),
      button(`step-delete-${i}`, t('delete'), () => edit({ type: 'delete_step', tour: g.id, index: i }), { class: 'studio-delete' })));
  // Steps are reordered by dragging too.
  li.addEventListener('dragstart', (e) => { e.dataTransfer.setData('text/x-disan-step', String(i)); e.dataTransfer.effectAllowed = 'move'; });
  li.addEventListener('dragover', (e) => { if (e.dataTransfer.types.includes('text/x-disan-step')) e.preventDefault(); });
  li.addEventListener('drop', (e) => {
    const from = e.dataTransfer.getData('text/x-disan-step');
    if (from === '') return;
    e.preventDefault();
    e.stopPropagation();
    if (Number(from) !== i) edit({ type: 'move_step', tour: g.id, index: Number(from), to: i });
  });
  return li;
}

/** A step's card: the info hotspot needs an id for the step to name; one is given when it has none. */
function stepCard(at, sceneId, value) {
  if (!value) { edit({ type: 'set_field', at, field: 'hotspot', value: null }); return; }
  let id = value;
  if (value.startsWith('#')) {
    const index = Number(value.slice(1));
    const s = scenesOf().find((x) => x.id === sceneId);
    const taken = new Set((s?.hotspots ?? []).map((x) => x.id).filter(Boolean));
    const base = s.hotspots[index].entry || 'info';
    id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    edit({ type: 'set_field', at: { kind: 'hotspot', scene: sceneId, index }, field: 'id', value: id });
  }
  edit({ type: 'set_field', at, field: 'hotspot', value: id });
}

function renderKiosk(doc) {
  const k = doc.kiosk ?? {};
  const at = { kind: 'kiosk' };
  const set = (f) => (v) => edit({ type: 'set_field', at, field: f, value: v === '' || v == null ? null : v });
  const num = (f) => (v) => set(f)(v === '' ? null : Number(v));
  return h('details', { class: 'studio-section', id: 'sec-kiosk' }, h('summary', { text: t('kiosk') }),
    field('kiosk-idle', t('kiosk.idle_seconds'), k.idle_seconds ?? '', num('idle_seconds'), { type: 'number', min: '1', placeholder: '90' }),
    select('kiosk-attract', t('kiosk.attract'), [['', t('kiosk.rotate')], ...(doc.tours ?? []).map((g) => [g.id, pick(g.title, lang) || g.id])], k.attract ?? '', set('attract')),
    field('kiosk-autorotate', t('kiosk.autorotate'), k.autorotate ?? '', num('autorotate'), { type: 'number', step: 'any', placeholder: '4' }),
    field('kiosk-scene-seconds', t('kiosk.scene_seconds'), k.scene_seconds ?? '', num('scene_seconds'), { type: 'number', min: '1', placeholder: '30' }),
    select('kiosk-language', t('kiosk.language'), [['', '—'], ...languages().map((l) => [l, l.toUpperCase()])], k.language ?? '', set('language')),
    select('kiosk-start', t('kiosk.start_scene'), [['', '—'], ...scenesOf().map((s) => [s.id, pick(s.title, lang) || s.id])], k.start_scene ?? '', set('start_scene')),
    field('kiosk-exit', t('kiosk.exit_keys'), k.exit_keys ?? '', set('exit_keys'), { placeholder: 'Ctrl+Alt+Q' }),
    h('label', { class: 'studio-check' }, h('input', { id: 'kiosk-inspection', type: 'checkbox', checked: !!k.inspection,
      onchange: (e) => set('inspection')(e.target.checked || null) }), h('span', { text: t('kiosk.inspection') })));
}

function renderProblems() {
  const problems = [...JSON.parse(editor.problems()), ...serverProblems];
  return section('sec-problems', t('problems'),
    h('ul', { id: 'problems' }, ...(problems.length
      ? problems.map((p, i) => h('li', {}, h('button', { type: 'button', class: 'studio-problem', id: `problem-${i}`, onclick: () => goToProblem(p) }, p)))
      : [h('li', { class: 'studio-ok', text: t('no_problems') })])));
}

/** A problem a click away from the thing to fix: its scene shown, its hotspot or step selected. */
function goToProblem(p) {
  const doc = tour();
  const hs = /scenes\[(\d+)\](?:\.hotspots\[(\d+)\])?/.exec(p);
  const st = /tours\[(\d+)\](?:\.steps\[(\d+)\])?/.exec(p);
  if (hs) {
    const s = doc.scenes?.[Number(hs[1])];
    if (!s) return;
    selected = hs[2] != null ? { scene: s.id, index: Number(hs[2]) } : null;
    show(s.id).then(() => $(hs[2] != null ? 'hotspot-editor' : `show-${s.id}`)?.scrollIntoView({ block: 'nearest' }));
    render();
  } else if (st) {
    guided = doc.tours?.[Number(st[1])]?.id ?? guided;
    render();
    $(st[2] != null ? `step-narration-${st[2]}-${languages()[0]}` : 'sec-guided')?.focus();
  } else if (/catalog|entries/.test(p)) {
    $('sec-problems')?.scrollIntoView();
  }
}

function renderBanner() {
  const b = $('banner');
  if (!capture) { b.hidden = true; return; }
  b.hidden = false;
  b.replaceChildren(h('span', { text: t('choose_arrival') }),
    button('use-view', t('use_view'), () => useArrival()),
    button('cancel-view', t('cancel'), () => { const c = capture; capture = null; show(c.scene); render(); }));
}

// ---- The view: showing scenes, placing and moving hotspots, capturing views -------------------

const fmtView = (v) => `(${round(v.yaw ?? 0, 0)}°, ${round(v.pitch ?? 0, 0)}°${v.fov ? `, ${round(v.fov, 0)}°` : ''})`;
/** The view on screen as a tour writes it. */
function viewNow() {
  const v = handle?.getView();
  if (!v) return null;
  const out = { yaw: round(v.yaw), pitch: round(v.pitch) };
  if (v.fov != null) out.fov = round(v.fov);
  if (v.distance != null) out.distance = sig(v.distance);
  return out;
}
function setInitialView(scene) {
  const v = viewNow();
  if (v) edit({ type: 'set_initial_view', scene: scene.id, yaw: v.yaw, pitch: v.pitch, fov: v.fov ?? v.distance });
}
async function show(id, view) {
  if (!handle) return false;
  flush();
  if (handle.scene === id && !view) return true;
  return handle.goTo(id, view);
}
function setMode(m) {
  mode = m;
  $('tour').classList.toggle('studio-placing', !!m);
  render();
}
function select1(scene, index) {
  selected = { scene, index };
  render();
}
function markSelected() {
  const i = selected && selected.scene === handle?.scene ? selected.index : -1;
  $('selected-style').textContent = i < 0 ? '' : `.disan-hotspot[data-index="${i}"] .disan-dot { outline: 3px solid #ffd75e; outline-offset: 3px; }`;
}
const canvas = () => $('tour').querySelector('canvas');
function local(e) {
  const r = canvas().getBoundingClientRect();
  return [e.clientX - r.left, e.clientY - r.top];
}
function centre() {
  const r = canvas().getBoundingClientRect();
  return [r.width / 2, r.height / 2];
}

/** A click at (x, y) of the view with a mode on: a hotspot placed there, or moved there. */
function placeAt([x, y]) {
  const scene = currentScene();
  if (!scene || !mode) return;
  const p = handle.pointAt(x, y);
  if (!p) { status(t('missed')); return; }
  const placement = p.position ? { position: p.position.map(sig), normal: p.normal.map((v) => round(v, 4)) } : { yaw: round(p.yaw), pitch: round(p.pitch) };
  const m = mode;
  setMode(null);
  if (m.move != null) {
    edit({ type: 'move_hotspot', scene: scene.id, index: m.move, placement });
    return;
  }
  let hotspot;
  if (m.place === 'link') {
    const target = scenesOf().find((s) => s.id !== scene.id);
    hotspot = { kind: 'link', ...placement, target: target.id, label: target.title || target.id };
  } else {
    const n = cards().length + 1;
    const title = `${t('new_card')} ${n}`;
    const entry = edit({ type: 'add_card', title });
    if (!entry) return;
    hotspot = { kind: 'info', ...placement, entry, label: title };
  }
  const index = edit({ type: 'add_hotspot', scene: scene.id, hotspot });
  if (index != null) selected = { scene: scene.id, index };
  status(t('placed'));
}

// Clicks in the view. With a mode on, a click (not a drag, which turns the view) places; a
// marker clicked is selected instead of followed, and dragged to move it.
{
  const el = $('tour');
  let down = null, drag = null, swallow = false;
  const ghost = h('div', { class: 'studio-ghost', hidden: true });
  el.append(ghost);
  el.addEventListener('pointerdown', (e) => {
    const marker = e.target.closest?.('.disan-hotspot');
    if (marker && !capture) {
      drag = { index: Number(marker.dataset.index), x: e.clientX, y: e.clientY, moved: false };
      e.preventDefault();
      return;
    }
    // A click on the view itself, or on what lies over it without being a control (the hint).
    const control = e.target.closest?.('button, a, input, select, textarea, summary, [role="dialog"], .disan-card, .disan-panel, .studio-banner');
    down = !control && e.target.closest?.('.disan') ? { x: e.clientX, y: e.clientY } : null;
  }, true);
  window.addEventListener('pointermove', (e) => {
    if (!drag) return;
    if (Math.hypot(e.clientX - drag.x, e.clientY - drag.y) > 6) drag.moved = true;
    if (drag.moved) {
      const r = el.getBoundingClientRect();
      ghost.hidden = false;
      ghost.style.transform = `translate(${e.clientX - r.left}px, ${e.clientY - r.top}px)`;
    }
  }, true);
  window.addEventListener('pointerup', (e) => {
    if (drag) {
      const d = drag;
      drag = null;
      ghost.hidden = true;
      if (d.moved) {
        swallow = true;
        setTimeout(() => { swallow = false; }, 0);
        mode = { move: d.index };
        selected = { scene: handle.scene, index: d.index };
        placeAt(local(e));
      }
      return;
    }
    if (down && mode && Math.hypot(e.clientX - down.x, e.clientY - down.y) < 6) placeAt(local(e));
    down = null;
  }, true);
  el.addEventListener('click', (e) => {
    const marker = e.target.closest?.('.disan-hotspot');
    if (!marker || capture) return;
    e.stopPropagation();
    e.preventDefault();
    if (!swallow) select1(handle.scene, Number(marker.dataset.index));
  }, true);
  el.addEventListener('scenechange', () => render());
}

/** A link's arrival view: the author is taken to the target, turns, and keeps that view. */
function chooseArrival(scene, index, target) {
  capture = { scene, index };
  show(target);
  render();
}
function useArrival() {
  const c = capture;
  const v = viewNow();
  capture = null;
  if (v) edit({ type: 'set_field', at: { kind: 'hotspot', scene: c.scene, index: c.index }, field: 'view', value: v });
  show(c.scene);
  status(t('arrival_set'));
}

function addStep(fresh = false) {
  const scene = currentScene();
  const v = viewNow();
  if (!scene || !v) return;
  const id = guided ?? newGuidedId(tour().tours ?? []);
  const made = edit({ type: 'add_step', tour: id, scene: scene.id, view: v, title: fresh || !guided ? t('guided_default') : undefined });
  if (made != null) { guided = id; status(`${t('step_added')} ${made + 1}`); }
}

// ---- Files and saving -------------------------------------------------------------------------

/**
 * Uploads `file` into `folder` (never over a file: a free name is chosen); returns its path (or,
 * with `full`, the server's answer: `{path, prepare}`, `prepare` saying what it needs before it
 * is shown: "tile", "optimize", "import").
 */
async function upload(file, folder, full = false) {
  const taken = new Set(JSON.stringify([tour(), catalog()]).match(/"[^"]*\/[^"]*"/g)?.map((s) => s.slice(1, -1)) ?? []);
  let rel = `${folder}/${file.name}`;
  for (let n = 2; taken.has(rel); n++) rel = `${folder}/${file.name.replace(/(\.[^.]*)$/, `-${n}$1`)}`;
  status(`${t('adding')} ${file.name}`);
  for (;;) {
    const res = await sendFile(rel, file);
    if (res.status === 409 || /exists|already/.test(res.text)) {
      // Already in the folder: a free name next to it.
      const n = Number(/-(\d+)\.[^.]*$/.exec(rel)?.[1] ?? 1) + 1;
      rel = `${folder}/${file.name.replace(/(\.[^.]*)$/, `-${n}$1`)}`;
      if (n > 50) { status(res.text.trim()); return null; }
      continue;
    }
    if (!res.ok) { status(res.text.trim()); return null; }
    const done = JSON.parse(res.text);
    return full ? done : done.path;
  }
}
/** The upload, with its progress in the bar. */
function sendFile(rel, file) {
  return new Promise((resolve) => {
    const x = new XMLHttpRequest();
    const bar = $('upload');
    x.open('POST', `api/upload?path=${encodeURIComponent(rel)}`);
    x.upload.onprogress = (e) => { bar.hidden = false; bar.max = e.total || 1; bar.value = e.loaded; };
    x.onload = () => { bar.hidden = true; resolve({ ok: x.status < 300, status: x.status, text: x.responseText }); };
    x.onerror = () => { bar.hidden = true; resolve({ ok: false, status: 0, text: `${file.name}: ${t('upload_failed')}` }); };
    x.send(file);
  });
}

// Adding content: files dropped on the page or chosen with the button. Each is checked and
// written by the server (never over an existing file), then becomes a scene named from its file.
// A panorama over phones' texture limit is tiled, a model over the web's budget cut into
// derivatives, a scan imported (the server runs `disan tile`, `optimize`, `import`), while a
// bar runs.
const FOLDER = { jpg: 'panos', jpeg: 'panos', png: 'panos', webp: 'panos', glb: 'models', gltf: 'models', obj: 'models', ply: 'models' };
const FACES = { f: 0, front: 0, r: 1, right: 1, b: 2, back: 2, l: 3, left: 3, u: 4, up: 4, top: 4, d: 5, down: 5, bottom: 5 };
/** Six images named as cube faces (`hall_f.jpg` … `hall_d.jpg`, or front … down) become one scene. */
function cubeSets(files) {
  const sets = new Map();
  for (const f of files) {
    const m = /^(.*?)[_\-. ](f|front|r|right|b|back|l|left|u|up|top|d|down|bottom)\.(jpe?g|png|webp)$/i.exec(f.name);
    if (!m) continue;
    const base = m[1];
    if (!sets.has(base)) sets.set(base, []);
    sets.get(base)[FACES[m[2].toLowerCase()]] = f;
  }
  return [...sets].filter(([, faces]) => faces.filter(Boolean).length === 6);
}
async function addFiles(files) {
  for (const [base, faces] of cubeSets(files)) {
    files = files.filter((f) => !faces.includes(f));
    const paths = [];
    for (const f of faces) {
      const p = await upload(f, 'panos');
      if (!p) break;
      paths.push(p);
    }
    if (paths.length < 6) continue;
    const id = edit({ type: 'add_scene', scene: { id: base, kind: 'panorama', title: base.replace(/[-_]+/g, ' ').trim(), cube: paths, hotspots: [] } });
    if (id) {
      status(`${t('added')}: ${id}`);
      await thumbnail(id);
    }
  }
  for (const file of files) {
    const folder = FOLDER[file.name.split('.').pop().toLowerCase()];
    if (!folder) { status(`${file.name}: ${t('not_a_scene')}`); continue; }
    const done = await upload(file, folder, true);
    if (!done) continue;
    let id;
    if (done.prepare) {
      status(`${t(`prepare.${done.prepare}`)}: ${file.name}…`);
      const bar = $('upload');
      bar.hidden = false;
      bar.removeAttribute('value');
      const res = await fetch(`api/prepare?path=${encodeURIComponent(done.path)}`, { method: 'POST' });
      bar.hidden = true;
      const text = await res.text();
      if (!res.ok) { status(text.trim()); continue; }
      id = edit({ type: 'add_scene', scene: JSON.parse(text).scene });
    } else {
      id = edit(folder === 'panos' ? { type: 'add_panorama', image: done.path } : { type: 'add_object', model: done.path });
      if (id && folder === 'panos') await guessCoverage(id, done.path);
    }
    if (id) {
      status(`${t('added')}: ${id}`);
      await thumbnail(id);
    }
  }
}

/**
 * A picture narrower than 2:1 covers part of the sphere: a first guess (all of its height, as
 * wide as that makes it) for the author to correct in the scene's form; wider ones are shown
 * as a band round the horizon and need none.
 */
async function guessCoverage(id, path) {
  try {
    const img = new Image();
    img.src = `tour/${path}`;
    await img.decode();
    const aspect = img.naturalWidth / img.naturalHeight;
    if (aspect >= 1.99) return;
    edit({ type: 'set_field', at: { kind: 'scene', scene: id }, field: 'coverage', value: { haov: round(180 * aspect, 1), vaov: 180 } });
    status(t('coverage_guessed'));
  } catch { /* the problems say what is wrong with the picture */ }
}

/**
 * A new scene's picture for the scene list: the front of a panorama (or of a tiled one's
 * preview) cut from the image here; an object rendered by the server (as `disan thumbnails`).
 */
async function thumbnail(id) {
  const s = scenesOf().find((x) => x.id === id);
  if (!s || s.thumbnail) return;
  let path = null;
  try {
    if (s.kind === 'object' && s.model) {
      const res = await fetch(`api/thumbnail?path=${encodeURIComponent(s.model)}`, { method: 'POST' });
      if (res.ok) path = (await res.json()).path;
    } else if (s.image || s.tiles?.preview || s.cube) {
      const img = new Image();
      img.src = `tour/${s.image ?? s.tiles?.preview ?? s.cube[0]}`;
      await img.decode();
      const c = document.createElement('canvas');
      [c.width, c.height] = [320, 180];
      // 90° of the view ahead (the middle of an equirectangular image, or the front face), 16:9.
      const w = s.cube && !s.image ? img.naturalWidth : img.naturalWidth / 4, hgt = w * 9 / 16;
      c.getContext('2d').drawImage(img, (img.naturalWidth - w) / 2, (img.naturalHeight - hgt) / 2, w, hgt, 0, 0, 320, 180);
      const blob = await new Promise((r) => c.toBlob(r, 'image/jpeg', 0.85));
      path = blob && await upload(new File([blob], `${id}.jpg`), 'thumbs');
    }
  } catch { path = null; }
  // No thumbnail is no loss: the scene list shows the title alone.
  if (path) edit({ type: 'set_field', at: { kind: 'scene', scene: id }, field: 'thumbnail', value: path });
}
function fileButton(id, text, accept, folder, onPath) {
  return h('label', { class: 'studio-file' }, h('span', { text }),
    h('input', { id, type: 'file', accept, onchange: async (e) => {
      const file = e.target.files[0];
      e.target.value = '';
      const path = file && await upload(file, folder);
      if (path) onPath(path);
    } }));
}
document.addEventListener('dragover', (e) => { if (e.dataTransfer?.types?.includes('Files')) { e.preventDefault(); document.body.classList.add('studio-dropping'); } });
document.addEventListener('dragleave', () => document.body.classList.remove('studio-dropping'));
document.addEventListener('drop', (e) => {
  if (!e.dataTransfer?.files?.length) return;
  e.preventDefault();
  document.body.classList.remove('studio-dropping');
  addFiles([...e.dataTransfer.files]);
});

async function checkFiles() {
  // A new tour has no files to check until its first save.
  if (!project.tour) { serverProblems = []; return; }
  try { serverProblems = (await (await fetch('api/problems')).json()).problems ?? []; } catch { serverProblems = []; }
}

/** The tour on screen made the edited one: mounted with its first scene, then replaced live. */
function preview() {
  const text = editor.text();
  const cat = editor.catalog_text() ?? null;
  if (handle) {
    // Still starting: the edit is shown once the engine is there.
    if (handle.engine && handle.ready) handle.updateTour(text, cat);
    else { clearTimeout(previewTimer); previewTimer = setTimeout(() => { previewTimer = 0; preview(); }, 200); }
    return;
  }
  if (!scenesOf().length) return;
  window.disanEvents = window.disanEvents ?? [];
  handle = Disan.mount($('tour'), { tour: 'tour/tour.json', text: { tour: text, catalog: cat }, objects: true, backend: params.get('backend') || 'auto', lang, hash: false });
  window.disanHandle = handle;
}

/** Saves the edited files over the version the page opened; says what happened. */
async function save() {
  const text = editor.text();
  const cat = editor.catalog_text() ?? null;
  const res = await fetch('api/project', {
    method: 'PUT', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ base: project.version, tour: text, catalog: cat ?? undefined }),
  });
  const body = await res.text();
  if (!res.ok) { status(body.trim()); return { ok: false, status: res.status, text: body }; }
  const result = JSON.parse(body);
  project = { ...project, tour: text, catalog: cat, version: result.version };
  saved = { tour: text, catalog: cat };
  status(result.written.length ? `${t('saved')}: ${result.written.join(', ')}` : t('unchanged'));
  await checkFiles();
  render();
  return { ok: true, ...result };
}

async function start() {
  await init();
  const res = await fetch('api/project');
  if (!res.ok) throw new Error(await res.text());
  project = await res.json();
  // A new tour is titled after its folder.
  editor = new StudioEditor(project.tour ?? undefined, project.catalog ?? undefined, project.folder || t('new_tour'));
  saved = { tour: project.tour ?? null, catalog: project.catalog ?? null };
  for (const type of ['ready', 'scenechange', 'error', 'tourstep', 'tourend']) {
    $('tour').addEventListener(type, (e) => window.disanEvents?.push({ type, detail: e.detail }));
  }
  await checkFiles();
  render();
  status(project.tour ? '' : t('new_tour'));
  preview();
}

$('save').addEventListener('click', () => save());
$('undo').addEventListener('click', undo);
$('redo').addEventListener('click', redo);
$('preview').addEventListener('click', () => window.open('index.html', '_blank', 'noopener'));
$('lang').addEventListener('click', () => { lang = lang === 'vi' ? 'en' : 'vi'; $('lang').textContent = lang === 'vi' ? 'EN' : 'VI'; handle?.setLanguage(lang); render(); });
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && (mode || capture)) { capture = null; setMode(null); return; }
  if (!(e.ctrlKey || e.metaKey) || e.target.matches?.('input, textarea')) return;
  const k = e.key.toLowerCase();
  if (k === 'z' && !e.shiftKey) { e.preventDefault(); undo(); }
  if ((k === 'z' && e.shiftKey) || k === 'y') { e.preventDefault(); redo(); }
  if (k === 's') { e.preventDefault(); save(); }
});
// For tests: the same actions as the buttons, and what the page holds.
window.studio = { save, edit, addFiles, undo, text: () => editor.text(), catalogText: () => editor.catalog_text() ?? null, project: () => project, handle: () => handle, settled: () => new Promise((r) => setTimeout(r, 100)) };
start().catch((e) => status(String(e.message ?? e)));
