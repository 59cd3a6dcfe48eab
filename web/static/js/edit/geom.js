// @ts-check
// edit/geom.js: the pure geometry and documents of the editing mode: a
// grid's draggable vertices and which of them its neighbours share, moving
// a vertex, the edit operations sent to /v1/edits, and what a preview
// document says. No DOM and no map: tested in Node (unit-edit.test.mjs).

/** EPS is how close, in degrees, two coordinates are to count as one
 *  vertex. Shared boundaries are vertex-identical at 1e-7 degrees. */
export const EPS = 1e-9;

/** same reports whether two [lon, lat] positions are one vertex. */
export const same = (a, b) => Math.abs(a[0] - b[0]) <= EPS && Math.abs(a[1] - b[1]) <= EPS;

/** polygonsOf returns the polygons (arrays of rings) of a Polygon or
 *  MultiPolygon geometry, or [] for anything else. */
export function polygonsOf(geometry) {
  if (geometry?.type === 'Polygon') return [geometry.coordinates];
  if (geometry?.type === 'MultiPolygon') return geometry.coordinates;
  return [];
}

/** asMultiPolygon returns a copy of a Polygon or MultiPolygon geometry as
 *  a MultiPolygon, which the copy's callers may change freely. */
export function asMultiPolygon(geometry) {
  return {
    type: 'MultiPolygon',
    coordinates: polygonsOf(geometry).map((poly) => poly.map((ring) => ring.map((c) => [c[0], c[1]]))),
  };
}

/** vertices returns the grid's vertices as GeoJSON points, each ring's
 *  closing position left out; properties p, r, i locate the vertex in the
 *  MultiPolygon and shared says whether a sibling has it too. */
export function vertices(geometry, siblings = []) {
  const others = [];
  for (const s of siblings) for (const poly of polygonsOf(s.geometry)) for (const ring of poly) others.push(...ring);
  const out = [];
  polygonsOf(geometry).forEach((poly, p) => poly.forEach((ring, r) => {
    const n = ring.length > 1 && same(ring[0], ring[ring.length - 1]) ? ring.length - 1 : ring.length;
    for (let i = 0; i < n; i++) {
      out.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: ring[i] },
        properties: { p, r, i, shared: others.some((o) => same(o, ring[i])) },
      });
    }
  }));
  return out;
}

/** moveVertex returns a MultiPolygon copy of geometry with the vertex at
 *  {p, r, i} moved to `to` (and the ring's closing position with it when
 *  it is the first). */
export function moveVertex(geometry, { p, r, i }, to) {
  const out = asMultiPolygon(geometry);
  const ring = out.coordinates[p]?.[r];
  if (!ring || i < 0 || i >= ring.length) return out;
  const from = ring[i];
  ring[i] = [to[0], to[1]];
  if (i === 0 && same(ring[ring.length - 1], from)) ring[ring.length - 1] = [to[0], to[1]];
  return out;
}

/** moveShared returns copies of features whose vertices at `from` are
 *  moved to `to`: the neighbours, drawn as the planner drags a shared
 *  vertex. Features without that vertex are returned as they are. */
export function moveShared(features, from, to) {
  return features.map((f) => {
    let hit = false;
    const polys = polygonsOf(f.geometry).map((poly) => poly.map((ring) => ring.map((c) => {
      if (!same(c, from)) return c;
      hit = true;
      return [to[0], to[1]];
    })));
    return hit ? { ...f, geometry: { type: 'MultiPolygon', coordinates: polys } } : f;
  });
}

const line = (points) => ({ type: 'LineString', coordinates: points.map((c) => [round(c[0]), round(c[1])]) });
const round = (x) => Math.round(x * 1e7) / 1e7;

/** roundGeometry rounds a MultiPolygon's coordinates to 1e-7 degrees, the
 *  store's precision. */
export function roundGeometry(geometry) {
  const out = asMultiPolygon(geometry);
  for (const poly of out.coordinates) for (const ring of poly) for (const c of ring) { c[0] = round(c[0]); c[1] = round(c[1]); }
  return out;
}

/** splitOp is the edit that cuts grid code by a line of [lon, lat]. */
export const splitOp = (code, points) => ({ op: 'split', grid: code, line: line(points) });

/** mergeOp is the edit that merges grid other into grid code. */
export const mergeOp = (code, other) => ({ op: 'merge', grids: [code, other] });

/** replaceOp is the edit that gives grid code a new geometry. */
export const replaceOp = (code, geometry) => ({ op: 'replace', grid: code, geometry: roundGeometry(geometry) });

/** withReason returns op with the planner's reason. */
export const withReason = (op, reason) => ({ ...op, reason: reason.trim() });

const fc = (features) => ({ type: 'FeatureCollection', features });

/** previewModel reads a preview document (POST /v1/edits/preview, or the
 *  422 problem of a commit, which carries the same members) into what the
 *  panel and the map show: the verdict, the problems, the resulting and
 *  retired grids with their households before and after, the flows of
 *  buildings between grids, and the features to draw. */
export function previewModel(doc) {
  const counts = new Map((doc.impact?.grids || []).map((g) => [g.id, g]));
  const changes = doc.changes || [];
  const grid = (c, side) => {
    const f = c[side];
    const n = counts.get(c.id) || {};
    return {
      id: c.id, kind: c.kind, code: f?.properties?.code || n.code, name: f?.properties?.name || '',
      householdsBefore: n.households_before ?? 0, householdsAfter: n.households_after ?? 0,
      buildingsBefore: n.buildings_before ?? 0, buildingsAfter: n.buildings_after ?? 0,
    };
  };
  const results = changes.filter((c) => c.after && c.kind !== 'stitched').map((c) => grid(c, 'after'));
  const retired = changes.filter((c) => !c.after && c.before).map((c) => grid(c, 'before'));
  const problems = [...(doc.errors || []).map((p) => ({ ...p, level: 'error' })),
    ...(doc.warnings || []).map((p) => ({ ...p, level: 'warning' }))];
  return {
    valid: doc.valid === true,
    base: Number.isFinite(doc.base) ? doc.base : null,
    errors: doc.errors || [],
    warnings: doc.warnings || [],
    results,
    retired,
    flows: doc.impact?.flows || [],
    moves: doc.impact?.moves || [],
    moved: { buildings: doc.impact?.buildings_moved ?? 0, households: doc.impact?.households_moved ?? 0 },
    problemFeatures: fc(problems.filter((p) => p.geometry).map((p) => ({
      type: 'Feature', geometry: p.geometry, properties: { code: p.code, level: p.level, message: p.message },
    }))),
    resultFeatures: fc(changes.filter((c) => c.after && c.kind !== 'stitched').map((c) => ({
      type: 'Feature', geometry: c.after.geometry, properties: { code: c.after.properties?.code || '', kind: c.kind },
    }))),
  };
}
