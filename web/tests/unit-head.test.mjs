// unit-head.test.mjs: the grid table's filter and sort and the measuring
// tools' geodesic maths, in Node (node --test).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { areaM2, distanceM, EARTH_RADIUS_M, formatArea, formatLength } from '../static/js/head/measure.js';
import { filterRows, sortRows } from '../static/js/head/table.js';

test('distanceM: a degree of the equator and of a meridian', () => {
  const degree = EARTH_RADIUS_M * Math.PI / 180;
  assert.ok(Math.abs(distanceM([[0, 0], [1, 0]]) - degree) < 1e-6);
  assert.ok(Math.abs(distanceM([[104.8, 26], [104.8, 27]]) - degree) < 1e-6);
  assert.ok(Math.abs(distanceM([[0, 0], [1, 0], [1, 1]]) - 2 * degree) < 1e-6);
  assert.equal(distanceM([[1, 2]]), 0);
});

test('areaM2: a one-degree cell is R² Δλ (sin φ2 - sin φ1), either way round', () => {
  const rad = Math.PI / 180;
  const want = EARTH_RADIUS_M ** 2 * rad * (Math.sin(27 * rad) - Math.sin(26 * rad));
  const ring = [[104, 26], [105, 26], [105, 27], [104, 27]];
  assert.ok(Math.abs(areaM2(ring) - want) / want < 1e-9, `${areaM2(ring)} vs ${want}`);
  assert.ok(Math.abs(areaM2(ring.slice().reverse()) - want) / want < 1e-9);
  // A 100 m square near Liupanshui: 10,000 m² within 0.5%.
  const dLat = 100 / (EARTH_RADIUS_M * rad);
  const dLon = dLat / Math.cos(26.59 * rad);
  const sq = [[104.83, 26.59], [104.83 + dLon, 26.59], [104.83 + dLon, 26.59 + dLat], [104.83, 26.59 + dLat]];
  assert.ok(Math.abs(areaM2(sq) - 10000) < 50, `${areaM2(sq)}`);
  assert.equal(areaM2([[0, 0], [1, 1]]), 0);
  assert.equal(formatLength(950.4), '950 m');
  assert.equal(formatLength(12345), '12.35 km');
  assert.equal(formatArea(2.5e6), '2.500 km²');
});

const rows = [
  { code: '520201001001003', name: '甲第3网格', community: '甲社区', households: 520, coverage: 0.5, range: 'high' },
  { code: '520201001001001', name: '甲第1网格', community: '甲社区', households: 300, coverage: 1, range: null },
  { code: '520201001002001', name: '乙第1网格', community: '乙社区', households: 250, coverage: null, range: 'low' },
  { code: '520201001002002', name: '乙第2网格', community: '乙社区', households: 410, coverage: 0.9, range: null },
];

test('filterRows: text, households bounds, coverage below, out of range', () => {
  const codes = (f) => filterRows(rows, { min: NaN, max: NaN, below: NaN, ...f }).map((r) => r.code);
  assert.deepEqual(codes({ text: '乙' }), ['520201001002001', '520201001002002']);
  assert.deepEqual(codes({ text: '001001' }), ['520201001001003', '520201001001001']);
  assert.deepEqual(codes({ min: 300, max: 450 }), ['520201001001001', '520201001002002']);
  assert.deepEqual(codes({ below: 0.95 }), ['520201001001003', '520201001002002']);
  assert.deepEqual(codes({ outOfRange: true }), ['520201001001003', '520201001002001']);
});

test('sortRows: numbers, nulls last, ties by code, descending', () => {
  const by = (key, desc) => sortRows(rows.slice(), key, desc).map((r) => r.code.slice(-4));
  assert.deepEqual(by('coverage', false), ['1003', '2002', '1001', '2001']);
  assert.deepEqual(by('households', true), ['1003', '2002', '1001', '2001']);
  assert.deepEqual(by('code', false), ['1001', '1003', '2001', '2002']);
});
