// Launch from the game menu, the home page in both languages, and the failure pages.
import { expect } from '@playwright/test';
import { XIAOMING, LELE, expectNoAxeViolations, launchLink, test } from './support';

test('a demo launch link lands on the home page in Chinese, as that player', async ({ page }) => {
  await page.goto(launchLink(XIAOMING));
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { level: 1, name: '小游戏退款与投诉' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  // The parent is welcomed neutrally: the game's name, not the child's nickname.
  await expect(page.getByText('你好，这里是「星星消除乐」的退款与投诉服务。')).toBeVisible();
  await expect(page.getByText('星辰小明')).toHaveCount(0);
  await expectNoAxeViolations(page);
});

test('the language switch turns the page to English and back, and is remembered', async ({ page }) => {
  await page.goto(launchLink(LELE));
  await expect(page.getByRole('heading', { level: 1, name: '小游戏退款与投诉' })).toBeVisible();

  await page.getByRole('button', { name: '切换语言：English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1, name: 'Mini-game refunds and complaints' })).toBeVisible();
  await expectNoAxeViolations(page);

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  await page.getByRole('button', { name: 'Switch language: 中文' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('heading', { level: 1, name: '小游戏退款与投诉' })).toBeVisible();
});

test('an expired launch link explains what happened and what to do', async ({ page }) => {
  await page.goto(launchLink(XIAOMING, -5));
  await expect(page.getByRole('heading', { level: 1, name: '无法打开退款页面' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('已过期');
  await expect(page.getByRole('alert')).toContainText('游戏');
  await expectNoAxeViolations(page);
});

test('a launch link used twice says it was already used, unless its session still holds', async ({ page, browser }) => {
  const link = launchLink(XIAOMING);
  await page.goto(link);
  await expect(page).toHaveURL(/\/$/);
  // Opened again in the same browser (a reload, the back button): it carries on home.
  await page.goto(link);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { level: 1, name: '小游戏退款与投诉' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  const other = await browser.newContext();
  const second = await other.newPage();
  await second.goto(link);
  await expect(second.getByRole('alert')).toContainText('已经用过');
  await other.close();
});

test('a link without a ticket, and an unknown page, say so instead of showing nothing', async ({ page }) => {
  await page.goto('/launch');
  await expect(page.getByRole('heading', { level: 1, name: '无法打开退款页面' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('缺少进入凭证');

  const response = await page.goto('/no/such/page');
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: '页面不存在' })).toBeVisible();
  await expectNoAxeViolations(page);
});
