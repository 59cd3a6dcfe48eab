// @ts-check
// edit/panel.js: the side panel of the editing mode: the token prompt, the
// grid being edited (or why it is read-only), the tools with undo and redo,
// the preview (valid or not, errors and warnings, resulting grids, who
// moves, households before and after), the commit form with its reason,
// the outcome, the grid's history and the city's change log.

import { changeLogSection } from './changelog.js';
import { h } from '../dom.js';
import { previewModel } from './geom.js';
import { number } from '../format.js';
import { historySection } from './history.js';
import { lang, t } from './i18n.js';

const TOOLS = [['shape', 'toolShape'], ['split', 'toolSplit'], ['merge', 'toolMerge']];
const HINTS = { shape: 'hintShape', split: 'hintSplit', merge: 'hintMerge' };

/** tokenForm asks for the planner's token. */
function tokenForm(ed, act) {
  const input = h('input', {
    id: 'edit-token', type: 'password', autocomplete: 'off', spellcheck: 'false', 'aria-label': t('editTokenLabel'),
  });
  const submit = (e) => {
    e.preventDefault();
    if (input.value.trim()) act.onToken(input.value);
  };
  return [
    ed.tokenError ? h('p', { class: 'error', id: 'edit-token-error' }, t('editTokenInvalid')) : null,
    h('p', { class: 'detail' }, t('editTokenPrompt')),
    h('form', { class: 'token-form', onsubmit: submit },
      input, h('button', { type: 'submit', id: 'edit-token-save', class: 'action' }, t('editTokenSave'))),
  ];
}

/** tools renders the tool switches and the reset button. */
function tools(ed, act) {
  const buttons = TOOLS.map(([tool, key]) => h('button', {
    type: 'button', class: `tool${ed.tool === tool ? ' on' : ''}`, 'data-tool': tool,
    'aria-pressed': String(ed.tool === tool), onclick: () => act.onTool(tool),
  }, t(key)));
  buttons.push(h('button', { type: 'button', class: 'tool reset', 'data-action': 'reset', onclick: act.onReset }, t('toolReset')));
  buttons.push(h('span', { class: 'tool-gap' }),
    h('button', {
      type: 'button', class: 'tool step', 'data-action': 'undo', disabled: !ed.undoSteps?.length,
      title: t('undoTitle'), 'aria-keyshortcuts': 'Control+Z', onclick: act.onUndo,
    }, t('undo')),
    h('button', {
      type: 'button', class: 'tool step', 'data-action': 'redo', disabled: !ed.redoSteps?.length,
      title: t('redoTitle'), 'aria-keyshortcuts': 'Control+Shift+Z Control+Y', onclick: act.onRedo,
    }, t('redo')));
  const hint = [t(HINTS[ed.tool])];
  if (ed.tool === 'split' && ed.linePoints) hint.push(' ', h('strong', {}, t('splitPoints', ed.linePoints)));
  return [h('div', { class: 'edit-tools', role: 'toolbar' }, buttons), h('p', { class: 'detail edit-hint' }, hint)];
}

function problemList(items, cls) {
  return h('ul', { class: `problems ${cls}` }, items.map((p) => h('li', { 'data-code': p.code },
    h('code', {}, p.code), ' ', p.message)));
}

/** gridLine names a grid by its code, marking new ones. */
const gridLine = (g, isNew) => [h('code', {}, g.code), g.name ? ` ${g.name}` : '',
  isNew ? h('span', { class: 'badge badge-new' }, t('kindNew')) : null];

/** previewSection renders a preview model. */
function previewSection(ed) {
  const p = ed.preview;
  const out = [h('p', { class: `verdict ${p.valid ? 'valid' : 'invalid'}` }, p.valid ? t('previewValid') : t('previewInvalid'))];
  if (p.errors.length) out.push(h('h3', {}, t('previewErrors')), problemList(p.errors, 'errors'));
  if (p.warnings.length) out.push(h('h3', {}, t('previewWarnings')), problemList(p.warnings, 'warnings'));
  if (p.results.some((g) => g.kind === 'added') || p.moves.length) {
    out.push(h('p', { class: 'preview-key', id: 'preview-key' },
      p.results.some((g) => g.kind === 'added') ? [h('span', { class: 'swatch swatch-added' }), t('keyAdded'), ' '] : null,
      p.moves.length ? [h('span', { class: 'swatch swatch-moved' }), t('keyMoved', p.moves.length)] : null));
  }
  if (p.results.length) {
    out.push(h('h3', {}, t('previewResults', p.results.length)), h('ul', { class: 'results' },
      p.results.map((g) => h('li', { 'data-result': g.code, 'data-kind': g.kind }, gridLine(g, g.kind === 'added')))));
  }
  if (p.retired.length) {
    out.push(h('h3', {}, t('previewRetired')), h('ul', { class: 'results retired' },
      p.retired.map((g) => h('li', { 'data-retired': g.code }, gridLine(g, false)))));
  }
  if (p.valid || p.flows.length) {
    out.push(h('h3', {}, t('previewFlows')));
    out.push(p.flows.length ? h('ul', { class: 'flows' }, p.flows.map((f) => h('li', { 'data-from': f.from, 'data-to': f.to },
      h('code', {}, f.from.slice(-3)), ' → ', h('code', {}, f.to.slice(-3)), ' ', h('span', { class: 'muted' }, t('flowText', number(f.buildings), number(f.households))))))
      : h('p', { class: 'muted' }, t('previewNoMoves')));
  }
  const counted = [...p.results, ...p.retired];
  if (counted.length) {
    out.push(h('h3', {}, t('previewCounts')), h('table', { class: 'counts' }, h('tbody', {}, counted.map((g) => h('tr', { 'data-code': g.code },
      h('td', {}, h('code', {}, g.code)),
      h('td', {}, number(g.householdsBefore)), h('td', {}, '→'),
      h('td', { class: g.householdsAfter && (g.householdsAfter < 300 || g.householdsAfter > 500) ? 'warn' : '' }, number(g.householdsAfter)))))));
  }
  return h('section', { id: 'edit-preview', 'data-valid': String(p.valid) }, out);
}

/** commitForm renders the reason, the commit button and the outcome. */
function commitForm(ed, act) {
  const reason = h('textarea', {
    id: 'edit-reason', rows: 2, maxlength: 2000, placeholder: t('reasonPlaceholder'), 'aria-label': t('reasonLabel'),
    oninput: (e) => act.onReason(e.target.value),
  });
  reason.value = ed.reason;
  const can = Boolean(ed.preview?.valid && !ed.previewing && ed.status?.state !== 'committing');
  const button = h('button', {
    type: 'button', id: 'edit-commit', class: 'action commit', disabled: !can || !ed.reason.trim(), 'data-can': String(can),
    onclick: act.onCommit,
  }, ed.status?.state === 'committing' ? t('committing') : t('commit'));
  return h('section', { class: 'commit-form' }, h('label', { for: 'edit-reason' }, t('reasonLabel')), reason, button);
}

/** status renders the outcome of the last commit or failure. */
function status(ed, act) {
  const s = ed.status;
  if (!s || s.state === 'committing') return null;
  return h('div', { id: 'edit-status', class: `edit-status ${s.state}`, 'data-state': s.state, role: 'status' },
    s.text, s.reload ? h('button', { type: 'button', class: 'action', id: 'edit-reload', onclick: act.onReload }, t('reload')) : null);
}

/** editBody renders the editing mode's panel for editor state ed with
 *  actions act (onToken, onForget, onTool, onReset, onUndo, onRedo,
 *  onReason, onCommit, onReload, onRevert, canRevert). */
export function editBody(ed, act) {
  const out = [h('p', { class: 'kind edit-kind' }, t('editMode'))];
  if (!ed.token) return [...out, ...tokenForm(ed, act)];
  const forget = h('button', { type: 'button', class: 'link forget', onclick: act.onForget }, t('editTokenForget'));
  // Kept between renders (a list being read stays), rebuilt in a new language.
  if (ed.changeLogNode?.dataset.lang !== lang()) {
    ed.changeLogNode = changeLogSection({ onRevert: act.onRevert, canRevert: act.canRevert, open: Boolean(ed.changeLogNode?.open) });
  }
  if (!ed.grid) {
    out.push(h('p', { class: 'hint' }, ed.loading ? t('editLoading') : t('editPickGrid')));
    const st = status(ed, act);
    if (st) out.push(st);
    out.push(ed.changeLogNode, h('p', {}, forget));
    return out;
  }
  const g = ed.grid;
  if (ed.historyNode?.dataset.lang !== lang()) {
    ed.historyNode = historySection(g.code, { open: true, onRevert: act.onRevert, canRevert: act.canRevert });
  }
  out.push(h('h2', { 'data-field': 'edit-grid-name' }, g.name || g.code),
    h('dl', { class: 'facts' },
      h('dt', {}, t('gridCode')), h('dd', {}, h('code', { 'data-field': 'edit-grid-code' }, g.code)),
      h('dt', {}, t('community')), h('dd', {}, g.community?.name || '—'),
      h('dt', {}, t('households')), h('dd', {}, number(g.households))));
  if (ed.readOnly) {
    out.push(h('p', { class: 'edit-readonly', id: 'edit-readonly', role: 'note' }, t('editOutOfScope', (ed.who?.scopes || []).join('、') || '—')));
  } else {
    out.push(...tools(ed, act));
    if (ed.previewing) out.push(h('p', { class: 'muted', id: 'edit-previewing' }, t('previewing')));
    else if (ed.preview) out.push(previewSection(ed));
    out.push(commitForm(ed, act));
  }
  const st = status(ed, act);
  if (st) out.push(st);
  out.push(ed.historyNode, ed.changeLogNode, h('p', {}, forget));
  return out;
}

/** failureOf says what a refused preview or commit (an ApiError) means
 *  for the planner: {tokenInvalid} for 401, else a status to show and,
 *  for a 422 commit, the preview the problem carries. */
export function failureOf(err) {
  const p = err.problem || {};
  switch (true) {
    case err.status === 401:
      return { tokenInvalid: true };
    case err.status === 403:
      return { status: { state: 'denied', text: t('denied', p.detail || err.message) } };
    case err.status === 409 && Number.isFinite(p.current):
      return { status: { state: 'stale', text: t('staleBase', p.current, p.base), reload: true } };
    case err.status === 422 && 'valid' in p:
      return { preview: previewModel(p), status: { state: 'error', text: t('editFailed', p.detail || err.message) } };
    default:
      return { status: { state: 'error', text: t('editFailed', err.message) } };
  }
}
