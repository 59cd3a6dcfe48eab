// @ts-check
// problems.js: gridmap's problem details (RFC 9457) in the page's
// language. Every problem gridmap sends has a stable type URI
// (urn:gridmap:problem:..., listed in openapi.yaml); the page words it by
// type and field, so no English server text appears on the Chinese page.
// The English page adds the server's detail.

import { lang, t } from './i18n.js';

const PREFIX = 'urn:gridmap:problem:';

/** PROBLEM_TYPES are the problem types gridmap documents, by short name. */
export const PROBLEM_TYPES = [
  'invalid-field', 'no-grid', 'not-found', 'not-ready', 'internal', 'off-network', 'no-walking-network',
  'bad-request', 'no-route', 'method-not-allowed', 'too-large', 'unauthorized', 'forbidden', 'invalid-edit',
  'stale-base', 'no-store', 'conflict', 'not-revertible', 'busy', 'store-unavailable', 'store-full',
  'validation-budget',
];

/** problemKey returns the message key of a problem's type, or null. */
export function problemKey(problem) {
  const type = typeof problem?.type === 'string' ? problem.type : '';
  if (!type.startsWith(PREFIX)) return null;
  const name = type.slice(PREFIX.length);
  return PROBLEM_TYPES.includes(name) ? `problem_${name}` : null;
}

/** problemDetail returns the server's detail on the English page, and
 *  nothing on the Chinese one (the page says it in its own words). */
export const problemDetail = (problem) => (lang() === 'en' ? problem?.detail ?? null : null);

/** problemText words a problem (or, without one, an HTTP status) in the
 *  page's language: its type's sentence, the field it names, and in
 *  English the server's detail. */
export function problemText(problem, status = 0) {
  const key = problemKey(problem);
  let text = key ? t(key) : t('problem_status', problem?.status || status || '?');
  if (problem?.field) text += t('problemField', problem.field);
  if (lang() === 'en' && problem?.detail) text += ` (${problem.detail})`;
  return text;
}
