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
import { spawn } from 'node:child_process';
import { startServer, DIST } from '../tools/server.mjs';
import { launch } from '../tools/chromium.mjs';
import { readTour, disanBinary } from '../tools/test-kit.mjs';

const READY_MS = 120_000;
const TEST = { timeout: 300_000 };

/** `disan studio DIR --no-open` on a copy of the demo tour: `{ url, dir, stop() }`. */
async function startStudio() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'disan-studio-'));
  fs.cpSync(path.join(DIST, 'tour'), dir, { recursive: true });
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

    it('shows the tour with the engine, its scenes and no problems; a save without edits writes nothing; a stale save is refused', TEST, async () => {
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
        assert.equal(await page.locator('#scenes li').count(), demo.tour.scenes.length);
        await page.waitForFunction(() => document.querySelector('#status')?.textContent.trim(), null, { timeout: 10_000 });
        assert.equal(await page.locator('#problems li').count(), 0, await page.locator('#problems').textContent());
        const before = fs.readFileSync(path.join(studio.dir, 'tour.json'));
        const saved = await page.evaluate(() => window.studioSave());
        assert.equal(saved.ok, true, JSON.stringify(saved));
        assert.deepEqual(saved.written, [], 'a save without edits wrote files');
        assert.ok(fs.readFileSync(path.join(studio.dir, 'tour.json')).equals(before), 'tour.json changed');
        // Someone else changes the tour on disk (another editor, a git pull): the save is refused.
        const theirs = before.toString().replace('"version"', '"x-changed-elsewhere": true,\n  "version"');
        fs.writeFileSync(path.join(studio.dir, 'tour.json'), theirs);
        const edited = await page.evaluate(() => window.studioSave(window.studioProject.tour.replace('"version"', '"x-mine": 1,\n  "version"')));
        assert.equal(edited.status, 409, JSON.stringify(edited));
        assert.match(await page.locator('#status').textContent(), /changed on disk/);
        assert.equal(fs.readFileSync(path.join(studio.dir, 'tour.json'), 'utf8'), theirs, 'their version was overwritten');
        fs.writeFileSync(path.join(studio.dir, 'tour.json'), before);
      } finally {
        await page.close();
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
