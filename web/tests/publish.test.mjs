// publish.test.mjs — `disan publish` in the browser, on both backends: the demo and an imported
// Pannellum tour published as one site under a sub-path, served by a plain static file server
// (Python's http.server, not the project's own): the start view's poster is on screen before
// the engine starts, the tour opens, hotspots, deep links, guided tours and the per-scene and
// per-record pages work; the meta tags, JSON-LD and sitemap are right; without script the page
// is the poster and the catalog as HTML; the index of the tours searches them.
// Run with the other browser tests: cd web && npm test   (env: DISAN_DIST, CHROMIUM, DISAN_BIN)

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { DIST } from '../tools/server.mjs';
import { launch } from '../tools/chromium.mjs';
import { readTour, disanBinary } from '../tools/test-kit.mjs';

const TEST = { timeout: 300_000 };
const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'out');
const READY_MS = 120_000;
const BASE = 'https://museum.example/tinh/di-san/';
const SUB = 'tinh/di-san/';

/** A free port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** `python3 -m http.server` on `dir`: a static host that knows nothing of Disan. */
async function staticServer(dir) {
  const port = await freePort();
  const child = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dir], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(url)).ok) return { url, stop: () => child.kill() }; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('python3 -m http.server did not start (is python3 installed?)');
}

/** The meta tags, JSON-LD and other facts of the page open in `page`. */
function pageFacts(page) {
  return page.evaluate(() => {
    const meta = {};
    for (const m of document.querySelectorAll('meta[property], meta[name]')) meta[m.getAttribute('property') ?? m.getAttribute('name')] = m.content;
    return {
      meta, lang: document.documentElement.lang, title: document.title,
      canonical: document.querySelector('link[rel=canonical]')?.href,
      ld: [...document.querySelectorAll('script[type="application/ld+json"]')].map((s) => JSON.parse(s.textContent)),
    };
  });
}

const waitReady = (page) => page.waitForFunction(() => window.disanEvents?.some((e) => e.type === 'ready' || e.type === 'error'), null, { timeout: READY_MS })
  .then(() => page.evaluate(() => window.disanEvents.filter((e) => e.type === 'ready' || e.type === 'error').map((e) => ({ type: e.type, detail: e.detail }))));

describe('disan publish', () => {
  let root, site, server, demo, imported, single;
  before(async () => {
    demo = readTour();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'disan-publish-'));
    // An imported Pannellum tour: a config beside two of the demo's panoramas.
    const src = path.join(root, 'pannellum');
    fs.mkdirSync(src);
    for (const p of ['san-dinh.jpg', 'hau-cung.jpg']) fs.copyFileSync(path.join(DIST, 'tour', 'panos', p), path.join(src, p));
    fs.writeFileSync(path.join(src, 'config.json'), JSON.stringify({
      default: { firstScene: 'san', title: 'Đình Bảng', author: 'Bảo tàng' },
      scenes: {
        san: { type: 'equirectangular', panorama: 'san-dinh.jpg', title: 'Sân', hotSpots: [{ pitch: -2, yaw: 40, type: 'scene', sceneId: 'hau', text: 'Hậu cung' }] },
        hau: { type: 'equirectangular', panorama: 'hau-cung.jpg', title: 'Hậu cung', hotSpots: [{ pitch: 0, yaw: 0, type: 'scene', sceneId: 'san', text: 'Ra sân' }] },
      },
    }));
    imported = path.join(root, 'dinh-bang');
    const imp = spawnSync(disanBinary(), ['import', 'pannellum', path.join(src, 'config.json'), '--out', imported], { encoding: 'utf8' });
    assert.equal(imp.status, 0, imp.stderr);
    // The site under a sub-path of the host.
    const www = path.join(root, 'www');
    site = path.join(www, SUB);
    const pub = spawnSync(disanBinary(), ['publish', path.join(DIST, 'tour'), imported, '--out', site, '--base-url', BASE, '--web', DIST], { encoding: 'utf8' });
    assert.equal(pub.status, 0, `${pub.stdout}\n${pub.stderr}`);
    server = await staticServer(www);
    // The demo as one file, opened from the disk.
    single = path.join(root, 'một tệp', 'dinh-lang.html');
    fs.mkdirSync(path.dirname(single));
    const one = spawnSync(disanBinary(), ['publish', path.join(DIST, 'tour'), '--single-file', '--out', single, '--web', DIST], { encoding: 'utf8' });
    assert.equal(one.status, 0, `${one.stdout}\n${one.stderr}`);
  });
  after(() => { server?.stop(); if (root) fs.rmSync(root, { recursive: true, force: true }); });

  it('writes only what the tours use, the engine under a content-hashed folder, and a sitemap of pages that exist', TEST, async () => {
    const engines = fs.readdirSync(path.join(site, 'engine'));
    assert.equal(engines.length, 1);
    assert.match(engines[0], /^[0-9a-f]{16}$/);
    const pkg = fs.readdirSync(path.join(site, 'engine', engines[0], 'pkg')).sort();
    // The demo has an object: the full engine; the imported tour is panoramas: the small one.
    assert.ok(pkg.includes('disan_webgpu_bg.wasm') && pkg.includes('disan_webgl_pano_bg.wasm'), pkg.join(' '));
    assert.ok(!pkg.some((f) => f.startsWith('disan_editor')), 'the studio is not published');
    const tours = fs.readdirSync(site).filter((d) => fs.existsSync(path.join(site, d, 'tour', 'tour.json')));
    assert.deepEqual(tours.sort(), ['dinh-bang', 'tour']);
    // Nothing the imported tour does not use (its import notes, its config) is copied.
    const files = fs.readdirSync(path.join(site, 'dinh-bang', 'tour'), { recursive: true }).filter((f) => fs.statSync(path.join(site, 'dinh-bang', 'tour', f)).isFile());
    assert.equal(files.length, 3, files.join(' '));
    assert.ok(files.includes('tour.json') && files.filter((f) => f.endsWith('.jpg')).length === 2, files.join(' '));
    const sitemap = fs.readFileSync(path.join(site, 'sitemap.xml'), 'utf8');
    const locs = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    assert.ok(locs.includes(BASE) && locs.includes(`${BASE}tour/scene/${demo.start.id}/`), locs.join('\n'));
    for (const loc of locs) {
      assert.ok(loc.startsWith(BASE), loc);
      const res = await fetch(server.url + SUB + loc.slice(BASE.length));
      assert.equal(res.status, 200, `${loc} is not served`);
    }
    assert.match(fs.readFileSync(path.join(site, 'robots.txt'), 'utf8'), new RegExp(`Sitemap: ${BASE}sitemap.xml`));
  });

  for (const backend of ['webgpu', 'webgl2']) {
    describe(backend, () => {
      let browser;
      before(async () => { browser = await launch(backend); });
      after(async () => { await browser?.close(); });
      const url = (rel) => { const [p, hash] = rel.split('#'); return `${server.url}${SUB}${p}?backend=${backend}${hash ? `#${hash}` : ''}`; };
      const newPage = async () => {
        const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
        const logs = [];
        page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
        page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) logs.push(m.text()); });
        // A tour without a catalog file asks for catalog.json (it may have one): the only 404 allowed.
        page.on('response', (r) => { if (r.status() >= 400 && !/\/catalog\.json$/.test(r.url())) logs.push(`${r.status()} ${r.url()}`); });
        return { page, logs };
      };

      it('the start view\'s poster is on screen before the engine starts; the live view replaces it; hotspots and guided tours work', TEST, async () => {
        const { page, logs } = await newPage();
        try {
          // Hold the engine back until the poster has been seen.
          let release;
          const held = new Promise((r) => { release = r; });
          await page.route('**/pkg/*_bg.wasm', async (route) => { await held; await route.continue(); });
          await page.goto(url('tour/'));
          await page.waitForFunction(() => { const i = document.querySelector('#hero img'); return i && i.complete && i.naturalWidth > 0; }, null, { timeout: 30_000 });
          const early = await page.evaluate(() => {
            const r = document.querySelector('#hero img').getBoundingClientRect();
            return { ready: window.disanEvents.some((e) => e.type === 'ready'), top: r.top, height: r.height, src: document.querySelector('#hero img').currentSrc,
              hidden: getComputedStyle(document.getElementById('hero')).opacity };
          });
          assert.equal(early.ready, false);
          assert.equal(early.hidden, '1');
          assert.equal(Math.round(early.height), 720, 'the poster fills the screen\'s height');
          assert.match(early.src, new RegExp(`posters/${demo.start.id}\\.jpg$`));
          const poster = await page.screenshot();
          // A drag on the poster before the engine is there slides it with the pointer; the live
          // view then starts turned as far (the point under the centre stays there).
          await page.mouse.move(640, 400);
          await page.mouse.down();
          await page.mouse.move(700, 400, { steps: 4 });
          await page.mouse.up();
          const slid = await page.evaluate(() => ({ yaw: window.disanPosterYaw, transform: document.querySelector('#hero img').style.transform }));
          assert.match(slid.transform, /60px/, 'the poster follows the pointer');
          const startYaw = demo.start.view?.yaw ?? 0;
          assert.ok(slid.yaw < startYaw - 2, `a drag to the right turns left: ${slid.yaw}`);
          release();
          const ready = await waitReady(page);
          assert.equal(ready[0]?.type, 'ready', `${JSON.stringify(ready)}\n${logs.join('\n')}`);
          assert.equal(ready[0].detail.backend, backend);
          await page.waitForFunction(() => !document.getElementById('hero'), null, { timeout: 10_000 });
          assert.ok(await page.evaluate(() => document.documentElement.classList.contains('live')));
          const turned = await page.evaluate(() => window.disanHandle.getView().yaw);
          assert.ok(Math.abs(turned - slid.yaw) < 0.1, `the live view starts where the poster was turned: ${turned} vs ${slid.yaw}`);
          // Back to the start view, to compare the first frame with the poster.
          await page.evaluate((y) => window.disanHandle.setView({ yaw: y }), startYaw);
          // The live view is the poster's view: the canvas alone (its DOM overlay hidden) against the poster.
          // The turned frame reaches the screen when the compositor gets to it (late on a loaded
          // software GPU): look again until it matches or ten seconds have passed.
          const overlay = await page.addStyleTag({ content: '#tour * { visibility: hidden !important; } #tour canvas { visibility: visible !important; }' });
          const { decodePng, meanDiff } = await import('../tools/test-kit.mjs');
          const posterPx = decodePng(poster);
          let d = Infinity;
          let last = null;
          const start = Date.now();
          for (let redrawn = false; d >= 12 && Date.now() < start + 10_000;) {
            await page.waitForTimeout(250);
            last = await page.screenshot();
            d = meanDiff(posterPx, decodePng(last));
            // A frame the software compositor dropped: draw the same view once more.
            if (!redrawn && Date.now() > start + 5000) {
              redrawn = true;
              await page.evaluate((y) => window.disanHandle.setView({ yaw: y }), startYaw);
            }
          }
          if (d >= 12) {
            fs.mkdirSync(OUT, { recursive: true });
            fs.writeFileSync(path.join(OUT, `publish-${backend}-first-frame.png`), last);
            fs.writeFileSync(path.join(OUT, `publish-${backend}-poster.png`), poster);
          }
          assert.ok(d < 12, `the first frame differs from the poster by ${d.toFixed(1)} (mean per channel; see tests/out/publish-${backend}-*.png)\n${logs.slice(-20).join('\n')}`);
          await overlay.evaluate((el) => el.remove());
          // A link hotspot goes to its scene.
          const link = demo.hotspots('link')[0];
          await page.locator(`#tour .disan-hotspot[data-index="${link.index}"]`).click();
          await page.waitForFunction((id) => window.disanHandle.scene === id, link.target, { timeout: READY_MS });
          // A guided tour plays from the page's own list.
          const guided = demo.tour.tours[0];
          await page.goto('about:blank');
          await page.goto(url(`tour/#step=${guided.id}/2`));
          await page.waitForFunction(() => window.disanHandle?.guide?.step === 1, null, { timeout: READY_MS });
          await page.waitForFunction((id) => window.disanHandle.scene === id, guided.steps[1].scene, { timeout: READY_MS });
          assert.deepEqual(logs.filter((l) => !/GPU stall|WebGL|favicon/.test(l)), []);
        } finally {
          await page.close();
        }
      });

      it('the tour as one file opens from file:// with no server: the view, a link to another scene, a card with its photo', TEST, async () => {
        const { page, logs } = await newPage();
        try {
          assert.deepEqual(fs.readdirSync(path.dirname(single)), ['dinh-lang.html'], 'one file, nothing beside it');
          await page.goto(`${pathToFileURL(single).href}?backend=${backend}`);
          const ready = await waitReady(page);
          assert.equal(ready[0]?.type, 'ready', `${JSON.stringify(ready)}\n${logs.join('\n')}`);
          assert.equal(ready[0].detail.backend, backend);
          const link = demo.hotspots('link')[0];
          await page.locator(`#tour .disan-hotspot[data-index="${link.index}"]`).click();
          await page.waitForFunction((id) => window.disanHandle.scene === id, link.target, { timeout: READY_MS });
          // A record with a photo: its card shows the photo from inside the file.
          const withPhoto = demo.tour.scenes.flatMap((s) => s.hotspots.filter((h) => h.kind === 'info').map((h) => ({ scene: s.id, entry: h.entry })))
            .find((i) => demo.entry(i.entry)?.images?.length);
          assert.ok(withPhoto, 'the demo has a record with a photo');
          await page.goto('about:blank');
          await page.goto(`${pathToFileURL(single).href}?backend=${backend}#scene=${withPhoto.scene}`);
          await page.waitForFunction((id) => window.disanHandle?.scene === id && window.disanEvents.some((e) => e.type === 'ready'), withPhoto.scene, { timeout: READY_MS });
          const hs = demo.scene(withPhoto.scene).hotspots.findIndex((h) => h.entry === withPhoto.entry);
          await page.locator(`#tour .disan-hotspot[data-index="${hs}"]`).click({ force: true });
          await page.waitForFunction(() => { const i = document.querySelector('#tour .disan-card img'); return i && i.complete && i.naturalWidth > 0; }, null, { timeout: 30_000 });
          assert.deepEqual(logs.filter((l) => !/GPU stall|WebGL|favicon/.test(l) && !/\/catalog\.json$/.test(l)), []);
        } finally {
          await page.close();
        }
      });

      it('a deep link and the per-scene and per-record pages open their scene; the imported tour opens under the sub-path', TEST, async () => {
        const { page, logs } = await newPage();
        try {
          const other = demo.tour.scenes.find((s) => s.id !== demo.start.id && s.kind === 'panorama');
          await page.goto(url(`tour/#scene=${other.id}`));
          assert.match(await page.locator('#hero img').getAttribute('src'), new RegExp(`posters/${other.id}\\.jpg$`), 'the deep link\'s own poster');
          await page.waitForFunction((id) => window.disanHandle?.scene === id && window.disanEvents.some((e) => e.type === 'ready'), other.id, { timeout: READY_MS });
          await page.goto(url(`tour/scene/${other.id}/`));
          await page.waitForFunction((id) => window.disanHandle?.scene === id && window.disanEvents.some((e) => e.type === 'ready'), other.id, { timeout: READY_MS });
          const facts = await pageFacts(page);
          assert.equal(facts.canonical, `${BASE}tour/scene/${other.id}/`);
          assert.ok(facts.meta['og:title'].startsWith(other.title.vi), facts.meta['og:title']);
          assert.equal(facts.meta['og:image'], `${BASE}tour/posters/${other.id}-social.jpg`);
          // A record's page: its own title and picture, the viewer at the scene that shows it.
          const infos = demo.tour.scenes.flatMap((s) => s.hotspots.filter((h) => h.kind === 'info').map((h) => ({ scene: s.id, entry: h.entry })));
          const rec = infos.find((i) => i.scene !== demo.start.id) ?? infos[0];
          await page.goto(url(`tour/record/${rec.entry}/`));
          await page.waitForFunction((id) => window.disanHandle?.scene === id && window.disanEvents.some((e) => e.type === 'ready'), rec.scene, { timeout: READY_MS });
          const rf = await pageFacts(page);
          const entry = demo.entry(rec.entry);
          assert.ok(rf.title.includes(entry.title.vi) || rf.meta['og:title'].includes(entry.title.vi), rf.meta['og:title']);
          const ld = rf.ld[0];
          assert.equal(ld['@context'], 'https://schema.org');
          assert.ok(['VisualArtwork', 'CreativeWork'].includes(ld['@type']));
          assert.equal(ld.name, entry.title.vi);
          if (entry.inventory_number) assert.equal(ld.identifier, entry.inventory_number);
          assert.ok(ld.isPartOf?.name, 'the record names its site');
          // The imported tour, under the same sub-path.
          await page.goto(url('dinh-bang/'));
          const r = await waitReady(page);
          assert.equal(r[0]?.type, 'ready', JSON.stringify(r));
          assert.equal(await page.evaluate(() => window.disanHandle.scene), 'san');
          assert.deepEqual(logs.filter((l) => !/GPU stall|WebGL|favicon/.test(l)), []);
        } finally {
          await page.close();
        }
      });
    });
  }

  it('the tour page is found and shared: title, description, language, Open Graph, Twitter card, JSON-LD of the site and its records', TEST, async () => {
    const browser = await launch('webgl2');
    try {
      const page = await browser.newPage({ javaScriptEnabled: false, viewport: { width: 1280, height: 720 } });
      await page.goto(`${server.url}${SUB}tour/`);
      const f = await pageFacts(page);
      assert.equal(f.lang, demo.tour.languages?.[0] ?? 'vi');
      assert.equal(f.title, demo.tour.title.vi);
      assert.ok(f.meta.description?.length > 20, f.meta.description);
      assert.equal(f.meta['og:title'], demo.tour.title.vi);
      assert.equal(f.meta['og:image'], `${BASE}tour/posters/${demo.start.id}-social.jpg`);
      assert.equal(f.meta['og:image:width'], '1200');
      assert.equal(f.meta['og:image:height'], '630');
      assert.equal(f.meta['twitter:card'], 'summary_large_image');
      assert.equal(f.meta['og:url'], `${BASE}tour/`);
      const social = await fetch(`${server.url}${SUB}tour/posters/${demo.start.id}-social.jpg`);
      assert.equal(social.status, 200);
      const ld = f.ld[0];
      assert.equal(ld['@context'], 'https://schema.org');
      assert.ok(['TouristAttraction', 'Museum'].includes(ld['@type']));
      assert.equal(ld.name, demo.tour.title.vi);
      assert.ok(ld.image?.startsWith(BASE));
      const records = ld.subjectOf;
      const catalog = demo.tour.scenes.flatMap((s) => s.hotspots.filter((h) => h.kind === 'info').map((h) => h.entry));
      for (const id of new Set(catalog)) {
        const e = demo.entry(id);
        const r = records.find((x) => x.name === e.title.vi);
        assert.ok(r, `record ${id} in the JSON-LD`);
        assert.ok(['VisualArtwork', 'CreativeWork'].includes(r['@type']));
        if (e.inventory_number) assert.equal(r.identifier, e.inventory_number);
        if (e.material) assert.equal(r.artMedium, e.material.vi);
        if (e.period) assert.equal(r.temporalCoverage, e.period.vi);
        if (e.images?.length) assert.ok(r.image?.[0]?.startsWith(BASE), JSON.stringify(r.image));
        assert.ok(r.url.startsWith(`${BASE}tour/record/`));
      }
      // Without script: the poster and the catalog as readable HTML.
      const doc = await page.evaluate(() => ({
        poster: (() => { const i = document.querySelector('#hero img'); return i.complete && i.naturalWidth > 0 && i.getBoundingClientRect().height > 300; })(),
        heading: document.querySelector('.about h1')?.textContent,
        records: [...document.querySelectorAll('.about .record h3')].map((h) => h.textContent),
        fields: document.querySelectorAll('.about .record dl dt').length,
        tour: getComputedStyle(document.getElementById('tour')).display,
      }));
      assert.ok(doc.poster, 'the poster shows without script');
      assert.equal(doc.heading, demo.tour.title.vi);
      assert.ok(doc.records.length >= new Set(catalog).size, doc.records.join(', '));
      assert.ok(doc.fields > 3);
      assert.equal(doc.tour, 'none');
      await page.screenshot({ path: path.join(os.tmpdir(), 'disan-publish-nojs.png'), fullPage: true });
      // Without WebGPU or WebGL2: the same document once the engine says it cannot start.
      const noGpu = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      await noGpu.addInitScript(() => {
        Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined });
        const get = HTMLCanvasElement.prototype.getContext;
        HTMLCanvasElement.prototype.getContext = function (kind, ...rest) { return /webgl|webgpu/.test(kind) ? null : get.call(this, kind, ...rest); };
      });
      await noGpu.goto(`${server.url}${SUB}tour/`);
      await noGpu.waitForFunction(() => document.documentElement.classList.contains('no-engine'), null, { timeout: READY_MS });
      const shown = await noGpu.evaluate(() => ({
        note: getComputedStyle(document.querySelector('.no-engine-note')).display,
        records: document.querySelectorAll('.about .record').length,
        about: getComputedStyle(document.getElementById('about')).display,
        poster: document.querySelector('#hero img').getBoundingClientRect().height,
      }));
      assert.notEqual(shown.note, 'none');
      assert.notEqual(shown.about, 'none');
      assert.ok(shown.records >= new Set(catalog).size);
      assert.ok(shown.poster > 300, 'the poster stays');
      await noGpu.close();
      // The index of the two tours: both listed, with posters; the search box finds one.
      const js = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      await js.goto(`${server.url}${SUB}`);
      assert.equal(await js.locator('#tours > li').count(), 2);
      await js.locator('#search').fill('dinh bang');
      assert.deepEqual(await js.locator('#tours > li:not([hidden]) strong').allTextContents(), ['Đình Bảng']);
      await js.locator('#search').fill('');
      assert.equal(await js.locator('#tours > li:not([hidden])').count(), 2);
      const listed = await js.evaluate(() => JSON.parse(document.querySelector('script[type="application/ld+json"]').textContent));
      assert.equal(listed['@type'], 'ItemList');
      assert.deepEqual(listed.itemListElement.map((i) => i.url).sort(), [`${BASE}dinh-bang/`, `${BASE}tour/`]);
    } finally {
      await browser.close();
    }
  });
});
