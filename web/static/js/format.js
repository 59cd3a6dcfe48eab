// @ts-check
// format.js: numbers as the panel and the search list write them.

/** number writes a count with thousands separators, or a dash. */
export const number = (n) => (Number.isFinite(n) ? n.toLocaleString('zh-CN') : '—');

/** percent writes a share (0-1) as a percentage rounded down, so that it
 *  never claims more than the data: one decimal below 10% and from 90%
 *  (99.26% is 99.2%, not 99%), whole numbers between; only 1 is 100%
 *  and only 0 is 0%. */
export function percent(share) {
  if (!Number.isFinite(share)) return '—';
  if (share >= 1) return '100%';
  if (share <= 0) return '0%';
  const p = Math.max(0, share) * 100;
  const digits = p < 10 || p >= 90 ? 1 : 0;
  const f = 10 ** digits;
  // The epsilon keeps 0.57 * 100 = 56.99999... from rounding down to 56.
  return `${(Math.floor(p * f + 1e-7) / f).toFixed(digits)}%`;
}
