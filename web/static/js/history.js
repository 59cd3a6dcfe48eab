// @ts-check
// history.js: a grid's history in the side panel (GET
// /v1/grids/{code}/history): the changesets that changed it, newest first,
// with version, time, author, operation and reason.

import { h } from './dom.js';
import * as editApi from './editapi.js';
import { lang, t } from './i18n.js';

/** formatTime writes an RFC 3339 time as local date and minute. */
export function formatTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso || '—';
  return d.toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en-GB', {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  });
}

/** historyItems renders the changes of a history document as list items. */
export function historyItems(doc) {
  return (doc.changes || []).map((c) => {
    const grids = (c.grids || []).filter((g) => g.kind !== 'stitched')
      .map((g) => `${t(`change_${g.kind}`)} ${(g.after || g.before || '').slice(-3)}`).join('，');
    return h('li', { 'data-version': c.version },
      h('div', { class: 'hist-head' },
        h('strong', {}, t(`op_${c.kind}`)), ' ',
        h('span', { class: 'muted' }, t('historyItem', c.version, formatTime(c.time), c.author))),
      c.reason ? h('div', { class: 'hist-reason' }, c.reason) : null,
      grids ? h('div', { class: 'muted hist-grids' }, grids) : null);
  });
}

/** fillHistory loads the history of grid code into list (an ol), showing
 *  loading, empty and failure states in it. */
export async function fillHistory(list, code, signal) {
  list.replaceChildren(h('li', { class: 'muted' }, t('historyLoading')));
  list.dataset.state = 'loading';
  try {
    const doc = await editApi.history(code, signal);
    if (signal?.aborted) return;
    const items = historyItems(doc);
    list.replaceChildren(...(items.length ? items : [h('li', { class: 'muted' }, t('historyEmpty'))]));
    list.dataset.state = items.length ? 'loaded' : 'empty';
  } catch (err) {
    if (signal?.aborted) return;
    // A city served without a store has no history to tell.
    const message = err.status === 503 ? t('historyEmpty') : t('historyFailed', err.message);
    list.replaceChildren(h('li', { class: err.status === 503 ? 'muted' : 'error' }, message));
    list.dataset.state = err.status === 503 ? 'empty' : 'failed';
  }
}

/** historySection returns a collapsible "History" section for grid code
 *  that loads when opened (or at once when open is true). */
export function historySection(code, { open = false } = {}) {
  const list = h('ol', { class: 'history', id: 'grid-history', 'data-code': code });
  let loaded = false;
  const load = () => {
    if (loaded) return;
    loaded = true;
    fillHistory(list, code);
  };
  const section = h('details', { class: 'history-section', open, ontoggle: () => { if (section.open) load(); } },
    h('summary', {}, t('history')), list);
  if (open) load();
  return section;
}
