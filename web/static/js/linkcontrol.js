// @ts-check
// linkcontrol.js: two map buttons under the zoom buttons: the whole city
// (the tiles' extent) and "copy a link to this view" (the URL carries the
// view, the selection and the layers, see state.js).

import { h } from './dom.js';
import { t } from './i18n.js';

const TOAST_MS = 2500;

/** LinkControl is a MapLibre control: full extent and copy link. */
export class LinkControl {
  constructor(map, tilejson, fitBox) {
    this.map = map;
    this.bounds = Array.isArray(tilejson?.bounds) && tilejson.bounds.length === 4 ? tilejson.bounds : null;
    this.fitBox = fitBox;
    this.timer = 0;
  }

  onAdd() {
    this.extent = h('button', { type: 'button', class: 'ctrl-extent', 'data-i18n-title': 'fullExtent', 'data-i18n-aria-label': 'fullExtent', onclick: () => this.fitBox(this.bounds) },
      h('span', { class: 'maplibregl-ctrl-icon', 'aria-hidden': 'true' }));
    this.copy = h('button', { type: 'button', class: 'ctrl-copy', 'data-i18n-title': 'copyLink', 'data-i18n-aria-label': 'copyLink', onclick: () => this.copyLink() },
      h('span', { class: 'maplibregl-ctrl-icon', 'aria-hidden': 'true' }));
    this.toast = h('div', { class: 'toast', role: 'status', hidden: true });
    this.root = h('div', { class: 'maplibregl-ctrl maplibregl-ctrl-group link-ctrl' }, this.extent, this.copy);
    document.body.append(this.toast);
    for (const b of [this.extent, this.copy]) {
      b.title = t(b.dataset.i18nTitle);
      b.setAttribute('aria-label', t(b.dataset.i18nTitle));
    }
    return this.root;
  }

  onRemove() {
    this.root.remove();
    this.toast.remove();
  }

  /** copyLink puts the page's URL on the clipboard, or, where the browser
   *  refuses, shows it selected for copying by hand. */
  async copyLink() {
    const url = location.href;
    try {
      await navigator.clipboard.writeText(url);
      this.say(t('linkCopied'));
    } catch {
      window.prompt(t('copyLinkByHand'), url); // eslint-disable-line no-alert
    }
  }

  say(text) {
    this.toast.textContent = text;
    this.toast.hidden = false;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.toast.hidden = true; }, TOAST_MS);
  }
}
