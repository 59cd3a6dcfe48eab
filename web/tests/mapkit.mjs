// mapkit.mjs: helpers that drive the map page from a test.

/** open loads the page at base + hash and waits until the map has loaded
 *  and drawn every tile of the view. */
export async function open(page, base, hash = '') {
  await openURL(page, new URL(hash ? `/#${hash}` : '/', base).href);
}

/** openURL loads the page at url and waits as open does; it fails at once
 *  with the page's own message when the map cannot start. */
export async function openURL(page, url) {
  // A URL differing only in its hash would not reload the page.
  if (page.url() !== 'about:blank') await page.goto('about:blank');
  const res = await page.goto(url);
  if (!res?.ok()) throw new Error(`GET ${url}: HTTP ${res?.status()} (is the web map mounted at /?)`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true' || !document.getElementById('notice')?.hidden,
    null, { timeout: 30000 });
  const notice = await page.evaluate(() => (document.body.dataset.ready === 'true' ? '' : document.getElementById('notice').textContent));
  if (notice) throw new Error(`the page says: ${notice}`);
  await idle(page);
}

/** idle waits until the map stops moving and has loaded and drawn the
 *  tiles of its view. */
export async function idle(page) {
  await page.evaluate(() => new Promise((resolve) => {
    const { map } = window.gridmap;
    const done = () => (map.isMoving() ? map.once('moveend', () => map.once('idle', resolve)) : resolve());
    map.once('idle', done);
    map.triggerRepaint();
  }));
}

/** jump moves the map without animation and waits for it to settle. */
export async function jump(page, center, zoom) {
  await page.evaluate(([c, z]) => window.gridmap.map.jumpTo({ center: c, zoom: z }), [center, zoom]);
  await idle(page);
}

/** showOnly hides every style layer but the listed ones (and paints the
 *  background plain white), so pixels can be attributed to a layer. */
export async function showOnly(page, ids) {
  await page.evaluate((keep) => {
    const { map } = window.gridmap;
    for (const l of map.getStyle().layers) {
      if (l.type === 'background') map.setPaintProperty(l.id, 'background-color', '#ffffff');
      else map.setLayoutProperty(l.id, 'visibility', keep.includes(l.id) ? 'visible' : 'none');
    }
  }, ids);
  await idle(page);
}

/** pixelStats reads the canvas right after a frame is drawn and counts,
 *  for each colour in colors (hex), the pixels within tol of it per
 *  channel, plus the pixels that are not white ("ink"). Rectangle rect
 *  ([x, y, w, h] in CSS pixels from the top left) limits the count. */
export async function pixelStats(page, colors, { tol = 6, rect = null } = {}) {
  return page.evaluate(([hexes, tolerance, area]) => new Promise((resolve) => {
    const { map } = window.gridmap;
    map.once('render', () => {
      const gl = map.getCanvas().getContext('webgl2') || map.getCanvas().getContext('webgl');
      const ratio = gl.drawingBufferWidth / map.getCanvas().clientWidth;
      const [x, y, w, h] = (area || [0, 0, map.getCanvas().clientWidth, map.getCanvas().clientHeight]).map((v) => Math.round(v * ratio));
      const px = new Uint8Array(w * h * 4);
      gl.readPixels(x, gl.drawingBufferHeight - y - h, w, h, gl.RGBA, gl.UNSIGNED_BYTE, px);
      const want = hexes.map((c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)));
      const counts = new Array(want.length).fill(0);
      let ink = 0;
      for (let i = 0; i < px.length; i += 4) {
        if (px[i] < 235 || px[i + 1] < 235 || px[i + 2] < 235) ink++;
        want.forEach((c, k) => {
          if (Math.abs(px[i] - c[0]) <= tolerance && Math.abs(px[i + 1] - c[1]) <= tolerance && Math.abs(px[i + 2] - c[2]) <= tolerance) counts[k]++;
        });
      }
      resolve({ counts, ink, total: w * h });
    });
    map.triggerRepaint();
  }), [colors, tol, rect]);
}

/** panelGridCode returns the grid code the side panel shows, or null. */
export async function panelGridCode(page) {
  return page.evaluate(() => document.querySelector('#panel [data-field="grid-code"]')?.textContent ?? null);
}

/** getJSON fetches a gridmap API path from Node (not through the page). */
export async function getJSON(base, path) {
  const res = await fetch(new URL(path, base));
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
  return res.json();
}
