import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

test('an analyst downloads the responses and the results table from the exports page', async ({
	page
}) => {
	await signIn(page);
	await page.getByRole('link', { name: 'Xuất dữ liệu' }).click();
	await expect(page.getByRole('heading', { name: 'Xuất dữ liệu' })).toBeVisible();
	await page.getByLabel('Phiếu khảo sát').selectOption('sipas-one-stop');
	await page.getByLabel('Đơn vị').selectOption('AG.TTHCC');
	for (const [button, first] of [
		['Tải phiếu trả lời', 'Mã phiếu'],
		['Tải bảng kết quả', 'Mã đơn vị']
	] as const) {
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('button', { name: button }).click()
		]);
		expect(download.suggestedFilename()).toMatch(
			/^(phieu|ket-qua)-sipas-one-stop-AG\.TTHCC-.*\.csv$/
		);
		const text = readFileSync(await download.path(), 'utf8');
		expect(text.startsWith(`\uFEFF${first},`)).toBe(true);
	}
	await page.getByLabel('XLSX').check();
	const [xlsx] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: 'Tải phiếu trả lời' }).click()
	]);
	expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
	// An XLSX file is a zip archive.
	expect(
		readFileSync(await xlsx.path())
			.subarray(0, 2)
			.toString()
	).toBe('PK');
});
