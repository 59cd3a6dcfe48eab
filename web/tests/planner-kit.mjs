// planner-kit.mjs: helpers of the planner's browser tests
// (planner*.browser.mjs): choosing grids to edit, opening the editing mode
// with the token, selecting, drawing a split line, and screenshots at
// 1440x900 and 390x844.

import { getJSON, idle } from './mapkit.mjs';
import { splitCandidates } from './edit-geo.mjs';

const base = process.env.GRIDMAP_URL;
const token = process.env.GRIDMAP_TOKEN;

/** SCOPE is the planner token's district (run.sh). */
export const SCOPE = '520201000000';

/** SIZES are the two views every screenshot is taken at. */
export const SIZES = [{ name: 'desktop', width: 1440, height: 900 }, { name: 'phone', width: 390, height: 844 }];

/** grids returns want split candidates of a district's communities after
 *  the first skip (edit.browser.mjs uses those from the 4th on). */
export async function grids(district, want, skip = 0) {
  const tree = await getJSON(base, '/v1/units?depth=3');
  const d = tree.units[0].children.find((u) => u.code === district);
  const found = [];
  for (const c of d.children.flatMap((s) => s.children).slice(skip)) {
    const unit = await getJSON(base, `/v1/units/${c.code}`);
    const features = await Promise.all(unit.children.map((g) => getJSON(base, `/v1/grids/${g.code}`)));
    found.push(...splitCandidates(features).map((g) => ({ ...g, community: c.code })));
    if (found.length >= want) return found.slice(0, want);
  }
  throw new Error(`only ${found.length} grids of ${district} can be split by a horizontal line, want ${want}`);
}

/** show fits the grid's bbox clear of the bar and the panel. */
export async function show(page, g) {
  await page.evaluate((b) => window.gridmap.map.fitBounds(b, { padding: { top: 140, bottom: 90, left: 200, right: 500 }, duration: 0 }), g.bbox);
  await settle(page);
}

export const px = (page, lngLat) => page.evaluate((c) => window.gridmap.map.project(c), lngLat);
export const text = (page, sel) => page.evaluate((s) => document.querySelector(s)?.textContent ?? null, sel);
export const waitFor = (page, sel, what, timeout = 15000) => page.waitForSelector(sel, { timeout }).catch(async () => {
  throw new Error(`${what}: ${sel} did not appear; panel says: ${(await text(page, '#panel'))?.slice(0, 400)}`);
});
export const rendered = (page, layers) => page.evaluate((ls) => window.gridmap.map.queryRenderedFeatures({ layers: ls }).length, layers);

/** openSlow opens the page at hash and waits for it to start, for as long
 *  as a loaded machine needs (mapkit's open allows 30 s). */
async function openSlow(page, hash) {
  if (page.url() !== 'about:blank') await page.goto('about:blank');
  const res = await page.goto(new URL(`/#${hash}`, base).href);
  if (!res?.ok()) throw new Error(`GET /#${hash}: HTTP ${res?.status()}`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true' || !document.getElementById('notice')?.hidden, null, { timeout: 120000 });
  const notice = await page.evaluate(() => (document.body.dataset.ready === 'true' ? '' : document.getElementById('notice').textContent));
  if (notice) throw new Error(`the page says: ${notice}`);
  await settle(page);
}

/** openEdit opens the page on grid g and the editing mode with the token. */
export async function openEdit(page, g) {
  await openSlow(page, `map=15/${g.cy}/${(g.x1 + g.x2) / 2}`);
  await show(page, g);
  await page.click('#edit-toggle');
  await waitFor(page, '#edit-token', 'the token prompt');
  await page.fill('#edit-token', token);
  await page.click('#edit-token-save');
  await page.waitForFunction(() => window.gridmap.editor.who, null, { timeout: 30000 });
}

/** select clicks [lon, lat] and waits for grid code to be the one edited. */
export async function select(page, lngLat, code) {
  const p = await px(page, lngLat);
  await page.mouse.click(p.x, p.y);
  await page.waitForFunction((c) => document.querySelector('[data-field="edit-grid-code"]')?.textContent === c, code, { timeout: 15000 })
    .catch(async () => { throw new Error(`editing ${await text(page, '[data-field="edit-grid-code"]')}, want ${code}`); });
}

/** drawSplit picks the split tool and draws a line through points. */
export async function drawSplit(page, points) {
  await page.click('[data-tool="split"]');
  for (const c of points.slice(0, -1)) {
    const p = await px(page, c);
    await page.mouse.click(p.x, p.y);
  }
  const last = await px(page, points[points.length - 1]);
  await page.mouse.dblclick(last.x, last.y);
}

/** shoot saves the page at both sizes as name-desktop.png and
 *  name-phone.png (the phone first scrolls the panel's key part into
 *  view), then restores the desktop size. */
export async function shoot(page, artifact, name, focus = null) {
  for (const s of SIZES) {
    await page.setViewportSize({ width: s.width, height: s.height });
    await page.evaluate(() => window.gridmap.map.resize());
    if (focus) await page.evaluate((sel) => document.querySelector(sel)?.scrollIntoView({ block: 'center' }), focus);
    await settle(page);
    await page.screenshot({ path: artifact(`planner-${name}-${s.name}.png`) });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.evaluate(() => window.gridmap.map.resize());
  await settle(page);
}

/** settle waits for the map to be idle, or 8 s at most (then a test goes
 *  on and fails on what it checks rather than hanging). */
export const settle = (page) => Promise.race([idle(page), new Promise((r) => { setTimeout(r, 8000); })]);

