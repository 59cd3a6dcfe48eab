// @ts-check
// edit/changelog.js: the city-wide change log of the editing mode (GET
// /v1/changes, newest first): every changeset with its version, time,
// author, community and reason, filtered by author, unit and dates, a page
// at a time, each with the revert button the grid history has.

import { h } from '../dom.js';
import * as editApi from './api.js';
import { historyItems } from './history.js';
import { lang, t } from './i18n.js';

const UNIT = /^\d{4,12}$/;

/** filterQuery reads the filter form's fields into /v1/changes
 *  parameters, or returns {error} naming the field that is wrong. */
export function filterQuery({ author = '', unit = '', since = '', until = '' }) {
  const q = {};
  if (author.trim()) q.author = author.trim();
  const u = unit.trim();
  if (u && !UNIT.test(u)) return { error: 'unit' };
  if (u) q.unit = u.padEnd(12, '0');
  if (since) q.since = `${since}T00:00:00+08:00`;
  // Days are China Standard Time days; the whole "until" day counts.
  if (until) q.until = `${until}T23:59:59.999+08:00`;
  if (since && until && since > until) return { error: 'until' };
  return { query: q };
}

/** changeLogSection returns the collapsible change log; items get revert
 *  buttons through onRevert and canRevert (see historyItems). It loads when
 *  first opened. */
export function changeLogSection({ onRevert = null, canRevert = null, open = false } = {}) {
  const list = h('ol', { class: 'history changelog', id: 'changelog-list' });
  const field = (name, type, label, extra = {}) => h('label', { class: `cl-${name}` }, h('span', {}, label),
    h('input', { name, type, id: `changelog-${name}`, autocomplete: 'off', ...extra }));
  const form = h('form', { class: 'changelog-filter', id: 'changelog-filter' },
    field('author', 'text', t('logAuthor')),
    field('unit', 'text', t('logUnit'), { inputmode: 'numeric', placeholder: '520201', maxlength: 12 }),
    field('since', 'date', t('logSince')),
    field('until', 'date', t('logUntil')),
    h('button', { type: 'submit', class: 'action', id: 'changelog-apply' }, t('logFilter')));
  const more = h('button', { type: 'button', class: 'link', id: 'changelog-more', hidden: true }, t('logMore'));
  let query = {};
  let next = null;
  let controller = null;
  const load = async (append) => {
    controller?.abort();
    controller = new AbortController();
    const { signal } = controller;
    if (!append) list.replaceChildren(h('li', { class: 'muted' }, t('historyLoading')));
    list.dataset.state = 'loading';
    try {
      const doc = await editApi.changes(append ? { ...query, before: next } : query, signal);
      const items = historyItems(doc, { onRevert, canRevert, unit: true });
      if (!append) list.replaceChildren();
      list.append(...items);
      if (!list.children.length) list.append(h('li', { class: 'muted' }, t('logEmpty')));
      const last = doc.changes?.[doc.changes.length - 1];
      next = doc.next && last ? last.version : null;
      more.hidden = !next;
      list.dataset.state = 'loaded';
    } catch (err) {
      if (signal.aborted) return;
      list.replaceChildren(h('li', { class: 'error' }, t('historyFailed', err.message)));
      list.dataset.state = 'failed';
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    const { query: q, error } = filterQuery(data);
    form.querySelectorAll('input').forEach((i) => i.removeAttribute('aria-invalid'));
    if (error) {
      form.elements[error].setAttribute('aria-invalid', 'true');
      list.replaceChildren(h('li', { class: 'error', id: 'changelog-error' }, t(`logBad_${error}`)));
      return;
    }
    query = q;
    load(false);
  });
  more.addEventListener('click', () => load(true));
  let loaded = false;
  const section = h('details', {
    class: 'history-section changelog-section', id: 'changelog', open,
    ontoggle: () => { if (section.open && !loaded) { loaded = true; load(false); } },
  }, h('summary', {}, t('changeLog')), form, list, more);
  section.dataset.lang = lang();
  if (open) { loaded = true; load(false); }
  return section;
}
