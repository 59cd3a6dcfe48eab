// unit.test.mjs: the page's pure modules in Node (no browser): URL state,
// font-face parsing, selection helpers, style. Run: node --test web/tests/unit.test.mjs

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { EDIT_OVERLAY, EDIT_SOURCES } from '../static/js/edit/style.js';
import { parseFontFaces } from '../static/js/fonts.js';
import { bboxOf, levelOf } from '../static/js/selection.js';
import { formatHash, GROUPS, parseHash } from '../static/js/state.js';
import { absoluteTemplate, buildStyle, GROUP_LAYERS, SELECTION_LAYERS } from '../static/js/style.js';

test('hash round trip', () => {
  const cases = [
    { name: 'full', hash: 'map=15.25/26.59250/104.83040&sel=520201011001003&hide=streets,buildings&lang=en' },
    { name: 'unit selected', hash: 'map=12.00/26.50000/104.90000&sel=520201011000' },
    { name: 'empty', hash: '' },
    { name: 'building and point', hash: 'map=17.00/26.59000/104.85000&sel=520201011001001&bld=2&at=104.851500,26.590700' },
    { name: 'what-if station', hash: 'view=circles&whatif=104.851500,26.590700' },
  ];
  for (const c of cases) {
    assert.equal(formatHash(parseHash(`#${c.hash}`)), c.hash, c.name);
  }
});

test('hash ignores what it does not understand', () => {
  const cases = [
    { name: 'bad map', hash: '#map=abc/1/2', want: { zoom: null, center: null } },
    { name: 'latitude out of range', hash: '#map=3/95/10', want: { zoom: null, center: null } },
    { name: 'bad code', hash: '#sel=52020101<script>', want: { sel: null } },
    { name: 'unknown layer', hash: '#hide=grids,nope', want: { hidden: new Set(['grids']) } },
    { name: 'unknown language', hash: '#lang=fr', want: { lang: 'zh' } },
  ];
  for (const c of cases) {
    const got = parseHash(c.hash);
    for (const [k, v] of Object.entries(c.want)) assert.deepEqual(got[k], v, `${c.name}: ${k}`);
  }
});

test('font faces from the vendored Noto Sans SC stylesheet', () => {
  const url = new URL('../static/vendor/noto-sans-sc/400.css', import.meta.url);
  let css;
  try {
    css = readFileSync(url, 'utf8');
  } catch {
    assert.fail('web/static/vendor/noto-sans-sc/400.css missing: run make web');
  }
  const faces = parseFontFaces(css, url);
  assert.ok(faces.length >= 90, `${faces.length} faces, want the ~100 chunks`);
  const range = /^U\+[0-9A-F]{1,6}(-[0-9A-F]{1,6})?$/;
  for (const f of faces) {
    assert.match(f.url, /\/files\/noto-sans-sc-[\w-]+\.woff2$/);
    for (const r of f['unicode-range']) assert.match(r, range);
  }
  const covers = (cp) => faces.some((f) => f['unicode-range'].some((r) => {
    const [a, b = a] = r.slice(2).split('-').map((h) => parseInt(h, 16));
    return cp >= a && cp <= b;
  }));
  for (const ch of '钟山区荷城街道社区网格六盘水A1') assert.ok(covers(ch.codePointAt(0)), `no chunk covers ${ch}`);
});

test('parseFontFaces skips rules without woff2', () => {
  const css = '@font-face { src: url(a.woff) format("woff"); } @font-face { src: url("./b.woff2"); unicode-range: u+4e00-4e0f, U+20; }';
  assert.deepEqual(parseFontFaces(css, 'http://h/x/'), [{ url: 'http://h/x/b.woff2', 'unicode-range': ['U+4E00-4E0F', 'U+20'] }]);
});

test('levels of codes', () => {
  const cases = [
    { code: '520201011001003', level: 'grid' },
    { code: '520201011001', level: 'community' },
    { code: '520201011000', level: 'subdistrict' },
    { code: '520201000000', level: 'district' },
    { code: '520200000000', level: 'city' },
  ];
  for (const c of cases) assert.equal(levelOf(c.code), c.level, c.code);
});

test('bboxOf walks nested coordinates', () => {
  const g = { type: 'MultiPolygon', coordinates: [[[[1, 2], [3, 0], [2, 5], [1, 2]]], [[[-1, 1], [0, 1], [0, 2], [-1, 1]]]] };
  assert.deepEqual(bboxOf(g), [-1, 0, 3, 5]);
  assert.equal(bboxOf(null), null);
});

test('style has every layer the legend and selection name', () => {
  const style = buildStyle({ type: 'vector', tiles: ['http://h/tiles/{z}/{x}/{y}.mvt'] }, { 'Noto Sans SC': [{ url: 'http://h/a.woff2', 'unicode-range': ['U+4E00-9FFF'] }] }, [EDIT_OVERLAY]);
  const ids = new Set(style.layers.map((l) => l.id));
  for (const id of Object.keys(EDIT_SOURCES)) assert.ok(style.sources[id], `no editing source ${id}`);
  const order = style.layers.map((l) => l.id);
  assert.ok(order.indexOf('edit-vertex') > order.indexOf('sel-grid-line') && order.indexOf('edit-vertex') < order.indexOf('label-grid'),
    'the editing overlay lies above the selection and below the labels');
  assert.ok(ids.has('edit-result-label'), 'the overlay gets the font: a new grid of a preview is labelled');
  assert.equal(ids.size, style.layers.length, 'layer ids are unique');
  for (const g of GROUPS) for (const id of GROUP_LAYERS[g]) assert.ok(ids.has(id), `${g}: no layer ${id}`);
  for (const id of Object.values(SELECTION_LAYERS)) assert.ok(ids.has(id), `no selection layer ${id}`);
  assert.deepEqual(validateStyleMin(style).map((e) => e.message), [], 'the style spec validator finds no error');
  assert.equal(style.glyphs, undefined, 'no glyph server');
  assert.equal(style.sprite, undefined, 'no sprite');
  for (const l of style.layers.filter((x) => x.type === 'symbol')) assert.deepEqual(l.layout['text-font'], ['Noto Sans SC'], l.id);
});

test('tile URL templates resolve against tiles.json and keep their placeholders', () => {
  const base = 'http://127.0.0.1:9/map/tiles.json';
  const cases = [
    { name: 'absolute path', in: '/tiles/{z}/{x}/{y}.mvt', want: 'http://127.0.0.1:9/tiles/{z}/{x}/{y}.mvt' },
    { name: 'relative', in: 'tiles/{z}/{x}/{y}.mvt', want: 'http://127.0.0.1:9/map/tiles/{z}/{x}/{y}.mvt' },
    { name: 'full URL', in: 'http://h:1/t/{z}/{x}/{y}.mvt', want: 'http://h:1/t/{z}/{x}/{y}.mvt' },
  ];
  for (const c of cases) assert.equal(absoluteTemplate(c.in, base), c.want, c.name);
});

test('typed coordinates: order told apart by the city, ambiguous offers both', async () => {
  const { readings, parsePair } = await import('../static/js/coords.js');
  const city = [104.3, 25.3, 105.7, 27.0];
  assert.deepEqual(readings('104.8304,26.5925', city), [[104.8304, 26.5925]]);
  assert.deepEqual(readings('26.5925, 104.8304', city), [[104.8304, 26.5925]]);
  assert.deepEqual(readings('26.5925，104.8304', city), [[104.8304, 26.5925]], 'full-width comma');
  assert.deepEqual(readings('30 40', city), [[30, 40], [40, 30]], 'outside the city: ask');
  assert.deepEqual(readings('120,30', city), [[120, 30]], 'only one order is valid');
  assert.deepEqual(readings('钟山区', city), []);
  assert.equal(parsePair('1,2,3'), null);
});

test('GCJ-02 and BD-09 as geo/crs converts them (its test vectors)', async () => {
  const { bdToGCJ, gcjToWGS, toWGS, wgsToGCJ } = await import('../static/js/coords.js');
  const near = (a, b, tol) => Math.abs(a[0] - b[0]) <= tol && Math.abs(a[1] - b[1]) <= tol;
  const cases = [
    [[121.5272106, 31.1774276], [121.531541859215, 31.17530398364597]],
    [[113.912316, 22.543847], [113.9171764808363, 22.540796131694766]],
    [[116.377817, 39.911954], [116.38404722455657, 39.91334545536069]],
  ];
  for (const [wgs, gcj] of cases) {
    assert.ok(near(wgsToGCJ(wgs), gcj, 1e-9), `${wgs} -> ${wgsToGCJ(wgs)}`);
    assert.ok(near(gcjToWGS(gcj), wgs, 1e-7), `${gcj} <- ${gcjToWGS(gcj)}`);
  }
  const bd = [116.41661560068297, 39.92196580126834];
  assert.ok(near(toWGS('bd09', bd), [116.403988, 39.914266], 1e-7), `bd09 ${toWGS('bd09', bd)}`);
  assert.ok(near(bdToGCJ(bd), wgsToGCJ([116.403988, 39.914266]), 1e-7));
  assert.deepEqual(toWGS('wgs84', [1, 2]), [1, 2]);
});
