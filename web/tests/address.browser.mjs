// address.browser.mjs: browser tests of address search (/v1/geocode
// behind the search box), against the gridmap at GRIDMAP_URL. Imported by
// browser.test.mjs. The building is picked at random: SEED=n repeats a run.

import { statSync } from 'node:fs';
import { shortAddress } from '../static/js/address.js';
import { assert, test } from './harness.mjs';
import { idle, open } from './mapkit.mjs';

const base = process.env.GRIDMAP_URL;
const SEED = Number(process.env.SEED) || Math.floor(Math.random() * 2 ** 31);
console.log(`address tests: SEED=${SEED}`);

/** random is mulberry32: a small seeded generator of [0, 1). */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const DIGITS = '零一二三四五六七八九';

/** chinese writes 1-99 in Chinese numerals: 3 三, 12 十二, 40 四十. */
export function chinese(n) {
  if (n < 10) return DIGITS[n];
  const tens = Math.floor(n / 10);
  return `${tens > 1 ? DIGITS[tens] : ''}十${n % 10 ? DIGITS[n % 10] : ''}`;
}

/** messy writes a standard address as a person might: without province
 *  and city, the building number in Chinese numerals, a space after the
 *  district. */
export function messy(p) {
  return shortAddress(p.address)
    .replace(/(\d+)栋$/, (_, d) => `${chinese(Number(d))}栋`)
    .replace(p.district, `${p.district} `);
}

/** pickBuilding returns a building of an estate with numbered buildings
 *  (from /v1/export/buildings.geojson), chosen with the seed. */
let buildings = null;
async function pickBuilding(rand) {
  if (!buildings) {
    const res = await fetch(new URL('/v1/export/buildings.geojson', base));
    assert(res.ok, `GET /v1/export/buildings.geojson: HTTP ${res.status}`);
    buildings = (await res.json()).features.filter((f) => f.properties.estate && /^\d+$/.test(f.properties.building) && Number(f.properties.building) < 100);
    assert(buildings.length > 0, 'no building of an estate in the export');
  }
  return buildings[Math.floor(rand() * buildings.length)];
}

/** searchAddress types text into the search box and waits for the row of
 *  building id; it returns the row's text. */
async function searchAddress(page, text, id) {
  await page.fill('#search', text);
  const row = `#search-results li[data-building="${id}"]`;
  await page.waitForSelector(row, { timeout: 15000 }).catch(async () => {
    const rows = await page.$$eval('#search-results li', (ls) => ls.map((l) => l.textContent));
    throw new Error(`no result for building ${id} after typing ${text}: ${JSON.stringify(rows)}`);
  });
  return row;
}

test('a messy address finds its building; picking it selects the grid', async ({ page }) => {
  const rand = random(SEED);
  const b = await pickBuilding(rand);
  const p = b.properties;
  const text = messy(p);
  assert(text !== p.address && /[一二三四五六七八九十]栋$/.test(text), `messy(${p.address}) = ${text}`);
  await open(page, base);
  const row = await searchAddress(page, text, p.id);
  const first = await page.$eval('#search-results li', (li) => ({ building: li.dataset.building, best: li.classList.contains('best'), text: li.textContent }));
  assert(first.building === String(p.id) && first.best, `first row is ${JSON.stringify(first)}, want the best match, building ${p.id}`);
  assert(/\d+(\.\d)?%$/.test(first.text) && first.text.includes(p.grid), `row lacks a confidence or the grid: ${first.text}`);
  await page.click(row);
  await page.waitForFunction((c) => document.querySelector('#panel [data-field="grid-code"]')?.textContent === c, p.grid, { timeout: 15000 })
    .catch(async () => { throw new Error(`panel: ${await page.textContent('#panel')}, want grid ${p.grid}`); });
  const shown = await page.textContent('#panel [data-field="building-address"]');
  assert(shown === p.address, `panel address ${shown}, want ${p.address}`);
  await idle(page);
  const view = await page.evaluate(() => ({ c: window.gridmap.map.getCenter().toArray(), z: window.gridmap.map.getZoom(), hash: location.hash }));
  const [lon, lat] = b.geometry.coordinates;
  assert(Math.abs(view.c[0] - lon) < 1e-4 && Math.abs(view.c[1] - lat) < 1e-4 && view.z >= 17, `view ${JSON.stringify(view)}, want the building ${lon},${lat} close up`);
  assert(view.hash.includes(`sel=${p.grid}`), `hash ${view.hash} lacks sel=${p.grid}`);
});

test('address search in English; names still find units', async ({ page }) => {
  const b = await pickBuilding(random(SEED + 1));
  const p = b.properties;
  await open(page, base, 'lang=en');
  const row = await searchAddress(page, messy(p), p.id);
  const badge = await page.textContent(`${row} .badge`);
  assert(badge === 'Best match', `badge ${badge}, want Best match`);
  // A community's name is no address: its unit comes first.
  await page.fill('#search', `${p.community}`);
  await page.waitForFunction(() => document.querySelector('#search-results li')?.dataset.code?.length === 12, null, { timeout: 15000 })
    .catch(async () => { throw new Error(`first row for ${p.community}: ${await page.textContent('#search-results')}`); });
});

test('screenshot of an address search', async ({ page, artifact }) => {
  const rand = random(SEED + 2);
  const b = await pickBuilding(rand);
  const p = b.properties;
  await open(page, base);
  const row = await searchAddress(page, messy(p), p.id);
  await page.click(row);
  await page.waitForFunction((c) => document.querySelector('#panel [data-field="grid-code"]')?.textContent === c, p.grid, { timeout: 15000 });
  await idle(page);
  // Reopen the list over the selected building: the list and the panel.
  await page.fill('#search', messy(p));
  await searchAddress(page, messy(p), p.id);
  await page.hover(row);
  await page.screenshot({ path: artifact('address.png') });
  const size = statSync(artifact('address.png')).size;
  assert(size > 20000, `address.png is ${size} bytes, an empty map?`);
});
