// phone.test.mjs — the demo tour as a visitor with a phone sees it, on both backends: 390×844 and
// 844×390 with touch, and 1280×720. The card leaves the subject in view, the player stays usable
// during a step with a card (which waits for the reader), and a tap on the chrome reaches it.
// Run with the other browser tests: cd web && npm test   (env: DISAN_DIST, CHROMIUM)

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, DIST } from '../tools/server.mjs';
import { launch } from '../tools/chromium.mjs';
import { readTour, decodePng, imageStats } from '../tools/test-kit.mjs';

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'out');
const READY_MS = 120_000; // SwiftShader is slow
const TEST = { timeout: 300_000 };
const SIZES = [
  { name: 'portrait', width: 390, height: 844, touch: true },
  { name: 'landscape', width: 844, height: 390, touch: true },
  { name: 'laptop', width: 1280, height: 720, touch: false },
];
fs.mkdirSync(OUT, { recursive: true });

/** A page of `size`, the demo loaded with `query`, at rest. */
async function open(browser, server, size, query = '', hash = '') {
  const context = await browser.newContext({
    viewport: { width: size.width, height: size.height }, hasTouch: size.touch, isMobile: size.touch, deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  const logs = [];
  page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  await page.goto(`${server.url}index.html${query}${hash}`);
  try {
    await page.waitForFunction(() => window.disanEvents?.some((e) => e.type === 'ready'), null, { timeout: READY_MS, polling: 200 });
  } catch (e) {
    assert.fail(`no ready event at ${size.name}:\n  ${logs.slice(-20).join('\n  ')}`);
  }
  await rest(page);
  return { context, page };
}

/** Waits until the view is at rest (no frame pending, nothing loading). */
async function rest(page) {
  const rested = await page.evaluate(() => Promise.race([window.disanHandle.settled().then(() => true),
    new Promise((r) => setTimeout(() => r(false), 60_000))]));
  assert.ok(rested, 'the view did not come to rest');
}

/** What share (0–1) of box `a` lies outside box `b` (both {x, y, width, height}). */
function outside(a, b) {
  const w = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const h = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  return 1 - (w * h) / (a.width * a.height);
}

/** Presses a hotspot as the visitor would: turned towards first (an edge arrow), then tapped or clicked. */
async function pressHotspot(page, size, index) {
  await page.evaluate((i) => {
    window.disanHandle.engine.send(JSON.stringify({ type: 'look_at_hotspot', hotspot: i }));
    window.disanHandle.requestRedraw();
  }, index);
  await rest(page);
  const button = page.locator(`#tour .disan-hotspot[data-index="${index}"]`);
  await button.waitFor({ state: 'visible', timeout: 10_000 });
  if (size.touch) await button.tap(); else await button.click();
  return button;
}

/** Fails when a hotspot's label shown on screen overlaps another one or the chrome (the bar, the
 *  toolbar and its open panels, the player, the card). */
async function labelsClear(page, where) {
  // The labels are placed after the next frame.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const clashes = await page.evaluate(() => {
    const box = (e) => e.getBoundingClientRect();
    const shown = (r) => r.width > 0 && r.height > 0;
    const meets = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
    const labels = [...document.querySelectorAll('#tour .disan-hotspot:not([hidden]) .disan-label')]
      .filter((l) => getComputedStyle(l).visibility !== 'hidden').map((l) => ({ name: l.textContent, r: box(l) })).filter((l) => shown(l.r));
    const chrome = [...document.querySelectorAll('#tour .disan-bar > *, #tour .disan-controls button, #tour .disan-panel, #tour .disan-player, #tour .disan-card')]
      // (A panel's own buttons count through the panel: those scrolled out of it are not seen.)
      .filter((e) => !e.closest('[hidden]') && !(e.tagName === 'BUTTON' && e.closest('.disan-panel'))).map((e) => ({ name: e.className, r: box(e) })).filter((c) => shown(c.r));
    const out = [];
    labels.forEach((l, i) => {
      for (const m of labels.slice(i + 1)) if (meets(l.r, m.r)) out.push(`"${l.name}" over "${m.name}"`);
      for (const c of chrome) if (meets(l.r, c.r)) out.push(`"${l.name}" over ${c.name}`);
    });
    return out;
  });
  assert.deepEqual(clashes, [], `${where}: labels overlap`);
}

/** Fails unless a tap at the centre of each visible button of the chrome lands on that button. */
async function chromeTakesItsTaps(page, where) {
  const missed = await page.evaluate(() => {
    const chrome = '#tour .disan-bar button, #tour .disan-controls button, #tour .disan-player button, #tour .disan-card-close';
    const out = [];
    for (const b of document.querySelectorAll(chrome)) {
      const r = b.getBoundingClientRect();
      if (!r.width || !r.height || getComputedStyle(b).visibility === 'hidden') continue;
      const x = r.left + r.width / 2, y = r.top + r.height / 2;
      if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) continue;
      const hit = document.elementFromPoint(x, y);
      if (!hit || !(hit === b || b.contains(hit))) {
        out.push(`${b.className || b.textContent} (${b.getAttribute('aria-label') ?? ''}) at ${Math.round(x)},${Math.round(y)} is under ${hit?.className ?? hit?.tagName}`);
      }
    }
    return out;
  });
  assert.deepEqual(missed, [], `${where}: taps on the chrome land elsewhere`);
}




/** Text in `#tour` whose contrast is below 4.5:1: against its own background, and where that is
 *  see-through (over the canvas), composited over both a white and a black picture. */
function lowContrast() {
  const parse = (c) => (c.match(/[\d.]+/g) ?? []).map(Number).concat([1]).slice(0, 4);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const over = (top, under) => top.slice(0, 3).map((v, i) => v * top[3] + under[i] * (1 - top[3]));
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const out = [];
  for (const el of document.querySelectorAll('#tour *')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || el.closest('[hidden], [aria-hidden="true"], .disan-sr-only, svg')) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || r.bottom < 0 || r.top > innerHeight) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || Number(cs.opacity) === 0) continue;
    // The backgrounds from the element out, until an opaque one (or the canvas: any picture).
    const layers = [];
    let opaque = null;
    for (let x = el; x && !x.classList?.contains('disan'); x = x.parentElement) {
      const bg = parse(getComputedStyle(x).backgroundColor);
      if (bg[3] >= 0.999) { opaque = bg; break; }
      if (bg[3] > 0) layers.push(bg);
    }
    const unders = opaque ? [opaque] : [[255, 255, 255], [0, 0, 0]];
    const fg = parse(cs.color);
    let worst = Infinity;
    for (const u of unders) {
      // Composited from the outermost layer in: `layers` runs from the element out.
      const bg = layers.reduceRight((under, l) => over(l, under), u);
      worst = Math.min(worst, ratio(over(fg, bg), bg));
    }
    if (worst < 4.5) out.push(`${el.className || el.tagName} "${el.textContent.trim().slice(0, 30)}": ${worst.toFixed(2)}:1`);
  }
  return out;
}

// One server and one Chromium per backend for every test of this file.
for (const backend of ['webgpu', 'webgl2']) {
  describe(backend, () => {
    let browser, server, demo;
    before(async () => {
      demo = readTour();
      server = await startServer(DIST);
      browser = await launch(backend);
    });
    after(async () => {
      await browser?.close();
      await server?.close();
    });

    describe('a visitor with a phone', () => {
      const query = `?backend=${backend}`;

      for (const size of SIZES) {
        it(`${size.name}: the card leaves the hotspot and the picture above it in view`, TEST, async () => {
          const { context, page } = await open(browser, server, size, query);
          try {
            const info = demo.hotspots('info').find((h) => h.entry);
            assert.ok(info, `the start scene ${demo.start.id} has no info hotspot`);
            const button = await pressHotspot(page, size, info.index);
            const card = page.locator('#tour .disan-card');
            await card.waitFor({ state: 'visible', timeout: 10_000 });
            await page.waitForTimeout(800); // the framing follows the card (eased)
            await rest(page);
            const [spot, sheet] = [await button.locator('.disan-dot').boundingBox(), await card.boundingBox()];
            assert.ok(spot, 'the hotspot left the screen when its card opened');
            const shown = outside(spot, sheet);
            assert.ok(shown >= 0.8, `${size.name}: only ${Math.round(shown * 100)} % of the hotspot is outside the card (hotspot ${JSON.stringify(spot)}, card ${JSON.stringify(sheet)})`);
            // Its close button is in sight, and the card takes at most about half a narrow view.
            assert.ok(await card.locator('.disan-card-close').isVisible());
            if (size.width <= 600) assert.ok(sheet.height <= size.height * 0.52, `the sheet is ${sheet.height} px of ${size.height}`);
            // The picture beside the card is drawn (not the viewer's background).
            await page.screenshot({ path: path.join(OUT, `${backend}-${size.name}-card.png`) });
            const free = sheet.y > size.height / 3
              ? { x: 0, y: 0, width: size.width, height: Math.floor(sheet.y) }
              : { x: 0, y: 0, width: Math.floor(sheet.x), height: size.height };
            const stats = imageStats(decodePng(await page.screenshot({ clip: free, style: '.disan-overlay, .disan-bar, .disan-edges, .disan-player, .disan-controls { visibility: hidden !important; }' })));
            assert.ok(stats.distinct > 64 && stats.stddev > 8, `${size.name}: the picture beside the card looks blank (${stats.distinct} colours, stddev ${stats.stddev.toFixed(1)})`);
            await chromeTakesItsTaps(page, `${size.name} with the card open`);
            // A tap beside the card closes it.
            const beside = { x: Math.round(free.x + free.width * 0.3), y: Math.round(free.y + free.height * 0.7) };
            if (size.touch) await page.touchscreen.tap(beside.x, beside.y); else await page.mouse.click(beside.x, beside.y);
            await card.waitFor({ state: 'hidden', timeout: 10_000 });
          } finally {
            await context.close();
          }
        });

        it(`${size.name}: a tap on each button of the chrome reaches it, at a dozen views`, TEST, async () => {
          const { context, page } = await open(browser, server, size, query);
          try {
            for (let i = 0; i < 12; i++) {
              await page.evaluate((yaw) => window.disanHandle.setView({ yaw, pitch: yaw % 60 === 0 ? 10 : -15 }), i * 30);
              // The hotspots move after the next frame; no need to wait for the tiles.
              await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
              await chromeTakesItsTaps(page, `${size.name} at yaw ${i * 30}`);
              await labelsClear(page, `${size.name} at yaw ${i * 30}`);
            }
            // And a real tap on EN switches the language, whatever hotspot lies under it.
            const en = page.locator('#tour .disan-langs button[data-lang="en"]');
            if (size.touch) await en.tap(); else await en.click();
            await page.waitForFunction(() => window.disanHandle.language === 'en', null, { timeout: 10_000 });
            assert.equal(await page.locator('#tour .disan-card').isVisible(), false, 'the tap opened a card');
          } finally {
            await context.close();
          }
        });
      }

      for (const size of SIZES.filter((s) => s.touch)) {
        it(`${size.name}: during a step with a card the player stays usable and the step waits for the reader`, TEST, async () => {
          const guided = demo.tour.tours?.[0];
          assert.ok(guided, 'the demo has no guided tour');
          const n = guided.steps.findIndex((s) => s.hotspot && s.duration);
          assert.ok(n >= 0, 'no timed step of the guided tour opens a card');
          const { context, page } = await open(browser, server, size, query);
          try {
            await page.evaluate(([id, step]) => window.disanHandle.play(id, step), [guided.id, n]);
            const card = page.locator('#tour .disan-card');
            await card.waitFor({ state: 'visible', timeout: 60_000 });
            await page.waitForTimeout(800);
            const pause = page.locator('#tour .disan-player-play');
            const [p, sheet] = [await pause.boundingBox(), await card.boundingBox()];
            assert.ok(p && outside(p, sheet) === 1, `the pause button is under the card (${JSON.stringify(p)} / ${JSON.stringify(sheet)})`);
            await chromeTakesItsTaps(page, `${size.name} in a guided step with its card`);
            await page.screenshot({ path: path.join(OUT, `${backend}-${size.name}-step-card.png`) });
            // The visitor scrolls the card: the tour pauses, the player says so, the step stays.
            const body = card.locator('.disan-card-body');
            const box = await body.boundingBox();
            await page.touchscreen.tap(box.x + box.width / 2, box.y + 10);
            await page.waitForFunction(() => window.disanEvents.some((e) => e.type === 'tourpause'), null, { timeout: 10_000 });
            await page.waitForTimeout((guided.steps[n].duration + 1) * 1000);
            const g = await page.evaluate(() => window.disanHandle.guide);
            assert.deepEqual([g.step, g.playing], [n, false], 'the step moved on while the card was read');
            assert.equal(await pause.getAttribute('aria-pressed'), 'false', 'the player does not show the pause');
            await pause.tap();
            await page.waitForFunction((s) => window.disanHandle.guide?.step > s, n, { timeout: (guided.steps[n].duration + 30) * 1000 });
          } finally {
            await context.close();
          }
        });
      }
    });

    describe('an embed in a page', () => {
      it('the wheel over a viewer without the focus scrolls the page; once clicked, it zooms', TEST, async () => {
        const context = await browser.newContext({ viewport: { width: 900, height: 420 } });
        const page = await context.newPage();
        try {
          await page.goto(`${server.url}embed.html?backend=${backend}`);
          await page.waitForFunction(() => [...document.querySelectorAll('disan-tour')].every((t) => t.handle?.ready), null, { timeout: READY_MS, polling: 200 });
          const fov = () => page.evaluate(() => document.querySelector('#a').handle.getView().fov);
          const before = await fov();
          const box = await page.locator('#a canvas').boundingBox();
          await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
          await page.mouse.wheel(0, 300);
          await page.waitForFunction(() => window.scrollY > 0, null, { timeout: 5000 }).catch(() => {});
          assert.ok(await page.evaluate(() => window.scrollY) > 0, 'the page did not scroll');
          assert.equal(await fov(), before, 'the viewer zoomed instead');
          assert.ok(await page.locator('#a .disan-first-hint').isVisible(), 'no hint says how to zoom');
          // Clicked, the viewer has the focus: the wheel zooms it and the page stays.
          // (A point of the picture itself: not a hotspot, an arrow or a button.)
          const free = await page.evaluate(() => {
            const c = document.querySelector('#a canvas'), r = c.getBoundingClientRect();
            for (let j = 1; j < 10; j++) {
              for (let i = 1; i < 10; i++) {
                const x = r.left + (r.width * i) / 10, y = r.top + (r.height * j) / 10;
                if (y > 0 && y < innerHeight && document.elementFromPoint(x, y) === c) return { x, y };
              }
            }
            return null;
          });
          assert.ok(free, 'no free point in the viewer');
          await page.mouse.click(free.x, free.y);
          const y = await page.evaluate(() => window.scrollY);
          await page.mouse.wheel(0, -300);
          await page.waitForFunction((f) => document.querySelector('#a').handle.getView().fov !== f, before, { timeout: 10_000 });
          assert.equal(await page.evaluate(() => window.scrollY), y, 'the page scrolled while the viewer zoomed');
          // The click showed no focus ring (it is for keyboard focus); a key brings it back.
          const ring = () => page.evaluate(() => {
            const cs = getComputedStyle(document.querySelector('#a .disan'), '::after');
            return cs.content !== 'none' && cs.display !== 'none';
          });
          assert.equal(await ring(), false, 'a focus ring after a click in the view');
          await page.keyboard.press('ArrowLeft');
          assert.equal(await ring(), true, 'no focus ring once keys are used');
        } finally {
          await context.close();
        }
      });
    });

    describe("what goes wrong is said in the visitor's language", () => {
      for (const [why, fulfil, said] of [
        ['missing', (r) => r.fulfill({ status: 404, body: 'missing' }), /không tải được tệp/],
        ['damaged', async (r) => {
          const res = await r.fetch();
          await r.fulfill({ response: res, body: (await res.body()).subarray(0, 200) });
        }, /tệp bị hỏng/],
      ]) {
        it(`a ${why} model: a Vietnamese page says so in Vietnamese, the detail folded below, and offers the way back to the start`, TEST, async () => {
          const object = demo.tour.scenes.find((s) => s.kind === 'object');
          const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
          const page = await context.newPage();
          try {
            await page.route('**/*.glb', fulfil);
            await page.goto(`${server.url}index.html?backend=${backend}#scene=${object.id}`);
            const box = page.locator('#tour .disan-scene-error');
            await box.waitFor({ state: 'visible', timeout: READY_MS });
            assert.equal(await page.evaluate(() => document.documentElement.lang), 'vi');
            const text = await box.locator('.disan-scene-error-text').textContent();
            assert.match(text, /^Không mở được hiện vật này: /);
            assert.match(text, said);
            assert.doesNotMatch(text, /HTTP|glb|JSON|could not|error|failed/i, 'technical or English words in the message');
            // The technical account is there, folded.
            const detail = box.locator('.disan-error-detail');
            assert.equal(await detail.evaluate((d) => d.open), false);
            assert.match(await detail.textContent(), /Chi tiết kỹ thuật.*\.glb/s);
            // The error box says the same, in Vietnamese too.
            assert.match(await page.locator('#tour .disan-error-text').textContent(), /^Không mở được hiện vật này/);
            await page.screenshot({ path: path.join(OUT, `${backend}-error-${why}.png`) });
            const back = box.locator('.disan-back-to-start');
            assert.equal((await back.textContent()).trim(), 'Về cảnh đầu');
            await back.tap();
            await page.waitForFunction((id) => window.disanHandle.scene === id, demo.start.id, { timeout: READY_MS });
            assert.ok(await box.isHidden(), 'the error stays after going back');
          } finally {
            await context.close();
          }
        });
      }
    });

    describe('text anyone can read', () => {
      for (const size of [SIZES[0], SIZES[2]]) {
        it(`${size.name}: no text below 4.5:1 (axe-core and over the canvas) with every panel open`, TEST, async () => {
          const object = demo.tour.scenes.find((s) => s.kind === 'object');
          const { context, page } = await open(browser, server, size, `?backend=${backend}`, `#scene=${object.id}`);
          const axe = async (where) => {
            const found = await page.evaluate(async () => {
              const r = await window.axe.run(document.querySelector('#tour'), { runOnly: ['color-contrast'] });
              return r.violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary.split('\n').slice(1).join(' ')}`));
            });
            assert.deepEqual(found, [], `${size.name}, ${where}: axe-core finds low contrast`);
            assert.deepEqual(await page.evaluate(lowContrast), [], `${size.name}, ${where}: text over the canvas below 4.5:1`);
          };
          try {
            await page.addScriptTag({ path: path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'axe-core', 'axe.min.js') });
            const press = (sel) => (size.touch ? page.locator(sel).tap() : page.locator(sel).click());
            // The inspection tools, every part shown.
            await press('#tour .disan-ctl-inspect');
            for (const sel of ['.disan-insp-raking', '.disan-insp-section', '.disan-insp-measure']) await press(`#tour ${sel}`);
            await page.waitForTimeout(300);
            await page.screenshot({ path: path.join(OUT, `${backend}-${size.name}-inspect.png`) });
            const named = await page.evaluate(() => [...document.querySelectorAll('#tour .disan-inspect input, #tour .disan-inspect button')]
              .filter((x) => !x.closest('[hidden]')).filter((x) => !(x.getAttribute('aria-label') || x.labels?.[0]?.textContent.trim() || x.textContent.trim())).map((x) => x.className));
            assert.deepEqual(named, [], 'inspection controls without a name');
            await axe('the inspection panel');
            await labelsClear(page, `${size.name}, the inspection panel`);
            await press('#tour .disan-ctl-inspect');
            // The scene list, the guided tours' list.
            await press('#tour .disan-ctl-scenes');
            await axe('the scene list');
            await labelsClear(page, `${size.name}, the scene list`);
            await press('#tour .disan-ctl-scenes');
            await press('#tour .disan-ctl-tours');
            await axe('the guided tours');
            // A guided step with its card, and the player.
            const guided = demo.tour.tours[0];
            const n = guided.steps.findIndex((s) => s.hotspot);
            await page.evaluate(([id, step]) => window.disanHandle.play(id, step), [guided.id, n]);
            await page.locator('#tour .disan-card').waitFor({ state: 'visible', timeout: READY_MS });
            await page.waitForTimeout(500);
            await axe('a guided step with its card');
            await labelsClear(page, `${size.name}, a guided step with its card`);
          } finally {
            await context.close();
          }
        });
      }
    });

    describe('history on a slow link', () => {
      it('Back during a guided tour whose next scene loads slowly returns to the previous step\'s scene', TEST, async () => {
        const guided = demo.tour.tours[0];
        // Two steps in a row whose scenes differ: the second one's files come slowly.
        const n = guided.steps.findIndex((s, i) => i + 1 < guided.steps.length && guided.steps[i + 1].scene !== s.scene);
        assert.ok(n >= 0, 'the guided tour never changes scene');
        const [from, to] = [guided.steps[n].scene, guided.steps[n + 1].scene];
        const { context, page } = await open(browser, server, SIZES[0], `?backend=${backend}`, `#scene=${from}`);
        try {
          await page.evaluate(([id, step]) => window.disanHandle.play(id, step), [guided.id, n]);
          await page.waitForFunction((s) => window.disanHandle.guide?.step === s, n, { timeout: 10_000 });
          await rest(page);
          const slow = demo.scene(to);
          const files = [slow.tiles ? `tiles/${to}/` : null, slow.image, slow.model].filter(Boolean);
          await page.route((url) => files.some((f) => url.pathname.includes(f)), async (r) => {
            await new Promise((res) => setTimeout(res, 3000));
            await r.continue();
          });
          await page.locator('#tour .disan-player-next').tap();
          // While the next scene loads, the address still names the scene on screen, no step of another.
          await page.waitForTimeout(1000);
          assert.equal(await page.evaluate(() => window.disanHandle.scene), from);
          const during = await page.evaluate(() => location.hash);
          assert.ok(!during.includes(`step=${guided.id}/${n + 1}`) && !during.includes(`scene=${to}`), `the address ran ahead of the screen: ${during}`);
          await page.waitForFunction((s) => window.disanHandle.scene === s, to, { timeout: 60_000 });
          await page.waitForTimeout(500);
          await page.goBack();
          await page.waitForFunction((s) => window.disanHandle.scene === s, from, { timeout: 60_000 });
          assert.ok(page.url().startsWith(server.url), 'Back left the page');
        } finally {
          await context.close();
        }
      });
    });

    describe('history on a slow link, outside a guided tour', () => {
      it('a link tapped while its scene comes slowly: the old scene stays drawn and in the address until the new one is on screen; Back and Forward follow', TEST, async () => {
        const links = demo.hotspots('link').filter((h) => h.target && h.target !== demo.start.id);
        assert.ok(links.length, `the start scene ${demo.start.id} has no link to another scene`);
        const size = SIZES[0];
        const { context, page } = await open(browser, server, size, `?backend=${backend}`, `#scene=${demo.start.id}`);
        try {
          const h = links[0];
          const slow = demo.scene(h.target);
          const files = [slow.tiles ? `tiles/${h.target}/` : null, slow.image, slow.model].filter(Boolean);
          await page.route((url) => files.some((f) => url.pathname.includes(f)), async (r) => {
            await new Promise((res) => setTimeout(res, 3000));
            await r.continue();
          });
          await pressHotspot(page, size, h.index);
          const shot = async () => decodePng(await page.screenshot({ style: '.disan-overlay, .disan-bar, .disan-edges, .disan-player, .disan-controls, .disan-loading, .disan-card { visibility: hidden !important; }' }));
          await page.waitForTimeout(1000);
          // The scene on screen, and what the address names, is still the old one, drawn.
          assert.equal(await page.evaluate(() => window.disanHandle.scene), demo.start.id);
          const during = await page.evaluate(() => new URLSearchParams(location.hash.slice(1)).get('scene'));
          assert.ok(during === null || during === demo.start.id, `the address ran ahead of the screen: ${during}`);
          const stats = imageStats(await shot());
          assert.ok(stats.distinct > 64 && stats.stddev > 8, `the view went blank while the next scene loads (${stats.distinct} colours, stddev ${stats.stddev.toFixed(1)})`);
          await page.waitForFunction((s) => window.disanHandle.scene === s, h.target, { timeout: 60_000 });
          await page.waitForFunction((s) => new URLSearchParams(location.hash.slice(1)).get('scene') === s, h.target, { timeout: 5_000 });
          await page.waitForTimeout(500);
          await page.goBack();
          await page.waitForFunction((s) => window.disanHandle.scene === s, demo.start.id, { timeout: 60_000 });
          assert.ok(page.url().startsWith(server.url), 'Back left the page');
          await page.goForward();
          await page.waitForFunction((s) => window.disanHandle.scene === s, h.target, { timeout: 60_000 });
        } finally {
          await context.close();
        }
      });
    });

    describe('a slow link', () => {
      for (const size of SIZES.slice(0, 2)) {
        it(`${size.name} at 1.6 Mbit/s: the tour's title and the progress show early, over no control`, TEST, async () => {
          const context = await browser.newContext({ viewport: { width: size.width, height: size.height }, hasTouch: true, isMobile: true });
          const page = await context.newPage();
          try {
            const cdp = await context.newCDPSession(page);
            await cdp.send('Network.enable');
            await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 200_000, uploadThroughput: 100_000 });
            const t0 = Date.now();
            await page.goto(`${server.url}index.html?backend=${backend}`, { waitUntil: 'commit' });
            const title = page.locator('#tour .disan-title');
            await page.waitForFunction(() => document.querySelector('#tour .disan-title')?.textContent.trim(), null, { timeout: 20_000 });
            const loading = page.locator('#tour .disan-loading');
            assert.ok(await loading.isVisible(), 'no progress while the engine downloads');
            const text = await loading.getAttribute('aria-valuetext');
            assert.match(text ?? '', /Đang tải/);
            const seconds = (Date.now() - t0) / 1000;
            await page.screenshot({ path: path.join(OUT, `${backend}-${size.name}-slow-load.png`) });
            // Nothing it is drawn over: the title bar, the toolbar, the player.
            const over = await page.evaluate(() => {
              const l = document.querySelector('#tour .disan-loading').getBoundingClientRect();
              return [...document.querySelectorAll('#tour .disan-bar > *, #tour .disan-controls button, #tour .disan-player')]
                .filter((x) => { const r = x.getBoundingClientRect(); return r.width && r.height && r.left < l.right && l.left < r.right && r.top < l.bottom && l.top < r.bottom; })
                .map((x) => x.className);
            });
            assert.deepEqual(over, [], 'the progress is drawn over controls');
            // Once the engine's bytes flow, the progress says how much of them has come.
            await page.waitForFunction(() => document.querySelector('#tour .disan-loading')?.hasAttribute('aria-valuenow'), null, { timeout: 60_000 });
            const counted = await loading.getAttribute('aria-valuetext');
            assert.match(counted ?? '', /\d+% \(\d+(\.\d)? [KM]B \/ \d+(\.\d)? [KM]B\)/, `no share of the bytes: ${counted}`);
            console.log(`# ${backend} ${size.name}: title "${(await title.textContent()).trim()}" and "${text}" after ${seconds.toFixed(1)} s at 1.6 Mbit/s, then "${counted}"`);
          } finally {
            await context.close();
          }
        });
      }
    });
  });
}
