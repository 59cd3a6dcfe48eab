// @ts-check
// buildings.js: a grid's buildings with their addresses in the side panel
// (OGC API GET /ogc/collections/buildings/items?grid=CODE), in a section
// that loads when opened.

import * as api from './api.js';
import { h } from './dom.js';
import { number } from './format.js';
import { t } from './i18n.js';
import { shortAddress } from './address.js';

const LIMIT = 500;

/** buildingsSection returns a collapsible list of grid code's buildings,
 *  most households first. */
export function buildingsSection(code) {
  const list = h('ol', { class: 'grid-buildings', 'data-field': 'grid-buildings' });
  let loaded = false;
  const load = async () => {
    if (loaded) return;
    loaded = true;
    list.replaceChildren(h('li', { class: 'muted' }, t('loading')));
    try {
      const fc = await api.buildings(code, LIMIT);
      const rows = fc.features.slice().sort((a, b) => (b.properties.households || 0) - (a.properties.households || 0));
      list.replaceChildren(...(rows.length ? rows.map((f) => h('li', { 'data-building': f.id },
        h('span', {}, shortAddress(f.properties.address)), ' ',
        h('span', { class: 'muted' }, `${number(f.properties.households)} ${t('householdsUnit')}`))) : [h('li', { class: 'muted' }, t('noBuildings'))]));
      if (fc.numberMatched > rows.length) list.append(h('li', { class: 'muted' }, t('moreBuildings', number(fc.numberMatched - rows.length))));
    } catch (err) {
      loaded = false;
      list.replaceChildren(h('li', { class: 'error' }, t('lookupFailed', err.message)));
    }
  };
  const section = h('details', { class: 'buildings-section', ontoggle: () => { if (section.open) load(); } },
    h('summary', {}, t('buildingsList')), list);
  return section;
}
