import { expect, test } from '@playwright/test';
import { complain, qrCode, signIn } from './helpers';

test('a complaint left on a phone reaches the inbox, is found without accents and answered', async ({
	page,
	browser
}, info) => {
	const mark = `${info.project.name}-${Date.now().toString(36)}`;
	await signIn(page);
	const code = await qrCode(page, 'sipas-one-stop');

	await complain(browser, code, `Chờ quá lâu ở quầy ${mark}`);

	// The analyst's question: what are people complaining about? Typed without accents.
	await page.goto('/comments?period=');
	await page.getByLabel('Tìm trong ý kiến').fill(`cho qua lau ${mark}`);
	await page.getByLabel('Chỉ phiếu có đánh giá không hài lòng').check();
	await page.getByRole('button', { name: 'Lọc' }).click();
	await expect(page.getByRole('status')).toHaveText('1 ý kiến');
	await expect(page.getByRole('cell', { name: new RegExp(mark) })).toBeVisible();
	await page.getByRole('link', { name: /^Số \d+$/ }).click();

	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Phản ánh số \d+$/);
	await expect(page.getByRole('link', { name: '0911222333' })).toBeVisible();
	await page.getByRole('button', { name: 'Tiếp nhận xử lý' }).click();
	await expect(page.getByRole('status')).toHaveText('Đã lưu.');

	// Resolving needs the reply to the citizen: refused, and what was typed is kept.
	await page.getByLabel('Biện pháp đã xử lý').fill('Bố trí thêm một cán bộ ở quầy');
	await page.getByRole('button', { name: 'Đã xử lý xong' }).click();
	await expect(page.getByRole('alert')).toContainText('nội dung trả lời người dân');
	await expect(page.getByLabel('Biện pháp đã xử lý')).toHaveValue('Bố trí thêm một cán bộ ở quầy');
	await page.getByLabel('Nội dung trả lời người dân').fill('Cơ quan xin lỗi Ông/Bà.');
	await page.getByRole('button', { name: 'Đã xử lý xong' }).click();
	await expect(page.getByText('Phản ánh đã xử lý xong.')).toBeVisible();
	await expect(page.getByRole('listitem').filter({ hasText: 'Đã xử lý' }).first()).toContainText(
		'Cơ quan xin lỗi Ông/Bà.'
	);

	const number = (await page.getByRole('heading', { level: 1 }).textContent())!.replace(/\D/g, '');
	await page.goto('/cases?view=resolved');
	await expect(page.getByRole('link', { name: number, exact: true })).toBeVisible();
	await page.goto('/cases?view=open');
	await expect(page.getByRole('link', { name: number, exact: true })).toHaveCount(0);
});
