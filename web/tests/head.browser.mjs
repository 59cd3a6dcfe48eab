// head.browser.mjs: the subdistrict head's tools (issue 14): the grid
// table (sort, filter, pages, selection both ways), exports in three
// formats, the print layout and its PDF, distance and area measuring,
// with screenshots at 1440x900 and 390x844 in artifacts/. Imported by
// browser.test.mjs.

import { readFileSync, statSync } from 'node:fs';
import { assert, test } from './harness.mjs';
import { getJSON, idle, panelGridCode } from './mapkit.mjs';

const base = process.env.GRIDMAP_URL;
const DESK = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const EARTH_RADIUS_M = 6371008.8; // geo/planar.EarthRadiusMeters

/** open loads the page at base + hash and waits (up to 90 s: the test
 *  machine is shared) until the map is ready and idle. */
async function open(page, url, hash = '') {
  if (page.url() !== 'about:blank') await page.goto('about:blank');
  const res = await page.goto(new URL(hash ? `/#${hash}` : '/', url).href);
  assert(res?.ok(), `GET /: HTTP ${res?.status()}`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true' || !document.getElementById('notice')?.hidden, null, { timeout: 90000 });
  const notice = await page.evaluate(() => (document.body.dataset.ready === 'true' ? '' : document.getElementById('notice').textContent));
  assert(!notice, `the page says: ${notice}`);
  await idle(page);
}

/** rows returns the table's rows as gridmap serves them, by column. */
async function gridRows() {
  const body = await getJSON(base, '/v1/export/grids?format=json');
  return body.rows.map((r) => Object.fromEntries(body.columns.map((c, i) => [c, r[i]])));
}

async function openTable(page) {
  await page.click('#table-toggle');
  await page.waitForSelector('#grid-table tbody tr[data-code]', { timeout: 20000 });
}

const shownCodes = (page) => page.$$eval('#grid-table tbody tr[data-code]', (trs) => trs.map((tr) => tr.dataset.code));

test('head: the grid table sorts, filters and pages 2,000+ grids, and selects both ways', async ({ page, artifact }) => {
  const all = await gridRows();
  assert(all.length > 2000, `${all.length} grids served`);
  await page.setViewportSize(DESK);
  await open(page, base);
  await openTable(page);
  const pageOf = await page.textContent('#grid-table [data-field="page-of"]');
  assert(pageOf.includes(String(all.length)) || pageOf.includes(all.length.toLocaleString('zh-CN')), `pager says ${pageOf}, want ${all.length} rows`);
  assert((await shownCodes(page)).length === 50, 'a page holds 50 rows');
  // Default order: worst covered first.
  const worst = all.slice().sort((a, b) => a.coverage - b.coverage || a.code.localeCompare(b.code))[0];
  assert((await shownCodes(page))[0] === worst.code, `first row ${(await shownCodes(page))[0]}, want the worst covered ${worst.code}`);
  // Sort by households, descending (two clicks).
  await page.click('#grid-table th button[data-sort="households"]');
  await page.click('#grid-table th button[data-sort="households"]');
  const most = all.slice().sort((a, b) => b.households - a.households || a.code.localeCompare(b.code))[0];
  assert((await shownCodes(page))[0] === most.code, `households descending starts ${(await shownCodes(page))[0]}, want ${most.code}`);
  assert(await page.getAttribute('#grid-table th[aria-sort="descending"] button', 'data-sort') === 'households', 'aria-sort not on households');
  // Filter: households between two bounds and a community's name.
  const community = most.community;
  await page.fill('#grid-table input[data-filter="text"]', community);
  await page.fill('#grid-table input[data-filter="min"]', '350');
  const want = all.filter((r) => [r.code, r.name, r.district, r.subdist, r.community].some((v) => v && v.includes(community)) && r.households >= 350);
  await page.waitForFunction((n) => document.querySelectorAll('#grid-table tbody tr[data-code]').length === Math.min(n, 50), want.length, { timeout: 5000 })
    .catch(async () => { throw new Error(`${(await shownCodes(page)).length} rows shown, want ${want.length}`); });
  // Out-of-range only: the rows gridmap flags.
  await page.fill('#grid-table input[data-filter="text"]', '');
  await page.fill('#grid-table input[data-filter="min"]', '');
  await page.check('#grid-table input[data-filter="outOfRange"]');
  const flagged = all.filter((r) => r.range).length;
  const text = await page.textContent('#grid-table [data-field="page-of"]');
  assert(flagged === 0 ? text.includes('0') : text.includes(String(flagged)), `out-of-range filter shows "${text}", want ${flagged}`);
  await page.uncheck('#grid-table input[data-filter="outOfRange"]');
  // Pages: the next page starts at row 51.
  await page.click('#grid-table button[data-page="next"]');
  assert((await page.textContent('#grid-table [data-field="page-of"]')).startsWith('第51'), 'next page does not start at row 51');
  // A row selects its grid on the map.
  const row = (await shownCodes(page))[3];
  await page.click(`#grid-table tr[data-code="${row}"]`);
  await page.waitForFunction((c) => document.querySelector('#panel [data-field="grid-code"]')?.textContent === c, row, { timeout: 15000 });
  await idle(page);
  await page.screenshot({ path: artifact('desk-table.png') });
  // A grid selected elsewhere (the search) is marked in the table, on its page.
  const other = all[1234].code;
  await page.fill('#search', other);
  await page.waitForSelector(`#search-results li[data-code="${other}"]`, { timeout: 10000 });
  await page.press('#search', 'Enter');
  await page.waitForFunction((c) => document.querySelector('#grid-table tr.selected')?.dataset.code === c, other, { timeout: 15000 })
    .catch(async () => { throw new Error(`the table does not mark ${other} selected on the map (panel ${await panelGridCode(page)})`); });
});

test('head: exports of the table, a selection and the gaps as GeoJSON, CSV and Shapefile', async ({ page, artifact }) => {
  const all = await gridRows();
  await open(page, base);
  await openTable(page);
  const download = async (action, format) => {
    await page.selectOption('#grid-table select[data-field="export-format"]', format);
    const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), page.click(`#grid-table button[data-action="${action}"]`)]);
    const path = artifact(`export-${action}-${dl.suggestedFilename()}`);
    await dl.saveAs(path);
    return { name: dl.suggestedFilename(), bytes: readFileSync(path) };
  };
  // The filtered table: one community's grids.
  const community = all[100].community;
  const mine = all.filter((r) => [r.code, r.name, r.district, r.subdist, r.community].some((v) => v && v.includes(community)));
  await page.fill('#grid-table input[data-filter="text"]', community);
  const csv = await download('table', 'csv');
  const lines = csv.bytes.toString('utf8').trim().split('\r\n');
  assert(csv.name === 'grids.csv' && csv.bytes[0] === 0xef && csv.bytes[1] === 0xbb && csv.bytes[2] === 0xbf, `${csv.name} does not start with a UTF-8 BOM`);
  assert(lines.length === mine.length + 1, `CSV has ${lines.length - 1} rows, the filtered table ${mine.length}`);
  assert(lines.slice(1).every((l) => l.includes(community)), 'a CSV row is outside the filter');
  const gj = await download('table', 'geojson');
  const fc = JSON.parse(gj.bytes.toString('utf8'));
  assert(gj.name === 'grids.geojson' && fc.features.length === mine.length && fc.features[0].geometry.type === 'MultiPolygon', `GeoJSON: ${gj.name}, ${fc.features.length} features`);
  const shp = await download('table', 'shp');
  assert(shp.name === 'grids.zip' && shp.bytes.subarray(0, 2).toString() === 'PK', `Shapefile export ${shp.name} is not a zip`);
  for (const part of ['grids.shp', 'grids.shx', 'grids.dbf', 'grids.prj', 'grids.cpg']) assert(shp.bytes.includes(Buffer.from(part)), `the zip lacks ${part}`);
  // The selection: a grid picked in the table.
  await page.click(`#grid-table tr[data-code="${mine[0].code}"]`);
  await page.waitForFunction((c) => document.querySelector('#panel [data-field="grid-code"]')?.textContent === c, mine[0].code, { timeout: 15000 });
  const sel = JSON.parse((await download('selection', 'geojson')).bytes.toString('utf8'));
  assert(sel.features.length === 1 && sel.features[0].properties.code === mine[0].code, `selection export holds ${sel.features.map((f) => f.properties.code)}`);
  // The coverage gaps.
  const gaps = await getJSON(base, '/v1/coverage/gaps?limit=0');
  const gapCSV = (await download('gaps', 'csv')).bytes.toString('utf8').trim().split('\r\n');
  assert(gapCSV.length === gaps.features.length + 1 && gapCSV[0].endsWith('lon,lat'), `gaps CSV ${gapCSV.length - 1} rows, want ${gaps.features.length}`);
  assert(statSync(artifact('export-gaps-gaps.csv')).size > 0, 'gaps CSV not saved');
});

test('head: print layout (title, legend, scale bar, north arrow, date, data version) and a PDF', async ({ page, artifact }) => {
  await page.setViewportSize(DESK);
  await open(page, base);
  const version = (await getJSON(base, '/v1/version')).version;
  await page.evaluate(() => { window.print = () => { window.printed = true; }; });
  await page.click('#print');
  await page.waitForFunction(() => window.printed === true, null, { timeout: 10000 });
  await page.emulateMedia({ media: 'print' });
  const seen = await page.evaluate(() => {
    const visible = (sel) => {
      const el = document.querySelector(sel);
      if (!el) return false;
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
    };
    return {
      title: visible('header.bar h1'), legend: visible('details.legend #legend-rows'), scale: visible('.maplibregl-ctrl-scale'),
      north: visible('#print-north'), meta: visible('#print-meta'), image: visible('#print-map'), search: visible('#search'),
      zoomButtons: visible('.maplibregl-ctrl-zoom-in'), metaText: document.querySelector('#print-meta')?.textContent,
      imageLoaded: document.querySelector('#print-map')?.naturalWidth > 0,
    };
  });
  for (const k of ['title', 'legend', 'scale', 'north', 'meta', 'image']) assert(seen[k], `print: ${k} is not visible`);
  assert(!seen.search && !seen.zoomButtons, 'print: the search box or the zoom buttons still show');
  assert(seen.imageLoaded, 'print: the map image is empty');
  assert(seen.metaText.includes(`数据版本：${version}`) && /打印日期：\d{4}年/.test(seen.metaText), `print meta says ${seen.metaText}`);
  await page.screenshot({ path: artifact('desk-print.png') });
  const pdf = await page.pdf({ format: 'A4', landscape: true, printBackground: true });
  assert(pdf.length > 20000 && pdf.subarray(0, 5).toString() === '%PDF-', `the PDF is ${pdf.length} bytes`);
  const { writeFileSync } = await import('node:fs');
  writeFileSync(artifact('print.pdf'), pdf);
  await page.emulateMedia({ media: 'screen' });
});

/** haversine is the expected distance, computed here independently. */
function haversine([l1, p1], [l2, p2]) {
  const r = Math.PI / 180;
  const a = Math.sin((p2 - p1) * r / 2) ** 2 + Math.cos(p1 * r) * Math.cos(p2 * r) * Math.sin((l2 - l1) * r / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(a));
}

test('head: distance and area measuring by mouse and keyboard, Escape cancels', async ({ page, artifact }) => {
  await page.setViewportSize(DESK);
  await open(page, base, 'map=15/26.5925/104.8304');
  const panelBefore = await page.evaluate(() => document.querySelector('#panel').dataset.state);
  await page.click('.ctrl-measure-distance');
  const canvas = await page.evaluate(() => { const r = window.gridmap.map.getCanvas().getBoundingClientRect(); return { x: r.x, y: r.y }; });
  const pts = [[500, 450], [700, 450], [700, 650]];
  for (const [x, y] of pts) await page.mouse.click(canvas.x + x, canvas.y + y);
  await page.mouse.dblclick(canvas.x + 700, canvas.y + 650);
  const lngLats = await page.evaluate((ps) => ps.map(([x, y]) => window.gridmap.map.unproject([x, y]).toArray()), pts);
  const want = haversine(lngLats[0], lngLats[1]) + haversine(lngLats[1], lngLats[2]);
  const got = Number(await page.getAttribute('.measure-readout', 'data-meters'));
  assert(Math.abs(got - want) < 0.5, `measured ${got} m, want ${want.toFixed(2)} m`);
  const text = await page.textContent('.measure-readout');
  assert(text.startsWith('距离') && /m$/.test(text), `readout says ${text}`);
  assert(await page.evaluate(() => document.querySelector('#panel').dataset.state) === panelBefore, 'a measuring click selected a grid');
  await page.screenshot({ path: artifact('desk-measure-distance.png') });
  await page.keyboard.press('Escape');
  assert(await page.isHidden('.measure-readout'), 'Escape left the measurement');
  // Area with the keyboard only: Enter adds the map centre, the arrows pan.
  await page.focus('.ctrl-measure-area');
  await page.keyboard.press('Enter');
  const corners = [];
  for (const key of [null, 'ArrowRight', 'ArrowDown']) {
    if (key) {
      await page.focus('.maplibregl-canvas');
      for (let i = 0; i < 3; i++) await page.keyboard.press(key);
      await idle(page);
    }
    corners.push(await page.evaluate(() => window.gridmap.map.getCenter().toArray()));
    await page.keyboard.press('Enter');
  }
  await page.keyboard.press('Enter'); // the same point again: finished
  const area = Number(await page.getAttribute('.measure-readout', 'data-meters'));
  assert(area > 0 && (await page.textContent('.measure-readout')).startsWith('面积'), `area ${area} m² (${await page.textContent('.measure-readout')})`);
  await page.screenshot({ path: artifact('desk-measure-area.png') });
  await page.keyboard.press('Escape');
  assert(await page.isHidden('.measure-readout'), 'Escape left the area');
});

test('head: phone screenshots of the table, measuring and print', async ({ page, artifact }) => {
  await page.setViewportSize(PHONE);
  await open(page, base);
  await openTable(page);
  const box = await page.evaluate(() => document.querySelector('#grid-table').getBoundingClientRect().toJSON());
  assert(box.right <= PHONE.width && box.bottom <= PHONE.height && box.width > 300, `the table drawer on a phone: ${JSON.stringify(box)}`);
  await page.screenshot({ path: artifact('phone-table.png') });
  await page.click('#grid-table button.close');
  await page.click('.ctrl-measure-distance');
  const c = await page.evaluate(() => { const r = window.gridmap.map.getCanvas().getBoundingClientRect(); return { x: r.x, y: r.y }; });
  await page.mouse.click(c.x + 100, c.y + 400);
  await page.mouse.click(c.x + 280, c.y + 500);
  await page.screenshot({ path: artifact('phone-measure.png') });
  await page.keyboard.press('Escape');
  await page.evaluate(() => { window.print = () => { window.printed = true; }; });
  await idle(page);
  await page.click('#print');
  await page.waitForFunction(() => window.printed === true, null, { timeout: 20000 });
  await page.emulateMedia({ media: 'print' });
  assert(await page.isVisible('header.bar h1'), 'phone print: no title');
  await page.screenshot({ path: artifact('phone-print.png') });
  await page.emulateMedia({ media: 'screen' });
});

test('head: tiles that failed during an outage are fetched again when gridmap is back, without a reload', async ({ page, guard }) => {
  const far = (await getJSON(base, '/ogc/collections/buildings/items?limit=1&offset=7000')).features[0];
  await open(page, base, 'map=13/26.5925/104.8304');
  await page.route(/\/(tiles\/|v1\/|readyz)/, (route) => route.abort('connectionrefused'));
  await page.evaluate((c) => window.gridmap.map.jumpTo({ center: c, zoom: 15 }), far.geometry.coordinates);
  await page.waitForSelector('#offline:not([hidden])', { timeout: 20000 });
  const grids = () => page.evaluate(() => window.gridmap.map.queryRenderedFeatures({ layers: ['grid-fill'] }).length);
  await idle(page);
  assert(await grids() === 0, 'grids drawn where no tile could be fetched');
  const tileRequests = () => guard.requests.filter((u) => u.includes('/tiles/')).length;
  const loads = tileRequests();
  await page.unroute(/\/(tiles\/|v1\/|readyz)/);
  await page.waitForSelector('#offline', { state: 'hidden', timeout: 40000 });
  await page.waitForFunction(() => window.gridmap.map.queryRenderedFeatures({ layers: ['grid-fill'] }).length > 0, null, { timeout: 30000 })
    .catch(async () => { throw new Error(`no grid drawn after recovery (${await grids()} features)`); });
  assert(tileRequests() > loads, 'no tile was asked again after recovery');
  assert(await page.evaluate(() => performance.getEntriesByType('navigation').length) === 1, 'the page was reloaded');
}, { allowConsole: [/ERR_CONNECTION_REFUSED|Failed to load resource|Failed to fetch/] });

/** LATIN are Latin words the Chinese page may show: format and product
 *  names, the English switch, units and the data source's package name. */
const LATIN_OK = new Set(['EN', 'GeoJSON', 'CSV', 'Excel', 'Shapefile', 'PDF', 'MapLibre', 'china', 'division', 'm', 'km', 'Esc', 'Ctrl']);

/** visibleText collects the text and the accessible names (aria-label,
 *  title, placeholder) of everything visible on the page, but for the
 *  language switch (it names the other language, in that language) and
 *  the legend's swatches (icons: 文A stands for labels). */
function visibleText(page) {
  return page.evaluate(() => {
    const out = [];
    const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden' && !el.closest('#lang, .swatch');
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement && shown(n.parentElement) && !n.parentElement.closest('script, style, noscript')) out.push(n.textContent);
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
      if (!shown(el)) continue;
      for (const a of ['aria-label', 'title', 'placeholder']) if (el.getAttribute(a)) out.push(el.getAttribute(a));
    }
    return out.join('\n');
  });
}

test('head: the language switch leaves no other language on screen, MapLibre controls and problems included', async ({ page, artifact }) => {
  const all = await gridRows();
  await page.setViewportSize(DESK);
  await open(page, base);
  // A grid selected, the table open, a problem shown (a point in no grid).
  await page.click('#table-toggle');
  await page.waitForSelector('#grid-table tbody tr[data-code]', { timeout: 20000 });
  await page.fill('#grid-table input[data-filter="text"]', all[10].code);
  await page.click(`#grid-table tr[data-code="${all[10].code}"]`);
  await page.waitForSelector('#panel [data-field="grid-code"]', { timeout: 45000 });
  await page.evaluate(() => window.gridmap.selection.atPoint({ lng: 104.0, lat: 26.0 }));
  await page.waitForFunction(() => document.querySelector('#panel')?.dataset.state === 'nogrid', null, { timeout: 15000 });
  await page.click('.ctrl-measure-distance');
  const zh = await visibleText(page);
  const latin = [...new Set((zh.match(/[A-Za-z]+/g) || []).filter((w) => !LATIN_OK.has(w)))];
  assert(!latin.length, `Latin words on the Chinese page: ${latin.join(', ')}`);
  assert(await page.getAttribute('.maplibregl-ctrl-zoom-in', 'aria-label') === '放大', 'the zoom button is not in Chinese');
  assert(await page.getAttribute('.maplibregl-canvas', 'aria-label') === '地图', 'the map canvas is not labelled in Chinese');
  assert(/\d+\s(米|公里)$/.test(await page.textContent('.maplibregl-ctrl-scale')), `the scale bar says ${await page.textContent('.maplibregl-ctrl-scale')}`);
  await page.screenshot({ path: artifact('desk-lang-zh.png') });
  await page.keyboard.press('Escape');
  await page.click('#lang');
  await page.click('.ctrl-measure-distance');
  await page.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: 5000 });
  const en = await visibleText(page);
  // Names of places come from the data and stay Chinese: drop the map
  // labels (canvas), the grid table's name columns and the panel's names.
  const names = new Set(await page.evaluate(() => [...document.querySelectorAll('#grid-table td, #panel h2, #panel dd span, #panel .muted, #panel button.link, #panel td')]
    .map((el) => el.textContent.trim())));
  const cjk = en.split('\n').map((s) => s.trim()).filter((s) => /[\u4e00-\u9fff]/.test(s) && ![...names].some((n) => n && n.includes(s)));
  assert(!cjk.length, `Chinese text on the English page (not data names): ${[...new Set(cjk)].slice(0, 12).join(' | ')}`);
  assert(await page.getAttribute('.maplibregl-ctrl-zoom-in', 'aria-label') === 'Zoom in', 'the zoom button is not in English');
  assert(/\d+\s(m|km)$/.test(await page.textContent('.maplibregl-ctrl-scale')), 'the scale bar is not in English units');
  await page.screenshot({ path: artifact('desk-lang-en.png') });
  // A problem in English carries its detail; in Chinese it did not.
  assert(/is in no grid|no grid/i.test(await page.textContent('#panel')), 'the English no-grid panel lacks the server detail');
}, { allowConsole: [/status of 404/] });

test('head: what-ifs kept side by side with their unit, and suggested sites for the selected unit', async ({ page, artifact }) => {
  const subs = await getJSON(base, '/v1/coverage?level=subdistrict&minutes=15');
  const sub = subs.units.filter((u) => u.households > 0).sort((a, b) => a.share - b.share)[0];
  const gaps = await getJSON(base, '/v1/coverage/gaps?limit=0');
  const inSub = gaps.features.filter((f) => f.properties.grid.startsWith(sub.code.slice(0, 9)));
  const [p1, p2] = [inSub[0] || gaps.features[0], inSub[1] || gaps.features[1]].map((f) => f.geometry.coordinates);
  await page.setViewportSize(DESK);
  await open(page, base, `sel=${sub.code}`);
  await page.waitForFunction((c) => document.querySelector('#panel [data-field="unit-code"]')?.textContent === c, sub.code, { timeout: 20000 });
  await page.click('#circles-toggle');
  await page.waitForFunction(() => document.body.dataset.view === 'circles' && document.querySelector('#whatif-compare button[data-action="suggest"]'), null, { timeout: 30000 });
  for (const p of [p1, p2]) {
    await page.evaluate((q) => window.gridmap.circles.whatIf({ lng: q[0], lat: q[1] }), p);
    await page.waitForSelector('#panel [data-field="whatif-gain"]', { timeout: 30000 });
    await page.click('#whatif-compare button[data-action="keep"]');
    await page.waitForFunction((n) => document.querySelectorAll('#whatif-compare [data-field="whatif-table"] tbody tr').length === n, [p1, p2].indexOf(p) + 1, { timeout: 30000 });
  }
  // Each kept row against the API: its city before/after and its gain.
  const rows = await page.$$eval('#whatif-compare [data-field="whatif-table"] tbody tr', (trs) => trs.map((tr) => ({
    gain: tr.querySelector('[data-field="kept-gain"]').textContent, city: tr.querySelector('[data-field="kept-city"]').textContent, cells: tr.children.length,
  })));
  for (const [i, p] of [p1, p2].entries()) {
    const res = await fetch(new URL('/v1/coverage/suggest', base), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ k: 1, minutes: 15, candidates: [p] }) });
    const want = await res.json();
    assert(rows[i].gain === want.gain.households.toLocaleString('zh-CN'), `row ${i + 1} gain ${rows[i].gain}, API ${want.gain.households}`);
    assert(rows[i].city.includes('→'), `row ${i + 1} city cell ${rows[i].city}`);
  }
  const unitCells = await page.$$eval('#whatif-compare [data-field="whatif-table"] tbody tr td[title]', (tds) => tds.map((td) => td.textContent));
  assert(unitCells.length >= 2 && unitCells.every((c) => c.includes('→')), `unit cells ${unitCells}`);
  // Suggested sites within the selected subdistrict, as the API picks them.
  await page.click('#whatif-compare button[data-action="suggest"]');
  await page.waitForSelector('#whatif-compare [data-field="suggested"] li', { timeout: 60000 });
  const res = await fetch(new URL('/v1/coverage/suggest', base), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ k: 3, minutes: 15, units: [sub.code] }) });
  const want = await res.json();
  const gains = await page.$$eval('#whatif-compare [data-field="suggested"] li', (lis) => lis.map((li) => Number(li.dataset.gain)));
  assert(JSON.stringify(gains) === JSON.stringify(want.sites.map((s) => s.gain_households)), `suggested gains ${gains}, API ${want.sites.map((s) => s.gain_households)}`);
  const forText = await page.textContent('#whatif-compare [data-field="suggested"]');
  assert(forText.includes(sub.name), `the suggestion does not name ${sub.name}: ${forText}`);
  await page.screenshot({ path: artifact('desk-whatif-compare.png') });
  await page.setViewportSize(PHONE);
  await idle(page);
  await page.screenshot({ path: artifact('phone-whatif-compare.png') });
});
