// Drives the console in headless Chromium (Debian's chromium, through playwright-core) against a running node, for
// herald-it's ConsoleBrowserTest, which starts the node and an SDK device and runs this script.
//
// Input (environment): CONSOLE_URL (http://127.0.0.1:port), API_KEY, CLIENT_ID (an online SDK device with one
// upstream message), CLIENT_PREFIX and DEVICES (the registered devices whose ids start with the prefix and a
// dash: more than one page of 25), SCREENSHOTS (a directory), CHROMIUM (default /usr/bin/chromium).
// Output (stdout), one line each: "STEP <what>" as it goes; "WAIT <what> <detail>" when the test must check the
// device's side, after which it answers "GO" (or anything else to stop) on stdin; "DONE" at the end. Any failure
// exits non-zero with the reason on stderr.
import { chromium } from 'playwright-core';
import { createInterface } from 'node:readline';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const base = required('CONSOLE_URL');
const apiKey = required('API_KEY');
const clientId = required('CLIENT_ID');
const prefix = required('CLIENT_PREFIX');
const devices = Number(required('DEVICES'));
const screenshots = required('SCREENSHOTS');
const TIMEOUT = 15_000;
// The whole run's bound: the test reads this script's output and cannot itself break a blocked read.
setTimeout(() => {
  console.error('console.e2e: gave up after 90 s');
  process.exit(2);
}, 90_000).unref();

const stdin = createInterface({ input: process.stdin });
const answers = stdin[Symbol.asyncIterator]();

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
}

function step(what) {
  console.log(`STEP ${what}`);
}

/** Lets the test check the device's side; resolves when it answers GO. */
async function handOver(what, detail) {
  console.log(`WAIT ${what} ${detail}`);
  const { value, done } = await answers.next();
  if (done || value.trim() !== 'GO') {
    throw new Error(`the test stopped at ${what}: ${done ? 'stdin closed' : value}`);
  }
}

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

async function shoot(page, name) {
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

mkdirSync(screenshots, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  // As root (CI) Chromium's sandbox cannot start; the pages visited are the test's own.
  args: ['--no-sandbox'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 40[13]/.test(message.text())) {
      problems.push(`console error: ${message.text()} (${message.location().url})`);
    }
  });
  page.on('dialog', (dialog) => dialog.accept());

  step('sign-in page');
  await page.goto(`${base}/console/`);
  await page.locator('#signin-form').waitFor();
  await shoot(page, 'signin');

  step('wrong key refused');
  await page.fill('#api-key', 'not-the-key');
  await page.click('#signin-form button[type=submit]');
  await page.locator('#signin-error', { hasText: 'wrong API key' }).waitFor();
  check((await context.cookies()).length === 0, 'a wrong key got a cookie');

  step('sign in');
  await page.fill('#api-key', apiKey);
  await page.click('#signin-form button[type=submit]');
  await page.locator('#page-overview').waitFor();
  const cookies = await context.cookies();
  check(cookies.length === 1, `one session cookie expected, got ${JSON.stringify(cookies)}`);
  check(cookies[0].httpOnly, 'the session cookie is not HttpOnly');
  check(cookies[0].sameSite === 'Strict', `the session cookie is SameSite=${cookies[0].sameSite}`);
  check(!cookies[0].value.includes(apiKey), 'the cookie carries the API key');
  const visibleToScripts = await page.evaluate(() => ({
    cookie: document.cookie,
    storage: JSON.stringify(localStorage) + JSON.stringify(sessionStorage),
    html: document.documentElement.outerHTML,
  }));
  check(visibleToScripts.cookie === '', `scripts can read cookies: ${visibleToScripts.cookie}`);
  check(!visibleToScripts.storage.includes(apiKey) && !visibleToScripts.html.includes(apiKey),
    'the API key is left where scripts can read it');

  step('overview');
  await page.locator('#tile-online', { hasText: /^1$/ }).waitFor();
  await page.locator('#nodes tbody tr[data-node="standalone"]').waitFor();
  // The test makes traffic from now until this script's next line; the charts show it once a sample (every 5 s)
  // has counted it and the page has polled (every 5 s). Any rate above zero counts ("0.4 /s" too).
  await handOver('overview', 'traffic');
  const aboveZero = /^(?:[1-9]|0\.[1-9])/;
  await page.locator('figure[data-chart="Deliveries"] .chart-latest', { hasText: aboveZero })
    .waitFor({ timeout: 20_000 });
  await page.locator('figure[data-chart="Upstream"] .chart-latest', { hasText: aboveZero })
    .waitFor({ timeout: 20_000 });
  await shoot(page, 'overview');
  step('overview charts');

  step('devices');
  await page.click('header nav a[href="#/devices"]');
  await page.locator('#page-devices').waitFor();
  await page.fill('#device-prefix', `${prefix}-`);
  await page.click('#device-search button[type=submit]');

  step('paging');
  const rows = page.locator('#device-results tbody tr');
  await page.waitForFunction((p) => [...document.querySelectorAll('#device-results tbody tr')]
    .every((row) => row.dataset.clientId.startsWith(p)) && document.querySelectorAll('#device-results tbody tr')
    .length === 25, `${prefix}-`);
  await page.click('#device-next');
  await page.waitForFunction((n) => document.querySelectorAll('#device-results tbody tr').length === n, devices - 25);
  check(await page.locator('#device-next').isDisabled(), 'Next is enabled on the last page');
  await page.click('#device-previous');
  await page.waitForFunction(() => document.querySelectorAll('#device-results tbody tr').length === 25);
  check(await page.locator('#device-previous').isDisabled(), 'Previous is enabled on the first page');
  check((await rows.count()) === 25, 'the first page again has 25 devices');

  step('online filter');
  await page.selectOption('#device-online', 'true');
  await page.waitForFunction(() => document.querySelectorAll('#device-results tbody tr').length === 1);
  const row = page.locator(`tr[data-client-id="${clientId}"]`);
  await row.waitFor();
  check((await row.locator('.status').textContent()) === 'online', 'the device is not listed online');
  await shoot(page, 'devices');

  step('device page');
  await row.locator('a').click();
  await page.locator('#device-state', { hasText: 'online' }).waitFor();
  await page.locator('#device-messages table.messages').waitFor();
  check((await page.locator('#device-status').textContent()).includes('tcp'), 'the transport is not shown');

  step('push');
  const payload = `console push ${Date.now()}`;
  await page.fill('#push-payload', payload);
  await page.click('#push-form button[type=submit]');
  await page.locator('#action-outcome', { hasText: '1 delivered online' }).waitFor();
  await shoot(page, 'device');
  await handOver('pushed', payload);

  step('csrf refused');
  const forged = await page.evaluate(async (id) => {
    const response = await fetch(`/api/v1/devices/${encodeURIComponent(id)}/session`, { method: 'DELETE' });
    return { status: response.status, body: await response.text() };
  }, clientId);
  check(forged.status === 403 && forged.body.includes('csrf_rejected'),
    `a DELETE without the CSRF token was answered ${forged.status} ${forged.body}`);

  step('kick');
  await page.click('#action-kick');
  await page.locator('#action-outcome', { hasText: 'Session closed.' }).waitFor();
  await page.locator('#device-state', { hasText: 'offline' }).waitFor();
  await shoot(page, 'device-offline');
  await handOver('kicked', clientId);

  step('sign out');
  await page.click('#sign-out');
  await page.locator('#signin-form').waitFor();
  const afterSignOut = await page.evaluate(async () => (await fetch('/api/v1/devices')).status);
  check(afterSignOut === 401, `after sign-out the device list answered ${afterSignOut}`);

  check(problems.length === 0, problems.join('\n'));
  console.log('DONE');
} finally {
  await browser.close();
  stdin.close();
}
