// a11y.browser.mjs: keyboard paths and the phone layout (issue 14), with
// screenshots of each view at 1440x900 and 390x844 in artifacts/.
// Imported by browser.test.mjs.

import { assert, test } from './harness.mjs';
import { getJSON, idle, open } from './mapkit.mjs';

const base = process.env.GRIDMAP_URL;
const PHONE = { width: 390, height: 844 };
const DESK = { width: 1440, height: 900 };

async function aGrid() {
  const f = (await getJSON(base, '/ogc/collections/buildings/items?limit=1&offset=1500')).features[0];
  return f;
}

test('keyboard: search first in Tab order, Escape closes the list then the panel, names and rings', async ({ page }) => {
  const b = await aGrid();
  await open(page, base);
  await page.keyboard.press('Tab');
  assert(await page.evaluate(() => document.activeElement?.id) === 'search', 'the first Tab does not reach the search box');
  await page.keyboard.type(b.properties.grid);
  await page.waitForSelector(`#search-results li[data-code="${b.properties.grid}"]`, { timeout: 10000 });
  await page.keyboard.press('Escape');
  assert(await page.isHidden('#search-results'), 'Escape left the result list open');
  await page.keyboard.press('Enter');
  await page.waitForFunction((c) => document.querySelector('#panel [data-field="grid-code"]')?.textContent === c, b.properties.grid, { timeout: 15000 });
  await page.keyboard.press('Tab'); // on to the my-location button
  const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert(ring !== 'none', `the focused ${await page.evaluate(() => document.activeElement.id)} shows no focus ring`);
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.querySelector('#panel')?.dataset.state === 'empty', null, { timeout: 5000 });
  assert(await page.evaluate(() => document.activeElement?.id) === 'search', 'focus did not return to the search box after the panel closed');
  const unnamed = await page.evaluate(() => [...document.querySelectorAll('input, select, button')].filter((el) => el.offsetParent !== null)
    .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.title || el.textContent.trim())).map((el) => el.outerHTML.slice(0, 80)));
  assert(!unnamed.length, `controls without a name: ${unnamed.join(' | ')}`);
});

test('phone: a one-line bar, an unclipped result list, layers and coverage key in reach; screenshots', async ({ page, artifact }) => {
  const b = await aGrid();
  for (const [name, size] of [['desk', DESK], ['phone', PHONE]]) {
    await page.setViewportSize(size);
    await open(page, base);
    await page.screenshot({ path: artifact(`${name}-home.png`) });
    await page.fill('#search', b.properties.address.replace(/^贵州省六盘水市/, ''));
    await page.waitForSelector('#search-results li.address .confidence', { timeout: 15000 });
    await page.screenshot({ path: artifact(`${name}-search.png`) });
    const conf = await page.evaluate(() => document.querySelector('#search-results li.address .confidence').getBoundingClientRect().right);
    assert(conf <= size.width, `${name}: the confidence ends at x=${conf}, past the ${size.width} px screen`);
    await page.press('#search', 'Enter');
    await page.waitForSelector('#panel [data-field="grid-code"]', { timeout: 15000 });
    await idle(page);
    await page.screenshot({ path: artifact(`${name}-grid.png`) });
    if (name === 'phone') {
      const bar = await page.evaluate(() => document.querySelector('header.bar').getBoundingClientRect().height);
      assert(bar <= 60, `the phone header is ${bar} px tall, want at most 60`);
      await page.click('details.legend summary');
      const box = await page.evaluate(() => document.querySelector('input[data-group="buildings"]').getBoundingClientRect());
      assert(box.width > 0 && box.bottom <= size.height && box.right <= size.width, `the buildings switch is out of reach: ${JSON.stringify(box)}`);
      await page.click('details.legend summary');
    }
    await page.click('#circles-toggle');
    await page.waitForSelector('#coverage-legend:not([hidden])', { timeout: 15000 });
    await idle(page);
    await page.screenshot({ path: artifact(`${name}-circles.png`) });
    const key = await page.evaluate(() => document.querySelector('#coverage-legend').getBoundingClientRect());
    assert(key.height > 0 && key.right <= size.width && key.bottom <= size.height, `${name}: the coverage key is hidden: ${JSON.stringify(key)}`);
  }
});
