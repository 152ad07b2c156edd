// browser.test.mjs — end-to-end tests of dist/ (built by `cargo xtask web`) in headless Chromium:
// once with WebGPU (SwiftShader adapter), once with WebGL2. Screenshots go to web/tests/out/.
// Run: cd web && npm install && npm test   (env: DISAN_DIST, CHROMIUM)

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { startServer, DIST } from '../tools/server.mjs';
import { launch } from '../tools/chromium.mjs';
import { readTour, decodePng, imageStats, meanDiff, disanBinary } from '../tools/test-kit.mjs';
import { pick } from '../ui-text.js';

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'out');
const READY_MS = 60_000; // SwiftShader is slow
const TEST = { timeout: 180_000 };
// Hide the DOM layers above the canvas so that screenshots show what the engine drew.
const CANVAS_ONLY = '.disan-overlay, .disan-bar, .disan-loading, .disan-error, .disan-card, .disan-controls, .disan-player, .disan-first-hint, .disan-edges { visibility: hidden !important; }';

// --- Page helpers ---------------------------------------------------------------------------------

/** Counts requestAnimationFrame callbacks (installed before the page's scripts run). */
function countFrames() {
  window.__disanFrames = 0;
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => raf((t) => { window.__disanFrames++; cb(t); });
}

async function newPage(browser, logs) {
  const page = await browser.newPage({ viewport: { width: 1024, height: 640 } });
  page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  await page.addInitScript(countFrames);
  return page;
}

const events = (page) => page.evaluate(() => window.disanEvents ?? []);
const describeEvents = (list) => list.map((e) => `${e.type}${e.source ? `(${e.source})` : ''} ${JSON.stringify(e.detail)}`).join('\n  ');

/** Waits until the viewer in `sel` has no frame pending (the view is at rest). */
async function settle(page, sel = '#tour', ms = 30_000) {
  const rested = await page.evaluate(([s, ms]) => {
    const handle = document.querySelector(s).handle ?? window.disanHandle;
    return Promise.race([handle.settled().then(() => true), new Promise((r) => setTimeout(() => r(false), ms))]);
  }, [sel, ms]);
  assert.ok(rested, `${sel}: the view did not come to rest within ${ms / 1000} s (frame() keeps returning true?)`);
}

/** Waits until `pred` (run in the page) is true; fails with the events and console on timeout. */
async function waitFor(page, logs, pred, arg, what, timeout = READY_MS) {
  try {
    await page.waitForFunction(pred, arg, { timeout, polling: 100 });
  } catch (e) {
    assert.fail(`${what} did not happen within ${timeout / 1000} s.\nEvents:\n  ${describeEvents(await events(page).catch(() => []))}` +
      `\nConsole:\n  ${logs.slice(-30).join('\n  ')}\n(${e.message.split('\n')[0]})`);
  }
}

async function canvasShot(page, name, sel = '#tour') {
  const png = await page.locator(`${sel} canvas`).screenshot({ path: path.join(OUT, name), style: CANVAS_ONLY });
  return decodePng(png);
}

/** The first hotspot (of `list`) whose button is visible in the view. */
async function visibleButton(page, list) {
  for (const h of list) {
    const button = page.locator(`#tour .disan-hotspot[data-index="${h.index}"]`);
    if (await button.isVisible()) return { h, button };
  }
  const shown = await page.locator('#tour .disan-hotspot').evaluateAll((bs) => bs.map((b) => `${b.dataset.hotspotId || b.dataset.index}:${b.hidden ? 'hidden' : 'shown'}`));
  assert.fail(`none of the hotspots ${list.map((h) => h.id ?? h.index).join(', ')} is on screen in the start view (buttons: ${shown.join(' ')})`);
}

fs.mkdirSync(OUT, { recursive: true });

// --- Parity: the native renderer draws what the browser draws ------------------------------------

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PARITY = { width: 480, height: 300, limit: 4 }; // mean absolute difference per channel, 0–255


/** `disan render` of a demo scene, markers left out (they are DOM buttons on the web). */
const nativeRenders = new Map();
function nativeRender(sceneId) {
  if (!nativeRenders.has(sceneId)) nativeRenders.set(sceneId, nativeRenderOf(path.join(DIST, 'tour'), sceneId));
  return nativeRenders.get(sceneId);
}


/** `disan render` of scene `id` of the tour in `dir` at the parity size, markers left out. */
function nativeRenderOf(dir, id, view = null, name = id) {
  const out = path.join(OUT, `native-${name}.png`);
  const args = view ? Object.entries(view).flatMap(([k, v]) => (v === true ? [`--${k}`] : [`--${k}`, String(v)])) : [];
  execFileSync(disanBinary(), ['render', dir, '--scene', id, '--width', String(PARITY.width),
    '--height', String(PARITY.height), '--no-markers', ...args, '--out', out], { stdio: 'pipe' });
  return decodePng(fs.readFileSync(out));
}

/** An 8192×4096 panorama (a coloured grid, generated: nothing large is committed) in its own
 *  tour under dist/, and its native render. */
let bigTour = null;
function bigPanoramaTour() {
  if (bigTour) return bigTour;
  const dir = 'tour-big';
  const root = path.join(DIST, dir);
  fs.mkdirSync(root, { recursive: true });
  const w = 8192, h = 4096;
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    const row = y * (w * 3 + 1);
    for (let x = 0; x < w; x++) {
      const i = row + 1 + x * 3;
      const line = x % 256 < 6 || y % 256 < 6;
      raw[i] = line ? 250 : (x * 255 / w) | 0;
      raw[i + 1] = line ? 250 : (y * 255 / h) | 0;
      raw[i + 2] = line ? 40 : ((x >> 9) + (y >> 9)) % 2 ? 200 : 60;
    }
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(zlib.crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 2;
  fs.writeFileSync(path.join(root, 'big.png'), Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 1 })), chunk('IEND', Buffer.alloc(0))]));
  fs.writeFileSync(path.join(root, 'tour.json'), JSON.stringify({ version: 1, title: 'Big', scenes: [
    { id: 'big', kind: 'panorama', image: 'big.png', view: { yaw: 30, pitch: 10, fov: 70 } }] }));
  let native = null;
  bigTour = {
    dir,
    native() {
      native ??= nativeRenderOf(root, 'big');
      return native;
    },
  };
  return bigTour;
}


/** Compressed glTF from the corpus (Draco, KTX2) and one made here with gltfpack (meshopt), as
 *  object scenes of a tour under dist/ (copied, never committed); `null` without the corpus. */
let compressedTour;
function compressedModelsTour() {
  if (compressedTour !== undefined) return compressedTour;
  const corpus = process.env.DISAN_CORPUS ?? path.join(ROOT, '..', 'shared', 'corpus');
  if (!fs.existsSync(path.join(corpus, 'gltf-compressed'))) {
    console.log(`# skipped: no corpus at ${corpus} (set DISAN_CORPUS)`);
    compressedTour = null;
    return null;
  }
  const dir = 'tour-compressed';
  const root = path.join(DIST, dir);
  fs.rmSync(root, { recursive: true, force: true });
  const copy = (from, to) => fs.cpSync(path.join(corpus, from), path.join(root, to), { recursive: true });
  copy('gltf-compressed/Duck/glTF-Draco', 'draco');
  copy('gltf-compressed/StainedGlassLamp/glTF-KTX-BasisU', 'ktx2');
  execFileSync(path.join(ROOT, 'web', 'node_modules', '.bin', 'gltfpack'),
    ['-i', path.join(corpus, 'gltf/Duck/glTF-Binary/Duck.glb'), '-o', path.join(root, 'meshopt-duck.glb'), '-cc'], { stdio: 'pipe' });
  const scenes = [
    { id: 'draco', kind: 'object', model: 'draco/Duck.gltf' },
    { id: 'meshopt', kind: 'object', model: 'meshopt-duck.glb' },
    { id: 'ktx2', kind: 'object', model: 'ktx2/StainedGlassLamp.gltf' },
  ];
  fs.writeFileSync(path.join(root, 'tour.json'), JSON.stringify({ version: 1, title: 'Compressed', scenes }));
  compressedTour = { dir, root, scenes };
  return compressedTour;
}

for (const backend of ['webgpu', 'webgl2']) {
  describe(backend, () => {
    const query = backend === 'webgl2' ? '?backend=webgl2' : ''; // WebGPU: the default "auto" path
    const logs = [];
    let browser, server, page, demo, lang;

    before(async () => {
      demo = readTour();
      server = await startServer(DIST);
      browser = await launch(backend);
      page = await newPage(browser, logs);
    });
    after(async () => {
      if (logs.length) fs.writeFileSync(path.join(OUT, `${backend}-console.txt`), logs.join('\n') + '\n');
      await browser?.close();
      await server?.close();
    });

    it('loads the page and fires ready', TEST, async () => {
      const res = await page.goto(`${server.url}index.html${query}`);
      assert.equal(res.status(), 200);
      await waitFor(page, logs, () => window.disanEvents?.some((e) => e.type === 'ready') || document.querySelector('.disan-failed'),
        null, '`ready`');
      const list = await events(page);
      assert.ok(list.some((e) => e.type === 'ready'), `no ready event; the page shows an error.\nEvents:\n  ${describeEvents(list)}`);
      const first = list.find((e) => e.type === 'scenechange');
      assert.equal(first?.detail.scene, demo.start.id, 'the first scene is the start scene');
      lang = await page.evaluate(() => window.disanHandle.language);
      await page.screenshot({ path: path.join(OUT, `${backend}-page-start.png`) });
    });

    it(`uses the ${backend} backend`, TEST, async () => {
      const got = await page.evaluate(() => window.disanHandle.backend);
      if (got === backend) return;
      const gpu = await page.evaluate(async () => {
        if (!navigator.gpu) return 'navigator.gpu is missing';
        const adapter = await navigator.gpu.requestAdapter().catch((e) => `requestAdapter threw ${e}`);
        return adapter ? `an adapter exists (${adapter.info?.vendor} ${adapter.info?.architecture})` : 'requestAdapter() returned null';
      });
      assert.fail(`expected the ${backend} backend, the page uses ${got}. WebGPU here: ${gpu}.\n` +
        `Console:\n  ${logs.filter((l) => /disan|webgpu|wgpu/i.test(l)).slice(-20).join('\n  ')}`);
    });

    it('draws the start scene (canvas not blank)', TEST, async () => {
      await settle(page);
      const stats = imageStats(await canvasShot(page, `${backend}-start.png`));
      assert.ok(stats.distinct > 64 && stats.stddev > 8,
        `the canvas looks blank: ${stats.distinct} distinct colours, luma stddev ${stats.stddev.toFixed(1)} (see tests/out/${backend}-start.png)`);
    });

    it('an info hotspot opens the catalog card; close and Escape close it', TEST, async () => {
      const infos = demo.hotspots('info').filter((h) => h.entry);
      assert.ok(infos.length, `the start scene ${demo.start.id} has no info hotspot`);
      const { h, button } = await visibleButton(page, infos);
      const entry = demo.entry(h.entry);
      assert.ok(entry, `catalog entry ${h.entry} (hotspot ${h.id ?? h.index}) is missing from the catalog`);
      const n = (await events(page)).length;
      await button.click({ timeout: 10_000 });
      const card = page.locator('#tour .disan-card[role="dialog"]');
      await card.waitFor({ state: 'visible', timeout: 5000 });
      assert.equal((await card.locator('.disan-card-title').textContent()).trim(), pick(entry.title, lang));
      assert.ok(await page.evaluate(() => !!document.activeElement?.closest('.disan-card')), 'focus moves into the card');
      const click = (await events(page)).slice(n).find((e) => e.type === 'hotspotclick');
      assert.deepEqual([click?.detail.kind, click?.detail.entry, click?.detail.scene], ['info', h.entry, demo.start.id]);
      await page.screenshot({ path: path.join(OUT, `${backend}-card.png`) });
      await card.locator('.disan-card-close').click();
      await card.waitFor({ state: 'hidden', timeout: 5000 });
      await button.click({ timeout: 10_000 });
      await card.waitFor({ state: 'visible', timeout: 5000 });
      await page.keyboard.press('Escape');
      await card.waitFor({ state: 'hidden', timeout: 5000 });
    });

    it('a link hotspot changes the scene, which is then drawn', TEST, async () => {
      const links = demo.hotspots('link').filter((h) => h.target);
      assert.ok(links.length, `the start scene ${demo.start.id} has no link hotspot`);
      const { h, button } = await visibleButton(page, links);
      const target = demo.scene(h.target);
      assert.ok(target, `link ${h.id ?? h.index} goes to unknown scene ${h.target}`);
      await settle(page);
      const before = await canvasShot(page, `${backend}-before-link.png`);
      const n = (await events(page)).length;
      await button.click({ timeout: 10_000 });
      await waitFor(page, logs, ([n, id]) => window.disanEvents.slice(n).some((e) => e.type === 'scenechange' && e.detail.scene === id),
        [n, h.target], `scenechange to ${h.target}`);
      const list = (await events(page)).slice(n);
      const click = list.find((e) => e.type === 'hotspotclick');
      assert.deepEqual([click?.detail.kind, click?.detail.target], ['link', h.target]);
      assert.equal(list.find((e) => e.type === 'error'), undefined, 'no error while changing scene');
      await settle(page);
      assert.equal(await page.evaluate(() => window.disanHandle.scene), h.target);
      assert.equal((await page.locator('#tour .disan-title').textContent()).trim(), pick(target.title, lang));
      assert.equal(await page.evaluate(() => new URLSearchParams(location.hash.slice(1)).get('scene')), h.target, 'the address names the scene');
      const after = await canvasShot(page, `${backend}-after-link.png`);
      const stats = imageStats(after), diff = meanDiff(before, after);
      assert.ok(stats.distinct > 64 && stats.stddev > 8, `the new scene looks blank (${stats.distinct} colours, stddev ${stats.stddev.toFixed(1)})`);
      assert.ok(diff > 6, `the canvas hardly changed after the scene change (mean difference ${diff.toFixed(2)})`);
      await page.screenshot({ path: path.join(OUT, `${backend}-page-after-link.png`) });
    });

    it('the idle view draws no frames', TEST, async () => {
      await settle(page);
      await page.waitForTimeout(200);
      const before = await page.evaluate(() => window.__disanFrames);
      await page.waitForTimeout(1000);
      const after = await page.evaluate(() => window.__disanFrames);
      assert.equal(after - before, 0, `${after - before} animation frames ran in one idle second`);
    });

    it('a missing tour shows an error instead of hanging', TEST, async () => {
      const p = await newPage(browser, logs);
      try {
        await p.goto(`${server.url}index.html?tour=tour/missing.json${query ? `&${query.slice(1)}` : ''}`);
        await waitFor(p, logs, () => window.disanEvents?.some((e) => e.type === 'error'), null, '`error`');
        // In plain words, in both languages (the tour, which names its own, could not be read);
        // the file and what went wrong below.
        const { message, detail } = (await events(p)).find((e) => e.type === 'error').detail;
        assert.match(message, /Không mở được chuyến tham quan này\nThis tour could not be opened/);
        assert.match(detail, /missing\.json/);
        assert.ok(await p.locator('#tour .disan-error').isVisible(), 'the error box is shown');
      } finally {
        await p.close();
      }
    });

    it('parity: every demo scene draws the same picture natively and in the browser', TEST, async () => {
      const p = await browser.newPage({ viewport: { width: PARITY.width, height: PARITY.height } });
      p.on('console', (m) => logs.push(`parity ${m.type()}: ${m.text()}`));
      const results = [];
      try {
        for (const s of demo.tour.scenes) {
          await p.goto('about:blank');
          await p.goto(`${server.url}index.html${query}#scene=${encodeURIComponent(s.id)}`);
          await waitFor(p, logs, (id) => window.disanEvents?.some((e) => e.type === 'ready') &&
            window.disanHandle.scene === id, s.id, `${s.id} ready`);
          await settle(p);
          const web = await canvasShot(p, `${backend}-parity-${s.id}.png`);
          const native = nativeRender(s.id);
          const d = meanDiff(native, web);
          results.push(`${s.id}: ${d.toFixed(2)}`);
          if (d > PARITY.limit) {
            // Where they differ, for the reader of tests/out/.
            const diff = Buffer.alloc(web.rgba.length);
            for (let i = 0; i < diff.length; i += 4) {
              for (let c = 0; c < 3; c++) diff[i + c] = Math.min(255, 4 * Math.abs(web.rgba[i + c] - native.rgba[i + c]));
              diff[i + 3] = 255;
            }
            fs.writeFileSync(path.join(OUT, `${backend}-parity-${s.id}.diff.rgba`), diff);
          }
        }
      } finally {
        await p.close();
      }
      console.log(`# parity native vs ${backend} (mean |difference| per channel, 0–255): ${results.join(', ')}`);
      const worst = Math.max(...results.map((r) => Number(r.split(': ')[1])));
      assert.ok(worst <= PARITY.limit, `mean difference per channel above ${PARITY.limit}/255 (native vs ${backend}, see tests/out/native-*.png and ${backend}-parity-*.png):\n  ${results.join('\n  ')}`);
    });

    it('parity where an equirectangular image is hardest: at ±180° and at both poles (no seam, no pinch)', TEST, async () => {
      // The 8192×4096 grid (lines every 256 texels: they all meet at the poles) as three scenes.
      const big = bigPanoramaTour();
      const root = path.join(DIST, big.dir);
      const views = { back: { yaw: 180, pitch: 0, fov: 90 }, zenith: { yaw: 30, pitch: 90, fov: 90 }, nadir: { yaw: 30, pitch: -90, fov: 90 } };
      fs.writeFileSync(path.join(root, 'hard.json'), JSON.stringify({ version: 1, title: 'Hard views',
        scenes: Object.entries(views).map(([id, view]) => ({ id, kind: 'panorama', image: 'big.png', view })) }));
      const p = await browser.newPage({ viewport: { width: PARITY.width, height: PARITY.height } });
      p.on('console', (m) => logs.push(`hard ${m.type()}: ${m.text()}`));
      const results = [];
      try {
        for (const id of Object.keys(views)) {
          await p.goto('about:blank');
          await p.goto(`${server.url}index.html${query ? `${query}&` : '?'}tour=${encodeURIComponent(`${big.dir}/hard.json`)}#scene=${id}`);
          await waitFor(p, logs, (s) => window.disanEvents?.some((e) => e.type === 'ready') && window.disanHandle.scene === s, id, `${id} ready`);
          await settle(p);
          const web = await canvasShot(p, `${backend}-hard-${id}.png`);
          results.push(`${id}: ${meanDiff(nativeRenderOf(path.join(root, 'hard.json'), id), web).toFixed(2)}`);
        }
      } finally {
        await p.close();
      }
      console.log(`# hard views, native vs ${backend}: ${results.join(', ')}`);
      const worst = Math.max(...results.map((r) => Number(r.split(': ')[1])));
      assert.ok(worst <= PARITY.limit, `mean difference per channel above ${PARITY.limit}/255 (native vs ${backend}, see tests/out/native-{back,zenith,nadir}.png and ${backend}-hard-*.png):\n  ${results.join('\n  ')}`);
    });

    it('Back and Forward move between scenes', TEST, async () => {
      const p = await newPage(browser, logs);
      try {
        await p.goto(`${server.url}index.html${query}`);
        await waitFor(p, logs, () => window.disanEvents?.some((e) => e.type === 'ready'), null, '`ready`');
        const link = demo.hotspots('link').find((h) => h.target);
        await p.evaluate((id) => window.disanHandle.goTo(id), link.target);
        assert.equal(await p.evaluate(() => window.disanHandle.scene), link.target);
        await p.goBack();
        await waitFor(p, logs, (id) => window.disanHandle.scene === id, demo.start.id, 'Back to the start scene');
        assert.ok(p.url().startsWith(server.url), 'Back stays in the tour');
        await p.goForward();
        await waitFor(p, logs, (id) => window.disanHandle.scene === id, link.target, 'Forward to the linked scene');
      } finally {
        await p.close();
      }
    });

    it('a guided tour plays through every step: events in order, scenes change, cards open, the address follows', TEST, async () => {
      const guided = demo.tour.tours?.[0];
      assert.ok(guided && guided.steps.length >= 5, 'the demo tour has a guided tour of at least 5 steps');
      const p = await newPage(browser, logs);
      try {
        await p.goto(`${server.url}index.html${query}`);
        await waitFor(p, logs, () => window.disanEvents?.some((e) => e.type === 'ready'), null, '`ready`');
        // Its button in the toolbar starts it.
        await p.locator('#tour .disan-ctl-tours').click();
        await p.locator(`#tour .disan-tour-list button[data-tour="${guided.id}"]`).click();
        const player = p.locator('#tour .disan-player');
        await player.waitFor({ state: 'visible', timeout: 10_000 });
        await p.screenshot({ path: path.join(OUT, `${backend}-guided-0.png`) });
        // The first step ends by itself after its duration; the others are stepped with "Next".
        const first = guided.steps[0];
        await waitFor(p, logs, () => window.disanEvents.some((e) => e.type === 'tourstep' && e.detail.step === 1), null,
          `step 2 after the ${first.duration} s of step 1`, (first.duration + 30) * 1000);
        for (let i = 2; i < guided.steps.length; i++) {
          await p.locator('#tour .disan-player-next').click();
          await waitFor(p, logs, (n) => window.disanEvents.some((e) => e.type === 'tourstep' && e.detail.step === n), i, `step ${i + 1}`);
          const want = guided.steps[i].scene;
          await waitFor(p, logs, (id) => window.disanHandle.scene === id, want, `step ${i + 1} shows ${want}`);
          if (guided.steps[i].hotspot) {
            await p.locator('#tour .disan-card').waitFor({ state: 'visible', timeout: 10_000 });
          }
          await waitFor(p, logs, (want) => decodeURIComponent(location.hash).includes(want), `step=${guided.id}/${i + 1}`,
            `the address names step ${i + 1}`, 10_000);
        }
        await settle(p);
        await p.screenshot({ path: path.join(OUT, `${backend}-guided-last.png`) });
        await p.locator('#tour .disan-player-next').click();
        await waitFor(p, logs, () => window.disanEvents.some((e) => e.type === 'tourend'), null, '`tourend`');
        const list = (await events(p)).filter((e) => e.type.startsWith('tour') || e.type === 'scenechange');
        const steps = list.filter((e) => e.type === 'tourstep').map((e) => e.detail.step);
        assert.deepEqual(steps, guided.steps.map((_, i) => i), `steps in order:\n  ${describeEvents(list)}`);
        const scenes = list.filter((e) => e.type === 'scenechange').map((e) => e.detail.scene);
        const expected = [demo.start.id, ...guided.steps.map((st) => st.scene)].filter((id, i, a) => i === 0 || id !== a[i - 1]);
        assert.deepEqual(scenes, expected, `scene changes:\n  ${describeEvents(list)}`);
        assert.equal(list.at(-1).detail.completed, true);
        assert.ok(await player.isHidden(), 'the player goes with the tour');
        // The card of a step opened (the stele's record at step 2): its event was fired.
        const cards = (await events(p)).filter((e) => e.type === 'hotspotclick');
        assert.equal(cards.length, 0, 'steps open cards without clicking hotspots');
      } finally {
        await p.close();
      }
    });

    it('a shared link opens exactly its view (pixels against disan render of the same view), and its step', TEST, async () => {
      const view = { yaw: 40, pitch: 10, fov: 60 };
      const p = await browser.newPage({ viewport: { width: PARITY.width, height: PARITY.height } });
      p.on('console', (m) => logs.push(`link ${m.type()}: ${m.text()}`));
      try {
        await p.goto(`${server.url}index.html${query}#scene=${demo.start.id}&yaw=${view.yaw}&pitch=${view.pitch}&fov=${view.fov}`);
        await waitFor(p, logs, () => window.disanEvents?.some((e) => e.type === 'ready'), null, '`ready`');
        await settle(p);
        const got = await p.evaluate(() => window.disanHandle.getView());
        for (const k of Object.keys(view)) assert.ok(Math.abs(got[k] - view[k]) < 0.01, `${k}: ${got[k]} != ${view[k]}`);
        const web = await canvasShot(p, `${backend}-link.png`);
        const native = nativeRenderOf(path.join(DIST, 'tour'), demo.start.id, view, 'link');
        const d = meanDiff(native, web);
        console.log(`# link view, native vs ${backend}: ${d.toFixed(2)}`);
        assert.ok(d <= PARITY.limit, `mean difference ${d.toFixed(2)} > ${PARITY.limit} (tests/out/native-link.png vs ${backend}-link.png)`);
        // A different view is not "exactly" it: the check can fail.
        const other = nativeRenderOf(path.join(DIST, 'tour'), demo.start.id, { ...view, yaw: view.yaw + 8 }, 'link-other');
        assert.ok(meanDiff(other, web) > PARITY.limit * 2, 'a view 8° away is told apart');
        // The address follows the view once it rests: turn it, and the link says so.
        await p.evaluate(() => window.disanHandle.setView({ yaw: 100 }));
        await waitFor(p, logs, () => /yaw=100(&|$)/.test(location.hash), null, 'the address follows the view');
        // A step link opens that step, paused.
        const guided = demo.tour.tours[0];
        await p.goto('about:blank');
        await p.goto(`${server.url}index.html${query}#step=${guided.id}/3`);
        await waitFor(p, logs, () => window.disanHandle.guide?.step === 2, null, 'step 3 from the link');
        const g = await p.evaluate(() => window.disanHandle.guide);
        assert.equal(g.playing, false, 'a shared step opens paused');
        await waitFor(p, logs, (id) => window.disanHandle.scene === id, guided.steps[2].scene, 'its scene');
      } finally {
        await p.close();
      }
    });

    it('every command of web/protocol.d.ts goes through Engine.send (the one entry point)', TEST, async () => {
      const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'commands.json');
      const commands = JSON.parse(fs.readFileSync(file, 'utf8')).map((c) => {
        if (c.type === 'go') return { ...c, scene: demo.start.id };
        if (c.type === 'play') return { ...c, tour: demo.tour.tours[0].id };
        if (c.type === 'activate' || c.type === 'look_at_hotspot') return { ...c, hotspot: 0 };
        return c;
      });
      assert.ok(commands.length > 20, `${commands.length} commands`);
      const p = await newPage(browser, logs);
      try {
        await p.goto(`${server.url}index.html${query}`);
        await waitFor(p, logs, () => window.disanEvents?.some((e) => e.type === 'ready'), null, '`ready`');
        const replies = await p.evaluate((list) => list.map((c) => {
          try { return { type: c.type, reply: JSON.parse(window.disanHandle.engine.send(JSON.stringify(c))) }; } catch (e) { return { type: c.type, error: String(e?.message ?? e) }; }
        }), commands);
        for (const r of replies) {
          assert.equal(r.error, undefined, `${r.type}: ${r.error}`);
          assert.equal(typeof r.reply.changed, 'boolean', `${r.type}: ${JSON.stringify(r.reply)}`);
        }
        // A malformed command is an error that names it.
        const bad = await p.evaluate(() => { try { window.disanHandle.engine.send('{"type": "fly"}'); return ''; } catch (e) { return String(e?.message ?? e); } });
        assert.match(bad, /not a visit command.*fly/);
      } finally {
        await p.close();
      }
    });

    it('Home takes the view back to where the scene starts, as natively', TEST, async () => {
      const p = await newPage(browser, logs);
      try {
        await p.goto(`${server.url}index.html${query}`);
        await waitFor(p, logs, () => window.disanEvents?.some((e) => e.type === 'ready'), null, '`ready`');
        await settle(p);
        const yaw0 = await p.evaluate(() => window.disanHandle.getView().yaw);
        await p.evaluate((y) => window.disanHandle.setView({ yaw: y + 50 }), yaw0);
        await waitFor(p, logs, (y) => Math.abs(window.disanHandle.getView().yaw - y - 50) < 0.5, yaw0, 'the view turned');
        await p.focus('#tour .disan');
        await p.keyboard.press('Home');
        await waitFor(p, logs, (y) => Math.abs(window.disanHandle.getView().yaw - y) < 0.5, yaw0, 'Home resets the view');
      } finally {
        await p.close();
      }
    });

    it('auto-rotation draws frames while on and none when off', TEST, async () => {
      const p = await newPage(browser, logs);
      try {
        await p.goto(`${server.url}index.html${query}`);
        await waitFor(p, logs, () => window.disanEvents?.some((e) => e.type === 'ready'), null, '`ready`');
        await settle(p);
        const yaw0 = await p.evaluate(() => window.disanHandle.getView().yaw);
        // The toolbar's button turns it on; it starts after 3 s without a touch.
        await p.locator('#tour .disan-ctl-autorotate').click();
        assert.equal(await p.locator('#tour .disan-ctl-autorotate').getAttribute('aria-pressed'), 'true');
        await p.waitForTimeout(3500);
        const f0 = await p.evaluate(() => window.__disanFrames);
        await p.waitForTimeout(1000);
        const f1 = await p.evaluate(() => window.__disanFrames);
        const yaw1 = await p.evaluate(() => window.disanHandle.getView().yaw);
        assert.ok(f1 - f0 >= 5, `only ${f1 - f0} frames in a second of auto-rotation`);
        assert.ok(Math.abs(yaw1 - yaw0) > 2, `the view did not turn (${yaw0} → ${yaw1})`);
        await p.locator('#tour .disan-ctl-autorotate').click();
        await settle(p);
        await p.waitForTimeout(300);
        const g0 = await p.evaluate(() => window.__disanFrames);
        await p.waitForTimeout(1500);
        const g1 = await p.evaluate(() => window.__disanFrames);
        assert.equal(g1 - g0, 0, `${g1 - g0} frames with auto-rotation off`);
      } finally {
        await p.close();
      }
    });

    it('hotspots outside the view: edge arrows lead to them and screen readers hear where they are; the compass', TEST, async () => {
      const p = await newPage(browser, logs);
      try {
        await p.goto(`${server.url}index.html${query}&lang=en`.replace('.html&', '.html?'));
        await waitFor(p, logs, () => window.disanEvents?.some((e) => e.type === 'ready'), null, '`ready`');
        await settle(p);
        // The scene list shows every scene with its thumbnail (made by `disan thumbnails` at build time).
        await p.locator('#tour .disan-ctl-scenes').click();
        const thumbs = p.locator('#tour .disan-scene-list img');
        await waitFor(p, logs, (n) => [...document.querySelectorAll('#tour .disan-scene-list img')]
          .filter((i) => i.complete && i.naturalWidth > 0).length === n, demo.tour.scenes.length, 'the thumbnails', 10_000);
        assert.equal(await thumbs.count(), demo.tour.scenes.length);
        await p.screenshot({ path: path.join(OUT, `${backend}-scene-list.png`) });
        await p.keyboard.press('Escape');
        assert.ok(await p.locator('#tour .disan-scene-list').isHidden(), 'Escape closes the list');
        // Face away from every hotspot of the start scene.
        const yaws = demo.start.hotspots.map((h) => h.yaw);
        const away = (yaws.reduce((a, b) => a + b, 0) / yaws.length) + 180;
        await p.evaluate((yaw) => window.disanHandle.setView({ yaw, pitch: 0 }), away);
        await settle(p);
        await p.waitForTimeout(300);
        const arrows = p.locator('#tour .disan-edge:not([hidden])');
        const n = await arrows.count();
        const visible = await p.locator('#tour .disan-hotspot:not([hidden])').count();
        assert.equal(n + visible, demo.start.hotspots.length, `${n} arrows and ${visible} hotspots on screen`);
        assert.ok(n >= 1, 'at least one hotspot is outside the view');
        const summary = await p.locator('#tour .disan-sr-only[aria-live]').last().textContent();
        assert.match(summary, /^Outside the view: .+ (to the left|to the right|above|below)/, summary);
        await p.screenshot({ path: path.join(OUT, `${backend}-edge-arrows.png`) });
        // The compass shows the bearing; its press faces north.
        const compass = p.locator('#tour .disan-compass');
        assert.ok(await compass.isVisible(), 'a panorama has a compass');
        assert.match(await compass.getAttribute('aria-label'), /View direction: \d+°/);
        // Pressing an arrow turns the view to its hotspot: it is then on screen.
        const label = await arrows.first().getAttribute('title');
        await arrows.first().click();
        await settle(p);
        await p.waitForTimeout(300);
        const onScreen = await p.locator('#tour .disan-hotspot:not([hidden])').evaluateAll(
          (bs) => bs.map((b) => b.querySelector('.disan-label')?.textContent));
        assert.ok(onScreen.includes(label), `${label} is on screen after its arrow: ${onScreen}`);
        await compass.click();
        await settle(p);
        const north = demo.start.north_offset ?? 0;
        const yaw = await p.evaluate(() => window.disanHandle.getView().yaw);
        assert.ok(Math.abs(((yaw - north + 540) % 360) - 180) < 0.5, `faces north: yaw ${yaw}, north ${north}`);
      } finally {
        await p.close();
      }
    });

    it('the gyroscope (a phone) turns the view with the device, off by default', TEST, async () => {
      const ctx = await browser.newContext({ viewport: { width: 390, height: 700 }, hasTouch: true, isMobile: true });
      const p = await ctx.newPage();
      p.on('console', (m) => logs.push(`gyro ${m.type()}: ${m.text()}`));
      try {
        await p.goto(`${server.url}index.html${query}`);
        await waitFor(p, logs, () => window.disanEvents?.some((e) => e.type === 'ready'), null, '`ready`');
        await settle(p);
        const send = (a, b, g) => p.evaluate(([alpha, beta, gamma]) =>
          window.dispatchEvent(new DeviceOrientationEvent('deviceorientation', { alpha, beta, gamma })), [a, b, g]);
        const before = await p.evaluate(() => window.disanHandle.getView());
        await send(30, 120, 0);
        await settle(p);
        assert.deepEqual(await p.evaluate(() => window.disanHandle.getView()), before, 'off: orientation changes nothing');
        const button = p.locator('#tour .disan-ctl-gyro');
        assert.ok(await button.isVisible(), 'a phone shows the gyroscope button');
        await button.tap();
        await waitFor(p, logs, () => document.querySelector('#tour .disan-ctl-gyro').getAttribute('aria-pressed') === 'true',
          null, 'the gyroscope button pressed', 5000);
        await send(0, 90, 0); // the first sample keeps the view
        await send(-20, 110, 0); // turned right by 20°, tilted up by 20°
        await settle(p);
        const after = await p.evaluate(() => window.disanHandle.getView());
        const turned = ((after.yaw - before.yaw + 540) % 360) - 180;
        assert.ok(Math.abs(turned - 20) < 0.5 && Math.abs(after.pitch - 20) < 0.5, `view ${JSON.stringify(after)} from ${JSON.stringify(before)}`);
        await button.tap();
        await waitFor(p, logs, () => document.querySelector('#tour .disan-ctl-gyro').getAttribute('aria-pressed') === 'false',
          null, 'the gyroscope button released', 5000);
        await send(60, 90, 0);
        await settle(p);
        assert.deepEqual(await p.evaluate(() => window.disanHandle.getView()), after, 'off again');
      } finally {
        await ctx.close();
      }
    });

    it('a scene whose file fails shows its error in the scene, and the tour goes on', TEST, async () => {
      const p = await newPage(browser, logs);
      try {
        // The start panorama is missing on the server: its scene still opens, with the message.
        // (The demo serves its panoramas tiled: the file the first frame needs is the preview.)
        const missing = demo.start.image ?? demo.start.tiles?.preview;
        await p.route(`**/${missing}`, (r) => r.fulfill({ status: 404, body: 'missing' }));
        await p.goto(`${server.url}index.html${query}&lang=en`.replace('.html&', '.html?'));
        await waitFor(p, logs, () => window.disanEvents?.some((e) => e.type === 'scenechange'), null, 'scenechange');
        const box = p.locator('#tour .disan-scene-error');
        await box.waitFor({ state: 'visible', timeout: 10_000 });
        const text = await box.textContent();
        assert.match(text, /could not be opened/);
        assert.ok(text.includes(path.basename(missing)), text);
        // Its hotspots still lead on.
        await waitFor(p, logs, () => window.disanEvents?.some((e) => e.type === 'ready'), null, '`ready` on the error scene');
        const link = demo.hotspots('link').find((h) => h.target);
        await p.evaluate((id) => window.disanHandle.goTo(id), link.target);
        await waitFor(p, logs, (id) => window.disanHandle.scene === id, link.target, 'the linked scene');
        assert.ok(await box.isHidden(), 'the error goes with its scene');
      } finally {
        await p.close();
      }
    });

    it('inspection tools on the drum: clay, the wireframe and a section change the picture as disan render draws them; two clicks measure', TEST, async () => {
      const obj = demo.tour.scenes.find((s) => s.kind === 'object');
      const p = await browser.newPage({ viewport: { width: PARITY.width, height: PARITY.height } });
      p.on('console', (m) => logs.push(`inspect ${m.type()}: ${m.text()}`));
      try {
        await p.goto(`${server.url}index.html${query}#scene=${obj.id}`);
        await waitFor(p, logs, (id) => window.disanEvents?.some((e) => e.type === 'ready') && window.disanHandle.scene === id, obj.id, 'the object scene');
        await settle(p);
        const plain = await canvasShot(p, `${backend}-inspect-plain.png`);
        // The tools' button is in the toolbar of an object scene; its panel sets clay.
        await p.click('#tour .disan-ctl-inspect');
        await p.click('#tour .disan-insp-view[data-view="clay"]');
        await settle(p);
        const clay = await canvasShot(p, `${backend}-inspect-clay.png`);
        const nativeClay = nativeRenderOf(path.join(DIST, 'tour'), obj.id, { clay: true }, 'inspect-clay');
        const dClay = meanDiff(nativeClay, clay);
        assert.ok(meanDiff(plain, clay) > PARITY.limit * 2, 'clay did not change the picture');
        assert.ok(dClay <= PARITY.limit, `clay differs from disan render --clay by ${dClay.toFixed(2)}`);
        // Wireframe: the edges over the clay surface.
        await p.click('#tour .disan-insp-view[data-view="wireframe"]');
        await settle(p);
        const wire = await canvasShot(p, `${backend}-inspect-wireframe.png`);
        const nativeWire = nativeRenderOf(path.join(DIST, 'tour'), obj.id, { wireframe: true }, 'inspect-wireframe');
        const dWire = meanDiff(nativeWire, wire);
        assert.ok(meanDiff(clay, wire) > PARITY.limit, 'the wireframe did not draw edges over the clay');
        assert.ok(dWire <= PARITY.limit, `the wireframe differs from disan render --wireframe by ${dWire.toFixed(2)}`);
        await p.click('#tour .disan-insp-view[data-view="normal"]');
        await p.click('#tour .disan-insp-section');
        await settle(p);
        const cut = await canvasShot(p, `${backend}-inspect-section.png`);
        const nativeCut = nativeRenderOf(path.join(DIST, 'tour'), obj.id, { section: 'y:0.5' }, 'inspect-section');
        const dCut = meanDiff(nativeCut, cut);
        assert.ok(dCut <= PARITY.limit, `the section differs from disan render --section y:0.5 by ${dCut.toFixed(2)}`);
        await p.click('#tour .disan-insp-section');
        // Measuring: two clicks on the drum make one measurement, listed and drawn.
        await p.click('#tour .disan-insp-measure');
        await p.click('#tour .disan-ctl-inspect'); // the panel closes; measuring goes on
        const box = await p.locator('#tour canvas').boundingBox();
        // On the drum, clear of the hotspots and the toolbar (their DOM buttons would take the click).
        await p.mouse.click(box.x + box.width * 0.30, box.y + box.height * 0.40);
        await p.mouse.click(box.x + box.width * 0.45, box.y + box.height * 0.45);
        await p.click('#tour .disan-ctl-inspect');
        await p.waitForFunction(() => document.querySelectorAll('#tour .disan-insp-list li').length === 1, null, { timeout: 10_000 });
        const text = await p.locator('#tour .disan-insp-list li span').first().textContent();
        assert.match(text, /^[0-9.]+ (m|cm|mm)$/, `a length: ${text}`);
        assert.equal(await p.locator('#tour .disan-measure-line').count(), 1, 'the measurement is drawn');
        await p.click('#tour .disan-insp-remove');
        assert.equal(await p.locator('#tour .disan-insp-list li').count(), 0);
      } finally {
        await p.close();
      }
    });

    it('a hotspot hidden behind the drum takes no click', TEST, async () => {
      const obj = demo.tour.scenes.find((s) => s.kind === 'object' && s.hotspots?.length);
      const p = await newPage(browser, logs);
      try {
        await p.goto(`${server.url}index.html${query}#scene=${obj.id}`);
        await waitFor(p, logs, (id) => window.disanHandle?.scene === id, obj.id, 'the object scene');
        await settle(p);
        const hidden = p.locator('#tour .disan-hotspot.hidden-behind');
        assert.ok(await hidden.count() > 0, 'the demo drum has a hotspot on its back, hidden from the front');
        const style = await hidden.first().evaluate((b) => [getComputedStyle(b).pointerEvents, b.tabIndex]);
        assert.deepEqual(style, ['none', -1]);
        // A click where it sits goes to what is visible there (the drum or a visible hotspot).
        const box = await hidden.first().boundingBox();
        const n = (await events(p)).length;
        await p.mouse.click(box.x + 22, box.y + box.height / 2);
        await p.waitForTimeout(300);
        const clicks = (await events(p)).slice(n).filter((e) => e.type === 'hotspotclick');
        const hiddenIndex = Number(await hidden.first().getAttribute('data-index'));
        assert.ok(clicks.every((c) => c.detail.index !== hiddenIndex), `the hidden hotspot was activated: ${describeEvents(clicks)}`);
      } finally {
        await p.close();
      }
    });

    it('keyboard alone: named language buttons, a modal card that keeps the focus, focus kept after a link', TEST, async () => {
      const p = await newPage(browser, logs);
      try {
        await p.goto(`${server.url}index.html${query}`);
        await waitFor(p, logs, () => window.disanEvents?.some((e) => e.type === 'ready'), null, '`ready`');
        await settle(p, '#tour');
        const names = await p.locator('#tour .disan-langs button').evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-label')));
        assert.ok(names.length >= 2 && names.every((n) => n && n.length > 2), `language buttons need accessible names: ${names}`);
        const buttonOf = async (kind) => {
          for (const h of demo.hotspots(kind)) {
            const b = p.locator(`#tour .disan-hotspot[data-index="${h.index}"]`);
            if (await b.isVisible()) return { h, b };
          }
          return assert.fail(`no visible ${kind} hotspot`);
        };
        // The card: opened by the keyboard, modal, Tab stays inside, Escape closes it.
        const info = await buttonOf('info');
        await info.b.focus();
        await p.keyboard.press('Enter');
        const card = p.locator('#tour .disan-card');
        await card.waitFor({ state: 'visible', timeout: 5000 });
        assert.equal(await card.getAttribute('aria-modal'), 'true');
        for (let i = 0; i < 4; i++) {
          await p.keyboard.press('Tab');
          assert.ok(await p.evaluate(() => !!document.activeElement?.closest('.disan-card')), `Tab ${i + 1} left the card`);
        }
        await p.keyboard.press('Escape');
        await card.waitFor({ state: 'hidden', timeout: 5000 });
        // A link followed by the keyboard: the focus stays in the viewer, not on <body>.
        const link = await buttonOf('link');
        await link.b.focus();
        await p.keyboard.press('Enter');
        await waitFor(p, logs, (id) => window.disanHandle.scene === id, link.h.target, 'the linked scene');
        const where = await p.evaluate(() => (document.activeElement === document.body ? 'body' : document.activeElement?.closest('.disan') ? 'viewer' : document.activeElement?.tagName));
        assert.equal(where, 'viewer', 'after following a link by keyboard the focus falls out of the viewer');
      } finally {
        await p.close();
      }
    });

    it('dist/disan.js is one file, and the engine gives the tour as JSON (tools such as the peer bench use both)', TEST, async () => {
      const js = fs.readFileSync(path.join(DIST, 'disan.js'), 'utf8');
      assert.ok(!/^\s*import\s.*from\s+['"]\.\/(loader|ui-text)\.js['"]/m.test(js), 'dist/disan.js still imports its sibling modules');
      const tour = await page.evaluate(() => JSON.parse(window.disanHandle.engine.tour_json()));
      assert.deepEqual(tour.scenes.map((s) => [s.id, s.kind]), demo.tour.scenes.map((s) => [s.id, s.kind]));
    });

    it('at a 4096 texture limit (a phone): the tiled demo, an 8192×4096 panorama in pieces and tiled 16K and 32K panoramas draw the native picture', { timeout: 600_000 }, async () => {
      const big = bigPanoramaTour();
      const cases = [
        { tour: 'tour/tour.json', id: demo.start.id, native: () => nativeRender(demo.start.id), name: 'tiled' },
        { tour: `${big.dir}/tour.json`, id: 'big', native: () => big.native(), name: 'pieces' },
      ];
      // The 16K and 32K panoramas `cargo xtask big-panos` tiles (part of `cargo xtask test`).
      for (const name of ['big16k', 'big32k']) {
        const dir = path.join(DIST, 'big', name);
        if (!fs.existsSync(path.join(dir, 'tour.json'))) {
          console.log(`# skipping ${name}: ${dir} is missing (cargo xtask big-panos makes it)`);
          continue;
        }
        cases.push({ tour: `big/${name}/tour.json`, id: name, name, native: () => nativeRenderOf(dir, name) });
      }
      const p = await browser.newPage({ viewport: { width: PARITY.width, height: PARITY.height } });
      p.on('console', (m) => logs.push(`cap ${m.type()}: ${m.text()}`));
      try {
        for (const c of cases) {
          await p.goto('about:blank');
          const q = `${query ? `${query}&` : '?'}maxTextureSide=4096&tour=${encodeURIComponent(c.tour)}#scene=${c.id}`;
          await p.goto(`${server.url}index.html${q}`);
          await waitFor(p, logs, () => window.disanEvents?.some((e) => e.type === 'ready' || e.type === 'error') || document.querySelector('.disan-failed'),
            null, `${c.name} ready`);
          const list = await events(p);
          assert.ok(!list.some((e) => e.type === 'error'), `${c.name}: an error at a 4096 limit:\n  ${describeEvents(list)}`);
          assert.equal(await p.evaluate(() => window.disanHandle.maxTextureSide), 4096, 'the cap reached the GPU');
          await settle(p);
          const web = await canvasShot(p, `${backend}-cap4096-${c.name}.png`);
          const stats = imageStats(web);
          assert.ok(stats.distinct > 64 && stats.stddev > 8, `${c.name}: blank at a 4096 limit (${stats.distinct} colours)`);
          const d = meanDiff(c.native(), web);
          console.log(`# 4096 limit, ${c.name}, native vs ${backend}: ${d.toFixed(2)}`);
          assert.ok(d <= PARITY.limit, `${c.name}: mean difference ${d.toFixed(2)} from the native render (see tests/out/${backend}-cap4096-${c.name}.png)`);
        }
      } finally {
        await p.close();
      }
    });

    it('compressed glTF (Draco, meshopt, KTX2) loads through its codec\'s decoder module, fetched only then and only that one, and draws what disan render draws', { timeout: 300_000 }, async () => {
      // The demo has no compressed model: its page never fetched a decoder.
      const decoder = /disan_(draco|meshopt|ktx2|decoders)/;
      const before = await page.evaluate((re) => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => new RegExp(re).test(n)), decoder.source);
      assert.deepEqual(before, [], 'a decoder was fetched for a tour without compressed models');
      const t = compressedModelsTour();
      if (!t) return;
      const p = await browser.newPage({ viewport: { width: PARITY.width, height: PARITY.height } });
      const wasm = [];
      p.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(path.basename(new URL(r.url()).pathname)); });
      p.on('console', (m) => logs.push(`compressed ${m.type()}: ${m.text()}`));
      const results = [];
      try {
        for (const s of t.scenes) {
          await p.goto('about:blank');
          wasm.length = 0;
          await p.goto(`${server.url}index.html${query ? `${query}&` : '?'}tour=${encodeURIComponent(`${t.dir}/tour.json`)}#scene=${s.id}`);
          await waitFor(p, logs, (id) => window.disanEvents?.some((e) => e.type === 'error') || document.querySelector('.disan-failed')
            || (window.disanEvents?.some((e) => e.type === 'ready') && window.disanHandle.scene === id), s.id, `${s.id} ready`, 150_000);
          const error = await p.evaluate(() => window.disanEvents?.find((e) => e.type === 'error')?.detail?.message ?? document.querySelector('.disan-failed, .disan-error:not([hidden])')?.textContent ?? '');
          assert.equal(error, '', `${s.id}: ${error}`);
          await settle(p, '#tour', 120_000);
          const web = await canvasShot(p, `${backend}-compressed-${s.id}.png`);
          const native = nativeRenderOf(t.root, s.id, null, `compressed-${s.id}`);
          const d = meanDiff(native, web);
          results.push(`${s.id}: ${d.toFixed(2)}`);
          if (s.id === 'ktx2') {
            // Where the GPU samples a block format, the lamp's KTX2 textures stay compressed on
            // it (about 25 MB instead of 91 MB as RGBA8).
            const g = await p.evaluate(() => ({ block: window.disanHandle.engine.block_format(), bytes: window.disanHandle.engine.gpu_memory().content }));
            console.log(`# ${backend} KTX2 lamp: block format ${g.block}, ${(g.bytes / 2 ** 20).toFixed(1)} MB on the GPU`);
            if (g.block) assert.ok(g.bytes < 50 * 2 ** 20, `the KTX2 textures were not kept as ${g.block}: ${g.bytes} bytes`);
          }
          assert.ok(imageStats(web).distinct > 40, `${s.id}: the model is not drawn`);
          // Each model downloads its own codec's decoder and no other.
          const decoders = wasm.filter((w) => decoder.test(w));
          assert.deepEqual(decoders, [`disan_${s.id}_bg.wasm`], `${s.id}: decoder modules fetched`);
        }
      } finally {
        await p.close();
      }
      console.log(`# compressed glTF, native vs ${backend}: ${results.join(', ')}`);
      const worst = Math.max(...results.map((r) => Number(r.split(': ')[1])));
      assert.ok(worst <= PARITY.limit, `mean difference above ${PARITY.limit}/255 (see tests/out/native-compressed-*.png and ${backend}-compressed-*.png): ${results.join(', ')}`);
    });

    it('a 2M-triangle scan opens at a 4096 texture limit and a 256 MB GPU budget through its derivatives: thumb first, then the level that fits, as disan render draws it', { timeout: 300_000 }, async () => {
      // Made by `cargo xtask big-panos` (part of `cargo xtask test`): never committed.
      const dir = path.join(DIST, 'big', 'scan2m');
      if (!fs.existsSync(path.join(dir, 'tour.json'))) {
        console.log(`# skipping: ${dir} is missing (cargo xtask big-panos makes it)`);
        return;
      }
      const listed = JSON.parse(fs.readFileSync(path.join(dir, 'tour.json'), 'utf8')).scenes[0].derivatives;
      const p = await browser.newPage({ viewport: { width: PARITY.width, height: PARITY.height } });
      const glbs = [], wasm = [];
      p.on('request', (r) => {
        const name = path.basename(new URL(r.url()).pathname);
        if (name.endsWith('.glb')) glbs.push(name);
        if (name.endsWith('.wasm')) wasm.push(name);
      });
      p.on('console', (m) => logs.push(`scan ${m.type()}: ${m.text()}`));
      try {
        await p.goto(`${server.url}index.html${query ? `${query}&` : '?'}maxTextureSide=4096&gpuBudget=256&tour=${encodeURIComponent('big/scan2m/tour.json')}`);
        await waitFor(p, logs, () => window.disanEvents?.some((e) => e.type === 'ready' || e.type === 'error') || document.querySelector('.disan-failed'),
          null, 'scan ready', 150_000);
        // The finer level arrives and is swapped in: nothing left loading, the wanted level shown.
        await waitFor(p, logs, () => {
          const d = window.disanHandle.engine.detail();
          return d && !d.loading && d.wanted && d.shown.quality === d.wanted.quality && d.shown.quality !== 'thumb';
        }, null, 'the finer level shown', 200_000);
        const list = await events(p);
        assert.ok(!list.some((e) => e.type === 'error'), `an error:\n  ${describeEvents(list)}`);
        const d = await p.evaluate(() => window.disanHandle.engine.detail());
        console.log(`# ${backend} scan: ${glbs.join(' -> ')}; shown ${d.shown.quality} (${d.shown.triangles} triangles, ${d.shown.texture} px), GPU ${(d.gpu_bytes / 2 ** 20).toFixed(1)} MB of ${d.limits.gpu_budget / 2 ** 20} MB`);
        assert.equal(d.limits.max_texture, 4096, 'the texture cap reached the core');
        assert.equal(d.limits.gpu_budget, 256 * 2 ** 20, 'the GPU budget reached the core');
        assert.ok(d.shown.texture <= 4096 && d.shown.gpu_bytes <= d.limits.gpu_budget, `the level shown does not fit: ${JSON.stringify(d.shown)}`);
        assert.ok(d.gpu_bytes > 0 && d.gpu_bytes <= d.limits.gpu_budget, `the renderer holds ${d.gpu_bytes} bytes, over the budget`);
        // The thumb first, then the chosen level; never the 2M-triangle original.
        const thumb = listed.find((l) => l.quality === 'thumb').model;
        assert.equal(glbs[0], thumb, `the thumb was not fetched first: ${glbs.join(', ')}`);
        assert.ok(glbs.includes(d.shown.model), `${d.shown.model} was not fetched`);
        assert.ok(!glbs.includes('boulder.glb'), 'the original was fetched');
        // meshopt geometry and KTX2 textures (disan optimize): the module with all the decoders,
        // smaller than the two of its codecs.
        const decoders = wasm.filter((w) => /^disan_(draco|meshopt|ktx2|decoders)/.test(w));
        assert.deepEqual(decoders, ['disan_decoders_bg.wasm'], 'decoder modules fetched');
        await settle(p, '#tour', 60_000);
        const web = await canvasShot(p, `${backend}-scan2m.png`);
        assert.ok(imageStats(web).distinct > 64, 'the scan is not drawn');
        const native = nativeRenderOf(dir, 'scan', null, 'scan2m');
        const diff = meanDiff(native, web);
        console.log(`# scan derivatives, native vs ${backend}: ${diff.toFixed(2)}`);
        assert.ok(diff <= PARITY.limit, `mean difference ${diff.toFixed(2)} from disan render (see tests/out/native-scan2m.png and ${backend}-scan2m.png)`);
      } finally {
        await p.close();
      }
    });

    it('a tour of panoramas only loads the engine without objects; a drag may draw smaller, the view at rest is full size and native', { timeout: 300_000 }, async () => {
      // The demo (it has an object scene) was loaded with the full engine.
      assert.equal(await page.evaluate(() => window.disanHandle.engine.has_objects()), true, 'the demo tour needs the full engine');
      const big = bigPanoramaTour();
      // A laptop-sized view: on this machine's software GPU its frames are slow enough for the
      // moving view to be drawn smaller.
      const size = { width: 1280, height: 720 };
      const p = await browser.newPage({ viewport: size });
      const wasm = [];
      p.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(path.basename(new URL(r.url()).pathname)); });
      p.on('console', (m) => logs.push(`pano ${m.type()}: ${m.text()}`));
      try {
        await p.goto(`${server.url}index.html${query ? `${query}&` : '?'}tour=${encodeURIComponent(`${big.dir}/tour.json`)}`);
        await waitFor(p, logs, () => window.disanEvents?.some((e) => e.type === 'ready' || e.type === 'error') || document.querySelector('.disan-failed'),
          null, 'panorama tour ready');
        const pkg = backend === 'webgpu' ? 'disan_webgpu' : 'disan_webgl';
        assert.deepEqual(wasm, [`${pkg}_pano_bg.wasm`], 'a tour of panoramas fetches only the engine without objects');
        assert.equal(await p.evaluate(() => window.disanHandle.engine.has_objects()), false);
        await settle(p);
        const full = await p.evaluate(() => document.querySelector('#tour canvas').width);
        const before = await p.evaluate(() => window.disanHandle.engine.view());
        // Drag for two seconds, one move a frame; record the drawing buffer's width.
        const drag = await p.evaluate(() => new Promise((resolve) => {
          const canvas = document.querySelector('#tour canvas');
          const r = canvas.getBoundingClientRect();
          const y = r.top + r.height / 2;
          const send = (type, x) => canvas.dispatchEvent(new PointerEvent(type, { pointerId: 1, pointerType: 'mouse', isPrimary: true,
            button: type === 'pointermove' ? -1 : 0, buttons: type === 'pointerup' ? 0 : 1, clientX: x, clientY: y, bubbles: true }));
          send('pointerdown', r.left + r.width * 0.8);
          const t0 = performance.now();
          let min = canvas.width, frames = 0;
          requestAnimationFrame(function move(t) {
            frames++;
            min = Math.min(min, canvas.width);
            const x = r.left + r.width * 0.8 - ((t - t0) / 1000) * 60;
            if (t - t0 < 2000) { send('pointermove', x); requestAnimationFrame(move); return; }
            send('pointerup', x);
            resolve({ min, frames, ms: performance.now() - t0, scale: window.disanHandle.engine.render_scale() });
          });
        }));
        const each = drag.ms / drag.frames;
        console.log(`# ${backend} drag: ${drag.frames} frames in ${drag.ms.toFixed(0)} ms, drawing buffer ${drag.min}..${full} px wide, scale ${drag.scale}`);
        // The governor's budget is 1/45 s (disan_tour::scale): frames over it (even after
        // shrinking) mean the moving view must have been drawn smaller.
        if (each > 26) {
          assert.ok(drag.min < full && drag.scale < 1, `slow frames (${each.toFixed(0)} ms) but the moving view stayed at full size`);
        } else {
          console.log(`# ${backend}: frames are fast here (${each.toFixed(0)} ms): the scale may stay at 1`);
        }
        await settle(p);
        assert.equal(await p.evaluate(() => document.querySelector('#tour canvas').width), full, 'the view at rest is drawn at full size');
        // At rest: the native picture of the view the drag left (yaw changed; render it natively).
        const view = await p.evaluate(() => window.disanHandle.engine.view());
        assert.ok(Math.abs(view.yaw - before.yaw) > 5, `the drag did not turn the view (yaw ${before.yaw} -> ${view.yaw})`);
        const out = path.join(OUT, `native-big-after-drag-${backend}.png`);
        execFileSync(disanBinary(), ['render', path.join(DIST, big.dir), '--scene', 'big', `--yaw=${view.yaw}`, `--pitch=${view.pitch}`,
          `--fov=${view.fov}`, '--width', String(size.width), '--height', String(size.height), '--no-markers', '--out', out], { stdio: 'pipe' });
        const web = await canvasShot(p, `${backend}-big-after-drag.png`);
        const d = meanDiff(decodePng(fs.readFileSync(out)), web);
        console.log(`# after a drag, native vs ${backend}: ${d.toFixed(2)}`);
        assert.ok(d <= PARITY.limit, `after a drag the view at rest differs from the native render by ${d.toFixed(2)}`);
      } finally {
        await p.close();
      }
    });

    it('<disan-tour>: two instances on embed.html both get ready, independently', TEST, async () => {
      const p = await newPage(browser, logs);
      try {
        await p.goto(`${server.url}embed.html${query}`);
        await waitFor(p, logs, () => {
          const els = [...document.querySelectorAll('disan-tour')];
          return (els.length === 2 && els.every((e) => e.handle?.ready)) || document.querySelector('.disan-failed');
        }, null, 'both <disan-tour> ready', 2 * READY_MS);
        const state = await p.evaluate(() => [...document.querySelectorAll('disan-tour')].map((e) => ({
          id: e.id, ready: e.handle.ready, backend: e.handle.backend, scene: e.handle.scene, error: e.handle.error })));
        for (const s of state) {
          assert.ok(s.ready, `<disan-tour id=${s.id}> is not ready: ${s.error}`);
          assert.equal(s.backend, backend, `<disan-tour id=${s.id}> backend`);
        }
        const ready = (await events(p)).filter((e) => e.type === 'ready').map((e) => e.source).sort();
        assert.deepEqual(ready, ['a', 'b'], 'one ready event on each element');
        await settle(p, '#a');
        await settle(p, '#b');
        await p.screenshot({ path: path.join(OUT, `${backend}-embed.png`), fullPage: true });
        // Removing one leaves the other working.
        await p.evaluate(() => document.getElementById('a').remove());
        const b = await p.evaluate(async () => {
          const el = document.getElementById('b');
          el.handle.requestRedraw();
          await el.handle.settled();
          return { ready: el.handle.ready, scene: el.handle.scene, disans: document.querySelectorAll('.disan').length };
        });
        assert.deepEqual([b.ready, b.disans], [true, 1]);
        assert.equal(logs.filter((l) => l.startsWith('pageerror')).length, 0, `page errors:\n${logs.join('\n')}`);
      } finally {
        await p.close();
      }
    });
  });
}

// --- Migration: the tiles `disan tile` writes open in Pannellum as they are ---------------------

// --- Sound and recordings: DOM and Web Audio, the same on both backends (run on WebGL2) --------

describe('sound and recordings', () => {
  const logs = [];
  let browser, server, page;
  const sound = () => page.evaluate(() => window.disanHandle.sound);

  before(async () => {
    // A tour of one panorama with the demo's ambient track and a record with the demo's film.
    const root = path.join(DIST, 'tour-media');
    fs.rmSync(root, { recursive: true, force: true });
    for (const f of ['panos/hau-cung.jpg', 'sounds/hau-cung.wav', 'sounds/trong-dong.wav', 'media/trong-dong.mp4', 'media/trong-dong.vi.vtt',
      'media/trong-dong.en.vtt', 'images/trong-dong-mat.jpg']) {
      fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      fs.copyFileSync(path.join(DIST, 'tour', f), path.join(root, f));
    }
    const demoCatalog = JSON.parse(fs.readFileSync(path.join(DIST, 'tour', 'catalog.json'), 'utf8'));
    const drum = (demoCatalog.entries ?? demoCatalog).find((e) => e.id === 'trong-dong');
    fs.writeFileSync(path.join(root, 'tour.json'), JSON.stringify({
      version: 1, title: 'Media', languages: ['vi', 'en'],
      scenes: [{ id: 'hau', kind: 'panorama', image: 'panos/hau-cung.jpg', view: { yaw: 0, pitch: 0, fov: 90 },
        ambient: drum && { src: 'sounds/hau-cung.wav', volume: 0.6 },
        hotspots: [{ id: 'rec', kind: 'info', yaw: 0, pitch: 0, entry: 'trong-dong', label: 'Trống' },
          { id: 'gong', kind: 'link', yaw: 90, pitch: 0, target: 'quiet', label: 'Gong', sound: { src: 'sounds/trong-dong.wav', volume: 0.8 } }] },
      { id: 'quiet', kind: 'panorama', image: 'panos/hau-cung.jpg' }],
      catalog: [drum],
    }));
    server = await startServer(DIST);
    browser = await launch('webgl2');
    page = await newPage(browser, logs);
    await page.goto(`${server.url}index.html?tour=tour-media/tour.json&backend=webgl2&lang=en`);
    await waitFor(page, logs, () => window.disanEvents?.some((e) => e.type === 'ready'), null, '`ready`');
  });
  after(async () => {
    if (logs.length) fs.writeFileSync(path.join(OUT, 'media-console.txt'), logs.join('\n') + '\n');
    await browser?.close();
    await server?.close();
  });

  it('the ambient track and a hotspot\'s sound wait for a gesture, play (the hotspot\'s from its side), follow the scene and are muted by the sound control', TEST, async () => {
    const before = await sound();
    assert.equal(before.unlocked, false, 'sound before any gesture');
    assert.equal(before.src, null, 'a track started before any gesture');
    const button = page.locator('#tour .disan-ctl-sound');
    assert.ok(await button.isVisible(), 'no sound control in a tour with sound');
    // A gesture (a press on the view, away from the hotspot) unlocks it; the track fades in.
    await page.mouse.click(100, 120);
    await waitFor(page, logs, () => { const s = window.disanHandle.sound; return s.playing && s.gain > 0.3; }, null, 'the ambient track playing', 20_000);
    assert.equal((await sound()).src, 'sounds/hau-cung.wav');
    // The gong's sound comes from its side: the right, then ahead once the view turns to it.
    await waitFor(page, logs, () => window.disanHandle.sound.placed[0]?.playing, null, 'the gong sounding', 20_000);
    const at = async () => (await sound()).placed[0].position;
    const right = await at();
    assert.ok(right[0] > 0.9 && Math.abs(right[2]) < 0.1, `the gong is not to the right: ${right}`);
    await page.evaluate(() => window.disanHandle.setView({ yaw: 90, pitch: 0 }));
    await waitFor(page, logs, () => window.disanHandle.sound.placed[0].position[2] < -0.9, null, 'the gong ahead', 10_000);
    // Muted by the visitor: the button says so and the track fades out.
    await button.click();
    assert.equal(await button.getAttribute('aria-pressed'), 'true');
    assert.equal(await button.getAttribute('aria-label'), 'Turn the sound on');
    await waitFor(page, logs, () => window.disanHandle.sound.src === null && !window.disanHandle.sound.on && !window.disanHandle.sound.placed.length, null, 'muted', 10_000);
    await button.click();
    await waitFor(page, logs, () => window.disanHandle.sound.playing, null, 'the track again', 10_000);
    // A scene without a track is silent.
    await page.evaluate(() => window.disanHandle.goTo('quiet'));
    await waitFor(page, logs, () => window.disanHandle.sound.src === null && !window.disanHandle.sound.placed.length, null, 'silence in the quiet scene', 20_000);
    await page.evaluate(() => window.disanHandle.goTo('hau'));
    await waitFor(page, logs, () => window.disanHandle.sound.playing, null, 'the track back with its scene', 20_000);
  });

  it('a record plays its film with captions and a transcript, lowers the ambient track, and pauses when the card closes', TEST, async () => {
    await page.evaluate(() => document.querySelector('#tour .disan-hotspot[data-hotspot-id="rec"]').click());
    const card = page.locator('#tour .disan-card[role="dialog"]');
    await card.waitFor({ state: 'visible', timeout: 5000 });
    const video = card.locator('video.disan-card-video');
    assert.equal(await video.count(), 1, 'no film in the card');
    const tracks = await video.locator('track').evaluateAll((ts) => ts.map((t) => [t.srclang, t.default, t.kind]));
    assert.deepEqual(tracks, [['en', true, 'captions'], ['vi', false, 'captions']], 'captions in the visit language first');
    assert.match(await video.getAttribute('poster'), /images\/trong-dong-mat\.jpg$/);
    assert.match(await video.getAttribute('aria-label'), /short film/);
    // The keyboard alone reaches the player and the transcript, and stays in the card.
    const reached = new Set();
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      const at = await page.evaluate(() => {
        const a = document.activeElement;
        return a?.closest('.disan-card') ? a.tagName.toLowerCase() : `outside:${a?.tagName}`;
      });
      reached.add(at);
    }
    assert.ok(reached.has('video') && reached.has('summary'), `Tab reached ${[...reached]}`);
    assert.ok(![...reached].some((x) => x.startsWith('outside')), `Tab left the card: ${[...reached]}`);
    await card.locator('.disan-card-transcript summary').click();
    assert.match(await card.locator('.disan-card-transcript p').textContent(), /many-pointed star/);
    await page.screenshot({ path: path.join(OUT, 'media-card.png') });
    // Played by the visitor (the player's own control): the film runs, the ambient track ducks.
    await video.evaluate((v) => v.play());
    await waitFor(page, logs, () => { const v = document.querySelector('#tour video.disan-card-video'); return v.currentTime > 0.5; }, null, 'the film playing', 20_000);
    const cue = await video.evaluate((v) => { const t = [...v.textTracks].find((t) => t.mode === 'showing'); return t?.language; });
    assert.equal(cue, 'en', 'the English captions are not showing');
    await waitFor(page, logs, () => window.disanHandle.sound.gain < 0.3, null, 'the ambient track lowered under the film', 10_000);
    await page.keyboard.press('Escape');
    await card.waitFor({ state: 'hidden', timeout: 5000 });
    assert.equal(await video.evaluate((v) => v.paused), true, 'the film plays on behind a closed card');
    await waitFor(page, logs, () => window.disanHandle.sound.gain > 0.5, null, 'the ambient track back up', 10_000);
  });
});

describe('Pannellum (npm) reads the tiles and config.json that `disan tile` writes', () => {
  it('shows the tiled demo panorama like `disan render` does', TEST, async () => {
    const demo = readTour();
    const scene = demo.tour.scenes.find((s) => s.tiles);
    assert.ok(scene, 'the web demo serves a tiled panorama (cargo xtask web tiles them)');
    const tilesDir = path.posix.dirname(scene.tiles.preview); // where `disan tile` wrote them
    const config = JSON.parse(fs.readFileSync(path.join(DIST, 'tour', tilesDir, 'config.json'), 'utf8'));
    // Pannellum from npm, next to a page that opens the tiler's output with its own config.json.
    const from = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'pannellum', 'build');
    const dir = path.join(DIST, 'pannellum');
    fs.mkdirSync(dir, { recursive: true });
    for (const f of ['pannellum.js', 'pannellum.css']) fs.copyFileSync(path.join(from, f), path.join(dir, f));
    const { width, height } = PARITY;
    const view = { yaw: 20, pitch: 5, fov: 60 };
    const hfov = (2 * Math.atan((width / height) * Math.tan((view.fov * Math.PI) / 360)) * 180) / Math.PI;
    fs.writeFileSync(path.join(dir, 'index.html'), `<!doctype html><meta charset="utf-8">
<link rel="stylesheet" href="pannellum.css"><script src="pannellum.js"></script>
<style>html,body{margin:0}#p{width:${width}px;height:${height}px}</style><div id="p"></div>
<script>
  const config = ${JSON.stringify(config)};
  config.multiRes.basePath = '../tour/${tilesDir}';
  window.viewer = pannellum.viewer('p', { ...config, autoLoad: true, showControls: false, yaw: ${view.yaw},
    pitch: ${view.pitch}, hfov: ${hfov}, minHfov: 10, maxHfov: 170 });
  window.viewer.on('load', () => { window.loaded = true; });
  window.viewer.on('error', (e) => { window.failed = String(e); });
</script>`);
    const server = await startServer(DIST);
    const browser = await launch('webgl2');
    const logs = [];
    try {
      const p = await browser.newPage({ viewport: { width, height } });
      p.on('console', (m) => logs.push(`pannellum ${m.type()}: ${m.text()}`));
      await p.goto(`${server.url}pannellum/index.html`);
      await waitFor(p, logs, () => window.viewer?.isLoaded() || window.failed, null, 'Pannellum load');
      assert.equal(await p.evaluate(() => window.failed ?? null), null, 'Pannellum reports an error');
      // Its tiles arrive after `load`: wait until the picture stops changing.
      let last = null, shot = null;
      for (let i = 0; i < 20; i++) {
        await new Promise((r) => setTimeout(r, 1000));
        shot = decodePng(await p.locator('#p canvas').screenshot({ path: path.join(OUT, 'pannellum-tiled.png') }));
        if (last && meanDiff(last, shot) < 0.05) break;
        last = shot;
      }
      const out = path.join(OUT, 'native-tiled-pannellum-view.png');
      execFileSync(disanBinary(), ['render', path.join(DIST, 'tour'), '--scene', scene.id, '--yaw', String(view.yaw),
        '--pitch', String(view.pitch), '--fov', String(view.fov), '--width', String(width), '--height', String(height),
        '--no-markers', '--out', out], { stdio: 'pipe' });
      const d = meanDiff(decodePng(fs.readFileSync(out)), shot);
      console.log(`# Pannellum vs disan render of the same tiles: ${d.toFixed(2)}`);
      assert.ok(imageStats(shot).distinct > 64, 'Pannellum drew a blank canvas');
      assert.ok(d <= 6, `Pannellum's picture of the tiles differs from Disan's by ${d.toFixed(2)}/255 (see tests/out/pannellum-tiled.png)`);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
