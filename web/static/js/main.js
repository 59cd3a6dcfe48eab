// @ts-check
// main.js: starts the page: language and state from the URL, the map from
// gridmap's tiles.json and the vendored fonts, then the legend, search,
// panel, the 15-minute circles view, the planners' editing mode and the
// coordinate read-out.

import * as api from './api.js';
import { loadFontFaces } from './fonts.js';
import { lang, setLang, t, translatePage } from './i18n.js';
import { Circles } from './circles/circles.js';
import { editMode } from './edit/mode.js';
import { EDIT_OVERLAY } from './edit/style.js';
import { historySection } from './edit/history.js';
import { applyVisibility, buildCoverageLegend, buildLegend } from './legend.js';
import { Panel } from './panel.js';
import { staffSection } from './staff/staff.js';
import { onRightClick } from './rightclick.js';
import { Search } from './search.js';
import { buildingsSection } from './buildings.js';
import { h } from './dom.js';
import { coverageSection } from './unit-coverage.js';
import { LinkControl } from './linkcontrol.js';
import * as health from './health.js';
import { Selection } from './selection.js';
import { parseHash, writeHash } from './state.js';
import { buildStyle, tileSource } from './style.js';
import { installHead, maplibreLocale, refetchFailedTiles } from './head/head.js';

const $ = (id) => document.getElementById(id);

function notice(message) {
  const box = $('notice');
  box.textContent = message;
  box.hidden = false;
}

async function loadMapLibre() {
  try {
    return await import('maplibre-gl');
  } catch (err) {
    notice(t('vendorMissing'));
    throw new Error(`maplibre-gl: ${err.message}`, { cause: err });
  }
}

async function loadData() {
  try {
    const tilesURL = new URL('tiles.json', document.baseURI);
    const [tilejson, fontFaces] = await Promise.all([api.tileJSON(), loadFontFaces()]);
    return { source: tileSource(tilejson, tilesURL), tilejson, fontFaces };
  } catch (err) {
    notice(t('tilesFailed', err.message));
    throw err;
  }
}

/**
 * initialView is the view from the URL, or else the central district (the
 * TileJSON center) close enough to see its grids: a city's urban cores lie
 * far apart, so the whole extent shows little but blobs.
 */
function initialView(state, tilejson) {
  if (state.center) return { center: state.center, zoom: state.zoom };
  const c = tilejson.center;
  if (Array.isArray(c) && c.length >= 2) return { center: [c[0], c[1]], zoom: Math.max(c[2] ?? 0, HOME_ZOOM) };
  const b = tilejson.bounds;
  if (Array.isArray(b) && b.length === 4) return { bounds: b };
  return { center: [104.8304, 26.5925], zoom: HOME_ZOOM };
}

/** HOME_ZOOM shows a district's grids (grids draw from zoom 12). */
const HOME_ZOOM = 12.5;

function createMap(maplibregl, { source, tilejson, fontFaces }, state) {
  const map = new maplibregl.Map({
    container: 'map',
    style: buildStyle(source, fontFaces, [EDIT_OVERLAY]),
    ...initialView(state, tilejson),
    maxZoom: 19,
    hash: false,
    attributionControl: false,
    locale: maplibreLocale(),
    fitBoundsOptions: { padding: padding() },
  });
  return map;
}

function showCoordinates(map) {
  const coords = $('coords');
  const zoom = $('zoom');
  const update = () => { zoom.textContent = t('zoom', map.getZoom().toFixed(1)); };
  map.on('mousemove', (e) => { coords.textContent = t('coords', e.lngLat.lng.toFixed(5), e.lngLat.lat.toFixed(5)); });
  map.on('zoom', update);
  update();
  return update;
}

/** padding keeps a fitted bbox clear of the bar and the side panel. */
function padding() {
  const panel = $('panel').getBoundingClientRect();
  const wide = window.innerWidth > 720;
  return { top: 80, bottom: wide ? 40 : panel.height + 20, left: wide ? 40 : 20, right: wide ? panel.width + 40 : 20 };
}

function flyToBox(map, bbox) {
  if (!bbox || bbox.length < 4) return;
  map.fitBounds([[bbox[0], bbox[1]], [bbox[2], bbox[3]]], { padding: padding(), maxZoom: 17, duration: 800 });
}

/** pickResult flies to a search result and selects it: a building selects
 *  the grid at its point, anything else is selected by code. */
async function pickResult(map, selection, r) {
  if (r.kind === 'coords') {
    map.flyTo({ center: r.wgs, zoom: Math.max(map.getZoom(), 16), duration: 800 });
    selection.atPoint({ lng: r.wgs[0], lat: r.wgs[1] }, null, { mark: true });
    return;
  }
  if (r.kind === 'address') {
    map.flyTo({ center: r.point, zoom: Math.max(map.getZoom(), 17), duration: 800 });
    selection.atBuilding(r);
    return;
  }
  if (r.kind === 'building' && r.point) {
    map.flyTo({ center: r.point, zoom: Math.max(map.getZoom(), 17), duration: 800 });
    selection.atPoint({ lng: r.point[0], lat: r.point[1] }, { address: r.name });
    return;
  }
  if (r.bbox) flyToBox(map, r.bbox);
  const bbox = await selection.byCode(r.code);
  if (!r.bbox) flyToBox(map, bbox);
}

/** restorePick selects what a link names: a geocoded building, a marked
 *  point or a code; fit flies there (when the link had no map position). */
async function restorePick(map, selection, next, fit) {
  if (next.bld) {
    const b = await api.building(next.bld).catch(() => null);
    if (b?.properties?.grid) {
      const p = b.properties;
      const point = b.geometry.coordinates;
      if (fit) map.jumpTo({ center: point, zoom: Math.max(map.getZoom(), 17) });
      await selection.atBuilding({ building: p.id, name: p.address, point, grid: { code: p.grid } });
      return;
    }
  }
  if (next.at) {
    if (fit) map.jumpTo({ center: next.at, zoom: Math.max(map.getZoom(), 16) });
    await selection.atPoint({ lng: next.at[0], lat: next.at[1] }, null, { mark: true });
    return;
  }
  if (next.sel) {
    const bbox = await selection.byCode(next.sel);
    if (fit) flyToBox(map, bbox);
  }
}

/** samePick reports whether the selection already shows what next names. */
function samePick(selection, next) {
  if (next.bld || selection.building) return next.bld === selection.building;
  if (next.at || selection.at) return String(next.at) === String(selection.at);
  return next.sel === selection.code;
}

/** locate asks the browser where the user is (WGS-84) and picks it. */
function locate(search, pick) {
  if (!navigator.geolocation) {
    search.say(t('locateUnsupported'));
    return;
  }
  search.say(t('locating'));
  navigator.geolocation.getCurrentPosition((pos) => {
    search.show(false);
    const p = [pos.coords.longitude, pos.coords.latitude];
    pick({ kind: 'coords', crs: 'wgs84', point: p, wgs: p });
  }, (err) => search.say(t('locateFailed', err.message)), { enableHighAccuracy: true, timeout: 15000 });
}

/** narrowLegend folds the layer switches into their summary on a phone,
 *  where they would cover the map: a drawer that a tap opens. */
function narrowLegend() {
  const legend = /** @type {HTMLDetailsElement | null} */ (document.querySelector('details.legend'));
  if (legend && window.matchMedia('(max-width: 720px)').matches) legend.open = false;
}

/** watchHealth shows the outage banner while gridmap is unreachable and,
 *  when it is back, asks again for the tiles that failed. */
function watchHealth(map) {
  const banner = $('offline');
  map.on('error', (e) => {
    if (e.sourceId || e.tile) health.failed();
    else console.warn('gridmap map:', e.error?.message || e); // eslint-disable-line no-console
  });
  health.onChange((down) => {
    banner.hidden = !down;
    if (down) return;
    refetchFailedTiles(map);
  });
}

/** followHash applies a link pasted or edited in the same tab, or the
 *  history entry Back or Forward went to. */
async function followHash(map, state, selection, circles) {
  const next = parseHash(location.hash);
  if (next.center) map.jumpTo({ center: next.center, zoom: next.zoom });
  if (next.lang !== state.lang) $('lang').click();
  state.hidden = next.hidden;
  const boxes = /** @type {NodeListOf<HTMLInputElement>} */ (document.querySelectorAll('#legend-rows input'));
  for (const box of boxes) box.checked = !next.hidden.has(box.dataset.group);
  applyVisibility(map, state.hidden);
  circles.sync(state.hidden);
  if (!samePick(selection, next)) {
    if (next.sel || next.bld || next.at) await restorePick(map, selection, next, !next.center);
    else selection.clear();
  }
  await circles.setOn(next.view === 'circles');
  if (next.station && next.station !== circles.station) await circles.selectStation(next.station, { fit: !next.center });
  else if (next.whatif && String(next.whatif) !== String(circles.point)) await circles.whatIf({ lng: next.whatif[0], lat: next.whatif[1] });
  else if (!next.station && !next.whatif && (circles.station || circles.point)) circles.clearCircle();
}

/** circlesView creates the 15-minute circles view, its toolbar switch and
 *  legend, keeping state.view and state.station in step. */
function circlesView(map, state, panel, selection, save, beforeOn) {
  const toggle = $('circles-toggle');
  const legend = $('coverage-legend');
  buildCoverageLegend(legend);
  const circles = new Circles(map, panel, selection, {
    onChange: () => {
      state.view = circles.on ? 'circles' : null;
      state.station = circles.station;
      toggle.setAttribute('aria-pressed', String(circles.on));
      legend.hidden = !circles.on;
      document.body.dataset.view = state.view || '';
      save();
    },
    onSelectCode: (code) => selection.byCode(code).then((bbox) => flyToBox(map, bbox)),
    fitBox: (bbox) => flyToBox(map, bbox),
  });
  toggle.addEventListener('click', async () => {
    if (!circles.on) await beforeOn();
    circles.setOn(!circles.on);
  });
  onRightClick(map, () => circles.on, (lngLat) => circles.rightClick(lngLat));
  return circles;
}

/** wire connects the map, panel, legend, search and language switch, and
 *  keeps state (and so the URL) in step with them. */
function wire(maplibregl, map, state, tilejson) {
  // Writes wait for the end of the current task, so that one user action
  // changing several things (a station picked clears the selection) is
  // one history step.
  // While a history entry is being followed, writes stay in that entry.
  let pending = false;
  let following = 0;
  const save = () => {
    if (pending) return;
    pending = true;
    queueMicrotask(() => {
      pending = false;
      const c = map.getCenter();
      state.center = [c.lng, c.lat];
      state.zoom = map.getZoom();
      state.bld = selection.building;
      state.at = selection.at;
      state.whatif = circles.point;
      writeHash(state, following === 0);
    });
  };
  const panel = new Panel($('panel'), {
    onClose: () => selection.clear(),
    onSelectCode: (code) => selection.byCode(code).then((bbox) => flyToBox(map, bbox)),
  });
  panel.gridDetail = staffSection;
  let head = null;
  const selection = new Selection(map, panel, (code) => {
    state.sel = code;
    head?.selected(code);
    if (code) circles.clearCircle(false);
    save();
  });
  const circles = circlesView(map, state, panel, selection, save, () => editor.setOn(false));
  const editor = editMode(map, panel, selection, circles, (code) => { state.sel = code; save(); });
  panel.gridFooter = (code) => h('div', {}, buildingsSection(code), historySection(code));
  panel.unitExtra = (m) => coverageSection(m, (code) => selection.byCode(code).then((bbox) => flyToBox(map, bbox)));
  panel.render(null);
  const updateZoom = showCoordinates(map);
  buildLegend($('legend-rows'), state.hidden, (group, visible) => {
    if (visible) state.hidden.delete(group); else state.hidden.add(group);
    applyVisibility(map, state.hidden);
    circles.sync(state.hidden);
    save();
  });
  translatePage();
  // In the editing mode a result is edited there, keeping the tools.
  const pick = (r) => (editor.on ? editor.pickResult(r, (box) => flyToBox(map, box)) : pickResult(map, selection, r));
  const search = new Search($('search'), $('search-results'), pick, tilejson.bounds);
  $('locate').addEventListener('click', () => locate(search, pick));
  $('lang').addEventListener('click', () => {
    state.lang = setLang(lang() === 'zh' ? 'en' : 'zh');
    translatePage();
    panel.refresh();
    updateZoom();
    head.relocalize();
    save();
  });
  map.on('click', (e) => {
    if (head.click(e) || editor.click(e) || circles.click(e)) return;
    const box = [[e.point.x - 4, e.point.y - 4], [e.point.x + 4, e.point.y + 4]];
    const hit = map.queryRenderedFeatures(box, { layers: ['building'] })[0];
    selection.atPoint(e.lngLat, hit?.properties);
  });
  map.on('moveend', save);
  watchHealth(map);
  // Escape closes the panel (not while drawing or placing: they use it)
  // and gives the keyboard back to the search box.
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || e.defaultPrevented || editor.on || circles.placing) return;
    if (/** @type {HTMLElement | null} */ (e.target)?.id === 'search') return;
    const close = /** @type {HTMLButtonElement | null} */ (document.querySelector('#panel > button.close'));
    if (close) {
      close.click();
      $('search').focus();
    }
  });
  narrowLegend();
  map.addControl(new LinkControl(map, tilejson, (box) => flyToBox(map, box)), 'top-right');
  head = installHead(maplibregl, map, {
    selectCode: (code) => selection.byCode(code).then((bbox) => flyToBox(map, bbox)),
    selectedCode: () => selection.code,
    circles,
  });
  const follow = async () => {
    following++;
    try {
      await followHash(map, state, selection, circles);
    } finally {
      following--;
    }
  };
  window.addEventListener('hashchange', follow);
  window.addEventListener('popstate', follow);
  return { selection, circles, editor, save, head };
}

async function start() {
  const state = parseHash(location.hash);
  setLang(state.lang);
  translatePage();
  const maplibregl = await loadMapLibre();
  const data = await loadData();
  const map = createMap(maplibregl, data, state);
  // What the link asked for, before the map's first moves write the
  // state: a link without a map position flies to what it picks.
  const asked = { ...state };
  const fit = !asked.center;
  const { selection, circles, editor, save, head } = wire(maplibregl, map, state, data.tilejson);
  map.once('load', async () => {
    applyVisibility(map, state.hidden);
    circles.sync(state.hidden);
    await restorePick(map, selection, asked, fit);
    if (asked.view === 'circles') {
      await circles.setOn(true);
      if (asked.station) await circles.selectStation(asked.station, { fit });
      else if (asked.whatif) await circles.whatIf({ lng: asked.whatif[0], lat: asked.whatif[1] });
    }
    save();
    document.body.dataset.ready = 'true';
  });
  /** @type {any} */ (window).gridmap = { map, state, selection, circles, editor, maplibregl, head };
}

start().catch((err) => {
  console.warn('gridmap: the map could not start:', err); // eslint-disable-line no-console
  if ($('notice').hidden) notice(t('mapFailed', err.message));
});
