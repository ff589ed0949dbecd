import { expect, test } from '@playwright/test';

test('anyone reads the monthly results on a phone and downloads them, no sign-in', async ({
	browser
}, info) => {
	const phone = await browser.newContext({
		javaScriptEnabled: info.project.name !== 'js-off',
		viewport: { width: 360, height: 740 },
		isMobile: true,
		hasTouch: true
	});
	const page = await phone.newPage();
	const response = await page.goto('/cong-khai');
	expect(response!.status()).toBe(200);
	await expect(
		page.getByRole('heading', { level: 1, name: 'Công khai kết quả khảo sát sự hài lòng' })
	).toBeVisible();
	await expect(page.locator('[data-unit="AG"]')).toBeVisible();
	// Nothing wider than the phone's screen.
	const overflow = await page.evaluate(
		() => document.documentElement.scrollWidth - document.documentElement.clientWidth
	);
	expect(overflow).toBeLessThanOrEqual(0);
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Tải bảng số liệu (CSV)' }).click()
	]);
	expect(download.suggestedFilename()).toMatch(/^cong-khai-sipas-one-stop-\d{4}-\d{2}\.csv$/);
	await phone.close();
});
