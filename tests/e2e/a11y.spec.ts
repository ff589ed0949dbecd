import { readdirSync, readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { complain, qrCode, signIn } from './helpers';

// axe runs as a script in the page, so these run with JavaScript on. The respondent pages render
// the same DOM without it: the enhancement script only toggles follow-up questions.
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const surveys = readdirSync('survey-definitions')
	.filter((f) => f.endsWith('.json') && f !== 'schema.json')
	.map((f) => JSON.parse(readFileSync(`survey-definitions/${f}`, 'utf8')) as { id: string });

async function expectNoViolations(page: Page, label: string) {
	const result = await new AxeBuilder({ page }).withTags(WCAG).analyze();
	expect(result.violations, label).toEqual([]);
}

// Four full axe runs per survey take about 25 s on two busy cores: room, not a speed claim.
test.describe.configure({ timeout: 120_000 });

for (const survey of surveys) {
	test(`${survey.id}: the survey page passes axe in Vietnamese, English, larger text and with errors`, async ({
		page,
		browser
	}) => {
		await signIn(page);
		const code = await qrCode(page, survey.id);
		const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
		const citizen = await context.newPage();
		await citizen.goto(`/s/${code}?lang=vi`);
		await expectNoViolations(citizen, 'vi');
		await citizen.getByRole('button', { name: 'English' }).click();
		await expect(citizen.locator('html')).toHaveAttribute('lang', 'en');
		await expectNoViolations(citizen, 'en');
		await citizen.getByRole('button', { name: 'Larger text, high contrast' }).click();
		await expect(citizen.getByRole('button', { name: 'Normal text' })).toHaveAttribute(
			'aria-pressed',
			'true'
		);
		// Larger indeed: 1.35 rem (21.6 px) instead of 1.125 rem (18 px).
		const size = () =>
			citizen.locator('.respond').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
		expect(await size()).toBeGreaterThanOrEqual(21);
		await expectNoViolations(citizen, 'larger text');
		await citizen.getByRole('button', { name: 'Send my answers' }).click();
		await expectNoViolations(citizen, 'after sending');
		await context.close();
	});
}

test('the one-stop survey in Khmer, once its translation is marked checked: axe-clean, with errors too', async ({
	page,
	browser
}) => {
	await signIn(page);
	const code = await qrCode(page, 'one-stop-case');
	await page.goto('/admin/surveys/one-stop-case');
	await expect(page.getByText('Chưa được người bản ngữ kiểm tra.')).toBeVisible();
	await page.getByRole('button', { name: 'Đánh dấu đã được người bản ngữ kiểm tra' }).click();
	await expect(page.getByText('Người dân đang được mời trả lời bằng tiếng Khmer')).toBeVisible();
	const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
	try {
		const citizen = await context.newPage();
		await citizen.goto(`/s/${code}?lang=km`);
		await expect(citizen.locator('html')).toHaveAttribute('lang', 'km');
		await expect(citizen.getByRole('button', { name: 'ផ្ញើចម្លើយ' })).toBeVisible();
		await expectNoViolations(citizen, 'km');
		await citizen.getByRole('button', { name: 'ផ្ញើចម្លើយ' }).click();
		await expect(citizen.getByText('សូមឆ្លើយសំណួរនេះ។').first()).toBeVisible();
		await expectNoViolations(citizen, 'km, after sending');
	} finally {
		await context.close();
		await page.goto('/admin/surveys/one-stop-case');
		await page
			.getByRole('button', { name: 'Bỏ dấu đã kiểm tra (ngừng hiển thị tiếng Khmer)' })
			.click();
		await expect(page.getByText('Người dân chưa thấy tiếng Khmer.')).toBeVisible();
	}
});

test('the analyst pages pass axe: dashboard with its league table, trends, exports', async ({
	page
}) => {
	await signIn(page);
	await page.goto('/dashboard?survey=sipas-one-stop&unit=AG');
	await expect(page.getByTestId('league')).toBeVisible();
	await expectNoViolations(page, 'dashboard');
	await page.goto('/dashboard/trends?survey=sipas-one-stop&unit=AG');
	await expect(page.locator('canvas')).toHaveAttribute('data-plotted', /.+/);
	await expectNoViolations(page, 'trends');
	await page.goto('/exports');
	await expectNoViolations(page, 'exports');
});

test('the comments, the case inbox, a case and the quarterly report pass axe', async ({
	page,
	browser
}) => {
	await signIn(page);
	await complain(browser, await qrCode(page, 'sipas-one-stop'), 'Chờ lâu, không được hướng dẫn');
	await page.goto('/comments?period=&low=1');
	await expectNoViolations(page, 'comments');
	await page.goto('/cases?view=open');
	await expectNoViolations(page, 'cases');
	await page.getByRole('table').first().getByRole('link').first().click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Phản ánh số \d+$/);
	await expectNoViolations(page, 'one case');
	await page.goto('/reports');
	await expectNoViolations(page, 'reports');
	await page.getByRole('link', { name: /^Quý / }).first().click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('BÁO CÁO');
	await expectNoViolations(page, 'quarterly report');
});

test('the public results page passes axe in both languages, with JavaScript on and off', async ({
	page,
	browser
}) => {
	for (const lang of ['vi', 'en']) {
		await page.goto(`/cong-khai?lang=${lang}`);
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await expectNoViolations(page, `cong-khai ${lang}`);
	}
	// The page ships no script: without JavaScript the browser shows the document axe checked.
	const off = await browser.newContext({ javaScriptEnabled: false });
	const plain = await off.newPage();
	await plain.goto('/cong-khai?lang=vi');
	await page.goto('/cong-khai?lang=vi');
	expect(await plain.locator('script').count()).toBe(0);
	expect(await plain.content()).toBe(await page.content());
	await off.close();
});

test('the method page passes axe in both languages, with JavaScript on and off', async ({
	page,
	browser
}) => {
	for (const lang of ['vi', 'en']) {
		await page.goto(`/phuong-phap?lang=${lang}`);
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await expectNoViolations(page, `phuong-phap ${lang}`);
	}
	// axe is a script, so it cannot run with JavaScript off; the page ships none, so without
	// JavaScript the browser shows exactly the document axe has just checked.
	const off = await browser.newContext({ javaScriptEnabled: false });
	const plain = await off.newPage();
	for (const lang of ['vi', 'en']) {
		await plain.goto(`/phuong-phap?lang=${lang}`);
		await page.goto(`/phuong-phap?lang=${lang}`);
		expect(await plain.locator('script').count()).toBe(0);
		expect(await plain.content()).toBe(await page.content());
	}
	await off.close();
});
