// edit.js: the editing mode for planners. With a token (asked once, kept
// in sessionStorage) a click picks a grid; the tools drag its vertices
// (a replace edit: shared vertices move for the neighbour too), split it
// by a drawn line or merge a neighbour into it. Every change is previewed
// (POST /v1/edits/preview) and drawn; a commit with a reason (POST
// /v1/edits, If-Match the previewed version) reloads the tiles and picks
// the grid now under the first click.

import { Draw } from './edit-draw.js';
import { clearEdit, paintEdit, reloadTiles } from './edit-map.js';
import { editBody, failureOf } from './edit-panel.js';
import { dragTo, drawLine, pickMerge } from './edit-tools.js';
import * as editApi from './editapi.js';
import { previewModel, splitOp, withReason } from './editgeom.js';
import { historySection } from './history.js';
import { t } from './i18n.js';
import { loadToken, saveToken } from './token.js';

/** Editor is the editing mode's controller. onToggle(on) reports the mode
 *  switching; onSelected(code) the grid being edited. */
export class Editor {
  constructor(map, panel, { onToggle, onSelected }) {
    Object.assign(this, { map, panel, onToggle, onSelected });
    this.on = false;
    this.token = loadToken();
    this.tokenError = false;
    this.reason = '';
    this.clearGrid();
    this.draw = new Draw(map, {
      onDrag: (v, to) => dragTo(this, v, to, false),
      onDragEnd: (v, to) => dragTo(this, v, to, true),
      onLine: (points, cursor) => drawLine(this, points, cursor),
      onLineDone: (points) => this.setOp(splitOp(this.grid.code, points), { line: points }),
      onLineCancel: () => drawLine(this, [], null),
    });
    this.actions = {
      onToken: (v) => { this.token = saveToken(v); this.tokenError = false; this.refresh(); if (this.op) this.runPreview(); },
      onForget: () => { this.token = saveToken(''); this.refresh(); },
      onTool: (tool) => this.setTool(tool),
      onReset: () => this.setTool(this.tool),
      onReason: (v) => this.typeReason(v),
      onCommit: () => this.commit(),
      onReload: () => this.reload(),
    };
    panel.register('edit', () => editBody(this, this.actions));
  }

  clearGrid() {
    Object.assign(this, { grid: null, feature: null, siblings: [], point: null, loading: false, historyNode: null });
    this.clearOp('shape');
    this.status = null;
  }

  clearOp(tool) {
    Object.assign(this, { tool, shape: null, line: [], cursor: null, linePoints: 0, mergeWith: null, op: null, preview: null, previewing: false, drag: null });
    this.neighbours = this.siblings;
    this.seq = (this.seq || 0) + 1; // drops a preview under way
  }

  /** setOn switches the editing mode; a grid's code, if given, is edited
   *  at once. */
  async setOn(on, code = null) {
    if (on === this.on) return;
    this.on = on;
    this.onToggle(on);
    if (!on) {
      this.controller?.abort();
      this.draw.setMode(null);
      clearEdit(this.map);
      this.clearGrid();
      if (this.panel.model?.kind === 'edit') this.panel.render(null);
      return;
    }
    this.draw.setMode('shape');
    this.refresh();
    if (code) await this.load(() => Promise.resolve(code));
  }

  /** refresh redraws the panel (keeping the focus of a field being
   *  typed in) and the map. */
  refresh() {
    if (!this.on) return;
    const focused = document.activeElement;
    const field = /^(edit-reason|edit-token)$/.test(focused?.id || '') ? focused : null;
    this.panel.render({ kind: 'edit', closable: Boolean(this.grid), onClose: () => this.deselect() });
    const again = field && document.getElementById(field.id);
    if (again && again !== field) {
      again.focus();
      if (field.id === 'edit-token') again.value = field.value;
      again.setSelectionRange?.(field.selectionStart, field.selectionEnd);
    }
    paintEdit(this.map, this);
  }

  deselect() {
    this.controller?.abort();
    this.clearGrid();
    this.draw.setMode('shape');
    this.onSelected(null);
    this.refresh();
  }

  /** click takes a map click in editing mode and reports whether it did. */
  click(e) {
    if (!this.on) return false;
    if (!this.token || this.draw.click(e)) return true;
    const { lng, lat } = e.lngLat;
    if (this.tool === 'merge' && this.grid) pickMerge(this, lng, lat);
    else this.selectAt([lng, lat]);
    return true;
  }

  /** load runs find(signal) -> code (null: nothing to load) and makes
   *  that grid the one edited, with its community's other grids as
   *  neighbours; point is the click that picked it. */
  async load(find, { keepStatus = false, point = null } = {}) {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const { signal } = controller;
    this.loading = true;
    this.refresh();
    try {
      const code = await find(signal);
      if (code === null || signal.aborted) return;
      const feature = await editApi.grid(code, signal);
      const unit = await editApi.unit(feature.properties.community.code, signal);
      const others = unit.children.filter((c) => c.code !== code);
      const siblings = await Promise.all(others.map((c) => editApi.grid(c.code, signal)));
      if (signal.aborted) return;
      const status = keepStatus ? this.status : null;
      this.clearGrid();
      const p = feature.properties;
      Object.assign(this, { feature, siblings, status, point });
      this.grid = { code, name: p.name, community: p.community, households: p.households, buildings: p.buildings };
      this.historyNode = historySection(code, { open: true });
      this.clearOp('shape');
      this.draw.setMode('shape');
      this.onSelected(code);
    } catch (err) {
      if (signal.aborted) return;
      this.status = { state: 'error', text: err.status === 404 ? t('noGrid') : t('editFailed', err.message) };
    } finally {
      if (!signal.aborted) {
        this.loading = false;
        this.refresh();
      }
    }
  }

  /** selectAt edits the grid at point [lon, lat]; a click on the grid
   *  already edited keeps its edit unless keepStatus (a reload) is set. */
  selectAt(point, keepStatus = false) {
    return this.load(async (signal) => {
      const chain = await editApi.lookup(point[0], point[1], signal);
      return !keepStatus && chain.grid.code === this.grid?.code ? null : chain.grid.code;
    }, { keepStatus, point });
  }

  setTool(tool) {
    if (!this.grid) return;
    this.clearOp(tool);
    this.status = null;
    this.draw.setMode(tool === 'shape' ? 'shape' : tool === 'split' ? 'split' : 'pick');
    this.refresh();
  }

  /** setOp makes op the edit on the table and previews it. */
  setOp(op, extra) {
    Object.assign(this, { op, cursor: null, ...extra });
    if (extra.line) this.linePoints = 0;
    this.status = null;
    this.runPreview();
  }

  async runPreview() {
    const seq = ++this.seq;
    this.previewing = true;
    this.preview = null;
    this.refresh();
    try {
      const doc = await editApi.preview(this.op, this.token);
      if (seq === this.seq) this.preview = previewModel(doc);
    } catch (err) {
      if (seq === this.seq) this.fail(err);
    }
    if (seq !== this.seq) return;
    this.previewing = false;
    this.refresh();
  }

  /** fail shows what a refused preview or commit means for the planner. */
  fail(err) {
    const f = failureOf(err);
    if (f.tokenInvalid) {
      this.token = saveToken('');
      this.tokenError = true;
    }
    if (f.preview) this.preview = f.preview;
    if (f.status) this.status = f.status;
  }

  typeReason(v) {
    this.reason = v;
    const button = document.getElementById('edit-commit');
    if (button) button.disabled = !(button.dataset.can === 'true' && v.trim());
  }

  async commit() {
    if (!this.op || !this.preview?.valid || !this.reason.trim()) return;
    this.status = { state: 'committing' };
    this.refresh();
    try {
      const res = await editApi.commit(withReason(this.op, this.reason), this.token, this.preview.base);
      this.status = { state: 'committed', text: t('committed', res.version, res.changeset), version: res.version };
      this.reason = '';
      await this.reload(true);
    } catch (err) {
      this.fail(err);
      this.refresh();
    }
  }

  /** reload shows the current version: new tiles and the grid now under
   *  the first click (or with the edited code). */
  async reload(keepStatus = false) {
    try {
      await reloadTiles(this.map);
    } catch (err) {
      this.status = { state: 'error', text: t('editFailed', err.message) };
    }
    if (!keepStatus && this.status?.state !== 'error') this.status = null;
    if (this.point) await this.selectAt(this.point, true);
    else if (this.grid) await this.load(() => Promise.resolve(this.grid.code), { keepStatus: true });
    else this.refresh();
  }
}
