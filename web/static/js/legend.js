// @ts-check
// legend.js: the legend, whose rows double as layer switches.

import { h } from './dom.js';
import { GROUPS } from './state.js';
import { BAND_COLORS, COVERAGE_CLASSES, GAP_COLOR, STATION_COLORS, TARGET } from './coverage-style.js';
import { COLORS, GRID_COLORS, GROUP_LAYERS } from './style.js';

const line = (color, width, dash) => h('span', {
  class: 'swatch line',
  style: `border-top: ${width}px ${dash ? 'dashed' : 'solid'} ${color}`,
});
const dot = (color, size) => h('span', { class: 'dot', style: `background:${color};width:${size}px;height:${size}px` });

const swatches = {
  grids: () => h('span', { class: 'swatch grids' }, GRID_COLORS.map((c) => h('span', { style: `background:${c}` }))),
  districts: () => line(COLORS.district, 3),
  subdistricts: () => line(COLORS.subdistrict, 2),
  communities: () => line(COLORS.community, 1.5, true),
  streets: () => h('span', { class: 'swatch street' }),
  buildings: () => h('span', { class: 'swatch' }, dot(COLORS.building, 7)),
  stations: () => h('span', { class: 'swatch' }, dot(COLORS.centre, 11), dot(COLORS.station, 8)),
  labels: () => h('span', { class: 'swatch text' }, '文A'),
  repairs: () => h('span', { class: 'swatch', style: `background:${COLORS.repair}73;border:1px solid ${COLORS.repair}` }),
};

const labelKeys = {
  grids: 'gridsLayer', districts: 'districtLine', subdistricts: 'subdistrictLine', communities: 'communityLine',
  streets: 'streetsLayer', buildings: 'buildingsLayer', stations: 'stationsLayer', labels: 'labelsLayer',
  repairs: 'repairsLayer',
};

/** buildLegend fills root with one row per layer group: a checkbox, the
 *  symbol and a translated name. onToggle(group, visible) is called on change. */
export function buildLegend(root, hidden, onToggle) {
  const rows = GROUPS.map((g) => h('li', {},
    h('label', {},
      h('input', { type: 'checkbox', 'data-group': g, checked: !hidden.has(g), onchange: (e) => onToggle(g, e.target.checked) }),
      swatches[g](),
      h('span', { 'data-i18n': labelKeys[g] }))));
  root.replaceChildren(...rows);
}

/** applyVisibility shows or hides the style layers of every group. */
export function applyVisibility(map, hidden) {
  for (const g of GROUPS) {
    for (const id of GROUP_LAYERS[g]) {
      if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', hidden.has(g) ? 'none' : 'visible');
    }
  }
}

const band = (color) => h('span', { class: 'swatch band', style: `border-color:${color};background:${color}33` });

/** buildCoverageLegend fills root with the circles view's legend: the
 *  choropleth classes (the 85% target marked), the circles, uncovered
 *  buildings and stations. Texts carry data-i18n keys. */
export function buildCoverageLegend(root) {
  const classes = COVERAGE_CLASSES.map((c) => h('li', { class: c.from === TARGET ? 'target' : null },
    h('span', { class: 'swatch', style: `background:${c.color};height:12px;border-radius:2px` }), h('span', {}, c.label)));
  root.replaceChildren(
    h('p', { class: 'title', 'data-i18n': 'coverageLegend' }),
    h('ul', { class: 'classes' }, classes),
    h('p', { class: 'note', 'data-i18n': 'targetNote' }),
    h('ul', {},
      h('li', {}, band(BAND_COLORS.station), h('span', { 'data-i18n': 'legendCircle' })),
      h('li', {}, band(BAND_COLORS.whatif), h('span', { 'data-i18n': 'legendWhatIf' })),
      h('li', {}, h('span', { class: 'swatch' }, dot(GAP_COLOR, 8)), h('span', { 'data-i18n': 'legendGap' })),
      h('li', {}, h('span', { class: 'swatch' }, dot(STATION_COLORS.centre, 11), dot(STATION_COLORS.community, 9)),
        h('span', { 'data-i18n': 'stationsLayer' }))));
}
