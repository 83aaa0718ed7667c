// A general complaint goes through the same form machinery with its own categories,
// demand and evidence, and is due in 3 working days.
import { expect, test } from '@playwright/test';
import { LELE, expectNoAxeViolations, launchLink } from './support';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082',
  'hex',
);

test('a player files a complaint with a screenshot and sees it in their cases', async ({ page }) => {
  await page.goto(launchLink(LELE));
  await expect(page).toHaveURL(/\/$/);
  await page.getByRole('link', { name: '提交投诉' }).first().click();

  // Orders are optional for a complaint.
  await expect(page.getByRole('heading', { level: 2, name: '选择订单' })).toBeVisible();
  await page.getByRole('button', { name: '下一步' }).click();

  await expect(page.getByRole('heading', { level: 2, name: '投诉内容' })).toBeVisible();
  await page.getByRole('button', { name: '下一步' }).click();
  await expect(page.getByText('请选择一项。').first()).toBeVisible();
  await page.getByRole('radio', { name: '功能故障' }).check();
  await page.getByRole('radio', { name: '修复问题' }).check();
  await page.getByLabel('标题').fill('第三关通关后闪退');
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: '下一步' }).click();

  await expect(page.getByRole('heading', { level: 2, name: '事情经过' })).toBeVisible();
  await page.getByLabel('事情经过').fill('从上周开始，每次打完第三关就闪退，重装也没用，买的通行证奖励领不到。');
  await page.getByRole('button', { name: '下一步' }).click();

  await expect(page.getByRole('heading', { level: 2, name: '上传材料' })).toBeVisible();
  await page.getByLabel('为“截图”选择文件').setInputFiles({ name: '闪退.png', mimeType: 'image/png', buffer: PNG });
  await expect(page.getByRole('button', { name: '删除 闪退.png' })).toBeVisible();
  // A file that is not what its name says is refused with a clear message, and nothing is kept.
  await page.getByLabel('为“其他材料”选择文件').setInputFiles({
    name: 'photo.png',
    mimeType: 'image/png',
    buffer: Buffer.from('MZ\x90\x00 this is a windows program', 'latin1'),
  });
  await expect(page.getByText('不支持这种文件类型，请上传 JPEG、PNG、WebP、HEIC、MP4 或 PDF。')).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: '移除' }).click();
  await page.getByRole('button', { name: '下一步' }).click();

  await expect(page.getByRole('heading', { level: 2, name: '确认提交' })).toBeVisible();
  await expect(page.getByText('提交后，开发者须在 3 个工作日内联系你并答复。')).toBeVisible();
  await page.getByRole('button', { name: '提交投诉' }).click();
  await expect(page).toHaveURL(/\/cases\/CP-\d{4}-\d{6}\?submitted=/);
  const caseNo = new URL(page.url()).pathname.split('/').pop() as string;
  await expect(page.getByText('第三关通关后闪退').first()).toBeVisible();

  await page.goto('/cases');
  await expect(page.getByRole('link', { name: new RegExp(caseNo) })).toBeVisible();
  await expectNoAxeViolations(page);
});
