// @ts-check
// edit/editor.js: the editing mode for planners. With a token (asked once, kept
// in sessionStorage) a click picks a grid; a grid outside the token's
// scopes (GET /v1/token) opens read-only. The tools drag its vertices
// (a replace edit: shared vertices move for the neighbour too), split it
// by a drawn line or merge a neighbour into it, snapping to vertices and
// streets, with step undo/redo. Every change is previewed (POST
// /v1/edits/preview) and drawn; a commit with a reason (POST /v1/edits,
// If-Match the previewed version) reloads the tiles and picks the grid now
// under the first click. A change in the history can be reverted.

import { Draw } from './draw.js';
import { clearEdit, paintEdit, reloadTiles } from './map.js';
import { movedPoints } from './moves.js';
import { revertForm } from './revert.js';
import { snapPoint } from './snap.js';
import { redo, remember, undo } from './undo.js';
import { editBody, failureOf } from './panel.js';
import { dragTo, drawLine, pickMerge } from './tools.js';
import * as editApi from './api.js';
import { previewModel, splitOp, withReason } from './geom.js';
import { t } from './i18n.js';
import { loadToken, saveToken } from '../token.js';

/** Editor is the editing mode's controller. onToggle(on) reports the mode
 *  switching; onSelected(code) the grid being edited. */
export class Editor {
  /**
   * @param {any} map the MapLibre map
   * @param {import('../panel.js').Panel} panel
   * @param {{ onToggle: (on: boolean) => void, onSelected: (code: string | null) => void }} hooks
   */
  constructor(map, panel, { onToggle, onSelected }) {
    this.map = map;
    this.panel = panel;
    this.onToggle = onToggle;
    this.onSelected = onSelected;
    /** @type {((version: number) => void) | null} onCommitted hears of this tab's commits (the change feed sets it). */
    this.onCommitted = null;
    this.on = false;
    this.token = loadToken();
    this.tokenError = false;
    this.reason = '';
    this.clearGrid();
    this.who = null;
    this.inFlight = 0;
    this.buildingsCache = new Map();
    this.draw = new Draw(map, {
      onStep: () => remember(this),
      onUndo: () => undo(this),
      onRedo: () => redo(this),
      snap: (p, skip) => snapPoint(map, this, p, skip),
      onSnap: () => paintEdit(map, this),
      onDrag: (v, to) => dragTo(this, v, to, false),
      onDragEnd: (v, to) => dragTo(this, v, to, true),
      onLine: (points, cursor) => drawLine(this, points, cursor),
      onLineDone: (points) => this.setOp(splitOp(this.grid.code, points), { line: points }),
      onLineCancel: () => drawLine(this, [], null),
    });
    this.actions = {
      onToken: (v) => { this.token = saveToken(v); this.tokenError = false; this.loadWho(); this.refresh(); if (this.op) this.runPreview(); },
      onForget: () => { this.token = saveToken(''); this.who = null; this.refresh(); },
      onUndo: () => undo(this),
      onRedo: () => redo(this),
      onRevert: (change, item) => revertForm(this, change, item),
      canRevert: (change) => this.inScope(change.unit),
      onTool: (tool) => this.setTool(tool),
      onReset: () => this.setTool(this.tool),
      onReason: (v) => this.typeReason(v),
      onCommit: () => this.commit(),
      onReload: () => this.reload(),
    };
    panel.register('edit', () => editBody(this, this.actions));
  }

  clearGrid() {
    this.grid = null;
    this.feature = null;
    this.siblings = [];
    this.point = null;
    this.loading = false;
    this.historyNode = null;
    this.readOnly = false;
    this.clearOp('shape');
    this.status = null;
  }

  clearOp(tool) {
    this.tool = tool;
    this.shape = null;
    this.line = [];
    this.cursor = null;
    this.linePoints = 0;
    this.mergeWith = null;
    this.op = null;
    this.preview = null;
    this.previewing = false;
    this.drag = null;
    this.undoSteps = [];
    this.redoSteps = [];
    this.movedPoints = [];
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
    await this.loadWho();
    if (code) await this.load(() => Promise.resolve(code));
  }

  /** loadWho asks which role and scopes the token has (GET /v1/token);
   *  a refused token is asked again. */
  async loadWho() {
    this.who = null;
    if (!this.token) return;
    try {
      this.who = await editApi.whoami(this.token);
    } catch (err) {
      if (err.status === 401) this.fail(err);
    }
    if (this.grid) this.readOnly = !this.inScope(this.grid.code);
    if (this.readOnly) this.draw.setMode(null);
    this.refresh();
  }

  /** inScope reports whether the token may edit a grid or unit code (its
   *  scopes are short division codes, prefixes of the codes inside). An
   *  unknown token is given the benefit of the doubt: the server checks. */
  inScope(code) {
    const w = this.who;
    if (!w || w.role === 'admin') return true;
    if (w.role !== 'planner') return false;
    return (w.scopes || []).some((s) => String(code || '').startsWith(s));
  }

  /** refresh redraws the panel (keeping the focus of a field being
   *  typed in) and the map. */
  refresh() {
    if (!this.on) return;
    const focused = /** @type {HTMLInputElement | null} */ (document.activeElement);
    const field = /^(edit-reason|edit-token)$/.test(focused?.id || '') ? focused : null;
    this.panel.render({ kind: 'edit', closable: Boolean(this.grid), onClose: () => this.deselect() });
    const again = /** @type {HTMLInputElement | null} */ (field && document.getElementById(field.id));
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
    if (!this.token || this.draw.recentDrag() || this.draw.click(e)) return true;
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
      this.readOnly = !this.inScope(code);
      this.historyNode = null; // made by the panel, with its revert buttons
      this.clearOp('shape');
      this.draw.setMode(this.readOnly ? null : 'shape');
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
    if (!this.grid || this.readOnly) return;
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
      if (seq === this.seq) this.showMoves(seq);
    } catch (err) {
      if (seq === this.seq) this.fail(err);
    }
    if (seq !== this.seq) return;
    this.previewing = false;
    this.refresh();
  }

  /** showMoves highlights the buildings the preview moves, once their
   *  points are read. */
  async showMoves(seq) {
    try {
      const points = await movedPoints(this.preview?.moves || [], this.buildingsCache);
      if (seq !== this.seq) return;
      this.movedPoints = points;
      paintEdit(this.map, this);
    } catch {
      // The highlight is a help; the panel still lists the moves.
    }
  }

  /** pickResult shows a search result without leaving the editing mode:
   *  a grid is opened for editing, anything else is flown to (fly(bbox) or
   *  the point) and the grid under its point opened. */
  async pickResult(r, fly) {
    if (r.kind === 'grid' || /^\d{15}$/.test(r.code || '')) {
      if (r.bbox) fly(r.bbox);
      await this.load(() => Promise.resolve(r.code));
      return;
    }
    const point = r.wgs || r.point;
    if (point) {
      this.map.flyTo({ center: point, zoom: Math.max(this.map.getZoom(), 16), duration: 800 });
      await this.selectAt(point);
    } else if (r.bbox) fly(r.bbox);
  }

  /** otherChange takes a version someone else committed (the change
   *  feed's event): a pending edit of other grids is previewed again on
   *  it; one of the same grids is warned of and kept for a reload. */
  otherChange(ev) {
    if (!this.on || !this.grid) return;
    // A grid only stitched (a neighbour's new vertex put in its ring) keeps
    // its shape: an edit of it still applies.
    const reshaped = (ev.grids || []).filter((g) => g.kind !== 'stitched').flatMap((g) => [g.before, g.after]);
    const touched = new Set(ev.grids ? reshaped.filter(Boolean) : [...(ev.created || []), ...(ev.retired || []), ...(ev.changed || [])]);
    const mine = [this.grid.code, this.mergeWith?.properties?.code].filter(Boolean);
    this.buildingsCache.clear();
    if (mine.some((c) => touched.has(c))) {
      this.status = { state: 'conflict', text: t('editConflict', ev.version, ev.author || '—'), reload: true };
      this.refresh();
    } else if (this.op) this.runPreview();
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
    const button = /** @type {HTMLButtonElement | null} */ (document.getElementById('edit-commit'));
    if (button) button.disabled = !(button.dataset.can === 'true' && v.trim());
  }

  async commit() {
    if (!this.op || !this.preview?.valid || !this.reason.trim()) return;
    this.status = { state: 'committing' };
    this.refresh();
    this.inFlight = (this.inFlight || 0) + 1;
    try {
      const res = await editApi.commit(withReason(this.op, this.reason), this.token, this.preview.base);
      this.status = { state: 'committed', text: t('committed', res.version, res.changeset), version: res.version };
      this.onCommitted?.(res.version);
      this.reason = '';
      this.changeLogNode = null;
      await this.reload(true);
    } catch (err) {
      this.fail(err);
      this.refresh();
    } finally {
      this.inFlight--;
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
