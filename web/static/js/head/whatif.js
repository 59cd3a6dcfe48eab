// @ts-check
// head/whatif.js: what-if stations side by side, and suggested sites, in the
// 15-minute circles view. Each kept what-if shows what it newly covers
// for the city and for its own community and subdistrict; the suggestion
// (POST /v1/coverage/suggest) picks new sites within the selected unit
// (or the city) and reports the unit's coverage before and after.

import { h } from '../dom.js';
import { number, percent } from '../format.js';
import { t } from './i18n.js';
import { problemText } from '../problems.js';

const MINUTES = 15;
const MAX_KEPT = 6;
const SUGGEST_K = 3;

/** suggest posts a suggestion request and returns the answer. */
async function suggest(body) {
  const res = await fetch(new URL('v1/coverage/suggest', document.baseURI), {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ minutes: MINUTES, ...body }),
  });
  const out = await res.json().catch(() => null);
  if (!res.ok) throw new Error(problemText(out, res.status));
  return out;
}

/** unitsOf returns the community and subdistrict codes of a grid code. */
export const unitsOf = (grid) => [grid.slice(0, 12), `${grid.slice(0, 9)}000`];

const shareChange = (u) => `${percent(u.before.share)} → ${percent(u.after.share)}`;

/** WhatIfCompare is the comparison box; circles is the circles view
 *  (its point is the current what-if), selectedUnit() the selected unit
 *  code or null, place(lngLat) puts the what-if somewhere. */
export class WhatIfCompare {
  constructor(circles, { selectedUnit, place }) {
    this.circles = circles;
    this.selectedUnit = selectedUnit;
    this.place = place;
    this.kept = [];
    this.suggestion = null;
    this.root = h('section', { id: 'whatif-compare', class: 'whatif-compare', 'data-i18n-aria-label': 'whatifCompare', 'aria-label': t('whatifCompare') });
    document.body.append(this.root);
    this.draw();
  }

  /** keep adds the current what-if to the comparison. */
  async keep() {
    const point = this.circles.point;
    if (!point) return;
    this.status(t('suggestLoading'));
    try {
      const first = await suggest({ k: 1, candidates: [point] });
      const grid = first.sites?.[0]?.grid;
      const withUnits = grid ? await suggest({ k: 1, candidates: [point], report: unitsOf(grid.code) }) : first;
      this.kept = [...this.kept.filter((w) => String(w.point) !== String(point)), { point, grid, answer: withUnits }].slice(-MAX_KEPT);
      this.message = '';
    } catch (err) {
      this.message = t('suggestFailed', err.message);
    }
    this.draw();
  }

  /** suggestSites asks for new sites within the selected unit (or the
   *  city), reporting the unit's coverage before and after. */
  async suggestSites() {
    const unit = this.selectedUnit();
    this.status(t('suggestLoading'));
    try {
      this.suggestion = await suggest(unit ? { k: SUGGEST_K, units: [unit] } : { k: SUGGEST_K });
      this.message = '';
    } catch (err) {
      this.message = t('suggestFailed', err.message);
    }
    this.draw();
  }

  status(text) {
    this.message = text;
    this.draw();
  }

  draw() {
    const button = (key, action, onclick, disabled = false) => h('button', { type: 'button', class: 'tbtn', 'data-action': action, disabled, onclick }, t(key));
    const out = [
      h('h3', {}, t('whatifCompare')),
      h('div', { class: 'actions' },
        button('whatifKeep', 'keep', () => this.keep(), !this.circles.point),
        button('suggestButton', 'suggest', () => this.suggestSites())),
    ];
    if (this.message) out.push(h('p', { class: 'muted', role: 'status' }, this.message));
    if (this.kept.length) out.push(this.keptTable());
    if (this.suggestion) out.push(this.suggestionList());
    this.root.replaceChildren(...out);
  }

  keptTable() {
    return h('table', { class: 'bands whatif-table', 'data-field': 'whatif-table' },
      h('thead', {}, h('tr', {}, ['#', t('grid'), t('newlyCovered'), t('kind_city'), t('kind_community'), t('kind_subdistrict'), ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, this.kept.map((w, i) => {
        const a = w.answer;
        const unit = (level) => a.units?.find((u) => u.level === level);
        const cell = (u) => h('td', { title: u?.name || '' }, u ? shareChange(u) : '—');
        return h('tr', { 'data-point': String(w.point) },
          h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => this.place({ lng: w.point[0], lat: w.point[1] }) }, String(i + 1))),
          h('td', {}, w.grid?.name || '—'),
          h('td', { class: 'n', 'data-field': 'kept-gain' }, number(a.gain.households)),
          h('td', { 'data-field': 'kept-city' }, `${percent(a.before.share)} → ${percent(a.after.share)}`),
          cell(unit('community')), cell(unit('subdistrict')),
          h('td', {}, h('button', { type: 'button', class: 'close', 'aria-label': t('whatifRemove'), title: t('whatifRemove'),
            onclick: () => { this.kept = this.kept.filter((x) => x !== w); this.draw(); } }, '×')));
      })));
  }

  suggestionList() {
    const s = this.suggestion;
    const unit = s.units?.[0];
    return h('section', { class: 'suggested', 'data-field': 'suggested' },
      h('h4', {}, t('suggestTitle')),
      h('p', { class: 'muted' }, t('suggestFor', unit?.name || t('kind_city'))),
      h('p', { 'data-field': 'suggest-after' }, t('suggestAfter', s.sites.length, percent((unit || s).before.share), percent((unit || s).after.share))),
      h('ol', {}, s.sites.map((site) => h('li', { 'data-gain': site.gain_households },
        h('button', { type: 'button', class: 'link', onclick: () => this.place({ lng: site.point[0], lat: site.point[1] }) },
          t('suggestSite', site.rank, number(site.gain_households))),
        site.grid ? h('span', { class: 'muted' }, ` ${site.grid.name}`) : null))));
  }
}
