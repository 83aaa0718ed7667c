// Three sides, each in its own browser: after the developer refunds part of a complaint
// in the console, the player appeals from the case page (a reason, a statement with
// prompting questions, a supplemental file; the draft survives a reload; a review, then
// it is in). The developer sees the appeal and rejects it in the console, the player asks
// the platform, and platform staff decide in the console's platform queue, refunding the
// rest; the player's case page follows each step without a reload, and every order ends
// refunded to exactly its amount.
import { type Page, expect } from '@playwright/test';
import { XIAOMING, consoleDesk, developerAccount, expectNoAxeViolations, launchLink, platformAccount, submitComplaint, test } from './support';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

/** Opens the case in the console, restates the decision and confirms it. */
async function decideInConsole(desk: Page, caseNo: string, choose: (desk: Page) => Promise<void>): Promise<void> {
  await desk.goto(`/console/cases/${caseNo}`);
  await expect(desk.getByRole('heading', { level: 1, name: caseNo })).toBeVisible();
  await choose(desk);
  await desk.getByRole('button', { name: '核对后提交' }).click();
  await desk.getByRole('region', { name: '请确认' }).getByRole('button', { name: '确认并提交' }).click();
  await expect(desk.getByRole('button', { name: '核对后提交' })).toHaveCount(0);
}

test('a player appeals a partial refund, asks the platform, and gets the rest', async ({ page, browser }) => {
  const developer = await consoleDesk(browser, developerAccount());
  await page.goto(launchLink(XIAOMING));
  await expect(page).toHaveURL(/\/$/);
  const caseNo = await submitComplaint(page, 'appeal', {
    order_nos: ['DEMO-0005', 'DEMO-0006'],
    complaint: { category: 'false_advertising', demands: ['refund'], title: '皮肤效果和宣传不一样', contact: '13900001111' },
    narrative: '宣传图里的皮肤有特效，买了以后发现没有，和宣传完全不一样。',
  });

  // The developer refunds ¥10 of the ¥68 skin in the console, nothing of the ¥1 refill.
  await decideInConsole(developer, caseNo, async (desk) => {
    await desk.getByLabel('部分退款').check();
    await desk.getByLabel(/DEMO-0005/).fill('10');
  });

  await page.goto(`/cases/${caseNo}`);
  const next = page.getByRole('region', { name: '对结果不满意？' });
  await expect(next.getByText(/可以在 .* 前申诉/)).toBeVisible();
  // On the narrowest phones no date or time breaks across lines.
  await page.setViewportSize({ width: 320, height: 640 });
  const broken = await page.locator('time').evaluateAll((els) =>
    els.filter((e) => e.getClientRects().length > 1).map((e) => e.textContent),
  );
  expect(broken).toEqual([]);
  expect(await page.locator('time').count()).toBeGreaterThan(2);
  await page.setViewportSize({ width: 412, height: 915 });
  await next.getByRole('link', { name: '我要申诉' }).click();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(`申诉 ${caseNo}`) })).toBeVisible();

  // A reason, a statement and a file; then the page is closed and opened again.
  await page.getByRole('button', { name: '核对申诉' }).click();
  await expect(page.getByRole('alert')).toHaveText('请选择申诉原因。');
  await page.getByLabel('我有新的材料').check();
  await page.getByLabel('申诉说明').fill('宣传视频里皮肤有光效，我补充了宣传页截图，请按全额退款处理。');
  // A file over the limit is refused at once, by name, in the form's own words, under its
  // picker; the pickers speak the page's language, not the browser's.
  const screenshots = page.getByLabel('从相册或文件选择：截图');
  await expect(page.getByText('从相册或文件选择', { exact: true }).first()).toBeVisible();
  await expect(page.getByText(/每个文件不超过 20 MB/)).toBeVisible();
  await screenshots.setInputFiles({ name: '录屏.png', mimeType: 'image/png', buffer: Buffer.alloc(Math.round(21.3 * 1024 * 1024), 1) });
  const refused = page.getByRole('alert').filter({ hasText: '录屏.png' });
  await expect(refused).toHaveText('截图 · 录屏.png 这个文件有 21.3 MB，超过了每个文件 20 MB 的上限。请压缩或截取后再上传。');
  await screenshots.setInputFiles({ name: 'ad.png', mimeType: 'image/png', buffer: PNG });
  await expect(page.getByText('ad.png')).toBeVisible();
  await expect(refused).toHaveCount(0);
  await page.reload();
  await expect(page.getByLabel('申诉说明')).toHaveValue('宣传视频里皮肤有光效，我补充了宣传页截图，请按全额退款处理。');
  await expect(page.getByText('ad.png')).toBeVisible();
  await expect(page.getByLabel('我有新的材料')).toBeChecked();
  await expectNoAxeViolations(page);

  await page.getByRole('button', { name: '核对申诉' }).click();
  const review = page.getByRole('region', { name: '核对申诉' });
  await expect(review.getByText('宣传视频里皮肤有光效')).toBeVisible();
  await review.getByRole('button', { name: '提交申诉' }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${caseNo}$`));
  await expect(page.getByText('申诉中', { exact: true }).first()).toBeVisible();
  await expect(page.getByRole('region', { name: '处理记录' }).getByText('宣传视频里皮肤有光效', { exact: false })).toBeVisible();

  // The developer sees the appeal and what it added, and rejects it; the player asks the platform.
  await developer.goto(`/console/cases/${caseNo}`);
  const appealSeen = developer.getByRole('region', { name: '玩家的申诉' });
  await expect(appealSeen.getByText('ad.png', { exact: false })).toBeVisible();
  await expectNoAxeViolations(developer);
  await decideInConsole(developer, caseNo, async (desk) => {
    await desk.getByLabel('不予退款').check();
    await desk.getByLabel('不予退款的原因').selectOption({ label: '其他原因' });
    await desk.getByLabel('给玩家的说明').fill('特效需要另外购买。');
  });
  const again = page.getByRole('region', { name: '对结果不满意？' });
  await again.getByRole('button', { name: '请平台处理' }).click();
  await again.getByRole('button', { name: '确定，请平台处理' }).click();
  await expect(page.getByText('平台介入中', { exact: true }).first()).toBeVisible();
  await expectNoAxeViolations(page);

  // Platform staff find the case in their queue in the console and refund what is left.
  const staffPage = await consoleDesk(browser, platformAccount());
  await staffPage.getByRole('link', { name: '平台介入' }).click();
  const queued = staffPage.getByRole('row', { name: new RegExp(caseNo) });
  await expect(queued.getByText('玩家请平台处理')).toBeVisible();
  await expect(staffPage.getByRole('heading', { name: '工作日日历' })).toBeVisible();
  await expectNoAxeViolations(staffPage);
  await queued.getByRole('link', { name: caseNo }).click();
  await expect(staffPage.getByRole('heading', { name: '作出最终决定' })).toBeVisible();
  const appealed = staffPage.getByRole('region', { name: '玩家的申诉' });
  await expect(appealed.getByText('宣传视频里皮肤有光效', { exact: false })).toBeVisible();
  await expect(appealed.getByText('ad.png', { exact: false })).toBeVisible();
  await staffPage.getByLabel('给玩家的说明').fill('宣传与实际不符，全额退款。');
  await staffPage.getByRole('button', { name: '核对后提交' }).click();
  const confirm = staffPage.getByRole('region', { name: '请确认' });
  await expect(confirm.getByText('合计退款 ¥59.00')).toBeVisible();
  await confirm.getByRole('button', { name: '确认并提交' }).click();
  await expect(staffPage.getByRole('heading', { name: '作出最终决定' })).toHaveCount(0);

  // The developer lost the dispute: platform staff see the studio's score fall in the chart.
  await staffPage.getByRole('link', { name: '信用分' }).click();
  const studio = staffPage.getByRole('region', { name: /星光互娱/ });
  await expect(studio.getByRole('img', { name: /目前 95 分/ })).toBeVisible();
  await expect(studio.getByText('平台最终决定给了玩家更多')).toBeVisible();
  await expectNoAxeViolations(staffPage);
  await expect(page.getByText('已结案').first()).toBeVisible();
  await expect(page.getByText('共退款 ¥59.00')).toBeVisible();

  // Every order was refunded to exactly its amount, across the two decisions.
  const closed = await staffPage.request.get(`/api/console/cases/${caseNo}`);
  expect(closed.status()).toBe(200);
  const { orders, decisions } = await closed.json();
  expect(orders.map((o: { order_no: string }) => o.order_no).sort()).toEqual(['DEMO-0005', 'DEMO-0006']);
  const refunds = decisions.flatMap((d: { refunds: { order_no: string; amount_fen: number }[] }) => d.refunds);
  for (const { order_no: orderNo, amount_fen: amount, refunded_fen: refunded } of orders) {
    const paidBack = refunds
      .filter((r: { order_no: string }) => r.order_no === orderNo)
      .reduce((sum: number, r: { amount_fen: number }) => sum + r.amount_fen, 0);
    expect([orderNo, refunded, paidBack]).toEqual([orderNo, amount, amount]);
  }
});
