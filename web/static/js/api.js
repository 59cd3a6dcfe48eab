// api.js: the calls the page makes to gridmap's HTTP API. Every URL is
// relative to the page, so nothing is ever asked of another host.

/** ApiError is a failed call: status is the HTTP status, problem the
 *  decoded application/problem+json body when there was one. */
export class ApiError extends Error {
  constructor(status, problem, fallback) {
    super(problem?.detail || problem?.title || fallback);
    this.status = status;
    this.problem = problem;
  }
}

async function getJSON(path, params, signal) {
  const url = new URL(path, document.baseURI);
  for (const [k, v] of Object.entries(params || {})) url.searchParams.set(k, v);
  const res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
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
