// staff.browser.mjs: a clerk looks up a grid and finds its staff in the
// panel: 网格长 and 网格员 with phones as tel: links for a token whose scope
// covers the grid, masked for everyone else (issue 14). Imported by
// browser.test.mjs; the unmasked case needs GRIDMAP_TOKEN (run.sh's planner
// token scoped to 520201).

import { assert, test } from './harness.mjs';
import { getJSON } from './mapkit.mjs';

const base = process.env.GRIDMAP_URL;
const token = process.env.GRIDMAP_TOKEN;

/** aGrid returns a grid of 钟山区 (520201) that has staff. */
async function aGrid() {
  const b = (await getJSON(base, '/ogc/collections/buildings/items?limit=1&offset=321')).features[0];
  const code = b.properties.grid;
  assert(code.startsWith('520201'), `building ${b.id} is in grid ${code}, not in 钟山区`);
  return code;
}

/** openGrid loads the page at #sel=code. It waits for the panel's staff
 *  (panelStaff), not for the whole map to settle, so a loaded machine
 *  slows the test without failing it. */
async function openGrid(page, code) {
  const res = await page.goto(new URL(`/#sel=${code}`, base).href);
  assert(res?.ok(), `GET / for #sel=${code}: HTTP ${res?.status()}`);
}

/** panelStaff waits for the panel's staff of code and returns its rows. */
async function panelStaff(page, code) {
  await page.waitForSelector(`#panel section.staff[data-staff-for="${code}"][data-masked] li[data-role]`, { timeout: 90000 });
  return page.$$eval('#panel [data-field="grid-staff"] li[data-role]', (ls) => ls.map((l) => ({
    role: l.dataset.role,
    masked: l.dataset.masked === 'true',
    name: l.querySelector('[data-field="staff-name"]').textContent,
    phone: l.querySelector('[data-field="staff-phone"]').textContent,
    tel: l.querySelector('a[data-field="staff-phone"]')?.getAttribute('href') || null,
    text: l.textContent,
  })));
}

test('staff: without a token the panel shows the grid\'s staff masked, with no phone link', async ({ page }) => {
  const code = await aGrid();
  const open1 = await getJSON(base, `/v1/grids/${code}/staff`);
  assert(open1.masked && open1.staff.length >= 2, `GET staff without a token: ${JSON.stringify(open1)}`);
  await openGrid(page, code);
  const rows = await panelStaff(page, code);
  assert(rows.length === open1.staff.length, `${rows.length} staff shown, the grid has ${open1.staff.length}`);
  assert(rows[0].role === 'head' && rows[0].text.includes('网格长'), `the first row is not the head: ${JSON.stringify(rows[0])}`);
  for (const r of rows) {
    assert(r.masked && /\*/.test(r.name) && /^\d{3}\*{4}\d{4}$/.test(r.phone) && r.tel === null, `row not masked: ${JSON.stringify(r)}`);
  }
  assert(await page.$eval('#panel .staff-note', (n) => !n.hidden), 'the panel does not say why names are masked');
});

if (!token) {
  console.log('staff test with a token: skipped, GRIDMAP_TOKEN is not set (run.sh creates a planner token)');
} else {
  test('staff: a planner of the district looks up a grid and sees names and a tel: link to call', async ({ page, artifact }) => {
    const code = await aGrid();
    const res = await fetch(new URL(`/v1/grids/${code}/staff`, base), { headers: { Authorization: `Bearer ${token}` } });
    const want = await res.json();
    assert(res.ok && !want.masked, `GET staff with the planner token: ${res.status} ${JSON.stringify(want)}`);
    await page.addInitScript((tok) => sessionStorage.setItem('gridmap.editToken', tok), token);
    await openGrid(page, code);
    const rows = await panelStaff(page, code);
    const head = want.staff.find((s) => s.role === 'head');
    assert(rows[0].name === head.name && rows[0].phone === head.phone, `head shown as ${JSON.stringify(rows[0])}, want ${head.name} ${head.phone}`);
    assert(rows[0].tel === `tel:${head.phone.replace(/-/g, '')}`, `the head's phone links to ${rows[0].tel}`);
    for (const r of rows) assert(!r.masked && r.tel && /^tel:1\d{10}$/.test(r.tel), `row without a tel: link: ${JSON.stringify(r)}`);
    const names = want.staff.map((s) => s.name).sort();
    assert(JSON.stringify(rows.map((r) => r.name).sort()) === JSON.stringify(names), `names ${rows.map((r) => r.name)} want ${names}`);
    assert(await page.$eval('#panel .staff-note', (n) => n.hidden), 'the masked note shows for an unmasked answer');
    await page.screenshot({ path: artifact('staff-panel.png') });
    // The language switch relabels the roles.
    await page.click('#lang');
    await page.waitForFunction(() => document.querySelector('#panel .staff h3')?.textContent === 'Grid staff', null, { timeout: 10000 });
    const en = await panelStaff(page, code);
    assert(/grid head/.test(en[0].text) && !/网格/.test(en.map((r) => r.text).join('')), `English rows: ${JSON.stringify(en)}`);
  });
}
