// @ts-check
// edit/undo.js: step undo and redo while drawing (Ctrl+Z, Ctrl+Shift+Z or
// Ctrl+Y, and the toolbar's buttons): each split-line point, finished line
// and vertex drag is a step. A step restores the line or the shape and
// previews it again (or clears the preview when nothing is left).

import { replaceOp, splitOp } from './geom.js';

/** current returns the editor's drawing state as a step. */
function current(ed) {
  if (ed.tool === 'split') {
    const done = ed.op?.op === 'split' && !ed.draw.points.length;
    return { tool: 'split', points: done ? [...ed.line] : [...ed.draw.points], done };
  }
  return { tool: 'shape', shape: ed.shape, neighbours: ed.neighbours };
}

/** remember records the state before a change as a step to undo, and
 *  forgets the steps undone (a new change ends the redo chain). */
export function remember(ed) {
  ed.undoSteps.push(current(ed));
  ed.redoSteps = [];
}

/** restore puts a step back on the map and in the preview. */
function restore(ed, step) {
  ed.seq++; // drops a preview under way
  Object.assign(ed, { op: null, preview: null, previewing: false, cursor: null, status: null });
  if (step.tool === 'split') {
    ed.draw.points = step.done ? [] : [...step.points];
    ed.line = [...step.points];
    ed.linePoints = step.done ? 0 : step.points.length;
    if (step.done) ed.setOp(splitOp(ed.grid.code, step.points), { line: step.points });
    else ed.refresh();
    return;
  }
  Object.assign(ed, { shape: step.shape, neighbours: step.neighbours });
  if (step.shape) ed.setOp(replaceOp(ed.grid.code, step.shape), {});
  else ed.refresh();
}

/** undo takes the last step back; it reports whether there was one. */
export function undo(ed) {
  if (!ed.undoSteps.length || ed.readOnly) return false;
  ed.redoSteps.push(current(ed));
  restore(ed, ed.undoSteps.pop());
  return true;
}

/** redo does again the last step undone; it reports whether there was one. */
export function redo(ed) {
  if (!ed.redoSteps.length || ed.readOnly) return false;
  ed.undoSteps.push(current(ed));
  restore(ed, ed.redoSteps.pop());
  return true;
}
