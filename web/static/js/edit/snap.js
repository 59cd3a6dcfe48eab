// @ts-check
// edit/snap.js: snapping while drawing. A point within SNAP_PX pixels of a
// grid vertex goes onto it: the community's grids loaded for editing give
// exact vertices, the grids the vector tiles render give those of other
// communities. Failing that, it goes onto the nearest street the tiles
// render. Pure geometry on screen pixels (nearestVertex, nearestOnLines) is
// tested in Node.

import { polygonsOf, same } from './geom.js';

/** SNAP_PX is how close, in CSS pixels, a point must be to snap. */
export const SNAP_PX = 10;

const STREET_LAYERS = ['street-line', 'street-casing'];
const GRID_LAYERS = ['grid-fill'];

/** polygonVertices returns every vertex of the features' polygons. */
function polygonVertices(features) {
  const out = [];
  for (const f of features) for (const poly of polygonsOf(f.geometry)) for (const ring of poly) out.push(...ring);
  return out;
}

/** nearestVertex returns the coordinate of coords nearest to screen point
 *  p within px pixels (project maps a coordinate to {x, y}), skipping
 *  those equal to skip; null when none is that close. */
export function nearestVertex(coords, p, px, project, skip = null) {
  let best = null;
  let bestD = px;
  for (const c of coords) {
    if (skip && same(c, skip)) continue;
    const q = project(c);
    const d = Math.hypot(q.x - p.x, q.y - p.y);
    if (d <= bestD) { best = c; bestD = d; }
  }
  return best;
}

/** nearestOnLines returns the point of the lines (arrays of coordinates)
 *  nearest to screen point p within px pixels, as a coordinate
 *  (unproject maps {x, y} back), or null. */
export function nearestOnLines(lines, p, px, project, unproject) {
  let best = null;
  let bestD = px;
  for (const line of lines) {
    for (let i = 0; i + 1 < line.length; i++) {
      const a = project(line[i]);
      const b = project(line[i + 1]);
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const len = dx * dx + dy * dy;
      const k = len ? Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len)) : 0;
      const q = { x: a.x + k * dx, y: a.y + k * dy };
      const d = Math.hypot(q.x - p.x, q.y - p.y);
      if (d <= bestD) { best = k === 0 ? line[i] : k === 1 ? line[i + 1] : unproject(q); bestD = d; }
    }
  }
  return best;
}

const linesOf = (g) => (g.type === 'LineString' ? [g.coordinates] : g.type === 'MultiLineString' ? g.coordinates : []);

/** snapPoint returns where a point at screen p snaps for editor ed:
 *  {coord, kind: 'vertex'|'street'}, or null. skip is a vertex not to snap
 *  to (the one being dragged). */
export function snapPoint(map, ed, p, skip = null) {
  const project = (c) => map.project(c);
  const own = ed.shape || ed.feature?.geometry;
  const exact = polygonVertices([...(ed.neighbours || []), ...(own ? [{ geometry: own }] : [])]);
  const box = [[p.x - SNAP_PX, p.y - SNAP_PX], [p.x + SNAP_PX, p.y + SNAP_PX]];
  const layers = (ids) => ids.filter((id) => map.getLayer(id));
  let v = nearestVertex(exact, p, SNAP_PX, project, skip);
  if (!v) {
    const rendered = map.queryRenderedFeatures(box, { layers: layers(GRID_LAYERS) });
    v = nearestVertex(polygonVertices(rendered), p, SNAP_PX, project, skip);
  }
  if (v) return { coord: [v[0], v[1]], kind: 'vertex' };
  const streets = map.queryRenderedFeatures(box, { layers: layers(STREET_LAYERS) }).flatMap((f) => linesOf(f.geometry));
  const s = nearestOnLines(streets, p, SNAP_PX, project, (q) => map.unproject([q.x, q.y]).toArray());
  return s ? { coord: [s[0], s[1]], kind: 'street' } : null;
}
