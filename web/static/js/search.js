// @ts-check
// search.js: the search box. Typing asks /v1/search (debounced), and
// /v1/geocode too when the text reads as an address or the search finds
// nothing decisive; a result is picked by click, or by Enter (the
// highlighted or first result).

import { addressResults, looksLikeAddress, mergeResults, shortAddress, wantsGeocode } from './address.js';
import * as api from './api.js';
import { coordinateResults, parsePair } from './coords.js';
import { h } from './dom.js';
import { percent } from './format.js';
import { t } from './i18n.js';

const DELAY_MS = 200;
const LIMIT = 8;

const CRS_KEY = 'gridmap.crs';

/** Search wires an input and a result list to onPick(result); bounds
 *  ([w, s, e, n], the city's) tell the order of typed coordinates. */
export class Search {
  constructor(input, list, onPick, bounds = null) {
    this.bounds = bounds;
    this.input = input;
    this.list = list;
    this.onPick = onPick;
    this.results = [];
    this.active = -1;
    this.timer = 0;
    this.controller = null;
    input.addEventListener('input', () => this.schedule());
    input.addEventListener('keydown', (e) => this.key(e));
    input.addEventListener('focus', () => this.results.length && this.show(true));
    document.addEventListener('pointerdown', (e) => {
      if (!input.parentElement.contains(e.target)) this.show(false);
    });
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), DELAY_MS);
  }

  /** run queries the API for the input's text and shows the results. */
  async run() {
    clearTimeout(this.timer);
    this.timer = 0;
    const q = this.input.value.trim();
    this.controller?.abort();
    if (!q) {
      this.render([]);
      return [];
    }
    if (parsePair(q)) {
      this.render(coordinateResults(q, this.bounds, preferredCRS()), t('searchNone'));
      return this.results;
    }
    this.controller = new AbortController();
    const signal = this.controller.signal;
    try {
      const results = await this.query(q, signal);
      if (signal.aborted) return [];
      this.render(results, t('searchNone'));
    } catch (err) {
      if (!signal.aborted) this.render([], t('searchFailed', err.message));
    }
    return this.results;
  }

  /** query returns the merged unit and address results for q. An address
   *  is geocoded alongside the unit search; other text only when the unit
   *  search has no decisive answer. One failing call is no failure. */
  async query(q, signal) {
    const address = looksLikeAddress(q);
    const geocoded = address ? api.geocode(q, signal).catch(() => null) : null;
    let units = [];
    try {
      units = (await api.search(q, LIMIT, signal))?.results || [];
    } catch (err) {
      if (!address || signal.aborted) throw err;
    }
    let addresses = [];
    if (geocoded || wantsGeocode(q, units)) {
      addresses = addressResults(await (geocoded || api.geocode(q, signal).catch(() => null)));
    }
    return mergeResults(q, units, addresses, LIMIT);
  }

  async key(e) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = this.results.length;
      if (n) this.highlight((this.active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      // Typed but not yet searched (or never searched): search first.
      const results = this.timer || !this.results.length ? await this.run() : this.results;
      const pick = results[this.active] || results[0];
      if (pick) this.pick(pick);
    } else if (e.key === 'Escape') {
      if (!this.list.hidden) e.preventDefault(); // the list closes, not the panel
      this.show(false);
    }
  }

  render(results, emptyText) {
    this.results = results;
    this.active = -1;
    const items = results.map((r, i) => h('li', {
      role: 'option', id: `search-${i}`, 'data-code': r.code, 'data-building': r.building,
      class: r.kind === 'address' ? `address${r.best ? ' best' : ''}` : r.kind,
      'data-crs': r.crs,
      onpointerdown: (e) => { e.preventDefault(); this.pick(r); },
      onpointerenter: () => this.highlight(i),
    }, ...(r.kind === 'address' ? addressItem(r) : r.kind === 'coords' ? coordsItem(r) : [
      h('span', { class: `badge badge-${r.kind}` }, t(`kind_${r.kind}`)),
      h('span', { class: 'name' }, r.name || r.code),
      h('code', { class: 'muted' }, r.code || '')])));
    if (!items.length && emptyText) items.push(h('li', { class: 'none' }, emptyText));
    this.list.replaceChildren(...items);
    this.show(items.length > 0);
  }

  highlight(i) {
    this.active = i;
    [...this.list.children].forEach((li, j) => li.classList.toggle('active', j === i));
    this.input.setAttribute('aria-activedescendant', i >= 0 ? `search-${i}` : '');
  }

  show(open) {
    this.list.hidden = !open;
    this.input.setAttribute('aria-expanded', String(open));
  }

  pick(result) {
    this.show(false);
    this.input.value = result.name || result.code;
    if (result.kind === 'coords') {
      try { localStorage.setItem(CRS_KEY, result.crs); } catch { /* private mode: not remembered */ }
    }
    this.onPick(result);
  }

  /** say shows a one-line message in the result list. */
  say(text) {
    this.render([], text);
  }
}

/** preferredCRS is the system last picked for typed coordinates. */
function preferredCRS() {
  try {
    return localStorage.getItem(CRS_KEY) || 'wgs84';
  } catch {
    return 'wgs84';
  }
}

/** coordsItem is the content of a typed coordinate's row: the point read
 *  as longitude, latitude in one system. */
function coordsItem(r) {
  return [
    h('span', { class: 'badge badge-coords' }, t('kind_coords')),
    h('span', { class: 'name' }, t('lonLat', r.point[0], r.point[1]),
      r.ambiguous ? h('small', {}, t('whichOrder')) : null),
    h('span', { class: 'crs' }, t(`crs_${r.crs}`)),
  ];
}

/** addressItem is the content of a geocoded building's row: the address
 *  without province and city, its grid, and the match confidence. */
function addressItem(r) {
  return [
    h('span', { class: 'badge badge-address' }, t(r.best ? 'bestMatch' : 'kind_address')),
    h('span', { class: 'name' },
      shortAddress(r.name),
      h('small', {}, `${r.grid.name || ''} `, h('code', {}, r.grid.code))),
    h('span', { class: 'confidence', title: r.reason || '' }, percent(r.confidence)),
  ];
}
