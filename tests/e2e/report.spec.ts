import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { complain, qrCode, signIn } from './helpers';

test('the quarterly report opens from the list, reads as a document and downloads as a PDF', async ({
	page,
	browser
}) => {
	await signIn(page);
	await complain(browser, await qrCode(page, 'sipas-one-stop'), 'Báo cáo quý: chờ lâu');
	await page.goto('/reports');
	await page
		.getByRole('link', { name: /^Quý \d{4}-Q[1-4]$/ })
		.first()
		.click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('BÁO CÁO');
	await expect(page.getByRole('heading', { level: 1 })).toContainText(
		/quý (I|II|III|IV) năm \d{4}/
	);
	await expect(page.getByText('Kính gửi: Bộ Nội vụ.')).toBeVisible();
	const overall = page.locator('tr[data-indicator="overall"]').first();
	await expect(overall).toBeVisible();
	await expect(page.getByRole('heading', { name: 'IV. PHƯƠNG PHÁP' })).toBeVisible();

	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Tải PDF' }).click()
	]);
	expect(download.suggestedFilename()).toMatch(/^bao-cao-hai-long-\d{4}-Q[1-4]\.pdf$/);
	const bytes = readFileSync((await download.path())!);
	expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
	expect(bytes.length).toBeGreaterThan(10_000);
});
