// The developer's console and the player's case page side by side, in two browser
// contexts: a new case reaches the queue without a reload, the developer reads the
// evidence and the orders, messages go both ways live, and a partial refund decided in the
// console (restated and confirmed first) appears on the player's open page with the
// unread badge, all without reloading either page.
import { expect } from '@playwright/test';
import {
  LELE,
  XIAOMING,
  consoleDesk,
  deskPage as newDeskPage,
  developerAccount,
  expectNoAxeViolations,
  launchLink,
  submitComplaint,
  test,
} from './support';

// A 2x2 PNG: enough for the server's checks and for the viewer to show.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

test('a developer answers and decides in the console while the player watches', async ({ page, browser }) => {
  // The developer signs in at a desk-sized window and opens the queue.
  const deskPage = await newDeskPage(browser);
  await deskPage.goto('/console/');
  await expect(deskPage.getByRole('heading', { level: 1, name: '登录工作台' })).toBeVisible();
  const { login, password } = developerAccount();
  await deskPage.getByLabel('账号').fill(login);
  await deskPage.getByLabel('密码').fill('not-the-password');
  await deskPage.getByRole('button', { name: '登录' }).click();
  await expect(deskPage.getByRole('alert')).toBeVisible();
  await deskPage.getByLabel('密码').fill(password);
  await deskPage.getByRole('button', { name: '登录' }).click();
  await expect(deskPage.getByRole('heading', { level: 1, name: '待办队列' })).toBeVisible();
  await expectNoAxeViolations(deskPage);

  // The player files a complaint about an order, with a screenshot.
  await page.goto(launchLink(LELE));
  await expect(page).toHaveURL(/\/$/);
  const uploaded = await page.request.post('/api/evidence', {
    multipart: { category: 'screenshots', file: { name: 'crash.png', mimeType: 'image/png', buffer: PNG } },
  });
  expect(uploaded.status()).toBe(201);
  const { id: evidenceId } = await uploaded.json();
  const caseNo = await submitComplaint(page, 'console', {
    order_nos: ['DEMO-1002'],
    complaint: { category: 'broken_feature', demands: ['refund'], title: '买了钻石没到账', contact: '13900001111' },
    narrative: '充值 328 钻石后扣了款，但游戏里的钻石数量没有变化，客服一直没回复。',
    evidence_ids: [evidenceId],
  });
  await page.goto(`/cases/${caseNo}`);
  await expect(page.getByText('待开发者处理')).toBeVisible();

  // It appears in the developer's queue without a reload, and opens.
  const row = deskPage.getByRole('link', { name: caseNo });
  await expect(row).toBeVisible();
  await row.click();
  await expect(deskPage.getByRole('heading', { level: 1, name: caseNo })).toBeVisible();
  const orders = deskPage.getByRole('region', { name: '申请的订单' });
  await expect(deskPage.getByRole('cell', { name: '328 钻石' })).toBeVisible();
  await expect(deskPage.getByRole('cell', { name: '¥328.00' }).first()).toBeVisible();
  // On a narrower desk the minor's age stays in sight, and a table wider than its frame
  // is a named region the keyboard can reach and scroll.
  await deskPage.setViewportSize({ width: 1024, height: 860 });
  const ageHeader = orders.getByRole('columnheader', { name: '消费时年龄' });
  const ageBox = await ageHeader.boundingBox();
  expect(ageBox && ageBox.x + ageBox.width).toBeLessThanOrEqual(1024);
  const table = orders.getByRole('region', { name: '订单明细' });
  await expect(table).toHaveAttribute('tabindex', '0');
  await expectNoAxeViolations(deskPage);
  await deskPage.setViewportSize({ width: 1280, height: 860 });

  // The evidence opens in the viewer and zooms.
  const evidence = deskPage.getByRole('region', { name: '材料', exact: true });
  await evidence.getByRole('button', { name: /crash\.png/ }).click();
  await expect(evidence.getByRole('img', { name: /crash\.png/ })).toBeVisible();
  await evidence.getByRole('button', { name: '放大' }).click();
  await expect(evidence.getByText('150%')).toBeVisible();
  // From the keyboard up to the largest zoom: the button says it can go no further and
  // keeps the focus.
  const zoomIn = evidence.getByRole('button', { name: '放大' });
  await zoomIn.focus();
  for (let i = 0; i < 4; i++) await deskPage.keyboard.press('Enter');
  await expect(evidence.getByText('400%')).toBeVisible();
  await expect(zoomIn).toHaveAttribute('aria-disabled', 'true');
  await expect(zoomIn).toBeFocused();
  await evidence.getByRole('button', { name: '缩小' }).click();
  await expectNoAxeViolations(deskPage);

  // Messages both ways, each showing up live on the other side.
  await deskPage.getByLabel('留言内容').fill('您好，我们查到这笔订单了，正在核对发放记录。');
  await deskPage.getByRole('button', { name: '发送留言' }).click();
  const playerTimeline = page.getByRole('region', { name: '处理记录' });
  await expect(playerTimeline.getByText('您好，我们查到这笔订单了，正在核对发放记录。')).toBeVisible();
  await page.getByLabel('留言内容').fill('好的，谢谢，麻烦尽快。');
  await page.getByRole('button', { name: '发送留言' }).click();
  const deskTimeline = deskPage.getByRole('region', { name: '处理记录' });
  await expect(deskTimeline.getByText('好的，谢谢，麻烦尽快。')).toBeVisible();

  // A partial refund: the form restates the money and asks for confirmation first.
  await deskPage.getByLabel('部分退款').check();
  await deskPage.getByLabel(/DEMO-1002/).fill('400');
  await deskPage.getByRole('button', { name: '核对后提交' }).click();
  await expect(deskPage.getByRole('alert')).toContainText('不能超过');
  await expect(deskPage.getByLabel(/DEMO-1002/)).toHaveAttribute('aria-invalid', 'true');
  await deskPage.getByLabel(/DEMO-1002/).fill('100.5');
  await deskPage.getByRole('button', { name: '核对后提交' }).click();
  const confirm = deskPage.getByRole('region', { name: '请确认' });
  await expect(confirm.getByText('合计退款 ¥100.50')).toBeVisible();
  // The reader is taken to what they confirm; Escape backs out to the form.
  await expect(confirm.getByRole('heading', { name: '请确认' })).toBeFocused();
  await deskPage.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await expect(deskPage.getByRole('button', { name: '核对后提交' })).toBeFocused();
  await deskPage.getByRole('button', { name: '核对后提交' }).click();
  await confirm.getByRole('button', { name: '确认并提交' }).click();
  const deskDecision = deskPage.getByRole('region', { name: '处理结果' });
  await expect(deskDecision.getByText('部分退款')).toBeVisible();
  await expect(deskPage.getByRole('button', { name: '核对后提交' })).toHaveCount(0);
  await expect(orders.getByRole('cell', { name: '¥227.50' })).toBeVisible();

  // The player's open page shows the result and the unread badge, without a reload.
  const decision = page.getByRole('region', { name: '处理结果' });
  await expect(decision.getByText('部分退款')).toBeVisible();
  await expect(decision.getByText('共退款 ¥100.50')).toBeVisible();
  await expect(page.getByRole('link', { name: '通知，2 条未读' })).toBeVisible();
  await expectNoAxeViolations(page);

  // The developer's notification centre lists the new case and the player's message.
  await deskPage.getByRole('link', { name: /^通知/ }).first().click();
  await expect(deskPage.getByRole('heading', { level: 1, name: '通知' })).toBeVisible();
  await expect(deskPage.getByRole('link', { name: new RegExp(caseNo) }).first()).toBeVisible();
  await expectNoAxeViolations(deskPage);
  await deskPage.context().close();
});

test('an open case keeps what the developer entered and revealed while it changes, and says when someone else decided', async ({
  page,
  browser,
}) => {
  await page.goto(launchLink(XIAOMING));
  await expect(page).toHaveURL(/\/$/);
  const caseNo = await submitComplaint(page, 'console-live', {
    order_nos: [],
    complaint: { category: 'broken_feature', demands: ['fix'], title: '排行榜一直不刷新', contact: '13900002222' },
    narrative: '每周的排行榜从上周一开始就没有刷新过，奖励也没有发。',
  });
  const desk = await consoleDesk(browser, developerAccount());
  await desk.goto(`/console/cases/${caseNo}`);
  await expect(desk.getByRole('heading', { level: 1, name: caseNo })).toBeVisible();
  const timeline = desk.getByRole('region', { name: '处理记录' });
  // The desk reads about the player, not "you".
  await expect(desk.getByText('玩家的诉求', { exact: true })).toBeVisible();
  await expect(desk.getByText('你的诉求', { exact: true })).toHaveCount(0);

  // Revealing the contact shows it, and it stays shown once the reveal is on the record.
  await desk.getByRole('button', { name: '显示号码以便联系' }).click();
  const phone = desk.getByRole('link', { name: '13900002222' });
  await expect(phone).toHaveAttribute('href', 'tel:13900002222');
  await expect(timeline.getByText('开发者查看了联系电话')).toBeVisible();
  await expect(phone).toBeVisible();

  // Half-way through a decision and a message, the player writes: the case changes on
  // screen, and nothing the developer entered goes.
  await desk.getByLabel('投诉不成立').check();
  // A complaint is refused for a complaint's reasons, not a child's refund's.
  const reasons = desk.locator('#reject-reason option');
  await expect(reasons).toContainText(['按你描述的情况无法重现这个问题', '游戏按公布的设计运行，不属于故障或违规']);
  await expect(reasons.filter({ hasText: '账号持有人是成年人' })).toHaveCount(0);
  await desk.locator('#reject-reason').selectOption({ label: '按你描述的情况无法重现这个问题' });
  await desk.getByLabel('给玩家的说明').fill('我们核对了服务器日志，排行榜每周一 0 点都已刷新。');
  await desk.getByLabel('留言内容').fill('请问您看的是哪个区的排行榜？');
  const asked = await page.request.post(`/api/cases/${caseNo}/messages`, { data: { text: '我在二区，今天还是上周的排名。' } });
  expect(asked.status()).toBe(201);
  await expect(timeline.getByText('我在二区，今天还是上周的排名。')).toBeVisible();
  await expect(desk.getByLabel('投诉不成立')).toBeChecked();
  await expect(desk.getByLabel('给玩家的说明')).toHaveValue('我们核对了服务器日志，排行榜每周一 0 点都已刷新。');
  await expect(desk.getByLabel('留言内容')).toHaveValue('请问您看的是哪个区的排行榜？');
  await expect(phone).toBeVisible();

  // A colleague decides first, in another window: this one says its form was not sent.
  const colleague = await consoleDesk(browser, developerAccount());
  await colleague.goto(`/console/cases/${caseNo}`);
  await colleague.getByLabel('给玩家的说明').fill('二区的排行榜已手动刷新，奖励今天补发。');
  await colleague.getByRole('button', { name: '核对后提交' }).click();
  await colleague.getByRole('region', { name: '请确认' }).getByRole('button', { name: '确认并提交' }).click();
  await expect(colleague.getByRole('region', { name: '处理结果' })).toBeVisible();
  await expect(colleague.getByText('刚刚已由别人作出决定')).toHaveCount(0);
  await expect(desk.getByText('这个申请刚刚已由别人作出决定')).toBeVisible();
  await expect(desk.getByRole('button', { name: '核对后提交' })).toHaveCount(0);
  await expect(desk.getByRole('region', { name: '处理结果' }).getByText('二区的排行榜已手动刷新')).toBeVisible();
  await expectNoAxeViolations(desk);
  await colleague.context().close();

  // Signing out from an open case ends cleanly on the sign-in page.
  const crashes: string[] = [];
  desk.on('pageerror', (error) => crashes.push(error.message));
  await desk.getByRole('button', { name: '退出登录' }).click();
  await expect(desk.getByRole('heading', { level: 1, name: '登录工作台' })).toBeVisible();
  await expect(desk).toHaveURL(/\/console\/$/);
  expect(crashes).toEqual([]);
  await desk.context().close();
});
