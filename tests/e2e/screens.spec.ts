import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { complain, qrCode, signIn } from './helpers';

// Every staff, public and citizen page at the three sizes its users have (a phone, a tablet, a
// desk), attached to the report and kept under test-results/screens/ to be looked at. Each shot
// also proves the page renders (200) and records any sideways scrolling.
const sizes = [
	{ name: 'phone', width: 390, height: 844 },
	{ name: 'tablet', width: 800, height: 1280 },
	{ name: 'desktop', width: 1280, height: 800 }
];

type Where = string | ((page: Page) => Promise<string>);

const qr = (page: Page) => qrCode(page, 'sipas-one-stop');
/** The first link on a list page that leads below it (a case, a quarter's report). */
const firstBelow = (list: string) => async (page: Page) => {
	await page.goto(list);
	const href = await page.locator(`main a[href^="${list}/"]`).first().getAttribute('href');
	expect(href, `a link below ${list}`).toBeTruthy();
	return href!;
};

const staffPages: [string, Where][] = [
	['dashboard', '/dashboard?survey=sipas-one-stop&unit=AG'],
	['trends', '/dashboard/trends?survey=sipas-one-stop&unit=AG'],
	['comments', '/comments'],
	['cases', '/cases'],
	['case', firstBelow('/cases')],
	['reports', '/reports'],
	['report', firstBelow('/reports')],
	['exports', '/exports'],
	['entry', '/entry'],
	['entry-form', '/entry/sipas-one-stop/AG.TTHCC'],
	['entry-import', '/entry/import'],
	['touchpoints', '/touchpoints'],
	['poster', async (page) => `/touchpoints/${await qr(page)}/poster`],
	['tokens', async (page) => `/touchpoints/${await qr(page)}/tokens`],
	['users', '/admin/users'],
	['user-new', '/admin/users/new'],
	['units', '/admin/units'],
	['unit', '/admin/units/AG.TTHCC'],
	['surveys', '/admin/surveys'],
	['survey', '/admin/surveys/sipas-one-stop'],
	['devices', '/admin/devices'],
	['audit', '/admin/audit'],
	['account', '/account'],
	['password', '/account/password'],
	['mfa', '/account/mfa'],
	['api-tokens', '/account/tokens']
];

const publicPages: [string, Where][] = [
	['login', '/login'],
	['public-release', '/cong-khai'],
	['method', '/phuong-phap'],
	['method-en', '/phuong-phap?lang=en'],
	['qr-survey', async (page) => `/s/${await qr(page)}`]
];

mkdirSync('test-results/screens', { recursive: true });

async function shoot(page: Page, name: string, path: string) {
	for (const size of sizes) {
		await page.setViewportSize({ width: size.width, height: size.height });
		const response = await page.goto(path);
		expect(response?.status(), path).toBe(200);
		const file = `test-results/screens/${name}-${size.name}.png`;
		await page.screenshot({ path: file, fullPage: true });
		await test.info().attach(`${name}-${size.name}`, { path: file, contentType: 'image/png' });
		const overflow = await page.evaluate(
			() => document.documentElement.scrollWidth - document.documentElement.clientWidth
		);
		// Recorded, not yet enforced: some staff tables are wider than a phone until the redesign.
		if (overflow > 0)
			test.info().annotations.push({
				type: 'scrolls sideways',
				description: `${path} at ${size.width} px: ${overflow} px`
			});
	}
}

test.beforeAll(async ({ browser }) => {
	// A complaint, so that the inbox, a case and the comments have something to show.
	const page = await browser.newPage();
	await signIn(page);
	await complain(browser, await qr(page), 'Phải chờ quá lâu ở quầy một cửa.');
	await page.close();
});

for (const [name, where] of staffPages) {
	test(`${name}: staff page at a phone, a tablet and a desk`, async ({ page }) => {
		await signIn(page);
		const path = typeof where === 'string' ? where : await where(page);
		await shoot(page, name, path);
	});
}

for (const [name, where] of publicPages) {
	test(`${name}: public page at a phone, a tablet and a desk`, async ({ page, browser }) => {
		let path = where as string;
		if (typeof where !== 'string') {
			const staff = await browser.newPage();
			await signIn(staff);
			path = await where(staff);
			await staff.close();
		}
		await shoot(page, name, path);
	});
}
