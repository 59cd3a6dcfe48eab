// @ts-check
// edit/moves.js: where the buildings a preview moves stand, to highlight
// them on the map. A preview names moved buildings by id (impact.moves);
// their points come from the buildings of the grids they leave (OGC API
// buildings items of each grid, read once per grid and version).

import * as api from '../api.js';

const LIMIT = 1000;

/** movedPoints returns the moved buildings as GeoJSON points with from,
 *  to and households; cache maps a grid code to its buildings' points. */
export async function movedPoints(moves, cache, signal) {
  const from = [...new Set(moves.map((m) => String(m.from)))];
  await Promise.all(from.filter((code) => !cache.has(code)).map(async (code) => {
    const fc = await api.buildings(code, LIMIT, signal);
    cache.set(code, new Map(fc.features.map((f) => [Number(f.id), f.geometry.coordinates])));
  }));
  const out = [];
  for (const m of moves) {
    const point = cache.get(String(m.from))?.get(Number(m.building));
    if (point) {
      out.push({
        type: 'Feature', geometry: { type: 'Point', coordinates: point },
        properties: { building: m.building, from: String(m.from), to: String(m.to), households: m.households },
      });
    }
  }
  return out;
}
