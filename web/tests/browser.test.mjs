// browser.test.mjs: the web map in Debian's chromium against a running
// gridmap (GRIDMAP_URL, started by run.sh): it imports the test files
// (*.browser.mjs) and runs their tests one after another in one chromium.
// The editing files (edit, planner, planner-commit; they need a planner
// token in GRIDMAP_TOKEN) come last, since they change the city.
// BROWSER_FILES=basics,coverage runs some files (run.sh gives each of its
// servers a share); ONLY=part-of-a-name runs some tests.
// Run: node web/tests/browser.test.mjs

import { readdirSync } from 'node:fs';
import { run } from './harness.mjs';

const base = process.env.GRIDMAP_URL;
if (!base) {
  console.error('GRIDMAP_URL is not set: start `gridmap serve` and set it, or use web/tests/run.sh');
  process.exit(2);
}

/** FILES are the test files (NAME.browser.mjs), in the order they run. */
const FILES = ['basics', 'coverage', 'address', 'links', 'coords', 'archive', 'outage', 'unitcov',
  'gridbuildings', 'staff', 'a11y', 'head', 'edit', 'planner', 'planner-commit'];

const onDisk = readdirSync(new URL('.', import.meta.url)).filter((f) => f.endsWith('.browser.mjs')).map((f) => f.slice(0, -'.browser.mjs'.length));
const unlisted = onDisk.filter((f) => !FILES.includes(f));
if (unlisted.length) {
  console.error(`browser.test.mjs: add ${unlisted.join(', ')} to FILES (and to a share in run.sh)`);
  process.exit(2);
}
const chosen = process.env.BROWSER_FILES ? process.env.BROWSER_FILES.split(/[\s,]+/).filter(Boolean) : FILES;
const unknown = chosen.filter((f) => !FILES.includes(f));
if (unknown.length) {
  console.error(`BROWSER_FILES names no test file: ${unknown.join(', ')} (have ${FILES.join(', ')})`);
  process.exit(2);
}
for (const f of FILES) {
  if (chosen.includes(f)) await import(`./${f}.browser.mjs`);
}
await run(base);
