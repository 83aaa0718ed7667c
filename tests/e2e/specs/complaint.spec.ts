// A general complaint goes through the same form machinery with its own categories,
// demands (several), a contact for the developer and evidence, and is due in 3 working days.
import { expect } from '@playwright/test';
import { LELE, expectNoAxeViolations, launchLink, test } from './support';

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
  await expect(page.getByText('请至少选择一项。')).toBeVisible();
  await page.getByRole('radio', { name: '功能故障' }).check();
  // Several demands at once.
  await page.getByRole('checkbox', { name: '修复问题' }).check();
  await page.getByRole('checkbox', { name: '退款' }).check();
  await page.getByLabel('标题').fill('第三关通关后闪退');
  // A contact the developer can use: an address without a domain is refused.
  await page.getByLabel('联系方式').fill('lele@example');
  await page.getByRole('button', { name: '下一步' }).click();
  await expect(page.getByLabel('联系方式')).toBeFocused();
  await expect(page.getByText('请填写中国大陆手机号或电子邮箱，例如 13800138000 或 name@example.com。')).toBeVisible();
  await page.getByLabel('联系方式').fill('lele@example.com');
  // No label overlaps its box: each choice's text starts right of its control.
  for (const name of ['功能故障', '修复问题']) {
    const control = await page.getByRole(name === '功能故障' ? 'radio' : 'checkbox', { name }).boundingBox();
    const text = await page.locator('label.choice', { hasText: name }).locator('span').boundingBox();
    expect(control && text && text.x >= control.x + control.width, `${name} text clear of its control`).toBe(true);
  }
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: '下一步' }).click();

  await expect(page.getByRole('heading', { level: 2, name: '事情经过' })).toBeVisible();
  await page.getByLabel('事情经过').fill('从上周开始，每次打完第三关就闪退，重装也没用，买的通行证奖励领不到。');
  await page.getByRole('button', { name: '下一步' }).click();

  await expect(page.getByRole('heading', { level: 2, name: '上传材料' })).toBeVisible();
  await page.getByLabel('从相册或文件选择：截图').setInputFiles({ name: '闪退.png', mimeType: 'image/png', buffer: PNG });
  await expect(page.getByRole('button', { name: '删除 闪退.png' })).toBeVisible();
  // A file that is not what its name says is refused with a clear message, and nothing is kept.
  await page.getByLabel('从相册或文件选择：其他材料').setInputFiles({
    name: 'photo.png',
    mimeType: 'image/png',
    buffer: Buffer.from('MZ\x90\x00 this is a windows program', 'latin1'),
  });
  // ...saying what the file really is.
  await expect(page.getByText(/这个文件其实是程序文件，不是照片、视频或 PDF。/)).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: '删除', exact: true }).click();
  await page.getByRole('button', { name: '下一步' }).click();

  await expect(page.getByRole('heading', { level: 2, name: '确认提交' })).toBeVisible();
  await expect(page.getByText('提交后，开发者须在 3 个工作日内联系你并答复。')).toBeVisible();
  await expect(page.getByText('退款、修复问题')).toBeVisible();
  await expect(page.getByText('lele@example.com')).toBeVisible();
  await page.getByRole('button', { name: '提交投诉' }).click();
  await expect(page).toHaveURL(/\/cases\/CP-\d{4}-\d{6}\?submitted=/);
  // The confirmation speaks of the contact given (an email address, not a phone) and of
  // money, as a refund was asked for.
  const confirmation = page.getByRole('region', { name: '提交成功' });
  await expect(confirmation.getByText('也可能发邮件到你留下的邮箱')).toBeVisible();
  await expect(confirmation.getByText('拨打你留下的电话')).toHaveCount(0);
  await expect(confirmation.getByText(/^钱怎么退/)).toBeVisible();
  const caseNo = new URL(page.url()).pathname.split('/').pop() as string;
  await expect(page.getByText('第三关通关后闪退').first()).toBeVisible();
  // The case page shows the demands and the contact masked (a tracking link may be shared).
  await expect(page.getByText('退款、修复问题')).toBeVisible();
  await expect(page.getByText('l***@example.com')).toBeVisible();

  await page.goto('/cases');
  await expect(page.getByRole('link', { name: new RegExp(caseNo) })).toBeVisible();
  await expectNoAxeViolations(page);
});
