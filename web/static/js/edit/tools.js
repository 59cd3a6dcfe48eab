// @ts-check
// edit/tools.js: what each editing tool does with the editor's state
// (edit/editor.js): dragging a vertex, drawing a split line, picking the grid to
// merge. Each ends, when the edit is complete, in ed.setOp(op, extra),
// which previews it.

import { paintEdit } from './map.js';
import * as editApi from './api.js';
import { mergeOp, moveShared, moveVertex, polygonsOf, replaceOp } from './geom.js';
import { t } from './i18n.js';

/** dragTo moves vertex v of the grid, and the neighbours' copies of it,
 *  to `to` while dragging; at the drop (done) the new shape becomes a
 *  replace edit. Replace gives the area the grid gives up to the
 *  neighbour sharing the longest boundary with it and takes what it now
 *  covers from the others, so a shared boundary moves for both. */
export function dragTo(ed, v, to, done) {
  if (!ed.drag) {
    const base = ed.shape || ed.feature?.geometry;
    const from = polygonsOf(base)[v.p]?.[v.r]?.[v.i];
    if (!from) return;
    ed.drag = { base, from, neighbours: ed.neighbours };
  }
  const d = ed.drag;
  ed.shape = moveVertex(d.base, v, to);
  ed.neighbours = moveShared(d.neighbours, d.from, to);
  if (!done) {
    paintEdit(ed.map, ed);
    return;
  }
  ed.drag = null;
  ed.setOp(replaceOp(ed.grid.code, ed.shape), {});
}

/** drawLine shows the split line being drawn, with a rubber band to the
 *  cursor; the panel is redrawn only when the number of points changes. */
export function drawLine(ed, points, cursor) {
  const count = points.length;
  Object.assign(ed, { line: [...points], cursor });
  if (count !== ed.linePoints) {
    ed.linePoints = count;
    ed.refresh();
  } else paintEdit(ed.map, ed);
}

/** pickMerge takes the grid at [lon, lat] as the one to merge into the
 *  edited grid; one of another community is refused at once. */
export async function pickMerge(ed, lon, lat) {
  try {
    const chain = await editApi.lookup(lon, lat);
    if (chain.grid.code === ed.grid.code) return;
    if (chain.community?.code !== ed.grid.community?.code) {
      ed.status = { state: 'error', text: t('editWrongCommunity') };
      ed.refresh();
      return;
    }
    const other = await editApi.grid(chain.grid.code);
    ed.setOp(mergeOp(ed.grid.code, chain.grid.code), { mergeWith: other });
  } catch (err) {
    ed.status = { state: 'error', text: err.status === 404 ? t('noGrid') : t('editFailed', err.message) };
    ed.refresh();
  }
}
