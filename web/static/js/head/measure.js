// @ts-check
// head/measure.js: distance and area measuring on the map. A control under
// the zoom buttons switches a mode on; clicks (or Enter, at the map
// centre, for the keyboard) add points; a double click or Enter on the
// same spot finishes; Escape cancels. Lengths and areas are geodesic on
// the sphere of the server's Earth radius.

import { h } from '../dom.js';
import { number } from '../format.js';
import { t } from './i18n.js';

/** EARTH_RADIUS_M is the mean Earth radius (IUGG), the value of
 *  geo/planar.EarthRadiusMeters on the server. */
export const EARTH_RADIUS_M = 6371008.8;

const rad = (d) => d * Math.PI / 180;

/** distanceM returns the great-circle length in meters of a line of
 *  [lon, lat] points (haversine). */
export function distanceM(points) {
  let sum = 0;
  for (let i = 1; i < points.length; i++) {
    const [l1, p1] = points[i - 1].map(rad);
    const [l2, p2] = points[i].map(rad);
    const a = Math.sin((p2 - p1) / 2) ** 2 + Math.cos(p1) * Math.cos(p2) * Math.sin((l2 - l1) / 2) ** 2;
    sum += 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
  }
  return sum;
}

/** areaM2 returns the area in square meters of a ring of [lon, lat]
 *  points on the sphere (open or closed), whatever its orientation. */
export function areaM2(ring) {
  const n = ring.length;
  if (n < 3) return 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const [l1, p1] = ring[i].map(rad);
    const [l2, p2] = ring[(i + 1) % n].map(rad);
    s += (l2 - l1) * (2 + Math.sin(p1) + Math.sin(p2));
  }
  return Math.abs(s) * EARTH_RADIUS_M * EARTH_RADIUS_M / 2;
}

/** formatLength and formatArea give a measure with its unit. */
export const formatLength = (m) => (m < 1000 ? `${number(Math.round(m))} m` : `${(m / 1000).toFixed(2)} km`);
export const formatArea = (m2) => (m2 < 1e6 ? `${number(Math.round(m2))} m²` : `${(m2 / 1e6).toFixed(3)} km²`);

const SOURCE = 'measure';

/** Measure is the MapLibre control and the measuring state. */
export class Measure {
  constructor(map) {
    this.map = map;
    this.mode = null; // 'distance' | 'area' | null
    this.points = [];
    this.done = false;
  }

  get on() {
    return this.mode !== null && !this.done;
  }

  onAdd() {
    const button = (mode, key) => h('button', {
      type: 'button', class: `ctrl-measure-${mode}`, 'data-i18n-title': key, 'data-i18n-aria-label': key,
      title: t(key), 'aria-label': t(key), 'aria-pressed': 'false', onclick: () => this.start(mode),
    }, h('span', { class: 'maplibregl-ctrl-icon', 'aria-hidden': 'true' }));
    this.buttons = { distance: button('distance', 'measureDistance'), area: button('area', 'measureArea') };
    this.readout = h('div', { class: 'measure-readout', role: 'status', 'aria-live': 'polite', hidden: true });
    document.body.append(this.readout);
    this.root = h('div', { class: 'maplibregl-ctrl maplibregl-ctrl-group measure-ctrl' }, this.buttons.distance, this.buttons.area);
    this.keys = (e) => this.key(e);
    document.addEventListener('keydown', this.keys, true);
    this.map.on('dblclick', (e) => {
      if (this.on) {
        e.preventDefault();
        this.finish();
      }
    });
    return this.root;
  }

  onRemove() {
    document.removeEventListener('keydown', this.keys, true);
    this.root.remove();
    this.readout.remove();
  }

  /** start switches a mode on (or off, when it is the one on). */
  start(mode) {
    const same = this.mode === mode && !this.done;
    this.cancel();
    if (same) return;
    this.mode = mode;
    this.buttons[mode].setAttribute('aria-pressed', 'true');
    this.map.getCanvas().style.cursor = 'crosshair';
    this.say(t('measureHint'));
  }

  /** cancel ends measuring and clears what was drawn. */
  cancel() {
    this.mode = null;
    this.points = [];
    this.done = false;
    for (const b of Object.values(this.buttons)) b.setAttribute('aria-pressed', 'false');
    this.map.getCanvas().style.cursor = '';
    this.readout.hidden = true;
    this.draw();
  }

  /** click takes a map click while measuring; it reports whether it did. */
  click(e) {
    if (!this.on) return false;
    this.add([e.lngLat.lng, e.lngLat.lat]);
    return true;
  }

  add(p) {
    const last = this.points[this.points.length - 1];
    if (last && last[0] === p[0] && last[1] === p[1]) return;
    this.points.push(p);
    this.draw();
    this.report();
  }

  finish() {
    this.done = true;
    this.map.getCanvas().style.cursor = '';
    for (const b of Object.values(this.buttons)) b.setAttribute('aria-pressed', 'false');
    this.report();
  }

  /** key: Escape cancels, Enter adds the map centre (or finishes when it
   *  was the last point), while measuring. */
  key(e) {
    if (!this.mode) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.cancel();
      return;
    }
    if (e.key === 'Enter' && this.on && (e.target === document.body || e.target === this.map.getCanvas() || this.root.contains(e.target))) {
      e.preventDefault();
      const c = this.map.getCenter();
      const before = this.points.length;
      this.add([c.lng, c.lat]);
      if (this.points.length === before) this.finish();
    }
  }

  report() {
    const text = this.mode === 'area' ? t('areaResult', formatArea(areaM2(this.points))) : t('distanceResult', formatLength(distanceM(this.points)));
    this.say(this.done || this.points.length > 1 ? text : t('measureHint'));
    this.readout.dataset.meters = String(this.mode === 'area' ? areaM2(this.points) : distanceM(this.points));
  }

  say(text) {
    this.readout.textContent = text;
    this.readout.hidden = false;
  }

  /** draw shows the points and the line or polygon on the map. */
  draw() {
    const pts = this.points;
    const features = pts.map((p) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: p } }));
    if (pts.length > 1) {
      const line = this.mode === 'area' ? [...pts, pts[0]] : pts;
      features.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: line } });
      if (this.mode === 'area' && pts.length > 2) features.push({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[...pts, pts[0]]] } });
    }
    const data = { type: 'FeatureCollection', features };
    const src = this.map.getSource(SOURCE);
    if (src) {
      src.setData(data);
      return;
    }
    if (!features.length) return;
    this.map.addSource(SOURCE, { type: 'geojson', data });
    this.map.addLayer({ id: 'measure-fill', type: 'fill', source: SOURCE, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': '#d6007e', 'fill-opacity': 0.12 } });
    this.map.addLayer({ id: 'measure-line', type: 'line', source: SOURCE, filter: ['==', ['geometry-type'], 'LineString'], paint: { 'line-color': '#d6007e', 'line-width': 2.5, 'line-dasharray': [2, 1] } });
    this.map.addLayer({ id: 'measure-point', type: 'circle', source: SOURCE, filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 4, 'circle-color': '#fff', 'circle-stroke-color': '#d6007e', 'circle-stroke-width': 2 } });
  }
}
