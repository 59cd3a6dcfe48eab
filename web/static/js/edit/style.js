// @ts-check
// edit/style.js: the sources and layers of the editing mode: the grid being
// edited with its draggable vertices, its neighbours, the split line being
// drawn with where the pointer snaps, the grids a preview would make (a
// new one filled and labelled), the buildings it would move and the
// problems it found (red).

/** EDIT_COLORS are the editing mode's colours, shared with the panel. */
export const EDIT_COLORS = {
  shape: '#0f62fe',
  neighbour: '#4b5563',
  vertex: '#ffffff',
  shared: '#f59e0b',
  line: '#0f62fe',
  result: '#15803d',
  merge: '#7c3aed',
  problem: '#dc2626',
  added: '#d946ef',
  moved: '#f97316',
  snap: '#f43f5e',
};

const empty = { type: 'FeatureCollection', features: [] };

/** EDIT_SOURCES are the GeoJSON sources the editor fills. */
export const EDIT_SOURCES = {
  'edit-shape': { type: 'geojson', data: empty },
  'edit-neighbours': { type: 'geojson', data: empty },
  'edit-vertices': { type: 'geojson', data: empty },
  'edit-line': { type: 'geojson', data: empty },
  'edit-result': { type: 'geojson', data: empty },
  'edit-problems': { type: 'geojson', data: empty },
  'edit-moves': { type: 'geojson', data: empty },
};

const zoomed = (...stops) => ['interpolate', ['linear'], ['zoom'], ...stops];
const isPoint = ['==', ['geometry-type'], 'Point'];
const notPoint = ['!=', ['geometry-type'], 'Point'];
const isArea = ['==', ['geometry-type'], 'Polygon'];
const isAdded = ['==', ['get', 'kind'], 'added'];

/** editLayers returns the editing mode's layers, drawn above the map's own
 *  selection and below the labels; with a font, a new grid of a preview
 *  is labelled. */
export function editLayers(font = null) {
  return [
    {
      id: 'edit-neighbours-line', type: 'line', source: 'edit-neighbours',
      paint: { 'line-color': EDIT_COLORS.neighbour, 'line-width': 1.5, 'line-dasharray': [2, 2] },
    },
    {
      id: 'edit-shape-fill', type: 'fill', source: 'edit-shape',
      paint: { 'fill-color': ['match', ['get', 'role'], 'merge', EDIT_COLORS.merge, EDIT_COLORS.shape], 'fill-opacity': 0.12 },
    },
    {
      id: 'edit-shape-line', type: 'line', source: 'edit-shape', layout: { 'line-join': 'round' },
      paint: { 'line-color': ['match', ['get', 'role'], 'merge', EDIT_COLORS.merge, EDIT_COLORS.shape], 'line-width': zoomed(12, 2, 17, 3.5) },
    },
    {
      id: 'edit-result-added', type: 'fill', source: 'edit-result', filter: isAdded,
      paint: { 'fill-color': EDIT_COLORS.added, 'fill-opacity': 0.28 },
    },
    {
      id: 'edit-result-line', type: 'line', source: 'edit-result', layout: { 'line-join': 'round' },
      paint: { 'line-color': EDIT_COLORS.result, 'line-width': zoomed(12, 1.5, 17, 3), 'line-dasharray': [3, 1.5] },
    },
    {
      id: 'edit-problem-fill', type: 'fill', source: 'edit-problems', filter: isArea,
      paint: { 'fill-color': EDIT_COLORS.problem, 'fill-opacity': 0.35 },
    },
    {
      id: 'edit-problem-line', type: 'line', source: 'edit-problems', filter: notPoint,
      paint: { 'line-color': EDIT_COLORS.problem, 'line-width': zoomed(12, 2.5, 17, 4.5) },
    },
    {
      id: 'edit-problem-point', type: 'circle', source: 'edit-problems', filter: isPoint,
      paint: { 'circle-color': EDIT_COLORS.problem, 'circle-radius': 7, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 },
    },
    {
      id: 'edit-move', type: 'circle', source: 'edit-moves',
      paint: {
        'circle-color': EDIT_COLORS.moved, 'circle-radius': zoomed(12, 3, 17, 6),
        'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.5,
      },
    },
    ...(font ? [{
      id: 'edit-result-label', type: 'symbol', source: 'edit-result', filter: isAdded,
      layout: { 'text-field': ['get', 'label'], 'text-font': [font], 'text-size': 14, 'text-allow-overlap': true },
      paint: { 'text-color': '#86198f', 'text-halo-color': '#ffffff', 'text-halo-width': 2 },
    }] : []),
    {
      id: 'edit-line', type: 'line', source: 'edit-line', filter: notPoint, layout: { 'line-cap': 'round' },
      paint: { 'line-color': EDIT_COLORS.line, 'line-width': 3, 'line-dasharray': [2, 1] },
    },
    {
      id: 'edit-line-point', type: 'circle', source: 'edit-line', filter: ['all', isPoint, ['!=', ['get', 'role'], 'snap']],
      paint: { 'circle-color': EDIT_COLORS.line, 'circle-radius': 4.5, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.5 },
    },
    {
      id: 'edit-snap', type: 'circle', source: 'edit-line', filter: ['==', ['get', 'role'], 'snap'],
      paint: {
        'circle-color': 'rgba(0,0,0,0)', 'circle-radius': 9,
        'circle-stroke-color': EDIT_COLORS.snap, 'circle-stroke-width': 2.5,
      },
    },
    {
      id: 'edit-vertex', type: 'circle', source: 'edit-vertices',
      paint: {
        'circle-color': ['case', ['get', 'shared'], EDIT_COLORS.shared, EDIT_COLORS.vertex],
        'circle-radius': ['case', ['get', 'shared'], 6, 5],
        'circle-stroke-color': EDIT_COLORS.shape,
        'circle-stroke-width': 2,
      },
    },
  ];
}

/** EDIT_OVERLAY is the editing mode's part of the page's style, for
 *  style.js's buildStyle: its sources and its layers for a font. */
export const EDIT_OVERLAY = { sources: EDIT_SOURCES, layers: editLayers };
