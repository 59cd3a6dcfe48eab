// @ts-check
// unit-coverage.js: a unit's 15-minute coverage in its panel: its own
// share of households within a 15-minute walk of a service station, and
// its children (subdistricts, communities or grids) worst first, each a
// button that selects it (GET /v1/coverage?level=...).

import * as api from './api.js';
import { h } from './dom.js';
import { number, percent } from './format.js';
import { t } from './i18n.js';

const MINUTES = 15;
const CHILD = { city: 'district', district: 'subdistrict', subdistrict: 'community', community: 'grid' };
const PREFIX = { district: 6, subdistrict: 9, community: 12 };
const cache = new Map();

/** levelCoverage returns /v1/coverage of a level, asked once per page. */
function levelCoverage(level) {
  if (!cache.has(level)) {
    const p = api.coverage(level, MINUTES);
    p.catch(() => cache.delete(level));
    cache.set(level, p);
  }
  return cache.get(level);
}

/** childrenOf returns the units of a child level under code, worst first. */
export function childrenOf(units, level, code) {
  const n = PREFIX[level];
  return units.filter((u) => (u.level === 'grid' ? u.community === code : u.code.startsWith(code.slice(0, n)) && u.code !== code))
    .sort((a, b) => a.share - b.share || b.households_uncovered - a.households_uncovered);
}

/** coverageSection returns the panel section of unit model m (level,
 *  code), filled in when the coverage arrives; onSelectCode(code) picks a
 *  child. */
export function coverageSection(m, onSelectCode) {
  const root = h('section', { class: 'unit-coverage', 'data-field': 'unit-coverage' }, h('p', { class: 'hint' }, t('coverageLoading')));
  const child = CHILD[m.level];
  Promise.all([levelCoverage(m.level), child ? levelCoverage(child) : null]).then(([own, kids]) => {
    const self = own.units.find((u) => u.code === m.code);
    const rows = kids ? childrenOf(kids.units, m.level, m.code) : [];
    root.replaceChildren(...[
      h('h3', {}, t('unitCoverage', MINUTES)),
      self ? h('p', { class: 'cov-own' }, h('strong', { 'data-field': 'unit-share' }, percent(self.share)), ' ',
        h('span', { class: 'muted' }, t('coveredOf', number(self.households_covered), number(self.households)))) : null,
      rows.length ? childTable(rows, child, onSelectCode) : null].filter(Boolean));
  }).catch((err) => root.replaceChildren(h('p', { class: 'error' }, t('coverageFailed', err.message))));
  return root;
}

function childTable(rows, level, onSelectCode) {
  return h('table', { class: 'bands worst-first', 'data-field': 'children-coverage' },
    h('caption', {}, t(`worstChildren_${level}`)),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t(`kind_${level}`)), h('th', { scope: 'col' }, t('coverageShare')), h('th', { scope: 'col' }, t('uncovered')))),
    h('tbody', {}, rows.map((u) => h('tr', {},
      h('td', {}, h('button', { class: 'link', type: 'button', 'data-code': u.code, onclick: () => onSelectCode(u.code) }, u.name || u.code)),
      h('td', {}, percent(u.share)),
      h('td', {}, number(u.households_uncovered))))));
}
