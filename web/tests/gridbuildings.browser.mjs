// gridbuildings.browser.mjs: a grid's panel lists its buildings with their
// addresses (issue 14). Imported by browser.test.mjs.

import { assert, test } from './harness.mjs';
import { getJSON, open } from './mapkit.mjs';

const base = process.env.GRIDMAP_URL;

test('grid buildings: the panel lists every building of the grid with its address', async ({ page }) => {
  const one = (await getJSON(base, '/ogc/collections/buildings/items?limit=1&offset=777')).features[0];
  const code = one.properties.grid;
  const all = await getJSON(base, `/ogc/collections/buildings/items?grid=${code}&limit=500`);
  await open(page, base, `sel=${code}`);
  await page.waitForSelector('#panel .buildings-section summary', { timeout: 15000 });
  await page.click('#panel .buildings-section summary');
  await page.waitForSelector('#panel [data-field="grid-buildings"] li[data-building]', { timeout: 15000 });
  const rows = await page.$$eval('#panel [data-field="grid-buildings"] li[data-building]', (ls) => ls.map((l) => ({ id: l.dataset.building, text: l.textContent })));
  assert(rows.length === all.numberMatched, `${rows.length} buildings listed, the grid has ${all.numberMatched}`);
  const row = rows.find((r) => r.id === String(one.id));
  const street = `${one.properties.road}${one.properties.number}号`;
  assert(row && row.text.includes(street), `building ${one.id} (${one.properties.address}) listed as ${row?.text}`);
});
