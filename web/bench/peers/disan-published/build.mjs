// build.mjs — the `disan-published` peer: `disan publish` of a one-scene tour of the case's
// panorama into this folder (index.html is the published page), then the harness's hooks put into
// that page. Run by the harness's run.mjs with this folder as the working directory; needs
// DISAN_BIN (the disan binary) and DISAN_DIST (`cargo xtask web`'s dist/).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { DEFAULT_CORPUS_ROOTS } from '../../server.mjs';

const here = process.cwd();
const cfg = JSON.parse(fs.readFileSync(path.join(here, 'peer.json'), 'utf8'));
const disan = process.env.DISAN_BIN;
const dist = process.env.DISAN_DIST;
if (!disan || !dist) { console.error('build.mjs: set DISAN_BIN and DISAN_DIST'); process.exit(2); }
const roots = [process.env.BENCH_CORPUS, ...(DEFAULT_CORPUS_ROOTS ?? [])].filter(Boolean);
const kase = cfg.cases[0];
const asset = roots.map((r) => path.join(r, kase.asset)).find((p) => fs.existsSync(p));
if (!asset) { console.error(`build.mjs: ${kase.asset} not found in ${roots.join(', ')}`); process.exit(0); }

const tour = fs.mkdtempSync(path.join(os.tmpdir(), 'disan-published-peer-'));
fs.mkdirSync(path.join(tour, 'panos'));
fs.copyFileSync(asset, path.join(tour, 'panos', path.basename(asset)));
fs.writeFileSync(path.join(tour, 'tour.json'), JSON.stringify({
  version: 1, title: { en: kase.id }, languages: ['en'], start_scene: 'pano',
  scenes: [{ id: 'pano', kind: 'panorama', title: { en: kase.id }, image: `panos/${path.basename(asset)}`, view: { yaw: 0, pitch: 0, fov: 67.7 } }],
}));
for (const old of ['index.html', 'engine', 'tour', 'posters', 'scene', 'record']) fs.rmSync(path.join(here, old), { recursive: true, force: true });
execFileSync(disan, ['publish', tour, '--out', here, '--web', dist, '--force'], { stdio: 'inherit' });
fs.rmSync(tour, { recursive: true, force: true });

const hooks = `<script type="module">
  const el = document.getElementById('tour');
  // The poster: when its pixels were painted (Element Timing).
  new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.identifier === 'disan-poster') bench.mark('poster', e.renderTime || e.loadTime); })
    .observe({ type: 'element', buffered: true });
  el.addEventListener('ready', (e) => {
    const canvas = el.querySelector('canvas.disan-canvas');
    const fr = bench.contentFraction(canvas);
    bench.info({ readyContentFraction: +fr.toFixed(3), backend: e.detail.backend, disanReadyMs: e.detail.ms });
    if (fr > 0.01) bench.readyAfterPaint(); else bench.fail('ready, but the canvas looks blank (' + fr + ')');
  });
  el.addEventListener('scenechange', () => bench.load());
  el.addEventListener('error', (e) => bench.fail('disan: ' + (e.detail && e.detail.message)));
  // Interactive: a drag on whatever is on top at the pointer (the poster, then the live view),
  // pointer 2, pressed at once and moved every frame. "interactive": the end of the first frame
  // that follows it (the poster slid, or the engine's view turned); "engineInteractive": the
  // first frame whose engine view follows a drag (pressed again once the engine has a view).
  let x = 900, pressedOnEngine = false, yaw0 = null, posterMoved = false;
  const send = (target, type, buttons) => { const r = target.getBoundingClientRect(); target.dispatchEvent(new PointerEvent(type, {
    pointerId: 2, pointerType: 'mouse', isPrimary: true, button: type === 'pointermove' ? -1 : 0, buttons,
    clientX: x, clientY: 400, bubbles: true, cancelable: true, composed: true })); };
  const hero = document.getElementById('hero');
  if (hero) { send(hero, 'pointerdown', 1); }
  bench.origRaf(function drag() {
    x -= 4;
    const img = hero && hero.isConnected && hero.querySelector('img');
    if (img && !document.documentElement.classList.contains('live')) {
      send(hero, 'pointermove', 1);
      if (!posterMoved && img.style.transform) { posterMoved = true; bench.afterFrame(() => bench.mark('interactive')); }
    }
    const canvas = el.querySelector('canvas.disan-canvas');
    const view = window.disanHandle && window.disanHandle.getView && window.disanHandle.getView();
    if (canvas && view && document.documentElement.classList.contains('live')) {
      if (!pressedOnEngine) { if (hero) send(hero, 'pointerup', 0); send(canvas, 'pointerdown', 1); pressedOnEngine = true; yaw0 = view.yaw; }
      else if (Math.abs(view.yaw - yaw0) > 0.01) {
        bench.afterFrame(() => { bench.mark('engineInteractive'); bench.mark('interactive'); });
        send(canvas, 'pointerup', 0);
        return;
      }
      send(canvas, 'pointermove', 1);
    }
    bench.origRaf(drag);
  });
  // The FPS window: a held drag, as the other Disan peers do (12 deg/s).
  window.benchAutorotate = () => {
    const canvas = el.querySelector('canvas.disan-canvas');
    if (!canvas) return false;
    const h = canvas.clientHeight, pxPerS = 12 / (67.7 / h), x0 = Math.round(canvas.clientWidth * 0.75), y = Math.round(h * 0.6);
    const r = canvas.getBoundingClientRect();
    const ev = (type, px, buttons) => canvas.dispatchEvent(new PointerEvent(type, { pointerId: 1, pointerType: 'mouse', isPrimary: true,
      button: type === 'pointermove' ? -1 : 0, buttons, clientX: r.left + px, clientY: r.top + y, bubbles: true, cancelable: true, composed: true }));
    ev('pointerdown', x0, 1);
    let t0 = null;
    requestAnimationFrame(function move(t) { if (t0 === null) t0 = t; ev('pointermove', x0 - pxPerS * (t - t0) / 1000, 1); requestAnimationFrame(move); });
    return true;
  };
</script>
`;
const page = path.join(here, 'index.html');
let html = fs.readFileSync(page, 'utf8');
html = html.replace('<head>', '<head>\n<script src="/bench/bench-lib.js"></script>').replace('</body>', `${hooks}</body>`);
fs.writeFileSync(page, html);
console.error(`[build] disan-published: ${page}`);
