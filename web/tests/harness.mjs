// harness.mjs: a small test runner for the browser tests. It launches
// Debian's chromium through playwright-core, gives each test a fresh page
// that refuses every request leaving the gridmap server and records console
// errors. The tests run as node:test tests (its runner, reporter and exit
// code) and assert with node:assert.

import { ok } from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { after, before, test as nodeTest } from 'node:test';
import { chromium } from 'playwright-core';

/** CHROMIUM_ARGS are the flags the tests launch chromium with: no GPU
 *  (WebGL through SwiftShader), no network of its own, no first run. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--enable-unsafe-swiftshader', '--use-angle=swiftshader',
];

/** ARTIFACTS is where screenshots and logs go (gitignored). */
export const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;

const tests = [];

/** test registers a named test: fn({page, base, guard, artifact}). */
export function test(name, fn, { allowConsole = [] } = {}) {
  tests.push({ name, fn, allowConsole });
}

/** assert throws node:assert's AssertionError with message when cond is
 *  falsy. */
export function assert(cond, message) {
  ok(cond, message);
}

const STATIC = process.env.GRIDMAP_STATIC;
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.woff2': 'font/woff2' };

/** fromWorkTree answers a request for the page or its static files from
 *  the directory GRIDMAP_STATIC (the web folder of a working tree), so a
 *  change to the page can be tried against a running server without
 *  rebuilding it; it returns null when it does not answer. */
function fromWorkTree(route, path) {
  if (!STATIC || !(path === '/' || path.startsWith('/static/'))) return null;
  const file = join(STATIC, path === '/' ? 'index.html' : path);
  try {
    return route.fulfill({ body: readFileSync(file), contentType: TYPES[extname(file)] || 'application/octet-stream' });
  } catch {
    return null;
  }
}

/** newGuardedPage opens a page whose requests to any origin but base are
 *  aborted and recorded, and whose console errors are recorded; options
 *  go to the browser context (hasTouch, for one). */
export async function newGuardedPage(browser, base, viewport = { width: 1280, height: 800 }, options = {}) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', deviceScaleFactor: 1, ...options });
  const guard = { external: [], consoleErrors: [], requests: [], responses: [] };
  const origin = new URL(base).origin;
  await context.route('**/*', (route) => {
    const url = route.request().url();
    // A test's own page.route (the outage tests) may take the request
    // first; then continuing it fails, and only that is not a fault.
    if (new URL(url).origin === origin) {
      return fromWorkTree(route, new URL(url).pathname) || route.continue().catch((err) => {
        if (!/already handled/.test(err.message)) throw err;
      });
    }
    guard.external.push(url);
    return route.abort('blockedbyclient');
  });
  context.on('request', (r) => guard.requests.push(r.url()));
  context.on('response', (r) => guard.responses.push({ url: r.url(), status: r.status() }));
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') guard.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => guard.consoleErrors.push(`uncaught: ${e.message}`));
  return { context, page, guard };
}

function unexpected(guard, allow) {
  const errors = guard.consoleErrors.filter((e) => !allow.some((re) => re.test(e)));
  const out = [];
  if (errors.length) out.push(`console errors: ${errors.join(' | ')}`);
  if (guard.external.length) out.push(`requests to other hosts: ${guard.external.join(', ')}`);
  return out;
}

async function runOne(browser, base, t) {
  const { context, page, guard } = await newGuardedPage(browser, base);
  try {
    await t.fn({ page, base, guard, artifact: (name) => join(ARTIFACTS, name), browser });
    const problems = unexpected(guard, t.allowConsole);
    assert(problems.length === 0, problems.join('; '));
  } catch (err) {
    await page.screenshot({ path: join(ARTIFACTS, `failed-${t.name.replace(/\W+/g, '-')}.png`) }).catch(() => {});
    throw err;
  } finally {
    await context.close();
  }
}

/** run hands every registered test (or those whose name contains the ONLY
 *  environment variable) to node:test, one after another in one chromium;
 *  node:test reports them and sets the exit code. */
export async function run(base) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const chosen = tests.filter((t) => !process.env.ONLY || t.name.includes(process.env.ONLY));
  // With no test, node:test would never run the after hook that closes
  // chromium, and the run would not end.
  if (!chosen.length) return;
  let browser = null;
  before(async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
    });
  });
  after(() => browser?.close());
  for (const t of chosen) nodeTest(t.name, () => runOne(browser, base, t));
}
