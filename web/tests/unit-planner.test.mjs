// unit-planner.test.mjs: the planner's pure helpers in Node: snapping on
// screen pixels, the change log's filter, and reading a revert's reason.
// Run: node --test web/tests/unit-planner.test.mjs

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nearestOnLines, nearestVertex } from '../static/js/edit/snap.js';
import { filterQuery } from '../static/js/edit/changelog.js';
import { revertOf } from '../static/js/edit/history.js';

// A screen where a coordinate [x, y] is the pixel (10x, 10y).
const project = (c) => ({ x: 10 * c[0], y: 10 * c[1] });
const unproject = (p) => [p.x / 10, p.y / 10];

test('nearestVertex takes the closest vertex within reach, skipping the one dragged', () => {
  const coords = [[0, 0], [1, 0], [1.5, 0]];
  assert.deepEqual(nearestVertex(coords, { x: 9, y: 2 }, 10, project), [1, 0]);
  assert.deepEqual(nearestVertex(coords, { x: 13, y: 0 }, 10, project), [1.5, 0], 'the nearer of two within reach');
  assert.deepEqual(nearestVertex(coords, { x: 9, y: 2 }, 10, project, [1, 0]), [1.5, 0], 'the dragged vertex is skipped');
  assert.equal(nearestVertex(coords, { x: 50, y: 50 }, 10, project), null, 'nothing within reach');
});

test('nearestOnLines projects onto the nearest segment, or gives its end', () => {
  const lines = [[[0, 0], [10, 0]], [[0, 5], [10, 5]]];
  assert.deepEqual(nearestOnLines(lines, { x: 40, y: 3 }, 10, project, unproject), [4, 0]);
  assert.deepEqual(nearestOnLines(lines, { x: 40, y: 47 }, 10, project, unproject), [4, 5], 'the nearer line');
  assert.deepEqual(nearestOnLines(lines, { x: -5, y: 2 }, 10, project, unproject), [0, 0], 'beyond the end: the end itself');
  assert.equal(nearestOnLines(lines, { x: 40, y: 25 }, 10, project, unproject), null, 'nothing within reach');
});

test('filterQuery reads the change log filter, refusing a bad unit or dates out of order', () => {
  assert.deepEqual(filterQuery({ author: ' e2e ', unit: '520201' }), { query: { author: 'e2e', unit: '520201000000' } });
  assert.deepEqual(filterQuery({ since: '2026-12-01', until: '2026-12-07' }).query,
    { since: '2026-12-01T00:00:00+08:00', until: '2026-12-07T23:59:59.999+08:00' });
  assert.deepEqual(filterQuery({ unit: '52x' }), { error: 'unit' });
  assert.deepEqual(filterQuery({ unit: '52' }), { error: 'unit' });
  assert.deepEqual(filterQuery({ since: '2026-12-08', until: '2026-12-07' }), { error: 'until' });
  assert.deepEqual(filterQuery({}), { query: {} });
});

test('revertOf reads the server\'s revert reason, with and without the planner\'s own', () => {
  assert.deepEqual(revertOf({ reason: 'revert changeset 12 (cs-ab12): wrong street' }), { version: 12, reason: 'wrong street' });
  assert.deepEqual(revertOf({ reason: 'revert changeset 3 (x)' }), { version: 3, reason: '' });
  assert.equal(revertOf({ reason: 'split along the street' }), null);
  assert.equal(revertOf({ reason: 'please revert changeset 3 (x)' }), null);
  assert.equal(revertOf({}), null);
});
