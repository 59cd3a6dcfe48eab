// style-json.mjs prints the web map's style as a standalone MapLibre style
// (version 8) for GET /styles/gridmap.json: the layers style.js builds for
// the page, less the page's own overlays (selection, edits, service-circle
// views, import repairs, and layers hidden until the page shows them).
// URLs are relative to the placeholder origin ORIGIN, which the server
// replaces with its own. server/style_gridmap.json is this script's
// output; server's TestStyleMatchesWebMap fails when they differ.
//
//   node web/tools/style-json.mjs > server/style_gridmap.json
import { readFileSync } from 'node:fs';
import { buildStyle } from '../static/js/style.js';
import { FONT, parseFontFaces } from '../static/js/fonts.js';

export const ORIGIN = 'http://gridmap.invalid/';
const SOURCE = 'gridmap';

const css = readFileSync(new URL('../../node_modules/@fontsource/noto-sans-sc/400.css', import.meta.url), 'utf8');
const faces = parseFontFaces(css, `${ORIGIN}static/vendor/noto-sans-sc/400.css`);
const page = buildStyle({ type: 'vector', url: `${ORIGIN}tiles.json` }, { [FONT]: faces });

const overlay = (l) => (l.source && l.source !== SOURCE)
  || l.id.startsWith('sel-')
  || (l.layout && l.layout.visibility === 'none');
const style = {
  version: 8,
  name: 'gridmap',
  metadata: { 'gridmap:source': 'web/static/js/style.js' },
  'font-faces': page['font-faces'],
  sources: { [SOURCE]: page.sources[SOURCE] },
  layers: page.layers.filter((l) => !overlay(l)),
};
process.stdout.write(`${JSON.stringify(style, null, 1)}\n`);
