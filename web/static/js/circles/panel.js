// @ts-check
// circles/panel.js: what the side panel shows in the 15-minute circles
// view: the city's coverage above everything, the view's home (districts,
// worst grids, the what-if button), a station's circle and a what-if one.

import { BAND_COLORS, COVERAGE_CLASSES, TARGET } from '../coverage-style.js';
import { h } from '../dom.js';
import { number, percent } from '../format.js';
import { t } from '../i18n.js';

const WORST_GRIDS = 10;

const classOf = (share) => [...COVERAGE_CLASSES].reverse().find((c) => share >= c.from) || COVERAGE_CLASSES[0];

/** shareBar draws a share as a bar in its class colour, with the target
 *  marked. */
function shareBar(share) {
  return h('span', { class: 'share-bar', title: percent(share) },
    h('span', { class: 'fill', style: `width:${Math.max(0, Math.min(1, share)) * 100}%;background:${classOf(share).color}` }),
    h('span', { class: 'target', style: `left:${TARGET * 100}%` }));
}

function facts(rows) {
  return h('dl', { class: 'facts' }, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

/** coverageHeader is the panel's header in the view: the city's covered
 *  share of households against the 85% target. data is null while
 *  loading, {error} after a failure. */
export function coverageHeader(data) {
  if (!data) return h('header', { class: 'cov-head' }, h('p', { class: 'hint' }, t('coverageLoading')));
  if (data.error) return h('header', { class: 'cov-head' }, h('p', { class: 'error' }, t('coverageFailed', data.error)));
  const tot = data.total;
  const met = tot.share >= TARGET;
  return h('header', { class: 'cov-head', 'data-field': 'city-coverage' },
    h('p', { class: 'kind' }, t('cityCoverage', data.minutes)),
    h('div', { class: 'cov-big' },
      h('strong', { 'data-field': 'city-share' }, percent(tot.share)),
      h('span', { class: `goal ${met ? 'met' : 'short'}` }, t(met ? 'targetMet' : 'targetShort', percent(TARGET)))),
    shareBar(tot.share),
    h('p', { class: 'detail' }, t('coveredOf', number(tot.households_covered), number(tot.households)),
      ' · ', t('uncoveredBuildings', number(tot.buildings_uncovered))));
}

/** homeBody is the view's resting panel: the what-if button, each
 *  district's share and the grids with the most uncovered households. */
export function homeBody(data, { onSelectCode, onPlace, placing }) {
  const out = [
    h('p', { class: 'hint' }, t('circlesHint')),
    h('div', { class: 'actions' },
      h('button', {
        type: 'button', class: `action${placing ? ' on' : ''}`, 'data-action': 'whatif', 'aria-pressed': String(placing), onclick: onPlace,
      }, t(placing ? 'placingWhatIf' : 'placeWhatIf')),
      h('span', { class: 'muted' }, t('rightClickHint'))),
  ];
  if (!data || data.error) return out;
  out.push(h('section', { class: 'districts' }, h('h3', {}, t('byDistrict')),
    h('ul', { class: 'share-list' }, data.districts.map((d) => h('li', {},
      h('span', { class: 'label' }, d.name), shareBar(d.share), h('span', { class: 'pct' }, percent(d.share)))))));
  const worst = data.gapGrids.slice(0, WORST_GRIDS);
  if (worst.length) {
    out.push(h('section', { class: 'gaps' },
      h('h3', {}, t('worstGrids'), h('span', { class: 'muted' }, ` · ${t('gapBuildingsShown', number(data.gapBuildings))}`)),
      h('ol', { class: 'worst' }, worst.map((g) => h('li', {},
        h('button', { class: 'link', type: 'button', 'data-code': g.code, onclick: () => onSelectCode(g.code) }, g.name || g.code),
        h('span', { class: 'muted' }, ` ${t('uncoveredHouseholds', number(g.households_uncovered))} · ${percent(g.share)}`))))));
  }
  return out;
}

/** gridCoverage is the section a grid's panel gets in the view: its
 *  covered share and uncovered households, or null when unknown. */
export function gridCoverage(data, code) {
  if (!data?.gapGrids) return null;
  const g = data.gapGrids.find((x) => x.code === code);
  if (!g && !data.gapsComplete) return null;
  const rows = g
    ? [[t('coverageShare'), h('span', { 'data-field': 'grid-coverage' }, percent(g.share))],
      [t('uncovered'), t('uncoveredOf', number(g.households_uncovered), number(g.buildings_uncovered))]]
    : [[t('coverageShare'), h('span', { 'data-field': 'grid-coverage' }, percent(1))]];
  return h('section', { class: 'grid-coverage' }, h('h3', {}, t('gridCoverage', data.minutes)), shareBar(g ? g.share : 1), facts(rows));
}

/** bandTable lists, per band, the walk, its distance, and the buildings
 *  and households within it; the largest band's households carry
 *  data-field="circle-households". */
function bandTable(bands, color) {
  const last = bands.length - 1;
  return h('table', { class: 'bands' },
    h('thead', {}, h('tr', {}, h('th', {}, t('walk')), h('th', {}, t('distance')), h('th', {}, t('buildings')), h('th', {}, t('households')))),
    h('tbody', {}, bands.map((b, i) => h('tr', { 'data-minutes': b.minutes },
      h('td', {}, h('span', { class: 'band-swatch', style: `background:${color};opacity:${0.25 + 0.25 * (last - i)}` }), t('minutes', b.minutes)),
      h('td', {}, `${number(Math.round(b.meters))} m`),
      h('td', {}, number(b.buildings)),
      h('td', { 'data-field': i === last ? 'circle-households' : null }, number(b.households))))));
}

const unitText = (u) => (u ? h('span', {}, u.name || '', h('code', { class: 'muted' }, u.code || '')) : '—');

/** circleBody describes a station's circle: the station and, per band, the
 *  buildings and households it covers. */
export function circleBody(m) {
  const st = m.station || {};
  return [
    h('p', { class: 'kind' }, t('stationCircle', m.summary.minutes)),
    h('h2', { 'data-field': 'station-name' }, st.name || `#${m.id}`),
    facts([
      [t('stationKind'), t(`station_${st.kind}`)],
      [t('servesUnit'), unitText(st.unit)],
      [t('access'), Number.isFinite(m.access) ? `${number(Math.round(m.access))} m` : '—'],
    ]),
    h('h3', {}, t('bandsTitle')),
    bandTable(m.bands, BAND_COLORS.station),
  ];
}

/** whatIfBody describes a what-if circle: where it stands, what its bands
 *  cover and what it would add to the city's coverage. */
export function whatIfBody(m, { onPlace }) {
  const rows = [
    [t('point'), `${m.point[0].toFixed(5)}, ${m.point[1].toFixed(5)}`],
    [t('access'), Number.isFinite(m.access) ? `${number(Math.round(m.access))} m` : '—'],
  ];
  if (m.gain) {
    rows.push([t('newlyCovered'), h('strong', { 'data-field': 'whatif-gain' },
      t('gainText', number(m.gain.gain.households), number(m.gain.gain.buildings)))]);
    rows.push([t('cityAfter'), `${percent(m.gain.before.share)} → ${percent(m.gain.after.share)}`]);
  }
  return [
    h('p', { class: 'kind whatif' }, t('whatIfCircle', m.summary.minutes)),
    h('h2', {}, m.grid?.name || t('whatIfStation')),
    facts(rows),
    h('h3', {}, t('bandsTitle')),
    bandTable(m.bands, BAND_COLORS.whatif),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'action', 'data-action': 'whatif', onclick: onPlace }, t('placeAgain'))),
  ];
}
