// @ts-check
// panel.js: the side panel that tells what the selection is: a grid with
// its community, subdistrict and district, or a unit, or a point in no grid.

import { h } from './dom.js';
import { number, percent } from './format.js';
import { t } from './i18n.js';

/** Panel renders a view model into the aside element; render(null) shows
 *  the home model (the hint, unless a view set home). It keeps the last
 *  model so a language switch can redraw it. A view may register renderers
 *  of its own kinds, a header drawn above every model and sections of a
 *  grid: gridDetail(code) -> node or null right below its facts (the
 *  grid's staff), gridExtra(code) below its building, and gridFooter(code)
 *  last (the grid's history). */
export class Panel {
  constructor(root, { onClose, onSelectCode }) {
    this.root = root;
    this.onClose = onClose;
    this.onSelectCode = onSelectCode;
    this.model = null;
    this.kinds = {};
    this.header = null;
    this.home = null;
    this.gridDetail = null;
    this.gridExtra = null;
    this.gridFooter = null;
    this.unitExtra = null;
  }

  /** register renders models of kind with fn(model) -> nodes. */
  register(kind, fn) {
    this.kinds[kind] = fn;
  }

  /** render shows model: {kind:'loading'|'grid'|'unit'|'nogrid'|'error'|a
   *  registered kind, ...}. A model with closable false has no close
   *  button; one with onClose closes itself. */
  render(model) {
    this.model = model;
    const shown = model || this.home?.() || null;
    const body = shown ? this.body(shown) : [h('p', { class: 'hint' }, t('panelHint'))];
    const close = shown && shown.closable !== false && h('button', {
      class: 'close', type: 'button', title: t('close'), 'aria-label': t('close'),
      onclick: () => (shown.onClose || this.onClose)(),
    }, '×');
    const head = this.header?.();
    this.root.replaceChildren(...[head, close, ...body].filter(Boolean));
    this.root.dataset.state = shown ? shown.kind : 'empty';
    this.root.classList.toggle('has-head', Boolean(head));
  }

  /** refresh redraws the last model, in the current language. */
  refresh() {
    this.render(this.model);
  }

  body(m) {
    if (this.kinds[m.kind]) return this.kinds[m.kind](m);
    switch (m.kind) {
      case 'loading': return [h('p', { class: 'hint' }, t('loading'))];
      case 'error': return [h('p', { class: 'error' }, m.message)];
      case 'nogrid': return this.noGrid(m);
      case 'unit': return this.unit(m);
      default: return this.grid(m);
    }
  }

  grid(m) {
    const rows = [
      [t('gridCode'), h('code', { 'data-field': 'grid-code' }, m.grid.code)],
      [t('community'), unitCell(m.community)],
      [t('subdistrict'), unitCell(m.subdistrict)],
      [t('district'), unitCell(m.district)],
      [t('households'), h('span', { 'data-field': 'households' }, number(m.households))],
      [t('buildings'), h('span', { 'data-field': 'buildings' }, number(m.buildings))],
    ];
    if (m.point) rows.push([t('point'), `${m.point[0].toFixed(5)}, ${m.point[1].toFixed(5)}`]);
    const out = [
      h('p', { class: 'kind' }, t('grid')),
      h('h2', { 'data-field': 'grid-name' }, m.grid.name || m.grid.code),
      table(rows),
    ];
    const detail = this.gridDetail?.(m.grid.code);
    if (detail) out.push(detail);
    if (m.building) out.push(this.building(m.building));
    const extra = this.gridExtra?.(m.grid.code);
    if (extra) out.push(extra);
    const footer = this.gridFooter?.(m.grid.code);
    if (footer) out.push(footer);
    return out;
  }

  building(b) {
    const rows = [[t('address'), h('span', { 'data-field': 'building-address' }, b.address || '—')]];
    if (Number.isFinite(b.households)) rows.push([t('households'), number(b.households)]);
    if (Number.isFinite(b.confidence)) rows.push([t('confidence'), percent(b.confidence)]);
    return h('section', { class: 'building' }, h('h3', {}, t('building')), table(rows));
  }

  unit(m) {
    const rows = [[t('unitCode'), h('code', { 'data-field': 'unit-code' }, m.code)]];
    for (const p of m.parents) rows.push([t(p.level), unitCell(p)]);
    for (const key of ['subdistricts', 'communities', 'grids', 'buildings', 'households']) {
      if (Number.isFinite(m.counts[key]) && (m.counts[key] > 0 || key === 'grids')) rows.push([t(`count_${key}`), number(m.counts[key])]);
    }
    const out = [h('p', { class: 'kind' }, t(`kind_${m.level}`)), h('h2', {}, m.name || m.code), table(rows)];
    const extra = this.unitExtra?.(m);
    if (extra) out.push(extra);
    if (m.children.length) {
      const items = m.children.map((c) => {
        const hh = c.households ?? c.counts?.households;
        return h('li', {}, h('button', {
          class: 'link', type: 'button', 'data-code': c.code, onclick: () => this.onSelectCode(c.code),
        }, c.name || c.code), ' ', h('span', { class: 'muted' }, Number.isFinite(hh) ? `${number(hh)} ${t('householdsUnit')}` : ''));
      });
      out.push(h('section', { class: 'children' }, h('h3', {}, t(`children_${m.level}`), ` (${m.children.length})`), h('ul', {}, items)));
    }
    return out;
  }

  noGrid(m) {
    const out = [h('p', { class: 'error' }, t('noGrid'))];
    if (m.detail) out.push(h('p', { class: 'detail' }, m.detail));
    if (m.nearest?.code) {
      const link = h('button', { class: 'link', type: 'button', onclick: () => this.onSelectCode(m.nearest.code) },
        `${m.nearest.name || ''} ${m.nearest.code}`.trim());
      out.push(h('p', {}, t('nearestGrid', ''), link));
    }
    return out;
  }
}

function unitCell(u) {
  if (!u || (!u.name && !u.code)) return '—';
  return h('span', {}, u.name || '', h('code', { class: 'muted' }, u.code || ''));
}

function table(rows) {
  return h('dl', { class: 'facts' }, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}
