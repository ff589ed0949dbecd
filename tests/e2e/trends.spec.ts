import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

test('the monthly trend: a table always, and with JavaScript a chart plotting exactly its figures', async ({
	page
}, info) => {
	await signIn(page);
	await page.goto('/dashboard?survey=sipas-one-stop&unit=AG');
	await page.getByRole('link', { name: 'Diễn biến theo tháng' }).click();
	await expect(page.getByRole('heading', { name: 'Diễn biến theo tháng' })).toBeVisible();
	const rows = page.getByTestId('series').locator('tbody tr');
	await expect(rows).toHaveCount(12);
	await page.getByLabel('Số tháng').selectOption('24');
	await page.getByRole('button', { name: 'Xem' }).click();
	await expect(rows).toHaveCount(24);
	const table = await rows.evaluateAll((trs) =>
		trs.map((tr) => {
			const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim());
			const number = (text: string) =>
				text === '—' ? null : Number(text.replace('%', '').replace(',', '.'));
			return { rate: number(cells[0]!), target: number(cells[3]!) };
		})
	);
	const canvas = page.locator('canvas');
	if (info.project.name === 'js-off') {
		await expect(canvas).not.toHaveAttribute('data-plotted');
		return;
	}
	await expect(canvas).toHaveAttribute('data-plotted', /.+/);
	const [, , rate, target] = JSON.parse((await canvas.getAttribute('data-plotted'))!) as (
		number | null
	)[][];
	expect(rate).toEqual(table.map((r) => r.rate));
	expect(target).toEqual(table.map((r) => r.target));
});
