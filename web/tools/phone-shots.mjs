// phone-shots.mjs — screenshots of the demo as a phone shows it (390×844 and 844×390, touch), in
// Vietnamese and English: a card, the last guided step, the inspection panel and a slow load
// (1.6 Mbit/s). Writes JPEGs to the folder given (docs/screenshots/phone/ by default).
// Run: cd web && node tools/phone-shots.mjs [webgl2|webgpu] [folder]   (after cargo xtask web)
import fs from 'node:fs';
import { startServer } from './server.mjs';
import { launch } from './chromium.mjs';
import { readTour } from './test-kit.mjs';
const backend = process.argv[2] ?? 'webgl2';
const outDir = process.argv[3] ?? new URL('../../docs/screenshots/phone/', import.meta.url).pathname;
fs.mkdirSync(outDir, { recursive: true });
const server = await startServer();
const browser = await launch(backend);
const demo = readTour();
const sizes = [['portrait', 390, 844], ['landscape', 844, 390]];
const ready = (page) => page.waitForFunction(() => window.disanEvents?.some((e) => e.type === 'ready'), null, { timeout: 400000 });
const settle = (page) => page.evaluate(() => window.disanHandle.settled());
async function open(w, h, query = '', hash = '') {
  const ctx = await browser.newContext({ viewport: { width: w, height: h }, hasTouch: true, isMobile: true, deviceScaleFactor: 1 });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.log('pageerror', e.message));
  await page.goto(`${server.url}index.html?backend=${backend}${query}${hash}`);
  await ready(page);
  await settle(page);
  return { ctx, page };
}
const shot = (page, name) => page.screenshot({ path: `${outDir.replace(/\/$/, '')}/${name}.jpg`, type: 'jpeg', quality: 82 });
const info = demo.hotspots('info')[0];
const guided = demo.tour.tours[0];
const obj = demo.tour.scenes.find((s) => s.kind === 'object');
for (const lang of ['vi', 'en']) {
  for (const [name, w, h] of sizes) {
    const tag = `${lang}-${name}`;
    { // The stele's card.
      const { ctx, page } = await open(w, h, `&lang=${lang}`);
      await page.evaluate((i) => { window.disanHandle.engine.send(JSON.stringify({ type: 'look_at_hotspot', hotspot: i })); window.disanHandle.requestRedraw(); }, info.index);
      await page.waitForTimeout(1200); await settle(page);
      await page.locator(`#tour .disan-hotspot[data-index="${info.index}"]`).tap();
      await page.waitForTimeout(1500); await settle(page);
      await shot(page, `${tag}-card`);
      await ctx.close();
    }
    { // The last guided step.
      const { ctx, page } = await open(w, h, `&lang=${lang}`);
      const last = guided.steps.length - 1;
      await page.evaluate(([id, s]) => window.disanHandle.play(id, s), [guided.id, last]);
      await page.waitForFunction((s) => window.disanHandle.guide?.step === s, last, { timeout: 120000 });
      await page.waitForTimeout(2500); await settle(page);
      await shot(page, `${tag}-last-step`);
      await ctx.close();
    }
    { // The inspection panel on the drum.
      const { ctx, page } = await open(w, h, `&lang=${lang}`, `#scene=${obj.id}`);
      await page.waitForFunction((id) => window.disanHandle.scene === id, obj.id, { timeout: 120000 });
      await settle(page);
      await page.locator('#tour .disan-ctl-inspect').tap();
      await page.waitForTimeout(800); await settle(page);
      await shot(page, `${tag}-inspect`);
      await ctx.close();
    }
    { // A slow load (1.6 Mbit/s): the title and the progress with its bytes.
      const ctx = await browser.newContext({ viewport: { width: w, height: h }, hasTouch: true, isMobile: true });
      const page = await ctx.newPage();
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 200_000, uploadThroughput: 100_000 });
      await page.goto(`${server.url}index.html?backend=${backend}&lang=${lang}`, { waitUntil: 'commit' });
      await page.waitForFunction(() => document.querySelector('#tour .disan-loading')?.hasAttribute('aria-valuenow'), null, { timeout: 60000 });
      await page.waitForTimeout(1500);
      await shot(page, `${tag}-slow-load`);
      await ctx.close();
    }
    console.log('done', tag);
  }
}
await browser.close();
await server.close();
