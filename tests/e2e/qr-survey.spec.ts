import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { dashboardCount, qrCode, rate, signIn } from './helpers';

const SURVEY = 'sipas-one-stop';
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

test('a citizen answers the QR survey and the answer is counted on the dashboard', async ({
	page,
	browser
}) => {
	await signIn(page);
	const code = await qrCode(page, SURVEY);
	const before = await dashboardCount(page, SURVEY);

	const citizen = await browser.newPage(); // no staff session on the phone
	const consoleErrors: string[] = [];
	citizen.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
	const opened = await citizen.goto(`/s/${code}`);
	// Compressed on the wire for 3G; and nothing the page carries is refused by its own CSP.
	expect(await opened?.headerValue('content-encoding')).toBe('gzip');
	await expect(citizen.getByRole('heading', { level: 1 })).toContainText('Khảo sát sự hài lòng');
	expect(consoleErrors).toEqual([]);
	// A long questionnaire says where the citizen is: each section is a part of the whole.
	const parts = await citizen.getByRole('heading', { level: 2, name: /^Phần \d+\/\d+ / }).all();
	expect(parts.length).toBeGreaterThan(1);
	await expect(parts[0]!).toHaveText(`Phần 1/${parts.length} Tiếp cận dịch vụ`);
	await expect(parts.at(-1)!).toContainText(`Phần ${parts.length}/${parts.length}`);
	await rate(citizen, /Công chức có thái độ giao tiếp lịch sự/, 'Rất hài lòng');
	await rate(citizen, /Phí, lệ phí/, 'Không ý kiến / không sử dụng');
	await rate(citizen, /Nhìn chung/, 'Hài lòng');
	await citizen
		.getByRole('textbox', { name: /góp ý/ })
		.fill(`Cán bộ nhiệt tình <b>tốt</b> (${test.info().project.name})`);
	await citizen.getByRole('button', { name: 'Gửi đánh giá' }).click();
	await expect(citizen.getByRole('heading', { name: 'Cảm ơn Ông/Bà!' })).toBeVisible();
	await citizen.close();

	expect(await dashboardCount(page, SURVEY)).toBe(before + 1);
});

test('a missing required answer is shown next to the question and in the summary; nothing is stored', async ({
	page,
	browser
}) => {
	await signIn(page);
	const code = await qrCode(page, SURVEY);
	const before = await dashboardCount(page, SURVEY);

	const citizen = await browser.newPage();
	await citizen.goto(`/s/${code}`);
	await rate(citizen, /Công chức chú ý lắng nghe/, 'Bình thường');
	await citizen.getByRole('button', { name: 'Gửi đánh giá' }).click();
	const summary = citizen.getByRole('alert');
	await expect(summary).toContainText('Xin Ông/Bà kiểm tra câu dưới đây');
	await expect(summary).toBeFocused();
	await expect(summary.getByRole('link')).toHaveAttribute('href', '#q-overall');
	await expect(citizen.locator('#overall-error')).toHaveText('Xin Ông/Bà trả lời câu này.');
	// The question's state is exposed, not only worded: required, invalid, described by its error.
	const overall = citizen.getByRole('group', { name: /Nhìn chung/ });
	await expect(overall).toHaveAttribute('aria-describedby', /overall-error/);
	for (const radio of await overall.getByRole('radio').all()) {
		await expect(radio).toHaveAttribute('required', '');
		await expect(radio).toHaveAttribute('aria-invalid', 'true');
	}
	// the answer already given is kept
	await expect(
		citizen
			.getByRole('group', { name: /Công chức chú ý lắng nghe/ })
			.getByRole('radio', { name: 'Bình thường', exact: true })
	).toBeChecked();
	await citizen.close();

	expect(await dashboardCount(page, SURVEY)).toBe(before);
});

test('the survey switches to English and back, with the right html lang', async ({
	page,
	browser
}) => {
	await signIn(page);
	const code = await qrCode(page, SURVEY);
	const citizen = await browser.newPage();
	await citizen.goto(`/s/${code}`);
	await expect(citizen.locator('html')).toHaveAttribute('lang', 'vi');
	await citizen.getByRole('button', { name: 'English' }).click();
	await expect(citizen.locator('html')).toHaveAttribute('lang', 'en');
	await expect(citizen.getByRole('heading', { level: 1 })).toHaveText(/Survey of satisfaction/);
	await expect(citizen.getByRole('button', { name: 'Send my answers' })).toBeVisible();
	await citizen.goto(`/s/${code}?lang=vi`);
	await expect(citizen.locator('html')).toHaveAttribute('lang', 'vi');
	await citizen.close();
});

// axe runs as a script in the page, so it needs JavaScript even where the page itself has none;
// these pages ship no script, so their DOM is the same with JavaScript on or off.
test('respondent pages pass axe (WCAG 2.2 AA), the error state included, and load one small script at most', async ({
	page,
	browser
}) => {
	// Several full axe runs: about 20 s on two busy cores. Room, not a speed claim.
	test.setTimeout(120_000);
	await signIn(page);
	const code = await qrCode(page, SURVEY);
	const context = await browser.newContext({ javaScriptEnabled: true });
	const citizen = await context.newPage();
	const scripts: string[] = [];
	citizen.on('request', (r) => {
		if (r.resourceType() === 'script') scripts.push(r.url());
	});
	const check = async (label: string) => {
		const result = await new AxeBuilder({ page: citizen }).withTags(WCAG).analyze();
		expect(result.violations, label).toEqual([]);
	};
	for (const path of [`/s/${code}`, `/s/${code}?lang=en`, `/s/${code}/thanks`]) {
		await citizen.goto(path);
		await check(path);
	}
	await citizen.goto(`/s/${code}?lang=vi`);
	await citizen.getByRole('button', { name: 'Gửi đánh giá' }).click();
	await expect(citizen.getByRole('alert')).toBeVisible();
	await check('error state');
	// The one script is the small optional enhancement (follow-up questions); no framework, no i18n.
	expect(new Set(scripts.map((u) => new URL(u).pathname.replace(/\.[\w-]+\.js$/, '.js')))).toEqual(
		new Set(['/_app/immutable/assets/enhance.js'])
	);
	await context.close();
});

test('an unknown survey code answers 404 with a message in Vietnamese', async ({ page }) => {
	const response = await page.goto('/s/khongcoma');
	expect(response?.status()).toBe(404);
	await expect(page.getByText('Không tìm thấy phiếu khảo sát này')).toBeVisible();
});

test('staff pages need a session', async ({ page }) => {
	await page.goto('/dashboard');
	await expect(page).toHaveURL(/\/login\?redirectTo=%2Fdashboard/);
	const api = await page.request.get('/api/v1/touchpoints');
	expect(api.status()).toBe(401);
});

test('the case rating can be answered with the keyboard alone', async ({ page, browser }) => {
	await signIn(page);
	const code = await qrCode(page, 'one-stop-case');
	const citizen = await browser.newPage();
	await citizen.goto(`/s/${code}`);
	const first = citizen.getByRole('group', { name: /^1\./ });
	await citizen.keyboard.press('Tab'); // larger text
	await expect(citizen.getByRole('button', { name: 'Chữ lớn, tương phản cao' })).toBeFocused();
	await citizen.keyboard.press('Tab'); // language
	await citizen.keyboard.press('Tab'); // the first question's scale
	await expect(first.getByRole('radio').first()).toBeFocused();
	await citizen.keyboard.press('Space');
	await citizen.keyboard.press('ArrowRight');
	await expect(first.getByRole('radio', { name: 'Hài lòng', exact: true })).toBeChecked();
	await citizen.keyboard.press('Enter');
	await expect(citizen.getByRole('heading', { name: 'Cảm ơn Ông/Bà!' })).toBeVisible();
	await citizen.close();
});

test('search engines are kept to the public pages, and every page has the icon it links', async ({
	page,
	request
}) => {
	const robots = await request.get('/robots.txt');
	expect(robots.status()).toBe(200);
	const rules = (await robots.text()).split('\n').filter((l) => l && !l.startsWith('#'));
	expect(rules).toEqual([
		'User-agent: *',
		'Allow: /cong-khai',
		'Allow: /phuong-phap',
		'Disallow: /'
	]);
	await page.goto('/phuong-phap');
	const icon = await page.locator('link[rel="icon"]').getAttribute('href');
	const served = await request.get(icon!);
	expect(served.status()).toBe(200);
	expect(served.headers()['content-type']).toContain('image/svg+xml');
	await expect(page.locator('meta[name="description"]')).toHaveAttribute('content', /.{40}/);
});
