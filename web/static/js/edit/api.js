// @ts-check
// edit/api.js: the editing routes of gridmap's HTTP API: the current
// version, the preview and commit of one edit (a planner's bearer token,
// If-Match the base version) and a grid's history. URLs are relative to
// the page; the token goes only in the Authorization header.

import { ApiError } from '../api.js';

/**
 * send makes one request and returns its decoded JSON body, or throws an
 * ApiError carrying the status and the problem document.
 * @param {string} method
 * @param {string} path
 * @param {{ token?: string, ifMatch?: number | string | null, body?: unknown, signal?: AbortSignal }} [options]
 */
async function send(method, path, { token, ifMatch, body, signal } = {}) {
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (ifMatch !== undefined && ifMatch !== null) headers['If-Match'] = String(ifMatch);
  /** @type {RequestInit} */
  const init = { method, headers, signal, cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(new URL(path, document.baseURI), init);
  const text = await res.text();
  let doc = null;
  try {
    doc = text ? JSON.parse(text) : null;
  } catch {
    if (res.ok) throw new ApiError(res.status, null, `${path}: not JSON`);
  }
  if (!res.ok) throw new ApiError(res.status, doc, `HTTP ${res.status}`);
  return doc;
}

/** version returns the current version: {version, created}. */
export const version = (signal) => send('GET', 'v1/version', { signal });

/** preview validates an edit on the current version without committing
 *  it: {base, valid, errors, warnings, community, changes, impact}. */
export const preview = (op, token, signal) => send('POST', 'v1/edits/preview', { token, body: op, signal });

/** commit commits an edit made on version base: {changeset, version,
 *  base, warnings}. A stale base throws status 409, an invalid edit 422
 *  (the problem carries the preview), a refused token 401 or 403. */
export const commit = (op, token, base) => send('POST', 'v1/edits', { token, ifMatch: base, body: op });

/** history returns a grid's history: {grid, codes, changes, next}. */
export const history = (code, signal) =>
  send('GET', `v1/grids/${encodeURIComponent(code)}/history?desc=true&limit=50`, { signal });

/** grid returns a grid as a GeoJSON Feature, never from the HTTP cache. */
export const grid = (code, signal) => send('GET', `v1/grids/${encodeURIComponent(code)}`, { signal });

/** unit returns a unit with its children, never from the HTTP cache. */
export const unit = (code, signal) => send('GET', `v1/units/${encodeURIComponent(code)}`, { signal });

/** lookup returns the grid chain at a WGS-84 point, never from the cache. */
export const lookup = (lon, lat, signal) =>
  send('GET', `v1/lookup?lon=${lon.toFixed(7)}&lat=${lat.toFixed(7)}`, { signal });

/** whoami returns the token's own name, role and scopes (GET /v1/token). */
export const whoami = (token, signal) => send('GET', 'v1/token', { token, signal });

/** revert commits a new changeset undoing changeset version, made on
 *  version base, with the planner's reason (may be empty). */
export const revert = (version, token, base, reason) =>
  send('POST', `v1/changes/${encodeURIComponent(version)}/revert`, { token, ifMatch: base, body: reason ? { reason } : undefined });

/** changes returns a page of the city's changesets, newest first,
 *  filtered by query ({author, unit, since, until, before}): {changes, next}. */
export function changes(query, signal) {
  const params = new URLSearchParams({ desc: 'true', limit: '30' });
  for (const [k, v] of Object.entries(query || {})) if (v) params.set(k, v);
  return send('GET', `v1/changes?${params}`, { signal });
}
