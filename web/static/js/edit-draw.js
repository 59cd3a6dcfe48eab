// @ts-check
// edit-draw.js: the mouse and keyboard of the editing tools, with plain
// MapLibre events: dragging a vertex of the grid being edited (the map does
// not pan meanwhile) and drawing a split line click by click (double-click
// or Enter finishes, Escape cancels, Backspace takes the last point back).

const SAME_PX = 4; // clicks this close to the last point add no point
const DRAG_PX = 3; // a press that moves less is not a drag

/** Draw owns the tools' pointer state. Callbacks: onDrag(vertex, to) while
 *  a vertex moves, onDragEnd(vertex, to) when it is dropped, onLine(points,
 *  cursor) while a line is drawn, onLineDone(points) when it is finished,
 *  onLineCancel() when it is dropped. A vertex is {p, r, i}. */
export class Draw {
  constructor(map, callbacks) {
    this.map = map;
    this.cb = callbacks;
    this.mode = null;
    this.points = [];
    this.dragging = null;
    map.on('mousedown', 'edit-vertex', (e) => this.press(e));
    map.on('mouseenter', 'edit-vertex', () => this.cursor('move'));
    map.on('mouseleave', 'edit-vertex', () => this.cursor(null));
    map.on('mousemove', (e) => this.move(e));
    map.on('mouseup', (e) => this.release(e));
    // A drag may end outside the map, where the map sees no mouseup.
    window.addEventListener('mouseup', () => this.release(null));
    map.on('dblclick', (e) => {
      if (this.mode !== 'split') return;
      e.preventDefault();
      this.finish();
    });
    document.addEventListener('keydown', (e) => this.key(e));
  }

  /** setMode switches the tool: 'shape' (drag vertices), 'split' (draw a
   *  line), 'pick' (clicks pick a grid) or null (editing off). Double-click
   *  zoom is off while editing, so a double-click can end a line. */
  setMode(mode) {
    this.mode = mode;
    this.points = [];
    this.dragging = null;
    if (mode) this.map.doubleClickZoom.disable(); else this.map.doubleClickZoom.enable();
    if (!mode && this.map.dragPan) this.map.dragPan.enable();
    this.cursor(null);
  }

  cursor(kind) {
    const crosshair = this.mode === 'split' || this.mode === 'pick';
    this.map.getCanvas().style.cursor = kind || (crosshair ? 'crosshair' : '');
  }

  press(e) {
    if (this.mode !== 'shape' || !e.features?.length || e.originalEvent?.button !== 0) return;
    e.preventDefault(); // no drag-pan while a vertex moves
    const { p, r, i } = e.features[0].properties;
    this.dragging = { vertex: { p: Number(p), r: Number(r), i: Number(i) }, start: e.point, moved: false };
    this.cursor('grabbing');
  }

  move(e) {
    const to = [e.lngLat.lng, e.lngLat.lat];
    if (this.dragging) {
      const d = this.dragging;
      if (!d.moved && Math.hypot(e.point.x - d.start.x, e.point.y - d.start.y) < DRAG_PX) return;
      d.moved = true;
      d.to = to;
      this.cb.onDrag(d.vertex, to);
      return;
    }
    if (this.mode === 'split' && this.points.length) this.cb.onLine(this.points, to);
  }

  release(e) {
    const d = this.dragging;
    if (!d) return;
    this.dragging = null;
    this.cursor(null);
    if (d.moved) this.cb.onDragEnd(d.vertex, e ? [e.lngLat.lng, e.lngLat.lat] : d.to);
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
    this.points.push([e.lngLat.lng, e.lngLat.lat]);
    this.cb.onLine(this.points, null);
    return true;
  }

  finish() {
    if (this.points.length < 2) return;
    const points = this.points;
    this.points = [];
    this.cb.onLineDone(points);
  }

  key(e) {
    if (this.mode !== 'split' || /^(INPUT|TEXTAREA|SELECT)$/.test(e.target?.tagName || '')) return;
    if (e.key === 'Enter') {
      e.preventDefault();
      this.finish();
    } else if (e.key === 'Escape') {
      this.points = [];
      this.cb.onLineCancel();
    } else if (e.key === 'Backspace' && this.points.length) {
      e.preventDefault();
      this.points.pop();
      this.cb.onLine(this.points, null);
    }
  }
}
