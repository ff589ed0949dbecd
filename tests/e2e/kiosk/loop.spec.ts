import { answerOne, expect, pairTablet, test } from './fixtures';

test('two citizens in a row: each starts on a clean survey and both answers are stored', async ({
	page,
	admin
}) => {
	const unit = 'AG.LX.BD';
	await pairTablet(page, admin, unit);
	await answerOne(page, 'Rất hài lòng');
	// After a few seconds of thanks the tablet is ready for the next person, all state cleared.
	await expect(page.getByRole('heading', { name: 'Mời Ông/Bà đánh giá' })).toBeVisible({
		timeout: 10_000
	});
	await page.getByRole('button', { name: 'Chạm để đánh giá' }).tap();
	for (const level of ['Không hài lòng', 'Hài lòng', 'Rất hài lòng']) {
		await expect(page.getByRole('button', { name: level, exact: true })).toHaveAttribute(
			'aria-pressed',
			'false'
		);
	}
	await expect(page.getByRole('button', { name: 'Quay lại' })).toHaveCount(0);
	await page.getByRole('button', { name: 'Không hài lòng', exact: true }).tap();
	// Back works, and the earlier answer is still marked.
	await page.getByRole('button', { name: 'Quay lại' }).tap();
	await expect(page.getByRole('button', { name: 'Không hài lòng', exact: true })).toHaveAttribute(
		'aria-pressed',
		'true'
	);
	await page.getByRole('button', { name: 'Tiếp tục' }).tap();
	await page.getByRole('button', { name: 'Hài lòng', exact: true }).tap();
	await page.getByRole('button', { name: 'Bỏ qua' }).tap();
	await page.getByRole('button', { name: '1 lần', exact: false }).first().tap();
	await page.getByRole('textbox').fill('Cán bộ hướng dẫn tận tình');
	await page.getByRole('button', { name: 'Gửi đánh giá' }).tap();
	await expect(page.getByRole('heading', { name: 'Cảm ơn Ông/Bà!' })).toBeVisible();
	await expect.poll(() => admin.stored(unit), { timeout: 15_000 }).toBe(2);
});
