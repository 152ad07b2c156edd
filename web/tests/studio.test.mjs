// studio.test.mjs — `disan studio` in the browser, on both backends: the page it serves shows the
// tour through the same engine as a published tour, lists its scenes and its problems; a save
// without edits writes nothing (the files stay byte-identical); a save after the files changed
// on disk is refused and said; another site's page in the same browser cannot save.
// Run with the other browser tests: cd web && npm test   (env: DISAN_DIST, CHROMIUM, DISAN_BIN)

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import readline from 'node:readline';
import { spawn, spawnSync } from 'node:child_process';
import { startServer, DIST } from '../tools/server.mjs';
import { launch } from '../tools/chromium.mjs';
import { readTour, disanBinary, decodePng } from '../tools/test-kit.mjs';
import { fileURLToPath } from 'node:url';

const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots', 'studio');

const READY_MS = 120_000;

/** A `size`×`height` PNG of one colour (the test makes its own cube faces and big panoramas). */
function solidPng(size, [r, g, b], height = size) {
  const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
  const crc = (buf) => { let c = 0xffffffff; for (const x of buf) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type, data) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    data.copy(out, 8);
    out.writeUInt32BE(crc(Buffer.concat([Buffer.from(type, 'latin1'), data])), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(height, 4); ihdr[8] = 8; ihdr[9] = 2;
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: size }, () => [r, g, b]).flat())]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
const TEST = { timeout: 300_000 };

/** `disan studio DIR --no-open` on a copy of the demo tour (or on a folder that does not exist
 *  yet): `{ url, dir, stop() }`. */
async function startStudio({ empty = false } = {}) {
  let dir = fs.mkdtempSync(path.join(os.tmpdir(), 'disan-studio-'));
  if (empty) dir = path.join(dir, 'new tour');
  else fs.cpSync(path.join(DIST, 'tour'), dir, { recursive: true });
  const child = spawn(disanBinary(), ['studio', dir, '--no-open', '--web', DIST], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    lines.on('line', (l) => { if (l.startsWith('http://127.0.0.1:')) resolve(l.trim()); });
    child.on('exit', (code) => reject(new Error(`disan studio exited (${code}) before printing its address`)));
  });
  return { url, dir, stop: () => { child.kill(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

for (const backend of ['webgpu', 'webgl2']) {
  describe(`studio ${backend}`, () => {
    let browser, studio, other;
    const demo = readTour();
    before(async () => {
      browser = await launch(backend);
      studio = await startStudio();
      other = await startServer(DIST);
    });
    after(async () => {
      await browser?.close();
      studio?.stop();
      await other?.close();
    });

    it('shows the tour with the engine and no problems; a save without edits writes nothing; edits by the forms undo back to the opened bytes and save with everything else kept; a stale save is refused', TEST, async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      const logs = [];
      page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
      try {
        await page.goto(`${studio.url}?backend=${backend}`);
        try {
          await page.waitForFunction(() => window.disanEvents?.some((e) => e.type === 'ready'), null, { timeout: READY_MS, polling: 200 });
        } catch {
          assert.fail(`the studio's viewer never got ready:\n  ${logs.slice(-20).join('\n  ')}`);
        }
        assert.equal(await page.locator('#scenes > li').count(), demo.tour.scenes.length);
        assert.equal(await page.locator('#problems li.studio-ok').count(), 1, await page.locator('#problems').textContent());
        const file = path.join(studio.dir, 'tour.json');
        const original = fs.readFileSync(file);
        // Nothing edited: a save writes nothing.
        const unchanged = await page.evaluate(() => window.studio.save());
        assert.equal(unchanged.ok, true, JSON.stringify(unchanged));
        assert.deepEqual(unchanged.written, [], 'a save without edits wrote files');
        assert.ok(fs.readFileSync(file).equals(original), 'tour.json changed');
        // Edits by the forms: a scene's English title typed, the second scene moved up.
        const second = demo.tour.scenes[1];
        const title = page.locator(`#scenes li[data-scene="${second.id}"] input[lang="en"]`);
        await title.fill('Renamed in the studio');
        await title.press('Enter');
        await page.locator(`#scenes li[data-scene="${second.id}"] .studio-up`).click();
        await page.waitForFunction((id) => document.querySelector('#scenes > li')?.dataset.scene === id, second.id);
        assert.equal(await page.locator('#save').isDisabled(), false, 'Save stays disabled after edits');
        // Undone to the start: the text is the opened bytes again, and Save has nothing to do.
        await page.locator('#undo').click();
        await page.locator('#undo').click();
        assert.equal(await page.locator('#undo').isDisabled(), true);
        assert.equal(await page.evaluate(() => window.studio.text()), original.toString());
        assert.equal(await page.locator('#save').isDisabled(), true);
        // Redone and saved: the file has both edits, everything else as it was.
        await page.locator('#redo').click();
        await page.locator('#redo').click();
        const saved = await page.evaluate(() => window.studio.save());
        assert.deepEqual(saved.written, ['tour.json'], JSON.stringify(saved));
        const after = JSON.parse(fs.readFileSync(file, 'utf8'));
        const before = JSON.parse(original.toString());
        assert.equal(after.scenes[0].id, second.id);
        assert.equal(after.scenes[0].title.en, 'Renamed in the studio');
        assert.deepEqual(after.scenes[0].hotspots, before.scenes[1].hotspots);
        assert.deepEqual(Object.keys(after), Object.keys(before), 'the tour\'s keys changed');
        assert.ok(fs.existsSync(path.join(studio.dir, '.disan-studio', 'previous', 'tour.json')), 'the previous version is not kept');
        // The preview shows the edited tour live: the scene list of the engine has the new title.
        await page.waitForFunction(() => window.studio.handle()?.engine?.tour_json().includes('Renamed in the studio'), null, { timeout: 10_000, polling: 200 });
        // Someone else changes the tour on disk (another editor, a git pull): the next save is refused.
        const theirs = fs.readFileSync(file, 'utf8').replace('"version"', '"x-changed-elsewhere": true,\n  "version"');
        fs.writeFileSync(file, theirs);
        await page.evaluate(() => window.studio.edit({ type: 'set_tour_title', lang: 'en', text: 'Mine' }));
        const stale = await page.evaluate(() => window.studio.save());
        assert.equal(stale.status, 409, JSON.stringify(stale));
        assert.match(await page.locator('#status').textContent(), /changed on disk/);
        assert.equal(fs.readFileSync(file, 'utf8'), theirs, 'their version was overwritten');
        fs.writeFileSync(file, original);
      } finally {
        await page.close();
      }
    });

    it('from a folder that does not exist: two panoramas and a model chosen as files become scenes named from their files; titled and saved, the tour validates and shows', TEST, async () => {
      const fresh = await startStudio({ empty: true });
      const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
      try {
        await page.goto(`${fresh.url}?backend=${backend}`);
        await page.waitForFunction(() => document.querySelector('#status')?.textContent.trim(), null, { timeout: 10_000 });
        assert.equal(await page.locator('#scenes > li').count(), 0);
        // A new tour is titled after its folder.
        assert.equal(await page.locator('#tour-title-vi').inputValue(), 'new tour');
        await page.locator('#add-input').setInputFiles([
          path.join(DIST, 'tour', 'panos', 'san-dinh.jpg'),
          path.join(DIST, 'tour', 'panos', 'hau-cung.jpg'),
          path.join(DIST, 'tour', 'models', 'trong-dong.glb'),
        ]);
        await page.waitForFunction(() => document.querySelectorAll('#scenes > li').length === 3, null, { timeout: 30_000 });
        const ids = await page.locator('#scenes > li').evaluateAll((li) => li.map((x) => x.dataset.scene));
        assert.deepEqual(ids, ['san-dinh', 'hau-cung', 'trong-dong']);
        // A file that is not what its name says is refused, and nothing is added.
        await page.locator('#add-input').setInputFiles({ name: 'fake.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('<html>not a photo</html>') });
        await page.waitForFunction(() => /not a JPEG/.test(document.querySelector('#status').textContent), null, { timeout: 10_000 });
        assert.equal(await page.locator('#scenes > li').count(), 3);
        assert.ok(!fs.existsSync(path.join(fresh.dir, 'panos', 'fake.jpg')), 'the fake photo was written');
        // Six cube faces chosen together become one scene.
        await page.locator('#add-input').setInputFiles(['f', 'r', 'b', 'l', 'u', 'd'].map((face, i) => ({
          name: `nha-bia_${face}.png`, mimeType: 'image/png', buffer: solidPng(64, [40 * i, 120, 200 - 30 * i]),
        })));
        await page.waitForFunction(() => document.querySelectorAll('#scenes > li').length === 4, null, { timeout: 30_000 });
        // A panorama wider than phones' textures is tiled by the studio (as `disan tile` does).
        await page.locator('#add-input').setInputFiles({ name: 'san-lon.png', mimeType: 'image/png', buffer: solidPng(4608, [150, 110, 70], 2304) });
        await page.waitForFunction(() => document.querySelectorAll('#scenes > li').length === 5, null, { timeout: 60_000 });
        const big = (await page.evaluate(() => JSON.parse(window.studio.text()))).scenes[4];
        assert.ok(big.tiles?.path?.startsWith('panos/san-lon/') && !big.image, `not tiled: ${JSON.stringify(big)}`);
        // A picture narrower than 2:1 is a partial panorama: its coverage is guessed, for the author to check.
        await page.locator('#add-input').setInputFiles({ name: 'mot-phan.png', mimeType: 'image/png', buffer: solidPng(1600, [90, 140, 60], 1000) });
        await page.waitForFunction(() => JSON.parse(window.studio.text()).scenes[5]?.coverage, null, { timeout: 30_000 });
        assert.deepEqual((await page.evaluate(() => JSON.parse(window.studio.text()))).scenes[5].coverage, { haov: 288, vaov: 180 });
        // The 1024×768 tablet: the view and the panel side by side, nothing wider than the screen.
        const layout = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: innerWidth,
          panel: document.querySelector('#panel').getBoundingClientRect().toJSON(), view: document.querySelector('#tour').getBoundingClientRect().toJSON() }));
        assert.ok(layout.scroll <= layout.width, `the page is wider than the tablet: ${JSON.stringify(layout)}`);
        assert.ok(layout.view.width >= 600 && layout.view.right <= layout.panel.left + 1 && layout.panel.right <= layout.width, JSON.stringify(layout));
        // Every scene gets a thumbnail: cut from its panorama, or rendered from its model.
        await page.waitForFunction(() => JSON.parse(window.studio.text()).scenes.every((s) => s.thumbnail), null, { timeout: 60_000 })
          .catch(async () => assert.fail(`not every scene has a thumbnail: ${JSON.stringify((await page.evaluate(() => JSON.parse(window.studio.text()))).scenes.map((s) => [s.id, s.thumbnail]))}; ${await page.locator('#status').textContent()}`));
        // Titles in both languages, then saved.
        for (const [l, text] of [['vi', 'Đình làng thử'], ['en', 'A test village hall']]) {
          const input = page.locator(`#tour-title-${l}`);
          await input.fill(text);
          await input.press('Enter');
        }
        const saved = await page.evaluate(() => window.studio.save());
        assert.deepEqual(saved.written, ['tour.json'], JSON.stringify(saved));
        const written = JSON.parse(fs.readFileSync(path.join(fresh.dir, 'tour.json'), 'utf8'));
        assert.deepEqual(written.title, { vi: 'Đình làng thử', en: 'A test village hall' });
        assert.deepEqual(written.scenes.map((x) => [x.id, x.kind, x.image ?? x.model ?? x.cube?.[0]]),
          [['san-dinh', 'panorama', 'panos/san-dinh.jpg'], ['hau-cung', 'panorama', 'panos/hau-cung.jpg'], ['trong-dong', 'object', 'models/trong-dong.glb'],
            ['nha-bia', 'panorama', 'panos/nha-bia_f.png'], ['san-lon', 'panorama', undefined], ['mot-phan', 'panorama', 'panos/mot-phan.png']]);
        assert.deepEqual(written.scenes[3].cube, ['f', 'r', 'b', 'l', 'u', 'd'].map((f) => `panos/nha-bia_${f}.png`));
        for (const s of written.scenes) assert.ok(fs.statSync(path.join(fresh.dir, s.thumbnail)).size > 500, `${s.id}: no thumbnail`);
        const validate = spawnSync(disanBinary(), ['validate', fresh.dir], { encoding: 'utf8' });
        assert.equal(validate.status, 0, `disan validate: ${validate.stdout}${validate.stderr}`);
        assert.equal(await page.locator('#problems li.studio-ok').count(), 1, await page.locator('#problems').textContent());
        // The preview shows the new tour.
        await page.waitForFunction(() => window.disanEvents?.some((e) => e.type === 'ready'), null, { timeout: READY_MS, polling: 200 });
      } finally {
        await page.close();
        fresh.stop();
      }
    });

    it('from an empty folder, only by clicks, files and typing: three scenes, a link each way with an arrival view, an info hotspot on the model with a card in two languages, a three-step guided tour; saved, it validates, disan render draws the markers where they were clicked, it re-opens unchanged and a second save writes nothing', { timeout: 600_000 }, async () => {
      const fresh = await startStudio({ empty: true });
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      const logs = [];
      page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
      const shot = async (name) => {
        if (backend !== 'webgpu') return;
        fs.mkdirSync(SHOTS, { recursive: true });
        await page.screenshot({ path: path.join(SHOTS, name) });
      };
      const doc = () => page.evaluate(() => JSON.parse(window.studio.text()));
      const hotspotsOf = async (id) => (await doc()).scenes.find((x) => x.id === id).hotspots;
      const canvas = page.locator('#tour canvas');
      const settle = () => page.evaluate(() => window.studio.handle().settled());
      const showScene = async (id) => {
        await page.locator(`#show-${id}`).click();
        await page.waitForFunction((s) => window.studio.handle()?.scene === s, id, { timeout: READY_MS, polling: 100 });
        await settle();
      };
      const type = async (selector, text) => {
        const input = page.locator(selector);
        await input.fill(text);
        await input.blur();
        await page.waitForTimeout(30);
      };
      // Where each hotspot was clicked: the view then, the canvas size and the point.
      const clicks = {};
      const place = async (button, scene, fx, fy) => {
        const before = (await hotspotsOf(scene)).length;
        await page.locator(button).click();
        const box = await canvas.boundingBox();
        const view = await page.evaluate(() => window.studio.handle().getView());
        const [x, y] = [Math.round(box.width * fx), Math.round(box.height * fy)];
        await page.mouse.click(box.x + x, box.y + y);
        await page.waitForFunction(([s, n]) => JSON.parse(window.studio.text()).scenes.find((x) => x.id === s).hotspots.length === n, [scene, before + 1], { timeout: 10_000 })
          .catch(async () => assert.fail(`no hotspot placed in ${scene} by a click at ${x},${y}: "${await page.locator('#status').textContent()}", under the click: ${await page.evaluate(([px, py]) => document.elementFromPoint(px, py)?.outerHTML.slice(0, 120), [box.x + x, box.y + y])}`));
        clicks[scene] = { x, y, view, width: Math.round(box.width), height: Math.round(box.height) };
      };
      try {
        await page.goto(`${fresh.url}?backend=${backend}&lang=en`);
        await page.waitForFunction(() => document.querySelector('#status')?.textContent.trim(), null, { timeout: 10_000 });
        await page.locator('#add-input').setInputFiles([
          path.join(DIST, 'tour', 'panos', 'san-dinh.jpg'),
          path.join(DIST, 'tour', 'panos', 'hau-cung.jpg'),
          path.join(DIST, 'tour', 'models', 'trong-dong.glb'),
        ]);
        await page.waitForFunction(() => document.querySelectorAll('#scenes > li').length === 3, null, { timeout: 30_000 });
        try {
          await page.waitForFunction(() => window.disanEvents?.some((e) => e.type === 'ready'), null, { timeout: READY_MS, polling: 200 });
        } catch {
          assert.fail(`the studio's viewer never got ready:\n  ${logs.slice(-20).join('\n  ')}`);
        }
        await settle();
        // A link in the first panorama, clicked in the view, then dragged a little to its place.
        await place('#add-link', 'san-dinh', 0.62, 0.45);
        assert.equal((await hotspotsOf('san-dinh'))[0].target, 'hau-cung', 'a new link goes to another scene');
        await page.waitForSelector('#tour .disan-hotspot[data-index="0"]');
        await settle();
        const dot = await page.locator('#tour .disan-hotspot[data-index="0"] .disan-dot').boundingBox();
        const box = await canvas.boundingBox();
        const from = [dot.x + dot.width / 2, dot.y + dot.height / 2];
        assert.ok(Math.hypot(from[0] - box.x - clicks['san-dinh'].x, from[1] - box.y - clicks['san-dinh'].y) < 4, 'the marker is not where it was clicked');
        const yawBefore = (await hotspotsOf('san-dinh'))[0].yaw;
        await page.mouse.move(from[0], from[1]);
        await page.mouse.down();
        await page.mouse.move(from[0] + 30, from[1] + 20, { steps: 5 });
        await page.mouse.move(from[0] + 60, from[1] + 40, { steps: 5 });
        await page.mouse.up();
        await page.waitForFunction((yaw) => JSON.parse(window.studio.text()).scenes[0].hotspots[0].yaw > yaw + 1, yawBefore, { timeout: 10_000 });
        clicks['san-dinh'] = { ...clicks['san-dinh'], x: Math.round(from[0] - box.x + 60), y: Math.round(from[1] - box.y + 40) };
        assert.equal((await hotspotsOf('san-dinh')).length, 1, 'a drag moved the hotspot, it did not add one');
        await shot('1-place-a-link.png');
        // The way back, from the second panorama, arriving at a view chosen by turning.
        await showScene('hau-cung');
        await place('#add-link', 'hau-cung', 0.35, 0.55);
        assert.equal((await hotspotsOf('hau-cung'))[0].target, 'san-dinh');
        await page.locator('#arrival').click();
        await page.waitForFunction(() => window.studio.handle()?.scene === 'san-dinh', null, { timeout: READY_MS });
        await settle();
        const c = await canvas.boundingBox();
        await page.mouse.move(c.x + c.width / 2, c.y + c.height / 2);
        await page.mouse.down();
        await page.mouse.move(c.x + c.width / 2 - 150, c.y + c.height / 2 + 30, { steps: 8 });
        await page.mouse.up();
        await settle();
        const turned = await page.evaluate(() => window.studio.handle().getView());
        await page.locator('#use-view').click();
        await page.waitForFunction(() => window.studio.handle()?.scene === 'hau-cung', null, { timeout: READY_MS });
        await settle();
        const arrival = (await hotspotsOf('hau-cung'))[0].view;
        assert.ok(arrival && Math.abs(arrival.yaw - turned.yaw) < 0.02 && Math.abs(turned.yaw) > 5, `arrival view ${JSON.stringify(arrival)} is not the view turned to ${JSON.stringify(turned)}`);
        // An info hotspot on the drum, with its card written in two languages.
        await showScene('trong-dong');
        await place('#add-info', 'trong-dong', 0.5, 0.5);
        const info = (await hotspotsOf('trong-dong'))[0];
        assert.ok(info.position?.length === 3 && info.normal?.length === 3, `an object's hotspot is a surface point: ${JSON.stringify(info)}`);
        await type('#card-title-vi', 'Trống đồng Đông Sơn');
        await type('#card-title-en', 'Dong Son bronze drum');
        await type('#card-description-vi', 'Trống đồng thời Đông Sơn.');
        await type('#card-description-en', 'A bronze drum of the Dong Son culture.');
        await type('#card-material-vi', 'Đồng');
        await type('#card-inventory', 'BT.2026.1');
        await type('#label-vi', 'Trống đồng');
        await type('#label-en', 'Bronze drum');
        await shot('2-write-a-card.png');
        // A film for the record, with its transcript; files chosen, no JSON written by hand.
        await page.locator('#media-input').setInputFiles({ name: 'le-hoi.mp4', mimeType: 'video/mp4',
          buffer: fs.readFileSync(path.join(DIST, 'tour', 'media', 'trong-dong.mp4')) });
        await page.waitForFunction(() => /media\/le-hoi\.mp4/.test(window.studio.catalogText() ?? ''), null, { timeout: 10_000 });
        await type('#media-transcript-0-vi', 'Tiếng trống đồng.');
        // A drum sound from the hotspot itself.
        await page.locator('#hotspot-sound-input').setInputFiles({ name: 'trong.wav', mimeType: 'audio/wav',
          buffer: fs.readFileSync(path.join(DIST, 'tour', 'sounds', 'trong-dong.wav')) });
        await page.waitForFunction(() => /sounds\/trong\.wav/.test(window.studio.text()), null, { timeout: 10_000 });
        // A guided tour recorded from the views: the drum, the courtyard turned, the hall.
        await page.locator('#add-step').click();
        await showScene('san-dinh');
        await page.locator('#tour .disan').focus();
        await page.keyboard.press('ArrowRight');
        await page.keyboard.press('ArrowRight');
        await settle();
        await page.locator('#add-step').click();
        await showScene('hau-cung');
        // The hall's ambient sound, at a lower volume.
        await page.locator('#ambient-input').setInputFiles({ name: 'chuong.wav', mimeType: 'audio/wav',
          buffer: fs.readFileSync(path.join(DIST, 'tour', 'sounds', 'hau-cung.wav')) });
        await page.waitForFunction(() => JSON.parse(window.studio.text()).scenes.some((x) => x.ambient?.src === 'sounds/chuong.wav'), null, { timeout: 10_000 });
        await type('#ambient-volume', '0.4');
        await page.locator('#add-step').click();
        await page.waitForFunction(() => JSON.parse(window.studio.text()).tours?.[0]?.steps?.length === 3, null, { timeout: 10_000 });
        await type('#step-narration-0-vi', 'Trống đồng, báu vật của làng.');
        await type('#step-narration-0-en', 'The bronze drum, the village treasure.');
        await type('#step-duration-1', '6');
        await page.locator('#step-card-0').selectOption({ index: 1 });
        await page.waitForFunction(() => JSON.parse(window.studio.text()).tours[0].steps[0].hotspot, null, { timeout: 10_000 });
        await shot('3-record-a-guided-tour.png');
        // Played in the studio.
        await page.locator('#play').click();
        await page.waitForFunction(() => window.studio.handle()?.guide?.tour, null, { timeout: 10_000 });
        await page.evaluate(() => window.studio.handle().exitTour());
        // Saved with the button.
        await page.locator('#save').click();
        await page.waitForFunction(() => /Saved/.test(document.querySelector('#status').textContent), null, { timeout: 10_000 });
        await page.waitForFunction(() => document.querySelector('#save').disabled);
        await shot('4-saved.png');
        const written = JSON.parse(fs.readFileSync(path.join(fresh.dir, 'tour.json'), 'utf8'));
        const cat = JSON.parse(fs.readFileSync(path.join(fresh.dir, 'catalog.json'), 'utf8'));
        const byId = (id) => written.scenes.find((x) => x.id === id);
        assert.equal(byId('san-dinh').hotspots[0].target, 'hau-cung');
        assert.equal(byId('hau-cung').hotspots[0].target, 'san-dinh');
        const entry = cat.entries.find((e) => e.id === byId('trong-dong').hotspots[0].entry);
        assert.deepEqual(entry.title, { vi: 'Trống đồng Đông Sơn', en: 'Dong Son bronze drum' });
        assert.equal(entry.inventory_number, 'BT.2026.1');
        assert.deepEqual(entry.media, [{ src: 'media/le-hoi.mp4', transcript: { vi: 'Tiếng trống đồng.' } }]);
        assert.deepEqual(byId('hau-cung').ambient, { src: 'sounds/chuong.wav', volume: 0.4 });
        assert.deepEqual(byId('trong-dong').hotspots[0].sound, { src: 'sounds/trong.wav', volume: 0.5 });
        assert.deepEqual(byId('trong-dong').hotspots[0].label, { vi: 'Trống đồng', en: 'Bronze drum' });
        const steps = written.tours[0].steps;
        assert.deepEqual(steps.map((x) => x.scene), ['trong-dong', 'san-dinh', 'hau-cung']);
        assert.deepEqual(steps[0].narration, { vi: 'Trống đồng, báu vật của làng.', en: 'The bronze drum, the village treasure.' });
        assert.equal(steps[0].hotspot, byId('trong-dong').hotspots[0].id);
        assert.equal(steps[1].duration, 6);
        assert.ok(Math.abs(steps[1].view.yaw) > 1, `the second step's view is the one turned to: ${JSON.stringify(steps[1].view)}`);
        const validate = spawnSync(disanBinary(), ['validate', fresh.dir], { encoding: 'utf8' });
        assert.equal(validate.status, 0, `disan validate: ${validate.stdout}${validate.stderr}`);
        // disan render of each scene, from the view it was clicked in: its marker is where the click was.
        for (const [scene, k] of Object.entries(clicks)) {
          const v = k.view;
          const viewArgs = v.distance != null ? ['--orbit', `${v.yaw},${v.pitch},${v.distance}`] : ['--yaw', `${v.yaw}`, '--pitch', `${v.pitch}`, '--fov', `${v.fov}`];
          const out = (name) => path.join(fresh.dir, '..', `${scene}-${name}.png`);
          for (const [name, extra] of [['markers', []], ['plain', ['--no-markers']]]) {
            const r = spawnSync(disanBinary(), ['render', fresh.dir, '--scene', scene, '--width', `${k.width}`, '--height', `${k.height}`, ...viewArgs, ...extra, '-o', out(name)], { encoding: 'utf8' });
            assert.equal(r.status, 0, `disan render ${scene}: ${r.stdout}${r.stderr}`);
          }
          const a = decodePng(fs.readFileSync(out('markers')));
          const b = decodePng(fs.readFileSync(out('plain')));
          let n = 0, sx = 0, sy = 0;
          for (let y = 0; y < a.height; y++) {
            for (let x = 0; x < a.width; x++) {
              const i = (y * a.width + x) * 4;
              const d = Math.abs(a.rgba[i] - b.rgba[i]) + Math.abs(a.rgba[i + 1] - b.rgba[i + 1]) + Math.abs(a.rgba[i + 2] - b.rgba[i + 2]);
              if (d > 60) { n++; sx += x; sy += y; }
            }
          }
          assert.ok(n > 20, `${scene}: disan render drew no marker`);
          const at = [sx / n, sy / n];
          assert.ok(Math.hypot(at[0] - k.x, at[1] - k.y) < 6, `${scene}: the marker is drawn at ${at.map(Math.round)}, the click was at ${[k.x, k.y]}`);
        }
        // Re-opened, the studio shows the tour unchanged; a second save writes nothing.
        const bytes = ['tour.json', 'catalog.json'].map((f) => fs.readFileSync(path.join(fresh.dir, f)));
        await page.reload();
        await page.waitForFunction(() => window.studio?.project(), null, { timeout: 10_000 });
        assert.equal(await page.evaluate(() => window.studio.text()), bytes[0].toString());
        assert.equal(await page.evaluate(() => window.studio.catalogText()), bytes[1].toString());
        assert.equal(await page.locator('#save').isDisabled(), true);
        const again = await page.evaluate(() => window.studio.save());
        assert.deepEqual(again.written, [], JSON.stringify(again));
        ['tour.json', 'catalog.json'].forEach((f, i) => assert.ok(fs.readFileSync(path.join(fresh.dir, f)).equals(bytes[i]), `${f} changed`));
      } finally {
        await page.close();
        fresh.stop();
      }
    });

    it('a page of another site in the same browser cannot read the project nor save', TEST, async () => {
      const page = await browser.newPage();
      try {
        await page.goto(`${other.url}index.html?backend=${backend}`);
        const before = fs.readFileSync(path.join(studio.dir, 'tour.json'));
        // Even knowing the secret and the version on disk (it could know neither), it cannot save.
        const version = JSON.parse(await (await fetch(`${studio.url}api/project`)).text()).version;
        const tried = await page.evaluate(async ([url, version]) => {
          const out = {};
          try {
            const r = await fetch(`${url}api/project`);
            out.read = `${r.status} ${(await r.text()).slice(0, 40)}`;
          } catch (e) { out.read = `blocked: ${e.message}`; }
          try {
            const r = await fetch(`${url}api/project`, { method: 'PUT', mode: 'no-cors', body: JSON.stringify({ base: version, tour: '{"version":1,"scenes":[]}' }) });
            out.save = `${r.type} ${r.status}`;
          } catch (e) { out.save = `blocked: ${e.message}`; }
          return out;
        }, [studio.url, version]);
        // The read is blocked by the browser (no CORS), the save refused by the studio (its Origin).
        assert.match(tried.read, /^blocked/, JSON.stringify(tried));
        assert.ok(fs.readFileSync(path.join(studio.dir, 'tour.json')).equals(before), `another site changed the tour: ${JSON.stringify(tried)}`);
      } finally {
        await page.close();
      }
    });
  });
}
