// unit-edit.test.mjs: the editing mode's pure modules in Node: vertices
// and shared vertices, moving a vertex, the edit operations, reading a
// preview document and what a refused request means.
// Run: node --test web/tests/unit-edit.test.mjs

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  asMultiPolygon, mergeOp, moveShared, moveVertex, previewModel, replaceOp, roundGeometry, splitOp, vertices, withReason,
} from '../static/js/edit/geom.js';
import { failureOf } from '../static/js/edit/panel.js';

// Two unit squares side by side sharing the edge x = 1.
const square = (x0) => ({ type: 'Polygon', coordinates: [[[x0, 0], [x0 + 1, 0], [x0 + 1, 1], [x0, 1], [x0, 0]]] });
const left = square(0);
const right = { type: 'Feature', geometry: square(1), properties: { code: 'B' } };

test('vertices leave out the closing position and mark shared ones', () => {
  const vs = vertices(left, [right]);
  assert.equal(vs.length, 4, 'a closed square has 4 vertices');
  const shared = vs.filter((v) => v.properties.shared).map((v) => v.geometry.coordinates);
  assert.deepEqual(shared, [[1, 0], [1, 1]], 'the vertices on x = 1 are shared');
  assert.deepEqual(vs[2].properties, { p: 0, r: 0, i: 2, shared: true });
  assert.equal(vertices(null).length, 0, 'no geometry, no vertices');
});

test('moveVertex moves one vertex, the closing one with the first, on a copy', () => {
  const cases = [
    { name: 'middle', v: { p: 0, r: 0, i: 2 }, want: [[0, 0], [1, 0], [1.5, 1.5], [0, 1], [0, 0]] },
    { name: 'first', v: { p: 0, r: 0, i: 0 }, want: [[-0.5, -0.5], [1, 0], [1, 1], [0, 1], [-0.5, -0.5]] },
    { name: 'out of range', v: { p: 0, r: 0, i: 9 }, want: [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]] },
    { name: 'no such polygon', v: { p: 3, r: 0, i: 0 }, want: [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]] },
  ];
  for (const c of cases) {
    const to = c.name === 'first' ? [-0.5, -0.5] : [1.5, 1.5];
    const got = moveVertex(left, c.v, to);
    assert.equal(got.type, 'MultiPolygon', c.name);
    assert.deepEqual(got.coordinates[0][0], c.want, c.name);
  }
  assert.deepEqual(left.coordinates[0][2], [1, 1], 'the original geometry is unchanged');
});

test('moveShared moves the neighbour\'s copy of a vertex only', () => {
  const other = { type: 'Feature', geometry: square(5), properties: {} };
  const [moved, untouched] = moveShared([right, other], [1, 1], [1.2, 1.1]);
  assert.deepEqual(moved.geometry.coordinates[0][0][3], [1.2, 1.1], 'the shared vertex moved');
  assert.deepEqual(moved.geometry.coordinates[0][0][0], [1, 0], 'the other vertices stay');
  assert.equal(untouched, other, 'a feature without the vertex is returned as it is');
  assert.deepEqual(right.geometry.coordinates[0][3], [1, 1], 'the original neighbour is unchanged');
});

test('operations carry the documented members, rounded to 1e-7 degrees', () => {
  const split = splitOp('520201011001001', [[104.123456789, 26.5], [104.2, 26.600000049]]);
  assert.deepEqual(split, {
    op: 'split', grid: '520201011001001',
    line: { type: 'LineString', coordinates: [[104.1234568, 26.5], [104.2, 26.6]] },
  });
  assert.deepEqual(mergeOp('A', 'B'), { op: 'merge', grids: ['A', 'B'] });
  const replace = replaceOp('A', { type: 'Polygon', coordinates: [[[0.123456789, 0], [1, 0], [1, 1], [0.123456789, 0]]] });
  assert.equal(replace.op, 'replace');
  assert.equal(replace.geometry.type, 'MultiPolygon');
  assert.deepEqual(replace.geometry.coordinates[0][0][0], [0.1234568, 0]);
  assert.deepEqual(withReason(mergeOp('A', 'B'), '  balance households '), { op: 'merge', grids: ['A', 'B'], reason: 'balance households' });
  assert.deepEqual(roundGeometry(left).coordinates, asMultiPolygon(left).coordinates, 'integers round to themselves');
});

// A preview of a split, as POST /v1/edits/preview answers it (shortened).
const grid = (id, code, name) => ({ type: 'Feature', id, geometry: square(id), properties: { id, code, name } });
const splitPreview = {
  base: 4, valid: true, errors: [],
  warnings: [{ code: 'households_out_of_range', message: 'grid 006 would have 153 households', grids: ['520201011001006'] }],
  community: '520201011001',
  changes: [
    { id: 1, kind: 'reshaped', before: grid(1, '520201011001001', 'g1'), after: grid(1, '520201011001001', 'g1') },
    { id: 3, kind: 'stitched', before: grid(3, '520201011001003', 'g3'), after: grid(3, '520201011001003', 'g3') },
    { id: 2177, kind: 'added', after: grid(2177, '520201011001006', 'g6') },
  ],
  impact: {
    moves: [], tiles: [], buildings_moved: 3, households_moved: 153,
    flows: [{ from: '520201011001001', to: '520201011001006', buildings: 3, households: 153 }],
    grids: [
      { id: 1, code: '520201011001001', households_before: 385, households_after: 232, buildings_before: 8, buildings_after: 5 },
      { id: 3, code: '520201011001003', households_before: 301, households_after: 301, buildings_before: 6, buildings_after: 6 },
      { id: 2177, code: '520201011001006', households_before: 0, households_after: 153, buildings_before: 0, buildings_after: 3 },
    ],
  },
};

test('previewModel reads a valid split: two resulting grids, stitched neighbours left out', () => {
  const m = previewModel(splitPreview);
  assert.equal(m.valid, true);
  assert.equal(m.base, 4);
  assert.deepEqual(m.results.map((g) => [g.code, g.kind, g.householdsBefore, g.householdsAfter]),
    [['520201011001001', 'reshaped', 385, 232], ['520201011001006', 'added', 0, 153]]);
  assert.equal(m.retired.length, 0);
  assert.deepEqual(m.moved, { buildings: 3, households: 153 });
  assert.equal(m.resultFeatures.features.length, 2, 'the resulting grids are drawn');
  assert.equal(m.problemFeatures.features.length, 0, 'a warning without geometry draws nothing');
});

test('previewModel reads an invalid edit and a merge', () => {
  const line = { type: 'LineString', coordinates: [[0, 0], [1, 1]] };
  const invalid = previewModel({
    valid: false, errors: [{ code: 'no_cut', message: 'the line does not cut', grids: ['A'], geometry: line }],
    warnings: [], changes: [], impact: { moves: [], flows: [], grids: [], tiles: [] },
  });
  assert.equal(invalid.valid, false);
  assert.equal(invalid.base, null, 'no base in the document');
  assert.deepEqual(invalid.problemFeatures.features.map((f) => [f.properties.code, f.properties.level, f.geometry.type]),
    [['no_cut', 'error', 'LineString']]);
  const merge = previewModel({
    valid: true, errors: [], warnings: [],
    changes: [
      { id: 1, kind: 'reshaped', before: grid(1, 'A', 'a'), after: grid(1, 'A', 'a') },
      { id: 2, kind: 'retired', before: grid(2, 'B', 'b') },
    ],
    impact: { grids: [{ id: 2, code: 'B', households_before: 300, households_after: 0 }], flows: [] },
  });
  assert.deepEqual(merge.retired.map((g) => [g.code, g.householdsBefore, g.householdsAfter]), [['B', 300, 0]]);
  assert.deepEqual(previewModel({}).results, [], 'an empty document reads as nothing');
});

test('failureOf tells what a refused request means', () => {
  const err = (status, problem) => Object.assign(new Error(problem?.detail || `HTTP ${status}`), { status, problem });
  const cases = [
    { name: '401', err: err(401, { detail: 'the token is not valid' }), check: (f) => assert.equal(f.tokenInvalid, true) },
    { name: '403', err: err(403, { detail: 'token may edit only inside 520201' }), check: (f) => {
      assert.equal(f.status.state, 'denied');
      assert.match(f.status.text, /520201/);
    } },
    { name: '409', err: err(409, { base: 3, current: 5, committed: [] }), check: (f) => {
      assert.equal(f.status.state, 'stale');
      assert.equal(f.status.reload, true);
      assert.match(f.status.text, /5.*3/);
    } },
    { name: '422', err: err(422, { detail: 'not valid', valid: false, errors: [{ code: 'gap', message: 'gap' }] }), check: (f) => {
      assert.equal(f.preview.valid, false);
      assert.equal(f.preview.errors[0].code, 'gap');
    } },
    { name: '409 without versions', err: err(409, { detail: 'token exists' }), check: (f) => assert.equal(f.status.state, 'error') },
    { name: 'network', err: new Error('Failed to fetch'), check: (f) => assert.match(f.status.text, /Failed to fetch/) },
  ];
  for (const c of cases) c.check(failureOf(c.err));
});
