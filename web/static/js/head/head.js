// @ts-check
// head/head.js: the subdistrict head's tools wired into the page: the grid
// table and its exports, the print layout, distance and area measuring,
// and MapLibre's own controls in the page's language (re-created on a
// language switch, since MapLibre reads its locale once).

import { h } from '../dom.js';
import { lang, MAPLIBRE_LOCALE, t, translatePage } from './i18n.js';
import { Measure } from './measure.js';
import { Print } from './print.js';
import { GridTable } from './table.js';
import { WhatIfCompare } from './whatif.js';

/** maplibreLocale returns MapLibre's control text in the page's language. */
export const maplibreLocale = () => MAPLIBRE_LOCALE[lang()] || MAPLIBRE_LOCALE.zh;

/** refetchFailedTiles asks again for the tiles that failed while gridmap
 *  was unreachable. MapLibre keeps a failed tile in its cache as errored:
 *  a source reload or new tile URLs skip it, and refreshTiles leaves it
 *  waiting for a load that already failed. So the failed tiles are
 *  dropped (private API, guarded) and the map told its view changed,
 *  which loads them afresh. */
export function refetchFailedTiles(map) {
  for (const tm of Object.values(map.style?.tileManagers || {})) {
    const tiles = tm._inViewTiles;
    for (const id of tiles?.getAllIds?.() || []) {
      if (tiles.getTileById(id)?.state === 'errored') tm._removeTile(id);
    }
  }
  map.jumpTo({ center: map.getCenter() });
  map.triggerRepaint();
}

/** MapControls adds MapLibre's zoom and compass, scale bar and
 *  attribution, and re-creates them in another language. */
class MapControls {
  constructor(maplibregl, map) {
    this.maplibregl = maplibregl;
    this.map = map;
    this.added = [];
    this.add();
  }

  add() {
    const { maplibregl, map } = this;
    const nav = new maplibregl.NavigationControl({ visualizePitch: false });
    const scale = new maplibregl.ScaleControl({ unit: 'metric', maxWidth: 120 });
    const attrib = new maplibregl.AttributionControl({ compact: true, customAttribution: t('syntheticNote') });
    map.addControl(nav, 'top-right');
    // The zoom buttons stay first, above the page's own map buttons.
    const corner = map.getContainer().querySelector('.maplibregl-ctrl-top-right');
    corner?.prepend(corner.lastElementChild);
    map.addControl(scale, 'bottom-left');
    map.addControl(attrib, 'bottom-right');
    this.added = [nav, scale, attrib];
  }

  /** relocalize re-creates the controls in the page's language. */
  relocalize() {
    const { map } = this;
    // MapLibre has no setLocale: its strings are read from _locale when a
    // control is created.
    map._locale = { ...map._locale, ...maplibreLocale() };
    for (const c of this.added) map.removeControl(c);
    this.add();
    map.getCanvas().setAttribute('aria-label', map._getUIString('Map.Title'));
  }
}

/** installHead adds the tools to the page: the grid table drawer and
 *  header buttons, the print layout, the measure control. selectCode(code)
 *  selects and shows a grid; selectedCode() returns what is selected. */
export function installHead(maplibregl, map, { selectCode, selectedCode, circles }) {
  const controls = new MapControls(maplibregl, map);
  const drawer = h('section', { id: 'grid-table', class: 'grid-drawer', hidden: true, 'data-i18n-aria-label': 'tableLabel', 'aria-label': t('tableLabel') });
  document.body.append(drawer);
  const table = new GridTable(drawer, { onSelect: selectCode, selected: selectedCode });
  const print = new Print(map);
  const measure = new Measure(map);
  map.addControl(measure, 'top-right');
  const bar = document.querySelector('header.bar');
  const tableButton = h('button', {
    id: 'table-toggle', type: 'button', class: 'toggle table-toggle', 'aria-pressed': 'false', 'aria-controls': 'grid-table',
    'data-i18n-title': 'tableToggleTitle', title: t('tableToggleTitle'),
    onclick: async () => {
      if (table.isOpen) table.close(); else await table.open();
      tableButton.setAttribute('aria-pressed', String(table.isOpen));
    },
  }, h('span', { class: 'icon', 'aria-hidden': 'true' }), h('span', { class: 'label', 'data-i18n': 'tableToggle' }, t('tableToggle')));
  const printButton = h('button', {
    id: 'print', type: 'button', class: 'toggle print-button', 'data-i18n-title': 'printButtonTitle', title: t('printButtonTitle'),
    onclick: () => print.print(),
  }, h('span', { class: 'icon', 'aria-hidden': 'true' }), h('span', { class: 'label', 'data-i18n': 'printButton' }, t('printButton')));
  bar?.insertBefore(tableButton, document.getElementById('lang'));
  bar?.insertBefore(printButton, document.getElementById('lang'));
  const close = table.close.bind(table);
  table.close = () => {
    close();
    tableButton.setAttribute('aria-pressed', 'false');
  };
  print.loadVersion();
  // The unit last selected: what suggestions are asked for.
  let unit = null;
  const compare = new WhatIfCompare(circles, {
    selectedUnit: () => unit,
    place: (lngLat) => circles.whatIf(lngLat),
  });
  const changed = circles.onChange;
  circles.onChange = () => {
    changed();
    compare.draw();
  };
  return {
    compare,
    table, print, measure,
    /** click takes a map click for the measuring tools first. */
    click: (e) => measure.click(e),
    /** selected marks a grid selected on the map in the table. */
    selected: (code) => {
      if (code && code.length === 12) unit = code;
      table.mark(code);
    },
    /** relocalize redraws everything in the page's new language. */
    relocalize() {
      controls.relocalize();
      translatePage(drawer);
      if (table.rows) table.draw();
      if (measure.mode && !measure.readout.hidden) measure.report();
      compare.draw();
    },
  };
}
