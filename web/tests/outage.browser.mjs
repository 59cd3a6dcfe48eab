// outage.browser.mjs: gridmap stops answering and comes back (issue 14):
// a banner says so and requests are asked again with back-off. (The tiles
// that failed meanwhile are seen fetched again in head.browser.mjs.)
// Imported by browser.test.mjs.

import { assert, test } from './harness.mjs';
import { getJSON, open } from './mapkit.mjs';

const base = process.env.GRIDMAP_URL;
const DOWN = /\/(tiles\/|v1\/|readyz|tiles\.json)/;

test('outage: a banner while gridmap is unreachable, then answers again', async ({ page }) => {
  const feats = (await getJSON(base, '/ogc/collections/buildings/items?limit=1&offset=2000')).features;
  const far = (await getJSON(base, '/ogc/collections/buildings/items?limit=1&offset=9000')).features;
  const [here, there] = [feats[0], far[0]];
  await open(page, base, `map=15/${here.geometry.coordinates[1]}/${here.geometry.coordinates[0]}`);
  assert(await page.isHidden('#offline'), 'the outage banner shows while gridmap answers');
  await page.route(DOWN, (route) => route.abort('connectionrefused'));
  // Somewhere not yet seen: its tiles fail; a click's lookup fails too.
  await page.evaluate((c) => window.gridmap.map.jumpTo({ center: c, zoom: 15 }), there.geometry.coordinates);
  await page.waitForSelector('#offline:not([hidden])', { timeout: 15000 });
  const text = await page.textContent('#offline');
  assert(text === '连接中断，正在重试…', `banner says ${text}`);
  const box = await page.evaluate(() => window.gridmap.map.getCanvas().getBoundingClientRect());
  await page.mouse.click(box.width / 2 - 100, box.height / 2);
  const shownBefore = await page.evaluate(() => window.gridmap.map.queryRenderedFeatures({ layers: ['grid-fill'] }).length);
  assert(shownBefore === 0, `${shownBefore} grids drawn where no tile could be fetched`);
  await page.unroute(DOWN);
  await page.waitForSelector('#offline', { state: 'hidden', timeout: 40000 });
  await page.waitForFunction(() => document.querySelector('#panel [data-field="grid-code"]'), null, { timeout: 20000 })
    .catch(async () => { throw new Error(`the click's lookup was not asked again: panel ${await page.textContent('#panel')}`); });
}, { allowConsole: [/ERR_CONNECTION_REFUSED|Failed to load resource|Failed to fetch/] });
