// unit-circles.test.mjs: the pure parts of the 15-minute circles view and
// of address search in Node (no browser): URL state, number formats, the
// choropleth expressions, address detection and result merging.
// Run: node --test web/tests/unit-circles.test.mjs

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createExpression } from '@maplibre/maplibre-gl-style-spec';
import { addressResults, looksLikeAddress, mergeResults, shortAddress, wantsGeocode } from '../static/js/address.js';
import { bandsOf } from '../static/js/circles/circles.js';
import { COVERAGE_CLASSES, COVERAGE_LAYERS, shareColor, TARGET, unitShares } from '../static/js/coverage-style.js';
import { percent } from '../static/js/format.js';
import { formatHash, parseHash } from '../static/js/state.js';
import { buildStyle } from '../static/js/style.js';

test('hash carries the circles view and its station', () => {
  const cases = [
    { name: 'view and station', hash: '#map=14.00/26.59000/104.85000&view=circles&station=17', want: 'map=14.00/26.59000/104.85000&view=circles&station=17' },
    { name: 'view alone', hash: '#view=circles&lang=en', want: 'view=circles&lang=en' },
    { name: 'station without the view', hash: '#station=17', want: '' },
    { name: 'unknown view', hash: '#view=heat&station=3', want: '' },
    { name: 'bad station', hash: '#view=circles&station=0x1', want: 'view=circles' },
    { name: 'with a selection', hash: '#sel=520201011001&view=circles', want: 'sel=520201011001&view=circles' },
  ];
  for (const c of cases) assert.equal(formatHash(parseHash(c.hash)), c.want, c.name);
  assert.equal(parseHash('#view=circles&station=17').station, 17, 'station is a number');
});

test('percent rounds down and keeps a decimal near the ends', () => {
  const cases = [
    { in: 0.9926, want: '99.2%' }, { in: 0.99999, want: '99.9%' }, { in: 1, want: '100%' },
    { in: 0.97, want: '97.0%' }, { in: 0.85, want: '85%' }, { in: 0.8499, want: '84%' },
    { in: 0.57, want: '57%' }, { in: 0.006, want: '0.6%' }, { in: 0, want: '0%' }, { in: 0.0004, want: '0.0%' }, { in: NaN, want: '—' },
  ];
  for (const c of cases) assert.equal(percent(c.in), c.want, `percent(${c.in})`);
});

test('choropleth classes: boundaries fall in the upper class', () => {
  const style = createExpression(shareColor(['get', 's']), { type: 'color' });
  assert.equal(style.result, 'success', JSON.stringify(style.value));
  const colorAt = (s) => style.value.evaluate({ zoom: 12 }, { type: 'Feature', properties: { s } }).toString();
  const hex = (c) => createExpression(c, { type: 'color' }).value.evaluate({ zoom: 0 }).toString();
  const cases = [
    { s: 0, cls: 0 }, { s: 0.4999, cls: 0 }, { s: 0.5, cls: 1 }, { s: 0.8499, cls: 1 },
    { s: TARGET, cls: 2 }, { s: 0.989, cls: 2 }, { s: 0.99, cls: 3 }, { s: 1, cls: 3 },
  ];
  for (const c of cases) assert.equal(colorAt(c.s), hex(COVERAGE_CLASSES[c.cls].color), `share ${c.s}`);
});

test('unit choropleth matches codes to shares and skips empty units', () => {
  const { color, filter } = unitShares([
    { code: '520201000000', share: 0.9999, households: 10 },
    { code: '520203000000', share: 0.3, households: 5 },
    { code: '520204000000', share: 0, households: 0 },
  ]);
  const feature = (code) => ({ type: 'Feature', properties: { code } });
  const f = createExpression(filter, { type: 'boolean' }).value;
  assert.deepEqual(['520201000000', '520203000000', '520204000000', 'x'].map((c) => f.evaluate({ zoom: 5 }, feature(c))), [true, true, false, false]);
  const c = createExpression(color, { type: 'color' }).value;
  const hex = (x) => createExpression(x, { type: 'color' }).value.evaluate({ zoom: 0 }).toString();
  assert.equal(c.evaluate({ zoom: 5 }, feature('520203000000')).toString(), hex(COVERAGE_CLASSES[0].color));
  assert.equal(c.evaluate({ zoom: 5 }, feature('520201000000')).toString(), hex(COVERAGE_CLASSES[3].color));
  assert.equal(unitShares([]).filter[0], '==', 'no units: nothing drawn');
});

test('the style has every layer of the circles view, all hidden', () => {
  const style = buildStyle({ type: 'vector', tiles: ['http://h/tiles/{z}/{x}/{y}.mvt'] }, {});
  const byId = new Map(style.layers.map((l) => [l.id, l]));
  for (const id of Object.keys(COVERAGE_LAYERS)) {
    assert.ok(byId.has(id), `no layer ${id}`);
    assert.equal(byId.get(id).layout?.visibility, 'none', `${id} starts visible`);
  }
  const order = style.layers.map((l) => l.id);
  assert.ok(order.indexOf('cov-grid-fill') > order.indexOf('grid-fill'), 'choropleth under the plain grid fill');
  assert.ok(order.indexOf('cov-station') > order.indexOf('cov-band-fill'), 'stations under the bands');
});

test('addresses are told from codes and names', () => {
  const cases = [
    { q: '水城区红桥街道巴朗一巷1号陡箐尚城三栋', want: true },
    { q: '人民中路12号', want: true },
    { q: '凉都花园3栋2单元', want: true },
    { q: '兴隆中路', want: true },
    { q: '荷城街道', want: false },
    { q: '康乐南路社区', want: false },
    { q: '钟山区', want: false },
    { q: '520201011001003', want: false },
    { q: '曹家湾', want: false },
    { q: '路', want: false },
  ];
  for (const c of cases) assert.equal(looksLikeAddress(c.q), c.want, c.q);
  assert.equal(wantsGeocode('曹家湾', [{ match: 'prefix' }]), false, 'a prefix match is decisive');
  assert.equal(wantsGeocode('曹家湾', [{ match: 'substring' }]), true, 'a substring match is not');
  assert.equal(shortAddress('贵州省六盘水市钟山区人民中路12号'), '钟山区人民中路12号');
});

test('geocoded matches become results; units keep an exact match first', () => {
  const m = (building, confidence, grid = '520201011001001') => ({
    building, standard_address: `地址${building}`, point: [104.8, 26.5], confidence, reason: 'r',
    grid: grid && { code: grid, name: 'g' }, community: null, subdistrict: null, district: null,
  });
  const body = { best: m(7, 0.97), alternatives: [m(8, 0.01), m(7, 0.5), m(9, 0.2, null), { ...m(null, 0.3) }] };
  const got = addressResults(body);
  assert.deepEqual(got.map((r) => [r.building, r.best]), [[7, true], [8, false]], 'no duplicate, no match without grid or building');
  assert.deepEqual(addressResults({ best: m(7, 0), alternatives: [] }), [], 'confidence 0 is no match');
  const unit = (match) => ({ kind: 'community', code: '520201011001', match });
  assert.equal(mergeResults('人民中路12号', [unit('substring')], got, 8)[0].kind, 'address');
  assert.equal(mergeResults('人民中路', [unit('exact')], got, 8)[0].kind, 'community');
  assert.equal(mergeResults('曹家湾', [unit('prefix')], got, 2).length, 2, 'limit');
});

test('bandsOf lists a circle\'s bands smallest first', () => {
  const fc = { features: [
    { properties: { role: 'band', minutes: 15, meters: 1000 } },
    { properties: { role: 'band', minutes: 5, meters: 300 } },
    { properties: { role: 'origin' } },
    { properties: { role: 'band', minutes: 10, meters: 500 } },
  ] };
  assert.deepEqual(bandsOf(fc).map((b) => b.minutes), [5, 10, 15]);
});
