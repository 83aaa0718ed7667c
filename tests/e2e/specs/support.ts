// Shared helpers of the end-to-end suite: launch links minted by the real server's
// `ticket` command, the accessibility check every page must pass, and a `test` whose
// browser context fails the test on any Content-Security-Policy violation (the server
// allows no inline script or style attribute, so the app must not need one).
import { execFileSync } from 'node:child_process';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, expect, type Page, test as base } from '@playwright/test';

export const test = base.extend<{ cspWatch: void }>({
  cspWatch: [
    async ({ browser, context }, use) => {
      const violations: string[] = [];
      const watch = (watched: BrowserContext) =>
        watched.on('console', (message) => {
          if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
        });
      watch(context);
      // Contexts a test opens itself (a second browser, the console's desk) are watched too.
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...options) => {
        const opened = await newContext(...options);
        watch(opened);
        return opened;
      };
      await use();
      browser.newContext = newContext;
      expect(violations, 'Content-Security-Policy violations').toEqual([]);
    },
    { auto: true },
  ],
});

export const DEMO_APPID = 'wxdemo0001';
export const XIAOMING = 'demo-player-xiaoming';
export const LELE = 'demo-player-lele';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite through \`cargo xtask test\``);
  return value;
}

/** A fresh launch link for a demo player, as the game's menu would open it. */
export function launchLink(openid: string, ttlMinutes = 10): string {
  const out = execFileSync(required('REFUND_SERVER_BIN'), [
    'ticket',
    '--appid', DEMO_APPID,
    '--openid', openid,
    `--ttl-minutes=${ttlMinutes}`,
    '--base-url', required('BASE_URL'),
    '--data-dir', required('REFUND_DATA_DIR'),
  ]);
  return out.toString().trim();
}

/** Deletes a demo player's consent to the privacy notice from the server's SQLite file,
 * as a revised notice leaves everyone without one (the server has no command for it). */
export function forgetPrivacyConsent(openid: string): void {
  const file = `${required('REFUND_DATA_DIR')}/refund-desk.sqlite3`;
  const deleted = execFileSync('python3', [
    '-c',
    'import sqlite3, sys\n' +
      'db = sqlite3.connect(sys.argv[1], timeout=10)\n' +
      'n = db.execute("DELETE FROM privacy_consents WHERE appid = ? AND openid = ?", sys.argv[2:4]).rowcount\n' +
      'db.commit()\n' +
      'print(n)',
    file,
    DEMO_APPID,
    openid,
  ]);
  if (Number(deleted.toString().trim()) < 1) throw new Error(`${openid} had no consent on record`);
}

/** Submits a complaint as the signed-in player through the API (`kind` and no evidence
 * unless `body` says otherwise) and returns its case number. */
export async function submitComplaint(page: Page, label: string, body: Record<string, unknown>): Promise<string> {
  const submitted = await page.request.post('/api/cases', {
    headers: { 'Idempotency-Key': `e2e-${label}-${Date.now()}` },
    data: { kind: 'complaint', evidence_ids: [], ...body },
  });
  expect(submitted.status()).toBe(201);
  const { case_no: caseNo } = await submitted.json();
  return caseNo;
}

/** Fails with axe's findings when the page has any accessibility violation. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(summary, 'axe violations').toEqual([]);
}

/** Creates (or resets) a developer account of the demo studio; returns its login and password. */
export function developerAccount(): { login: string; password: string } {
  const login = `e2e-dev-${process.pid}`;
  const password = 'e2e-password-of-length';
  execFileSync(
    required('REFUND_SERVER_BIN'),
    ['user', 'add', '--role', 'developer', '--org', 'demo-studio', '--login', login, '--password-stdin',
      '--data-dir', required('REFUND_DATA_DIR')],
    { input: password },
  );
  return { login, password };
}

/** Creates (or resets) a platform staff account; returns its login and password. */
export function platformAccount(): { login: string; password: string } {
  const login = `e2e-platform-${process.pid}`;
  const password = 'e2e-platform-password';
  execFileSync(
    required('REFUND_SERVER_BIN'),
    ['user', 'add', '--role', 'platform', '--login', login, '--password-stdin', '--data-dir', required('REFUND_DATA_DIR')],
    { input: password },
  );
  return { login, password };
}

/** A page in a new desk-sized browser context (the console is desktop first). */
export async function deskPage(browser: Browser): Promise<Page> {
  const desk = await browser.newContext({
    viewport: { width: 1280, height: 860 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  return desk.newPage();
}

/** A desk-sized browser context signed in to the console with `account`, on its first page. */
export async function consoleDesk(browser: Browser, account: { login: string; password: string }): Promise<Page> {
  const page = await deskPage(browser);
  await page.goto('/console/');
  await page.getByLabel('账号').fill(account.login);
  await page.getByLabel('密码').fill(account.password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible();
  return page;
}
