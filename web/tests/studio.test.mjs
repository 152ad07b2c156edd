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
import readline from 'node:readline';
import { spawn, spawnSync } from 'node:child_process';
import { startServer, DIST } from '../tools/server.mjs';
import { launch } from '../tools/chromium.mjs';
import { readTour, disanBinary } from '../tools/test-kit.mjs';

const READY_MS = 120_000;
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
        // The preview shows the saved tour (the engine re-opened it).
        await page.waitForFunction(() => window.disanEvents?.filter((e) => e.type === 'ready').length >= 2, null, { timeout: READY_MS, polling: 200 });
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
        assert.equal(await page.locator('#tour-title input[lang="vi"]').inputValue(), 'new tour');
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
        // Titles in both languages, then saved.
        for (const [l, text] of [['vi', 'Đình làng thử'], ['en', 'A test village hall']]) {
          const input = page.locator(`#tour-title input[lang="${l}"]`);
          await input.fill(text);
          await input.press('Enter');
        }
        const saved = await page.evaluate(() => window.studio.save());
        assert.deepEqual(saved.written, ['tour.json'], JSON.stringify(saved));
        const written = JSON.parse(fs.readFileSync(path.join(fresh.dir, 'tour.json'), 'utf8'));
        assert.deepEqual(written.title, { vi: 'Đình làng thử', en: 'A test village hall' });
        assert.deepEqual(written.scenes.map((x) => [x.id, x.kind, x.image ?? x.model]),
          [['san-dinh', 'panorama', 'panos/san-dinh.jpg'], ['hau-cung', 'panorama', 'panos/hau-cung.jpg'], ['trong-dong', 'object', 'models/trong-dong.glb']]);
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
