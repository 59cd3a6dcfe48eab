// @ts-check
// style.js: the MapLibre style, built here rather than fetched, so that
// every request it causes goes to gridmap: tiles from tiles.json, fonts
// from the vendored Noto Sans SC, no sprites and no glyph server.

import {
  COVERAGE_SOURCES, circleLayers, coverageFills, coverageLabels, coveragePoints,
} from './coverage-style.js';
import { FONT } from './fonts.js';

export { absoluteTemplate, tileSource } from './source.js';

/** GRID_COLORS are the fills of grid colour indexes 0-5 (the tiles give
 *  neighbouring grids different indexes). ColorBrewer Set3. */
export const GRID_COLORS = ['#8dd3c7', '#ffed6f', '#bebada', '#fb8072', '#80b1d3', '#fdb462'];

/** COLORS are the other colours the style and the legend share. */
export const COLORS = {
  background: '#eef0ea',
  district: '#2f3b4c',
  subdistrict: '#4d5b70',
  community: '#6f7f95',
  gridLine: '#ffffff',
  street: '#ffffff',
  streetCasing: '#c9c4b8',
  building: '#475569',
  centre: '#c8102e',
  station: '#e8710a',
  selection: '#d6007e',
  repair: '#e11d48',
  text: '#1f2937',
  halo: '#ffffff',
};

const SOURCE = 'gridmap';

/** GROUP_LAYERS lists the style layers each toggle in the legend switches. */
export const GROUP_LAYERS = {
  grids: ['grid-fill', 'grid-line'],
  districts: ['district-fill', 'district-line-halo', 'district-line'],
  subdistricts: ['subdistrict-line'],
  communities: ['community-fill', 'community-line'],
  streets: ['street-casing', 'street-line', 'street-label'],
  buildings: ['building'],
  stations: ['station', 'station-label'],
  labels: ['label-district', 'label-subdistrict', 'label-community', 'label-grid'],
  repairs: ['repair-fill', 'repair-line', 'repair-point'],
};

/** SELECTION_LAYERS are the outline layers of a selected unit, by level,
 *  each filtering its tile layer on the selected code. */
export const SELECTION_LAYERS = {
  district: 'sel-district',
  subdistrict: 'sel-subdistrict',
  community: 'sel-community',
};

const zoomed = (...stops) => ['interpolate', ['linear'], ['zoom'], ...stops];
const none = ['==', ['get', 'code'], ''];

/** UNIT_COLORS are the fills of district and community colour indexes 0-5:
 *  soft, so that boundaries and labels stay readable over them. */
export const UNIT_COLORS = ['#d5e6c3', '#f2dcbc', '#c9dcef', '#edcfda', '#dcd2ee', '#f2e8b0'];

const byColor = (palette) => ['match', ['to-number', ['get', 'color'], 0], ...palette.flatMap((c, i) => [i, c]), palette[0]];

function fills() {
  return [
    { id: 'background', type: 'background', paint: { 'background-color': COLORS.background } },
    {
      id: 'district-fill', type: 'fill', source: SOURCE, 'source-layer': 'districts',
      paint: { 'fill-color': byColor(UNIT_COLORS), 'fill-opacity': zoomed(6, 0.95, 11, 0.8, 13, 0.3, 16, 0.15) },
    },
    {
      id: 'community-fill', type: 'fill', source: SOURCE, 'source-layer': 'communities', maxzoom: 13,
      paint: { 'fill-color': byColor(GRID_COLORS), 'fill-opacity': zoomed(11, 0.3, 12, 0.3, 13, 0) },
    },
    {
      id: 'grid-fill', type: 'fill', source: SOURCE, 'source-layer': 'grids',
      paint: { 'fill-color': byColor(GRID_COLORS), 'fill-opacity': zoomed(12, 0.55, 15, 0.6, 18, 0.35) },
    },
  ];
}

function streets() {
  // Widths per zoom (primary roads 1.6 times, alleys half); the zoom
  // interpolation has to be the outermost expression.
  const byClass = (v) => ['match', ['get', 'class'], 'primary', v * 1.6, 'secondary', v * 1.25, 'alley', v * 0.55, v];
  const width = (scale) => zoomed(12, byClass(0.5 * scale), 15, byClass(2 * scale), 18, byClass(9 * scale));
  return [
    {
      id: 'street-casing', type: 'line', source: SOURCE, 'source-layer': 'streets', minzoom: 13,
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': COLORS.streetCasing, 'line-width': width(1.3) },
    },
    {
      id: 'street-line', type: 'line', source: SOURCE, 'source-layer': 'streets',
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: {
        'line-color': ['match', ['get', 'class'], 'primary', '#fff4cf', COLORS.street],
        'line-width': width(1),
      },
    },
  ];
}

function boundaries() {
  return [
    {
      id: 'grid-line', type: 'line', source: SOURCE, 'source-layer': 'grids', minzoom: 12,
      paint: { 'line-color': COLORS.gridLine, 'line-width': zoomed(12, 0.4, 16, 1.2, 18, 2), 'line-opacity': 0.9 },
    },
    {
      id: 'community-line', type: 'line', source: SOURCE, 'source-layer': 'communities',
      layout: { 'line-join': 'round' },
      paint: { 'line-color': COLORS.community, 'line-width': zoomed(10, 0.6, 14, 1.4, 18, 2.5), 'line-dasharray': [3, 2] },
    },
    {
      id: 'subdistrict-line', type: 'line', source: SOURCE, 'source-layer': 'subdistricts',
      layout: { 'line-join': 'round' },
      paint: { 'line-color': COLORS.subdistrict, 'line-width': zoomed(8, 0.8, 13, 2.2, 18, 4) },
    },
    {
      id: 'district-line-halo', type: 'line', source: SOURCE, 'source-layer': 'districts',
      layout: { 'line-join': 'round' },
      paint: { 'line-color': '#ffffff', 'line-width': zoomed(6, 3, 13, 7, 18, 10), 'line-opacity': 0.7 },
    },
    {
      id: 'district-line', type: 'line', source: SOURCE, 'source-layer': 'districts',
      layout: { 'line-join': 'round' },
      paint: { 'line-color': COLORS.district, 'line-width': zoomed(6, 1.4, 13, 3.2, 18, 5) },
    },
  ];
}

function points() {
  const kind = (centre, station) => ['match', ['get', 'kind'], 'centre', centre, station];
  return [
    {
      id: 'building', type: 'circle', source: SOURCE, 'source-layer': 'buildings',
      paint: {
        'circle-color': COLORS.building,
        'circle-radius': zoomed(14, 1.6, 16, 3, 18, 6),
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': zoomed(14, 0.3, 17, 1),
      },
    },
    {
      id: 'station', type: 'circle', source: SOURCE, 'source-layer': 'stations',
      paint: {
        'circle-color': ['match', ['get', 'kind'], 'centre', COLORS.centre, COLORS.station],
        'circle-radius': zoomed(10, kind(4, 3), 15, kind(8, 6), 18, kind(12, 9)),
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.5,
      },
    },
  ];
}

/** repairs draws what the import that built the city repaired
 *  (GET /v1/import/repairs.geojson): areas moved, vertex moves, places. */
function repairs() {
  const isType = (...types) => ['in', ['geometry-type'], ['literal', types]];
  return [
    {
      id: 'repair-fill', type: 'fill', source: 'repairs', filter: isType('Polygon', 'MultiPolygon'),
      paint: { 'fill-color': COLORS.repair, 'fill-opacity': 0.45 },
    },
    {
      id: 'repair-line', type: 'line', source: 'repairs', filter: ['!', isType('Point', 'MultiPoint')],
      paint: { 'line-color': COLORS.repair, 'line-width': zoomed(12, 1, 17, 2.5) },
    },
    {
      id: 'repair-point', type: 'circle', source: 'repairs', filter: isType('Point', 'MultiPoint'),
      paint: { 'circle-color': COLORS.repair, 'circle-radius': zoomed(10, 2, 16, 5), 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1 },
    },
  ];
}

function selection() {
  const unitLine = (id, layer) => ({
    id, type: 'line', source: SOURCE, 'source-layer': layer, filter: none,
    layout: { 'line-join': 'round' },
    paint: { 'line-color': COLORS.selection, 'line-width': zoomed(8, 2.5, 14, 4.5) },
  });
  return [
    unitLine(SELECTION_LAYERS.district, 'districts'),
    unitLine(SELECTION_LAYERS.subdistrict, 'subdistricts'),
    unitLine(SELECTION_LAYERS.community, 'communities'),
    {
      id: 'sel-grid-fill', type: 'fill', source: 'selection',
      paint: { 'fill-color': COLORS.selection, 'fill-opacity': 0.12 },
    },
    {
      id: 'sel-grid-line', type: 'line', source: 'selection',
      layout: { 'line-join': 'round' },
      paint: { 'line-color': COLORS.selection, 'line-width': zoomed(10, 2.5, 16, 4.5) },
    },
    {
      id: 'sel-point', type: 'circle', source: 'selection', filter: ['==', ['geometry-type'], 'Point'],
      paint: {
        'circle-color': COLORS.selection, 'circle-radius': zoomed(12, 5, 17, 9),
        'circle-stroke-color': '#ffffff', 'circle-stroke-width': 3,
      },
    },
  ];
}

function label(id, level, minzoom, maxzoom, size) {
  return {
    id, type: 'symbol', source: SOURCE, 'source-layer': 'labels', minzoom, maxzoom,
    filter: ['==', ['get', 'level'], level],
    layout: {
      'text-field': ['get', 'name'],
      'text-font': [FONT],
      'text-size': size,
      'text-max-width': level === 'grid' ? 10 : 7,
      'text-padding': 4,
    },
    paint: { 'text-color': COLORS.text, 'text-halo-color': COLORS.halo, 'text-halo-width': 1.6 },
  };
}

function labels() {
  const text = (extra) => ({ 'text-font': [FONT], ...extra });
  const paint = { 'text-color': COLORS.text, 'text-halo-color': COLORS.halo, 'text-halo-width': 1.4 };
  return [
    {
      id: 'street-label', type: 'symbol', source: SOURCE, 'source-layer': 'streets', minzoom: 15,
      layout: text({ 'text-field': ['get', 'name'], 'symbol-placement': 'line', 'text-size': 11 }),
      paint: { ...paint, 'text-color': '#5b5345' },
    },
    label('label-grid', 'grid', 14.5, 24, zoomed(14.5, 10.5, 18, 13)),
    label('label-community', 'community', 12, 15, zoomed(12, 11, 15, 13.5)),
    label('label-subdistrict', 'subdistrict', 9.5, 13, zoomed(10, 12, 13, 15)),
    label('label-district', 'district', 6, 11, zoomed(7, 13, 11, 18)),
    {
      id: 'station-label', type: 'symbol', source: SOURCE, 'source-layer': 'stations', minzoom: 15,
      layout: text({ 'text-field': ['get', 'name'], 'text-size': 11, 'text-anchor': 'top', 'text-offset': [0, 0.9], 'text-max-width': 8 }),
      paint: { ...paint, 'text-color': COLORS.centre },
    },
  ];
}

/**
 * An Overlay is a feature's part of the page's style (the editing mode's
 * edit/style.js): GeoJSON sources it fills and its layers for a font,
 * drawn above the selection and below the labels.
 * @typedef {{ sources: Record<string, object>, layers: (font: string) => object[] }} Overlay
 */

/**
 * buildStyle returns the whole style for a tile source and font faces,
 * with the overlays of features (none by default), in their order.
 * @param {object} source
 * @param {object} fontFaces
 * @param {Overlay[]} [overlays]
 */
export function buildStyle(source, fontFaces, overlays = []) {
  return {
    version: 8,
    name: 'gridmap',
    'font-faces': fontFaces,
    sources: {
      [SOURCE]: source,
      selection: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
      repairs: { type: 'geojson', data: '/v1/import/repairs.geojson' },
      ...COVERAGE_SOURCES,
      ...Object.assign({}, ...overlays.map((o) => o.sources)),
    },
    layers: [
      ...fills(), ...coverageFills(), ...streets(), ...boundaries(), ...circleLayers(),
      ...points(), ...coveragePoints(), ...repairs(), ...selection(), ...overlays.flatMap((o) => o.layers(FONT)), ...labels(), ...coverageLabels(),
    ],
  };
}
