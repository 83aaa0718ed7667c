// The static shell: the page's header, title and lead paint from index.html alone, before
// the app has downloaded, and the app takes over without moving them.
import { type Page, expect } from '@playwright/test';
import { LELE, XIAOMING, expectNoAxeViolations, launchLink, submitComplaint, test } from './support';

const WASM = /\.wasm$/;

/** Holds back every wasm download until the returned function is called: until then,
 * what the page shows comes from its HTML alone. */
async function holdWasm(page: Page): Promise<() => void> {
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(WASM, async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

/** Where the header, the page's title and its lead are: the app must not move them. */
function layout(page: Page) {
  return page.evaluate(() => {
    const box = (selector: string) => {
      const r = document.querySelector(selector)!.getBoundingClientRect();
      return [r.x, r.y, r.width, r.height];
    };
    return { header: box('.site-header'), title: box('main h1'), lead: box('main .lead') };
  });
}

test('the apply page paints its title from the HTML before the app arrives, and nothing moves when it does', async ({
  page,
}) => {
  await page.setViewportSize({ width: 360, height: 780 });
  await page.goto(launchLink(XIAOMING));
  await expect(page.getByRole('heading', { level: 1, name: '小游戏退款与投诉' })).toBeVisible();

  // Hold the wasm back: what shows now comes from index.html alone.
  const release = await holdWasm(page);
  await page.goto('/apply', { waitUntil: 'domcontentloaded' });
  const title = page.getByRole('heading', { level: 1, name: '申请未成年人退款' });
  await expect(title).toBeVisible();
  await expect(page.getByText('共 5 步。填写的内容会自动保存在本机，关闭页面后再打开可以接着填。')).toBeVisible();
  await expect(page.getByRole('link', { name: '未成年人退款' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('status')).toContainText('正在加载…');
  await expectNoAxeViolations(page);
  const before = await layout(page);
  const shellTitle = await title.elementHandle();

  release();
  // The app has mounted once its own header controls work: the shell's switch is disabled.
  await expect(page.getByRole('button', { name: '切换语言：English' })).toBeEnabled();
  await expect(page.locator('#boot')).toHaveCount(0);
  expect(await shellTitle!.evaluate((el) => el.isConnected)).toBe(false);
  expect(await layout(page)).toEqual(before);
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
});

test('a reader who chose English gets the shell in English, and the app mounts in English over it', async ({
  page,
}) => {
  await page.setViewportSize({ width: 360, height: 780 });
  await page.goto(launchLink(XIAOMING));
  await page.getByRole('button', { name: '切换语言：English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mini-game refunds and complaints' })).toBeVisible();

  const release = await holdWasm(page);
  // Every title the page's main heading shows once the shell's script has run (it runs
  // as the page is parsed, before the first paint), until the app has taken over.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { titlesSeen: string[] }).titlesSeen = seen;
    const note = () => {
      const h1 = document.querySelector('main h1');
      if (h1 && seen.at(-1) !== h1.textContent) seen.push(h1.textContent ?? '');
    };
    document.addEventListener('DOMContentLoaded', () => {
      note();
      new MutationObserver(note).observe(document, { subtree: true, childList: true, characterData: true });
    });
  });
  await page.goto('/apply', { waitUntil: 'domcontentloaded' });
  const title = page.getByRole('heading', { level: 1, name: "Refund for a child's purchase" });
  await expect(title).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByText('Five steps. What you enter is saved on this device')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Child refund' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText('Loading…');
  await expect(page.getByRole('button', { name: 'Switch language: 中文' })).toHaveText('中文');
  await expectNoAxeViolations(page);
  const before = await layout(page);

  release();
  await expect(page.getByRole('button', { name: 'Switch language: 中文' })).toBeEnabled();
  await expect(page.locator('#boot')).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 2, name: 'Orders', exact: true })).toBeVisible();
  expect(await layout(page)).toEqual(before);
  const titles = await page.evaluate(() => (window as unknown as { titlesSeen: string[] }).titlesSeen);
  expect(titles.length).toBeGreaterThan(0);
  expect(titles.filter((t) => t !== "Refund for a child's purchase")).toEqual([]);
});

test('an English reader never sees the shell in Chinese, even before its script has run', async ({ page }) => {
  // The page as a browser has it while still parsing, before the shell's own script:
  // served without that script (the one that follows <main>), the wasm held back.
  const header = page.locator('#boot .site-header');
  await page.route(WASM, () => {});
  await page.route('**/help', async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace(/<script>(?:(?!<\/script>)[\s\S])*refundShellPainted[\s\S]*?<\/script>/, '');
    // What is left is the one in <head> (and the module loader).
    expect(html.split('<script>').length - 1).toBe(1);
    await route.fulfill({ response, body: html });
  });
  await page.goto('/help', { waitUntil: 'domcontentloaded' });
  await expect(header).toBeVisible();
  expect(await header.textContent()).toContain('退款服务台');

  // In English, that same moment shows nothing rather than the Chinese words.
  await page.evaluate(() => localStorage.setItem('refund-desk.lang', 'en'));
  await page.goto('/help', { waitUntil: 'domcontentloaded' });
  await expect(page.locator('#boot')).toHaveCount(1);
  await expect(header).toBeHidden();

  // Once the script runs, the shell shows, in English.
  await page.unroute('**/help');
  await page.goto('/help', { waitUntil: 'domcontentloaded' });
  await expect(header).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Help' })).toBeVisible();
  await expect(page.locator('html')).not.toHaveClass(/shell-en/);
});

test("an English catalog that never arrives leaves the app in Chinese, and the reader's choice kept", async ({
  page,
}) => {
  await page.goto(launchLink(XIAOMING));
  await page.getByRole('button', { name: '切换语言：English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mini-game refunds and complaints' })).toBeVisible();

  // The catalog's request hangs: the app must not wait for it forever.
  let answer: () => void = () => {};
  const hung = new Promise<void>((resolve) => (answer = resolve));
  await page.route('**/i18n/en.json', async (route) => {
    await hung;
    // Unrouting may have let the request go on already.
    await route.abort().catch(() => {});
  });
  await page.goto('/apply');
  await expect(page.getByRole('button', { name: '切换语言：English' })).toBeEnabled({ timeout: 20_000 });
  await expect(page.getByRole('heading', { level: 1, name: '申请未成年人退款' })).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('refund-desk.lang'))).toBe('en');
  answer();
  await page.unroute('**/i18n/en.json');

  // Next time the catalog is there, the page opens in English again.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: "Refund for a child's purchase" })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Switch language: 中文' })).toBeEnabled();
});

test('the follow-up pages paint their title and lead from the shell and keep them in place when the app takes over, in both languages', async ({
  page,
}) => {
  await page.goto(launchLink(XIAOMING));
  await expect(page).toHaveURL(/\/$/);
  const caseNo = await submitComplaint(page, 'shell', {
    order_nos: [],
    complaint: { category: 'broken_feature', demands: ['fix'], title: '签到按钮点了没反应', contact: '13900001111' },
    narrative: '每天签到的按钮点了以后没有任何反应，已经连续三天了。',
  });
  const languages = [
    {
      leads: { case: '有新进展时，这个页面会自动更新', cases: '最新的在前', notifications: '所有通知即标为已读' },
      title: '申请',
      mounted: '切换语言：English',
    },
    {
      leads: { case: 'this page updates by itself', cases: 'newest first', notifications: 'marks them all as read' },
      title: 'Case',
      mounted: 'Switch language: 中文',
    },
  ];
  for (const language of languages) {
    if (language.title === 'Case') {
      await page.getByRole('button', { name: '切换语言：English' }).click();
      await expect(page.getByRole('button', { name: language.mounted })).toBeEnabled();
    }
    for (const path of ['/cases', `/cases/${caseNo}`, `/cases/${caseNo}/appeal`, '/notifications']) {
      const release = await holdWasm(page);
      await page.goto(path, { waitUntil: 'domcontentloaded' });
      await expect(page.locator('#boot main h1')).toBeVisible();
      // The title, and the lead where the page has one: the app must draw both where the
      // shell did.
      const title = () => page.evaluate(() => {
        const box = (el: Element | null) => {
          const r = el?.getBoundingClientRect();
          return r ? [r.x, r.y, r.width, r.height] : null;
        };
        const h1 = document.querySelector('main h1')!;
        const lead = document.querySelector('main .lead');
        return { text: h1.textContent, box: box(h1), lead: lead?.textContent ?? null, leadBox: box(lead) };
      });
      const before = await title();
      if (path === `/cases/${caseNo}`) {
        expect(before.text).toBe(`${language.title} ${caseNo}`);
        expect(before.lead).toContain(language.leads.case);
        await expectNoAxeViolations(page);
      } else if (path === '/cases') {
        expect(before.lead).toContain(language.leads.cases);
      } else if (path === '/notifications') {
        expect(before.lead).toContain(language.leads.notifications);
      }
      release();
      await expect(page.getByRole('button', { name: language.mounted })).toBeEnabled();
      await expect(page.locator('#boot')).toHaveCount(0);
      expect(await title(), path).toEqual(before);
      await page.unroute(WASM);
    }
  }
});

test('a case page and a tracking link get their own title and case number in the shell', async ({ page }) => {
  await page.route(/\.wasm$/, (route) => route.abort());
  await page.goto('/cases/MR-20251001-0001', { waitUntil: 'domcontentloaded' });
  await expect(page.getByRole('heading', { level: 1, name: '申请 MR-20251001-0001' })).toBeVisible();
  await page.goto('/track/MR-20251001-0001', { waitUntil: 'domcontentloaded' });
  await expect(page.getByRole('heading', { level: 1, name: '跟踪申请 MR-20251001-0001' })).toBeVisible();
  // A tracking link's holder is not signed in: the shell, like the app, offers help alone.
  await expect(page.getByRole('link', { name: '我的申请' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: '帮助' })).toBeVisible();
});

test("the page's largest paint is the shell's, even when the app is at hand at once", async ({ page }) => {
  await page.goto(launchLink(XIAOMING));
  await expect(page.getByRole('heading', { level: 1, name: '小游戏退款与投诉' })).toBeVisible();
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { largestPaints: string[] }).largestPaints = seen;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & { element: Element | null })[]) {
        seen.push(entry.element?.closest('#boot') ? 'shell' : 'app');
      }
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  });
  // The wasm is in the browser's cache by now, so the app could mount before the shell's
  // paint is settled; it waits for it instead.
  await page.goto('/apply');
  await expect(page.getByRole('button', { name: '切换语言：English' })).toBeEnabled();
  await expect(page.locator('.case-form')).toBeVisible();
  const paints = await page.evaluate(() => (window as unknown as { largestPaints: string[] }).largestPaints);
  expect(paints.length).toBeGreaterThan(0);
  expect(paints).not.toContain('app');
});

test('the wasm is asked for only once the shell has painted, and only once', async ({ page }) => {
  await page.goto(launchLink(XIAOMING));
  await expect(page.getByRole('heading', { level: 1, name: '小游戏退款与投诉' })).toBeVisible();
  const wasmRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('.wasm')) wasmRequests.push(request.url());
  });
  await page.goto('/apply');
  await expect(page.locator('.case-form')).toBeVisible();
  const order = await page.evaluate(async () => {
    const wasm = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.wasm'));
    // Largest paints are only handed to an observer; `buffered` replays the page's first.
    const shellPainted = await new Promise<number | null>((resolve) => {
      new PerformanceObserver((list) => resolve(list.getEntries()[0]?.startTime ?? null)).observe({
        type: 'largest-contentful-paint',
        buffered: true,
      });
      setTimeout(() => resolve(null), 2000);
    });
    return { wasmStarts: wasm.map((e) => e.startTime), shellPainted };
  });
  expect(wasmRequests).toHaveLength(1);
  expect(order.wasmStarts).toHaveLength(1);
  expect(order.shellPainted).not.toBeNull();
  expect(order.wasmStarts[0]).toBeGreaterThanOrEqual(order.shellPainted!);
});

test('each player bundle has its own pages, and a link to the other bundle loads it', async ({ page }) => {
  await page.goto(launchLink(XIAOMING));
  await expect(page.getByRole('heading', { level: 1, name: '小游戏退款与投诉' })).toBeVisible();
  const wasmRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('.wasm')) wasmRequests.push(new URL(request.url()).pathname);
  });

  // From the application bundle to a follow-up page: a page load of the other bundle.
  await page.goto('/apply');
  await expect(page.locator('.case-form')).toBeVisible();
  expect(wasmRequests).toHaveLength(1);
  expect(wasmRequests[0]).not.toContain('/follow/');
  await page.getByRole('link', { name: '我的申请' }).click();
  await expect(page).toHaveURL(/\/cases$/);
  await expect(page.getByRole('heading', { level: 1, name: '我的申请' })).toBeVisible();
  await expect(page.getByRole('button', { name: '切换语言：English' })).toBeEnabled();
  expect(wasmRequests).toHaveLength(2);
  expect(wasmRequests[1]).toMatch(/^\/follow\/.*\.wasm$/);
  await expectNoAxeViolations(page);

  // Back goes to the form once, not to a stray entry for the same page.
  await page.goBack();
  await expect(page).toHaveURL(/\/apply(\?step=\d)?$/);
  await expect(page.locator('.case-form')).toBeVisible();

  // And back again: a link from the follow-up bundle to the application bundle.
  await page.goto('/notifications');
  await expect(page.getByRole('heading', { level: 1, name: '通知' })).toBeVisible();
  await page.getByRole('link', { name: '帮助' }).click();
  await expect(page).toHaveURL(/\/help$/);
  await expect(page.getByRole('heading', { level: 1, name: '帮助' })).toBeVisible();
  await expect(page.getByRole('button', { name: '切换语言：English' })).toBeEnabled();
  expect(wasmRequests.at(-1)).not.toContain('/follow/');

  // A path no bundle has says so, once, rather than loading again and again.
  const before = wasmRequests.length;
  await page.goto('/no-such-page');
  await expect(page.getByRole('heading', { level: 1, name: '页面不存在' })).toBeVisible();
  expect(wasmRequests.length).toBe(before + 1);
});

test("the form fetches the case page's bundle ahead, once past its first step", async ({ page }) => {
  await page.goto(launchLink(LELE));
  await expect(page).toHaveURL(/\/$/);
  const followUp: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith('/follow/')) followUp.push(path);
  });
  await page.goto('/apply');
  await expect(page.getByRole('heading', { level: 2, name: '选择订单' })).toBeVisible();
  // The page's own first load is not shared with the next bundle.
  await expect(page.locator('meta[name="refund-follow-up"]')).toHaveCount(1);
  await expect(page.locator('link[rel="prefetch"]')).toHaveCount(0);
  expect(followUp).toEqual([]);

  await page.getByRole('checkbox', { name: /新手礼包/ }).check();
  await page.getByRole('button', { name: '下一步' }).click();
  await expect(page.getByRole('heading', { level: 2, name: '监护人与孩子' })).toBeVisible();
  await expect(page.locator('link[rel="prefetch"]')).toHaveCount(2);
  // Prefetches are low priority: a busy browser may start them a while later.
  await expect.poll(() => [...followUp].sort(), { timeout: 20_000 }).toEqual([
    expect.stringMatching(/^\/follow\/refund-follow-[0-9a-f]+\.js$/),
    expect.stringMatching(/^\/follow\/refund-follow-[0-9a-f]+_bg\.wasm$/),
  ]);
  // Going back and forth through the steps asks for nothing more.
  await page.getByRole('button', { name: '上一步' }).click();
  await expect(page.getByRole('heading', { level: 2, name: '选择订单' })).toBeVisible();
  await page.getByRole('button', { name: '下一步' }).click();
  await expect(page.getByRole('heading', { level: 2, name: '监护人与孩子' })).toBeVisible();
  await expect(page.locator('link[rel="prefetch"]')).toHaveCount(2);
  expect(followUp).toHaveLength(2);

  // Once fetched, the follow-up bundle's wasm comes from the browser's cache.
  const fetchedAhead = () =>
    page.evaluate(
      () =>
        performance
          .getEntriesByType('resource')
          .filter((e) => e.name.includes('/follow/') && (e as PerformanceResourceTiming).responseEnd > 0).length,
    );
  await expect.poll(fetchedAhead).toBe(2);
  await page.getByRole('link', { name: '我的申请' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '我的申请' })).toBeVisible();
  const wasmTransfers = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .filter((e) => e.name.endsWith('.wasm'))
      .map((e) => ({ name: new URL(e.name).pathname, bytes: (e as PerformanceResourceTiming).transferSize })),
  );
  expect(wasmTransfers).toEqual([{ name: expect.stringMatching(/^\/follow\//), bytes: 0 }]);
});
