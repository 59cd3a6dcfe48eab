// @ts-check
// head/print.js: the print and PDF layout (print.css): the map as an image of
// what is on screen, with the title, the legend, the scale bar, a north
// arrow turned with the map, the date and the data version. The print
// button and the browser's own print (Ctrl+P) both prepare it.

import * as health from '../health.js';
import { h } from '../dom.js';
import { lang, t } from './i18n.js';

/** PAGE_W and PAGE_H are the CSS pixels the map gets on an A4 landscape
 *  page with print.css's margins and header (277 x 165 mm at 96 dpi). */
const PAGE_W = 1047;
const PAGE_H = 620;

/** Print owns the print-only elements and the print button. */
export class Print {
  constructor(map) {
    this.map = map;
    this.version = null;
    this.image = h('img', { id: 'print-map', class: 'print-only', alt: '' });
    map.getCanvasContainer().append(this.image);
    this.north = h('div', { id: 'print-north', class: 'print-only north-arrow', 'aria-hidden': 'true' },
      h('span', { class: 'arrow' }, '▲'), h('span', { class: 'n', 'data-i18n': 'northArrow' }, t('northArrow')));
    this.meta = h('p', { id: 'print-meta', class: 'print-only' });
    document.body.append(this.north);
    (document.querySelector('header.bar') || document.body).append(this.meta);
    window.addEventListener('beforeprint', () => this.prepare());
    window.addEventListener('afterprint', () => { this.image.removeAttribute('src'); });
  }

  /** loadVersion asks gridmap which data version it serves. */
  async loadVersion() {
    try {
      const res = await fetch(new URL('v1/version', document.baseURI));
      if (res.ok) this.version = (await res.json()).version;
    } catch {
      health.failed();
    }
  }

  /** prepare draws the map into the print image and fills the date,
   *  version and north arrow, for the print that follows. */
  prepare() {
    this.map.redraw();
    const canvas = this.map.getCanvas();
    this.image.src = canvas.toDataURL('image/png');
    // The map prints at its screen size, scaled as a whole to the page,
    // so the scale bar stays true to the image.
    const w = canvas.clientWidth;
    const hgt = canvas.clientHeight;
    const root = document.documentElement.style;
    root.setProperty('--print-w', `${w}px`);
    root.setProperty('--print-h', `${hgt}px`);
    root.setProperty('--print-scale', String(Math.min(PAGE_W / w, PAGE_H / hgt, 1)));
    const legend = document.querySelector('details.legend');
    if (legend instanceof HTMLDetailsElement) legend.open = true;
    this.north.style.transform = `rotate(${-this.map.getBearing()}deg)`;
    const date = new Date().toLocaleDateString(lang() === 'zh' ? 'zh-CN' : 'en-GB', { year: 'numeric', month: 'long', day: 'numeric' });
    this.meta.replaceChildren(h('span', {}, t('printDate', date)), ' · ', h('span', { 'data-field': 'data-version' }, t('dataVersion', this.version ?? '—')));
    this.north.querySelector('.n').textContent = t('northArrow');
  }

  /** print prepares the layout and opens the browser's print dialog. */
  async print() {
    await this.loadVersion();
    this.prepare();
    window.print();
  }
}
