// @ts-check
// api.js: the calls the page makes to gridmap's HTTP API. Every URL is
// relative to the page, so nothing is ever asked of another host. A GET
// that finds gridmap unreachable (no answer, or a gateway's 502-504) waits
// until it is back (health.js) and is asked again.

import * as health from './health.js';
import { problemText } from './problems.js';

/** ApiError is a failed call: status is the HTTP status, problem the
 *  decoded application/problem+json body when there was one; its message
 *  is in the page's language (problems.js). */
export class ApiError extends Error {
  constructor(status, problem, fallback) {
    super(problem || status ? problemText(problem, status) : fallback);
    this.status = status;
    this.problem = problem;
  }
}

/** getJSON fetches a path with query params and returns the decoded JSON
 *  body; with post, it POSTs post as a JSON body instead of getting. */
async function getJSON(path, params, signal, post) {
  const url = new URL(path, document.baseURI);
  for (const [k, v] of Object.entries(params || {})) url.searchParams.set(k, v);
  const init = { signal, headers: { Accept: 'application/json' } };
  if (post !== undefined) {
    init.method = 'POST';
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(post);
  }
  const res = await fetchRetrying(url, init, post === undefined);
  const text = await res.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    if (res.ok) throw new ApiError(res.status, null, `${url.pathname}: not JSON`);
  }
  if (!res.ok) throw new ApiError(res.status, body, `HTTP ${res.status}`);
  return body;
}

const UNREACHABLE = new Set([502, 503, 504]);

/** fetchRetrying fetches url; with retry, an unreachable gridmap is waited
 *  for and asked again, until it answers or the request's signal aborts. */
async function fetchRetrying(url, init, retry) {
  for (;;) {
    let res = null;
    try {
      res = await fetch(url, init);
    } catch (err) {
      if (!retry || init.signal?.aborted) throw err;
    }
    if (res && !(retry && UNREACHABLE.has(res.status))) return res;
    health.failed();
    await health.whenUp(init.signal);
  }
}

/** tileJSON returns the TileJSON document of the vector tiles. */
export const tileJSON = () => getJSON('tiles.json');

/** lookup returns the grid and units holding a WGS-84 point, or throws an
 *  ApiError with status 404 when the point is in no grid. */
export const lookup = (lon, lat, signal) =>
  getJSON('v1/lookup', { lon: lon.toFixed(7), lat: lat.toFixed(7) }, signal);

/** grid returns a grid as a GeoJSON Feature. */
export const grid = (code, signal) => getJSON(`v1/grids/${encodeURIComponent(code)}`, null, signal);

/** unit returns a district, subdistrict or community. */
export const unit = (code, signal) => getJSON(`v1/units/${encodeURIComponent(code)}`, null, signal);

/** search returns the units, grids and buildings matching q. */
export const search = (q, limit, signal) => getJSON('v1/search', { q, limit }, signal);

/** geocode returns the best building match for an address and its
 *  alternatives, each with its grid chain. */
export const geocode = (address, signal) => getJSON('v1/geocode', { address }, signal);

/** stations returns every service station as a GeoJSON FeatureCollection. */
export const stations = (signal) => getJSON('v1/stations', null, signal);

/** circle returns a station's service circle: one polygon per band
 *  (minutes), largest first, the origin point and a summary. */
export const circle = (id, minutes, bands, signal) =>
  getJSON(`v1/stations/${encodeURIComponent(id)}/circle`, { minutes, bands: bands.join(',') }, signal);

/** whatIfCircle returns the circle of a station standing at [lon, lat]. */
export const whatIfCircle = (point, minutes, bands, signal) =>
  getJSON('v1/circles', null, signal, { point, minutes, bands });

/** whatIfGain returns what a station at [lon, lat] would newly cover:
 *  the households and buildings gained and the city before and after. */
export const whatIfGain = (point, minutes, signal) =>
  getJSON('v1/coverage/suggest', null, signal, { k: 1, minutes, candidates: [point] });

/** coverage returns the covered share of every unit of a level and the
 *  city's totals. */
export const coverage = (level, minutes, signal) => getJSON('v1/coverage', { level, minutes }, signal);

/** gaps returns the uncovered buildings (GeoJSON points) and the grids
 *  with uncovered households, worst first, at most limit of each. */
export const gaps = (minutes, limit, signal) => getJSON('v1/coverage/gaps', { minutes, limit }, signal);

/** building returns a building (OGC API feature: address, grid, point). */
export const building = (id, signal) =>
  getJSON(`ogc/collections/buildings/items/${encodeURIComponent(id)}`, null, signal);

/** buildings returns the buildings of a grid, as OGC API features. */
export const buildings = (grid, limit, signal) =>
  getJSON('ogc/collections/buildings/items', { grid, limit }, signal);
