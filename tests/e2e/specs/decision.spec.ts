// The player's side of a case in progress: messages both ways on the case page, and the
// developer's decision shown as soon as it is made (no reload), in words and money; the
// player can accept it.
import { expect, request } from '@playwright/test';
import { XIAOMING, developerAccount, expectNoAxeViolations, launchLink, submitComplaint, test } from './support';

test('messages go both ways and a decision appears on the open case page at once; accepting closes the case', async ({
  page,
}) => {
  await page.goto(launchLink(XIAOMING));
  await expect(page).toHaveURL(/\/$/);
  // Other specs share this player: start from nothing unread, so the counts below are ours.
  expect((await page.request.post('/api/notifications/read', { data: {} })).status()).toBe(200);
  const caseNo = await submitComplaint(page, 'decision', {
    complaint: { category: 'broken_feature', demands: ['explanation'], title: '签到奖励没有到账', contact: '13900001111' },
    narrative: '连续七天签到后领取奖励，提示成功但背包里什么都没有，重新登录也一样。',
  });
  await page.goto(`/cases/${caseNo}`);
  await expect(page.getByText('待开发者处理')).toBeVisible();

  // The developer answers and decides through the console's API (console.spec.ts drives its pages).
  const { login, password } = developerAccount();
  const desk = await request.newContext({ baseURL: process.env.BASE_URL });
  expect((await desk.post('/api/console/login', { data: { login, password } })).status()).toBe(200);

  await page.getByLabel('留言内容').fill('请问大概什么时候能处理？');
  await page.getByRole('button', { name: '发送留言' }).click();
  const timeline = page.getByRole('region', { name: '处理记录' });
  await expect(timeline.getByText('请问大概什么时候能处理？')).toBeVisible();
  await expect(page.getByLabel('留言内容')).toHaveValue('');
  const answered = await desk.post(`/api/console/cases/${caseNo}/messages`, {
    data: { text: '您好，我们正在核实，今天内答复。' },
  });
  expect(answered.status()).toBe(201);
  await expect(timeline.getByText('您好，我们正在核实，今天内答复。')).toBeVisible();
  await expect(page.getByRole('link', { name: '通知，1 条未读' })).toBeVisible();

  // The parent is half-way through a reply when the developer writes again: the new
  // message shows up, and the reply being written stays, with the cursor in it.
  const reply = page.getByLabel('留言内容');
  await reply.fill('好的，我等你们的消息');
  await expect(reply).toBeFocused();
  const again = await desk.post(`/api/console/cases/${caseNo}/messages`, { data: { text: '补充一句：奖励会发到游戏邮箱。' } });
  expect(again.status()).toBe(201);
  await expect(timeline.getByText('补充一句：奖励会发到游戏邮箱。')).toBeVisible();
  await expect(reply).toHaveValue('好的，我等你们的消息');
  await expect(reply).toBeFocused();
  await reply.fill('');

  const decided = await desk.post(`/api/console/cases/${caseNo}/decision`, {
    data: { outcome: 'full', note: '该问题已在 1.2.3 版本修复，奖励已补发到邮箱。', refunds: [] },
  });
  expect(decided.status()).toBe(201);

  const decision = page.getByRole('region', { name: '处理结果' });
  await expect(decision).toBeVisible();
  // A complaint without orders is upheld with a written answer, not money.
  await expect(decision.getByText('投诉成立，书面答复')).toBeVisible();
  await expect(decision.getByText('该问题已在 1.2.3 版本修复，奖励已补发到邮箱。')).toBeVisible();
  await expect(decision.getByText('共退款')).toHaveCount(0);
  await expectNoAxeViolations(page);

  await decision.getByRole('button', { name: '接受处理结果' }).click();
  await expect(page.getByText('已结案')).toBeVisible();
  await expect(decision.getByRole('button', { name: '接受处理结果' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: '通知，3 条未读' })).toBeVisible();

  // The notification centre lists what happened, and opening it marks it read.
  await page.getByRole('link', { name: '通知，3 条未读' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '通知' })).toBeVisible();
  await expect(page.getByRole('link', { name: new RegExp(`开发者作出处理决定 ${caseNo}`) })).toBeVisible();
  await expect(page.getByRole('link', { name: '通知', exact: true })).toBeVisible();
  await expectNoAxeViolations(page);

  // The case page makes a tracking link, and replaces it: the old one stops working.
  await page.goto(`/cases/${caseNo}`);
  await page.getByRole('button', { name: '获取新的跟踪链接' }).click();
  const address = page.getByLabel('跟踪链接地址');
  const first = await address.inputValue();
  expect(first).toContain(`/track/${caseNo}#key=`);
  // Replacing asks first; Escape backs out with the link unchanged and focus on the button.
  const replace = page.getByRole('button', { name: '更换跟踪链接' });
  await replace.click();
  const question = page.getByRole('group', { name: /旧链接会立即失效/ });
  await expect(question.getByRole('button', { name: '确定更换' })).toBeFocused();
  await expectNoAxeViolations(page);
  await page.keyboard.press('Escape');
  await expect(question).toHaveCount(0);
  await expect(replace).toBeFocused();
  expect(await address.inputValue()).toEqual(first);
  await replace.click();
  await question.getByRole('button', { name: '确定更换' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已更换，旧链接已失效。' })).toBeVisible();
  // The new link shows in the same box, and focus is back on the button, not lost.
  await expect(address).not.toHaveValue(first);
  await expect(replace).toBeFocused();
  const second = await address.inputValue();
  expect(second).not.toEqual(first);
  const keyOf = (link: string) => decodeURIComponent(new URL(link).hash.replace('#key=', ''));
  const track = (link: string) =>
    page.request.get(`/api/track/${caseNo}`, { headers: { 'X-Tracking-Key': keyOf(link) } });
  expect((await track(first)).status()).toBe(404);
  expect((await track(second)).status()).toBe(200);
  await expectNoAxeViolations(page);
  await desk.dispose();
});
