// archive.browser.mjs: the PMTiles export and the standalone style in
// MapLibre (issue 11): a page that loads only /styles/gridmap.json and
// the archive from GET /v1/export/tiles.pmtiles through the npm pmtiles
// protocol (byte ranges) draws the grids, and never asks /tiles.
// Imported by browser.test.mjs.

import { readFileSync } from 'node:fs';
import { assert, test } from './harness.mjs';

const base = process.env.GRIDMAP_URL;
const PMTILES_JS = new URL('../../node_modules/pmtiles/dist/pmtiles.js', import.meta.url);

const PAGE = `<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/static/vendor/maplibre-gl/maplibre-gl.css">
<script type="importmap">{ "imports": { "maplibre-gl": "/static/vendor/maplibre-gl/maplibre-gl.mjs" } }</script>
<script src="/__test/pmtiles.js"></script>
</head><body style="margin:0"><div id="map" style="width:900px;height:700px"></div>
<script type="module">
import * as maplibregl from 'maplibre-gl';
const protocol = new pmtiles.Protocol();
maplibregl.addProtocol('pmtiles', protocol.tile);
const style = await (await fetch('/styles/gridmap.json')).json();
style.sources.gridmap = { type: 'vector', url: 'pmtiles://' + location.origin + '/v1/export/tiles.pmtiles' };
const map = new maplibregl.Map({ container: 'map', style, center: [104.8304, 26.5925], zoom: 14, attributionControl: false });
window.archiveMap = map;
map.on('error', (e) => console.error('map error: ' + (e.error && e.error.message)));
</script></body></html>`;

test('archive: the PMTiles export and /styles/gridmap.json draw the grids in MapLibre', async ({ page, guard }) => {
  await page.route(`${base}/__test/archive.html`, (r) => r.fulfill({ body: PAGE, contentType: 'text/html' }));
  await page.route(`${base}/__test/pmtiles.js`, (r) => r.fulfill({ body: readFileSync(PMTILES_JS), contentType: 'text/javascript' }));
  await page.goto(`${base}/__test/archive.html`);
  await page.waitForFunction(() => window.archiveMap && window.archiveMap.loaded() && window.archiveMap.areTilesLoaded(), null, { timeout: 60000 });
  const grids = await page.evaluate(() => window.archiveMap.queryRenderedFeatures({ layers: ['grid-fill'] }).length);
  const districts = await page.evaluate(() => window.archiveMap.queryRenderedFeatures({ layers: ['district-line'] }).length);
  assert(grids > 0, `no grid drawn from the archive (districts drawn: ${districts})`);
  const tileRequests = guard.requests.filter((u) => new URL(u).pathname.startsWith('/tiles'));
  assert(tileRequests.length === 0, `the page asked the tile route: ${tileRequests.slice(0, 3).join(', ')}`);
  const ranged = guard.responses.filter((r) => r.url.includes('/v1/export/tiles.pmtiles') && r.status === 206);
  assert(ranged.length > 0, 'the archive was not read with range requests');
});
