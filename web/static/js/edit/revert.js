// @ts-check
// edit/revert.js: reverting a change from the history or the change log:
// a small form in the change's item asks the reason, then POST
// /v1/changes/{version}/revert (If-Match the current version) commits a
// new changeset restoring the grids as they were before it.

import { h } from '../dom.js';
import * as editApi from './api.js';
import { t } from './i18n.js';

/** revertForm opens, in history item `item`, the form that reverts
 *  `change` for editor ed; a second click closes it. */
export function revertForm(ed, change, item) {
  const open = item.querySelector('.revert-form');
  if (open) {
    open.remove();
    return;
  }
  const reason = h('textarea', {
    class: 'revert-reason', rows: 2, maxlength: 2000, 'aria-label': t('revertReason'), placeholder: t('revertReason'),
  });
  const confirm = h('button', { type: 'button', class: 'action danger', 'data-confirm-revert': change.version, disabled: true }, t('revertConfirm', change.version));
  const cancel = h('button', { type: 'button', class: 'link' }, t('cancel'));
  const error = h('p', { class: 'error', hidden: true });
  const form = h('div', { class: 'revert-form', role: 'group', 'aria-label': t('revertConfirm', change.version) },
    h('p', { class: 'detail' }, t('revertExplain', change.version)), reason, h('div', { class: 'revert-actions' }, confirm, cancel), error);
  reason.addEventListener('input', () => { confirm.disabled = !reason.value.trim(); });
  cancel.addEventListener('click', () => form.remove());
  confirm.addEventListener('click', async () => {
    confirm.disabled = true;
    error.hidden = true;
    ed.inFlight = (ed.inFlight || 0) + 1;
    try {
      const { version } = await editApi.version();
      const res = await editApi.revert(change.version, ed.token, version, reason.value.trim());
      ed.status = { state: 'committed', text: t('reverted', change.version, res.version), version: res.version };
      ed.onCommitted?.(res.version);
      ed.changeLogNode = null;
      await ed.reload(true);
    } catch (err) {
      ed.fail(err);
      error.textContent = ed.status?.text || t('editFailed', err.message);
      error.hidden = false;
      confirm.disabled = false;
      if (err.status === 401) ed.refresh();
    } finally {
      ed.inFlight--;
    }
  });
  item.append(form);
  reason.focus();
}
