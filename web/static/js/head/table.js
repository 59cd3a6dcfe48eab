// @ts-check
// head/table.js: every grid in a table (GET /v1/export/grids?format=json):
// sorted by any column, filtered by text, households, coverage and the
// households-range flag, shown a page at a time so 2,000+ rows stay fast.
// A row selects its grid on the map; a grid selected on the map is shown
// and marked in the table. A staff column appears when gridmap's rows
// carry one. Exports (export.js) take the filtered rows, the selection or
// the coverage gaps.

import { h } from '../dom.js';
import { exportGaps, exportGrids, FORMATS } from './export.js';
import { number, percent } from '../format.js';
import { t, translatePage } from './i18n.js';
import { problemText } from '../problems.js';

/** PAGE_ROWS is how many rows one page of the table shows. */
export const PAGE_ROWS = 50;

const NUMERIC = new Set(['households', 'buildings', 'coverage']);
const SHOWN = ['code', 'name', 'subdist', 'community', 'households', 'buildings', 'coverage', 'range', 'staff'];

/** filterRows returns the rows (objects by column) that pass filter f:
 *  text in code, name or units, households within min-max, coverage
 *  below a share, outside the households range. */
export function filterRows(rows, f) {
  const text = (f.text || '').trim().toLowerCase();
  return rows.filter((r) => (!text || [r.code, r.name, r.district, r.subdist, r.community, r.staff].some((v) => v && String(v).toLowerCase().includes(text))) &&
    (!Number.isFinite(f.min) || r.households >= f.min) &&
    (!Number.isFinite(f.max) || r.households <= f.max) &&
    (!Number.isFinite(f.below) || (r.coverage != null && r.coverage < f.below)) &&
    (!f.outOfRange || Boolean(r.range)));
}

/** sortRows sorts rows in place by column key, ascending unless desc;
 *  nulls last, ties by code. */
export function sortRows(rows, key, desc) {
  const dir = desc ? -1 : 1;
  return rows.sort((a, b) => {
    const x = a[key];
    const y = b[key];
    if (x == null || y == null) return Number(x == null) - Number(y == null) || a.code.localeCompare(b.code);
    const c = NUMERIC.has(key) ? x - y : String(x).localeCompare(String(y), 'zh-CN');
    return c * dir || a.code.localeCompare(b.code);
  });
}

/** GridTable is the drawer holding the table; onSelect(code) selects a
 *  grid; selected() returns the selected code (grid or unit) or null. */
export class GridTable {
  constructor(root, { onSelect, selected }) {
    this.root = root;
    this.onSelect = onSelect;
    this.selected = selected;
    this.rows = null;
    this.columns = [];
    this.range = [300, 500];
    this.view = [];
    this.page = 0;
    this.sort = { key: 'coverage', desc: false };
    this.filter = { text: '', min: NaN, max: NaN, below: NaN, outOfRange: false };
    this.marked = null;
    this.status = h('p', { class: 'table-status', role: 'status' });
  }

  /** open shows the drawer, loading the rows the first time. */
  async open() {
    this.root.hidden = false;
    if (this.rows) return this.draw();
    this.root.replaceChildren(h('p', { class: 'hint' }, t('tableLoading')));
    try {
      const res = await fetch(new URL('v1/export/grids?format=json', document.baseURI));
      const body = await res.json();
      if (!res.ok) throw new Error(problemText(body, res.status));
      this.columns = body.columns;
      this.range = body.households_range;
      this.rows = body.rows.map((r) => Object.fromEntries(body.columns.map((c, i) => [c, r[i]])));
      this.build();
      this.apply();
    } catch (err) {
      this.root.replaceChildren(h('p', { class: 'error' }, t('tableFailed', err.message)));
    }
  }

  close() {
    this.root.hidden = true;
  }

  get isOpen() {
    return !this.root.hidden;
  }

  /** build creates the drawer's controls once; draw fills the rows. */
  build() {
    const num = (key, field) => h('label', {}, h('span', { 'data-i18n': key }, t(key)),
      h('input', { type: 'number', min: 0, step: 1, class: 'num', 'data-filter': field, oninput: (e) => this.setFilter(field, e.target.valueAsNumber) }));
    const format = h('select', { 'data-field': 'export-format', 'data-i18n-aria-label': 'exportFormat', 'aria-label': t('exportFormat') },
      FORMATS.map((f) => h('option', { value: f, 'data-i18n': `fmt_${f}` }, t(`fmt_${f}`))));
    this.format = format;
    const outLabel = h('span', {}, t('outOfRangeOnly', ...this.range));
    const button = (key, action) => h('button', { type: 'button', class: 'tbtn', 'data-action': action, 'data-i18n': key, onclick: () => this.exportAs(action) }, t(key));
    this.head = h('thead', {});
    this.body = h('tbody', {});
    this.pager = h('div', { class: 'pager' });
    this.root.replaceChildren(
      h('div', { class: 'table-tools' },
        h('input', { type: 'search', class: 'table-filter', 'data-filter': 'text', 'data-i18n-placeholder': 'tableFilter', placeholder: t('tableFilter'),
          'data-i18n-aria-label': 'tableFilterLabel', 'aria-label': t('tableFilterLabel'), oninput: (e) => this.setFilter('text', e.target.value) }),
        num('hhMin', 'min'), num('hhMax', 'max'), num('covBelow', 'below'),
        h('label', {}, h('input', { type: 'checkbox', 'data-filter': 'outOfRange', onchange: (e) => this.setFilter('outOfRange', e.target.checked) }), outLabel),
        h('span', { class: 'spacer' }),
        format, button('exportTable', 'table'), button('exportSelection', 'selection'), button('exportGaps', 'gaps'),
        h('button', { type: 'button', class: 'close', 'data-i18n-aria-label': 'close', 'aria-label': t('close'), onclick: () => this.close() }, '×')),
      h('div', { class: 'table-scroll' }, h('table', { class: 'grid-table', 'data-field': 'grid-table' }, this.head, this.body)),
      h('div', { class: 'table-foot' }, this.pager, this.status));
    this.outLabel = outLabel;
  }

  setFilter(field, value) {
    this.filter[field] = field === 'below' ? value / 100 : value;
    this.page = 0;
    this.apply();
  }

  /** apply filters and sorts the rows, then draws the current page. */
  apply() {
    this.view = sortRows(filterRows(this.rows, this.filter), this.sort.key, this.sort.desc);
    this.draw();
  }

  shownColumns() {
    return SHOWN.filter((c) => this.columns.includes(c));
  }

  draw() {
    if (!this.rows) return;
    translatePage(this.root);
    this.outLabel.textContent = t('outOfRangeOnly', ...this.range);
    this.head.replaceChildren(h('tr', {}, this.shownColumns().map((c) => {
      const sorted = this.sort.key === c;
      return h('th', { scope: 'col', 'aria-sort': sorted ? (this.sort.desc ? 'descending' : 'ascending') : 'none' },
        h('button', { type: 'button', class: 'sort', 'data-sort': c, onclick: () => this.sortBy(c) }, t(`col_${c}`), sorted ? (this.sort.desc ? ' ▼' : ' ▲') : ''));
    })));
    const from = this.page * PAGE_ROWS;
    const rows = this.view.slice(from, from + PAGE_ROWS);
    this.body.replaceChildren(...rows.map((r) => this.row(r)));
    if (!rows.length) this.body.append(h('tr', {}, h('td', { colspan: this.shownColumns().length, class: 'muted' }, t('tableEmpty'))));
    const last = Math.max(0, Math.ceil(this.view.length / PAGE_ROWS) - 1);
    this.pager.replaceChildren(
      h('button', { type: 'button', class: 'tbtn', 'data-page': 'prev', disabled: this.page === 0, onclick: () => this.goPage(this.page - 1) }, '‹ ', t('prevPage')),
      h('span', { 'data-field': 'page-of' }, t('pageOf', this.view.length ? from + 1 : 0, from + rows.length, this.view.length)),
      h('button', { type: 'button', class: 'tbtn', 'data-page': 'next', disabled: this.page >= last, onclick: () => this.goPage(this.page + 1) }, t('nextPage'), ' ›'));
  }

  row(r) {
    const cell = (c) => {
      switch (c) {
        case 'code': return h('td', {}, h('code', {}, r.code));
        case 'households': case 'buildings': return h('td', { class: 'n' }, number(r[c]));
        case 'coverage': return h('td', { class: 'n' }, r.coverage == null ? '—' : percent(r.coverage));
        case 'range': return h('td', { class: r.range ? `flag flag-${r.range}` : '' }, r.range ? t(`range_${r.range}`) : '');
        default: return h('td', {}, r[c] ?? '');
      }
    };
    return h('tr', {
      'data-code': r.code, tabindex: 0, class: r.code === this.marked ? 'selected' : '', 'aria-selected': String(r.code === this.marked),
      onclick: () => this.pick(r.code),
      onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); this.pick(r.code); } },
    }, this.shownColumns().map(cell));
  }

  sortBy(key) {
    this.sort = { key, desc: this.sort.key === key ? !this.sort.desc : false };
    this.apply();
  }

  goPage(n) {
    this.page = Math.max(0, Math.min(n, Math.ceil(this.view.length / PAGE_ROWS) - 1));
    this.draw();
  }

  pick(code) {
    this.mark(code);
    this.onSelect(code);
  }

  /** mark shows code as the selected row, turning to its page (a code
   *  that is not a grid in view only clears the mark). */
  mark(code) {
    this.marked = code;
    if (!this.rows || !this.isOpen) return;
    const i = this.view.findIndex((r) => r.code === code);
    if (i >= 0) this.page = Math.floor(i / PAGE_ROWS);
    this.draw();
    this.body.querySelector('tr.selected')?.scrollIntoView({ block: 'nearest' });
  }

  /** exportAs downloads the filtered table, the selection or the gaps. */
  async exportAs(what) {
    const format = this.format.value;
    this.status.textContent = t('exporting');
    try {
      let name;
      if (what === 'gaps') name = await exportGaps(format, unitOf(this.selected()));
      else if (what === 'table') name = await exportGrids(format, { codes: this.view.length === this.rows.length ? null : this.view.map((r) => r.code) });
      else {
        const code = this.selected();
        if (!code) throw new Error(t('exportNoSelection'));
        name = await exportGrids(format, code.length === 15 ? { codes: [code] } : { unit: code });
      }
      this.status.textContent = t('exported', name);
    } catch (err) {
      this.status.textContent = t('exportFailed', err.message);
    }
  }
}

/** unitOf returns a unit code (12 digits), or null for a grid or none. */
const unitOf = (code) => (code && code.length === 12 ? code : null);
