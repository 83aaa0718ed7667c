// The guardian's whole journey on a phone: launch, five steps, uploads with progress, a
// draft that survives closing the page, submission, and tracking from other browsers.
import { type BrowserContext, type CDPSession, expect, type Page } from '@playwright/test';
import { LELE, XIAOMING, expectNoAxeViolations, forgetPrivacyConsent, launchLink, test } from './support';

// A real 1x1 PNG and a real one-page PDF.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082',
  'hex',
);
function pdf(padding: number): Buffer {
  const body =
    '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n' +
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n' +
    `% ${'x'.repeat(padding)}\ntrailer << /Root 1 0 R >>\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

async function next(page: Page, heading: string) {
  await page.getByRole('button', { name: '下一步' }).click();
  const h2 = page.getByRole('heading', { level: 2, name: heading });
  await expect(h2).toBeVisible();
  await expect(h2).toBeFocused();
}

const devtools = new WeakMap<Page, CDPSession>();

/** Limits the page's upload speed to `bytesPerSecond` (`-1`: unlimited again), through one
 * DevTools session per page so that the second call undoes the first. */
async function throttleUploads(context: BrowserContext, page: Page, bytesPerSecond: number) {
  let cdp = devtools.get(page);
  if (!cdp) {
    cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    devtools.set(page, cdp);
  }
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: bytesPerSecond < 0 ? 0 : 20,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond,
  });
}

/** Records every value any <progress> element takes, so the test can see it fill up. */
async function watchProgress(page: Page) {
  await page.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { progressSeen: number[] }).progressSeen = seen;
    const record = () => document.querySelectorAll('progress').forEach((p) => seen.push(Number(p.value)));
    new MutationObserver(record).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['value'],
    });
  });
}

async function progressSeen(page: Page): Promise<number[]> {
  return page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
}

test('a guardian applies with evidence, closes the page midway, submits, and tracks the case elsewhere', async ({
  page,
  browser,
  context,
}) => {
  await page.goto(launchLink(XIAOMING));
  await expect(page).toHaveURL(/\/$/);

  // A second signed-in browser watches the list of cases for the new one to appear live.
  const watcherContext = await browser.newContext();
  const watcher = await watcherContext.newPage();
  await watcher.goto(launchLink(XIAOMING));
  await expect(watcher).toHaveURL(/\/$/);
  await watcher.goto('/cases');
  await expect(watcher.getByRole('heading', { level: 1, name: '我的申请' })).toBeVisible();

  await page.getByRole('link', { name: '申请未成年人退款' }).first().click();
  await expect(page.getByRole('heading', { level: 2, name: '选择订单' })).toBeVisible();
  await expectNoAxeViolations(page);

  // Step 1: orders, with a running total.
  await page.getByRole('button', { name: '下一步' }).click();
  await expect(page.getByText('请至少选择一笔订单。')).toBeVisible();
  await page.getByRole('checkbox', { name: /648 钻石/ }).check();
  await page.getByRole('checkbox', { name: /限时礼包/ }).check();
  await expect(page.getByText('已选 2 笔，申请退款合计 ¥776.00')).toBeVisible();
  await next(page, '监护人与孩子');

  // Step 2: the guardian and the minor; a bad phone number is caught beside the field.
  await page.getByLabel('你与孩子的关系').selectOption({ label: '母亲' });
  await page.getByLabel('监护人姓名').fill('王丽');
  await page.getByLabel('手机号码').fill('12345');
  await page.getByLabel('出生年份').selectOption('2014');
  await page.getByLabel('出生月份').selectOption('5');
  await page.getByRole('button', { name: '下一步' }).click();
  await expect(page.getByText('请输入 11 位中国大陆手机号，例如 13800138000。')).toBeVisible();
  await expect(page.getByLabel('手机号码')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('手机号码').fill('13800138000');
  await expect(page.getByText('12 岁').first()).toBeVisible();
  await expectNoAxeViolations(page);
  await next(page, '事情经过');

  // Step 3: what happened.
  await page
    .getByLabel('事情经过')
    .fill('孩子周末用我的手机玩游戏，趁我不注意用免密支付买了礼包和钻石，我当时在做饭没有发现，第二天看账单才知道。');
  await expectNoAxeViolations(page);
  await next(page, '上传材料');

  // Step 4: evidence. The limits are stated before any upload; uploads show progress.
  await expect(page.getByText(/每个文件不超过/)).toBeVisible();
  await expect(page.getByText('还缺少以下必需材料：')).toBeVisible();
  await throttleUploads(context, page, 256 * 1024);
  await watchProgress(page);
  // Identity documents wait for explicit consent to the privacy notice.
  const idPicker = page.getByLabel('从相册或文件选择：未成年人身份证明');
  await expect(page.getByRole('heading', { level: 3, name: '关于身份证件和隐私' })).toBeVisible();
  await expect(page.getByText('案件结束后再保存 180 天，然后自动删除。')).toBeVisible();
  await expect(idPicker).toBeDisabled();
  await expect(page.getByLabel('拍照：未成年人身份证明')).toBeDisabled();
  await expect(page.getByText('拍照前遮住身份证号码的前 6 位和后 4 位，只露出中间表示出生日期的 8 位。')).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: '我已阅读并同意，开始上传身份证件' }).click();
  await expect(page.getByText('✓ 你已同意以上隐私说明，可以上传身份证件。')).toBeVisible();
  await expect(idPicker).toBeEnabled();
  await expect(page.getByLabel('拍照：未成年人身份证明')).toHaveAttribute('capture', 'environment');
  await page.getByLabel('从相册或文件选择：未成年人身份证明').setInputFiles({
    name: '出生证明.pdf',
    mimeType: 'application/pdf',
    buffer: pdf(600_000),
  });
  await expect(page.getByText('出生证明.pdf')).toBeVisible();
  await expect(page.getByRole('button', { name: '删除 出生证明.pdf' })).toBeVisible({ timeout: 30_000 });
  const values = await progressSeen(page);
  expect(values.some((v) => v > 0 && v < 100), `progress values ${values}`).toBe(true);
  expect(Math.max(...values)).toBe(100);
  await throttleUploads(context, page, -1);

  // Close the web view midway and open the form again: the draft comes back.
  await page.close();
  const reopened = await context.newPage();
  await reopened.goto('/apply');
  await expect(reopened.getByRole('heading', { level: 2, name: '上传材料' })).toBeVisible();
  await expect(reopened.getByRole('button', { name: '删除 出生证明.pdf' })).toBeVisible();

  await reopened.getByLabel('从相册或文件选择：监护关系证明').setInputFiles({
    name: '户口簿.png',
    mimeType: 'image/png',
    buffer: PNG,
  });
  await reopened.getByLabel('从相册或文件选择：监护人身份证明').setInputFiles({
    name: '身份证.png',
    mimeType: 'image/png',
    buffer: Buffer.concat([PNG, Buffer.from('id')]),
  });
  await expect(reopened.getByText('必需的材料都已上传。')).toBeVisible();
  // A picture shows as a thumbnail, and a category that has its file folds its prompt away.
  const household = reopened.locator('li.file', { hasText: '户口簿.png' }).locator('img.thumb');
  await expect(household).toBeVisible();
  expect(await household.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await expect(reopened.locator('section.evidence.done details.how').first()).not.toHaveAttribute('open', '');
  await expectNoAxeViolations(reopened);
  await next(reopened, '确认提交');
  // Changing one part from the review goes straight back to the review afterwards.
  await reopened.getByRole('button', { name: /^修改.*事情经过/ }).click();
  await expect(reopened.getByRole('heading', { level: 2, name: '事情经过' })).toBeFocused();
  await reopened.getByRole('button', { name: '改好了，返回核对' }).click();
  await expect(reopened.getByRole('heading', { level: 2, name: '确认提交' })).toBeFocused();

  // Step 5: review and submit (a double click still makes one case).
  await expect(reopened.getByText('王丽')).toBeVisible();
  await expect(reopened.getByText('户口簿.png')).toBeVisible();
  await expectNoAxeViolations(reopened);
  await reopened.getByRole('button', { name: '提交申请' }).dblclick();
  await expect(reopened).toHaveURL(/\/cases\/MR-\d{4}-\d{6}\?submitted=\d{4}-\d{2}-\d{2}&reach=phone&money=1$/);
  const caseNo = new URL(reopened.url()).pathname.split('/').pop() as string;
  // The confirmation says it went through, what happens next and by when, and takes the focus.
  const submitted = reopened.getByRole('region', { name: '提交成功' });
  await expect(submitted.getByRole('heading', { name: '提交成功' })).toBeFocused();
  await expect(submitted.getByText(`案件编号 ${caseNo}`, { exact: false })).toBeVisible();
  await expect(submitted.getByText(/开发者须在 \d{4}-\d{2}-\d{2} 前答复/)).toBeVisible();
  await expect(submitted.getByText(/原路退回/)).toBeVisible();
  await expectNoAxeViolations(reopened);

  // The tracker: state, timeline, deadline, evidence, tracking link.
  await expect(reopened.getByRole('heading', { level: 1 })).toContainText(caseNo);
  await expect(reopened.getByText('待开发者处理').first()).toBeVisible();
  await expect(reopened.getByText('开发者答复期限')).toBeVisible();
  await expect(reopened.getByText(/还剩 \d+ 个工作日|今天是最后一个工作日/)).toBeVisible();
  await expect(reopened.getByRole('img', { name: /户口簿\.png/ })).toBeVisible();
  await expect(reopened.getByRole('link', { name: /出生证明\.pdf/ })).toBeVisible();
  await expectNoAxeViolations(reopened);
  const trackingUrl = await reopened.getByLabel('跟踪链接地址').inputValue();
  // The key rides in the fragment, which browsers never send to a server.
  expect(trackingUrl).toContain(`/track/${caseNo}#key=`);

  // The list in the other browser showed the new case without a reload.
  await expect(watcher.getByRole('link', { name: new RegExp(caseNo) })).toBeVisible();
  const cases = await reopened.request.get('/api/cases');
  expect((await cases.json()).filter((c: { case_no: string }) => c.case_no === caseNo)).toHaveLength(1);

  // Any browser, no session: the tracking link shows the same case.
  const stranger = await browser.newContext();
  const tracker = await stranger.newPage();
  await tracker.goto(trackingUrl);
  await expect(tracker.getByRole('heading', { level: 1 })).toContainText(caseNo);
  await expect(tracker.getByText('你正在通过跟踪链接查看这个申请（只读）。')).toBeVisible();
  await expect(tracker.getByText('待开发者处理').first()).toBeVisible();
  // ...but nothing private: no guardian, no account of what happened, no evidence; the
  // page says who sees those instead.
  await expect(tracker.getByText(/只有申请人、开发者和平台能看到/)).toBeVisible();
  await expect(tracker.getByText('王丽')).toHaveCount(0);
  await expect(tracker.getByRole('heading', { name: '材料' })).toHaveCount(0);
  await expect(tracker.getByRole('img', { name: /户口簿\.png/ })).toHaveCount(0);
  await expect(tracker.getByRole('link', { name: /出生证明\.pdf/ })).toHaveCount(0);
  await expectNoAxeViolations(tracker);
  // A link in the old form, with the key in the query string, is refused with advice.
  const oldForm = await stranger.newPage();
  await oldForm.goto(trackingUrl.replace('#key=', '?key='));
  await expect(oldForm.getByRole('alert')).toContainText('旧格式');
  await oldForm.close();

  // The tracker updates live when the case changes: the guardian withdraws it.
  // The confirmation takes the focus, keeps it while tabbing, and Escape backs out of it.
  await reopened.getByRole('button', { name: '撤回申请' }).click();
  const panel = reopened.getByRole('group', { name: /确定要撤回/ });
  await expect(panel.getByLabel('撤回原因（可选）')).toBeFocused();
  for (let i = 0; i < 3; i += 1) await reopened.keyboard.press('Tab');
  await expect(panel.getByLabel('撤回原因（可选）')).toBeFocused();
  await reopened.keyboard.press('Escape');
  await expect(reopened.getByRole('button', { name: '撤回申请' })).toBeFocused();
  await reopened.getByRole('button', { name: '撤回申请' }).click();
  await reopened.getByRole('button', { name: '确认撤回' }).click();
  // The button is gone: the reader lands on the case's state, which says it is withdrawn.
  await expect(reopened.getByRole('heading', { level: 2, name: '当前状态' })).toBeFocused();
  await expect(reopened.getByText('已撤回').first()).toBeVisible();
  await expect(tracker.getByText('已撤回').first()).toBeVisible();
  await expect(watcher.getByText('已撤回').first()).toBeVisible();

  await stranger.close();
  await watcherContext.close();
});

test('the form works in English too', async ({ page }) => {
  await page.goto(launchLink(XIAOMING));
  await page.getByRole('button', { name: '切换语言：English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.goto('/apply');
  await expect(page.getByRole('heading', { level: 2, name: 'Orders' })).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText('Choose at least one order.')).toBeVisible();
  await expectNoAxeViolations(page);

  // On a 360 px phone the English header keeps to one line, as the Chinese one does.
  await page.setViewportSize({ width: 360, height: 740 });
  const bar = page.locator('.site-header .bar');
  const barHeight = () => bar.evaluate((el) => el.getBoundingClientRect().height);
  const english = await barHeight();
  await page.getByRole('button', { name: 'Switch language: 中文' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  expect(english).toBe(await barHeight());
});

test('after a failed step the focus lands on the first error on screen', async ({ page }) => {
  await page.goto(launchLink(LELE));
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/apply');
  // Step 1: no order chosen: the list of orders, which says what is missing.
  await page.getByRole('button', { name: '下一步' }).click();
  await expect(page.locator('fieldset.orders')).toBeFocused();
  await page.getByRole('checkbox', { name: /新手礼包/ }).check();
  await next(page, '监护人与孩子');
  // Step 2: everything empty: the relation, which comes first, not the last field.
  await page.getByRole('button', { name: '下一步' }).click();
  await expect(page.getByLabel('你与孩子的关系')).toBeFocused();
  // Only the phone is wrong: the phone.
  await page.getByLabel('你与孩子的关系').selectOption({ label: '父亲' });
  await page.getByLabel('监护人姓名').fill('李强');
  await page.getByLabel('手机号码').fill('+86 139 0013 9000');
  await page.getByLabel('出生年份').selectOption('2015');
  await page.getByLabel('出生月份').selectOption('3');
  await next(page, '事情经过');
  // Step 3: too short.
  await page.getByLabel('事情经过').fill('孩子买的');
  await page.getByRole('button', { name: '下一步' }).click();
  await expect(page.getByLabel('事情经过')).toBeFocused();
  await page.getByLabel('事情经过').fill('孩子用我的手机玩游戏时买了新手礼包，我没有注意到，后来看账单才发现。');
  await next(page, '上传材料');
  // Step 4: nothing uploaded and no consent yet: the consent, which comes first; once it
  // is given, the first required category's picker, not a later one.
  await page.getByRole('button', { name: '下一步' }).click();
  const consent = page.getByRole('button', { name: '我已阅读并同意，开始上传身份证件' });
  await expect(consent).toBeFocused();
  // Said in words beside the button (and read with it), not only by its red outline.
  await expect(page.locator('#privacy-error')).toHaveText('上传身份证件前，需要先阅读并同意隐私说明。');
  await expect(consent).toHaveAccessibleDescription(/需要先阅读并同意隐私说明/);
  await consent.click();
  await page.getByRole('button', { name: '下一步' }).click();
  await expect(page.getByLabel('从相册或文件选择：未成年人身份证明')).toBeFocused();
});

/** As Lele, through the first three steps of a refund for the 328-diamond order, to the
 * evidence step. */
async function toEvidenceStep(page: Page) {
  await page.goto(launchLink(LELE));
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/apply');
  await page.getByRole('checkbox', { name: /328 钻石/ }).check();
  await next(page, '监护人与孩子');
  await page.getByLabel('你与孩子的关系').selectOption({ label: '父亲' });
  await page.getByLabel('监护人姓名').fill('李强');
  await page.getByLabel('手机号码').fill('139 0013 9000');
  await page.getByLabel('出生年份').selectOption('2015');
  await page.getByLabel('出生月份').selectOption('3');
  await next(page, '事情经过');
  await page.getByLabel('事情经过').fill('孩子用我的手机玩游戏时买了月卡，我没有注意到，后来看账单才发现。');
  await next(page, '上传材料');
}

test('the evidence step says why a file is refused, waits for uploads, and shows examples large', async ({
  page,
  context,
}) => {
  await toEvidenceStep(page);

  // On the narrowest phone the step fits its width: nothing is cut off at the edge.
  const phone = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 700 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  if (phone) await page.setViewportSize(phone);

  // The picker speaks the page's language, not the browser's ("Choose Files").
  await expect(page.getByText('从相册或文件选择', { exact: true }).first()).toBeVisible();
  await expect(page.getByText('拍照', { exact: true }).first()).toBeVisible();

  // A text file named as a photo: refused, saying what it really is.
  await page.getByLabel('从相册或文件选择：支付记录').setInputFiles({
    name: '账单.jpg',
    mimeType: 'image/jpeg',
    buffer: Buffer.from('2026-11-01 星辰物语 月卡 30.00 元\n', 'utf8'),
  });
  await expect(page.getByText(/这个文件其实是文本文件，不是照片、视频或 PDF。/)).toBeVisible();
  // A file over the size limit: refused before sending, with its size and the limit.
  await page.getByLabel('从相册或文件选择：支付记录').setInputFiles({
    name: '录屏.png',
    mimeType: 'image/png',
    buffer: Buffer.alloc(Math.round(21.3 * 1024 * 1024), 1),
  });
  await expect(page.getByText('这个文件有 21.3 MB，超过了每个文件 20 MB 的上限。请压缩或截取后再上传。')).toBeVisible();
  await expectNoAxeViolations(page);
  // One word removes a refused file as it removes a stored one.
  const removes = page.getByRole('button', { name: '删除', exact: true });
  await expect(removes).toHaveCount(2);
  await removes.first().click();
  await removes.first().click();
  await expect(removes).toHaveCount(0);

  // The example opens large in a dialog, which Escape closes.
  const minor = page.getByRole('region', { name: /^未成年人身份证明/ });
  await minor.getByRole('button', { name: '示例（点按放大）' }).click();
  const dialog = page.getByRole('dialog', { name: /未成年人身份证明/ });
  await expect(dialog).toBeVisible();
  expect((await dialog.locator('svg.example-svg').boundingBox())?.width ?? 0).toBeGreaterThan(200);
  await expectNoAxeViolations(page);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // "Next" while a required file is still on its way says so. (Consent is remembered per
  // player: this one may have given it in an earlier test.)
  const agree = page.getByRole('button', { name: '我已阅读并同意，开始上传身份证件' });
  if (await agree.isVisible()) await agree.click();
  await expect(page.getByText('✓ 你已同意以上隐私说明，可以上传身份证件。')).toBeVisible();
  await throttleUploads(context, page, 64 * 1024);
  await page.getByLabel('从相册或文件选择：未成年人身份证明').setInputFiles({
    name: '出生证明.pdf',
    mimeType: 'application/pdf',
    buffer: pdf(400_000),
  });
  await page.getByRole('button', { name: '下一步' }).click();
  await expect(page.getByText('文件还在上传，上传完成后再点“下一步”。')).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: '上传材料' })).toBeVisible();
  await throttleUploads(context, page, -1);
  await expect(page.getByRole('button', { name: '删除 出生证明.pdf' })).toBeVisible({ timeout: 30_000 });
});

test('a file refused because no consent is on record any more is sent once the parent agrees again', async ({
  page,
}) => {
  await toEvidenceStep(page);
  const agree = page.getByRole('button', { name: '我已阅读并同意，开始上传身份证件' });
  if (await agree.isVisible()) await agree.click();
  await expect(page.getByText('✓ 你已同意以上隐私说明，可以上传身份证件。')).toBeVisible();

  // The consent is gone on the server while the page still shows it given.
  forgetPrivacyConsent(LELE);
  await page.getByLabel('从相册或文件选择：未成年人身份证明').setInputFiles({
    name: '户口本.png',
    mimeType: 'image/png',
    buffer: PNG,
  });
  const refused = page.getByRole('alert').filter({ hasText: '上传身份证件前，需要先阅读并同意隐私说明。' });
  await expect(refused).toBeVisible();
  // The notice asks again, and the identity pickers wait for it.
  await expect(agree).toBeVisible();
  await expect(page.getByLabel('从相册或文件选择：未成年人身份证明')).toBeDisabled();
  await expectNoAxeViolations(page);

  // Agreeing sends the refused file without picking it again.
  await agree.click();
  await expect(page.getByRole('button', { name: '删除 户口本.png' })).toBeVisible();
  await expect(refused).toHaveCount(0);
  await expect(page.getByLabel('从相册或文件选择：未成年人身份证明')).toBeEnabled();
});

test("the browser's back button goes one step back inside the form, and home offers the draft", async ({ page }) => {
  await page.goto(launchLink(LELE));
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/apply');
  await page.getByRole('checkbox', { name: /新手礼包/ }).check();
  await next(page, '监护人与孩子');
  await page.getByLabel('监护人姓名').fill('李强');
  await page.goBack();
  await expect(page.getByRole('heading', { level: 2, name: '选择订单' })).toBeVisible();
  await expect(page).toHaveURL(/\/apply\?step=1$/);
  await page.goForward();
  await expect(page.getByRole('heading', { level: 2, name: '监护人与孩子' })).toBeVisible();
  await expect(page.getByLabel('监护人姓名')).toHaveValue('李强');
  // Home offers the saved draft, at the step it was left.
  await page.goto('/');
  const saved = page.getByRole('region', { name: '你有一份还没提交的申请，上次填到第 2 步。' });
  await expect(saved).toBeVisible();
  await expectNoAxeViolations(page);
  await saved.getByRole('link', { name: '继续填写' }).click();
  await expect(page.getByRole('heading', { level: 2, name: '监护人与孩子' })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: '小游戏退款与投诉' })).toBeVisible();
});
