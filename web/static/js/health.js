// @ts-check
// health.js: whether gridmap answers. A failed request or tile marks it
// down; then /readyz is asked again with back-off (1 s doubling to 30 s)
// until it answers, and everything waiting for it (requests to retry, the
// banner, the tiles to refresh) hears that it is back.

const FIRST_MS = 1000;
const MAX_MS = 30000;

let down = false;
let delay = FIRST_MS;
let timer = 0;
let waiters = [];
const listeners = new Set();

/** onChange calls fn(down) whenever gridmap goes down or comes back. */
export function onChange(fn) {
  listeners.add(fn);
}

/** isDown reports whether gridmap is taken to be unreachable. */
export const isDown = () => down;

/** failed marks gridmap down (a request or tile could not be fetched)
 *  and starts asking /readyz with back-off. */
export function failed() {
  if (down) return;
  down = true;
  delay = FIRST_MS;
  for (const fn of listeners) fn(true);
  schedule();
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(probe, delay);
}

async function probe() {
  try {
    const res = await fetch(new URL('readyz', document.baseURI), { cache: 'no-store' });
    if (res.ok) {
      recovered();
      return;
    }
  } catch {
    // still down
  }
  delay = Math.min(delay * 2, MAX_MS);
  schedule();
}

function recovered() {
  down = false;
  const waiting = waiters;
  waiters = [];
  for (const w of waiting) w.resolve();
  for (const fn of listeners) fn(false);
}

/** whenUp resolves once gridmap answers again (at once when it is up);
 *  it rejects when signal aborts first. */
export function whenUp(signal) {
  if (!down) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const w = { resolve };
    waiters.push(w);
    signal?.addEventListener('abort', () => {
      waiters = waiters.filter((x) => x !== w);
      reject(signal.reason);
    }, { once: true });
  });
}
