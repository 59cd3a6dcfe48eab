// search.js: the search box. Typing asks /v1/search (debounced); a result
// is picked by click, or by Enter (the highlighted or first result).

import * as api from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';

const DELAY_MS = 200;
const LIMIT = 8;

/** Search wires an input and a result list to onPick(result). */
export class Search {
  constructor(input, list, onPick) {
    this.input = input;
    this.list = list;
    this.onPick = onPick;
    this.results = [];
    this.active = -1;
    this.timer = 0;
    this.controller = null;
    input.addEventListener('input', () => this.schedule());
    input.addEventListener('keydown', (e) => this.key(e));
    input.addEventListener('focus', () => this.results.length && this.show(true));
    document.addEventListener('pointerdown', (e) => {
      if (!input.parentElement.contains(e.target)) this.show(false);
    });
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), DELAY_MS);
  }

  /** run queries the API for the input's text and shows the results. */
  async run() {
    clearTimeout(this.timer);
    this.timer = 0;
    const q = this.input.value.trim();
    this.controller?.abort();
    if (!q) {
      this.render([]);
      return [];
    }
    this.controller = new AbortController();
    const signal = this.controller.signal;
    try {
      const body = await api.search(q, LIMIT, signal);
      if (signal.aborted) return [];
      this.render(body?.results || [], t('searchNone'));
    } catch (err) {
      if (!signal.aborted) this.render([], t('searchFailed', err.message));
    }
    return this.results;
  }

  async key(e) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = this.results.length;
      if (n) this.highlight((this.active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      // Typed but not yet searched (or never searched): search first.
      const results = this.timer || !this.results.length ? await this.run() : this.results;
      const pick = results[this.active] || results[0];
      if (pick) this.pick(pick);
    } else if (e.key === 'Escape') {
      this.show(false);
    }
  }

  render(results, emptyText) {
    this.results = results;
    this.active = -1;
    const items = results.map((r, i) => h('li', {
      role: 'option', id: `search-${i}`, 'data-code': r.code,
      onpointerdown: (e) => { e.preventDefault(); this.pick(r); },
      onpointerenter: () => this.highlight(i),
    },
    h('span', { class: `badge badge-${r.kind}` }, t(`kind_${r.kind}`)),
    h('span', { class: 'name' }, r.name || r.code),
    h('code', { class: 'muted' }, r.code || '')));
    if (!items.length && emptyText) items.push(h('li', { class: 'none' }, emptyText));
    this.list.replaceChildren(...items);
    this.show(items.length > 0);
  }

  highlight(i) {
    this.active = i;
    [...this.list.children].forEach((li, j) => li.classList.toggle('active', j === i));
    this.input.setAttribute('aria-activedescendant', i >= 0 ? `search-${i}` : '');
  }

  show(open) {
    this.list.hidden = !open;
    this.input.setAttribute('aria-expanded', String(open));
  }

  pick(result) {
    this.show(false);
    this.input.value = result.name || result.code;
    this.onPick(result);
  }
}
