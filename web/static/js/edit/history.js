// @ts-check
// edit/history.js: a grid's history in the side panel (GET
// /v1/grids/{code}/history): the changesets that changed it, newest first,
// with version, time, author, operation and reason.

import { h } from '../dom.js';
import * as editApi from './api.js';
import { lang, t } from './i18n.js';

/** formatTime writes an RFC 3339 time as local date and minute. */
export function formatTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso || '—';
  return d.toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en-GB', {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  });
}

/** REVERT_REASON is the reason the server gives a revert (store.RevertOp):
 *  "revert changeset N (id)", then ": " and the planner's reason if any. */
const REVERT_REASON = /^revert changeset (\d+) \([^)]*\)(?::\s*([\s\S]*))?$/;

/** revertOf returns the version a change reverted and the planner's own
 *  reason, or null when the change is no revert. */
export function revertOf(change) {
  const m = REVERT_REASON.exec(change.reason || '');
  return m ? { version: Number(m[1]), reason: m[2] || '' } : null;
}

/** historyItems renders the changes of a history document as list items;
 *  onRevert(change, item), when given, puts a revert button on every change
 *  it may revert (canRevert(change), default all but re-codings); unit
 *  adds the community's code to each item. */
export function historyItems(doc, { onRevert = null, canRevert = null, unit = false } = {}) {
  return (doc.changes || []).map((c) => {
    const grids = (c.grids || []).filter((g) => g.kind !== 'stitched')
      .map((g) => `${t(`change_${g.kind}`)} ${(g.after || g.before || '').slice(-3)}`).join('，');
    const rev = revertOf(c);
    const reason = rev ? rev.reason : c.reason;
    const item = h('li', { 'data-version': c.version, 'data-kind': rev ? 'revert' : c.kind });
    const revertable = onRevert && c.kind !== 'recode' && (!canRevert || canRevert(c));
    item.append(
      h('div', { class: 'hist-head' },
        h('strong', {}, rev ? t('op_revert', rev.version) : t(`op_${c.kind}`)), ' ',
        h('span', { class: 'muted' }, t('historyItem', c.version, formatTime(c.time), c.author)),
        unit && c.unit ? h('code', { class: 'hist-unit' }, c.unit) : null,
        revertable ? h('button', {
          type: 'button', class: 'link revert', 'data-revert': c.version, onclick: () => onRevert(c, item),
        }, t('revertButton')) : null),
      reason ? h('div', { class: 'hist-reason' }, reason) : null,
      grids ? h('div', { class: 'muted hist-grids' }, grids) : null);
    return item;
  });
}

/** fillHistory loads the history of grid code into list (an ol), showing
 *  loading, empty and failure states in it; options go to historyItems. */
export async function fillHistory(list, code, signal, options = {}) {
  list.replaceChildren(h('li', { class: 'muted' }, t('historyLoading')));
  list.dataset.state = 'loading';
  try {
    const doc = await editApi.history(code, signal);
    if (signal?.aborted) return;
    const items = historyItems(doc, options);
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
 *  that loads when opened (or at once when open is true); onRevert and
 *  canRevert go to historyItems. */
export function historySection(code, { open = false, onRevert = null, canRevert = null } = {}) {
  const list = h('ol', { class: 'history', id: 'grid-history', 'data-code': code });
  let loaded = false;
  const load = () => {
    if (loaded) return;
    loaded = true;
    fillHistory(list, code, undefined, { onRevert, canRevert });
  };
  const section = h('details', { class: 'history-section', open, ontoggle: () => { if (section.open) load(); } },
    h('summary', {}, t('history')), list);
  section.dataset.lang = lang();
  if (open) load();
  return section;
}
