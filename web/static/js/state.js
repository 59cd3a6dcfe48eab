// @ts-check
// state.js: the map state kept in the URL hash, so that a link reopens the
// same view: #map=zoom/lat/lon&sel=code&bld=id&at=lon,lat&view=circles&station=id&whatif=lon,lat&hide=group,group&lang=en
// (bld: a geocoded building; at: a typed or located point; whatif: a
// what-if station of the circles view).

/** GROUPS are the layer groups a user can switch on and off, in legend order. */
export const GROUPS = ['grids', 'districts', 'subdistricts', 'communities', 'streets', 'buildings', 'stations', 'labels', 'repairs'];

/** defaults returns the state of a fresh visit: the whole city, Chinese. */
export function defaults() {
  return { zoom: null, center: null, sel: null, bld: null, at: null, view: null, station: null, whatif: null, hidden: new Set(), lang: 'zh' };
}

const codePattern = /^\d{12}(\d{3})?$/;

/** VIEWS are the map's special views besides the plain one: the 15-minute
 *  service circles. */
export const VIEWS = ['circles'];

/** parseHash reads a state from a location hash, ignoring what it does not
 *  understand; missing parts keep their defaults. */
export function parseHash(hash) {
  const state = defaults();
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const map = (params.get('map') || '').split('/').map(Number);
  if (map.length === 3 && map.every(Number.isFinite) &&
      map[0] >= 0 && map[0] <= 24 && Math.abs(map[1]) <= 85 && Math.abs(map[2]) <= 180) {
    state.zoom = map[0];
    state.center = [map[2], map[1]];
  }
  const sel = params.get('sel');
  if (sel && codePattern.test(sel)) state.sel = sel;
  const bld = params.get('bld') || '';
  if (/^[1-9]\d{0,9}$/.test(bld)) state.bld = Number(bld);
  state.at = parsePoint(params.get('at'));
  if (VIEWS.includes(params.get('view'))) state.view = params.get('view');
  const station = params.get('station') || '';
  if (state.view === 'circles' && /^[1-9]\d{0,9}$/.test(station)) state.station = Number(station);
  if (state.view === 'circles' && !state.station) state.whatif = parsePoint(params.get('whatif'));
  for (const g of (params.get('hide') || '').split(',')) if (GROUPS.includes(g)) state.hidden.add(g);
  if (params.get('lang') === 'en') state.lang = 'en';
  return state;
}

/** parsePoint reads "lon,lat" (WGS-84 degrees), or returns null. */
function parsePoint(text) {
  const p = (text || '').split(',').map(Number);
  if (p.length !== 2 || !p.every(Number.isFinite) || Math.abs(p[0]) > 180 || Math.abs(p[1]) > 85) return null;
  return p;
}

const point = ([lon, lat]) => `${lon.toFixed(6)},${lat.toFixed(6)}`;

/** formatHash writes a state as a location hash (without the leading #). */
export function formatHash(state) {
  const parts = [];
  if (state.center && state.zoom !== null) {
    const [lon, lat] = state.center;
    parts.push(`map=${state.zoom.toFixed(2)}/${lat.toFixed(5)}/${lon.toFixed(5)}`);
  }
  if (state.sel) parts.push(`sel=${state.sel}`);
  if (state.bld) parts.push(`bld=${state.bld}`);
  if (state.at) parts.push(`at=${point(state.at)}`);
  if (state.view) parts.push(`view=${state.view}`);
  if (state.view && state.station) parts.push(`station=${state.station}`);
  else if (state.view && state.whatif) parts.push(`whatif=${point(state.whatif)}`);
  const hidden = GROUPS.filter((g) => state.hidden.has(g));
  if (hidden.length) parts.push(`hide=${hidden.join(',')}`);
  if (state.lang !== 'zh') parts.push(`lang=${state.lang}`);
  return parts.join('&');
}

/** PICKED are the hash keys that name what is picked: a change of any of
 *  them is a step Back returns to; anything else (a pan, a layer, the
 *  language) replaces the current step. */
const PICKED = ['sel', 'bld', 'at', 'view', 'station', 'whatif'];

/** pickedKey returns the part of a hash that names what is picked. */
export function pickedKey(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return PICKED.map((k) => `${k}=${params.get(k) ?? ''}`).join('&');
}

/** writeHash writes the state into the URL: a new history entry when what
 *  is picked changed (so Back steps through selections) and push allows
 *  it, else in place (no entry for every pan). */
export function writeHash(state, push = true) {
  const hash = formatHash(state);
  const url = `${location.pathname}${location.search}${hash ? `#${hash}` : ''}`;
  if (url === `${location.pathname}${location.search}${location.hash}`) return;
  if (push && pickedKey(hash) !== pickedKey(location.hash)) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}
