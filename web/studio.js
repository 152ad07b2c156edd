// studio.js — the studio page's DOM (`disan studio` serves it): the tour's title and scenes as
// forms, undo and redo, the problems, saving, and the tour shown by the same engine as a
// published one. What an edit does is the core's (pkg/disan_editor.js, crates/tour/src/editor.rs);
// this file sends edits, fetches and saves.
import { Disan, h, UI, pick } from './disan.js';
import init, { StudioEditor } from './pkg/disan_editor.js';

const params = new URLSearchParams(location.search);
let lang = params.get('lang') === 'en' ? 'en' : 'vi';
const t = (key) => UI[lang]?.[`studio.${key}`] ?? key;
const $ = (id) => document.getElementById(id);

// The project as it is on disk (the version a save starts from), and the tour being edited.
let project = null;
let editor = null;
let savedText = null;
let serverProblems = [];

function status(text) { $('status').textContent = text; }
const tour = () => JSON.parse(editor.json());
const languages = () => {
  const l = tour().languages;
  return Array.isArray(l) && l.length ? l : ['vi', 'en'];
};
const textIn = (field, l) => (typeof field === 'string' ? (l === languages()[0] ? field : '') : (field?.[l] ?? ''));

/** Applies an edit (a plain object), then draws the panel again; a refusal is said. */
function edit(e) {
  try {
    const made = JSON.parse(editor.apply(JSON.stringify(e)));
    render();
    return made;
  } catch (err) {
    status(String(err.message ?? err));
    return undefined;
  }
}

function labelled(text, input) {
  return h('label', { class: 'studio-field' }, h('span', { text }), input);
}

/** One text field per language, side by side; an empty translation is flagged. */
function perLanguage(name, field, onSet) {
  return h('div', { class: 'studio-langs' }, ...languages().map((l) => {
    const value = textIn(field, l);
    const input = h('input', { type: 'text', lang: l, value, 'aria-label': `${name} (${l})`, 'aria-invalid': value ? null : 'true',
      onchange: (ev) => onSet(l, ev.target.value) });
    return labelled(l.toUpperCase(), input);
  }));
}

function render() {
  document.documentElement.lang = lang;
  document.title = t('title');
  for (const [id, key] of [['save', 'save'], ['undo', 'undo'], ['redo', 'redo'], ['scenes-title', 'scenes'], ['problems-title', 'problems'], ['tour-title-label', 'tour_title'], ['add-label', 'add']]) $(id).textContent = t(key);
  $('undo').disabled = !editor.can_undo();
  $('redo').disabled = !editor.can_redo();
  const dirty = editor.text() !== savedText;
  $('save').disabled = !dirty;
  $('dirty').textContent = dirty ? t('unsaved') : '';
  const doc = tour();
  $('tour-title').replaceChildren(perLanguage(t('tour_title'), doc.title, (l, text) => edit({ type: 'set_tour_title', lang: l, text })));
  const start = doc.start_scene ?? doc.scenes?.[0]?.id;
  const scenes = doc.scenes ?? [];
  $('scenes').replaceChildren(...scenes.map((s, i) => h('li', { class: 'studio-scene', 'data-scene': s.id },
    h('div', { class: 'studio-scene-head' },
      h('strong', { text: pick(s.title, lang) || s.id }),
      h('span', { class: 'studio-kind', text: ` ${t(`kind.${s.kind}`)}${s.id === start ? ` · ${t('start')}` : ''}` })),
    perLanguage(`${t('scene_title')} ${s.id}`, s.title, (l, text) => edit({ type: 'set_scene_title', scene: s.id, lang: l, text })),
    h('div', { class: 'studio-row' },
      h('button', { type: 'button', class: 'studio-up', disabled: i === 0, onclick: () => edit({ type: 'move_scene', scene: s.id, to: i - 1 }) }, t('move_up')),
      h('button', { type: 'button', class: 'studio-down', disabled: i === scenes.length - 1, onclick: () => edit({ type: 'move_scene', scene: s.id, to: i + 1 }) }, t('move_down')),
      h('button', { type: 'button', class: 'studio-start', disabled: s.id === start, onclick: () => edit({ type: 'set_start', scene: s.id }) }, t('set_start')),
      h('button', { type: 'button', class: 'studio-delete', onclick: () => deleteScene(s.id) }, t('delete'))))));
  const problems = [...JSON.parse(editor.problems(project.catalog ?? undefined)), ...serverProblems];
  $('problems').replaceChildren(...(problems.length ? problems.map((p) => h('li', { text: p })) : [h('li', { class: 'studio-ok', text: t('no_problems') })]));
}

/** Deletes a scene after saying what goes with it (the links and steps that lead to it). */
function deleteScene(id) {
  const doc = tour();
  const leading = (doc.scenes ?? []).flatMap((s) => (s.hotspots ?? []).filter((x) => x.target === id).map((x) => `${s.id}: ${pick(x.label, lang)}`));
  for (const g of doc.tours ?? []) (g.steps ?? []).forEach((st, n) => { if (st.scene === id) leading.push(`${g.id} #${n + 1}`); });
  if (!confirm(`${t('delete_confirm')}\n${leading.join('\n') || '—'}`)) return;
  edit({ type: 'delete_scene', scene: id });
}

// Adding content: files dropped on the page or chosen with the button. Each is checked and
// written by the server (never over an existing file), then becomes a scene named from its file.
const FOLDER = { jpg: 'panos', jpeg: 'panos', png: 'panos', webp: 'panos', glb: 'models', gltf: 'models' };
async function addFiles(files) {
  for (const file of files) {
    const ext = file.name.split('.').pop().toLowerCase();
    const folder = FOLDER[ext];
    if (!folder) { status(`${file.name}: ${t('not_a_scene')}`); continue; }
    const taken = new Set((tour().scenes ?? []).flatMap((x) => [x.image, x.model]));
    let rel = `${folder}/${file.name}`;
    for (let n = 2; taken.has(rel); n++) rel = `${folder}/${file.name.replace(/(\.[^.]*)$/, `-${n}$1`)}`;
    status(`${t('adding')} ${file.name}`);
    const res = await fetch(`api/upload?path=${encodeURIComponent(rel)}`, { method: 'POST', body: file });
    const text = await res.text();
    if (!res.ok) { status(text.trim()); continue; }
    const path = JSON.parse(text).path;
    const id = edit(folder === 'panos' ? { type: 'add_panorama', image: path } : { type: 'add_object', model: path });
    if (id) status(`${t('added')}: ${id}`);
  }
}
$('add-input').addEventListener('change', (e) => { addFiles([...e.target.files]); e.target.value = ''; });
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

function showTour() {
  window.disanHandle?.destroy();
  window.disanHandle = null;
  if (!project.tour) return;
  const element = $('tour');
  window.disanEvents = window.disanEvents ?? [];
  window.disanHandle = Disan.mount(element, { tour: 'tour/tour.json', backend: params.get('backend') || 'auto', lang, hash: false });
}

/** Saves the edited text over the version the page opened; says what happened. */
async function save() {
  const text = editor.text();
  const res = await fetch('api/project', {
    method: 'PUT', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ base: project.version, tour: text, catalog: project.catalog ?? undefined }),
  });
  const body = await res.text();
  if (!res.ok) { status(body.trim()); return { ok: false, status: res.status, text: body }; }
  const saved = JSON.parse(body);
  project = { ...project, tour: text, version: saved.version };
  savedText = text;
  status(saved.written.length ? `${t('saved')}: ${saved.written.join(', ')}` : t('unchanged'));
  await checkFiles();
  render();
  if (saved.written.length) showTour();
  return { ok: true, ...saved };
}

async function start() {
  await init();
  const res = await fetch('api/project');
  if (!res.ok) throw new Error(await res.text());
  project = await res.json();
  // A new tour is titled after its folder.
  editor = new StudioEditor(project.tour ?? undefined, project.folder || t('new_tour'));
  savedText = project.tour ?? null;
  const element = $('tour');
  for (const type of ['ready', 'scenechange', 'error']) {
    element.addEventListener(type, (e) => window.disanEvents?.push({ type, detail: e.detail }));
  }
  await checkFiles();
  render();
  status(project.tour ? '' : t('new_tour'));
  showTour();
}

$('save').addEventListener('click', () => save());
$('undo').addEventListener('click', () => { editor.undo(); render(); });
$('redo').addEventListener('click', () => { editor.redo(); render(); });
$('lang').addEventListener('click', () => { lang = lang === 'vi' ? 'en' : 'vi'; $('lang').textContent = lang === 'vi' ? 'EN' : 'VI'; render(); });
document.addEventListener('keydown', (e) => {
  if (!(e.ctrlKey || e.metaKey) || e.target.matches?.('input, textarea')) return;
  const k = e.key.toLowerCase();
  if (k === 'z' && !e.shiftKey) { e.preventDefault(); editor.undo(); render(); }
  if ((k === 'z' && e.shiftKey) || k === 'y') { e.preventDefault(); editor.redo(); render(); }
  if (k === 's') { e.preventDefault(); save(); }
});
// For tests: the same actions as the buttons.
window.studio = { save, edit, addFiles, undo: () => { editor.undo(); render(); }, text: () => editor.text(), project: () => project };
start().catch((e) => status(String(e.message ?? e)));
