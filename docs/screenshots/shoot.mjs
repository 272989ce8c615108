// Helper of docs/screenshots/refresh.sh: opens the web UI's main pages in headless Chromium (playwright-core from
// ui/node_modules, Debian's /usr/bin/chromium or BATON_CHROMIUM) at 1400x900, signed in by token with the header's
// project set to demo, and saves one PNG per page into this folder.
// Usage: node docs/screenshots/shoot.mjs BASE_URL TOKEN_FILE RUN_A RUN_B
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../../ui/package.json'));
const { chromium } = require('playwright-core');

const [baseUrl, tokenFile, runA, runB] = process.argv.slice(2);
const token = readFileSync(tokenFile, 'utf8').trim();
const p = 'project=demo';

// [file, route, what shows that the page has its data]
const PAGES = [
  ['runs', `/runs?${p}`, '[data-testid=runs-table] tbody tr'],
  ['run', `/runs/${runA}?${p}`, 'svg, [data-testid=attempts]'],
  ['run-metrics', `/runs/${runA}?tab=metrics&${p}`, '[data-testid=chart] canvas'],
  ['compare', `/compare?ids=${runA},${runB}&${p}`, '[data-testid=chart] canvas, table'],
  ['pipelines', `/pipelines?${p}`, 'table tbody tr'],
  ['model', `/models/iris-classifier?${p}`, 'table tbody tr'],
  ['workers', `/workers?${p}`, 'table tbody tr'],
  ['schedules', `/schedules?${p}`, 'table tbody tr'],
  ['endpoints', `/endpoints/iris?${p}`, 'table tbody tr'],
  ['audit', `/audit?${p}`, 'table tbody tr'],
];

const browser = await chromium.launch({
  executablePath: process.env.BATON_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
});
let failed = 0;
try {
  for (const [file, route, ready] of PAGES) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addInitScript((t) => {
      sessionStorage.setItem('baton.token', t);
      sessionStorage.setItem('baton.project', 'demo');
    }, token);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${baseUrl}/#${route}`);
    try {
      await page.locator(ready).first().waitFor({ timeout: 15_000 });
    } catch {
      console.error(`screenshots: ${file} (#${route}) never showed ${ready}; saved as it is`);
      failed++;
    }
    await page.waitForLoadState('networkidle').catch(() => {});
    await page.waitForTimeout(300); // charts and fonts settle; a picture, not a test
    await page.screenshot({ path: join(here, `${file}.png`) });
    if (errors.length) console.error(`screenshots: ${file}: the page logged errors: ${errors.join(' | ')}`);
    console.log(`docs/screenshots/${file}.png  #${route}`);
    await context.close();
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
