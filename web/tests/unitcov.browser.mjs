// unitcov.browser.mjs: a unit's panel gives its 15-minute coverage and its
// children worst first; a row selects the child (issue 14). Imported by
// browser.test.mjs.

import { assert, test } from './harness.mjs';
import { getJSON, open } from './mapkit.mjs';

const base = process.env.GRIDMAP_URL;

test('unit coverage: a subdistrict shows its share and its communities worst first', async ({ page }) => {
  const subs = await getJSON(base, '/v1/coverage?level=subdistrict&minutes=15');
  const comms = await getJSON(base, '/v1/coverage?level=community&minutes=15');
  // The worst covered subdistrict with households.
  const sub = subs.units.filter((u) => u.households > 0).sort((a, b) => a.share - b.share)[0];
  const mine = comms.units.filter((u) => u.code.startsWith(sub.code.slice(0, 9)));
  const worst = mine.slice().sort((a, b) => a.share - b.share)[0];
  await open(page, base, `sel=${sub.code}`);
  await page.waitForSelector('#panel [data-field="children-coverage"] tbody tr', { timeout: 20000 });
  const share = await page.textContent('#panel [data-field="unit-share"]');
  assert(Math.abs(parseFloat(share) - sub.share * 100) <= 0.1, `subdistrict share shows ${share}, want ${(sub.share * 100).toFixed(2)}%`);
  const codes = await page.$$eval('#panel [data-field="children-coverage"] tbody button', (bs) => bs.map((b) => b.dataset.code));
  assert(codes.length === mine.length, `${codes.length} rows, want ${mine.length} communities`);
  assert(codes[0] === worst.code, `first row ${codes[0]}, want the worst covered ${worst.code} (${worst.share})`);
  await page.click(`#panel [data-field="children-coverage"] button[data-code="${worst.code}"]`);
  await page.waitForFunction((c) => document.querySelector('#panel [data-field="unit-code"]')?.textContent === c, worst.code, { timeout: 15000 });
  await page.waitForSelector('#panel [data-field="children-coverage"] tbody tr', { timeout: 20000 });
});
