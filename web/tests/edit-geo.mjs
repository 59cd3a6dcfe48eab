// edit-geo.mjs: plane geometry the editing tests use to choose a grid to
// split and the points to check on either side of the line.

/** crossings returns where the ring's edges cross the line coordinate
 *  axis (0: x, 1: y) = v, as the other coordinate, sorted. Half-open
 *  edges count a vertex on the line once. */
export function crossings(ring, axis, v) {
  const other = 1 - axis;
  const out = [];
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = ring[i];
    const b = ring[i + 1];
    if ((a[axis] <= v) === (b[axis] <= v)) continue;
    const k = (v - a[axis]) / (b[axis] - a[axis]);
    out.push(a[other] + k * (b[other] - a[other]));
  }
  return out.sort((x, y) => x - y);
}

/** splitCandidate returns how to split a grid feature with a horizontal
 *  line, or null when its middle horizontal line does not cross its one
 *  ring exactly twice: the line's ends west and east (outside the grid),
 *  and a point above and one below the line, inside the grid. */
export function splitCandidate(f) {
  const polys = f.geometry?.type === 'MultiPolygon' ? f.geometry.coordinates : [f.geometry?.coordinates];
  if (polys.length !== 1 || polys[0]?.length !== 1) return null;
  const ring = polys[0][0];
  const ys = ring.map((c) => c[1]);
  const xs = ring.map((c) => c[0]);
  const bbox = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  const cy = (bbox[1] + bbox[3]) / 2;
  const across = crossings(ring, 1, cy);
  if (across.length !== 2) return null;
  const [x1, x2] = across;
  const xm = (x1 + x2) / 2;
  const up = crossings(ring, 0, xm);
  const yA = up.find((y) => y > cy);
  const yB = up.filter((y) => y < cy).pop();
  const h = bbox[3] - bbox[1];
  if (yA === undefined || yB === undefined || yA - cy < 0.1 * h || cy - yB < 0.1 * h) return null;
  const out = 0.15 * (x2 - x1);
  return {
    code: f.properties.code, bbox, cy, x1, x2,
    west: [x1 - out, cy], east: [x2 + out, cy],
    above: [xm, (cy + yA) / 2], below: [xm, (cy + yB) / 2],
  };
}

/** splitCandidates returns the candidates among grid features. */
export const splitCandidates = (features) => features.map(splitCandidate).filter(Boolean);
