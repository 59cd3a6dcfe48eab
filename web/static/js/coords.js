// @ts-check
// coords.js: coordinates typed into the search box. "lon,lat" and
// "lat,lon" are told apart by the city's extent (ambiguous text offers
// both orders), and each reading is offered in WGS-84, GCJ-02 (most Chinese
// phone apps) and BD-09 (Baidu). The page draws in WGS-84, so GCJ-02 and
// BD-09 points are converted back with the same formulas and inversion as
// the server's geo/crs/gcj.go (checked against its test vectors).

/** CRSES are the systems a typed point may be in, as /v1/lookup names them. */
export const CRSES = ['wgs84', 'gcj02', 'bd09'];

const NUMBER = String.raw`[-+]?\d{1,3}(?:\.\d+)?`;
const PAIR = new RegExp(String.raw`^\s*(${NUMBER})\s*[,，\s]\s*(${NUMBER})\s*$`);
/** MARGIN widens the city's extent, in degrees, for the test of order. */
const MARGIN = 0.2;

/** parsePair returns the two numbers of text "a,b" (comma, full-width
 *  comma or space), or null when text is not a coordinate pair. */
export function parsePair(text) {
  const m = PAIR.exec(text || '');
  if (!m) return null;
  const a = Number(m[1]);
  const b = Number(m[2]);
  return Number.isFinite(a) && Number.isFinite(b) ? [a, b] : null;
}

const valid = (/** @type {number[]} */ [lon, lat]) => Math.abs(lon) <= 180 && Math.abs(lat) <= 90;
const inside = (/** @type {number[]} */ [lon, lat], /** @type {number[]} */ [w, s, e, n]) => lon >= w - MARGIN && lon <= e + MARGIN && lat >= s - MARGIN && lat <= n + MARGIN;

/** readings returns the [lon, lat] points text may mean: the one order
 *  that falls in the city (bounds [w, s, e, n]) when only one does, else
 *  every valid order (the user is asked). [] when text is no pair. */
export function readings(text, bounds) {
  const pair = parsePair(text);
  if (!pair) return [];
  const orders = [pair, [pair[1], pair[0]]].filter(valid);
  if (pair[0] === pair[1]) return orders.slice(0, 1);
  const local = bounds ? orders.filter((p) => inside(p, bounds)) : [];
  return local.length === 1 ? local : orders;
}

const A = 6378245.0;
const EE = 0.006693421622965943;
const X_PI = (Math.PI * 3000.0) / 180.0;
const STEPS = 30;
const TOLERANCE = 1e-10;

function inChina([lon, lat]) {
  return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
}

function offset([lon, lat]) {
  const x = lon - 105.0;
  const y = lat - 35.0;
  let dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  dLat += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  dLat += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  dLat += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320.0 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  let dLon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  dLon += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  dLon += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  dLon += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  const phi = (lat / 180.0) * Math.PI;
  const m = 1 - EE * Math.sin(phi) * Math.sin(phi);
  const s = Math.sqrt(m);
  return [(dLon * 180.0) / ((A / s) * Math.cos(phi) * Math.PI), (dLat * 180.0) / (((A * (1 - EE)) / (m * s)) * Math.PI)];
}

/** wgsToGCJ converts a WGS-84 point to GCJ-02 (unchanged outside China). */
export function wgsToGCJ(p) {
  if (!inChina(p)) return p;
  const d = offset(p);
  return [p[0] + d[0], p[1] + d[1]];
}

/** gcjToWGS inverts wgsToGCJ by fixed-point steps. */
export function gcjToWGS(g) {
  if (!inChina(g)) return g;
  let w = g;
  for (let i = 0; i < STEPS; i++) {
    const d = offset(w);
    const next = [g[0] - d[0], g[1] - d[1]];
    const step = Math.max(Math.abs(next[0] - w[0]), Math.abs(next[1] - w[1]));
    w = next;
    if (!(step >= TOLERANCE)) break;
  }
  return w;
}

/** gcjToBD converts GCJ-02 to BD-09 (Baidu's published formula).
 *  @param {number[]} lonLat */
export function gcjToBD([x, y]) {
  const z = Math.sqrt(x * x + y * y) + 0.00002 * Math.sin(y * X_PI);
  const theta = Math.atan2(y, x) + 0.000003 * Math.cos(x * X_PI);
  return [z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006];
}

/** bdToGCJ inverts gcjToBD: the published inverse refined by fixed-point steps. */
export function bdToGCJ(p) {
  const x = p[0] - 0.0065;
  const y = p[1] - 0.006;
  const z = Math.sqrt(x * x + y * y) - 0.00002 * Math.sin(y * X_PI);
  const theta = Math.atan2(y, x) - 0.000003 * Math.cos(x * X_PI);
  let g = [z * Math.cos(theta), z * Math.sin(theta)];
  for (let i = 0; i < STEPS; i++) {
    const b = gcjToBD(g);
    const next = [g[0] - (b[0] - p[0]), g[1] - (b[1] - p[1])];
    const step = Math.max(Math.abs(next[0] - g[0]), Math.abs(next[1] - g[1]));
    g = next;
    if (!(step >= TOLERANCE)) break;
  }
  return g;
}

/** toWGS converts a point in crs (one of CRSES) to WGS-84. */
export function toWGS(crs, p) {
  if (crs === 'gcj02') return gcjToWGS(p);
  if (crs === 'bd09') return gcjToWGS(bdToGCJ(p));
  return p;
}

/** coordinateResults returns the search results of typed coordinates:
 *  each reading in each system, the preferred system first. */
export function coordinateResults(text, bounds, preferred = 'wgs84') {
  const order = [preferred, ...CRSES.filter((c) => c !== preferred)];
  const points = readings(text, bounds);
  return points.flatMap((p, i) => order.map((crs) => ({
    kind: 'coords', crs, point: p, wgs: toWGS(crs, p), ambiguous: points.length > 1, order: i,
    code: null, name: `${p[0]}, ${p[1]}`,
  })));
}
