// Force majeure across three browsers: the developer reports an outage with a photo of
// the notice in the console (the form says what is missing first), platform staff open
// the report, see the photo and accept it, and the player's case whose deadline fell in
// the period shows the moved deadline in its timeline. Platform staff learn of the waiting
// report on their review queue.
import { expect } from '@playwright/test';
import { LELE, consoleDesk, developerAccount, expectNoAxeViolations, launchLink, platformAccount, submitComplaint, test } from './support';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

/** A China date `days` from today, as `YYYY-MM-DD`. */
function chinaDate(days: number): string {
  const at = new Date(Date.now() + days * 86_400_000);
  return at.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
}

test('an accepted force majeure report moves the deadline a player is waiting on', async ({ page, browser }) => {
  await page.goto(launchLink(LELE));
  await expect(page).toHaveURL(/\/$/);
  const caseNo = await submitComplaint(page, 'fm', {
    order_nos: ['DEMO-1003'],
    complaint: { category: 'broken_feature', demands: ['fix'], title: '通行证奖励领不到', contact: '13900001111' },
    narrative: '通行证买了以后奖励一直领不到，点领取就提示网络错误。',
  });

  // The developer reports the outage; the form names what is missing before sending.
  const developer = await consoleDesk(browser, developerAccount());
  await developer.getByRole('link', { name: '不可抗力' }).click();
  await expect(developer.getByRole('heading', { level: 1, name: '不可抗力报告' })).toBeVisible();
  await developer.getByLabel('发生了什么').fill('机房所在园区整体停电，服务器和客服系统全部停机。');
  await developer.getByLabel('开始日期').fill(chinaDate(0));
  await developer.getByLabel('结束日期').fill(chinaDate(10));
  await developer.getByRole('button', { name: '提交报告' }).click();
  await expect(developer.getByRole('alert')).toHaveText('请至少附上一份证明材料。');
  await developer.getByLabel('证明材料', { exact: true }).setInputFiles({ name: 'notice.png', mimeType: 'image/png', buffer: PNG });
  await developer.getByRole('button', { name: '提交报告' }).click();
  await expect(developer.getByRole('status').filter({ hasText: '报告已提交' })).toBeVisible();
  const mine = developer.getByRole('article').filter({ hasText: '机房所在园区整体停电' });
  await expect(mine.getByText('待平台审核')).toBeVisible();
  await expectNoAxeViolations(developer);

  // Platform staff look at the photo and accept with a note.
  const staff = await consoleDesk(browser, platformAccount());
  await staff.getByRole('link', { name: '平台介入' }).click();
  const waiting = staff.getByRole('status').filter({ hasText: /有 \d+ 份不可抗力报告等待审核/ });
  await waiting.getByRole('link', { name: '不可抗力' }).click();
  const report = staff.getByRole('article').filter({ hasText: '机房所在园区整体停电' });
  await expect(report.getByRole('link', { name: /notice\.png/ })).toBeVisible();
  const picture = await staff.request.get((await report.getByRole('link', { name: /notice\.png/ }).getAttribute('href')) ?? '');
  expect(Buffer.from(await picture.body())).toEqual(PNG);
  await expectNoAxeViolations(staff);
  await report.getByLabel('给开发者的说明').fill('已核实供电公司停电通知。');
  await report.getByRole('button', { name: '接受并顺延期限' }).click();
  await expect(report.getByText('已接受')).toBeVisible();
  await expect(report.getByText(/已顺延 [1-9]\d* 个案件的期限/)).toBeVisible();

  // The player's case shows the moved deadline; the developer sees the decision.
  await page.goto(`/cases/${caseNo}`);
  await expect(page.getByRole('region', { name: '处理记录' }).getByText('开发者遇到不可抗力，答复期限已顺延')).toBeVisible();
  await expectNoAxeViolations(page);
  await developer.reload();
  await expect(mine.getByText('已接受')).toBeVisible();
  await expect(mine.getByText('已核实供电公司停电通知。')).toBeVisible();
});
