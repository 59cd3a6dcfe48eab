// @ts-check
// edit/map.js: what the editing mode draws on the map (the sources of
// style.js) and the reload of the vector tiles after a commit.

import { EDIT_SOURCES } from './style.js';
import { vertices } from './geom.js';
import { t } from './i18n.js';
import { tileSource } from '../source.js';

const fc = (features) => ({ type: 'FeatureCollection', features });
const feature = (geometry, properties = {}) => ({ type: 'Feature', geometry, properties });

/** paintEdit fills the editing sources from the editor's state: the grid's
 *  (edited) shape, the grid picked for a merge, the neighbours, the
 *  draggable vertices (shape tool only, never on a read-only grid), the
 *  split line with its points (the rubber band to the cursor, and where it
 *  snaps), the preview's resulting grids (a new one labelled), the
 *  buildings it moves and its problems. */
export function paintEdit(map, s) {
  const set = (id, features) => map.getSource(id)?.setData(fc(features));
  const shape = s.shape || s.feature?.geometry;
  set('edit-shape', [
    shape ? feature(shape, { role: 'grid' }) : null,
    s.mergeWith ? feature(s.mergeWith.geometry, { role: 'merge' }) : null,
  ].filter(Boolean));
  set('edit-neighbours', s.neighbours || []);
  set('edit-vertices', s.tool === 'shape' && shape && !s.readOnly ? vertices(shape, s.neighbours || []) : []);
  const line = s.cursor ? [...s.line, s.cursor] : s.line;
  set('edit-line', [
    line.length > 1 ? feature({ type: 'LineString', coordinates: line }) : null,
    ...s.line.map((c) => feature({ type: 'Point', coordinates: c })),
    s.draw?.snap ? feature({ type: 'Point', coordinates: s.draw.snap.coord }, { role: 'snap', kind: s.draw.snap.kind }) : null,
  ].filter(Boolean));
  set('edit-result', (s.preview?.resultFeatures.features || []).map((f) => (f.properties.kind === 'added'
    ? { ...f, properties: { ...f.properties, label: t('newGridLabel', f.properties.code.slice(-3)) } } : f)));
  set('edit-moves', s.movedPoints || []);
  set('edit-problems', s.preview?.problemFeatures.features || []);
}

/** clearEdit empties every editing source. */
export function clearEdit(map) {
  for (const id of Object.keys(EDIT_SOURCES)) map.getSource(id)?.setData(fc([]));
}

/** reloadTiles points the vector source at the tiles of the current
 *  version: tiles.json names them with ?v=<version>, so no stale tile is
 *  drawn from a cache. It returns the new tile URLs. */
export async function reloadTiles(map) {
  const tilesURL = new URL('tiles.json', document.baseURI);
  const res = await fetch(tilesURL, { cache: 'no-store', headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`tiles.json: HTTP ${res.status}`);
  const tj = await res.json();
  const { tiles } = tileSource(tj, tilesURL);
  map.getSource('gridmap')?.setTiles(tiles);
  return tiles;
}
