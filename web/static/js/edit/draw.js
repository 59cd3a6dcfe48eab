// @ts-check
// edit/draw.js: the pointer and keyboard of the editing tools: dragging a
// vertex of the grid being edited with a mouse, pen or finger (pointer
// events; the map does not pan meanwhile), drawing a split line click by
// click (double-click or Enter finishes, Escape cancels, Backspace takes
// the last point back), points snapping to vertices and streets, and step
// undo/redo (Ctrl+Z; Ctrl+Shift+Z or Ctrl+Y).

const SAME_PX = 4; // clicks this close to the last point add no point
const DRAG_PX = 3; // a press that moves less is not a drag
const HIT_PX = { mouse: 7, pen: 10, touch: 16 }; // how close a press must be to a vertex

/** Draw owns the tools' pointer state. Callbacks: onDrag(vertex, to) while
 *  a vertex moves, onDragEnd(vertex, to) when it is dropped, onLine(points,
 *  cursor) while a line is drawn, onLineDone(points) when it is finished,
 *  onLineCancel() when it is dropped, onStep() before each change that
 *  undo takes back, onUndo() and onRedo() for the keys, onSnap() when
 *  where the pointer would snap changed before a line starts, and snap(point,
 *  skip) -> {coord, kind} or null, where a screen point snaps. A vertex is
 *  {p, r, i}. */
export class Draw {
  constructor(map, callbacks) {
    this.map = map;
    this.cb = callbacks;
    this.mode = null;
    this.points = [];
    this.dragging = null;
    this.snap = null;
    const canvas = map.getCanvas();
    canvas.addEventListener('pointerdown', (e) => this.press(e));
    canvas.addEventListener('pointermove', (e) => this.pointerMove(e));
    canvas.addEventListener('pointerup', (e) => this.release(e));
    canvas.addEventListener('pointercancel', () => this.release(null));
    map.on('mousemove', (e) => this.move(e));
    map.on('dblclick', (e) => {
      if (this.mode !== 'split') return;
      e.preventDefault();
      this.finish();
    });
    document.addEventListener('keydown', (e) => this.key(e));
  }

  /** setMode switches the tool: 'shape' (drag vertices), 'split' (draw a
   *  line), 'pick' (clicks pick a grid) or null (editing off, or a grid
   *  only looked at). Double-click zoom is off while editing, so a
   *  double-click can end a line. */
  setMode(mode) {
    this.mode = mode;
    this.points = [];
    this.dragging = null;
    this.snap = null;
    if (mode) this.map.doubleClickZoom.disable(); else this.map.doubleClickZoom.enable();
    this.map.dragPan?.enable();
    this.cursor(null);
  }

  cursor(kind) {
    const crosshair = this.mode === 'split' || this.mode === 'pick';
    this.map.getCanvas().style.cursor = kind || (crosshair ? 'crosshair' : '');
  }

  /** at returns the canvas point of a pointer event. */
  at(e) {
    const r = this.map.getCanvas().getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  /** nearestVertex returns the draggable vertex feature within the
   *  pointer's reach of screen point p, or null. */
  nearestVertex(p, reach) {
    if (!this.map.getLayer('edit-vertex')) return null;
    const hits = this.map.queryRenderedFeatures([[p.x - reach, p.y - reach], [p.x + reach, p.y + reach]], { layers: ['edit-vertex'] });
    let best = null;
    for (const f of hits) {
      const q = this.map.project(f.geometry.coordinates);
      const d = Math.hypot(q.x - p.x, q.y - p.y);
      if (d <= reach && (!best || d < best.d)) best = { d, f };
    }
    return best?.f || null;
  }

  /** press starts dragging the vertex nearest a primary press, if close. */
  press(e) {
    if (this.mode !== 'shape' || !e.isPrimary || e.button !== 0) return;
    const p = this.at(e);
    const f = this.nearestVertex(p, HIT_PX[e.pointerType] || HIT_PX.mouse);
    if (!f) return;
    e.preventDefault(); // no compatibility mouse events: the map does not pan
    this.map.getCanvas().setPointerCapture?.(e.pointerId);
    this.map.dragPan.disable();
    const { p: pi, r: ri, i } = f.properties;
    this.dragging = {
      vertex: { p: Number(pi), r: Number(ri), i: Number(i) }, start: p, moved: false, id: e.pointerId,
      from: f.geometry.coordinates,
    };
    this.cursor('grabbing');
  }

  /** pointerMove moves the dragged vertex, snapped; a mouse hovering a
   *  vertex gets the move cursor. */
  pointerMove(e) {
    const d = this.dragging;
    const p = this.at(e);
    if (!d) {
      if (this.mode === 'shape' && e.pointerType === 'mouse') this.cursor(this.nearestVertex(p, HIT_PX.mouse) ? 'move' : null);
      return;
    }
    if (e.pointerId !== d.id) return;
    if (!d.moved && Math.hypot(p.x - d.start.x, p.y - d.start.y) < DRAG_PX) return;
    if (!d.moved) this.cb.onStep();
    d.moved = true;
    d.to = this.snapped(p, d.from);
    this.cb.onDrag(d.vertex, d.to);
  }

  /** snapped returns the coordinate screen point p lands on, snapped
   *  where there is something to snap to (kept in this.snap). */
  snapped(p, skip = null) {
    const s = this.cb.snap?.(p, skip) || null;
    this.snap = s;
    return s ? s.coord : this.map.unproject([p.x, p.y]).toArray();
  }

  /** move draws the rubber band of a split line (a mouse's hover). */
  move(e) {
    if (this.dragging || this.mode !== 'split') return;
    const to = this.snapped(e.point);
    if (this.points.length) this.cb.onLine(this.points, to);
    else this.cb.onSnap?.();
  }

  release(e) {
    const d = this.dragging;
    if (!d || (e && e.pointerId !== d.id)) return;
    this.dragging = null;
    this.map.dragPan.enable();
    this.cursor(null);
    if (d.moved) this.draggedAt = performance.now();
    if (d.moved) this.cb.onDragEnd(d.vertex, e ? this.snapped(this.at(e), d.from) : d.to);
    this.snap = null;
  }

  /** recentDrag reports whether a drag just ended: the click the browser
   *  sends after it picks nothing. */
  recentDrag() {
    return performance.now() - (this.draggedAt || -1e9) < 400;
  }

  /** click takes a map click while drawing a line and reports whether it
   *  did. */
  click(e) {
    if (this.mode !== 'split') return false;
    const last = this.points[this.points.length - 1];
    if (last) {
      const q = this.map.project(last);
      if (Math.hypot(q.x - e.point.x, q.y - e.point.y) < SAME_PX) return true;
    }
    this.cb.onStep();
    this.points.push(this.snapped(e.point));
    this.cb.onLine(this.points, null);
    return true;
  }

  finish() {
    if (this.points.length < 2) return;
    this.cb.onStep();
    const points = this.points;
    this.points = [];
    this.cb.onLineDone(points);
  }

  key(e) {
    if (!this.mode || /^(INPUT|TEXTAREA|SELECT)$/.test(e.target?.tagName || '')) return;
    const k = (e.key || '').toLowerCase();
    if ((e.ctrlKey || e.metaKey) && (k === 'z' || k === 'y')) {
      e.preventDefault();
      if (k === 'y' || e.shiftKey) this.cb.onRedo(); else this.cb.onUndo();
      return;
    }
    if (this.mode !== 'split') return;
    if (e.key === 'Enter') {
      e.preventDefault();
      this.finish();
    } else if (e.key === 'Escape') {
      if (this.points.length) this.cb.onStep();
      this.points = [];
      this.cb.onLineCancel();
    } else if (e.key === 'Backspace' && this.points.length) {
      e.preventDefault();
      this.cb.onStep();
      this.points.pop();
      this.cb.onLine(this.points, null);
    }
  }
}
