// state.js: the map state kept in the URL hash, so that a link reopens the
// same view: #map=zoom/lat/lon&sel=code&view=circles&station=id&hide=group,group&lang=en

/** GROUPS are the layer groups a user can switch on and off, in legend order. */
export const GROUPS = ['grids', 'districts', 'subdistricts', 'communities', 'streets', 'buildings', 'stations', 'labels', 'repairs'];

/** defaults returns the state of a fresh visit: the whole city, Chinese. */
export function defaults() {
  return { zoom: null, center: null, sel: null, view: null, station: null, hidden: new Set(), lang: 'zh' };
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
  if (VIEWS.includes(params.get('view'))) state.view = params.get('view');
  const station = params.get('station') || '';
  if (state.view === 'circles' && /^[1-9]\d{0,9}$/.test(station)) state.station = Number(station);
  for (const g of (params.get('hide') || '').split(',')) if (GROUPS.includes(g)) state.hidden.add(g);
  if (params.get('lang') === 'en') state.lang = 'en';
  return state;
}

/** formatHash writes a state as a location hash (without the leading #). */
export function formatHash(state) {
  const parts = [];
  if (state.center && state.zoom !== null) {
    const [lon, lat] = state.center;
    parts.push(`map=${state.zoom.toFixed(2)}/${lat.toFixed(5)}/${lon.toFixed(5)}`);
  }
  if (state.sel) parts.push(`sel=${state.sel}`);
  if (state.view) parts.push(`view=${state.view}`);
  if (state.view && state.station) parts.push(`station=${state.station}`);
  const hidden = GROUPS.filter((g) => state.hidden.has(g));
  if (hidden.length) parts.push(`hide=${hidden.join(',')}`);
  if (state.lang !== 'zh') parts.push(`lang=${state.lang}`);
  return parts.join('&');
}

/** writeHash replaces the current history entry's hash with the state,
 *  without adding a history entry for every pan. */
export function writeHash(state) {
  const hash = formatHash(state);
  const url = `${location.pathname}${location.search}${hash ? `#${hash}` : ''}`;
  if (url !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(null, '', url);
}
