// @ts-check
// coverage-style.js: the style layers of the 15-minute service circles
// view: coverage choropleths per level, the bands of a circle, uncovered
// buildings and the stations drawn large. They start hidden; circles.js
// shows them and fills in the data.

import { FONT } from './fonts.js';

/** TARGET is the national 2025 target share of households within a
 *  15-minute walk of a service station. */
export const TARGET = 0.85;

/** COVERAGE_CLASSES are the choropleth classes of a covered share, lowest
 *  first: where each starts and its colour (ColorBrewer RdYlGn). */
export const COVERAGE_CLASSES = [
  { from: 0, color: '#d73027', label: '<50%' },
  { from: 0.5, color: '#fc8d59', label: '50–85%' },
  { from: TARGET, color: '#fee08b', label: '85–99%' },
  { from: 0.99, color: '#66bd63', label: '≥99%' },
];

/** BAND_COLORS are the colours of a station's circle and of a what-if one. */
export const BAND_COLORS = { station: '#1d4ed8', whatif: '#7c3aed' };

/** STATION_COLORS are the fills of subdistrict centres and community stations. */
export const STATION_COLORS = { centre: '#c8102e', community: '#e8710a' };

/** GAP_COLOR is the fill of an uncovered building. */
export const GAP_COLOR = '#dc2626';

/** UNIT_FILLS are the choropleth layers of units, by level; circles.js
 *  gives each the shares of /v1/coverage. Grids use their tile property. */
export const UNIT_FILLS = {
  district: 'cov-district-fill',
  subdistrict: 'cov-subdistrict-fill',
  community: 'cov-community-fill',
};

/** COVERAGE_LAYERS lists every layer of the view with the legend group
 *  whose switch also hides it (null: always shown in the view). */
export const COVERAGE_LAYERS = {
  'cov-district-fill': 'grids',
  'cov-subdistrict-fill': 'grids',
  'cov-community-fill': 'grids',
  'cov-grid-fill': 'grids',
  'cov-band-fill': null,
  'cov-band-line': null,
  'cov-gap': null,
  'cov-station': 'stations',
  'cov-station-sel': null,
  'cov-origin': null,
  'cov-station-label': 'stations',
};

const empty = { type: 'FeatureCollection', features: [] };

/** COVERAGE_SOURCES are the view's GeoJSON sources: the drawn circle, the
 *  stations and the uncovered buildings. */
export const COVERAGE_SOURCES = {
  'cov-circle': { type: 'geojson', data: empty },
  'cov-stations': { type: 'geojson', data: empty, promoteId: 'id' },
  'cov-gaps': { type: 'geojson', data: empty },
};

const zoomed = (...stops) => ['interpolate', ['linear'], ['zoom'], ...stops];
const hidden = { visibility: 'none' };
const none = ['==', ['get', 'code'], ''];

/** shareColor returns the expression colouring a share (0-1) by class. */
export function shareColor(share) {
  return ['step', share, COVERAGE_CLASSES[0].color, ...COVERAGE_CLASSES.slice(1).flatMap((c) => [c.from, c.color])];
}

/** unitShares returns the paint colour and filter of a unit choropleth
 *  layer for /v1/coverage units: [{code, share}, ...]. */
export function unitShares(units) {
  const known = units.filter((u) => Number.isFinite(u.share) && u.households > 0);
  if (!known.length) return { color: COVERAGE_CLASSES[0].color, filter: none };
  const share = ['match', ['get', 'code'], ...known.flatMap((u) => [u.code, u.share]), -1];
  return { color: shareColor(share), filter: ['match', ['get', 'code'], known.map((u) => u.code), true, false] };
}

const opacity = zoomed(8, 0.8, 12, 0.7, 15, 0.55, 17, 0.4);

function unitFill(id, layer, minzoom, maxzoom) {
  return {
    id, type: 'fill', source: 'gridmap', 'source-layer': layer, minzoom, maxzoom, filter: none, layout: hidden,
    paint: { 'fill-color': COVERAGE_CLASSES[0].color, 'fill-opacity': opacity },
  };
}

/** coverageFills returns the choropleth layers, drawn over the plain fills. */
export function coverageFills() {
  return [
    unitFill(UNIT_FILLS.district, 'districts', 0, 9),
    unitFill(UNIT_FILLS.subdistrict, 'subdistricts', 9, 11),
    unitFill(UNIT_FILLS.community, 'communities', 11, 12),
    {
      id: 'cov-grid-fill', type: 'fill', source: 'gridmap', 'source-layer': 'grids', minzoom: 12,
      filter: ['has', 'coverage'], layout: hidden,
      paint: { 'fill-color': shareColor(['to-number', ['get', 'coverage'], 0]), 'fill-opacity': opacity },
    },
  ];
}

/** circleLayers returns the bands of the drawn circle: translucent nested
 *  fills (so the inner bands come out darker) with outlines. */
export function circleLayers() {
  const band = ['==', ['get', 'role'], 'band'];
  const outer = ['==', ['get', 'outer'], true];
  return [
    {
      id: 'cov-band-fill', type: 'fill', source: 'cov-circle', filter: band, layout: hidden,
      paint: { 'fill-color': ['get', 'color'], 'fill-opacity': 0.16 },
    },
    {
      id: 'cov-band-line', type: 'line', source: 'cov-circle', filter: band,
      layout: { ...hidden, 'line-join': 'round' },
      paint: {
        'line-color': ['get', 'color'],
        'line-width': ['case', outer, 2.6, 1.4],
        'line-opacity': ['case', outer, 0.95, 0.7],
      },
    },
  ];
}

/** coveragePoints returns the uncovered buildings, the stations, the
 *  selected station's ring and a what-if circle's origin. */
export function coveragePoints() {
  const kind = (centre, community) => ['match', ['get', 'kind'], 'centre', centre, community];
  return [
    {
      id: 'cov-gap', type: 'circle', source: 'cov-gaps', layout: hidden,
      paint: {
        'circle-color': GAP_COLOR, 'circle-radius': zoomed(8, 1.8, 11, 3, 14, 4.5, 18, 9),
        'circle-stroke-color': '#ffffff', 'circle-stroke-width': zoomed(9, 0.6, 14, 1.2),
      },
    },
    {
      id: 'cov-station', type: 'circle', source: 'cov-stations', layout: hidden,
      paint: {
        'circle-color': kind(STATION_COLORS.centre, STATION_COLORS.community),
        'circle-radius': zoomed(8, kind(2, 1.2), 11, kind(5, 3.5), 13, kind(7, 5.5), 16, kind(11, 9)),
        'circle-stroke-color': '#ffffff', 'circle-stroke-width': zoomed(8, 0.5, 12, 2),
      },
    },
    {
      id: 'cov-station-sel', type: 'circle', source: 'cov-stations', filter: ['==', ['id'], -1], layout: hidden,
      paint: {
        'circle-color': 'rgba(0,0,0,0)', 'circle-radius': zoomed(8, 8, 12, 11, 16, 16),
        'circle-stroke-color': BAND_COLORS.station, 'circle-stroke-width': 3,
      },
    },
    {
      id: 'cov-origin', type: 'circle', source: 'cov-circle',
      filter: ['all', ['==', ['get', 'role'], 'origin'], ['==', ['get', 'whatif'], true]], layout: hidden,
      paint: {
        'circle-color': BAND_COLORS.whatif, 'circle-radius': zoomed(8, 5, 16, 9),
        'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2.5,
      },
    },
  ];
}

/** coverageLabels returns the stations' names, shown from zoom 13. */
export function coverageLabels() {
  return [{
    id: 'cov-station-label', type: 'symbol', source: 'cov-stations', minzoom: 13,
    layout: {
      ...hidden, 'text-field': ['get', 'name'], 'text-font': [FONT], 'text-size': zoomed(13, 10.5, 17, 12.5),
      'text-anchor': 'top', 'text-offset': [0, 0.9], 'text-max-width': 8, 'text-padding': 3,
    },
    paint: { 'text-color': '#7f1d1d', 'text-halo-color': '#ffffff', 'text-halo-width': 1.6 },
  }];
}
