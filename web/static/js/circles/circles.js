// @ts-check
// circles/circles.js: the 15-minute service circles view. When on, grids are
// coloured by the share of their households within a 15-minute walk of a
// service station, uncovered buildings are red points and the stations are
// drawn large: clicking one draws its 5/10/15-minute circle; a right-click,
// or the what-if button and a click, draws the circle of a station that
// does not exist yet and what it would add.

import * as api from '../api.js';
import { circleBody, coverageHeader, gridCoverage, homeBody, whatIfBody } from './panel.js';
import { BAND_COLORS, COVERAGE_LAYERS, UNIT_FILLS, unitShares } from '../coverage-style.js';
import { bboxOf } from '../selection.js';

const MINUTES = 15;
const BANDS = [5, 10, 15];
const GAP_LIMIT = 2000;
const empty = { type: 'FeatureCollection', features: [] };
const none = ['==', ['id'], -1];
// The plain fills the choropleth replaces, and their opacity meanwhile.
const DIMMED = { 'grid-fill': 0, 'community-fill': 0, 'district-fill': 0.2 };

/** bandsOf returns a circle's bands, smallest first. */
export function bandsOf(fc) {
  return fc.features.filter((f) => f.properties.role === 'band').map((f) => f.properties)
    .sort((a, b) => a.meters - b.meters);
}

/** Circles is the view's controller: on/off, the data it loads once, the
 *  drawn circle (a station's or a what-if one) and the panel models it
 *  renders (marked circles: true, so turning the view off drops them). */
export class Circles {
  /**
   * @param {any} map the MapLibre map
   * @param {import('../panel.js').Panel} panel
   * @param {import('../selection.js').Selection} selection
   * @param {{ onChange: () => void, onSelectCode: (code: string) => void, fitBox: (box: number[]) => void }} hooks
   */
  constructor(map, panel, selection, { onChange, onSelectCode, fitBox }) {
    this.map = map;
    this.panel = panel;
    this.selection = selection;
    this.onChange = onChange;
    this.fitBox = fitBox;
    this.on = false;
    this.station = null;
    this.point = null; // the what-if station's [lon, lat]
    this.placing = false;
    this.hidden = new Set();
    this.data = null;
    this.loading = null;
    this.controller = null;
    this.saved = {};
    const onPlace = () => this.place(!this.placing);
    panel.register('coverage', () => homeBody(this.data, { onSelectCode, onPlace, placing: this.placing }));
    panel.register('circle', circleBody);
    panel.register('whatif', (m) => whatIfBody(m, { onPlace }));
    const cursor = (c) => () => { map.getCanvas().style.cursor = this.placing ? 'crosshair' : c; };
    map.on('mouseenter', 'cov-station', cursor('pointer'));
    map.on('mouseleave', 'cov-station', cursor(''));
    document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && this.placing) this.place(false); });
  }

  /** setOn switches the view on or off; the first time it loads the
   *  stations, the coverage of every level and the gaps. */
  async setOn(on) {
    if (on === this.on) return this.loading;
    this.on = on;
    if (!on) {
      this.clearCircle(this.panel.model?.circles === true);
      this.place(false);
    }
    this.dim(on);
    this.applyLayers();
    this.panel.header = on ? () => coverageHeader(this.data) : null;
    this.panel.home = on ? () => ({ kind: 'coverage', closable: false }) : null;
    this.panel.gridExtra = on ? (code) => gridCoverage(this.data, code) : null;
    this.panel.refresh();
    this.onChange();
    if (on) await this.load();
    return null;
  }

  /** sync applies the legend's hidden groups to the view's layers. */
  sync(hidden) {
    this.hidden = hidden;
    this.applyLayers();
  }

  applyLayers() {
    for (const [id, group] of Object.entries(COVERAGE_LAYERS)) {
      const visible = this.on && !(group && this.hidden.has(group));
      if (this.map.getLayer(id)) this.map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
    }
  }

  dim(on) {
    for (const [id, value] of Object.entries(DIMMED)) {
      if (!this.map.getLayer(id)) continue;
      if (on) {
        this.saved[id] = this.map.getPaintProperty(id, 'fill-opacity');
        this.map.setPaintProperty(id, 'fill-opacity', value);
      } else if (id in this.saved) {
        this.map.setPaintProperty(id, 'fill-opacity', this.saved[id]);
      }
    }
  }

  load() {
    this.loading ??= this.fetchAll().catch((err) => {
      this.loading = null;
      this.data = { error: err.message };
      this.panel.refresh();
    });
    return this.loading;
  }

  async fetchAll() {
    const levels = ['district', 'subdistrict', 'community'];
    const [stations, gaps, ...byLevel] = await Promise.all([
      api.stations(), api.gaps(MINUTES, GAP_LIMIT), ...levels.map((l) => api.coverage(l, MINUTES)),
    ]);
    this.map.getSource('cov-stations').setData(stations);
    this.map.getSource('cov-gaps').setData({ type: 'FeatureCollection', features: gaps.features || [] });
    levels.forEach((level, i) => {
      const { color, filter } = unitShares(byLevel[i].units || []);
      this.map.setPaintProperty(UNIT_FILLS[level], 'fill-color', color);
      this.map.setFilter(UNIT_FILLS[level], filter);
    });
    const district = byLevel[0];
    this.data = {
      minutes: district.minutes, total: district.total, districts: district.units || [],
      gapGrids: gaps.grids || [], gapBuildings: (gaps.features || []).length,
      // Every grid with a gap is listed unless the list hit its limit.
      gapsComplete: (gaps.grids || []).length < GAP_LIMIT,
    };
    this.panel.refresh();
  }

  /** click handles a map click in the view: placing a what-if station,
   *  or a station's circle. It returns false to leave the click to the
   *  grid lookup. */
  click(e) {
    if (!this.on) return false;
    if (this.placing) {
      this.place(false);
      this.whatIf(e.lngLat);
      return true;
    }
    const { x, y } = e.point;
    const hits = this.map.getLayer('cov-station') ? this.map.queryRenderedFeatures([[x - 6, y - 6], [x + 6, y + 6]], { layers: ['cov-station'] }) : [];
    if (!hits.length) return false;
    const d = (f) => { const p = this.map.project(f.geometry.coordinates); return Math.hypot(p.x - x, p.y - y); };
    const nearest = hits.reduce((a, b) => (d(b) < d(a) ? b : a));
    this.selectStation(Number(nearest.id ?? nearest.properties.id));
    return true;
  }

  /** rightClick draws a what-if circle where the map was right-clicked. */
  rightClick(lngLat) {
    this.place(false);
    this.whatIf(lngLat);
  }

  /** place arms (or disarms) the what-if button: the next click places. */
  place(on) {
    this.placing = on && this.on;
    this.map.getCanvas().style.cursor = this.placing ? 'crosshair' : '';
    document.body.classList.toggle('placing', this.placing);
    if (this.panel.model === null || this.panel.model?.kind === 'whatif') this.panel.refresh();
  }

  begin() {
    this.controller?.abort();
    this.controller = new AbortController();
    return this.controller.signal;
  }

  /** selectStation draws station id's circle and describes it; fit moves
   *  the map when the circle is not all in view. */
  async selectStation(id, { fit = true } = {}) {
    const signal = this.begin();
    this.station = id;
    this.point = null;
    this.map.setFilter('cov-station-sel', ['==', ['id'], id]);
    this.selection.clear();
    this.onChange();
    this.panel.render({ kind: 'loading', circles: true });
    try {
      const fc = await api.circle(id, MINUTES, BANDS, signal);
      if (signal.aborted) return;
      const origin = this.draw(fc, false);
      this.panel.render({
        kind: 'circle', circles: true, id, station: origin?.station, access: origin?.access_m, bands: bandsOf(fc), summary: fc.summary,
        onClose: () => this.clearCircle(),
      });
      if (fit) this.fit(fc);
    } catch (err) {
      if (!signal.aborted) this.panel.render({ kind: 'error', circles: true, message: why(err), onClose: () => this.clearCircle() });
    }
  }

  /** whatIf draws the circle of a station standing at lngLat and what it
   *  would newly cover. */
  async whatIf(lngLat) {
    const signal = this.begin();
    const point = [Number(lngLat.lng.toFixed(7)), Number(lngLat.lat.toFixed(7))];
    this.station = null;
    this.point = point;
    this.map.setFilter('cov-station-sel', none);
    this.selection.clear();
    this.onChange();
    this.panel.render({ kind: 'loading', circles: true });
    try {
      const [fc, gain] = await Promise.all([
        api.whatIfCircle(point, MINUTES, BANDS, signal),
        api.whatIfGain(point, MINUTES, signal).catch(() => null),
      ]);
      if (signal.aborted) return;
      const origin = this.draw(fc, true);
      this.panel.render({
        kind: 'whatif', circles: true, point, access: origin?.access_m, bands: bandsOf(fc), summary: fc.summary,
        gain, grid: gain?.sites?.[0]?.grid, onClose: () => this.clearCircle(),
      });
      this.fit(fc);
    } catch (err) {
      if (!signal.aborted) this.panel.render({ kind: 'error', circles: true, message: why(err), onClose: () => this.clearCircle() });
    }
  }

  /** draw shows a circle's bands, the largest outlined boldest, and
   *  returns its origin's properties. */
  draw(fc, whatif) {
    const color = whatif ? BAND_COLORS.whatif : BAND_COLORS.station;
    const largest = Math.max(...bandsOf(fc).map((b) => b.meters));
    const features = fc.features.map((f) => ({
      ...f, properties: { ...f.properties, color, whatif, outer: f.properties.meters === largest },
    }));
    this.map.getSource('cov-circle').setData({ type: 'FeatureCollection', features });
    return features.find((f) => f.properties.role === 'origin')?.properties;
  }

  fit(fc) {
    const b = bboxOf({ coordinates: fc.features.filter((f) => f.properties.role === 'band').map((f) => f.geometry.coordinates) });
    const view = this.map.getBounds();
    if (b && !(view.contains([b[0], b[1]]) && view.contains([b[2], b[3]]))) this.fitBox(b);
  }

  /** clearCircle removes the drawn circle and the station selection;
   *  render shows the view's home in the panel. */
  clearCircle(render = true) {
    this.controller?.abort();
    const had = this.station !== null || this.point != null;
    this.station = null;
    this.point = null;
    if (this.map.getLayer('cov-station-sel')) this.map.setFilter('cov-station-sel', none);
    this.map.getSource('cov-circle')?.setData(empty);
    if (render) this.panel.render(null);
    if (had) this.onChange();
  }
}

/** why is the message of a failed call, in the page's language (api.js). */
function why(err) {
  return err.message;
}
