// @ts-check
// token.js: the planner's bearer token, kept in this tab's sessionStorage
// (gone when the tab closes), never in the URL or in localStorage.

const KEY = 'gridmap.editToken';

/** loadToken returns the token of this tab, or ''. */
export function loadToken() {
  try {
    return sessionStorage.getItem(KEY) || '';
  } catch {
    return '';
  }
}

/** saveToken keeps a token for this tab; an empty one forgets it. */
export function saveToken(token) {
  const t = (token || '').trim();
  try {
    if (t) sessionStorage.setItem(KEY, t); else sessionStorage.removeItem(KEY);
  } catch {
    // Storage refused (private mode): the token lives as long as the page.
  }
  return t;
}
