// @ts-check
// staff/staff.js: a grid's staff in the side panel: the grid head (网格长) and
// workers (网格员), full- or part-time, each with a phone to call (a tel:
// link). GET /v1/grids/CODE/staff answers names and phones only to a token
// whose scope covers the grid (this tab's token, token.js); otherwise they
// come masked (王**, 138****5678) and the panel says why.

import { ApiError } from '../api.js';
import { h } from '../dom.js';
import { loadToken } from '../token.js';
import { t } from './i18n.js';

/** fetchStaff returns {grid, version, masked, staff: [...]} for grid code,
 *  sending this tab's token when there is one. */
export async function fetchStaff(code, signal) {
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json' };
  const token = loadToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const url = new URL(`v1/grids/${encodeURIComponent(code)}/staff`, document.baseURI);
  const res = await fetch(url, { headers, signal });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, body, `HTTP ${res.status}`);
  return body;
}

/** telHref returns the tel: link of a phone shown as 138-1234-5678. */
export function telHref(phone) {
  return `tel:${String(phone).replace(/[^0-9+]/g, '')}`;
}

/** staffItem renders one member: role (with 专职/兼职), name and phone;
 *  an unmasked phone is a tel: link. */
export function staffItem(m) {
  const role = t(`staffRole_${m.role}`);
  const label = m.type ? t('staffRoleTyped', t(`staffType_${m.type}`), role) : role;
  const phone = m.masked
    ? h('span', { class: 'staff-phone muted', 'data-field': 'staff-phone' }, m.phone)
    : h('a', { class: 'staff-phone', 'data-field': 'staff-phone', href: telHref(m.phone), 'aria-label': t('staffCall', m.name, m.phone) }, m.phone);
  return h('li', { 'data-role': m.role, 'data-masked': String(Boolean(m.masked)) },
    h('span', { class: 'staff-role' }, label), ' ',
    h('strong', { class: 'staff-name', 'data-field': 'staff-name' }, m.name), ' ', phone);
}

/** staffSection returns the panel section of grid code's staff, heads
 *  first; it fills itself when the answer comes. */
export function staffSection(code) {
  const list = h('ul', { class: 'staff-list', 'data-field': 'grid-staff' }, h('li', { class: 'muted' }, t('loading')));
  const note = h('p', { class: 'muted staff-note', hidden: true }, t('staffMasked'));
  const section = h('section', { class: 'staff', 'data-staff-for': code }, h('h3', {}, t('staffTitle')), list, note);
  fetchStaff(code).then((doc) => {
    const rows = (doc.staff || []).slice().sort((a, b) => (a.role === 'head' ? 0 : 1) - (b.role === 'head' ? 0 : 1));
    list.replaceChildren(...(rows.length ? rows.map(staffItem) : [h('li', { class: 'muted' }, t('staffNone'))]));
    note.hidden = !(doc.masked && rows.length);
    section.dataset.masked = String(Boolean(doc.masked));
  }).catch((err) => {
    list.replaceChildren(h('li', { class: 'error' }, t('lookupFailed', err.message)));
  });
  return section;
}
