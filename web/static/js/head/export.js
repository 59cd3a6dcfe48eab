// @ts-check
// head/export.js: downloads of grids and coverage gaps as GeoJSON, CSV (with a
// BOM, for Excel) or a zipped Shapefile, all written by gridmap
// (/v1/export/grids, /v1/export/gaps), so the three formats agree.

import { problemText } from '../problems.js';

/** FORMATS are the export formats, in the order the page offers them. */
export const FORMATS = ['geojson', 'csv', 'shp'];

/** exportGrids downloads grids: codes (null for every grid) or a unit's
 *  grids, in format. It resolves to the file name, or throws an Error
 *  whose message is in the page's language. */
export async function exportGrids(format, { codes = null, unit = null } = {}) {
  const body = { format };
  if (codes) body.codes = codes;
  if (unit) body.unit = unit;
  return download(new URL('v1/export/grids', document.baseURI), {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
}

/** exportGaps downloads the buildings no station reaches within 15
 *  minutes (of unit, or the city), in format. */
export async function exportGaps(format, unit = null) {
  const url = new URL('v1/export/gaps', document.baseURI);
  url.searchParams.set('format', format);
  if (unit) url.searchParams.set('unit', unit);
  return download(url, {});
}

/** download fetches url and saves the answer under the name gridmap gives. */
async function download(url, init) {
  const res = await fetch(url, init);
  if (!res.ok) {
    const problem = await res.json().catch(() => null);
    throw new Error(problemText(problem, res.status));
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '')?.[1] || 'export';
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60000);
  return name;
}
