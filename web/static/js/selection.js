// @ts-check
// selection.js: what the user picked (a grid or a unit), outlined on the
// map and described in the panel. Every pick cancels the one before it.

import * as api from './api.js';
import { SELECTION_LAYERS } from './style.js';
import { problemDetail } from './problems.js';

/** levelOf returns the level a code names: grid (15 digits), or city,
 *  district, subdistrict or community (12-digit division codes). */
export function levelOf(code) {
  if (code.length === 15) return 'grid';
  if (code.slice(4) === '00000000') return 'city';
  if (code.slice(6) === '000000') return 'district';
  if (code.slice(9) === '000') return 'subdistrict';
  return 'community';
}

/** bboxOf returns [w, s, e, n] of a GeoJSON geometry, or null. */
export function bboxOf(geometry) {
  let b = null;
  const walk = (c) => {
    if (typeof c[0] === 'number') {
      b = b ? [Math.min(b[0], c[0]), Math.min(b[1], c[1]), Math.max(b[2], c[0]), Math.max(b[3], c[1])] : [c[0], c[1], c[0], c[1]];
    } else c.forEach(walk);
  };
  if (geometry?.coordinates) walk(geometry.coordinates);
  return b;
}

/** Selection owns the selected code, its outline and the panel's model. */
export class Selection {
  constructor(map, panel, onChange) {
    this.map = map;
    this.panel = panel;
    this.onChange = onChange;
    this.code = null;
    this.building = null; // the geocoded building's id, kept in the link
    this.at = null; // the marked point, [lon, lat], kept in the link
    this.controller = null;
  }

  begin() {
    this.controller?.abort();
    this.controller = new AbortController();
    this.panel.render({ kind: 'loading' });
    return this.controller.signal;
  }

  /** atPoint selects the grid holding a clicked point; building is the
   *  clicked building's tile properties, if any. With mark, the point is
   *  marked on the map and kept in the link (a typed or located point). */
  async atPoint(lngLat, building, { mark = false } = {}) {
    const signal = this.begin();
    const point = [lngLat.lng, lngLat.lat];
    try {
      const chain = await api.lookup(lngLat.lng, lngLat.lat, signal);
      const feature = await api.grid(chain.grid.code, signal).catch(() => null);
      if (signal.aborted) return;
      this.showGrid(chain, feature, { point, building, mark, at: mark ? point : null });
    } catch (err) {
      if (signal.aborted) return;
      if (err.status === 404) this.showNoGrid(err.problem, mark ? point : null);
      else this.panel.render({ kind: 'error', message: err.message });
    }
  }

  /** atBuilding selects the grid of a geocoded building (an address
   *  search result: building, name, point, confidence and grid chain) and
   *  shows the building's standard address with it. */
  async atBuilding(r) {
    const signal = this.begin();
    try {
      const feature = await api.grid(r.grid.code, signal);
      if (signal.aborted) return;
      this.showGrid(r, feature, { point: r.point, building: { address: r.name, confidence: r.confidence }, mark: true, bld: r.building });
    } catch (err) {
      if (!signal.aborted) this.panel.render({ kind: 'error', message: `${r.grid.code}: ${err.message}` });
    }
  }

  /** byCode selects a grid or unit by code and returns its bbox, or null
   *  when nothing was selected. */
  async byCode(code) {
    const signal = this.begin();
    try {
      const result = levelOf(code) === 'grid' ? await this.gridByCode(code, signal) : await this.unitByCode(code, signal);
      return signal.aborted ? null : result;
    } catch (err) {
      if (!signal.aborted) this.panel.render({ kind: 'error', message: `${code}: ${err.message}` });
      return null;
    }
  }

  async gridByCode(code, signal) {
    const feature = await api.grid(code, signal);
    if (signal.aborted) return null;
    const p = feature.properties || {};
    const chain = { grid: { code, name: p.name }, community: p.community, subdistrict: p.subdistrict, district: p.district };
    this.showGrid(chain, feature, {});
    return feature.bbox || bboxOf(feature.geometry);
  }

  /** unitByCode shows a unit (GET /v1/units/{code}: unit, parents,
   *  children) and outlines it from the tiles. Units carry no geometry:
   *  the returned bbox comes from /v1/search, which knows it. */
  async unitByCode(code, signal) {
    const [body, found] = await Promise.all([
      api.unit(code, signal),
      api.search(code, 5, signal).catch(() => null),
    ]);
    if (signal.aborted) return null;
    const u = body.unit || {};
    const level = u.level || levelOf(code);
    this.panel.render({
      kind: 'unit', level, code, name: u.name, counts: u.counts || {},
      parents: (body.parents || []).filter((x) => x.level !== 'city'),
      children: body.children || [],
    });
    this.outline(code, level, null);
    return found?.results?.find((r) => r.code === code)?.bbox || null;
  }

  showGrid(chain, feature, extra) {
    const p = feature?.properties || {};
    this.panel.render({
      kind: 'grid',
      grid: { code: chain.grid.code, name: chain.grid.name || p.name },
      community: chain.community || p.community,
      subdistrict: chain.subdistrict || p.subdistrict,
      district: chain.district || p.district,
      households: p.households,
      buildings: p.buildings,
      point: extra.point,
      building: extra.building,
    });
    this.outline(chain.grid.code, 'grid', feature, extra.mark ? extra.point : null, { bld: extra.bld, at: extra.at });
  }

  showNoGrid(problem, at = null) {
    const nearest = problem?.nearest || problem?.nearest_grid || problem?.grid || null;
    this.panel.render({ kind: 'nogrid', detail: problemDetail(problem), nearest });
    this.outline(null, null, null, at, { at });
  }

  /** outline draws the selection: a grid from its GeoJSON, a unit by
   *  filtering its boundary tile layer on the code; point, if given, is
   *  marked (a geocoded building). */
  outline(code, level, feature, point = null, { bld = null, at = null } = {}) {
    const features = [];
    if (feature?.geometry) features.push({ ...feature, id: undefined });
    if (point) features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: point }, properties: {} });
    this.map.getSource('selection')?.setData({ type: 'FeatureCollection', features });
    for (const [lvl, layer] of Object.entries(SELECTION_LAYERS)) {
      this.map.setFilter(layer, ['==', ['get', 'code'], lvl === level ? code : '']);
    }
    if (code !== this.code || bld !== this.building || at !== this.at) {
      this.code = code;
      this.building = bld;
      this.at = at;
      this.onChange(code);
    }
  }

  /** clear drops the selection and empties the panel. */
  clear() {
    this.controller?.abort();
    this.outline(null, null, null);
    this.panel.render(null);
  }
}
