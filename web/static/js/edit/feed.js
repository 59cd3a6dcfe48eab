// @ts-check
// edit/feed.js: a tab learns of versions committed elsewhere from the
// change feed (GET /v1/changes/stream, Server-Sent Events): a banner says
// "the map was updated to version N", the tiles are reloaded, and the
// editor keeps or warns about a pending edit (Editor.otherChange). The
// tab's own commits (Editor.onCommitted, or an event of its token's name
// while a commit is under way) bring no banner.

import { h } from '../dom.js';
import { reloadTiles } from './map.js';
import * as editApi from './api.js';
import { t } from './i18n.js';

/** versionBanner returns the banner element, made once and kept hidden. */
function versionBanner() {
  let el = document.getElementById('version-banner');
  if (el) return el;
  const text = h('span', { class: 'text' });
  const ok = h('button', { type: 'button', class: 'link', onclick: () => { el.hidden = true; } });
  el = h('div', { id: 'version-banner', class: 'version-banner', role: 'status', 'aria-live': 'polite', hidden: true }, text, ok);
  document.body.append(el);
  return el;
}

/** showBanner says the map is now version v (by whom and why). */
function showBanner(v, ev) {
  const el = versionBanner();
  el.dataset.version = String(v);
  const by = ev.author ? t('versionBannerBy', ev.author, ev.reason || '') : '';
  el.querySelector('.text').textContent = t('versionBanner', v) + by;
  el.querySelector('button').textContent = t('dismiss');
  el.hidden = false;
}

/** watchVersions follows the change feed for map and editor. It returns
 *  a function that stops it. */
export function watchVersions(map, editor) {
  let known = 0;
  const own = new Set();
  editor.onCommitted = (v) => {
    own.add(v);
    known = Math.max(known, v);
  };
  editApi.version().then((d) => { known = Math.max(known, d.version); }).catch(() => {});
  if (typeof EventSource === 'undefined') return () => {};
  const es = new EventSource(new URL('v1/changes/stream', document.baseURI));
  es.addEventListener('changeset', async (m) => {
    let ev;
    try {
      ev = JSON.parse(m.data);
    } catch {
      return;
    }
    const v = Number(m.lastEventId || ev.version);
    const mine = own.has(v) || (editor.inFlight > 0 && editor.who && ev.author === editor.who.name);
    if (!Number.isFinite(v) || v <= known || mine) return;
    known = v;
    showBanner(v, ev);
    await reloadTiles(map).catch(() => {});
    editor.otherChange({ ...ev, version: v });
  });
  return () => es.close();
}
