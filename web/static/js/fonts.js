// @ts-check
// fonts.js: the style's `font-faces`, built from the vendored Noto Sans SC
// stylesheet, so MapLibre draws Chinese labels with a font gridmap serves
// (no glyph server, no system font). Only the chunks holding characters
// actually drawn are downloaded, as their unicode-range says.

/** FONT is the text-font name the style's symbol layers use. */
export const FONT = 'Noto Sans SC';

/** FONT_CSS is the vendored stylesheet, relative to this module. */
export const FONT_CSS = new URL('../vendor/noto-sans-sc/400.css', import.meta.url);

/** parseFontFaces turns @font-face rules into MapLibre font-face entries:
 *  [{url, 'unicode-range': ['U+4E00-4E0F', ...]}], urls made absolute
 *  against base. Rules without a woff2 source are skipped. */
export function parseFontFaces(css, base) {
  const faces = [];
  for (const [, body] of css.matchAll(/@font-face\s*{([^}]*)}/g)) {
    const src = /url\(\s*['"]?([^'")]+\.woff2)['"]?\s*\)/.exec(body);
    if (!src) continue;
    const range = /unicode-range:\s*([^;]+);/.exec(body);
    const face = { url: new URL(src[1], base).href };
    if (range) face['unicode-range'] = range[1].split(',').map((r) => r.trim().toUpperCase().replace(/^U\+/, 'U+'));
    faces.push(face);
  }
  return faces;
}

/** loadFontFaces fetches the vendored stylesheet and returns the style's
 *  font-faces object: {"Noto Sans SC": [...]}. */
export async function loadFontFaces() {
  const res = await fetch(FONT_CSS);
  if (!res.ok) throw new Error(`${FONT_CSS.pathname}: HTTP ${res.status}`);
  return { [FONT]: parseFontFaces(await res.text(), FONT_CSS) };
}
