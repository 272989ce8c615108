// Helper of bench/ui.sh: the web UI's first paint in headless Chromium (playwright-core from ui/node_modules, Debian's
// /usr/bin/chromium or BATON_CHROMIUM). For each case, LOADS loads in a fresh browser context signed in by token, each
// measured as performance.now() in the page (milliseconds since the navigation started) at the first animation frame
// where the case's condition holds, and when the page's last API answer (so far) had arrived (resource timing).
// Prints one JSON object: the medians and every load per case, and each large case's ratio to its small baseline.
// Usage: node bench/ui_paint.mjs BASE_URL TOKEN_FILE LOADS CASES_JSON
//   CASES_JSON: [{"name", "route", "selector", "attribute"?, "value"?, "baseline"?: name}]: the condition is that
//   `selector` matches an element (whose `attribute` equals `value` when given)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(fileURLToPath(new URL('../ui/package.json', import.meta.url)));
const { chromium } = require('playwright-core');

const [baseUrl, tokenFile, loadsArg, casesJson] = process.argv.slice(2);
const token = readFileSync(tokenFile, 'utf8').trim();
const loads = Number(loadsArg);
const cases = JSON.parse(casesJson);

const browser = await chromium.launch({
  executablePath: process.env.BATON_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
});

async function once(c) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.addInitScript((t) => sessionStorage.setItem('baton.token', t), token);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(`${baseUrl}/#${c.route}`, { waitUntil: 'commit' });
    const handle = await page.waitForFunction(
      ({ selector, attribute, value }) => {
        const el = document.querySelector(selector);
        if (!el || (attribute && el.getAttribute(attribute) !== value)) return false;
        return performance.now();
      },
      { selector: c.selector, attribute: c.attribute, value: c.value },
      { polling: 'raf', timeout: 60_000 },
    );
    const painted = await handle.jsonValue();
    // when the page's last API answer had arrived (resource timing): what the rest of the paint spent in the page
    const api = await page.evaluate(() => Math.max(0, ...performance.getEntriesByType('resource')
      .filter((e) => e.name.includes('/api/v1/')).map((e) => e.responseEnd)));
    return [painted, api];
  } catch (e) {
    throw new Error(`${c.name} (${c.route}): ${e.message.split('\n')[0]}${errors.length ? `; page errors: ${errors.join(' | ')}` : ''}`);
  } finally {
    await context.close();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const result = { loads, cases: {} };
try {
  for (const c of cases) {
    await once(c); // a warm-up load, not counted: the server's routes and queries (each context starts with an empty cache)
    const times = [];
    const apis = [];
    for (let i = 0; i < loads; i++) {
      const [painted, api] = await once(c);
      times.push(Math.round(painted));
      apis.push(Math.round(api));
    }
    result.cases[c.name] = { route: c.route, median_ms: median(times), loads_ms: times, api_answered_median_ms: median(apis) };
  }
  for (const c of cases) {
    if (c.baseline) {
      result.cases[c.name].ratio_to_baseline = Math.round((result.cases[c.name].median_ms / result.cases[c.baseline].median_ms) * 100) / 100;
    }
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
