// @ts-check
// source.js: the vector tile source of the style, from gridmap's TileJSON.

/** absoluteTemplate resolves a tile URL template against base, keeping
 *  its {z}/{x}/{y} placeholders (URL() would percent-encode the braces). */
export function absoluteTemplate(template, base) {
  const marked = template.replace(/\{(z|x|y)\}/g, '__tile_$1__');
  return new URL(marked, base).href.replace(/__tile_(z|x|y)__/g, '{$1}');
}

/** tileSource turns a TileJSON document fetched from tilesURL into a
 *  vector source with absolute tile URLs (the worker resolves relative
 *  URLs against its own script, not the page). */
export function tileSource(tilejson, tilesURL) {
  const src = {
    type: 'vector',
    tiles: tilejson.tiles.map((u) => absoluteTemplate(u, tilesURL)),
    minzoom: tilejson.minzoom ?? 0,
    maxzoom: tilejson.maxzoom ?? 16,
  };
  if (tilejson.bounds) src.bounds = tilejson.bounds;
  return src;
}
